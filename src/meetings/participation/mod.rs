//! Taking part: registering (oneself, or others for coordinators), the waiting list, workshop
//! assignment, attendance on the day, minutes, and the CSV export.

use std::collections::{BTreeSet, HashMap};

use axum::Router;
use axum::routing::{get, post};
use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use super::booking::{self, Target};
use super::{Loaded, schedule};
use crate::auth::permissions::Action;
use crate::entities::attendance::Presence;
use crate::entities::outbox_message::OutboxStatus;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{
    agenda_item, attendance, meeting, occurrence, person, registration, workshop,
    workshop_assignment, workshop_preference,
};
use crate::state::AppState;
use crate::web::{AppResult, Ctx};
use assigning::{adjust_assignment, run_assignment};
pub use attending::SheetRow;
use attending::{attendance_sheet, mark, walk_in};
pub(crate) use export::csv_response;
use export::export_csv;
pub use minutes::MinutesForm;
use minutes::{minutes_form, save_minutes};
pub use registering::refused_page;
use registering::{cancel_other, cancel_self, register_other, register_self};
pub use sessions::{SessionInvitation, SessionLine, Sessions, session_address};

mod assigning;
mod attending;
mod export;
mod minutes;
mod registering;
mod sessions;

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
        .merge(sessions::routes())
}

/// Where taking part happens: a meeting as a whole (a one-off), or one session of a series (its
/// row of the occurrence index). Its page's address and the queries of its registrations and
/// attendance follow from it.
#[derive(Clone, Debug)]
pub struct At {
    pub meeting_id: i64,
    pub session: Option<occurrence::Model>,
}

impl At {
    pub fn meeting(meeting_id: i64) -> Self {
        Self {
            meeting_id,
            session: None,
        }
    }

    pub fn session(session: occurrence::Model) -> Self {
        Self {
            meeting_id: session.meeting_id,
            session: Some(session),
        }
    }

    pub fn target(&self) -> Target {
        Target {
            meeting_id: self.meeting_id,
            session: self.session.as_ref().map(|s| s.id),
        }
    }

    /// The page: `/reunions/{id}`, or `/reunions/{id}/{YYYY-MM-DD}` for a session.
    pub fn base(&self) -> String {
        match &self.session {
            Some(s) => session_address(self.meeting_id, s),
            None => format!("/reunions/{}", self.meeting_id),
        }
    }

    /// The attendance marks of this meeting or session.
    pub fn attendance(&self) -> Condition {
        let session = match &self.session {
            Some(s) => attendance::Column::OccurrenceId.eq(s.id),
            None => attendance::Column::OccurrenceId.is_null(),
        };
        Condition::all()
            .add(attendance::Column::MeetingId.eq(self.meeting_id))
            .add(session)
    }
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
    /// Where this page's forms and links point (`At::base`), and the session it is of, if any.
    pub base: String,
    pub session: Option<occurrence::Model>,
    /// A series' page: its past and next sessions, from the index, with their counts.
    pub sessions: Sessions,
    /// A session's page: the sessions before and after it.
    pub neighbours: (Option<occurrence::Model>, Option<occurrence::Model>),
    /// A session's page (coordinators): invitations to it or to the whole series, with the
    /// answer that holds for this session.
    pub session_invitations: Vec<SessionInvitation>,
    /// A session's page (coordinators): its attendance sheet.
    pub sheet: Vec<SheetRow>,
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

async fn rows(state: &AppState, at: &At) -> AppResult<Vec<RegRow>> {
    let regs = registration::Entity::find()
        .filter(at.target().registrations())
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
        .filter(at.attendance())
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
    let at = At::meeting(loaded.meeting.id);
    page_data(state, ctx, loaded, at).await
}

/// The data of a meeting's page, or (`at` a session) of a session's page.
pub async fn page_data(
    state: &AppState,
    ctx: &Ctx,
    loaded: Loaded,
    at: At,
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
    let all_rows = rows(state, &at).await?;
    let presence = attendance::Entity::find()
        .filter(at.attendance())
        .all(&state.db)
        .await?;
    let meals = meals_of(&loaded.meeting);
    let counts = counts(&all_rows, &meals, &presence);
    let me = ctx.person_id();
    let (mine, rows): (Vec<RegRow>, Vec<RegRow>) =
        all_rows.into_iter().partition(|r| Some(r.person.id) == me);
    let mine = mine.into_iter().next();
    let rows = if can_manage { rows } else { Vec::new() };
    let session_page = at.session.is_some();
    let sessions = if loaded.meeting.rrule.is_some() && !session_page {
        sessions::of_series(state, &loaded.meeting).await?
    } else {
        Sessions::default()
    };
    let neighbours = match &at.session {
        Some(s) => sessions::neighbours(state, s).await?,
        None => (None, None),
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
    let (session_invitations, sheet) = match (&at.session, can_manage) {
        (Some(s), true) => (
            sessions::invitations(state, s).await?,
            attending::sheet(state, &loaded, &at).await?,
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let (invitations, failures) = if can_manage && !session_page {
        (
            // Invitations to the meeting as a whole; those to one session are on its page.
            crate::entities::invitation::Entity::find()
                .filter(crate::entities::invitation::Column::MeetingId.eq(id))
                .filter(crate::entities::invitation::Column::OccurrenceId.is_null())
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
        closed_reason: booking::closed_reason(&loaded.meeting, at.session.as_ref(), Utc::now()),
        base: at.base(),
        session: at.session,
        sessions,
        neighbours,
        session_invitations,
        sheet,
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
        people,
        meals,
    })
}

#[cfg(test)]
mod tests;
