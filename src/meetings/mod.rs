//! Meetings of the network: plenaries, working-group meetings, findings meetings, peer sessions,
//! office hours… with recurrence, workshops, registration, attendance and minutes.

pub mod assignment;
pub mod booking;
mod edit;
pub mod index;
pub mod panels;
pub mod participation;
pub mod recurrence;
pub mod rules;
pub mod schedule;
pub mod views;
pub mod yearly;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;

use crate::auth::permissions::{Action, MeetingRef};
use crate::entities::meeting::MeetingKind;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{meeting, occurrence_change, platform, registration, working_group};
use crate::platforms::{group_ref, platform_ref};
use crate::state::AppState;
use crate::web::extract::{Path, Query};
use crate::web::{AppError, AppResult, Ctx};
use schedule::Occurrence;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions", get(agenda).post(edit::create))
        .route("/reunions/calendrier", get(calendar))
        .route("/reunions/mes", get(mine))
        .route("/reunions/nouvelle", get(edit::new_form))
        .route("/reunions/{id}", get(show).post(edit::update))
        .route("/reunions/{id}/modifier", get(edit::edit_form))
        .route("/reunions/{id}/statut", post(edit::set_status))
        .route("/reunions/{id}/occurrences", post(edit::change_occurrence))
        .route("/reunions/{id}/ateliers", post(edit::add_workshop))
        .route(
            "/reunions/{id}/ateliers/{workshop_id}/supprimer",
            post(edit::remove_workshop),
        )
        .merge(participation::routes())
        .merge(yearly::routes())
}

/// A meeting with where it belongs.
pub struct Loaded {
    pub meeting: meeting::Model,
    pub platform: Option<platform::Model>,
    pub group: Option<working_group::Model>,
}

impl Loaded {
    pub fn reference(&self) -> MeetingRef {
        meeting_ref(
            self.meeting.visibility.is_public(),
            self.platform.as_ref(),
            self.group.as_ref(),
        )
    }

    /// The one visibility rule for a meeting: its page answers only when this is Ok, and every
    /// list, calendar, table or warning that names meetings keeps only those for which
    /// `visible_to` holds. Err is the sign-in redirect (anonymous) or 403.
    pub fn open_for(&self, ctx: &Ctx) -> Result<(), AppError> {
        ctx.require(Action::ViewMeeting(&self.reference()))
    }

    /// Whether the viewer may open this meeting (see `open_for`).
    pub fn visible_to(&self, ctx: &Ctx) -> bool {
        self.open_for(ctx).is_ok()
    }

    /// "Plateforme Sociojuridique", "GT … (Sociojuridique)" or "Tout le réseau".
    pub fn scope_label(&self) -> String {
        match (&self.group, &self.platform) {
            (Some(g), Some(p)) => format!("{} — {}", p.name, g.name),
            (None, Some(p)) => p.name.clone(),
            _ => "Tout le réseau".to_string(),
        }
    }
}

/// What the permission rules look at of a meeting (also for meetings not loaded whole).
pub fn meeting_ref(
    public: bool,
    platform: Option<&platform::Model>,
    group: Option<&working_group::Model>,
) -> MeetingRef {
    MeetingRef {
        public,
        platform: platform.map(platform_ref),
        group: match (group, platform) {
            (Some(g), Some(p)) => Some(group_ref(g, p)),
            _ => None,
        },
    }
}

/// The meeting `id` with where it belongs. A row that cannot be read (a status or kind outside
/// its set, written by hand) is an error naming the meeting, never a default.
pub async fn load(state: &AppState, id: i64) -> AppResult<Loaded> {
    let meeting = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("réunion {id} : {e}")))?
        .ok_or(AppError::NotFound)?;
    attach(state, vec![meeting])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Loads the platforms and groups of several meetings at once.
pub async fn attach(state: &AppState, meetings: Vec<meeting::Model>) -> AppResult<Vec<Loaded>> {
    Ok(attach_in(&state.db, meetings).await?)
}

/// `attach` through a given connection (a transaction sees what it wrote).
pub async fn attach_in(
    db: &impl ConnectionTrait,
    meetings: Vec<meeting::Model>,
) -> Result<Vec<Loaded>, DbErr> {
    let platforms = platform::Entity::find()
        .filter(platform::Column::Id.is_in(meetings.iter().filter_map(|m| m.platform_id)))
        .all(db)
        .await?;
    let groups = working_group::Entity::find()
        .filter(working_group::Column::Id.is_in(meetings.iter().filter_map(|m| m.working_group_id)))
        .all(db)
        .await?;
    Ok(meetings
        .into_iter()
        .map(|m| Loaded {
            platform: m
                .platform_id
                .and_then(|id| platforms.iter().find(|p| p.id == id).cloned()),
            group: m
                .working_group_id
                .and_then(|id| groups.iter().find(|g| g.id == id).cloned()),
            meeting: m,
        })
        .collect())
}

