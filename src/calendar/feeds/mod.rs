//! The feeds over HTTP: which meetings each feed holds, how a feed is built from its meetings'
//! VEVENTs (written once, rewritten when they change), conditional requests (a public feed's ETag
//! comes from the calendar version, a personal feed's from an aggregate over its meetings: a 304
//! never builds anything), gzip, and the personal tokens.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::cache::{CachedFeed, gzip_etag};
use crate::auth::permissions::{Action, Actor};
use crate::entities::{meeting, platform, reception_office};
use crate::platforms::platform_ref;
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::{AppError, AppResult};
pub use build::warm;
use build::{Shown, assemble, build, heads, show, splice};
use conditional::{not_modified, public_etag, respond};
use personal::{new_token, personal_feed, revoke_token, token_page};
use scope::{
    Asked, FeedAddress, Spec, moved, network_spec, parse_address, parse_slug, platform_spec,
    public_only,
};
use single::meeting_file;

mod build;
mod conditional;
mod personal;
mod scope;
mod single;

/// How far feeds reach: three months back, eighteen ahead (series are kept whole).
pub const DAYS_BACK: i64 = 92;
pub const DAYS_AHEAD: i64 = 548;

/// Feeds need no session, cookie or CSRF token: they are mounted outside the context middleware
/// (like `/healthz`), so a 304 costs one lookup of the calendar version and little else. A
/// meeting's .ics too: its permissions read the session cookie alone (see `single`).
pub fn feed_routes() -> Router<AppState> {
    Router::new()
        .route("/reunions/{id}/evenement.ics", get(meeting_file))
        .route("/agenda/reseau.ics", get(network_feed))
        .route("/agenda/plateformes/{file}", get(platform_feed))
        .route("/agenda/gt/{file}", get(group_feed))
        .route("/agenda/bureaux/{file}", get(office_feed))
        .route("/agenda/personnel/{file}", get(personal_feed))
}

/// The pages around feeds: the token page (it needs the session and CSRF).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/profil/agenda", get(token_page))
        .route("/profil/agenda/lien", post(new_token))
        .route("/profil/agenda/revoquer", post(revoke_token))
}

/// What a public feed kept in memory was built from, so that the next build after a change
/// rewrites only the meetings that changed.
pub struct Basis {
    spec: Arc<Spec>,
    /// The last change of the calendar's log it has seen.
    high_water: i64,
    shown: Vec<Shown>,
}

impl Basis {
    /// What it holds in memory (counted in the feed cache's byte bound).
    pub fn bytes(&self) -> usize {
        let spec = self.spec.name.len() + self.spec.description.len() + self.spec.filename.len();
        self.shown.capacity() * std::mem::size_of::<Shown>()
            + self
                .shown
                .iter()
                .map(|s| s.starts_at.capacity())
                .sum::<usize>()
            + spec
    }
}

/// Answers a public feed: from memory when it was built for the current calendar version (one
/// lookup, then a 304 or the kept bytes). Otherwise, if only meetings changed since it was built
/// today, it catches up from the change log, reading and rewriting those meetings alone; else
/// it is `resolve`d and built again (each meeting's VEVENTs still reused when unchanged). Only
/// feeds that exist are kept under `address` ("plateformes/emploi.ics"); a change that could
/// alter one otherwise than through its meetings is logged as "anything may have changed".
async fn public_feed(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    resolve: impl Future<Output = AppResult<Spec>>,
) -> AppResult<Response> {
    let (version, when) = super::version::current(&state.db).await?;
    let day = Utc::now().date_naive();
    let previous = state.feeds.get(address);
    if let Some(feed) = &previous
        && feed.version == version
        && feed.day == day
    {
        return Ok(respond_kept(state, headers, address, feed).await);
    }
    let mut earlier = None;
    if let Some(basis) = previous
        .filter(|f| f.day == day)
        .and_then(|f| f.basis.clone())
    {
        let (last, changed) = super::version::changed_since(&state.db, basis.high_water).await?;
        if let Some(changed) = changed {
            earlier = Some((basis, last, changed));
        }
    }
    // What the feed is built from is read after the log position it records.
    let (spec, high_water) = match &earlier {
        Some((basis, last, _)) => (Arc::clone(&basis.spec), *last),
        None => {
            let spec = Arc::new(resolve.await?);
            (spec, super::version::last_change(&state.db).await?)
        }
    };
    let etag = public_etag(state, &spec, &version, day);
    if not_modified(headers, &[&etag, &gzip_etag(&etag)], when) {
        // The client holds this version (built by another instance): nothing to build.
        let feed = CachedFeed::new(
            version,
            day,
            etag,
            when,
            spec.filename.clone(),
            Bytes::new(),
            None,
        );
        return Ok(respond(headers, &Arc::new(feed), false).await);
    }
    let (mut platforms, mut groups) = (HashMap::new(), HashMap::new());
    let shown = match earlier {
        Some((basis, _, changed)) => {
            let ids: Vec<i64> = changed.iter().copied().collect();
            let fresh = heads(state, &spec, Some(&ids)).await?;
            let fresh = show(state, &spec, fresh, &mut platforms, &mut groups).await?;
            splice(&basis.shown, &changed, fresh)
        }
        None => {
            let all = heads(state, &spec, None).await?;
            show(state, &spec, all, &mut platforms, &mut groups).await?
        }
    };
    let body = assemble(state, &spec, &shown, &mut platforms, &mut groups).await?;
    let feed = Arc::new(CachedFeed::new(
        version,
        day,
        etag,
        when,
        spec.filename.clone(),
        Bytes::from(body),
        Some(Arc::new(Basis {
            spec,
            high_water,
            shown,
        })),
    ));
    state.feeds.put(address, Arc::clone(&feed));
    Ok(respond_kept(state, headers, address, &feed).await)
}

