//! Single occurrences of a series: skipped, cancelled, moved, or restored.

use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::occurrence_change::OccurrenceAction;
use crate::entities::{meeting, occurrence_change};
use crate::meetings::rules::{format_local, parse_local, parse_time};
use crate::meetings::schedule;
use crate::meetings::{Loaded, load, recurrence, views};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OccurrenceForm {
    pub(super) original: String,
    pub(super) action: String,
    pub(super) new_date: String,
    pub(super) new_start: String,
    pub(super) new_end: String,
}

/// What the form asks of one date of a series (`action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Skip,
    Cancel,
    Restore,
    Move,
}

impl Change {
    fn parse(raw: &str) -> Option<Change> {
        match raw {
            "skip" => Some(Change::Skip),
            "cancel" => Some(Change::Cancel),
            "restore" => Some(Change::Restore),
            "move" => Some(Change::Move),
            _ => None,
        }
    }
}

pub async fn change_occurrence(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OccurrenceForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("/reunions/{id}");
    let Some(original) = parse_local(&form.original)
        .filter(|o| recurrence::year_in_range(o.date()))
        .filter(|o| schedule::is_series_date(&loaded.meeting, *o))
    else {
        return Err(AppError::BadRequest(
            "Cette date ne fait pas partie de la série.".into(),
        ));
    };
    let Some(change) = Change::parse(&form.action) else {
        return Err(AppError::BadRequest("Cette action n'existe pas.".into()));
    };
    let (action, new_start, new_end, message) = match change {
        Change::Skip => (
            Some(OccurrenceAction::Skipped),
            None,
            None,
            "Cette date est retirée de la série.",
        ),
        Change::Cancel => (
            Some(OccurrenceAction::Cancelled),
            None,
            None,
            "Cette séance est annulée ; les autres dates ne changent pas.",
        ),
        Change::Restore => (
            None,
            None,
            None,
            "Cette séance est rétablie à sa date d'origine.",
        ),
        Change::Move => {
            let date = crate::meetings::rules::parse_date(&form.new_date);
            let (start, end) = (parse_time(&form.new_start), parse_time(&form.new_end));
            let refusal = match (date, start, end) {
                (None, _, _) if !form.new_date.trim().is_empty() => Some(crate::meetings::rules::date_refusal(
                    &form.new_date,
                    "La nouvelle date est invalide (AAAA-MM-JJ).",
                )),
                (Some(_), Some(start), Some(end)) if end <= start => {
                    Some("La fin doit venir après le début.".to_string())
                }
                (Some(_), Some(_), Some(_)) => None,
                _ => Some("Pour déplacer une séance, indiquez la nouvelle date et les heures de début et de fin.".to_string()),
            };
            let (Some(date), Some(start), Some(end), None) = (date, start, end, &refusal) else {
                // The meeting page again, with the refusal on top (422): nothing is written.
                let page =
                    crate::meetings::participation::meeting_page_data(&state, &ctx, loaded).await?;
                let message = refusal.unwrap_or_default();
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    views::meeting_page_with_error(&ctx, &page, &message),
                )
                    .into_response());
            };
            (
                Some(OccurrenceAction::Moved),
                Some(format_local(date.and_time(start))),
                Some(format_local(date.and_time(end))),
                "La séance est déplacée ; les autres dates ne changent pas.",
            )
        }
    };
    let txn = crate::db::begin_write(&state.db).await?;
    occurrence_change::Entity::delete_many()
        .filter(occurrence_change::Column::MeetingId.eq(id))
        .filter(occurrence_change::Column::OriginalStartLocal.eq(format_local(original)))
        .exec(&txn)
        .await?;
    if let Some(action) = action {
        occurrence_change::ActiveModel {
            meeting_id: Set(id),
            original_start_local: Set(format_local(original)),
            action: Set(action),
            new_start_local: Set(new_start),
            new_end_local: Set(new_end),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.sequence = Set(loaded.meeting.sequence + 1);
    model.updated_at = Set(Utc::now());
    // A session at another date (moved, or back at its own) asks invitees to confirm again.
    if matches!(change, Change::Move | Change::Restore) {
        model.reconfirm_since = Set(Some(Utc::now()));
    }
    let saved = model.update(&txn).await?;
    let after = Loaded {
        meeting: saved,
        platform: loaded.platform.clone(),
        group: loaded.group.clone(),
    };
    let me = ctx.viewer.as_deref();
    match change {
        Change::Cancel | Change::Skip => {
            crate::mail::notify::meeting_cancelled(&txn, &state, &after, Some(original), me)
                .await?;
        }
        Change::Move => {
            let what = format!(
                "la séance du {} est déplacée",
                crate::meetings::views::day_fr(original.date())
            );
            crate::mail::notify::meeting_changed(&txn, &state, &after, &what, me).await?;
        }
        Change::Restore => {
            let what = format!(
                "la séance du {} est rétablie",
                crate::meetings::views::day_fr(original.date())
            );
            crate::mail::notify::meeting_changed(&txn, &state, &after, &what, me).await?;
        }
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "modifier une séance",
        "réunion",
        Some(id),
        format!(
            "« {} », séance du {} : {}",
            loaded.meeting.title,
            format_local(original),
            form.action
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(&back, FlashKind::Success, message))
}
