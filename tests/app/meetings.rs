//! Meetings through the HTTP app: scheduling, recurrence, registration and the waiting list
//! (including 200 concurrent registrations), workshops and their assignment, attendance,
//! minutes, CSV, agenda views and clash warnings.

use chrono::{Duration, NaiveDate};
use maillage::entities::local_time::LocalDateTime;
use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{
    agenda_item, attendance, meeting, person, registration, workshop, workshop_assignment,
};
use maillage::meetings::{booking, recurrence, schedule};
use reqwest::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::helpers::{MeetingForm, TestApp, Visitor, location};

/// A date a few months ahead, the same weekday as `weekday_of` (kept in the future).
fn future_date(days: i64) -> NaiveDate {
    chrono::Utc::now().date_naive() + Duration::days(days)
}

async fn schedule(visitor: &Visitor, fields: &[(&str, &str)]) -> i64 {
    let response = visitor.post_form("/reunions", fields).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap_or_default()
    );
    location(&response)
        .trim_start_matches("/reunions/")
        .parse()
        .expect("meeting id")
}

/// A platform with a coordinator, signed in.
async fn platform_with_coordinator(app: &TestApp) -> (i64, i64, Visitor) {
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, visitor) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    (platform, coord, visitor)
}

/// People without passwords, straight into the database (fast).
async fn people(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let now = chrono::Utc::now();
    for i in 0..n {
        let p = person::ActiveModel {
            name: Set(format!("Participant·e {i:03}")),
            email: Set(format!("p{i}@exemple.example")),
            email_normalized: Set(format!("p{i}@exemple.example")),
            organisation_id: Set(None),
            language: Set(person::Language::Fr),
            active: Set(true),
            is_admin: Set(false),
            password_hash: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        ids.push(p.id);
    }
    ids
}

#[tokio::test]
async fn a_coordinator_schedules_a_plenary_with_its_programme_in_brussels_time() {
    let app = TestApp::spawn().await;
    let (platform, _, coordinator) = platform_with_coordinator(&app).await;
    let (status, form) = coordinator
        .get_html(&format!("/reunions/nouvelle?portee=platform:{platform}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Plateforme Sociojuridique"));
    let id = schedule(
        &coordinator,
        &MeetingForm::new("Plénière du PPLI")
            .platform(platform)
            .on("2027-06-08")
            .from("09:00")
            .to("16:00")
            .place("Centre culturel de la Marlagne")
            .set("place_address", "Chemin des Marronniers 26, 5100 Wépion")
            .set("video_url", "https://visio.example/ppli")
            .registration("100")
            .set("deadline_date", "2027-06-01")
            .set("deadline_time", "18:00")
            .set(
                "meal_options",
                "Végétarien, Sans gluten, Sans porc, Pas de repas",
            )
            .set(
                "agenda",
                "09:00 | Accueil et café\n09:30 | Introduction | La direction\n16:00 | Conclusions",
            )
            .pairs(),
    )
    .await;
    let saved = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.start_local.to_string(), "2027-06-08T09:00:00");
    assert_eq!(
        saved.starts_at.to_rfc3339(),
        "2027-06-08T07:00:00+00:00",
        "09:00 CEST is 07:00 UTC"
    );
    assert_eq!(
        saved.meal_options,
        "Végétarien\nSans gluten\nSans porc\nPas de repas"
    );
    assert_eq!(
        saved.registration_deadline.unwrap().to_rfc3339(),
        "2027-06-01T16:00:00+00:00"
    );
    assert_eq!(agenda_item::Entity::find().count(&app.db).await.unwrap(), 3);

    let (_, page) = app.anonymous.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("mardi 8 juin 2027, 09:00–16:00"));
    assert!(page.contains("Introduction"));
    assert!(page.contains("Centre culturel de la Marlagne"));
    // The platform page loads its meetings from the meetings room's panel.
    let (_, platform_page) = app
        .anonymous
        .get_html("/plateformes/sociojuridique/reunions")
        .await;
    assert!(platform_page.contains("Plénière du PPLI"));

    // A winter meeting: 14:00 CET is 13:00 UTC.
    let winter = schedule(
        &coordinator,
        &MeetingForm::new("Constats de janvier")
            .platform(platform)
            .kind("findings")
            .on("2027-01-12")
            .from("14:00")
            .to("16:00")
            .members_only()
            .pairs(),
    )
    .await;
    let saved = meeting::Entity::find_by_id(winter)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.starts_at.to_rfc3339(), "2027-01-12T13:00:00+00:00");
}

