use super::*;
use crate::entities::local_time::LocalDateTime;

fn plenary() -> MeetingForm {
    MeetingForm {
        scope: "platform:1".into(),
        kind: "plenary".into(),
        title: "Plénière du PPLI".into(),
        date: "2027-06-08".into(),
        start_time: "09:00".into(),
        end_time: "16:00".into(),
        visibility: "public".into(),
        ..Default::default()
    }
}

#[test]
fn a_plenary_form_becomes_brussels_wall_clock_times() {
    let input = plenary().parse().unwrap();
    assert_eq!(
        LocalDateTime::from(input.start).to_string(),
        "2027-06-08T09:00:00"
    );
    assert_eq!(
        LocalDateTime::from(input.end).to_string(),
        "2027-06-08T16:00:00"
    );
    assert_eq!(input.scope, ScopeChoice::Platform(1));
    assert!(input.rule.is_none());
}

#[test]
fn an_end_before_the_start_is_refused() {
    let form = MeetingForm {
        end_time: "08:00".into(),
        ..plenary()
    };
    let errors = form.parse().unwrap_err();
    assert_eq!(
        errors.get("end_time"),
        Some("La fin doit venir après le début.")
    );
}

#[test]
fn all_day_meetings_end_at_midnight_after_their_last_day() {
    let form = MeetingForm {
        all_day: Some("on".into()),
        end_date: "2027-06-09".into(),
        start_time: String::new(),
        end_time: String::new(),
        ..plenary()
    };
    let input = form.parse().unwrap();
    assert_eq!(
        LocalDateTime::from(input.end).to_string(),
        "2027-06-10T00:00:00"
    );
}

#[test]
fn the_second_and_fourth_friday_is_built_from_checkboxes() {
    let form = MeetingForm {
        repeat: "monthly_nth".into(),
        ord_2: Some("on".into()),
        ord_4: Some("on".into()),
        weekday: "FR".into(),
        date: "2027-06-11".into(),
        ..plenary()
    };
    let rule = form.parse().unwrap().rule.unwrap();
    assert_eq!(rule.to_rrule(), "FREQ=MONTHLY;BYDAY=2FR,4FR");
    let mut again = MeetingForm::default();
    again.set_rule(&rule);
    assert_eq!(
        (again.repeat.as_str(), again.weekday.as_str()),
        ("monthly_nth", "FR")
    );
    assert!(
        again.ordinal_checked("2") && again.ordinal_checked("4") && !again.ordinal_checked("1")
    );
}

#[test]
fn every_other_monday_is_built_from_checkboxes() {
    let form = MeetingForm {
        repeat: "weekly".into(),
        interval: "2".into(),
        day_mo: Some("on".into()),
        date: "2027-06-07".into(),
        ..plenary()
    };
    assert_eq!(
        form.parse().unwrap().rule.unwrap().to_rrule(),
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    );
}

#[test]
fn a_bad_advanced_rule_or_a_series_with_a_registration_deadline_is_refused() {
    let form = MeetingForm {
        repeat: "custom".into(),
        rrule: "FREQ=SOMETIMES".into(),
        ..plenary()
    };
    assert!(form.parse().unwrap_err().get("rrule").is_some());
    // A series takes registrations session by session, each until it ends: no single deadline.
    let series = MeetingForm {
        repeat: "weekly".into(),
        day_tu: Some("on".into()),
        registration_open: Some("on".into()),
        ..plenary()
    };
    assert!(series.clone().parse().is_ok());
    let form = MeetingForm {
        deadline_date: "2027-06-01".into(),
        deadline_time: "12:00".into(),
        ..series
    };
    assert!(form.parse().unwrap_err().get("deadline_date").is_some());
    let form = MeetingForm {
        repeat: "weekly".into(),
        ..plenary()
    };
    assert!(form.parse().unwrap_err().get("repeat").is_some());
}

#[test]
fn a_first_date_off_the_rule_is_refused() {
    let form = MeetingForm {
        repeat: "monthly_nth".into(),
        ord_2: Some("on".into()),
        weekday: "FR".into(),
        ..plenary()
    };
    let errors = form.parse().unwrap_err();
    assert!(
        errors
            .get("date")
            .is_some_and(|m| m.contains("ne suit pas la règle"))
    );
}

#[test]
fn capacity_deadline_and_video_link_are_checked() {
    let form = MeetingForm {
        capacity: "-3".into(),
        deadline_date: "2027-07-01".into(),
        video_url: "http://visio".into(),
        ..plenary()
    };
    let errors = form.parse().unwrap_err();
    assert!(errors.get("capacity").is_some());
    assert!(errors.get("deadline_date").is_some());
    assert!(errors.get("video_url").is_some());
}

#[test]
fn video_links_are_https_urls_without_spaces_quotes_or_line_breaks() {
    for good in [
        "",
        "https://visio.example/ppli",
        "https://meet.jit.si/CRI-Namur?x=1&y=2#z",
        "https://visio.example:8443/salle-é",
    ] {
        assert_eq!(check_video_url(good), Ok(()), "{good}");
    }
    for bad in [
        "http://visio.example/ppli",
        "https://visio.example/a\r\nBcc: x@evil.example",
        "https://visio.example/a\nb",
        "https://visio.example/a b",
        "https://visio.example/\"onmouseover=\"x",
        "https://visio.example/'x",
        "https://visio.example/<script>",
        "https://visio.example/a\tb",
        "https://visio.example/a\u{0}b",
        "https://visio.example\\@evil.example",
        "https://visio.example@evil.example/",
        "https://user:pw@visio.example/",
        "https://",
        "javascript:alert(1)",
        "visio.example/ppli",
    ] {
        assert!(check_video_url(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_agenda_is_read_line_by_line() {
    let agenda =
        parse_agenda("09:00 | Accueil et café\n09:30 | Introduction | La direction\n\nConclusions")
            .unwrap();
    assert_eq!(agenda.len(), 3);
    assert_eq!(
        agenda[1],
        AgendaLine {
            time: "09:30".into(),
            title: "Introduction".into(),
            presenters: "La direction".into()
        }
    );
    assert_eq!(agenda[2].time, "");
    assert!(
        parse_agenda("9h | Accueil | x")
            .unwrap_err()
            .to_string()
            .contains("Ligne 1")
    );
    assert_eq!(
        agenda_text(&agenda),
        "09:00 | Accueil et café\n09:30 | Introduction | La direction\nConclusions"
    );
}
