//! Registration: capacity enforced atomically, a waiting list served in arrival order, automatic
//! promotion when a seat frees up, deadlines. A one-off meeting takes registrations as a whole;
//! a series takes them per session (`Target`): each session has the series' capacity, its own
//! waiting list and its own meal choices. Every change starts by bumping the meeting's
//! registration counter, which locks the meeting row (PostgreSQL) or takes the write lock
//! (SQLite) before anything is read: concurrent registrations queue and never overbook.
//! What happened is published as a domain event in the same transaction; who hears of it is
//! the subscribers' business (mail).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use crate::audit;
use crate::entities::meeting::MeetingStatus;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{
    meeting, occurrence, registration, workshop, workshop_assignment, workshop_preference,
};
use crate::events::{self, Bus, Event, Seat};

/// Where registrations go: a meeting as a whole (a one-off), or one session of a series (its row
/// of the occurrence index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    pub meeting_id: i64,
    pub session: Option<i64>,
}

impl Target {
    /// A one-off meeting as a whole.
    pub fn meeting(meeting_id: i64) -> Self {
        Self {
            meeting_id,
            session: None,
        }
    }

    /// One session of a series.
    pub fn session(meeting_id: i64, occurrence_id: i64) -> Self {
        Self {
            meeting_id,
            session: Some(occurrence_id),
        }
    }

    /// The registrations of this target (of the meeting as a whole: `occurrence_id` NULL).
    pub fn registrations(self) -> Condition {
        let session = match self.session {
            Some(id) => registration::Column::OccurrenceId.eq(id),
            None => registration::Column::OccurrenceId.is_null(),
        };
        Condition::all()
            .add(registration::Column::MeetingId.eq(self.meeting_id))
            .add(session)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Confirmed,
    /// On the waiting list, at this place (1 = next to be promoted).
    Waiting(u64),
}

/// Why a registration (or a capacity) is refused; the French message is the one place it is
/// worded. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Cette réunion n'existe pas.")]
    NoSuchMeeting,
    #[error("Cette séance n'existe pas dans la série.")]
    NoSuchSession,
    #[error(transparent)]
    Closed(#[from] Closed),
    #[error("Choisissez votre repas dans la liste.")]
    UnknownMeal,
    #[error("L'atelier « {0} » n'existe pas pour cette réunion.")]
    UnknownWorkshop(String),
    #[error("L'atelier « {0} » est classé deux fois : un rang par atelier.")]
    WorkshopRankedTwice(String),
    #[error("Cette personne est déjà inscrite à cette réunion.")]
    AlreadyRegistered,
    #[error(
        "La capacité ({capacity}) ne peut pas être inférieure au nombre d'inscriptions confirmées ({confirmed})."
    )]
    CapacityBelowConfirmed { capacity: i32, confirmed: u64 },
}

/// Why a meeting does not take registrations now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Closed {
    #[error("Cette réunion ne prend pas d'inscriptions.")]
    NoRegistration,
    #[error("Cette réunion est une série : inscrivez-vous à l'une de ses séances.")]
    ChooseSession,
    #[error("Cette séance est annulée : les inscriptions sont closes.")]
    SessionCancelled,
    #[error("Cette réunion est annulée ou déjà tenue : les inscriptions sont closes.")]
    NotScheduled,
    #[error("La date limite d'inscription est passée.")]
    DeadlinePassed,
    #[error("Cette réunion est passée.")]
    Over,
}

#[derive(Clone, Debug, Default)]
pub struct Request {
    pub person_id: i64,
    pub meal: String,
    pub note: String,
    /// Workshop titles, best first.
    pub preferences: Vec<String>,
    pub registered_by: Option<i64>,
}

/// Takes the meeting's lock for this transaction and returns the meeting as it now is.
async fn lock(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
) -> Result<Option<meeting::Model>, DbErr> {
    meeting::Entity::update_many()
        .col_expr(
            meeting::Column::RegistrationCounter,
            Expr::col(meeting::Column::RegistrationCounter).add(1),
        )
        .filter(meeting::Column::Id.eq(meeting_id))
        .exec(txn)
        .await?;
    meeting::Entity::find_by_id(meeting_id).one(txn).await
}

pub fn deadline_passed(meeting: &meeting::Model, now: DateTime<Utc>) -> bool {
    meeting.registration_deadline.is_some_and(|d| now > d)
}

