//! Domain events: what happened in a room (a registration, a meeting changed or cancelled, minutes
//! published), one row per event, written in the transaction of the change itself. Other rooms
//! (mail) react to the event in that same transaction; the row stays as the record of it.
//! Nothing to convert: the table starts empty (earlier changes already wrote their messages).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DomainEvents {
    Table,
    Id,
    Kind,
    MeetingId,
    ActorId,
    Payload,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DomainEvents::Table)
                    .col(big_pk_auto(DomainEvents::Id))
                    .col(string_len(DomainEvents::Kind, 64))
                    // No foreign keys: a record of what happened outlives what it was about.
                    .col(big_integer_null(DomainEvents::MeetingId))
                    .col(big_integer_null(DomainEvents::ActorId))
                    .col(text(DomainEvents::Payload))
                    .col(timestamp_with_time_zone(DomainEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_domain_events_meeting")
                    .table(DomainEvents::Table)
                    .col(DomainEvents::MeetingId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DomainEvents::Table).to_owned())
            .await
    }
}
