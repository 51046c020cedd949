//! Memory of the real server (issue #11: "RSS under 50 MB after the feed load with 2,000
//! meetings, with what is kept in memory bounded and stated").
//!
//! `cargo bench --bench memory`: seeds a database with the feeds bench's data (2,000 public
//! meetings, 200 series: `benches/common/seed.rs`) — a temporary SQLite file, or the EMPTY
//! PostgreSQL database named by `MEMORY_BENCH_DATABASE_URL` — then starts the `maillage` binary
//! built with this bench (`maillage serve`, its own process: the load generator's memory is not
//! counted; it inherits this environment, so `MAILLAGE_*` cache bounds can be tried) and reads
//! its `/proc/<pid>/status` (VmRSS, VmHWM, RssAnon, RssFile, threads):
//!
//! 1. idle after start, once the meetings' VEVENTs are written ahead (its log line);
//! 2. after the feed load: every public feed once (network, platform, its four working groups,
//!    the eight offices), with and without gzip, then 8 clients for 5 s on the platform feed
//!    (identity and gzip alternately), then 1 s idle;
//! 3. after the single-.ics load: each of the 2,000 meetings' `.ics` once, then 8 clients for
//!    5 s on one of them, then 1 s idle.
//!
//! The load's requests per second are those of the real binary (its own allocator, its request
//! log). It prints a table and writes `target/bench-memory.json`. Nothing is asserted: memory is
//! measured, not tested.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/seed.rs"]
mod seed;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use maillage::config::Config;
use maillage::entities::{platform, reception_office, working_group};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

