//! A meeting's minutes: the form and saving them.

use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::meeting;
use crate::events::{self, Event};
use crate::meetings::{load, views};
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
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let m = &loaded.meeting;
    let form = MinutesForm {
        minutes: m.minutes.clone(),
        decisions: m.decisions.clone(),
        actions: m.actions.clone(),
        published: m.minutes_published.then(|| "on".into()),
    };
    Ok(views::minutes_page(&ctx, &loaded, &form).into_response())
}

pub(super) async fn save_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let publish = form.published.is_some();
    if publish && form.minutes.trim().is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::minutes_error(
                &ctx,
                &loaded,
                &form,
                "Un compte rendu vide ne peut pas être publié.",
            ),
        )
            .into_response());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.minutes = Set(form.minutes.trim().to_string());
    model.decisions = Set(form.decisions.trim().to_string());
    model.actions = Set(form.actions.trim().to_string());
    model.minutes_published = Set(publish);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    if publish && !loaded.meeting.minutes_published {
        let published = Event::MinutesPublished {
            meeting_id: id,
            session: None,
            by: ctx.person_id(),
        };
        events::publish(&txn, &state.events, published).await?;
    }
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
        loaded.meeting.title.clone(),
    )
    .await?;
    txn.commit().await?;
    let message = if publish {
        "Compte rendu publié : les membres peuvent le lire."
    } else {
        "Compte rendu enregistré (non publié)."
    };
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#compte-rendu"),
        FlashKind::Success,
        message,
    ))
}
