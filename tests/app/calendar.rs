//! Calendar feeds read back by independent parsers (Python's icalendar and
//! recurring_ical_events, through tests/tools/ics_check.py), field by field, plus HTTP caching
//! and the privacy of personal feeds.

use std::process::Command;

use maillage::entities::local_time::LocalDateTime;
use maillage::entities::{feed_token, meeting};
use maillage::meetings::schedule;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::{MeetingForm, TestApp, as_pairs, schedule_meeting, skipped};

/// What the independent parsers understood, or None when Python's libraries are missing here
/// (then the test is skipped, except under CI where MAILLAGE_REQUIRE_PYTHON=1 makes it fail).
fn parse(ics: &str, from: &str, to: &str) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, ics).unwrap();
    let output = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/ics_check.py"
        ))
        .args([path.to_str().unwrap(), from, to])
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => return skip(&format!("python3 introuvable : {e}")),
    };
    if output.status.code() == Some(3) {
        return skip(&String::from_utf8_lossy(&output.stderr));
    }
    assert!(
        output.status.success(),
        "ics_check.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

fn skip(why: &str) -> Option<Value> {
    if std::env::var("MAILLAGE_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
        panic!("the iCalendar check needs Python's icalendar and recurring_ical_events: {why}");
    }
    skipped(
        &format!("les lecteurs iCalendar de Python ({})", why.trim()),
        "pip install icalendar recurring_ical_events",
    );
    None
}

const LONG_TEXT: &str = "Ordre du jour : constats de terrain; interpellations, suivi.\nDeuxième ligne — « accueil », café ☕ et échanges à Éghezée, Gembloux; Sombreffe, avec une barre oblique inverse \\ au milieu et un texte assez long pour être replié plusieurs fois sur des lignes de 75 octets.";

#[tokio::test]
async fn a_platform_feed_reads_back_field_by_field_with_recurrences_through_both_clock_changes() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let summer = MeetingForm::new("Plénière; bilan, perspectives")
        .platform(platform)
        .set("description", LONG_TEXT)
        .on("2027-06-08")
        .from("09:00")
        .to("16:00")
        .place("Centre culturel de la Marlagne")
        .set("place_address", "Chemin des Marronniers 26, 5100 Wépion")
        .set("video_url", "https://visio.example/ppli")
        .set(
            "agenda",
            "09:00 | Accueil et café\n09:30 | Introduction | La direction",
        )
        .schedule(&coordinator)
        .await;
    let winter = MeetingForm::new("Constats de janvier")
        .platform(platform)
        .kind("findings")
        .on("2027-01-12")
        .from("14:00")
        .to("16:00")
        .schedule(&coordinator)
        .await;
    let hidden = MeetingForm::new("Réunion interne secrète")
        .platform(platform)
        .kind("findings")
        .on("2027-01-19")
        .from("14:00")
        .to("16:00")
        .members_only()
        .schedule(&coordinator)
        .await;
    let series = MeetingForm::new("Constats du mois")
        .platform(platform)
        .kind("findings")
        .on("2027-01-12")
        .from("09:30")
        .to("12:00")
        .set("repeat", "monthly_nth")
        .set("ord_2", "on")
        .set("weekday", "TU")
        .schedule(&coordinator)
        .await;
    // Skip February, cancel March (across the switch), move April to a Wednesday afternoon.
    for (original, action, extra) in [
        ("2027-02-09T09:30:00", "skip", vec![]),
        ("2027-03-09T09:30:00", "cancel", vec![]),
        (
            "2027-04-13T09:30:00",
            "move",
            vec![
                ("new_date", "2027-04-14"),
                ("new_start", "14:00"),
                ("new_end", "16:30"),
            ],
        ),
    ] {
        let mut fields = vec![("original", original), ("action", action)];
        fields.extend(extra);
        assert_eq!(
            coordinator
                .post_form(&format!("/reunions/{series}/occurrences"), &fields)
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
    let cancelled = MeetingForm::new("Réunion annulée")
        .platform(platform)
        .kind("working_group")
        .on("2027-02-02")
        .from("10:00")
        .to("11:00")
        .schedule(&coordinator)
        .await;
    coordinator
        .post_form(
            &format!("/reunions/{cancelled}/statut"),
            &[("status", "cancelled")],
        )
        .await;

    let response = app
        .anonymous
        .get("/agenda/plateformes/sociojuridique.ics")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    assert!(
        response.headers()["etag"]
            .to_str()
            .unwrap()
            .starts_with('"'),
        "a strong ETag"
    );
    assert!(response.headers().contains_key("last-modified"));
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("Réunion interne secrète"),
        "members-only meetings never reach public feeds"
    );
    assert!(!body.contains("ATTENDEE"));
    let Some(report) = parse(&body, "2027-01-01", "2028-01-01") else {
        return;
    };

    assert_eq!(report["bare_lf"], false);
    assert!(
        report["max_line_octets"].as_u64().unwrap() <= 75,
        "lines folded at 75 octets"
    );
    assert_eq!(
        report["lines_valid_utf8"], true,
        "folding never splits a character"
    );
    let head: Vec<&str> = report["head"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for property in [
        "PRODID",
        "VERSION",
        "CALSCALE",
        "METHOD",
        "NAME",
        "X-WR-CALNAME",
        "X-WR-TIMEZONE",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
    ] {
        assert!(
            head.contains(&property),
            "{property} before the first component: {head:?}"
        );
    }
    assert_eq!(report["calendar"]["method"], "PUBLISH");
    assert_eq!(report["calendar"]["x-wr-timezone"], "Europe/Brussels");
    assert_eq!(report["timezones"], serde_json::json!(["Europe/Brussels"]));

    let events = report["events"].as_array().unwrap();
    let event = |uid: String| {
        events
            .iter()
            .find(|e| e["uid"] == uid.as_str() && e["recurrence_id"].is_null())
            .unwrap_or_else(|| panic!("{uid}"))
            .clone()
    };
    let uid = |id: i64| format!("meeting-{id}@127.0.0.1");
    let s = event(uid(summer));
    assert_eq!(
        s["summary"], "Plénière; bilan, perspectives",
        "TEXT escaping round-trips"
    );
    assert!(
        s["description"].as_str().unwrap().starts_with(LONG_TEXT),
        "long French text with accents, commas and semicolons"
    );
    assert!(
        s["description"]
            .as_str()
            .unwrap()
            .contains("09:30 Introduction (La direction)"),
        "the agenda in the description"
    );
    assert!(
        s["description"]
            .as_str()
            .unwrap()
            .contains("Visioconférence : https://visio.example/ppli")
    );
    assert_eq!(
        s["location"],
        "Centre culturel de la Marlagne, Chemin des Marronniers 26, 5100 Wépion"
    );
    assert_eq!(s["url"], format!("{}/reunions/{summer}", app.address));
    assert_eq!(s["conference"], "https://visio.example/ppli");
    assert_eq!(s["dtstart"]["tzid"], "Europe/Brussels");
    assert_eq!(s["dtstart"]["local"], "2027-06-08T09:00:00");
    assert_eq!(s["dtstart"]["utc"], "2027-06-08T07:00:00Z", "CEST");
    assert_eq!(s["dtend"]["local"], "2027-06-08T16:00:00");
    assert_eq!(s["status"], "CONFIRMED");
    assert_eq!(s["sequence"], 0);
    let categories: Vec<&str> = s["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(categories, ["Sociojuridique", "Plénière"]);
    assert!(s["dtstamp"]["utc"].is_string() && s["last_modified"]["utc"].is_string());
    let w = event(uid(winter));
    assert_eq!(w["dtstart"]["utc"], "2027-01-12T13:00:00Z", "CET");
    let c = event(uid(cancelled));
    assert_eq!(
        c["status"], "CANCELLED",
        "cancelled meetings stay in the feed so clients remove them"
    );
    assert_eq!(c["sequence"], 1);

    let master = event(uid(series));
    assert_eq!(master["rrule"], "FREQ=MONTHLY;BYDAY=2TU");
    assert_eq!(master["exdates"][0]["local"], "2027-02-09T09:30:00");
    let occurrences: Vec<&Value> = report["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["uid"] == uid(series).as_str())
        .collect();
    let active: Vec<(String, String)> = occurrences
        .iter()
        .filter(|o| o["status"] != "CANCELLED")
        .map(|o| {
            (
                o["start"]["local"].as_str().unwrap().to_string(),
                o["start"]["utc"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        active[0],
        (
            "2027-01-12T09:30:00".to_string(),
            "2027-01-12T08:30:00Z".to_string()
        )
    );
    assert!(
        !active.iter().any(|(l, _)| l.starts_with("2027-02-09")),
        "a skipped date is gone"
    );
    assert!(
        !active.iter().any(|(l, _)| l.starts_with("2027-03-09")),
        "a cancelled occurrence is absent"
    );
    assert!(
        occurrences
            .iter()
            .any(|o| o["status"] == "CANCELLED" && o["start"]["local"] == "2027-03-09T09:30:00"),
        "and marked cancelled for clients that keep it"
    );
    assert!(
        active.contains(&(
            "2027-04-14T14:00:00".to_string(),
            "2027-04-14T12:00:00Z".to_string()
        )),
        "the moved one at its new time"
    );
    assert!(
        active.contains(&(
            "2027-05-11T09:30:00".to_string(),
            "2027-05-11T07:30:00Z".to_string()
        )),
        "09:30 stays 09:30 after the March switch"
    );
    assert!(
        active.contains(&(
            "2027-11-09T09:30:00".to_string(),
            "2027-11-09T08:30:00Z".to_string()
        )),
        "and after the October switch"
    );
    assert_eq!(
        active.len(),
        10,
        "12 months minus the skipped and the cancelled"
    );
    let _ = hidden;
}

#[tokio::test]
async fn the_eight_offices_schedules_expand_in_an_independent_reader_exactly_as_in_maillage() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let offices: Vec<maillage::entities::reception_office::Model> =
        maillage::entities::reception_office::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
    let schedules = [
        (
            "andenne",
            "2027-01-08",
            "13:00",
            "16:00",
            "FREQ=MONTHLY;BYDAY=2FR,4FR",
        ),
        (
            "beauraing",
            "2027-01-21",
            "09:00",
            "12:00",
            "FREQ=MONTHLY;BYDAY=3TH",
        ),
        (
            "ciney",
            "2027-01-07",
            "09:00",
            "12:00",
            "FREQ=MONTHLY;BYDAY=1TH,3TH",
        ),
        (
            "dinant",
            "2027-01-14",
            "13:00",
            "16:00",
            "FREQ=MONTHLY;BYDAY=2TH,4TH",
        ),
        (
            "gembloux",
            "2027-01-14",
            "09:00",
            "12:00",
            "FREQ=MONTHLY;BYDAY=2TH,4TH",
        ),
        (
            "philippeville",
            "2027-01-05",
            "09:00",
            "12:00",
            "FREQ=MONTHLY;BYDAY=1TU,3TU",
        ),
        (
            "sambreville",
            "2027-01-04",
            "09:00",
            "12:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ),
        (
            "namur",
            "2027-01-04",
            "09:00",
            "12:00",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
    ];
    let mut ids = Vec::new();
    for (slug, date, start, end, rule) in schedules {
        let office = offices
            .iter()
            .find(|o| o.slug == slug)
            .unwrap()
            .id
            .to_string();
        let id = MeetingForm::new(&format!("Permanence de {slug}"))
            .kind("office_hours")
            .on(date)
            .from(start)
            .to(end)
            .set("office_id", &office)
            .set("repeat", "custom")
            .set("rrule", rule)
            .schedule(&admin)
            .await;
        ids.push((slug, id));
    }
    let body = app
        .anonymous
        .get("/agenda/reseau.ics")
        .await
        .text()
        .await
        .unwrap();
    let Some(report) = parse(&body, "2027-01-01", "2028-01-01") else {
        return;
    };
    let from = LocalDateTime::parse("2027-01-01T00:00:00").unwrap().naive();
    let to = LocalDateTime::parse("2028-01-01T00:00:00").unwrap().naive();
    for (slug, id) in ids {
        let m = meeting::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let ours: Vec<String> = schedule::occurrences(&m, &[], from, to)
            .unwrap()
            .iter()
            .map(|o| {
                format!(
                    "{} {}",
                    o.start.format("%Y-%m-%dT%H:%M:%S"),
                    o.start_utc.format("%Y-%m-%dT%H:%M:%SZ")
                )
            })
            .collect();
        let theirs: Vec<String> = report["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["uid"] == format!("meeting-{id}@127.0.0.1").as_str())
            .map(|o| {
                format!(
                    "{} {}",
                    o["start"]["local"].as_str().unwrap(),
                    o["start"]["utc"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(ours, theirs, "{slug}: a year of dates, one by one");
        assert!(ours.len() >= 12, "{slug}");
    }
    // Spot checks against the calendar: Andenne's 2nd and 4th Fridays of March 2027.
    let andenne: Vec<&str> = report["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["summary"] == "Permanence de andenne")
        .filter_map(|o| o["start"]["local"].as_str())
        .filter(|d| d.starts_with("2027-03"))
        .collect();
    assert_eq!(andenne, ["2027-03-12T13:00:00", "2027-03-26T13:00:00"]);
    // Each office's own feed carries its schedule.
    let (status, gembloux) = app.anonymous.get_html("/agenda/bureaux/gembloux.ics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        gembloux.contains("Permanence de gembloux") && !gembloux.contains("Permanence de dinant")
    );
    assert_eq!(
        app.anonymous
            .get("/agenda/bureaux/atlantide.ics")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn feeds_answer_304_until_something_changes_and_head_works() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = MeetingForm::new("Rencontre")
        .platform(platform)
        .on("2027-05-11")
        .from("09:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let url = app.anonymous.url("/agenda/plateformes/citoyennete.ics");
    let first = app.anonymous.client.get(&url).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let modified = first.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        first.text().await.unwrap().matches("BEGIN:VEVENT").count(),
        1
    );

    let again = app
        .anonymous
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.text().await.unwrap().is_empty());
    let since = app
        .anonymous
        .client
        .get(&url)
        .header("If-Modified-Since", &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
    let head = app.anonymous.client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["etag"].to_str().unwrap(), etag);

    // The coordinator moves the meeting: the next refresh gets it, with a higher SEQUENCE.
    let r = admin
        .post_form(
            &format!("/reunions/{id}"),
            &MeetingForm::new("Rencontre")
                .platform(platform)
                .on("2027-05-18")
                .from("09:00")
                .to("12:00")
                .status("scheduled")
                .pairs(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let changed = app
        .anonymous
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    let body = changed.text().await.unwrap();
    assert!(body.contains("DTSTART;TZID=Europe/Brussels:20270518T090000"));
    assert!(body.contains("SEQUENCE:1"));
    let gz = app
        .anonymous
        .client
        .get(&url)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        gz.headers()["content-encoding"],
        "gzip",
        "feeds are compressed"
    );
    // Renaming the platform changes the feed too (its NAME and CATEGORIES), cache or not.
    let r = admin
        .post_form(
            "/plateformes/citoyennete",
            &[
                ("name", "Citoyenneté (FIC)"),
                ("slug", "citoyennete"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let renamed = app
        .anonymous
        .get_html("/agenda/plateformes/citoyennete.ics")
        .await
        .1;
    assert!(
        renamed.contains("Citoyenneté (FIC)"),
        "the cached feed was replaced"
    );
}

#[tokio::test]
async fn an_empty_feed_is_a_valid_calendar() {
    let app = TestApp::spawn().await;
    app.create_platform("Migrants en transit", "migrants-en-transit", true)
        .await;
    let (status, body) = app
        .anonymous
        .get_html("/agenda/plateformes/migrants-en-transit.ics")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n") && body.ends_with("END:VCALENDAR\r\n"));
    let Some(report) = parse(&body, "2026-01-01", "2028-01-01") else {
        return;
    };
    assert_eq!(report["events"].as_array().unwrap().len(), 0);
    assert_eq!(report["calendar"]["version"], "2.0");
    // Members-only or unknown platforms have no public feed.
    app.create_platform("Sans-papiers", "sans-papiers", false)
        .await;
    assert_eq!(
        app.anonymous
            .get("/agenda/plateformes/sans-papiers.ics")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.anonymous
            .get("/agenda/plateformes/inconnue.ics")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.anonymous
            .get("/agenda/plateformes/citoyennete")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_personal_feed_is_private_revocable_and_lists_members_only_meetings_as_private() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let (mina, member) = app.signed_in("Mina", "mina@x.example", false).await;
    app.add_to_platform(platform, mina, "member").await;
    let internal = MeetingForm::new("Constats internes")
        .platform(platform)
        .kind("findings")
        .on("2027-02-09")
        .from("09:30")
        .to("12:00")
        .members_only()
        .schedule(&coordinator)
        .await;
    let other = app
        .create_platform("Citoyenneté", "citoyennete", false)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    MeetingForm::new("Pas pour Mina")
        .platform(other)
        .kind("findings")
        .on("2027-02-10")
        .from("09:30")
        .to("12:00")
        .members_only()
        .schedule(&admin)
        .await;

    let (_, page) = member.get_html("/profil/agenda").await;
    assert!(
        page.contains("Créer mon lien d&#39;agenda") || page.contains("Créer mon lien d'agenda")
    );
    let created = member.post_form("/profil/agenda/lien", &[]).await;
    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let html = created.text().await.unwrap();
    let start = html.find("/agenda/personnel/").unwrap();
    let end = start + html[start..].find(".ics").unwrap() + 4;
    let path = html[start..end].to_string();
    let token = path
        .trim_start_matches("/agenda/personnel/")
        .trim_end_matches(".ics")
        .to_string();
    assert!(token.len() >= 43, "at least 256 random bits");
    assert!(html.contains(&format!(
        "{}{path}",
        app.address.replace("http://", "webcal://")
    )));
    let stored = feed_token::Entity::find()
        .filter(feed_token::Column::PersonId.eq(mina))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.token_hash, token, "only a hash is stored");
    let (_, later) = member.get_html("/profil/agenda").await;
    assert!(!later.contains(&token), "the address is shown once");

    let feed = app.anonymous.get(&path).await;
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("private")
    );
    let body = feed.text().await.unwrap();
    assert!(body.contains("Constats internes"));
    assert!(
        !body.contains("Pas pour Mina"),
        "only what its owner may see"
    );
    assert!(
        !body.contains("ATTENDEE") && !body.contains("mina@x.example"),
        "no attendees, no emails"
    );
    if let Some(report) = parse(&body, "2027-01-01", "2028-01-01") {
        let event = report["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uid"] == format!("meeting-{internal}@127.0.0.1").as_str())
            .unwrap()
            .clone();
        assert_eq!(event["class"], "PRIVATE");
    }
    // The UID is the same in the single-meeting download.
    let single = member
        .get(&format!("/reunions/{internal}/evenement.ics"))
        .await;
    assert!(
        single.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(
        single
            .text()
            .await
            .unwrap()
            .contains(&format!("UID:meeting-{internal}@127.0.0.1"))
    );
    assert_eq!(
        app.anonymous
            .get(&format!("/reunions/{internal}/evenement.ics"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Regenerating kills the old address; revoking kills the new one.
    member.post_form("/profil/agenda/lien", &[]).await;
    assert_eq!(
        app.anonymous.get(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = member.post_form("/profil/agenda/revoquer", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        feed_token::Entity::find()
            .filter(feed_token::Column::PersonId.eq(mina))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.anonymous
            .get("/agenda/personnel/inventé.ics")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The public network feed never shows members-only meetings.
    let (_, network) = app.anonymous.get_html("/agenda/reseau.ics").await;
    assert!(!network.contains("Constats internes"));
}

/// The VEVENT blocks of one meeting (its master and overrides), as sent.
fn vevents_of(feed: &str, meeting: i64) -> Vec<String> {
    let uid = format!("UID:meeting-{meeting}@");
    feed.split("BEGIN:VEVENT")
        .skip(1)
        .filter(|block| block.contains(&uid))
        .map(|block| {
            block
                .split("END:VEVENT")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn feeds_kept_in_memory_follow_every_change_and_rewrite_only_what_changed() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Emploi et formation", "emploi", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let scope = format!("platform:{platform}");
    let series = MeetingForm::new("Constats du mois")
        .platform(platform)
        .kind("findings")
        .on("2027-01-12")
        .from("09:30")
        .to("12:00")
        .set("repeat", "monthly_nth")
        .set("ord_2", "on")
        .set("weekday", "TU")
        .set(
            "agenda",
            "09:30 | Accueil\n10:00 | Tour des constats | Équipe des permanences",
        )
        .schedule(&admin)
        .await;
    let plenary = |date: &'static str, visibility: &'static str, agenda: &'static str| {
        vec![
            ("scope", scope.clone()),
            ("kind", "plenary".to_string()),
            ("title", "Plénière de l'emploi".to_string()),
            ("date", date.to_string()),
            ("start_time", "14:00".to_string()),
            ("end_time", "16:00".to_string()),
            ("visibility", visibility.to_string()),
            ("status", "scheduled".to_string()),
            ("agenda", agenda.to_string()),
        ]
    };
    let fields = plenary("2027-02-03", "public", "");
    let borrowed = as_pairs(&fields);
    let other = schedule_meeting(&admin, &borrowed).await;
    let feed = "/agenda/plateformes/emploi.ics";
    let first = app.anonymous.get_html(feed).await.1;
    assert_eq!(first.matches("BEGIN:VEVENT").count(), 2);
    assert!(first.contains("Tour des constats"));
    let network = app.anonymous.get_html("/agenda/reseau.ics").await.1;
    assert_eq!(
        vevents_of(&network, series),
        vevents_of(&first, series),
        "the same meeting is written the same in every public feed"
    );

    // A new programme for one meeting: the feed shows it; the other meeting is sent as before.
    let fields = plenary(
        "2027-02-03",
        "public",
        "14:00 | Bilan de l'année | Marie Dupont, FOREM",
    );
    let borrowed = as_pairs(&fields);
    let r = admin
        .post_form(&format!("/reunions/{other}"), &borrowed)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let second = app.anonymous.get_html(feed).await.1;
    let rewritten = vevents_of(&second, other).concat().replace("\r\n ", "");
    assert!(rewritten.contains("14:00 Bilan de l'année (Marie Dupont\\, FOREM)"));
    assert_eq!(vevents_of(&second, series), vevents_of(&first, series));

    // One occurrence cancelled: the series is written again, with its override.
    let r = admin
        .post_form(
            &format!("/reunions/{series}/occurrences"),
            &[("original", "2027-03-09T09:30:00"), ("action", "cancel")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let third = app.anonymous.get_html(feed).await.1;
    let blocks = vevents_of(&third, series);
    assert_eq!(blocks.len(), 2, "the master and the cancelled occurrence");
    assert!(blocks[1].contains("RECURRENCE-ID;TZID=Europe/Brussels:20270309T093000"));
    assert!(blocks[1].contains("STATUS:CANCELLED"));
    assert!(blocks[0].contains("SEQUENCE:1"));

    // A meeting scheduled earlier than the others comes first; the plenary moved to another
    // platform leaves this feed and joins that one's (both feeds were kept in memory).
    let health = app.create_platform("Santé", "sante", true).await;
    let health_feed = "/agenda/plateformes/sante.ics";
    assert_eq!(
        app.anonymous
            .get_html(health_feed)
            .await
            .1
            .matches("BEGIN:VEVENT")
            .count(),
        0
    );
    let newcomer = MeetingForm::new("Séance d'information sur les titres-services")
        .platform(platform)
        .kind("information")
        .on("2027-01-05")
        .from("10:00")
        .to("11:30")
        .schedule(&admin)
        .await;
    let mut fields = plenary("2027-02-03", "public", "");
    fields[0].1 = format!("platform:{health}");
    let borrowed = as_pairs(&fields);
    let r = admin
        .post_form(&format!("/reunions/{other}"), &borrowed)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fourth = app.anonymous.get_html(feed).await.1;
    let uids: Vec<&str> = fourth
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .collect();
    let host = uids[0].split('@').nth(1).unwrap_or_default().to_string();
    assert_eq!(
        uids,
        vec![
            format!("meeting-{newcomer}@{host}"),
            format!("meeting-{series}@{host}"),
            format!("meeting-{series}@{host}"),
        ],
        "in order of start, the plenary gone"
    );
    let moved = app.anonymous.get_html(health_feed).await.1;
    assert_eq!(vevents_of(&moved, other).len(), 1);
    assert!(moved.contains("CATEGORIES:Santé,"));

    // The newcomer becomes members-only: gone from every public feed at the next request.
    let r = admin
        .post_form(
            &format!("/reunions/{newcomer}"),
            &MeetingForm::new("Séance d'information sur les titres-services")
                .platform(platform)
                .kind("information")
                .on("2027-01-05")
                .from("10:00")
                .to("11:30")
                .members_only()
                .status("scheduled")
                .pairs(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for address in [feed, "/agenda/reseau.ics"] {
        let body = app.anonymous.get_html(address).await.1;
        assert!(
            vevents_of(&body, newcomer).is_empty(),
            "{address} still lists it"
        );
        assert_eq!(vevents_of(&body, series).len(), 2);
    }

    // The platform becomes members-only: its feed, kept in memory, is no longer served.
    let r = admin
        .post_form(
            "/plateformes/emploi",
            &[
                ("name", "Emploi et formation"),
                ("slug", "emploi"),
                ("visibility", "members"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.anonymous.get(feed).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn feeds_are_sent_gzip_under_their_own_etag_and_every_instance_agrees() {
    use std::io::Read as _;

    let mut app = TestApp::spawn().await;
    let platform = app.create_platform("Logement", "logement", true).await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let scope = format!("platform:{platform}");
    let fields = |title: &'static str| {
        vec![
            ("scope", scope.clone()),
            ("kind", "plenary".to_string()),
            ("title", title.to_string()),
            ("date", "2027-05-11".to_string()),
            ("start_time", "09:00".to_string()),
            ("end_time", "12:00".to_string()),
            ("visibility", "public".to_string()),
            ("status", "scheduled".to_string()),
            (
                "description",
                "Table ronde « Logement et primo-arrivants » ; ouverte aux CPAS, aux communes, aux associations. ".repeat(10),
            ),
        ]
    };
    let created = fields("Table ronde logement");
    let pairs = as_pairs(&created);
    let id = schedule_meeting(&admin, &pairs).await;
    let path = "/agenda/plateformes/logement.ics";
    let url = app.anonymous.url(path);
    let client = &app.anonymous.client;

    let plain = client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let etag = plain.headers()["etag"].to_str().unwrap().to_string();
    let text = plain.text().await.unwrap();
    assert!(text.contains("Table ronde logement"));

    let gz = client
        .get(&url)
        .header("Accept-Encoding", "br;q=1.0, gzip;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.status(), StatusCode::OK);
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["content-type"], "text/calendar; charset=utf-8");
    assert!(
        gz.headers()["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    let gz_etag = gz.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(gz_etag, format!("{}-gz\"", etag.trim_end_matches('"')));
    let compressed = gz.bytes().await.unwrap();
    assert!(compressed.len() < text.len(), "compressed");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut unzipped)
        .expect("one gzip layer, no more");
    assert_eq!(unzipped, text, "the same calendar, compressed once");

    let again = client
        .get(&url)
        .header("Accept-Encoding", "gzip")
        .header("If-None-Match", &gz_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), gz_etag);
    let refused = client
        .get(&url)
        .header("Accept-Encoding", "gzip;q=0, identity")
        .send()
        .await
        .unwrap();
    assert!(refused.headers().get("content-encoding").is_none());
    assert_eq!(refused.headers()["etag"].to_str().unwrap(), etag);

    // A second instance on the same database: the client's copy is current there too, and a
    // change made through the first is served by the second at once.
    let (second, server) = app.second_instance(|_| {}).await;
    let other_url = format!("{second}{path}");
    let there = client
        .get(&other_url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(there.status(), StatusCode::NOT_MODIFIED);
    let kept = client.get(&other_url).send().await.unwrap();
    assert_eq!(kept.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(kept.text().await.unwrap(), text);
    let changed = fields("Table ronde logement — salle changée");
    let pairs = as_pairs(&changed);
    let r = admin.post_form(&format!("/reunions/{id}"), &pairs).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fresh = client
        .get(&other_url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_ne!(fresh.headers()["etag"].to_str().unwrap(), etag);
    assert!(fresh.text().await.unwrap().contains("salle changée"));
    server.abort();
    app.stop().await;
}

#[tokio::test]
async fn meetings_written_ahead_at_start_give_the_very_same_feeds() {
    use maillage::app::AppState;
    use maillage::calendar::feeds;
    use maillage::config::Config;
    use maillage::entities::platform;

    let app = TestApp::spawn().await;
    let platform_id = app
        .create_platform("Interculturalité", "interculturalite", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let series = MeetingForm::new("Intervision, « regards croisés »")
        .platform(platform_id)
        .kind("peer_session")
        .on("2027-03-02")
        .from("13:30")
        .to("16:00")
        .set("repeat", "weekly")
        .set("day_tu", "on")
        .set(
            "agenda",
            "13:30 | Tour de table\n14:00 | Situation ; échanges | Ahmed, médiateur",
        )
        .schedule(&admin)
        .await;
    admin
        .post_form(
            &format!("/reunions/{series}/occurrences"),
            &[("original", "2027-03-30T13:30:00"), ("action", "cancel")],
        )
        .await;
    for (title, visibility) in [("Bilan interne", "members"), ("Fête des voisins", "public")] {
        MeetingForm::new(title)
            .platform(platform_id)
            .on("2027-06-12")
            .from("10:00")
            .to("12:00")
            .set("visibility", visibility)
            .schedule(&admin)
            .await;
    }

    // A server starting on this database writes them ahead…
    let mut config = Config::for_database(&app.database_url);
    config.base_url = app.address.clone();
    let state = AppState::start(config).await.unwrap();
    assert!(state.fragments.is_empty());
    assert_eq!(feeds::warm(&state).await.unwrap(), 3);
    assert_eq!(state.fragments.len(), 3);
    // …and its first feed reuses them: nothing written again, the same text as from scratch,
    // the same as the running server sends.
    let p = platform::Entity::find_by_id(platform_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let ahead = feeds::platform_feed_text(&state, &p).await.unwrap();
    assert_eq!(state.fragments.len(), 3, "nothing written again");
    assert_eq!(ahead.matches("BEGIN:VEVENT").count(), 3);
    state.fragments.clear();
    let scratch = feeds::platform_feed_text(&state, &p).await.unwrap();
    assert_eq!(ahead, scratch);
    let served = app
        .anonymous
        .get_html("/agenda/plateformes/interculturalite.ics")
        .await
        .1;
    assert_eq!(served, scratch);
}

#[tokio::test]
async fn hundreds_of_meetings_written_over_several_cores_are_each_written_as_alone() {
    use chrono::{Duration, NaiveDate, Utc};
    use maillage::meetings::recurrence;
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};

    let app = TestApp::spawn().await;
    let platform_id = app.create_platform("Emploi", "emploi", true).await;
    let now = Utc::now();
    let first = NaiveDate::from_ymd_opt(2027, 1, 4)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap();
    let txn = app.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..300 {
        let start = first + Duration::days(i);
        let end = start + Duration::hours(2);
        let saved = meeting::ActiveModel {
            platform_id: Set(Some(platform_id)),
            kind: Set(meeting::MeetingKind::Information),
            title: Set(format!("Séance n° {i}, « emploi ; formation »")),
            description: Set(
                "Présentation des dispositifs d'insertion socioprofessionnelle. ".repeat(3),
            ),
            all_day: Set(false),
            start_local: Set(start.into()),
            end_local: Set(end.into()),
            starts_at: Set(recurrence::to_utc(start)),
            ends_at: Set(recurrence::to_utc(end)),
            tzid: Set(recurrence::TZID.to_string()),
            place_name: Set("Maison de l'emploi".into()),
            place_address: Set("Rue de Bruxelles 5, 5000 Namur".into()),
            video_url: Set(String::new()),
            status: Set(meeting::MeetingStatus::Scheduled),
            visibility: Set(meeting::Visibility::Public),
            registration_open: Set(false),
            meal_options: Set(String::new()),
            minutes: Set(String::new()),
            decisions: Set(String::new()),
            actions: Set(String::new()),
            minutes_published: Set(false),
            sequence: Set(0),
            registration_counter: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .unwrap();
        ids.push(saved.id);
    }
    txn.commit().await.unwrap();

    let feed = app
        .anonymous
        .get_html("/agenda/plateformes/emploi.ics")
        .await
        .1;
    let uids: Vec<&str> = feed
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .collect();
    let expected: Vec<String> = ids
        .iter()
        .map(|id| format!("meeting-{id}@127.0.0.1"))
        .collect();
    assert_eq!(uids, expected, "every meeting once, in order of start");
    // Each one as its own .ics writes it, whichever core wrote it in the feed.
    for id in ids.iter().step_by(23) {
        let alone = app
            .anonymous
            .get_html(&format!("/reunions/{id}/evenement.ics"))
            .await
            .1;
        assert_eq!(vevents_of(&feed, *id), vevents_of(&alone, *id));
        assert_eq!(vevents_of(&feed, *id).len(), 1);
    }
}
