//! End-to-end in a real browser: headless Chromium driven through chromedriver (WebDriver), on
//! the real app. It proves what the HTTP-level tests cannot: that htmx, loaded by the page,
//! really wires the picker and swaps the members panel in place.
//!
//! Needs `chromedriver` (and Chromium). Without it the test is skipped, unless
//! `MAILLAGE_REQUIRE_BROWSER=1` (CI), where a missing chromedriver is a failure.
//! `CHROMEDRIVER` names the driver binary, `CHROME_BIN` the browser binary.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use maillage::entities::platform_membership;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

/// How long to wait for anything in the browser before failing.
const PATIENCE: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);

/// The chromedriver binary: `$CHROMEDRIVER` (when set, it must exist, or there is none),
/// else `/usr/bin/chromedriver`, else `chromedriver` on the `PATH`.
fn find_chromedriver() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("CHROMEDRIVER").filter(|v| !v.is_empty()) {
        let explicit = PathBuf::from(explicit);
        if explicit.components().count() == 1 {
            return on_path(&explicit);
        }
        return explicit.is_file().then_some(explicit);
    }
    let system = Path::new("/usr/bin/chromedriver");
    if system.is_file() {
        return Some(system.to_path_buf());
    }
    on_path(Path::new("chromedriver"))
}

