//! Configuration: defaults, then an optional `maillage.toml`, then environment variables.
//! The secret key is never printed: `Config`'s `Debug` hides it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::web::client_ip::{self, IpRange};

pub mod caches;
pub use caches::CacheBounds;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/maillage.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";
pub const DEFAULT_MAIL_FROM: &str = "maillage <coordination@cri-namur.example>";
pub const DEFAULT_OUTBOX_DIR: &str = "data/outbox";
/// A client that has not sent its request's headers by then is disconnected.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 15;
/// Connections served at once; the next ones wait in the listen queue.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

#[derive(Clone)]
pub struct Config {
    /// `sqlite://…` (default, a file under `data/`) or `postgres://…`.
    pub database_url: String,
    /// Address and port to listen on.
    pub bind: String,
    /// Public URL used in links (no trailing slash).
    pub base_url: String,
    /// Secret used to sign tokens (CSRF, later e-mail links). `None`: taken from the database,
    /// where it is generated on first start and shared by every instance.
    pub secret_key: Option<String>,
    /// One JSON object per log line, or readable lines.
    pub log_format: LogFormat,
    /// lettre's SMTP URL (`smtp://user:pass@host:587?tls=required`, `smtps://…`); None: messages
    /// are written as .eml files under `outbox_dir` instead.
    pub smtp_url: Option<String>,
    /// The From mailbox of every message.
    pub mail_from: String,
    /// The ORGANIZER of invitations: a real mailbox that receives the Accept/Decline replies.
    pub organizer: String,
    /// Where messages go without SMTP.
    pub outbox_dir: String,
    /// First retry delay after a temporary failure (doubles each time).
    pub mail_retry_secs: u64,
    /// How often the mail worker looks for due messages (it is also woken on each change).
    pub mail_poll_ms: u64,
    /// Most addresses one invitation request may name (`MAILLAGE_INVITATIONS_PER_REQUEST`).
    pub invitations_per_request: usize,
    /// Most invitations one person may send in 24 hours (`MAILLAGE_INVITATIONS_PER_DAY`).
    pub invitations_per_day: usize,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers tell the client's address.
    pub trusted_proxies: Vec<IpRange>,
    /// Time a client has to send a request's headers (slow clients hold no connection forever).
    pub header_timeout_secs: u64,
    /// Connections served at once.
    pub max_connections: usize,
    /// The secret a mail gateway presents (`Authorization: Bearer …`) to hand over the iTIP
    /// replies that reach the organizer's mailbox (`MAILLAGE_ITIP_TOKEN`); None: no gateway.
    pub itip_token: Option<String>,
    /// How much the calendar caches may hold (`MAILLAGE_*_CACHE_ENTRIES`, `_MIB`).
    pub caches: CacheBounds,
}

/// How the server writes its log lines (`MAILLAGE_LOG_FORMAT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Readable,
    Json,
}

impl LogFormat {
    /// `json` for one JSON object per line; anything else (the default) reads as text.
    pub fn from_setting(value: &str) -> LogFormat {
        match value {
            "json" => LogFormat::Json,
            _ => LogFormat::Readable,
        }
    }
}

/// Default of [`Config::invitations_per_request`].
pub const DEFAULT_INVITATIONS_PER_REQUEST: usize = 200;
/// Default of [`Config::invitations_per_day`].
pub const DEFAULT_INVITATIONS_PER_DAY: usize = 1000;

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("base_url", &self.base_url)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<caché>"))
            .field("log_format", &self.log_format)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("organizer", &self.organizer)
            .field("outbox_dir", &self.outbox_dir)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("max_connections", &self.max_connections)
            .field("itip_token", &self.itip_token.as_ref().map(|_| "<caché>"))
            .field("caches", &self.caches)
            .finish()
    }
}

