//! Email: the outbox (every message is written here in the same transaction as the change that
//! causes it, then delivered by a worker) and the invitations to meetings with their answers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Kind,
    MeetingId,
    Recipient,
    Subject,
    Message,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    ClaimedBy,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    MeetingId,
    PersonId,
    Email,
    EmailNormalized,
    Name,
    Language,
    Answer,
    AnsweredAt,
    InvitedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(string_len(Outbox::Kind, 32))
                    .col(big_integer_null(Outbox::MeetingId))
                    .col(string(Outbox::Recipient))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::Message))
                    .col(string_len(Outbox::Status, 16).default("pending"))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::LeaseUntil))
                    .col(string_null(Outbox::ClaimedBy))
                    .col(text(Outbox::LastError).default(""))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_meeting")
                            .from(Outbox::Table, Outbox::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_meeting")
                    .table(Outbox::Table)
                    .col(Outbox::MeetingId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(big_pk_auto(Invitations::Id))
                    .col(big_integer(Invitations::MeetingId))
                    .col(big_integer_null(Invitations::PersonId))
                    .col(string(Invitations::Email))
                    .col(string(Invitations::EmailNormalized))
                    .col(string(Invitations::Name).default(""))
                    .col(string_len(Invitations::Language, 8).default("fr"))
                    .col(string_len(Invitations::Answer, 16).default("pending"))
                    .col(timestamp_with_time_zone_null(Invitations::AnsweredAt))
                    .col(big_integer_null(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_meeting")
                            .from(Invitations::Table, Invitations::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_person")
                            .from(Invitations::Table, Invitations::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_invitations")
                    .table(Invitations::Table)
                    .col(Invitations::MeetingId)
                    .col(Invitations::EmailNormalized)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}
