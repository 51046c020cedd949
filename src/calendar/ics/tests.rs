use super::emit::*;
use super::*;
use chrono::{Datelike, Duration, NaiveDate, Offset, TimeZone, Weekday};
use ical::generator::IcalCalendar;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .expect("valid date")
}

fn at_utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local(y, m, d, h, min).and_utc()
}

fn meeting() -> Event {
    Event {
        uid: "meeting-42@maillage.example".into(),
        dtstamp: at_utc(2027, 5, 20, 8, 30),
        created: Some(at_utc(2027, 5, 1, 12, 0)),
        last_modified: Some(at_utc(2027, 5, 20, 8, 30)),
        sequence: 2,
        start: When::Local(local(2027, 6, 8, 9, 0)),
        end: When::Local(local(2027, 6, 8, 11, 0)),
        summary: "Plateforme Emploi — réunion".into(),
        description: "Ordre du jour : accueil, bilan.\nLien : https://visio.example/abc".into(),
        location: Some("Salle du Conseil, rue de Fer 42, Namur".into()),
        url: Some("https://maillage.example/reunions/42?x=1,2;y".into()),
        conference: Some("https://visio.example/abc".into()),
        categories: vec!["Emploi".into(), "Réunion".into()],
        organizer: Some(Organizer {
            email: "secretariat@cri-namur.example".into(),
            name: "Secrétariat CRI, Namur".into(),
            sent_by: Some("agent@cri-namur.example".into()),
        }),
        attendees: vec![Attendee {
            email: "marie@asbl.example".into(),
            name: "Dupont; Marie".into(),
            rsvp: true,
            partstat: "NEEDS-ACTION".into(),
            role: "REQ-PARTICIPANT".into(),
        }],
        ..Event::default()
    }
}

fn calendar(events: Vec<Event>) -> Calendar {
    Calendar {
        name: "Réunions du CRI".into(),
        method: Some(Method::Request),
        events,
        ..Calendar::default()
    }
}

/// Logical lines: physical lines with folds undone.
fn unfolded(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse(text: &str) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(text.as_bytes());
    let parsed = parser.next().expect("a calendar").expect("ical parses it");
    assert!(parser.next().is_none(), "exactly one calendar");
    parsed
}

fn find<'a>(properties: &'a [Property], name: &str) -> &'a Property {
    properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} in {properties:?}"))
}

fn value<'a>(properties: &'a [Property], name: &str) -> &'a str {
    find(properties, name).value.as_deref().unwrap_or_default()
}

fn param<'a>(p: &'a Property, key: &str) -> Option<&'a [String]> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_slice())
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn assert_crlf_only(text: &str) {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\n' => assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at {i}"),
            b'\r' => assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}"),
            _ => {}
        }
    }
    assert!(text.ends_with("\r\n"));
}