/// The same settings as read from `maillage.toml` (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    base_url: Option<String>,
    secret_key: Option<String>,
    log_format: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    organizer: Option<String>,
    outbox_dir: Option<String>,
    invitations_per_request: Option<usize>,
    invitations_per_day: Option<usize>,
    trusted_proxies: Option<AddressList>,
    header_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
    itip_token: Option<String>,
    feed_cache_entries: Option<usize>,
    feed_cache_mib: Option<usize>,
    fragment_cache_entries: Option<usize>,
    fragment_cache_mib: Option<usize>,
    meeting_file_cache_entries: Option<usize>,
    meeting_file_cache_mib: Option<usize>,
    sqlite_cache_kib: Option<usize>,
}

/// `trusted_proxies = ["10.0.0.1", "10.1.0.0/16"]` or one string `"10.0.0.1, 10.1.0.0/16"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum AddressList {
    One(String),
    Many(Vec<String>),
}

impl AddressList {
    fn joined(self) -> String {
        match self {
            Self::One(text) => text,
            Self::Many(items) => items.join(","),
        }
    }
}

/// The server's network limits as read, before parsing.
struct NetworkSettings {
    trusted_proxies: Option<String>,
    header_timeout_secs: Option<String>,
    max_connections: Option<String>,
}

impl Config {
    /// Reads `maillage.toml` (or the file named by `MAILLAGE_CONFIG`) if present, then the
    /// environment, which wins.
    pub fn load() -> anyhow::Result<Self> {
        let path = std::env::var("MAILLAGE_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from("maillage.toml"));
        let mut file = read_file(&path)?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let network = NetworkSettings {
            trusted_proxies: env("MAILLAGE_TRUSTED_PROXIES")
                .or(file.trusted_proxies.take().map(AddressList::joined)),
            header_timeout_secs: env("MAILLAGE_HEADER_TIMEOUT_SECS")
                .or(file.header_timeout_secs.map(|v| v.to_string())),
            max_connections: env("MAILLAGE_MAX_CONNECTIONS")
                .or(file.max_connections.map(|v| v.to_string())),
        };
        let mail = FileConfig {
            smtp_url: env("MAILLAGE_SMTP_URL").or(file.smtp_url.clone()),
            mail_from: env("MAILLAGE_MAIL_FROM").or(file.mail_from.clone()),
            organizer: env("MAILLAGE_ORGANIZER").or(file.organizer.clone()),
            outbox_dir: env("MAILLAGE_OUTBOX_DIR").or(file.outbox_dir.clone()),
            ..FileConfig::default()
        };
        let caps = (file.invitations_per_request, file.invitations_per_day);
        let itip_token = env("MAILLAGE_ITIP_TOKEN").or(file.itip_token.take());
        let cache_file = caches::CacheFile {
            feed_cache_entries: file.feed_cache_entries,
            feed_cache_mib: file.feed_cache_mib,
            fragment_cache_entries: file.fragment_cache_entries,
            fragment_cache_mib: file.fragment_cache_mib,
            meeting_file_cache_entries: file.meeting_file_cache_entries,
            meeting_file_cache_mib: file.meeting_file_cache_mib,
            sqlite_cache_kib: file.sqlite_cache_kib,
        };
        let mut config = Self::from_parts(
            file,
            env("DATABASE_URL"),
            env("MAILLAGE_BIND"),
            env("MAILLAGE_BASE_URL"),
            env("MAILLAGE_SECRET_KEY"),
            env("MAILLAGE_LOG_FORMAT"),
        );
        config.apply_mail(mail);
        config.check_mailboxes()?;
        config.invitations_per_request = limit(
            "MAILLAGE_INVITATIONS_PER_REQUEST",
            env("MAILLAGE_INVITATIONS_PER_REQUEST"),
            caps.0,
            DEFAULT_INVITATIONS_PER_REQUEST,
        )?;
        config.invitations_per_day = limit(
            "MAILLAGE_INVITATIONS_PER_DAY",
            env("MAILLAGE_INVITATIONS_PER_DAY"),
            caps.1,
            DEFAULT_INVITATIONS_PER_DAY,
        )?;
        config.apply_network(network)?;
        config.itip_token = itip_token.map(|t| t.trim().to_string());
        config.caches = CacheBounds::read(env, &cache_file)?;
        Ok(config)
    }

    fn from_parts(
        file: FileConfig,
        database_url: Option<String>,
        bind: Option<String>,
        base_url: Option<String>,
        secret_key: Option<String>,
        log_format: Option<String>,
    ) -> Self {
        let bind = bind
            .or(file.bind)
            .unwrap_or_else(|| DEFAULT_BIND.to_string());
        let base_url = base_url
            .or(file.base_url)
            .unwrap_or_else(|| format!("http://{bind}"));
        Self {
            database_url: database_url
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            base_url: base_url.trim_end_matches('/').to_string(),
            bind,
            secret_key: secret_key.or(file.secret_key),
            log_format: LogFormat::from_setting(
                log_format
                    .or(file.log_format)
                    .as_deref()
                    .unwrap_or_default(),
            ),
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_string(),
            organizer: DEFAULT_MAIL_FROM.to_string(),
            outbox_dir: DEFAULT_OUTBOX_DIR.to_string(),
            mail_retry_secs: 30,
            mail_poll_ms: 1000,
            invitations_per_request: DEFAULT_INVITATIONS_PER_REQUEST,
            invitations_per_day: DEFAULT_INVITATIONS_PER_DAY,
            trusted_proxies: Vec::new(),
            header_timeout_secs: DEFAULT_HEADER_TIMEOUT_SECS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            itip_token: None,
            caches: CacheBounds::default(),
        }
    }

    /// A wrong value stops the start with a message naming the setting, rather than running
    /// with a limit other than the one asked for.
    fn apply_network(&mut self, network: NetworkSettings) -> anyhow::Result<()> {
        if let Some(list) = network.trusted_proxies {
            self.trusted_proxies = client_ip::parse_list(&list)
                .map_err(|e| anyhow::anyhow!("MAILLAGE_TRUSTED_PROXIES : {e}"))?;
        }
        if let Some(secs) = network.header_timeout_secs {
            self.header_timeout_secs = secs
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| *s > 0)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "MAILLAGE_HEADER_TIMEOUT_SECS : « {secs} » n'est pas un nombre de secondes positif"
                    )
                })?;
        }
        if let Some(count) = network.max_connections {
            self.max_connections = count
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "MAILLAGE_MAX_CONNECTIONS : « {count} » n'est pas un nombre positif"
                    )
                })?;
        }
        Ok(())
    }

    fn apply_mail(&mut self, mail: FileConfig) {
        self.smtp_url = mail.smtp_url;
        if let Some(from) = mail.mail_from {
            self.mail_from = from;
        }
        self.organizer = mail.organizer.unwrap_or_else(|| self.mail_from.clone());
        if let Some(dir) = mail.outbox_dir {
            self.outbox_dir = dir;
        }
    }

    /// The sender and the organizer must read as mailboxes (RFC 5322, as lettre reads them): one
    /// that does not would only fail later, when each message is composed.
    fn check_mailboxes(&self) -> anyhow::Result<()> {
        for (key, value) in [
            ("MAILLAGE_MAIL_FROM", &self.mail_from),
            ("MAILLAGE_ORGANIZER", &self.organizer),
        ] {
            if value.trim().parse::<lettre::message::Mailbox>().is_err() {
                anyhow::bail!(
                    "{key} n'est pas une adresse lisible : « {value} ». Écrivez `Nom <adresse@exemple.be>` \
                     et mettez le nom entre guillemets s'il contient des parenthèses ou des virgules."
                );
            }
        }
        Ok(())
    }

    /// A configuration for tests and tools: the given database, everything else default.
    pub fn for_database(database_url: &str) -> Self {
        Self::from_parts(
            FileConfig::default(),
            Some(database_url.to_string()),
            None,
            None,
            None,
            None,
        )
    }

    /// Cookies get `Secure` when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// A positive limit from the environment (which wins) or the file, else `default`.
