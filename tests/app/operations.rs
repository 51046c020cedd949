//! The real binary as an operator runs it: structured request logs without secrets, and a
//! clean stop on SIGTERM.

use std::io::Read;
use std::process::{Command, Stdio};

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, Visitor, eventually, free_port};

#[tokio::test]
async fn the_server_logs_one_json_line_per_request_without_secrets_and_stops_on_sigterm() {
    let app = TestApp::spawn().await;
    app.create_person("Claire Dubois", "claire@cri-namur.example", true)
        .await;
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .arg("serve")
        .env("DATABASE_URL", &app.database_url)
        .env("MAILLAGE_BIND", format!("127.0.0.1:{port}"))
        .env("MAILLAGE_LOG_FORMAT", "json")
        .env("MAILLAGE_CONFIG", "/nonexistent/maillage.toml")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let browser = Visitor::new(&base);
    eventually("the server to start", async || {
        match browser.client.get(format!("{base}/healthz")).send().await {
            Ok(r) if r.status() == StatusCode::OK => Ok(()),
            Ok(r) => Err(r.status().to_string()),
            Err(e) => Err(e.to_string()),
        }
    })
    .await;
    browser.sign_in("claire@cri-namur.example", PASSWORD).await;
    let csrf = browser.csrf().await;
    assert_eq!(
        browser.get("/personnes?q=secret-query").await.status(),
        StatusCode::OK
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = eventually("the server to stop on SIGTERM", async || {
        child
            .try_wait()
            .unwrap()
            .ok_or_else(|| "still running".into())
    })
    .await;
    assert!(status.success(), "clean exit: {status}");
    let mut logs = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();

    assert!(!logs.contains(PASSWORD), "no password in the logs");
    assert!(!logs.contains(&csrf), "no CSRF token in the logs");
    assert!(
        !logs.contains("secret-query"),
        "no query strings in the logs"
    );
    assert!(
        !logs.contains("maillage_session="),
        "no session cookie in the logs"
    );
    let requests: Vec<serde_json::Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "requête traitée")
        .collect();
    let sign_in = requests
        .iter()
        .find(|v| v["fields"]["route"] == "/connexion" && v["fields"]["method"] == "POST")
        .expect("a line for the sign-in request");
    assert_eq!(sign_in["fields"]["status"], 303);
    assert!(sign_in["fields"]["latency_ms"].is_string());
    assert_eq!(
        sign_in["span"]["id"].as_str().map(str::len),
        Some(32),
        "the request id"
    );
    assert!(
        requests
            .iter()
            .any(|v| v["fields"]["route"] == "/personnes")
    );
    assert!(logs.contains("arrêté proprement"));
}
