//! What the home page reads: sessions of the occurrence index in a window, joined to their
//! meetings by id, the counts of registrations and answers of the sessions listed (grouped in
//! the database, a few queries per section whatever the number of rows), invitations without
//! answer, failed emails and minutes still to write. Every section keeps only what the viewer
//! may open (`meetings::visible`), and the coordinator's sections what they manage.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::auth::permissions::{Action, Role};
use crate::entities::invitation::Answer;
use crate::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use crate::entities::outbox_message::OutboxStatus;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{invitation, meeting, occurrence, outbox_message, registration};
use crate::meetings::{self, Loaded};
use crate::state::AppState;
use crate::web::{AppResult, Ctx};

/// How many items each list shows (the agenda has the rest).
pub const SHOWN: u64 = 10;
/// How many rows are read for a list of `SHOWN`: a few may be dropped by the visibility rule.
const READ: u64 = 3 * SHOWN;
/// How far ahead "next meetings" look.
pub const AHEAD_DAYS: i64 = 60;
/// How far back minutes to write and failed emails are looked for.
pub const BACK_DAYS: i64 = 92;

/// A session of the index (a one-off meeting's single row, or one session of a series) with its
/// meeting.
pub struct Session {
    pub row: occurrence::Model,
    pub loaded: Loaded,
}

impl Session {
    /// The session's page: a one-off's own page, or `/reunions/{id}/{YYYY-MM-DD}` (the date of
    /// the session in its series, before any move).
    pub fn href(&self) -> String {
        session_href(&self.loaded.meeting, &self.row)
    }

    /// Registrations and answers of this session are keyed by (meeting, session): the session
    /// is None for a one-off meeting (they point at the meeting as a whole).
    pub(super) fn key(&self) -> (i64, Option<i64>) {
        (
            self.row.meeting_id,
            self.loaded.meeting.rrule.as_ref().map(|_| self.row.id),
        )
    }
}

pub fn session_href(meeting: &meeting::Model, row: &occurrence::Model) -> String {
    if meeting.rrule.is_some() {
        format!(
            "/reunions/{}/{}",
            meeting.id,
            row.original_start_local.naive().format("%Y-%m-%d")
        )
    } else {
        format!("/reunions/{}", meeting.id)
    }
}

/// Which meetings a section is about.
#[derive(Clone, Copy)]
pub enum Scope {
    /// What the viewer coordinates: their platforms (with their groups) and their groups.
    Coordinated,
    /// The viewer's platforms (meetings outside a group) and groups, as "my meetings" reads it.
    Member,
    /// Public meetings.
    Public,
}

fn ids_with(ctx: &Ctx, role: Option<Role>) -> (Vec<i64>, Vec<i64>) {
    let keep = |r: &Role| role.is_none_or(|wanted| *r == wanted);
    (
        ctx.actor
            .platforms
            .iter()
            .filter(|(_, r)| keep(r))
            .map(|(id, _)| *id)
            .collect(),
        ctx.actor
            .groups
            .iter()
            .filter(|(_, r)| keep(r))
            .map(|(id, _)| *id)
            .collect(),
    )
}

/// The condition on `meetings` of a scope.
fn scope_condition(ctx: &Ctx, scope: Scope) -> Condition {
    match scope {
        Scope::Coordinated => {
            let (platforms, groups) = ids_with(ctx, Some(Role::Coordinator));
            Condition::any()
                .add(meeting::Column::PlatformId.is_in(platforms))
                .add(meeting::Column::WorkingGroupId.is_in(groups))
        }
        Scope::Member => {
            let (platforms, groups) = ids_with(ctx, None);
            Condition::any()
                .add(
                    Condition::all()
                        .add(meeting::Column::WorkingGroupId.is_null())
                        .add(meeting::Column::PlatformId.is_in(platforms)),
                )
                .add(meeting::Column::WorkingGroupId.is_in(groups))
        }
        Scope::Public => Condition::all().add(meeting::Column::Visibility.eq(Visibility::Public)),
    }
}

