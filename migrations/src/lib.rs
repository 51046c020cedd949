//! Schema of maillage, as sea-orm migrations. The app never creates tables at run time:
//! `maillage migrate` (and `maillage serve` on start) applies these, on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_foundation;
mod m20261129_000002_reception_offices;
mod m20261129_000003_meetings;
mod m20261129_000004_calendar_feeds;
mod m20261129_000005_mail;
mod m20261129_000006_calendar_changes;
mod m20261130_000007_itip_reconfirm;
mod m20261130_000008_feed_triggers;
mod m20261201_000009_domain_events;
mod m20261201_000010_occurrence_index;
mod m20261201_000011_sessions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_foundation::Migration),
            Box::new(m20261129_000002_reception_offices::Migration),
            Box::new(m20261129_000003_meetings::Migration),
            Box::new(m20261129_000004_calendar_feeds::Migration),
            Box::new(m20261129_000005_mail::Migration),
            Box::new(m20261129_000006_calendar_changes::Migration),
            Box::new(m20261130_000007_itip_reconfirm::Migration),
            Box::new(m20261130_000008_feed_triggers::Migration),
            Box::new(m20261201_000009_domain_events::Migration),
            Box::new(m20261201_000010_occurrence_index::Migration),
            Box::new(m20261201_000011_sessions::Migration),
        ]
    }
}
