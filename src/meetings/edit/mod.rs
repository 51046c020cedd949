//! Scheduling: creating and editing meetings and series, their status, single occurrences
//! (skipped, cancelled, moved) and their workshops.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set};
use serde::Deserialize;

use super::rules::{MeetingForm, MeetingStatus, Visibility};
use super::{booking, index, load, views};
use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::meeting;
use crate::events::{self, Event};
use crate::state::AppState;
use crate::web::components::FieldErrors;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path, Query};
use crate::web::{AppError, AppResult, Ctx};
pub use form::scope_options;
use form::{
    apply, changes, choices, clash_warnings, current_scope, edit_scopes, form_of, office_exists,
    refuse, resolve_scope, save_agenda,
};
pub use occurrences::change_occurrence;
pub use workshops::{add_workshop, remove_workshop};

mod form;
mod occurrences;
mod workshops;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    portee: String,
}

/// What the form for a new meeting offers this person; forbidden to one who may schedule nowhere.
async fn choices_for_new(state: &AppState, ctx: &Ctx) -> AppResult<views::Choices> {
    ctx.signed_in()?;
    let scopes = scope_options(state, ctx).await?;
    if scopes.is_empty() {
        return Err(AppError::forbidden());
    }
    choices(state, scopes).await
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let scopes = choices_for_new(&state, &ctx).await?;
    let form = MeetingForm {
        scope: if scopes.scopes.iter().any(|(k, _)| *k == query.portee) {
            query.portee
        } else {
            String::new()
        },
        visibility: Visibility::Members.as_str().into(),
        start_time: "09:30".into(),
        end_time: "12:00".into(),
        ..Default::default()
    };
    Ok(
        views::meeting_form(&ctx, None, &form, &scopes, &FieldErrors::default(), &[])
            .into_response(),
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let scopes = choices_for_new(&state, &ctx).await?;
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(&ctx, None, &form, &scopes, &errors)),
    };
    let Some((platform, group)) = resolve_scope(&state, &ctx, &input.scope).await? else {
        let mut errors = FieldErrors::default();
        errors.add(
            "scope",
            "Vous ne pouvez pas programmer de réunion à cet endroit.",
        );
        return Ok(refuse(&ctx, None, &form, &scopes, &errors));
    };
    if !office_exists(&state, input.office_id).await? {
        let mut errors = FieldErrors::default();
        errors.add("office_id", "Choisissez un bureau d'accueil dans la liste.");
        return Ok(refuse(&ctx, None, &form, &scopes, &errors));
    }
    if form.confirm_clash != "1" {
        let warnings =
            clash_warnings(&state, &ctx, &input, platform.as_ref().map(|p| p.id), None).await?;
        if !warnings.is_empty() {
            return Ok(views::meeting_form(
                &ctx,
                None,
                &form,
                &scopes,
                &FieldErrors::default(),
                &warnings,
            )
            .into_response());
        }
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let mut model = meeting::ActiveModel {
        minutes: Set(String::new()),
        decisions: Set(String::new()),
        actions: Set(String::new()),
        minutes_published: Set(false),
        sequence: Set(0),
        registration_counter: Set(0),
        created_by: Set(ctx.person_id()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut model, &input, &platform, &group);
    let created = model.insert(&txn).await?;
    save_agenda(&txn, created.id, &input.agenda).await?;
    index::rewrite(&txn, created.id, index::Horizon::now()).await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "créer",
        "réunion",
        Some(created.id),
        format!("Réunion « {} » programmée", created.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{}", created.id),
        FlashKind::Success,
        format!("Réunion « {} » programmée.", created.title),
    ))
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let form = form_of(&state, &loaded).await?;
    let scopes = edit_scopes(&state, &ctx, &loaded).await?;
    Ok(views::meeting_form(
        &ctx,
        Some(&loaded),
        &form,
        &scopes,
        &FieldErrors::default(),
        &[],
    )
    .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let scopes = edit_scopes(&state, &ctx, &loaded).await?;
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors)),
    };
    let resolved = if input.scope == current_scope(&loaded) {
        Some((loaded.platform.clone(), loaded.group.clone()))
    } else {
        resolve_scope(&state, &ctx, &input.scope).await?
    };
    let Some((platform, group)) = resolved else {
        let mut errors = FieldErrors::default();
        errors.add(
            "scope",
            "Vous ne pouvez pas déplacer la réunion à cet endroit.",
        );
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    };
    if !office_exists(&state, input.office_id).await? {
        let mut errors = FieldErrors::default();
        errors.add("office_id", "Choisissez un bureau d'accueil dans la liste.");
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    let old = &loaded.meeting;
    let moved = input.start != old.start_local.naive() || input.end != old.end_local.naive();
    if form.confirm_clash != "1" && (moved || input.place_name != old.place_name) {
        let warnings = clash_warnings(
            &state,
            &ctx,
            &input,
            platform.as_ref().map(|p| p.id),
            Some(id),
        )
        .await?;
        if !warnings.is_empty() {
            return Ok(views::meeting_form(
                &ctx,
                Some(&loaded),
                &form,
                &scopes,
                &FieldErrors::default(),
                &warnings,
            )
            .into_response());
        }
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(current) = booking::lock_meeting(&txn, id).await? else {
        return Err(AppError::NotFound);
    };
    if let Some(refusal) = booking::check_capacity(&txn, id, input.capacity).await? {
        let mut errors = FieldErrors::default();
        errors.add("capacity", refusal.to_string());
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    if current.rrule.is_none()
        && input.rule.is_some()
        && booking::most_confirmed(&txn, id).await? > 0
    {
        let mut errors = FieldErrors::default();
        errors.add(
            "repeat",
            "Cette réunion a déjà des inscriptions : elle ne peut pas devenir une série.",
        );
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    if current.rrule.is_some()
        && input.rule.is_none()
        && booking::most_confirmed(&txn, id).await? > 0
    {
        let mut errors = FieldErrors::default();
        errors.add(
            "repeat",
            "Des personnes sont inscrites à des séances de cette série : elle ne peut pas devenir une réunion unique.",
        );
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    let significant = moved
        || input.place_name != current.place_name
        || input.place_address != current.place_address
        || input.video_url != current.video_url
        || input.status != current.status
        || input.rule.as_ref().map(|r| r.to_rrule()) != current.rrule;
    let sequence = current.sequence + i32::from(significant);
    let mut model: meeting::ActiveModel = current.clone().into();
    apply(&mut model, &input, &platform, &group);
    model.sequence = Set(sequence);
    // A new date, time or place asks invitees to confirm again; their answers stay recorded.
    if moved
        || input.place_name != current.place_name
        || input.place_address != current.place_address
        || input.rule.as_ref().map(|r| r.to_rrule()) != current.rrule
    {
        model.reconfirm_since = Set(Some(Utc::now()));
    }
    let saved = model.update(&txn).await?;
    index::rewrite(&txn, id, index::Horizon::now()).await?;
    // A raised capacity seats people from the waiting list; each hears of it (an event).
    booking::promote(&txn, &state.events, &saved, Utc::now()).await?;
    save_agenda(&txn, id, &input.agenda).await?;
    // What invitees' calendars must follow, published in the same transaction.
    if significant {
        let by = ctx.person_id();
        if saved.status == MeetingStatus::Cancelled && current.status != MeetingStatus::Cancelled {
            let cancelled = Event::MeetingCancelled {
                meeting_id: id,
                occurrence: None,
                by,
            };
            events::publish(&txn, &state.events, cancelled).await?;
        } else if saved.status != MeetingStatus::Cancelled {
            let changed = Event::MeetingChanged {
                meeting_id: id,
                changes: changes(&current, &saved),
                by,
            };
            events::publish(&txn, &state.events, changed).await?;
        }
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "modifier",
        "réunion",
        Some(id),
        format!("Réunion « {} » modifiée", saved.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}"),
        FlashKind::Success,
        "Modifications enregistrées.",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let Ok(status) = form.status.parse::<MeetingStatus>() else {
        return Err(AppError::BadRequest("Ce statut n'existe pas.".into()));
    };
    let label = match status {
        MeetingStatus::Scheduled => "La réunion est de nouveau prévue.",
        MeetingStatus::Cancelled => "La réunion est annulée : elle reste visible, marquée annulée.",
        MeetingStatus::Held => "La réunion est marquée comme tenue.",
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.status = Set(status);
    model.sequence = Set(loaded.meeting.sequence + 1);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    index::rewrite(&txn, id, index::Horizon::now()).await?;
    let by = ctx.person_id();
    let happened = match status {
        MeetingStatus::Cancelled => Some(Event::MeetingCancelled {
            meeting_id: id,
            occurrence: None,
            by,
        }),
        MeetingStatus::Scheduled if loaded.meeting.status == MeetingStatus::Cancelled => {
            Some(Event::MeetingRestored { meeting_id: id, by })
        }
        _ => None,
    };
    if let Some(event) = happened {
        events::publish(&txn, &state.events, event).await?;
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "changer le statut",
        "réunion",
        Some(id),
        format!("« {} » : {status}", loaded.meeting.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}"),
        FlashKind::Success,
        label,
    ))
}
