//! Benchmark of the calendar feeds (issue: "a feed of 2,000 meetings, a tenth of them recurring,
//! on SQLite").
//!
//! `cargo bench --bench feeds`: a temporary SQLite database, the real app in-process on a
//! loopback port (its own multi-thread tokio runtime, 2 worker threads), 2,000 public meetings of
//! one public platform written straight through the entities the way `meetings::edit::apply()`
//! writes them, then a bounded load generator (reqwest, loopback only, stops by itself):
//!
//! 1. latency of 50 sequential requests (median, p95) for the full feed as served (kept in memory
//!    for the current calendar version), the feed built again after a coordinator's edit of one
//!    meeting (written before each request, outside the timing: only that meeting is read and
//!    rewritten), the feed's first request after a restart (built feeds forgotten, the meetings'
//!    VEVENTs written ahead as `feeds::warm` does at start), the feed written from scratch
//!    (nothing kept), a static file holding the feed's own bytes served by the same process and
//!    stack (`ServeFile`), the feed with `If-None-Match` (304) and `/healthz`;
//! 2. requests per second with 8 concurrent clients for 5 s on each of those (edits included),
//!    and, for information, the same bytes sent by a bare in-memory handler, and the feed and the
//!    static file with `Accept-Encoding: gzip`; also one meeting's own `.ics`
//!    (`/reunions/{id}/evenement.ics`, served outside the session middleware): as kept in memory,
//!    written again for each request, and with `If-None-Match` (304), against its target of
//!    3,500 requests/s;
//! 3. the pairs the targets compare, timed alternately (304 and `/healthz` 1,000 times each,
//!    builds and the static file 30 to 200 times each, also both with gzip), so that the
//!    machine's other work weighs on both alike: the ratios come from these.
//!
//! It then times the pieces in-process (version lookup, a build reading all the feed's meetings
//! with their VEVENTs kept, a build from scratch), prints a table and the ratios against the
//! targets (feed/static ≤ 3×, 304/healthz ≤ 1.5×), and writes everything as JSON to
//! `target/bench-feeds.json`. Nothing is asserted: performance is measured, not tested.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/seed.rs"]
mod seed;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::middleware::from_fn;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maillage::app::{self, AppState};
use maillage::calendar::{self, feeds};
use maillage::config::Config;
use maillage::entities::{meeting, platform};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use seed::{MEETINGS, SERIES, Seeded, seed};
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeFile;

const SERVER_THREADS: usize = 2;
const CONCURRENCY: usize = 8;
const LOAD_SECONDS: u64 = 5;
const SEQUENTIAL: usize = 50;
const FEED_PATH: &str = "/agenda/plateformes/sociojuridique.ics";
const STATIC_PATH: &str = "/bench/static.ics";
/// The feed's bytes held in memory: what a feed cached by ETag would send after its validators.
const MEMORY_PATH: &str = "/bench/memoire.ics";
static IN_MEMORY: OnceLock<Bytes> = OnceLock::new();

