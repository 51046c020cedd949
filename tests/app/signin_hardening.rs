//! Sign-in under attack (issue #9, items 1–7 and 14): simultaneous attempts, lock-outs from
//! another address, reverse proxies, open redirects, sessions after a password change, stale
//! cookies, `create-admin` without the password on the command line, slow clients.

use std::io::Write;
use std::net::IpAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use maillage::auth::{password, sessions};
use maillage::entities::{login_attempt, session};
use maillage::web::client_ip::parse_list;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::redirect::Policy;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{PASSWORD, TestApp, extract_csrf, location};

const OWNER: &str = "claire@cri-namur.example";

/// A browser whose connections leave from a chosen loopback address (127.0.0.2 is another
/// client for the server), optionally sending `X-Forwarded-For`.
#[derive(Clone)]
struct Browser {
    client: reqwest::Client,
    base: String,
    csrf: Arc<String>,
}

impl Browser {
    async fn new(app: &TestApp, from: &str, forwarded_for: Option<&str>) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(hop) = forwarded_for {
            headers.insert("x-forwarded-for", HeaderValue::from_str(hop).unwrap());
        }
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .local_address(from.parse::<IpAddr>().unwrap())
            .default_headers(headers)
            .build()
            .unwrap();
        let html = client
            .get(format!("{}/bureaux", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Self {
            client,
            base: app.address.clone(),
            csrf: Arc::new(extract_csrf(&html).expect("csrf meta tag")),
        }
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all = fields.to_vec();
        all.push(("csrf_token", self.csrf.as_str()));
        self.client
            .post(format!("{}{path}", self.base))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post("/connexion", &[("email", email), ("password", password)])
            .await
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }
}

/// The value of the last `Set-Cookie` of `name` in a response (what the browser keeps).
fn cookie_set(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        .next_back()
}

async fn attempts_from(app: &TestApp, address: &str) -> u64 {
    login_attempt::Entity::find()
        .filter(login_attempt::Column::Ip.eq(address))
        .count(&app.db)
        .await
        .unwrap()
}

// --- 1. simultaneous attempts -------------------------------------------------------------

#[tokio::test]
async fn sixty_simultaneous_wrong_passwords_for_one_account_get_only_five_checks() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", OWNER, false).await;
    let attacker = Browser::new(&app, "127.0.0.1", None).await;

