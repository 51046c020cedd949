//! Meetings: one row per meeting or recurring series (anchored in Brussels wall-clock time, with
//! its RRULE), changes to single occurrences, agenda items, workshops (parallel sessions),
//! registrations with meal and ranked workshop preferences, workshop assignments, attendance.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    PlatformId,
    WorkingGroupId,
    OfficeId,
    Kind,
    Title,
    Description,
    AllDay,
    StartLocal,
    EndLocal,
    StartsAt,
    EndsAt,
    SeriesEndsAt,
    Tzid,
    Rrule,
    PlaceName,
    PlaceAddress,
    VideoUrl,
    Status,
    Visibility,
    Capacity,
    RegistrationOpen,
    RegistrationDeadline,
    MealOptions,
    Minutes,
    Decisions,
    Actions,
    MinutesPublished,
    ReminderDays,
    ReminderText,
    ReminderSentAt,
    AnswerReminderDays,
    AnswerReminderSentAt,
    Sequence,
    RegistrationCounter,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OccurrenceChanges {
    Table,
    Id,
    MeetingId,
    OriginalStartLocal,
    Action,
    NewStartLocal,
    NewEndLocal,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgendaItems {
    Table,
    Id,
    MeetingId,
    Position,
    Time,
    Title,
    Presenters,
}

#[derive(DeriveIden)]
enum Workshops {
    Table,
    Id,
    MeetingId,
    Title,
    Room,
    Animators,
    SlotStart,
    SlotEnd,
    Capacity,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    MeetingId,
    PersonId,
    Status,
    Position,
    Meal,
    Note,
    RegisteredBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorkshopPreferences {
    Table,
    Id,
    RegistrationId,
    Workshop,
    Rank,
}

#[derive(DeriveIden)]
enum WorkshopAssignments {
    Table,
    Id,
    RegistrationId,
    WorkshopId,
    Manual,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    Id,
    MeetingId,
    PersonId,
    WalkInName,
    Status,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum Platforms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WorkingGroups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReceptionOffices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<Alias>, unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for col in cols {
        stmt.col(col);
    }
    if unique {
        stmt.unique();
    }
    stmt
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(big_pk_auto(Meetings::Id))
                    .col(big_integer_null(Meetings::PlatformId))
                    .col(big_integer_null(Meetings::WorkingGroupId))
                    .col(big_integer_null(Meetings::OfficeId))
                    .col(string_len(Meetings::Kind, 32))
                    .col(string(Meetings::Title))
                    .col(text(Meetings::Description).default(""))
                    .col(boolean(Meetings::AllDay).default(false))
                    .col(string_len(Meetings::StartLocal, 19))
                    .col(string_len(Meetings::EndLocal, 19))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(timestamp_with_time_zone_null(Meetings::SeriesEndsAt))
                    .col(string_len(Meetings::Tzid, 64).default("Europe/Brussels"))
                    .col(text_null(Meetings::Rrule))
                    .col(string(Meetings::PlaceName).default(""))
                    .col(string(Meetings::PlaceAddress).default(""))
                    .col(string(Meetings::VideoUrl).default(""))
                    .col(string_len(Meetings::Status, 16).default("scheduled"))
                    .col(string_len(Meetings::Visibility, 16).default("members"))
                    .col(integer_null(Meetings::Capacity))
                    .col(boolean(Meetings::RegistrationOpen).default(false))
                    .col(timestamp_with_time_zone_null(
                        Meetings::RegistrationDeadline,
                    ))
                    .col(text(Meetings::MealOptions).default(""))
                    .col(text(Meetings::Minutes).default(""))
                    .col(text(Meetings::Decisions).default(""))
                    .col(text(Meetings::Actions).default(""))
                    .col(boolean(Meetings::MinutesPublished).default(false))
                    .col(integer(Meetings::ReminderDays).default(2))
                    .col(text(Meetings::ReminderText).default(""))
                    .col(timestamp_with_time_zone_null(Meetings::ReminderSentAt))
                    .col(integer_null(Meetings::AnswerReminderDays))
                    .col(timestamp_with_time_zone_null(
                        Meetings::AnswerReminderSentAt,
                    ))
                    .col(integer(Meetings::Sequence).default(0))
                    .col(big_integer(Meetings::RegistrationCounter).default(0))
                    .col(big_integer_null(Meetings::CreatedBy))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_meetings_platform",
                        (Meetings::Table, Meetings::PlatformId),
                        (Platforms::Table, Platforms::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_meetings_group",
                        (Meetings::Table, Meetings::WorkingGroupId),
                        (WorkingGroups::Table, WorkingGroups::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_meetings_office",
                        (Meetings::Table, Meetings::OfficeId),
                        (ReceptionOffices::Table, ReceptionOffices::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_meetings_creator",
                        (Meetings::Table, Meetings::CreatedBy),
                        (People::Table, People::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_meetings_starts_at", "starts_at"),
            ("idx_meetings_platform", "platform_id"),
            ("idx_meetings_group", "working_group_id"),
            ("idx_meetings_office", "office_id"),
        ] {
            manager
                .create_index(index(name, Meetings::Table, vec![Alias::new(col)], false))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(OccurrenceChanges::Table)
                    .col(big_pk_auto(OccurrenceChanges::Id))
                    .col(big_integer(OccurrenceChanges::MeetingId))
                    .col(string_len(OccurrenceChanges::OriginalStartLocal, 19))
                    .col(string_len(OccurrenceChanges::Action, 16))
                    .col(string_len_null(OccurrenceChanges::NewStartLocal, 19))
                    .col(string_len_null(OccurrenceChanges::NewEndLocal, 19))
                    .col(timestamp_with_time_zone(OccurrenceChanges::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_occurrence_changes_meeting",
                        (OccurrenceChanges::Table, OccurrenceChanges::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_occurrence_changes",
                OccurrenceChanges::Table,
                vec![Alias::new("meeting_id"), Alias::new("original_start_local")],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgendaItems::Table)
                    .col(big_pk_auto(AgendaItems::Id))
                    .col(big_integer(AgendaItems::MeetingId))
                    .col(integer(AgendaItems::Position))
                    .col(string_len(AgendaItems::Time, 5).default(""))
                    .col(string(AgendaItems::Title))
                    .col(string(AgendaItems::Presenters).default(""))
                    .foreign_key(&mut fk(
                        "fk_agenda_items_meeting",
                        (AgendaItems::Table, AgendaItems::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_agenda_items_meeting",
                AgendaItems::Table,
                vec![Alias::new("meeting_id"), Alias::new("position")],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Workshops::Table)
                    .col(big_pk_auto(Workshops::Id))
                    .col(big_integer(Workshops::MeetingId))
                    .col(string(Workshops::Title))
                    .col(string(Workshops::Room).default(""))
                    .col(string(Workshops::Animators).default(""))
                    .col(string_len(Workshops::SlotStart, 5))
                    .col(string_len(Workshops::SlotEnd, 5))
                    .col(integer_null(Workshops::Capacity))
                    .foreign_key(&mut fk(
                        "fk_workshops_meeting",
                        (Workshops::Table, Workshops::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_workshops_slot_title",
                Workshops::Table,
                vec![
                    Alias::new("meeting_id"),
                    Alias::new("slot_start"),
                    Alias::new("title"),
                ],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(big_pk_auto(Registrations::Id))
                    .col(big_integer(Registrations::MeetingId))
                    .col(big_integer(Registrations::PersonId))
                    .col(string_len(Registrations::Status, 16))
                    .col(big_integer(Registrations::Position))
                    .col(string(Registrations::Meal).default(""))
                    .col(text(Registrations::Note).default(""))
                    .col(big_integer_null(Registrations::RegisteredBy))
                    .col(timestamp_with_time_zone(Registrations::CreatedAt))
                    .col(timestamp_with_time_zone(Registrations::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_registrations_meeting",
                        (Registrations::Table, Registrations::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_registrations_person",
                        (Registrations::Table, Registrations::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_registrations",
                Registrations::Table,
                vec![Alias::new("meeting_id"), Alias::new("person_id")],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_registrations_queue",
                Registrations::Table,
                vec![
                    Alias::new("meeting_id"),
                    Alias::new("status"),
                    Alias::new("position"),
                ],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_registrations_person",
                Registrations::Table,
                vec![Alias::new("person_id")],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkshopPreferences::Table)
                    .col(big_pk_auto(WorkshopPreferences::Id))
                    .col(big_integer(WorkshopPreferences::RegistrationId))
                    .col(string(WorkshopPreferences::Workshop))
                    .col(integer(WorkshopPreferences::Rank))
                    .foreign_key(&mut fk(
                        "fk_workshop_preferences_registration",
                        (
                            WorkshopPreferences::Table,
                            WorkshopPreferences::RegistrationId,
                        ),
                        (Registrations::Table, Registrations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_workshop_preferences_rank",
                WorkshopPreferences::Table,
                vec![Alias::new("registration_id"), Alias::new("rank")],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkshopAssignments::Table)
                    .col(big_pk_auto(WorkshopAssignments::Id))
                    .col(big_integer(WorkshopAssignments::RegistrationId))
                    .col(big_integer(WorkshopAssignments::WorkshopId))
                    .col(boolean(WorkshopAssignments::Manual).default(false))
                    .foreign_key(&mut fk(
                        "fk_workshop_assignments_registration",
                        (
                            WorkshopAssignments::Table,
                            WorkshopAssignments::RegistrationId,
                        ),
                        (Registrations::Table, Registrations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_workshop_assignments_workshop",
                        (WorkshopAssignments::Table, WorkshopAssignments::WorkshopId),
                        (Workshops::Table, Workshops::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_workshop_assignments",
                WorkshopAssignments::Table,
                vec![Alias::new("registration_id"), Alias::new("workshop_id")],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(big_pk_auto(Attendance::Id))
                    .col(big_integer(Attendance::MeetingId))
                    .col(big_integer_null(Attendance::PersonId))
                    .col(string(Attendance::WalkInName).default(""))
                    .col(string_len(Attendance::Status, 16))
                    .col(big_integer_null(Attendance::MarkedBy))
                    .col(timestamp_with_time_zone(Attendance::MarkedAt))
                    .foreign_key(&mut fk(
                        "fk_attendance_meeting",
                        (Attendance::Table, Attendance::MeetingId),
                        (Meetings::Table, Meetings::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attendance_person",
                        (Attendance::Table, Attendance::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_attendance",
                Attendance::Table,
                vec![Alias::new("meeting_id"), Alias::new("person_id")],
                true,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attendance::Table.into_iden(),
            WorkshopAssignments::Table.into_iden(),
            WorkshopPreferences::Table.into_iden(),
            Registrations::Table.into_iden(),
            Workshops::Table.into_iden(),
            AgendaItems::Table.into_iden(),
            OccurrenceChanges::Table.into_iden(),
            Meetings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
