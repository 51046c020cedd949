//! Registering and cancelling, for oneself or (coordinators) for others.

use super::{At, meeting_page_data, page_data};
use crate::auth::permissions::Action;
use crate::entities::person;
use crate::meetings::booking::{self, Outcome, Request};
use crate::meetings::{Loaded, load, views};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::EntityTrait;

/// The registration form: meal, note, and `choice_1`…`choice_n` (workshop titles, best first).
pub(super) fn request_from(pairs: &[(String, String)], person_id: i64, by: Option<i64>) -> Request {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut choices: Vec<(u32, String)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("choice_")
                .and_then(|n| n.parse::<u32>().ok())
                .map(|n| (n, v.trim().to_string()))
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    choices.sort();
    Request {
        person_id,
        meal: get("meal"),
        note: get("note").chars().take(2000).collect(),
        preferences: choices.into_iter().map(|(_, v)| v).collect(),
        registered_by: by,
    }
}

pub(super) fn outcome_message(outcome: &Outcome, who: &str) -> String {
    match outcome {
        Outcome::Confirmed => format!("Inscription confirmée pour {who}."),
        Outcome::Waiting(place) => format!(
            "La réunion est complète : {who} est en liste d'attente (place {place}). La place sera attribuée automatiquement si quelqu'un se désiste."
        ),
    }
}

pub(super) async fn register_self(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    register_self_at(&state, &ctx, loaded, At::meeting(id), &pairs).await
}

/// Registers the signed-in person at `at` (a one-off, or a session).
pub(super) async fn register_self_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: Loaded,
    at: At,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    ctx.require(Action::RegisterForMeeting(&loaded.reference()))?;
    let me = ctx.signed_in()?;
    register(state, ctx, loaded, at, pairs, Whom::Myself(me.id)).await
}

/// Whom a registration form is for; the flash message, the page gone back to and the form shown
/// again after a refusal follow from it.
enum Whom<'a> {
    /// The signed-in person, registering themselves.
    Myself(i64),
    /// Someone a coordinator (`by`) picked.
    Other {
        person: &'a person::Model,
        by: Option<i64>,
    },
}

/// Registers as the form `pairs` asks: back to the meeting (or session) with the outcome, or its
/// page again with the refusal (status 422) and what was chosen.
async fn register(
    state: &AppState,
    ctx: &Ctx,
    loaded: Loaded,
    at: At,
    pairs: &[(String, String)],
    whom: Whom<'_>,
) -> AppResult<Response> {
    let base = at.base();
    let (request, who, back, form_action) = match whom {
        Whom::Myself(me) => (
            request_from(pairs, me, Some(me)),
            "vous",
            base.clone(),
            format!("{base}/inscription"),
        ),
        Whom::Other { person, by } => (
            request_from(pairs, person.id, by),
            person.name.as_str(),
            format!("{base}#inscriptions"),
            format!("{base}/inscriptions"),
        ),
    };
    match booking::register(&state.db, at.target(), request, Utc::now(), &state.events).await? {
        Ok(outcome) => Ok(redirect_with_flash(
            &back,
            FlashKind::Success,
            outcome_message(&outcome, who),
        )),
        Err(refusal) => {
            let mut page = page_data(state, ctx, loaded, at).await?;
            page.typed_action = Some(form_action);
            page.typed = pairs.to_vec();
            let message = refusal.to_string();
            let body = if page.session.is_some() {
                views::session_page_with_error(ctx, &page, &message)
            } else {
                views::meeting_page_with_error(ctx, &page, &message)
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// The meeting page again with the refusal on top and what was typed back in the form it came
/// from (`typed`: that form's action and its fields). Other rooms' forms on the meeting page (the
/// invitations) use it too.
pub async fn refused_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    message: &str,
    typed: (&str, &[(String, String)]),
) -> AppResult<maud::Markup> {
    let loaded = load(state, id).await?;
    let mut page = meeting_page_data(state, ctx, loaded).await?;
    page.typed_action = Some(typed.0.to_string());
    page.typed = typed.1.to_vec();
    Ok(views::meeting_page_with_error(ctx, &page, message))
}

pub(super) async fn cancel_self(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    cancel_self_at(&state, &ctx, &loaded, At::meeting(id)).await
}

/// Cancels the signed-in person's registration at `at`.
pub(super) async fn cancel_self_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
    at: At,
) -> AppResult<Response> {
    loaded.open_for(ctx)?;
    let me = ctx.signed_in()?.id;
    match booking::cancel(
        &state.db,
        at.target(),
        me,
        Some(me),
        Utc::now(),
        &state.events,
    )
    .await?
    {
        Some(_) => Ok(redirect_with_flash(
            &at.base(),
            FlashKind::Success,
            "Votre inscription est annulée.",
        )),
        None => Err(AppError::BadRequest(
            "Vous n'êtes pas inscrit·e à cette réunion.".into(),
        )),
    }
}

pub(super) async fn register_other(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    register_other_at(&state, &ctx, loaded, At::meeting(id), &pairs).await
}

/// A coordinator registers the person the form names at `at`.
pub(super) async fn register_other_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: Loaded,
    at: At,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let person_id = pairs
        .iter()
        .find(|(k, _)| k == "person_id")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .ok_or_else(|| AppError::BadRequest("Choisissez une personne dans la liste.".into()))?;
    let person = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .filter(|p| p.active)
        .ok_or_else(|| {
            AppError::BadRequest("Cette personne n'existe pas ou son compte est désactivé.".into())
        })?;
    let whom = Whom::Other {
        person: &person,
        by: ctx.person_id(),
    };
    register(state, ctx, loaded, at, pairs, whom).await
}

pub(super) async fn cancel_other(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    cancel_other_at(&state, &ctx, &loaded, At::meeting(id), person_id).await
}

/// A coordinator cancels `person_id`'s registration at `at`.
pub(super) async fn cancel_other_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
    at: At,
    person_id: i64,
) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    match booking::cancel(
        &state.db,
        at.target(),
        person_id,
        ctx.person_id(),
        Utc::now(),
        &state.events,
    )
    .await?
    {
        Some(promoted) => {
            let extra = if promoted.is_empty() {
                String::new()
            } else {
                format!(
                    " {} personne(s) promue(s) depuis la liste d'attente.",
                    promoted.len()
                )
            };
            Ok(redirect_with_flash(
                &format!("{}#inscriptions", at.base()),
                FlashKind::Success,
                format!("Inscription annulée.{extra}"),
            ))
        }
        None => Err(AppError::NotFound),
    }
}
