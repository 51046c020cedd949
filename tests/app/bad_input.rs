//! Input built to hurt: recurrence rules shaped to be expensive, dates at chrono's limits, other
//! spellings of feed addresses. Each is refused in French (or redirected), never a 500, and
//! writes nothing.

use chrono::{Datelike, Duration, Weekday};
use maillage::entities::{meeting, occurrence_change};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{TestApp, Visitor, location};

/// The rule of issue #9: every ranked day of the year, almost a billion times.
fn hostile_rule() -> String {
    let mut days = Vec::new();
    for code in ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] {
        for rank in (1..=53).chain(-53..=-1) {
            days.push(format!("{rank}{code}"));
        }
    }
    assert_eq!(days.len(), 742);
    format!("FREQ=YEARLY;COUNT=999999999;BYDAY={}", days.join(","))
}

/// The page text with maud's escaping of apostrophes undone.
async fn page_text(response: reqwest::Response) -> String {
    response.text().await.unwrap().replace("&#39;", "'")
}

async fn meetings(app: &TestApp) -> u64 {
    meeting::Entity::find().count(&app.db).await.unwrap()
}

async fn admin(app: &TestApp) -> Visitor {
    app.signed_in("Admin", "admin@cri-namur.example", true)
        .await
        .1
}

fn plenary() -> Vec<(&'static str, String)> {
    vec![
        ("scope", "network".into()),
        ("kind", "plenary".into()),
        ("title", "Plénière".into()),
        ("date", "2027-03-09".into()),
        ("start_time", "14:00".into()),
        ("end_time", "16:00".into()),
        ("visibility", "public".into()),
        ("confirm_clash", "1".into()),
    ]
}

/// Posts the plenary with `changes` over its fields; asserts a 422 that says `message` and
/// keeps the typed title and every changed value.
async fn refused(visitor: &Visitor, changes: &[(&'static str, &str)], message: &str) {
    let mut fields = plenary();
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value.to_string()));
    }
    let response = visitor
        .post_form("/reunions", &crate::helpers::as_pairs(&fields))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{changes:?}"
    );
    let html = page_text(response).await;
    assert!(
        html.contains(message),
        "{changes:?}: expected « {message} »"
    );
    assert!(html.contains(r#"value="Plénière""#), "typed title kept");
    for (name, value) in changes {
        if *name != "repeat" && !value.is_empty() {
            assert!(html.contains(value), "{name} kept as typed");
        }
    }
}

#[tokio::test]
async fn recurrence_rules_shaped_to_be_expensive_are_refused_in_french_and_kept_in_the_form() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let hostile = hostile_rule();
    let cases: Vec<(String, &str)> = vec![
        (
            hostile.clone(),
            "La règle de récurrence est trop complexe : elle dépasse 500 caractères.",
        ),
        (
            "FREQ=YEARLY;COUNT=999999999;BYDAY=1TU,2TU".into(),
            "La règle de récurrence est trop complexe : COUNT vaut 999999999, une série compte au plus 1000 réunions.",
        ),
        (
            "FREQ=YEARLY;BYDAY=1TU,2TU,3TU,4TU,5TU,6TU,7TU,8TU,9TU,10TU,11TU,12TU,13TU,14TU,15TU"
                .into(),
            "La règle de récurrence est trop complexe : BYDAY énumère 15 jours, 14 au plus.",
        ),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,2,3,4,5,6,7,8,9,10,11,12,13".into(),
            "La règle de récurrence est trop complexe : BYSETPOS énumère 13 positions, 12 au plus.",
        ),
        (
            "FREQ=YEARLY;BYWEEKNO=1,2,3".into(),
            "BYWEEKNO (numéros de semaine) n'est pas géré",
        ),
    ];
    for (rule, message) in &cases {
        refused(
            &admin,
            &[("repeat", "custom"), ("rrule", rule.as_str())],
            message,
        )
        .await;
    }
    assert_eq!(meetings(&app).await, 0, "nothing written");
    // The same rule within the limits is accepted (the refusal is about size, not shape).
    let id = crate::helpers::schedule_meeting(
        &admin,
        &[
            ("scope", "network"),
            ("kind", "plenary"),
            ("title", "Plénière"),
            ("date", "2027-03-09"),
            ("start_time", "14:00"),
            ("end_time", "16:00"),
            ("visibility", "public"),
            ("repeat", "custom"),
            ("rrule", "FREQ=YEARLY;COUNT=1000;BYDAY=10TU,-1TU"),
        ],
    )
    .await;
    assert!(id > 0);
    let (status, _) = app.anonymous.get_html("/reunions").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn years_outside_1900_to_2200_are_refused_in_every_date_of_the_meeting_form() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let years = "L'année doit être comprise entre 1900 et 2200.";
    for date in ["+262142-12-31", "+10000-01-01", "1899-12-31", "2201-01-01"] {
        refused(&admin, &[("date", date)], years).await;
    }
    refused(&admin, &[("end_date", "+262142-12-31")], years).await;
    refused(
        &admin,
        &[
            ("date", "2200-12-31"),
            ("end_date", "+262142-12-31"),
            ("all_day", "on"),
        ],
        years,
    )
    .await;
    refused(
        &admin,
        &[
            ("registration_open", "on"),
            ("deadline_date", "+10000-01-01"),
        ],
        years,
    )
    .await;
    refused(
        &admin,
        &[
            ("repeat", "weekly"),
            ("day_tu", "on"),
            ("until", "+262142-12-31"),
        ],
        years,
    )
    .await;
    refused(
        &admin,
        &[
            ("repeat", "custom"),
            ("rrule", "FREQ=WEEKLY;UNTIL=99991231"),
        ],
        "La règle de récurrence est invalide : UNTIL doit tomber entre 1900 et 2200.",
    )
    .await;
    assert_eq!(meetings(&app).await, 0, "nothing written");
}

