//! The calendar version: one row in `settings`, rewritten by every change that can alter a public
//! feed (a meeting, its occurrences, a platform's or group's name). Public feeds derive their
//! ETag from it with one primary-key lookup, so a 304 costs about what `/healthz` costs, and every
//! instance sharing the database agrees. Built feeds are kept in memory under that version
//! (`super::cache`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect, Set};

use crate::entities::setting;

const KEY: &str = "calendar_version";

/// Marks every public feed as changed. Call it inside the transaction of the change.
pub async fn bump(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let value = format!(
        "{}|{}",
        Utc::now().to_rfc3339(),
        uuid::Uuid::new_v4().simple()
    );
    setting::Entity::insert(setting::ActiveModel {
        key: Set(KEY.to_string()),
        value: Set(value),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The current version and when it was set (None before the first change).
pub async fn current(db: &impl ConnectionTrait) -> Result<(String, Option<DateTime<Utc>>), DbErr> {
    // One column of one row by primary key: this is all a 304 costs.
    let value: String = setting::Entity::find_by_id(KEY.to_string())
        .select_only()
        .column(setting::Column::Value)
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or_default();
    let when = value
        .split('|')
        .next()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    Ok((value, when))
}
