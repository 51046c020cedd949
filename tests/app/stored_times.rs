//! Meetings' local times are read once, typed, with their row. A stored time that cannot be read
//! (a row written by hand, a bad script) is a server error logged with the row's id and the bad
//! text — never a meeting shown on 1 January 1970, never a meeting silently left out of a feed.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::logs::errors_of_request;
use crate::helpers::{MeetingForm, TestApp};

/// Sets a column of one row by hand, as a script would.
async fn corrupt(app: &TestApp, table: &str, column: &str, value: &str, id: i64) {
    let changed = app
        .db
        .execute_unprepared(&format!(
            "UPDATE {table} SET {column} = '{value}' WHERE id = {id}"
        ))
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 1);
}

/// GETs `path`; expects the French 500 page and returns the error lines logged for the request.
async fn server_error(app: &TestApp, path: &str) -> (String, Vec<String>) {
    let response = app.anonymous.get(path).await;
    assert_eq!(
        response.status(),
        StatusCode::INTERNAL_SERVER_ERROR,
        "{path}"
    );
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body = response.text().await.unwrap();
    assert!(body.contains("Erreur du serveur"), "{path}: {body}");
    assert!(
        body.contains("Une erreur inattendue s'est produite de notre côté"),
        "{path}: {body}"
    );
    assert!(!body.contains("1970"), "{path}: {body}");
    (body, errors_of_request(&request_id))
}

#[tokio::test]
async fn a_meeting_whose_start_cannot_be_read_is_an_error_naming_it_on_its_page_and_in_its_feed() {
    let app = TestApp::spawn().await;
    let platform_id = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    // Another meeting first, so that the one named is not merely the first row.
    MeetingForm::new("Réunion de préparation")
        .platform(platform_id)
        .on("2027-05-04")
        .from("10:00")
        .to("11:00")
        .schedule(&admin)
        .await;
    let id = MeetingForm::new("Plénière de juin")
        .platform(platform_id)
        .on("2027-06-08")
        .from("09:00")
        .to("16:00")
        .schedule(&admin)
        .await;
    let page = format!("/reunions/{id}");
    let feed = "/agenda/plateformes/sociojuridique.ics";
    let (status, _) = app.anonymous.get_html(&page).await;
    assert_eq!(status, StatusCode::OK);
    // The feed is built and kept before the row goes bad: the change must reach it all the same.
    let (status, ics) = app.anonymous.get_html(feed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ics.contains(&format!("UID:meeting-{id}@")), "{ics}");

    corrupt(&app, "meetings", "start_local", "2027-06-31T09:00:00", id).await;

    for path in [page.as_str(), feed, "/agenda/reseau.ics"] {
        let (_, errors) = server_error(&app, path).await;
        assert!(
            errors.iter().any(|line| line.contains("start_local")
                && line.contains(&format!("(id={id})"))
                && line.contains("« 2027-06-31T09:00:00 »")),
            "{path}: the log names neither the meeting nor the bad value: {errors:#?}"
        );
    }

    // Repaired by hand, the meeting is back where it was.
    corrupt(&app, "meetings", "start_local", "2027-06-08T09:00:00", id).await;
    let (status, html) = app.anonymous.get_html(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("8 juin 2027"), "{html}");
    let (status, ics) = app.anonymous.get_html(feed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        ics.contains("DTSTART;TZID=Europe/Brussels:20270608T090000"),
        "{ics}"
    );
}

#[tokio::test]
async fn a_changed_session_whose_date_cannot_be_read_is_an_error_naming_its_meeting() {
    let app = TestApp::spawn().await;
    let platform_id = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    // Another meeting first, so that the meeting's id and the change's differ.
    MeetingForm::new("Réunion de préparation")
        .platform(platform_id)
        .on("2027-05-04")
        .from("10:00")
        .to("11:00")
        .schedule(&admin)
        .await;
    let id = MeetingForm::new("Permanence juridique")
        .platform(platform_id)
        .kind("office_hours")
        .on("2027-03-02")
        .from("09:00")
        .to("12:00")
        .set("repeat", "weekly")
        .set("day_tu", "on")
        .schedule(&admin)
        .await;
    let moved = admin
        .post_form(
            &format!("/reunions/{id}/occurrences"),
            &[
                ("original", "2027-03-09T09:00:00"),
                ("action", "move"),
                ("new_date", "2027-03-10"),
                ("new_start", "14:00"),
                ("new_end", "17:00"),
            ],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let change_id: i64 = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT id FROM occurrence_changes WHERE meeting_id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();

    corrupt(
        &app,
        "occurrence_changes",
        "new_start_local",
        "mercredi",
        change_id,
    )
    .await;

    // What reads the changes (the meeting's and the platform's calendars) fails naming the row.
    // The series page lists its sessions from the occurrence index, which the change wrote
    // correctly before the hand-made corruption: it has nothing to misread.
    for path in [
        format!("/reunions/{id}/evenement.ics"),
        "/agenda/plateformes/sociojuridique.ics".to_string(),
    ] {
        let (_, errors) = server_error(&app, &path).await;
        assert!(
            errors.iter().any(|line| line.contains("new_start_local")
                && line.contains(&format!("(id={change_id}, meeting_id={id})"))
                && line.contains("« mercredi »")),
            "{path}: the log names neither the meeting nor the bad value: {errors:#?}"
        );
    }
}

#[tokio::test]
async fn a_series_whose_rule_cannot_be_read_is_an_error_naming_it_never_a_one_off() {
    let app = TestApp::spawn().await;
    let platform_id = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    // Another meeting first, so that the one named is not merely the first row.
    MeetingForm::new("Réunion de préparation")
        .platform(platform_id)
        .on("2027-05-04")
        .from("10:00")
        .to("11:00")
        .schedule(&admin)
        .await;
    let id = MeetingForm::new("Permanence juridique")
        .platform(platform_id)
        .kind("office_hours")
        .on("2027-03-02")
        .from("09:00")
        .to("12:00")
        .set("repeat", "weekly")
        .set("day_tu", "on")
        .schedule(&admin)
        .await;
    let rule: String = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT rrule FROM meetings WHERE id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "rrule")
        .unwrap();
    let page = format!("/reunions/{id}");
    let feed = "/agenda/plateformes/sociojuridique.ics";
    let (status, ics) = app.anonymous.get_html(feed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ics.contains("RRULE:FREQ=WEEKLY"), "{ics}");

    corrupt(&app, "meetings", "rrule", "FREQ=PARFOIS", id).await;

    for path in [
        page.as_str(),
        feed,
        "/agenda/reseau.ics",
        &format!("/reunions/{id}/evenement.ics"),
    ] {
        let (_, errors) = server_error(&app, path).await;
        assert!(
            errors.iter().any(|line| line.contains("rrule")
                && line.contains(&format!("(id={id})"))
                && line.contains("« FREQ=PARFOIS »")),
            "{path}: the log names neither the meeting nor the bad rule: {errors:#?}"
        );
    }

    // Repaired by hand, the series is a series again.
    corrupt(&app, "meetings", "rrule", &rule, id).await;
    let (status, html) = app.anonymous.get_html(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("chaque mardi"), "{html}");
    let (status, ics) = app.anonymous.get_html(feed).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ics.contains("RRULE:FREQ=WEEKLY"), "{ics}");
}
