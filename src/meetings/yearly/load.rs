//! What the yearly table is made of, read from the database: the meetings and sessions of a
//! calendar year in a scope that the viewer may open (the meeting visibility rule), their
//! attendance rows, and the people who get a row.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::table::{Column, Mark, Person};
use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::MeetingStatus;
use crate::entities::{
    attendance, group_membership, meeting, occurrence, occurrence_change, person,
    platform_membership,
};
use crate::meetings::{Loaded, now_local, overlapping, recurrence, schedule, visible};
use crate::state::AppState;
use crate::web::{AppResult, Ctx};

/// Whose meetings a table covers.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// A working group's meetings.
    Group(i64),
    /// A platform's own meetings (its working groups have their own tables).
    Platform(i64),
    /// The meetings and sessions where this person's attendance was noted, anywhere.
    Person(i64),
}

/// [1 January of `year`, 1 January of the next) in Brussels wall clock, cut at now: what has
/// not started yet has no attendance. None: the year has not begun (or is out of range).
pub fn year_window(year: i32, now: NaiveDateTime) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1)?.and_time(NaiveTime::MIN);
    let end = NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?.and_time(NaiveTime::MIN);
    let to = end.min(now);
    (from < to).then_some((from, to))
}

/// The columns of `scope`'s table for `year`, and the attendance rows that fall in them.
pub async fn columns_and_marks(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
    year: i32,
) -> AppResult<(Vec<Column>, Vec<Mark>)> {
    let Some((from, to)) = year_window(year, now_local()) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut select = meeting::Entity::find().filter(overlapping(
        recurrence::to_utc(from),
        recurrence::to_utc(to),
    ));
    select = match scope {
        Scope::Group(id) => select.filter(meeting::Column::WorkingGroupId.eq(id)),
        Scope::Platform(id) => select
            .filter(meeting::Column::PlatformId.eq(id))
            .filter(meeting::Column::WorkingGroupId.is_null()),
        Scope::Person(id) => select.filter(
            meeting::Column::Id.in_subquery(
                Query::select()
                    .column(attendance::Column::MeetingId)
                    .from(attendance::Entity)
                    .and_where(attendance::Column::PersonId.eq(id))
                    .to_owned(),
            ),
        ),
    };
    // Every column names a meeting: only those the viewer may open.
    let loaded = visible(state, ctx, select.all(&state.db).await?).await?;
    let mut marks_query = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.is_in(loaded.iter().map(|l| l.meeting.id)));
    if let Scope::Person(id) = scope {
        marks_query = marks_query.filter(attendance::Column::PersonId.eq(id));
    }
    let marks: Vec<Mark> = marks_query
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| Mark {
            meeting_id: a.meeting_id,
            occurrence_id: a.occurrence_id,
            person_id: a.person_id,
            status: a.status,
        })
        .collect();
    let marked: HashSet<(i64, Option<i64>)> = marks
        .iter()
        .map(|m| (m.meeting_id, m.occurrence_id))
        .collect();
    let mut columns = one_offs(&loaded, &marked, from, to);
    columns.extend(sessions(state, &loaded, &marked, from, to).await?);
    if matches!(scope, Scope::Person(_)) {
        columns.retain(|c| marked.contains(&(c.meeting_id, c.occurrence_id)));
    }
    columns.sort_by_key(|c| (c.start, c.meeting_id));
    Ok((columns, marks))
}

