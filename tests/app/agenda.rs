//! The agenda on the occurrence index: grouped by month, filters in the address (a GET form;
//! htmx swaps only the list), keyset pages forward and back, the visibility rule of each
//! meeting's page, office hours per office, moved sessions, and the lists reading the index's
//! rows (not the series' rules).

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use maillage::entities::local_time::LocalDateTime;
use maillage::entities::{occurrence, reception_office};
use maillage::meetings::index::{self, Horizon};
use maillage::web::french;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};

use crate::helpers::{MeetingForm, TestApp, Visitor};

fn today() -> NaiveDate {
    maillage::meetings::now_local().date()
}

fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The first `weekday` at least `days` ahead.
fn ahead(days: i64, weekday: Weekday) -> NaiveDate {
    let mut day = today() + Duration::days(days);
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    day
}

/// The session links of a page, in order: `/reunions/{id}` or `/reunions/{id}/{date}`.
fn sessions(html: &str) -> Vec<String> {
    let list = html
        .split_once(r#"<div id="agenda-liste">"#)
        .map_or(html, |(_, rest)| rest);
    list.split(r#"<a href="/reunions/"#)
        .skip(1)
        .filter_map(|rest| {
            let href = rest.split('"').next()?;
            href.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
                .then(|| format!("/reunions/{href}"))
        })
        .collect()
}

/// The address of the link labelled `label` ("Plus tard", "Plus tôt"), unescaped.
fn link(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!(r#"rel="{rel}""#))?;
    let start = html[..at].rfind("<a href=\"")? + "<a href=\"".len();
    let href = html[start..].split('"').next()?;
    Some(href.replace("&amp;", "&"))
}

fn headings(html: &str) -> Vec<String> {
    html.split(r#"<section class="agenda-month"><h2>"#)
        .skip(1)
        .filter_map(|rest| rest.split("</h2>").next().map(str::to_string))
        .collect()
}

async fn page(visitor: &Visitor, path: &str) -> String {
    let (status, html) = visitor.get_html(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {html}");
    html
}

#[tokio::test]
async fn the_agenda_is_grouped_by_month_under_headings() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let first = ahead(35, Weekday::Tue);
    let second = first + Duration::days(35);
    let a = MeetingForm::new("Plénière sociojuridique")
        .on(ymd(first))
        .from("09:30")
        .to("12:00")
        .schedule(&admin)
        .await;
    let b = MeetingForm::new("Intervision des formateurs")
        .on(ymd(second))
        .from("14:00")
        .to("16:00")
        .schedule(&admin)
        .await;
    let html = page(&app.anonymous, "/reunions").await;
    let expected: Vec<String> = [first, second]
        .iter()
        .map(|d| format!("{} {}", french::month(d.month()).unwrap(), d.year()))
        .collect();
    assert_eq!(headings(&html), expected, "{html}");
    // Each meeting under its month's heading.
    let (in_first, in_second) = html
        .split_once(&format!("<h2>{}</h2>", expected[1]))
        .unwrap();
    assert!(in_first.contains(&format!(r#"href="/reunions/{a}""#)));
    assert!(in_second.contains(&format!(r#"href="/reunions/{b}""#)));
    assert!(!in_second.contains(&format!(r#"href="/reunions/{a}""#)));
    app.stop().await;
}

#[tokio::test]
async fn each_filter_keeps_what_it_names_and_lives_in_the_address() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let socio = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let flf = app
        .create_platform("Formation à la langue française", "flf", true)
        .await;
    let outils = app
        .create_group(socio, "Création et partage d'outils communs")
        .await;
    let day = ahead(20, Weekday::Wed);
    let plenary = MeetingForm::new("Plénière sociojuridique")
        .platform(socio)
        .on(ymd(day))
        .from("09:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let group_meeting = MeetingForm::new("GT outils communs")
        .group(outils)
        .kind("working_group")
        .on(ymd(day + Duration::days(1)))
        .from("10:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let training = MeetingForm::new("Formation des formateurs FLE")
        .platform(flf)
        .kind("training")
        .registration("20")
        .on(ymd(day + Duration::days(2)))
        .from("09:00")
        .to("16:00")
        .schedule(&admin)
        .await;
    let offices = reception_office::Entity::find()
        .order_by_asc(reception_office::Column::Name)
        .all(&app.db)
        .await
        .unwrap();
    let dinant = offices
        .iter()
        .find(|o| o.name.contains("Dinant"))
        .unwrap_or(&offices[0]);
    let local = MeetingForm::new("Coordination locale de Dinant")
        .kind("local_coordination")
        .set("office_id", dinant.id)
        .on(ymd(day + Duration::days(3)))
        .from("13:30")
        .to("15:30")
        .schedule(&admin)
        .await;
    let all = [plenary, group_meeting, training, local];
    let shown = |html: &str| -> Vec<i64> {
        all.iter()
            .copied()
            .filter(|id| html.contains(&format!(r#"href="/reunions/{id}""#)))
            .collect()
    };
    assert_eq!(shown(&page(&app.anonymous, "/reunions").await), all);
    for (query, expected) in [
        (format!("plateforme={socio}"), vec![plenary, group_meeting]),
        (format!("groupe={outils}"), vec![group_meeting]),
        ("type=training".to_string(), vec![training]),
        (format!("bureau={}", dinant.id), vec![local]),
        ("inscription=1".to_string(), vec![training]),
        (format!("plateforme={flf}&inscription=1"), vec![training]),
        (format!("plateforme={flf}&type=plenary"), vec![]),
    ] {
        let html = page(&app.anonymous, &format!("/reunions?{query}")).await;
        assert_eq!(shown(&html), expected, "{query}");
        // Without JavaScript: the whole page, the form showing the filter.
        assert!(html.contains("<html"), "{query}");
        assert!(html.contains(r#"<form class="filters" method="get" action="/reunions""#));
        // With htmx: the list alone.
        let (status, fragment) = app.anonymous.get_htmx(&format!("/reunions?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            fragment.starts_with(r#"<div id="agenda-liste">"#),
            "{fragment}"
        );
        assert!(!fragment.contains("<html") && !fragment.contains("<form"));
        assert_eq!(shown(&fragment), expected, "htmx {query}");
    }
    // The form says what it filters, and swaps the list with htmx, pushing the address.
    let html = page(
        &app.anonymous,
        &format!("/reunions?plateforme={socio}&type=plenary"),
    )
    .await;
    assert!(html.contains(&format!(
        r#"<option value="{socio}" selected>Sociojuridique</option>"#
    )));
    assert!(html.contains(r#"<option value="plenary" selected>"#));
    assert!(html.contains(r##"hx-get="/reunions" hx-target="#agenda-liste""##));
    assert!(html.contains(r#"hx-push-url="true""#));
    // Bad values: a French message, the filter ignored, never a 500.
    let (status, html) = app
        .anonymous
        .get_html("/reunions?plateforme=abc&type=soiree&apres=demain&du=32-13-2027")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("La plateforme « abc » n'existe pas : filtre ignoré."));
    assert!(html.contains("Le type de réunion « soiree » n'existe pas : filtre ignoré."));
    assert!(html.contains("Le repère de page de l'adresse est illisible"));
    assert_eq!(shown(&html), all);
    let (status, _) = app
        .anonymous
        .get_html("/reunions?bureau=-4&avant=9.9.9")
        .await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}

/// Walks the "Plus tard" links from `start`, then back with "Plus tôt" from the last page;
/// returns the sessions of each walk in order.
async fn walk(visitor: &Visitor, start: &str) -> (Vec<String>, Vec<String>, usize) {
    let mut forward = Vec::new();
    let mut path = start.to_string();
    let mut pages = 0;
    let last_page = loop {
        let html = page(visitor, &path).await;
        pages += 1;
        assert!(pages < 20, "too many pages");
        forward.extend(sessions(&html));
        match link(&html, "next") {
            Some(next) => path = next,
            None => break html,
        }
    };
    // Back: from the last page, each "Plus tôt" page comes before what was seen.
    let mut backward: Vec<String> = sessions(&last_page);
    let mut html = last_page;
    while let Some(previous) = link(&html, "prev") {
        html = page(visitor, &previous).await;
        let mut earlier = sessions(&html);
        earlier.extend(backward);
        backward = earlier;
    }
    (forward, backward, pages)
}

#[tokio::test]
async fn pages_forward_and_back_hold_every_session_once() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    // Two sessions a week for two years: more than 120 sessions ahead, in the index.
    let first = ahead(1, Weekday::Mon);
    let series = MeetingForm::new("Cours de français langue étrangère")
        .kind("training")
        .on(ymd(first))
        .from("18:30")
        .to("20:30")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set("day_mo", "on")
        .set("day_th", "on")
        .schedule(&admin)
        .await;
    // A one-off at the same time as a session: both are listed, ordered by row id.
    let same_time = MeetingForm::new("Séance d'information")
        .kind("information")
        .on(ymd(first + Duration::days(7)))
        .from("18:30")
        .to("19:30")
        .schedule(&admin)
        .await;
    let (forward, backward, pages) = walk(&app.anonymous, "/reunions").await;
    let expected: usize = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT COUNT(*) FROM occurrences WHERE meeting_id IN ({series}, {same_time})"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap() as usize;
    assert!(expected > 120, "{expected} sessions");
    assert!(pages >= 3, "{pages} pages");
    let unique: BTreeSet<&String> = forward.iter().collect();
    assert_eq!(unique.len(), forward.len(), "a session on two pages");
    assert_eq!(forward.len(), expected, "a session missing");
    assert_eq!(backward, forward, "walking back differs");
    // A session of the series links to its own page, by its date.
    assert!(forward.contains(&format!("/reunions/{series}/{}", ymd(first))));
    assert!(forward.contains(&format!("/reunions/{same_time}")));
    // The first page holds 50 sessions, the next starts right after.
    let html = page(&app.anonymous, "/reunions").await;
    assert_eq!(sessions(&html).len(), 50);
    assert_eq!(sessions(&html), forward[..50]);
    app.stop().await;
}

#[tokio::test]
async fn members_only_meetings_are_never_listed_for_outsiders() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let socio = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (member_id, member) = app
        .signed_in("Sarah Lambert", "sarah@ciremanamur.be", false)
        .await;
    app.add_to_platform(socio, member_id, "member").await;
    let (_, outsider) = app
        .signed_in("Marc Dupont", "marc@cpas-ciney.be", false)
        .await;
    let day = ahead(10, Weekday::Thu);
    // Sixty members-only sessions before the public meeting: the public one still shows.
    let hidden = MeetingForm::new("Relevé de constats (interne)")
        .platform(socio)
        .members_only()
        .on(ymd(ahead(1, Weekday::Mon)))
        .from("09:00")
        .to("10:00")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set("day_mo", "on")
        .set("day_tu", "on")
        .set("day_we", "on")
        .schedule(&admin)
        .await;
    let public = MeetingForm::new("Plénière ouverte")
        .platform(socio)
        .on(ymd(day + Duration::days(150)))
        .from("09:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let month = format!(
        "/reunions/calendrier?mois={}",
        (day + Duration::days(1)).format("%Y-%m")
    );
    for (who, visitor) in [("anonymous", &app.anonymous), ("outsider", &outsider)] {
        for path in [
            "/reunions",
            "/reunions?passees=1",
            month.as_str(),
            "/plateformes/sociojuridique/reunions",
        ] {
            let html = page(visitor, path).await;
            assert!(
                !html.contains(&format!("/reunions/{hidden}")) && !html.contains("(interne)"),
                "{who} sees the members-only meeting on {path}"
            );
        }
        // Paging on: the public meeting comes, the hidden one never.
        let (forward, _, _) = walk(visitor, "/reunions").await;
        assert!(forward.contains(&format!("/reunions/{public}")), "{who}");
        assert!(
            forward
                .iter()
                .all(|s| !s.starts_with(&format!("/reunions/{hidden}/")))
        );
    }
    let html = page(&member, "/reunions").await;
    assert!(html.contains(&format!("/reunions/{hidden}/")));
    let html = page(&member, &month).await;
    assert!(html.contains(&format!("/reunions/{hidden}/")));
    app.stop().await;
}

#[tokio::test]
async fn my_meetings_lists_only_mine() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let socio = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let outils = app
        .create_group(socio, "Création et partage d'outils communs")
        .await;
    let reseau = app
        .create_group(socio, "Meilleure connaissance du réseau")
        .await;
    let (me, visitor) = app
        .signed_in("Sarah Lambert", "sarah@ciremanamur.be", false)
        .await;
    app.add_to_group(outils, me, "member").await;
    let day = ahead(14, Weekday::Tue);
    let at = |n: i64| ymd(day + Duration::days(n));
    let mine_group = MeetingForm::new("GT outils communs")
        .group(outils)
        .kind("working_group")
        .on(at(0))
        .from("10:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let other_group = MeetingForm::new("GT connaissance du réseau")
        .group(reseau)
        .kind("working_group")
        .on(at(1))
        .from("10:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let registered = MeetingForm::new("Journée d'étude")
        .registration("50")
        .on(at(2))
        .from("09:00")
        .to("16:00")
        .schedule(&admin)
        .await;
    let not_registered = MeetingForm::new("Séance d'information")
        .on(at(3))
        .from("09:00")
        .to("11:00")
        .schedule(&admin)
        .await;
    let r = visitor
        .post_form(&format!("/reunions/{registered}/inscription"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&visitor, "/reunions/mes").await;
    for id in [mine_group, registered] {
        assert!(
            html.contains(&format!(r#"href="/reunions/{id}""#)),
            "{id} missing"
        );
    }
    for id in [other_group, not_registered] {
        assert!(
            !html.contains(&format!(r#"href="/reunions/{id}""#)),
            "{id} not mine"
        );
    }
    assert_eq!(
        app.anonymous.get("/reunions/mes").await.status(),
        StatusCode::SEE_OTHER
    );
    app.stop().await;
}

#[tokio::test]
async fn office_hours_are_shown_per_office_on_request() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let offices = reception_office::Entity::find()
        .order_by_asc(reception_office::Column::Name)
        .all(&app.db)
        .await
        .unwrap();
    let (one, two) = (&offices[0], &offices[1]);
    let mut ids = Vec::new();
    for (office, day) in [(one, "day_mo"), (two, "day_tu")] {
        let weekday = if day == "day_mo" {
            Weekday::Mon
        } else {
            Weekday::Tue
        };
        ids.push(
            MeetingForm::new(&format!("Permanence de {}", office.name))
                .kind("office_hours")
                .set("office_id", office.id)
                .on(ymd(ahead(1, weekday)))
                .from("09:00")
                .to("12:00")
                .set("repeat", "weekly")
                .set("interval", "1")
                .set(day, "on")
                .schedule(&admin)
                .await,
        );
    }
    let has = |html: &str, id: i64| html.contains(&format!("/reunions/{id}/"));
    let html = page(&app.anonymous, "/reunions").await;
    assert!(
        !has(&html, ids[0]) && !has(&html, ids[1]),
        "hidden unless asked"
    );
    assert!(html.contains("Les afficher aussi"));
    let html = page(&app.anonymous, "/reunions?permanences=1").await;
    assert!(has(&html, ids[0]) && has(&html, ids[1]));
    let html = page(&app.anonymous, &format!("/reunions?bureau={}", one.id)).await;
    assert!(
        has(&html, ids[0]) && !has(&html, ids[1]),
        "one office's only"
    );
    let html = page(
        &app.anonymous,
        &format!("/reunions?permanences=1&bureau={}", two.id),
    )
    .await;
    assert!(!has(&html, ids[0]) && has(&html, ids[1]));
    // Pages of one office carry the office on.
    let next = link(&html, "next").expect("more office hours later");
    assert!(next.contains(&format!("bureau={}", two.id)), "{next}");
    let html = page(&app.anonymous, &next).await;
    assert!(!has(&html, ids[0]) && has(&html, ids[1]));
    // The offices' page leads to each office's sessions.
    let html = page(&app.anonymous, "/bureaux").await;
    assert!(html.contains(&format!(r#"href="/reunions?bureau={}""#, one.id)));
    app.stop().await;
}

#[tokio::test]
async fn a_moved_session_is_listed_at_its_new_time() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let first = ahead(7, Weekday::Tue);
    let series = MeetingForm::new("Plénière mensuelle")
        .on(ymd(first))
        .from("09:00")
        .to("12:00")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set("day_tu", "on")
        .schedule(&admin)
        .await;
    let moved_from = first + Duration::days(7);
    let moved_to = moved_from + Duration::days(2);
    let r = admin
        .post_form(
            &format!("/reunions/{series}/occurrences"),
            &[
                ("original", &format!("{}T09:00:00", ymd(moved_from))),
                ("action", "move"),
                ("new_date", &ymd(moved_to)),
                ("new_start", "14:00"),
                ("new_end", "16:00"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let html = page(&app.anonymous, "/reunions").await;
    let link = format!(r#"href="/reunions/{series}/{}""#, ymd(moved_from));
    let item = html
        .split("<li")
        .find(|li| li.contains(&link))
        .expect("the moved session is listed under its original date's address");
    assert!(
        item.contains(&format!("{}, 14:00–16:00", french::weekday_date(moved_to))),
        "{item}"
    );
    assert!(item.contains("déplacée"));
    app.stop().await;
}

#[tokio::test]
async fn the_lists_read_the_index_rows() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let first = ahead(3, Weekday::Fri);
    let series = MeetingForm::new("Intervision mensuelle")
        .on(ymd(first))
        .from("09:00")
        .to("11:00")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set("day_fr", "on")
        .schedule(&admin)
        .await;
    let month = format!("/reunions/calendrier?mois={}", first.format("%Y-%m"));
    let panel = "/reunions";
    assert!(
        page(&app.anonymous, panel)
            .await
            .contains(&format!("/reunions/{series}/"))
    );
    // The rows gone: nothing is listed, though the rule is unchanged.
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM occurrences WHERE meeting_id = {series}"
        ))
        .await
        .unwrap();
    for path in [panel, month.as_str()] {
        let html = page(&app.anonymous, path).await;
        assert!(!html.contains(&format!("/reunions/{series}/")), "{path}");
    }
    // Written again: listed again.
    let txn = sea_orm::TransactionTrait::begin(&app.db).await.unwrap();
    index::rewrite(&txn, series, Horizon::now()).await.unwrap();
    txn.commit().await.unwrap();
    assert!(
        page(&app.anonymous, &month)
            .await
            .contains(&format!("/reunions/{series}/{}", ymd(first)))
    );
    // A row written by hand on a date the rule does not have: listed on that date.
    let odd = first + Duration::days(1);
    let starts = maillage::meetings::recurrence::to_utc(odd.and_hms_opt(15, 0, 0).unwrap());
    let ends = starts + Duration::hours(1);
    let at = |time: &str| LocalDateTime::parse(&format!("{}T{time}", ymd(odd))).unwrap();
    occurrence::ActiveModel {
        meeting_id: Set(series),
        original_start_local: Set(at("15:00:00")),
        start_local: Set(at("15:00:00")),
        end_local: Set(at("16:00:00")),
        starts_at: Set(starts),
        ends_at: Set(ends),
        cancelled: Set(false),
        moved: Set(false),
        minutes: Set(String::new()),
        decisions: Set(String::new()),
        actions: Set(String::new()),
        minutes_published: Set(false),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let html = page(&app.anonymous, &format!("/reunions?du={}", ymd(odd))).await;
    let first_session = sessions(&html).into_iter().next();
    assert_eq!(
        first_session,
        Some(format!("/reunions/{series}/{}", ymd(odd))),
        "{html}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_month_shows_a_few_sessions_a_day_and_links_to_the_rest() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri-namur.be", true).await;
    let day = ahead(40, Weekday::Wed);
    let mut ids = Vec::new();
    for hour in 8..16 {
        ids.push(
            MeetingForm::new(&format!("Atelier {hour} h"))
                .on(ymd(day))
                .from(&format!("{hour:02}:00"))
                .to(&format!("{hour:02}:45"))
                .schedule(&admin)
                .await,
        );
    }
    let html = page(
        &app.anonymous,
        &format!("/reunions/calendrier?mois={}", day.format("%Y-%m")),
    )
    .await;
    let shown: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| html.contains(&format!(r#"href="/reunions/{id}""#)))
        .collect();
    assert_eq!(shown, ids[..6], "the first six of the day");
    assert!(html.contains(&format!(
        r#"href="/reunions?permanences=1&amp;du={}""#,
        ymd(day)
    )));
    let (status, _) = app
        .anonymous
        .get_html("/reunions/calendrier?mois=2027-13")
        .await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}
