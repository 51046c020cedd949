//! The foundation: organisations, people, reception offices, platforms, working groups,
//! memberships, sessions, sign-in attempts, settings and the audit log.
//!
//! Instants are stored in UTC (`timestamp with time zone` on PostgreSQL, RFC 3339 text in UTC on
//! SQLite, which then sorts correctly). Emails are unique case-insensitively through a
//! normalised (lower-cased) column with its own unique index, which works the same on both.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Settings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
pub enum ReceptionOffices {
    Table,
    Id,
    Name,
    Slug,
    Schedule,
}

#[derive(DeriveIden)]
pub enum Municipalities {
    Table,
    Id,
    Name,
    OfficeId,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    Kind,
    MunicipalityId,
    Website,
    Archived,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    Name,
    Email,
    EmailNormalized,
    OrganisationId,
    Language,
    Active,
    IsAdmin,
    PasswordHash,
    NotifyConfirmations,
    NotifyReminders,
    NotifyMinutes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Platforms {
    Table,
    Id,
    Name,
    Slug,
    Theme,
    Description,
    Visibility,
    Archived,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorkingGroups {
    Table,
    Id,
    PlatformId,
    Name,
    Mandate,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlatformMemberships {
    Table,
    Id,
    PlatformId,
    PersonId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GroupMemberships {
    Table,
    Id,
    WorkingGroupId,
    PersonId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    PersonId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    EmailNormalized,
    Ip,
    Succeeded,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    Action,
    Entity,
    EntityId,
    Summary,
    CreatedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Settings::Table)
                    .col(string(Settings::Key).primary_key())
                    .col(text(Settings::Value))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReceptionOffices::Table)
                    .col(big_pk_auto(ReceptionOffices::Id))
                    .col(string_uniq(ReceptionOffices::Name))
                    .col(string_uniq(ReceptionOffices::Slug))
                    .col(text(ReceptionOffices::Schedule))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Municipalities::Table)
                    .col(big_pk_auto(Municipalities::Id))
                    .col(string_uniq(Municipalities::Name))
                    .col(big_integer(Municipalities::OfficeId))
                    .foreign_key(&mut fk(
                        "fk_municipalities_office",
                        (Municipalities::Table, Municipalities::OfficeId),
                        (ReceptionOffices::Table, ReceptionOffices::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_municipalities_office")
                    .table(Municipalities::Table)
                    .col(Municipalities::OfficeId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(big_pk_auto(Organisations::Id))
                    .col(string_uniq(Organisations::Name))
                    .col(string(Organisations::Kind))
                    .col(big_integer_null(Organisations::MunicipalityId))
                    .col(string(Organisations::Website).default(""))
                    .col(boolean(Organisations::Archived).default(false))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .col(timestamp_with_time_zone(Organisations::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_organisations_municipality",
                        (Organisations::Table, Organisations::MunicipalityId),
                        (Municipalities::Table, Municipalities::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(People::Table)
                    .col(big_pk_auto(People::Id))
                    .col(string(People::Name))
                    .col(string(People::Email))
                    .col(string_uniq(People::EmailNormalized))
                    .col(big_integer_null(People::OrganisationId))
                    .col(string_len(People::Language, 8).default("fr"))
                    .col(boolean(People::Active).default(true))
                    .col(boolean(People::IsAdmin).default(false))
                    .col(string_null(People::PasswordHash))
                    .col(boolean(People::NotifyConfirmations).default(true))
                    .col(boolean(People::NotifyReminders).default(true))
                    .col(boolean(People::NotifyMinutes).default(true))
                    .col(timestamp_with_time_zone(People::CreatedAt))
                    .col(timestamp_with_time_zone(People::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_people_organisation",
                        (People::Table, People::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_people_organisation")
                    .table(People::Table)
                    .col(People::OrganisationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Platforms::Table)
                    .col(big_pk_auto(Platforms::Id))
                    .col(string_uniq(Platforms::Name))
                    .col(string_uniq(Platforms::Slug))
                    .col(string(Platforms::Theme).default(""))
                    .col(text(Platforms::Description).default(""))
                    .col(string_len(Platforms::Visibility, 16).default("public"))
                    .col(boolean(Platforms::Archived).default(false))
                    .col(timestamp_with_time_zone(Platforms::CreatedAt))
                    .col(timestamp_with_time_zone(Platforms::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkingGroups::Table)
                    .col(big_pk_auto(WorkingGroups::Id))
                    .col(big_integer(WorkingGroups::PlatformId))
                    .col(string(WorkingGroups::Name))
                    .col(text(WorkingGroups::Mandate).default(""))
                    .col(string_len(WorkingGroups::Status, 16).default("active"))
                    .col(timestamp_with_time_zone(WorkingGroups::CreatedAt))
                    .col(timestamp_with_time_zone(WorkingGroups::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_working_groups_platform",
                        (WorkingGroups::Table, WorkingGroups::PlatformId),
                        (Platforms::Table, Platforms::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_working_groups_platform_name")
                    .table(WorkingGroups::Table)
                    .col(WorkingGroups::PlatformId)
                    .col(WorkingGroups::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlatformMemberships::Table)
                    .col(big_pk_auto(PlatformMemberships::Id))
                    .col(big_integer(PlatformMemberships::PlatformId))
                    .col(big_integer(PlatformMemberships::PersonId))
                    .col(string_len(PlatformMemberships::Role, 16))
                    .col(timestamp_with_time_zone(PlatformMemberships::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_platform_memberships_platform",
                        (PlatformMemberships::Table, PlatformMemberships::PlatformId),
                        (Platforms::Table, Platforms::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_platform_memberships_person",
                        (PlatformMemberships::Table, PlatformMemberships::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_platform_memberships")
                    .table(PlatformMemberships::Table)
                    .col(PlatformMemberships::PlatformId)
                    .col(PlatformMemberships::PersonId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_platform_memberships_person")
                    .table(PlatformMemberships::Table)
                    .col(PlatformMemberships::PersonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GroupMemberships::Table)
                    .col(big_pk_auto(GroupMemberships::Id))
                    .col(big_integer(GroupMemberships::WorkingGroupId))
                    .col(big_integer(GroupMemberships::PersonId))
                    .col(string_len(GroupMemberships::Role, 16))
                    .col(timestamp_with_time_zone(GroupMemberships::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_group_memberships_group",
                        (GroupMemberships::Table, GroupMemberships::WorkingGroupId),
                        (WorkingGroups::Table, WorkingGroups::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_group_memberships_person",
                        (GroupMemberships::Table, GroupMemberships::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_group_memberships")
                    .table(GroupMemberships::Table)
                    .col(GroupMemberships::WorkingGroupId)
                    .col(GroupMemberships::PersonId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_group_memberships_person")
                    .table(GroupMemberships::Table)
                    .col(GroupMemberships::PersonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(string_uniq(Sessions::TokenHash))
                    .col(big_integer(Sessions::PersonId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(&mut fk(
                        "fk_sessions_person",
                        (Sessions::Table, Sessions::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(big_pk_auto(LoginAttempts::Id))
                    .col(string(LoginAttempts::EmailNormalized))
                    .col(string(LoginAttempts::Ip))
                    .col(boolean(LoginAttempts::Succeeded))
                    .col(timestamp_with_time_zone(LoginAttempts::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempts_email")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::EmailNormalized)
                    .col(LoginAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempts_ip")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::Ip)
                    .col(LoginAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(big_integer_null(AuditLog::ActorId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::Entity))
                    .col(big_integer_null(AuditLog::EntityId))
                    .col(text(AuditLog::Summary))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_audit_log_actor",
                        (AuditLog::Table, AuditLog::ActorId),
                        (People::Table, People::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_created")
                    .table(AuditLog::Table)
                    .col(AuditLog::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::Entity)
                    .col(AuditLog::EntityId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            Sessions::Table.into_iden(),
            GroupMemberships::Table.into_iden(),
            PlatformMemberships::Table.into_iden(),
            WorkingGroups::Table.into_iden(),
            Platforms::Table.into_iden(),
            People::Table.into_iden(),
            Organisations::Table.into_iden(),
            Municipalities::Table.into_iden(),
            ReceptionOffices::Table.into_iden(),
            Settings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