#[tokio::test]
async fn bad_meeting_forms_are_refused_in_french_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (platform, _, coordinator) = platform_with_coordinator(&app).await;
    let scope = format!("platform:{platform}");
    let base = [
        ("scope", scope.as_str()),
        ("kind", "plenary"),
        ("title", "Plénière"),
        ("date", "2027-03-09"),
        ("visibility", "public"),
    ];
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("start_time", "14:00"), ("end_time", "13:00")],
            "La fin doit venir après le début.",
        ),
        (
            vec![
                ("start_time", "14:00"),
                ("end_time", "16:00"),
                ("repeat", "custom"),
                ("rrule", "FREQ=PARFOIS"),
            ],
            "récurrence",
        ),
        (
            vec![
                ("start_time", "14:00"),
                ("end_time", "16:00"),
                ("capacity", "beaucoup"),
            ],
            "La capacité doit être un nombre entier positif",
        ),
        (
            vec![("start_time", "25:00"), ("end_time", "16:00")],
            "Indiquez l&#39;heure de début",
        ),
    ];
    for (extra, message) in cases {
        let mut fields: Vec<(&str, &str)> = base.to_vec();
        fields.extend(extra);
        let r = coordinator.post_form("/reunions", &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(
            html.contains(message) || html.contains(&message.replace("&#39;", "'")),
            "{message}"
        );
        assert!(html.contains(r#"value="Plénière""#), "typed title kept");
    }
    // Another platform's scope is refused.
    let other = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let r = coordinator
        .post_form(
            "/reunions",
            &MeetingForm::new("X")
                .platform(other)
                .on("2027-03-09")
                .from("10:00")
                .to("11:00")
                .pairs(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(meeting::Entity::find().count(&app.db).await.unwrap(), 0);
    // A member cannot schedule at all.
    let (member_id, member) = app.signed_in("Mina", "mina@x.example", false).await;
    app.add_to_platform(platform, member_id, "member").await;
    assert_eq!(
        member.get("/reunions/nouvelle").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_second_and_fourth_friday_series_keeps_its_local_time_across_the_clock_change() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = schedule(
        &admin,
        &MeetingForm::new("Permanence du bureau d'accueil d'Andenne")
            .kind("office_hours")
            .on("2027-01-08")
            .from("13:00")
            .to("16:00")
            .set("repeat", "monthly_nth")
            .set("ord_2", "on")
            .set("ord_4", "on")
            .set("weekday", "FR")
            .pairs(),
    )
    .await;
    let m = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.rrule.as_deref(), Some("FREQ=MONTHLY;BYDAY=2FR,4FR"));
    let from = LocalDateTime::parse("2027-03-01T00:00:00").unwrap().naive();
    let to = LocalDateTime::parse("2027-05-01T00:00:00").unwrap().naive();
    let occurrences = schedule::occurrences(&m, &[], from, to).unwrap();
    let dates: Vec<String> = occurrences
        .iter()
        .map(|o| o.start.format("%Y-%m-%d %H:%M").to_string())
        .collect();
    assert_eq!(
        dates,
        [
            "2027-03-12 13:00",
            "2027-03-26 13:00",
            "2027-04-09 13:00",
            "2027-04-23 13:00"
        ]
    );
    // 28 March 2027 is the spring switch: 12:00 UTC before, 11:00 UTC after.
    assert_eq!(
        occurrences[1].start_utc.to_rfc3339(),
        "2027-03-26T12:00:00+00:00"
    );
    assert_eq!(
        occurrences[2].start_utc.to_rfc3339(),
        "2027-04-09T11:00:00+00:00"
    );
    let (_, page) = app.anonymous.get_html(&format!("/reunions/{id}")).await;
    assert!(
        page.contains("les 2e et 4e vendredis du mois"),
        "the rule in French"
    );
}

#[tokio::test]
async fn single_occurrences_are_skipped_cancelled_or_moved_without_touching_the_rest() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    // Every other Monday, from the next Monday on.
    let mut first = future_date(7);
    while chrono::Datelike::weekday(&first) != chrono::Weekday::Mon {
        first += Duration::days(1);
    }
    let date = first.format("%Y-%m-%d").to_string();
    let id = schedule(
        &admin,
        &MeetingForm::new("Permanence de Sambreville")
            .kind("office_hours")
            .on(&date)
            .from("09:00")
            .to("12:00")
            .set("repeat", "weekly")
            .set("interval", "2")
            .set("day_mo", "on")
            .pairs(),
    )
    .await;
    let at = |weeks: i64| {
        format!(
            "{}T09:00:00",
            (first + Duration::weeks(weeks)).format("%Y-%m-%d")
        )
    };
    let skip = admin
        .post_form(
            &format!("/reunions/{id}/occurrences"),
            &[("original", &at(2)), ("action", "skip")],
        )
        .await;
    assert_eq!(skip.status(), StatusCode::SEE_OTHER);
    admin
        .post_form(
            &format!("/reunions/{id}/occurrences"),
            &[("original", &at(4)), ("action", "cancel")],
        )
        .await;
    let new_date = (first + Duration::weeks(6) + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    admin
        .post_form(
            &format!("/reunions/{id}/occurrences"),
            &[
                ("original", &at(6)),
                ("action", "move"),
                ("new_date", &new_date),
                ("new_start", "14:00"),
                ("new_end", "16:00"),
            ],
        )
        .await;
    // A date that is not in the series is refused.
    let wrong = admin
        .post_form(
            &format!("/reunions/{id}/occurrences"),
            &[("original", &at(1)), ("action", "skip")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);

    let m = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.sequence, 3, "each change raises the sequence");
    let changes = maillage::entities::occurrence_change::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let occ = schedule::occurrences(
        &m,
        &changes,
        first.and_hms_opt(0, 0, 0).unwrap(),
        (first + Duration::weeks(9)).and_hms_opt(0, 0, 0).unwrap(),
    )
    .unwrap();
    let summary: Vec<(String, bool, bool)> = occ
        .iter()
        .map(|o| {
            (
                o.start.format("%Y-%m-%d %H:%M").to_string(),
                o.cancelled,
                o.moved,
            )
        })
        .collect();
    let d = |w: i64, extra: i64, time: &str| {
        format!(
            "{} {time}",
            (first + Duration::weeks(w) + Duration::days(extra)).format("%Y-%m-%d")
        )
    };
    assert_eq!(
        summary,
        vec![
            (d(0, 0, "09:00"), false, false),
            (d(4, 0, "09:00"), true, false),
            (d(6, 1, "14:00"), false, true),
            (d(8, 0, "09:00"), false, false)
        ]
    );
    let restore = admin
        .post_form(
            &format!("/reunions/{id}/occurrences"),
            &[("original", &at(4)), ("action", "restore")],
        )
        .await;
    assert_eq!(restore.status(), StatusCode::SEE_OTHER);
}

async fn open_meeting(app: &TestApp, admin: &Visitor, capacity: &str, meals: &str) -> i64 {
    let date = future_date(60).format("%Y-%m-%d").to_string();
    let _ = app;
    schedule(
        admin,
        &MeetingForm::new("Séance d'information")
            .kind("information")
            .on(&date)
            .from("09:00")
            .to("12:00")
            .members_only()
            .registration(capacity)
            .set("meal_options", meals)
            .pairs(),
    )
    .await
}

#[tokio::test]
async fn registering_past_capacity_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first()
 {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = open_meeting(&app, &admin, "2", "Végétarien, Pas de repas").await;
    let mut browsers = Vec::new();
    for name in ["Amina", "Bruno", "Chloé"] {
        let (pid, b) = app
            .signed_in(name, &format!("{}@x.example", name.to_lowercase()), false)
            .await;
        browsers.push((pid, b));
    }
    let (_, page) = browsers[0].1.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("M&#39;inscrire") || page.contains("M'inscrire"));
    let r = browsers[0]
        .1
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("meal", "Végétarien"), ("note", "Accès PMR")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = browsers[0].1.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("Inscription confirmée pour vous."));
    assert!(page.contains("Vous êtes inscrit·e."));

    let refused = browsers[1]
        .1
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("meal", "Homard"), ("note", "Fauteuil roulant")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused_html = refused.text().await.unwrap();
    assert!(refused_html.contains("Choisissez votre repas dans la liste."));
    assert!(
        refused_html.contains(">Fauteuil roulant</textarea>"),
        "what was typed comes back"
    );
    browsers[1]
        .1
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("meal", "Pas de repas")],
        )
        .await;
    let r = browsers[2]
        .1
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("meal", "Pas de repas")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = browsers[2].1.get_html(&format!("/reunions/{id}")).await;
    assert!(
        page.contains("liste d&#39;attente (place 1)")
            || page.contains("liste d'attente (place 1)"),
        "{page}"
    );

    let twice = browsers[0]
        .1
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("meal", "Végétarien")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.text().await.unwrap().contains("déjà inscrite"));

    // The capacity cannot go below the confirmed registrations.
    let m = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (_, edit) = admin.get_html(&format!("/reunions/{id}/modifier")).await;
    assert!(edit.contains(r#"name="capacity" type="number" value="2""#));
    let date = m.start_local.naive().date().to_string();
    let lower = admin
        .post_form(
            &format!("/reunions/{id}"),
            &MeetingForm::new("Séance d'information")
                .kind("information")
                .on(&date)
                .from("09:00")
                .to("12:00")
                .members_only()
                .registration("1")
                .set("meal_options", "Végétarien, Pas de repas")
                .pairs(),
        )
        .await;
    assert_eq!(lower.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        lower
            .text()
            .await
            .unwrap()
            .contains("ne peut pas être inférieure au nombre d'inscriptions confirmées (2)")
    );
    assert_eq!(
        meeting::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .capacity,
        Some(2)
    );

    // Amina cancels: Chloé is promoted.
    let r = browsers[0]
        .1
        .post_form(&format!("/reunions/{id}/desinscription"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let chloe = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(browsers[2].0))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(chloe.status, RegistrationStatus::Confirmed);
    // And Amina may register again: to the waiting list this time.
    browsers[0]
        .1
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("meal", "Végétarien")],
        )
        .await;
    let amina = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(browsers[0].0))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(amina.status, RegistrationStatus::Waiting);
}

