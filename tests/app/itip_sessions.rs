//! Issue #11, point 1: invitations and answers for a series or for one session, one UID. An
//! invitation to one session carries the series' UID with the session's RECURRENCE-ID and its
//! times as they now are; a reply for one session of a series invitation is a session answer
//! (the series' answer stays) and registers for that session only; the answer page offers the
//! next sessions; notices about a session carry its calendar. Through the real router, mail
//! through a real SMTP server, calendars read back by Python's icalendar, field by field.

use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{invitation, meeting, occurrence, registration, session_answer};
use maillage::meetings::booking;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::helpers::smtp::SmtpServer;
use crate::helpers::{TestApp, Visitor, schedule_meeting};
use crate::itip::{answer_link, messages_to, pairs, plenary, read_ics, world};

const TOKEN: &str = "passerelle-du-cri-8f3a9c";

/// The monthly findings meeting of the platform: second Tuesday, 14:00–16:00, from January
/// 2027, registration open. (The meeting form on main still refuses registration for a series:
/// it is opened in the database until the session pages' branch lifts that.)
async fn monthly(app: &TestApp, coordinator: &Visitor, platform: i64) -> i64 {
    let fields = plenary(
        platform,
        &[
            ("kind", "findings"),
            ("title", "Relevé de constats"),
            ("date", "2027-01-12"),
            ("start_time", "14:00"),
            ("end_time", "16:00"),
            ("repeat", "monthly_nth"),
            ("ord_2", "on"),
            ("weekday", "TU"),
        ],
    );
    let id = schedule_meeting(coordinator, &pairs(&fields)).await;
    let found = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut open: meeting::ActiveModel = found.into();
    open.registration_open = Set(true);
    open.update(&app.db).await.unwrap();
    id
}

async fn session_row(app: &TestApp, meeting_id: i64, day: &str) -> occurrence::Model {
    occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.original_start_local.naive().date().to_string() == day)
        .unwrap_or_else(|| panic!("no session on {day}"))
}

async fn invitation_of(app: &TestApp, email: &str) -> Vec<invitation::Model> {
    invitation::Entity::find()
        .filter(invitation::Column::EmailNormalized.eq(email))
        .all(&app.db)
        .await
        .unwrap()
}

async fn registrations_of(app: &TestApp, person_id: i64) -> Vec<registration::Model> {
    registration::Entity::find()
        .filter(registration::Column::PersonId.eq(person_id))
        .all(&app.db)
        .await
        .unwrap()
}

