//! Benchmark of registration under contention (issue #11: "registration of 200 people racing for
//! 50 seats on one session … its throughput reported").
//!
//! `cargo bench --bench registration`: for SQLite (a temporary file) and PostgreSQL (a fresh
//! database on `REGISTRATION_BENCH_PG`, default `postgres://postgres@127.0.0.1:5432`, skipped if
//! unreachable), the app started as `maillage serve` starts it (`AppState::start`: its pool, its
//! event bus with the mail subscriber writing the outbox), one weekly series with capacity 50;
//! then, for each of `ROUNDS` sessions in turn, 200 people register at once (200 tasks on a
//! 2-thread runtime, each calling `booking::register` for that session). Each round is checked
//! (exactly 50 confirmed, 150 waiting, places 1..150) and timed: registrations per second over
//! the round and each registration's latency (median, p95, max). Printed, and written as JSON to
//! `target/bench-registration.json`. Nothing is asserted about time: measured, not tested. The
//! integration suite has the same race as a test (exactly 50 confirmed, both databases).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveTime, Utc, Weekday};
use maillage::app::AppState;
use maillage::config::Config;
use maillage::entities::language::Language;
use maillage::entities::local_time::LocalDateTime;
use maillage::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{meeting, person, registration};
use maillage::meetings::booking::{self, Outcome, Request, Target};
use maillage::meetings::{index, recurrence};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

const PEOPLE: usize = 200;
const SEATS: i32 = 50;
const ROUNDS: usize = 10;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut results = Vec::new();
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    results.push(rt.block_on(run("SQLite", &sqlite)));

    let server = std::env::var("REGISTRATION_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("maillage_bench_registration_{}", std::process::id());
    match rt.block_on(create_database(&server, &name)) {
        Ok(()) => {
            results.push(rt.block_on(run("PostgreSQL", &format!("{server}/{name}"))));
            let _ = rt.block_on(drop_database(&server, &name));
        }
        Err(e) => eprintln!("PostgreSQL non joignable ({e}) : mesure sautée."),
    }

    println!();
    println!(
        "{PEOPLE} personnes pour {SEATS} places sur une séance, {ROUNDS} séances l'une après l'autre"
    );
    println!(
        "{:<12} {:>14} {:>12} {:>12} {:>12}",
        "base", "inscriptions/s", "médiane ms", "p95 ms", "max ms"
    );
    for r in &results {
        println!(
            "{:<12} {:>14.0} {:>12.1} {:>12.1} {:>12.1}",
            r.backend, r.per_second, r.median_ms, r.p95_ms, r.max_ms
        );
    }
    let json = serde_json::json!({
        "people": PEOPLE,
        "seats": SEATS,
        "rounds": ROUNDS,
        "results": results.iter().map(|r| serde_json::json!({
            "backend": r.backend,
            "registrations_per_second": r.per_second,
            "latency_median_ms": r.median_ms,
            "latency_p95_ms": r.p95_ms,
            "latency_max_ms": r.max_ms,
        })).collect::<Vec<_>>(),
    });
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-registration.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json).expect("json")).expect("write json");
    println!("Écrit : {}", path.display());
}

