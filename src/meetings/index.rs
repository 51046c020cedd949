//! The occurrence index (table `occurrences`): each meeting's sessions within a rolling horizon,
//! one row each, written in the transaction of every change of the meeting (`rewrite`), extended
//! daily (`extend`), filled at start for meetings without rows (`fill_missing`). A session's row
//! is keyed by its original start, so a moved session keeps its row id; changing a meeting
//! rewrites only its own rows.
//!
//! A row is also a session's identity: registrations, attendance, invitations and session answers
//! point at it, and it holds the session's minutes. Such a row is never deleted: a session the
//! series no longer has on its original date is looked for on the same day (the series' time
//! changed: the row follows it); one that is gone from the series altogether stays, marked
//! cancelled, if it is still to come, and as it was if it is over (what happened stays true).
//! A session asked for outside the horizon gets its row then (`session_on`).

use std::collections::HashMap;

use chrono::{Months, NaiveDate, NaiveDateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, IntoIden, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::schedule;
use crate::entities::local_time::LocalDateTime;
use crate::entities::{
    attendance, invitation, meeting, occurrence, occurrence_change, registration, session_answer,
};

/// How far back the index reaches, in months before today.
pub const MONTHS_BACK: u32 = 3;
/// How far ahead the index reaches, in months after today.
pub const MONTHS_AHEAD: u32 = 24;

/// The local (Brussels) window a series' sessions are indexed in: [from, to). It starts and ends
/// at midnight, so that every rewrite of the same day uses the same window. A one-off meeting is
/// indexed whatever its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Horizon {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

impl Horizon {
    /// `MONTHS_BACK` before `today` to `MONTHS_AHEAD` after it.
    pub fn around(today: NaiveDate) -> Self {
        let midnight = today.and_time(chrono::NaiveTime::MIN);
        Self {
            from: midnight
                .checked_sub_months(Months::new(MONTHS_BACK))
                .unwrap_or(midnight),
            to: midnight
                .checked_add_months(Months::new(MONTHS_AHEAD))
                .unwrap_or(midnight),
        }
    }

    /// The horizon around today in Brussels.
    pub fn now() -> Self {
        Self::around(super::recurrence::to_local(Utc::now()).date())
    }
}

/// A session as the index stores it.
struct Row {
    original: LocalDateTime,
    start: LocalDateTime,
    end: LocalDateTime,
    starts_at: chrono::DateTime<Utc>,
    ends_at: chrono::DateTime<Utc>,
    cancelled: bool,
    moved: bool,
}

/// The sessions of `meeting` the index holds for `horizon`, one per original start.
fn sessions(
    meeting: &meeting::Model,
    changes: &[occurrence_change::Model],
    horizon: Horizon,
) -> Result<Vec<Row>, DbErr> {
    let (from, to) = if meeting.rrule.is_some() {
        (horizon.from, horizon.to)
    } else {
        (NaiveDateTime::MIN, NaiveDateTime::MAX)
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for o in schedule::occurrences(meeting, changes, from, to)? {
        let original = LocalDateTime::from(o.original_start.unwrap_or(o.start));
        if !seen.insert(original) {
            continue;
        }
        rows.push(Row {
            original,
            start: o.start.into(),
            end: o.end.into(),
            starts_at: o.start_utc,
            ends_at: o.end_utc,
            cancelled: o.cancelled,
            moved: o.moved,
        });
    }
    Ok(rows)
}

/// Rewrites the rows of meeting `meeting_id` (as `txn` sees it) for `horizon`: rows of sessions
/// that still exist keep their id and take the session's new times and flags, new sessions get a
/// row, rows of sessions that no longer exist (or fell out of the horizon) are deleted. A one-off
/// meeting keeps its single row whatever its new date. A meeting that no longer exists: nothing
/// to do (its rows went with it). Run it in the transaction of the change.
pub async fn rewrite(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
    horizon: Horizon,
) -> Result<(), DbErr> {
    // The meeting's row locked (PostgreSQL; SQLite writers are serialized already): the daily
    // pass waits for a change under way, and reads the meeting as that change left it.
    let Some(meeting) = meeting::Entity::find_by_id(meeting_id)
        .lock_exclusive()
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(meeting_id))
        .all(txn)
        .await?;
    let wanted = sessions(&meeting, &changes, horizon)?;
    let existing = occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .all(txn)
        .await?;
    let one_off = meeting.rrule.is_none();
    let mut by_original: HashMap<LocalDateTime, occurrence::Model> = existing
        .into_iter()
        .map(|row| (row.original_start_local, row))
        .collect();
    // Rows whose session is gone are deleted first: a key they hold may be taken again below.
    let mut kept: Vec<(occurrence::Model, &Row)> = Vec::new();
    let mut new: Vec<&Row> = Vec::new();
    for row in &wanted {
        match by_original.remove(&row.original) {
            Some(old) => kept.push((old, row)),
            None => new.push(row),
        }
    }
    // A one-off moved to another date keeps its row.
    if one_off && kept.is_empty() && !new.is_empty() {
        let oldest = by_original.keys().min().copied();
        if let Some(old) = oldest.and_then(|key| by_original.remove(&key)) {
            kept.push((old, new.remove(0)));
        }
    }
    // Rows something points at are kept: on the same day if the series still meets that day,
    // else cancelled (still to come) or as they were (over).
    let held = referenced(txn, meeting_id).await?;
    let mut left: Vec<occurrence::Model> = Vec::new();
    by_original.retain(|_, row| {
        if held.contains(&row.id) {
            left.push(row.clone());
            false
        } else {
            true
        }
    });
    let now = Utc::now();
    for row in left {
        let day = row.original_start_local.naive().date();
        if let Some(i) = new.iter().position(|n| n.original.naive().date() == day) {
            kept.push((row, new.remove(i)));
        } else if let Some(found) = on_day(&meeting, &changes, day)? {
            // Outside the horizon: the series' session that day, as it now is.
            update(txn, row, &found).await?;
        } else if row.ends_at > now && !row.cancelled {
            let mut model: occurrence::ActiveModel = row.into();
            model.cancelled = Set(true);
            model.update(txn).await?;
        }
    }
    let gone: Vec<i64> = by_original.values().map(|row| row.id).collect();
    if !gone.is_empty() {
        occurrence::Entity::delete_many()
            .filter(occurrence::Column::Id.is_in(gone))
            .exec(txn)
            .await?;
    }
    for (old, row) in kept {
        update(txn, old, row).await?;
    }
    // In batches: a daily series has some 820 sessions in the horizon, nine values each.
    for batch in new.chunks(200) {
        occurrence::Entity::insert_many(batch.iter().map(|row| occurrence::ActiveModel {
            meeting_id: Set(meeting_id),
            original_start_local: Set(row.original),
            start_local: Set(row.start),
            end_local: Set(row.end),
            starts_at: Set(row.starts_at),
            ends_at: Set(row.ends_at),
            cancelled: Set(row.cancelled),
            moved: Set(row.moved),
            ..Default::default()
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Writes `row`'s times and flags to the stored `old` (nothing if they are the same).
async fn update(
    txn: &impl ConnectionTrait,
    old: occurrence::Model,
    row: &Row,
) -> Result<(), DbErr> {
    let same = old.original_start_local == row.original
        && old.start_local == row.start
        && old.end_local == row.end
        && old.starts_at == row.starts_at
        && old.ends_at == row.ends_at
        && old.cancelled == row.cancelled
        && old.moved == row.moved;
    if same {
        return Ok(());
    }
    let mut model: occurrence::ActiveModel = old.into();
    model.original_start_local = Set(row.original);
    model.start_local = Set(row.start);
    model.end_local = Set(row.end);
    model.starts_at = Set(row.starts_at);
    model.ends_at = Set(row.ends_at);
    model.cancelled = Set(row.cancelled);
    model.moved = Set(row.moved);
    model.update(txn).await?;
    Ok(())
}

/// The ids of the meeting's rows something points at (registrations, attendance, invitations,
/// session answers) or that hold minutes: rows the index must keep.
async fn referenced(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
) -> Result<std::collections::HashSet<i64>, DbErr> {
    // One query: a rewrite runs on every change of a meeting and daily for every series.
    let pointed_at = |column, table, meeting_column: Option<_>| {
        let mut select = Query::select();
        select.column(column).from(table);
        if let Some(meeting_column) = meeting_column {
            select.and_where(Expr::col(meeting_column).eq(meeting_id));
        }
        occurrence::Column::Id.in_subquery(select)
    };
    let held = Condition::any()
        .add(pointed_at(
            registration::Column::OccurrenceId.into_iden(),
            registration::Entity.into_iden(),
            Some(registration::Column::MeetingId.into_iden()),
        ))
        .add(pointed_at(
            attendance::Column::OccurrenceId.into_iden(),
            attendance::Entity.into_iden(),
            Some(attendance::Column::MeetingId.into_iden()),
        ))
        .add(pointed_at(
            invitation::Column::OccurrenceId.into_iden(),
            invitation::Entity.into_iden(),
            Some(invitation::Column::MeetingId.into_iden()),
        ))
        .add(pointed_at(
            session_answer::Column::OccurrenceId.into_iden(),
            session_answer::Entity.into_iden(),
            None,
        ))
        .add(occurrence::Column::Minutes.ne(""))
        .add(occurrence::Column::Decisions.ne(""))
        .add(occurrence::Column::Actions.ne(""))
        .add(occurrence::Column::MinutesPublished.eq(true));
    let ids: Vec<i64> = occurrence::Entity::find()
        .select_only()
        .column(occurrence::Column::Id)
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .filter(held)
        .into_tuple()
        .all(txn)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The session of series `meeting` whose original start falls on `day`, expanded from its rule
/// with its changes (None for a one-off: its row is kept by `rewrite` itself).
fn on_day(
    meeting: &meeting::Model,
    changes: &[occurrence_change::Model],
    day: NaiveDate,
) -> Result<Option<Row>, DbErr> {
    if meeting.rrule.is_none() {
        return Ok(None);
    }
    let from = day.and_time(chrono::NaiveTime::MIN);
    let to = from + chrono::Duration::days(1);
    Ok(sessions(meeting, changes, Horizon { from, to })?
        .into_iter()
        .find(|s| s.original.naive().date() == day))
}

/// The session of `meeting_id` whose original start falls on `day`: its row of the index,
/// written now if the day is outside the horizon (a session far ahead, or long past). None if
/// the series has no session that day (or the meeting is not a series, or does not exist).
pub async fn session_on(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
    day: NaiveDate,
) -> Result<Option<occurrence::Model>, DbErr> {
    let Some(meeting) = meeting::Entity::find_by_id(meeting_id).one(txn).await? else {
        return Ok(None);
    };
    if meeting.rrule.is_none() {
        return Ok(None);
    }
    let from = LocalDateTime::from(day.and_time(chrono::NaiveTime::MIN));
    let to =
        LocalDateTime::from((day + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN));
    let stored = occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .filter(occurrence::Column::OriginalStartLocal.gte(from))
        .filter(occurrence::Column::OriginalStartLocal.lt(to))
        .one(txn)
        .await?;
    if stored.is_some() {
        return Ok(stored);
    }
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(meeting_id))
        .all(txn)
        .await?;
    let Some(row) = on_day(&meeting, &changes, day)? else {
        return Ok(None);
    };
    let model = occurrence::ActiveModel {
        meeting_id: Set(meeting_id),
        original_start_local: Set(row.original),
        start_local: Set(row.start),
        end_local: Set(row.end),
        starts_at: Set(row.starts_at),
        ends_at: Set(row.ends_at),
        cancelled: Set(row.cancelled),
        moved: Set(row.moved),
        ..Default::default()
    };
    match model.insert(txn).await {
        Ok(saved) => Ok(Some(saved)),
        // Written at the same moment by another request: read it.
        Err(e) if crate::db::is_unique_violation(&e) => {
            occurrence::Entity::find()
                .filter(occurrence::Column::MeetingId.eq(meeting_id))
                .filter(occurrence::Column::OriginalStartLocal.eq(row.original))
                .one(txn)
                .await
        }
        Err(e) => Err(e),
    }
}

/// Rewrites the rows of every meeting in `txn` (the demo loader, after it wrote meetings).
pub async fn rewrite_all(txn: &impl ConnectionTrait, horizon: Horizon) -> Result<(), DbErr> {
    let ids: Vec<i64> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    for id in ids {
        rewrite(txn, id, horizon).await?;
    }
    Ok(())
}

/// Rewrites each of `ids`, each in its own transaction. Another instance rewriting the same
/// meeting waits on the meeting's lock and then finds the rows written; should a duplicate be
/// refused all the same, the rows are there already: it is skipped.
async fn rewrite_each(
    db: &DatabaseConnection,
    ids: Vec<i64>,
    horizon: Horizon,
) -> Result<usize, DbErr> {
    let mut done = 0;
    for id in ids {
        let txn = crate::db::begin_write(db).await?;
        match rewrite(&txn, id, horizon).await {
            Ok(()) => {
                txn.commit().await?;
                done += 1;
            }
            Err(e) if crate::db::is_unique_violation(&e) => {
                txn.rollback().await?;
                tracing::debug!(meeting = id, "index des séances : déjà réécrit ailleurs");
            }
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// The daily pass: moves every series' rows to today's horizon (the sessions entering it get a
/// row, those leaving it lose theirs). One-offs do not depend on the horizon. Idempotent, safe on
/// several instances at once. Returns how many series were rewritten.
pub async fn extend(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let ids: Vec<i64> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(meeting::Column::Rrule.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    rewrite_each(db, ids, Horizon::now()).await
}

/// Writes the rows of every meeting that has none (meetings written before the index existed,
/// or by hand). Idempotent; run when the app starts. Returns how many meetings were rewritten.
pub async fn fill_missing(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let ids: Vec<i64> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(
            meeting::Column::Id.not_in_subquery(
                Query::select()
                    .column(occurrence::Column::MeetingId)
                    .from(occurrence::Entity)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    rewrite_each(db, ids, Horizon::now()).await
}

#[cfg(test)]
mod tests;
