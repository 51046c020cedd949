//! Sessions of a series through HTTP: each session's page at `/reunions/{id}/{YYYY-MM-DD}` with
//! its own registrations (capacity and waiting list per session, meals), attendance and minutes;
//! the series page listing past and next sessions with their counts; a moved session or a
//! series whose time changed keeping what points at it; visibility and bad addresses; 200
//! registrations racing for 50 seats of one session.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{attendance, domain_event, occurrence, registration};
use maillage::events::Event;
use maillage::meetings::{booking, index};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::helpers::{MeetingForm, TestApp, Visitor, location};

/// The second Tuesday of a month.
fn second_tuesday(year: i32, month: u32) -> NaiveDate {
    let mut day = NaiveDate::from_ymd_opt(year, month, 8).unwrap();
    while day.weekday() != Weekday::Tue {
        day += Duration::days(1);
    }
    day
}

/// The first `weekday` at least `days` ahead.
fn next_weekday(days: i64, weekday: Weekday) -> NaiveDate {
    let mut day = Utc::now().date_naive() + Duration::days(days);
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    day
}

fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The Sociojuridique platform with its coordinator, signed in.
async fn platform_with_coordinator(app: &TestApp, public: bool) -> (i64, Visitor) {
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", public)
        .await;
    let (coordinator, visitor) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coordinator, "coordinator")
        .await;
    (platform, visitor)
}

/// Members of the platform (with accounts).
async fn members(app: &TestApp, platform: i64, names: &[(&str, &str)]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (name, email) in names {
        let id = app.create_person(name, email, false).await;
        app.add_to_platform(platform, id, "member").await;
        ids.push(id);
    }
    ids
}

/// A weekly series on `weekday`s from `first`, 09:00–12:00, on the platform.
fn weekly(title: &str, platform: i64, first: NaiveDate, day: &'static str) -> MeetingForm {
    MeetingForm::new(title)
        .platform(platform)
        .kind("peer_session")
        .on(ymd(first))
        .from("09:00")
        .to("12:00")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set(day, "on")
}

async fn session_row(app: &TestApp, meeting: i64, day: NaiveDate) -> occurrence::Model {
    index::session_on(&app.db, meeting, day)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no session of {meeting} on {day}"))
}

async fn post_ok(visitor: &Visitor, path: &str, fields: &[(&str, &str)]) -> String {
    let r = visitor.post_form(path, fields).await;
    let status = r.status();
    let to = location(&r);
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{path} {fields:?}: {}",
        r.text().await.unwrap_or_default()
    );
    to
}

