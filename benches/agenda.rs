//! Benchmark of the agenda pages on the occurrence index (issue #11: "the anonymous agenda page
//! and month view within 10× of `/healthz` on the same server, and flat — within 1.5× — from
//! 2,000 to 20,000 meetings").
//!
//! `cargo bench --bench agenda`: for each size (default 2,000 one-off public meetings + 200
//! series, then 20,000 + 2,000; `AGENDA_BENCH_SIZES=2000:200` or `2000:200,20000:2000` picks
//! them), a temporary SQLite database (or, with `AGENDA_BENCH_DATABASE_URL=postgres://…/postgres`,
//! a fresh PostgreSQL database created on that server and dropped after), the real app
//! in-process on a loopback port (its own 2-thread runtime), meetings inserted through the
//! entities in batches then indexed by `meetings::index::rewrite_all`, and a bounded load
//! generator (reqwest, loopback only):
//!
//! 1. latency (median, p95) of anonymous `/reunions`, `/reunions/calendrier` and `/healthz`,
//!    each page timed alternately with `/healthz` (`PAIRS` pairs) so that the machine's other
//!    work weighs on both alike;
//! 2. requests per second with `CONCURRENCY` clients for `LOAD_SECONDS` on each.
//!
//! It prints a table, the ratios against the targets (page/healthz ≤ 10×; largest/smallest size
//! ≤ 1.5×) and writes everything as JSON to `target/bench-agenda.json`. Nothing is asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveTime, Utc};
use maillage::app::{self, AppState};
use maillage::config::Config;
use maillage::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use maillage::entities::working_group::GroupStatus;
use maillage::entities::{meeting, platform, reception_office, working_group};
use maillage::meetings::index::{self, Horizon};
use maillage::meetings::recurrence::{self, Rule};
use maillage::meetings::schedule;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, EntityTrait, Set, TransactionTrait};
use serde_json::json;

const SERVER_THREADS: usize = 2;
const CONCURRENCY: usize = 8;
const LOAD_SECONDS: u64 = 3;
const PAIRS: usize = 100;
const TARGET_VS_HEALTHZ: f64 = 10.0;
const TARGET_GROWTH: f64 = 1.5;
const PAGES: [&str; 2] = ["/reunions", "/reunions/calendrier"];
const BATCH: usize = 500;

const RULES: [&str; 6] = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "FREQ=MONTHLY;BYDAY=1TH",
    "FREQ=WEEKLY;BYDAY=WE,FR",
    "FREQ=MONTHLY;BYDAY=-1FR",
];

const TITLES: [&str; 8] = [
    "Plénière de la plateforme sociojuridique",
    "Intervision entre travailleurs sociaux de première ligne",
    "Groupe de travail « Accès au séjour et regroupement familial »",
    "Comité de pilotage du parcours d'intégration",
    "Séance d'information sur la réforme de l'aide juridique",
    "Coordination locale des acteurs de l'accueil",
    "Formation : accompagner les demandes de nationalité",
    "Réunion consacrée aux constats du terrain",
];

const PLACES: [&str; 4] = [
    "CRI Namur",
    "Maison des Citoyens",
    "Espace Kegeljan",
    "CPAS de Ciney",
];

struct Size {
    one_offs: usize,
    series: usize,
}

fn sizes() -> Vec<Size> {
    let text = std::env::var("AGENDA_BENCH_SIZES").unwrap_or_else(|_| "2000:200,20000:2000".into());
    text.split(',')
        .filter_map(|pair| {
            let (a, b) = pair.trim().split_once(':')?;
            Some(Size {
                one_offs: a.parse().ok()?,
                series: b.parse().ok()?,
            })
        })
        .collect()
}

struct Latency {
    median_ms: f64,
    p95_ms: f64,
}

fn summarize(mut samples: Vec<f64>) -> Latency {
    samples.sort_by(f64::total_cmp);
    let pick =
        |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    Latency {
        median_ms: pick(0.5),
        p95_ms: pick(0.95),
    }
}

struct Measured {
    path: &'static str,
    latency: Latency,
    healthz: Latency,
    rps: f64,
    bytes: usize,
}

struct Run {
    one_offs: usize,
    series: usize,
    sessions: u64,
    seed_seconds: f64,
    index_seconds: f64,
    pages: Vec<Measured>,
    healthz_rps: f64,
}

