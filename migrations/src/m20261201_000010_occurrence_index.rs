//! The occurrence index: one row per session of a meeting within a rolling horizon (a one-off
//! meeting has one row), keyed by the session's original local start (its RECURRENCE-ID), so that
//! a moved session keeps its row. The app keeps the rows in the transaction of every change of a
//! meeting. Nothing to convert here: the migrations cannot run the expansion of the series; the
//! app fills the rows of meetings that have none when it starts (`meetings::index::fill_missing`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Occurrences {
    Table,
    Id,
    MeetingId,
    OriginalStartLocal,
    StartLocal,
    EndLocal,
    StartsAt,
    EndsAt,
    Cancelled,
    Moved,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Occurrences::Table)
                    .col(big_pk_auto(Occurrences::Id))
                    .col(big_integer(Occurrences::MeetingId))
                    // Local times in the text format of meetings.start_local.
                    .col(string_len(Occurrences::OriginalStartLocal, 19))
                    .col(string_len(Occurrences::StartLocal, 19))
                    .col(string_len(Occurrences::EndLocal, 19))
                    .col(timestamp_with_time_zone(Occurrences::StartsAt))
                    .col(timestamp_with_time_zone(Occurrences::EndsAt))
                    .col(boolean(Occurrences::Cancelled))
                    .col(boolean(Occurrences::Moved))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_occurrences_meeting")
                            .from(Occurrences::Table, Occurrences::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_occurrences_session")
                    .table(Occurrences::Table)
                    .col(Occurrences::MeetingId)
                    .col(Occurrences::OriginalStartLocal)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_occurrences_starts_at")
                    .table(Occurrences::Table)
                    .col(Occurrences::StartsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Occurrences::Table).to_owned())
            .await
    }
}
