//! Headless Chromium driven through chromedriver (WebDriver), for the browser test: finding the
//! binaries, starting and stopping the driver, and waiting for what the page shows.
//!
//! `CHROMEDRIVER` names the driver binary, `CHROME_BIN` the browser binary.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::{eventually, free_port};

/// The chromedriver binary: `$CHROMEDRIVER` (when set, it must exist, or there is none),
/// else `/usr/bin/chromedriver`, else `chromedriver` on the `PATH`.
pub fn find_chromedriver() -> Option<PathBuf> {
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
pub fn find_chrome() -> Option<String> {
    if let Ok(bin) = std::env::var("CHROME_BIN")
        && !bin.is_empty()
    {
        return Some(bin);
    }
    Path::new("/usr/bin/chromium")
        .is_file()
        .then(|| "/usr/bin/chromium".to_string())
}

/// A running chromedriver, shut down (with its browsers) when dropped — also when the test
/// panics halfway.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Starts chromedriver on a free loopback port and waits until it answers.
    pub async fn start(binary: &Path) -> ChromeDriver {
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

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| e.to_string())?;
        let status = format!("{}/status", self.url());
        let child = &mut self.child;
        eventually(&format!("a ready answer at {status}"), async || {
            if let Ok(Some(exit)) = child.try_wait() {
                // Exited: no use waiting; the caller tries another port.
                return Ok(Err(format!("it exited early ({exit})")));
            }
            match http.get(&status).send().await {
                Ok(response) => match response.json::<Value>().await {
                    Ok(body) if body["value"]["ready"] == json!(true) => Ok(Ok(())),
                    Ok(body) => Err(format!("not ready yet: {body}")),
                    Err(e) => Err(e.to_string()),
                },
                Err(e) => Err(e.to_string()),
            }
        })
        .await
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
pub fn capabilities(profile: &Path) -> fantoccini::wd::Capabilities {
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
pub async fn text_of(client: &Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits until the element `css` shows every one of `expected`; fails with what it showed.
pub async fn wait_for_text(client: &Client, css: &str, expected: &[&str]) -> String {
    eventually(&format!("{css} to show {expected:?}"), async || {
        let text = text_of(client, css).await;
        if expected.iter().all(|e| text.contains(e)) {
            return Ok(text);
        }
        let url = client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        Err(format!("on {url} it shows:\n{text}"))
    })
    .await
}

/// Waits until the page's htmx has loaded (the script is deferred).
pub async fn wait_for_htmx(client: &Client) {
    eventually("htmx to load on the page", async || {
        let loaded = client
            .execute("return typeof window.htmx === 'object';", vec![])
            .await;
        if loaded.as_ref().is_ok_and(|v| *v == json!(true)) {
            Ok(())
        } else {
            Err(format!("{loaded:?}"))
        }
    })
    .await;
}