fn main() {
    let pg = std::env::var("AGENDA_BENCH_DATABASE_URL").ok();
    let mut runs = Vec::new();
    for size in sizes() {
        runs.push(run(&size, pg.as_deref()));
    }
    print_report(&runs, pg.is_some());
    write_json(&runs, pg.is_some());
}

fn run(size: &Size, pg: Option<&str>) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(SERVER_THREADS)
        .thread_name("serveur")
        .enable_all()
        .build()
        .expect("server runtime");
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("charge")
        .enable_all()
        .build()
        .expect("client runtime");
    let (database_url, pg_name) = match pg {
        Some(admin) => {
            let name = format!("maillage_bench_agenda_{}", size.one_offs);
            server_rt.block_on(async {
                let db = Database::connect(admin).await.expect("postgres");
                db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .expect("drop");
                db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create");
            });
            let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
            (format!("{base}/{name}"), Some(name))
        }
        None => (
            format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
            None,
        ),
    };
    let listener = server_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let mut config = Config::for_database(&database_url);
    config.base_url = address.clone();
    let state = server_rt
        .block_on(AppState::start(config))
        .expect("start app");

    eprintln!(
        "Données : {} réunions ponctuelles publiques + {} séries…",
        size.one_offs, size.series
    );
    let started = Instant::now();
    server_rt.block_on(seed(&state, size));
    let seed_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let sessions = server_rt.block_on(async {
        let txn = state.db.begin().await.expect("begin");
        index::rewrite_all(&txn, Horizon::now())
            .await
            .expect("index");
        txn.commit().await.expect("commit");
        use sea_orm::PaginatorTrait;
        maillage::entities::occurrence::Entity::find()
            .count(&state.db)
            .await
            .expect("count")
    });
    let index_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "  insérées en {seed_seconds:.1} s, {sessions} séances indexées en {index_seconds:.1} s"
    );

    let router = app::router(state.clone());
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

    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(CONCURRENCY * 2)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let (pages, healthz_rps) = client_rt.block_on(async {
        let mut pages = Vec::new();
        for path in PAGES {
            pages.push(measure(&client, &address, path).await);
        }
        let healthz_rps = load(&client, &address, "/healthz").await;
        (pages, healthz_rps)
    });
    let _ = stop_tx.send(());
    let _ = server_rt.block_on(server);
    server_rt.block_on(async {
        let _ = state.db.clone().close().await;
    });
    if let (Some(admin), Some(name)) = (pg, pg_name) {
        server_rt.block_on(async {
            let db = Database::connect(admin).await.expect("postgres");
            let _ = db
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        });
    }
    Run {
        one_offs: size.one_offs,
        series: size.series,
        sessions,
        seed_seconds,
        index_seconds,
        pages,
        healthz_rps,
    }
}

async fn once(client: &reqwest::Client, base: &str, path: &str) -> (f64, usize) {
    let started = Instant::now();
    let response = client
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let body = response.bytes().await.expect("body");
    (started.elapsed().as_secs_f64() * 1000.0, body.len())
}

/// The page and `/healthz` alternately, then the page under load.
async fn measure(client: &reqwest::Client, base: &str, path: &'static str) -> Measured {
    let mut bytes = 0;
    for _ in 0..5 {
        bytes = once(client, base, path).await.1;
        once(client, base, "/healthz").await;
    }
    let (mut page, mut health) = (Vec::new(), Vec::new());
    for _ in 0..PAIRS {
        page.push(once(client, base, path).await.0);
        health.push(once(client, base, "/healthz").await.0);
    }
    let rps = load(client, base, path).await;
    Measured {
        path,
        latency: summarize(page),
        healthz: summarize(health),
        rps,
        bytes,
    }
}

