//! Feed freshness held by the database, not by every write path: triggers on each table a feed
//! reads write the calendar's change log (`calendar_changes`) and rewrite the calendar version
//! (`settings.calendar_version`) in the transaction of the change, whoever writes — a handler,
//! the demo loader, a script, a future room.
//!
//! What they keep, as the app did by hand before:
//! - the version row is rewritten *before* the log row is inserted: its lock, held until commit,
//!   orders the log by commit (a reader that saw row n has seen every change before it);
//! - a meeting, its programme (`agenda_items`), its changed occurrences (`occurrence_changes`) or
//!   its workshops log the meeting's id; a platform, a working group or a reception office logs
//!   "anything may have changed" (NULL): their names are in feed titles and CATEGORIES, their
//!   visibility decides which feeds exist;
//! - the VEVENTs a feed keeps in memory are stamped with the meeting's `updated_at` and its
//!   platform's and group's: a change that did not move them (a raw `UPDATE … SET title`, a new
//!   agenda item) moves them here, so no stale text is served. A meeting update that touches
//!   only what no feed shows (the registration counter, reminders, minutes without a new
//!   `updated_at`) is not a change;
//! - log rows older than three days are dropped (feeds kept in memory are rebuilt each day).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The meeting columns a feed shows or selects by; a change to any other is not a feed change.
const MEETING_FEED_COLUMNS: &[&str] = &[
    "platform_id",
    "working_group_id",
    "office_id",
    "kind",
    "title",
    "description",
    "all_day",
    "start_local",
    "end_local",
    "starts_at",
    "ends_at",
    "series_ends_at",
    "tzid",
    "rrule",
    "place_name",
    "place_address",
    "video_url",
    "status",
    "visibility",
    "sequence",
    "created_at",
    "updated_at",
];

/// Tables whose rows belong to a meeting and whose changes alter its VEVENTs.
const MEETING_PARTS: &[&str] = &["agenda_items", "occurrence_changes"];

/// Scopes: a change may alter any feed. Those with `updated_at` have it moved when unchanged.
const SCOPES: &[(&str, bool)] = &[
    ("platforms", true),
    ("working_groups", true),
    ("reception_offices", false),
];

