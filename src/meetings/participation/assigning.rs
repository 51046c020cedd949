//! Running the workshop assignment, and adjusting it by hand.

use super::{slots_of, topics_of};
use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{registration, workshop, workshop_assignment, workshop_preference};
use crate::meetings::booking;
use crate::meetings::{assignment, load};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use axum::extract::State;
use axum::response::Response;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

pub(super) async fn run_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let slots = slots_of(&workshops);
    if workshops.is_empty() {
        return Err(AppError::BadRequest(
            "Ajoutez d'abord les ateliers et leurs créneaux.".into(),
        ));
    }
    let regs = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .order_by_asc(registration::Column::Position)
        .all(&state.db)
        .await?;
    let prefs = workshop_preference::Entity::find()
        .filter(workshop_preference::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .order_by_asc(workshop_preference::Column::Rank)
        .all(&state.db)
        .await?;
    let manual = workshop_assignment::Entity::find()
        .filter(workshop_assignment::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .filter(workshop_assignment::Column::Manual.eq(true))
        .all(&state.db)
        .await?;
    let sessions: Vec<assignment::Session> = workshops
        .iter()
        .map(|w| assignment::Session {
            id: w.id,
            workshop: w.title.clone(),
            slot: w.slot_start.clone(),
            capacity: w.capacity.map(|c| c.max(0) as u32),
        })
        .collect();
    let registrants: Vec<assignment::Registrant> = regs
        .iter()
        .map(|r| assignment::Registrant {
            id: r.id,
            ranking: prefs
                .iter()
                .filter(|p| p.registration_id == r.id)
                .map(|p| p.workshop.clone())
                .collect(),
            fixed: manual
                .iter()
                .filter(|a| a.registration_id == r.id)
                .map(|a| a.workshop_id)
                .collect(),
        })
        .collect();
    let per_person = slots.len().min(topics_of(&workshops).len());
    let outcome = assignment::assign(&sessions, &registrants, per_person, id as u64);
    let txn = crate::db::begin_write(&state.db).await?;
    workshop_assignment::Entity::delete_many()
        .filter(workshop_assignment::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .filter(workshop_assignment::Column::Manual.eq(false))
        .exec(&txn)
        .await?;
    for (registration_id, session_ids) in &outcome.assignments {
        for session_id in session_ids {
            if manual
                .iter()
                .any(|a| a.registration_id == *registration_id && a.workshop_id == *session_id)
            {
                continue;
            }
            workshop_assignment::ActiveModel {
                registration_id: Set(*registration_id),
                workshop_id: Set(*session_id),
                manual: Set(false),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let stats = &outcome.stats;
    let message = format!(
        "Répartition faite : {} personne(s) placée(s) dans {} atelier(s) chacune ; {:.0} % ont leur premier choix{}.",
        stats.placed_fully,
        per_person,
        stats.first_choice_share * 100.0,
        if outcome.unplaced.is_empty() {
            String::new()
        } else {
            format!(
                " ; {} sans place complète (capacités insuffisantes)",
                outcome.unplaced.len()
            )
        }
    );
    audit::record(
        &txn,
        ctx.person_id(),
        "répartir les ateliers",
        "réunion",
        Some(id),
        message.clone(),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#ateliers"),
        FlashKind::Success,
        message,
    ))
}

/// By hand: `slot_HH:MM` = workshop id (or empty to leave the slot free).
pub(super) async fn adjust_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, registration_id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let reg = registration::Entity::find_by_id(registration_id)
        .one(&state.db)
        .await?
        .filter(|r| r.meeting_id == id && r.status == RegistrationStatus::Confirmed)
        .ok_or(AppError::NotFound)?;
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let mut chosen: Vec<&workshop::Model> = Vec::new();
    for (key, value) in &pairs {
        let Some(slot) = key.strip_prefix("slot_") else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        let Some(w) = value.trim().parse::<i64>().ok().and_then(|wid| {
            workshops
                .iter()
                .find(|w| w.id == wid && w.slot_start == slot)
        }) else {
            return Err(AppError::BadRequest(
                "Cet atelier n'existe pas dans ce créneau.".into(),
            ));
        };
        if chosen.iter().any(|c| c.title == w.title) {
            return Err(AppError::BadRequest(format!(
                "« {} » ne peut être suivi deux fois.",
                w.title
            )));
        }
        chosen.push(w);
    }
    let txn = crate::db::begin_write(&state.db).await?;
    booking::lock_meeting(&txn, id).await?;
    for w in &chosen {
        let taken = workshop_assignment::Entity::find()
            .filter(workshop_assignment::Column::WorkshopId.eq(w.id))
            .filter(workshop_assignment::Column::RegistrationId.ne(registration_id))
            .all(&txn)
            .await?
            .len();
        if w.capacity.is_some_and(|c| taken as i64 >= i64::from(c)) {
            return Err(AppError::BadRequest(format!(
                "L'atelier « {} » ({}) est complet.",
                w.title, w.slot_start
            )));
        }
    }
    workshop_assignment::Entity::delete_many()
        .filter(workshop_assignment::Column::RegistrationId.eq(registration_id))
        .exec(&txn)
        .await?;
    for w in &chosen {
        workshop_assignment::ActiveModel {
            registration_id: Set(registration_id),
            workshop_id: Set(w.id),
            manual: Set(true),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "ajuster la répartition",
        "réunion",
        Some(id),
        format!(
            "Personne #{} : {} atelier(s) fixé(s) à la main",
            reg.person_id,
            chosen.len()
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#ateliers"),
        FlashKind::Success,
        "Répartition ajustée à la main.",
    ))
}
