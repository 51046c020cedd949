//! One meeting as a file to download (the same UID as in the feeds and emails), served outside
//! the context middleware like the feeds: no CSRF, flash or session work, and never a cookie.
//! A public meeting is anyone's; a members-only one is checked against the session cookie, read
//! by one query that writes nothing (`sessions::peek`), under the same rule as its page. Files
//! are kept as written, under their ETag (`MeetingFiles`).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::conditional::{http_date, not_modified};
use crate::auth::permissions::{Action, allows};
use crate::auth::sessions;
use crate::calendar::ics::{self, Calendar, Method};
use crate::entities::meeting::Visibility;
use crate::entities::{agenda_item, meeting, occurrence_change, platform, working_group};
use crate::meetings::{self, Loaded};
use crate::state::AppState;
use crate::web::ctx::SESSION_COOKIE;
use crate::web::extract::Path;
use crate::web::{AppError, AppResult};

/// A public meeting costs one query (its validators) before its 304, or before its file as last
/// written; a members-only one adds where it belongs and who asks. The body is written only when
/// no copy under the current ETag is kept.
pub(super) async fn meeting_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (visibility, tag) = validators(&state, id).await?;
    let mut loaded = None;
    if !visibility.is_public() {
        let with_scope = meetings::load(&state, id).await?;
        let reference = with_scope.reference();
        let actor = match CookieJar::from_headers(&headers).get(SESSION_COOKIE) {
            Some(cookie) => {
                sessions::peek(
                    &state.db,
                    cookie.value(),
                    reference.platform.map(|p| p.id),
                    reference.group.map(|g| g.id),
                )
                .await?
            }
            None => None,
        };
        // As `Ctx::require` answers the meeting's page: sign in first, or 403.
        match actor {
            Some(actor) if allows(&actor, &Action::ViewMeeting(&reference)) => {}
            Some(_) => return Err(AppError::forbidden()),
            None => {
                return Err(AppError::Unauthorized {
                    next: uri
                        .path_and_query()
                        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string()),
                });
            }
        }
        loaded = Some(with_scope);
    }
    if not_modified(&headers, &[&tag.etag], Some(tag.modified)) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&tag.etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return Ok(r);
    }
    if let Some(body) = state.meeting_files.get(id, &tag.etag) {
        return Ok(file(id, &tag, body));
    }
    let loaded = match loaded {
        Some(loaded) => loaded,
        None => meetings::load(&state, id).await?,
    };
    // Named after the rows it is written from (they may be newer than the validators read).
    let tag = Tag::new(
        id,
        loaded.meeting.sequence,
        loaded.meeting.updated_at,
        loaded.platform.as_ref().map(|p| p.updated_at),
        loaded.group.as_ref().map(|g| g.updated_at),
    );
    let body = Bytes::from(write(&state, &loaded).await?);
    state.meeting_files.put(id, tag.etag.clone(), body.clone());
    Ok(file(id, &tag, body))
}

/// A meeting file's validators. Its text comes from the meeting (every change to it, its
/// programme or its occurrences moves its `updated_at`), from its platform's and group's names
/// (CATEGORIES: their `updated_at`) and from the server's configuration.
struct Tag {
    etag: String,
    modified: DateTime<Utc>,
}

impl Tag {
    fn new(
        id: i64,
        sequence: i32,
        updated_at: DateTime<Utc>,
        platform: Option<DateTime<Utc>>,
        group: Option<DateTime<Utc>>,
    ) -> Self {
        let micros = |t: Option<DateTime<Utc>>| t.map_or(0, |t| t.timestamp_micros());
        Self {
            etag: format!(
                "\"m{id}-{sequence}-{}-{}-{}\"",
                updated_at.timestamp_micros(),
                micros(platform),
                micros(group)
            ),
            modified: [platform, group]
                .into_iter()
                .flatten()
                .fold(updated_at, Ord::max),
        }
    }
}

/// Who may see meeting `id`, and its validators, in one query (404 if there is no such meeting).
async fn validators(state: &AppState, id: i64) -> AppResult<(Visibility, Tag)> {
    type Row = (
        Visibility,
        i32,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    );
    let row: Option<Row> = meeting::Entity::find_by_id(id)
        .select_only()
        .column(meeting::Column::Visibility)
        .column(meeting::Column::Sequence)
        .column(meeting::Column::UpdatedAt)
        .column_as(
            updated_of(
                platform::Entity,
                platform::Column::Id,
                platform::Column::UpdatedAt,
                meeting::Column::PlatformId,
            ),
            "platform_updated_at",
        )
        .column_as(
            updated_of(
                working_group::Entity,
                working_group::Column::Id,
                working_group::Column::UpdatedAt,
                meeting::Column::WorkingGroupId,
            ),
            "group_updated_at",
        )
        .into_tuple()
        .one(&state.db)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("réunion {id} : {e}")))?;
    let (visibility, sequence, updated_at, platform, group) = row.ok_or(AppError::NotFound)?;
    Ok((
        visibility,
        Tag::new(id, sequence, updated_at, platform, group),
    ))
}

/// `(SELECT updated_at FROM <table> WHERE <table>.id = meetings.<scope>)`.
fn updated_of<E: EntityTrait>(
    table: E,
    id: E::Column,
    updated_at: E::Column,
    scope: meeting::Column,
) -> Expr {
    Expr::SubQuery(
        None,
        Box::new(
            Query::select()
                .column((table, updated_at))
                .from(table)
                .and_where(Expr::col((table, id)).equals((meeting::Entity, scope)))
                .to_owned()
                .into(),
        ),
    )
}

/// The file as sent: to download, with its validators.
fn file(id: i64, tag: &Tag, body: Bytes) -> Response {
    let mut r = Body::from(body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"reunion-{id}.ics\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&tag.etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(tag.modified)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    r
}

/// The calendar of one meeting: its VEVENTs with its programme and changed occurrences.
async fn write(state: &AppState, loaded: &Loaded) -> AppResult<String> {
    let id = loaded.meeting.id;
    let agenda = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .order_by_asc(agenda_item::Column::Position)
        .all(&state.db)
        .await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    Ok(ics::write(&Calendar {
        name: loaded.meeting.title.clone(),
        description: None,
        method: Some(Method::Publish),
        feed: false,
        events: super::super::events(
            loaded,
            &agenda,
            &changes,
            &state.config.base_url,
            false,
            &super::super::organizer(&state.config),
        )?,
    }))
}
