//! Calendars: standards-exact iCalendar for every meeting, and the feeds partners subscribe to
//! (the network's public meetings, each platform, working group and office territory, and a
//! personal feed behind a secret token).

pub mod cache;
pub mod feeds;
pub mod ics;
pub mod version;
pub mod views;

use chrono::Duration;
use sea_orm::DbErr;

use crate::config::Config;
use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::MeetingStatus;
use crate::entities::occurrence_change::OccurrenceAction;
use crate::entities::{agenda_item, occurrence_change};
use crate::meetings::Loaded;
use ics::{Event, Organizer, Status, When};

/// The host part of the public URL, for UIDs ("meeting-12@maillage.example.org").
pub fn uid_host(base_url: &str) -> String {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or(host).to_string()
    };
    if host.is_empty() {
        "maillage.invalid".to_string()
    } else {
        host
    }
}

/// The meeting's UID: the same in every feed, its .ics and every email about it.
pub fn meeting_uid(meeting_id: i64, base_url: &str) -> String {
    format!("meeting-{meeting_id}@{}", uid_host(base_url))
}

/// The configured organizer (`MAILLAGE_ORGANIZER`, "Name <address>" or an address), written
/// as ORGANIZER of every VEVENT: PUBLISH objects need one too (RFC 5546 §3.2.1). Read once per
/// batch of meetings written, not per request.
pub fn organizer(config: &Config) -> Organizer {
    let (name, email) = crate::config::mailbox_parts(&config.organizer);
    Organizer {
        email,
        name,
        sent_by: None,
    }
}

fn when(local: chrono::NaiveDateTime, all_day: bool) -> When {
    if all_day {
        When::Date(local.date())
    } else {
        When::Local(local)
    }
}

/// The description clients show: the text, the programme, the video link, the page.
pub fn description(loaded: &Loaded, agenda: &[agenda_item::Model], base_url: &str) -> String {
    let m = &loaded.meeting;
    let mut parts = Vec::new();
    if !m.description.is_empty() {
        parts.push(m.description.clone());
    }
    if !agenda.is_empty() {
        let lines: Vec<String> = agenda
            .iter()
            .map(|a| {
                let mut line = if a.time.is_empty() {
                    a.title.clone()
                } else {
                    format!("{} {}", a.time, a.title)
                };
                if !a.presenters.is_empty() {
                    line.push_str(&format!(" ({})", a.presenters));
                }
                line
            })
            .collect();
        parts.push(format!("Programme :\n{}", lines.join("\n")));
    }
    if !m.video_url.is_empty() {
        parts.push(format!("Visioconférence : {}", m.video_url));
    }
    parts.push(format!(
        "Détails et inscription : {base_url}/reunions/{}",
        m.id
    ));
    parts.join("\n\n")
}

