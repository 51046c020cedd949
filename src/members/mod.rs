//! Memberships of people in a platform or a working group, with a role (coordination, member,
//! observer): the panel on each page, the search-as-you-type picker (htmx, with a plain-form
//! fallback), adding, changing roles inline and removing.

mod views;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::Markup;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

use crate::audit;
use crate::auth::permissions::{Action, Role};
use crate::entities::{group_membership, person, platform, platform_membership, working_group};
use crate::groups;
use crate::platforms::rules::sort_key;
use crate::platforms::{self, group_ref, platform_ref};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path, Query};
use crate::web::{AppError, AppResult, Ctx};

pub use views::panel;

/// Where the memberships live.
pub enum Scope {
    Platform(platform::Model),
    Group {
        group: working_group::Model,
        platform: platform::Model,
    },
}

impl Scope {
    pub fn base(&self) -> String {
        match self {
            Scope::Platform(p) => format!("/plateformes/{}", p.slug),
            Scope::Group { group, .. } => format!("/gt/{}", group.id),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Scope::Platform(p) => &p.name,
            Scope::Group { group, .. } => &group.name,
        }
    }

    fn entity(&self) -> &'static str {
        match self {
            Scope::Platform(_) => "plateforme",
            Scope::Group { .. } => "groupe de travail",
        }
    }

    fn id(&self) -> i64 {
        match self {
            Scope::Platform(p) => p.id,
            Scope::Group { group, .. } => group.id,
        }
    }

    pub fn can_manage(&self, ctx: &Ctx) -> bool {
        match self {
            Scope::Platform(p) => ctx.can(Action::ManagePlatformMembers(&platform_ref(p))),
            Scope::Group { group, platform } => {
                ctx.can(Action::ManageGroupMembers(&group_ref(group, platform)))
            }
        }
    }

    fn require_manage(&self, ctx: &Ctx) -> AppResult<()> {
        match self {
            Scope::Platform(p) => ctx.require(Action::ManagePlatformMembers(&platform_ref(p))),
            Scope::Group { group, platform } => {
                ctx.require(Action::ManageGroupMembers(&group_ref(group, platform)))
            }
        }
    }
}

pub struct MemberRow {
    pub person: person::Model,
    pub organisation: Option<String>,
    pub role: Role,
}

/// The members of a scope, sorted by organisation then name.
pub async fn load(state: &AppState, scope: &Scope) -> AppResult<Vec<MemberRow>> {
    let links: Vec<(i64, Role)> = match scope {
        Scope::Platform(p) => platform_membership::Entity::find()
            .filter(platform_membership::Column::PlatformId.eq(p.id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|m| (m.person_id, m.role))
            .collect(),
        Scope::Group { group, .. } => group_membership::Entity::find()
            .filter(group_membership::Column::WorkingGroupId.eq(group.id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|m| (m.person_id, m.role))
            .collect(),
    };
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(links.iter().map(|(id, _)| *id)))
        .all(&state.db)
        .await?;
    let organisations = crate::people::organisation_names(state).await?;
    let mut rows: Vec<MemberRow> = links
        .into_iter()
        .filter_map(|(person_id, role)| {
            let person = people.iter().find(|p| p.id == person_id)?.clone();
            let organisation = person
                .organisation_id
                .and_then(|id| organisations.get(&id).cloned());
            Some(MemberRow {
                person,
                organisation,
                role,
            })
        })
        .collect();
    rows.sort_by_cached_key(|row| {
        (
            row.organisation.is_none(),
            row.organisation
                .as_deref()
                .map(sort_key)
                .unwrap_or_default(),
            sort_key(&row.person.name),
        )
    });
    Ok(rows)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plateformes/{slug}/membres", post(platform_add))
        .route("/plateformes/{slug}/membres/ajouter", get(platform_picker))
        .route(
            "/plateformes/{slug}/membres/{person_id}/role",
            post(platform_role),
        )
        .route(
            "/plateformes/{slug}/membres/{person_id}/retirer",
            post(platform_remove),
        )
        .route("/gt/{id}/membres", post(group_add))
        .route("/gt/{id}/membres/ajouter", get(group_picker))
        .route("/gt/{id}/membres/{person_id}/role", post(group_role))
        .route("/gt/{id}/membres/{person_id}/retirer", post(group_remove))
}

async fn platform_scope(state: &AppState, slug: &str) -> AppResult<Scope> {
    Ok(Scope::Platform(platforms::find_by_slug(state, slug).await?))
}

async fn group_scope(state: &AppState, id: i64) -> AppResult<Scope> {
    let (group, platform) = groups::find_with_platform(state, id).await?;
    Ok(Scope::Group { group, platform })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PickerQuery {
    pub q: String,
}

async fn platform_picker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<PickerQuery>,
) -> AppResult<Response> {
    picker(&state, &ctx, platform_scope(&state, &slug).await?, &query.q).await
}

async fn group_picker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(query): Query<PickerQuery>,
) -> AppResult<Response> {
    picker(&state, &ctx, group_scope(&state, id).await?, &query.q).await
}

