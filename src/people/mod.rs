//! The directory of people (for members) and its administration: create, edit, deactivate.
//! Also each person's own password change.

pub mod rules;
mod views;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;

use crate::audit::{self, Entry};
use crate::auth::permissions::{Action, Role};
use crate::auth::{password, sessions};
use crate::entities::{
    group_membership, organisation, person, platform, platform_membership, working_group,
};
use crate::platforms::platform_ref;
use crate::state::AppState;
use crate::web::components::FieldErrors;
use crate::web::ctx::{FlashKind, redirect_with_flash, session_cookie};
use crate::web::extract::{Form, Path, Query};
use crate::web::{AppError, AppResult, Ctx};
use rules::{Language, PersonForm, PersonInput, normalize_email};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/personnes", get(list).post(create))
        .route("/personnes/nouvelle", get(new_form))
        .route("/personnes/{id}", get(show).post(update))
        .route("/personnes/{id}/modifier", get(edit_form))
        .route("/personnes/{id}/desactiver", post(deactivate))
        .route("/personnes/{id}/reactiver", post(reactivate))
        .route(
            "/profil/mot-de-passe",
            get(password_form).post(change_password),
        )
        .route("/profil", get(profile))
        .route("/profil/notifications", post(save_notifications))
}

pub async fn find(state: &AppState, id: i64) -> AppResult<person::Model> {
    person::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Organisation names by id.
pub async fn organisation_names(
    state: &AppState,
) -> AppResult<std::collections::HashMap<i64, String>> {
    Ok(organisation::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// Active people whose name, email or organisation matches `q` (case-insensitive), at most `limit`.
pub async fn search(
    state: &AppState,
    q: &str,
    limit: usize,
) -> AppResult<Vec<(person::Model, Option<String>)>> {
    let needle = q.trim().to_lowercase();
    let organisations = organisation_names(state).await?;
    let people = person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .order_by_asc(person::Column::Name)
        .all(&state.db)
        .await?;
    Ok(people
        .into_iter()
        .map(|p| {
            let org = p
                .organisation_id
                .and_then(|id| organisations.get(&id).cloned());
            (p, org)
        })
        .filter(|(p, org)| {
            needle.is_empty()
                || p.name.to_lowercase().contains(&needle)
                || p.email_normalized.contains(&needle)
                || org
                    .as_ref()
                    .is_some_and(|o| o.to_lowercase().contains(&needle))
        })
        .take(limit)
        .collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    ctx.require(Action::ViewDirectory)?;
    let mut people = search(&state, &query.q, usize::MAX).await?;
    if ctx.can(Action::ManagePeople) && query.q.is_empty() {
        // Administrators also see deactivated accounts.
        let organisations = organisation_names(&state).await?;
        let inactive = person::Entity::find()
            .filter(person::Column::Active.eq(false))
            .order_by_asc(person::Column::Name)
            .all(&state.db)
            .await?;
        people.extend(inactive.into_iter().map(|p| {
            let org = p
                .organisation_id
                .and_then(|id| organisations.get(&id).cloned());
            (p, org)
        }));
    }
    Ok(views::list(&ctx, &people, &query.q, ctx.can(Action::ManagePeople)).into_response())
}

pub struct Membership {
    pub href: String,
    pub name: String,
    pub context: Option<String>,
    pub role: Role,
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    if ctx.person_id() != Some(id) {
        ctx.require(Action::ViewDirectory)?;
    }
    let person = find(&state, id).await?;
    let organisation = match person.organisation_id {
        Some(oid) => organisation::Entity::find_by_id(oid).one(&state.db).await?,
        None => None,
    };
    let platforms: Vec<platform::Model> = platform::Entity::find()
        .order_by_asc(platform::Column::Name)
        .all(&state.db)
        .await?;
    let mut memberships = Vec::new();
    for m in platform_membership::Entity::find()
        .filter(platform_membership::Column::PersonId.eq(id))
        .all(&state.db)
        .await?
    {
        if let Some(p) = platforms.iter().find(|p| p.id == m.platform_id)
            && ctx.can(Action::ViewPlatform(&platform_ref(p)))
        {
            memberships.push(Membership {
                href: format!("/plateformes/{}", p.slug),
                name: p.name.clone(),
                context: None,
                role: m.role,
            });
        }
    }
    let group_links = group_membership::Entity::find()
        .filter(group_membership::Column::PersonId.eq(id))
        .all(&state.db)
        .await?;
    let groups = working_group::Entity::find()
        .filter(working_group::Column::Id.is_in(group_links.iter().map(|g| g.working_group_id)))
        .all(&state.db)
        .await?;
    for m in group_links {
        let Some(g) = groups.iter().find(|g| g.id == m.working_group_id) else {
            continue;
        };
        let Some(p) = platforms.iter().find(|p| p.id == g.platform_id) else {
            continue;
        };
        if ctx.can(Action::ViewPlatform(&platform_ref(p))) {
            memberships.push(Membership {
                href: format!("/gt/{}", g.id),
                name: g.name.clone(),
                context: Some(p.name.clone()),
                role: m.role,
            });
        }
    }
    Ok(views::show(&ctx, &person, organisation.as_ref(), &memberships).into_response())
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManagePeople)?;
    let organisations = crate::organisations::options(&state).await?;
    let form = PersonForm {
        language: Language::Fr.as_str().into(),
        ..Default::default()
    };
    Ok(views::form(&ctx, None, &form, &organisations, &FieldErrors::default()).into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.require(Action::ManagePeople)?;
    let person = find(&state, id).await?;
    let form = PersonForm {
        name: person.name.clone(),
        email: person.email.clone(),
        organisation_id: person
            .organisation_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        language: person.language.as_str().into(),
        password: String::new(),
        is_admin: person.is_admin.then(|| "on".to_string()),
    };
    let organisations = crate::organisations::options(&state).await?;
    Ok(views::form(
        &ctx,
        Some(&person),
        &form,
        &organisations,
        &FieldErrors::default(),
    )
    .into_response())
}

async fn refuse(
    state: &AppState,
    ctx: &Ctx,
    existing: Option<&person::Model>,
    form: &PersonForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let organisations = crate::organisations::options(state).await?;
    // The password is never sent back into the page.
    let form = PersonForm {
        password: String::new(),
        ..form.clone()
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        views::form(ctx, existing, &form, &organisations, errors),
    )
        .into_response())
}

const DUPLICATE_EMAIL: &str = "Une personne utilise déjà cette adresse e-mail.";

async fn parse(
    state: &AppState,
    ctx: &Ctx,
    form: &PersonForm,
    except: Option<i64>,
) -> AppResult<Result<PersonInput, FieldErrors>> {
    let organisation_ids: Vec<i64> = organisation_names(state).await?.into_keys().collect();
    let parsed = form.parse(&organisation_ids);
    let Ok(input) = parsed else { return Ok(parsed) };
    let mut errors = FieldErrors::default();
    let taken = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalize_email(&input.email)))
        .one(&state.db)
        .await?
        .is_some_and(|p| Some(p.id) != except);
    if taken {
        errors.add("email", DUPLICATE_EMAIL);
    }
    if except.is_some() && except == ctx.person_id() && !input.is_admin {
        errors.add(
            "is_admin",
            "Vous ne pouvez pas retirer vos propres droits d'administration.",
        );
    }
    Ok(errors.into_result(input))
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    ctx.require(Action::ManagePeople)?;
    let input = match parse(&state, &ctx, &form, None).await? {
        Ok(input) => input,
        Err(errors) => return refuse(&state, &ctx, None, &form, &errors).await,
    };
    let password_hash = match &input.password {
        Some(p) => Some(password::hash_async(p.clone()).await?),
        None => None,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let written = person::ActiveModel {
        name: Set(input.name.clone()),
        email_normalized: Set(normalize_email(&input.email)),
        email: Set(input.email),
        organisation_id: Set(input.organisation_id),
        language: Set(input.language),
        active: Set(true),
        is_admin: Set(input.is_admin),
        password_hash: Set(password_hash),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let created = match FieldErrors::when_taken(written, "email", DUPLICATE_EMAIL)? {
        Ok(created) => created,
        Err(errors) => return refuse(&state, &ctx, None, &form, &errors).await,
    };
    let entry = Entry {
        action: "créer",
        entity: "personne",
        id: created.id,
        summary: format!("Personne « {} » créée", created.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/personnes/{}", created.id),
        format!("{} a été ajouté·e à l'annuaire.", created.name),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    ctx.require(Action::ManagePeople)?;
    let existing = find(&state, id).await?;
    let input = match parse(&state, &ctx, &form, Some(id)).await? {
        Ok(input) => input,
        Err(errors) => return refuse(&state, &ctx, Some(&existing), &form, &errors).await,
    };
    let password_hash = match &input.password {
        Some(p) => Some(password::hash_async(p.clone()).await?),
        None => None,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: person::ActiveModel = existing.clone().into();
    model.name = Set(input.name.clone());
    model.email_normalized = Set(normalize_email(&input.email));
    model.email = Set(input.email);
    model.organisation_id = Set(input.organisation_id);
    model.language = Set(input.language);
    model.is_admin = Set(input.is_admin);
    if let Some(hash) = password_hash {
        model.password_hash = Set(Some(hash));
    }
    model.updated_at = Set(Utc::now());
    let written = model.update(&txn).await;
    if let Err(errors) = FieldErrors::when_taken(written, "email", DUPLICATE_EMAIL)? {
        return refuse(&state, &ctx, Some(&existing), &form, &errors).await;
    }
    if input.password.is_some() && Some(id) != ctx.person_id() {
        sessions::delete_all_for(&txn, id).await?;
    }
    let detail = if input.password.is_some() {
        " (mot de passe changé)"
    } else {
        ""
    };
    let entry = Entry {
        action: "modifier",
        entity: "personne",
        id,
        summary: format!("Personne « {} » modifiée{detail}", input.name),
    };
    audit::commit_and_redirect(
        txn,
        &ctx,
        entry,
        &format!("/personnes/{id}"),
        "Modifications enregistrées.",
    )
    .await
}

async fn set_active(state: &AppState, ctx: &Ctx, id: i64, active: bool) -> AppResult<Response> {
    ctx.require(Action::ManagePeople)?;
    let existing = find(state, id).await?;
    if !active && ctx.person_id() == Some(id) {
        return Ok(redirect_with_flash(
            &format!("/personnes/{id}"),
            FlashKind::Error,
            "Vous ne pouvez pas désactiver votre propre compte.",
        ));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let name = existing.name.clone();
    let mut model: person::ActiveModel = existing.into();
    model.active = Set(active);
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    if !active {
        sessions::delete_all_for(&txn, id).await?;
    }
    let (action, message) = if active {
        ("réactiver", format!("Le compte de {name} est réactivé."))
    } else {
        (
            "désactiver",
            format!(
                "Le compte de {name} est désactivé : cette personne ne peut plus se connecter."
            ),
        )
    };
    let entry = Entry {
        action,
        entity: "personne",
        id,
        summary: message.clone(),
    };
    audit::commit_and_redirect(txn, ctx, entry, &format!("/personnes/{id}"), message).await
}

async fn deactivate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_active(&state, &ctx, id, false).await
}

async fn reactivate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_active(&state, &ctx, id, true).await
}

async fn password_form(ctx: Ctx) -> AppResult<Response> {
    ctx.signed_in()?;
    Ok(views::password_form(&ctx, &FieldErrors::default()).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordChange {
    current: String,
    new: String,
    confirm: String,
}

async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordChange>,
) -> AppResult<Response> {
    let me = ctx.signed_in()?.clone();
    let mut errors = FieldErrors::default();
    if !password::verify_async(form.current.clone(), me.password_hash.clone()).await {
        errors.add("current", "Le mot de passe actuel est incorrect.");
    }
    if let Some(reason) = password::check_strength(&form.new) {
        errors.add("new", reason);
    } else if form.new != form.confirm {
        errors.add("confirm", "Les deux mots de passe ne correspondent pas.");
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::password_form(&ctx, &errors),
        )
            .into_response());
    }
    let hash = password::hash_async(form.new).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    person::Entity::update_many()
        .col_expr(
            person::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(hash),
        )
        .col_expr(
            person::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(Condition::all().add(person::Column::Id.eq(me.id)))
        .exec(&txn)
        .await?;
    // Whoever else held a session (a stolen cookie, a forgotten browser) is signed out; this
    // browser goes on with a session opened now, the old token being gone with the others.
    sessions::delete_all_for(&txn, me.id).await?;
    let token = sessions::create(&txn, me.id).await?;
    audit::record(
        &txn,
        Some(me.id),
        "modifier",
        "personne",
        Some(me.id),
        "Mot de passe changé par la personne elle-même (autres sessions fermées)",
    )
    .await?;
    txn.commit().await?;
    let response = redirect_with_flash(
        &format!("/personnes/{}", me.id),
        FlashKind::Success,
        "Votre mot de passe a été changé ; vos autres sessions ont été fermées.",
    );
    let jar = CookieJar::new().add(session_cookie(&token, ctx.secure_cookies));
    Ok((jar, response).into_response())
}

/// "/profil" (linked from every email): one's own page, with the notification choices.
async fn profile(ctx: Ctx) -> AppResult<Response> {
    let me = ctx.signed_in()?;
    Ok(
        axum::response::Redirect::to(&format!("/personnes/{}#notifications", me.id))
            .into_response(),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NotificationsForm {
    confirmations: Option<String>,
    reminders: Option<String>,
    minutes: Option<String>,
}

async fn save_notifications(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NotificationsForm>,
) -> AppResult<Response> {
    let me = ctx.signed_in()?.clone();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: person::ActiveModel = me.clone().into();
    model.notify_confirmations = Set(form.confirmations.is_some());
    model.notify_reminders = Set(form.reminders.is_some());
    model.notify_minutes = Set(form.minutes.is_some());
    model.updated_at = Set(Utc::now());
    model.update(&txn).await?;
    audit::record(
        &txn,
        Some(me.id),
        "modifier",
        "personne",
        Some(me.id),
        "Choix des notifications",
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/personnes/{}#notifications", me.id),
        FlashKind::Success,
        "Vos choix de notifications sont enregistrés.",
    ))
}
