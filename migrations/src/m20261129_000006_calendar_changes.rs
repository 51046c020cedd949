//! The calendar's change log: one row per change that can alter a public feed, written in the
//! transaction of the change, after the calendar version row (whose lock orders them: ids follow
//! commit order). A feed kept in memory catches up by reading the rows after the last it saw and
//! rewriting only those meetings; a row without a meeting means "anything may have changed".

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CalendarChanges {
    Table,
    Id,
    MeetingId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarChanges::Table)
                    .col(big_pk_auto(CalendarChanges::Id))
                    // No foreign key: the log outlives what it mentions (a deleted meeting is
                    // a change too).
                    .col(big_integer_null(CalendarChanges::MeetingId))
                    .col(timestamp_with_time_zone(CalendarChanges::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_calendar_changes_created_at")
                    .table(CalendarChanges::Table)
                    .col(CalendarChanges::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarChanges::Table).to_owned())
            .await
    }
}