/// Why a meeting (a one-off: `session` None) or one session of a series does not take
/// registrations now; None if it does. A series' sessions close when they end (its registration
/// deadline, a single date, is a one-off's).
pub fn closed_reason(
    meeting: &meeting::Model,
    session: Option<&occurrence::Model>,
    now: DateTime<Utc>,
) -> Option<Closed> {
    let still_to_come = match meeting.status {
        MeetingStatus::Scheduled => true,
        MeetingStatus::Cancelled | MeetingStatus::Held => false,
    };
    let series = meeting.rrule.is_some();
    if !meeting.registration_open {
        Some(Closed::NoRegistration)
    } else if series && session.is_none() {
        Some(Closed::ChooseSession)
    } else if !still_to_come {
        Some(Closed::NotScheduled)
    } else if session.is_some_and(|s| s.cancelled) {
        Some(Closed::SessionCancelled)
    } else if !series && deadline_passed(meeting, now) {
        Some(Closed::DeadlinePassed)
    } else if now > session.map_or(meeting.ends_at, |s| s.ends_at) {
        Some(Closed::Over)
    } else {
        None
    }
}

/// The confirmed registrations of a one-off meeting or of one session.
pub async fn confirmed_count(db: &impl ConnectionTrait, target: Target) -> Result<u64, DbErr> {
    registration::Entity::find()
        .filter(target.registrations())
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .count(db)
        .await
}

/// The most confirmed registrations any session of the meeting (or the one-off) holds: a
/// capacity may not go below it.
pub async fn most_confirmed(db: &impl ConnectionTrait, meeting_id: i64) -> Result<u64, DbErr> {
    let counts: Vec<(Option<i64>, i64)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::OccurrenceId)
        .column_as(registration::Column::Id.count(), "n")
        .filter(registration::Column::MeetingId.eq(meeting_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .group_by(registration::Column::OccurrenceId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(_, n)| u64::try_from(n).unwrap_or(0))
        .max()
        .unwrap_or(0))
}

async fn waiting_place(
    db: &impl ConnectionTrait,
    target: Target,
    position: i64,
) -> Result<u64, DbErr> {
    registration::Entity::find()
        .filter(target.registrations())
        .filter(registration::Column::Status.eq(RegistrationStatus::Waiting))
        .filter(registration::Column::Position.lte(position))
        .count(db)
        .await
}

/// The session `target` names, if it is one of the meeting's; `Err` when it names none of them.
async fn session_of(
    txn: &impl ConnectionTrait,
    target: Target,
) -> Result<Result<Option<occurrence::Model>, Refusal>, DbErr> {
    let Some(id) = target.session else {
        return Ok(Ok(None));
    };
    let row = occurrence::Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|row| row.meeting_id == target.meeting_id);
    Ok(row.map(Some).ok_or(Refusal::NoSuchSession))
}

/// The original local start of a session (what events name a session by).
fn session_start(session: Option<&occurrence::Model>) -> Option<chrono::NaiveDateTime> {
    session.map(|s| s.original_start_local.naive())
}

/// Registers a person. `Ok(Err(refusal))` is a refusal for the person (nothing changed).
/// The registration is published on `bus` in the same transaction.
pub async fn register(
    db: &DatabaseConnection,
    target: Target,
    request: Request,
    now: DateTime<Utc>,
    bus: &Bus,
) -> Result<Result<Outcome, Refusal>, DbErr> {
    let txn = db.begin().await?;
    let outcome = register_in(&txn, target, request, now, bus).await?;
    if outcome.is_ok() {
        txn.commit().await?;
    }
    Ok(outcome)
}

