//! The agenda's lists, read from the occurrence index (`occurrences` JOIN `meetings`) instead of
//! expanding series rules: one query for a time window with the filters pushed to SQL, ordered by
//! (starts_at, occurrence id), keyset-paginated. The visibility rule stays the meeting page's
//! (`Loaded::visible_to`): SQL keeps a superset of what the viewer may open (an anonymous viewer:
//! public meetings only; a member: public ones, network ones and those of their platforms and
//! groups), `visible_to` is the final filter, and more rows are fetched until the page is full.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::{Alias, Asterisk, Query, SelectStatement, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select,
};

use super::{Loaded, attach, recurrence};
use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use crate::entities::{meeting, occurrence};
use crate::state::AppState;
use crate::web::{AppResult, Ctx};

/// Rows asked of the database at least at once (a page, plus what the visibility rule may drop).
const BATCH: u64 = 64;

/// What a list keeps, besides the window and the visibility rule.
#[derive(Clone, Debug, Default)]
pub struct Criteria {
    pub platform: Option<i64>,
    pub group: Option<i64>,
    pub kind: Option<MeetingKind>,
    pub office: Option<i64>,
    /// Office hours are many (Namur holds one every weekday): kept only when asked, or when the
    /// kind asked for is office hours.
    pub office_hours: bool,
    /// Only what one can still register for: registration open and not past its deadline, the
    /// session still to come and not cancelled.
    pub open_only: bool,
    /// "My meetings": those of these meetings (registrations), groups, or platforms (meetings of
    /// the platform itself, not of its groups).
    pub mine: Option<Mine>,
}

#[derive(Clone, Debug, Default)]
pub struct Mine {
    pub meetings: Vec<i64>,
    pub platforms: Vec<i64>,
    pub groups: Vec<i64>,
}

/// A place in the list: the session's UTC start (unix seconds) and its row id. Written
/// "<seconds>.<id>" in addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub starts_at: i64,
    pub id: i64,
}

impl Cursor {
    /// "1800000000.42"; None when it is not that shape.
    pub fn parse(text: &str) -> Option<Self> {
        let (seconds, id) = text.trim().split_once('.')?;
        let starts_at: i64 = seconds.parse().ok()?;
        let id: i64 = id.parse().ok()?;
        DateTime::<Utc>::from_timestamp(starts_at, 0)?;
        Some(Self { starts_at, id })
    }

    /// Just before anything starting at `at` (a list "from" that instant).
    pub fn before(at: DateTime<Utc>) -> Self {
        Self {
            starts_at: at.timestamp() - 1,
            id: i64::MAX,
        }
    }

    /// Just after anything starting before `at` (a list "until" that instant, backwards).
    pub fn after_all_before(at: DateTime<Utc>) -> Self {
        Self {
            starts_at: at.timestamp(),
            id: i64::MIN,
        }
    }

    fn instant(self) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(self.starts_at, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.starts_at, self.id)
    }
}

/// Which way a page goes from its cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sessions after the cursor, earliest first.
    Later,
    /// Sessions before the cursor (returned earliest first too).
    Earlier,
}

/// A session as the lists read it (the row's minutes are not read).
#[derive(Clone, Debug, FromQueryResult)]
pub struct Row {
    pub id: i64,
    pub meeting_id: i64,
    pub original_start_local: LocalDateTime,
    pub start_local: LocalDateTime,
    pub end_local: LocalDateTime,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    pub moved: bool,
}

impl Row {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            starts_at: self.starts_at.timestamp(),
            id: self.id,
        }
    }
}

/// A session with its meeting.
#[derive(Clone)]
pub struct Item {
    pub session: Row,
    pub meeting: Arc<Loaded>,
}

impl Item {
    /// The session's page: `/reunions/{id}/{YYYY-MM-DD}` (its original date) for a session of a
    /// series, `/reunions/{id}` for a one-off meeting.
    pub fn href(&self) -> String {
        let m = &self.meeting.meeting;
        if m.rrule.is_some() {
            format!(
                "/reunions/{}/{}",
                m.id,
                self.session.original_start_local.naive().format("%Y-%m-%d")
            )
        } else {
            format!("/reunions/{}", m.id)
        }
    }

