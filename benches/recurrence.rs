//! Benchmark of recurrence rules built to be expensive (issue #9, point 11): anonymous
//! `/reunions` with and without 40 hostile series.
//!
//! `cargo bench --bench recurrence`: a temporary SQLite database, the real app in-process on a
//! loopback port, 60 public meetings (40 one-off, 20 weekly series), then:
//!
//! 1. 100 sequential anonymous `GET /reunions` (median, p95);
//! 2. 40 series of `FREQ=YEARLY;COUNT=999999999;BYDAY=` with all 742 ranked days, written
//!    straight into the database (as rows saved before the form limits would be: the form
//!    now refuses them), first request alone, then 100 sequential requests again;
//! 3. in-process: `recurrence::expand` of that rule over the agenda's year window, first call
//!    for a series and later calls.
//!
//! Nothing is asserted: performance is measured, not tested.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDateTime, NaiveTime, Utc};
use maillage::app::{self, AppState};
use maillage::config::Config;
use maillage::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use maillage::entities::{meeting, platform};
use maillage::meetings::recurrence::{self, Rule};
use maillage::meetings::schedule;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

const ORDINARY: usize = 60;
const HOSTILE: usize = 40;
const SEQUENTIAL: usize = 100;

fn hostile_text() -> String {
    let mut days = Vec::new();
    for code in ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] {
        for rank in (1..=53).chain(-53..=-1) {
            days.push(format!("{rank}{code}"));
        }
    }
    format!("FREQ=YEARLY;COUNT=999999999;BYDAY={}", days.join(","))
}

async fn insert(
    db: &DatabaseConnection,
    platform_id: i64,
    title: String,
    start: NaiveDateTime,
    rule: Option<&Rule>,
) {
    let length = Days::hours(2);
    let end = start + length;
    let now = Utc::now();
    meeting::ActiveModel {
        platform_id: Set(Some(platform_id)),
        working_group_id: Set(None),
        office_id: Set(None),
        kind: Set(MeetingKind::Plenary),
        title: Set(title),
        description: Set(String::new()),
        all_day: Set(false),
        start_local: Set(start.into()),
        end_local: Set(end.into()),
        starts_at: Set(recurrence::to_utc(start)),
        ends_at: Set(recurrence::to_utc(end)),
        series_ends_at: Set(rule.and_then(|r| schedule::series_end(start, length, r))),
        tzid: Set(recurrence::TZID.to_string()),
        rrule: Set(rule.map(Rule::to_rrule)),
        place_name: Set("Maison de la Culture".into()),
        place_address: Set(String::new()),
        video_url: Set(String::new()),
        status: Set(MeetingStatus::Scheduled),
        visibility: Set(Visibility::Public),
        capacity: Set(None),
        registration_open: Set(false),
        registration_deadline: Set(None),
        meal_options: Set(String::new()),
        minutes: Set(String::new()),
        decisions: Set(String::new()),
        actions: Set(String::new()),
        minutes_published: Set(false),
        sequence: Set(0),
        registration_counter: Set(0),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("meeting");
}

async fn timed(client: &reqwest::Client, url: &str) -> f64 {
    let started = Instant::now();
    let response = client.get(url).send().await.expect("GET");
    assert!(response.status().is_success(), "{}", response.status());
    let _ = response.bytes().await.expect("body");
    started.elapsed().as_secs_f64() * 1000.0
}

fn median_p95(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

async fn series(client: &reqwest::Client, url: &str) -> (f64, f64) {
    let mut samples = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        samples.push(timed(client, url).await);
    }
    median_p95(samples)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("addr"));
        let mut config = Config::for_database(&database_url);
        config.base_url = address.clone();
        let state = AppState::start(config).await.expect("start app");
        let db = state.db.clone();
        let now = Utc::now();
        let platform = platform::ActiveModel {
            name: Set("Sociojuridique".into()),
            slug: Set("sociojuridique".into()),
            theme: Set("Accès aux droits".into()),
            description: Set(String::new()),
            visibility: Set(Visibility::Public),
            archived: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("platform");
        let today = recurrence::to_local(now).date();
        let ten = NaiveTime::from_hms_opt(10, 0, 0).expect("time");
        let weekly = Rule::parse("FREQ=WEEKLY;BYDAY=TU").expect("rule");
        for i in 0..ORDINARY {
            let day = today + Days::days(i as i64 * 5 - 60);
            if i % 3 == 0 {
                let mut start = day;
                while weekly.check_start(start.and_time(ten)).is_err() {
                    start += Days::days(1);
                }
                let title = format!("Permanence {i}");
                insert(&db, platform.id, title, start.and_time(ten), Some(&weekly)).await;
            } else {
                insert(&db, platform.id, format!("Réunion {i}"), day.and_time(ten), None).await;
            }
        }
        let router = app::router(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .expect("client");
        let url = format!("{address}/reunions");
        let _ = timed(&client, &url).await;
        let (plain_median, plain_p95) = series(&client, &url).await;

        let hostile = Rule::parse(&hostile_text()).expect("the hostile rule is still read");
        for i in 0..HOSTILE {
            // Series that began on different days of the last two years.
            let start = (today - Days::days(i as i64 * 17)).and_time(ten);
            insert(&db, platform.id, format!("Hostile {i}"), start, Some(&hostile)).await;
        }
        let first = timed(&client, &url).await;
        let (hostile_median, hostile_p95) = series(&client, &url).await;

        let from = recurrence::to_local(now) - Days::hours(12);
        let to = from + Days::days(366);
        let started = Instant::now();
        let cold = recurrence::expand(
            (today - Days::days(1000)).and_time(ten),
            Days::hours(2),
            &hostile,
            &[],
            from,
            to,
        );
        let cold_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut warm = Vec::new();
        for _ in 0..SEQUENTIAL {
            let started = Instant::now();
            let again = recurrence::expand(
                (today - Days::days(1000)).and_time(ten),
                Days::hours(2),
                &hostile,
                &[],
                from,
                to,
            );
            warm.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(again.len(), cold.len());
        }
        let (warm_median, _) = median_p95(warm);

        println!();
        println!("/reunions anonyme, {SEQUENTIAL} requêtes successives (ms)");
        println!("| cas | médiane | p95 |");
        println!("|---|---:|---:|");
        println!("| {ORDINARY} réunions ordinaires | {plain_median:.2} | {plain_p95:.2} |");
        println!("| + {HOSTILE} séries hostiles, 1re requête | {first:.2} | |");
        println!("| + {HOSTILE} séries hostiles | {hostile_median:.2} | {hostile_p95:.2} |");
        println!(
            "rapport hostile / ordinaire (médianes) : {:.2}×",
            hostile_median / plain_median
        );
        println!(
            "expand (règle hostile, fenêtre d'un an, {} séances) : 1er appel {cold_ms:.2} ms, suivants {warm_median:.3} ms",
            cold.len()
        );
        server.abort();
    });
}
