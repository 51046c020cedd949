//! Taking part: registering (oneself, or others for coordinators), the waiting list, workshop
//! assignment, attendance on the day, minutes, and the CSV export.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;

use super::booking::{self, CANCELLED, CONFIRMED, Outcome, Request, WAITING};
use super::{Loaded, assignment, load, schedule, views};
use crate::app::AppState;
use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::{
    agenda_item, attendance, group_membership, meeting, person, platform_membership, registration,
    workshop, workshop_assignment, workshop_preference,
};
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};

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
    pub attendance: Option<String>,
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
    pub closed_reason: Option<&'static str>,
    pub can_register: bool,
    pub mine: Option<RegRow>,
    pub rows: Vec<RegRow>,
    pub counts: Counts,
    pub occurrences: Vec<schedule::Occurrence>,
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
        .filter(registration::Column::Status.ne(CANCELLED))
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
    let presence: HashMap<i64, String> = attendance::Entity::find()
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
            let waiting_place = (r.status == WAITING).then(|| {
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
                attendance: presence.get(&person.id).cloned(),
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
        match row.registration.status.as_str() {
            CONFIRMED => counts.confirmed += 1,
            WAITING => counts.waiting += 1,
            _ => {}
        }
    }
    for a in presence {
        match a.status.as_str() {
            "present" => counts.present += 1,
            "excused" => counts.excused += 1,
            "absent" => counts.absent += 1,
            _ => {}
        }
    }
    counts.meals = meals
        .iter()
        .map(|meal| {
            let n = rows
                .iter()
                .filter(|r| r.registration.status == CONFIRMED && &r.registration.meal == meal)
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
        );
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
                .filter(crate::entities::outbox_message::Column::Status.eq("failed"))
                .all(&state.db)
                .await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(MeetingPage {
        typed: Vec::new(),
        typed_action: None,
        invitations,
        failures,
        closed_reason: booking::closed_reason(&loaded.meeting, Utc::now()),
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

/// The registration form: meal, note, and `choice_1`…`choice_n` (workshop titles, best first).
fn request_from(pairs: &[(String, String)], person_id: i64, by: Option<i64>) -> Request {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut choices: Vec<(u32, String)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("choice_")
                .and_then(|n| n.parse::<u32>().ok())
                .map(|n| (n, v.trim().to_string()))
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    choices.sort();
    Request {
        person_id,
        meal: get("meal"),
        note: get("note").chars().take(2000).collect(),
        preferences: choices.into_iter().map(|(_, v)| v).collect(),
        registered_by: by,
    }
}

fn outcome_message(outcome: &Outcome, who: &str) -> String {
    match outcome {
        Outcome::Confirmed => format!("Inscription confirmée pour {who}."),
        Outcome::Waiting(place) => format!(
            "La réunion est complète : {who} est en liste d'attente (place {place}). La place sera attribuée automatiquement si quelqu'un se désiste."
        ),
    }
}

async fn register_self(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::RegisterForMeeting(&loaded.reference()))?;
    let me = ctx.signed_in()?;
    let back = format!("/reunions/{id}");
    let request = request_from(&pairs, me.id, Some(me.id));
    match booking::register(&state.db, id, request, Utc::now(), Some(&state)).await? {
        Ok(outcome) => Ok(redirect_with_flash(
            &back,
            FlashKind::Success,
            outcome_message(&outcome, "vous"),
        )),
        Err(message) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            refused_page(
                &state,
                &ctx,
                id,
                &message,
                (&format!("/reunions/{id}/inscription"), &pairs),
            )
            .await?,
        )
            .into_response()),
    }
}

/// The meeting page again with the refusal on top (what was chosen is asked again).
async fn refused_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    message: &str,
    typed: (&str, &[(String, String)]),
) -> AppResult<maud::Markup> {
    let loaded = load(state, id).await?;
    let mut page = meeting_page_data(state, ctx, loaded).await?;
    page.typed_action = Some(typed.0.to_string());
    page.typed = typed.1.to_vec();
    Ok(views::meeting_page_with_error(ctx, &page, message))
}

