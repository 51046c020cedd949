//! What every handler is given: the database, the configuration, the keys, the mailer, the bus
//! that domain events go through and the feeds kept in memory. Below every room, so rooms and
//! the router name it without naming each other.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::db;
use crate::events::Bus;
use crate::web::ctx::Keys;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: Arc<Keys>,
    pub mailer: Arc<crate::mail::Mailer>,
    /// Where rooms publish what happened; the mail room listens.
    pub events: Arc<Bus>,
    /// Public feeds already built, under the calendar version they were built for.
    pub feeds: Arc<crate::calendar::cache::FeedCache>,
    /// Each meeting's VEVENTs as last written (feeds rewrite only what changed).
    pub fragments: Arc<crate::calendar::cache::FragmentCache>,
    /// Each meeting's own .ics as last written, under its ETag.
    pub meeting_files: Arc<crate::calendar::cache::MeetingFiles>,
}

impl AppState {
    /// Connects, applies the migrations and loads the secret key.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config).await?;
        db::migrate(&db).await?;
        // Meetings without rows in the occurrence index (written before it existed) get theirs.
        crate::meetings::index::fill_missing(&db).await?;
        let secret = db::secret_key(&db, &config).await?;
        let mailer = crate::mail::Mailer::from_config(&config)?;
        let keys = Arc::new(Keys::new(secret));
        let mail = crate::mail::MailContext {
            base_url: config.base_url.clone(),
            keys: keys.clone(),
            mailer: mailer.clone(),
        };
        let events = Bus::new().with(Arc::new(crate::mail::events::Notifier::new(mail)));
        let caches = crate::calendar::cache::Caches::new(&config.caches);
        Ok(Self {
            db,
            config: Arc::new(config),
            keys,
            mailer,
            events: Arc::new(events),
            feeds: caches.feeds,
            fragments: caches.fragments,
            meeting_files: caches.meeting_files,
        })
    }
}