    let attempts: Vec<_> = (0..60)
        .map(|i| {
            let attacker = attacker.clone();
            tokio::spawn(async move {
                attacker
                    .sign_in(OWNER, &format!("essai numero {i}"))
                    .await
                    .status()
            })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((checked, refused), (5, 55));
    // One row per password actually checked, none for the refused ones.
    assert_eq!(attempts_from(&app, "127.0.0.1").await, 5);
    // The checks that ran never exceeded the bound (the server runs in this process).
    assert!(
        password::most_at_once() <= password::max_at_once(),
        "{} password checks ran at once (bound {})",
        password::most_at_once(),
        password::max_at_once()
    );
}

// --- 2. throttling per (account, address) -------------------------------------------------

#[tokio::test]
async fn five_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", OWNER, false).await;
    let attacker = Browser::new(&app, "127.0.0.2", None).await;
    for _ in 0..5 {
        assert_eq!(
            attacker.sign_in(OWNER, "essai").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The attacker's address waits, even with the right password…
    let refused = attacker.sign_in(OWNER, PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("pour ce compte depuis cette adresse"),
        "{html}"
    );
    assert!(html.contains("Réessayez dans 1 minute"), "{html}");

    // …while the owner, elsewhere, signs in.
    let owner = Browser::new(&app, "127.0.0.1", None).await;
    let response = owner.sign_in(OWNER, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(owner.get("/organisations").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_further_failure_from_an_address_doubles_the_wait() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", OWNER, false).await;
    // Five failures a minute and a half ago: the one-minute wait is over.
    for _ in 0..5 {
        login_attempt::ActiveModel {
            email_normalized: Set(OWNER.into()),
            ip: Set("127.0.0.1".into()),
            succeeded: Set(false),
            attempted_at: Set(Utc::now() - chrono::Duration::seconds(90)),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let browser = Browser::new(&app, "127.0.0.1", None).await;
    assert_eq!(
        browser.sign_in(OWNER, "encore faux").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The sixth failure asks for two minutes, right password or not.
    let refused = browser.sign_in(OWNER, PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((61..=120).contains(&retry_after), "{retry_after}");
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Réessayez dans 2 minutes")
    );
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn twenty_failures_from_an_address_refuse_every_account_there_and_only_there() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", OWNER, false).await;
    let sprayer = Browser::new(&app, "127.0.0.2", None).await;
    for i in 0..20 {
        let email = format!("inconnu{i}@exemple.example");
        assert_eq!(
            sprayer.sign_in(&email, "x").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = sprayer.sign_in(OWNER, PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("échouées depuis cette adresse")
    );
    let owner = Browser::new(&app, "127.0.0.1", None).await;
    assert_eq!(
        owner.sign_in(OWNER, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

// --- 3. trusted proxies ----------------------------------------------------------------------

#[tokio::test]
async fn behind_a_trusted_proxy_throttling_follows_the_forwarded_address() {
    let app = TestApp::spawn_with(|c| c.trusted_proxies = parse_list("127.0.0.1").unwrap()).await;
    app.create_person("Claire Dubois", OWNER, false).await;
    let attacker = Browser::new(&app, "127.0.0.1", Some("198.51.100.1, 203.0.113.7")).await;
    for _ in 0..5 {
        assert_eq!(
            attacker.sign_in(OWNER, "essai").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(attempts_from(&app, "203.0.113.7").await, 5);
    assert_eq!(attempts_from(&app, "127.0.0.1").await, 0);
    assert_eq!(
        attacker.sign_in(OWNER, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client through the same proxy is another address.
    let owner = Browser::new(&app, "127.0.0.1", Some("203.0.113.8")).await;
    assert_eq!(
        owner.sign_in(OWNER, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn forwarded_headers_from_a_peer_that_is_not_trusted_are_ignored() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", OWNER, false).await;
    let attacker = Browser::new(&app, "127.0.0.1", Some("203.0.113.7")).await;
    for _ in 0..5 {
        assert_eq!(
            attacker.sign_in(OWNER, "essai").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(attempts_from(&app, "127.0.0.1").await, 5);
    assert_eq!(attempts_from(&app, "203.0.113.7").await, 0);
    // Claiming another address does not escape the throttle.
    let same = Browser::new(&app, "127.0.0.1", Some("203.0.113.8")).await;
    assert_eq!(
        same.sign_in(OWNER, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

// --- 4. open redirect -------------------------------------------------------------------------

const OFF_SITE: [&str; 9] = [
    "/%09/evil.example/x",
    "/%0A/evil.example/x",
    "/%0D/evil.example/x",
    "%09//evil.example",
    "/%5C/evil.example",
    "%5C%5Cevil.example",
    "//evil.example/",
    "/%20/evil.example",
    "https://evil.example/",
];

#[tokio::test]
async fn sign_in_never_sends_anyone_to_another_origin() {
    let app = TestApp::spawn().await;
    let (_, me) = app.signed_in("Claire Dubois", OWNER, false).await;
    for suite in OFF_SITE {
        // Signed in: the sign-in page sends straight on.
        let response = me.get(&format!("/connexion?suite={suite}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{suite}");
        assert_eq!(location(&response), "/", "{suite}");
        // Signed out: the form carries home, not the address given.
        let (status, html) = app
            .anonymous
            .get_html(&format!("/connexion?suite={suite}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{suite}");
        assert!(html.contains(r#"name="suite" value="/""#), "{suite}");
    }
    // The form's own field, decoded, goes home too.
    let browser = Browser::new(&app, "127.0.0.1", None).await;
    let response = browser
        .post(
            "/connexion",
            &[
                ("email", OWNER),
                ("password", PASSWORD),
                ("suite", "/\n/evil.example/x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn sign_in_still_returns_to_a_local_page_with_its_query() {
    let app = TestApp::spawn().await;
    let (_, me) = app.signed_in("Claire Dubois", OWNER, false).await;
    let response = me.get("/connexion?suite=%2Freunions%2F3%3Fx%3D1").await;
    assert_eq!(location(&response), "/reunions/3?x=1");
    let browser = Browser::new(&app, "127.0.0.1", None).await;
    let response = browser
        .post(
            "/connexion",
            &[
                ("email", OWNER),
                ("password", PASSWORD),
                ("suite", "/reunions/3?x=1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/reunions/3?x=1");
}

// --- 5. password change ------------------------------------------------------------------------

#[tokio::test]
async fn changing_ones_password_ends_every_other_session_and_renews_this_one() {
    let app = TestApp::spawn().await;
    let id = app.create_person("Claire Dubois", OWNER, false).await;
    let here = Browser::new(&app, "127.0.0.1", None).await;
    let signed_in = here.sign_in(OWNER, PASSWORD).await;
    let old_token = cookie_set(&signed_in, "maillage_session").unwrap();
    let elsewhere = Browser::new(&app, "127.0.0.2", None).await;
    assert_eq!(
        elsewhere.sign_in(OWNER, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        elsewhere.get("/organisations").await.status(),
        StatusCode::OK
    );

    let changed = here
        .post(
            "/profil/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("new", "un nouveau mot de passe"),
                ("confirm", "un nouveau mot de passe"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let new_token = cookie_set(&changed, "maillage_session").unwrap();
    assert!(!new_token.is_empty());
    assert_ne!(new_token, old_token);

    // Only the new session is left.
    let left = session::Entity::find()
        .filter(session::Column::PersonId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].token_hash, sessions::hash_token(&new_token));
    // The changer stays signed in; the other browser and the old token are signed out.
    assert_eq!(here.get("/organisations").await.status(), StatusCode::OK);
    let response = elsewhere.get("/organisations").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/connexion"));
    let replay = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/organisations", app.address))
        .header("cookie", format!("maillage_session={old_token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
}

// --- 6. stale session cookie -------------------------------------------------------------------

#[tokio::test]
async fn signing_in_with_a_stale_session_cookie_stays_signed_in() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", OWNER, false).await;
    let browser = Browser::new(&app, "127.0.0.1", None).await;
    assert_eq!(
        browser.sign_in(OWNER, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    // The session ends on the server (expired, or closed elsewhere); the cookie stays.
    session::Entity::delete_many().exec(&app.db).await.unwrap();

    let again = browser.sign_in(OWNER, PASSWORD).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let kept = cookie_set(&again, "maillage_session").unwrap();
    assert!(!kept.is_empty(), "the new session cookie is the last word");
    assert_eq!(browser.get("/organisations").await.status(), StatusCode::OK);
}

// --- 7. create-admin without the password on the command line ----------------------------------

fn create_admin_with_stdin(database_url: &str, stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args([
            "create-admin",
            "--email",
            "direction@cri-namur.example",
            "--name",
            "Direction du CRI",
        ])
        .env("DATABASE_URL", database_url)
        .env("MAILLAGE_CONFIG", "/nonexistent/maillage.toml")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn create_admin_reads_the_password_from_standard_input() {
    let app = TestApp::spawn().await;
    let (ok, text) = create_admin_with_stdin(&app.database_url, "");
    assert!(!ok, "an empty password is refused: {text}");
    assert!(text.contains("au moins 10 caractères"), "{text}");

    let (ok, text) = create_admin_with_stdin(&app.database_url, "une phrase lue au clavier\n");
    assert!(ok, "{text}");
    assert!(!text.contains("une phrase lue au clavier"), "{text}");
    let browser = Browser::new(&app, "127.0.0.1", None).await;
    assert_eq!(
        browser
            .sign_in("direction@cri-namur.example", "une phrase lue au clavier")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(browser.get("/admin/journal").await.status(), StatusCode::OK);
}

// --- 14. slow clients --------------------------------------------------------------------------

/// Reads until the server closes the connection; `None` if it has not within `limit`.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    tokio::time::timeout(limit, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .ok()?;
    Some(received)
}

fn host_port(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_string()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = TestApp::spawn_with(|c| c.header_timeout_secs = 1).await;
    let mut partial = TcpStream::connect(host_port(&app)).await.unwrap();
    partial
        .write_all(b"GET /bureaux HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(host_port(&app)).await.unwrap();

    let closed = read_until_closed(&mut partial, Duration::from_secs(20)).await;
    assert!(closed.is_some(), "the server kept a half-sent request open");
    let closed = read_until_closed(&mut silent, Duration::from_secs(20)).await;
    assert!(closed.is_some(), "the server kept a silent connection open");
    // A client that sends its request in time is served.
    assert_eq!(app.anonymous.get("/bureaux").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn connections_over_the_limit_wait_until_one_ends() {
    let app = TestApp::spawn_with(|c| {
        c.max_connections = 1;
        c.header_timeout_secs = 60;
    })
    .await;
    let mut first = TcpStream::connect(host_port(&app)).await.unwrap();
    first.write_all(b"GET /bureaux HTTP/1.1\r\n").await.unwrap();
    let mut second = TcpStream::connect(host_port(&app)).await.unwrap();
    second
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    // While the only slot is taken, the second client gets nothing.
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), second.read(&mut byte)).await;
    assert!(early.is_err(), "served over the limit: {early:?}");
    // The first one leaves: the second is served.
    drop(first);
    let answer = read_until_closed(&mut second, Duration::from_secs(20))
        .await
        .expect("served once a slot is free");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn an_idle_connection_between_requests_is_closed_after_the_header_timeout() {
    let app = TestApp::spawn_with(|c| c.header_timeout_secs = 1).await;
    let mut kept_alive = TcpStream::connect(host_port(&app)).await.unwrap();
    kept_alive
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    // Answered, then (no next request) closed rather than held open.
    let received = read_until_closed(&mut kept_alive, Duration::from_secs(20))
        .await
        .expect("an idle keep-alive connection is closed");
    let received = String::from_utf8_lossy(&received);
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
}
