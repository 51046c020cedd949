//! The sessions of a series, each with its own page at `/reunions/{id}/{YYYY-MM-DD}` (the date of
//! its original start, stable when it is moved): registrations, attendance and minutes per
//! session, through the same handlers as a one-off meeting's (`At::session`). Also what the
//! series page lists of its sessions, read from the occurrence index.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use maud::html;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::attending::{MarkForm, WalkInForm, attendance_sheet_at, mark_at, walk_in_at};
use super::minutes::{minutes_form_at, save_minutes_at};
use super::registering::{cancel_other_at, cancel_self_at, register_other_at, register_self_at};
use super::{At, MinutesForm, page_data};
use crate::entities::attendance::Presence;
use crate::entities::invitation::{self, Answer};
use crate::entities::registration::RegistrationStatus;
use crate::entities::{attendance, meeting, occurrence, registration, session_answer};
use crate::meetings::{Loaded, index, load, recurrence, views};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::layout::page;
use crate::web::{AppError, AppResult, Ctx};

/// How many past and next sessions the series page lists.
const LISTED: u64 = 12;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions/{id}/{date}", get(show))
        .route("/reunions/{id}/{date}/inscription", post(register_self))
        .route("/reunions/{id}/{date}/desinscription", post(cancel_self))
        .route("/reunions/{id}/{date}/inscriptions", post(register_other))
        .route(
            "/reunions/{id}/{date}/inscriptions/{person_id}/annuler",
            post(cancel_other),
        )
        .route("/reunions/{id}/{date}/presences", get(attendance_sheet))
        .route("/reunions/{id}/{date}/presences/sur-place", post(walk_in))
        .route("/reunions/{id}/{date}/presences/{person_id}", post(mark))
        .route(
            "/reunions/{id}/{date}/compte-rendu",
            get(minutes_form).post(save_minutes),
        )
}

/// The address of a session's page: the date of its original start.
pub fn session_address(meeting_id: i64, session: &occurrence::Model) -> String {
    format!(
        "/reunions/{meeting_id}/{}",
        session.original_start_local.naive().format("%Y-%m-%d")
    )
}

/// One session as the series page lists it, with its counts.
pub struct SessionLine {
    pub row: occurrence::Model,
    pub confirmed: u64,
    pub waiting: u64,
    pub present: u64,
    /// Minutes written (published or not).
    pub has_minutes: bool,
}

/// A series' sessions on its page: the next ones (soonest first) and the past ones (most recent
/// first).
#[derive(Default)]
pub struct Sessions {
    pub next: Vec<SessionLine>,
    pub past: Vec<SessionLine>,
}

/// An invitation that holds for a session: to it alone, or to the whole series (with the
/// invitee's answer for this session when they gave one).
pub struct SessionInvitation {
    pub invitation: invitation::Model,
    /// The invitation is to every session of the series.
    pub whole_series: bool,
    /// The answer for this session.
    pub answer: Answer,
}

/// The series' last `LISTED` past and next `LISTED` sessions, from the index, with counts.
pub(super) async fn of_series(state: &AppState, meeting: &meeting::Model) -> AppResult<Sessions> {
    let now = Utc::now();
    let next = occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting.id))
        .filter(occurrence::Column::EndsAt.gt(now))
        .order_by_asc(occurrence::Column::StartsAt)
        .order_by_asc(occurrence::Column::Id)
        .limit(LISTED)
        .all(&state.db)
        .await?;
    let past = occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting.id))
        .filter(occurrence::Column::EndsAt.lte(now))
        .order_by_desc(occurrence::Column::StartsAt)
        .order_by_desc(occurrence::Column::Id)
        .limit(LISTED)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = next.iter().chain(past.iter()).map(|r| r.id).collect();
    let registrations: Vec<(Option<i64>, RegistrationStatus)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::OccurrenceId)
        .column(registration::Column::Status)
        .filter(registration::Column::MeetingId.eq(meeting.id))
        .filter(registration::Column::OccurrenceId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&state.db)
        .await?;
    let marks: Vec<(Option<i64>, Presence)> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::OccurrenceId)
        .column(attendance::Column::Status)
        .filter(attendance::Column::MeetingId.eq(meeting.id))
        .filter(attendance::Column::OccurrenceId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&state.db)
        .await?;
    let line = |row: occurrence::Model| {
        let here = Some(row.id);
        let count = |status| {
            registrations
                .iter()
                .filter(|(o, s)| *o == here && *s == status)
                .count() as u64
        };
        SessionLine {
            confirmed: count(RegistrationStatus::Confirmed),
            waiting: count(RegistrationStatus::Waiting),
            present: marks
                .iter()
                .filter(|(o, s)| *o == here && *s == Presence::Present)
                .count() as u64,
            has_minutes: !row.minutes.is_empty()
                || !row.decisions.is_empty()
                || !row.actions.is_empty(),
            row,
        }
    };
    Ok(Sessions {
        next: next.into_iter().map(line).collect(),
        past: past.into_iter().map(line).collect(),
    })
}

