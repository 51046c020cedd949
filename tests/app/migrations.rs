//! The schema's migrations: forward on an empty database, back and forward again, and forward
//! over existing data — a database built with the migrations shipped before, filled with the
//! demo dataset, loses nothing when the newer migrations run.

use std::collections::{BTreeMap, HashMap};

use maillage::config::Config;
use maillage::entities::{municipality, person, reception_office};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    PaginatorTrait, Set, Statement,
};

use crate::helpers::{TestApp, empty_database};

#[tokio::test]
async fn migrations_run_forward_on_an_empty_database_and_load_the_eight_offices() {
    let app = TestApp::spawn().await;
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap();
    assert_eq!(applied.len(), Migrator::migrations().len());
    assert!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    let offices = reception_office::Entity::find().all(&app.db).await.unwrap();
    let mut names: Vec<&str> = offices.iter().map(|o| o.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Andenne",
            "Beauraing",
            "Ciney",
            "Dinant",
            "Gembloux",
            "Namur",
            "Philippeville",
            "Sambreville"
        ]
    );
    assert_eq!(
        municipality::Entity::find().count(&app.db).await.unwrap(),
        38
    );
    let andenne = offices.iter().find(|o| o.name == "Andenne").unwrap();
    let gesves = municipality::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.name == "Gesves")
        .unwrap();
    assert_eq!(gesves.office_id, andenne.id);
}

#[tokio::test]
async fn migrations_roll_back_and_forward_again() {
    let app = TestApp::spawn().await;
    Migrator::down(&app.db, None).await.unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );
    Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(
        reception_office::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        8
    );
}

#[tokio::test]
async fn the_database_refuses_two_people_with_the_same_normalised_email() {
    let app = TestApp::spawn().await;
    app.create_person("Amina Benali", "amina@cpas-namur.example", false)
        .await;
    let now = chrono::Utc::now();
    let duplicate = person::ActiveModel {
        name: Set("Autre".into()),
        email: Set("AMINA@cpas-namur.example".into()),
        email_normalized: Set("amina@cpas-namur.example".into()),
        organisation_id: Set(None),
        language: Set(person::Language::Fr),
        active: Set(true),
        is_admin: Set(false),
        password_hash: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await;
    assert!(duplicate.is_err());
}

// --- existing data survives the newer migrations ----------------------------------------------

/// The last migration shipped before this round of changes: databases in use stand there. The
/// migrations after it must carry their data forward.
const LAST_SHIPPED: &str = "m20261130_000008_feed_triggers";

/// Columns a newer migration is meant to rewrite (table, column, why), compared by presence of
/// their rows only. A migration that converts stored values adds its columns here, with the
/// reason; everything else must read back exactly as it was.
const REWRITTEN: &[(&str, &str, &str)] = &[];

/// One table: its columns (in order) and every row, each value as the database writes it as
/// text (NULL kept apart).
#[derive(Debug)]
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

type Snapshot = BTreeMap<String, Table>;

async fn strings(db: &DatabaseConnection, sql: String) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// The tables of the database (not the engine's own).
async fn tables(db: &DatabaseConnection) -> Vec<String> {
    strings(
        db,
        match db.get_database_backend() {
            DatabaseBackend::Postgres => "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 ORDER BY table_name"
                .to_string(),
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' \
                  AND name NOT LIKE 'sqlite_%' ORDER BY name"
                .to_string(),
        },
    )
    .await
}

/// A table's columns, in order.
async fn columns(db: &DatabaseConnection, table: &str) -> Vec<String> {
    strings(
        db,
        match db.get_database_backend() {
            DatabaseBackend::Postgres => format!(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = '{table}' \
                 ORDER BY ordinal_position"
            ),
            _ => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        },
    )
    .await
}

/// Every row of `table`, these columns only, each value cast to text by the database.
async fn rows(
    db: &DatabaseConnection,
    table: &str,
    columns: &[String],
) -> Vec<Vec<Option<String>>> {
    let list = columns
        .iter()
        .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
        .collect::<Vec<_>>()
        .join(", ");
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT {list} FROM \"{table}\""),
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (0..columns.len())
            .map(|i| row.try_get_by_index::<Option<String>>(i).unwrap())
            .collect()
    })
    .collect()
}

