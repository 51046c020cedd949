use maillage::entities::{login_attempt, person, platform, session};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{PASSWORD, TestApp, location};

#[tokio::test]
async fn signing_in_opens_a_server_side_session_and_signing_out_closes_it() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    let browser = app.visitor();

    let response = browser
        .post_form(
            "/connexion",
            &[
                ("email", "  Claire@CRI-Namur.example "),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("maillage_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http in tests");
    let token = cookie
        .trim_start_matches("maillage_session=")
        .split(';')
        .next()
        .unwrap();
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 1);
    let stored = session::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_ne!(
        stored.token_hash, token,
        "only a hash of the token is stored"
    );

    let (status, html) = browser.get_html("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bonjour Claire Dubois"));

    let response = browser.post_form("/deconnexion", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
    let (_, html) = browser.get_html("/").await;
    assert!(html.contains("Se connecter"));
}

/// The value a response sets for `name` (the last `Set-Cookie` of that name).
fn set_cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        .next_back()
}

#[tokio::test]
async fn a_flash_cookie_not_signed_by_the_server_shows_nothing_and_is_cleared() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    let signed_in = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let genuine = set_cookie_value(&signed_in, "maillage_flash").expect("flash cookie");
    let with_flash = |value: String| {
        let url = app.anonymous.url("/connexion");
        async move {
            reqwest::Client::new()
                .get(url)
                .header("cookie", format!("maillage_flash={value}"))
                .send()
                .await
                .unwrap()
        }
    };
    // The server's own flash is shown (so the refusals below are the signature's doing).
    let shown = with_flash(genuine.clone()).await.text().await.unwrap();
    assert!(shown.contains("Bienvenue, Claire Dubois."), "{shown}");

    // The same encoding without the signature, and the genuine signature over other words.
    let forged_words = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode("eVotre compte est suspendu : écrivez à support@phishing.example");
    let unsigned = forged_words.clone();
    let decoded = genuine
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let resigned = format!("{}{forged_words}", &decoded[..44])
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    for forged in [unsigned, resigned] {
        let response = with_flash(forged.clone()).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            set_cookie_value(&response, "maillage_flash").as_deref(),
            Some(""),
            "a forged flash is cleared: {forged}"
        );
        let page = response.text().await.unwrap();
        assert!(!page.contains("suspendu"), "{forged}: {page}");
        assert!(!page.contains("flash-error"), "{forged}");
    }
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_url_is_https() {
    let app = TestApp::spawn_with(|c| c.base_url = "https://maillage.example.org".into()).await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    let response = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("maillage_session=") && c.contains("Secure"))
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_french_and_keeps_the_email() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    let response = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", "mauvais"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.unwrap();
    assert!(html.contains("Adresse e-mail ou mot de passe incorrect"));
    assert!(html.contains(r#"value="claire@cri-namur.example""#));
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let id = app
        .create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    person::Entity::update_many()
        .col_expr(
            person::Column::Active,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(person::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let response = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_a_while_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    for _ in 0..5 {
        let r = app
            .anonymous
            .post_form(
                "/connexion",
                &[("email", "claire@cri-namur.example"), ("password", "essai")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Trop de tentatives de connexion échouées pour ce compte")
    );
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
    // Another account from another browser on the same address is not locked yet.
    app.create_person("Marc Lambert", "marc@cpas-dinant.example", false)
        .await;
    app.visitor()
        .sign_in("marc@cpas-dinant.example", PASSWORD)
        .await;
}

#[tokio::test]
async fn twenty_failures_from_one_address_lock_that_address() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    for i in 0..20 {
        let email = format!("inconnu{i}@exemple.example");
        let r = app
            .anonymous
            .post_form("/connexion", &[("email", &email), ("password", "x")])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        login_attempt::Entity::find()
            .filter(login_attempt::Column::Succeeded.eq(false))
            .count(&app.db)
            .await
            .unwrap(),
        20
    );
    let response = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("depuis cette adresse")
    );
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_but_never_to_another_site() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    let response = app.anonymous.get("/organisations").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/connexion?suite=/organisations");
    let (_, html) = app
        .anonymous
        .get_html("/connexion?suite=/organisations")
        .await;
    assert!(html.contains(r#"name="suite" value="/organisations""#));

    let r = app
        .anonymous
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
                ("suite", "/organisations"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/organisations");

    let other = app.visitor();
    let r = other
        .post_form(
            "/connexion",
            &[
                ("email", "claire@cri-namur.example"),
                ("password", PASSWORD),
                ("suite", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/");
}

#[tokio::test]
async fn a_post_without_a_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let response = admin
        .post_form_without_csrf(
            "/plateformes",
            &[("name", "Citoyenneté"), ("visibility", "public")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Formulaire expiré"));
    let forged = admin
        .post_form_without_csrf(
            "/plateformes",
            &[
                ("name", "Citoyenneté"),
                ("visibility", "public"),
                ("csrf_token", "forge"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // A token from another browser does not work either.
    let other_token = app.visitor().csrf().await;
    let stolen = admin
        .post_form_without_csrf(
            "/plateformes",
            &[
                ("name", "Citoyenneté"),
                ("visibility", "public"),
                ("csrf_token", &other_token),
            ],
        )
        .await;
    assert_eq!(stolen.status(), StatusCode::FORBIDDEN);
    assert_eq!(platform::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn htmx_requests_carry_the_token_in_a_header_and_are_refused_without_it() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let refused = admin
        .client
        .post(admin.url("/plateformes"))
        .header("HX-Request", "true")
        .form(&[("name", "Citoyenneté"), ("visibility", "public")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(refused.headers()["hx-retarget"], "#messages");
    assert!(refused.text().await.unwrap().contains("Formulaire expiré"));
    let accepted = admin
        .post_htmx(
            "/plateformes",
            &[("name", "Citoyenneté"), ("visibility", "public")],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(platform::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn a_person_changes_their_own_password() {
    let app = TestApp::spawn().await;
    let (id, me) = app
        .signed_in("Claire Dubois", "claire@cri-namur.example", false)
        .await;
    let refused = me
        .post_form(
            "/profil/mot-de-passe",
            &[("current", "faux"), ("new", "court"), ("confirm", "court")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Le mot de passe actuel est incorrect."));
    assert!(html.contains("au moins 10 caractères"));
    let ok = me
        .post_form(
            "/profil/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("new", "un nouveau mot de passe"),
                ("confirm", "un nouveau mot de passe"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ok), format!("/personnes/{id}"));
    app.visitor()
        .sign_in("claire@cri-namur.example", "un nouveau mot de passe")
        .await;
    let stored = person::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.password_hash.unwrap().starts_with("$argon2id$"));
}
