//! Signing in and out: email and password (argon2id), server-side sessions, and limits on
//! failed attempts per (account, address) and per address (`throttle`).

pub mod password;
pub mod permissions;
pub mod sessions;
pub mod throttle;
mod views;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use crate::auth::throttle::Refusal;
use crate::entities::{person, session};
use crate::state::AppState;
use crate::web::ctx::{self, FlashKind, SESSION_COOKIE, redirect_with_flash};
use crate::web::email::normalize_email;
use crate::web::extract::{Form, Query};
use crate::web::{AppResult, Ctx, safe_next};

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
    // Housekeeping, cheap and bounded: old attempts and expired sessions go.
    throttle::forget_old(&state.db).await?;
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(Utc::now()))
        .exec(&state.db)
        .await?;
    let refuse = |status: StatusCode, message: &str| -> Response {
        (
            status,
            views::sign_in(&ctx, &form.email, &next, Some(message)),
        )
            .into_response()
    };
    // The attempt is written (as a failure) before the password is checked: simultaneous
    // attempts each see the others, and at most the allowed number reach the check.
    let attempt = match throttle::reserve(&state.db, &email, &ctx.client_ip).await? {
        Ok(attempt) => attempt,
        Err(refusal) => {
            tracing::info!("connexion refusée : trop d'échecs");
            let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, &refusal_message(&refusal));
            let secs = refusal.retry_after().num_seconds().max(1);
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return Ok(response);
        }
    };

    let found = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(email.clone()))
        .one(&state.db)
        .await?;
    let stored = found.as_ref().and_then(|p| p.password_hash.clone());
    let password_ok = password::verify_async(form.password.clone(), stored).await;
    let person = found.filter(|p| password_ok && p.active);

    let Some(person) = person else {
        tracing::info!("connexion refusée");
        return Ok(refuse(
            StatusCode::UNAUTHORIZED,
            "Adresse e-mail ou mot de passe incorrect (ou compte désactivé).",
        ));
    };
    throttle::succeeded(&state.db, attempt).await?;
    let token = sessions::create(&state.db, person.id).await?;
    tracing::info!(person_id = person.id, "connexion réussie");
    let response = redirect_with_flash(
        &next,
        FlashKind::Success,
        format!("Bienvenue, {}.", person.name),
    );
    let jar = CookieJar::new().add(ctx::session_cookie(&token, ctx.secure_cookies));
    Ok((jar, response).into_response())
}

/// "Réessayez dans 3 minutes" (rounded up: never sooner than allowed).
fn refusal_message(refusal: &Refusal) -> String {
    let minutes = (refusal.retry_after().num_seconds().max(1) + 59) / 60;
    let wait = if minutes <= 1 {
        "1 minute".to_string()
    } else {
        format!("{minutes} minutes")
    };
    match refusal {
        Refusal::Address { .. } => format!(
            "Trop de tentatives de connexion échouées depuis cette adresse. Réessayez dans {wait}."
        ),
        Refusal::Account { .. } => format!(
            "Trop de tentatives de connexion échouées pour ce compte depuis cette adresse. Réessayez dans {wait}."
        ),
    }
}

async fn sign_out(State(state): State<AppState>, ctx: Ctx, jar: CookieJar) -> AppResult<Response> {
    if let Some(token) = jar.get(SESSION_COOKIE).map(Cookie::value) {
        sessions::delete(&state.db, token).await?;
    }
    let response = redirect_with_flash("/", FlashKind::Success, "Vous êtes déconnecté·e.");
    let jar = CookieJar::new().add(ctx::removal(SESSION_COOKIE, ctx.secure_cookies));
    Ok((jar, response).into_response())
}