fn physical_lines(text: &str) -> Vec<&[u8]> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\r' && bytes[i + 1] == b'\n' {
            lines.push(&bytes[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    lines
}

#[test]
fn a_calendar_assembled_from_fragments_is_the_one_written_whole() {
    let all_day = Event {
        uid: "meeting-7@maillage.example".into(),
        start: When::Date(NaiveDate::from_ymd_opt(2027, 6, 15).expect("date")),
        end: When::Date(NaiveDate::from_ymd_opt(2027, 6, 16).expect("date")),
        summary: "Journée d'étude, à Namur ; ouverte à tous".into(),
        ..Event::default()
    };
    let mut series = meeting();
    series.uid = "meeting-8@maillage.example".into();
    series.rrule = Some("FREQ=WEEKLY;BYDAY=TU".into());
    series.exdates = vec![When::Local(local(2027, 6, 15, 9, 0))];
    let moved = Event {
        recurrence_id: Some(When::Local(local(2027, 6, 22, 9, 0))),
        start: When::Local(local(2027, 6, 23, 14, 0)),
        end: When::Local(local(2027, 6, 23, 16, 0)),
        rrule: None,
        exdates: Vec::new(),
        ..series.clone()
    };
    let feed = |events: Vec<Event>| Calendar {
        name: "Plateforme Emploi — agenda".into(),
        description: Some("Les réunions publiques, à suivre ; ici.".into()),
        method: Some(Method::Publish),
        feed: true,
        events,
    };
    // Fragments per meeting, as feeds keep them: the series with its override together.
    let pieces = [
        fragment(std::slice::from_ref(&all_day)),
        fragment(&[series.clone(), moved.clone()]),
    ];
    assert!(!pieces[0].local_time, "an all-day event needs no VTIMEZONE");
    assert!(pieces[1].local_time);
    assert_eq!(
        assemble(&feed(Vec::new()), &[&pieces[0], &pieces[1]]),
        write(&feed(vec![all_day.clone(), series, moved]))
    );
    // Without local times, no VTIMEZONE either way; without events, a valid empty calendar.
    let only_dates = assemble(&feed(Vec::new()), &[&pieces[0]]);
    assert_eq!(only_dates, write(&feed(vec![all_day])));
    assert!(!only_dates.contains("VTIMEZONE"));
    let empty = assemble(&feed(Vec::new()), &[]);
    assert_eq!(empty, write(&feed(Vec::new())));
    parse(&empty);
}

#[test]
fn every_line_ends_with_crlf_and_none_with_a_bare_lf() {
    let mut event = meeting();
    event.description = "ligne 1\nligne 2\r\nligne 3\rligne 4".into();
    let text = write(&calendar(vec![event]));
    assert_crlf_only(&text);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn fold_keeps_short_lines_and_cuts_long_ones_at_75_octets() {
    let exact = "X".repeat(75);
    assert_eq!(fold(&exact), exact);
    let long = "X".repeat(76);
    assert_eq!(fold(&long), format!("{}\r\n X", "X".repeat(75)));
    let longer = "Y".repeat(75 + 74 + 3);
    assert_eq!(
        fold(&longer),
        format!("{}\r\n {}\r\n YYY", "Y".repeat(75), "Y".repeat(74))
    );
}

#[test]
fn fold_never_splits_a_multibyte_character() {
    // "é" would straddle octets 75 and 76.
    let line = format!("{}é", "a".repeat(74));
    assert_eq!(fold(&line), format!("{}\r\n é", "a".repeat(74)));
    for pad in 0..8 {
        let line = format!("{}{}", "x".repeat(pad), "🎉é€".repeat(40));
        let folded = fold(&line);
        for physical in folded.split("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }
}

#[test]
fn fold_avoids_ending_a_line_with_a_space() {
    let line = format!("{} suite du texte qui dépasse", "a".repeat(74));
    let folded = fold(&line);
    for physical in folded.split("\r\n") {
        assert!(!physical.ends_with(' '), "{physical:?}");
    }
    assert_eq!(folded.replace("\r\n ", ""), line);
}

#[test]
fn long_french_description_with_emoji_folds_within_75_octets_and_round_trips() {
    let base = "Bienvenue à la réunion plénière de la Plateforme « Intégration & Emploi » 🇧🇪🎉 ! \
        Nous aborderons : l'accès à l'emploi des primo-arrivants, la reconnaissance des \
        diplômes (équivalences), l'apprentissage du français — ça, c'est très attendu 👩‍👩‍👧‍👦. \
        Café offert ☕️; pensez à confirmer votre présence, s'il vous plaît.\n\
        Deuxième paragraphe : ŒUVRE, Ærø, naïveté, Noël, garçon, où, déjà vu… 😀😃😄😁😆😅🤣😂";
    for pad in 0..6 {
        let description = format!("{}{base}", "é".repeat(pad));
        let mut event = meeting();
        event.description = description.clone();
        let text = write(&calendar(vec![event]));
        assert_crlf_only(&text);
        for line in physical_lines(&text) {
            assert!(line.len() <= 75, "{} octets", line.len());
            assert!(std::str::from_utf8(line).is_ok(), "line is not UTF-8");
        }
        let expected = format!("DESCRIPTION:{}", escape_text(&description));
        assert!(expected.len() > 300);
        assert!(unfolded(&text).contains(&expected));
        let parsed = parse(&text);
        let got = value(&parsed.events[0].properties, "DESCRIPTION");
        assert_eq!(unescape(got), description);
    }
}

#[test]
fn escape_text_escapes_backslash_semicolon_comma_and_newlines() {
    assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
    assert_eq!(escape_text("1\n2\r\n3\r4"), r"1\n2\n3\n4");
    assert_eq!(escape_text("deux-points: non"), "deux-points: non");
    assert_eq!(escape_text("bip\u{7}\ttab"), "bip\ttab");
    assert_eq!(escape_text("é😀"), "é😀");
}

#[test]
fn summary_description_location_and_categories_are_escaped() {
    let mut event = meeting();
    event.summary = r"Réunion; bilan, suite\fin".into();
    event.description = "Point 1, point 2;\nPoint 3 \\ fin".into();
    event.location = Some("Salle 1, étage 2; aile B".into());
    event.categories = vec!["Emploi, formation".into(), "A;B".into(), r"C\D".into()];
    let text = write(&calendar(vec![event]));
    let lines = unfolded(&text);
    for expected in [
        r"SUMMARY:Réunion\; bilan\, suite\\fin",
        r"DESCRIPTION:Point 1\, point 2\;\nPoint 3 \\ fin",
        r"LOCATION:Salle 1\, étage 2\; aile B",
        r"CATEGORIES:Emploi\, formation,A\;B,C\\D",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:?}"
        );
    }
    let ev = &parse(&text).events[0];
    assert_eq!(
        value(&ev.properties, "CATEGORIES"),
        r"Emploi\, formation,A\;B,C\\D"
    );
}

#[test]
fn uris_are_not_text_escaped() {
    let text = write(&calendar(vec![meeting()]));
    let lines = unfolded(&text);
    assert!(lines.contains(&"URL:https://maillage.example/reunions/42?x=1,2;y".to_owned()));
    assert!(
        lines.contains(
            &"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Visioconférence:https://visio.example/abc"
                .to_owned()
        )
    );
}

#[test]
fn calendar_without_events_is_valid() {
    let text = write(&Calendar::default());
    assert_eq!(
        text,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n\
         PRODID:-//CRI Namur//maillage//FR\r\nEND:VCALENDAR\r\n"
    );
    let parsed = parse(&text);
    assert_eq!(value(&parsed.properties, "VERSION"), "2.0");
    assert_eq!(value(&parsed.properties, "PRODID"), PRODID);
    assert!(parsed.events.is_empty() && parsed.timezones.is_empty());
}

#[test]
fn calendar_properties_come_before_the_first_component() {
    let cal = Calendar {
        name: "Agenda, CRI".into(),
        description: Some("Toutes les réunions; tous les groupes".into()),
        method: Some(Method::Publish),
        feed: true,
        events: vec![meeting(), meeting()],
    };
    let lines = unfolded(&write(&cal));
    let first_component = lines
        .iter()
        .position(|l| l.starts_with("BEGIN:V") && l != "BEGIN:VCALENDAR")
        .expect("a component");
    assert_eq!(lines[first_component], "BEGIN:VTIMEZONE");
    let head = &lines[1..first_component];
    for expected in [
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "PRODID:-//CRI Namur//maillage//FR",
        "METHOD:PUBLISH",
        r"NAME:Agenda\, CRI",
        r"X-WR-CALNAME:Agenda\, CRI",
        "X-WR-TIMEZONE:Europe/Brussels",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        r"DESCRIPTION:Toutes les réunions\; tous les groupes",
        r"X-WR-CALDESC:Toutes les réunions\; tous les groupes",
    ] {
        assert!(head.iter().any(|l| l == expected), "{expected} in {head:?}");
    }
    assert_eq!(head.len(), 11);
}

#[test]
fn invitation_has_no_calendar_name_and_method_matches() {
    let lines = unfolded(&write(&calendar(vec![meeting()])));
    assert!(lines.contains(&"METHOD:REQUEST".to_owned()));
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("NAME") || l.starts_with("X-WR"))
    );
    assert_eq!(Method::Request.as_str(), "REQUEST");
    assert_eq!(Method::Cancel.as_str(), "CANCEL");
}

