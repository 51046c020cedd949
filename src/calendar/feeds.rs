//! The feeds over HTTP: which meetings each feed holds, how a feed is built from its meetings'
//! VEVENTs (written once, rewritten when they change), conditional requests (a public feed's ETag
//! comes from the calendar version, a personal feed's from an aggregate over its meetings: a 304
//! never builds anything), gzip, and the personal tokens.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::body::Bytes;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use super::cache::{CachedFeed, FragmentKey, Stamp, gzip_etag};
use super::ics::{self, Calendar, Method};
use crate::app::AppState;
use crate::auth::permissions::{Action, Actor};
use crate::auth::sessions::{actor_for, hash_token};
use crate::entities::{
    agenda_item, feed_token, group_membership, meeting, occurrence_change, person, platform,
    platform_membership, reception_office, registration, working_group,
};
use crate::meetings::{self, Loaded};
use crate::platforms::platform_ref;
use crate::web::ctx::random_token;
use crate::web::extract::Path;
use crate::web::layout::page;
use crate::web::{AppError, AppResult, Ctx};

/// How far feeds reach: three months back, eighteen ahead (series are kept whole).
pub const DAYS_BACK: i64 = 92;
pub const DAYS_AHEAD: i64 = 548;

/// Feeds need no session, cookie or CSRF token: they are mounted outside the context middleware
/// (like `/healthz`), so a 304 costs one lookup of the calendar version and little else.
pub fn feed_routes() -> Router<AppState> {
    Router::new()
        .route("/agenda/reseau.ics", get(network_feed))
        .route("/agenda/plateformes/{file}", get(platform_feed))
        .route("/agenda/gt/{file}", get(group_feed))
        .route("/agenda/bureaux/{file}", get(office_feed))
        .route("/agenda/personnel/{file}", get(personal_feed))
}

/// The pages around feeds: a meeting's .ics (permissions need the session) and the token page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions/{id}/evenement.ics", get(meeting_file))
        .route("/profil/agenda", get(token_page))
        .route("/profil/agenda/lien", post(new_token))
        .route("/profil/agenda/revoquer", post(revoke_token))
}

/// "name.ics" → "name"; anything else is not a feed.
fn strip_ics(file: &str) -> AppResult<&str> {
    file.strip_suffix(".ics")
        .filter(|s| !s.is_empty())
        .ok_or(AppError::NotFound)
}

/// A public feed's address, parsed: the cache key and the one address that serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FeedAddress {
    Platform(String),
    Group(i64),
    Office(String),
}

impl FeedAddress {
    /// The address as served ("plateformes/emploi.ics"), also its key in the feed cache.
    fn canonical(&self) -> String {
        match self {
            FeedAddress::Platform(slug) => format!("plateformes/{slug}.ics"),
            FeedAddress::Group(id) => format!("gt/{id}.ics"),
            FeedAddress::Office(slug) => format!("bureaux/{slug}.ics"),
        }
    }
}

/// A slug as `slugify` writes them (lower-case ASCII letters, digits, hyphens), read
/// case-insensitively; anything else names no feed.
fn parse_slug(text: &str) -> AppResult<String> {
    if text.len() > 100 || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::NotFound);
    }
    Ok(text.to_ascii_lowercase())
}

/// What a request for `/agenda/{room}/{file}` asks for.
enum Asked {
    /// A feed, at its canonical address.
    Feed(FeedAddress),
    /// A feed, under another spelling ("03.ics", "+3.ics", "Emploi.ics"): the canonical path.
    MovedTo(String),
}

/// What `file` names under `/agenda/{room}/` (NotFound when it names no feed): so each feed is
/// built and kept once, under one key, and other spellings are sent there.
fn parse_address(file: &str, read: impl Fn(&str) -> AppResult<FeedAddress>) -> AppResult<Asked> {
    let address = read(strip_ics(file)?)?;
    let canonical = address.canonical();
    Ok(if canonical.rsplit('/').next() == Some(file) {
        Asked::Feed(address)
    } else {
        Asked::MovedTo(format!("/agenda/{canonical}"))
    })
}

/// A permanent redirect: calendar clients update the subscription.
fn moved(location: &str) -> AppResult<Response> {
    let location = HeaderValue::from_str(location).map_err(|_| AppError::NotFound)?;
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    Ok(response)
}

