//! iCalendar (RFC 5545) for meetings, invitations (RFC 5546/6047) and subscribed feeds.
//!
//! The calendar is assembled from the `ical` crate's generator types (`IcalCalendarBuilder`,
//! `IcalEvent`, `IcalTimeZone`, `Property` with params); the emitting is ours, since ical's
//! `Emitter` escapes no TEXT, folds by characters and backslash-mangles parameter values: each
//! content line is cleaned of line breaks, quoted per §3.2, folded at 75 octets and ended by CRLF.

use build::{
    basic_date, basic_date_time, build, build_event, build_with, property, property_with,
    uses_local_time, utc,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use emit::{emit, emit_event, emit_head, estimated_size};
pub use emit::{escape_text, fold};
use ical::generator::Property;

mod build;
mod emit;

/// Product identifier written on every calendar (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//CRI Namur//maillage//FR";

/// The one time zone meetings are held in; its VTIMEZONE is written whenever it is used.
pub const TZID: &str = "Europe/Brussels";

/// Label of the CONFERENCE property (RFC 7986 §5.11).
const CONFERENCE_LABEL: &str = "Visioconférence";

/// Longest physical line, in octets, not counting the CRLF (RFC 5545 §3.1).
const MAX_OCTETS: usize = 75;

/// Parameters whose grammar is a quoted string (cal-address / URI), plus CN, which clients
/// expect quoted: these are always written in DQUOTEs.
const ALWAYS_QUOTED: [&str; 7] = [
    "CN",
    "SENT-BY",
    "DELEGATED-TO",
    "DELEGATED-FROM",
    "MEMBER",
    "DIR",
    "ALTREP",
];

/// A date-time value, as it is written in DTSTART, DTEND, EXDATE and RECURRENCE-ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// Brussels wall-clock: DTSTART;TZID=Europe/Brussels:20270608T090000
    Local(NaiveDateTime),
    /// All-day: DTSTART;VALUE=DATE:20270608 (DTEND exclusive)
    Date(NaiveDate),
    /// UTC: 20270608T070000Z
    Utc(DateTime<Utc>),
}

impl Default for When {
    fn default() -> Self {
        When::Utc(DateTime::<Utc>::UNIX_EPOCH)
    }
}

impl When {
    fn is_local(&self) -> bool {
        matches!(self, When::Local(_))
    }

    /// The property `name` holding this value, with TZID or VALUE=DATE as needed.
    fn property(&self, name: &str) -> Property {
        match self {
            When::Local(t) => property_with(name, &[("TZID", TZID)], basic_date_time(t)),
            When::Date(d) => property_with(name, &[("VALUE", "DATE")], basic_date(d)),
            When::Utc(t) => property(name, utc(t)),
        }
    }
}

/// STATUS of an event (RFC 5545 §3.8.1.11); always written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Confirmed,
    Tentative,
    Cancelled,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "CONFIRMED",
            Status::Tentative => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// ORGANIZER (RFC 5545 §3.8.4.3): a mailbox that really receives the replies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organizer {
    pub email: String,
    pub name: String,
    /// Who sends on the organizer's behalf (an address; `mailto:` is added).
    pub sent_by: Option<String>,
}

/// ATTENDEE (RFC 5545 §3.8.4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    pub email: String,
    pub name: String,
    pub rsvp: bool,
    /// "NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE"…
    pub partstat: String,
    /// "REQ-PARTICIPANT", "OPT-PARTICIPANT", "CHAIR"…
    pub role: String,
}

/// One VEVENT.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Event {
    pub uid: String,
    pub dtstamp: DateTime<Utc>,
    pub last_modified: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    /// Written always; a negative number is written as 0.
    pub sequence: i32,
    pub start: When,
    pub end: When,
    pub summary: String,
    /// May be multi-line; escaped on output.
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    pub status: Status,
    pub categories: Vec<String>,
    /// CLASS:PRIVATE
    pub private: bool,
    /// CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Visioconférence:https://… (RFC 7986 §5.11)
    pub conference: Option<String>,
    /// Canonical RRULE value, written as is.
    pub rrule: Option<String>,
    /// One EXDATE property per date.
    pub exdates: Vec<When>,
    pub recurrence_id: Option<When>,
    pub organizer: Option<Organizer>,
    pub attendees: Vec<Attendee>,
}