#[test]
fn vtimezone_is_written_once_iff_a_local_time_is_used() {
    let count = |cal: &Calendar| write(cal).matches("BEGIN:VTIMEZONE").count();
    let mut utc_only = meeting();
    utc_only.start = When::Utc(at_utc(2027, 6, 8, 7, 0));
    utc_only.end = When::Utc(at_utc(2027, 6, 8, 9, 0));
    let mut all_day = meeting();
    all_day.start = When::Date(NaiveDate::from_ymd_opt(2027, 6, 8).expect("date"));
    all_day.end = When::Date(NaiveDate::from_ymd_opt(2027, 6, 9).expect("date"));
    assert_eq!(count(&calendar(vec![])), 0);
    assert_eq!(count(&calendar(vec![utc_only.clone(), all_day.clone()])), 0);
    assert_eq!(
        count(&calendar(vec![meeting(), meeting(), utc_only.clone()])),
        1
    );
    let mut exdate_only = utc_only.clone();
    exdate_only.exdates = vec![When::Local(local(2027, 6, 15, 9, 0))];
    assert_eq!(count(&calendar(vec![exdate_only])), 1);
    let mut recurrence_only = utc_only;
    recurrence_only.recurrence_id = Some(When::Local(local(2027, 6, 15, 9, 0)));
    assert_eq!(count(&calendar(vec![recurrence_only])), 1);
}