async fn snapshot(db: &DatabaseConnection) -> Snapshot {
    let mut out = Snapshot::new();
    for table in tables(db).await {
        let columns = columns(db, &table).await;
        let rows = rows(db, &table, &columns).await;
        out.insert(table, Table { columns, rows });
    }
    out
}

/// What of `before` is not in the database any more, as it was: tables, columns, rows (a row
/// kept but changed is shown column by column, by its id). Tables, columns and rows may be added.
async fn lost(before: &Snapshot, db: &DatabaseConnection) -> Vec<String> {
    let after_tables = tables(db).await;
    let mut problems = Vec::new();
    for (table, old) in before {
        if !after_tables.contains(table) {
            problems.push(format!("table {table} gone ({} rows)", old.rows.len()));
            continue;
        }
        let now = columns(db, table).await;
        let gone: Vec<&String> = old.columns.iter().filter(|c| !now.contains(c)).collect();
        if !gone.is_empty() {
            problems.push(format!("{table}: columns gone: {gone:?}"));
            continue;
        }
        let compared: Vec<bool> = old
            .columns
            .iter()
            .map(|c| !REWRITTEN.iter().any(|(t, col, _)| t == table && col == c))
            .collect();
        let key = |row: &Vec<Option<String>>| -> Vec<Option<String>> {
            row.iter()
                .zip(&compared)
                .map(|(v, &kept)| if kept { v.clone() } else { None })
                .collect()
        };
        let new_rows = rows(db, table, &old.columns).await;
        let mut unmatched: HashMap<Vec<Option<String>>, usize> = HashMap::new();
        for row in &new_rows {
            *unmatched.entry(key(row)).or_default() += 1;
        }
        // A row is known by its id, or else by its first column (`settings.key`, a migration's
        // `version`).
        let at = old.columns.iter().position(|c| c == "id").unwrap_or(0);
        for row in &old.rows {
            match unmatched.get_mut(&key(row)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => {
                    problems.push(match new_rows.iter().find(|r| r[at] == row[at]) {
                        Some(new) => {
                            let changes: Vec<String> = old
                                .columns
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| compared[*i] && new[*i] != row[*i])
                                .map(|(i, c)| format!("{c}: {:?} → {:?}", row[i], new[i]))
                                .collect();
                            let known_by = &old.columns[at];
                            format!("{table} {known_by}={:?} changed: {changes:?}", row[at])
                        }
                        None => format!("{table}: row gone: {row:?}"),
                    });
                }
            }
        }
    }
    problems
}

#[tokio::test]
async fn a_database_filled_before_the_newer_migrations_keeps_every_value_through_them() {
    let empty = empty_database().await;
    let db = maillage::db::connect(&Config::for_database(&empty.url))
        .await
        .unwrap();
    let all = Migrator::migrations();
    let shipped = all
        .iter()
        .position(|m| m.name() == LAST_SHIPPED)
        .expect("the last shipped migration is still in the list")
        + 1;
    Migrator::up(&db, Some(u32::try_from(shipped).unwrap()))
        .await
        .unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(&db).await.unwrap().len(),
        shipped
    );
    // The demo dataset, written through today's entities onto yesterday's schema: if it no longer
    // fits (an entity gained a column a newer migration adds), load it through SQL of that time.
    // Yesterday's schema has no occurrence index: the demo's rows of it are not written.
    let summary = maillage::demo::load_before_index(&db).await.unwrap();
    assert!(
        summary.starts_with("Jeu de démonstration chargé"),
        "{summary}"
    );

    let before = snapshot(&db).await;
    // Not an empty comparison: the demo fills the tables that matter.
    for table in [
        "people",
        "platforms",
        "working_groups",
        "meetings",
        "occurrence_changes",
        "agenda_items",
        "registrations",
        "workshops",
        "workshop_preferences",
        "calendar_changes",
        "settings",
    ] {
        let rows = before.get(table).map_or(0, |t| t.rows.len());
        assert!(rows > 0, "{table} is empty before migrating");
    }

    Migrator::up(&db, None).await.unwrap();
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );

    let problems = lost(&before, &db).await;
    assert!(
        problems.is_empty(),
        "the migrations after {LAST_SHIPPED} lost or changed data:\n{}",
        problems.join("\n")
    );
}