    /// The session is cancelled (this date, or the whole meeting).
    pub fn cancelled(&self) -> bool {
        self.session.cancelled || self.meeting.meeting.status == MeetingStatus::Cancelled
    }
}

/// A page of sessions, earliest first, with where the neighbouring pages start.
pub struct Page {
    pub items: Vec<Item>,
    /// There are sessions before the first one shown (from the database's point of view: a
    /// member may find the earlier page empty once the visibility rule applied).
    pub earlier: Option<Cursor>,
    pub later: Option<Cursor>,
}

fn occurrence_meeting() -> sea_orm::RelationDef {
    occurrence::Entity::belongs_to(meeting::Entity)
        .from(occurrence::Column::MeetingId)
        .to(meeting::Column::Id)
        .into()
}

/// What SQL may keep for this viewer: a superset of what `Loaded::visible_to` lets through.
fn visibility(ctx: &Ctx) -> Option<Condition> {
    let actor = &ctx.actor;
    if actor.is_admin {
        return None;
    }
    let public = meeting::Column::Visibility.eq(Visibility::Public);
    if !actor.signed_in() {
        return Some(Condition::all().add(public));
    }
    Some(
        Condition::any()
            .add(public)
            .add(meeting::Column::PlatformId.is_null())
            .add(meeting::Column::PlatformId.is_in(actor.platforms.keys().copied()))
            .add(meeting::Column::WorkingGroupId.is_in(actor.groups.keys().copied())),
    )
}

fn criteria_condition(criteria: &Criteria, now: DateTime<Utc>) -> Condition {
    let mut c = Condition::all();
    if let Some(id) = criteria.platform {
        c = c.add(meeting::Column::PlatformId.eq(id));
    }
    if let Some(id) = criteria.group {
        c = c.add(meeting::Column::WorkingGroupId.eq(id));
    }
    if let Some(kind) = criteria.kind {
        c = c.add(meeting::Column::Kind.eq(kind));
    } else if !criteria.office_hours {
        c = c.add(meeting::Column::Kind.ne(MeetingKind::OfficeHours));
    }
    if let Some(id) = criteria.office {
        c = c.add(meeting::Column::OfficeId.eq(id));
    }
    if criteria.open_only {
        c = c
            .add(meeting::Column::RegistrationOpen.eq(true))
            .add(meeting::Column::Status.ne(MeetingStatus::Cancelled))
            .add(
                Condition::any()
                    .add(meeting::Column::RegistrationDeadline.is_null())
                    .add(meeting::Column::RegistrationDeadline.gt(now)),
            )
            .add(occurrence::Column::Cancelled.eq(false))
            .add(occurrence::Column::StartsAt.gt(now));
    }
    if let Some(mine) = &criteria.mine {
        c = c.add(
            Condition::any()
                .add(meeting::Column::Id.is_in(mine.meetings.iter().copied()))
                .add(meeting::Column::WorkingGroupId.is_in(mine.groups.iter().copied()))
                .add(
                    Condition::all()
                        .add(meeting::Column::WorkingGroupId.is_null())
                        .add(meeting::Column::PlatformId.is_in(mine.platforms.iter().copied())),
                ),
        );
    }
    c
}

/// The sessions' rows the criteria and the viewer's superset keep, joined to their meetings.
fn select(ctx: &Ctx, criteria: &Criteria) -> Select<occurrence::Entity> {
    let mut select = occurrence::Entity::find()
        .select_only()
        .columns([
            occurrence::Column::Id,
            occurrence::Column::MeetingId,
            occurrence::Column::OriginalStartLocal,
            occurrence::Column::StartLocal,
            occurrence::Column::EndLocal,
            occurrence::Column::StartsAt,
            occurrence::Column::EndsAt,
            occurrence::Column::Cancelled,
            occurrence::Column::Moved,
        ])
        .join(JoinType::InnerJoin, occurrence_meeting())
        .filter(criteria_condition(criteria, Utc::now()));
    if let Some(v) = visibility(ctx) {
        select = select.filter(v);
    }
    select
}

