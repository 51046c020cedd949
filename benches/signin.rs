//! Memory of a burst of sign-ins (issue #9, item 1: "RSS high-water mark under 200 MB for 60
//! simultaneous sign-ins"; each argon2id check holds about 19 MiB).
//!
//! `cargo bench --bench signin`: a temporary SQLite database with 60 accounts, the real
//! `maillage` binary serving it on a loopback port, then four bursts of 60 simultaneous
//! sign-ins (reqwest, loopback only, each browser prepared beforehand): 60 accounts with their
//! right password from 60 addresses (127.0.1.x: 60 checks), the same with a wrong password (60
//! checks), 60 wrong passwords for one account from one address (5 checks, 55 refusals), and 60
//! accounts with their right password from one address (at most 20 attempts of one address are
//! in flight at once: they count as failures until checked). After each burst it reads the
//! server's `VmHWM` (peak resident memory) from `/proc/<pid>/status`. Nothing is asserted: the
//! numbers are printed for the README.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use maillage::config::Config;
use maillage::entities::person;
use sea_orm::{ActiveModelTrait, Set};

const ACCOUNTS: usize = 60;
const PASSWORD: &str = "une phrase de passe solide";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server's peak and current resident memory, in MiB.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn client(from: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(from.parse::<std::net::IpAddr>().unwrap())
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn csrf(client: &reqwest::Client, base: &str) -> String {
    let html = client
        .get(format!("{base}/bureaux"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = r#"<meta name="csrf-token" content=""#;
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// Email, password, and the loopback address the attempt comes from.
type Attempt = (String, String, String);

fn from_many(i: usize) -> String {
    format!("127.0.1.{}", i + 1)
}

/// Sends the sign-ins all at once; returns the statuses' counts and the time taken.
async fn burst(base: &str, attempts: Vec<Attempt>) -> (Vec<(u16, usize)>, Duration) {
    // One browser (cookie jar and CSRF token) per attempt, prepared before the burst.
    let mut prepared = Vec::new();
    for (email, password, from) in attempts {
        let client = client(&from);
        let token = csrf(&client, base).await;
        prepared.push((client, token, email, password));
    }
    let started = Instant::now();
    let tasks: Vec<_> = prepared
        .into_iter()
        .map(|(client, token, email, password)| {
            let url = format!("{base}/connexion");
            tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[
                        ("email", email.as_str()),
                        ("password", password.as_str()),
                        ("csrf_token", token.as_str()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    let mut counts: Vec<(u16, usize)> = Vec::new();
    for task in tasks {
        let status = task.await.unwrap_or(0);
        match counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status, 1)),
        }
    }
    counts.sort();
    (counts, started.elapsed())
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    runtime.block_on(async {
        let config = Config::for_database(&database_url);
        let db = maillage::db::connect(&config).await.unwrap();
        maillage::db::migrate(&db).await.unwrap();
        // One hash for every account: the setup itself stays light.
        let hash = maillage::auth::password::hash(PASSWORD).unwrap();
        for i in 0..ACCOUNTS {
            let now = Utc::now();
            person::ActiveModel {
                name: Set(format!("Compte {i}")),
                email: Set(format!("compte{i}@exemple.example")),
                email_normalized: Set(format!("compte{i}@exemple.example")),
                organisation_id: Set(None),
                language: Set(person::Language::Fr),
                active: Set(true),
                is_admin: Set(false),
                password_hash: Set(Some(hash.clone())),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap();
        }
        db.close().await.unwrap();
    });

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let base = format!("http://127.0.0.1:{port}");
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_maillage"))
            .arg("serve")
            .env("DATABASE_URL", &database_url)
            .env("MAILLAGE_BIND", format!("127.0.0.1:{port}"))
            .env("MAILLAGE_CONFIG", "/nonexistent/maillage.toml")
            .env("MAILLAGE_OUTBOX_DIR", dir.path().join("outbox"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start maillage"),
    );
    let pid = server.0.id();

    runtime.block_on(async {
        let probe = client("127.0.0.1");
        let deadline = Instant::now() + Duration::from_secs(60);
        while probe.get(format!("{base}/healthz")).send().await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (peak, rss) = memory(pid);
        println!(
            "cœurs : {}",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        println!("au repos                        : pic {peak:6.1} Mio, actuel {rss:6.1} Mio");

        let account = |i: usize| format!("compte{i}@exemple.example");
        let phases: [(&str, Vec<Attempt>); 4] = [
            (
                "60 comptes, bons, 60 adresses",
                (0..ACCOUNTS)
                    .map(|i| (account(i), PASSWORD.to_string(), from_many(i)))
                    .collect(),
            ),
            (
                "60 comptes, faux, 60 adresses",
                (0..ACCOUNTS)
                    .map(|i| (account(i), "faux".to_string(), from_many(i)))
                    .collect(),
            ),
            (
                "1 compte, 60 faux, 1 adresse",
                (0..ACCOUNTS)
                    .map(|i| (account(0), format!("faux {i}"), "127.0.0.1".to_string()))
                    .collect(),
            ),
            (
                "60 comptes, bons, 1 adresse",
                (0..ACCOUNTS)
                    .map(|i| (account(i), PASSWORD.to_string(), "127.0.0.2".to_string()))
                    .collect(),
            ),
        ];
        for (name, attempts) in phases {
            let (counts, elapsed) = burst(&base, attempts).await;
            let (peak, rss) = memory(pid);
            let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n}×{s}")).collect();
            println!(
                "{name:32}: pic {peak:6.1} Mio, actuel {rss:6.1} Mio, {:5.2} s, réponses {}",
                elapsed.as_secs_f64(),
                counts.join(" ")
            );
        }
    });
    drop(server);
}