async fn cancel_self(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    loaded.open_for(&ctx)?;
    let me = ctx.signed_in()?.id;
    match booking::cancel(&state.db, id, me, Some(me), Utc::now(), Some(&state)).await? {
        Some(_) => Ok(redirect_with_flash(
            &format!("/reunions/{id}"),
            FlashKind::Success,
            "Votre inscription est annulée.",
        )),
        None => Err(AppError::BadRequest(
            "Vous n'êtes pas inscrit·e à cette réunion.".into(),
        )),
    }
}

async fn register_other(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let person_id = pairs
        .iter()
        .find(|(k, _)| k == "person_id")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .ok_or_else(|| AppError::BadRequest("Choisissez une personne dans la liste.".into()))?;
    let person = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .filter(|p| p.active)
        .ok_or_else(|| {
            AppError::BadRequest("Cette personne n'existe pas ou son compte est désactivé.".into())
        })?;
    let request = request_from(&pairs, person.id, ctx.person_id());
    match booking::register(&state.db, id, request, Utc::now(), Some(&state)).await? {
        Ok(outcome) => Ok(redirect_with_flash(
            &format!("/reunions/{id}#inscriptions"),
            FlashKind::Success,
            outcome_message(&outcome, &person.name),
        )),
        Err(message) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            refused_page(
                &state,
                &ctx,
                id,
                &message,
                (&format!("/reunions/{id}/inscriptions"), &pairs),
            )
            .await?,
        )
            .into_response()),
    }
}

async fn cancel_other(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    match booking::cancel(
        &state.db,
        id,
        person_id,
        ctx.person_id(),
        Utc::now(),
        Some(&state),
    )
    .await?
    {
        Some(promoted) => {
            let extra = if promoted.is_empty() {
                String::new()
            } else {
                format!(
                    " {} personne(s) promue(s) depuis la liste d'attente.",
                    promoted.len()
                )
            };
            Ok(redirect_with_flash(
                &format!("/reunions/{id}#inscriptions"),
                FlashKind::Success,
                format!("Inscription annulée.{extra}"),
            ))
        }
        None => Err(AppError::NotFound),
    }
}