/// What a feed holds.
struct Spec {
    /// Identifies the feed in its ETag.
    key: String,
    name: String,
    description: String,
    filename: String,
    condition: Condition,
    /// Personal feeds: who it is for (members-only meetings allowed, marked private).
    actor: Option<Actor>,
}

fn window() -> Condition {
    let now = Utc::now();
    let from = now - Duration::days(DAYS_BACK);
    let to = now + Duration::days(DAYS_AHEAD);
    Condition::all().add(meeting::Column::StartsAt.lt(to)).add(
        Condition::any()
            .add(
                Condition::all()
                    .add(meeting::Column::Rrule.is_null())
                    .add(meeting::Column::EndsAt.gt(from)),
            )
            .add(
                Condition::all()
                    .add(meeting::Column::Rrule.is_not_null())
                    .add(
                        Condition::any()
                            .add(meeting::Column::SeriesEndsAt.is_null())
                            .add(meeting::Column::SeriesEndsAt.gt(from)),
                    ),
            ),
    )
}

fn public_only() -> Condition {
    Condition::all().add(meeting::Column::Visibility.eq("public"))
}

/// COUNT, MAX(updated_at), SUM(sequence), SUM(id) of a feed's meetings, then the latest
/// MAX(updated_at) of all platforms and of all working groups.
type Aggregate = (
    i64,
    Option<DateTime<Utc>>,
    Option<i64>,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// `(SELECT MAX(updated_at) FROM <table>)`, as a column of another query.
fn latest_update<E: EntityTrait>(entity: E, updated_at: E::Column) -> Expr {
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
async fn validators(state: &AppState, spec: &Spec) -> AppResult<(String, Option<DateTime<Utc>>)> {
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
fn not_modified(headers: &HeaderMap, etags: &[&str], modified: Option<DateTime<Utc>>) -> bool {
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
fn accepts_gzip(headers: &HeaderMap) -> bool {
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

fn http_date(value: DateTime<Utc>) -> String {
    value.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The columns that tell which meetings a feed holds, in which order, and whether their written
/// VEVENTs are current: id, starts_at, updated_at, sequence, visibility, platform, group. The
/// two instants are read as the database writes them (text): parsing thousands of them would
/// cost more than the rest of the query, and they are only compared.
type Head = (i64, String, String, i32, String, Option<i64>, Option<i64>);

/// At most this many ids in one `IN (…)`.
const CHUNK: usize = 500;

/// One meeting of a feed: where it sorts, which text, written from what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The start as the database writes it: instants are kept in UTC, so these sort as the
    /// instants do (and the order of VEVENTs in a calendar means nothing to its readers).
    starts_at: String,
    key: FragmentKey,
    stamp: Stamp,
}

fn stamp(
    updated_at: &str,
    sequence: i32,
    platform: Option<&platform::Model>,
    group: Option<&working_group::Model>,
) -> Stamp {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(updated_at, &mut hasher);
    Stamp {
        updated_at: std::hash::Hasher::finish(&hasher),
        sequence,
        platform: platform.map(|p| p.updated_at.timestamp_micros()),
        group: group.map(|g| g.updated_at.timestamp_micros()),
    }
}

type Platforms = HashMap<i64, platform::Model>;
type Groups = HashMap<i64, working_group::Model>;

/// Loads into `platforms` and `groups` those of `wanted` not there yet.
async fn load_scopes(
    state: &AppState,
    wanted: impl Iterator<Item = (Option<i64>, Option<i64>)>,
    platforms: &mut Platforms,
    groups: &mut Groups,
) -> AppResult<()> {
    let (mut platform_ids, mut group_ids) = (BTreeSet::new(), BTreeSet::new());
    for (p, g) in wanted {
        platform_ids.extend(p.filter(|id| !platforms.contains_key(id)));
        group_ids.extend(g.filter(|id| !groups.contains_key(id)));
    }
    if !platform_ids.is_empty() {
        for p in platform::Entity::find()
            .filter(platform::Column::Id.is_in(platform_ids))
            .all(&state.db)
            .await?
        {
            platforms.insert(p.id, p);
        }
    }
    if !group_ids.is_empty() {
        for g in working_group::Entity::find()
            .filter(working_group::Column::Id.is_in(group_ids))
            .all(&state.db)
            .await?
        {
            groups.insert(g.id, g);
        }
    }
    Ok(())
}

/// The feed's meetings (narrow rows), all of them or only those among `only`, in feed order.
async fn heads(state: &AppState, spec: &Spec, only: Option<&[i64]>) -> AppResult<Vec<Head>> {
    let query = || {
        meeting::Entity::find()
            .select_only()
            .column(meeting::Column::Id)
            .column_as(
                Expr::col(meeting::Column::StartsAt).cast_as("TEXT"),
                "starts_at",
            )
            .column_as(
                Expr::col(meeting::Column::UpdatedAt).cast_as("TEXT"),
                "updated_at",
            )
            .columns([
                meeting::Column::Sequence,
                meeting::Column::Visibility,
                meeting::Column::PlatformId,
                meeting::Column::WorkingGroupId,
            ])
            .filter(spec.condition.clone())
            .filter(window())
    };
    let Some(only) = only else {
        let mut rows = all_heads(state, spec).await?;
        // Sorted here rather than by the database (which would sort whole rows).
        rows.sort_unstable_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        return Ok(rows);
    };
    let mut rows: Vec<Head> = Vec::new();
    for chunk in only.chunks(CHUNK) {
        rows.extend(
            query()
                .filter(meeting::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple::<Head>()
                .all(&state.db)
                .await?,
        );
    }
    Ok(rows)
}

/// All of a feed's meetings, packed by the database into one text value and split here. SQLite's
/// driver hands rows over from its thread one at a time (about 2 µs each, more than the query
/// itself for thousands of meetings); one row of "id|start|updated|sequence|visibility|platform|
/// group" lines joined by ';' costs one hand-over. None of these values can hold '|' or ';'.
async fn all_heads(state: &AppState, spec: &Spec) -> AppResult<Vec<Head>> {
    let line = "CAST(id AS TEXT) || '|' || CAST(starts_at AS TEXT) || '|' || \
                CAST(updated_at AS TEXT) || '|' || CAST(sequence AS TEXT) || '|' || \
                visibility || '|' || COALESCE(CAST(platform_id AS TEXT), '') || '|' || \
                COALESCE(CAST(working_group_id AS TEXT), '')";
    let inner = Query::select()
        .expr_as(Expr::cust(line), "line")
        .from(meeting::Entity)
        .cond_where(spec.condition.clone())
        .and_where(window().into())
        .to_owned();
    let packed = match state.db.get_database_backend() {
        DbBackend::Postgres => "string_agg(line, ';')",
        _ => "group_concat(line, ';')",
    };
    let outer = Query::select()
        .expr(Expr::cust(packed))
        .from_subquery(inner, "feed")
        .to_owned();
    let text: Option<String> = match state.db.query_one(&outer).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => None,
    };
    let bad = || AppError::Internal(anyhow::anyhow!("liste d'agenda illisible"));
    let mut heads = Vec::new();
    for line in text.as_deref().unwrap_or_default().split(';') {
        if line.is_empty() {
            continue;
        }
        let mut f = line.split('|');
        let mut next = || f.next().ok_or_else(bad);
        let id: i64 = next()?.parse().map_err(|_| bad())?;
        let starts_at = next()?.to_string();
        let updated_at = next()?.to_string();
        let sequence: i32 = next()?.parse().map_err(|_| bad())?;
        let visibility = next()?.to_string();
        let optional = |v: &str| -> AppResult<Option<i64>> {
            if v.is_empty() {
                Ok(None)
            } else {
                v.parse().map(Some).map_err(|_| bad())
            }
        };
        let platform = optional(next()?)?;
        let group = optional(next()?)?;
        heads.push((
            id, starts_at, updated_at, sequence, visibility, platform, group,
        ));
    }
    Ok(heads)
}

/// The meetings of `heads` the feed shows (personal feeds: those its owner may see), stamped.
async fn show(
    state: &AppState,
    spec: &Spec,
    heads: Vec<Head>,
    platforms: &mut Platforms,
    groups: &mut Groups,
) -> AppResult<Vec<Shown>> {
    // Platforms and groups: their names are CATEGORIES, their visibility decides personal feeds.
    load_scopes(state, heads.iter().map(|h| (h.5, h.6)), platforms, groups).await?;
    let mut shown = Vec::with_capacity(heads.len());
    for (id, starts_at, updated_at, sequence, visibility, platform_id, group_id) in heads {
        let platform = platform_id.and_then(|p| platforms.get(&p));
        let group = group_id.and_then(|g| groups.get(&g));
        let public = visibility == "public";
        let visible = match &spec.actor {
            None => public,
            Some(actor) => crate::auth::permissions::allows(
                actor,
                &Action::ViewMeeting(&meetings::meeting_ref(public, platform, group)),
            ),
        };
        if visible {
            // Members-only meetings are written CLASS:PRIVATE in personal feeds: another text.
            let private = spec.actor.is_some() && !public;
            shown.push(Shown {
                starts_at,
                key: (id, private),
                stamp: stamp(&updated_at, sequence, platform, group),
            });
        }
    }
    Ok(shown)
}

/// `previous` with the meetings of `changed` replaced by `fresh` (those still in the feed), in
/// feed order (start, then id).
fn splice(previous: &[Shown], changed: &BTreeSet<i64>, fresh: Vec<Shown>) -> Vec<Shown> {
    let mut out: Vec<Shown> = previous
        .iter()
        .filter(|s| !changed.contains(&s.key.0))
        .cloned()
        .collect();
    out.extend(fresh);
    out.sort_unstable_by(|a, b| (&a.starts_at, a.key.0).cmp(&(&b.starts_at, b.key.0)));
    out
}

/// The calendar text of `shown`: each meeting's VEVENTs from the fragment cache when written from
/// the same state, written (and kept) otherwise.
async fn assemble(
    state: &AppState,
    spec: &Spec,
    shown: &[Shown],
    platforms: &mut Platforms,
    groups: &mut Groups,
) -> AppResult<String> {
    let wanted: Vec<(FragmentKey, Stamp)> = shown.iter().map(|s| (s.key, s.stamp)).collect();
    let kept = state.fragments.get_many(&wanted);
    let missing: Vec<(FragmentKey, Stamp)> = shown
        .iter()
        .zip(&kept)
        .filter(|(_, f)| f.is_none())
        .map(|(s, _)| (s.key, s.stamp))
        .collect();
    let written = if missing.is_empty() {
        HashMap::new()
    } else {
        let all = missing.len() * 2 >= shown.len();
        write_fragments(state, spec, &missing, all, platforms, groups).await?
    };
    let pieces: Vec<&ics::Fragment> = shown
        .iter()
        .zip(&kept)
        .filter_map(|(s, kept)| {
            kept.as_deref()
                .or_else(|| written.get(&s.key).map(|f| &**f))
        })
        .collect();
    Ok(ics::assemble(
        &Calendar {
            name: spec.name.clone(),
            description: Some(spec.description.clone()),
            method: Some(Method::Publish),
            feed: true,
            events: Vec::new(),
        },
        &pieces,
    ))
}

/// The feed's text, built from its meetings as they are now.
async fn build(state: &AppState, spec: &Spec) -> AppResult<String> {
    let (mut platforms, mut groups) = (HashMap::new(), HashMap::new());
    let heads = heads(state, spec, None).await?;
    let shown = show(state, spec, heads, &mut platforms, &mut groups).await?;
    assemble(state, spec, &shown, &mut platforms, &mut groups).await
}

/// Reads the `missing` meetings whole with their programme and changed occurrences, writes
/// their VEVENTs and keeps them. `all`: most of the feed is missing (a first build), so the
/// feed's own condition is used rather than long lists of ids.
async fn write_fragments(
    state: &AppState,
    spec: &Spec,
    missing: &[(FragmentKey, Stamp)],
    all: bool,
    platforms: &mut Platforms,
    groups: &mut Groups,
) -> AppResult<HashMap<FragmentKey, Arc<ics::Fragment>>> {
    // Kept under the stamp the feed read: a row changed since is newer than its stamp, so it
    // is only written again next time, never served stale.
    let wanted: HashMap<i64, (bool, Stamp)> = missing
        .iter()
        .map(|((id, private), stamp)| (*id, (*private, *stamp)))
        .collect();
    let rows: Vec<meeting::Model> = if all {
        meeting::Entity::find()
            .filter(spec.condition.clone())
            .filter(window())
            .all(&state.db)
            .await?
    } else {
        let ids: Vec<i64> = missing.iter().map(|((id, _), _)| *id).collect();
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            rows.extend(
                meeting::Entity::find()
                    .filter(meeting::Column::Id.is_in(chunk.iter().copied()))
                    .all(&state.db)
                    .await?,
            );
        }
        rows
    };
    let rows: Vec<meeting::Model> = rows
        .into_iter()
        .filter(|m| wanted.contains_key(&m.id))
        .collect();
    load_scopes(
        state,
        rows.iter().map(|m| (m.platform_id, m.working_group_id)),
        platforms,
        groups,
    )
    .await?;
    // Each meeting's programme and changes (their orders kept: by position, by original start):
    // for a whole feed, through the feed's own condition (one query each, not lists of ids).
    let agenda_query = || agenda_item::Entity::find().order_by_asc(agenda_item::Column::Position);
    let changes_query = || {
        occurrence_change::Entity::find()
            .order_by_asc(occurrence_change::Column::OriginalStartLocal)
    };
    let mut agenda = Vec::new();
    let mut changes = Vec::new();
    if all {
        let in_feed = Query::select()
            .column(meeting::Column::Id)
            .from(meeting::Entity)
            .cond_where(spec.condition.clone())
            .and_where(window().into())
            .to_owned();
        agenda = agenda_query()
            .filter(agenda_item::Column::MeetingId.in_subquery(in_feed.clone()))
            .all(&state.db)
            .await?;
        changes = changes_query()
            .filter(occurrence_change::Column::MeetingId.in_subquery(in_feed))
            .all(&state.db)
            .await?;
    } else {
        let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
        for chunk in ids.chunks(CHUNK) {
            agenda.extend(
                agenda_query()
                    .filter(agenda_item::Column::MeetingId.is_in(chunk.iter().copied()))
                    .all(&state.db)
                    .await?,
            );
            changes.extend(
                changes_query()
                    .filter(occurrence_change::Column::MeetingId.is_in(chunk.iter().copied()))
                    .all(&state.db)
                    .await?,
            );
        }
    }
    let mut agenda_of: HashMap<i64, Vec<agenda_item::Model>> = HashMap::new();
    for item in agenda {
        agenda_of.entry(item.meeting_id).or_default().push(item);
    }
    let mut changes_of: HashMap<i64, Vec<occurrence_change::Model>> = HashMap::new();
    for change in changes {
        changes_of
            .entry(change.meeting_id)
            .or_default()
            .push(change);
    }
    let sources = Arc::new(Sources {
        wanted,
        agenda_of,
        changes_of,
        platforms: platforms.clone(),
        groups: groups.clone(),
        base: state.config.base_url.clone(),
        organizer: super::organizer(&state.config),
    });
    // Writing is plain computing: many meetings are split over the cores, off the async threads.
    let parts = if rows.len() >= 256 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    let written = if parts > 1 {
        let size = rows.len().div_ceil(parts);
        let mut rest = rows;
        let mut tasks = Vec::with_capacity(parts);
        while !rest.is_empty() {
            let part = rest.split_off(rest.len().saturating_sub(size));
            let sources = Arc::clone(&sources);
            tasks.push(tokio::task::spawn_blocking(move || sources.write(part)));
        }
        let mut written = Vec::new();
        for task in tasks {
            written.extend(
                task.await
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("écriture d'agenda : {e}")))?,
            );
        }
        written
    } else {
        sources.write(rows)
    };
    let found = written
        .iter()
        .map(|(key, _, f)| (*key, Arc::clone(f)))
        .collect();
    state.fragments.put_many(written);
    Ok(found)
}

/// What meetings' VEVENTs are written from, besides their rows.
struct Sources {
    wanted: HashMap<i64, (bool, Stamp)>,
    agenda_of: HashMap<i64, Vec<agenda_item::Model>>,
    changes_of: HashMap<i64, Vec<occurrence_change::Model>>,
    platforms: Platforms,
    groups: Groups,
    base: String,
    organizer: ics::Organizer,
}

impl Sources {
    fn write(&self, rows: Vec<meeting::Model>) -> Vec<(FragmentKey, Stamp, Arc<ics::Fragment>)> {
        rows.into_iter()
            .filter_map(|m| {
                let (private, stamp) = *self.wanted.get(&m.id)?;
                let platform = m.platform_id.and_then(|p| self.platforms.get(&p)).cloned();
                let group = m
                    .working_group_id
                    .and_then(|g| self.groups.get(&g))
                    .cloned();
                let id = m.id;
                let loaded = Loaded {
                    meeting: m,
                    platform,
                    group,
                };
                let events = super::events(
                    &loaded,
                    self.agenda_of.get(&id).map_or(&[][..], Vec::as_slice),
                    self.changes_of.get(&id).map_or(&[][..], Vec::as_slice),
                    &self.base,
                    private,
                    &self.organizer,
                );
                Some(((id, private), stamp, Arc::new(ics::fragment(&events))))
            })
            .collect()
    }
}

/// ETag of a public feed: its identity, the server's address, the calendar version, the day.
fn public_etag(state: &AppState, spec: &Spec, version: &str, day: NaiveDate) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{}|{}|{version}|{day}",
        spec.key, state.config.base_url
    ));
    let digest = hasher.finalize();
    let tag: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{tag}\"")
}