fn limit(
    name: &str,
    env: Option<String>,
    file: Option<usize>,
    default: usize,
) -> anyhow::Result<usize> {
    let value = match env {
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .map_err(|_| anyhow::anyhow!("{name} : un nombre entier est attendu, pas « {raw} »"))?,
        None => file.unwrap_or(default),
    };
    if value == 0 {
        return Err(anyhow::anyhow!("{name} : la limite doit être d'au moins 1"));
    }
    Ok(value)
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{} : configuration illisible : {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(anyhow::anyhow!("{} : {e}", path.display())),
    }
}

/// Hides the password of a database URL, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// A configured mailbox (`MAILLAGE_MAIL_FROM`, `MAILLAGE_ORGANIZER`): "Name <address>" or
/// "address" → (name, address), read by lettre's RFC 5322 parser (a quoted name comes back
/// unquoted). Text it cannot read stays whole as the address with no name: composing a message
/// then refuses it by name, instead of the server refusing to start.
pub fn mailbox_parts(mailbox: &str) -> (String, String) {
    match mailbox.trim().parse::<lettre::message::Mailbox>() {
        Ok(parsed) => (parsed.name.unwrap_or_default(), parsed.email.to_string()),
        Err(_) => (String::new(), mailbox.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_sender_or_organizer_stops_the_start() {
        let mut config = Config::for_database(DEFAULT_DATABASE_URL);
        assert!(config.check_mailboxes().is_ok());
        config.organizer = "CRI (Namur) <coordination@cri-namur.example>, x".into();
        let error = config
            .check_mailboxes()
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(error.contains("MAILLAGE_ORGANIZER"), "{error}");
        config.organizer = "\"CRI (Namur)\" <coordination@cri-namur.example>".into();
        assert!(config.check_mailboxes().is_ok());
        config.mail_from = "pas une adresse".into();
        assert!(config.check_mailboxes().is_err());
    }

    #[test]
    fn configured_mailboxes_split_into_name_and_address() {
        let parts = |name: &str, email: &str| (name.to_string(), email.to_string());
        assert_eq!(
            mailbox_parts("Coordination du CRI <coordination@cri-namur.example>"),
            parts("Coordination du CRI", "coordination@cri-namur.example")
        );
        assert_eq!(
            mailbox_parts("\"Coordination du réseau\" <coordination@cri-namur.example>"),
            parts("Coordination du réseau", "coordination@cri-namur.example")
        );
        assert_eq!(
            mailbox_parts("Réseau d'intégration <reseau@cri-namur.example>"),
            parts("Réseau d'intégration", "reseau@cri-namur.example")
        );
        assert_eq!(mailbox_parts(" x@y.example "), parts("", "x@y.example"));
        assert_eq!(
            mailbox_parts("pas une adresse"),
            parts("", "pas une adresse"),
            "kept whole, to be refused by name"
        );
    }

    #[test]
    fn environment_wins_over_the_file_and_defaults_fill_the_rest() {
        let file = FileConfig {
            bind: Some("0.0.0.0:8080".into()),
            base_url: Some("https://maillage.example.org/".into()),
            ..FileConfig::default()
        };
        let config =
            Config::from_parts(file, None, Some("127.0.0.1:4000".into()), None, None, None);
        assert_eq!(config.bind, "127.0.0.1:4000");
        assert_eq!(config.base_url, "https://maillage.example.org");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert!(config.secure_cookies());
        assert!(config.is_sqlite());
    }

    #[test]
    fn only_json_asks_for_json_log_lines() {
        let file = FileConfig {
            log_format: Some("json".into()),
            ..FileConfig::default()
        };
        let from_file = Config::from_parts(file, None, None, None, None, None);
        assert_eq!(from_file.log_format, LogFormat::Json);
        let env = Config::from_parts(
            FileConfig::default(),
            None,
            None,
            None,
            None,
            Some("json".into()),
        );
        assert_eq!(env.log_format, LogFormat::Json);
        for other in ["", "text", "JSON", "lisible"] {
            assert_eq!(
                LogFormat::from_setting(other),
                LogFormat::Readable,
                "{other}"
            );
        }
        assert_eq!(
            Config::for_database(DEFAULT_DATABASE_URL).log_format,
            LogFormat::Readable
        );
    }

    #[test]
    fn the_base_url_defaults_to_the_bind_address() {
        let config = Config::for_database("postgres://u:pw@localhost/db");
        assert_eq!(config.base_url, "http://127.0.0.1:3000");
        assert!(!config.secure_cookies());
        assert!(!format!("{config:?}").contains("pw@"));
    }

    #[test]
    fn the_secret_key_never_shows_in_debug_output() {
        let mut config = Config::for_database(DEFAULT_DATABASE_URL);
        config.secret_key = Some("tres-secret-0123456789".into());
        assert!(!format!("{config:?}").contains("tres-secret"));
    }

    #[test]
    fn invitation_limits_come_from_the_environment_then_the_file_then_defaults() {
        assert_eq!(limit("X", Some(" 25 ".into()), Some(7), 200).unwrap(), 25);
        assert_eq!(limit("X", None, Some(7), 200).unwrap(), 7);
        assert_eq!(limit("X", None, None, 200).unwrap(), 200);
        assert!(limit("X", Some("beaucoup".into()), None, 200).is_err());
        assert!(limit("X", Some("0".into()), None, 200).is_err());
        let file: FileConfig = toml::from_str("invitations_per_day = 50").unwrap();
        assert_eq!(file.invitations_per_day, Some(50));
        let config = Config::for_database(DEFAULT_DATABASE_URL);
        assert_eq!(
            config.invitations_per_request,
            DEFAULT_INVITATIONS_PER_REQUEST
        );
        assert_eq!(config.invitations_per_day, DEFAULT_INVITATIONS_PER_DAY);
    }

    #[test]
    fn network_limits_come_from_the_file_or_the_environment_and_bad_values_stop_the_start() {
        let file: FileConfig = toml::from_str(
            "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\nheader_timeout_secs = 5\nmax_connections = 64",
        )
        .unwrap_or_default();
        let mut config = Config::for_database(DEFAULT_DATABASE_URL);
        assert_eq!(config.header_timeout_secs, DEFAULT_HEADER_TIMEOUT_SECS);
        assert_eq!(config.max_connections, DEFAULT_MAX_CONNECTIONS);
        assert!(config.trusted_proxies.is_empty());
        let applied = config.apply_network(NetworkSettings {
            trusted_proxies: file.trusted_proxies.map(AddressList::joined),
            header_timeout_secs: file.header_timeout_secs.map(|v| v.to_string()),
            max_connections: Some("32".into()),
        });
        assert!(applied.is_ok());
        assert_eq!(config.trusted_proxies.len(), 2);
        assert_eq!(config.header_timeout_secs, 5);
        assert_eq!(config.max_connections, 32);
        let one: FileConfig =
            toml::from_str("trusted_proxies = \"::1, 10.0.0.1\"").unwrap_or_default();
        assert!(matches!(one.trusted_proxies, Some(AddressList::One(_))));

        for (proxies, secs, max) in [
            (Some("localhost"), None, None),
            (None, Some("0"), None),
            (None, Some("dix"), None),
            (None, None, Some("-1")),
        ] {
            let result = config.apply_network(NetworkSettings {
                trusted_proxies: proxies.map(String::from),
                header_timeout_secs: secs.map(String::from),
                max_connections: max.map(String::from),
            });
            assert!(result.is_err(), "{proxies:?} {secs:?} {max:?}");
        }
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<FileConfig>("databse_url = 'x'").is_err());
    }
}