#[test]
fn vtimezone_describes_cet_and_cest() {
    let text = write(&calendar(vec![meeting()]));
    let lines = unfolded(&text);
    let begin = lines
        .iter()
        .position(|l| l == "BEGIN:VTIMEZONE")
        .expect("begin");
    let end = lines
        .iter()
        .position(|l| l == "END:VTIMEZONE")
        .expect("end");
    assert_eq!(
        lines[begin..=end].join("\n"),
        "BEGIN:VTIMEZONE\nTZID:Europe/Brussels\n\
         BEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\n\
         DTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\n\
         BEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\n\
         DTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\n\
         END:VTIMEZONE"
    );
    let zone = &parse(&text).timezones[0];
    assert_eq!(value(&zone.properties, "TZID"), TZID);
    assert_eq!(zone.transitions.len(), 2);
}

#[test]
fn vtimezone_rules_agree_with_tzdata_for_brussels() {
    fn last_sunday(year: i32, month: u32) -> NaiveDate {
        let mut day =
            NaiveDate::from_ymd_opt(year, month + 1, 1).expect("date") - Duration::days(1);
        while day.weekday() != Weekday::Sun {
            day -= Duration::days(1);
        }
        day
    }
    // The DTSTARTs are occurrences of their own RRULEs.
    assert_eq!(
        last_sunday(1970, 3),
        NaiveDate::from_ymd_opt(1970, 3, 29).expect("date")
    );
    assert_eq!(
        last_sunday(1970, 10),
        NaiveDate::from_ymd_opt(1970, 10, 25).expect("date")
    );
    let offset = |t: NaiveDateTime| {
        chrono_tz::Europe::Brussels
            .offset_from_utc_datetime(&t)
            .fix()
            .local_minus_utc()
    };
    for year in 1997..=2045 {
        // (month, local hour of the change, offset before, offset after)
        for (month, hour, before, after) in [(3, 2, 3600, 7200), (10, 3, 7200, 3600)] {
            let change_local = last_sunday(year, month)
                .and_hms_opt(hour, 0, 0)
                .expect("time");
            let change_utc = change_local - Duration::seconds(i64::from(before));
            assert_eq!(
                offset(change_utc - Duration::seconds(1)),
                before,
                "{year}-{month}"
            );
            assert_eq!(offset(change_utc), after, "{year}-{month}");
        }
    }
}

