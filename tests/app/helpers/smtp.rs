//! A real SMTP server for the mail tests: Python's aiosmtpd on loopback, writing a Maildir that
//! is read back with Python's email package and icalendar (tests/tools/mail_check.py).

use std::process::{Child, Command, Stdio};

use serde_json::Value;

use super::{eventually, free_port};

pub struct SmtpServer {
    child: Option<Child>,
    pub port: u16,
    maildir: tempfile::TempDir,
}

fn required() -> bool {
    std::env::var("MAILLAGE_REQUIRE_PYTHON").is_ok_and(|v| v == "1")
}

impl SmtpServer {
    /// A fresh SMTP server, or None when aiosmtpd is not installed: the test is then skipped,
    /// and says so, except under CI (MAILLAGE_REQUIRE_PYTHON=1) where it fails.
    pub async fn start() -> Option<SmtpServer> {
        let ok = Command::new("python3")
            .args(["-c", "import aiosmtpd, icalendar"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                !required(),
                "MAILLAGE_REQUIRE_PYTHON=1 but the mail tests cannot import Python's aiosmtpd \
                 and icalendar: pip install aiosmtpd icalendar"
            );
            super::skipped(
                "le serveur SMTP de Python (aiosmtpd, icalendar)",
                "pip install aiosmtpd icalendar",
            );
            return None;
        }
        let maildir = tempfile::tempdir().unwrap();
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(maildir.path().join(sub)).unwrap();
        }
        let mut server = SmtpServer {
            child: None,
            port: free_port(),
            maildir,
        };
        server.restart().await;
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn restart(&mut self) {
        let child = Command::new("python3")
            .env(
                "PYTHONPATH",
                concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools"),
            )
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
                "-c",
                // A Maildir that refuses "inconnu…" with a permanent 550 (tests/tools/smtp_reject.py).
                "smtp_reject.RejectingMailbox",
            ])
            .arg(self.maildir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        let port = self.port;
        eventually("aiosmtpd to listen", async || {
            std::net::TcpStream::connect(("127.0.0.1", port))
                .map(drop)
                .map_err(|e| e.to_string())
        })
        .await;
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// How many messages arrived (aiosmtpd writes each before it answers 250).
    pub fn count(&self) -> usize {
        std::fs::read_dir(self.maildir.path().join("new"))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    /// Waits until at least `n` messages arrived; returns how many did. To know that nothing
    /// more is coming, drain the app's outbox instead (`TestApp::drain_outbox`).
    pub async fn wait_for(&self, n: usize) -> usize {
        eventually(&format!("{n} messages at the SMTP server"), async || {
            let count = self.count();
            if count >= n {
                Ok(count)
            } else {
                Err(format!("{count} arrived"))
            }
        })
        .await
    }

    pub fn messages(&self) -> Vec<Value> {
        let output = Command::new("python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/tools/mail_check.py"
            ))
            .arg(self.maildir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