async fn run_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let slots = slots_of(&workshops);
    if workshops.is_empty() {
        return Err(AppError::BadRequest(
            "Ajoutez d'abord les ateliers et leurs créneaux.".into(),
        ));
    }
    let regs = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(id))
        .filter(registration::Column::Status.eq(CONFIRMED))
        .order_by_asc(registration::Column::Position)
        .all(&state.db)
        .await?;
    let prefs = workshop_preference::Entity::find()
        .filter(workshop_preference::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .order_by_asc(workshop_preference::Column::Rank)
        .all(&state.db)
        .await?;
    let manual = workshop_assignment::Entity::find()
        .filter(workshop_assignment::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .filter(workshop_assignment::Column::Manual.eq(true))
        .all(&state.db)
        .await?;
    let sessions: Vec<assignment::Session> = workshops
        .iter()
        .map(|w| assignment::Session {
            id: w.id,
            workshop: w.title.clone(),
            slot: w.slot_start.clone(),
            capacity: w.capacity.map(|c| c.max(0) as u32),
        })
        .collect();
    let registrants: Vec<assignment::Registrant> = regs
        .iter()
        .map(|r| assignment::Registrant {
            id: r.id,
            ranking: prefs
                .iter()
                .filter(|p| p.registration_id == r.id)
                .map(|p| p.workshop.clone())
                .collect(),
            fixed: manual
                .iter()
                .filter(|a| a.registration_id == r.id)
                .map(|a| a.workshop_id)
                .collect(),
        })
        .collect();
    let per_person = slots.len().min(topics_of(&workshops).len());
    let outcome = assignment::assign(&sessions, &registrants, per_person, id as u64);
    let txn = crate::db::begin_write(&state.db).await?;
    workshop_assignment::Entity::delete_many()
        .filter(workshop_assignment::Column::RegistrationId.is_in(regs.iter().map(|r| r.id)))
        .filter(workshop_assignment::Column::Manual.eq(false))
        .exec(&txn)
        .await?;
    for (registration_id, session_ids) in &outcome.assignments {
        for session_id in session_ids {
            if manual
                .iter()
                .any(|a| a.registration_id == *registration_id && a.workshop_id == *session_id)
            {
                continue;
            }
            workshop_assignment::ActiveModel {
                registration_id: Set(*registration_id),
                workshop_id: Set(*session_id),
                manual: Set(false),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let stats = &outcome.stats;
    let message = format!(
        "Répartition faite : {} personne(s) placée(s) dans {} atelier(s) chacune ; {:.0} % ont leur premier choix{}.",
        stats.placed_fully,
        per_person,
        stats.first_choice_share * 100.0,
        if outcome.unplaced.is_empty() {
            String::new()
        } else {
            format!(
                " ; {} sans place complète (capacités insuffisantes)",
                outcome.unplaced.len()
            )
        }
    );
    audit::record(
        &txn,
        ctx.person_id(),
        "répartir les ateliers",
        "réunion",
        Some(id),
        message.clone(),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#ateliers"),
        FlashKind::Success,
        message,
    ))
}

/// By hand: `slot_HH:MM` = workshop id (or empty to leave the slot free).
async fn adjust_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, registration_id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let reg = registration::Entity::find_by_id(registration_id)
        .one(&state.db)
        .await?
        .filter(|r| r.meeting_id == id && r.status == CONFIRMED)
        .ok_or(AppError::NotFound)?;
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let mut chosen: Vec<&workshop::Model> = Vec::new();
    for (key, value) in &pairs {
        let Some(slot) = key.strip_prefix("slot_") else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        let Some(w) = value.trim().parse::<i64>().ok().and_then(|wid| {
            workshops
                .iter()
                .find(|w| w.id == wid && w.slot_start == slot)
        }) else {
            return Err(AppError::BadRequest(
                "Cet atelier n'existe pas dans ce créneau.".into(),
            ));
        };
        if chosen.iter().any(|c| c.title == w.title) {
            return Err(AppError::BadRequest(format!(
                "« {} » ne peut être suivi deux fois.",
                w.title
            )));
        }
        chosen.push(w);
    }
    let txn = crate::db::begin_write(&state.db).await?;
    booking::lock_meeting(&txn, id).await?;
    for w in &chosen {
        let taken = workshop_assignment::Entity::find()
            .filter(workshop_assignment::Column::WorkshopId.eq(w.id))
            .filter(workshop_assignment::Column::RegistrationId.ne(registration_id))
            .all(&txn)
            .await?
            .len();
        if w.capacity.is_some_and(|c| taken as i64 >= i64::from(c)) {
            return Err(AppError::BadRequest(format!(
                "L'atelier « {} » ({}) est complet.",
                w.title, w.slot_start
            )));
        }
    }
    workshop_assignment::Entity::delete_many()
        .filter(workshop_assignment::Column::RegistrationId.eq(registration_id))
        .exec(&txn)
        .await?;
    for w in &chosen {
        workshop_assignment::ActiveModel {
            registration_id: Set(registration_id),
            workshop_id: Set(w.id),
            manual: Set(true),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "ajuster la répartition",
        "réunion",
        Some(id),
        format!(
            "Personne #{} : {} atelier(s) fixé(s) à la main",
            reg.person_id,
            chosen.len()
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#ateliers"),
        FlashKind::Success,
        "Répartition ajustée à la main.",
    ))
}

pub struct SheetRow {
    pub person_id: Option<i64>,
    pub name: String,
    pub organisation: Option<String>,
    pub status: Option<String>,
    pub walk_in: bool,
}

/// Who is expected: confirmed registrants, or (no registration) the members of the group or
/// platform; plus the walk-ins already recorded.
async fn sheet(state: &AppState, loaded: &Loaded) -> AppResult<Vec<SheetRow>> {
    let id = loaded.meeting.id;
    let mut expected: Vec<i64> = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(id))
        .filter(registration::Column::Status.eq(CONFIRMED))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.person_id)
        .collect();
    if !loaded.meeting.registration_open && expected.is_empty() {
        expected = match (&loaded.group, &loaded.platform) {
            (Some(g), _) => group_membership::Entity::find()
                .filter(group_membership::Column::WorkingGroupId.eq(g.id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|m| m.person_id)
                .collect(),
            (None, Some(p)) => platform_membership::Entity::find()
                .filter(platform_membership::Column::PlatformId.eq(p.id))
                .all(&state.db)
                .await?
                .into_iter()
                .map(|m| m.person_id)
                .collect(),
            _ => Vec::new(),
        };
    }
    let marks = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?;
    let ids: BTreeSet<i64> = expected
        .iter()
        .copied()
        .chain(marks.iter().filter_map(|m| m.person_id))
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(&state.db)
        .await?;
    let orgs = crate::people::organisation_names(state).await?;
    let mut rows: Vec<SheetRow> = people
        .into_iter()
        .map(|p| SheetRow {
            status: marks
                .iter()
                .find(|m| m.person_id == Some(p.id))
                .map(|m| m.status.clone()),
            walk_in: !expected.contains(&p.id),
            organisation: p.organisation_id.and_then(|o| orgs.get(&o).cloned()),
            person_id: Some(p.id),
            name: p.name,
        })
        .collect();
    rows.extend(
        marks
            .iter()
            .filter(|m| m.person_id.is_none())
            .map(|m| SheetRow {
                person_id: None,
                name: m.walk_in_name.clone(),
                organisation: None,
                status: Some(m.status.clone()),
                walk_in: true,
            }),
    );
    rows.sort_by_cached_key(|r| crate::platforms::rules::sort_key(&r.name));
    Ok(rows)
}

async fn attendance_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let rows = sheet(&state, &loaded).await?;
    let people: Vec<(String, String)> = crate::people::search(&state, "", usize::MAX)
        .await?
        .into_iter()
        .map(|(p, _)| (p.id.to_string(), p.name))
        .collect();
    Ok(views::attendance_page(&ctx, &loaded, &rows, &people).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MarkForm {
    status: String,
}

async fn upsert_mark(
    state: &AppState,
    ctx: &Ctx,
    meeting_id: i64,
    person_id: Option<i64>,
    name: &str,
    status: &str,
) -> AppResult<()> {
    let txn = crate::db::begin_write(&state.db).await?;
    let existing = match person_id {
        Some(pid) => {
            attendance::Entity::find()
                .filter(attendance::Column::MeetingId.eq(meeting_id))
                .filter(attendance::Column::PersonId.eq(pid))
                .one(&txn)
                .await?
        }
        None => None,
    };
    match existing {
        Some(row) => {
            let mut model: attendance::ActiveModel = row.into();
            model.status = Set(status.to_string());
            model.marked_by = Set(ctx.person_id());
            model.marked_at = Set(Utc::now());
            model.update(&txn).await?;
        }
        None => {
            attendance::ActiveModel {
                meeting_id: Set(meeting_id),
                person_id: Set(person_id),
                walk_in_name: Set(name.to_string()),
                status: Set(status.to_string()),
                marked_by: Set(ctx.person_id()),
                marked_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

async fn mark(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person_id)): Path<(i64, i64)>,
    Form(form): Form<MarkForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    if !["present", "excused", "absent"].contains(&form.status.as_str()) {
        return Err(AppError::BadRequest(
            "Choisissez présent·e, excusé·e ou absent·e.".into(),
        ));
    }
    let person = person::Entity::find_by_id(person_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    upsert_mark(&state, &ctx, id, Some(person_id), "", &form.status).await?;
    if ctx.htmx {
        let rows = sheet(&state, &loaded).await?;
        let row = rows
            .into_iter()
            .find(|r| r.person_id == Some(person.id))
            .ok_or(AppError::NotFound)?;
        return Ok(views::attendance_row(&ctx, id, &row).into_response());
    }
    Ok(redirect_with_flash(
        &format!("/reunions/{id}/presences"),
        FlashKind::Success,
        format!("{} : {}.", person.name, views::presence_label(&form.status)),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WalkInForm {
    person_id: String,
    name: String,
}

async fn walk_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<WalkInForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("/reunions/{id}/presences");
    if let Ok(pid) = form.person_id.trim().parse::<i64>() {
        let person = person::Entity::find_by_id(pid)
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::BadRequest("Cette personne n'existe pas.".into()))?;
        upsert_mark(&state, &ctx, id, Some(pid), "", "present").await?;
        return Ok(redirect_with_flash(
            &back,
            FlashKind::Success,
            format!("{} ajouté·e sur place.", person.name),
        ));
    }
    let name = crate::web::components::name_field(
        &form.name,
        200,
        "Indiquez le nom de la personne venue sur place.",
    )
    .map_err(AppError::BadRequest)?;
    upsert_mark(&state, &ctx, id, None, &name, "present").await?;
    Ok(redirect_with_flash(
        &back,
        FlashKind::Success,
        format!("{name} ajouté·e sur place."),
    ))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MinutesForm {
    pub minutes: String,
    pub decisions: String,
    pub actions: String,
    pub published: Option<String>,
}

async fn minutes_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let m = &loaded.meeting;
    let form = MinutesForm {
        minutes: m.minutes.clone(),
        decisions: m.decisions.clone(),
        actions: m.actions.clone(),
        published: m.minutes_published.then(|| "on".into()),
    };
    Ok(views::minutes_page(&ctx, &loaded, &form).into_response())
}

async fn save_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let publish = form.published.is_some();
    if publish && form.minutes.trim().is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::minutes_error(
                &ctx,
                &loaded,
                &form,
                "Un compte rendu vide ne peut pas être publié.",
            ),
        )
            .into_response());
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.minutes = Set(form.minutes.trim().to_string());
    model.decisions = Set(form.decisions.trim().to_string());
    model.actions = Set(form.actions.trim().to_string());
    model.minutes_published = Set(publish);
    model.updated_at = Set(Utc::now());
    let saved = model.update(&txn).await?;
    if publish && !loaded.meeting.minutes_published {
        let after = Loaded {
            meeting: saved,
            platform: loaded.platform.clone(),
            group: loaded.group.clone(),
        };
        crate::mail::notify::minutes_published(&txn, &state, &after).await?;
    }
    audit::record(
        &txn,
        ctx.person_id(),
        if publish {
            "publier le compte rendu"
        } else {
            "enregistrer le compte rendu"
        },
        "réunion",
        Some(id),
        loaded.meeting.title.clone(),
    )
    .await?;
    txn.commit().await?;
    let message = if publish {
        "Compte rendu publié : les membres peuvent le lire."
    } else {
        "Compte rendu enregistré (non publié)."
    };
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#compte-rendu"),
        FlashKind::Success,
        message,
    ))
}

/// Spreadsheets run a cell starting with = + - @ (or a tab or carriage return before one) as a
/// formula: such a value is written after an apostrophe, which they show as text.
fn csv_guard(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// Semicolon-separated (what spreadsheets in Belgium expect), every field quoted and guarded,
/// CRLF line ends, after a UTF-8 byte-order mark.
fn csv_text(rows: &[Vec<String>]) -> Result<String, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    for row in rows {
        writer
            .write_record(row.iter().map(|f| csv_guard(f)))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("export CSV : {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export CSV : {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("export CSV : {e}")))
}

async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let rows = rows(&state, id).await?;
    let workshops: BTreeMap<i64, workshop::Model> = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let mut table = vec![
        [
            "Nom",
            "Organisation",
            "E-mail",
            "Inscription",
            "Place en attente",
            "Repas",
            "Ateliers",
            "Présence",
            "Remarque",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for row in &rows {
        let ateliers = row
            .assigned
            .iter()
            .filter_map(|w| workshops.get(w))
            .map(|w| format!("{} {}", w.slot_start, w.title))
            .collect::<Vec<_>>()
            .join(" / ");
        table.push(vec![
            row.person.name.clone(),
            row.organisation.clone().unwrap_or_default(),
            row.person.email.clone(),
            views::registration_label(&row.registration.status).to_string(),
            row.waiting_place.map(|p| p.to_string()).unwrap_or_default(),
            row.registration.meal.clone(),
            ateliers,
            row.attendance
                .as_deref()
                .map(views::presence_label)
                .unwrap_or_default()
                .to_string(),
            row.registration.note.clone(),
        ]);
    }
    let out = csv_text(&table)?;
    let filename = format!("inscriptions-reunion-{id}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response())
}

/// A working group's attendance over the last year: its meetings, and per member a status each.
pub async fn group_attendance(
    state: &AppState,
    ctx: &Ctx,
    group_id: i64,
) -> AppResult<(
    Vec<meeting::Model>,
    Vec<(person::Model, Vec<Option<String>>)>,
)> {
    let since = Utc::now() - Duration::days(365);
    let held = meeting::Entity::find()
        .filter(meeting::Column::WorkingGroupId.eq(group_id))
        .filter(meeting::Column::Rrule.is_null())
        .filter(meeting::Column::StartsAt.gt(since))
        .filter(meeting::Column::StartsAt.lt(Utc::now()))
        .order_by_asc(meeting::Column::StartsAt)
        .all(&state.db)
        .await?;
    // The table's columns name meetings: only those the viewer may open.
    let meetings: Vec<meeting::Model> = super::visible(state, ctx, held)
        .await?
        .into_iter()
        .map(|l| l.meeting)
        .collect();
    let members = group_membership::Entity::find()
        .filter(group_membership::Column::WorkingGroupId.eq(group_id))
        .all(&state.db)
        .await?;
    let mut people = person::Entity::find()
        .filter(person::Column::Id.is_in(members.iter().map(|m| m.person_id)))
        .all(&state.db)
        .await?;
    people.sort_by_cached_key(|p| crate::platforms::rules::sort_key(&p.name));
    let marks = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.is_in(meetings.iter().map(|m| m.id)))
        .all(&state.db)
        .await?;
    let table = people
        .into_iter()
        .map(|p| {
            let statuses = meetings
                .iter()
                .map(|m| {
                    marks
                        .iter()
                        .find(|a| a.meeting_id == m.id && a.person_id == Some(p.id))
                        .map(|a| a.status.clone())
                })
                .collect();
            (p, statuses)
        })
        .collect();
    Ok((meetings, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_field_is_quoted_and_guarded_against_formulas() {
        let text = csv_text(&[vec![
            "Nom".into(),
            "x,=1+1".into(),
            "=HYPERLINK(\"x\")".into(),
            "\tcmd".into(),
            "a;b\r\nc".into(),
            "-3".into(),
            String::new(),
        ]])
        .unwrap();
        assert_eq!(
            text,
            "\u{feff}\"Nom\";\"x,=1+1\";\"'=HYPERLINK(\"\"x\"\")\";\"'\tcmd\";\"a;b\r\nc\";\"'-3\";\"\"\r\n"
        );
    }
}