/// `register` inside the caller's transaction, for a caller that writes more in the same one
/// (an invitation answer creates the person there). On a refusal the caller must not commit:
/// the meeting lock already bumped the counter in `txn`.
pub async fn register_in(
    txn: &DatabaseTransaction,
    target: Target,
    request: Request,
    now: DateTime<Utc>,
    bus: &Bus,
) -> Result<Result<Outcome, Refusal>, DbErr> {
    let meeting_id = target.meeting_id;
    let Some(meeting) = lock(txn, meeting_id).await? else {
        return Ok(Err(Refusal::NoSuchMeeting));
    };
    let session = match session_of(txn, target).await? {
        Ok(session) => session,
        Err(refusal) => return Ok(Err(refusal)),
    };
    // A one-off's own row of the index is the meeting as a whole.
    let target = if meeting.rrule.is_none() {
        Target::meeting(meeting_id)
    } else {
        target
    };
    let session = session.filter(|_| target.session.is_some());
    if let Some(reason) = closed_reason(&meeting, session.as_ref(), now) {
        return Ok(Err(reason.into()));
    }
    let meals: Vec<&str> = meeting
        .meal_options
        .split('\n')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    if !meals.is_empty() && !meals.contains(&request.meal.as_str()) {
        return Ok(Err(Refusal::UnknownMeal));
    }
    let workshops = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(meeting_id))
        .all(txn)
        .await?;
    for (i, title) in request.preferences.iter().enumerate() {
        if !workshops.iter().any(|w| &w.title == title) {
            return Ok(Err(Refusal::UnknownWorkshop(title.clone())));
        }
        if request.preferences[..i].contains(title) {
            return Ok(Err(Refusal::WorkshopRankedTwice(title.clone())));
        }
    }
    let existing = registration::Entity::find()
        .filter(target.registrations())
        .filter(registration::Column::PersonId.eq(request.person_id))
        .one(txn)
        .await?;
    if existing
        .as_ref()
        .is_some_and(|r| r.status != RegistrationStatus::Cancelled)
    {
        return Ok(Err(Refusal::AlreadyRegistered));
    }
    let confirmed = confirmed_count(txn, target).await?;
    let has_seat = meeting
        .capacity
        .is_none_or(|c| confirmed < u64::try_from(c).unwrap_or(0));
    let status = if has_seat {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waiting
    };
    let position = meeting.registration_counter;
    let saved = match existing {
        Some(previous) => {
            let mut model: registration::ActiveModel = previous.into();
            model.status = Set(status);
            model.position = Set(position);
            model.meal = Set(request.meal.clone());
            model.note = Set(request.note.clone());
            model.registered_by = Set(request.registered_by);
            model.updated_at = Set(now);
            model.update(txn).await?
        }
        None => {
            registration::ActiveModel {
                meeting_id: Set(meeting_id),
                occurrence_id: Set(target.session),
                person_id: Set(request.person_id),
                status: Set(status),
                position: Set(position),
                meal: Set(request.meal.clone()),
                note: Set(request.note.clone()),
                registered_by: Set(request.registered_by),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
    };
    workshop_preference::Entity::delete_many()
        .filter(workshop_preference::Column::RegistrationId.eq(saved.id))
        .exec(txn)
        .await?;
    for (rank, title) in request.preferences.iter().enumerate() {
        workshop_preference::ActiveModel {
            registration_id: Set(saved.id),
            workshop: Set(title.clone()),
            rank: Set(rank as i32 + 1),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    let outcome = if has_seat {
        Outcome::Confirmed
    } else {
        Outcome::Waiting(waiting_place(txn, target, position).await?)
    };
    let what = match &outcome {
        Outcome::Confirmed => "inscription confirmée".to_string(),
        Outcome::Waiting(n) => format!("liste d'attente, place {n}"),
    };
    let seat = match &outcome {
        Outcome::Confirmed => Seat::Confirmed,
        Outcome::Waiting(place) => Seat::Waiting { place: *place },
    };
    let registered = Event::Registered {
        meeting_id,
        session: session_start(session.as_ref()),
        person_id: request.person_id,
        seat,
        by: request.registered_by,
    };
    events::publish(txn, bus, registered).await?;
    audit::record(
        txn,
        request.registered_by,
        "inscrire",
        "réunion",
        Some(meeting_id),
        match &session {
            Some(s) => format!(
                "Personne #{} : {what} (séance du {})",
                request.person_id,
                s.original_start_local.naive().format("%d/%m/%Y")
            ),
            None => format!("Personne #{} : {what}", request.person_id),
        },
    )
    .await?;
    Ok(Ok(outcome))
}

/// Cancels a registration; frees the seat and promotes from the waiting list. Returns the ids of
/// the people promoted. The cancellation and each promotion are published on `bus`.
pub async fn cancel(
    db: &DatabaseConnection,
    target: Target,
    person_id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
    bus: &Bus,
) -> Result<Option<Vec<i64>>, DbErr> {
    let txn = db.begin().await?;
    let cancelled = cancel_in(&txn, target, person_id, by, now, bus).await?;
    if cancelled.is_some() {
        txn.commit().await?;
    }
    Ok(cancelled)
}

/// `cancel` inside the caller's transaction (the caller commits).
pub async fn cancel_in(
    txn: &DatabaseTransaction,
    target: Target,
    person_id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
    bus: &Bus,
) -> Result<Option<Vec<i64>>, DbErr> {
    let meeting_id = target.meeting_id;
    let Some(meeting) = lock(txn, meeting_id).await? else {
        return Ok(None);
    };
    let target = if meeting.rrule.is_none() {
        Target::meeting(meeting_id)
    } else {
        target
    };
    let Ok(session) = session_of(txn, target).await? else {
        return Ok(None);
    };
    let Some(existing) = registration::Entity::find()
        .filter(target.registrations())
        .filter(registration::Column::PersonId.eq(person_id))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let id = existing.id;
    let mut model: registration::ActiveModel = existing.into();
    model.status = Set(RegistrationStatus::Cancelled);
    model.updated_at = Set(now);
    model.update(txn).await?;
    workshop_assignment::Entity::delete_many()
        .filter(workshop_assignment::Column::RegistrationId.eq(id))
        .exec(txn)
        .await?;
    let promoted = fill_free_seats(txn, &meeting, target, now).await?;
    let session = session_start(session.as_ref());
    let cancelled = Event::RegistrationCancelled {
        meeting_id,
        session,
        person_id,
        by,
    };
    events::publish(txn, bus, cancelled).await?;
    publish_promotions(txn, bus, meeting_id, session, &promoted).await?;
    audit::record(
        txn,
        by,
        "désinscrire",
        "réunion",
        Some(meeting_id),
        format!("Personne #{person_id} désinscrite ; promu·es : {promoted:?}"),
    )
    .await?;
    Ok(Some(promoted))
}

/// Fills free seats from the waiting list, in arrival order, and publishes each promotion on
/// `bus` (so that the person hears of it), all in `txn`. Returns the ids of the people promoted.
/// Call inside a locked transaction (a raised capacity, say).
/// Every session with a waiting list is served (a series' capacity is each session's).
pub async fn promote(
    txn: &DatabaseTransaction,
    bus: &Bus,
    meeting: &meeting::Model,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    let mut sessions: Vec<Option<i64>> = registration::Entity::find()
        .select_only()
        .column(registration::Column::OccurrenceId)
        .distinct()
        .filter(registration::Column::MeetingId.eq(meeting.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waiting))
        .into_tuple()
        .all(txn)
        .await?;
    sessions.sort_unstable();
    let mut all = Vec::new();
    for session in sessions {
        let target = Target {
            meeting_id: meeting.id,
            session,
        };
        let promoted = fill_free_seats(txn, meeting, target, now).await?;
        let start = match session {
            Some(id) => occurrence::Entity::find_by_id(id)
                .one(txn)
                .await?
                .map(|s| s.original_start_local.naive()),
            None => None,
        };
        publish_promotions(txn, bus, meeting.id, start, &promoted).await?;
        all.extend(promoted);
    }
    Ok(all)
}

/// One `Event::Promoted` per person promoted, in order.
async fn publish_promotions(
    txn: &DatabaseTransaction,
    bus: &Bus,
    meeting_id: i64,
    session: Option<chrono::NaiveDateTime>,
    promoted: &[i64],
) -> Result<(), DbErr> {
    for person_id in promoted {
        let promoted = Event::Promoted {
            meeting_id,
            session,
            person_id: *person_id,
        };
        events::publish(txn, bus, promoted).await?;
    }
    Ok(())
}

/// Fills free seats from the waiting list, in arrival order; publishes nothing (the caller
/// does, `promote` or `cancel_in`). Returns the ids of the people promoted.
async fn fill_free_seats(
    txn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    target: Target,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    let confirmed = confirmed_count(txn, target).await?;
    let free = match meeting.capacity {
        None => u64::MAX,
        Some(c) => u64::try_from(c).unwrap_or(0).saturating_sub(confirmed),
    };
    if free == 0 {
        return Ok(Vec::new());
    }
    let waiting = registration::Entity::find()
        .filter(target.registrations())
        .filter(registration::Column::Status.eq(RegistrationStatus::Waiting))
        .order_by_asc(registration::Column::Position)
        .all(txn)
        .await?;
    let mut promoted = Vec::new();
    for row in waiting
        .into_iter()
        .take(usize::try_from(free).unwrap_or(usize::MAX))
    {
        promoted.push(row.person_id);
        let mut model: registration::ActiveModel = row.into();
        model.status = Set(RegistrationStatus::Confirmed);
        model.updated_at = Set(now);
        model.update(txn).await?;
    }
    Ok(promoted)
}

/// Checks a new capacity under the meeting lock: refused below the confirmed count of the meeting
/// (a series: of its fullest session); a larger capacity promotes from the waiting lists
/// (`promote`). Returns the refusal, if any.
pub async fn check_capacity(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
    capacity: Option<i32>,
) -> Result<Option<Refusal>, DbErr> {
    let Some(capacity) = capacity else {
        return Ok(None);
    };
    let confirmed = most_confirmed(txn, meeting_id).await?;
    if u64::try_from(capacity).unwrap_or(0) < confirmed {
        return Ok(Some(Refusal::CapacityBelowConfirmed {
            capacity,
            confirmed,
        }));
    }
    Ok(None)
}

pub async fn lock_meeting(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
) -> Result<Option<meeting::Model>, DbErr> {
    lock(txn, meeting_id).await
}