/// METHOD of the calendar (RFC 5546 §1.4); the MIME `method` parameter must be the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Publish,
    Request,
    Cancel,
}

impl Method {
    /// As written in METHOD and in the `method=` parameter of `text/calendar`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// One VCALENDAR.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Calendar {
    /// NAME + X-WR-CALNAME, written for feeds only (an invitation carrying a calendar name
    /// is imported by some clients into a calendar of its own).
    pub name: String,
    /// DESCRIPTION (RFC 7986 §5.2) + X-WR-CALDESC, written when present.
    pub description: Option<String>,
    pub method: Option<Method>,
    /// Adds NAME, X-WR-CALNAME, X-WR-TIMEZONE, REFRESH-INTERVAL;VALUE=DURATION:PT1H and
    /// X-PUBLISHED-TTL:PT1H.
    pub feed: bool,
    pub events: Vec<Event>,
}

/// The whole VCALENDAR text: CRLF line ends, folded at 75 octets, TEXT escaped, calendar
/// properties (VERSION:2.0, CALSCALE:GREGORIAN, PRODID, METHOD, NAME…) before the first
/// component, then one VTIMEZONE for Europe/Brussels if any [`When::Local`] is used (STANDARD
/// CET +0100 from the last Sunday of October 03:00 local, DAYLIGHT CEST +0200 from the last
/// Sunday of March 02:00 local), then the VEVENTs. An empty calendar is still valid.
///
/// A REQUEST never carries `STATUS:CANCELLED` (RFC 5546 §3.2.2 allows only TENTATIVE or
/// CONFIRMED; Outlook may bring a cancelled copy back): its cancelled occurrences are written
/// as EXDATE of their series, through [`request_events`].
#[must_use]
pub fn write(calendar: &Calendar) -> String {
    let needs_exdates = calendar.method == Some(Method::Request)
        && calendar
            .events
            .iter()
            .any(|e| e.recurrence_id.is_some() && e.status == Status::Cancelled);
    if needs_exdates {
        let request = Calendar {
            events: request_events(calendar.events.clone()),
            ..calendar.clone()
        };
        return emit(&build(&request));
    }
    emit(&build(calendar))
}

/// The events of a REQUEST: each cancelled occurrence (an override with a RECURRENCE-ID and
/// `STATUS:CANCELLED`) becomes an EXDATE of the series with the same UID, like a removed date;
/// other events are kept as they are. Feeds (PUBLISH) keep the cancelled copy instead.
#[must_use]
pub fn request_events(events: Vec<Event>) -> Vec<Event> {
    let (cancelled, mut kept): (Vec<Event>, Vec<Event>) = events
        .into_iter()
        .partition(|e| e.recurrence_id.is_some() && e.status == Status::Cancelled);
    for occurrence in cancelled {
        let master = kept
            .iter_mut()
            .find(|e| e.recurrence_id.is_none() && e.uid == occurrence.uid);
        if let (Some(master), Some(original)) = (master, occurrence.recurrence_id)
            && !master.exdates.contains(&original)
        {
            master.exdates.push(original);
        }
    }
    kept
}

/// The VEVENTs of one meeting, written once and reused by every feed that holds it (feeds are
/// assembled from these with [`assemble`]): the text, and whether it uses Brussels wall-clock
/// time (which calls for the VTIMEZONE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub local_time: bool,
}

/// Writes `events` as [`write`] would write them inside a calendar.
#[must_use]
pub fn fragment(events: &[Event]) -> Fragment {
    let mut text = String::new();
    let mut line = String::new();
    for event in events {
        emit_event(&mut text, &mut line, &build_event(event));
    }
    Fragment {
        text,
        local_time: events.iter().any(uses_local_time),
    }
}

/// The calendar `write` gives for `calendar`'s properties and the events of `fragments`, in
/// that order, byte for byte (`calendar.events` is not read): the VTIMEZONE is written when a
/// fragment needs it.
#[must_use]
pub fn assemble(calendar: &Calendar, fragments: &[&Fragment]) -> String {
    let local_time = fragments.iter().any(|f| f.local_time);
    let head = build_with(calendar, local_time, false);
    let size: usize = fragments.iter().map(|f| f.text.len()).sum();
    let mut out = String::with_capacity(size + estimated_size(&head));
    let mut line = String::new();
    emit_head(&mut out, &mut line, &head);
    for f in fragments {
        out.push_str(&f.text);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests;
