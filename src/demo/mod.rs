//! The demo dataset (`maillage demo`): the real thematic platforms of the province of Namur and
//! their working groups, with fictional but plausible organisations, people and memberships; the
//! reception offices' office hours as recurring series; a year of platform and working-group
//! meetings; and the annual plenary of the PPLI with its workshops and a hundred registrations.
//!
//! The data lives in TOML files beside this module (`fixtures.rs` reads and checks them); the
//! code here only loads it. Loading is idempotent: every row is looked up by its natural key
//! first (platform slug, organisation name, normalised email, group name within its platform,
//! membership pair, meeting title and local start, registration pair…) and only what is missing
//! is inserted, in one transaction. Every email address is on the reserved `.example` top-level
//! domain so that no real mail can ever be sent to a demo account.

mod check;
mod directory;
mod fixtures;
mod meetings;
mod plenary;
mod sessions;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use sea_orm::{DatabaseConnection, TransactionTrait};

use fixtures::Fixtures;

pub const ADMIN_EMAIL: &str = "admin@cri-namur.example";
pub const COORDINATOR_EMAIL: &str = "coordination@cri-namur.example";
pub const MEMBER_EMAIL: &str = "membre@cri-namur.example";
pub const PASSWORD: &str = "maillage-demo";

/// What one run inserted.
#[derive(Default)]
struct Added {
    platforms: usize,
    groups: usize,
    organisations: usize,
    people: usize,
    memberships: usize,
    meetings: usize,
    agenda_items: usize,
    occurrence_changes: usize,
    workshops: usize,
    /// Registrations, each with its workshop preferences.
    registrations: usize,
    /// Attendance rows of past sessions, and sessions given their minutes.
    attendance: usize,
    session_minutes: usize,
}

impl Added {
    fn nothing(&self) -> bool {
        self.platforms
            + self.groups
            + self.organisations
            + self.people
            + self.memberships
            + self.meetings
            + self.agenda_items
            + self.occurrence_changes
            + self.workshops
            + self.registrations
            + self.attendance
            + self.session_minutes
            == 0
    }
}

fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n > 1 { plural } else { singular })
}

/// Loads the demo dataset, inserting only what is missing, and returns a French summary.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<String> {
    load_with(db, true).await
}

/// The same onto a database whose schema predates the occurrence index (migration 000010): the
/// index is left to `meetings::index::fill_missing`, run once the migrations are applied. For
/// the test that fills a database at its last shipped migration and migrates it.
pub async fn load_before_index(db: &DatabaseConnection) -> anyhow::Result<String> {
    load_with(db, false).await
}

async fn load_with(db: &DatabaseConnection, index: bool) -> anyhow::Result<String> {
    // Parsed and checked before anything is written: a mistake in a data file changes nothing.
    let fixtures = Fixtures::load()?;
    let txn = db.begin().await?;
    let mut added = Added::default();

    let platform_ids = directory::load_platforms(&txn, &fixtures, &mut added).await?;
    let group_ids = directory::load_groups(&txn, &fixtures, &platform_ids, &mut added).await?;
    let organisation_ids = directory::load_organisations(&txn, &fixtures, &mut added).await?;
    let person_ids = directory::load_people(&txn, &fixtures, &organisation_ids, &mut added).await?;
    directory::load_platform_memberships(&txn, &fixtures, &platform_ids, &person_ids, &mut added)
        .await?;
    directory::load_group_memberships(&txn, &fixtures, &group_ids, &person_ids, &mut added).await?;
    meetings::load_office_hours(&txn, &fixtures, &person_ids, &mut added).await?;
    meetings::load_meetings(
        &txn,
        &fixtures,
        &platform_ids,
        &group_ids,
        &person_ids,
        &mut added,
    )
    .await?;
    plenary::load_plenary(&txn, &fixtures, &person_ids, &mut added).await?;
    // Every meeting's sessions in the occurrence index, as every change of a meeting writes them.
    // Past sessions with attendance and minutes point at rows of the index: skipped on a schema
    // that predates it, as the index is.
    if index {
        crate::meetings::index::rewrite_all(&txn, crate::meetings::index::Horizon::now()).await?;
        sessions::load_sessions(&txn, &fixtures, &person_ids, &mut added).await?;
    }

    let summary = if added.nothing() {
        let groups: usize = fixtures.platforms.iter().map(|p| p.groups.len()).sum();
        format!(
            "Jeu de démonstration déjà chargé : rien à ajouter ({}, {}, {}, {}, {}, {}).",
            count(fixtures.platforms.len(), "plateforme", "plateformes"),
            count(groups, "groupe de travail", "groupes de travail"),
            count(
                fixtures.organisations.len(),
                "organisation",
                "organisations"
            ),
            count(fixtures.everyone().count(), "personne", "personnes"),
            count(
                meetings::meeting_count(&fixtures),
                "réunion ou série",
                "réunions et séries"
            ),
            count(
                plenary::registrants(&fixtures).len(),
                "inscription",
                "inscriptions"
            ),
        )
    } else {
        // Only what was added: a partial reload reads "1 personne, 3 adhésions".
        let parts: Vec<String> = [
            (added.platforms, "plateforme", "plateformes"),
            (added.groups, "groupe de travail", "groupes de travail"),
            (added.organisations, "organisation", "organisations"),
            (added.people, "personne", "personnes"),
            (added.memberships, "adhésion", "adhésions"),
            (added.meetings, "réunion ou série", "réunions et séries"),
            (
                added.agenda_items,
                "point de programme",
                "points de programme",
            ),
            (
                added.occurrence_changes,
                "séance modifiée",
                "séances modifiées",
            ),
            (added.workshops, "atelier", "ateliers"),
            (added.registrations, "inscription", "inscriptions"),
            (added.attendance, "présence notée", "présences notées"),
            (
                added.session_minutes,
                "compte rendu de séance",
                "comptes rendus de séance",
            ),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, singular, plural)| count(n, singular, plural))
        .collect();
        let summary = format!("Jeu de démonstration chargé : {}.", parts.join(", "));
        crate::audit::record(
            &txn,
            None,
            "charger la démonstration",
            "démonstration",
            None,
            summary.clone(),
        )
        .await?;
        summary
    };
    txn.commit().await?;
    Ok(summary)
}

/// An id from a fixture map; a miss is a mistake in the data files.
fn lookup(ids: &HashMap<&str, i64>, key: &str, what: &str) -> anyhow::Result<i64> {
    ids.get(key)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("{what} « {key} » absente du jeu de démonstration"))
}