fn on_path(name: &Path) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The browser binary: `$CHROME_BIN`, else `/usr/bin/chromium` when installed, else whatever
/// chromedriver finds by itself.
fn find_chrome() -> Option<String> {
    if let Ok(bin) = std::env::var("CHROME_BIN")
        && !bin.is_empty()
    {
        return Some(bin);
    }
    Path::new("/usr/bin/chromium")
        .is_file()
        .then(|| "/usr/bin/chromium".to_string())
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A running chromedriver, shut down (with its browsers) when dropped — also when the test
/// panics halfway.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Starts chromedriver on a free loopback port and waits until it answers.
    async fn start(binary: &Path) -> ChromeDriver {
        let mut last_problem = String::new();
        // The port is free when picked but could be taken before chromedriver binds it: retry.
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(binary)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("could not start {}: {e}", binary.display()));
            let mut driver = ChromeDriver { child, port };
            match driver.wait_until_ready().await {
                Ok(()) => return driver,
                Err(problem) => last_problem = problem,
            }
        }
        panic!(
            "chromedriver ({}) never became ready: {last_problem}",
            binary.display()
        );
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| e.to_string())?;
        let status = format!("{}/status", self.url());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(exit)) = self.child.try_wait() {
                return Err(format!("it exited early ({exit})"));
            }
            if let Ok(response) = http.get(&status).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("no ready answer at {status} after {PATIENCE:?}"));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// `GET /shutdown` quits every session's browser, then chromedriver itself. Plain blocking
    /// I/O: this runs from `drop`, possibly while unwinding.
    fn ask_to_shut_down(&self) {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(1)) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
        let request = format!(
            "GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.read_to_end(&mut Vec::new());
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.ask_to_shut_down();
            let deadline = Instant::now() + Duration::from_secs(5);
            while let Ok(None) = self.child.try_wait() {
                if Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Headless Chromium that never reaches outside this machine.
fn capabilities(profile: &Path) -> fantoccini::wd::Capabilities {
    let mut options = json!({
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    if let Some(binary) = find_chrome() {
        options["binary"] = json!(binary);
    }
    let mut caps = fantoccini::wd::Capabilities::new();
    caps.insert("goog:chromeOptions".to_string(), options);
    caps
}

/// The text of the first element matching `css`, or "" when there is none (yet).
async fn text_of(client: &Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Polls until the element `css` shows every one of `expected`; fails with what it showed.
async fn wait_for_text(client: &Client, css: &str, expected: &[&str]) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = text_of(client, css).await;
        if expected.iter().all(|e| text.contains(e)) {
            return text;
        }
        if Instant::now() > deadline {
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!(
                "after {PATIENCE:?}, {css} on {url} still lacks {expected:?}; it shows:\n{text}"
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Polls until the page's htmx has loaded (the script is deferred).
async fn wait_for_htmx(client: &Client) {
    let deadline = Instant::now() + PATIENCE;
    while client
        .execute("return typeof window.htmx === 'object';", vec![])
        .await
        .ok()
        != Some(json!(true))
    {
        assert!(Instant::now() < deadline, "htmx never loaded on the page");
        tokio::time::sleep(POLL).await;
    }
}

#[tokio::test]
async fn a_coordinator_signs_in_and_adds_a_member_through_the_htmx_picker_in_a_real_browser() {
    let Some(chromedriver) = find_chromedriver() else {
        assert!(
            std::env::var("MAILLAGE_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "MAILLAGE_REQUIRE_BROWSER=1 but chromedriver was not found (CHROMEDRIVER, \
             /usr/bin/chromedriver, PATH): install chromium and chromium-driver"
        );
        println!(
            "browser test skipped: chromedriver is missing (set CHROMEDRIVER or install chromium-driver)"
        );
        return;
    };

    // Arrange.
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let coralie = app
        .create_person("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coralie, "coordinator").await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-dinant.example", false)
        .await;

    // Declared before the driver, so dropped after it: the browser is gone before its profile.
    let profile = tempfile::tempdir().expect("browser profile dir");
    let driver = ChromeDriver::start(&chromedriver).await;
    // Plain HTTP to the loopback driver: no TLS stack (and no process-wide rustls provider) needed.
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities(profile.path()))
        .connect(&driver.url())
        .await
        .expect("a chromium session through chromedriver");

    // Sign in through the real form.
    client
        .goto(&format!("{}/connexion", app.address))
        .await
        .expect("open /connexion");
    client
        .find(Locator::Css("#email"))
        .await
        .expect("email field")
        .send_keys("coralie@cri-namur.example")
        .await
        .expect("type the email");
    client
        .find(Locator::Css("#password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type the password");
    client
        .find(Locator::Css(
            r#"form[action="/connexion"] button[type="submit"]"#,
        ))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("submit the sign-in form");
    wait_for_text(&client, "h1", &["Bonjour Coralie Lefèvre"]).await;
    assert_eq!(client.current_url().await.expect("url").path(), "/");

    // The platform page; a marker that only survives if the page is never reloaded.
    client
        .goto(&format!("{}/plateformes/sociojuridique", app.address))
        .await
        .expect("open the platform");
    wait_for_htmx(&client).await;
    client
        .execute("window.__pasRecharge = 42;", vec![])
        .await
        .expect("set the marker");
    wait_for_text(&client, "#membres", &["Membres (1)"]).await;

    // Search through the picker, add from the results.
    client
        .find(Locator::Css("#picker-q"))
        .await
        .expect("picker search field")
        .send_keys("Amina")
        .await
        .expect("type in the picker");
    wait_for_text(&client, "#picker-results", &["Amina Benali"]).await;
    client
        .find(Locator::Css(&format!(
            r#"#picker-results button[data-add="{amina}"]"#
        )))
        .await
        .expect("the Ajouter button for Amina")
        .click()
        .await
        .expect("click Ajouter");
    wait_for_text(
        &client,
        "#membres",
        &["Amina Benali ajouté·e", "Membres (2)"],
    )
    .await;

    // Updated in place by htmx: same address, same page (the marker is still there).
    assert_eq!(
        client.current_url().await.expect("url").path(),
        "/plateformes/sociojuridique"
    );
    let marker = client
        .execute("return window.__pasRecharge ?? null;", vec![])
        .await
        .expect("read the marker");
    assert_eq!(
        marker,
        json!(42),
        "the page was reloaded instead of swapped by htmx"
    );

    let membership = platform_membership::Entity::find()
        .filter(platform_membership::Column::PlatformId.eq(platform))
        .filter(platform_membership::Column::PersonId.eq(amina))
        .one(&app.db)
        .await
        .expect("query memberships")
        .expect("Amina is now a member of the platform");
    assert_eq!(membership.role, "member");

    client.close().await.expect("close the browser session");
    drop(driver);
}
