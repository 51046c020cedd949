//! The agenda pages, read from the occurrence index (`listing`): the agenda with its filters and
//! keyset pagination (`/reunions`, past: `?passees=1`), the month calendar, "my meetings", and
//! the upcoming lists of the platform and group panels.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use super::listing::{self, Criteria, Cursor, Direction, Mine};
use super::{Filter, edit, recurrence, views};
use crate::auth::permissions::Action;
use crate::entities::meeting::MeetingKind;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{reception_office, registration, working_group};
use crate::platforms::{group_ref, platform_ref};
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::{AppResult, Ctx};

/// Sessions on one page of the agenda.
pub const PAGE: usize = 50;
/// Sessions shown in one day of the month calendar (the agenda has the rest of the day).
pub const PER_DAY: usize = 6;
/// "My meetings": one page.
const MINE: usize = 100;

/// The agenda's address parameters, as typed (checked in `AgendaFilters::read`).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AgendaQuery {
    pub passees: String,
    pub permanences: String,
    pub plateforme: String,
    pub groupe: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub bureau: String,
    pub inscription: String,
    pub apres: String,
    pub avant: String,
    pub du: String,
}

/// The agenda's filters once read: what the list keeps and the form shows.
#[derive(Clone, Debug, Default)]
pub struct AgendaFilters {
    pub past: bool,
    pub office_hours: bool,
    pub platform: Option<i64>,
    pub group: Option<i64>,
    pub kind: Option<MeetingKind>,
    pub office: Option<i64>,
    pub open_only: bool,
}

