use maillage::entities::{municipality, person, reception_office};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::helpers::TestApp;

#[tokio::test]
async fn migrations_run_forward_on_an_empty_database_and_load_the_eight_offices() {
    let app = TestApp::spawn().await;
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap();
    assert_eq!(applied.len(), Migrator::migrations().len());
    assert!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    let offices = reception_office::Entity::find().all(&app.db).await.unwrap();
    let mut names: Vec<&str> = offices.iter().map(|o| o.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Andenne",
            "Beauraing",
            "Ciney",
            "Dinant",
            "Gembloux",
            "Namur",
            "Philippeville",
            "Sambreville"
        ]
    );
    assert_eq!(
        municipality::Entity::find().count(&app.db).await.unwrap(),
        38
    );
    let andenne = offices.iter().find(|o| o.name == "Andenne").unwrap();
    let gesves = municipality::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.name == "Gesves")
        .unwrap();
    assert_eq!(gesves.office_id, andenne.id);
}

#[tokio::test]
async fn migrations_roll_back_and_forward_again() {
    let app = TestApp::spawn().await;
    Migrator::down(&app.db, None).await.unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );
    Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(
        reception_office::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        8
    );
}

#[tokio::test]
async fn the_database_refuses_two_people_with_the_same_normalised_email() {
    let app = TestApp::spawn().await;
    app.create_person("Amina Benali", "amina@cpas-namur.example", false)
        .await;
    let now = chrono::Utc::now();
    let duplicate = person::ActiveModel {
        name: Set("Autre".into()),
        email: Set("AMINA@cpas-namur.example".into()),
        email_normalized: Set("amina@cpas-namur.example".into()),
        organisation_id: Set(None),
        language: Set(person::Language::Fr),
        active: Set(true),
        is_admin: Set(false),
        password_hash: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await;
    assert!(duplicate.is_err());
}
