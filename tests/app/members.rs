use maillage::entities::{group_membership, organisation, person, platform_membership};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::helpers::{TestApp, location};

async fn role_of(app: &TestApp, platform: i64, person: i64) -> Option<String> {
    platform_membership::Entity::find()
        .filter(platform_membership::Column::PlatformId.eq(platform))
        .filter(platform_membership::Column::PersonId.eq(person))
        .one(&app.db)
        .await
        .unwrap()
        .map(|m| m.role.as_str().to_string())
}

#[tokio::test]
async fn the_picker_finds_people_by_name_email_or_organisation_and_skips_current_members() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let org = organisation::ActiveModel {
        name: Set("CPAS de Dinant".into()),
        kind: Set(organisation::OrganisationKind::Cpas),
        municipality_id: Set(None),
        website: Set(String::new()),
        archived: Set(false),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;
    person::Entity::update_many()
        .col_expr(
            person::Column::OrganisationId,
            sea_orm::sea_query::Expr::value(org.id),
        )
        .filter(person::Column::Id.eq(amina))
        .exec(&app.db)
        .await
        .unwrap();
    app.create_person("Bruno Collard", "bruno@ili-gembloux.example", false)
        .await;

    let (status, fragment) = coordinator
        .get_htmx("/plateformes/sociojuridique/membres/ajouter?q=dinant")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!fragment.contains("<html"), "htmx gets a fragment");
    assert!(fragment.contains("Amina Benali"));
    assert!(!fragment.contains("Bruno Collard"));
    let (_, by_name) = coordinator
        .get_htmx("/plateformes/sociojuridique/membres/ajouter?q=bruno")
        .await;
    assert!(by_name.contains("Bruno Collard"));
    let (_, members_skipped) = coordinator
        .get_htmx("/plateformes/sociojuridique/membres/ajouter?q=coralie")
        .await;
    assert!(
        members_skipped.contains("Aucune personne"),
        "current members are not offered again"
    );

    // Without JavaScript, the same address is a whole page.
    let (status, page) = coordinator
        .get_html("/plateformes/sociojuridique/membres/ajouter?q=amina")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html") && page.contains("Amina Benali"));
}

