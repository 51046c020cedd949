//! Thematic provincial platforms: the list, each platform's page (description, working groups,
//! members by organisation, coordination), and their administration.

pub mod rules;
mod views;

pub use views::badges as views_badges;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, Set,
};

use crate::audit::{self, Entry};
use crate::auth::permissions::{Action, GroupRef, PlatformRef};
use crate::entities::working_group::GroupStatus;
use crate::entities::{platform, working_group};
use crate::members::{self, Scope};
use crate::state::AppState;
use crate::web::components::FieldErrors;
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use rules::{PlatformForm, PlatformInput, Visibility};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plateformes", get(list).post(create))
        .route("/plateformes/nouvelle", get(new_form))
        .route("/plateformes/{slug}", get(show).post(update))
        .route("/plateformes/{slug}/modifier", get(edit_form))
        .route("/plateformes/{slug}/archiver", post(archive))
        .route("/plateformes/{slug}/reactiver", post(unarchive))
        .merge(members::routes())
}

pub fn platform_ref(p: &platform::Model) -> PlatformRef {
    PlatformRef {
        id: p.id,
        public: p.visibility.is_public(),
        archived: p.archived,
    }
}

pub fn group_ref(g: &working_group::Model, p: &platform::Model) -> GroupRef {
    GroupRef {
        id: g.id,
        platform: platform_ref(p),
    }
}

pub async fn find_by_slug(state: &AppState, slug: &str) -> AppResult<platform::Model> {
    platform::Entity::find()
        .filter(platform::Column::Slug.eq(slug))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The platforms `ctx` may see, archived last.
pub async fn visible(state: &AppState, ctx: &Ctx) -> AppResult<Vec<platform::Model>> {
    Ok(platform::Entity::find()
        .order_by_asc(platform::Column::Archived)
        .order_by_asc(platform::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|p| ctx.can(Action::ViewPlatform(&platform_ref(p))))
        .collect())
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let platforms = visible(&state, &ctx).await?;
    let groups = working_group::Entity::find()
        .filter(working_group::Column::Status.eq(GroupStatus::Active))
        .all(&state.db)
        .await?;
    let rows: Vec<(platform::Model, usize)> = platforms
        .into_iter()
        .map(|p| {
            let count = groups.iter().filter(|g| g.platform_id == p.id).count();
            (p, count)
        })
        .collect();
    Ok(views::list(&ctx, &rows, ctx.can(Action::CreatePlatform)).into_response())
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let platform = find_by_slug(&state, &slug).await?;
    let pref = platform_ref(&platform);
    ctx.require(Action::ViewPlatform(&pref))?;
    let groups = working_group::Entity::find()
        .filter(working_group::Column::PlatformId.eq(platform.id))
        .order_by_asc(working_group::Column::Status)
        .order_by_asc(working_group::Column::Name)
        .all(&state.db)
        .await?;
    let scope = Scope::Platform(platform);
    let members = members::load(&state, &scope).await?;
    let Scope::Platform(platform) = &scope else {
        return Err(AppError::NotFound);
    };
    let panel = members::panel(&ctx, &scope, &members, scope.can_manage(&ctx), None);
    let can_schedule = ctx.can(Action::CreateMeeting(
        crate::auth::permissions::MeetingScope::Platform(&pref),
    ));
    Ok(views::show(&ctx, platform, &groups, panel, can_schedule).into_response())
}

async fn new_form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::CreatePlatform)?;
    let form = PlatformForm {
        visibility: Visibility::Public.as_str().into(),
        ..Default::default()
    };
    Ok(views::form(&ctx, None, &form, &FieldErrors::default()).into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let platform = find_by_slug(&state, &slug).await?;
    ctx.require(Action::EditPlatform(&platform_ref(&platform)))?;
    let form = PlatformForm {
        name: platform.name.clone(),
        slug: platform.slug.clone(),
        theme: platform.theme.clone(),
        description: platform.description.clone(),
        visibility: platform.visibility.as_str().into(),
    };
    Ok(views::form(&ctx, Some(&platform), &form, &FieldErrors::default()).into_response())
}

fn refuse(
    ctx: &Ctx,
    existing: Option<&platform::Model>,
    form: &PlatformForm,
    errors: &FieldErrors,
) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        views::form(ctx, existing, form, errors),
    )
        .into_response()
}