/// `CONCURRENCY` clients in a loop for `LOAD_SECONDS`: requests per second.
async fn load(client: &reqwest::Client, base: &str, path: &'static str) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(LOAD_SECONDS);
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, base, done) = (client.clone(), base.to_string(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                once(&client, &base, path).await;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.expect("load task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// One public platform with four groups; `one_offs` public meetings on working days from three
/// months back to two years ahead, and `series` weekly or monthly series (a third of them office
/// hours of a reception office) begun up to five months ago, written as `meetings::edit::apply`
/// writes them, in batches.
async fn seed(state: &AppState, size: &Size) {
    let db = &state.db;
    let mut rng = StdRng::seed_from_u64(size.one_offs as u64);
    let now = Utc::now();
    let platform = platform::ActiveModel {
        name: Set("Sociojuridique".into()),
        slug: Set("sociojuridique".into()),
        theme: Set("Accès aux droits".into()),
        description: Set("Plateforme des juristes et travailleurs sociaux du réseau.".into()),
        visibility: Set(Visibility::Public),
        archived: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("platform");
    let mut groups = Vec::new();
    for name in ["Séjour", "Santé mentale et exil", "Logement", "Nationalité"] {
        groups.push(
            working_group::ActiveModel {
                platform_id: Set(platform.id),
                name: Set(name.into()),
                mandate: Set("Suivre les constats du terrain.".into()),
                status: Set(GroupStatus::Active),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("group")
            .id,
        );
    }
    let offices: Vec<i64> = reception_office::Entity::find()
        .all(db)
        .await
        .expect("offices")
        .into_iter()
        .map(|o| o.id)
        .collect();
    let today = recurrence::to_local(now).date();
    let total = size.one_offs + size.series;
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..total {
        let recurring = i >= size.one_offs;
        let time = NaiveTime::from_hms_opt(rng.gen_range(8..19), [0, 30][rng.gen_range(0..2)], 0)
            .expect("time");
        let length = Days::minutes([60, 90, 120, 180][rng.gen_range(0..4)]);
        let office_hours = recurring && rng.gen_range(0..3) == 0;
        let (rule, start) = if recurring {
            let text = if office_hours {
                "FREQ=WEEKLY;BYDAY=MO,TH"
            } else {
                RULES[rng.gen_range(0..RULES.len())]
            };
            let rule = Rule::parse(text).expect("rule");
            let mut day = today + Days::days(rng.gen_range(-150..30));
            while rule.check_start(day.and_time(time)).is_err() {
                day += Days::days(1);
            }
            (Some(rule), day.and_time(time))
        } else {
            (
                None,
                (today + Days::days(rng.gen_range(-90..730))).and_time(time),
            )
        };
        let end = start + length;
        let group = (rng.gen_range(0..3) == 0).then(|| groups[rng.gen_range(0..groups.len())]);
        let kind = if office_hours {
            MeetingKind::OfficeHours
        } else if group.is_some() {
            MeetingKind::WorkingGroup
        } else {
            [
                MeetingKind::Plenary,
                MeetingKind::Findings,
                MeetingKind::PeerSession,
                MeetingKind::Information,
                MeetingKind::Training,
            ][rng.gen_range(0..5)]
        };
        let capacity = rng.gen_bool(0.4).then(|| rng.gen_range(15..120));
        batch.push(meeting::ActiveModel {
            platform_id: Set(Some(platform.id)),
            working_group_id: Set(group),
            office_id: Set(if office_hours || rng.gen_range(0..4) == 0 {
                offices.get(rng.gen_range(0..offices.len().max(1))).copied()
            } else {
                None
            }),
            kind: Set(kind),
            title: Set(format!(
                "{} n° {}",
                TITLES[rng.gen_range(0..TITLES.len())],
                i + 1
            )),
            description: Set("Rencontre des partenaires du réseau provincial.".into()),
            all_day: Set(false),
            start_local: Set(start.into()),
            end_local: Set(end.into()),
            starts_at: Set(recurrence::to_utc(start)),
            ends_at: Set(recurrence::to_utc(end)),
            series_ends_at: Set(rule
                .as_ref()
                .and_then(|r| schedule::series_end(start, length, r))),
            tzid: Set(recurrence::TZID.to_string()),
            rrule: Set(rule.as_ref().map(Rule::to_rrule)),
            place_name: Set(PLACES[rng.gen_range(0..PLACES.len())].into()),
            place_address: Set(String::new()),
            video_url: Set(String::new()),
            status: Set(MeetingStatus::Scheduled),
            visibility: Set(Visibility::Public),
            capacity: Set(capacity),
            registration_open: Set(capacity.is_some()),
            registration_deadline: Set(None),
            meal_options: Set(String::new()),
            minutes: Set(String::new()),
            decisions: Set(String::new()),
            actions: Set(String::new()),
            minutes_published: Set(false),
            reminder_days: Set(0),
            reminder_text: Set(String::new()),
            sequence: Set(0),
            registration_counter: Set(0),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        if batch.len() == BATCH || i + 1 == total {
            meeting::Entity::insert_many(std::mem::take(&mut batch))
                .exec(db)
                .await
                .expect("meetings");
        }
    }
}

fn print_report(runs: &[Run], pg: bool) {
    println!();
    println!(
        "Agenda sur l'index des séances ({}, serveur {SERVER_THREADS} threads, {CONCURRENCY} clients, {LOAD_SECONDS} s)",
        if pg { "PostgreSQL" } else { "SQLite" }
    );
    println!(
        "{:<28} {:>10} {:>9} {:>9} {:>10} {:>10} {:>9} {:>9}",
        "données / page", "séances", "méd. ms", "p95 ms", "healthz ms", "× healthz", "req/s", "Ko"
    );
    for r in runs {
        for m in &r.pages {
            println!(
                "{:<28} {:>10} {:>9.2} {:>9.2} {:>10.2} {:>10.1} {:>9.0} {:>9.1}",
                format!("{}+{} {}", r.one_offs, r.series, m.path),
                r.sessions,
                m.latency.median_ms,
                m.latency.p95_ms,
                m.healthz.median_ms,
                m.latency.median_ms / m.healthz.median_ms,
                m.rps,
                m.bytes as f64 / 1024.0,
            );
        }
        println!(
            "{:<28} {:>10} {:>9} {:>9} {:>10} {:>10} {:>9.0}",
            format!("{}+{} /healthz", r.one_offs, r.series),
            "",
            "",
            "",
            "",
            "",
            r.healthz_rps
        );
        println!(
            "  (insertion {:.1} s, index {:.1} s)",
            r.seed_seconds, r.index_seconds
        );
    }
    println!();
    for r in runs {
        for m in &r.pages {
            let ratio = m.latency.median_ms / m.healthz.median_ms;
            println!(
                "{}+{} {} / healthz : {ratio:.1}× (cible ≤ {TARGET_VS_HEALTHZ}×) {}",
                r.one_offs,
                r.series,
                m.path,
                if ratio <= TARGET_VS_HEALTHZ {
                    "OK"
                } else {
                    "MANQUÉ"
                }
            );
        }
    }
    if let (Some(small), Some(large)) = (runs.first(), runs.last())
        && runs.len() > 1
    {
        for (a, b) in small.pages.iter().zip(&large.pages) {
            let ratio = b.latency.median_ms / a.latency.median_ms;
            println!(
                "{} : {}+{} / {}+{} : {ratio:.2}× (cible ≤ {TARGET_GROWTH}×) {}",
                a.path,
                large.one_offs,
                large.series,
                small.one_offs,
                small.series,
                if ratio <= TARGET_GROWTH {
                    "OK"
                } else {
                    "MANQUÉ"
                }
            );
        }
    }
}

fn write_json(runs: &[Run], pg: bool) {
    let value = json!({
        "database": if pg { "postgresql" } else { "sqlite" },
        "server_threads": SERVER_THREADS,
        "concurrency": CONCURRENCY,
        "runs": runs.iter().map(|r| json!({
            "one_offs": r.one_offs,
            "series": r.series,
            "sessions": r.sessions,
            "seed_seconds": r.seed_seconds,
            "index_seconds": r.index_seconds,
            "healthz_rps": r.healthz_rps,
            "pages": r.pages.iter().map(|m| json!({
                "path": m.path,
                "median_ms": m.latency.median_ms,
                "p95_ms": m.latency.p95_ms,
                "healthz_median_ms": m.healthz.median_ms,
                "healthz_p95_ms": m.healthz.p95_ms,
                "ratio_healthz": m.latency.median_ms / m.healthz.median_ms,
                "rps": m.rps,
                "bytes": m.bytes,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let dir = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let path = std::path::Path::new(&dir).join("bench-agenda.json");
    let _ = std::fs::create_dir_all(&dir);
    std::fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    println!("\nRésultats : {}", path.display());
}
