//! Database connection, migrations and the shared secret key.

use std::time::Duration;

use base64::Engine;
use migration::{Migrator, MigratorTrait};
use rand::RngCore;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    sea_query::OnConflict,
};

use crate::config::Config;
use crate::entities::setting;

const SECRET_KEY_SETTING: &str = "secret_key";

/// Opens the pool. For SQLite, creates the file's folder first and turns on WAL and foreign keys.
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    if config.is_sqlite() {
        create_sqlite_folder(&config.database_url)?;
    }
    let page_cache_kib = config.caches.sqlite_page_cache_kib;
    let mut options = ConnectOptions::new(config.database_url.clone());
    options
        .max_connections(if config.is_sqlite() { 8 } else { 10 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        // Every pooled SQLite connection: write-ahead log, foreign keys, and writers that wait
        // their turn (registrations lock the meeting row first, then queue here).
        .map_sqlx_sqlite_opts(move |opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
                // Each connection's page cache, bounded (negative: in KiB): eight connections
                // with SQLite's default would hold up to 16 MB of pages read once.
                .pragma("cache_size", format!("-{page_cache_kib}"))
        });
    let db = Database::connect(options).await?;
    Ok(db)
}

fn create_sqlite_folder(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(())
}

/// Whether a write was refused by a unique index (the caller turns it into a field error).
pub fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// The secret key: from the configuration if set, otherwise the one stored in the database,
/// generated on first start. Storing it in the database lets several instances share it.
pub async fn secret_key(db: &DatabaseConnection, config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(key) = &config.secret_key {
        if key.len() < 32 {
            anyhow::bail!("MAILLAGE_SECRET_KEY doit compter au moins 32 caractères");
        }
        return Ok(key.as_bytes().to_vec());
    }
    if let Some(row) = setting::Entity::find_by_id(SECRET_KEY_SETTING.to_string())
        .one(db)
        .await?
    {
        return decode_key(&row.value);
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let generated = base64::engine::general_purpose::STANDARD.encode(bytes);
    // Two instances starting together: the first insert wins, both read it back.
    setting::Entity::insert(setting::ActiveModel {
        key: sea_orm::Set(SECRET_KEY_SETTING.to_string()),
        value: sea_orm::Set(generated),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    tracing::info!("clé secrète générée et enregistrée dans la base");
    let row = setting::Entity::find_by_id(SECRET_KEY_SETTING.to_string())
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("la clé secrète n'a pas pu être enregistrée"))?;
    decode_key(&row.value)
}

fn decode_key(value: &str) -> anyhow::Result<Vec<u8>> {
    Ok(base64::engine::general_purpose::STANDARD.decode(value.trim())?)
}

/// Whether the database answers (for `/healthz`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (a no-op
/// UPDATE): a deferred transaction that reads first and writes later fails outright if another
/// connection wrote in between ("database is locked"), whereas waiting for the lock up front
/// lets the busy timeout do its work. On PostgreSQL it is a plain BEGIN.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE settings SET value = value WHERE key = 'write-lock'")
            .await?;
    }
    Ok(txn)
}
