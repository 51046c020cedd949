//! One meeting as a file to download (the same UID as in the feeds and emails), served outside
//! the context middleware like the feeds: no CSRF, flash or session work, and never a cookie.
//! A public meeting is anyone's; a members-only one is checked against the session cookie, read
//! by one query that writes nothing (`sessions::peek`), under the same rule as its page.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::conditional::{http_date, not_modified};
use crate::auth::permissions::{Action, allows};
use crate::auth::sessions;
use crate::calendar::ics::{self, Calendar, Method};
use crate::entities::{agenda_item, meeting, occurrence_change};
use crate::meetings::{self, Loaded};
use crate::state::AppState;
use crate::web::ctx::SESSION_COOKIE;
use crate::web::extract::Path;
use crate::web::{AppError, AppResult};

/// A public meeting costs one query before its 304 (its row); a members-only one adds where it
/// belongs and who asks. The body is written only after the client's copy is found stale.
pub(super) async fn meeting_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let m = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("réunion {id} : {e}")))?
        .ok_or(AppError::NotFound)?;
    let mut loaded = None;
    if !m.visibility.is_public() {
        let with_scope = attach(&state, m.clone()).await?;
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
    let etag = format!(
        "\"m{}-{}-{}\"",
        m.id,
        m.sequence,
        m.updated_at.timestamp_micros()
    );
    let modified = m.updated_at;
    if not_modified(&headers, &[&etag], Some(modified)) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return Ok(r);
    }
    let loaded = match loaded {
        Some(loaded) => loaded,
        None => attach(&state, m).await?,
    };
    let body = write(&state, &loaded).await?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"reunion-{id}.ics\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(modified)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    Ok(r)
}

/// The meeting with its platform and group, as `meetings::load` gives it.
async fn attach(state: &AppState, m: meeting::Model) -> AppResult<Loaded> {
    meetings::attach(state, vec![m])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
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
