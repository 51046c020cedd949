//! `TestApp::spawn()`: the real app (router, middleware, sessions) on a random port, on a brand
//! new database — a temporary SQLite file, or, when `TEST_DATABASE_URL` is set, a fresh
//! PostgreSQL database created here and dropped when the test ends.
//!
//! Waiting for anything that happens in the background (mail, a child process, a browser) goes
//! through `eventually`, bounded by `PATIENCE`: no test body sleeps for a fixed time.

pub mod chrome;
pub mod logs;
pub mod smtp;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use maillage::app::{self, AppState};
use maillage::config::Config;
use maillage::entities::outbox_message::OutboxStatus;
use maillage::entities::person::Language;
use maillage::entities::platform::Visibility;
use maillage::entities::working_group::GroupStatus;
use maillage::entities::{
    group_membership, outbox_message, person, platform, platform_membership, working_group,
};
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, Set};

pub const PASSWORD: &str = "mot-de-passe-solide";

/// A test database that drops itself.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside async: a short-lived runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(db) = Database::connect(&admin_url).await {
                    let _ = db
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    pub database_url: String,
    /// The running app's state, so that tests can drive its mail worker (`drain_outbox`).
    pub state: AppState,
    /// An anonymous browser; `visitor()` makes more.
    pub anonymous: Visitor,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    pub mail_dir: tempfile::TempDir,
    // Dropped last: the database outlives the server.
    _pg: Option<PgDatabase>,
    _dir: Option<tempfile::TempDir>,
}

pub fn init_logs() {
    logs::init();
}