#[test]
fn all_day_event_uses_value_date() {
    let mut event = meeting();
    event.start = When::Date(NaiveDate::from_ymd_opt(2027, 6, 8).expect("date"));
    event.end = When::Date(NaiveDate::from_ymd_opt(2027, 6, 9).expect("date"));
    let text = write(&calendar(vec![event]));
    let lines = unfolded(&text);
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20270608".to_owned()));
    assert!(lines.contains(&"DTEND;VALUE=DATE:20270609".to_owned()));
    assert!(!text.contains("VTIMEZONE"));
}

#[test]
fn utc_times_end_in_z_and_sequence_and_status_are_always_written() {
    let mut event = meeting();
    event.start = When::Utc(at_utc(2027, 6, 8, 7, 0));
    event.end = When::Utc(at_utc(2027, 6, 8, 9, 0));
    event.sequence = 0;
    event.private = true;
    let mut tentative = Event {
        uid: "b@x".into(),
        status: Status::Tentative,
        sequence: -3,
        ..Event::default()
    };
    tentative.summary = "Provisoire".into();
    let lines = unfolded(&write(&calendar(vec![event, tentative])));
    for expected in [
        "DTSTAMP:20270520T083000Z",
        "CREATED:20270501T120000Z",
        "LAST-MODIFIED:20270520T083000Z",
        "DTSTART:20270608T070000Z",
        "DTEND:20270608T090000Z",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "STATUS:TENTATIVE",
        "CLASS:PRIVATE",
        "DTSTART:19700101T000000Z",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:?}"
        );
    }
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("SEQUENCE:0")).count(),
        2
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with("CLASS")).count(), 1);
}

#[test]
fn series_exdate_and_recurrence_id_carry_the_brussels_tzid() {
    let mut series = meeting();
    series.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=10".into());
    series.exdates = vec![
        When::Local(local(2027, 6, 15, 9, 0)),
        When::Local(local(2027, 6, 22, 9, 0)),
    ];
    let mut cancelled = meeting();
    cancelled.sequence = 3;
    cancelled.status = Status::Cancelled;
    cancelled.recurrence_id = Some(When::Local(local(2027, 6, 29, 9, 0)));
    let text = write(&Calendar {
        method: Some(Method::Cancel),
        ..calendar(vec![series, cancelled])
    });
    let lines = unfolded(&text);
    for expected in [
        "DTSTART;TZID=Europe/Brussels:20270608T090000",
        "DTEND;TZID=Europe/Brussels:20270608T110000",
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
        "EXDATE;TZID=Europe/Brussels:20270615T090000",
        "EXDATE;TZID=Europe/Brussels:20270622T090000",
        "RECURRENCE-ID;TZID=Europe/Brussels:20270629T090000",
        "STATUS:CANCELLED",
        "METHOD:CANCEL",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:?}"
        );
    }
    let parsed = parse(&text);
    let rid = find(&parsed.events[1].properties, "RECURRENCE-ID");
    assert_eq!(
        param(rid, "TZID"),
        Some(&["Europe/Brussels".to_owned()][..])
    );
    assert_eq!(
        value(&parsed.events[1].properties, "UID"),
        "meeting-42@maillage.example"
    );
}

#[test]
fn organizer_and_attendee_parameters_are_quoted() {
    let text = write(&calendar(vec![meeting()]));
    let lines = unfolded(&text);
    assert!(
        lines.contains(
            &"ORGANIZER;CN=\"Secrétariat CRI, Namur\";SENT-BY=\"mailto:agent@cri-namur.example\":\
          mailto:secretariat@cri-namur.example"
                .to_owned()
        )
    );
    assert!(
        lines.contains(
            &"ATTENDEE;CN=\"Dupont; Marie\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:\
          mailto:marie@asbl.example"
                .to_owned()
        )
    );
    let ev = &parse(&text).events[0];
    let attendee = find(&ev.properties, "ATTENDEE");
    assert_eq!(
        param(attendee, "CN"),
        Some(&["Dupont; Marie".to_owned()][..])
    );
    assert_eq!(param(attendee, "RSVP"), Some(&["TRUE".to_owned()][..]));
    assert_eq!(attendee.value.as_deref(), Some("mailto:marie@asbl.example"));
    let organizer = find(&ev.properties, "ORGANIZER");
    assert_eq!(
        param(organizer, "SENT-BY"),
        Some(&["mailto:agent@cri-namur.example".to_owned()][..])
    );
}

