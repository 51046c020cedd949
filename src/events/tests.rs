use chrono::NaiveDate;

use super::*;

fn every_kind() -> Vec<Event> {
    let original = NaiveDate::from_ymd_opt(2027, 3, 4)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .unwrap_or_default();
    vec![
        Event::Registered {
            meeting_id: 1,
            session: None,
            person_id: 2,
            seat: Seat::Waiting { place: 3 },
            by: Some(4),
        },
        Event::RegistrationCancelled {
            meeting_id: 1,
            session: NaiveDate::from_ymd_opt(2027, 3, 9).and_then(|d| d.and_hms_opt(14, 0, 0)),
            person_id: 2,
            by: None,
        },
        Event::Promoted {
            meeting_id: 1,
            session: None,
            person_id: 5,
        },
        Event::MeetingChanged {
            meeting_id: 1,
            changes: vec![
                Change::Schedule,
                Change::Place,
                Change::OccurrenceMoved { original },
            ],
            by: Some(4),
        },
        Event::MeetingCancelled {
            meeting_id: 1,
            occurrence: Some(original),
            by: Some(4),
        },
        Event::MeetingRestored {
            meeting_id: 1,
            by: Some(4),
        },
        Event::MinutesPublished {
            meeting_id: 1,
            session: None,
            by: None,
        },
    ]
}

#[test]
fn every_event_reads_back_from_its_row_and_its_payload_carries_the_stored_kind() {
    for event in every_kind() {
        let payload = serde_json::to_string(&event).unwrap();
        let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(json["kind"], event.kind().as_str(), "{payload}");
        assert_eq!(json["meeting_id"], 1, "{payload}");
        let row = domain_event::Model {
            id: 7,
            kind: event.kind(),
            meeting_id: event.meeting_id(),
            actor_id: event.actor(),
            payload,
            created_at: Utc::now(),
        };
        assert_eq!(Event::from_row(&row).unwrap(), event);
    }
}

#[test]
fn an_unreadable_event_row_is_an_error_naming_the_row() {
    let row = domain_event::Model {
        id: 42,
        kind: EventKind::Registered,
        meeting_id: Some(1),
        actor_id: None,
        payload: r#"{"kind":"registered","meeting_id":1}"#.into(),
        created_at: Utc::now(),
    };
    let error = Event::from_row(&row).unwrap_err().to_string();
    assert!(error.contains("#42"), "{error}");
}

#[test]
fn structured_changes_are_stored_as_plain_names() {
    let event = Event::MeetingChanged {
        meeting_id: 9,
        changes: vec![Change::Schedule, Change::VideoLink],
        by: None,
    };
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"kind":"meeting_changed","meeting_id":9,"changes":["schedule","video_link"],"by":null}"#
    );
}

#[test]
fn every_event_maps_to_its_own_kind_and_every_kind_to_an_event() {
    let events = every_kind();
    let kinds: Vec<EventKind> = events.iter().map(Event::kind).collect();
    // One event of each kind, in the order the closed set lists them: no kind left without an
    // event, no two events sharing one.
    assert_eq!(kinds, EventKind::ALL);
    for (event, kind) in events.iter().zip(kinds) {
        let json = serde_json::to_value(event).unwrap();
        // The payload's tag is the stored string, which reads back as the same kind.
        assert_eq!(json["kind"], kind.as_str());
        assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
    }
}