/// A fresh, empty database (migrations not yet applied): its URL, and what removes it when the
/// value is dropped.
pub struct EmptyDatabase {
    pub url: String,
    _pg: Option<PgDatabase>,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh, empty database, as every `TestApp` gets, for tests that apply migrations themselves.
pub async fn empty_database() -> EmptyDatabase {
    let (url, pg, dir) = fresh_database().await;
    EmptyDatabase {
        url,
        _pg: pg,
        _dir: dir,
    }
}

/// A fresh, empty database URL (migrations not yet applied), with its guards.
async fn fresh_database() -> (String, Option<PgDatabase>, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("maillage_t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            admin.close().await.expect("close admin connection");
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL has a database name");
            let url = format!("{base}/{name}");
            (url, Some(PgDatabase { admin_url, name }), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
            (url, None, Some(dir))
        }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        init_logs();
        let (database_url, pg, dir) = fresh_database().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("addr"));
        let mail_dir = tempfile::tempdir().expect("outbox dir");
        let mut config = Config::for_database(&database_url);
        config.base_url = address.clone();
        config.outbox_dir = mail_dir.path().join("outbox").display().to_string();
        config.mail_retry_secs = 1;
        config.mail_poll_ms = 100;
        adjust(&mut config);
        let state = AppState::start(config).await.expect("start app");
        let db = state.db.clone();
        let kept = state.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let _ = app::serve(state, listener, async move {
                let _ = rx.await;
            })
            .await;
        });
        TestApp {
            anonymous: Visitor::new(&address),
            address,
            db,
            database_url,
            state: kept,
            shutdown: Some(tx),
            server: Some(server),
            mail_dir,
            _pg: pg,
            _dir: dir,
        }
    }

    /// A second app instance on the same database (as behind a load balancer): its own server,
    /// its own mail worker. Returns its address and a handle that stops it when dropped.
    pub async fn second_instance(
        &self,
        adjust: impl FnOnce(&mut Config),
    ) -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("addr"));
        let mut config = Config::for_database(&self.database_url);
        config.base_url = self.address.clone();
        config.outbox_dir = self.mail_dir.path().join("outbox-2").display().to_string();
        config.mail_retry_secs = 1;
        config.mail_poll_ms = 100;
        adjust(&mut config);
        let state = AppState::start(config)
            .await
            .expect("start second instance");
        let server = tokio::spawn(async move {
            let _ = app::serve(state, listener, std::future::pending()).await;
        });
        (address, server)
    }

    pub fn visitor(&self) -> Visitor {
        Visitor::new(&self.address)
    }

    /// Stops the server, finishing requests in flight.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    // --- builders: data straight into the database --------------------------------------

    pub async fn create_person(&self, name: &str, email: &str, admin: bool) -> i64 {
        let hash = maillage::auth::password::hash(PASSWORD).expect("hash");
        let now = Utc::now();
        person::ActiveModel {
            name: Set(name.into()),
            email: Set(email.into()),
            email_normalized: Set(email.to_lowercase()),
            organisation_id: Set(None),
            language: Set(Language::Fr),
            active: Set(true),
            is_admin: Set(admin),
            password_hash: Set(Some(hash)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert person")
        .id
    }

    pub async fn create_platform(&self, name: &str, slug: &str, public: bool) -> i64 {
        let now = Utc::now();
        platform::ActiveModel {
            name: Set(name.into()),
            slug: Set(slug.into()),
            theme: Set(String::new()),
            description: Set(String::new()),
            visibility: Set(if public {
                Visibility::Public
            } else {
                Visibility::Members
            }),
            archived: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert platform")
        .id
    }

    pub async fn create_group(&self, platform_id: i64, name: &str) -> i64 {
        let now = Utc::now();
        working_group::ActiveModel {
            platform_id: Set(platform_id),
            name: Set(name.into()),
            mandate: Set(String::new()),
            status: Set(GroupStatus::Active),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert group")
        .id
    }

    pub async fn add_to_platform(&self, platform_id: i64, person_id: i64, role: &str) {
        platform_membership::ActiveModel {
            platform_id: Set(platform_id),
            person_id: Set(person_id),
            role: Set(role.parse().expect("a role")),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert platform membership");
    }

    pub async fn add_to_group(&self, group_id: i64, person_id: i64, role: &str) {
        group_membership::ActiveModel {
            working_group_id: Set(group_id),
            person_id: Set(person_id),
            role: Set(role.parse().expect("a role")),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert group membership");
    }

    /// A person with an account, signed in in a new browser.
    pub async fn signed_in(&self, name: &str, email: &str, admin: bool) -> (i64, Visitor) {
        let id = self.create_person(name, email, admin).await;
        let visitor = self.visitor();
        visitor.sign_in(email, PASSWORD).await;
        (id, visitor)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// A browser: its own cookie jar, no automatic redirects (tests look at them).
pub struct Visitor {
    pub client: reqwest::Client,
    pub base: String,
    csrf: Mutex<Option<String>>,
}

/// Form fields built with owned values, as `post_form` takes them.
pub fn as_pairs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = r#"<meta name="csrf-token" content=""#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

impl Visitor {
    pub fn new(base: &str) -> Self {
        Self {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("client"),
            base: base.to_string(),
            csrf: Mutex::new(None),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// The CSRF token of this browser (from any page's meta tag).
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.csrf.lock().expect("lock").clone() {
            return token;
        }
        let (_, html) = self.get_html("/bureaux").await;
        let token = extract_csrf(&html).expect("csrf meta tag");
        *self.csrf.lock().expect("lock") = Some(token.clone());
        token
    }

    /// A form POST with the CSRF token, like a browser without JavaScript.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// A form POST without any token (or with the given one).
    pub async fn post_form_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// What htmx sends: the token in a header, `HX-Request: true`.
    pub async fn post_htmx(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        self.client
            .post(self.url(path))
            .header("HX-Request", "true")
            .header("X-CSRF-Token", token)
            .form(fields)
            .send()
            .await
            .expect("POST htmx")
    }

    pub async fn get_htmx(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .client
            .get(self.url(path))
            .header("HX-Request", "true")
            .send()
            .await
            .expect("GET htmx");
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        let response = self
            .post_form("/connexion", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {email} should succeed"
        );
    }
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Schedules a meeting through the form, confirming past clash warnings; returns its id.
pub async fn schedule_meeting(visitor: &Visitor, fields: &[(&str, &str)]) -> i64 {
    let mut fields = fields.to_vec();
    fields.push(("confirm_clash", "1"));
    let response = visitor.post_form("/reunions", &fields).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap_or_default()
    );
    location(&response)
        .trim_start_matches("/reunions/")
        .parse()
        .expect("meeting id")
}

impl TestApp {
    /// As `spawn`, also handing back the app's state (to look at what it keeps in memory, such
    /// as the feed cache).
    pub async fn spawn_with_state() -> (TestApp, AppState) {
        let app = Self::spawn().await;
        let state = app.state.clone();
        (app, state)
    }
}

// --- waiting: the one place where tests wait for something to happen -------------------------

/// The longest a test waits for anything in the background (mail, with its retries backing off
/// 1 s, 2 s, 4 s… here; a child process; a browser) before it fails.
pub const PATIENCE: Duration = Duration::from_secs(60);
/// How often a condition is looked at again. Short, so that a test which must act between two
/// steps of the app (stop the SMTP server mid-batch) gets the chance to.
const POLL: Duration = Duration::from_millis(10);

/// Polls `probe` until it gives `Ok`, and returns that; after `PATIENCE` the test fails, naming
/// `what` it waited for and the last thing `probe` saw (its `Err`).
pub async fn eventually<T>(what: &str, mut probe: impl AsyncFnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(seen) if Instant::now() > deadline => {
                panic!("waited {PATIENCE:?} for {what}; last seen: {seen}")
            }
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

impl TestApp {
    /// Runs the mail worker (passes of it, beside the app's own worker) until the outbox holds
    /// nothing waiting: every message sent or failed for good. Returns the whole outbox. Then a
    /// test can count what was sent, knowing nothing more is on its way.
    pub async fn drain_outbox(&self) -> Vec<outbox_message::Model> {
        self.drain_outbox_until("nothing else", async || true).await
    }

    /// `drain_outbox`, also until `condition` holds (for mail that the worker itself decides
    /// to send, such as reminders).
    pub async fn drain_outbox_until(
        &self,
        what: &str,
        mut condition: impl AsyncFnMut() -> bool,
    ) -> Vec<outbox_message::Model> {
        eventually(&format!("the outbox to empty, and {what}"), async || {
            maillage::mail::outbox::pass(&self.state)
                .await
                .map_err(|e| format!("worker pass failed: {e}"))?;
            let outbox = outbox_message::Entity::find()
                .all(&self.db)
                .await
                .map_err(|e| e.to_string())?;
            let waiting: Vec<String> = outbox
                .iter()
                .filter(|m| matches!(m.status, OutboxStatus::Pending | OutboxStatus::Sending))
                .map(|m| {
                    format!(
                        "{} to {} ({}: {})",
                        m.kind, m.recipient, m.status, m.last_error
                    )
                })
                .collect();
            if !waiting.is_empty() {
                return Err(format!("still waiting: {waiting:?}"));
            }
            if !condition().await {
                return Err(format!("the outbox is empty but not yet {what}"));
            }
            Ok(outbox)
        })
        .await
    }
}

// --- the meeting form --------------------------------------------------------------------------

/// The meeting form as a test fills it: a public network plenary unless told otherwise, with
/// just the fields set here (so a test names only what matters to it). `pairs()` is what
/// `post_form` takes; `schedule()` creates the meeting.
#[derive(Clone, Debug)]
pub struct MeetingForm {
    fields: Vec<(&'static str, String)>,
}

impl MeetingForm {
    pub fn new(title: &str) -> Self {
        Self {
            fields: vec![
                ("scope", "network".into()),
                ("kind", "plenary".into()),
                ("title", title.into()),
                ("visibility", "public".into()),
            ],
        }
    }

    /// Sets `key` (replacing what it held), for the fields without a method of their own.
    pub fn set(mut self, key: &'static str, value: impl ToString) -> Self {
        let value = value.to_string();
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some(field) => field.1 = value,
            None => self.fields.push((key, value)),
        }
        self
    }

    /// "network", "platform:ID" or "group:ID".
    pub fn scope(self, scope: &str) -> Self {
        self.set("scope", scope)
    }

    pub fn platform(self, platform_id: i64) -> Self {
        self.set("scope", format!("platform:{platform_id}"))
    }

    pub fn group(self, group_id: i64) -> Self {
        self.set("scope", format!("group:{group_id}"))
    }

    pub fn kind(self, kind: &str) -> Self {
        self.set("kind", kind)
    }

    /// The day, "YYYY-MM-DD" (or a `NaiveDate`).
    pub fn on(self, date: impl ToString) -> Self {
        self.set("date", date)
    }

    pub fn from(self, start_time: &str) -> Self {
        self.set("start_time", start_time)
    }

    pub fn to(self, end_time: &str) -> Self {
        self.set("end_time", end_time)
    }

    pub fn members_only(self) -> Self {
        self.set("visibility", "members")
    }

    pub fn place(self, name: &str) -> Self {
        self.set("place_name", name)
    }

    /// Registration open, up to `capacity` people ("" for no limit).
    pub fn registration(self, capacity: &str) -> Self {
        self.set("registration_open", "on")
            .set("capacity", capacity)
    }

    pub fn status(self, status: &str) -> Self {
        self.set("status", status)
    }

    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    /// Schedules it through the form (past clash warnings); returns its id.
    pub async fn schedule(&self, visitor: &Visitor) -> i64 {
        schedule_meeting(visitor, &self.pairs()).await
    }
}

// --- skipped tests -----------------------------------------------------------------------------

/// Says that a test did not run because `what` is missing on this machine, and how to install
/// it. Written straight to stderr, past the test harness's capture, so that a plain `cargo test`
/// shows it. (Under CI the tools are required — MAILLAGE_REQUIRE_PYTHON, MAILLAGE_REQUIRE_BROWSER
/// — and the caller fails instead of skipping.)
pub fn skipped(what: &str, install: &str) {
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("un test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "IGNORÉ : {test} — manque sur cette machine : {what} (pour le lancer : {install})"
    );
}

/// A loopback port free when asked (for a server the test starts itself).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