/// The rows strictly beyond `cursor`. Written as a range on `starts_at` first (`>=` / `<=`), so
/// that the database walks the index on `occurrences(starts_at)` in order and stops at the page's
/// end; a bare `starts_at > t OR (starts_at = t AND id > n)` made SQLite sort every later row.
fn beyond(cursor: Cursor, direction: Direction) -> Condition {
    let at = cursor.instant();
    match direction {
        Direction::Later => Condition::all()
            .add(occurrence::Column::StartsAt.gte(at))
            .add(
                Condition::any()
                    .add(occurrence::Column::StartsAt.gt(at))
                    .add(occurrence::Column::Id.gt(cursor.id)),
            ),
        Direction::Earlier => Condition::all()
            .add(occurrence::Column::StartsAt.lte(at))
            .add(
                Condition::any()
                    .add(occurrence::Column::StartsAt.lt(at))
                    .add(occurrence::Column::Id.lt(cursor.id)),
            ),
    }
}

fn ordered(select: Select<occurrence::Entity>, direction: Direction) -> Select<occurrence::Entity> {
    match direction {
        Direction::Later => select
            .order_by_asc(occurrence::Column::StartsAt)
            .order_by_asc(occurrence::Column::Id),
        Direction::Earlier => select
            .order_by_desc(occurrence::Column::StartsAt)
            .order_by_desc(occurrence::Column::Id),
    }
}

/// Meetings already loaded for this request, by id.
#[derive(Default)]
struct Meetings(HashMap<i64, Arc<Loaded>>);

impl Meetings {
    /// Loads (with platforms and groups) the meetings of `rows` not loaded yet.
    async fn load(&mut self, state: &AppState, rows: &[Row]) -> AppResult<()> {
        let mut missing: Vec<i64> = rows
            .iter()
            .map(|r| r.meeting_id)
            .filter(|id| !self.0.contains_key(id))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let models = meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(missing))
            .all(&state.db)
            .await?;
        for loaded in attach(state, models).await? {
            self.0.insert(loaded.meeting.id, Arc::new(loaded));
        }
        Ok(())
    }

    /// The visible items of `rows`, in their order.
    fn visible(&self, ctx: &Ctx, rows: Vec<Row>) -> Vec<Item> {
        rows.into_iter()
            .filter_map(|session| {
                let meeting = self.0.get(&session.meeting_id)?;
                meeting.visible_to(ctx).then(|| Item {
                    session,
                    meeting: Arc::clone(meeting),
                })
            })
            .collect()
    }
}

/// Up to `limit` visible sessions beyond `cursor` in `direction`, and whether more follow.
async fn fetch(
    state: &AppState,
    ctx: &Ctx,
    criteria: &Criteria,
    (cursor, direction): (Cursor, Direction),
    limit: usize,
    meetings: &mut Meetings,
) -> AppResult<(Vec<Item>, bool)> {
    let batch = BATCH.max(limit as u64 + 1);
    let mut items: Vec<Item> = Vec::new();
    let mut cursor = cursor;
    loop {
        let rows: Vec<Row> = ordered(
            select(ctx, criteria).filter(beyond(cursor, direction)),
            direction,
        )
        .limit(batch)
        .into_model::<Row>()
        .all(&state.db)
        .await?;
        let exhausted = (rows.len() as u64) < batch;
        let Some(last) = rows.last() else {
            return Ok((items, false));
        };
        cursor = last.cursor();
        meetings.load(state, &rows).await?;
        items.extend(meetings.visible(ctx, rows));
        if items.len() > limit {
            items.truncate(limit + 1);
            items.pop();
            return Ok((items, true));
        }
        if exhausted {
            return Ok((items, false));
        }
    }
}

/// Whether any row the criteria keep lies beyond `cursor` (SQL's superset: a link to a page
/// that may turn out empty for a member, never one that hides what follows).
async fn any_beyond(
    state: &AppState,
    ctx: &Ctx,
    criteria: &Criteria,
    cursor: Cursor,
    direction: Direction,
) -> AppResult<bool> {
    let row = ordered(
        select(ctx, criteria).filter(beyond(cursor, direction)),
        direction,
    )
    .limit(1)
    .into_model::<Row>()
    .one(&state.db)
    .await?;
    Ok(row.is_some())
}

