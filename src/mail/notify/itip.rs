//! The iTIP calendar each invitee gets (RFC 5546): the meeting's events with that one attendee,
//! their answer as PARTSTAT unless something significant changed since.

use chrono::Utc;
use sea_orm::DbErr;

use super::sessions::Session;
use crate::calendar::ics::{self, Attendee, Calendar, Event, Method, Organizer, Status};
use crate::entities::invitation::Answer;
use crate::entities::{agenda_item, invitation, meeting, occurrence_change, person};
use crate::mail::MailContext;
use crate::meetings::Loaded;

/// The iTIP calendar for one invitee: REQUEST (invitation, update) or CANCEL; `session`
/// restricts it to one session of a series (the series' UID, the session's RECURRENCE-ID and its
/// times as they now are).
pub(super) fn calendar(
    context: &MailContext,
    (loaded, agenda, changes): (&Loaded, &[agenda_item::Model], &[occurrence_change::Model]),
    invitee: &invitation::Model,
    method: Method,
    sent_by: Option<&person::Model>,
    session: Option<Session>,
) -> Result<String, DbErr> {
    let organizer = organizer(context, sent_by);
    let attendee = Attendee {
        email: invitee.email.clone(),
        name: invitee.name.clone(),
        // A CANCEL asks nothing back (RFC 5546 §3.2.5).
        rsvp: method == Method::Request,
        partstat: partstat(&loaded.meeting, invitee).into(),
        role: "REQ-PARTICIPANT".into(),
    };
    let mut events = crate::calendar::events(
        loaded,
        agenda,
        changes,
        &context.base_url,
        false,
        &organizer,
    )?;
    let now = Utc::now();
    for event in &mut events {
        event.attendees = vec![attendee.clone()];
        event.dtstamp = now;
        if method == Method::Cancel {
            event.status = Status::Cancelled;
        }
    }
    if let Some(session) = session {
        let Some(mut single) = crate::calendar::session_event(
            &events,
            session.original,
            (session.start, session.end),
            loaded.meeting.all_day,
        ) else {
            return Err(DbErr::Custom(format!(
                "réunion {} : aucun événement pour la séance du {}",
                loaded.meeting.id, session.original
            )));
        };
        // A REQUEST never says CANCELLED (RFC 5546 §3.2.2); a cancelled session gets a CANCEL.
        single.status = if method == Method::Cancel {
            Status::Cancelled
        } else {
            Status::Confirmed
        };
        events = vec![single];
    }
    Ok(ics::write(&Calendar {
        name: loaded.meeting.title.clone(),
        description: None,
        method: Some(method),
        feed: false,
        events,
    }))
}

/// The configured organizer, with who sends on their behalf (SENT-BY) when someone does.
fn organizer(context: &MailContext, sent_by: Option<&person::Model>) -> Organizer {
    let sender = &context.mailer.sender;
    Organizer {
        email: sender.organizer_email.clone(),
        name: sender.organizer_name.clone(),
        sent_by: sent_by.map(|p| p.email.clone()),
    }
}

/// The invitee's PARTSTAT: their answer, unless the date, time or place changed since they gave
/// it (`meeting.reconfirm_since`): then NEEDS-ACTION, so that their calendar asks again. The
/// answer itself stays recorded on the invitation.
fn partstat(meeting: &meeting::Model, invitee: &invitation::Model) -> &'static str {
    if !answered_since_change(meeting, invitee) {
        return "NEEDS-ACTION";
    }
    match invitee.answer {
        Answer::Accepted => "ACCEPTED",
        Answer::Tentative => "TENTATIVE",
        Answer::Declined => "DECLINED",
        Answer::Pending => "NEEDS-ACTION",
    }
}

/// Whether the invitee's answer was given after the last significant change (always, when
/// there was none).
fn answered_since_change(meeting: &meeting::Model, invitee: &invitation::Model) -> bool {
    match (meeting.reconfirm_since, invitee.answered_at) {
        (None, _) => true,
        (Some(change), Some(answered)) => answered > change,
        (Some(_), None) => false,
    }
}

/// The calendar of a notice about one session (registration, minutes): METHOD:PUBLISH and the
/// session alone, with the series' UID and the session's RECURRENCE-ID, so that a client files
/// it with the series it may already hold; no attendee.
pub(super) fn published_session(
    context: &MailContext,
    (loaded, agenda, changes): (&Loaded, &[agenda_item::Model], &[occurrence_change::Model]),
    session: Session,
) -> Result<String, DbErr> {
    let organizer = organizer(context, None);
    let events = crate::calendar::events(
        loaded,
        agenda,
        changes,
        &context.base_url,
        false,
        &organizer,
    )?;
    let event = crate::calendar::session_event(
        &events,
        session.original,
        (session.start, session.end),
        loaded.meeting.all_day,
    )
    .ok_or_else(|| {
        DbErr::Custom(format!(
            "réunion {} : aucun événement pour la séance du {}",
            loaded.meeting.id, session.original
        ))
    })?;
    Ok(ics::write(&Calendar {
        name: loaded.meeting.title.clone(),
        description: None,
        method: Some(Method::Publish),
        feed: false,
        events: vec![Event {
            dtstamp: Utc::now(),
            ..event
        }],
    }))
}