/// The sessions just before and just after `session` in the series (by original start).
pub(super) async fn neighbours(
    state: &AppState,
    session: &occurrence::Model,
) -> AppResult<(Option<occurrence::Model>, Option<occurrence::Model>)> {
    let same = occurrence::Column::MeetingId.eq(session.meeting_id);
    let previous = occurrence::Entity::find()
        .filter(same.clone())
        .filter(occurrence::Column::OriginalStartLocal.lt(session.original_start_local))
        .order_by_desc(occurrence::Column::OriginalStartLocal)
        .one(&state.db)
        .await?;
    let next = occurrence::Entity::find()
        .filter(same)
        .filter(occurrence::Column::OriginalStartLocal.gt(session.original_start_local))
        .order_by_asc(occurrence::Column::OriginalStartLocal)
        .one(&state.db)
        .await?;
    Ok((previous, next))
}

/// The invitations that hold for `session`: to it, or to the whole series (their answer for this
/// session overriding the series' one when given).
pub(super) async fn invitations(
    state: &AppState,
    session: &occurrence::Model,
) -> AppResult<Vec<SessionInvitation>> {
    let found = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(session.meeting_id))
        .filter(
            Condition::any()
                .add(invitation::Column::OccurrenceId.eq(session.id))
                .add(invitation::Column::OccurrenceId.is_null()),
        )
        .order_by_asc(invitation::Column::Name)
        .order_by_asc(invitation::Column::Email)
        .all(&state.db)
        .await?;
    let answers = session_answer::Entity::find()
        .filter(session_answer::Column::OccurrenceId.eq(session.id))
        .filter(session_answer::Column::InvitationId.is_in(found.iter().map(|i| i.id)))
        .all(&state.db)
        .await?;
    Ok(found
        .into_iter()
        .map(|invitation| {
            let whole_series = invitation.occurrence_id.is_none();
            let answer = answers
                .iter()
                .find(|a| a.invitation_id == invitation.id)
                .map_or(invitation.answer, |a| a.answer);
            SessionInvitation {
                invitation,
                whole_series,
                answer,
            }
        })
        .collect())
}

/// What an address `/reunions/{id}/{date}` names.
enum Found {
    Session(Box<Loaded>, occurrence::Model),
    /// A one-off meeting: it has no sessions, its page is the meeting's.
    OneOff,
}

/// A page saying, with a 404, that there is no such session (and where to go instead).
fn no_session(ctx: &Ctx, meeting_id: i64, title: &str, message: String) -> Response {
    let body = page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href=(format!("/reunions/{meeting_id}")) { "Voir la réunion et ses séances" } }
        },
    );
    (StatusCode::NOT_FOUND, body).into_response()
}