/// Writes the VEVENTs of every meeting in the feed window ahead of the first requests (at
/// start): the first build of each feed then only reads which meetings it holds. Returns how
/// many meetings were written.
pub async fn warm(state: &AppState) -> AppResult<usize> {
    // As the widest personal feed would hold them: public meetings as every feed writes them,
    // members-only ones as personal feeds do (CLASS:PRIVATE).
    let everything = Spec {
        key: String::new(),
        name: String::new(),
        description: String::new(),
        filename: String::new(),
        condition: Condition::all(),
        actor: Some(Actor {
            is_admin: true,
            ..Actor::default()
        }),
    };
    let (mut platforms, mut groups) = (HashMap::new(), HashMap::new());
    let all = heads(state, &everything, None).await?;
    let shown = show(state, &everything, all, &mut platforms, &mut groups).await?;
    if shown.is_empty() {
        return Ok(0);
    }
    let wanted: Vec<(FragmentKey, Stamp)> = shown.iter().map(|s| (s.key, s.stamp)).collect();
    let written = write_fragments(
        state,
        &everything,
        &wanted,
        true,
        &mut platforms,
        &mut groups,
    )
    .await?;
    Ok(written.len())
}

/// What a public feed kept in memory was built from, so that the next build after a change
/// rewrites only the meetings that changed.
pub struct Basis {
    spec: Arc<Spec>,
    /// The last change of the calendar's log it has seen.
    high_water: i64,
    shown: Vec<Shown>,
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
        return Ok(respond(headers, feed, false).await);
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
    Ok(respond(headers, &feed, false).await)
}