/// Answers from a kept feed; if that computed its gzip form, the cache counts it.
async fn respond_kept(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    feed: &Arc<CachedFeed>,
) -> Response {
    let had_gzip = feed.has_gzip();
    let response = respond(headers, feed, false).await;
    if !had_gzip && feed.has_gzip() {
        state.feeds.reweigh(address, feed);
    }
    response
}

/// The text of a platform's public feed, as its address serves it (for benchmarks and tools).
pub async fn platform_feed_text(state: &AppState, p: &platform::Model) -> AppResult<String> {
    build(state, &platform_spec(p)).await
}

async fn network_feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    public_feed(&state, &headers, "reseau", async { Ok(network_spec()) }).await
}

async fn platform_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let address = match parse_address(&file, |s| parse_slug(s).map(FeedAddress::Platform))? {
        Asked::Feed(address) => address,
        Asked::MovedTo(location) => return moved(&location),
    };
    let FeedAddress::Platform(slug) = &address else {
        return Err(AppError::NotFound);
    };
    public_feed(&state, &headers, &address.canonical(), async {
        let p = crate::platforms::find_by_slug(&state, slug).await?;
        if !crate::auth::permissions::allows(
            &Actor::anonymous(),
            &Action::ViewPlatform(&platform_ref(&p)),
        ) {
            return Err(AppError::NotFound);
        }
        Ok(platform_spec(&p))
    })
    .await
}

async fn group_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let address = match parse_address(&file, |s| {
        // Digits (and a plus sign): "03" and "+3" are other spellings of "3"; "-3" is no group.
        if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit() || b == b'+') {
            return Err(AppError::NotFound);
        }
        s.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(FeedAddress::Group)
            .ok_or(AppError::NotFound)
    })? {
        Asked::Feed(address) => address,
        Asked::MovedTo(location) => return moved(&location),
    };
    let FeedAddress::Group(id) = address else {
        return Err(AppError::NotFound);
    };
    public_feed(&state, &headers, &address.canonical(), async {
        let (g, p) = crate::groups::find_with_platform(&state, id).await?;
        if !crate::auth::permissions::allows(
            &Actor::anonymous(),
            &Action::ViewPlatform(&platform_ref(&p)),
        ) {
            return Err(AppError::NotFound);
        }
        Ok(Spec {
            key: format!("gt:{}", g.id),
            name: format!("{} — agenda", g.name),
            description: format!(
                "Les réunions publiques du groupe de travail {} ({}).",
                g.name, p.name
            ),
            filename: format!("gt-{}.ics", g.id),
            condition: public_only().add(meeting::Column::WorkingGroupId.eq(g.id)),
            actor: None,
        })
    })
    .await
}

async fn office_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> AppResult<Response> {
    let address = match parse_address(&file, |s| parse_slug(s).map(FeedAddress::Office))? {
        Asked::Feed(address) => address,
        Asked::MovedTo(location) => return moved(&location),
    };
    let FeedAddress::Office(slug) = &address else {
        return Err(AppError::NotFound);
    };
    public_feed(&state, &headers, &address.canonical(), async {
        // Offices are reference data (no route changes them).
        let office = reception_office::Entity::find()
            .filter(reception_office::Column::Slug.eq(slug.as_str()))
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Spec {
            key: format!("bureau:{}", office.id),
            name: format!("Bureau d'accueil de {} — agenda", office.name),
            description: format!(
                "Permanences et réunions publiques sur le territoire du bureau d'accueil de {}.",
                office.name
            ),
            filename: format!("bureau-{}.ics", office.slug),
            condition: public_only().add(meeting::Column::OfficeId.eq(office.id)),
            actor: None,
        })
    })
    .await
}

#[cfg(test)]
mod tests;