#[test]
fn dquote_in_a_parameter_value_cannot_close_the_quotes() {
    let mut event = meeting();
    event.attendees[0].name = "Marie \"la Pro\"\";ROLE=CHAIR:mailto:x".into();
    event.attendees[0].rsvp = false;
    event.organizer = Some(Organizer {
        email: "mailto:secretariat@cri-namur.example".into(),
        name: String::new(),
        sent_by: None,
    });
    let text = write(&calendar(vec![event]));
    let lines = unfolded(&text);
    assert!(
        lines.contains(
            &"ATTENDEE;CN=\"Marie 'la Pro'';ROLE=CHAIR:mailto:x\";ROLE=REQ-PARTICIPANT;\
          PARTSTAT=NEEDS-ACTION:mailto:marie@asbl.example"
                .to_owned()
        )
    );
    assert!(lines.contains(&"ORGANIZER:mailto:secretariat@cri-namur.example".to_owned()));
    let parsed = parse(&text);
    let attendee = find(&parsed.events[0].properties, "ATTENDEE");
    assert_eq!(
        param(attendee, "ROLE"),
        Some(&["REQ-PARTICIPANT".to_owned()][..])
    );
}

#[test]
fn line_breaks_in_values_cannot_inject_a_property() {
    let mut event = meeting();
    event.summary = "Réunion\r\nATTENDEE:mailto:intrus@example.org\nX-EVIL-1:1".into();
    event.uid = "abc@maillage\r\nMETHOD:CANCEL\nX-EVIL-2:2\rX-EVIL-3:3".into();
    event.location = Some("Salle\u{2028}X-EVIL-4:4\u{85}X-EVIL-5:5".into());
    event.url = Some("https://x.example/\r\nX-EVIL-6:6".into());
    event.rrule = Some("FREQ=WEEKLY\r\nX-EVIL-7:7".into());
    event.categories = vec!["A\nX-EVIL-8:8".into()];
    event.attendees[0].name = "Marie\r\nX-EVIL-9:9".into();
    event.attendees[0].email = "marie@asbl.example\r\nX-EVIL-10:10".into();
    let text = write(&calendar(vec![event]));
    assert_crlf_only(&text);
    assert!(!text.contains('\u{2028}') && !text.contains('\u{85}'));
    let lines = unfolded(&text);
    assert!(!lines.iter().any(|l| l.starts_with("X-EVIL")), "{lines:?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("METHOD")).count(), 1);
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("ATTENDEE")).count(),
        1
    );
    assert!(
        lines.contains(
            &r"SUMMARY:Réunion\nATTENDEE:mailto:intrus@example.org\nX-EVIL-1:1".to_owned()
        )
    );
    assert!(lines.contains(&"UID:abc@maillageMETHOD:CANCELX-EVIL-2:2X-EVIL-3:3".to_owned()));
    let ev = &parse(&text).events[0];
    assert!(!ev.properties.iter().any(|p| p.name.starts_with("X-EVIL")));
    assert_eq!(
        ev.properties
            .iter()
            .filter(|p| p.name == "ATTENDEE")
            .count(),
        1
    );
}