/// A page of at most `limit` visible sessions beyond `cursor`, earliest first.
pub async fn page(
    state: &AppState,
    ctx: &Ctx,
    criteria: &Criteria,
    (cursor, direction): (Cursor, Direction),
    limit: usize,
) -> AppResult<Page> {
    let mut meetings = Meetings::default();
    let (mut items, more) = fetch(
        state,
        ctx,
        criteria,
        (cursor, direction),
        limit,
        &mut meetings,
    )
    .await?;
    if direction == Direction::Earlier {
        items.reverse();
    }
    let (first, last) = match (items.first(), items.last()) {
        (Some(f), Some(l)) => (f.session.cursor(), l.session.cursor()),
        // Nothing on this page: the way back is where it started.
        _ => (cursor, cursor),
    };
    let (earlier, later) = match direction {
        Direction::Later => (
            any_beyond(state, ctx, criteria, first, Direction::Earlier)
                .await?
                .then_some(first),
            more.then_some(last),
        ),
        Direction::Earlier => (
            more.then_some(first),
            any_beyond(state, ctx, criteria, last, Direction::Later)
                .await?
                .then_some(last),
        ),
    };
    Ok(Page {
        items,
        earlier,
        later,
    })
}

/// The first `limit` visible sessions from `from` on (the upcoming panels).
pub async fn next(
    state: &AppState,
    ctx: &Ctx,
    criteria: &Criteria,
    from: DateTime<Utc>,
    limit: usize,
) -> AppResult<Vec<Item>> {
    let mut meetings = Meetings::default();
    let (items, _) = fetch(
        state,
        ctx,
        criteria,
        (Cursor::before(from), Direction::Later),
        limit,
        &mut meetings,
    )
    .await?;
    Ok(items)
}

/// A month's days, each with at most `per_day` visible sessions (by local start date), and
/// whether the day holds more rows than were read. One query: a UNION ALL of one indexed range
/// per day, each cut at `per_day + 1` rows, so that a month costs the same however many
/// meetings the network holds.
pub async fn month(
    state: &AppState,
    ctx: &Ctx,
    criteria: &Criteria,
    days: &[NaiveDate],
    per_day: usize,
) -> AppResult<Vec<(NaiveDate, Vec<Item>, bool)>> {
    let cut = per_day as u64 + 1;
    let mut union: Option<SelectStatement> = None;
    for (i, day) in days.iter().enumerate() {
        let start = recurrence::to_utc(day.and_time(NaiveTime::MIN));
        let end = recurrence::to_utc(day.succ_opt().unwrap_or(*day).and_time(NaiveTime::MIN));
        let one = ordered(
            select(ctx, criteria)
                .filter(occurrence::Column::StartsAt.gte(start))
                .filter(occurrence::Column::StartsAt.lt(end)),
            Direction::Later,
        )
        .limit(cut)
        .into_query();
        let wrapped = Query::select()
            .column(Asterisk)
            .from_subquery(one, Alias::new(format!("d{i}")))
            .to_owned();
        union = Some(match union {
            None => wrapped,
            Some(mut u) => u.union(UnionType::All, wrapped).to_owned(),
        });
    }
    let Some(union) = union else {
        return Ok(Vec::new());
    };
    let rows: Vec<Row> = state
        .db
        .query_all(&union)
        .await?
        .iter()
        .map(|r| Row::from_query_result(r, ""))
        .collect::<Result<_, _>>()?;
    let mut meetings = Meetings::default();
    meetings.load(state, &rows).await?;
    let mut by_day: HashMap<NaiveDate, Vec<Row>> = HashMap::new();
    for row in rows {
        by_day
            .entry(row.start_local.naive().date())
            .or_default()
            .push(row);
    }
    Ok(days
        .iter()
        .map(|day| {
            let mut rows = by_day.remove(day).unwrap_or_default();
            rows.sort_by_key(|r| (r.starts_at, r.id));
            let full = rows.len() as u64 >= cut;
            let mut items = meetings.visible(ctx, rows);
            items.truncate(per_day);
            (*day, items, full)
        })
        .collect())
}
