use maillage::entities::{audit_entry, platform};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{TestApp, location};

#[tokio::test]
async fn an_administrator_creates_a_platform_that_then_shows_in_the_list_and_the_audit_log() {
    let app = TestApp::spawn().await;
    let (admin_id, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let (status, form) = admin.get_html("/plateformes/nouvelle").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(r#"<label for="name">Nom"#),
        "every field has a label"
    );

    let response = admin
        .post_form(
            "/plateformes",
            &[
                ("name", "Sociojuridique"),
                ("slug", ""),
                (
                    "theme",
                    "Accompagnement social et juridique en droit des étrangers",
                ),
                (
                    "description",
                    "18 organisations.\n\nTrois groupes de travail.",
                ),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/plateformes/sociojuridique");

    let (_, page) = admin.get_html("/plateformes/sociojuridique").await;
    assert!(
        page.contains("Plateforme « Sociojuridique » créée"),
        "flash message shown once"
    );
    assert!(page.contains("<p>18 organisations.</p><p>Trois groupes de travail.</p>"));
    let (_, again) = admin.get_html("/plateformes/sociojuridique").await;
    assert!(
        !again.contains("créée. Ajoutez-y"),
        "the flash is gone on the next page"
    );

    let (_, list) = app.anonymous.get_html("/plateformes").await;
    assert!(list.contains("Sociojuridique"));

    let entry = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("plateforme"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.actor_id, Some(admin_id));
    assert_eq!(entry.action, "créer");
    let (_, journal) = admin.get_html("/admin/journal").await;
    assert!(journal.contains("Plateforme « Sociojuridique » créée"));
}

#[tokio::test]
async fn an_empty_name_is_refused_with_the_error_next_to_the_field_and_the_typing_kept() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let response = admin
        .post_form(
            "/plateformes",
            &[
                ("name", "   "),
                ("theme", "Un thème <tapé> à garder"),
                ("description", "Texte & détails"),
                ("visibility", "members"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<p class="field-error" id="name-erreur">Le nom est obligatoire.</p>"#)
    );
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(
        html.contains("Un thème &lt;tapé&gt; à garder"),
        "typed text kept, escaped"
    );
    assert!(html.contains("Texte &amp; détails"));
    assert!(html.contains(r#"<option value="members" selected>"#));
    assert_eq!(platform::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_duplicate_name_or_slug_is_refused() {
    let app = TestApp::spawn().await;
    app.create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let response = admin
        .post_form(
            "/plateformes",
            &[("name", "Citoyenneté"), ("visibility", "public")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Une plateforme porte déjà ce nom."));
    assert!(html.contains("Cette adresse courte est déjà utilisée"));
    let bad_slug = admin
        .post_form(
            "/plateformes",
            &[
                ("name", "Autre"),
                ("slug", "Pas Valide!"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(bad_slug.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_visibility = admin
        .post_form(
            "/plateformes",
            &[("name", "Autre"), ("visibility", "secret")],
        )
        .await;
    assert_eq!(bad_visibility.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(platform::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn members_only_platforms_are_hidden_from_visitors_and_outsiders() {
    let app = TestApp::spawn().await;
    let private = app
        .create_platform("Sans-papiers", "sans-papiers", false)
        .await;
    app.create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let (_, list) = app.anonymous.get_html("/plateformes").await;
    assert!(list.contains("Citoyenneté"));
    assert!(!list.contains("Sans-papiers"));
    let response = app.anonymous.get("/plateformes/sans-papiers").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (_, outsider) = app
        .signed_in("Olivier", "olivier@asbl.example", false)
        .await;
    let (_, list) = outsider.get_html("/plateformes").await;
    assert!(!list.contains("Sans-papiers"));
    assert_eq!(
        outsider.get("/plateformes/sans-papiers").await.status(),
        StatusCode::FORBIDDEN
    );

    let (member_id, member) = app.signed_in("Mina", "mina@asbl.example", false).await;
    app.add_to_platform(private, member_id, "member").await;
    let (status, page) = member.get_html("/plateformes/sans-papiers").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("réservée aux membres"));
}

#[tokio::test]
async fn a_coordinator_edits_the_platform_and_an_archived_platform_becomes_read_only() {
    let app = TestApp::spawn().await;
    let id = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let (coord_id, coordinator) = app
        .signed_in("Coralie", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(id, coord_id, "coordinator").await;

    let r = coordinator
        .post_form(
            "/plateformes/citoyennete",
            &[
                ("name", "Citoyenneté (FIC)"),
                ("slug", "citoyennete"),
                ("theme", "Formateurs FIC"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let saved = platform::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.name, "Citoyenneté (FIC)");
    assert_eq!(saved.theme, "Formateurs FIC");

    assert_eq!(
        coordinator
            .post_form("/plateformes/citoyennete/archiver", &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    assert_eq!(
        admin
            .post_form("/plateformes/citoyennete/archiver", &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        platform::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .archived
    );

    let r = coordinator
        .post_form(
            "/plateformes/citoyennete",
            &[("name", "Autre nom"), ("visibility", "public")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (status, page) = coordinator.get_html("/plateformes/citoyennete").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "members still read an archived platform"
    );
    assert!(page.contains("archivée"));
    assert_eq!(
        app.anonymous.get("/plateformes/citoyennete").await.status(),
        StatusCode::SEE_OTHER
    );

    assert_eq!(
        admin
            .post_form("/plateformes/citoyennete/reactiver", &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        !platform::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .archived
    );
}

#[tokio::test]
async fn user_text_is_always_escaped() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let r = admin
        .post_form(
            "/plateformes",
            &[
                ("name", "<script>alert(1)</script>"),
                ("slug", "xss"),
                ("description", "<img src=x onerror=alert(1)>"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.anonymous.get_html("/plateformes/xss").await;
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"));
}
