//! Single occurrences of a series: skipped, cancelled, moved, or restored.

use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::local_time::LocalDateTime;
use crate::entities::occurrence_change::OccurrenceAction;
use crate::entities::{meeting, occurrence_change};
use crate::events::{self, Change, Event};
use crate::meetings::rules::parse_time;
use crate::meetings::schedule;
use crate::meetings::{load, recurrence, views};
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
enum Asked {
    Skip,
    Cancel,
    Restore,
    Move,
}

impl Asked {
    fn parse(raw: &str) -> Option<Asked> {
        match raw {
            "skip" => Some(Asked::Skip),
            "cancel" => Some(Asked::Cancel),
            "restore" => Some(Asked::Restore),
            "move" => Some(Asked::Move),
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
    let typed = LocalDateTime::parse(&form.original)
        .map(LocalDateTime::naive)
        .filter(|o| recurrence::year_in_range(o.date()));
    let in_series = match typed {
        Some(o) => schedule::is_series_date(&loaded.meeting, o)?,
        None => false,
    };
    let Some(original) = typed.filter(|_| in_series) else {
        return Err(AppError::BadRequest(
            "Cette date ne fait pas partie de la série.".into(),
        ));
    };
    let Some(asked) = Asked::parse(&form.action) else {
        return Err(AppError::BadRequest("Cette action n'existe pas.".into()));
    };
    let (action, new_start, new_end, message) = match asked {
        Asked::Skip => (
            Some(OccurrenceAction::Skipped),
            None,
            None,
            "Cette date est retirée de la série.",
        ),
        Asked::Cancel => (
            Some(OccurrenceAction::Cancelled),
            None,
            None,
            "Cette séance est annulée ; les autres dates ne changent pas.",
        ),
        Asked::Restore => (
            None,
            None,
            None,
            "Cette séance est rétablie à sa date d'origine.",
        ),
        Asked::Move => {
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
                Some(LocalDateTime::from(date.and_time(start))),
                Some(LocalDateTime::from(date.and_time(end))),
                "La séance est déplacée ; les autres dates ne changent pas.",
            )
        }
    };
    let txn = crate::db::begin_write(&state.db).await?;
    occurrence_change::Entity::delete_many()
        .filter(occurrence_change::Column::MeetingId.eq(id))
        .filter(occurrence_change::Column::OriginalStartLocal.eq(LocalDateTime::from(original)))
        .exec(&txn)
        .await?;
    if let Some(action) = action {
        occurrence_change::ActiveModel {
            meeting_id: Set(id),
            original_start_local: Set(original.into()),
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
    if matches!(asked, Asked::Move | Asked::Restore) {
        model.reconfirm_since = Set(Some(Utc::now()));
    }
    model.update(&txn).await?;
    crate::meetings::index::rewrite(&txn, id, crate::meetings::index::Horizon::now()).await?;
    let by = ctx.person_id();
    let change = |change| Event::MeetingChanged {
        meeting_id: id,
        changes: vec![change],
        by,
    };
    let happened = match asked {
        Asked::Cancel | Asked::Skip => Event::MeetingCancelled {
            meeting_id: id,
            occurrence: Some(original),
            by,
        },
        Asked::Move => change(Change::OccurrenceMoved { original }),
        Asked::Restore => change(Change::OccurrenceRestored { original }),
    };
    events::publish(&txn, &state.events, happened).await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "modifier une séance",
        "réunion",
        Some(id),
        format!(
            "« {} », séance du {} : {}",
            loaded.meeting.title,
            LocalDateTime::from(original),
            form.action
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(&back, FlashKind::Success, message))
}