async fn page(visitor: &Visitor, path: &str) -> String {
    let (status, html) = visitor.get_html(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {html}");
    html
}

/// The number an element with this id holds (`<dd id="count-confirmed">3</dd>`).
fn count(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no #{id}")) + marker.len();
    html[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn registrations_of(app: &TestApp, session: i64) -> Vec<registration::Model> {
    registration::Entity::find()
        .filter(registration::Column::OccurrenceId.eq(session))
        .order_by_asc(registration::Column::Position)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_socio_legal_coordinator_runs_the_march_session_of_the_monthly_meeting() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let people = members(
        &app,
        platform,
        &[
            ("Amina Diallo", "amina@ciac-namur.example"),
            ("Benoît Collard", "benoit@cpas-andenne.example"),
            ("Claire Dubois", "claire@croix-rouge.example"),
        ],
    )
    .await;
    let today = Utc::now().date_naive();
    let year = if today.month() < 3 {
        today.year()
    } else {
        today.year() + 1
    };
    let march = second_tuesday(year, 3);
    let april = second_tuesday(year, 4);
    let first = if second_tuesday(year, 2) > today {
        second_tuesday(year, 2)
    } else {
        march
    };
    // The monthly findings meeting, second Tuesday of the month, created through the form.
    let id = MeetingForm::new("Réunion mensuelle des constats de terrain")
        .platform(platform)
        .kind("findings")
        .on(ymd(first))
        .from("09:30")
        .to("12:00")
        .place("Centre régional d'intégration, Namur")
        .registration("15")
        .set("repeat", "monthly_nth")
        .set("ord_2", "on")
        .set("weekday", "TU")
        .schedule(&coordinator)
        .await;
    let base = format!("/reunions/{id}/{}", ymd(march));

    let html = page(&coordinator, &base).await;
    assert!(html.contains("séance du mardi"), "{html}");
    assert!(html.contains("mars"), "the March session");
    assert!(
        html.contains(&format!("href=\"/reunions/{id}\"")),
        "link to the series"
    );
    assert!(html.contains("09:30–12:00"));

    // Three members registered by the coordinator.
    for person in &people {
        let to = post_ok(
            &coordinator,
            &format!("{base}/inscriptions"),
            &[("person_id", &person.to_string())],
        )
        .await;
        assert_eq!(to, format!("{base}#inscriptions"));
    }
    // Attendance: two present, one excused, one walk-in without an account.
    for (person, status) in [
        (people[0], "present"),
        (people[1], "present"),
        (people[2], "excused"),
    ] {
        post_ok(
            &coordinator,
            &format!("{base}/presences/{person}"),
            &[("status", status)],
        )
        .await;
    }
    post_ok(
        &coordinator,
        &format!("{base}/presences/sur-place"),
        &[("person_id", ""), ("name", "Nadia Benali")],
    )
    .await;
    let sheet = page(&coordinator, &format!("{base}/presences")).await;
    assert!(sheet.contains("Nadia Benali") && sheet.contains("sur place"));
    // Minutes with decisions and actions, published.
    let to = post_ok(
        &coordinator,
        &format!("{base}/compte-rendu"),
        &[
            (
                "minutes",
                "Tour des constats : délais de rendez-vous à l'Office des étrangers.",
            ),
            (
                "decisions",
                "Interpeller la commune de Namur sur les délais.",
            ),
            (
                "actions",
                "Coralie rédige le courrier pour la plénière de mai.",
            ),
            ("published", "on"),
        ],
    )
    .await;
    assert_eq!(to, format!("{base}#compte-rendu"));

    // The session page shows all of it.
    let html = page(&coordinator, &base).await;
    for name in [
        "Amina Diallo",
        "Benoît Collard",
        "Claire Dubois",
        "Nadia Benali",
    ] {
        assert!(html.contains(name), "{name} on the session page");
    }
    assert_eq!(count(&html, "count-confirmed"), "3");
    assert!(html.contains("délais de rendez-vous"));
    assert!(html.contains("Interpeller la commune de Namur"));
    assert!(html.contains("Coralie rédige le courrier"));
    assert!(
        html.contains(&format!("{base}/invitations")),
        "invite to this session"
    );
    // A member reads the published minutes there.
    let member = app.visitor();
    member
        .sign_in("amina@ciac-namur.example", crate::helpers::PASSWORD)
        .await;
    let seen = page(&member, &base).await;
    assert!(seen.contains("Interpeller la commune de Namur"));
    assert!(seen.contains("Vous êtes inscrit·e."));

    // Stored against the March session, and only it.
    let row = session_row(&app, id, march).await;
    assert!(row.minutes_published);
    assert_eq!(
        row.decisions,
        "Interpeller la commune de Namur sur les délais."
    );
    let regs = registrations_of(&app, row.id).await;
    assert_eq!(regs.len(), 3);
    assert!(
        regs.iter()
            .all(|r| r.status == RegistrationStatus::Confirmed)
    );
    let marks = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(marks.len(), 4);
    assert!(marks.iter().all(|m| m.occurrence_id == Some(row.id)));
    let published: Vec<Event> = domain_event::Entity::find()
        .filter(domain_event::Column::MeetingId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| Event::from_row(e).unwrap())
        .filter(|e| matches!(e, Event::MinutesPublished { .. }))
        .collect();
    assert_eq!(published.len(), 1);
    assert!(matches!(
        published[0],
        Event::MinutesPublished { session: Some(start), .. }
            if start == march.and_hms_opt(9, 30, 0).unwrap()
    ));

    // April, a session of the same series, is untouched.
    let other = format!("/reunions/{id}/{}", ymd(april));
    let html = page(&coordinator, &other).await;
    assert_eq!(count(&html, "count-confirmed"), "0");
    for person in &people {
        // Listed in the coordinator's picker, but registered nowhere here.
        assert!(!html.contains(&format!("href=\"/personnes/{person}\"")));
    }
    assert!(!html.contains("Interpeller la commune"));
    assert!(html.contains("Pas encore de compte rendu"));
    let april_row = session_row(&app, id, april).await;
    assert!(registrations_of(&app, april_row.id).await.is_empty());
    // The series page lists March with its three registrations and links to it.
    let series = page(&coordinator, &format!("/reunions/{id}")).await;
    assert!(series.contains(&format!("href=\"{base}\"")));
    assert!(series.contains("3 inscrit·es / 15 places"), "{series}");
    assert!(series.contains("inscrivez-vous à l'une de ses séances"));
}

#[tokio::test]
async fn each_session_has_its_own_capacity_and_waiting_list() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let people = members(
        &app,
        platform,
        &[
            ("Amina Diallo", "amina@ciac-namur.example"),
            ("Benoît Collard", "benoit@cpas-andenne.example"),
            ("Claire Dubois", "claire@croix-rouge.example"),
        ],
    )
    .await;
    let first = next_weekday(7, Weekday::Mon);
    let id = weekly("Intervision juridique", platform, first, "day_mo")
        .registration("2")
        .schedule(&coordinator)
        .await;
    let (a, b) = (
        format!("/reunions/{id}/{}", ymd(first)),
        format!("/reunions/{id}/{}", ymd(first + Duration::weeks(1))),
    );
    for person in &people {
        post_ok(
            &coordinator,
            &format!("{a}/inscriptions"),
            &[("person_id", &person.to_string())],
        )
        .await;
    }
    post_ok(
        &coordinator,
        &format!("{b}/inscriptions"),
        &[("person_id", &people[2].to_string())],
    )
    .await;
    let (row_a, row_b) = (
        session_row(&app, id, first).await,
        session_row(&app, id, first + Duration::weeks(1)).await,
    );
    let statuses = |regs: Vec<registration::Model>| {
        regs.into_iter()
            .map(|r| (r.person_id, r.status))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        statuses(registrations_of(&app, row_a.id).await),
        vec![
            (people[0], RegistrationStatus::Confirmed),
            (people[1], RegistrationStatus::Confirmed),
            (people[2], RegistrationStatus::Waiting),
        ]
    );
    assert_eq!(
        statuses(registrations_of(&app, row_b.id).await),
        vec![(people[2], RegistrationStatus::Confirmed)],
        "session A full does not make B wait"
    );
    // Claire sees her place on A's waiting list, and her seat on B.
    let claire = app.visitor();
    claire
        .sign_in("claire@croix-rouge.example", crate::helpers::PASSWORD)
        .await;
    let html = page(&claire, &a).await;
    assert!(html.contains("Vous êtes en liste d'attente"), "{html}");
    assert!(html.contains("place 1"));
    assert!(page(&claire, &b).await.contains("Vous êtes inscrit·e."));
    // A cancellation on A promotes Claire there; B is unchanged.
    post_ok(
        &coordinator,
        &format!("{a}/inscriptions/{}/annuler", people[0]),
        &[],
    )
    .await;
    assert_eq!(
        statuses(registrations_of(&app, row_a.id).await),
        vec![
            (people[0], RegistrationStatus::Cancelled),
            (people[1], RegistrationStatus::Confirmed),
            (people[2], RegistrationStatus::Confirmed),
        ]
    );
    // Claire cancels herself on B.
    post_ok(&claire, &format!("{b}/desinscription"), &[]).await;
    assert_eq!(
        statuses(registrations_of(&app, row_b.id).await),
        vec![(people[2], RegistrationStatus::Cancelled)]
    );
    // The series as a whole takes no registration.
    let r = claire
        .post_form(&format!("/reunions/{id}/inscription"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("inscrivez-vous à l'une de ses séances")
    );
}

#[tokio::test]
async fn a_meal_outside_the_list_is_refused_and_the_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    members(
        &app,
        platform,
        &[("Amina Diallo", "amina@ciac-namur.example")],
    )
    .await;
    let first = next_weekday(7, Weekday::Thu);
    let id = weekly("Midi des partenaires", platform, first, "day_th")
        .registration("")
        .set("meal_options", "Végétarien\nSans gluten\nSans porc")
        .schedule(&coordinator)
        .await;
    let base = format!("/reunions/{id}/{}", ymd(first));
    let amina = app.visitor();
    amina
        .sign_in("amina@ciac-namur.example", crate::helpers::PASSWORD)
        .await;
    let html = page(&amina, &base).await;
    assert!(
        html.contains("Sans gluten"),
        "meal choices on the session page"
    );
    let r = amina
        .post_form(
            &format!("{base}/inscription"),
            &[("meal", "Caviar"), ("note", "Accès en fauteuil roulant")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Choisissez votre repas dans la liste."));
    assert!(
        html.contains("Accès en fauteuil roulant</textarea>"),
        "the note kept"
    );
    assert!(html.contains("séance du"), "the session page again");
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    // A meal from the list is taken, for this session.
    post_ok(
        &amina,
        &format!("{base}/inscription"),
        &[("meal", "Sans gluten"), ("note", "")],
    )
    .await;
    let html = page(&amina, &base).await;
    assert!(html.contains("Repas : Sans gluten"));
    let row = session_row(&app, id, first).await;
    let regs = registrations_of(&app, row.id).await;
    assert_eq!(regs.len(), 1);
    assert_eq!(regs[0].meal, "Sans gluten");
}

#[tokio::test]
async fn a_cancelled_session_is_marked_and_refuses_registration() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    members(
        &app,
        platform,
        &[("Amina Diallo", "amina@ciac-namur.example")],
    )
    .await;
    let first = next_weekday(7, Weekday::Mon);
    let id = weekly("Permanence juridique", platform, first, "day_mo")
        .registration("10")
        .schedule(&coordinator)
        .await;
    let day = first + Duration::weeks(1);
    post_ok(
        &coordinator,
        &format!("/reunions/{id}/occurrences"),
        &[
            ("original", &format!("{}T09:00:00", ymd(day))),
            ("action", "cancel"),
        ],
    )
    .await;
    let base = format!("/reunions/{id}/{}", ymd(day));
    let amina = app.visitor();
    amina
        .sign_in("amina@ciac-namur.example", crate::helpers::PASSWORD)
        .await;
    let html = page(&amina, &base).await;
    assert!(html.contains("Cette séance est annulée."));
    let r = amina.post_form(&format!("{base}/inscription"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Cette séance est annulée : les inscriptions sont closes.")
    );
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    // The session before it still takes registrations.
    post_ok(
        &amina,
        &format!("/reunions/{id}/{}/inscription", ymd(first)),
        &[],
    )
    .await;
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn the_series_page_lists_past_and_next_sessions_with_their_counts() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let people = members(
        &app,
        platform,
        &[
            ("Amina Diallo", "amina@ciac-namur.example"),
            ("Benoît Collard", "benoit@cpas-andenne.example"),
        ],
    )
    .await;
    // Weekly on Wednesdays, from five weeks ago.
    let mut first = Utc::now().date_naive() - Duration::weeks(5);
    while first.weekday() != Weekday::Wed {
        first += Duration::days(1);
    }
    let id = weekly("Intervision des formateur·rices", platform, first, "day_we")
        .registration("20")
        .schedule(&coordinator)
        .await;
    let (held, later) = (first + Duration::weeks(1), first + Duration::weeks(2));
    // One past session with two present and minutes; the next one with a registration.
    for person in &people {
        post_ok(
            &coordinator,
            &format!("/reunions/{id}/{}/presences/{person}", ymd(held)),
            &[("status", "present")],
        )
        .await;
    }
    post_ok(
        &coordinator,
        &format!("/reunions/{id}/{}/compte-rendu", ymd(held)),
        &[("minutes", "Échanges sur les parcours FLE.")],
    )
    .await;
    let next = next_weekday(1, Weekday::Wed);
    post_ok(
        &coordinator,
        &format!("/reunions/{id}/{}/inscriptions", ymd(next)),
        &[("person_id", &people[0].to_string())],
    )
    .await;

    let html = page(&coordinator, &format!("/reunions/{id}")).await;
    assert!(html.contains("Séances passées"));
    assert!(html.contains("Prochaines séances"));
    let link = |day: NaiveDate| format!("href=\"/reunions/{id}/{}\"", ymd(day));
    // Past sessions, most recent first.
    let (at_held, at_later) = (
        html.find(&link(held)).expect("the held session listed"),
        html.find(&link(later))
            .expect("a later past session listed"),
    );
    assert!(at_later < at_held, "most recent first");
    let row_of_held = &html[at_held..];
    let row_of_held = &row_of_held[..row_of_held.find("</tr>").unwrap()];
    assert!(
        row_of_held.contains("<td>2</td>") && row_of_held.contains("brouillon"),
        "{row_of_held}"
    );
    // The next session with its registration, and open for registration.
    let at_next = html.find(&link(next)).expect("the next session listed");
    assert!(html[at_next..].contains("1 inscrit·es / 20 places"));
    assert!(html.contains("inscrivez-vous à l'une de ses séances"));
    // A member sees the sessions without the coordinator's counts of attendance.
    let amina = app.visitor();
    amina
        .sign_in("amina@ciac-namur.example", crate::helpers::PASSWORD)
        .await;
    let seen = page(&amina, &format!("/reunions/{id}")).await;
    assert!(seen.contains(&link(held)) && !seen.contains("brouillon"));
    // Previous and next links on a session page.
    let session = page(&coordinator, &format!("/reunions/{id}/{}", ymd(held))).await;
    assert!(session.contains(&format!(
        "rel=\"prev\" href=\"/reunions/{id}/{}\"",
        ymd(first)
    )));
    assert!(session.contains(&format!(
        "rel=\"next\" href=\"/reunions/{id}/{}\"",
        ymd(later)
    )));
}

#[tokio::test]
async fn a_members_only_series_session_page_is_closed_to_outsiders_as_its_meeting_page_is() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, false).await;
    members(
        &app,
        platform,
        &[("Amina Diallo", "amina@ciac-namur.example")],
    )
    .await;
    let first = next_weekday(7, Weekday::Fri);
    let id = weekly("Coordination sans-papiers", platform, first, "day_fr")
        .members_only()
        .registration("")
        .schedule(&coordinator)
        .await;
    let (meeting, session) = (
        format!("/reunions/{id}"),
        format!("/reunions/{id}/{}", ymd(first)),
    );
    let (_, outsider) = app
        .signed_in("Olivier Externe", "olivier@exemple.example", false)
        .await;
    let amina = app.visitor();
    amina
        .sign_in("amina@ciac-namur.example", crate::helpers::PASSWORD)
        .await;
    for (who, visitor, expected) in [
        ("anonymous", &app.anonymous, StatusCode::SEE_OTHER),
        ("outsider", &outsider, StatusCode::FORBIDDEN),
        ("member", &amina, StatusCode::OK),
    ] {
        let (meeting_status, _) = visitor.get_html(&meeting).await;
        let (session_status, html) = visitor.get_html(&session).await;
        assert_eq!(meeting_status, expected, "{who} on the meeting page");
        assert_eq!(session_status, expected, "{who} on the session page");
        if expected != StatusCode::OK {
            assert!(!html.contains("Coordination sans-papiers"), "{who}");
        }
        // Even a date without a session says nothing more to them.
        let (wrong, _) = visitor
            .get_html(&format!(
                "/reunions/{id}/{}",
                ymd(first + Duration::days(1))
            ))
            .await;
        let expected_wrong = if expected == StatusCode::OK {
            StatusCode::NOT_FOUND
        } else {
            expected
        };
        assert_eq!(wrong, expected_wrong, "{who} on a date without a session");
    }
    let r = outsider
        .post_form(&format!("{session}/inscription"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = outsider
        .post_form(&format!("{session}/compte-rendu"), &[("minutes", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A member may not mark attendance or write minutes.
    let r = amina.get(&format!("{session}/presences")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    post_ok(&amina, &format!("{session}/inscription"), &[]).await;
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn a_moved_session_and_a_series_moved_in_time_keep_their_registrations_and_attendance() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let people = members(
        &app,
        platform,
        &[
            ("Amina Diallo", "amina@ciac-namur.example"),
            ("Benoît Collard", "benoit@cpas-andenne.example"),
        ],
    )
    .await;
    let first = next_weekday(7, Weekday::Mon);
    let form = weekly("Intervision juridique", platform, first, "day_mo").registration("10");
    let id = form.schedule(&coordinator).await;
    let (moved, shifted) = (first + Duration::weeks(1), first + Duration::weeks(2));
    for day in [moved, shifted] {
        for person in &people {
            post_ok(
                &coordinator,
                &format!("/reunions/{id}/{}/inscriptions", ymd(day)),
                &[("person_id", &person.to_string())],
            )
            .await;
        }
        post_ok(
            &coordinator,
            &format!("/reunions/{id}/{}/presences/{}", ymd(day), people[0]),
            &[("status", "excused")],
        )
        .await;
    }
    let before = (
        session_row(&app, id, moved).await,
        session_row(&app, id, shifted).await,
    );
    // One session moved to the Tuesday afternoon.
    post_ok(
        &coordinator,
        &format!("/reunions/{id}/occurrences"),
        &[
            ("original", &format!("{}T09:00:00", ymd(moved))),
            ("action", "move"),
            ("new_date", &ymd(moved + Duration::days(1))),
            ("new_start", "14:00"),
            ("new_end", "16:00"),
        ],
    )
    .await;
    let base = format!("/reunions/{id}/{}", ymd(moved));
    let html = page(&coordinator, &base).await;
    assert!(html.contains("Séance déplacée"), "{html}");
    assert!(html.contains("14:00–16:00"));
    assert!(html.contains("Amina Diallo") && html.contains("Benoît Collard"));
    assert_eq!(count(&html, "count-confirmed"), "2");
    let after = session_row(&app, id, moved).await;
    assert_eq!(after.id, before.0.id, "the moved session keeps its row");
    assert_eq!(registrations_of(&app, after.id).await.len(), 2);
    // The whole series moves to the afternoon: the sessions keep their rows and people.
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}"),
            &form
                .clone()
                .from("13:00")
                .to("15:00")
                .status("scheduled")
                .set("confirm_clash", "1")
                .pairs(),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let row = session_row(&app, id, shifted).await;
    assert_eq!(row.id, before.1.id, "same day, same row");
    assert_eq!(row.start_local.naive().format("%H:%M").to_string(), "13:00");
    let html = page(&coordinator, &format!("/reunions/{id}/{}", ymd(shifted))).await;
    assert!(html.contains("13:00–15:00"));
    assert!(html.contains("Amina Diallo") && html.contains("Benoît Collard"));
    assert!(html.contains("excusé·e"));
    assert_eq!(registrations_of(&app, row.id).await.len(), 2);
    let marks = attendance::Entity::find()
        .filter(attendance::Column::OccurrenceId.eq(row.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(marks, 1);
}

#[tokio::test]
async fn bad_dates_and_days_without_a_session_get_a_clear_french_page() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let first = next_weekday(7, Weekday::Mon);
    let id = weekly("Permanence juridique", platform, first, "day_mo")
        .registration("")
        .schedule(&coordinator)
        .await;
    for bad in ["2027-13-45", "demain", "20270301", "0000-01-01"] {
        let (status, html) = coordinator.get_html(&format!("/reunions/{id}/{bad}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        assert!(html.contains("n'est pas une date"), "{bad}: {html}");
    }
    let tuesday = first + Duration::days(1);
    let (status, html) = coordinator
        .get_html(&format!("/reunions/{id}/{}", ymd(tuesday)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("n'a pas de séance le mardi"), "{html}");
    let r = coordinator
        .post_form(&format!("/reunions/{id}/{}/inscription", ymd(tuesday)), &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A one-off meeting's page is its own.
    let one_off = MeetingForm::new("Plénière de la plateforme")
        .platform(platform)
        .on(ymd(first))
        .from("09:00")
        .to("16:00")
        .schedule(&coordinator)
        .await;
    let r = coordinator
        .get(&format!("/reunions/{one_off}/{}", ymd(first)))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/reunions/{one_off}"));
    let r = coordinator
        .post_form(
            &format!("/reunions/{one_off}/{}/inscription", ymd(first)),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (status, _) = coordinator
        .get_html(&format!("/reunions/999999/{}", ymd(first)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The meeting's other pages are still theirs (static segments win).
    let (status, _) = coordinator
        .get_html(&format!("/reunions/{id}/modifier"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn two_hundred_registrations_racing_for_fifty_seats_of_one_session_never_overbook() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let first = next_weekday(7, Weekday::Tue);
    let id = weekly("Séance d'information juridique", platform, first, "day_tu")
        .registration("50")
        .schedule(&coordinator)
        .await;
    let (session, other) = (
        session_row(&app, id, first).await,
        session_row(&app, id, first + Duration::weeks(1)).await,
    );
    let mut people = Vec::new();
    for i in 0..200 {
        people.push(
            app.create_person(
                &format!("Participant·e {i:03}"),
                &format!("p{i}@exemple.example"),
                false,
            )
            .await,
        );
    }
    let mut racing = tokio::task::JoinSet::new();
    for person_id in people {
        let (db, bus) = (app.state.db.clone(), app.state.events.clone());
        racing.spawn(async move {
            let request = booking::Request {
                person_id,
                registered_by: Some(person_id),
                ..Default::default()
            };
            booking::register(
                &db,
                booking::Target::session(id, session.id),
                request,
                Utc::now(),
                &bus,
            )
            .await
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = racing.join_next().await {
        outcomes.push(done.unwrap().unwrap().unwrap());
    }
    let confirmed = outcomes
        .iter()
        .filter(|o| **o == booking::Outcome::Confirmed)
        .count();
    assert_eq!(confirmed, 50);
    let mut places: Vec<u64> = outcomes
        .iter()
        .filter_map(|o| match o {
            booking::Outcome::Waiting(place) => Some(*place),
            booking::Outcome::Confirmed => None,
        })
        .collect();
    places.sort_unstable();
    assert_eq!(
        places,
        (1..=150).collect::<Vec<u64>>(),
        "each waiting place once"
    );
    let rows = registrations_of(&app, session.id).await;
    assert_eq!(rows.len(), 200);
    assert!(
        rows[..50]
            .iter()
            .all(|r| r.status == RegistrationStatus::Confirmed)
    );
    assert!(
        rows[50..]
            .iter()
            .all(|r| r.status == RegistrationStatus::Waiting)
    );
    let mut positions: Vec<i64> = rows.iter().map(|r| r.position).collect();
    positions.dedup();
    assert_eq!(positions.len(), 200, "no two arrivals share a position");
    assert_eq!(
        booking::confirmed_count(&app.db, booking::Target::session(id, session.id))
            .await
            .unwrap(),
        50
    );
    assert!(registrations_of(&app, other.id).await.is_empty());
    // The session page counts them.
    let html = page(&coordinator, &format!("/reunions/{id}/{}", ymd(first))).await;
    assert_eq!(count(&html, "count-confirmed"), "50");
    assert_eq!(count(&html, "count-waiting"), "150");
}
