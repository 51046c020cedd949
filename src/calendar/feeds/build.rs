//! Building a feed's text from its meetings' VEVENTs, written once and rewritten when they change.

use super::scope::{Spec, window};
use crate::auth::permissions::{Action, Actor};
use crate::calendar::cache::{FragmentKey, Stamp};
use crate::calendar::ics::{self, Calendar, Method};
use crate::entities::meeting::Visibility;
use crate::entities::{agenda_item, meeting, occurrence_change, platform, working_group};
use crate::meetings::{self, Loaded};
use crate::state::AppState;
use crate::web::{AppError, AppResult};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The columns that tell which meetings a feed holds, in which order, and whether their written
/// VEVENTs are current: id, starts_at, updated_at, sequence, visibility, platform, group. The
/// two instants are read as the database writes them (text): parsing thousands of them would
/// cost more than the rest of the query, and they are only compared.
pub(super) type Head = (
    i64,
    String,
    String,
    i32,
    Visibility,
    Option<i64>,
    Option<i64>,
);

/// At most this many ids in one `IN (…)`.
pub(super) const CHUNK: usize = 500;

/// One meeting of a feed: where it sorts, which text, written from what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The start as the database writes it: instants are kept in UTC, so these sort as the
    /// instants do (and the order of VEVENTs in a calendar means nothing to its readers).
    pub(super) starts_at: String,
    pub(super) key: FragmentKey,
    pub(super) stamp: Stamp,
}

pub(super) fn stamp(
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

pub(super) type Platforms = HashMap<i64, platform::Model>;
pub(super) type Groups = HashMap<i64, working_group::Model>;

/// Loads into `platforms` and `groups` those of `wanted` not there yet.
pub(super) async fn load_scopes(
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
pub(super) async fn heads(
    state: &AppState,
    spec: &Spec,
    only: Option<&[i64]>,
) -> AppResult<Vec<Head>> {
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
pub(super) async fn all_heads(state: &AppState, spec: &Spec) -> AppResult<Vec<Head>> {
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
        let visibility: Visibility = next()?
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("réunion {id} : {e}")))?;
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
pub(super) async fn show(
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
        let public = visibility.is_public();
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
pub(super) fn splice(previous: &[Shown], changed: &BTreeSet<i64>, fresh: Vec<Shown>) -> Vec<Shown> {
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
pub(super) async fn assemble(
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
pub(super) async fn build(state: &AppState, spec: &Spec) -> AppResult<String> {
    let (mut platforms, mut groups) = (HashMap::new(), HashMap::new());
    let heads = heads(state, spec, None).await?;
    let shown = show(state, spec, heads, &mut platforms, &mut groups).await?;
    assemble(state, spec, &shown, &mut platforms, &mut groups).await
}

/// Reads the `missing` meetings whole with their programme and changed occurrences, writes
/// their VEVENTs and keeps them. `all`: most of the feed is missing (a first build), so the
/// feed's own condition is used rather than long lists of ids.
pub(super) async fn write_fragments(
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
        organizer: crate::calendar::organizer(&state.config),
    });
    // Writing is plain computing: many meetings are split over the cores, off the async threads.
    let parts = if rows.len() >= 256 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    let written =
        if parts > 1 {
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
                written.extend(task.await.map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("écriture d'agenda : {e}"))
                })??);
            }
            written
        } else {
            sources.write(rows)?
        };
    let found = written
        .iter()
        .map(|(key, _, f)| (*key, Arc::clone(f)))
        .collect();
    state.fragments.put_many(written);
    Ok(found)
}

/// What meetings' VEVENTs are written from, besides their rows.
pub(super) struct Sources {
    pub(super) wanted: HashMap<i64, (bool, Stamp)>,
    pub(super) agenda_of: HashMap<i64, Vec<agenda_item::Model>>,
    pub(super) changes_of: HashMap<i64, Vec<occurrence_change::Model>>,
    pub(super) platforms: Platforms,
    pub(super) groups: Groups,
    pub(super) base: String,
    pub(super) organizer: ics::Organizer,
}

impl Sources {
    /// A meeting whose stored rule cannot be read fails the whole write, naming it.
    pub(super) fn write(
        &self,
        rows: Vec<meeting::Model>,
    ) -> Result<Vec<(FragmentKey, Stamp, Arc<ics::Fragment>)>, DbErr> {
        let mut written = Vec::with_capacity(rows.len());
        for m in rows {
            let Some(&(private, stamp)) = self.wanted.get(&m.id) else {
                continue;
            };
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
            let events = crate::calendar::events(
                &loaded,
                self.agenda_of.get(&id).map_or(&[][..], Vec::as_slice),
                self.changes_of.get(&id).map_or(&[][..], Vec::as_slice),
                &self.base,
                private,
                &self.organizer,
            )?;
            written.push(((id, private), stamp, Arc::new(ics::fragment(&events))));
        }
        Ok(written)
    }
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
