//! Issue #9, items 15–22: what calendar clients and mail readers trip on. Video links parsed as
//! URLs, CSV exports quoted and guarded, invitation caps, REQUESTs without STATUS:CANCELLED,
//! ORGANIZER in published calendars, re-confirmation after a change of date, time or place,
//! never inviting the organizer or oneself, CANCELs without RSVP, all-day subjects. Everything
//! goes through the real router; mail through a real SMTP server, calendars read back by
//! Python's icalendar (tests/tools), field by field.

use std::process::Command;

use maillage::entities::{invitation, meeting, outbox_message};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::smtp::SmtpServer;
use crate::helpers::{TestApp, Visitor, schedule_meeting, skipped};

const ORGANIZER: &str = "Coordination du CRI <coordination@cri-namur.example>";
pub(crate) const ORGANIZER_EMAIL: &str = "coordination@cri-namur.example";
const COORDINATOR_EMAIL: &str = "coralie@cri-namur.example";

/// A platform with a signed-in coordinator; mail goes to `smtp` when given (else to files).
pub(crate) async fn world(
    smtp: Option<&SmtpServer>,
    adjust: impl FnOnce(&mut maillage::config::Config),
) -> (TestApp, Visitor, i64) {
    let url = smtp.map(SmtpServer::url);
    let app = TestApp::spawn_with(|c| {
        c.smtp_url = url;
        c.mail_from = "maillage <maillage@cri-namur.example>".into();
        c.organizer = ORGANIZER.into();
        adjust(c);
    })
    .await;
    let platform = app
        .create_platform("Formation à la langue française", "fle", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", COORDINATOR_EMAIL, false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    (app, coordinator, platform)
}

/// The fields of a one-day plenary on 8 June 2027, with `extra` added or replacing.
pub(crate) fn plenary(platform: i64, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("scope", format!("platform:{platform}").as_str()),
        ("kind", "plenary"),
        ("title", "Plénière FLE"),
        ("date", "2027-06-08"),
        ("start_time", "09:00"),
        ("end_time", "16:00"),
        ("visibility", "public"),
        ("place_name", "Centre culturel de la Marlagne"),
        ("status", "scheduled"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    for (key, value) in extra {
        fields.retain(|(k, _)| k != key);
        fields.push(((*key).to_string(), (*value).to_string()));
    }
    fields
}

pub(crate) fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Saves the meeting form of `id` (past any clash warning).
async fn update(coordinator: &Visitor, id: i64, fields: &[(String, String)]) -> reqwest::Response {
    let mut fields = pairs(fields);
    fields.push(("confirm_clash", "1"));
    coordinator
        .post_form(&format!("/reunions/{id}"), &fields)
        .await
}

async fn invite(coordinator: &Visitor, id: i64, emails: &str) -> reqwest::Response {
    coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", emails)],
        )
        .await
}

/// The messages that arrived for `to` whose calendar has `method`, in arrival order.
pub(crate) fn messages_to(smtp: &SmtpServer, to: &str, method: &str) -> Vec<Value> {
    smtp.messages()
        .into_iter()
        .filter(|m| m["to"].as_str().unwrap_or_default().contains(to))
        .filter(|m| m["calendar"]["method"] == method)
        .collect()
}

/// A calendar read back by tests/tools/ics_check.py, or None when Python's readers are missing
/// (skipped, except under CI where MAILLAGE_REQUIRE_PYTHON=1 makes it fail).
pub(crate) fn read_ics(ics: &str) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.ics");
    std::fs::write(&path, ics).unwrap();
    let output = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/ics_check.py"
        ))
        .args([path.to_str().unwrap(), "2027-01-01", "2027-12-31"])
        .output();
    // No python3 at all, or no icalendar in it: skipped, and said so.
    let missing = match &output {
        Err(e) => Some(format!("python3 introuvable : {e}")),
        Ok(o) if o.status.code() == Some(3) => Some(String::from_utf8_lossy(&o.stderr).into()),
        Ok(_) => None,
    };
    if let Some(why) = missing {
        assert!(
            !std::env::var("MAILLAGE_REQUIRE_PYTHON").is_ok_and(|v| v == "1"),
            "the iCalendar check needs Python's icalendar and recurring_ical_events: {why}"
        );
        skipped(
            &format!("les lecteurs iCalendar de Python ({})", why.trim()),
            "pip install icalendar recurring_ical_events",
        );
        return None;
    }
    let output = output.unwrap();
    assert!(
        output.status.success(),
        "ics_check.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

// ---------------------------------------------------------------- 15. video links

#[tokio::test]
async fn a_video_link_with_a_line_break_a_quote_or_plain_http_is_refused_next_to_the_field() {
    let (app, coordinator, platform) = world(None, |_| {}).await;
    for (typed, message) in [
        (
            "https://visio.example/salle\r\nBcc: tous@evil.example",
            "ni retour à la ligne",
        ),
        ("https://visio.example/\"><b>x</b>", "ni guillemet"),
        ("https://visio.example/salle 2", "ni espace"),
        ("http://visio.example/salle", "doit commencer par https://"),
        (
            "https://visio.example@evil.example/",
            "ne peut pas contenir d'identifiant",
        ),
    ] {
        let fields = plenary(platform, &[("video_url", typed)]);
        let mut fields = pairs(&fields);
        fields.push(("confirm_clash", "1"));
        let r = coordinator.post_form("/reunions", &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        let page = r.text().await.unwrap().replace("&#39;", "'");
        let error = page
            .split(r#"id="video_url-erreur""#)
            .nth(1)
            .unwrap_or_else(|| panic!("no error next to the video field for {typed:?}"));
        assert!(
            error.split("</p>").next().unwrap().contains(message),
            "{typed:?}: {error}"
        );
        // What was typed comes back in the field (escaped), so it can be corrected.
        let kept = typed
            .split(['\r', '\n'])
            .next()
            .unwrap()
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(page.contains(&kept), "{typed:?} not kept in the form");
    }
    assert_eq!(meeting::Entity::find().count(&app.db).await.unwrap(), 0);

    let fields = plenary(
        platform,
        &[("video_url", "https://meet.jit.si/CRI-Namur?salle=2")],
    );
    let id = schedule_meeting(&coordinator, &pairs(&fields)).await;
    let saved = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.video_url, "https://meet.jit.si/CRI-Namur?salle=2");
}

// ---------------------------------------------------------------- 16. CSV exports

#[tokio::test]
async fn the_registration_csv_quotes_every_field_and_guards_every_formula() {
    let (app, coordinator, platform) = world(None, |_| {}).await;
    let fields = plenary(
        platform,
        &[
            ("registration_open", "on"),
            ("capacity", "10"),
            ("meal_options", "=Végétarien, Pas de repas"),
        ],
    );
    let id = schedule_meeting(&coordinator, &pairs(&fields)).await;
    let hostile = app
        .create_person("@Mallory; \"le\" =testeur", "mallory@x.example", false)
        .await;
    let plain = app
        .create_person("Amina Benali", "amina@x.example", false)
        .await;
    for (person, meal, note) in [
        (hostile, "=Végétarien", "x,=1+1"),
        (plain, "Pas de repas", "-2+3\r\n=cmd|' /C calc'!A0"),
    ] {
        let r = coordinator
            .post_form(
                &format!("/reunions/{id}/inscriptions"),
                &[
                    ("person_id", &person.to_string()),
                    ("meal", meal),
                    ("note", note),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{note}");
    }
    let r = coordinator
        .get(&format!("/reunions/{id}/inscriptions.csv"))
        .await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = r.bytes().await.unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("BOM");
    // Every field is quoted, empty ones too, and quotes inside are doubled.
    let text = std::str::from_utf8(body).unwrap();
    assert!(
        text.starts_with("\"Nom\";\"Organisation\";\"E-mail\";"),
        "{text}"
    );
    assert!(
        text.contains("\"'@Mallory; \"\"le\"\" =testeur\";\"\";\"mallory@x.example\";"),
        "{text}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(
        records[0],
        [
            "Nom",
            "Organisation",
            "E-mail",
            "Inscription",
            "Place en attente",
            "Repas",
            "Ateliers",
            "Présence",
            "Remarque"
        ]
    );
    let row = |name: &str| {
        records
            .iter()
            .find(|r| r[2] == name)
            .unwrap_or_else(|| panic!("{name} in {records:?}"))
            .clone()
    };
    let mallory = row("mallory@x.example");
    assert_eq!(mallory[0], "'@Mallory; \"le\" =testeur");
    assert_eq!(mallory[5], "'=Végétarien");
    assert_eq!(
        mallory[8], "x,=1+1",
        "a comma inside a field stays inside it"
    );
    let amina = row("amina@x.example");
    assert_eq!(amina[0], "Amina Benali");
    assert_eq!(amina[8], "'-2+3\r\n=cmd|' /C calc'!A0");
    // Quoting, checked on the raw text: the note with a comma is quoted, not split.
    assert!(text.contains(";\"x,=1+1\"\r\n"), "{text}");
}

// ---------------------------------------------------------------- 17. invitation caps

/// (invitations, outbox messages) written so far.
async fn written(app: &TestApp) -> (u64, u64) {
    (
        invitation::Entity::find().count(&app.db).await.unwrap(),
        outbox_message::Entity::find().count(&app.db).await.unwrap(),
    )
}

#[tokio::test]
async fn invitations_are_capped_per_request_and_per_day_and_a_refusal_writes_nothing() {
    let (app, coordinator, platform) = world(None, |c| {
        c.invitations_per_request = 3;
        c.invitations_per_day = 5;
    })
    .await;
    let first = schedule_meeting(&coordinator, &pairs(&plenary(platform, &[]))).await;
    let second = schedule_meeting(
        &coordinator,
        &pairs(&plenary(platform, &[("title", "Deuxième plénière")])),
    )
    .await;

    // Four addresses in one request: over the cap of 3, nobody invited.
    let r = invite(
        &coordinator,
        first,
        "a@x.example\nb@x.example\nc@x.example\nd@x.example",
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap().replace("&#39;", "'");
    assert!(
        page.contains("Trop d'adresses en une fois : 4 pour au plus 3 par envoi"),
        "{page}"
    );
    assert!(page.contains("personne n'a été invité"));
    assert_eq!(written(&app).await, (0, 0));

    // The same address twice counts once.
    let r = invite(
        &coordinator,
        first,
        "a@x.example, A@x.example\nb@x.example\nc@x.example",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(written(&app).await, (3, 3));

    // Three more the same day: 3 + 3 > 5, refused whole, nothing written.
    let r = invite(
        &coordinator,
        second,
        "d@x.example\ne@x.example\nf@x.example",
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(
            "au plus 5 invitations par personne en 24 heures (3 déjà envoyée(s), 3 demandée(s))"
        ),
        "{page}"
    );
    assert_eq!(written(&app).await, (3, 3));

    // Two fit; addresses already invited to that meeting do not count again.
    let r = invite(&coordinator, second, "d@x.example\ne@x.example").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = invite(&coordinator, first, "a@x.example").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(written(&app).await, (5, 5));
    let r = invite(&coordinator, second, "g@x.example").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(written(&app).await, (5, 5));

    // The cap is per person: another coordinator of the platform still may invite.
    let (other_id, other) = app
        .signed_in("Bruno Collard", "bruno@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, other_id, "coordinator").await;
    let r = invite(&other, second, "g@x.example").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(written(&app).await, (6, 6));
}

// ---------------------------------------------------------------- 18. REQUEST never CANCELLED

#[tokio::test]
async fn updates_and_late_invitations_of_a_series_write_a_cancelled_session_as_exdate_while_feeds_keep_it()
 {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |_| {}).await;
    let series_fields = plenary(
        platform,
        &[
            ("kind", "findings"),
            ("title", "Constats du mois"),
            ("date", "2027-01-12"),
            ("start_time", "09:30"),
            ("end_time", "12:00"),
            ("repeat", "monthly_nth"),
            ("ord_2", "on"),
            ("weekday", "TU"),
        ],
    );
    let series = schedule_meeting(&coordinator, &pairs(&series_fields)).await;
    invite(&coordinator, series, "province@namur.example").await;
    assert_eq!(smtp.wait_for(1).await, 1);
    for (original, action) in [
        ("2027-03-09T09:30:00", "cancel"),
        ("2027-04-13T09:30:00", "skip"),
    ] {
        let r = coordinator
            .post_form(
                &format!("/reunions/{series}/occurrences"),
                &[("original", original), ("action", action)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(smtp.wait_for(3).await, 3, "two CANCELs");
    // A significant update of the series (new place), and a late invitation.
    let mut moved = series_fields.clone();
    moved.retain(|(k, _)| k != "place_name");
    moved.push(("place_name".into(), "Maison de la culture".into()));
    let r = update(&coordinator, series, &moved).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    invite(&coordinator, series, "ville@ciney.example").await;
    assert_eq!(smtp.wait_for(5).await, 5);

    let update = messages_to(&smtp, "province@namur.example", "REQUEST")
        .into_iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("Modifié"))
        .expect("the update");
    let late = messages_to(&smtp, "ville@ciney.example", "REQUEST")
        .pop()
        .expect("the late invitation");
    for request in [&update, &late] {
        let events = request["calendar"]["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "only the series: {events:?}");
        let e = &events[0];
        assert_eq!(e["status"], "CONFIRMED", "no STATUS:CANCELLED in a REQUEST");
        assert_eq!(e["recurrence_id"], Value::Null);
        assert!(e["rrule"].as_str().unwrap().contains("FREQ=MONTHLY"));
        let exdates: Vec<&str> = e["exdates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["local"].as_str().unwrap())
            .collect();
        assert!(exdates.contains(&"2027-03-09T09:30:00"), "{exdates:?}");
        assert!(exdates.contains(&"2027-04-13T09:30:00"), "{exdates:?}");
        assert!(
            e["exdates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["tzid"] == "Europe/Brussels")
        );
    }
    // The occurrence's own CANCEL still says CANCELLED, and the feed (PUBLISH) keeps the copy.
    let cancel = messages_to(&smtp, "province@namur.example", "CANCEL");
    assert_eq!(cancel[0]["calendar"]["events"][0]["status"], "CANCELLED");
    let feed = app.anonymous.get("/agenda/plateformes/fle.ics").await;
    let Some(feed) = read_ics(&feed.text().await.unwrap()) else {
        return;
    };
    let copy = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["recurrence_id"]["local"] == "2027-03-09T09:30:00")
        .expect("the cancelled copy in the feed");
    assert_eq!(copy["status"], "CANCELLED");
}

// ---------------------------------------------------------------- 19. ORGANIZER in PUBLISH

#[tokio::test]
async fn every_published_vevent_names_the_configured_organizer_and_no_attendee() {
    let (app, coordinator, platform) = world(None, |_| {}).await;
    let one = schedule_meeting(&coordinator, &pairs(&plenary(platform, &[]))).await;
    let series = schedule_meeting(
        &coordinator,
        &pairs(&plenary(
            platform,
            &[
                ("title", "Constats du mois"),
                ("date", "2027-01-12"),
                ("repeat", "monthly_nth"),
                ("ord_2", "on"),
                ("weekday", "TU"),
            ],
        )),
    )
    .await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{series}/occurrences"),
            &[("original", "2027-03-09T09:00:00"), ("action", "cancel")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    invite(&coordinator, one, "province@namur.example").await;
    // (calendar, VEVENTs expected: the one-off, the series and its cancelled copy)
    let feeds = [
        (app.anonymous.get("/agenda/plateformes/fle.ics").await, 3),
        (app.anonymous.get("/agenda/reseau.ics").await, 3),
        // Twice: the second answer is assembled from the kept fragments.
        (app.anonymous.get("/agenda/plateformes/fle.ics").await, 3),
        (
            coordinator
                .get(&format!("/reunions/{one}/evenement.ics"))
                .await,
            1,
        ),
        (
            coordinator
                .get(&format!("/reunions/{series}/evenement.ics"))
                .await,
            2,
        ),
    ];
    for (response, expected) in feeds {
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(text.contains("METHOD:PUBLISH\r\n"));
        assert!(!text.contains("ATTENDEE"), "{text}");
        let Some(calendar) = read_ics(&text) else {
            return;
        };
        let events = calendar["events"].as_array().unwrap();
        assert_eq!(events.len(), expected, "{text}");
        for e in events {
            assert_eq!(e["organizer"], format!("mailto:{ORGANIZER_EMAIL}"), "{e}");
            assert_eq!(e["organizer_cn"], "Coordination du CRI");
            assert_eq!(e["attendees"].as_array().unwrap().len(), 0);
        }
    }
}

// ---------------------------------------------------------------- 20. re-confirmation

pub(crate) fn answer_link(message: &Value, answer: &str) -> String {
    let text = message["text"].as_str().unwrap();
    let start = text.find("/invitation/").unwrap();
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == ')')
        .unwrap_or(rest.len());
    let base = rest[..end].rsplit_once('/').unwrap().0;
    format!("{base}/{answer}")
}

async fn answer(app: &TestApp, link: &str) {
    let path = link.split_once("/invitation/").unwrap().1;
    let browser = app.visitor();
    let r = browser.post_form(&format!("/invitation/{path}"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn after_a_new_date_or_place_the_update_asks_again_and_the_page_lists_who_has_not_reconfirmed()
 {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |_| {}).await;
    let fields = plenary(platform, &[]);
    let id = schedule_meeting(&coordinator, &pairs(&fields)).await;
    invite(
        &coordinator,
        id,
        "province@namur.example\nville@ciney.example",
    )
    .await;
    assert_eq!(smtp.wait_for(2).await, 2);
    let invitations = messages_to(&smtp, "", "REQUEST");
    for m in &invitations {
        answer(&app, &answer_link(m, "accepte")).await;
    }
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    assert!(!page.contains("pas reconfirmé"), "nobody to re-confirm yet");

    // A new video link only: an update, but the answers stand.
    let with_video = plenary(platform, &[("video_url", "https://visio.example/fle")]);
    let r = update(&coordinator, id, &with_video).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(4).await, 4);
    let updates = |smtp: &SmtpServer, who: &str| {
        messages_to(smtp, who, "REQUEST")
            .into_iter()
            .filter(|m| m["subject"].as_str().unwrap().starts_with("Modifié"))
            .collect::<Vec<_>>()
    };
    let attendee = |m: &Value| m["calendar"]["events"][0]["attendees"][0].clone();
    let first = &updates(&smtp, "province@namur.example")[0];
    assert_eq!(attendee(first)["partstat"], "ACCEPTED");

    // A new date and place: the next update asks again.
    let moved = plenary(
        platform,
        &[
            ("video_url", "https://visio.example/fle"),
            ("date", "2027-06-15"),
            ("place_name", "Maison de la culture"),
        ],
    );
    let r = update(&coordinator, id, &moved).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(6).await, 6);
    for who in ["province@namur.example", "ville@ciney.example"] {
        let latest = updates(&smtp, who).pop().unwrap();
        let a = attendee(&latest);
        assert_eq!(a["partstat"], "NEEDS-ACTION", "{who}: {a}");
        assert_eq!(a["rsvp"], "TRUE");
        assert_eq!(
            latest["calendar"]["events"][0]["dtstart"]["local"],
            "2027-06-15T09:00:00"
        );
    }
    // The earlier answers stay recorded; the page names who has not re-confirmed.
    let rows = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|i| i.answer == invitation::Answer::Accepted)
    );
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    let page = page.replace("&#39;", "'");
    assert!(
        page.contains("2 personne(s) n'ont pas reconfirmé"),
        "{page}"
    );
    assert_eq!(
        page.matches("pas reconfirmé depuis le changement").count(),
        2
    );

    // One re-confirms: only the other is still listed; their next update says ACCEPTED.
    let province = updates(&smtp, "province@namur.example").pop().unwrap();
    answer(&app, &answer_link(&province, "accepte")).await;
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    let page = page.replace("&#39;", "'");
    assert!(
        page.contains("1 personne(s) n'ont pas reconfirmé"),
        "{page}"
    );
    let again = plenary(
        platform,
        &[
            ("video_url", "https://visio.example/fle-2"),
            ("date", "2027-06-15"),
            ("place_name", "Maison de la culture"),
        ],
    );
    update(&coordinator, id, &again).await;
    assert_eq!(smtp.wait_for(8).await, 8);
    let province = updates(&smtp, "province@namur.example").pop().unwrap();
    assert_eq!(attendee(&province)["partstat"], "ACCEPTED");
    let ciney = updates(&smtp, "ville@ciney.example").pop().unwrap();
    assert_eq!(attendee(&ciney)["partstat"], "NEEDS-ACTION");
}

// ---------------------------------------------------------------- 21. never the organizer

#[tokio::test]
async fn the_organizer_and_the_sending_coordinator_are_never_invited_and_the_flash_says_so() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |_| {}).await;
    let id = schedule_meeting(&coordinator, &pairs(&plenary(platform, &[]))).await;
    let r = invite(
        &coordinator,
        id,
        "Coordination <Coordination@cri-namur.example>\ncoralie@CRI-namur.example\nprovince@namur.example",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(1).await, 1);
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    let page = page.replace("&#39;", "'");
    assert!(page.contains("1 invitation(s) envoyée(s)."), "{page}");
    assert!(
        page.contains(
            "Non invité·e(s), car organisateur ou expéditeur de l'invitation : \
             Coordination@cri-namur.example, coralie@cri-namur.example."
        ),
        "{page}"
    );
    let rows = invitation::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].email_normalized, "province@namur.example");
    let outbox = outbox_message::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].recipient, "province@namur.example");
    let message = &smtp.messages()[0];
    assert!(
        message["to"]
            .as_str()
            .unwrap()
            .contains("province@namur.example")
    );

    // Only those two: nothing is sent, and the message says why.
    let r = invite(
        &coordinator,
        id,
        &format!("{ORGANIZER_EMAIL}, {COORDINATOR_EMAIL}"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let text = r.text().await.unwrap();
    assert!(text.contains("Choisissez au moins une personne à inviter."));
    assert!(text.contains("organisateur ou expéditeur"));
    assert_eq!(invitation::Entity::find().count(&app.db).await.unwrap(), 1);
}

// ---------------------------------------------------------------- 22. CANCEL and all-day

#[tokio::test]
async fn a_cancel_asks_for_no_answer_and_an_all_day_subject_names_no_time_zone() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, platform) = world(Some(&smtp), |_| {}).await;
    let id = schedule_meeting(
        &coordinator,
        &pairs(&plenary(
            platform,
            &[("all_day", "on"), ("title", "Journée FLE")],
        )),
    )
    .await;
    let all_day = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(all_day.all_day);
    invite(&coordinator, id, "province@namur.example").await;
    assert_eq!(smtp.wait_for(1).await, 1);
    let request = &messages_to(&smtp, "province@namur.example", "REQUEST")[0];
    let subject = request["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("Invitation : Journée FLE — mardi 8 juin 2027"),
        "{subject}"
    );
    assert!(!subject.contains("heure de Bruxelles"), "{subject}");
    assert!(
        !request["text"]
            .as_str()
            .unwrap()
            .contains("heure de Bruxelles")
    );
    assert_eq!(
        request["calendar"]["events"][0]["dtstart"]["date"],
        "2027-06-08"
    );
    assert_eq!(
        request["calendar"]["events"][0]["attendees"][0]["rsvp"],
        "TRUE"
    );

    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/statut"),
            &[("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(smtp.wait_for(2).await, 2);
    let cancel = &messages_to(&smtp, "province@namur.example", "CANCEL")[0];
    assert!(
        !cancel["subject"]
            .as_str()
            .unwrap()
            .contains("heure de Bruxelles")
    );
    for e in cancel["calendar"]["events"].as_array().unwrap() {
        assert_eq!(e["status"], "CANCELLED");
        let a = &e["attendees"][0];
        assert_eq!(a["address"], "mailto:province@namur.example");
        assert_ne!(a["rsvp"], "TRUE", "a CANCEL asks for no answer: {a}");
    }

    // A timed meeting still says its hours are Brussels time.
    let timed = schedule_meeting(
        &coordinator,
        &pairs(&plenary(platform, &[("title", "Plénière à l'heure")])),
    )
    .await;
    invite(&coordinator, timed, "ville@ciney.example").await;
    assert_eq!(smtp.wait_for(3).await, 3);
    let timed_mail = &messages_to(&smtp, "ville@ciney.example", "REQUEST")[0];
    assert!(
        timed_mail["text"]
            .as_str()
            .unwrap()
            .contains("09:00–16:00 (heure de Bruxelles)")
    );
}

#[tokio::test]
async fn a_refused_invitation_form_comes_back_with_what_was_chosen_and_typed() {
    let (app, coordinator, platform) = world(None, |c| c.invitations_per_request = 3).await;
    let amina = app
        .create_person("Amina Benali", "amina@cpas-namur.example", false)
        .await;
    app.add_to_platform(platform, amina, "member").await;
    let id = schedule_meeting(&coordinator, &pairs(&plenary(platform, &[]))).await;
    let amina_value = amina.to_string();

    // An address that cannot be read: 400, nothing written, the form as it was sent.
    let typed = "Marie Dupont <marie@commune.example>\npas-une-adresse";
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[
                ("members", "on"),
                ("person_id", &amina_value),
                ("emails", typed),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap();
    assert!(page.contains("« pas-une-adresse »"), "{page}");
    assert!(
        page.contains(
            "<textarea id=\"invite-emails\" name=\"emails\" rows=\"3\">Marie Dupont &lt;marie@commune.example&gt;\npas-une-adresse</textarea>"
        ),
        "{page}"
    );
    assert!(
        page.contains(&format!("<option value=\"{amina}\" selected>")),
        "{page}"
    );
    assert!(
        page.contains("name=\"members\" type=\"checkbox\" value=\"on\" checked>"),
        "{page}"
    );
    assert_eq!(written(&app).await, (0, 0));

    // Over the per-request cap: the same, and what was typed is not lost either.
    let many = "a@x.example\nb@x.example\nc@x.example\nd@x.example";
    let r = invite(&coordinator, id, many).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap();
    assert!(page.contains("a@x.example\nb@x.example\nc@x.example\nd@x.example</textarea>"));
    assert!(!page.contains(&format!("<option value=\"{amina}\" selected>")));
    assert_eq!(written(&app).await, (0, 0));

    // The meeting page itself shows an empty form.
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("<textarea id=\"invite-emails\" name=\"emails\" rows=\"3\"></textarea>"));
}