#[test]
fn ical_parser_reads_back_every_field() {
    let mut event = meeting();
    event.rrule = Some("FREQ=WEEKLY;BYDAY=TU".into());
    event.exdates = vec![When::Local(local(2027, 6, 15, 9, 0))];
    event.private = true;
    let cal = Calendar {
        feed: true,
        method: Some(Method::Publish),
        ..calendar(vec![event.clone()])
    };
    let parsed = parse(&write(&cal));
    assert_eq!(value(&parsed.properties, "METHOD"), "PUBLISH");
    assert_eq!(unescape(value(&parsed.properties, "NAME")), cal.name);
    assert_eq!(parsed.timezones.len(), 1);
    assert_eq!(parsed.events.len(), 1);
    let p = &parsed.events[0].properties;
    assert_eq!(value(p, "UID"), event.uid);
    assert_eq!(value(p, "DTSTAMP"), "20270520T083000Z");
    assert_eq!(value(p, "SEQUENCE"), "2");
    let start = find(p, "DTSTART");
    assert_eq!(start.value.as_deref(), Some("20270608T090000"));
    assert_eq!(param(start, "TZID"), Some(&[TZID.to_owned()][..]));
    assert_eq!(value(p, "DTEND"), "20270608T110000");
    assert_eq!(value(p, "RRULE"), "FREQ=WEEKLY;BYDAY=TU");
    assert_eq!(value(p, "EXDATE"), "20270615T090000");
    assert_eq!(unescape(value(p, "SUMMARY")), event.summary);
    assert_eq!(unescape(value(p, "DESCRIPTION")), event.description);
    assert_eq!(Some(unescape(value(p, "LOCATION"))), event.location);
    assert_eq!(Some(value(p, "URL").to_owned()), event.url);
    let conference = find(p, "CONFERENCE");
    assert_eq!(conference.value, event.conference);
    assert_eq!(
        param(conference, "LABEL"),
        Some(&["Visioconférence".to_owned()][..])
    );
    assert_eq!(value(p, "STATUS"), "CONFIRMED");
    assert_eq!(value(p, "CLASS"), "PRIVATE");
    assert_eq!(value(p, "CATEGORIES"), "Emploi,Réunion");
    let organizer = find(p, "ORGANIZER");
    assert_eq!(
        organizer.value.as_deref(),
        Some("mailto:secretariat@cri-namur.example")
    );
    assert_eq!(
        param(organizer, "CN"),
        Some(&["Secrétariat CRI, Namur".to_owned()][..])
    );
}

#[test]
fn a_request_writes_cancelled_occurrences_as_exdates_and_a_publish_keeps_them() {
    let master = Event {
        rrule: Some("FREQ=WEEKLY".into()),
        exdates: vec![When::Local(local(2027, 6, 15, 9, 0))],
        ..meeting()
    };
    let cancelled = Event {
        recurrence_id: Some(When::Local(local(2027, 6, 22, 9, 0))),
        start: When::Local(local(2027, 6, 22, 9, 0)),
        end: When::Local(local(2027, 6, 22, 11, 0)),
        status: Status::Cancelled,
        rrule: None,
        exdates: Vec::new(),
        ..meeting()
    };
    let moved = Event {
        recurrence_id: Some(When::Local(local(2027, 6, 29, 9, 0))),
        start: When::Local(local(2027, 6, 30, 9, 0)),
        end: When::Local(local(2027, 6, 30, 11, 0)),
        rrule: None,
        exdates: Vec::new(),
        ..meeting()
    };
    let events = vec![master, cancelled, moved];
    let request = write(&calendar(events.clone()));
    assert!(!request.contains("CANCELLED"), "{request}");
    assert!(request.contains("EXDATE;TZID=Europe/Brussels:20270615T090000\r\n"));
    assert!(request.contains("EXDATE;TZID=Europe/Brussels:20270622T090000\r\n"));
    assert!(request.contains("RECURRENCE-ID;TZID=Europe/Brussels:20270629T090000\r\n"));
    assert_eq!(request.matches("BEGIN:VEVENT").count(), 2);
    let publish = write(&Calendar {
        method: Some(Method::Publish),
        ..calendar(events.clone())
    });
    assert!(publish.contains("STATUS:CANCELLED\r\n"));
    assert!(publish.contains("RECURRENCE-ID;TZID=Europe/Brussels:20270622T090000\r\n"));
    assert!(!publish.contains("EXDATE;TZID=Europe/Brussels:20270622T090000"));
    assert_eq!(publish.matches("BEGIN:VEVENT").count(), 3);
    let cancel = write(&Calendar {
        method: Some(Method::Cancel),
        ..calendar(events)
    });
    assert!(cancel.contains("STATUS:CANCELLED\r\n"));
}