/// 304 when the client's copy is current, else the calendar inline, gzip-compressed when the
/// client takes it (kept compressed for public feeds). The ETag names the representation sent.
async fn respond(headers: &HeaderMap, feed: &Arc<CachedFeed>, private: bool) -> Response {
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

fn network_spec() -> Spec {
    Spec {
        key: "reseau".into(),
        name: "Réseau d'intégration de Namur — agenda public".into(),
        description: "Les réunions publiques du réseau provincial d'intégration de Namur.".into(),
        filename: "reseau.ics".into(),
        condition: public_only(),
        actor: None,
    }
}

fn platform_spec(p: &platform::Model) -> Spec {
    Spec {
        key: format!("plateforme:{}", p.id),
        name: format!("{} — agenda", p.name),
        description: format!("Les réunions publiques de la plateforme {}.", p.name),
        filename: format!("{}.ics", p.slug),
        condition: public_only().add(meeting::Column::PlatformId.eq(p.id)),
        actor: None,
    }
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

/// The meetings a person's feed holds: their platforms' and groups' meetings, and those they
/// registered for (members-only included, each checked against what they may see).
async fn personal_spec(state: &AppState, person: &person::Model) -> AppResult<Spec> {
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
        .filter(registration::Column::Status.ne("cancelled"))
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

async fn personal_feed(
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

/// One meeting as a file to download (the same UID as in the feeds and emails).
async fn meeting_file(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = meetings::load(&state, id).await?;
    ctx.require(Action::ViewMeeting(&loaded.reference()))?;
    let m = &loaded.meeting;
    let etag = format!(
        "\"m{}-{}-{}\"",
        m.id,
        m.sequence,
        m.updated_at.timestamp_micros()
    );
    if not_modified(&headers, &[&etag], Some(m.updated_at)) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return Ok(r);
    }
    let agenda = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .order_by_asc(agenda_item::Column::Position)
        .all(&state.db)
        .await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let body = ics::write(&Calendar {
        name: m.title.clone(),
        description: None,
        method: Some(Method::Publish),
        feed: false,
        events: super::events(
            &loaded,
            &agenda,
            &changes,
            &state.config.base_url,
            false,
            &super::organizer(&state.config),
        ),
    });
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
    if let Ok(v) = HeaderValue::from_str(&http_date(m.updated_at)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    Ok(r)
}

async fn token_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let me = ctx.signed_in()?;
    let existing = feed_token::Entity::find()
        .filter(feed_token::Column::PersonId.eq(me.id))
        .one(&state.db)
        .await?;
    Ok(page(
        &ctx,
        "Mon agenda",
        super::views::token_page(&ctx, existing.as_ref(), None, &state.config.base_url),
    )
    .into_response())
}

/// Creates (or replaces) the person's token and shows the address once: only its hash is kept.
async fn new_token(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
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
        super::views::token_page(&ctx, Some(&created), Some(&url), &state.config.base_url),
    )
    .into_response();
    // The page holds a secret: never keep it in a cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke_token(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn shown(id: i64, day: u32, updated: u64) -> Shown {
        Shown {
            starts_at: format!("2027-03-{day:02}T08:00:00+00:00"),
            key: (id, false),
            stamp: Stamp {
                updated_at: updated,
                sequence: 0,
                platform: Some(1),
                group: None,
            },
        }
    }

    #[test]
    fn catching_up_replaces_moves_adds_and_drops_only_the_changed_meetings() {
        let previous = vec![
            shown(1, 2, 0),
            shown(2, 5, 0),
            shown(3, 5, 0),
            shown(4, 9, 0),
        ];
        // 2 moved to the 10th, 3 left the feed, 5 is new on the 5th, 1 untouched.
        let changed: BTreeSet<i64> = [2, 3, 5].into_iter().collect();
        let fresh = vec![shown(2, 10, 7), shown(5, 5, 7)];
        let next = splice(&previous, &changed, fresh);
        let order: Vec<(i64, &str)> = next
            .iter()
            .map(|s| (s.key.0, &s.starts_at[8..10]))
            .collect();
        assert_eq!(order, vec![(1, "02"), (5, "05"), (4, "09"), (2, "10")]);
        assert_eq!(next[3].stamp.updated_at, 7);
        // Same start: by id, as the database orders them.
        let tied = splice(&previous, &[1].into_iter().collect(), vec![shown(1, 5, 1)]);
        let ids: Vec<i64> = tied.iter().map(|s| s.key.0).collect();
        assert_eq!(ids, vec![1, 2, 3, 4]);
    }

    #[test]
    fn gzip_is_sent_only_to_clients_that_take_it() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).expect("header"),
            );
            accepts_gzip(&headers)
        };
        assert!(with("gzip"));
        assert!(with("br;q=1.0, GZIP;q=0.8"));
        assert!(with("deflate, x-gzip"));
        assert!(!with("gzip;q=0"));
        assert!(!with("gzip; q=0.000, identity"));
        assert!(!with("identity"));
        assert!(!with("br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn a_copy_is_current_under_either_representations_tag() {
        let with = |name: header::HeaderName, value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(name, HeaderValue::from_str(value).expect("header"));
            headers
        };
        let tags = ["\"abc\"", "\"abc-gz\""];
        assert!(not_modified(
            &with(header::IF_NONE_MATCH, "\"abc\""),
            &tags,
            None
        ));
        assert!(not_modified(
            &with(header::IF_NONE_MATCH, "\"x\", W/\"abc-gz\""),
            &tags,
            None
        ));
        assert!(!not_modified(
            &with(header::IF_NONE_MATCH, "\"abd\""),
            &tags,
            None
        ));
        let modified = Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).single();
        assert!(not_modified(
            &with(header::IF_MODIFIED_SINCE, "Sun, 28 Mar 2027 01:30:00 GMT"),
            &tags,
            modified
        ));
        assert!(!not_modified(
            &with(header::IF_MODIFIED_SINCE, "Sun, 28 Mar 2027 01:29:59 GMT"),
            &tags,
            modified
        ));
        // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        let mut both = with(header::IF_NONE_MATCH, "\"old\"");
        both.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Sun, 28 Mar 2027 01:30:00 GMT"),
        );
        assert!(!not_modified(&both, &tags, modified));
    }

    #[test]
    fn a_stamp_follows_the_written_instant_and_the_names_it_shows() {
        let a = stamp("2027-03-02T08:00:00.123456+00:00", 1, None, None);
        assert_eq!(a, stamp("2027-03-02T08:00:00.123456+00:00", 1, None, None));
        assert_ne!(a, stamp("2027-03-02T08:00:00.123457+00:00", 1, None, None));
        assert_ne!(a, stamp("2027-03-02T08:00:00.123456+00:00", 2, None, None));
    }
}