fn location(loaded: &Loaded) -> Option<String> {
    let m = &loaded.meeting;
    let place = [m.place_name.as_str(), m.place_address.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    if !place.is_empty() {
        Some(place)
    } else if !m.video_url.is_empty() {
        Some(format!("Visioconférence : {}", m.video_url))
    } else {
        None
    }
}

/// The VEVENTs of a meeting: the event (or series master) and, for a series, one override per
/// moved or cancelled occurrence (same UID, RECURRENCE-ID). `private` marks members-only
/// meetings CLASS:PRIVATE (personal feeds). Every VEVENT names `organizer` (see
/// [`organizer`]); no attendees are ever listed here. A series whose stored rule cannot be read
/// is an error naming the meeting (see `schedule::rule_of`).
pub fn events(
    loaded: &Loaded,
    agenda: &[agenda_item::Model],
    changes: &[occurrence_change::Model],
    base_url: &str,
    private: bool,
    organizer: &Organizer,
) -> Result<Vec<Event>, DbErr> {
    let m = &loaded.meeting;
    let (start, end) = (m.start_local.naive(), m.end_local.naive());
    let mut categories = Vec::new();
    if let Some(p) = &loaded.platform {
        categories.push(p.name.clone());
    }
    if let Some(g) = &loaded.group {
        categories.push(g.name.clone());
    }
    categories.push(m.kind.label_fr().to_string());
    let status = match m.status {
        MeetingStatus::Cancelled => Status::Cancelled,
        MeetingStatus::Scheduled | MeetingStatus::Held => Status::Confirmed,
    };
    let master = Event {
        uid: meeting_uid(m.id, base_url),
        dtstamp: m.updated_at,
        last_modified: Some(m.updated_at),
        created: Some(m.created_at),
        sequence: m.sequence,
        start: when(start, m.all_day),
        end: when(end, m.all_day),
        summary: m.title.clone(),
        description: description(loaded, agenda, base_url),
        location: location(loaded),
        url: Some(format!("{base_url}/reunions/{}", m.id)),
        status,
        categories,
        private: private && !m.visibility.is_public(),
        conference: (!m.video_url.is_empty()).then(|| m.video_url.clone()),
        // UNTIL in UTC next to a TZID'd DTSTART (RFC 5545 §3.3.10).
        rrule: crate::meetings::schedule::rule_of(m)?.map(|r| r.to_ics_rrule()),
        exdates: Vec::new(),
        recurrence_id: None,
        organizer: (!organizer.email.is_empty()).then(|| organizer.clone()),
        attendees: Vec::new(),
    };
    let mut out = Vec::new();
    let mut master = master;
    let length = end - start;
    let mut overrides = Vec::new();
    if m.rrule.is_some() {
        for change in changes.iter().filter(|c| c.meeting_id == m.id) {
            let original = change.original_start_local.naive();
            match change.action {
                OccurrenceAction::Skipped => master.exdates.push(when(original, m.all_day)),
                OccurrenceAction::Cancelled => overrides.push(Event {
                    recurrence_id: Some(when(original, m.all_day)),
                    start: when(original, m.all_day),
                    end: when(original + length, m.all_day),
                    status: Status::Cancelled,
                    rrule: None,
                    exdates: Vec::new(),
                    dtstamp: change.created_at.max(m.updated_at),
                    last_modified: Some(change.created_at.max(m.updated_at)),
                    ..master.clone()
                }),
                OccurrenceAction::Moved => {
                    let new_start = change
                        .new_start_local
                        .map_or(original, LocalDateTime::naive);
                    let new_end = change
                        .new_end_local
                        .map_or(new_start + length, LocalDateTime::naive);
                    overrides.push(Event {
                        recurrence_id: Some(when(original, m.all_day)),
                        start: when(new_start, m.all_day),
                        end: when(new_end.max(new_start + Duration::minutes(1)), m.all_day),
                        rrule: None,
                        exdates: Vec::new(),
                        dtstamp: change.created_at.max(m.updated_at),
                        last_modified: Some(change.created_at.max(m.updated_at)),
                        ..master.clone()
                    });
                }
            }
        }
    }
    out.push(master);
    out.extend(overrides);
    Ok(out)
}

/// One session of a series as a VEVENT of its own: the series' UID, its RECURRENCE-ID (the
/// session's original start, in the series' form: TZID'd local time, or a date when all-day),
/// its times as they now are (`start`, `end`), no RRULE nor EXDATE; the rest (SEQUENCE,
/// summary, place…) from the series' events written by [`events`] (its override for that
/// session when it has one). None when `series` is empty.
#[must_use]
pub fn session_event(
    series: &[Event],
    original: chrono::NaiveDateTime,
    (start, end): (chrono::NaiveDateTime, chrono::NaiveDateTime),
    all_day: bool,
) -> Option<Event> {
    let id = when(original, all_day);
    let own = series
        .iter()
        .find(|e| e.recurrence_id.as_ref() == Some(&id))
        .or_else(|| series.iter().find(|e| e.recurrence_id.is_none()))?;
    let end = if all_day {
        // DTEND of an all-day event is the day after (exclusive).
        When::Date(end.date().max(start.date() + Duration::days(1)))
    } else {
        When::Local(end.max(start + Duration::minutes(1)))
    };
    Some(Event {
        rrule: None,
        exdates: Vec::new(),
        recurrence_id: Some(id),
        start: when(start, all_day),
        end,
        ..own.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organizer_is_read_from_the_configured_mailbox() {
        let mut config = Config::for_database("sqlite::memory:");
        config.organizer = "\"Coordination du CRI\" <coordination@cri-namur.example>".into();
        let o = organizer(&config);
        assert_eq!(o.name, "Coordination du CRI");
        assert_eq!(o.email, "coordination@cri-namur.example");
        config.organizer = " secretariat@cri-namur.example ".into();
        let o = organizer(&config);
        assert_eq!(
            (o.name.as_str(), o.email.as_str()),
            ("", "secretariat@cri-namur.example")
        );
    }

    #[test]
    fn a_session_event_is_the_series_uid_with_its_recurrence_id_and_its_own_times() {
        let at = |d: u32, h: u32| {
            chrono::NaiveDate::from_ymd_opt(2027, 3, d)
                .and_then(|day| day.and_hms_opt(h, 0, 0))
                .unwrap_or_default()
        };
        let master = Event {
            uid: "meeting-4@agenda.cri-namur.be".into(),
            sequence: 3,
            rrule: Some("FREQ=MONTHLY;BYDAY=2TU".into()),
            exdates: vec![When::Local(at(2, 14))],
            summary: "Relevé de constats".into(),
            ..Event::default()
        };
        let cancelled = Event {
            recurrence_id: Some(When::Local(at(9, 14))),
            status: Status::Cancelled,
            rrule: None,
            ..master.clone()
        };
        let series = [master, cancelled];
        let moved = session_event(&series, at(16, 14), (at(17, 15), at(17, 17)), false);
        let moved = moved.unwrap_or_default();
        assert_eq!(moved.uid, "meeting-4@agenda.cri-namur.be");
        assert_eq!(moved.recurrence_id, Some(When::Local(at(16, 14))));
        assert_eq!(
            (moved.start, moved.end),
            (When::Local(at(17, 15)), When::Local(at(17, 17)))
        );
        assert_eq!(
            (moved.rrule, moved.exdates.len(), moved.sequence),
            (None, 0, 3)
        );
        // Its own override when it has one (here: cancelled); all-day ends the day after.
        let own = session_event(&series, at(9, 14), (at(9, 14), at(9, 16)), false);
        assert_eq!(own.map(|e| e.status), Some(Status::Cancelled));
        let all_day = session_event(&series, at(9, 0), (at(9, 0), at(9, 0)), true);
        assert_eq!(
            all_day.map(|e| (e.start, e.end)),
            Some((When::Date(at(9, 0).date()), When::Date(at(10, 0).date())))
        );
        assert_eq!(
            session_event(&[], at(9, 14), (at(9, 14), at(9, 16)), false),
            None
        );
    }

    #[test]
    fn the_uid_host_comes_from_the_public_url() {
        assert_eq!(
            uid_host("https://maillage.example.org/base"),
            "maillage.example.org"
        );
        assert_eq!(uid_host("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(uid_host("http://[::1]:3000"), "[::1]");
        assert_eq!(
            meeting_uid(12, "https://agenda.cri-namur.be"),
            "meeting-12@agenda.cri-namur.be"
        );
    }
}
