//! Taking part: registering (oneself, or others for coordinators), the waiting list, workshop
//! assignment, attendance on the day, minutes, and the CSV export.

use std::collections::{BTreeSet, HashMap};

use axum::Router;
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::booking;
use super::{Loaded, schedule};
use crate::auth::permissions::Action;
use crate::entities::attendance::Presence;
use crate::entities::outbox_message::OutboxStatus;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{
    agenda_item, attendance, meeting, person, registration, workshop, workshop_assignment,
    workshop_preference,
};
use crate::state::AppState;
use crate::web::{AppResult, Ctx};
use assigning::{adjust_assignment, run_assignment};
pub use attending::{SheetRow, group_attendance};
use attending::{attendance_sheet, mark, walk_in};
pub(crate) use export::csv_response;
use export::export_csv;
pub use minutes::MinutesForm;
use minutes::{minutes_form, save_minutes};
pub use registering::refused_page;
use registering::{cancel_other, cancel_self, register_other, register_self};

mod assigning;
mod attending;
mod export;
mod minutes;
mod registering;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions/{id}/inscription", post(register_self))
        .route("/reunions/{id}/desinscription", post(cancel_self))
        .route("/reunions/{id}/inscriptions", post(register_other))
        .route(
            "/reunions/{id}/inscriptions/{person_id}/annuler",
            post(cancel_other),
        )
        .route("/reunions/{id}/inscriptions.csv", get(export_csv))
        .route("/reunions/{id}/repartition", post(run_assignment))
        .route(
            "/reunions/{id}/repartition/{registration_id}",
            post(adjust_assignment),
        )
        .route("/reunions/{id}/presences", get(attendance_sheet))
        .route("/reunions/{id}/presences/sur-place", post(walk_in))
        .route("/reunions/{id}/presences/{person_id}", post(mark))
        .route(
            "/reunions/{id}/compte-rendu",
            get(minutes_form).post(save_minutes),
        )
}

pub struct RegRow {
    pub registration: registration::Model,
    pub person: person::Model,
    pub organisation: Option<String>,
    /// Place on the waiting list (1 = next).
    pub waiting_place: Option<usize>,
    pub preferences: Vec<String>,
    pub assigned: Vec<i64>,
    pub attendance: Option<Presence>,
}

#[derive(Default)]
pub struct Counts {
    pub confirmed: usize,
    pub waiting: usize,
    pub present: usize,
    pub excused: usize,
    pub absent: usize,
    pub meals: Vec<(String, usize)>,
}

pub struct MeetingPage {
    pub loaded: Loaded,
    pub agenda: Vec<agenda_item::Model>,
    pub workshops: Vec<workshop::Model>,
    pub can_manage: bool,
    pub can_read_minutes: bool,
    pub closed_reason: Option<booking::Closed>,
    pub can_register: bool,
    pub mine: Option<RegRow>,
    pub rows: Vec<RegRow>,
    pub counts: Counts,
    pub occurrences: Vec<schedule::Occurrence>,
    /// A series: its rule in French ("chaque mardi"); None for a one-off.
    pub series: Option<String>,
    pub people: Vec<(String, String)>,
    pub meals: Vec<String>,
    pub topics: Vec<String>,
    pub slots: Vec<String>,
    /// Coordinators: who was invited and what they answered; messages that could not be sent.
    pub invitations: Vec<crate::entities::invitation::Model>,
    pub failures: Vec<crate::entities::outbox_message::Model>,
    /// A refused registration form: what was typed, and the form (its action) it came from.
    pub typed: Vec<(String, String)>,
    pub typed_action: Option<String>,
}

pub fn meals_of(meeting: &meeting::Model) -> Vec<String> {
    meeting
        .meal_options
        .split('\n')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

/// Distinct workshop titles, in order of first appearance.
pub fn topics_of(workshops: &[workshop::Model]) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for w in workshops {
        if !topics.contains(&w.title) {
            topics.push(w.title.clone());
        }
    }
    topics
}

pub fn slots_of(workshops: &[workshop::Model]) -> Vec<String> {
    workshops
        .iter()
        .map(|w| w.slot_start.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

async fn rows(state: &AppState, meeting_id: i64) -> AppResult<Vec<RegRow>> {
    let regs = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(meeting_id))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .order_by_asc(registration::Column::Position)
        .all(&state.db)
        .await?;
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(regs.iter().map(|r| r.person_id)))
        .all(&state.db)
        .await?;
    let orgs = crate::people::organisation_names(state).await?;
    let prefs = workshop_preference::Entity::find()
        .filter(workshop_preference::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .order_by_asc(workshop_preference::Column::Rank)
        .all(&state.db)
        .await?;
    let assigned = workshop_assignment::Entity::find()
        .filter(workshop_assignment::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .all(&state.db)
        .await?;
    let presence: HashMap<i64, Presence> = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(meeting_id))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|a| a.person_id.map(|p| (p, a.status)))
        .collect();
    let mut waiting = 0;
    Ok(regs
        .into_iter()
        .filter_map(|r| {
            let person = people.iter().find(|p| p.id == r.person_id)?.clone();
            let waiting_place = (r.status == RegistrationStatus::Waiting).then(|| {
                waiting += 1;
                waiting
            });
            Some(RegRow {
                organisation: person.organisation_id.and_then(|id| orgs.get(&id).cloned()),
                preferences: prefs
                    .iter()
                    .filter(|p| p.registration_id == r.id)
                    .map(|p| p.workshop.clone())
                    .collect(),
                assigned: assigned
                    .iter()
                    .filter(|a| a.registration_id == r.id)
                    .map(|a| a.workshop_id)
                    .collect(),
                attendance: presence.get(&person.id).copied(),
                person,
                waiting_place,
                registration: r,
            })
        })
        .collect())
}

