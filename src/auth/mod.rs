//! Signing in and out: email and password (argon2id), server-side sessions, and a limit on
//! failed attempts per account and per address.

pub mod password;
pub mod permissions;
pub mod sessions;
mod views;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;

use crate::app::AppState;
use crate::entities::{login_attempt, person, session};
use crate::people::rules::normalize_email;
use crate::web::ctx::{
    self, FlashKind, SESSION_COOKIE, append_cookie, cookie, redirect_with_flash,
};
use crate::web::extract::{Form, Query};
use crate::web::{AppResult, Ctx, safe_next};

/// Failed attempts allowed in the window, per account and per client address.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(sign_in_page).post(sign_in))
        .route("/deconnexion", post(sign_out))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    suite: String,
}

async fn sign_in_page(ctx: Ctx, Query(query): Query<NextQuery>) -> Response {
    if ctx.viewer.is_some() {
        return axum::response::Redirect::to(safe_next(&query.suite)).into_response();
    }
    views::sign_in(&ctx, "", safe_next(&query.suite), None).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
    suite: String,
}

async fn sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignInForm>,
) -> AppResult<Response> {
    let email = normalize_email(&form.email);
    let next = safe_next(&form.suite).to_string();
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    // Housekeeping, cheap and bounded: attempts older than a day and expired sessions go.
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(Utc::now() - Duration::days(1)))
        .exec(&state.db)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(Utc::now()))
        .exec(&state.db)
        .await?;
    let failures = |column: login_attempt::Column, value: String| {
        login_attempt::Entity::find()
            .filter(column.eq(value))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::AttemptedAt.gt(since))
            .count(&state.db)
    };
    let refuse = |status: StatusCode, message: &str| -> Response {
        (
            status,
            views::sign_in(&ctx, &form.email, &next, Some(message)),
        )
            .into_response()
    };
    if failures(login_attempt::Column::Ip, ctx.client_ip.clone()).await? >= MAX_FAILURES_PER_ADDRESS
    {
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Trop de tentatives de connexion échouées depuis cette adresse. Réessayez dans 15 minutes.",
        ));
    }
    if failures(login_attempt::Column::EmailNormalized, email.clone()).await?
        >= MAX_FAILURES_PER_ACCOUNT
    {
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Trop de tentatives de connexion échouées pour ce compte. Réessayez dans 15 minutes.",
        ));
    }

    let found = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(email.clone()))
        .one(&state.db)
        .await?;
    let stored = found.as_ref().and_then(|p| p.password_hash.clone());
    let password_ok = password::verify_async(form.password.clone(), stored).await;
    let person = found.filter(|p| password_ok && p.active);

    login_attempt::Entity::insert(login_attempt::ActiveModel {
        email_normalized: Set(email),
        ip: Set(ctx.client_ip.clone()),
        succeeded: Set(person.is_some()),
        attempted_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(&state.db)
    .await?;

    let Some(person) = person else {
        tracing::info!("connexion refusée");
        return Ok(refuse(
            StatusCode::UNAUTHORIZED,
            "Adresse e-mail ou mot de passe incorrect (ou compte désactivé).",
        ));
    };
    let token = sessions::create(&state.db, person.id).await?;
    tracing::info!(person_id = person.id, "connexion réussie");
    let mut response = redirect_with_flash(
        &next,
        FlashKind::Success,
        format!("Bienvenue, {}.", person.name),
    );
    append_cookie(
        response.headers_mut(),
        &cookie(
            SESSION_COOKIE,
            &token,
            Some(sessions::SESSION_DAYS * 24 * 3600),
            ctx.secure_cookies,
        ),
    );
    Ok(response)
}

async fn sign_out(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    if let Some(token) = ctx::cookie_value(&headers, SESSION_COOKIE) {
        sessions::delete(&state.db, token).await?;
    }
    let mut response = redirect_with_flash("/", FlashKind::Success, "Vous êtes déconnecté·e.");
    append_cookie(
        response.headers_mut(),
        &cookie(SESSION_COOKIE, "", Some(0), ctx.secure_cookies),
    );
    Ok(response)
}