fn meeting_changed_condition(distinct: &str) -> String {
    MEETING_FEED_COLUMNS
        .iter()
        .map(|c| format!("OLD.{c} {distinct} NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

// ---------------------------------------------------------------------------------------------
// SQLite

/// Now, written as the app writes instants (RFC 3339 in UTC), so they compare and read alike.
const SQLITE_NOW: &str = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')";

/// The body that records one change (`meeting`: an SQL expression, or NULL).
fn sqlite_record(meeting: &str) -> String {
    format!(
        "INSERT INTO settings (key, value) \
             VALUES ('calendar_version', {SQLITE_NOW} || '|' || lower(hex(randomblob(16)))) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value; \
         INSERT INTO calendar_changes (meeting_id, created_at) VALUES ({meeting}, {SQLITE_NOW}); \
         DELETE FROM calendar_changes \
             WHERE created_at < strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '-3 days');"
    )
}

fn sqlite_statements() -> Vec<String> {
    let mut out = Vec::new();
    // Meetings: created and deleted ones are changes; updated ones when a feed column moved.
    out.push(format!(
        "CREATE TRIGGER calendar_meetings_insert AFTER INSERT ON meetings BEGIN {} END",
        sqlite_record("NEW.id")
    ));
    out.push(format!(
        "CREATE TRIGGER calendar_meetings_update AFTER UPDATE ON meetings WHEN {} BEGIN \
             UPDATE meetings SET updated_at = {SQLITE_NOW} \
                 WHERE id = NEW.id AND NEW.updated_at IS OLD.updated_at; \
             {} END",
        meeting_changed_condition("IS NOT"),
        sqlite_record("NEW.id")
    ));
    out.push(format!(
        "CREATE TRIGGER calendar_meetings_delete AFTER DELETE ON meetings BEGIN {} END",
        sqlite_record("OLD.id")
    ));
    // A meeting's parts move its updated_at, which logs it (trigger above).
    for table in MEETING_PARTS {
        let touch = |row: &str| {
            format!("UPDATE meetings SET updated_at = {SQLITE_NOW} WHERE id = {row}.meeting_id;")
        };
        out.push(format!(
            "CREATE TRIGGER calendar_{table}_insert AFTER INSERT ON {table} BEGIN {} END",
            touch("NEW")
        ));
        out.push(format!(
            "CREATE TRIGGER calendar_{table}_update AFTER UPDATE ON {table} BEGIN {} {} END",
            touch("OLD"),
            touch("NEW")
        ));
        out.push(format!(
            "CREATE TRIGGER calendar_{table}_delete AFTER DELETE ON {table} BEGIN {} END",
            touch("OLD")
        ));
    }
    // Workshops are not in the feeds' text; a change to them is logged as the app logged it.
    out.push(format!(
        "CREATE TRIGGER calendar_workshops_insert AFTER INSERT ON workshops BEGIN {} END",
        sqlite_record("NEW.meeting_id")
    ));
    out.push(format!(
        "CREATE TRIGGER calendar_workshops_update AFTER UPDATE ON workshops BEGIN {} END",
        sqlite_record("NEW.meeting_id")
    ));
    out.push(format!(
        "CREATE TRIGGER calendar_workshops_delete AFTER DELETE ON workshops BEGIN {} END",
        sqlite_record("OLD.meeting_id")
    ));
    for (table, has_updated_at) in SCOPES {
        for event in ["INSERT", "DELETE"] {
            out.push(format!(
                "CREATE TRIGGER calendar_{table}_{} AFTER {event} ON {table} BEGIN {} END",
                event.to_lowercase(),
                sqlite_record("NULL")
            ));
        }
        let touch = if *has_updated_at {
            format!(
                "UPDATE {table} SET updated_at = {SQLITE_NOW} \
                     WHERE id = NEW.id AND NEW.updated_at IS OLD.updated_at;"
            )
        } else {
            String::new()
        };
        out.push(format!(
            "CREATE TRIGGER calendar_{table}_update AFTER UPDATE ON {table} BEGIN {touch} {} END",
            sqlite_record("NULL")
        ));
    }
    out
}

fn sqlite_trigger_names() -> Vec<String> {
    let mut names: Vec<String> = ["insert", "update", "delete"]
        .iter()
        .flat_map(|event| {
            ["meetings", "workshops"]
                .iter()
                .chain(MEETING_PARTS)
                .chain(SCOPES.iter().map(|(t, _)| t))
                .map(move |table| format!("calendar_{table}_{event}"))
        })
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

fn postgres_statements() -> Vec<String> {
    let mut out = vec![
        // One change: the version row first (its lock orders the log by commit), then the log.
        "CREATE FUNCTION calendar_record(meeting BIGINT) RETURNS void LANGUAGE plpgsql AS $$ \
         BEGIN \
             INSERT INTO settings (key, value) VALUES ('calendar_version', \
                 to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') \
                 || '|' || md5(random()::text || clock_timestamp()::text)) \
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; \
             INSERT INTO calendar_changes (meeting_id, created_at) \
                 VALUES (meeting, clock_timestamp()); \
             DELETE FROM calendar_changes \
                 WHERE created_at < clock_timestamp() - interval '3 days'; \
         END $$"
            .to_string(),
        // A row whose feed columns moved but not its updated_at gets a new one (stamps move).
        "CREATE FUNCTION calendar_touch() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
             IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN \
                 NEW.updated_at := clock_timestamp(); \
             END IF; \
             RETURN NEW; \
         END $$"
            .to_string(),
        "CREATE FUNCTION calendar_meeting_logged() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
             IF TG_OP = 'DELETE' THEN PERFORM calendar_record(OLD.id); \
             ELSE PERFORM calendar_record(NEW.id); END IF; \
             RETURN NULL; \
         END $$"
            .to_string(),
        "CREATE FUNCTION calendar_meeting_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
             IF TG_OP <> 'INSERT' THEN \
                 UPDATE meetings SET updated_at = clock_timestamp() WHERE id = OLD.meeting_id; \
             END IF; \
             IF TG_OP <> 'DELETE' THEN \
                 UPDATE meetings SET updated_at = clock_timestamp() WHERE id = NEW.meeting_id; \
             END IF; \
             RETURN NULL; \
         END $$"
            .to_string(),
        "CREATE FUNCTION calendar_workshop_logged() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
             IF TG_OP = 'DELETE' THEN PERFORM calendar_record(OLD.meeting_id); \
             ELSE PERFORM calendar_record(NEW.meeting_id); END IF; \
             RETURN NULL; \
         END $$"
            .to_string(),
        "CREATE FUNCTION calendar_scope_logged() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
             PERFORM calendar_record(NULL); \
             RETURN NULL; \
         END $$"
            .to_string(),
    ];
    let changed = meeting_changed_condition("IS DISTINCT FROM");
    out.push(format!(
        "CREATE TRIGGER calendar_meetings_touch BEFORE UPDATE ON meetings FOR EACH ROW \
         WHEN ({changed}) EXECUTE PROCEDURE calendar_touch()"
    ));
    out.push(
        "CREATE TRIGGER calendar_meetings_insert_delete AFTER INSERT OR DELETE ON meetings \
         FOR EACH ROW EXECUTE PROCEDURE calendar_meeting_logged()"
            .to_string(),
    );
    out.push(format!(
        "CREATE TRIGGER calendar_meetings_update AFTER UPDATE ON meetings FOR EACH ROW \
         WHEN ({changed}) EXECUTE PROCEDURE calendar_meeting_logged()"
    ));
    for table in MEETING_PARTS {
        out.push(format!(
            "CREATE TRIGGER calendar_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE PROCEDURE calendar_meeting_part_changed()"
        ));
    }
    out.push(
        "CREATE TRIGGER calendar_workshops AFTER INSERT OR UPDATE OR DELETE ON workshops \
         FOR EACH ROW EXECUTE PROCEDURE calendar_workshop_logged()"
            .to_string(),
    );
    for (table, has_updated_at) in SCOPES {
        if *has_updated_at {
            out.push(format!(
                "CREATE TRIGGER calendar_{table}_touch BEFORE UPDATE ON {table} FOR EACH ROW \
                 EXECUTE PROCEDURE calendar_touch()"
            ));
        }
        out.push(format!(
            "CREATE TRIGGER calendar_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE PROCEDURE calendar_scope_logged()"
        ));
    }
    out
}

fn postgres_drops() -> Vec<String> {
    let mut out = vec![
        "DROP TRIGGER IF EXISTS calendar_meetings_touch ON meetings".to_string(),
        "DROP TRIGGER IF EXISTS calendar_meetings_insert_delete ON meetings".to_string(),
        "DROP TRIGGER IF EXISTS calendar_meetings_update ON meetings".to_string(),
        "DROP TRIGGER IF EXISTS calendar_workshops ON workshops".to_string(),
    ];
    for table in MEETING_PARTS {
        out.push(format!(
            "DROP TRIGGER IF EXISTS calendar_{table} ON {table}"
        ));
    }
    for (table, _) in SCOPES {
        out.push(format!(
            "DROP TRIGGER IF EXISTS calendar_{table}_touch ON {table}"
        ));
        out.push(format!(
            "DROP TRIGGER IF EXISTS calendar_{table} ON {table}"
        ));
    }
    for function in [
        "calendar_scope_logged()",
        "calendar_workshop_logged()",
        "calendar_meeting_part_changed()",
        "calendar_meeting_logged()",
        "calendar_touch()",
        "calendar_record(BIGINT)",
    ] {
        out.push(format!("DROP FUNCTION IF EXISTS {function}"));
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match db.get_database_backend() {
            DbBackend::Postgres => postgres_statements(),
            DbBackend::Sqlite => sqlite_statements(),
            other => {
                return Err(DbErr::Migration(format!(
                    "base de données non prise en charge : {other:?}"
                )));
            }
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match db.get_database_backend() {
            DbBackend::Postgres => postgres_drops(),
            _ => sqlite_trigger_names()
                .into_iter()
                .map(|name| format!("DROP TRIGGER IF EXISTS {name}"))
                .collect(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