/// Parses the form and checks that the name and the slug are free.
async fn parse(
    state: &AppState,
    form: &PlatformForm,
    except: Option<i64>,
) -> AppResult<Result<PlatformInput, FieldErrors>> {
    let parsed = form.parse();
    let Ok(input) = parsed else { return Ok(parsed) };
    let mut errors = FieldErrors::default();
    let others = platform::Entity::find()
        .filter(
            platform::Column::Name
                .eq(input.name.clone())
                .or(platform::Column::Slug.eq(input.slug.clone())),
        )
        .all(&state.db)
        .await?;
    for other in others.iter().filter(|p| Some(p.id) != except) {
        if other.name == input.name {
            errors.add("name", "Une plateforme porte déjà ce nom.");
        }
        if other.slug == input.slug {
            errors.add(
                "slug",
                "Cette adresse courte est déjà utilisée par une autre plateforme.",
            );
        }
    }
    Ok(errors.into_result(input))
}

/// Taken meanwhile (between the check and the write): which of the two is not known.
const DUPLICATE: &str = "Une plateforme porte déjà ce nom ou cette adresse courte.";

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PlatformForm>,
) -> AppResult<Response> {
    ctx.require(Action::CreatePlatform)?;
    let input = match parse(&state, &form, None).await? {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(&ctx, None, &form, &errors)),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let written = platform::ActiveModel {
        name: Set(input.name),
        slug: Set(input.slug),
        theme: Set(input.theme),
        description: Set(input.description),
        visibility: Set(input.visibility),
        archived: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match FieldErrors::when_taken(written, "name", DUPLICATE)? {
        Ok(created) => created,
        Err(errors) => return Ok(refuse(&ctx, None, &form, &errors)),
    };
    let entry = Entry {
        action: "créer",
        entity: "plateforme",
        id: created.id,
        summary: format!("Plateforme « {} » créée", created.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/plateformes/{}", created.slug),
        format!(
            "Plateforme « {} » créée. Ajoutez-y ses membres et sa coordination.",
            created.name
        ),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<PlatformForm>,
) -> AppResult<Response> {
    let existing = find_by_slug(&state, &slug).await?;
    ctx.require(Action::EditPlatform(&platform_ref(&existing)))?;
    let input = match parse(&state, &form, Some(existing.id)).await? {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(&ctx, Some(&existing), &form, &errors)),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: platform::ActiveModel = existing.clone().into();
    model.name = Set(input.name.clone());
    model.slug = Set(input.slug.clone());
    model.theme = Set(input.theme);
    model.description = Set(input.description);
    model.visibility = Set(input.visibility);
    model.updated_at = Set(Utc::now());
    if let Err(errors) = FieldErrors::when_taken(model.update(&txn).await, "name", DUPLICATE)? {
        return Ok(refuse(&ctx, Some(&existing), &form, &errors));
    }
    let entry = Entry {
        action: "modifier",
        entity: "plateforme",
        id: existing.id,
        summary: format!("Plateforme « {} » modifiée", input.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/plateformes/{}", input.slug),
        "Modifications enregistrées.",
    )
    .await
}

async fn set_archived(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    archived: bool,
) -> AppResult<Response> {
    let existing = find_by_slug(state, slug).await?;
    ctx.require(Action::ArchivePlatform(&platform_ref(&existing)))?;
    let name = existing.name.clone();
    let id = existing.id;
    let mut model: platform::ActiveModel = existing.into();
    model.archived = Set(archived);
    model.updated_at = Set(Utc::now());
    let (action, summary) = if archived {
        (
            "archiver",
            format!(
                "Plateforme « {name} » archivée : elle reste lisible par ses membres, mais n'est plus modifiable."
            ),
        )
    } else {
        ("réactiver", format!("Plateforme « {name} » réactivée."))
    };
    let entry = Entry {
        action,
        entity: "plateforme",
        id,
        summary,
    };
    audit::switch(state, ctx, model, entry, &format!("/plateformes/{slug}")).await
}

async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    set_archived(&state, &ctx, &slug, true).await
}

async fn unarchive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    set_archived(&state, &ctx, &slug, false).await
}