#[tokio::test]
async fn an_occurrence_moved_outside_1900_to_2200_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let mut first = chrono::Utc::now().date_naive() + Duration::days(7);
    while first.weekday() != Weekday::Mon {
        first += Duration::days(1);
    }
    let date = first.format("%Y-%m-%d").to_string();
    let id = crate::helpers::schedule_meeting(
        &admin,
        &[
            ("scope", "network"),
            ("kind", "office_hours"),
            ("title", "Permanence"),
            ("date", &date),
            ("start_time", "09:00"),
            ("end_time", "12:00"),
            ("visibility", "public"),
            ("repeat", "weekly"),
            ("day_mo", "on"),
        ],
    )
    .await;
    let before = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/reunions/{id}/occurrences");
    let original = format!("{date}T09:00:00");
    for new_date in ["+262142-12-31", "+10000-01-01", "1899-12-31"] {
        let response = admin
            .post_form(
                &path,
                &[
                    ("original", &original),
                    ("action", "move"),
                    ("new_date", new_date),
                    ("new_start", "14:00"),
                    ("new_end", "16:00"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{new_date}"
        );
        let html = page_text(response).await;
        assert!(
            html.contains("L'année doit être comprise entre 1900 et 2200."),
            "{new_date}"
        );
        assert!(
            html.contains("Permanence"),
            "the meeting page, with the refusal"
        );
    }
    // An "original" at chrono's last second is no date of the series (and panics nothing).
    for original in ["+262142-12-31T23:59:59", "+10000-01-01T09:00:00"] {
        let response = admin
            .post_form(&path, &[("original", original), ("action", "skip")])
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{original}");
    }
    let after = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.sequence, before.sequence, "nothing written");
    assert_eq!(
        occurrence_change::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn far_months_in_the_calendar_address_fall_back_to_this_month() {
    let app = TestApp::spawn().await;
    let this_year = chrono::Utc::now().year().to_string();
    for month in [
        "%2B262142-12",
        "10000-01",
        "2201-01",
        "1899-12",
        "-0001-01",
        "2027-13",
    ] {
        let (status, html) = app
            .anonymous
            .get_html(&format!("/reunions/calendrier?mois={month}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{month}");
        assert!(html.contains(&this_year), "{month}: this month shown");
    }
}

#[tokio::test]
async fn other_spellings_of_a_feed_address_redirect_to_the_canonical_one_and_build_nothing() {
    let (app, state) = TestApp::spawn_with_state().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let group = app.create_group(platform, "Droit des étrangers").await;
    let canonical = format!("/agenda/gt/{group}.ics");
    let response = app.anonymous.get(&canonical).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(state.feeds.len(), 1);

    for (asked, answer) in [
        (format!("/agenda/gt/0{group}.ics"), canonical.clone()),
        (format!("/agenda/gt/+{group}.ics"), canonical.clone()),
        (format!("/agenda/gt/000{group}.ics"), canonical.clone()),
        (
            "/agenda/plateformes/Sociojuridique.ics".to_string(),
            "/agenda/plateformes/sociojuridique.ics".to_string(),
        ),
        (
            "/agenda/bureaux/ANDENNE.ics".to_string(),
            "/agenda/bureaux/andenne.ics".to_string(),
        ),
    ] {
        let response = app.anonymous.get(&asked).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{asked}");
        assert_eq!(location(&response), answer, "{asked}");
    }
    assert_eq!(state.feeds.len(), 1, "redirects build and keep nothing");

    for address in [
        "/agenda/gt/-3.ics",
        "/agenda/gt/0.ics",
        "/agenda/gt/3a.ics",
        "/agenda/gt/99999999999999999999.ics",
        "/agenda/plateformes/socio%20juridique.ics",
        "/agenda/bureaux/nulle-part.ics",
    ] {
        let response = app.anonymous.get(address).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{address}");
    }
    assert_eq!(state.feeds.len(), 1, "unknown feeds keep nothing");

    for address in [
        "/agenda/plateformes/sociojuridique.ics",
        "/agenda/bureaux/andenne.ics",
    ] {
        assert_eq!(app.anonymous.get(address).await.status(), StatusCode::OK);
    }
    assert_eq!(state.feeds.len(), 3, "one entry per feed");
}

#[tokio::test]
async fn the_agenda_of_dense_series_shows_their_first_sessions_in_order_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let first = chrono::Utc::now().date_naive() + Duration::days(2);
    let date = first.format("%Y-%m-%d").to_string();
    for (title, start, end) in [
        ("Série-A", "09:00", "09:30"),
        ("Série-B", "10:00", "10:30"),
        ("Série-C", "11:00", "11:30"),
    ] {
        crate::helpers::schedule_meeting(
            &admin,
            &[
                ("scope", "network"),
                ("kind", "information"),
                ("title", title),
                ("date", &date),
                ("start_time", start),
                ("end_time", end),
                ("visibility", "public"),
                ("repeat", "daily"),
            ],
        )
        .await;
    }
    // 3 × 731 sessions in the index's two years ahead: the agenda shows them 50 at a time (no
    // more cut at 400), day after day, and links to the next page.
    let (status, html) = app.anonymous.get_html("/reunions").await;
    assert_eq!(status, StatusCode::OK);
    let shown: Vec<&str> = html
        .match_indices("Série-")
        .map(|(i, _)| &html[i + "Série-".len()..i + "Série-".len() + 1])
        .collect();
    assert_eq!(shown.len(), 50);
    let expected: Vec<&str> = ["A", "B", "C"].iter().copied().cycle().take(50).collect();
    assert_eq!(
        shown, expected,
        "the first ones, in time order, none skipped"
    );
    assert!(html.contains("Plus tard"), "a link to the next page");
}

/// Kinds, visibilities, statuses, presences and occurrence actions are closed sets: a value
/// outside one (a tampered form) gets the French refusal of its field and changes nothing.
#[tokio::test]
async fn values_outside_a_closed_set_are_refused_in_french_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut fields = plenary();
        for (name, value) in changes {
            fields.retain(|(n, _)| n != name);
            fields.push((name, value.to_string()));
        }
        fields
    };
    for (changes, field, message) in [
        (
            [("kind", "apéro")],
            "kind",
            "Choisissez un type de réunion dans la liste.",
        ),
        (
            [("visibility", "secrète")],
            "visibility",
            "Choisissez qui peut voir la réunion.",
        ),
    ] {
        let fields = with(&changes);
        let response = admin
            .post_form("/reunions", &crate::helpers::as_pairs(&fields))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let html = page_text(response).await;
        assert!(html.contains(message), "{field}: « {message} »");
        assert!(html.contains(r#"value="Plénière""#), "typed title kept");
    }
    assert_eq!(meetings(&app).await, 0);

    let series = with(&[("repeat", "weekly"), ("day_tu", "on")]);
    let response = admin
        .post_form("/reunions", &crate::helpers::as_pairs(&series))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&response)
        .trim_start_matches("/reunions/")
        .parse()
        .unwrap();
    let before = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let person = app.create_person("Amina", "amina@x.example", false).await;
    for (path, fields, message) in [
        (
            format!("/reunions/{id}/statut"),
            vec![("status", "reportée")],
            "Ce statut n'existe pas.",
        ),
        (
            format!("/reunions/{id}/presences/{person}"),
            vec![("status", "peut-être")],
            "Choisissez présent·e, excusé·e ou absent·e.",
        ),
        (
            format!("/reunions/{id}/occurrences"),
            vec![("original", "2027-03-09T14:00:00"), ("action", "supprimer")],
            "Cette action n'existe pas.",
        ),
    ] {
        let response = admin.post_form(&path, &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(page_text(response).await.contains(message), "{path}");
    }
    let edited = admin
        .post_form(
            &format!("/reunions/{id}"),
            &crate::helpers::as_pairs(&with(&[
                ("repeat", "weekly"),
                ("day_tu", "on"),
                ("status", "reportée"),
            ])),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page_text(edited)
            .await
            .contains("Choisissez un statut dans la liste.")
    );
    let after = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, before, "nothing written");
    assert_eq!(
        occurrence_change::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        maillage::entities::attendance::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}