const RESULTS: usize = 12;

/// The search results: a fragment for htmx, or a whole page with the search form without JS.
async fn picker(state: &AppState, ctx: &Ctx, scope: Scope, q: &str) -> AppResult<Response> {
    scope.require_manage(ctx)?;
    let members = load(state, &scope).await?;
    let results: Vec<(person::Model, Option<String>)> = if q.trim().is_empty() {
        Vec::new()
    } else {
        crate::people::search(state, q, RESULTS + members.len())
            .await?
            .into_iter()
            .filter(|(p, _)| !members.iter().any(|m| m.person.id == p.id))
            .take(RESULTS)
            .collect()
    };
    if ctx.htmx {
        Ok(views::results(ctx, &scope, q, &results, true).into_response())
    } else {
        Ok(views::picker_page(ctx, &scope, q, &results).into_response())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AddForm {
    person_id: String,
    role: String,
}

async fn platform_add(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<AddForm>,
) -> AppResult<Response> {
    add(&state, &ctx, platform_scope(&state, &slug).await?, form).await
}

async fn group_add(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<AddForm>,
) -> AppResult<Response> {
    add(&state, &ctx, group_scope(&state, id).await?, form).await
}

fn parse_role(raw: &str) -> AppResult<Role> {
    raw.parse().map_err(|_| {
        AppError::BadRequest(
            "Ce rôle n'existe pas : choisissez coordination, membre ou observateur·rice.".into(),
        )
    })
}

async fn find_active_person(state: &AppState, raw: &str) -> AppResult<person::Model> {
    let id: i64 = raw
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez une personne dans la liste.".into()))?;
    person::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|p| p.active)
        .ok_or_else(|| {
            AppError::BadRequest("Cette personne n'existe pas ou son compte est désactivé.".into())
        })
}

/// After a change: the refreshed panel for htmx, or back to the page with a message.
async fn done(state: &AppState, ctx: &Ctx, scope: &Scope, message: String) -> AppResult<Response> {
    if ctx.htmx {
        let members = load(state, scope).await?;
        let markup: Markup =
            views::panel(ctx, scope, &members, scope.can_manage(ctx), Some(&message));
        Ok(markup.into_response())
    } else {
        Ok(redirect_with_flash(
            &scope.base(),
            FlashKind::Success,
            message,
        ))
    }
}

async fn add(state: &AppState, ctx: &Ctx, scope: Scope, form: AddForm) -> AppResult<Response> {
    scope.require_manage(ctx)?;
    let role = if form.role.is_empty() {
        Role::Member
    } else {
        parse_role(&form.role)?
    };
    let person = find_active_person(state, &form.person_id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let inserted = match &scope {
        Scope::Platform(p) => platform_membership::ActiveModel {
            platform_id: Set(p.id),
            person_id: Set(person.id),
            role: Set(role),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map(|_| ()),
        Scope::Group { group, .. } => group_membership::ActiveModel {
            working_group_id: Set(group.id),
            person_id: Set(person.id),
            role: Set(role),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map(|_| ()),
    };
    match inserted {
        Ok(()) => {}
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(AppError::BadRequest(format!(
                "{} fait déjà partie de « {} ».",
                person.name,
                scope.name()
            )));
        }
        Err(e) => return Err(e.into()),
    }
    let message = format!(
        "{} ajouté·e à « {} » ({}).",
        person.name,
        scope.name(),
        role.label_fr()
    );
    audit::record(
        &txn,
        ctx.person_id(),
        "ajouter un membre",
        scope.entity(),
        Some(scope.id()),
        message.clone(),
    )
    .await?;
    txn.commit().await?;
    done(state, ctx, &scope, message).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

async fn platform_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, person_id)): Path<(String, i64)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    change_role(
        &state,
        &ctx,
        platform_scope(&state, &slug).await?,
        person_id,
        form,
    )
    .await
}

async fn group_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person_id)): Path<(i64, i64)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    change_role(
        &state,
        &ctx,
        group_scope(&state, id).await?,
        person_id,
        form,
    )
    .await
}

