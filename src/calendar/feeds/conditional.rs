//! Conditional requests: validators (ETag, Last-Modified) from one aggregate query, 304s, gzip.

use super::scope::{Spec, window};
use crate::calendar::cache::CachedFeed;
use crate::entities::{meeting, platform, working_group};
use crate::state::AppState;
use crate::web::AppResult;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{EntityTrait, ExprTrait, QueryFilter, QuerySelect};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// COUNT, MAX(updated_at), SUM(sequence), SUM(id) of a feed's meetings, then the latest
/// MAX(updated_at) of all platforms and of all working groups.
pub(super) type Aggregate = (
    i64,
    Option<DateTime<Utc>>,
    Option<i64>,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// `(SELECT MAX(updated_at) FROM <table>)`, as a column of another query.
pub(super) fn latest_update<E: EntityTrait>(entity: E, updated_at: E::Column) -> Expr {
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .expr(Expr::col((entity, updated_at)).max())
                .from(entity)
                .to_owned()
                .into(),
        ),
    )
}

/// A strong validator and a date, from one aggregate query: a 304 costs this and nothing more.
pub(super) async fn validators(
    state: &AppState,
    spec: &Spec,
) -> AppResult<(String, Option<DateTime<Utc>>)> {
    // Platform and group names appear in CATEGORIES: their changes count too (read by the same
    // query, in one round trip).
    let row: Option<Aggregate> = meeting::Entity::find()
        .select_only()
        .column_as(Expr::col(meeting::Column::Id).count(), "n")
        .column_as(Expr::col(meeting::Column::UpdatedAt).max(), "last")
        .column_as(
            Expr::col(meeting::Column::Sequence).sum().cast_as("BIGINT"),
            "seq",
        )
        .column_as(
            Expr::col(meeting::Column::Id).sum().cast_as("BIGINT"),
            "ids",
        )
        .column_as(
            latest_update(platform::Entity, platform::Column::UpdatedAt),
            "platforms_last",
        )
        .column_as(
            latest_update(working_group::Entity, working_group::Column::UpdatedAt),
            "groups_last",
        )
        .filter(spec.condition.clone())
        .filter(window())
        .into_tuple()
        .one(&state.db)
        .await?;
    let (count, last, seq, ids, platforms_last, groups_last) =
        row.unwrap_or((0, None, None, None, None, None));
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}|{}|{count}|{last:?}|{seq:?}|{ids:?}|{platforms_last:?}|{groups_last:?}|{}",
        spec.key,
        state.config.base_url,
        // The window moves each day.
        Utc::now().date_naive()
    ));
    let digest = hasher.finalize();
    let etag = format!(
        "\"{}\"",
        digest
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let modified = [last, platforms_last, groups_last]
        .into_iter()
        .flatten()
        .max();
    Ok((etag, modified))
}

/// Whether the client's copy is current: If-None-Match against any of `etags` (weak
/// comparison, RFC 9110 §13.1.2), else If-Modified-Since.
pub(super) fn not_modified(
    headers: &HeaderMap,
    etags: &[&str],
    modified: Option<DateTime<Utc>>,
) -> bool {
    if let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return value
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || etags.contains(&t));
    }
    match (
        headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok()),
        modified,
    ) {
        (Some(since), Some(modified)) => DateTime::parse_from_rfc2822(since)
            .map(|since| modified.timestamp() <= since.timestamp())
            .unwrap_or(false),
        _ => false,
    }
}

/// Whether the client takes gzip (`Accept-Encoding`, with `q=0` meaning no).
pub(super) fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|p| {
                    let (key, value) = p.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| value.trim().parse::<f32>().ok())
                        .flatten()
                })
                .next()
                .unwrap_or(1.0);
            (coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip"))
                && weight > 0.0
        })
}

pub(super) fn http_date(value: DateTime<Utc>) -> String {
    value.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// ETag of a public feed: its identity, the server's address, the calendar version, the day.
pub(super) fn public_etag(state: &AppState, spec: &Spec, version: &str, day: NaiveDate) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}|{}|{version}|{day}",
        spec.key, state.config.base_url
    ));
    let digest = hasher.finalize();
    let tag: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{tag}\"")
}

/// 304 when the client's copy is current, else the calendar inline, gzip-compressed when the
/// client takes it (kept compressed for public feeds). The ETag names the representation sent.
pub(super) async fn respond(
    headers: &HeaderMap,
    feed: &Arc<CachedFeed>,
    private: bool,
) -> Response {
    let gzip_tag = feed.gzip_etag();
    let wants_gzip = accepts_gzip(headers);
    let (mut response, tag) = if not_modified(headers, &[&feed.etag, &gzip_tag], feed.modified) {
        let tag = if wants_gzip {
            gzip_tag
        } else {
            feed.etag.clone()
        };
        (StatusCode::NOT_MODIFIED.into_response(), tag)
    } else {
        let compressed = if wants_gzip { feed.gzip().await } else { None };
        let encoded = compressed.is_some();
        let body = compressed.unwrap_or_else(|| feed.body.clone());
        let mut r = axum::body::Body::from(body).into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/calendar; charset=utf-8"),
        );
        if encoded {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", feed.filename)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        let tag = if encoded { gzip_tag } else { feed.etag.clone() };
        (r, tag)
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    if let Some(modified) = feed.modified
        && let Ok(v) = HeaderValue::from_str(&http_date(modified))
    {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if private {
            "private, max-age=300"
        } else {
            "public, max-age=300"
        }),
    );
    if private {
        h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    }
    response
}
