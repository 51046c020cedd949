//! Domain events: a room says what happened (a registration, a meeting changed, minutes
//! published); other rooms decide what follows (mail: who hears of it). `publish` writes the event
//! to `domain_events` and hands it to every subscriber of the bus, all in the transaction of the
//! change: the change, its record and what subscribers write (the outbox) commit or roll back as
//! one. This module sits at the bottom: every room may name it, it names no room.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{NaiveDateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, Set};
use serde::{Deserialize, Serialize};

use crate::entities::domain_event::{self, EventKind};

/// What happened, in structured form: facts, not wording (each subscriber words them in its
/// reader's language). `kind` names each variant in the `domain_events` table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A person registered (themselves, or `by` someone else; `by` None: through an invitation).
    Registered {
        meeting_id: i64,
        /// The session of a series (its original local start); None: the meeting as a whole.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<NaiveDateTime>,
        person_id: i64,
        seat: Seat,
        by: Option<i64>,
    },
    /// A registration was cancelled (the promotions it caused follow as `Promoted`).
    RegistrationCancelled {
        meeting_id: i64,
        /// The session of a series (its original local start); None: the meeting as a whole.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<NaiveDateTime>,
        person_id: i64,
        by: Option<i64>,
    },
    /// A seat freed up: this person left the waiting list and is now registered.
    Promoted {
        meeting_id: i64,
        /// The session of a series (its original local start); None: the meeting as a whole.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<NaiveDateTime>,
        person_id: i64,
    },
    /// A significant change to a scheduled meeting (what invitees' calendars must follow).
    /// `changes` empty: something significant changed that has no name of its own (the status).
    MeetingChanged {
        meeting_id: i64,
        changes: Vec<Change>,
        by: Option<i64>,
    },
    /// The whole meeting, or one session of a series (its original local start), does not take
    /// place (cancelled, or removed from the series).
    MeetingCancelled {
        meeting_id: i64,
        occurrence: Option<NaiveDateTime>,
        by: Option<i64>,
    },
    /// A cancelled meeting is scheduled again.
    MeetingRestored { meeting_id: i64, by: Option<i64> },
    /// The minutes became public.
    MinutesPublished {
        meeting_id: i64,
        /// The session of a series (its original local start); None: the meeting as a whole.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<NaiveDateTime>,
        by: Option<i64>,
    },
}

/// Where a registration landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Confirmed,
    /// On the waiting list, at this place (1 = next to be promoted).
    Waiting {
        place: u64,
    },
}

/// One thing that changed in a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Its date or times.
    Schedule,
    /// Its place (name or address).
    Place,
    /// Its video link.
    VideoLink,
    /// The dates of its series (the recurrence rule).
    Series,
    /// One session of the series moved (its original local start).
    OccurrenceMoved { original: NaiveDateTime },
    /// One session of the series back at its own date and times.
    OccurrenceRestored { original: NaiveDateTime },
}

impl Event {
    /// The event's name, as stored in `domain_events.kind` (and in the payload's `kind`).
    pub fn kind(&self) -> EventKind {
        match self {
            Event::Registered { .. } => EventKind::Registered,
            Event::RegistrationCancelled { .. } => EventKind::RegistrationCancelled,
            Event::Promoted { .. } => EventKind::Promoted,
            Event::MeetingChanged { .. } => EventKind::MeetingChanged,
            Event::MeetingCancelled { .. } => EventKind::MeetingCancelled,
            Event::MeetingRestored { .. } => EventKind::MeetingRestored,
            Event::MinutesPublished { .. } => EventKind::MinutesPublished,
        }
    }

    /// The meeting it is about.
    pub fn meeting_id(&self) -> Option<i64> {
        match self {
            Event::Registered { meeting_id, .. }
            | Event::RegistrationCancelled { meeting_id, .. }
            | Event::Promoted { meeting_id, .. }
            | Event::MeetingChanged { meeting_id, .. }
            | Event::MeetingCancelled { meeting_id, .. }
            | Event::MeetingRestored { meeting_id, .. }
            | Event::MinutesPublished { meeting_id, .. } => Some(*meeting_id),
        }
    }

    /// The person who caused it, if a person did.
    pub fn actor(&self) -> Option<i64> {
        match self {
            Event::Registered { by, .. }
            | Event::RegistrationCancelled { by, .. }
            | Event::MeetingChanged { by, .. }
            | Event::MeetingCancelled { by, .. }
            | Event::MeetingRestored { by, .. }
            | Event::MinutesPublished { by, .. } => *by,
            Event::Promoted { .. } => None,
        }
    }

    /// The event back from its stored row; an unreadable payload is an error naming the row.
    pub fn from_row(row: &domain_event::Model) -> Result<Event, DbErr> {
        serde_json::from_str(&row.payload).map_err(|e| {
            DbErr::Custom(format!(
                "événement #{} illisible ({}) : {e}",
                row.id, row.kind
            ))
        })
    }
}

/// What a subscriber's handling returns: a future borrowing the transaction and the event.
pub type Handling<'a> = Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send + 'a>>;

/// A room that reacts to events, inside the transaction that published them. An error rolls the
/// whole change back (the caller's `?` drops the transaction uncommitted).
pub trait Subscriber: Send + Sync {
    fn handle<'a>(&'a self, txn: &'a DatabaseTransaction, event: &'a Event) -> Handling<'a>;
}

/// The subscribers events are handed to, in the order they subscribed. Built once at start
/// (`AppState::start`); a bus with no subscriber only records the events.
#[derive(Clone, Default)]
pub struct Bus {
    subscribers: Vec<Arc<dyn Subscriber>>,
}

impl Bus {
    pub fn new() -> Self {
        Self::default()
    }

    /// The bus with one more subscriber.
    pub fn with(mut self, subscriber: Arc<dyn Subscriber>) -> Self {
        self.subscribers.push(subscriber);
        self
    }
}

/// Records `event` in `domain_events`, then hands it to every subscriber, all within `txn`.
pub async fn publish(txn: &DatabaseTransaction, bus: &Bus, event: Event) -> Result<(), DbErr> {
    let payload = serde_json::to_string(&event)
        .map_err(|e| DbErr::Custom(format!("événement {} non écrit : {e}", event.kind())))?;
    domain_event::ActiveModel {
        kind: Set(event.kind()),
        meeting_id: Set(event.meeting_id()),
        actor_id: Set(event.actor()),
        payload: Set(payload),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for subscriber in &bus.subscribers {
        subscriber.handle(txn, &event).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
