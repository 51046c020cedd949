//! Sessions of a series through HTTP: each session's page at `/reunions/{id}/{YYYY-MM-DD}` with
//! its own registrations (capacity and waiting list per session, meals), attendance and minutes;
//! the series page listing past and next sessions with their counts; a moved session or a
//! series whose time changed keeping what points at it; visibility and bad addresses; 200
//! registrations racing for 50 seats of one session.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{attendance, domain_event, occurrence, registration};
use maillage::events::Event;
use maillage::meetings::index;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::helpers::{MeetingForm, TestApp, Visitor, location};

mod racing;
mod series;

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
