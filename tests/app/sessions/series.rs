//! The series page's lists of sessions, visibility of a session page, a moved session or a series
//! moved in time keeping what points at its sessions, and bad addresses.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use maillage::entities::{attendance, registration};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{
    count, members, next_weekday, page, platform_with_coordinator, post_ok, registrations_of,
    session_row, weekly, ymd,
};
use crate::helpers::{MeetingForm, TestApp, location};

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
async fn a_session_page_sums_up_its_invitations_with_each_ones_answer_for_that_session() {
    use maillage::entities::invitation::{self, Answer, Language};
    use maillage::entities::session_answer;
    use sea_orm::{ActiveModelTrait, Set};

    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let first = next_weekday(7, Weekday::Thu);
    let id = weekly("Concertation MENA", platform, first, "day_th")
        .schedule(&coordinator)
        .await;
    let (this, other) = (
        session_row(&app, id, first).await,
        session_row(&app, id, first + Duration::weeks(1)).await,
    );
    let invite =
        |session: Option<i64>, name: &str, email: &str, answer: Answer| invitation::ActiveModel {
            meeting_id: Set(id),
            occurrence_id: Set(session),
            person_id: Set(None),
            email: Set(email.to_string()),
            email_normalized: Set(email.to_string()),
            name: Set(name.to_string()),
            language: Set(Language::Fr),
            answer: Set(answer),
            answered_at: Set(None),
            invited_by: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
    // To the whole series, yes, but not to this session; to the whole series, no answer; to
    // this session only, maybe; to the other session only.
    let series_yes = invite(
        None,
        "Fedasil Namur",
        "fedasil@exemple.example",
        Answer::Accepted,
    )
    .insert(&app.db)
    .await
    .unwrap();
    invite(
        None,
        "Tuteurs MENA",
        "tuteurs@exemple.example",
        Answer::Pending,
    )
    .insert(&app.db)
    .await
    .unwrap();
    invite(
        Some(this.id),
        "Croix-Rouge",
        "croix-rouge@exemple.example",
        Answer::Tentative,
    )
    .insert(&app.db)
    .await
    .unwrap();
    invite(
        Some(other.id),
        "Province de Namur",
        "province@exemple.example",
        Answer::Accepted,
    )
    .insert(&app.db)
    .await
    .unwrap();
    session_answer::ActiveModel {
        invitation_id: Set(series_yes.id),
        occurrence_id: Set(this.id),
        answer: Set(Answer::Declined),
        answered_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    let base = format!("/reunions/{id}/{}", ymd(first));
    let html = page(&coordinator, &base).await;
    let invitations = &html[html.find("id=\"invitations\"").expect("the invitations")..];
    assert!(invitations.contains(&format!("href=\"{base}/invitations\"")));
    assert!(invitations.contains("0 oui · 1 peut-être · 1 non · 1 sans réponse"));
    let line = |name: &str| {
        let at = invitations
            .find(name)
            .unwrap_or_else(|| panic!("{name} listed"));
        let rest = &invitations[at..];
        rest[..rest.find("</tr>").unwrap()].to_string()
    };
    assert!(
        line("Fedasil Namur").contains("toute la série")
            && line("Fedasil Namur").contains("ne viendra pas")
    );
    assert!(
        line("Croix-Rouge").contains("cette séance") && line("Croix-Rouge").contains("peut-être")
    );
    assert!(line("Tuteurs MENA").contains("pas encore de réponse"));
    assert!(
        !invitations.contains("Province de Namur"),
        "another session's invitation"
    );
    // The other session: the series' answer holds there.
    let html = page(
        &coordinator,
        &format!("/reunions/{id}/{}", ymd(first + Duration::weeks(1))),
    )
    .await;
    let invitations = &html[html.find("id=\"invitations\"").unwrap()..];
    assert!(
        invitations.contains("2 oui · 0 peut-être · 0 non · 1 sans réponse"),
        "{invitations}"
    );
    assert!(!invitations.contains("Croix-Rouge"));
    // Members do not see who is invited.
    let amina = members(
        &app,
        platform,
        &[("Amina Diallo", "amina@ciac-namur.example")],
    )
    .await;
    assert_eq!(amina.len(), 1);
    let member = app.visitor();
    member
        .sign_in("amina@ciac-namur.example", crate::helpers::PASSWORD)
        .await;
    assert!(!page(&member, &base).await.contains("Fedasil Namur"));
}

#[tokio::test]
async fn marking_with_htmx_on_a_session_swaps_its_row_and_keeps_pointing_at_the_session() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let people = members(
        &app,
        platform,
        &[("Amina Diallo", "amina@ciac-namur.example")],
    )
    .await;
    let first = next_weekday(7, Weekday::Mon);
    let id = weekly("Intervision juridique", platform, first, "day_mo")
        .registration("")
        .schedule(&coordinator)
        .await;
    let base = format!("/reunions/{id}/{}", ymd(first));
    post_ok(
        &coordinator,
        &format!("{base}/inscriptions"),
        &[("person_id", &people[0].to_string())],
    )
    .await;
    let r = coordinator
        .post_htmx(
            &format!("{base}/presences/{}", people[0]),
            &[("status", "absent")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let fragment = r.text().await.unwrap();
    assert!(
        fragment.starts_with(&format!("<tr id=\"presence-{}\"", people[0])),
        "{fragment}"
    );
    assert!(fragment.contains("absent·e"));
    assert!(fragment.contains(&format!("hx-post=\"{base}/presences/{}\"", people[0])));
    let row = session_row(&app, id, first).await;
    let marks = attendance::Entity::find()
        .filter(attendance::Column::OccurrenceId.eq(row.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].person_id, Some(people[0]));
}