const CONCURRENCY: usize = 8;
const LOAD_SECONDS: u64 = 5;
/// The target for RSS after the feed load.
const TARGET_MB: f64 = 50.0;
/// The target for one meeting's .ics at 8 clients.
const TARGET_MEETING_RPS: f64 = 3_500.0;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("MEMORY_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("charge")
        .enable_all()
        .build()
        .expect("client runtime");

    eprintln!(
        "Données : {} réunions publiques ({} séries)…",
        seed::MEETINGS,
        seed::SERIES
    );
    let (seeded, feeds) = rt.block_on(prepare(&database_url));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Server::start(&database_url, &base, dir.path());
    eprintln!("Serveur : pid {} sur {base}", server.child.id());
    let started = Instant::now();
    server.wait_until_warm();
    let warm_ms = started.elapsed().as_millis();
    std::thread::sleep(Duration::from_secs(1));
    let idle = server.status();
    eprintln!("  au repos : {}", idle.line());

    let client = client();
    let feed_load = rt.block_on(load_feeds(&client, &base, &feeds));
    std::thread::sleep(Duration::from_secs(1));
    let after_feeds = server.status();
    eprintln!("  après les flux : {}", after_feeds.line());

    let single_path = format!(
        "/reunions/{}/evenement.ics",
        seeded.meeting_ids[seeded.meeting_ids.len() / 2]
    );
    let single_load = rt.block_on(load_single(
        &client,
        &base,
        &seeded.meeting_ids,
        &single_path,
    ));
    std::thread::sleep(Duration::from_secs(1));
    let after_single = server.status();
    eprintln!("  après les .ics : {}", after_single.line());
    server.stop();

    let stages = [
        ("idle", "au repos après le démarrage", &idle),
        ("after_feeds", "après la charge des flux", &after_feeds),
        (
            "after_single_ics",
            "après la charge des .ics",
            &after_single,
        ),
    ];
    println!();
    println!(
        "Serveur `maillage serve` ({} réunions, {}), VEVENT écrits d'avance en {warm_ms} ms",
        seed::MEETINGS,
        if database_url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!(
        "{:<30} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "moment", "RSS Mo", "pic Mo", "anon Mo", "fichier", "threads"
    );
    for (_, label, s) in &stages {
        println!(
            "{label:<30} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8}",
            s.rss_mb(),
            s.hwm_kb as f64 / 1024.0,
            s.anon_kb as f64 / 1024.0,
            s.file_kb as f64 / 1024.0,
            s.threads
        );
    }
    println!();
    for l in [&feed_load, &single_load] {
        println!(
            "{} : {:.0} req/s à {CONCURRENCY} clients ({} erreurs)",
            l.name,
            l.rps(),
            l.errors
        );
    }
    println!(
        "RSS après la charge des flux : {:.1} Mo (cible < {TARGET_MB} Mo : {})",
        after_feeds.rss_mb(),
        if after_feeds.rss_mb() < TARGET_MB {
            "atteint"
        } else {
            "MANQUÉ"
        }
    );
    println!(
        "Fichier .ics d'une réunion : {:.0} req/s (cible ≥ {TARGET_MEETING_RPS:.0} : {})",
        single_load.rps(),
        if single_load.rps() >= TARGET_MEETING_RPS {
            "atteint"
        } else {
            "MANQUÉ"
        }
    );

    let memory: serde_json::Map<String, serde_json::Value> = stages
        .iter()
        .map(|(key, _, s)| (key.to_string(), s.json()))
        .collect();
    let loads: Vec<serde_json::Value> = [&feed_load, &single_load]
        .iter()
        .map(|l| {
            json!({
                "name": l.name,
                "concurrency": CONCURRENCY,
                "seconds": l.seconds,
                "requests": l.requests,
                "errors": l.errors,
                "requests_per_second": l.rps(),
            })
        })
        .collect();
    let value = json!({
        "date": Utc::now().to_rfc3339(),
        "machine": {"cores": std::thread::available_parallelism().map_or(0, |n| n.get())},
        "database": if database_url.starts_with("postgres") { "postgresql" } else { "sqlite" },
        "data": {
            "meetings": seed::MEETINGS,
            "series": seed::SERIES,
            "agenda_items": seeded.agenda_items,
            "occurrence_changes": seeded.changes,
        },
        "warm_ms": warm_ms,
        "memory": memory,
        "target_rss_mb": TARGET_MB,
        "target_met": after_feeds.rss_mb() < TARGET_MB,
        "load": loads,
        "feeds": feeds,
    });
    let dir_out = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target")));
    let _ = std::fs::create_dir_all(&dir_out);
    let path = dir_out.join("bench-memory.json");
    std::fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    println!();
    println!("Résultats écrits dans {}", path.display());
}

/// Migrates and seeds the database; returns the seed and every public feed's path.
async fn prepare(database_url: &str) -> (seed::Seeded, Vec<String>) {
    let db = maillage::db::connect(&Config::for_database(database_url))
        .await
        .expect("database");
    maillage::db::migrate(&db).await.expect("migrate");
    let existing = platform::Entity::find().count(&db).await.expect("count");
    assert_eq!(
        existing, 0,
        "MEMORY_BENCH_DATABASE_URL doit nommer une base vide (elle est remplie par le banc)"
    );
    let started = Instant::now();
    let seeded = seed::seed(&db).await;
    eprintln!("  insérées en {:.1} s", started.elapsed().as_secs_f64());
    let mut feeds = vec![
        "/agenda/reseau.ics".to_string(),
        format!("/agenda/plateformes/{}.ics", seed::PLATFORM_SLUG),
    ];
    for g in working_group::Entity::find()
        .filter(working_group::Column::PlatformId.eq(seeded.platform_id))
        .all(&db)
        .await
        .expect("groups")
    {
        feeds.push(format!("/agenda/gt/{}.ics", g.id));
    }
    for o in reception_office::Entity::find()
        .all(&db)
        .await
        .expect("offices")
    {
        feeds.push(format!("/agenda/bureaux/{}.ics", o.slug));
    }
    db.close().await.expect("close");
    (seeded, feeds)
}

/// The `maillage` binary serving the bench database, its log read on a thread.
struct Server {
    child: Child,
    warm: std::sync::mpsc::Receiver<()>,
}

impl Server {
    fn start(database_url: &str, base: &str, dir: &std::path::Path) -> Self {
        // MEMORY_BENCH_SERVER: another build of the binary (to compare with an earlier commit).
        let binary = std::env::var_os("MEMORY_BENCH_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_maillage")));
        let mut child = Command::new(binary)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("MAILLAGE_BIND", base.trim_start_matches("http://"))
            .env("MAILLAGE_BASE_URL", base)
            .env("MAILLAGE_CONFIG", dir.join("absent.toml"))
            .env("MAILLAGE_OUTBOX_DIR", dir.join("outbox"))
            .env("MAILLAGE_LOG_FORMAT", "text")
            .env(
                "RUST_LOG",
                "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn",
            )
            .stdin(Stdio::null())
            // Its log goes to standard output; errors before it starts, to standard error.
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("maillage serve");
        let log = child.stdout.take().expect("stdout");
        let (tx, warm) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(log).lines().map_while(Result::ok) {
                if line.contains("requête traitée") {
                    continue;
                }
                eprintln!("  [serveur] {}", line.trim());
                if line.contains("agendas : ") {
                    let _ = tx.send(());
                }
            }
        });
        Self { child, warm }
    }

    fn wait_until_warm(&self) {
        self.warm
            .recv_timeout(Duration::from_secs(120))
            .expect("the server wrote its VEVENTs ahead within 2 minutes");
    }

    fn status(&self) -> Status {
        Status::read(self.child.id())
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What `/proc/<pid>/status` says of the server's memory (kB).
struct Status {
    rss_kb: u64,
    hwm_kb: u64,
    anon_kb: u64,
    file_kb: u64,
    threads: u64,
}

impl Status {
    fn read(pid: u32) -> Self {
        let text = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Self {
            rss_kb: field("VmRSS:"),
            hwm_kb: field("VmHWM:"),
            anon_kb: field("RssAnon:"),
            file_kb: field("RssFile:"),
            threads: field("Threads:"),
        }
    }

    fn rss_mb(&self) -> f64 {
        self.rss_kb as f64 / 1024.0
    }

    fn line(&self) -> String {
        format!(
            "RSS {:.1} Mo (pic {:.1} Mo, anonyme {:.1} Mo, fichiers {:.1} Mo, {} threads)",
            self.rss_mb(),
            self.hwm_kb as f64 / 1024.0,
            self.anon_kb as f64 / 1024.0,
            self.file_kb as f64 / 1024.0,
            self.threads
        )
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "vm_rss_kb": self.rss_kb,
            "vm_hwm_kb": self.hwm_kb,
            "rss_anon_kb": self.anon_kb,
            "rss_file_kb": self.file_kb,
            "threads": self.threads,
        })
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

struct Load {
    name: &'static str,
    requests: u64,
    errors: u64,
    seconds: f64,
}

impl Load {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// One GET, its status (bodies read whole, as a client does).
async fn get(client: &reqwest::Client, url: &str, gzip: bool) -> u16 {
    let mut request = client.get(url);
    if gzip {
        request = request.header("accept-encoding", "gzip");
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let _ = response.bytes().await.expect("body");
    status
}

/// `CONCURRENCY` clients for `LOAD_SECONDS` on `path` (gzip asked every other request when
/// `mixed`), after one second of warm-up.
async fn load(
    name: &'static str,
    client: &reqwest::Client,
    base: &str,
    path: &str,
    mixed: bool,
) -> Load {
    let mut result = None;
    for seconds in [1, LOAD_SECONDS] {
        let requests = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for worker in 0..CONCURRENCY {
            let (client, url) = (client.clone(), format!("{base}{path}"));
            let (requests, errors) = (requests.clone(), errors.clone());
            tasks.push(tokio::spawn(async move {
                let mut gzip = mixed && worker % 2 == 0;
                while Instant::now() < deadline {
                    if get(&client, &url, gzip).await == 200 {
                        requests.fetch_add(1, Ordering::Relaxed);
                    } else {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    gzip = mixed && !gzip;
                }
            }));
        }
        for task in tasks {
            task.await.expect("load task");
        }
        result = Some(Load {
            name,
            requests: requests.load(Ordering::Relaxed),
            errors: errors.load(Ordering::Relaxed),
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    result.expect("measured")
}

async fn load_feeds(client: &reqwest::Client, base: &str, feeds: &[String]) -> Load {
    for path in feeds {
        for gzip in [false, true] {
            let status = get(client, &format!("{base}{path}"), gzip).await;
            assert_eq!(status, 200, "{path}");
        }
    }
    load(
        "flux de la plateforme (identité et gzip)",
        client,
        base,
        &format!("/agenda/plateformes/{}.ics", seed::PLATFORM_SLUG),
        true,
    )
    .await
}

async fn load_single(client: &reqwest::Client, base: &str, meetings: &[i64], path: &str) -> Load {
    for id in meetings {
        let status = get(
            client,
            &format!("{base}/reunions/{id}/evenement.ics"),
            false,
        )
        .await;
        assert_eq!(status, 200, "réunion {id}");
    }
    load("fichier .ics d'une réunion", client, base, path, false).await
}
