use maillage::entities::{organisation, person, session};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{PASSWORD, TestApp, location};

#[tokio::test]
async fn an_administrator_creates_and_edits_an_organisation() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let (_, form) = admin.get_html("/organisations/nouvelle").await;
    assert!(
        form.contains("Gesves (bureau de Andenne)"),
        "municipalities from the reference data"
    );
    let dinant = maillage::entities::municipality::Entity::find()
        .filter(maillage::entities::municipality::Column::Name.eq("Dinant"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let r = admin
        .post_form(
            "/organisations",
            &[
                ("name", "CPAS de Dinant"),
                ("kind", "cpas"),
                ("municipality_id", &dinant.id.to_string()),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let org = organisation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(location(&r), format!("/organisations/{}", org.id));
    assert_eq!(org.municipality_id, Some(dinant.id));

    let r = admin
        .post_form(
            &format!("/organisations/{}", org.id),
            &[
                ("name", "CPAS de Dinant"),
                ("kind", "public_body"),
                ("municipality_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let org = organisation::Entity::find_by_id(org.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (org.kind.as_str(), org.municipality_id),
        ("public_body", None)
    );

    assert_eq!(
        admin
            .post_form(&format!("/organisations/{}/archiver", org.id), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        organisation::Entity::find_by_id(org.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .archived
    );
    let (_, list) = admin.get_html("/organisations").await;
    assert!(list.contains("archivée"));
}

#[tokio::test]
async fn organisation_forms_refuse_bad_input_and_keep_it() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let r = admin
        .post_form(
            "/organisations",
            &[
                ("name", ""),
                ("kind", "secte"),
                ("website", "www.exemple.be"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Le nom est obligatoire."));
    assert!(html.contains("Choisissez un type d'organisation dans la liste."));
    assert!(html.contains(r#"value="www.exemple.be""#));
    admin
        .post_form(
            "/organisations",
            &[("name", "Lire et Écrire Namur"), ("kind", "asbl")],
        )
        .await;
    let r = admin
        .post_form(
            "/organisations",
            &[("name", "Lire et Écrire Namur"), ("kind", "asbl")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Une organisation porte déjà ce nom.")
    );
    let r = admin
        .post_form(
            "/organisations",
            &[
                ("name", "X"),
                ("kind", "asbl"),
                ("municipality_id", "99999"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        organisation::Entity::find().count(&app.db).await.unwrap(),
        1
    );
    assert_eq!(
        admin.get("/organisations/424242").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_administrator_adds_a_person_who_can_then_sign_in() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let r = admin
        .post_form(
            "/personnes",
            &[
                ("name", "Sofia Haddad"),
                ("email", "Sofia.Haddad@ILI-Gembloux.example"),
                ("organisation_id", ""),
                ("language", "fr"),
                ("password", "un mot de passe long"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let sofia = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq("sofia.haddad@ili-gembloux.example"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("person created");
    assert_eq!(sofia.email, "Sofia.Haddad@ILI-Gembloux.example");
    assert!(!sofia.is_admin);
    app.visitor()
        .sign_in("sofia.haddad@ili-gembloux.example", "un mot de passe long")
        .await;
}

#[tokio::test]
async fn a_malformed_or_duplicate_email_is_refused_next_to_the_field() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    app.create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;
    let r = admin
        .post_form(
            "/personnes",
            &[
                ("name", "Quelqu'un"),
                ("email", "pas une adresse"),
                ("language", "fr"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Cette adresse e-mail n'est pas valide"));
    assert!(html.contains(r#"value="pas une adresse""#));
    assert!(html.contains(r#"value="Quelqu&#39;un""#) || html.contains(r#"value="Quelqu'un""#));

    let r = admin
        .post_form(
            "/personnes",
            &[
                ("name", "Autre Amina"),
                ("email", "AMINA@cpas-dinant.example"),
                ("language", "fr"),
                ("password", "un mot de passe long"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Une personne utilise déjà cette adresse e-mail."));
    assert!(
        !html.contains("un mot de passe long"),
        "a password is never sent back"
    );
    let r = admin
        .post_form(
            "/personnes",
            &[
                ("name", "X"),
                ("email", "x@y.example"),
                ("language", "klingon"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), 2);
}

#[tokio::test]
async fn deactivating_a_person_ends_their_sessions() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let (claire, browser) = app
        .signed_in("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    assert_eq!(browser.get("/organisations").await.status(), StatusCode::OK);
    let r = admin
        .post_form(&format!("/personnes/{claire}/desactiver"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        session::Entity::find()
            .filter(session::Column::PersonId.eq(claire))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        browser.get("/organisations").await.status(),
        StatusCode::SEE_OTHER,
        "signed out"
    );
    let r = app
        .visitor()
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        admin
            .post_form(&format!("/personnes/{claire}/reactiver"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    app.visitor()
        .sign_in("claire@cri-namur.example", PASSWORD)
        .await;
}

#[tokio::test]
async fn administrators_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let (me, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let r = admin
        .post_form(
            &format!("/personnes/{me}"),
            &[
                ("name", "Admin"),
                ("email", "admin@cri-namur.example"),
                ("language", "fr"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("vos propres droits d'administration")
    );
    admin
        .post_form(&format!("/personnes/{me}/desactiver"), &[])
        .await;
    let me = person::Entity::find_by_id(me)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(me.is_admin && me.active);
}

#[tokio::test]
async fn the_directory_is_for_signed_in_members_and_searchable() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.anonymous.get("/personnes").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, member) = app
        .signed_in("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    app.create_person("Marc Lambert", "marc@cpas-ciney.example", false)
        .await;
    let (status, html) = member.get_html("/personnes?q=lambert").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Marc Lambert"));
    assert!(!html.contains(">Claire Dubois</a></td>"));
    assert!(
        !html.contains("Nouvelle personne"),
        "members do not administer the directory"
    );
}

#[tokio::test]
async fn simultaneous_creations_of_one_name_make_one_organisation_and_form_errors() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Coordination", "coordination@example.org", true)
        .await;
    // Six submissions at once: each may pass the name check before any has written; the
    // database's unique index then refuses the late ones, which must come back as the form's
    // error, not as a failure.
    let csrf = admin.csrf().await;
    let url = admin.url("/organisations");
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let client = admin.client.clone();
        let (url, csrf) = (url.clone(), csrf.clone());
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .form(&[
                    ("name", "Lire et Écrire Namur".to_string()),
                    ("kind", "asbl".to_string()),
                    ("csrf_token", csrf),
                ])
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }));
    }
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            (StatusCode::SEE_OTHER, _) => created += 1,
            (StatusCode::UNPROCESSABLE_ENTITY, page) => {
                assert!(
                    page.contains("Une organisation porte déjà ce nom."),
                    "{page}"
                );
            }
            (other, page) => panic!("neither created nor refused in the form: {other} {page}"),
        }
    }
    assert_eq!(created, 1);
    let named = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Lire et Écrire Namur"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(named, 1);
}
