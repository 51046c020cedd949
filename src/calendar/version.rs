//! The calendar version: one row in `settings`, rewritten (by database triggers) with every change
//! that can alter a public feed (a meeting, its programme or occurrences, a platform's or group's
//! name). Public feeds derive their ETag from it with one primary-key lookup, so a 304 costs about
//! what `/healthz` costs, and every instance sharing the database agrees. Built feeds are kept in memory under that version
//! (`super::cache`), and the change log (`calendar_changes`) tells them what to rewrite.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

use crate::entities::calendar_change;

const KEY: &str = "calendar_version";

// Written by the database, not here: triggers on every table a feed reads (migration
// `m20261130_000008_feed_triggers`) rewrite the version row, then insert the change log row, in
// the transaction of the change, whoever writes it. A meeting's change logs its id; a
// platform's, group's or office's logs "anything may have changed".

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
