//! The calendar assembled with ical's generator types: values in their wire form, the
//! Europe/Brussels time zone, one VEVENT per event.

use super::emit::escape_text;
use super::{CONFERENCE_LABEL, Calendar, Event, PRODID, TZID, When};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use ical::generator::{IcalCalendar, IcalCalendarBuilder, IcalEvent, Property};
use ical::parser::ical::component::{
    IcalTimeZone, IcalTimeZoneTransition, IcalTimeZoneTransitionType,
};
use std::fmt::Write as _;

/// `%Y%m%d`, written directly for four-digit years (chrono parses its format string on every
/// call); other years as chrono writes them.
pub(super) fn basic_date(d: &NaiveDate) -> String {
    let mut out = String::with_capacity(8);
    if (0..=9999).contains(&d.year()) {
        let _ = write!(out, "{:04}{:02}{:02}", d.year(), d.month(), d.day());
    } else {
        let _ = write!(out, "{}", d.format("%Y%m%d"));
    }
    out
}

/// `%Y%m%dT%H%M%S`, written directly like [`basic_date`] (leap seconds left to chrono).
pub(super) fn basic_date_time(t: &NaiveDateTime) -> String {
    let mut out = String::with_capacity(16);
    if (0..=9999).contains(&t.year()) && t.nanosecond() < 1_000_000_000 {
        let _ = write!(
            out,
            "{:04}{:02}{:02}T{:02}{:02}{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
    } else {
        let _ = write!(out, "{}", t.format("%Y%m%dT%H%M%S"));
    }
    out
}

pub(super) fn utc(t: &DateTime<Utc>) -> String {
    let mut out = basic_date_time(&t.naive_utc());
    out.push('Z');
    out
}

pub(super) fn mailto(address: &str) -> String {
    let address = address.trim();
    if address
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
    {
        address.to_owned()
    } else {
        format!("mailto:{address}")
    }
}

pub(super) fn non_empty(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

pub(super) fn property(name: &str, value: impl Into<String>) -> Property {
    Property {
        name: name.to_owned(),
        params: None,
        value: Some(value.into()),
    }
}

pub(super) fn property_with(
    name: &str,
    params: &[(&str, &str)],
    value: impl Into<String>,
) -> Property {
    let params = params
        .iter()
        .map(|(key, value)| ((*key).to_owned(), vec![(*value).to_owned()]))
        .collect();
    Property {
        name: name.to_owned(),
        params: Some(params),
        value: Some(value.into()),
    }
}

pub(super) fn text(name: &str, value: &str) -> Property {
    property(name, escape_text(value))
}

/// Assembles the calendar with ical's builder; property values hold their wire form (TEXT
/// already escaped), parameter values their plain form (quoted on emitting).
pub(super) fn build(calendar: &Calendar) -> IcalCalendar {
    build_with(calendar, calendar.events.iter().any(uses_local_time), true)
}

/// [`build`], with the VTIMEZONE when `local_time`, and the events only when `with_events`.
pub(super) fn build_with(calendar: &Calendar, local_time: bool, with_events: bool) -> IcalCalendar {
    let mut builder = IcalCalendarBuilder::version("2.0")
        .gregorian()
        .prodid(PRODID);
    if let Some(method) = calendar.method {
        builder = builder.set(property("METHOD", method.as_str()));
    }
    if calendar.feed {
        if !calendar.name.trim().is_empty() {
            builder = builder
                .set(text("NAME", &calendar.name))
                .set(text("X-WR-CALNAME", &calendar.name));
        }
        builder = builder
            .set(property("X-WR-TIMEZONE", TZID))
            .set(property_with(
                "REFRESH-INTERVAL",
                &[("VALUE", "DURATION")],
                "PT1H",
            ))
            .set(property("X-PUBLISHED-TTL", "PT1H"));
    }
    if let Some(description) = non_empty(calendar.description.as_ref()) {
        builder = builder
            .set(text("DESCRIPTION", description))
            .set(text("X-WR-CALDESC", description));
    }
    if local_time {
        builder = builder.add_tz(brussels());
    }
    if with_events {
        for event in &calendar.events {
            builder = builder.add_event(build_event(event));
        }
    }
    builder.build()
}

pub(super) fn uses_local_time(event: &Event) -> bool {
    event.start.is_local()
        || event.end.is_local()
        || event.exdates.iter().any(When::is_local)
        || event.recurrence_id.as_ref().is_some_and(When::is_local)
}

/// VTIMEZONE for Europe/Brussels (RFC 5545 §3.6.5): EU rules, in force since 1996.
pub(super) fn brussels() -> IcalTimeZone {
    let onset = |kind, from: &str, to: &str, name: &str, start: &str, rule: &str| {
        let mut onset = IcalTimeZoneTransition::new(kind);
        onset.properties = vec![
            property("TZOFFSETFROM", from),
            property("TZOFFSETTO", to),
            property("TZNAME", name),
            property("DTSTART", start),
            property("RRULE", rule),
        ];
        onset
    };
    let mut zone = IcalTimeZone::new();
    zone.properties.push(property("TZID", TZID));
    zone.transitions = vec![
        onset(
            IcalTimeZoneTransitionType::STANDARD,
            "+0200",
            "+0100",
            "CET",
            "19701025T030000",
            "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        ),
        onset(
            IcalTimeZoneTransitionType::DAYLIGHT,
            "+0100",
            "+0200",
            "CEST",
            "19700329T020000",
            "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        ),
    ];
    zone
}

pub(super) fn build_event(event: &Event) -> IcalEvent {
    let mut p = vec![
        property("UID", event.uid.trim()),
        property("DTSTAMP", utc(&event.dtstamp)),
    ];
    if let Some(created) = &event.created {
        p.push(property("CREATED", utc(created)));
    }
    if let Some(modified) = &event.last_modified {
        p.push(property("LAST-MODIFIED", utc(modified)));
    }
    p.push(property("SEQUENCE", event.sequence.max(0).to_string()));
    p.push(event.start.property("DTSTART"));
    p.push(event.end.property("DTEND"));
    if let Some(id) = &event.recurrence_id {
        p.push(id.property("RECURRENCE-ID"));
    }
    if let Some(rule) = non_empty(event.rrule.as_ref()) {
        p.push(property("RRULE", rule));
    }
    p.extend(event.exdates.iter().map(|d| d.property("EXDATE")));
    p.push(text("SUMMARY", &event.summary));
    if !event.description.is_empty() {
        p.push(text("DESCRIPTION", &event.description));
    }
    if let Some(location) = non_empty(event.location.as_ref()) {
        p.push(text("LOCATION", location));
    }
    if let Some(url) = non_empty(event.url.as_ref()) {
        p.push(property("URL", url));
    }
    if let Some(link) = non_empty(event.conference.as_ref()) {
        p.push(property_with(
            "CONFERENCE",
            &[
                ("VALUE", "URI"),
                ("FEATURE", "VIDEO"),
                ("LABEL", CONFERENCE_LABEL),
            ],
            link,
        ));
    }
    p.push(property("STATUS", event.status.as_str()));
    if event.private {
        p.push(property("CLASS", "PRIVATE"));
    }
    let categories: Vec<String> = event
        .categories
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .map(escape_text)
        .collect();
    if !categories.is_empty() {
        p.push(property("CATEGORIES", categories.join(",")));
    }
    if let Some(organizer) = &event.organizer {
        let mut params = Vec::new();
        if !organizer.name.trim().is_empty() {
            params.push(("CN", organizer.name.trim().to_owned()));
        }
        if let Some(sent_by) = non_empty(organizer.sent_by.as_ref()) {
            params.push(("SENT-BY", mailto(sent_by)));
        }
        p.push(address("ORGANIZER", &params, &organizer.email));
    }
    for attendee in &event.attendees {
        let mut params = Vec::new();
        if !attendee.name.trim().is_empty() {
            params.push(("CN", attendee.name.trim().to_owned()));
        }
        if !attendee.role.trim().is_empty() {
            params.push(("ROLE", attendee.role.trim().to_owned()));
        }
        if !attendee.partstat.trim().is_empty() {
            params.push(("PARTSTAT", attendee.partstat.trim().to_owned()));
        }
        if attendee.rsvp {
            params.push(("RSVP", "TRUE".to_owned()));
        }
        p.push(address("ATTENDEE", &params, &attendee.email));
    }
    let mut ical_event = IcalEvent::new();
    ical_event.properties = p;
    ical_event
}

pub(super) fn address(name: &str, params: &[(&str, String)], email: &str) -> Property {
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    property_with(name, &params, mailto(email))
}