/// The meetings the viewer may open, as a condition: public ones, the network's own, those of
/// their platforms (with their groups) and groups; every meeting for an administrator. The
/// rows read are still checked with `meetings::visible`.
fn openable(ctx: &Ctx) -> Condition {
    if ctx.actor.is_admin {
        return Condition::all();
    }
    let (platforms, groups) = ids_with(ctx, None);
    Condition::any()
        .add(meeting::Column::Visibility.eq(Visibility::Public))
        .add(
            Condition::all()
                .add(meeting::Column::PlatformId.is_null())
                .add(meeting::Column::WorkingGroupId.is_null()),
        )
        .add(meeting::Column::PlatformId.is_in(platforms))
        .add(meeting::Column::WorkingGroupId.is_in(groups))
}

/// The ids of the meetings of `condition` (a subquery).
fn meetings_where(condition: Condition) -> SelectStatement {
    Query::select()
        .column(meeting::Column::Id)
        .from(meeting::Entity)
        .cond_where(condition)
        .to_owned()
}

/// Meetings not cancelled, office hours left out (they are many; the agenda shows them on
/// request), in `scope`.
fn held_in(ctx: &Ctx, scope: Scope) -> Condition {
    Condition::all()
        .add(scope_condition(ctx, scope))
        .add(meeting::Column::Status.ne(MeetingStatus::Cancelled))
        .add(meeting::Column::Kind.ne(MeetingKind::OfficeHours))
}

/// Meetings with something still to come (a one-off not over, a series not ended), not
/// cancelled: the agenda's own window condition, open-ended.
fn still_to_come(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(meeting::Column::Status.ne(MeetingStatus::Cancelled))
        .add(meetings::overlapping(now, now + Duration::days(100 * 366)))
}

/// The meetings of `ids` the viewer may open, by id.
async fn visible_by_id(
    state: &AppState,
    ctx: &Ctx,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, Loaded>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let models = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids))
        .all(&state.db)
        .await?;
    Ok(meetings::visible(state, ctx, models)
        .await?
        .into_iter()
        .map(|l| (l.meeting.id, l))
        .collect())
}

/// Rows of the index with their meetings, those the viewer may open and `keep` keeps, at most
/// `SHOWN`, in the order read.
async fn sessions_of(
    state: &AppState,
    ctx: &Ctx,
    rows: Vec<occurrence::Model>,
    keep: impl Fn(&Loaded) -> bool,
) -> AppResult<Vec<Session>> {
    let by_id = visible_by_id(state, ctx, rows.iter().map(|r| r.meeting_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let loaded = by_id.get(&row.meeting_id).filter(|l| keep(l))?;
            Some(Session {
                row,
                loaded: clone_loaded(loaded),
            })
        })
        .take(SHOWN as usize)
        .collect())
}

/// `Loaded` holds plain rows: a copy for each session of the same meeting listed.
fn clone_loaded(l: &Loaded) -> Loaded {
    Loaded {
        meeting: l.meeting.clone(),
        platform: l.platform.clone(),
        group: l.group.clone(),
    }
}

/// The next sessions (under way or starting within `AHEAD_DAYS`) of the meetings of `scope`,
/// and for `Scope::Member` also those the viewer registered for. Cancelled sessions are left
/// out.
pub async fn next_sessions(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
    now: DateTime<Utc>,
) -> AppResult<Vec<Session>> {
    let mut which = Condition::any()
        .add(occurrence::Column::MeetingId.in_subquery(meetings_where(held_in(ctx, scope))));
    if let (Scope::Member, Some(me)) = (scope, ctx.person_id()) {
        let mine = |column| {
            Query::select()
                .column(column)
                .from(registration::Entity)
                .and_where(registration::Column::PersonId.eq(me))
                .and_where(registration::Column::Status.ne(RegistrationStatus::Cancelled))
                .to_owned()
        };
        // A session registered for, or a one-off meeting registered for as a whole.
        which = which
            .add(occurrence::Column::Id.in_subquery(mine(registration::Column::OccurrenceId)))
            .add(
                Condition::all()
                    .add(
                        occurrence::Column::MeetingId
                            .in_subquery(mine(registration::Column::MeetingId)),
                    )
                    .add(
                        occurrence::Column::MeetingId.in_subquery(meetings_where(
                            Condition::all()
                                .add(meeting::Column::Rrule.is_null())
                                .add(meeting::Column::Status.ne(MeetingStatus::Cancelled)),
                        )),
                    ),
            );
    }
    let rows = occurrence::Entity::find()
        .filter(occurrence::Column::EndsAt.gt(now))
        .filter(occurrence::Column::StartsAt.lt(now + Duration::days(AHEAD_DAYS)))
        .filter(occurrence::Column::Cancelled.eq(false))
        .filter(which)
        .order_by_asc(occurrence::Column::StartsAt)
        .order_by_asc(occurrence::Column::Id)
        .limit(READ)
        .all(&state.db)
        .await?;
    let manage = matches!(scope, Scope::Coordinated);
    sessions_of(state, ctx, rows, |l| {
        !manage || ctx.can(Action::ManageMeeting(&l.reference()))
    })
    .await
}