/// A meeting with where it belongs, as `db` sees it now (None: no such meeting).
pub async fn load_in(db: &impl ConnectionTrait, id: i64) -> Result<Option<Loaded>, DbErr> {
    let Some(meeting) = meeting::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(attach_in(db, vec![meeting]).await?.pop())
}

/// Of `meetings`, those the viewer may open, with their platforms and groups. Every query that
/// lists meetings for a page goes through here (or `Loaded::visible_to`).
pub async fn visible(
    state: &AppState,
    ctx: &Ctx,
    meetings: Vec<meeting::Model>,
) -> AppResult<Vec<Loaded>> {
    Ok(attach(state, meetings)
        .await?
        .into_iter()
        .filter(|l| l.visible_to(ctx))
        .collect())
}

/// Which meetings a list shows.
#[derive(Clone, Copy, Debug)]
pub enum Filter {
    All,
    Platform(i64),
    Group(i64),
}

/// The visible occurrences in [from, to) (local Brussels times), sorted, with their meetings.
pub async fn window(
    state: &AppState,
    ctx: &Ctx,
    filter: Filter,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<(Vec<Occurrence>, Vec<Loaded>)> {
    let (loaded, changes) = visible_in_window(state, ctx, filter, from, to).await?;
    Ok((expand_all(&loaded, &changes, from, to)?, loaded))
}

/// The meetings that may have an occurrence in [from, to): they start before `to`, and either a
/// one-off ends after `from` or a series has no end or ends after `from`. The agenda pages and the
/// feeds select their meetings with it.
pub fn overlapping(from: DateTime<Utc>, to: DateTime<Utc>) -> Condition {
    Condition::all().add(meeting::Column::StartsAt.lt(to)).add(
        Condition::any()
            .add(
                Condition::all()
                    .add(meeting::Column::Rrule.is_null())
                    .add(meeting::Column::EndsAt.gt(from)),
            )
            .add(
                Condition::all()
                    .add(meeting::Column::Rrule.is_not_null())
                    .add(
                        Condition::any()
                            .add(meeting::Column::SeriesEndsAt.is_null())
                            .add(meeting::Column::SeriesEndsAt.gt(from)),
                    ),
            ),
    )
}

/// The meetings `ctx` may see with occurrences possibly in [from, to), and their series' changes.
async fn visible_in_window(
    state: &AppState,
    ctx: &Ctx,
    filter: Filter,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<(Vec<Loaded>, Vec<occurrence_change::Model>)> {
    let from_utc = recurrence::to_utc(from);
    let to_utc = recurrence::to_utc(to);
    let mut select = meeting::Entity::find()
        .filter(overlapping(from_utc, to_utc))
        .order_by_asc(meeting::Column::StartsAt);
    select = match filter {
        Filter::All => select,
        Filter::Platform(id) => select.filter(meeting::Column::PlatformId.eq(id)),
        Filter::Group(id) => select.filter(meeting::Column::WorkingGroupId.eq(id)),
    };
    let meetings = select.all(&state.db).await?;
    let loaded = visible(state, ctx, meetings).await?;
    let changes = occurrence_change::Entity::find()
        .filter(
            occurrence_change::Column::MeetingId.is_in(
                loaded
                    .iter()
                    .filter(|l| l.meeting.rrule.is_some())
                    .map(|l| l.meeting.id),
            ),
        )
        .all(&state.db)
        .await?;
    Ok((loaded, changes))
}

/// The occurrences of `loaded` in [from, to), sorted.
fn expand_all(
    loaded: &[Loaded],
    changes: &[occurrence_change::Model],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Occurrence>, DbErr> {
    let mut occurrences = Vec::new();
    for l in loaded {
        occurrences.extend(schedule::occurrences(&l.meeting, changes, from, to)?);
    }
    occurrences.sort_by_key(|o| (o.start_utc, o.meeting_id));
    Ok(occurrences)
}

/// Which end of the window a list keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The first occurrences (what comes next).
    First,
    /// The last ones (the most recent past).
    Last,
}

/// At most `limit` occurrences of `loaded` in [from, to), from the chosen end, sorted: expanded
/// over a month from that end, then a window four times as long, until it holds `limit` or
/// reaches the other end. A list shows a few hundred occurrences: dense series (every day, many
/// of them) then cost what the list shows, not a whole year of each.
fn expand_at_most(
    loaded: &[Loaded],
    changes: &[occurrence_change::Model],
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: usize,
    keep: Keep,
) -> Result<Vec<Occurrence>, DbErr> {
    let mut days = 31;
    loop {
        let span = Duration::days(days);
        let (start, end) = match keep {
            Keep::First => (
                from,
                from.checked_add_signed(span).map_or(to, |e| e.min(to)),
            ),
            Keep::Last => (
                to.checked_sub_signed(span).map_or(from, |s| s.max(from)),
                to,
            ),
        };
        let mut found = expand_all(loaded, changes, start, end)?;
        // Only occurrences starting inside the partial window are sure to be among the ends of
        // the whole one (a meeting under way at its start is there too).
        let inside = found
            .iter()
            .filter(|o| o.start >= start && o.start < end)
            .count();
        if inside >= limit || (start == from && end == to) {
            match keep {
                Keep::First => found.truncate(limit),
                Keep::Last => {
                    let extra = found.len().saturating_sub(limit);
                    found.drain(..extra);
                }
            }
            return Ok(found);
        }
        days = days.saturating_mul(4);
    }
}

/// `window`, keeping at most `limit` occurrences from one end, of the meetings `wanted` keeps.
pub async fn window_at_most(
    state: &AppState,
    ctx: &Ctx,
    filter: Filter,
    (from, to): (NaiveDateTime, NaiveDateTime),
    (limit, keep): (usize, Keep),
    wanted: impl Fn(&meeting::Model) -> bool,
) -> AppResult<(Vec<Occurrence>, Vec<Loaded>)> {
    let (loaded, changes) = visible_in_window(state, ctx, filter, from, to).await?;
    let loaded: Vec<Loaded> = loaded.into_iter().filter(|l| wanted(&l.meeting)).collect();
    let occurrences = expand_at_most(&loaded, &changes, from, to, limit, keep)?;
    Ok((occurrences, loaded))
}

pub fn now_local() -> NaiveDateTime {
    recurrence::to_local(Utc::now())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AgendaQuery {
    passees: String,
    /// Office hours are many (Namur holds one every weekday): shown only on request.
    permanences: String,
}

async fn agenda(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<AgendaQuery>,
) -> AppResult<Response> {
    let now = now_local();
    let past = !query.passees.is_empty();
    let (from, to) = if past {
        (now - Duration::days(365), now)
    } else {
        (now - Duration::hours(12), now + Duration::days(366))
    };
    let with_office_hours = !query.permanences.is_empty();
    let keep = if past { Keep::Last } else { Keep::First };
    let (mut occurrences, loaded) =
        window_at_most(&state, &ctx, Filter::All, (from, to), (400, keep), |m| {
            with_office_hours || m.kind != MeetingKind::OfficeHours
        })
        .await?;
    if past {
        occurrences.reverse();
    }
    let can_create = !edit::scope_options(&state, &ctx).await?.is_empty();
    Ok(views::agenda_page(
        &ctx,
        &occurrences,
        &loaded,
        past,
        can_create,
        with_office_hours,
    )
    .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MonthQuery {
    mois: String,
}

async fn calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<MonthQuery>,
) -> AppResult<Response> {
    let today = now_local().date();
    let first = NaiveDate::parse_from_str(&format!("{}-01", query.mois.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&d.year()))
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let (occurrences, loaded) = window(
        &state,
        &ctx,
        Filter::All,
        first.and_time(NaiveTime::MIN),
        next.and_time(NaiveTime::MIN),
    )
    .await?;
    Ok(views::month_page(&ctx, first, today, &occurrences, &loaded).into_response())
}

async fn mine(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let me = ctx.signed_in()?.id;
    let now = now_local();
    let (occurrences, loaded) = window(
        &state,
        &ctx,
        Filter::All,
        now - Duration::hours(12),
        now + Duration::days(365),
    )
    .await?;
    let registered: Vec<i64> = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(me))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.meeting_id)
        .collect();
    let mine: Vec<Occurrence> = occurrences
        .into_iter()
        .filter(|o| {
            registered.contains(&o.meeting_id)
                || loaded
                    .iter()
                    .find(|l| l.meeting.id == o.meeting_id)
                    .is_some_and(|l| {
                        l.meeting
                            .working_group_id
                            .is_some_and(|g| ctx.actor.groups.contains_key(&g))
                            || (l.meeting.working_group_id.is_none()
                                && l.meeting
                                    .platform_id
                                    .is_some_and(|p| ctx.actor.platforms.contains_key(&p)))
                    })
        })
        .take(300)
        .collect();
    Ok(views::mine_page(&ctx, &mine, &loaded, &registered).into_response())
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    loaded.open_for(&ctx)?;
    let page = participation::meeting_page_data(&state, &ctx, loaded).await?;
    Ok(views::meeting_page(&ctx, &page).into_response())
}

/// Upcoming occurrences for a platform or group page.
pub async fn upcoming(
    state: &AppState,
    ctx: &Ctx,
    filter: Filter,
    limit: usize,
) -> AppResult<maud::Markup> {
    let now = now_local();
    let (occurrences, loaded) = window_at_most(
        state,
        ctx,
        filter,
        (now - Duration::hours(12), now + Duration::days(366)),
        (limit, Keep::First),
        |_| true,
    )
    .await?;
    Ok(views::occurrence_list(
        &occurrences,
        &loaded,
        "Aucune réunion prévue dans l'année qui vient.",
    ))
}
