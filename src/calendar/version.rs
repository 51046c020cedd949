//! The calendar version: one row in `settings`, rewritten by every change that can alter a public
//! feed (a meeting, its occurrences, a platform's or group's name). Public feeds derive their
//! ETag from it with one primary-key lookup, so a 304 costs about what `/healthz` costs, and every
//! instance sharing the database agrees. Built feeds are kept in memory under that version
//! (`super::cache`), and the change log (`calendar_changes`) tells them what to rewrite.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};

use crate::entities::{calendar_change, setting};

const KEY: &str = "calendar_version";

/// Marks every public feed as changed, anything in it possibly (a platform, a group, an
/// import): feeds kept in memory are built again. Call it inside the transaction of the change.
pub async fn bump(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    record(db, None).await
}

/// Marks one meeting as changed (its fields, programme or occurrences; created or deleted):
/// feeds kept in memory rewrite that meeting alone. Call it inside the transaction of the change.
pub async fn meeting_changed(db: &impl ConnectionTrait, meeting_id: i64) -> Result<(), DbErr> {
    record(db, Some(meeting_id)).await
}

/// A change log row older than this serves no one (feeds kept in memory are rebuilt each day).
const LOG_DAYS: i64 = 3;

async fn record(db: &impl ConnectionTrait, meeting_id: Option<i64>) -> Result<(), DbErr> {
    let now = Utc::now();
    let value = format!("{}|{}", now.to_rfc3339(), uuid::Uuid::new_v4().simple());
    // The version row first: its lock, held until commit, orders the log rows below by commit
    // (a reader that saw row n has seen every change before it).
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
    calendar_change::Entity::insert(calendar_change::ActiveModel {
        meeting_id: Set(meeting_id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    calendar_change::Entity::delete_many()
        .filter(calendar_change::Column::CreatedAt.lt(now - Duration::days(LOG_DAYS)))
        .exec(db)
        .await?;
    Ok(())
}

/// The id of the last change (0 before any): read before what a feed is built from.
pub async fn last_change(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let last: Option<Option<i64>> = calendar_change::Entity::find()
        .select_only()
        .column_as(Expr::col(calendar_change::Column::Id).max(), "last")
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// What changed after change `after`: the last change's id, and the meetings changed — None
/// when anything may have changed.
pub async fn changed_since(
    db: &impl ConnectionTrait,
    after: i64,
) -> Result<(i64, Option<BTreeSet<i64>>), DbErr> {
    let rows: Vec<(i64, Option<i64>)> = calendar_change::Entity::find()
        .select_only()
        .columns([
            calendar_change::Column::Id,
            calendar_change::Column::MeetingId,
        ])
        .filter(calendar_change::Column::Id.gt(after))
        .order_by_asc(calendar_change::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let last = rows.last().map_or(after, |(id, _)| *id);
    let meetings: Option<BTreeSet<i64>> = rows.into_iter().map(|(_, meeting)| meeting).collect();
    Ok((last, meetings))
}

/// The current version and when it was set (None before the first change).
pub async fn current(db: &impl ConnectionTrait) -> Result<(String, Option<DateTime<Utc>>), DbErr> {
    // One column of one row by primary key: this is all a 304 costs (the SQL is written once,
    // not built for each request).
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT value FROM settings WHERE key = $1",
        _ => "SELECT value FROM settings WHERE key = ?",
    };
    let value: String = match db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [KEY.into()]))
        .await?
    {
        Some(row) => row.try_get_by_index(0)?,
        None => String::new(),
    };
    let when = value
        .split('|')
        .next()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    Ok((value, when))
}
