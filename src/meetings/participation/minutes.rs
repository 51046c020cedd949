//! A meeting's minutes (a one-off: on the meeting's row; a session of a series: on its row of
//! the occurrence index): the form and saving them.

use super::At;
use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::{meeting, occurrence};
use crate::events::{self, Event};
use crate::meetings::{Loaded, load, views};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppResult, Ctx};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MinutesForm {
    pub minutes: String,
    pub decisions: String,
    pub actions: String,
    pub published: Option<String>,
}

pub(super) async fn minutes_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    minutes_form_at(&ctx, &loaded, &At::meeting(id))
}

/// The minutes form of `at`, filled with what is saved.
pub(super) fn minutes_form_at(ctx: &Ctx, loaded: &Loaded, at: &At) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let m = &loaded.meeting;
    let form = match &at.session {
        Some(s) => MinutesForm {
            minutes: s.minutes.clone(),
            decisions: s.decisions.clone(),
            actions: s.actions.clone(),
            published: s.minutes_published.then(|| "on".into()),
        },
        None => MinutesForm {
            minutes: m.minutes.clone(),
            decisions: m.decisions.clone(),
            actions: m.actions.clone(),
            published: m.minutes_published.then(|| "on".into()),
        },
    };
    Ok(views::minutes_page(ctx, loaded, at, &form).into_response())
}

pub(super) async fn save_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    save_minutes_at(&state, &ctx, &loaded, &At::meeting(id), &form).await
}

/// Saves (and publishes, when asked) the minutes of `at`: a one-off's on the meeting's row, a
/// session's on its row of the index.
pub(super) async fn save_minutes_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
    form: &MinutesForm,
) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let id = loaded.meeting.id;
    let publish = form.published.is_some();
    if publish && form.minutes.trim().is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::minutes_error(
                ctx,
                loaded,
                at,
                form,
                "Un compte rendu vide ne peut pas être publié.",
            ),
        )
            .into_response());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let (was_published, session) = match &at.session {
        Some(s) => {
            let mut model: occurrence::ActiveModel = s.clone().into();
            model.minutes = Set(form.minutes.trim().to_string());
            model.decisions = Set(form.decisions.trim().to_string());
            model.actions = Set(form.actions.trim().to_string());
            model.minutes_published = Set(publish);
            model.update(&txn).await?;
            (s.minutes_published, Some(s.original_start_local.naive()))
        }
        None => {
            let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
            model.minutes = Set(form.minutes.trim().to_string());
            model.decisions = Set(form.decisions.trim().to_string());
            model.actions = Set(form.actions.trim().to_string());
            model.minutes_published = Set(publish);
            model.updated_at = Set(Utc::now());
            model.update(&txn).await?;
            (loaded.meeting.minutes_published, None)
        }
    };
    if publish && !was_published {
        let published = Event::MinutesPublished {
            meeting_id: id,
            session,
            by: ctx.person_id(),
        };
        events::publish(&txn, &state.events, published).await?;
    }
    let label = match session {
        Some(start) => format!(
            "{} (séance du {})",
            loaded.meeting.title,
            start.format("%d/%m/%Y")
        ),
        None => loaded.meeting.title.clone(),
    };
    audit::record(
        &txn,
        ctx.person_id(),
        if publish {
            "publier le compte rendu"
        } else {
            "enregistrer le compte rendu"
        },
        "réunion",
        Some(id),
        label,
    )
    .await?;
    txn.commit().await?;
    let message = if publish {
        "Compte rendu publié : les membres peuvent le lire."
    } else {
        "Compte rendu enregistré (non publié)."
    };
    Ok(redirect_with_flash(
        &format!("{}#compte-rendu", at.base()),
        FlashKind::Success,
        message,
    ))
}