/// The session at `/reunions/{id}/{date}`: the meeting must exist and be open to the viewer
/// (same rule as its page, checked before anything else is said), the date must be one, and the
/// series must have a session that day (by original start). `Err(response)`: the page to answer
/// instead (a 404 in French).
async fn find(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    date: &str,
) -> AppResult<Result<Found, Response>> {
    let loaded = load(state, id).await?;
    loaded.open_for(ctx)?;
    let Some(day) = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| recurrence::year_in_range(*d))
    else {
        return Ok(Err(no_session(
            ctx,
            id,
            "Date invalide",
            format!(
                "« {} » n'est pas une date : l'adresse d'une séance se termine par sa date, \
                 au format AAAA-MM-JJ (par exemple 2027-03-09).",
                date.chars().take(40).collect::<String>()
            ),
        )));
    };
    if loaded.meeting.rrule.is_none() {
        return Ok(Ok(Found::OneOff));
    }
    match index::session_on(&state.db, id, day).await? {
        Some(row) => Ok(Ok(Found::Session(Box::new(loaded), row))),
        None => Ok(Err(no_session(
            ctx,
            id,
            "Séance introuvable",
            format!(
                "La série « {} » n'a pas de séance le {}.",
                loaded.meeting.title,
                views::day_fr(day)
            ),
        ))),
    }
}

/// The session a request's address names (`/reunions/{id}/{date}/…`), for the forms and pages
/// below a session's page: a one-off meeting has none (404), and neither has a day without a
/// session; the rejection is the page to answer (sign-in, 403, or a 404 in French).
pub(super) struct SessionOf {
    loaded: Loaded,
    at: At,
}

impl FromRequestParts<AppState> for SessionOf {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let id = params
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .ok_or_else(|| AppError::NotFound.into_response())?;
        let date = params.get("date").map_or("", String::as_str);
        match find(state, &ctx, id, date).await {
            Ok(Ok(Found::Session(loaded, row))) => Ok(Self {
                loaded: *loaded,
                at: At::session(row),
            }),
            Ok(Ok(Found::OneOff)) => Err(no_session(
                &ctx,
                id,
                "Séance introuvable",
                "Cette réunion n'est pas une série : elle n'a pas de séances.".to_string(),
            )),
            Ok(Err(page)) => Err(page),
            Err(error) => Err(error.into_response()),
        }
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, date)): Path<(i64, String)>,
) -> AppResult<Response> {
    match find(&state, &ctx, id, &date).await? {
        Ok(Found::Session(loaded, row)) => {
            let data = page_data(&state, &ctx, *loaded, At::session(row)).await?;
            Ok(views::session_page(&ctx, &data).into_response())
        }
        Ok(Found::OneOff) => Ok(Redirect::to(&format!("/reunions/{id}")).into_response()),
        Err(page) => Ok(page),
    }
}

async fn register_self(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    register_self_at(&state, &ctx, s.loaded, s.at, &pairs).await
}

async fn cancel_self(State(state): State<AppState>, ctx: Ctx, s: SessionOf) -> AppResult<Response> {
    cancel_self_at(&state, &ctx, &s.loaded, s.at).await
}

async fn register_other(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    register_other_at(&state, &ctx, s.loaded, s.at, &pairs).await
}

async fn cancel_other(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
    Path((_, _, person_id)): Path<(i64, String, i64)>,
) -> AppResult<Response> {
    cancel_other_at(&state, &ctx, &s.loaded, s.at, person_id).await
}

async fn attendance_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
) -> AppResult<Response> {
    attendance_sheet_at(&state, &ctx, &s.loaded, &s.at).await
}

async fn mark(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
    Path((_, _, person_id)): Path<(i64, String, i64)>,
    Form(form): Form<MarkForm>,
) -> AppResult<Response> {
    mark_at(&state, &ctx, &s.loaded, &s.at, person_id, &form).await
}

async fn walk_in(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
    Form(form): Form<WalkInForm>,
) -> AppResult<Response> {
    walk_in_at(&state, &ctx, &s.loaded, &s.at, &form).await
}

async fn minutes_form(ctx: Ctx, s: SessionOf) -> AppResult<Response> {
    minutes_form_at(&ctx, &s.loaded, &s.at)
}

async fn save_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    s: SessionOf,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    save_minutes_at(&state, &ctx, &s.loaded, &s.at, &form).await
}
