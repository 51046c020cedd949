//! Server-side sessions: the cookie holds a random token, the database only its SHA-256.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::auth::permissions::Actor;
use crate::entities::role::Role;
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

/// The person behind a session token, reduced to what one permission check needs: whether they
/// are an administrator, and their roles in `platform` and in `group` only (other memberships
/// are left out of the `Actor`). One query, and nothing written: an unknown or expired session,
/// or a deactivated person, is simply nobody (the session is neither renewed nor removed here;
/// the next page through the context middleware clears its cookie). For the answers served
/// outside that middleware, which may set no cookie.
pub async fn peek(
    db: &impl ConnectionTrait,
    token: &str,
    platform: Option<i64>,
    group: Option<i64>,
) -> Result<Option<Actor>, sea_orm::DbErr> {
    let query: SelectStatement = Query::select()
        .column((person::Entity, person::Column::Id))
        .column((person::Entity, person::Column::IsAdmin))
        .column((session::Entity, session::Column::ExpiresAt))
        .expr(role_in(
            platform_membership::Entity,
            platform_membership::Column::PlatformId,
            platform_membership::Column::PersonId,
            platform_membership::Column::Role,
            platform,
        ))
        .expr(role_in(
            group_membership::Entity,
            group_membership::Column::WorkingGroupId,
            group_membership::Column::PersonId,
            group_membership::Column::Role,
            group,
        ))
        .from(session::Entity)
        .inner_join(
            person::Entity,
            Expr::col((person::Entity, person::Column::Id))
                .equals((session::Entity, session::Column::PersonId)),
        )
        .and_where(Expr::col((session::Entity, session::Column::TokenHash)).eq(hash_token(token)))
        .and_where(Expr::col((person::Entity, person::Column::Active)).eq(true))
        .to_owned();
    let Some(row) = db.query_one(&query).await? else {
        return Ok(None);
    };
    let person_id: i64 = row.try_get_by_index(0)?;
    let is_admin: bool = row.try_get_by_index(1)?;
    let expires_at: DateTime<Utc> = row.try_get_by_index(2)?;
    if expires_at <= Utc::now() {
        return Ok(None);
    }
    let platform_role: Option<Role> = row.try_get_by_index(3)?;
    let group_role: Option<Role> = row.try_get_by_index(4)?;
    Ok(Some(Actor {
        person_id: Some(person_id),
        is_admin,
        platforms: platform.zip(platform_role).into_iter().collect(),
        groups: group.zip(group_role).into_iter().collect(),
    }))
}

/// `(SELECT role FROM <memberships> WHERE person_id = persons.id AND <scope> = id)`, or NULL
/// without an id: a column of `peek`'s one query.
fn role_in<E: EntityTrait>(
    memberships: E,
    scope: E::Column,
    person_id: E::Column,
    role: E::Column,
    id: Option<i64>,
) -> Expr {
    let Some(id) = id else {
        return Expr::cust("NULL");
    };
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column((memberships, role))
                .from(memberships)
                .and_where(
                    Expr::col((memberships, person_id))
                        .equals((person::Entity, person::Column::Id)),
                )
                .and_where(Expr::col((memberships, scope)).eq(id))
                .to_owned()
                .into(),
        ),
    )
}