/// Targets of the issue.
const TARGET_FEED_VS_STATIC: f64 = 3.0;
const TARGET_304_VS_HEALTHZ: f64 = 1.5;
/// One meeting's .ics at `CONCURRENCY` clients, written or 304 (issue #11).
const TARGET_MEETING_RPS: f64 = 3_500.0;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let static_file = dir.path().join("static.ics");

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(SERVER_THREADS)
        .thread_name("serveur")
        .enable_all()
        .build()
        .expect("server runtime");
    // The load generator has its own threads: on a 2-core machine it competes with the server,
    // as any local load generator would (see the README).
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("charge")
        .enable_all()
        .build()
        .expect("client runtime");

    let listener = server_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let mut config = Config::for_database(&database_url);
    config.base_url = address.clone();
    let state = server_rt
        .block_on(AppState::start(config))
        .expect("start app");

    eprintln!("Données : {MEETINGS} réunions publiques ({SERIES} séries)…");
    let started = Instant::now();
    let seeded = server_rt.block_on(seed(&state.db));
    eprintln!(
        "  insérées en {:.1} s ({} points d'ordre du jour, {} exceptions)",
        started.elapsed().as_secs_f64(),
        seeded.agenda_items,
        seeded.changes
    );

    // The static file holds the feed's own bytes: written after the first build, served by the
    // same process, behind the same logging and compression layers as the app's routes.
    std::fs::write(&static_file, b"").expect("static file");
    let bench_routes = Router::new()
        .route_service(STATIC_PATH, ServeFile::new(&static_file))
        .route(MEMORY_PATH, get(in_memory))
        .layer(from_fn(maillage::web::logging::log_requests))
        .layer(CompressionLayer::new());
    let router = app::router(state.clone()).merge(bench_routes);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = server_rt.spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stop_rx.await;
        })
        .await
        .expect("serve");
    });

    // The load generator's own connection to the database, for the edits.
    let target = Target {
        client: client(),
        base: address.clone(),
        db: client_rt
            .block_on(maillage::db::connect(&Config::for_database(&database_url)))
            .expect("bench connection"),
        server: state.clone(),
        meetings: Arc::new(seeded.meeting_ids.clone()),
        edits: Arc::new(AtomicU64::new(0)),
    };
    let report = client_rt.block_on(measure(&target, &static_file));
    let profile = server_rt.block_on(profile(&state, seeded.platform_id));
    let _ = client_rt.block_on(target.db.close());

    let _ = stop_tx.send(());
    let _ = server_rt.block_on(server);

    print_report(&report, &profile);
    write_json(&report, &profile, &seeded);
    // FEEDS_BENCH_KEEP_DB=1 keeps the database for inspection (sqlite3 …/bench.db).
    if std::env::var_os("FEEDS_BENCH_KEEP_DB").is_some() {
        println!("Base conservée : {}/bench.db", dir.keep().display());
    }
}

async fn in_memory() -> Response {
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        IN_MEMORY.get().cloned().unwrap_or_default(),
    )
        .into_response()
}

// --- load generator -------------------------------------------------------------------------

#[derive(Clone)]
struct Scenario {
    name: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
    expect: u16,
    /// What happens before each request (not timed in the latency runs).
    before: Before,
}

/// What the load generator does before a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Before {
    Nothing,
    /// A coordinator's edit of one meeting (its place, `updated_at`, SEQUENCE, and the calendar's
    /// change log, in one transaction, as `meetings::edit` writes them): the feed is built
    /// again, reading and rewriting that meeting alone and reusing the others' VEVENTs.
    Edit,
    /// The server's built feeds forgotten, its meetings' VEVENTs kept: the first request for
    /// the feed after a restart, once the VEVENTs were written ahead (`feeds::warm` at start).
    Restart,
    /// Everything the server keeps forgotten (built feeds and VEVENTs): the feed written from
    /// scratch, as after a restart before the writing ahead is done.
    Cold,
    /// The meetings' own .ics files kept in memory forgotten: the file written again.
    Unkept,
}

impl Before {
    fn label(self) -> &'static str {
        match self {
            Before::Nothing => "rien",
            Before::Edit => "modification d'une réunion",
            Before::Restart => "flux construits oubliés (VEVENT gardés)",
            Before::Cold => "tout oublié (flux construits et VEVENT)",
            Before::Unkept => "fichiers .ics des réunions oubliés",
        }
    }
}

impl Scenario {
    fn get(name: &'static str, path: &'static str) -> Self {
        Self {
            name,
            path,
            headers: Vec::new(),
            expect: 200,
            before: Before::Nothing,
        }
    }
}

struct Latency {
    median_ms: f64,
    p95_ms: f64,
    mean_ms: f64,
    min_ms: f64,
}

struct Load {
    requests: u64,
    errors: u64,
    seconds: f64,
    bytes: u64,
}