#[tokio::test]
async fn registrations_close_at_the_deadline() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = open_meeting(&app, &admin, "10", "").await;
    let mut m: meeting::ActiveModel = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    m.registration_deadline = Set(Some(chrono::Utc::now() - Duration::hours(1)));
    m.update(&app.db).await.unwrap();
    let (_, late) = app.signed_in("Retard", "retard@x.example", false).await;
    let r = late
        .post_form(&format!("/reunions/{id}/inscription"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("La date limite d'inscription est passée.")
    );
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn two_hundred_simultaneous_registrations_for_fifty_seats_never_overbook() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = open_meeting(&app, &admin, "50", "").await;
    let people = people(&app, 200).await;
    let token = admin.csrf().await;
    let mut tasks = Vec::new();
    for pid in people {
        let client = admin.client.clone();
        let url = admin.url(&format!("/reunions/{id}/inscriptions"));
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("person_id", pid.to_string()), ("csrf_token", token)])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::SEE_OTHER);
    }
    let rows = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(id))
        .order_by_asc(registration::Column::Position)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 200);
    assert_eq!(
        rows.iter()
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .count(),
        50
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r.status == RegistrationStatus::Waiting)
            .count(),
        150
    );
    // Arrival order: the first 50 to get through hold the seats, the rest wait in order.
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
    let positions: Vec<i64> = rows.iter().map(|r| r.position).collect();
    let mut unique = positions.clone();
    unique.dedup();
    assert_eq!(
        unique.len(),
        200,
        "every arrival has its own place in the queue"
    );
    // The first on the waiting list is promoted when a seat frees up.
    let first_waiting = rows[50].person_id;
    let r = admin
        .post_form(
            &format!("/reunions/{id}/inscriptions/{}/annuler", rows[0].person_id),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let promoted = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(first_waiting))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(promoted.status, RegistrationStatus::Confirmed);
    assert_eq!(
        booking::confirmed_count(&app.db, booking::Target::meeting(id))
            .await
            .unwrap(),
        50
    );
}

