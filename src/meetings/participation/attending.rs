//! Attendance on the day (the sheet, marks, walk-ins), and a group's attendance over a year.

use super::At;
use crate::auth::permissions::Action;
use crate::entities::attendance::Presence;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{attendance, group_membership, person, platform_membership, registration};
use crate::meetings::{Loaded, load, views};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use std::collections::BTreeSet;

pub struct SheetRow {
    pub person_id: Option<i64>,
    pub name: String,
    pub organisation: Option<String>,
    pub status: Option<Presence>,
    pub walk_in: bool,
}

/// Who is expected at `at` (the meeting, or one session): confirmed registrants, or (no
/// registration) the members of the group or platform; plus the walk-ins already recorded.
pub(super) async fn sheet(state: &AppState, loaded: &Loaded, at: &At) -> AppResult<Vec<SheetRow>> {
    let mut expected: Vec<i64> = registration::Entity::find()
        .filter(at.target().registrations())
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect();
    if !loaded.meeting.registration_open && expected.is_empty() {
        expected = match (&loaded.group, &loaded.platform) {
            (Some(g), _) => group_membership::Entity::find()
                .filter(group_membership::Column::WorkingGroupId.eq(g.id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|m| m.person_id)
                .collect(),
            (None, Some(p)) => platform_membership::Entity::find()
                .filter(platform_membership::Column::PlatformId.eq(p.id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|m| m.person_id)
                .collect(),
            _ => Vec::new(),
        };
    }
    let marks = attendance::Entity::find()
        .filter(at.attendance())
        .all(&state.db)
        .await?;
    let ids: BTreeSet<i64> = expected
        .iter()
        .copied()
        .chain(marks.iter().filter_map(|m| m.person_id))
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(&state.db)
        .await?;
    let orgs = crate::people::organisation_names(state).await?;
    let mut rows: Vec<SheetRow> = people
        .into_iter()
        .map(|p| SheetRow {
            status: marks
                .iter()
                .find(|m| m.person_id == Some(p.id))
                .map(|m| m.status),
            walk_in: !expected.contains(&p.id),
            organisation: p.organisation_id.and_then(|o| orgs.get(&o).cloned()),
            person_id: Some(p.id),
            name: p.name,
        })
        .collect();
    rows.extend(
        marks
            .iter()
            .filter(|m| m.person_id.is_none())
            .map(|m| SheetRow {
                person_id: None,
                name: m.walk_in_name.clone(),
                organisation: None,
                status: Some(m.status),
                walk_in: true,
            }),
    );
    rows.sort_by_cached_key(|r| crate::platforms::rules::sort_key(&r.name));
    Ok(rows)
}

pub(super) async fn attendance_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    attendance_sheet_at(&state, &ctx, &loaded, &At::meeting(id)).await
}

/// The attendance sheet of `at` (coordinators).
pub(super) async fn attendance_sheet_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let rows = sheet(state, loaded, at).await?;
    let people: Vec<(String, String)> = crate::people::search(state, "", usize::MAX)
        .await?
        .into_iter()
        .map(|(p, _)| (p.id.to_string(), p.name))
        .collect();
    Ok(views::attendance_page(ctx, loaded, at, &rows, &people).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MarkForm {
    pub(super) status: String,
}

pub(super) async fn upsert_mark(
    state: &AppState,
    ctx: &Ctx,
    at: &At,
    person_id: Option<i64>,
    name: &str,
    status: Presence,
) -> AppResult<()> {
    let txn = crate::db::begin_write(&state.db).await?;
    let existing = match person_id {
        Some(pid) => {
            attendance::Entity::find()
                .filter(at.attendance())
                .filter(attendance::Column::PersonId.eq(pid))
                .one(&txn)
                .await?
        }
        None => None,
    };
    match existing {
        Some(row) => {
            let mut model: attendance::ActiveModel = row.into();
            model.status = Set(status);
            model.marked_by = Set(ctx.person_id());
            model.marked_at = Set(Utc::now());
            model.update(&txn).await?;
        }
        None => {
            attendance::ActiveModel {
                meeting_id: Set(at.meeting_id),
                occurrence_id: Set(at.session.as_ref().map(|s| s.id)),
                person_id: Set(person_id),
                walk_in_name: Set(name.to_string()),
                status: Set(status),
                marked_by: Set(ctx.person_id()),
                marked_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

pub(super) async fn mark(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person_id)): Path<(i64, i64)>,
    Form(form): Form<MarkForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    mark_at(&state, &ctx, &loaded, &At::meeting(id), person_id, &form).await
}

/// Marks `person_id` present, excused or absent at `at` (coordinators).
pub(super) async fn mark_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
    person_id: i64,
    form: &MarkForm,
) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let Ok(status) = form.status.parse::<Presence>() else {
        return Err(AppError::BadRequest(
            "Choisissez présent·e, excusé·e ou absent·e.".into(),
        ));
    };
    let person = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    upsert_mark(state, ctx, at, Some(person_id), "", status).await?;
    let base = at.base();
    if ctx.htmx {
        let rows = sheet(state, loaded, at).await?;
        let row = rows
            .into_iter()
            .find(|r| r.person_id == Some(person.id))
            .ok_or(AppError::NotFound)?;
        return Ok(views::attendance_row(ctx, &base, &row).into_response());
    }
    Ok(redirect_with_flash(
        &format!("{base}/presences"),
        FlashKind::Success,
        format!("{} : {}.", person.name, status.label_fr()),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct WalkInForm {
    pub(super) person_id: String,
    pub(super) name: String,
}

pub(super) async fn walk_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<WalkInForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    walk_in_at(&state, &ctx, &loaded, &At::meeting(id), &form).await
}

/// Records someone who came without being expected at `at` (coordinators).
pub(super) async fn walk_in_at(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
    form: &WalkInForm,
) -> AppResult<Response> {
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("{}/presences", at.base());
    if let Ok(pid) = form.person_id.trim().parse::<i64>() {
        let person = person::Entity::find_by_id(pid)
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::BadRequest("Cette personne n'existe pas.".into()))?;
        upsert_mark(state, ctx, at, Some(pid), "", Presence::Present).await?;
        return Ok(redirect_with_flash(
            &back,
            FlashKind::Success,
            format!("{} ajouté·e sur place.", person.name),
        ));
    }
    let name = crate::web::components::name_field(
        &form.name,
        200,
        "Indiquez le nom de la personne venue sur place.",
    )
    .map_err(|refusal| AppError::BadRequest(refusal.to_string()))?;
    upsert_mark(state, ctx, at, None, &name, Presence::Present).await?;
    Ok(redirect_with_flash(
        &back,
        FlashKind::Success,
        format!("{name} ajouté·e sur place."),
    ))
}
