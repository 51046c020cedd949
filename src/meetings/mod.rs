//! Meetings of the network: plenaries, working-group meetings, findings meetings, peer sessions,
//! office hours… with recurrence, workshops, registration, attendance and minutes.

mod agenda;
pub mod assignment;
pub mod booking;
mod edit;
pub mod index;
pub mod listing;
pub mod panels;
pub mod participation;
pub mod recurrence;
pub mod rules;
pub mod schedule;
pub mod views;
pub mod yearly;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::auth::permissions::{Action, MeetingRef};
use crate::entities::{meeting, platform, working_group};
use crate::platforms::{group_ref, platform_ref};
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::{AppError, AppResult, Ctx};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions", get(agenda::agenda).post(edit::create))
        .route("/reunions/calendrier", get(agenda::calendar))
        .route("/reunions/mes", get(agenda::mine))
        .route("/reunions/nouvelle", get(edit::new_form))
        .route("/reunions/{id}", get(show).post(edit::update))
        .route("/reunions/{id}/modifier", get(edit::edit_form))
        .route("/reunions/{id}/statut", post(edit::set_status))
        .route("/reunions/{id}/occurrences", post(edit::change_occurrence))
        .route("/reunions/{id}/ateliers", post(edit::add_workshop))
        .route(
            "/reunions/{id}/ateliers/{workshop_id}/supprimer",
            post(edit::remove_workshop),
        )
        .merge(participation::routes())
        .merge(yearly::routes())
}

/// A meeting with where it belongs.
pub struct Loaded {
    pub meeting: meeting::Model,
    pub platform: Option<platform::Model>,
    pub group: Option<working_group::Model>,
}

impl Loaded {
    pub fn reference(&self) -> MeetingRef {
        meeting_ref(
            self.meeting.visibility.is_public(),
            self.platform.as_ref(),
            self.group.as_ref(),
        )
    }

    /// The one visibility rule for a meeting: its page answers only when this is Ok, and every
    /// list, calendar, table or warning that names meetings keeps only those for which
    /// `visible_to` holds. Err is the sign-in redirect (anonymous) or 403.
    pub fn open_for(&self, ctx: &Ctx) -> Result<(), AppError> {
        ctx.require(Action::ViewMeeting(&self.reference()))
    }

    /// Whether the viewer may open this meeting (see `open_for`).
    pub fn visible_to(&self, ctx: &Ctx) -> bool {
        self.open_for(ctx).is_ok()
    }

    /// "Plateforme Sociojuridique", "GT … (Sociojuridique)" or "Tout le réseau".
    pub fn scope_label(&self) -> String {
        match (&self.group, &self.platform) {
            (Some(g), Some(p)) => format!("{} — {}", p.name, g.name),
            (None, Some(p)) => p.name.clone(),
            _ => "Tout le réseau".to_string(),
        }
    }
}

/// What the permission rules look at of a meeting (also for meetings not loaded whole).
pub fn meeting_ref(
    public: bool,
    platform: Option<&platform::Model>,
    group: Option<&working_group::Model>,
) -> MeetingRef {
    MeetingRef {
        public,
        platform: platform.map(platform_ref),
        group: match (group, platform) {
            (Some(g), Some(p)) => Some(group_ref(g, p)),
            _ => None,
        },
    }
}

/// The meeting `id` with where it belongs. A row that cannot be read (a status or kind outside
/// its set, written by hand) is an error naming the meeting, never a default.
pub async fn load(state: &AppState, id: i64) -> AppResult<Loaded> {
    let meeting = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("réunion {id} : {e}")))?
        .ok_or(AppError::NotFound)?;
    attach(state, vec![meeting])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Loads the platforms and groups of several meetings at once.
pub async fn attach(state: &AppState, meetings: Vec<meeting::Model>) -> AppResult<Vec<Loaded>> {
    Ok(attach_in(&state.db, meetings).await?)
}

/// `attach` through a given connection (a transaction sees what it wrote).
pub async fn attach_in(
    db: &impl ConnectionTrait,
    meetings: Vec<meeting::Model>,
) -> Result<Vec<Loaded>, DbErr> {
    // Both lists at once (two connections of the pool): one round trip's wait instead of two.
    let (platforms, groups) = tokio::try_join!(
        platform::Entity::find()
            .filter(platform::Column::Id.is_in(meetings.iter().filter_map(|m| m.platform_id)))
            .all(db),
        working_group::Entity::find()
            .filter(
                working_group::Column::Id.is_in(meetings.iter().filter_map(|m| m.working_group_id))
            )
            .all(db),
    )?;
    Ok(meetings
        .into_iter()
        .map(|m| Loaded {
            platform: m
                .platform_id
                .and_then(|id| platforms.iter().find(|p| p.id == id).cloned()),
            group: m
                .working_group_id
                .and_then(|id| groups.iter().find(|g| g.id == id).cloned()),
            meeting: m,
        })
        .collect())
}

/// A meeting with where it belongs, as `db` sees it now (None: no such meeting).
pub async fn load_in(db: &impl ConnectionTrait, id: i64) -> Result<Option<Loaded>, DbErr> {
    let Some(meeting) = meeting::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(attach_in(db, vec![meeting]).await?.pop())
}

/// Of `meetings`, those the viewer may open, with their platforms and groups. Every query that
/// lists meetings for a page goes through here (or `Loaded::visible_to`).
pub async fn visible(
    state: &AppState,
    ctx: &Ctx,
    meetings: Vec<meeting::Model>,
) -> AppResult<Vec<Loaded>> {
    Ok(attach(state, meetings)
        .await?
        .into_iter()
        .filter(|l| l.visible_to(ctx))
        .collect())
}

/// Which meetings a list shows.
#[derive(Clone, Copy, Debug)]
pub enum Filter {
    All,
    Platform(i64),
    Group(i64),
}

/// The meetings that may have an occurrence in [from, to): they start before `to`, and either a
/// one-off ends after `from` or a series has no end or ends after `from`. The agenda pages and the
/// feeds select their meetings with it.
pub fn overlapping(from: DateTime<Utc>, to: DateTime<Utc>) -> Condition {
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

pub fn now_local() -> NaiveDateTime {
    recurrence::to_local(Utc::now())
}

async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    loaded.open_for(&ctx)?;
    let page = participation::meeting_page_data(&state, &ctx, loaded).await?;
    Ok(views::meeting_page(&ctx, &page).into_response())
}

pub use agenda::upcoming;