/// An invitation with its meeting.
pub struct Invited {
    pub invitation: invitation::Model,
    pub loaded: Loaded,
    /// The session it is to, when it is to one session of a series.
    pub session: Option<occurrence::Model>,
}

/// Invitations still without answer to what is still to come: those the viewer's meetings sent
/// (a coordinator, `Scope::Coordinated`), or those sent to the viewer (`mine`), oldest first,
/// at most `SHOWN`, and how many there are in all.
pub async fn pending_invitations(
    state: &AppState,
    ctx: &Ctx,
    mine: bool,
    now: DateTime<Utc>,
) -> AppResult<(Vec<Invited>, u64)> {
    // The meetings counted are those the viewer may open (the rule of `Loaded::visible_to`, as
    // a condition): the total never counts what the list may not show.
    let meetings = still_to_come(now).add(if mine {
        openable(ctx)
    } else {
        scope_condition(ctx, Scope::Coordinated)
    });
    let mut select = invitation::Entity::find()
        .filter(invitation::Column::Answer.eq(Answer::Pending))
        .filter(invitation::Column::MeetingId.in_subquery(meetings_where(meetings)))
        .filter(
            Condition::any()
                .add(invitation::Column::OccurrenceId.is_null())
                .add(
                    invitation::Column::OccurrenceId.in_subquery(
                        Query::select()
                            .column(occurrence::Column::Id)
                            .from(occurrence::Entity)
                            .and_where(occurrence::Column::StartsAt.gt(now))
                            .and_where(occurrence::Column::Cancelled.eq(false))
                            .to_owned(),
                    ),
                ),
        );
    if mine {
        select = select.filter(invitation::Column::PersonId.eq(ctx.person_id()));
    }
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_asc(invitation::Column::CreatedAt)
        .order_by_asc(invitation::Column::Id)
        .limit(READ)
        .all(&state.db)
        .await?;
    let by_id = visible_by_id(state, ctx, rows.iter().map(|r| r.meeting_id)).await?;
    let sessions: HashMap<i64, occurrence::Model> = occurrence::Entity::find()
        .filter(occurrence::Column::Id.is_in(rows.iter().filter_map(|r| r.occurrence_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut shown = Vec::new();
    for invitation in rows {
        let Some(loaded) = by_id.get(&invitation.meeting_id) else {
            continue;
        };
        if !mine && !ctx.can(Action::ManageMeeting(&loaded.reference())) {
            continue;
        }
        let loaded = clone_loaded(loaded);
        let session = invitation
            .occurrence_id
            .and_then(|id| sessions.get(&id).cloned());
        shown.push(Invited {
            invitation,
            loaded,
            session,
        });
        if shown.len() as u64 >= SHOWN {
            break;
        }
    }
    Ok((shown, total))
}

/// A message that could not be delivered, with its meeting.
pub struct Failure {
    pub message: outbox_message::Model,
    pub loaded: Loaded,
}

/// Emails about the meetings the viewer coordinates that failed for good in the last
/// `BACK_DAYS`, newest first, at most `SHOWN`, and how many there are in all.
pub async fn failed_emails(
    state: &AppState,
    ctx: &Ctx,
    now: DateTime<Utc>,
) -> AppResult<(Vec<Failure>, u64)> {
    let select = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Failed))
        .filter(outbox_message::Column::CreatedAt.gt(now - Duration::days(BACK_DAYS)))
        .filter(
            outbox_message::Column::MeetingId
                .in_subquery(meetings_where(scope_condition(ctx, Scope::Coordinated))),
        );
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_desc(outbox_message::Column::Id)
        .limit(READ)
        .all(&state.db)
        .await?;
    let by_id = visible_by_id(state, ctx, rows.iter().filter_map(|r| r.meeting_id)).await?;
    Ok((
        rows.into_iter()
            .filter_map(|message| {
                let loaded = by_id.get(&message.meeting_id?)?;
                ctx.can(Action::ManageMeeting(&loaded.reference()))
                    .then(|| Failure {
                        message,
                        loaded: clone_loaded(loaded),
                    })
            })
            .take(SHOWN as usize)
            .collect(),
        total,
    ))
}

/// Sessions over with minutes in the given state (`published`), of the meetings of `scope`: a
/// one-off meeting's minutes are on the meeting, a session's on its row.
fn minutes_condition(ctx: &Ctx, scope: Scope, published: bool) -> Condition {
    Condition::any()
        .add(
            occurrence::Column::MeetingId.in_subquery(meetings_where(
                held_in(ctx, scope)
                    .add(meeting::Column::Rrule.is_null())
                    .add(meeting::Column::MinutesPublished.eq(published)),
            )),
        )
        .add(
            Condition::all()
                .add(occurrence::Column::MinutesPublished.eq(published))
                .add(occurrence::Column::MeetingId.in_subquery(meetings_where(
                    held_in(ctx, scope).add(meeting::Column::Rrule.is_not_null()),
                ))),
        )
}

/// Meetings and sessions of what the viewer coordinates that ended in the last `BACK_DAYS`
/// without published minutes, latest first, at most `SHOWN`, and how many there are.
pub async fn minutes_to_write(
    state: &AppState,
    ctx: &Ctx,
    now: DateTime<Utc>,
) -> AppResult<(Vec<Session>, u64)> {
    let select = occurrence::Entity::find()
        .filter(occurrence::Column::EndsAt.lte(now))
        .filter(occurrence::Column::EndsAt.gt(now - Duration::days(BACK_DAYS)))
        .filter(occurrence::Column::Cancelled.eq(false))
        .filter(minutes_condition(ctx, Scope::Coordinated, false));
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_desc(occurrence::Column::EndsAt)
        .order_by_desc(occurrence::Column::Id)
        .limit(READ)
        .all(&state.db)
        .await?;
    let sessions = sessions_of(state, ctx, rows, |l| {
        ctx.can(Action::ManageMeeting(&l.reference()))
    })
    .await?;
    Ok((sessions, total))
}

/// The latest published minutes of the viewer's platforms and groups, those they may read.
pub async fn latest_minutes(
    state: &AppState,
    ctx: &Ctx,
    now: DateTime<Utc>,
) -> AppResult<Vec<Session>> {
    let rows = occurrence::Entity::find()
        .filter(occurrence::Column::EndsAt.lte(now))
        .filter(occurrence::Column::Cancelled.eq(false))
        .filter(minutes_condition(ctx, Scope::Member, true))
        .order_by_desc(occurrence::Column::EndsAt)
        .order_by_desc(occurrence::Column::Id)
        .limit(READ)
        .all(&state.db)
        .await?;
    let mut sessions = sessions_of(state, ctx, rows, |l| {
        ctx.can(Action::ReadMinutes(&l.reference()))
    })
    .await?;
    sessions.truncate(5);
    Ok(sessions)
}

/// The next public meetings (office hours left out), for visitors.
pub async fn public_agenda(
    state: &AppState,
    ctx: &Ctx,
    now: DateTime<Utc>,
) -> AppResult<Vec<Session>> {
    next_sessions(state, ctx, Scope::Public, now).await
}
