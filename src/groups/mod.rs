//! Working groups ("GT") of a platform: their page (mandate, members, coordination) and their
//! administration (create, edit, close and reopen).

mod views;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

use crate::audit::{self, Entry};
use crate::auth::permissions::Action;
use crate::entities::working_group::GroupStatus;
use crate::entities::{platform, working_group};
use crate::members::{self, Scope};
use crate::platforms::{find_by_slug, group_ref, platform_ref};
use crate::state::AppState;
use crate::web::components::FieldErrors;
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plateformes/{slug}/gt", post(create))
        .route("/plateformes/{slug}/gt/nouveau", get(new_form))
        .route("/gt/{id}", get(show).post(update))
        .route("/gt/{id}/modifier", get(edit_form))
        .route("/gt/{id}/cloturer", post(close))
        .route("/gt/{id}/rouvrir", post(reopen))
}

pub async fn find_with_platform(
    state: &AppState,
    id: i64,
) -> AppResult<(working_group::Model, platform::Model)> {
    let group = working_group::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let platform = platform::Entity::find_by_id(group.platform_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((group, platform))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub name: String,
    pub mandate: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    pub name: String,
    pub mandate: String,
}

impl GroupForm {
    pub fn parse(&self) -> Result<GroupInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::web::components::name_field(
            &self.name,
            200,
            "Le nom du groupe de travail est obligatoire.",
        )
        .unwrap_or_else(|message| {
            errors.add("name", message);
            String::new()
        });
        errors.into_result(GroupInput {
            name,
            mandate: self.mandate.trim().to_string(),
        })
    }
}

async fn name_taken(
    state: &AppState,
    platform_id: i64,
    name: &str,
    except: Option<i64>,
) -> AppResult<bool> {
    Ok(working_group::Entity::find()
        .filter(working_group::Column::PlatformId.eq(platform_id))
        .filter(working_group::Column::Name.eq(name))
        .one(&state.db)
        .await?
        .is_some_and(|g| Some(g.id) != except))
}

const DUPLICATE: &str = "Cette plateforme a déjà un groupe de travail de ce nom.";

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let (group, platform) = find_with_platform(&state, id).await?;
    ctx.require(Action::ViewGroup(&group_ref(&group, &platform)))?;
    let scope = Scope::Group { group, platform };
    let members = members::load(&state, &scope).await?;
    let panel = members::panel(&ctx, &scope, &members, scope.can_manage(&ctx), None);
    let Scope::Group { group, platform } = &scope else {
        return Err(AppError::NotFound);
    };
    let gref = group_ref(group, platform);
    let can_schedule = ctx.can(Action::CreateMeeting(
        crate::auth::permissions::MeetingScope::Group(&gref),
    ));
    let attendance = ctx.can(Action::ViewGroupAttendance(&gref));
    Ok(views::show(&ctx, group, platform, panel, can_schedule, attendance).into_response())
}

async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let platform = find_by_slug(&state, &slug).await?;
    ctx.require(Action::CreateGroup(&platform_ref(&platform)))?;
    Ok(views::form(
        &ctx,
        &platform,
        None,
        &GroupForm::default(),
        &FieldErrors::default(),
    )
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<GroupForm>,
) -> AppResult<Response> {
    let platform = find_by_slug(&state, &slug).await?;
    ctx.require(Action::CreateGroup(&platform_ref(&platform)))?;
    let refuse = |errors: FieldErrors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            views::form(&ctx, &platform, None, &form, &errors),
        )
            .into_response()
    };
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(errors)),
    };
    if name_taken(&state, platform.id, &input.name, None).await? {
        let mut errors = FieldErrors::default();
        errors.add("name", DUPLICATE);
        return Ok(refuse(errors));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let written = working_group::ActiveModel {
        platform_id: Set(platform.id),
        name: Set(input.name),
        mandate: Set(input.mandate),
        status: Set(GroupStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match FieldErrors::when_taken(written, "name", DUPLICATE)? {
        Ok(created) => created,
        Err(errors) => return Ok(refuse(errors)),
    };
    let entry = Entry {
        action: "créer",
        entity: "groupe de travail",
        id: created.id,
        summary: format!("GT « {} » créé dans « {} »", created.name, platform.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/gt/{}", created.id),
        format!("Groupe de travail « {} » créé.", created.name),
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (group, platform) = find_with_platform(&state, id).await?;
    ctx.require(Action::EditGroup(&group_ref(&group, &platform)))?;
    let form = GroupForm {
        name: group.name.clone(),
        mandate: group.mandate.clone(),
    };
    Ok(views::form(
        &ctx,
        &platform,
        Some(&group),
        &form,
        &FieldErrors::default(),
    )
    .into_response())
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<GroupForm>,
) -> AppResult<Response> {
    let (group, platform) = find_with_platform(&state, id).await?;
    ctx.require(Action::EditGroup(&group_ref(&group, &platform)))?;
    let refuse = |errors: FieldErrors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            views::form(&ctx, &platform, Some(&group), &form, &errors),
        )
            .into_response()
    };
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(errors)),
    };
    if name_taken(&state, platform.id, &input.name, Some(id)).await? {
        let mut errors = FieldErrors::default();
        errors.add("name", DUPLICATE);
        return Ok(refuse(errors));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: working_group::ActiveModel = group.clone().into();
    model.name = Set(input.name.clone());
    model.mandate = Set(input.mandate);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    let entry = Entry {
        action: "modifier",
        entity: "groupe de travail",
        id,
        summary: format!("GT « {} » modifié", input.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/gt/{id}"),
        "Modifications enregistrées.",
    )
    .await
}

async fn set_status(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    status: GroupStatus,
) -> AppResult<Response> {
    let (group, platform) = find_with_platform(state, id).await?;
    ctx.require(Action::EditGroup(&group_ref(&group, &platform)))?;
    let name = group.name.clone();
    let mut model: working_group::ActiveModel = group.into();
    model.status = Set(status);
    model.updated_at = Set(Utc::now());
    let (action, summary) = match status {
        GroupStatus::Closed => ("clôturer", format!("Groupe de travail « {name} » clôturé.")),
        GroupStatus::Active => ("rouvrir", format!("Groupe de travail « {name} » rouvert.")),
    };
    let entry = Entry {
        action,
        entity: "groupe de travail",
        id,
        summary,
    };
    audit::switch(state, ctx, model, entry, &format!("/gt/{id}")).await
}

async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_status(&state, &ctx, id, GroupStatus::Closed).await
}

async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_status(&state, &ctx, id, GroupStatus::Active).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_needs_a_name() {
        assert!(
            GroupForm {
                name: "   ".into(),
                mandate: "x".into()
            }
            .parse()
            .is_err()
        );
        let ok = GroupForm {
            name: " Interpellation ".into(),
            mandate: String::new(),
        }
        .parse()
        .ok();
        assert_eq!(ok.map(|g| g.name), Some("Interpellation".to_string()));
    }
}
