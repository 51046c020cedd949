//! The iTIP calendar each invitee gets (RFC 5546): the meeting's events with that one attendee,
//! their answer as PARTSTAT unless something significant changed since.

use chrono::Utc;
use sea_orm::DbErr;

use crate::calendar::ics::{self, Attendee, Calendar, Method, Organizer, Status, When};
use crate::entities::invitation::Answer;
use crate::entities::{agenda_item, invitation, meeting, occurrence_change, person};
use crate::mail::MailContext;
use crate::meetings::{self, Loaded};

/// The iTIP calendar for one invitee: REQUEST (invitation, update) or CANCEL; `only` restricts
/// to one occurrence of a series (its original local start).
pub(super) fn calendar(
    context: &MailContext,
    (loaded, agenda, changes): (&Loaded, &[agenda_item::Model], &[occurrence_change::Model]),
    invitee: &invitation::Model,
    method: Method,
    sent_by: Option<&person::Model>,
    only: Option<chrono::NaiveDateTime>,
) -> Result<String, DbErr> {
    let sender = &context.mailer.sender;
    let organizer = Organizer {
        email: sender.organizer_email.clone(),
        name: sender.organizer_name.clone(),
        sent_by: sent_by.map(|p| p.email.clone()),
    };
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
    if let Some(original) = only {
        let all_day = loaded.meeting.all_day;
        let target = if all_day {
            When::Date(original.date())
        } else {
            When::Local(original)
        };
        let length = meetings::schedule::duration(&loaded.meeting);
        let mut single = events.first().cloned().unwrap_or_default();
        single.rrule = None;
        single.exdates = Vec::new();
        single.recurrence_id = Some(target.clone());
        single.start = target;
        single.end = if all_day {
            When::Date((original + length).date())
        } else {
            When::Local(original + length)
        };
        single.status = Status::Cancelled;
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