fn reply_for(meeting_id: i64, attendee: &str, partstat: &str, recurrence: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\n\
         METHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:meeting-{meeting_id}@127.0.0.1\r\n\
         DTSTAMP:20261201T100000Z\r\nSEQUENCE:0\r\n{recurrence}\
         ATTENDEE;PARTSTAT={partstat};CN=Ana Lambert:mailto:{attendee}\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

async fn post_reply(app: &TestApp, token: &str, body: String) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/itip/reponses", app.address))
        .bearer_auth(token)
        .header("Content-Type", "text/calendar; charset=UTF-8; method=REPLY")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_invitation_to_one_session_carries_the_series_uid_its_recurrence_id_and_its_times() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |_| {}).await;
    let series = monthly(&app, &coordinator, platform).await;
    // The March session moves to Wednesday afternoon: its address stays its original date.
    let r = coordinator
        .post_form(
            &format!("/reunions/{series}/occurrences"),
            &[
                ("original", "2027-03-09T14:00:00"),
                ("action", "move"),
                ("new_date", "2027-03-10"),
                ("new_start", "15:00"),
                ("new_end", "17:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = format!("/reunions/{series}/2027-03-09/invitations");
    let (status, html) = coordinator.get_html(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Inviter à une séance"), "{html}");
    assert!(html.contains("mercredi 10 mars 2027"), "{html}");
    // No session that day, a date that cannot be read, and someone who may not manage it.
    for wrong in ["2027-03-10", "mars", "2027-02-30"] {
        let (status, _) = coordinator
            .get_html(&format!("/reunions/{series}/{wrong}/invitations"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
    }
    let (status, _) = app.anonymous.get_html(&page).await;
    assert_ne!(status, StatusCode::OK);

    // A refusal keeps what was typed, with a French message, and writes nothing.
    let r = coordinator
        .post_form(
            &page,
            &[("emails", "province@namur.example, pas-une-adresse")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("pas-une-adresse"), "{body}");
    assert!(
        invitation_of(&app, "province@namur.example")
            .await
            .is_empty()
    );

    let r = coordinator
        .post_form(
            &page,
            &[("emails", "Province de Namur <province@namur.example>")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(1).await, 1);
    let march = session_row(&app, series, "2027-03-09").await;
    let invited = invitation_of(&app, "province@namur.example").await;
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].occurrence_id, Some(march.id));
    // Invited again to the same session: nobody gets a second message.
    let r = coordinator
        .post_form(&page, &[("emails", "province@namur.example")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(invitation_of(&app, "province@namur.example").await.len(), 1);

    let sequence = meeting::Entity::find_by_id(series)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .sequence;
    let message = messages_to(&smtp, "province@namur.example", "REQUEST")
        .pop()
        .expect("the invitation");
    assert!(
        message["text"]
            .as_str()
            .unwrap()
            .contains("mercredi 10 mars 2027"),
        "the session's date in the text: {}",
        message["text"]
    );
    assert!(
        message["text"]
            .as_str()
            .unwrap()
            .contains(&format!("/reunions/{series}/2027-03-09"))
    );
    let events = message["calendar"]["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "the session alone: {events:?}");
    let e = &events[0];
    assert_eq!(e["uid"], format!("meeting-{series}@127.0.0.1"));
    assert_eq!(e["recurrence_id"]["local"], "2027-03-09T14:00:00");
    assert_eq!(e["recurrence_id"]["tzid"], "Europe/Brussels");
    assert_eq!(e["dtstart"]["local"], "2027-03-10T15:00:00");
    assert_eq!(e["dtstart"]["tzid"], "Europe/Brussels");
    assert_eq!(e["dtend"]["local"], "2027-03-10T17:00:00");
    assert_eq!(e["rrule"], Value::Null);
    assert_eq!(e["exdates"], serde_json::json!([]));
    assert_eq!(e["status"], "CONFIRMED");
    assert_eq!(e["sequence"], sequence);
    assert_eq!(e["attendees"][0]["partstat"], "NEEDS-ACTION");
    assert_eq!(e["attendees"][0]["rsvp"], "TRUE");

    // The invitee answers yes from the link: for that session, and registered for it alone.
    let link = answer_link(&message, "accepte");
    let path = link.split_once("/invitation/").unwrap().1;
    let browser = app.visitor();
    let (status, html) = browser.get_html(&format!("/invitation/{path}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("à une séance de"), "{html}");
    assert!(
        !html.contains("name=\"seance\""),
        "no choice of session: {html}"
    );
    let r = browser.post_form(&format!("/invitation/{path}"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let invited = invitation_of(&app, "province@namur.example").await;
    assert_eq!(invited[0].answer.to_string(), "accepted");
    let person = invited[0]
        .person_id
        .expect("a directory entry for the partner");
    let registered = registrations_of(&app, person).await;
    assert_eq!(registered.len(), 1);
    assert_eq!(registered[0].occurrence_id, Some(march.id));
    assert_eq!(registered[0].status, RegistrationStatus::Confirmed);
    // The session's page of invitations shows the answer.
    let (_, html) = coordinator.get_html(&page).await;
    assert!(html.contains("province@namur.example"), "{html}");
    assert!(html.contains("cette séance"), "{html}");
    assert!(html.contains("j'y serai"), "{html}");
}

#[tokio::test]
async fn a_reply_for_one_session_of_a_series_invitation_is_a_session_answer_and_registers_for_it_only()
 {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |c| {
        c.itip_token = Some(TOKEN.into());
    })
    .await;
    let ana = app
        .create_person("Ana Lambert", "ana@ciney.example", false)
        .await;
    let series = monthly(&app, &coordinator, platform).await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{series}/invitations"),
            &[("person_id", &ana.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(1).await, 1);
    let invitation = invitation_of(&app, "ana@ciney.example").await.remove(0);
    assert_eq!(
        invitation.occurrence_id, None,
        "invited to the whole series"
    );

    // Without the gateway's token, nothing.
    let accept = reply_for(
        series,
        "Ana@Ciney.example",
        "ACCEPTED",
        "RECURRENCE-ID;TZID=Europe/Brussels:20270309T140000\r\n",
    );
    let (status, _) = post_reply(&app, "devine", accept.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = post_reply(&app, TOKEN, accept).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let march = session_row(&app, series, "2027-03-09").await;
    let answers = session_answer::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(
        (answers[0].invitation_id, answers[0].occurrence_id),
        (invitation.id, march.id)
    );
    assert_eq!(answers[0].answer.to_string(), "accepted");
    let unchanged = invitation_of(&app, "ana@ciney.example").await.remove(0);
    assert_eq!(
        unchanged.answer.to_string(),
        "pending",
        "the series' answer stays"
    );
    let registered = registrations_of(&app, ana).await;
    assert_eq!(registered.len(), 1, "{registered:?}");
    assert_eq!(registered[0].occurrence_id, Some(march.id));
    assert_eq!(registered[0].status, RegistrationStatus::Confirmed);

    // The confirmation names the session and carries its calendar (the series' UID).
    assert_eq!(smtp.wait_for(2).await, 2);
    let notice = messages_to(&smtp, "ana@ciney.example", "PUBLISH")
        .pop()
        .expect("the registration notice with the session's calendar");
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .contains("mardi 9 mars 2027"),
        "{}",
        notice["text"]
    );
    let e = &notice["calendar"]["events"][0];
    assert_eq!(e["uid"], format!("meeting-{series}@127.0.0.1"));
    assert_eq!(e["recurrence_id"]["local"], "2027-03-09T14:00:00");
    assert_eq!(e["dtstart"]["local"], "2027-03-09T14:00:00");
    assert_eq!(e["rrule"], Value::Null);

    // Declined for the same session, its RECURRENCE-ID in UTC this time: the registration for
    // that session is cancelled, the session answer follows.
    let decline = reply_for(
        series,
        "ana@ciney.example",
        "DECLINED",
        "RECURRENCE-ID:20270309T130000Z\r\n",
    );
    let (status, body) = post_reply(&app, TOKEN, decline).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answers = session_answer::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].answer.to_string(), "declined");
    let registered = registrations_of(&app, ana).await;
    assert!(
        registered
            .iter()
            .all(|r| r.status != RegistrationStatus::Confirmed),
        "{registered:?}"
    );

    // A session the series does not have: refused, naming RECURRENCE-ID; nothing written.
    let unknown = reply_for(
        series,
        "ana@ciney.example",
        "ACCEPTED",
        "RECURRENCE-ID;VALUE=DATE:20270310\r\n",
    );
    let (status, body) = post_reply(&app, TOKEN, unknown).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["champ"], "RECURRENCE-ID");
    assert!(
        body["erreur"].as_str().unwrap().contains("pas de séance"),
        "{body}"
    );
    assert_eq!(
        session_answer::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );

    // Someone not invited: refused, naming ATTENDEE.
    let stranger = reply_for(
        series,
        "inconnu@example.org",
        "ACCEPTED",
        "RECURRENCE-ID;TZID=Europe/Brussels:20270309T140000\r\n",
    );
    let (status, body) = post_reply(&app, TOKEN, stranger).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["champ"], "ATTENDEE");

    // A reply for the whole series is the series' answer, as before.
    let whole = reply_for(series, "ana@ciney.example", "TENTATIVE", "");
    let (status, body) = post_reply(&app, TOKEN, whole).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answered = invitation_of(&app, "ana@ciney.example").await.remove(0);
    assert_eq!(answered.answer.to_string(), "tentative");

    // Registered for April (by the coordination), then declining the whole series: the April
    // registration is cancelled; March keeps the answer given for it alone.
    let april = session_row(&app, series, "2027-04-13").await;
    let request = booking::Request {
        person_id: ana,
        ..Default::default()
    };
    let target = booking::Target::session(series, april.id);
    let now = chrono::Utc::now();
    let done = booking::register(&app.db, target, request, now, &app.state.events).await;
    assert_eq!(done.unwrap(), Ok(booking::Outcome::Confirmed));
    let decline = reply_for(series, "ana@ciney.example", "DECLINED", "");
    let (status, body) = post_reply(&app, TOKEN, decline).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let registered = registrations_of(&app, ana).await;
    let in_april = registered
        .iter()
        .find(|r| r.occurrence_id == Some(april.id))
        .unwrap();
    assert_eq!(in_april.status, RegistrationStatus::Cancelled);
    let answered = invitation_of(&app, "ana@ciney.example").await.remove(0);
    assert_eq!(answered.answer.to_string(), "declined");
    let march_answer = session_answer::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(march_answer[0].answer.to_string(), "declined");
}

#[tokio::test]
async fn the_answer_page_of_a_series_invitation_offers_the_next_sessions_and_answers_for_one() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |_| {}).await;
    let series = monthly(&app, &coordinator, platform).await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{series}/invitations"),
            &[("emails", "ville@ciney.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(1).await, 1);
    let message = messages_to(&smtp, "ville@ciney.example", "REQUEST")
        .pop()
        .unwrap();
    // The series' invitation: the series, whole.
    let e = &message["calendar"]["events"][0];
    assert!(e["rrule"].as_str().unwrap().contains("FREQ=MONTHLY"));
    assert_eq!(e["recurrence_id"], Value::Null);

    let link = answer_link(&message, "accepte");
    let path = format!("/invitation/{}", link.split_once("/invitation/").unwrap().1);
    let browser = app.visitor();
    let (status, html) = browser.get_html(&format!("{path}?seance=2027-03-09")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("toute la série"), "{html}");
    assert!(
        html.contains(r#"<option value="2027-03-09" selected>"#),
        "the session asked for is chosen: {html}"
    );
    assert!(html.contains(r#"value="2027-04-13""#), "{html}");

    // A day without a session: refused, nothing written.
    let r = browser.post_form(&path, &[("seance", "2027-03-10")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Cette séance n'existe pas")
    );
    assert!(
        session_answer::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    let r = browser.post_form(&path, &[("seance", "2027-04-13")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Vous êtes inscrit·e."));
    let april = session_row(&app, series, "2027-04-13").await;
    let answers = session_answer::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].occurrence_id, april.id);
    let invitation = invitation_of(&app, "ville@ciney.example").await.remove(0);
    assert_eq!(invitation.answer.to_string(), "pending");
    let registered = registrations_of(&app, invitation.person_id.unwrap()).await;
    assert_eq!(registered.len(), 1);
    assert_eq!(registered[0].occurrence_id, Some(april.id));

    // The whole series, accepted: the series' answer; no registration without a session.
    let r = browser.post_form(&path, &[("seance", "")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("par séance"));
    let invitation = invitation_of(&app, "ville@ciney.example").await.remove(0);
    assert_eq!(invitation.answer.to_string(), "accepted");
    assert_eq!(
        registrations_of(&app, invitation.person_id.unwrap())
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn in_the_meeting_ics_a_moved_session_is_an_override_of_the_same_uid_and_a_cancelled_one_is_cancelled()
 {
    let (app, coordinator, platform) = world(None, |_| {}).await;
    let series = monthly(&app, &coordinator, platform).await;
    for fields in [
        vec![
            ("original", "2027-03-09T14:00:00"),
            ("action", "move"),
            ("new_date", "2027-03-10"),
            ("new_start", "15:00"),
            ("new_end", "17:00"),
        ],
        vec![("original", "2027-05-11T14:00:00"), ("action", "cancel")],
    ] {
        let r = coordinator
            .post_form(&format!("/reunions/{series}/occurrences"), &fields)
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let uid = format!("meeting-{series}@127.0.0.1");
    for path in [
        format!("/reunions/{series}/evenement.ics"),
        "/agenda/plateformes/fle.ics".to_string(),
    ] {
        let text = app.anonymous.get(&path).await.text().await.unwrap();
        let Some(ics) = read_ics(&text) else {
            return;
        };
        let ours: Vec<&Value> = ics["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["uid"] == uid.as_str())
            .collect();
        assert_eq!(ours.len(), 3, "{path}: master + two overrides: {ours:?}");
        let moved = ours
            .iter()
            .find(|e| e["recurrence_id"]["local"] == "2027-03-09T14:00:00")
            .expect("the moved session");
        assert_eq!(moved["recurrence_id"]["tzid"], "Europe/Brussels");
        assert_eq!(moved["dtstart"]["local"], "2027-03-10T15:00:00");
        assert_eq!(moved["dtend"]["local"], "2027-03-10T17:00:00");
        assert_eq!(moved["status"], "CONFIRMED");
        assert_eq!(moved["rrule"], Value::Null);
        let cancelled = ours
            .iter()
            .find(|e| e["recurrence_id"]["local"] == "2027-05-11T14:00:00")
            .expect("the cancelled session");
        assert_eq!(cancelled["status"], "CANCELLED");
        // Expanded by an independent reader: March falls on the 10th at 15:00, once.
        let march: Vec<&Value> = ics["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["uid"] == uid.as_str())
            .filter(|o| {
                o["start"]["local"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("2027-03"))
            })
            .collect();
        assert_eq!(march.len(), 1, "{path}: {march:?}");
        assert_eq!(march[0]["start"]["local"], "2027-03-10T15:00:00");
    }
}