fn counts(rows: &[RegRow], meals: &[String], presence: &[attendance::Model]) -> Counts {
    let mut counts = Counts::default();
    for row in rows {
        match row.registration.status {
            RegistrationStatus::Confirmed => counts.confirmed += 1,
            RegistrationStatus::Waiting => counts.waiting += 1,
            RegistrationStatus::Cancelled => {}
        }
    }
    for a in presence {
        match a.status {
            Presence::Present => counts.present += 1,
            Presence::Excused => counts.excused += 1,
            Presence::Absent => counts.absent += 1,
        }
    }
    counts.meals = meals
        .iter()
        .map(|meal| {
            let n = rows
                .iter()
                .filter(|r| {
                    r.registration.status == RegistrationStatus::Confirmed
                        && &r.registration.meal == meal
                })
                .count();
            (meal.clone(), n)
        })
        .collect();
    counts
}

pub async fn meeting_page_data(
    state: &AppState,
    ctx: &Ctx,
    loaded: Loaded,
) -> AppResult<MeetingPage> {
    let reference = loaded.reference();
    let id = loaded.meeting.id;
    let can_manage = ctx.can(Action::ManageMeeting(&reference));
    let agenda = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .order_by_asc(agenda_item::Column::Position)
        .all(&state.db)
        .await?;
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .order_by_asc(workshop::Column::SlotStart)
        .order_by_asc(workshop::Column::Id)
        .all(&state.db)
        .await?;
    let all_rows = rows(state, id).await?;
    let presence = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let meals = meals_of(&loaded.meeting);
    let counts = counts(&all_rows, &meals, &presence);
    let me = ctx.person_id();
    let (mine, rows): (Vec<RegRow>, Vec<RegRow>) =
        all_rows.into_iter().partition(|r| Some(r.person.id) == me);
    let mine = mine.into_iter().next();
    let rows = if can_manage { rows } else { Vec::new() };
    let occurrences = if loaded.meeting.rrule.is_some() {
        let changes = crate::entities::occurrence_change::Entity::find()
            .filter(crate::entities::occurrence_change::Column::MeetingId.eq(id))
            .all(&state.db)
            .await?;
        let now = super::now_local();
        let mut list = schedule::occurrences(
            &loaded.meeting,
            &changes,
            now - Duration::days(1),
            now + Duration::days(400),
        )?;
        list.truncate(24);
        list
    } else {
        Vec::new()
    };
    let people = if can_manage {
        crate::people::search(state, "", usize::MAX)
            .await?
            .into_iter()
            .map(|(p, org)| {
                (
                    p.id.to_string(),
                    match org {
                        Some(o) => format!("{} ({o})", p.name),
                        None => p.name,
                    },
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let (invitations, failures) = if can_manage {
        (
            crate::entities::invitation::Entity::find()
                .filter(crate::entities::invitation::Column::MeetingId.eq(id))
                .order_by_asc(crate::entities::invitation::Column::Name)
                .order_by_asc(crate::entities::invitation::Column::Email)
                .all(&state.db)
                .await?,
            crate::entities::outbox_message::Entity::find()
                .filter(crate::entities::outbox_message::Column::MeetingId.eq(id))
                .filter(crate::entities::outbox_message::Column::Status.eq(OutboxStatus::Failed))
                .all(&state.db)
                .await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let series = schedule::rule_of(&loaded.meeting)?.map(|rule| rule.describe_fr());
    Ok(MeetingPage {
        series,
        typed: Vec::new(),
        typed_action: None,
        invitations,
        failures,
        closed_reason: booking::closed_reason(&loaded.meeting, None, Utc::now()),
        can_register: ctx.can(Action::RegisterForMeeting(&reference)),
        can_read_minutes: ctx.can(Action::ReadMinutes(&reference)),
        topics: topics_of(&workshops),
        slots: slots_of(&workshops),
        loaded,
        agenda,
        workshops,
        can_manage,
        mine,
        rows,
        counts,
        occurrences,
        people,
        meals,
    })
}

#[cfg(test)]
mod tests;
