//! The personal feed: the meetings it holds, its token-addressed answer, and the token pages.

use super::build::build;
use super::conditional::{not_modified, respond, validators};
use super::scope::{Spec, strip_ics};
use crate::auth::sessions::{actor_for, hash_token};
use crate::calendar::cache::{CachedFeed, gzip_etag};
use crate::entities::registration::RegistrationStatus;
use crate::entities::{
    feed_token, group_membership, meeting, person, platform_membership, registration,
};
use crate::state::AppState;
use crate::web::ctx::random_token;
use crate::web::extract::Path;
use crate::web::layout::page;
use crate::web::{AppError, AppResult, Ctx};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use std::sync::Arc;

/// The meetings a person's feed holds: their platforms' and groups' meetings, and those they
/// registered for (members-only included, each checked against what they may see).
pub(super) async fn personal_spec(state: &AppState, person: &person::Model) -> AppResult<Spec> {
    let actor = actor_for(&state.db, person).await?;
    let platforms: Vec<i64> = platform_membership::Entity::find()
        .filter(platform_membership::Column::PersonId.eq(person.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| m.platform_id)
        .collect();
    let groups: Vec<i64> = group_membership::Entity::find()
        .filter(group_membership::Column::PersonId.eq(person.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| m.working_group_id)
        .collect();
    let registered: Vec<i64> = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(person.id))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.meeting_id)
        .collect();
    let condition = Condition::any()
        .add(meeting::Column::WorkingGroupId.is_in(groups))
        .add(
            Condition::all()
                .add(meeting::Column::WorkingGroupId.is_null())
                .add(meeting::Column::PlatformId.is_in(platforms)),
        )
        .add(meeting::Column::Id.is_in(registered));
    Ok(Spec {
        key: format!("personnel:{}", person.id),
        name: format!("maillage — agenda de {}", person.name),
        description: "Vos plateformes, vos groupes de travail et vos inscriptions.".into(),
        filename: "mon-agenda.ics".into(),
        condition,
        actor: Some(actor),
    })
}

pub(super) async fn personal_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let token = strip_ics(&file)?;
    let Some(row) = feed_token::Entity::find()
        .filter(feed_token::Column::TokenHash.eq(hash_token(token)))
        .one(&state.db)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let person = person::Entity::find_by_id(row.person_id)
        .one(&state.db)
        .await?
        .filter(|p| p.active)
        .ok_or(AppError::NotFound)?;
    let spec = personal_spec(&state, &person).await?;
    // Not kept in memory: memberships and registrations change it too. Validators come from
    // an aggregate over its meetings; its VEVENTs come from the fragment cache all the same.
    let (etag, modified) = validators(&state, &spec).await?;
    let day = Utc::now().date_naive();
    let body = if not_modified(&headers, &[&etag, &gzip_etag(&etag)], modified) {
        Bytes::new()
    } else {
        Bytes::from(build(&state, &spec).await?)
    };
    let feed = Arc::new(CachedFeed::new(
        String::new(),
        day,
        etag,
        modified,
        spec.filename,
        body,
        None,
    ));
    Ok(respond(&headers, &feed, true).await)
}

pub(super) async fn token_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let me = ctx.signed_in()?;
    let existing = feed_token::Entity::find()
        .filter(feed_token::Column::PersonId.eq(me.id))
        .one(&state.db)
        .await?;
    Ok(page(
        &ctx,
        "Mon agenda",
        crate::calendar::views::token_page(&ctx, existing.as_ref(), None, &state.config.base_url),
    )
    .into_response())
}

/// Creates (or replaces) the person's token and shows the address once: only its hash is kept.
pub(super) async fn new_token(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let me = ctx.signed_in()?.clone();
    let token = random_token();
    let txn = crate::db::begin_write(&state.db).await?;
    feed_token::Entity::delete_many()
        .filter(feed_token::Column::PersonId.eq(me.id))
        .exec(&txn)
        .await?;
    let created = sea_orm::ActiveModelTrait::insert(
        feed_token::ActiveModel {
            person_id: Set(me.id),
            token_hash: Set(hash_token(&token)),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
        &txn,
    )
    .await?;
    crate::audit::record(
        &txn,
        Some(me.id),
        "créer un lien d'agenda",
        "personne",
        Some(me.id),
        "Lien d'agenda personnel (re)généré",
    )
    .await?;
    txn.commit().await?;
    let url = format!("{}/agenda/personnel/{token}.ics", state.config.base_url);
    let mut response = page(
        &ctx,
        "Mon agenda",
        crate::calendar::views::token_page(
            &ctx,
            Some(&created),
            Some(&url),
            &state.config.base_url,
        ),
    )
    .into_response();
    // The page holds a secret: never keep it in a cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub(super) async fn revoke_token(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let me = ctx.signed_in()?.clone();
    let txn = crate::db::begin_write(&state.db).await?;
    feed_token::Entity::delete_many()
        .filter(feed_token::Column::PersonId.eq(me.id))
        .exec(&txn)
        .await?;
    crate::audit::record(
        &txn,
        Some(me.id),
        "révoquer un lien d'agenda",
        "personne",
        Some(me.id),
        "Lien d'agenda personnel révoqué",
    )
    .await?;
    txn.commit().await?;
    Ok(crate::web::ctx::redirect_with_flash(
        "/profil/agenda",
        crate::web::ctx::FlashKind::Success,
        "Votre lien d'agenda est révoqué : les calendriers qui l'utilisaient ne recevront plus rien.",
    ))
}
