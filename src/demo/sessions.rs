//! The demo's past sessions (sessions.toml): the socio-legal platform's monthly findings meeting
//! and two reception offices' office hours, each session with who came (attendance rows
//! pointing at the session's row of the occurrence index) and, for the findings meetings, its
//! minutes with decisions and actions. A session not over when the demo is loaded is left
//! alone; what is already there is kept (idempotent).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use super::fixtures::{Fixtures, SessionFixture};
use super::meetings::plan_office_hours;
use super::{Added, COORDINATOR_EMAIL};
use crate::entities::attendance::{self, Presence};
use crate::entities::local_time::LocalDateTime;
use crate::entities::{meeting, occurrence};
use crate::meetings::index::session_on;

/// The series a session belongs to: its title and first local start, as the loader wrote it.
fn series_key(fixtures: &Fixtures, s: &SessionFixture) -> anyhow::Result<(String, LocalDateTime)> {
    if let Some(title) = &s.meeting {
        let m = fixtures
            .meetings
            .iter()
            .find(|m| &m.title == title && m.rrule.is_some())
            .ok_or_else(|| anyhow::anyhow!("série « {title} » absente de meetings.toml"))?;
        return Ok((title.clone(), m.date.and_time(m.start).into()));
    }
    let office = s.office.as_deref().unwrap_or_default();
    let o = fixtures
        .office_hours
        .iter()
        .find(|o| o.office == office)
        .ok_or_else(|| anyhow::anyhow!("bureau « {office} » sans permanence"))?;
    let planned = plan_office_hours(o, None, None)?;
    Ok((planned.title, planned.start.into()))
}

pub(super) async fn load_sessions(
    txn: &DatabaseTransaction,
    fixtures: &Fixtures,
    person_ids: &HashMap<&str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let marked_by = person_ids.get(COORDINATOR_EMAIL).copied();
    for s in &fixtures.sessions {
        let (title, start) = series_key(fixtures, s)?;
        let series = meeting::Entity::find()
            .filter(meeting::Column::Title.eq(title.as_str()))
            .filter(meeting::Column::StartLocal.eq(start))
            .one(txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("série « {title} » introuvable"))?;
        let row = session_on(txn, series.id, s.date)
            .await?
            .ok_or_else(|| anyhow::anyhow!("« {title} » n'a pas de séance le {}", s.date))?;
        // Attendance and minutes are for what took place.
        if row.cancelled || row.ends_at > now {
            continue;
        }
        if let Some(m) = &s.minutes
            && row.minutes.is_empty()
            && row.decisions.is_empty()
            && row.actions.is_empty()
        {
            let mut model: occurrence::ActiveModel = row.clone().into();
            model.minutes = Set(m.minutes.clone());
            model.decisions = Set(m.decisions.clone());
            model.actions = Set(m.actions.clone());
            model.minutes_published = Set(true);
            model.update(txn).await?;
            added.session_minutes += 1;
        }
        let existing = attendance::Entity::find()
            .filter(attendance::Column::MeetingId.eq(series.id))
            .filter(attendance::Column::OccurrenceId.eq(row.id))
            .all(txn)
            .await?;
        let marks = [
            (&s.present, Presence::Present),
            (&s.excused, Presence::Excused),
            (&s.absent, Presence::Absent),
        ];
        for (emails, status) in marks {
            for email in emails {
                let person = super::lookup(person_ids, email, "personne")?;
                if existing.iter().any(|a| a.person_id == Some(person)) {
                    continue;
                }
                insert_mark(
                    txn,
                    (series.id, row.id),
                    Some(person),
                    "",
                    status,
                    marked_by,
                )
                .await?;
                added.attendance += 1;
            }
        }
        for name in &s.walk_ins {
            if existing
                .iter()
                .any(|a| a.person_id.is_none() && &a.walk_in_name == name)
            {
                continue;
            }
            insert_mark(
                txn,
                (series.id, row.id),
                None,
                name,
                Presence::Present,
                marked_by,
            )
            .await?;
            added.attendance += 1;
        }
    }
    Ok(())
}

async fn insert_mark(
    txn: &DatabaseTransaction,
    (meeting_id, occurrence_id): (i64, i64),
    person_id: Option<i64>,
    name: &str,
    status: Presence,
    marked_by: Option<i64>,
) -> anyhow::Result<()> {
    attendance::ActiveModel {
        meeting_id: Set(meeting_id),
        occurrence_id: Set(Some(occurrence_id)),
        person_id: Set(person_id),
        walk_in_name: Set(name.to_string()),
        status: Set(status),
        marked_by: Set(marked_by),
        marked_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