async fn change_role(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
    person_id: i64,
    form: RoleForm,
) -> AppResult<Response> {
    scope.require_manage(ctx)?;
    let role = parse_role(&form.role)?;
    let person = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = match &scope {
        Scope::Platform(p) => {
            platform_membership::Entity::update_many()
                .col_expr(
                    platform_membership::Column::Role,
                    sea_orm::sea_query::Expr::value(role),
                )
                .filter(platform_membership::Column::PlatformId.eq(p.id))
                .filter(platform_membership::Column::PersonId.eq(person_id))
                .exec(&txn)
                .await?
                .rows_affected
        }
        Scope::Group { group, .. } => {
            group_membership::Entity::update_many()
                .col_expr(
                    group_membership::Column::Role,
                    sea_orm::sea_query::Expr::value(role),
                )
                .filter(group_membership::Column::WorkingGroupId.eq(group.id))
                .filter(group_membership::Column::PersonId.eq(person_id))
                .exec(&txn)
                .await?
                .rows_affected
        }
    };
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    let message = format!(
        "{} : rôle « {} » dans « {} ».",
        person.name,
        role.label_fr(),
        scope.name()
    );
    audit::record(
        &txn,
        ctx.person_id(),
        "changer un rôle",
        scope.entity(),
        Some(scope.id()),
        message.clone(),
    )
    .await?;
    txn.commit().await?;
    done(state, ctx, &scope, message).await
}

async fn platform_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, person_id)): Path<(String, i64)>,
) -> AppResult<Response> {
    remove(
        &state,
        &ctx,
        platform_scope(&state, &slug).await?,
        person_id,
    )
    .await
}

async fn group_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    remove(&state, &ctx, group_scope(&state, id).await?, person_id).await
}

async fn remove(state: &AppState, ctx: &Ctx, scope: Scope, person_id: i64) -> AppResult<Response> {
    scope.require_manage(ctx)?;
    let person = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::begin_write(&state.db).await?;
    let deleted = match &scope {
        Scope::Platform(p) => {
            platform_membership::Entity::delete_many()
                .filter(platform_membership::Column::PlatformId.eq(p.id))
                .filter(platform_membership::Column::PersonId.eq(person_id))
                .exec(&txn)
                .await?
                .rows_affected
        }
        Scope::Group { group, .. } => {
            group_membership::Entity::delete_many()
                .filter(group_membership::Column::WorkingGroupId.eq(group.id))
                .filter(group_membership::Column::PersonId.eq(person_id))
                .exec(&txn)
                .await?
                .rows_affected
        }
    };
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    let message = format!("{} retiré·e de « {} ».", person.name, scope.name());
    audit::record(
        &txn,
        ctx.person_id(),
        "retirer un membre",
        scope.entity(),
        Some(scope.id()),
        message.clone(),
    )
    .await?;
    txn.commit().await?;
    done(state, ctx, &scope, message).await
}