#[tokio::test]
async fn adding_a_member_with_htmx_returns_the_updated_panel() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;

    let response = coordinator
        .post_htmx(
            "/plateformes/sociojuridique/membres",
            &[("person_id", &amina.to_string()), ("role", "member")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let fragment = response.text().await.unwrap();
    assert!(
        fragment.starts_with("<section") && fragment.contains(r#"id="membres""#),
        "{fragment}"
    );
    assert!(fragment.contains("Amina Benali ajouté·e à « Sociojuridique » (Membre)."));
    assert!(fragment.contains("Membres (2)"));
    assert_eq!(
        role_of(&app, platform, amina).await.as_deref(),
        Some("member")
    );

    let (_, page) = coordinator.get_html("/plateformes/sociojuridique").await;
    assert!(page.contains("Amina Benali"));
}

#[tokio::test]
async fn adding_a_member_without_javascript_redirects_with_a_message() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let group = app
        .create_group(platform, "Création et partage d'outils communs")
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;
    let response = admin
        .post_form(
            &format!("/gt/{group}/membres"),
            &[("person_id", &amina.to_string()), ("role", "coordinator")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/gt/{group}"));
    let (_, page) = admin.get_html(&format!("/gt/{group}")).await;
    assert!(page.contains("Amina Benali ajouté·e"));
    let link = group_membership::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((link.person_id, link.role.as_str()), (amina, "coordinator"));
}

#[tokio::test]
async fn roles_change_inline_and_an_unknown_role_changes_nothing() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;
    app.add_to_platform(platform, amina, "member").await;

    let path = format!("/plateformes/sociojuridique/membres/{amina}/role");
    let r = admin.post_htmx(&path, &[("role", "observer")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("rôle « Observateur·rice »")
    );
    assert_eq!(
        role_of(&app, platform, amina).await.as_deref(),
        Some("observer")
    );

    let r = admin.post_htmx(&path, &[("role", "owner")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["hx-retarget"], "#messages");
    assert!(r.text().await.unwrap().contains("Ce rôle n'existe pas"));
    let r = admin.post_form(&path, &[("role", "")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text().await.unwrap().contains("<html"),
        "without htmx, a whole page"
    );
    assert_eq!(
        role_of(&app, platform, amina).await.as_deref(),
        Some("observer")
    );

    let r = admin
        .post_htmx(
            "/plateformes/sociojuridique/membres/999999/role",
            &[("role", "member")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn adding_someone_twice_is_refused_and_leaves_one_membership() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;
    app.add_to_platform(platform, amina, "member").await;
    let r = admin
        .post_htmx(
            "/plateformes/sociojuridique/membres",
            &[("person_id", &amina.to_string()), ("role", "member")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("fait déjà partie"));
    let r = admin
        .post_htmx(
            "/plateformes/sociojuridique/membres",
            &[("person_id", "abc"), ("role", "member")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = admin
        .post_htmx(
            "/plateformes/sociojuridique/membres",
            &[("person_id", "424242"), ("role", "member")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        platform_membership::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn removing_a_member_takes_them_off_the_page() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;
    app.add_to_platform(platform, amina, "member").await;
    let r = coordinator
        .post_htmx(
            &format!("/plateformes/sociojuridique/membres/{amina}/retirer"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let fragment = r.text().await.unwrap();
    assert!(fragment.contains("Amina Benali retiré·e"));
    assert!(fragment.contains("Membres (1)"));
    assert_eq!(role_of(&app, platform, amina).await, None);
}

#[tokio::test]
async fn the_platform_page_lists_members_by_organisation_and_names_the_coordination() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let now = chrono::Utc::now();
    let mut org_ids = Vec::new();
    for name in ["Lire et Écrire Namur", "CPAS de Ciney"] {
        let org = organisation::ActiveModel {
            name: Set(name.into()),
            kind: Set(organisation::OrganisationKind::Asbl),
            municipality_id: Set(None),
            website: Set(String::new()),
            archived: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        org_ids.push(org.id);
    }
    for (name, email, org, role) in [
        ("Claire Dubois", "claire@lee.example", 0, "coordinator"),
        ("Marc Lambert", "marc@cpas-ciney.example", 1, "member"),
        ("Sofia Haddad", "sofia@lee.example", 0, "observer"),
    ] {
        let id = app.create_person(name, email, false).await;
        person::Entity::update_many()
            .col_expr(
                person::Column::OrganisationId,
                sea_orm::sea_query::Expr::value(org_ids[org]),
            )
            .filter(person::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
        app.add_to_platform(platform, id, role).await;
    }
    let (_, visitor_page) = app.anonymous.get_html("/plateformes/citoyennete").await;
    assert!(visitor_page.contains("<li>CPAS de Ciney<span class=\"muted\"> (1)</span></li>"));
    assert!(
        !visitor_page.contains("Marc Lambert"),
        "visitors see organisations, not people"
    );
    assert!(
        !visitor_page.contains("picker-q"),
        "visitors get no management tools"
    );
    let (_, member) = app.signed_in("Mina", "mina@x.example", false).await;
    let (_, page) = member.get_html("/plateformes/citoyennete").await;
    let ciney = page
        .find("<h3>CPAS de Ciney</h3>")
        .expect("organisation heading");
    let lee = page
        .find("<h3>Lire et Écrire Namur</h3>")
        .expect("organisation heading");
    assert!(ciney < lee, "organisations in alphabetical order");
    let marc = page.find("Marc Lambert</a>").unwrap();
    let sofia = page.rfind("Sofia Haddad</a>").unwrap();
    assert!(ciney < marc && marc < lee && lee < sofia);
    assert!(page.contains("<strong>Coordination : </strong><a href=\"/personnes/"));
    assert!(
        !page.contains("picker-q"),
        "visitors get no management tools"
    );
}
