//! A meeting's workshops: adding and removing them.

use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::{meeting, workshop};
use crate::meetings::load;
use crate::meetings::rules::parse_time;
use crate::state::AppState;
use crate::web::components::{NameRefusal, name_field};
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use axum::extract::State;
use axum::response::Response;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct WorkshopForm {
    pub title: String,
    pub room: String,
    pub animators: String,
    pub slot_start: String,
    pub slot_end: String,
    pub capacity: String,
}

/// Why a workshop typed in the form is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkshopRefusal {
    #[error("{0}")]
    Title(#[from] NameRefusal),
    #[error("Un atelier doit avoir un créneau : heure de début et heure de fin (HH:MM).")]
    NoSlot,
    #[error("Le créneau de l'atelier doit finir après son début.")]
    EndsBeforeStart,
    /// The meeting's own hours (HH:MM), which the slot must fit in.
    #[error("Le créneau doit tenir dans la réunion ({start}–{end}).")]
    OutsideMeeting { start: String, end: String },
    #[error("La capacité de l'atelier doit être un nombre entier positif.")]
    Capacity,
}

pub fn parse_workshop(
    form: &WorkshopForm,
    meeting: &meeting::Model,
) -> Result<(String, String, String, Option<i32>), WorkshopRefusal> {
    let title = name_field(&form.title, 200, "Le titre de l'atelier est obligatoire.")?;
    let (Some(start), Some(end)) = (parse_time(&form.slot_start), parse_time(&form.slot_end))
    else {
        return Err(WorkshopRefusal::NoSlot);
    };
    if end <= start {
        return Err(WorkshopRefusal::EndsBeforeStart);
    }
    let (m_start, m_end) = (meeting.start_local.naive(), meeting.end_local.naive());
    if !meeting.all_day
        && m_start.date() == m_end.date()
        && (start < m_start.time() || end > m_end.time())
    {
        return Err(WorkshopRefusal::OutsideMeeting {
            start: m_start.format("%H:%M").to_string(),
            end: m_end.format("%H:%M").to_string(),
        });
    }
    let capacity = match form.capacity.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) if n > 0 => Some(n),
            _ => return Err(WorkshopRefusal::Capacity),
        },
    };
    Ok((
        title,
        start.format("%H:%M").to_string(),
        end.format("%H:%M").to_string(),
        capacity,
    ))
}

pub async fn add_workshop(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<WorkshopForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("/reunions/{id}#ateliers");
    if loaded.meeting.rrule.is_some() {
        return Err(AppError::BadRequest(
            "Les ateliers sont réservés aux réunions uniques.".into(),
        ));
    }
    let (title, start, end, capacity) = match parse_workshop(&form, &loaded.meeting) {
        Ok(parsed) => parsed,
        Err(refusal) => return Err(AppError::BadRequest(refusal.to_string())),
    };
    let taken = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .filter(workshop::Column::SlotStart.eq(start.clone()))
        .filter(workshop::Column::Title.eq(title.clone()))
        .one(&state.db)
        .await?
        .is_some();
    if taken {
        return Err(AppError::BadRequest(format!(
            "L'atelier « {title} » existe déjà dans le créneau de {start}."
        )));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    workshop::ActiveModel {
        meeting_id: Set(id),
        title: Set(title.clone()),
        room: Set(form.room.trim().to_string()),
        animators: Set(form.animators.trim().to_string()),
        slot_start: Set(start.clone()),
        slot_end: Set(end),
        capacity: Set(capacity),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "ajouter un atelier",
        "réunion",
        Some(id),
        format!("Atelier « {title} » ({start})"),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &back,
        FlashKind::Success,
        format!("Atelier « {title} » ajouté au créneau de {start}."),
    ))
}

pub async fn remove_workshop(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, workshop_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let found = workshop::Entity::find_by_id(workshop_id)
        .one(&state.db)
        .await?
        .filter(|w| w.meeting_id == id)
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::begin_write(&state.db).await?;
    workshop::Entity::delete_by_id(workshop_id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "retirer un atelier",
        "réunion",
        Some(id),
        format!("Atelier « {} » retiré", found.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#ateliers"),
        FlashKind::Success,
        format!("Atelier « {} » retiré.", found.title),
    ))
}

#[cfg(test)]
mod tests;
