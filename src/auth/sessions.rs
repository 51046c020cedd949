//! Server-side sessions: the cookie holds a random token, the database only its SHA-256.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::auth::permissions::Actor;
use crate::entities::{group_membership, person, platform_membership, session};
use crate::web::token::random_token;

pub const SESSION_DAYS: i64 = 14;

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a session; returns the token for the cookie.
pub async fn create(db: &impl ConnectionTrait, person_id: i64) -> Result<String, sea_orm::DbErr> {
    let token = random_token();
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        person_id: Set(person_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

pub async fn delete(db: &impl ConnectionTrait, token: &str) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a person (deactivated, or password changed by an administrator).
pub async fn delete_all_for(
    db: &impl ConnectionTrait,
    person_id: i64,
) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The signed-in person behind a token and what they may do; `None` if the session is unknown,
/// expired, or the person was deactivated.
pub async fn load(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(person::Model, Actor)>, sea_orm::DbErr> {
    let Some(session) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if session.expires_at <= Utc::now() {
        session::Entity::delete_by_id(session.id).exec(db).await?;
        return Ok(None);
    }
    let Some(person) = person::Entity::find_by_id(session.person_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !person.active {
        return Ok(None);
    }
    let actor = actor_for(db, &person).await?;
    Ok(Some((person, actor)))
}

pub async fn actor_for(
    db: &impl ConnectionTrait,
    person: &person::Model,
) -> Result<Actor, sea_orm::DbErr> {
    let platforms = platform_membership::Entity::find()
        .filter(platform_membership::Column::PersonId.eq(person.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.platform_id, m.role))
        .collect();
    let groups = group_membership::Entity::find()
        .filter(group_membership::Column::PersonId.eq(person.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.working_group_id, m.role))
        .collect();
    Ok(Actor {
        person_id: Some(person.id),
        is_admin: person.is_admin,
        platforms,
        groups,
    })
}
