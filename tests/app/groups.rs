use maillage::entities::working_group;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{TestApp, location};

#[tokio::test]
async fn a_platform_coordinator_creates_a_working_group_that_shows_on_the_platform_page() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;

    let (status, _) = coordinator
        .get_html("/plateformes/sociojuridique/gt/nouveau")
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = coordinator
        .post_form(
            "/plateformes/sociojuridique/gt",
            &[
                ("name", "Relevé de constats et interpellations"),
                ("mandate", "Une réunion par mois consacrée aux constats."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let group = working_group::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(location(&r), format!("/gt/{}", group.id));
    assert_eq!(group.platform_id, platform);
    assert_eq!(group.status, working_group::GroupStatus::Active);

    let (_, page) = app.anonymous.get_html("/plateformes/sociojuridique").await;
    assert!(page.contains("Relevé de constats et interpellations"));
    let (status, page) = app.anonymous.get_html(&format!("/gt/{}", group.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Une réunion par mois consacrée aux constats."));
}

#[tokio::test]
async fn a_group_without_a_name_or_with_a_taken_name_is_refused() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    app.create_group(platform, "Meilleure connaissance du réseau")
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let r = admin
        .post_form(
            "/plateformes/sociojuridique/gt",
            &[("name", ""), ("mandate", "gardé")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Le nom du groupe de travail est obligatoire."));
    assert!(html.contains(">gardé</textarea>"));
    let r = admin
        .post_form(
            "/plateformes/sociojuridique/gt",
            &[("name", "Meilleure connaissance du réseau")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("déjà un groupe de travail de ce nom")
    );
    assert_eq!(
        working_group::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn a_group_coordinator_edits_closes_and_reopens_their_group() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Lutte contre le racisme", "racisme", true)
        .await;
    let group = app.create_group(platform, "Sensibilisation").await;
    let (coord, coordinator) = app.signed_in("Gaëlle", "gaelle@asbl.example", false).await;
    app.add_to_group(group, coord, "coordinator").await;

    let r = coordinator
        .post_form(
            &format!("/gt/{group}"),
            &[
                ("name", "Sensibilisation"),
                ("mandate", "Préparer le 21 mars."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        coordinator
            .post_form(&format!("/gt/{group}/cloturer"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let saved = working_group::Entity::find_by_id(group)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (saved.status.as_str(), saved.mandate.as_str()),
        ("closed", "Préparer le 21 mars.")
    );
    let (_, page) = app.anonymous.get_html(&format!("/gt/{group}")).await;
    assert!(page.contains("clôturé"));
    assert_eq!(
        coordinator
            .post_form(&format!("/gt/{group}/rouvrir"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        working_group::Entity::find_by_id(group)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .status,
        working_group::GroupStatus::Active
    );
    // But not the platform, nor a sibling group.
    let sibling = app.create_group(platform, "Interpellation").await;
    assert_eq!(
        coordinator
            .post_form(&format!("/gt/{sibling}/cloturer"), &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        coordinator
            .get("/plateformes/racisme/gt/nouveau")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