impl AgendaFilters {
    /// The filters of `query`; a value that cannot be one is left out, with a French message.
    pub fn read(query: &AgendaQuery, problems: &mut Vec<String>) -> Self {
        let mut id = |text: &str, what: &str| -> Option<i64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    problems.push(format!("{what} « {text} » n'existe pas : filtre ignoré."));
                    None
                }
            }
        };
        let platform = id(&query.plateforme, "La plateforme");
        let group = id(&query.groupe, "Le groupe de travail");
        let office = id(&query.bureau, "Le bureau d'accueil");
        let kind = match query.kind.trim() {
            "" => None,
            text => match text.parse::<MeetingKind>() {
                Ok(kind) => Some(kind),
                Err(_) => {
                    problems.push(format!(
                        "Le type de réunion « {text} » n'existe pas : filtre ignoré."
                    ));
                    None
                }
            },
        };
        Self {
            past: !query.passees.is_empty(),
            office_hours: !query.permanences.is_empty(),
            platform,
            group,
            kind,
            office,
            open_only: !query.inscription.is_empty(),
        }
    }

    pub fn criteria(&self) -> Criteria {
        Criteria {
            platform: self.platform,
            group: self.group,
            kind: self.kind,
            office: self.office,
            // Asking for one office's sessions shows its office hours too.
            office_hours: self.office_hours || self.office.is_some(),
            open_only: self.open_only,
            mine: None,
        }
    }

    /// The filters as address parameters (without cursor), "" when none.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.past {
            pairs.push(("passees", "1".into()));
        }
        if self.office_hours {
            pairs.push(("permanences", "1".into()));
        }
        if let Some(id) = self.platform {
            pairs.push(("plateforme", id.to_string()));
        }
        if let Some(id) = self.group {
            pairs.push(("groupe", id.to_string()));
        }
        if let Some(kind) = self.kind {
            pairs.push(("type", kind.as_str().to_string()));
        }
        if let Some(id) = self.office {
            pairs.push(("bureau", id.to_string()));
        }
        if self.open_only {
            pairs.push(("inscription", "1".into()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// Where the page starts: `apres` / `avant` (a cursor), `du` (a date), or now (the agenda from
/// twelve hours ago on; the past: backwards from now).
fn anchor(query: &AgendaQuery, past: bool, problems: &mut Vec<String>) -> (Cursor, Direction) {
    let now = Utc::now();
    let mut cursor = |text: &str| -> Option<Cursor> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = Cursor::parse(text);
        if parsed.is_none() {
            problems.push(
                "Le repère de page de l'adresse est illisible : l'agenda reprend à aujourd'hui."
                    .into(),
            );
        }
        parsed
    };
    if let Some(c) = cursor(&query.apres) {
        return (c, Direction::Later);
    }
    if let Some(c) = cursor(&query.avant) {
        return (c, Direction::Earlier);
    }
    let day = query.du.trim();
    if !day.is_empty() {
        match NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .ok()
            .filter(|d| (1900..=2200).contains(&d.year()))
        {
            Some(d) => {
                let at = recurrence::to_utc(d.and_time(NaiveTime::MIN));
                return (Cursor::before(at), Direction::Later);
            }
            None => problems.push(format!(
                "La date « {day} » n'est pas une date (AAAA-MM-JJ) : l'agenda reprend à aujourd'hui."
            )),
        }
    }
    if past {
        (Cursor::after_all_before(now), Direction::Earlier)
    } else {
        (Cursor::before(now - Duration::hours(12)), Direction::Later)
    }
}

/// The choices of the filter form: platforms and groups the viewer may see, kinds, offices.
pub struct FilterChoices {
    pub platforms: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub offices: Vec<(String, String)>,
}

async fn filter_choices(state: &AppState, ctx: &Ctx) -> AppResult<FilterChoices> {
    let platforms = crate::platforms::visible(state, ctx).await?;
    let groups = working_group::Entity::find()
        .filter(working_group::Column::PlatformId.is_in(platforms.iter().map(|p| p.id)))
        .order_by_asc(working_group::Column::Name)
        .all(&state.db)
        .await?;
    let groups = groups
        .iter()
        .filter_map(|g| {
            let p = platforms.iter().find(|p| p.id == g.platform_id)?;
            ctx.can(Action::ViewGroup(&group_ref(g, p)))
                .then(|| (g.id.to_string(), format!("{} ({})", g.name, p.name)))
        })
        .collect();
    let offices = reception_office::Entity::find()
        .order_by_asc(reception_office::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    Ok(FilterChoices {
        platforms: platforms
            .iter()
            .filter(|p| ctx.can(Action::ViewPlatform(&platform_ref(p))))
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        groups,
        kinds: MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label_fr().to_string()))
            .collect(),
        offices,
    })
}

pub(super) async fn agenda(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<AgendaQuery>,
) -> AppResult<Response> {
    let mut problems = Vec::new();
    let filters = AgendaFilters::read(&query, &mut problems);
    let start = anchor(&query, filters.past, &mut problems);
    let criteria = filters.criteria();
    if ctx.htmx {
        let page = listing::page(&state, &ctx, &criteria, start, PAGE).await?;
        let list = views::AgendaList {
            page: &page,
            filters: &filters,
            problems: &problems,
        };
        return Ok(views::agenda_list(&list).into_response());
    }
    // The sessions, the filter form's lists and the creation scopes do not depend on each other:
    // asked at once, the page waits for the longest of them rather than their sum.
    let (page, scopes, choices) = tokio::try_join!(
        listing::page(&state, &ctx, &criteria, start, PAGE),
        edit::scope_options(&state, &ctx),
        filter_choices(&state, &ctx),
    )?;
    let list = views::AgendaList {
        page: &page,
        filters: &filters,
        problems: &problems,
    };
    let can_create = !scopes.is_empty();
    Ok(views::agenda_page(&ctx, &list, &choices, can_create).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MonthQuery {
    mois: String,
}

pub(super) async fn calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<MonthQuery>,
) -> AppResult<Response> {
    let today = super::now_local().date();
    let first = NaiveDate::parse_from_str(&format!("{}-01", query.mois.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&d.year()))
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .collect();
    let criteria = Criteria {
        office_hours: true,
        ..Criteria::default()
    };
    let month = listing::month(&state, &ctx, &criteria, &days, PER_DAY).await?;
    Ok(views::month_page(&ctx, first, today, &month).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct MineQuery {
    apres: String,
}

pub(super) async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<MineQuery>,
) -> AppResult<Response> {
    let me = ctx.signed_in()?.id;
    let mut registered: Vec<i64> = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(me))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.meeting_id)
        .collect();
    registered.sort_unstable();
    registered.dedup();
    let criteria = Criteria {
        office_hours: true,
        mine: Some(Mine {
            meetings: registered.clone(),
            platforms: ctx.actor.platforms.keys().copied().collect(),
            groups: ctx.actor.groups.keys().copied().collect(),
        }),
        ..Criteria::default()
    };
    let start = Cursor::parse(&query.apres).unwrap_or_else(|| {
        Cursor::before(recurrence::to_utc(super::now_local()) - Duration::hours(12))
    });
    let page = listing::page(&state, &ctx, &criteria, (start, Direction::Later), MINE).await?;
    Ok(views::mine_page(&ctx, &page, registered.len()).into_response())
}

/// Upcoming sessions for a platform or group page (office hours included), as a list.
pub async fn upcoming(
    state: &AppState,
    ctx: &Ctx,
    filter: Filter,
    limit: usize,
) -> AppResult<maud::Markup> {
    let mut criteria = Criteria {
        office_hours: true,
        ..Criteria::default()
    };
    match filter {
        Filter::All => {}
        Filter::Platform(id) => criteria.platform = Some(id),
        Filter::Group(id) => criteria.group = Some(id),
    }
    let from = recurrence::to_utc(super::now_local()) - Duration::hours(12);
    let items = listing::next(state, ctx, &criteria, from, limit).await?;
    Ok(views::occurrence_list(
        &items,
        "Aucune réunion prévue dans l'année qui vient.",
    ))
}
