//! The mail room as a subscriber of domain events: it decides who hears of what happened and
//! writes their messages to the outbox, in the transaction that published the event (nothing is
//! lost, nothing is sent for a change that rolled back).

use chrono::NaiveDateTime;
use sea_orm::{DatabaseTransaction, DbErr, EntityTrait};

use super::MailContext;
use super::compose::Kind;
use super::notify;
use crate::entities::{meeting, person};
use crate::events::{Change, Event, Handling, Seat, Subscriber};
use crate::meetings;
use crate::meetings::views::{day_fr, when_fr};

/// Turns events into messages. Holds what composing needs, not the app state (which holds it).
pub struct Notifier {
    context: MailContext,
}

impl Notifier {
    pub fn new(context: MailContext) -> Self {
        Self { context }
    }

    async fn on(&self, txn: &DatabaseTransaction, event: &Event) -> Result<(), DbErr> {
        let context = &self.context;
        match event {
            Event::Registered {
                meeting_id,
                session,
                person_id,
                seat,
                ..
            } => {
                let kind = match seat {
                    Seat::Confirmed => Kind::RegistrationConfirmed,
                    Seat::Waiting { place } => Kind::Waiting { place: *place },
                };
                let about = (*meeting_id, *session);
                notify::registration_notice(txn, context, about, *person_id, kind).await
            }
            Event::Promoted {
                meeting_id,
                session,
                person_id,
            } => {
                let about = (*meeting_id, *session);
                notify::registration_notice(txn, context, about, *person_id, Kind::Promoted).await
            }
            // Nobody is told: the person did it (or was told by who did).
            Event::RegistrationCancelled { .. } => Ok(()),
            Event::MeetingChanged {
                meeting_id,
                changes,
                by,
            } => {
                let Some(loaded) = meetings::load_in(txn, *meeting_id).await? else {
                    return Ok(());
                };
                let what = what_changed(&loaded.meeting, changes);
                let by = sender(txn, *by).await?;
                let change = (what.as_str(), changes.as_slice());
                notify::meeting_changed(txn, context, &loaded, change, by.as_ref()).await?;
                Ok(())
            }
            Event::MeetingRestored { meeting_id, by } => {
                let Some(loaded) = meetings::load_in(txn, *meeting_id).await? else {
                    return Ok(());
                };
                let by = sender(txn, *by).await?;
                let what = ("la réunion est de nouveau prévue", &[][..]);
                notify::meeting_changed(txn, context, &loaded, what, by.as_ref()).await?;
                Ok(())
            }
            Event::MeetingCancelled {
                meeting_id,
                occurrence,
                by,
            } => {
                let Some(loaded) = meetings::load_in(txn, *meeting_id).await? else {
                    return Ok(());
                };
                let by = sender(txn, *by).await?;
                notify::meeting_cancelled(txn, context, &loaded, *occurrence, by.as_ref()).await?;
                Ok(())
            }
            Event::MinutesPublished {
                meeting_id,
                session,
                ..
            } => {
                let Some(loaded) = meetings::load_in(txn, *meeting_id).await? else {
                    return Ok(());
                };
                notify::minutes_published(txn, context, &loaded, *session).await?;
                Ok(())
            }
        }
    }
}

impl Subscriber for Notifier {
    fn handle<'a>(&'a self, txn: &'a DatabaseTransaction, event: &'a Event) -> Handling<'a> {
        Box::pin(self.on(txn, event))
    }
}

/// The person a message is sent on behalf of (the iTIP SENT-BY), if any.
async fn sender(
    txn: &DatabaseTransaction,
    by: Option<i64>,
) -> Result<Option<person::Model>, DbErr> {
    match by {
        Some(id) => person::Entity::find_by_id(id).one(txn).await,
        None => Ok(None),
    }
}

/// A short French phrase for an update's subject: what changed, worded from the meeting as it
/// now is.
pub fn what_changed(after: &meeting::Model, changes: &[Change]) -> String {
    let mut parts = Vec::new();
    for change in changes {
        parts.push(match change {
            Change::Schedule => {
                let (start, end) = (after.start_local.naive(), after.end_local.naive());
                format!("nouvelle date : {}", when_fr(start, end, after.all_day))
            }
            Change::Place => format!(
                "nouveau lieu : {}",
                if after.place_name.is_empty() {
                    "à préciser"
                } else {
                    after.place_name.as_str()
                }
            ),
            Change::VideoLink => "nouveau lien de visioconférence".to_string(),
            Change::Series => "nouvelles dates de la série".to_string(),
            Change::OccurrenceMoved { original } => {
                format!("la séance du {} est déplacée", session(*original))
            }
            Change::OccurrenceRestored { original } => {
                format!("la séance du {} est rétablie", session(*original))
            }
        });
    }
    if parts.is_empty() {
        parts.push("informations mises à jour".to_string());
    }
    parts.join(" ; ")
}

fn session(original: NaiveDateTime) -> String {
    day_fr(original.date())
}