#[tokio::test]
async fn workshops_are_assigned_to_a_hundred_registrants_within_capacity_and_people_see_theirs() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let date = future_date(90).format("%Y-%m-%d").to_string();
    let id = schedule(
        &admin,
        &MeetingForm::new("Plénière du PPLI")
            .on(&date)
            .from("09:00")
            .to("16:00")
            .registration("120")
            .pairs(),
    )
    .await;
    let axes = [
        "Besoins de base",
        "Démarches d'intégration",
        "Vivre ensemble",
        "Soutenir les acteurs",
    ];
    for axis in axes {
        for (start, end) in [("10:10", "11:15"), ("11:35", "12:30")] {
            let r = admin
                .post_form(
                    &format!("/reunions/{id}/ateliers"),
                    &[
                        ("title", axis),
                        ("slot_start", start),
                        ("slot_end", end),
                        ("capacity", "25"),
                        ("room", "Salle A"),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
    }
    // A workshop in no slot, or outside the meeting, is refused.
    let r = admin
        .post_form(
            &format!("/reunions/{id}/ateliers"),
            &[("title", "Sans créneau")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Un atelier doit avoir un créneau")
    );
    let r = admin
        .post_form(
            &format!("/reunions/{id}/ateliers"),
            &[
                ("title", "Tard"),
                ("slot_start", "17:00"),
                ("slot_end", "18:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(workshop::Entity::find().count(&app.db).await.unwrap(), 8);

    // 100 registrants with skewed preferences: half want "Vivre ensemble" first.
    let people = people(&app, 99).await;
    for (i, pid) in people.iter().enumerate() {
        let ranking: Vec<String> = match i % 4 {
            0 | 1 => vec![axes[2], axes[0], axes[1], axes[3]],
            2 => vec![axes[0], axes[2], axes[3], axes[1]],
            _ => vec![axes[3], axes[1], axes[2], axes[0]],
        }
        .into_iter()
        .map(String::from)
        .collect();
        let outcome = booking::register(
            &app.db,
            booking::Target::meeting(id),
            booking::Request {
                person_id: *pid,
                preferences: ranking,
                ..Default::default()
            },
            chrono::Utc::now(),
            // No subscriber: the registrations are recorded, nobody is told.
            &maillage::events::Bus::new(),
        )
        .await
        .unwrap();
        assert_eq!(outcome, Ok(booking::Outcome::Confirmed));
    }
    let (me_id, me) = app.signed_in("Amina", "amina@x.example", false).await;
    let r = me
        .post_form(
            &format!("/reunions/{id}/inscription"),
            &[("choice_1", axes[1]), ("choice_2", axes[3])],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let r = admin
        .post_form(&format!("/reunions/{id}/repartition"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let workshops = workshop::Entity::find().all(&app.db).await.unwrap();
    let assignments = workshop_assignment::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let regs = registration::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(regs.len(), 100);
    for w in &workshops {
        let n = assignments.iter().filter(|a| a.workshop_id == w.id).count();
        assert!(n <= 25, "{} ({}) has {n} people", w.title, w.slot_start);
    }
    let mut first_choices = 0;
    for reg in &regs {
        let mine: Vec<&workshop::Model> = assignments
            .iter()
            .filter(|a| a.registration_id == reg.id)
            .filter_map(|a| workshops.iter().find(|w| w.id == a.workshop_id))
            .collect();
        assert_eq!(mine.len(), 2, "two workshops each");
        assert_ne!(mine[0].slot_start, mine[1].slot_start, "in different slots");
        assert_ne!(
            mine[0].title, mine[1].title,
            "never the same workshop twice"
        );
        let prefs = maillage::entities::workshop_preference::Entity::find()
            .filter(maillage::entities::workshop_preference::Column::RegistrationId.eq(reg.id))
            .filter(maillage::entities::workshop_preference::Column::Rank.eq(1))
            .one(&app.db)
            .await
            .unwrap();
        if prefs.is_some_and(|p| mine.iter().any(|w| w.title == p.workshop)) {
            first_choices += 1;
        }
    }
    println!("première préférence obtenue : {first_choices} sur 100");
    assert!(
        first_choices >= 90,
        "first choices honoured as far as seats allow ({first_choices})"
    );

    let (_, page) = me.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("Vos ateliers :"));
    let amina = regs.iter().find(|r| r.person_id == me_id).unwrap();
    assert!(assignments.iter().any(|a| a.registration_id == amina.id));

    // A coordinator fixes one person by hand; a new run keeps it.
    let target = &regs[0];
    let slot_one = workshops
        .iter()
        .find(|w| w.slot_start == "10:10" && w.title == axes[3])
        .unwrap();
    let full_before = assignments
        .iter()
        .filter(|a| a.workshop_id == slot_one.id)
        .count();
    let r = admin
        .post_form(
            &format!("/reunions/{id}/repartition/{}", target.id),
            &[("slot_10:10", &slot_one.id.to_string()), ("slot_11:35", "")],
        )
        .await;
    if full_before >= 25
        && !assignments
            .iter()
            .any(|a| a.registration_id == target.id && a.workshop_id == slot_one.id)
    {
        assert_eq!(
            r.status(),
            StatusCode::BAD_REQUEST,
            "a full workshop is refused"
        );
    } else {
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        admin
            .post_form(&format!("/reunions/{id}/repartition"), &[])
            .await;
        let kept = workshop_assignment::Entity::find()
            .filter(workshop_assignment::Column::RegistrationId.eq(target.id))
            .filter(workshop_assignment::Column::WorkshopId.eq(slot_one.id))
            .one(&app.db)
            .await
            .unwrap();
        assert!(kept.is_some_and(|a| a.manual));
    }
}

#[tokio::test]
async fn attendance_is_ticked_in_place_and_counted_with_meals_and_exported_as_csv() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = open_meeting(&app, &admin, "10", "Végétarien, Sans porc").await;
    let people = people(&app, 3).await;
    for (pid, meal) in people.iter().zip(["Végétarien", "Sans porc", "Végétarien"]) {
        let r = admin
            .post_form(
                &format!("/reunions/{id}/inscriptions"),
                &[
                    ("person_id", &pid.to_string()),
                    ("meal", meal),
                    ("note", "=SOMME(A1)"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let (status, sheet) = admin.get_html(&format!("/reunions/{id}/presences")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(sheet.contains("Participant·e 000"));
    let r = admin
        .post_htmx(
            &format!("/reunions/{id}/presences/{}", people[0]),
            &[("status", "present")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let fragment = r.text().await.unwrap();
    assert!(
        fragment.starts_with(&format!(r#"<tr id="presence-{}""#, people[0])),
        "{fragment}"
    );
    assert!(fragment.contains("présent·e"));
    let excused = admin
        .post_htmx(
            &format!("/reunions/{id}/presences/{}", people[1]),
            &[("status", "excused")],
        )
        .await;
    assert_eq!(
        excused.status(),
        StatusCode::OK,
        "{}",
        excused.text().await.unwrap_or_default()
    );
    let bad = admin
        .post_htmx(
            &format!("/reunions/{id}/presences/{}", people[2]),
            &[("status", "peut-être")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let walk = admin
        .post_form(
            &format!("/reunions/{id}/presences/sur-place"),
            &[("name", "Visiteuse sans compte")],
        )
        .await;
    assert_eq!(walk.status(), StatusCode::SEE_OTHER);
    assert_eq!(attendance::Entity::find().count(&app.db).await.unwrap(), 3);

    let (_, page) = admin.get_html(&format!("/reunions/{id}")).await;
    assert!(
        page.contains(r#"<dt>Inscrit·es</dt><dd id="count-confirmed">3</dd>"#),
        "{page}"
    );
    assert!(page.contains("<dt>Présent·es</dt><dd>2</dd>"));
    assert!(page.contains("<dt>Excusé·es</dt><dd>1</dd>"));
    assert!(page.contains("<dt>Repas : Végétarien</dt><dd>2</dd>"));
    assert!(page.contains("<dt>Repas : Sans porc</dt><dd>1</dd>"));

    let csv = admin.get(&format!("/reunions/{id}/inscriptions.csv")).await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = csv.bytes().await.unwrap();
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte-order mark for spreadsheets"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "\"Nom\";\"Organisation\";\"E-mail\";\"Inscription\";\"Place en attente\";\"Repas\";\"Ateliers\";\"Présence\";\"Remarque\""
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with(
        "\"Participant·e 000\";\"\";\"p0@exemple.example\";\"confirmée\";\"\";\"Végétarien\";\"\";\"présent·e\";\"'=SOMME(A1)"
    ));
    assert_eq!(
        app.anonymous
            .get(&format!("/reunions/{id}/inscriptions.csv"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn published_minutes_are_read_by_platform_members_only() {
    let app = TestApp::spawn().await;
    let (platform, _, coordinator) = platform_with_coordinator(&app).await;
    let id = schedule(
        &coordinator,
        &MeetingForm::new("Constats d'octobre")
            .platform(platform)
            .kind("findings")
            .on("2026-10-13")
            .from("09:30")
            .to("12:00")
            .status("held")
            .pairs(),
    )
    .await;
    let refused = coordinator
        .post_form(
            &format!("/reunions/{id}/compte-rendu"),
            &[("minutes", "  "), ("published", "on")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/compte-rendu"),
            &[
                ("minutes", "Douze constats relevés."),
                ("decisions", "Interpeller le CPAS."),
                ("actions", "Coralie : courrier pour le 30."),
                ("published", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (member_id, member) = app.signed_in("Mina", "mina@x.example", false).await;
    app.add_to_platform(platform, member_id, "member").await;
    let (_, page) = member.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("Douze constats relevés.") && page.contains("Interpeller le CPAS."));
    let (_, outsider) = app.signed_in("Olivier", "olivier@x.example", false).await;
    let (status, page) = outsider.get_html(&format!("/reunions/{id}")).await;
    assert_eq!(status, StatusCode::OK, "the meeting is public");
    assert!(
        !page.contains("Douze constats relevés."),
        "its minutes are for members"
    );
    assert_eq!(
        member
            .get(&format!("/reunions/{id}/compte-rendu"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_agenda_the_month_calendar_and_my_meetings_show_what_each_person_may_see() {
    let app = TestApp::spawn().await;
    let (platform, coord, coordinator) = platform_with_coordinator(&app).await;
    let day = future_date(20);
    let date = day.format("%Y-%m-%d").to_string();
    schedule(
        &coordinator,
        &MeetingForm::new("Plénière publique")
            .platform(platform)
            .on(&date)
            .from("09:00")
            .to("12:00")
            .pairs(),
    )
    .await;
    schedule(
        &coordinator,
        &MeetingForm::new("Réunion interne")
            .platform(platform)
            .kind("findings")
            .on(&date)
            .from("14:00")
            .to("16:00")
            .members_only()
            .pairs(),
    )
    .await;
    let (_, agenda) = app.anonymous.get_html("/reunions").await;
    assert!(agenda.contains("Plénière publique"));
    assert!(
        !agenda.contains("Réunion interne"),
        "members-only meetings are hidden from visitors"
    );
    let (_, agenda) = coordinator.get_html("/reunions").await;
    assert!(agenda.contains("Réunion interne"));
    let (status, month) = coordinator
        .get_html(&format!(
            "/reunions/calendrier?mois={}",
            day.format("%Y-%m")
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(month.contains("09:00 Plénière publique") && month.contains("14:00 Réunion interne"));
    let (status, _) = coordinator
        .get_html("/reunions/calendrier?mois=pas-un-mois")
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a bad month falls back to the current one"
    );
    let (_, mine) = coordinator.get_html("/reunions/mes").await;
    assert!(mine.contains("Réunion interne"));
    let _ = coord;
    assert_eq!(
        app.anonymous.get("/reunions/mes").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_clash_in_the_same_place_is_flagged_before_saving_and_can_be_confirmed() {
    let app = TestApp::spawn().await;
    let (platform, _, coordinator) = platform_with_coordinator(&app).await;
    let scope = format!("platform:{platform}");
    let date = future_date(30).format("%Y-%m-%d").to_string();
    schedule(
        &coordinator,
        &MeetingForm::new("Plénière")
            .platform(platform)
            .on(&date)
            .from("09:00")
            .to("12:00")
            .place("Salle du CRI")
            .pairs(),
    )
    .await;
    let fields = [
        ("scope", scope.as_str()),
        ("kind", "working_group"),
        ("title", "GT outils"),
        ("date", &date),
        ("start_time", "11:00"),
        ("end_time", "13:00"),
        ("visibility", "members"),
        ("place_name", "salle du CRI"),
    ];
    let r = coordinator.post_form("/reunions", &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Le lieu « Salle du CRI » est déjà pris par « Plénière »"));
    assert!(html.contains(r#"name="confirm_clash" value="1""#));
    assert_eq!(meeting::Entity::find().count(&app.db).await.unwrap(), 1);
    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm_clash", "1"));
    let r = coordinator.post_form("/reunions", &confirmed).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The same platform's plenary at the same time, elsewhere, is flagged too.
    let r = coordinator
        .post_form(
            "/reunions",
            &MeetingForm::new("Intervision")
                .platform(platform)
                .kind("peer_session")
                .on(&date)
                .from("10:00")
                .to("11:00")
                .members_only()
                .place("Ailleurs")
                .pairs(),
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("La plénière « Plénière » de la même plateforme a lieu en même temps")
    );
}

#[tokio::test]
async fn a_working_group_page_shows_each_members_attendance_over_the_year() {
    let app = TestApp::spawn().await;
    let (platform, _, coordinator) = platform_with_coordinator(&app).await;
    let group = app
        .create_group(platform, "Relevé de constats et interpellations")
        .await;
    let (mina, member) = app.signed_in("Mina", "mina@x.example", false).await;
    app.add_to_group(group, mina, "member").await;
    let scope = format!("group:{group}");
    let past = (chrono::Utc::now().date_naive() - Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let id = schedule(
        &coordinator,
        &MeetingForm::new("GT de rentrée")
            .scope(&scope)
            .kind("working_group")
            .on(&past)
            .from("09:30")
            .to("11:30")
            .members_only()
            .status("held")
            .pairs(),
    )
    .await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/presences/{mina}"),
            &[("status", "present")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The group page loads the year's table from the meetings room's panel (the meeting's
    // year: a month ago may be last year).
    let year = &past[..4];
    let (_, page) = member
        .get_html(&format!("/gt/{group}/presences/{year}"))
        .await;
    assert!(page.contains("Présences sur l&#39;année") || page.contains("Présences sur l'année"));
    assert!(
        page.contains(&format!(
            "<tr id=\"membre-{mina}\"><th scope=\"row\">Mina</th><td class=\"p-present\">présent·e</td>\
             <td class=\"total\">1</td><td class=\"total\">0</td><td class=\"total\">0</td>\
             <td class=\"total\">100 %</td></tr>"
        )),
        "{page}"
    );
}

#[tokio::test]
async fn members_only_meetings_refuse_outsiders_and_registration_needs_an_account() {
    let app = TestApp::spawn().await;
    let (platform, _, coordinator) = platform_with_coordinator(&app).await;
    let date = future_date(40).format("%Y-%m-%d").to_string();
    let id = schedule(
        &coordinator,
        &MeetingForm::new("Interne")
            .platform(platform)
            .kind("findings")
            .on(&date)
            .from("09:00")
            .to("10:00")
            .members_only()
            .set("registration_open", "on")
            .pairs(),
    )
    .await;
    assert_eq!(
        app.anonymous.get(&format!("/reunions/{id}")).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, outsider) = app.signed_in("Olivier", "olivier@x.example", false).await;
    assert_eq!(
        outsider.get(&format!("/reunions/{id}")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        outsider
            .post_form(&format!("/reunions/{id}/inscription"), &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        outsider
            .post_form(
                &format!("/reunions/{id}/statut"),
                &[("status", "cancelled")]
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/statut"),
            &[("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let m = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((m.status.as_str(), m.sequence), ("cancelled", 1));
    let _ = recurrence::TZID;
}