/// One-off meetings that started in [from, to); a cancelled one only if attendance was noted.
fn one_offs(
    loaded: &[Loaded],
    marked: &HashSet<(i64, Option<i64>)>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<Column> {
    loaded
        .iter()
        .filter(|l| l.meeting.rrule.is_none())
        .filter(|l| {
            let start = l.meeting.start_local.naive();
            start >= from && start < to
        })
        .filter(|l| {
            l.meeting.status != MeetingStatus::Cancelled || marked.contains(&(l.meeting.id, None))
        })
        .map(|l| Column {
            meeting_id: l.meeting.id,
            occurrence_id: None,
            start: l.meeting.start_local.naive(),
            title: l.meeting.title.clone(),
            href: format!("/reunions/{}", l.meeting.id),
            scope: l.scope_label(),
        })
        .collect()
}

/// The sessions of the series that took place in [from, to): the rows of the occurrence index
/// (sessions that attendance points at are there, whatever the horizon), then the series'
/// other dates from its rule (older than the index: held, nothing noted). A cancelled session
/// only if attendance was noted for it.
async fn sessions(
    state: &AppState,
    loaded: &[Loaded],
    marked: &HashSet<(i64, Option<i64>)>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<Column>> {
    let series: HashMap<i64, &Loaded> = loaded
        .iter()
        .filter(|l| l.meeting.rrule.is_some())
        .map(|l| (l.meeting.id, l))
        .collect();
    if series.is_empty() {
        return Ok(Vec::new());
    }
    let rows = occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.is_in(series.keys().copied()))
        .filter(occurrence::Column::StartLocal.gte(LocalDateTime::from(from)))
        .filter(occurrence::Column::StartLocal.lt(LocalDateTime::from(to)))
        .all(&state.db)
        .await?;
    let mut seen: BTreeSet<(i64, NaiveDateTime)> = BTreeSet::new();
    let mut columns = Vec::new();
    for row in rows {
        let Some(l) = series.get(&row.meeting_id) else {
            continue;
        };
        let original = row.original_start_local.naive();
        seen.insert((row.meeting_id, original));
        if row.cancelled && !marked.contains(&(row.meeting_id, Some(row.id))) {
            continue;
        }
        columns.push(session_column(
            l,
            Some(row.id),
            row.start_local.naive(),
            original,
        ));
    }
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.is_in(series.keys().copied()))
        .all(&state.db)
        .await?;
    for l in series.values() {
        for o in schedule::occurrences(&l.meeting, &changes, from, to)? {
            let original = o.original_start.unwrap_or(o.start);
            if o.cancelled || o.start < from || o.start >= to {
                continue;
            }
            if seen.insert((l.meeting.id, original)) {
                columns.push(session_column(l, None, o.start, original));
            }
        }
    }
    Ok(columns)
}

fn session_column(
    l: &Loaded,
    occurrence_id: Option<i64>,
    start: NaiveDateTime,
    original: NaiveDateTime,
) -> Column {
    Column {
        meeting_id: l.meeting.id,
        occurrence_id,
        start,
        title: l.meeting.title.clone(),
        href: format!("/reunions/{}/{}", l.meeting.id, original.format("%Y-%m-%d")),
        scope: l.scope_label(),
    }
}

/// The people with a row: the scope's members, and anyone with a mark in the columns.
pub async fn people(
    state: &AppState,
    scope: Scope,
    columns: &[Column],
    marks: &[Mark],
) -> AppResult<Vec<Person>> {
    let members: BTreeSet<i64> = match scope {
        Scope::Group(id) => group_membership::Entity::find()
            .filter(group_membership::Column::WorkingGroupId.eq(id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect(),
        Scope::Platform(id) => platform_membership::Entity::find()
            .filter(platform_membership::Column::PlatformId.eq(id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect(),
        Scope::Person(id) => BTreeSet::from([id]),
    };
    let in_columns: HashSet<(i64, Option<i64>)> = columns
        .iter()
        .map(|c| (c.meeting_id, c.occurrence_id))
        .collect();
    let ids: BTreeSet<i64> = members
        .iter()
        .copied()
        .chain(
            marks
                .iter()
                .filter(|m| in_columns.contains(&(m.meeting_id, m.occurrence_id)))
                .filter_map(|m| m.person_id),
        )
        .collect();
    let orgs = crate::people::organisation_names(state).await?;
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| Person {
            member: members.contains(&p.id),
            organisation: p.organisation_id.and_then(|o| orgs.get(&o).cloned()),
            id: p.id,
            name: p.name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default()
    }

    #[test]
    fn a_year_runs_from_new_year_to_new_year_and_stops_at_now() {
        let now = at(2027, 3, 10);
        assert_eq!(
            year_window(2026, now),
            Some((at(2026, 1, 1), at(2027, 1, 1)))
        );
        assert_eq!(year_window(2027, now), Some((at(2027, 1, 1), now)));
        assert_eq!(year_window(2028, now), None, "nothing held yet");
        assert_eq!(year_window(i32::MAX, now), None);
    }
}
