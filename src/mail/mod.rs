//! Email: invitations and notifications, written to an outbox in the same transaction as the
//! change that causes them, and delivered by a worker (SMTP, or .eml files without SMTP).

pub mod compose;
pub mod events;
pub mod invitations;
pub mod notify;
pub mod outbox;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::sync::Notify;

use crate::config::Config;
use crate::entities::outbox_message::OutboxKind;
use crate::web::ctx::Keys;
use compose::Sender;

/// What composing a message needs: where its links point, who sends it (and wakes the worker),
/// the key that signs answer links. Not the whole `AppState`: the events subscriber holds one,
/// and the state holds the subscriber.
#[derive(Clone)]
pub struct MailContext {
    pub base_url: String,
    pub keys: Arc<Keys>,
    pub mailer: Arc<Mailer>,
}

impl MailContext {
    pub fn of(state: &crate::state::AppState) -> Self {
        Self {
            base_url: state.config.base_url.clone(),
            keys: state.keys.clone(),
            mailer: state.mailer.clone(),
        }
    }
}

/// Where messages go.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP configured: one .eml file per message, for a person to read.
    Files(PathBuf),
}

/// What the app needs to send mail: the transport, who sends, and a bell to wake the worker.
pub struct Mailer {
    pub transport: Transport,
    pub sender: Sender,
    /// Wakes the worker right after a change wrote to the outbox.
    pub wake: Notify,
    /// Unique per process: who holds a claimed message.
    pub worker_id: String,
    /// The last SMTP connection problem, for the administrator page (None when fine).
    pub health: RwLock<Option<String>>,
    pub retry_secs: u64,
    pub poll_ms: u64,
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Arc<Mailer>> {
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("MAILLAGE_SMTP_URL illisible : {e}"))?
                    .build(),
            ),
            None => Transport::Files(PathBuf::from(&config.outbox_dir)),
        };
        let organizer = crate::config::mailbox_parts(&config.organizer);
        Ok(Arc::new(Mailer {
            transport,
            sender: Sender {
                from: config.mail_from.clone(),
                organizer_email: organizer.1,
                organizer_name: organizer.0,
            },
            wake: Notify::new(),
            worker_id: uuid::Uuid::new_v4().simple().to_string(),
            health: RwLock::new(None),
            retry_secs: config.mail_retry_secs.max(1),
            poll_ms: config.mail_poll_ms.max(50),
        }))
    }

    /// Checks that the SMTP server answers; a problem is a warning, never a crash.
    pub async fn check(&self) {
        let problem = match &self.transport {
            Transport::Files(dir) => std::fs::create_dir_all(dir)
                .err()
                .map(|e| format!("dossier {} inutilisable : {e}", dir.display())),
            Transport::Smtp(smtp) => match smtp.test_connection().await {
                Ok(true) => None,
                Ok(false) => Some("le serveur SMTP ne répond pas".to_string()),
                Err(e) => Some(format!("connexion SMTP impossible : {e}")),
            },
        };
        if let Some(problem) = &problem {
            tracing::warn!(problème = %problem, "envoi des courriels : les messages attendront dans la file");
        }
        self.set_health(problem);
    }

    pub fn set_health(&self, problem: Option<String>) {
        if let Ok(mut health) = self.health.write() {
            *health = problem;
        }
    }

    pub fn health(&self) -> Option<String> {
        self.health.read().ok().and_then(|h| h.clone())
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".to_string(),
            Transport::Files(dir) => format!("fichiers .eml dans {}", dir.display()),
        }
    }

    async fn deliver(
        &self,
        id: i64,
        kind: OutboxKind,
        recipient: &str,
        message: &str,
    ) -> Result<(), Failure> {
        match &self.transport {
            Transport::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| Failure::Temporary(e.to_string()))?;
                let path = dir.join(format!("{id:06}-{kind}.eml"));
                std::fs::write(&path, message).map_err(|e| Failure::Temporary(e.to_string()))
            }
            Transport::Smtp(smtp) => {
                let from = self.sender.from.trim().parse::<Mailbox>().ok();
                let envelope = lettre::address::Envelope::new(
                    from.map(|mailbox| mailbox.email),
                    vec![
                        recipient
                            .parse()
                            .map_err(|e| Failure::Permanent(format!("adresse refusée : {e}")))?,
                    ],
                )
                .map_err(|e| Failure::Permanent(format!("enveloppe invalide : {e}")))?;
                match smtp.send_raw(&envelope, message.as_bytes()).await {
                    Ok(_) => Ok(()),
                    Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
                    Err(e) => Err(Failure::Temporary(e.to_string())),
                }
            }
        }
    }
}

#[derive(Debug)]
pub enum Failure {
    /// Worth trying again later (server down, 4xx).
    Temporary(String),
    /// Will never work (5xx, unknown mailbox).
    Permanent(String),
}
