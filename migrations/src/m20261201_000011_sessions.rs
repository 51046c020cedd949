//! Sessions of a series as first-class meetings. A session is its row of the occurrence index
//! (`occurrences`), keyed by its original local start: registrations, attendance and invitations
//! may point at one (`occurrence_id`), and the session holds its own minutes. `occurrence_id`
//! NULL keeps its meaning of before: the meeting as a whole (a one-off meeting; for an
//! invitation, every session of a series). Existing rows all keep NULL: before this migration
//! only one-off meetings took registrations and attendance, and invitations were to the whole
//! meeting, so nothing has to be converted.
//!
//! Uniqueness moves from (meeting, person) to (meeting, person, session): `COALESCE(occurrence_id,
//! 0)` in an expression index (both SQLite and PostgreSQL take it), since NULLs are distinct in a
//! unique index. A session's answers to a series invitation live in `session_answers`.
//!
//! The foreign keys to `occurrences` are NO ACTION: the index never deletes a row that something
//! points at (`meetings::index::rewrite`); should it try, the write fails instead of losing data.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Occurrences {
    Table,
    Id,
    Minutes,
    Decisions,
    Actions,
    MinutesPublished,
}

#[derive(DeriveIden)]
enum SessionAnswers {
    Table,
    Id,
    InvitationId,
    OccurrenceId,
    Answer,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
}

const ADD_COLUMNS: [&str; 3] = [
    "ALTER TABLE registrations ADD COLUMN occurrence_id BIGINT NULL REFERENCES occurrences (id)",
    "ALTER TABLE attendance ADD COLUMN occurrence_id BIGINT NULL REFERENCES occurrences (id)",
    "ALTER TABLE invitations ADD COLUMN occurrence_id BIGINT NULL REFERENCES occurrences (id)",
];

const INDEXES_UP: [&str; 9] = [
    "DROP INDEX IF EXISTS uq_registrations",
    "CREATE UNIQUE INDEX uq_registrations_session ON registrations (meeting_id, person_id, (COALESCE(occurrence_id, 0)))",
    "CREATE INDEX idx_registrations_occurrence ON registrations (occurrence_id, status, position)",
    "DROP INDEX IF EXISTS uq_attendance",
    "CREATE UNIQUE INDEX uq_attendance_session ON attendance (meeting_id, person_id, (COALESCE(occurrence_id, 0)))",
    "CREATE INDEX idx_attendance_occurrence ON attendance (occurrence_id)",
    "DROP INDEX IF EXISTS uq_invitations",
    "CREATE UNIQUE INDEX uq_invitations_session ON invitations (meeting_id, email_normalized, (COALESCE(occurrence_id, 0)))",
    "CREATE INDEX idx_invitations_occurrence ON invitations (occurrence_id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (column, default) in [
            (Occurrences::Minutes, ""),
            (Occurrences::Decisions, ""),
            (Occurrences::Actions, ""),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Occurrences::Table)
                        .add_column(text(column).default(default))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Occurrences::Table)
                    .add_column(boolean(Occurrences::MinutesPublished).default(false))
                    .to_owned(),
            )
            .await?;
        for sql in ADD_COLUMNS.iter().chain(INDEXES_UP.iter()) {
            db.execute_unprepared(sql).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SessionAnswers::Table)
                    .col(big_pk_auto(SessionAnswers::Id))
                    .col(big_integer(SessionAnswers::InvitationId))
                    .col(big_integer(SessionAnswers::OccurrenceId))
                    .col(string_len(SessionAnswers::Answer, 16))
                    .col(timestamp_with_time_zone(SessionAnswers::AnsweredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_answers_invitation")
                            .from(SessionAnswers::Table, SessionAnswers::InvitationId)
                            .to(Invitations::Table, Invitations::Id)
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_answers_occurrence")
                            .from(SessionAnswers::Table, SessionAnswers::OccurrenceId)
                            .to(Occurrences::Table, Occurrences::Id)
                            .on_delete(ForeignKeyAction::NoAction)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_session_answers")
                    .table(SessionAnswers::Table)
                    .col(SessionAnswers::InvitationId)
                    .col(SessionAnswers::OccurrenceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_session_answers_occurrence")
                    .table(SessionAnswers::Table)
                    .col(SessionAnswers::OccurrenceId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_table(Table::drop().table(SessionAnswers::Table).to_owned())
            .await?;
        for sql in [
            "DROP INDEX IF EXISTS idx_invitations_occurrence",
            "DROP INDEX IF EXISTS uq_invitations_session",
            "DROP INDEX IF EXISTS idx_attendance_occurrence",
            "DROP INDEX IF EXISTS uq_attendance_session",
            "DROP INDEX IF EXISTS idx_registrations_occurrence",
            "DROP INDEX IF EXISTS uq_registrations_session",
            "ALTER TABLE invitations DROP COLUMN occurrence_id",
            "ALTER TABLE attendance DROP COLUMN occurrence_id",
            "ALTER TABLE registrations DROP COLUMN occurrence_id",
            "CREATE UNIQUE INDEX uq_registrations ON registrations (meeting_id, person_id)",
            "CREATE UNIQUE INDEX uq_attendance ON attendance (meeting_id, person_id)",
            "CREATE UNIQUE INDEX uq_invitations ON invitations (meeting_id, email_normalized)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        for column in [
            Occurrences::MinutesPublished,
            Occurrences::Actions,
            Occurrences::Decisions,
            Occurrences::Minutes,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Occurrences::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