impl Load {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

struct Measured {
    scenario: Scenario,
    latency: Latency,
    load: Load,
    body_bytes: usize,
}

struct Report {
    feed_bytes: usize,
    feed_events: usize,
    feed_series: usize,
    gzip_bytes: usize,
    results: Vec<Measured>,
    pairs: Vec<Paired>,
}

impl Report {
    fn get(&self, name: &str) -> Option<&Measured> {
        self.results.iter().find(|m| m.scenario.name == name)
    }
}

/// Where the load goes: an HTTP client on the app, a connection of its own to its database (for
/// the edits), and the server's state (to empty its memory of written VEVENTs).
#[derive(Clone)]
struct Target {
    client: reqwest::Client,
    base: String,
    db: DatabaseConnection,
    server: AppState,
    meetings: Arc<Vec<i64>>,
    edits: Arc<AtomicU64>,
}

impl Target {
    async fn prepare(&self, s: &Scenario) {
        match s.before {
            Before::Nothing => {}
            Before::Edit => self.edit().await,
            Before::Restart => self.server.feeds.clear(),
            Before::Cold => {
                self.server.feeds.clear();
                self.server.fragments.clear();
            }
            Before::Unkept => self.server.meeting_files.clear(),
        }
    }

    /// Moves one meeting to another room, as an edit does: new place, `updated_at`, SEQUENCE
    /// and (through the database's triggers) the calendar's change log, in one transaction.
    async fn edit(&self) {
        let n = self.edits.fetch_add(1, Ordering::Relaxed);
        let id = self.meetings[(n as usize * 7919) % self.meetings.len()];
        let (place, address) = seed::PLACES[n as usize % seed::PLACES.len()];
        let txn = maillage::db::begin_write(&self.db).await.expect("begin");
        meeting::Entity::update_many()
            .col_expr(meeting::Column::PlaceName, Expr::value(place))
            .col_expr(meeting::Column::PlaceAddress, Expr::value(address))
            .col_expr(meeting::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(
                meeting::Column::Sequence,
                sea_orm::ExprTrait::add(Expr::col(meeting::Column::Sequence), 1),
            )
            .filter(meeting::Column::Id.eq(id))
            .exec(&txn)
            .await
            .expect("edit");
        txn.commit().await.expect("commit");
    }

    async fn once(&self, s: &Scenario) -> (u16, usize) {
        let mut request = self.client.get(format!("{}{}", self.base, s.path));
        for (name, value) in &s.headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let body = response.bytes().await.expect("body");
        (status, body.len())
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(CONCURRENCY * 2)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// One timed request (its preparation, if any, not timed), in milliseconds.
async fn sample(target: &Target, s: &Scenario) -> f64 {
    target.prepare(s).await;
    let started = Instant::now();
    let (status, _) = target.once(s).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(status, s.expect, "{}: unexpected status", s.name);
    ms
}

fn summarize(mut samples: Vec<f64>) -> Latency {
    samples.sort_by(f64::total_cmp);
    let pick =
        |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    Latency {
        median_ms: pick(0.5),
        p95_ms: pick(0.95),
        mean_ms: samples.iter().sum::<f64>() / samples.len() as f64,
        min_ms: samples[0],
    }
}

/// Median, p95… of `SEQUENTIAL` requests one after the other (the edit, if any, not timed).
async fn latency(target: &Target, s: &Scenario) -> (Latency, usize) {
    let mut body_bytes = 0;
    for _ in 0..5 {
        target.prepare(s).await;
        let (status, len) = target.once(s).await;
        assert_eq!(status, s.expect, "{}: unexpected status", s.name);
        body_bytes = len;
    }
    let mut samples = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        samples.push(sample(target, s).await);
    }
    (summarize(samples), body_bytes)
}

/// Two scenarios timed alternately, `n` requests each: both see the same moments of the
/// machine, so their ratio is not skewed by whatever else ran during one series only. The
/// ratios against the targets come from these.
struct Paired {
    slow: &'static str,
    fast: &'static str,
    slow_latency: Latency,
    fast_latency: Latency,
    pairs: usize,
}

async fn paired(target: &Target, slow: &Scenario, fast: &Scenario, pairs: usize) -> Paired {
    let (mut a, mut b) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
    for _ in 0..5 {
        sample(target, slow).await;
        sample(target, fast).await;
    }
    for _ in 0..pairs {
        a.push(sample(target, slow).await);
        b.push(sample(target, fast).await);
    }
    Paired {
        slow: slow.name,
        fast: fast.name,
        slow_latency: summarize(a),
        fast_latency: summarize(b),
        pairs,
    }
}

/// `CONCURRENCY` clients in a loop for `duration` (edits included in the time).
async fn load(target: &Target, s: &Scenario, duration: Duration) -> Load {
    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (target, s) = (target.clone(), s.clone());
        let (requests, errors, bytes) = (requests.clone(), errors.clone(), bytes.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                target.prepare(&s).await;
                let (status, len) = target.once(&s).await;
                if status == s.expect {
                    requests.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(len as u64, Ordering::Relaxed);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("load task");
    }
    Load {
        requests: requests.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
        bytes: bytes.load(Ordering::Relaxed),
    }
}

async fn measure(target: &Target, static_file: &std::path::Path) -> Report {
    let base = &target.base;
    let client = &target.client;
    let first = client
        .get(format!("{base}{FEED_PATH}"))
        .send()
        .await
        .expect("feed");
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().expect("etag").to_string();
    let feed = first.text().await.expect("feed body");
    std::fs::write(static_file, feed.as_bytes()).expect("static file");
    let _ = IN_MEMORY.set(Bytes::from(feed.clone()));
    let feed_events = feed.matches("BEGIN:VEVENT").count();
    let feed_series = feed.matches("\r\nRRULE:").count();
    let gzip_bytes = client
        .get(format!("{base}{FEED_PATH}"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("gzip feed")
        .bytes()
        .await
        .expect("gzip body")
        .len();
    eprintln!(
        "Flux : {} octets, {feed_events} VEVENT dont {feed_series} séries ; gzip {gzip_bytes} octets",
        feed.len()
    );
    let gzip = || vec![("accept-encoding", "gzip".to_string())];
    // One public meeting's own file (the edits below start with another one).
    let meeting = target.meetings[target.meetings.len() / 2];
    let meeting_path: &'static str =
        Box::leak(format!("/reunions/{meeting}/evenement.ics").into_boxed_str());
    let single = client
        .get(format!("{base}{meeting_path}"))
        .send()
        .await
        .expect("meeting .ics");
    assert_eq!(single.status(), 200);
    let meeting_etag = single.headers()["etag"].to_str().expect("etag").to_string();
    let scenarios = [
        Scenario::get("feed", FEED_PATH),
        // Before any scenario that edits (which changes the ETag).
        Scenario {
            headers: vec![("if-none-match", etag.clone())],
            expect: 304,
            ..Scenario::get("feed_304", FEED_PATH)
        },
        Scenario::get("meeting_ics", meeting_path),
        Scenario {
            before: Before::Unkept,
            ..Scenario::get("meeting_ics_written", meeting_path)
        },
        Scenario {
            headers: vec![("if-none-match", meeting_etag)],
            expect: 304,
            ..Scenario::get("meeting_ics_304", meeting_path)
        },
        Scenario::get("static", STATIC_PATH),
        Scenario::get("memory", MEMORY_PATH),
        Scenario::get("healthz", "/healthz"),
        Scenario {
            headers: gzip(),
            ..Scenario::get("feed_gzip", FEED_PATH)
        },
        Scenario {
            headers: gzip(),
            ..Scenario::get("static_gzip", STATIC_PATH)
        },
        // Last: every request follows an edit, so the feed is built again each time.
        Scenario {
            before: Before::Edit,
            ..Scenario::get("feed_build", FEED_PATH)
        },
        Scenario {
            before: Before::Edit,
            headers: gzip(),
            ..Scenario::get("feed_build_gzip", FEED_PATH)
        },
        Scenario {
            before: Before::Restart,
            ..Scenario::get("feed_restart", FEED_PATH)
        },
        Scenario {
            before: Before::Cold,
            ..Scenario::get("feed_cold", FEED_PATH)
        },
    ];
    // FEEDS_BENCH_ONLY=feed,feed_304 measures only those (for profiling with perf).
    let only = std::env::var("FEEDS_BENCH_ONLY").unwrap_or_default();
    let wanted = |name: &str| only.is_empty() || only.split(',').any(|o| o.trim() == name);
    let find = |name: &str| scenarios.iter().find(|s| s.name == name).cloned();
    let mut pairs = Vec::new();
    // 304 against /healthz first: the edits of the later scenarios change the ETag.
    if let (Some(a), Some(b)) = (find("feed_304"), find("healthz"))
        && wanted(a.name)
        && wanted(b.name)
    {
        eprintln!("Mesure alternée : feed_304 / healthz…");
        pairs.push(paired(target, &a, &b, 1000).await);
    }
    let mut results = Vec::new();
    for s in scenarios.iter().filter(|s| wanted(s.name)).cloned() {
        eprintln!("Mesure : {}…", s.name);
        let (latency, body_bytes) = latency(target, &s).await;
        // A second of warm-up at full concurrency, then the measured run.
        let _ = load(target, &s, Duration::from_secs(1)).await;
        let load = load(target, &s, Duration::from_secs(LOAD_SECONDS)).await;
        results.push(Measured {
            scenario: s,
            latency,
            load,
            body_bytes,
        });
    }
    for (slow, fast, count) in [
        ("feed_build", "static", 200),
        ("feed_build_gzip", "static_gzip", 50),
        ("feed_restart", "static", 100),
        ("feed_cold", "static", 30),
    ] {
        if let (Some(a), Some(b)) = (find(slow), find(fast))
            && wanted(a.name)
            && wanted(b.name)
        {
            eprintln!("Mesure alternée : {slow} / {fast}…");
            pairs.push(paired(target, &a, &b, count).await);
        }
    }
    Report {
        feed_bytes: feed.len(),
        feed_events,
        feed_series,
        gzip_bytes,
        results,
        pairs,
    }
}

// --- where the time goes ----------------------------------------------------------------------

/// Median milliseconds of the pieces of a feed request, in-process, without HTTP or load.
struct Profile {
    steps: Vec<(&'static str, f64)>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn profile(state: &AppState, platform_id: i64) -> Profile {
    const RUNS: usize = 15;
    let names = [
        "/healthz : SELECT 1",
        "version des agendas (ce que coûte un 304)",
        "flux relu en entier, VEVENT déjà écrits (premier flux du jour)",
        "flux écrit de zéro (mémoire des VEVENT vidée)",
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let p = platform::Entity::find_by_id(platform_id)
        .one(&state.db)
        .await
        .expect("platform")
        .expect("the platform");
    for _ in 0..RUNS {
        let started = Instant::now();
        assert!(maillage::db::ping(&state.db).await);
        times[0].push(started.elapsed().as_secs_f64() * 1000.0);

        let started = Instant::now();
        std::hint::black_box(
            calendar::version::current(&state.db)
                .await
                .expect("version"),
        );
        times[1].push(started.elapsed().as_secs_f64() * 1000.0);

        let started = Instant::now();
        std::hint::black_box(feeds::platform_feed_text(state, &p).await.expect("feed"));
        times[2].push(started.elapsed().as_secs_f64() * 1000.0);

        state.fragments.clear();
        let started = Instant::now();
        std::hint::black_box(feeds::platform_feed_text(state, &p).await.expect("feed"));
        times[3].push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Profile {
        steps: names
            .iter()
            .zip(times)
            .map(|(name, t)| (*name, median(t)))
            .collect(),
    }
}

// --- output ------------------------------------------------------------------------------------

/// What the report compares: the targets of the issue, and the cases around them.
struct Comparison {
    key: &'static str,
    slow: &'static str,
    fast: &'static str,
    label: &'static str,
    target: f64,
}

const COMPARISONS: [Comparison; 6] = [
    Comparison {
        key: "feed_vs_static",
        slow: "feed",
        fast: "static",
        label: "flux servi / fichier statique",
        target: TARGET_FEED_VS_STATIC,
    },
    Comparison {
        key: "feed_build_vs_static",
        slow: "feed_build",
        fast: "static",
        label: "flux reconstruit après un changement / fichier statique",
        target: TARGET_FEED_VS_STATIC,
    },
    Comparison {
        key: "feed_build_gzip_vs_static_gzip",
        slow: "feed_build_gzip",
        fast: "static_gzip",
        label: "flux reconstruit puis compressé (gzip) / fichier statique en gzip",
        target: TARGET_FEED_VS_STATIC,
    },
    Comparison {
        key: "feed_restart_vs_static",
        slow: "feed_restart",
        fast: "static",
        label: "premier flux après un redémarrage, VEVENT écrits d'avance / fichier statique",
        target: TARGET_FEED_VS_STATIC,
    },
    Comparison {
        key: "feed_cold_vs_static",
        slow: "feed_cold",
        fast: "static",
        label: "flux écrit de zéro, rien en mémoire / fichier statique",
        target: TARGET_FEED_VS_STATIC,
    },
    Comparison {
        key: "not_modified_vs_healthz",
        slow: "feed_304",
        fast: "healthz",
        label: "304 / healthz",
        target: TARGET_304_VS_HEALTHZ,
    },
];

/// Latency ratio (medians) and throughput ratio of two scenarios; NaN when one was not measured.
struct Ratio {
    latency: f64,
    throughput: f64,
}

/// `slow` against `fast`: how many times longer it takes (medians of the alternated series
/// when there is one, else of the sequential runs), how many times fewer it serves.
fn ratio(r: &Report, slow: &str, fast: &str) -> Ratio {
    let throughput = match (r.get(slow), r.get(fast)) {
        (Some(slow), Some(fast)) => fast.load.rps() / slow.load.rps(),
        _ => f64::NAN,
    };
    let latency = match r.pairs.iter().find(|p| p.slow == slow && p.fast == fast) {
        Some(p) => p.slow_latency.median_ms / p.fast_latency.median_ms,
        None => match (r.get(slow), r.get(fast)) {
            (Some(slow), Some(fast)) => slow.latency.median_ms / fast.latency.median_ms,
            _ => f64::NAN,
        },
    };
    Ratio {
        latency,
        throughput,
    }
}

fn verdict(value: f64, target: f64) -> &'static str {
    if value <= target {
        "atteint"
    } else {
        "MANQUÉ"
    }
}

fn print_report(r: &Report, p: &Profile) {
    println!();
    println!(
        "Flux de la plateforme : {:.0} Ko ({} VEVENT, {} séries), {:.0} Ko en gzip",
        r.feed_bytes as f64 / 1024.0,
        r.feed_events,
        r.feed_series,
        r.gzip_bytes as f64 / 1024.0
    );
    println!(
        "Serveur : {SERVER_THREADS} threads tokio ; machine : {} cœurs ; charge : {CONCURRENCY} clients, {LOAD_SECONDS} s",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!(
        "{:<19} {:>9} {:>10} {:>9} {:>9} {:>10} {:>8} {:>10}",
        "scénario", "octets", "médiane", "p95", "min", "req/s", "erreurs", "Mo/s"
    );
    for m in &r.results {
        println!(
            "{:<19} {:>9} {:>8.2}ms {:>7.2}ms {:>7.2}ms {:>10.1} {:>8} {:>10.1}",
            m.scenario.name,
            m.body_bytes,
            m.latency.median_ms,
            m.latency.p95_ms,
            m.latency.min_ms,
            m.load.rps(),
            m.load.errors,
            m.load.bytes as f64 / m.load.seconds / 1e6
        );
    }
    if !r.pairs.is_empty() {
        println!();
        println!("Mesures alternées (une requête de chaque, tour à tour) :");
        for p in &r.pairs {
            println!(
                "  {} / {} ({} paires) : médianes {:.2} ms / {:.2} ms, p95 {:.2} ms / {:.2} ms",
                p.slow,
                p.fast,
                p.pairs,
                p.slow_latency.median_ms,
                p.fast_latency.median_ms,
                p.slow_latency.p95_ms,
                p.fast_latency.p95_ms
            );
        }
    }
    println!();
    for c in &COMPARISONS {
        let ratio = ratio(r, c.slow, c.fast);
        if ratio.latency.is_nan() {
            // Not measured (FEEDS_BENCH_ONLY).
            continue;
        }
        println!(
            "{} : {:.2}× en latence, {:.2}× en débit (cible ≤ {}× : {})",
            c.label,
            ratio.latency,
            ratio.throughput,
            c.target,
            verdict(ratio.latency, c.target)
        );
    }
    for name in ["meeting_ics", "meeting_ics_written", "meeting_ics_304"] {
        if let Some(m) = r.get(name) {
            println!(
                "{name} : {:.0} req/s à {CONCURRENCY} clients (cible ≥ {TARGET_MEETING_RPS:.0} : {})",
                m.load.rps(),
                if m.load.rps() >= TARGET_MEETING_RPS {
                    "atteint"
                } else {
                    "MANQUÉ"
                }
            );
        }
    }
    println!();
    println!("Dans le processus, sans HTTP ni charge (médiane de 15) :");
    for (name, ms) in &p.steps {
        println!("  {name:<72} {ms:>8.2} ms");
    }
}

fn write_json(r: &Report, p: &Profile, seeded: &Seeded) {
    let mut ratios = serde_json::Map::new();
    for c in &COMPARISONS {
        let ratio = ratio(r, c.slow, c.fast);
        ratios.insert(format!("{}_latency", c.key), json!(ratio.latency));
        ratios.insert(format!("{}_throughput", c.key), json!(ratio.throughput));
        ratios.insert(format!("{}_target", c.key), json!(c.target));
        ratios.insert(format!("{}_met", c.key), json!(ratio.latency <= c.target));
    }
    let scenarios: serde_json::Map<String, serde_json::Value> = r
        .results
        .iter()
        .map(|m| {
            (
                m.scenario.name.to_string(),
                json!({
                    "path": m.scenario.path,
                    "status": m.scenario.expect,
                    "before_each_request": m.scenario.before.label(),
                    "body_bytes": m.body_bytes,
                    "latency_ms": {
                        "median": m.latency.median_ms,
                        "p95": m.latency.p95_ms,
                        "mean": m.latency.mean_ms,
                        "min": m.latency.min_ms,
                        "samples": SEQUENTIAL,
                    },
                    "load": {
                        "concurrency": CONCURRENCY,
                        "seconds": m.load.seconds,
                        "requests": m.load.requests,
                        "errors": m.load.errors,
                        "requests_per_second": m.load.rps(),
                        "bytes": m.load.bytes,
                    },
                }),
            )
        })
        .collect();
    let value = json!({
        "date": Utc::now().to_rfc3339(),
        "machine": {
            "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
            "server_worker_threads": SERVER_THREADS,
        },
        "data": {
            "meetings": MEETINGS,
            "series": SERIES,
            "agenda_items": seeded.agenda_items,
            "occurrence_changes": seeded.changes,
        },
        "feed": {
            "path": FEED_PATH,
            "bytes": r.feed_bytes,
            "gzip_bytes": r.gzip_bytes,
            "vevents": r.feed_events,
            "series": r.feed_series,
        },
        "scenarios": scenarios,
        "alternated": r.pairs.iter().map(|p| json!({
            "slow": p.slow,
            "fast": p.fast,
            "pairs": p.pairs,
            "slow_median_ms": p.slow_latency.median_ms,
            "fast_median_ms": p.fast_latency.median_ms,
            "slow_p95_ms": p.slow_latency.p95_ms,
            "fast_p95_ms": p.fast_latency.p95_ms,
        })).collect::<Vec<_>>(),
        "ratios": ratios,
        "profile_ms": p.steps.iter().map(|(n, ms)| json!({"step": n, "median_ms": ms})).collect::<Vec<_>>(),
    });
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target")));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("bench-feeds.json");
    std::fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write json");
    println!();
    println!("Résultats écrits dans {}", path.display());
}
