//! The directory of member organisations (ASBL, ILI, CPAS, communes…): list, page, and
//! administration (create, edit, archive).

pub mod rules;
mod views;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::audit::{self, Entry};
use crate::auth::permissions::Action;
use crate::entities::{organisation, person};
use crate::offices;
use crate::state::AppState;
use crate::web::components::FieldErrors;
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};
use rules::{OrganisationForm, OrganisationInput};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list).post(create))
        .route("/organisations/nouvelle", get(new_form))
        .route("/organisations/{id}", get(show).post(update))
        .route("/organisations/{id}/modifier", get(edit_form))
        .route("/organisations/{id}/archiver", post(archive))
        .route("/organisations/{id}/reactiver", post(unarchive))
}

pub async fn find(state: &AppState, id: i64) -> AppResult<organisation::Model> {
    organisation::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// (id, name) of the organisations not archived, for the people form.
pub async fn options(state: &AppState) -> AppResult<Vec<(String, String)>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Archived.eq(false))
        .order_by_asc(organisation::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ViewDirectory)?;
    let organisations = organisation::Entity::find()
        .order_by_asc(organisation::Column::Archived)
        .order_by_asc(organisation::Column::Name)
        .all(&state.db)
        .await?;
    let people = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .all(&state.db)
        .await?;
    let municipalities = offices::municipality_names(&state).await?;
    let rows: Vec<views::Row> = organisations
        .into_iter()
        .map(|o| views::Row {
            people: people
                .iter()
                .filter(|p| p.organisation_id == Some(o.id))
                .count(),
            municipality: o
                .municipality_id
                .and_then(|id| municipalities.get(&id).cloned())
                .unwrap_or_default(),
            organisation: o,
        })
        .collect();
    Ok(views::list(&ctx, &rows, ctx.can(Action::ManageOrganisations)).into_response())
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    ctx.require(Action::ViewDirectory)?;
    let organisation = find(&state, id).await?;
    let people = person::Entity::find()
        .filter(person::Column::OrganisationId.eq(id))
        .order_by_asc(person::Column::Name)
        .all(&state.db)
        .await?;
    let municipality = match organisation.municipality_id {
        Some(mid) => offices::municipality_names(&state).await?.remove(&mid),
        None => None,
    };
    Ok(views::show(&ctx, &organisation, municipality.as_deref(), &people).into_response())
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageOrganisations)?;
    let municipalities = offices::municipality_options(&state).await?;
    Ok(views::form(
        &ctx,
        None,
        &OrganisationForm::default(),
        &municipalities,
        &FieldErrors::default(),
    )
    .into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.require(Action::ManageOrganisations)?;
    let organisation = find(&state, id).await?;
    let form = OrganisationForm {
        name: organisation.name.clone(),
        kind: organisation.kind.as_str().into(),
        municipality_id: organisation
            .municipality_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        website: organisation.website.clone(),
    };
    let municipalities = offices::municipality_options(&state).await?;
    Ok(views::form(
        &ctx,
        Some(&organisation),
        &form,
        &municipalities,
        &FieldErrors::default(),
    )
    .into_response())
}

async fn refuse(
    state: &AppState,
    ctx: &Ctx,
    existing: Option<&organisation::Model>,
    form: &OrganisationForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let municipalities = offices::municipality_options(state).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        views::form(ctx, existing, form, &municipalities, errors),
    )
        .into_response())
}

async fn parse(
    state: &AppState,
    form: &OrganisationForm,
    except: Option<i64>,
) -> AppResult<Result<OrganisationInput, FieldErrors>> {
    let municipality_ids: Vec<i64> = offices::municipality_names(state)
        .await?
        .into_keys()
        .collect();
    let parsed = form.parse(&municipality_ids);
    let Ok(input) = parsed else { return Ok(parsed) };
    let taken = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(input.name.clone()))
        .one(&state.db)
        .await?
        .is_some_and(|o| Some(o.id) != except);
    if taken {
        let mut errors = FieldErrors::default();
        errors.add("name", DUPLICATE);
        return Ok(Err(errors));
    }
    Ok(Ok(input))
}

const DUPLICATE: &str = "Une organisation porte déjà ce nom.";

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    ctx.require(Action::ManageOrganisations)?;
    let input = match parse(&state, &form, None).await? {
        Ok(input) => input,
        Err(errors) => return refuse(&state, &ctx, None, &form, &errors).await,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let written = organisation::ActiveModel {
        name: Set(input.name.clone()),
        kind: Set(input.kind),
        municipality_id: Set(input.municipality_id),
        website: Set(input.website),
        archived: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match FieldErrors::when_taken(written, "name", DUPLICATE)? {
        Ok(created) => created,
        Err(errors) => return refuse(&state, &ctx, None, &form, &errors).await,
    };
    let entry = Entry {
        action: "créer",
        entity: "organisation",
        id: created.id,
        summary: format!("Organisation « {} » créée", created.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/organisations/{}", created.id),
        format!("Organisation « {} » créée.", created.name),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    ctx.require(Action::ManageOrganisations)?;
    let existing = find(&state, id).await?;
    let input = match parse(&state, &form, Some(id)).await? {
        Ok(input) => input,
        Err(errors) => return refuse(&state, &ctx, Some(&existing), &form, &errors).await,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: organisation::ActiveModel = existing.clone().into();
    model.name = Set(input.name.clone());
    model.kind = Set(input.kind);
    model.municipality_id = Set(input.municipality_id);
    model.website = Set(input.website);
    model.updated_at = Set(Utc::now());
    if let Err(errors) = FieldErrors::when_taken(model.update(&txn).await, "name", DUPLICATE)? {
        return refuse(&state, &ctx, Some(&existing), &form, &errors).await;
    }
    let entry = Entry {
        action: "modifier",
        entity: "organisation",
        id,
        summary: format!("Organisation « {} » modifiée", input.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/organisations/{id}"),
        "Modifications enregistrées.",
    )
    .await
}

async fn set_archived(state: &AppState, ctx: &Ctx, id: i64, archived: bool) -> AppResult<Response> {
    ctx.require(Action::ManageOrganisations)?;
    let existing = find(state, id).await?;
    let name = existing.name.clone();
    let mut model: organisation::ActiveModel = existing.into();
    model.archived = Set(archived);
    model.updated_at = Set(Utc::now());
    let (action, summary) = if archived {
        ("archiver", format!("Organisation « {name} » archivée."))
    } else {
        ("réactiver", format!("Organisation « {name} » réactivée."))
    };
    let entry = Entry {
        action,
        entity: "organisation",
        id,
        summary,
    };
    audit::switch(state, ctx, model, entry, &format!("/organisations/{id}")).await
}

async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_archived(&state, &ctx, id, true).await
}

async fn unarchive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_archived(&state, &ctx, id, false).await
}
