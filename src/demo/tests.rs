use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDateTime, Utc, Weekday};
use sea_orm::{
    ColumnTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::fixtures::{FILES, Fixtures};
use super::meetings::{meeting_count, plan_meeting, plan_office_hours};
use super::plenary::{favourite_axis, meal_choice, meal_options, registrants, workshop_ranking};
use super::*;
use crate::auth::permissions::Role;
use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use crate::entities::registration::RegistrationStatus;
use crate::entities::{
    agenda_item, attendance, group_membership, meeting, occurrence, occurrence_change, person,
    platform_membership, reception_office, registration, working_group, workshop,
    workshop_preference,
};
use crate::meetings::recurrence::{self, Rule};
use crate::meetings::rules::parse_time;
use crate::meetings::schedule;
use crate::people::rules::normalize_email;
use crate::platforms::rules::{slugify, valid_slug};

const CRI: &str = "Centre régional d'intégration de Namur";

fn fixtures() -> Fixtures {
    Fixtures::load().unwrap()
}

/// The data files, with `edit` applied to the text of `name`.
fn parse_with(name: &str, edit: impl Fn(&str) -> String) -> anyhow::Result<Fixtures> {
    let edited: Vec<(&str, String)> = FILES
        .iter()
        .map(|(n, text)| {
            (
                *n,
                if *n == name {
                    edit(text)
                } else {
                    text.to_string()
                },
            )
        })
        .collect();
    Fixtures::parse(|wanted| {
        edited
            .iter()
            .find(|(n, _)| *n == wanted)
            .map(|(_, text)| text.as_str())
            .ok_or_else(|| anyhow::anyhow!("{wanted}"))
    })
}

/// The whole chain of an error, as the command line prints it.
fn error_of(result: anyhow::Result<Fixtures>) -> String {
    match result {
        Ok(_) => String::from("(aucune erreur)"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn every_fixture_file_parses_and_references_resolve() {
    let f = fixtures();
    assert_eq!(FILES.len(), 8);
    assert_eq!(f.platforms.len(), 8);
    assert_eq!(f.platforms.iter().map(|p| p.groups.len()).sum::<usize>(), 9);
    assert_eq!(f.organisations.len(), 45);
    assert_eq!((f.people.len(), f.participants.len()), (60, 48));
    assert_eq!((f.office_hours.len(), f.occurrence_changes.len()), (8, 2));
    assert_eq!(f.meetings.len(), 33);
    assert_eq!(f.plenary.workshops.len(), 4);
    assert_eq!(f.sessions.len(), 16);
    assert_eq!(
        f.sessions.iter().filter(|s| s.minutes.is_some()).count(),
        6,
        "every socio-legal findings session has its minutes"
    );

    // Every reference names something that exists, checked here independently of the parser.
    let organisations: HashSet<&str> = f.organisations.iter().map(|o| o.name.as_str()).collect();
    let emails: HashSet<&str> = f.everyone().map(|p| p.email.as_str()).collect();
    for p in f.everyone() {
        assert!(
            organisations.contains(p.organisation.as_str()),
            "{}",
            p.email
        );
    }
    for platform in &f.platforms {
        for m in &platform.members {
            assert!(emails.contains(m.email.as_str()), "{}", m.email);
        }
        for group in &platform.groups {
            for m in &group.members {
                assert!(emails.contains(m.email.as_str()), "{}", m.email);
            }
        }
    }
    for m in &f.meetings {
        let platform = f.platform(m.platform.as_deref().unwrap()).unwrap();
        if let Some(group) = &m.group {
            assert!(
                platform.groups.iter().any(|g| &g.name == group),
                "{}",
                m.title
            );
        }
    }
    for m in f.meetings.iter().chain([&f.plenary.meeting]) {
        if let Some(place) = &m.place {
            assert!(f.places.contains_key(place), "{}", m.title);
        }
    }
    for change in &f.occurrence_changes {
        assert!(f.office_hours.iter().any(|o| o.office == change.office));
    }
    assert!(organisations.contains(f.plenary.run_by.as_str()));
    for email in [ADMIN_EMAIL, COORDINATOR_EMAIL, MEMBER_EMAIL] {
        assert!(emails.contains(email), "{email}");
    }
}

#[test]
fn a_broken_reference_is_an_error_naming_its_file() {
    let cases: [(&str, &str, &str, &str); 9] = [
        (
            "sessions.toml",
            "\"stephanie.gerard@ips-dinant.example\",\n    \"quentin.lefevre",
            "\"personne@nulle-part.example\",\n    \"quentin.lefevre",
            "personne@nulle-part.example",
        ),
        (
            "sessions.toml",
            "date = \"2026-07-14\"",
            "date = \"2026-07-15\"",
            "2026-07-15",
        ),
        (
            "people.toml",
            "organisation = \"CPAS de Namur\"",
            "organisation = \"CPAS de Nulle-Part\"",
            "CPAS de Nulle-Part",
        ),
        (
            "platforms.toml",
            "{ email = \"thomas.renard@cri-namur.example\", role = \"coordinator\" }",
            "{ email = \"personne@nulle-part.example\", role = \"coordinator\" }",
            "personne@nulle-part.example",
        ),
        (
            "platforms.toml",
            "role = \"observer\"",
            "role = \"chef\"",
            "chef",
        ),
        (
            "meetings.toml",
            "group = \"Interpellation sur la validation\"",
            "group = \"Groupe fantôme\"",
            "Groupe fantôme",
        ),
        (
            "meetings.toml",
            "place = \"cri\"",
            "place = \"grenier\"",
            "grenier",
        ),
        (
            "office_hours.toml",
            "office = \"Namur\"\noriginal_start",
            "office = \"Atlantis\"\noriginal_start",
            "Atlantis",
        ),
        (
            "plenary.toml",
            "favoured_by = [\"public_body\", \"cri\"]",
            "favoured_by = [\"public_body\"]",
            "cri",
        ),
    ];
    for (file, from, to, named) in cases {
        let result = parse_with(file, |text| {
            assert!(text.contains(from), "{file} : {from}");
            text.replacen(from, to, 1)
        });
        let message = error_of(result);
        assert!(
            message.contains(file) && message.contains(named),
            "{file} : {message}"
        );
    }
}

#[test]
fn a_malformed_file_is_an_error_naming_it_not_a_panic() {
    for (file, _) in FILES {
        let message = error_of(parse_with(file, |text| format!("{text}\n[[[ pas du TOML")));
        assert!(message.contains(file), "{message}");
    }
    let message = error_of(parse_with("meetings.toml", |text| {
        text.replacen("date = \"2026-06-09\"", "date = \"2026-06-31\"", 1)
    }));
    assert!(
        message.contains("meetings.toml") && message.contains("2026-06-31"),
        "{message}"
    );
    let message = error_of(parse_with("meetings.toml", |text| {
        text.replacen("kind = \"findings\"", "kind = \"apéro\"", 1)
    }));
    assert!(
        message.contains("meetings.toml") && message.contains("apéro"),
        "{message}"
    );
}

#[test]
fn fixtures_are_consistent() {
    let f = fixtures();
    for p in &f.platforms {
        assert!(valid_slug(&slugify(&p.name)), "{}", p.name);
    }

    let organisations: HashMap<&str, _> = f
        .organisations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    for p in f.everyone() {
        assert!(p.email.ends_with(".example"), "{}", p.email);
        assert!(
            p.email.is_ascii() && p.email == p.email.to_lowercase(),
            "{}",
            p.email
        );
        let org = organisations[p.organisation.as_str()];
        assert!(
            p.email.ends_with(&format!("@{}", org.domain)),
            "{}",
            p.email
        );
    }

    let mut platform_roles: HashMap<(&str, &str), Role> = HashMap::new();
    for platform in &f.platforms {
        let name = platform.name.as_str();
        let members = &platform.members;
        let coordinators = members
            .iter()
            .filter(|m| m.role == Role::Coordinator)
            .count();
        assert!((1..=2).contains(&coordinators), "{name}");
        assert!((6..=15).contains(&(members.len() - coordinators)), "{name}");
        for m in members {
            platform_roles.insert((name, m.email.as_str()), m.role);
            if m.role == Role::Coordinator {
                assert!(m.email.ends_with("@cri-namur.example"), "{}", m.email);
            }
        }
    }
    // Everybody but the administrator belongs somewhere.
    for p in &f.people {
        assert!(
            p.email == ADMIN_EMAIL || platform_roles.keys().any(|(_, e)| *e == p.email),
            "{}",
            p.email
        );
    }
    // The plenary's other participants: no platform, not the centre's staff.
    for p in &f.participants {
        assert_ne!(p.organisation, CRI, "{}", p.email);
        assert!(
            !platform_roles.keys().any(|(_, e)| *e == p.email),
            "{}",
            p.email
        );
    }

    for platform in &f.platforms {
        for group in &platform.groups {
            let members = &group.members;
            assert_eq!(
                members
                    .iter()
                    .filter(|m| m.role == Role::Coordinator)
                    .count(),
                1
            );
            assert!((4..=8).contains(&(members.len() - 1)), "{}", group.name);
            for m in members {
                assert!(
                    platform_roles.contains_key(&(platform.name.as_str(), m.email.as_str())),
                    "{} n'est pas membre de {}",
                    m.email,
                    platform.name
                );
            }
        }
    }
}

#[test]
fn meeting_fixtures_are_consistent() {
    let f = fixtures();
    let now = Utc::now();
    let local = |date: &str, time: &str| {
        NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap()
    };
    let (from, to) = (local("2026-06-01", "00:00"), local("2027-07-01", "00:00"));
    let mut keys = HashSet::new();
    // (place, start, end, title) of every meeting held in a room, series expanded.
    let mut rooms: Vec<(&str, NaiveDateTime, NaiveDateTime, &str)> = Vec::new();
    for fixture in f.meetings.iter().chain([&f.plenary.meeting]) {
        let title = fixture.title.as_str();
        assert!(
            fixture.video_url.is_empty() || fixture.video_url.starts_with("https://visio.example/"),
            "{title}"
        );
        assert!(
            fixture.place.is_some() || !fixture.video_url.is_empty(),
            "{title} : ni lieu ni lien"
        );
        let planned = plan_meeting(&f, fixture, None, None, None, now).unwrap();
        assert!(
            keys.insert((
                planned.title.clone(),
                LocalDateTime::from(planned.start).to_string()
            )),
            "{title}"
        );
        assert!(
            planned.start >= from && planned.end <= to,
            "{title} hors de l'année"
        );
        assert!(
            !matches!(planned.start.weekday(), Weekday::Sun)
                && (fixture.kind == MeetingKind::PublicEvent
                    || planned.start.weekday() != Weekday::Sat),
            "{title} tombe un week-end"
        );
        for item in &fixture.agenda {
            assert!(
                item.time.is_empty() || parse_time(&item.time).is_some(),
                "{}",
                item.title
            );
            assert!(!item.title.is_empty());
        }
        if fixture.minutes.is_some() {
            assert!(
                fixture.group.is_some() && planned.status == MeetingStatus::Held,
                "{title}"
            );
        }
        let Some(place) = fixture.place.as_deref() else {
            continue;
        };
        match &planned.rule {
            None => rooms.push((place, planned.start, planned.end, title)),
            Some(rule) => {
                for o in recurrence::expand(
                    planned.start,
                    planned.end - planned.start,
                    rule,
                    &[],
                    from,
                    to,
                ) {
                    rooms.push((place, o.start, o.end, title));
                }
            }
        }
    }
    // No room is booked twice at the same time.
    for (i, a) in rooms.iter().enumerate() {
        for b in &rooms[i + 1..] {
            assert!(
                a.0 != b.0 || a.2 <= b.1 || b.2 <= a.1,
                "{} et {} : même salle, même heure ({})",
                a.3,
                b.3,
                a.1
            );
        }
    }
    // A mix of public and members-only, rooms, video links and both.
    let meetings = &f.meetings;
    assert!(meetings.iter().any(|m| m.public) && meetings.iter().any(|m| !m.public));
    assert!(meetings.iter().any(|m| m.place.is_none()));
    assert!(
        meetings
            .iter()
            .any(|m| m.place.is_some() && !m.video_url.is_empty())
    );
    assert!(
        meetings
            .iter()
            .any(|m| m.place.is_some() && m.video_url.is_empty())
    );
    let findings = meetings
        .iter()
        .find(|m| m.kind == MeetingKind::Findings)
        .unwrap();
    assert_eq!(
        Rule::parse(findings.rrule.as_deref().unwrap())
            .unwrap()
            .to_rrule(),
        "FREQ=MONTHLY;BYDAY=2TU"
    );
    assert_eq!(
        meetings
            .iter()
            .filter(|m| m.kind == MeetingKind::PeerSession)
            .count(),
        4
    );
    assert_eq!(
        meetings
            .iter()
            .filter(|m| m.platform.as_deref() == Some("Lutte contre le racisme")
                && m.kind != MeetingKind::PublicEvent)
            .count(),
        8
    );
}

#[test]
fn the_annual_plenary_follows_the_programme() {
    let f = fixtures();
    let plenary = &f.plenary;
    let planned = plan_meeting(&f, &plenary.meeting, None, None, None, Utc::now()).unwrap();
    assert_eq!(planned.start.weekday(), Weekday::Tue);
    assert_eq!((planned.start.year(), planned.start.month()), (2027, 6));
    assert_eq!(
        LocalDateTime::from(planned.start).to_string().get(11..),
        Some("09:00:00")
    );
    assert_eq!(
        LocalDateTime::from(planned.end).to_string().get(11..),
        Some("16:00:00")
    );
    assert_eq!(
        planned.start.date() - planned.deadline.unwrap().date(),
        Duration::days(7)
    );
    assert_eq!(
        meal_options(&f).join("\n"),
        "Végétarien\nSans gluten\nSans porc\nPas de repas"
    );
    let times: Vec<&str> = plenary
        .meeting
        .agenda
        .iter()
        .map(|i| i.time.as_str())
        .collect();
    assert_eq!(
        times,
        [
            "09:00", "09:30", "10:10", "11:15", "11:35", "12:30", "14:05", "16:00"
        ]
    );
    for slot in &plenary.workshop_slots {
        assert!(times.contains(&slot.start.as_str()) && times.contains(&slot.end.as_str()));
    }
    let mut animators = HashSet::new();
    for w in &plenary.workshops {
        assert!(!w.room.is_empty());
        let names: Vec<&str> = w.animators.split(", ").collect();
        assert_eq!(names.len(), 2, "{}", w.axis);
        for name in names {
            assert!(animators.insert(name), "{name} anime deux ateliers");
            let staff = f.people.iter().find(|p| p.name == name);
            assert!(staff.is_some_and(|p| p.organisation == CRI), "{name}");
        }
    }
    let registrants = registrants(&f).len();
    assert!(
        plenary.meeting.capacity.unwrap() as usize >= registrants
            && plenary.workshop_capacity as usize * plenary.workshops.len() >= registrants
    );
}

#[test]
fn office_hours_are_anchored_on_their_own_dates() {
    let f = fixtures();
    for fixture in &f.office_hours {
        let planned = plan_office_hours(fixture, None, None).unwrap();
        assert_eq!(
            (planned.start.year(), planned.start.month()),
            (2026, 1),
            "{}",
            planned.title
        );
        let rule = planned.rule.unwrap();
        assert_eq!(rule.to_rrule(), fixture.rrule);
        assert!(schedule::series_end(planned.start, planned.end - planned.start, &rule).is_none());
    }
    for change in &f.occurrence_changes {
        let fixture = f
            .office_hours
            .iter()
            .find(|o| o.office == change.office)
            .unwrap();
        let planned = plan_office_hours(fixture, None, None).unwrap();
        let original = change.original_start;
        let found = recurrence::expand(
            planned.start,
            planned.end - planned.start,
            planned.rule.as_ref().unwrap(),
            &[],
            original,
            original + Duration::seconds(1),
        );
        assert_eq!(found.len(), 1, "{} {original}", change.office);
    }
}

#[test]
fn plenary_choices_are_skewed_deterministic_and_valid() {
    let f = fixtures();
    let registrants = registrants(&f);
    assert_eq!(registrants.len(), 100);
    assert_eq!(registrants, super::plenary::registrants(&f));
    let emails: HashSet<&str> = registrants.iter().map(|(e, _)| *e).collect();
    assert_eq!(emails.len(), registrants.len());
    let axes: Vec<&str> = f
        .plenary
        .workshops
        .iter()
        .map(|w| w.axis.as_str())
        .collect();
    let options = meal_options(&f);
    let mut first = [0usize; 4];
    let mut meals: HashMap<&str, usize> = HashMap::new();
    for (email, organisation) in &registrants {
        let ranking = workshop_ranking(&f, email, favourite_axis(&f, organisation));
        assert_eq!(
            ranking,
            workshop_ranking(&f, email, favourite_axis(&f, organisation))
        );
        assert!((2..=4).contains(&ranking.len()), "{email}");
        let distinct: HashSet<&&str> = ranking.iter().collect();
        assert_eq!(distinct.len(), ranking.len(), "{email}");
        let top = axes.iter().position(|a| *a == ranking[0]).unwrap();
        first[top] += 1;
        let meal = meal_choice(&f, email);
        assert!(options.contains(&meal));
        *meals.entry(meal).or_default() += 1;
    }
    // Every workshop is someone's first choice; some far more than others.
    let (min, max) = (first.iter().min().unwrap(), first.iter().max().unwrap());
    assert!(*min > 0 && *max >= min * 2, "{first:?}");
    assert_eq!(meals.len(), options.len(), "{meals:?}");
    assert!(meals["Végétarien"] > meals["Sans gluten"], "{meals:?}");
}

#[tokio::test]
async fn loading_twice_inserts_nothing_the_second_time() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let db = Database::connect(url).await.unwrap();
    crate::db::migrate(&db).await.unwrap();

    let first = load(&db).await.unwrap();
    assert!(first.starts_with("Jeu de démonstration chargé"), "{first}");
    let people = person::Entity::find().count(&db).await.unwrap();
    let memberships = platform_membership::Entity::find()
        .count(&db)
        .await
        .unwrap()
        + group_membership::Entity::find().count(&db).await.unwrap();
    assert_eq!(people, f.everyone().count() as u64);
    let counts = meeting_counts(&db).await;
    assert_eq!(counts[0], meeting_count(&f) as u64);
    assert_eq!(counts[4], 100, "inscriptions");
    assert_eq!(counts[3], 8, "ateliers");
    assert_eq!(counts[2], f.occurrence_changes.len() as u64);

    let plenary = meeting::Entity::find()
        .filter(meeting::Column::Title.eq(f.plenary.meeting.title.as_str()))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plenary.platform_id, None);
    assert_eq!(plenary.start_local.to_string(), "2027-06-15T09:00:00");
    assert_eq!(plenary.status, MeetingStatus::Scheduled);
    assert_eq!(plenary.registration_counter, 100);
    let registrations = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(plenary.id))
        .all(&db)
        .await
        .unwrap();
    let mut positions: Vec<i64> = registrations.iter().map(|r| r.position).collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=100).collect::<Vec<i64>>());
    let preferences = workshop_preference::Entity::find().all(&db).await.unwrap();
    for r in &registrations {
        assert_eq!(r.status, RegistrationStatus::Confirmed);
        assert!(plenary.meal_options.split('\n').any(|m| m == r.meal));
        let mut ranks: Vec<i32> = preferences
            .iter()
            .filter(|p| p.registration_id == r.id)
            .map(|p| p.rank)
            .collect();
        ranks.sort_unstable();
        assert!(ranks.len() >= 2);
        assert_eq!(ranks, (1..=ranks.len() as i32).collect::<Vec<i32>>());
    }
    let meetings = meeting::Entity::find().all(&db).await.unwrap();
    let groups = working_group::Entity::find().all(&db).await.unwrap();
    for m in &meetings {
        if let Some(group_id) = m.working_group_id {
            let group = groups.iter().find(|g| g.id == group_id).unwrap();
            assert_eq!(m.platform_id, Some(group.platform_id), "{}", m.title);
        }
    }
    assert_eq!(meetings.iter().filter(|m| m.minutes_published).count(), 1);
    assert!(meetings.iter().any(|m| m.status == MeetingStatus::Held));
    let offices = reception_office::Entity::find().all(&db).await.unwrap();
    let office_hours: Vec<&meeting::Model> = meetings
        .iter()
        .filter(|m| m.kind == MeetingKind::OfficeHours && m.rrule.is_some())
        .collect();
    assert_eq!(office_hours.len(), offices.len());
    for office in &offices {
        assert!(
            office_hours.iter().any(|m| m.office_id == Some(office.id)
                && m.title.ends_with(&office.name)
                && m.visibility == Visibility::Public),
            "{}",
            office.name
        );
    }

    // Past sessions of the series: attendance pointing at the session, minutes on the session.
    let marks = session_marks(&db).await;
    let expected: usize = f
        .sessions
        .iter()
        .map(|s| s.present.len() + s.excused.len() + s.absent.len() + s.walk_ins.len())
        .sum();
    assert_eq!(marks.len(), expected);
    assert!(marks.iter().all(|a| a.occurrence_id.is_some()));
    assert!(
        marks.iter().any(|a| a.person_id.is_none()),
        "a walk-in or two"
    );
    let minutes = occurrence::Entity::find()
        .filter(occurrence::Column::MinutesPublished.eq(true))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(minutes.len(), 6);
    for session in &minutes {
        assert!(!session.decisions.is_empty() && !session.actions.is_empty());
        assert!(marks.iter().any(|a| a.occurrence_id == Some(session.id)));
    }

    let second = load(&db).await.unwrap();
    assert!(second.contains("rien à ajouter"), "{second}");
    assert_eq!(session_marks(&db).await, marks);
    assert!(
        second.contains("8 plateformes, 9 groupes de travail, 45 organisations, 108 personnes, 42 réunions et séries, 100 inscriptions"),
        "{second}"
    );
    assert_eq!(person::Entity::find().count(&db).await.unwrap(), people);
    assert_eq!(meeting_counts(&db).await, counts);
    let again = meeting::Entity::find_by_id(plenary.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.registration_counter, 100);
    assert_eq!(
        platform_membership::Entity::find()
            .count(&db)
            .await
            .unwrap()
            + group_membership::Entity::find().count(&db).await.unwrap(),
        memberships
    );

    let admin = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalize_email(ADMIN_EMAIL)))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(admin.is_admin && admin.active);
    assert!(crate::auth::password::verify(
        PASSWORD,
        admin.password_hash.as_deref()
    ));
}

/// The attendance rows of sessions of series, in id order.
async fn session_marks(db: &DatabaseConnection) -> Vec<attendance::Model> {
    attendance::Entity::find()
        .filter(attendance::Column::OccurrenceId.is_not_null())
        .order_by_asc(attendance::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// Meetings, agenda items, occurrence changes, workshops, registrations, preferences.
async fn meeting_counts(db: &DatabaseConnection) -> [u64; 6] {
    [
        meeting::Entity::find().count(db).await.unwrap(),
        agenda_item::Entity::find().count(db).await.unwrap(),
        occurrence_change::Entity::find().count(db).await.unwrap(),
        workshop::Entity::find().count(db).await.unwrap(),
        registration::Entity::find().count(db).await.unwrap(),
        workshop_preference::Entity::find().count(db).await.unwrap(),
    ]
}