struct Measured {
    backend: &'static str,
    per_second: f64,
    median_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

async fn admin_connection(server: &str) -> Result<DatabaseConnection, sea_orm::DbErr> {
    sea_orm::Database::connect(format!("{server}/postgres")).await
}

async fn create_database(server: &str, name: &str) -> Result<(), sea_orm::DbErr> {
    let db = admin_connection(server).await?;
    db.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    db.close().await
}

async fn drop_database(server: &str, name: &str) -> Result<(), sea_orm::DbErr> {
    let db = admin_connection(server).await?;
    db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    db.close().await
}

async fn run(backend: &'static str, database_url: &str) -> Measured {
    let state = AppState::start(Config::for_database(database_url))
        .await
        .expect("start app");
    let now = Utc::now();
    let mut people = Vec::with_capacity(PEOPLE);
    let txn = state.db.begin().await.expect("txn");
    for i in 0..PEOPLE {
        let saved = person::ActiveModel {
            name: Set(format!("Participant·e {i}")),
            email: Set(format!("p{i}@bench.example")),
            email_normalized: Set(format!("p{i}@bench.example")),
            organisation_id: Set(None),
            language: Set(Language::Fr),
            active: Set(true),
            is_admin: Set(false),
            password_hash: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .expect("person");
        people.push(saved.id);
    }
    // A weekly series (the permanence juridique), starting next Monday at 14:00.
    let mut monday = recurrence::to_local(now).date() + Days::days(1);
    while monday.weekday() != Weekday::Mon {
        monday += Days::days(1);
    }
    let start = monday.and_time(NaiveTime::from_hms_opt(14, 0, 0).expect("time"));
    let end = start + Days::hours(2);
    let series = meeting::ActiveModel {
        kind: Set(MeetingKind::Information),
        title: Set("Permanence juridique".into()),
        description: Set(String::new()),
        all_day: Set(false),
        start_local: Set(LocalDateTime::from(start)),
        end_local: Set(LocalDateTime::from(end)),
        starts_at: Set(recurrence::to_utc(start)),
        ends_at: Set(recurrence::to_utc(end)),
        tzid: Set("Europe/Brussels".into()),
        rrule: Set(Some("FREQ=WEEKLY;BYDAY=MO".into())),
        place_name: Set("Rue Rogier 82, Namur".into()),
        place_address: Set(String::new()),
        video_url: Set(String::new()),
        status: Set(MeetingStatus::Scheduled),
        visibility: Set(Visibility::Public),
        capacity: Set(Some(SEATS)),
        registration_open: Set(true),
        meal_options: Set(String::new()),
        minutes: Set(String::new()),
        decisions: Set(String::new()),
        actions: Set(String::new()),
        minutes_published: Set(false),
        reminder_days: Set(2),
        reminder_text: Set(String::new()),
        sequence: Set(0),
        registration_counter: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .expect("series");
    index::rewrite(&txn, series.id, index::Horizon::now())
        .await
        .expect("index");
    txn.commit().await.expect("commit");

    let mut latencies: Vec<f64> = Vec::new();
    let mut busy = Duration::ZERO;
    for round in 0..ROUNDS {
        let day = monday + Days::weeks(i64::try_from(round).expect("round"));
        let txn = state.db.begin().await.expect("txn");
        let session = index::session_on(&txn, series.id, day)
            .await
            .expect("session")
            .expect("a Monday session");
        txn.commit().await.expect("commit");
        let target = Target::session(series.id, session.id);
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for &person_id in &people {
            let db = state.db.clone();
            let bus = state.events.clone();
            tasks.spawn(async move {
                let begun = Instant::now();
                let request = Request {
                    person_id,
                    registered_by: Some(person_id),
                    ..Default::default()
                };
                let outcome = booking::register(&db, target, request, Utc::now(), &bus)
                    .await
                    .expect("register")
                    .expect("not refused");
                (outcome, begun.elapsed().as_secs_f64() * 1000.0)
            });
        }
        let mut confirmed = 0;
        let mut places = Vec::new();
        while let Some(done) = tasks.join_next().await {
            let (outcome, ms) = done.expect("task");
            latencies.push(ms);
            match outcome {
                Outcome::Confirmed => confirmed += 1,
                Outcome::Waiting(place) => places.push(place),
            }
        }
        busy += started.elapsed();
        places.sort_unstable();
        assert_eq!(confirmed, SEATS, "{backend}, séance {day}: confirmed");
        assert_eq!(
            places,
            (1..=u64::try_from(PEOPLE).expect("n") - u64::try_from(SEATS).expect("n"))
                .collect::<Vec<_>>(),
            "{backend}, séance {day}: waiting places"
        );
        let stored = registration::Entity::find()
            .filter(target.registrations())
            .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
            .all(&state.db)
            .await
            .expect("count");
        assert_eq!(
            stored.len(),
            usize::try_from(SEATS).expect("n"),
            "{backend}: stored confirmed"
        );
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let measured = Measured {
        backend,
        per_second: (PEOPLE * ROUNDS) as f64 / busy.as_secs_f64(),
        median_ms: at(0.5),
        p95_ms: at(0.95),
        max_ms: at(1.0),
    };
    state.db.clone().close().await.expect("close");
    measured
}
