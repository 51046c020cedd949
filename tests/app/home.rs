//! The home page per role, through HTTP on a fresh database: a coordinator's next meetings with
//! the registrations and answers made through the forms, invitations without answer, emails
//! that failed for good, minutes to write; a member's invitations and their platforms' latest
//! minutes; a visitor's public agenda and feed addresses. Nothing of a members-only platform
//! reaches a visitor or a person outside it.

use chrono::{Duration, Utc};
use maillage::entities::occurrence;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::helpers::smtp::SmtpServer;
use crate::helpers::{MeetingForm, TestApp, Visitor};

/// The day `days` from today (negative: in the past), "YYYY-MM-DD".
fn day(days: i64) -> String {
    (Utc::now().date_naive() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The text of the section `id` of a page (between its opening tag and the next `</section>`),
/// or "" when the page has no such section.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let marker = format!("<section id=\"{id}\"");
    let Some(start) = page.find(&marker) else {
        return "";
    };
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

async fn home(visitor: &Visitor) -> String {
    let (status, page) = visitor.get_html("/").await;
    assert_eq!(status, StatusCode::OK);
    page
}

/// The socio-legal platform (public) with its coordinator and three members, and the
/// undocumented-people coordination (members only) with its own coordinator and one member.
struct World {
    app: TestApp,
    coordinator: Visitor,
    platform: i64,
    members: Vec<(i64, Visitor)>,
    private_coordinator: Visitor,
    private_platform: i64,
}

async fn world(app: TestApp) -> World {
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let mut members = Vec::new();
    for (name, email) in [
        ("Amina Benali", "amina@lee.example"),
        ("Bruno Collard", "bruno@cpas-ciney.example"),
        ("Chloé Dubois", "chloe@ili-andenne.example"),
    ] {
        let (id, visitor) = app.signed_in(name, email, false).await;
        app.add_to_platform(platform, id, "member").await;
        members.push((id, visitor));
    }
    let private_platform = app
        .create_platform("Sans-papiers", "sans-papiers", false)
        .await;
    let (pc, private_coordinator) = app
        .signed_in("Pascale Renard", "pascale@cri-namur.example", false)
        .await;
    app.add_to_platform(private_platform, pc, "coordinator")
        .await;
    World {
        app,
        coordinator,
        platform,
        members,
        private_coordinator,
        private_platform,
    }
}

async fn register(coordinator: &Visitor, meeting: i64, person: i64) {
    let r = coordinator
        .post_form(
            &format!("/reunions/{meeting}/inscriptions"),
            &[("person_id", &person.to_string())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn invite(coordinator: &Visitor, meeting: i64, fields: &[(&str, &str)]) {
    let r = coordinator
        .post_form(&format!("/reunions/{meeting}/invitations"), fields)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn publish_minutes(coordinator: &Visitor, meeting: i64, decisions: &str) {
    let r = coordinator
        .post_form(
            &format!("/reunions/{meeting}/compte-rendu"),
            &[
                ("minutes", "Douze constats relevés."),
                ("decisions", decisions),
                ("published", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_coordinator_sees_registrations_and_answers_to_date_and_minutes_to_write() {
    let w = world(TestApp::spawn().await).await;
    let coordinator = &w.coordinator;
    let seminar = MeetingForm::new("Séance d'information sur le regroupement familial")
        .platform(w.platform)
        .kind("information")
        .on(day(10))
        .from("09:30")
        .to("12:00")
        .place("Maison de la Laïcité, Namur")
        .registration("2")
        .schedule(coordinator)
        .await;
    // Three registered for two seats: two confirmed, one waiting.
    for (id, _) in &w.members {
        register(coordinator, seminar, *id).await;
    }
    // The platform's members and a partner are invited; one member accepts.
    invite(
        coordinator,
        seminar,
        &[
            ("members", "on"),
            ("emails", "Province de Namur <province@namur.example>"),
        ],
    )
    .await;

    let page = home(coordinator).await;
    let next = section(&page, "coordination-prochaines");
    assert!(next.contains("regroupement familial"), "{next}");
    assert!(
        next.contains(&format!("href=\"/reunions/{seminar}\"")),
        "{next}"
    );
    assert!(
        next.contains("<strong>2</strong> confirmée(s) sur 2 places, 1 en liste d&#39;attente")
            || next.contains("<strong>2</strong> confirmée(s) sur 2 places, 1 en liste d'attente"),
        "{next}"
    );
    assert!(
        next.contains("0 acceptée(s), 0 peut-être, 0 déclinée(s), 4 sans réponse"),
        "{next}"
    );
    let unanswered = section(&page, "coordination-sans-reponse");
    for who in ["province@namur.example", "Amina Benali", "Chloé Dubois"] {
        assert!(unanswered.contains(who), "{who} in {unanswered}");
    }

    // Amina accepts from her home page: the counts follow, and she leaves the unanswered list.
    let amina = &w.members[0].1;
    answer_first_invitation(amina, "accepte").await;
    let page = home(coordinator).await;
    let next = section(&page, "coordination-prochaines");
    assert!(
        next.contains("1 acceptée(s), 0 peut-être, 0 déclinée(s), 3 sans réponse"),
        "{next}"
    );
    let unanswered = section(&page, "coordination-sans-reponse");
    assert!(!unanswered.contains("Amina Benali"), "{unanswered}");
    assert!(unanswered.contains("Bruno Collard"), "{unanswered}");

    // A findings meeting held ten days ago waits for its minutes, until they are published.
    let findings = MeetingForm::new("Réunion constats de novembre")
        .platform(w.platform)
        .kind("findings")
        .on(day(-10))
        .from("09:30")
        .to("12:00")
        .status("held")
        .schedule(coordinator)
        .await;
    let to_write = home(coordinator).await;
    let to_write = section(&to_write, "coordination-comptes-rendus");
    assert!(
        to_write.contains(&format!("href=\"/reunions/{findings}\"")),
        "{to_write}"
    );
    publish_minutes(coordinator, findings, "Interpeller le CPAS de Ciney.").await;
    let after = home(coordinator).await;
    let after = section(&after, "coordination-comptes-rendus");
    assert!(!after.contains("constats de novembre"), "{after}");
    assert!(after.contains("Aucun compte rendu en attente"), "{after}");

    // A member is no coordinator: none of it on their page.
    let member_page = home(&w.members[1].1).await;
    assert!(section(&member_page, "coordination-prochaines").is_empty());
    assert!(section(&member_page, "coordination-sans-reponse").is_empty());
    // Another platform's coordinator does not follow this one's meetings.
    let other = home(&w.private_coordinator).await;
    assert!(!other.contains("regroupement familial"), "{other}");
    assert!(!other.contains("Province de Namur"), "{other}");
    assert!(!other.contains("constats de novembre"), "{other}");
}

/// Follows the first "J'y serai" (or other `answer`) link of the viewer's home page, and
/// confirms on the page it opens.
async fn answer_first_invitation(visitor: &Visitor, answer: &str) {
    let page = home(visitor).await;
    let mine = section(&page, "mes-invitations");
    let suffix = format!("/{answer}\"");
    let end = mine
        .find(&suffix)
        .unwrap_or_else(|| panic!("an answer link in {mine}"));
    let start = mine[..end].rfind("href=\"").unwrap() + "href=\"".len();
    let url = format!("{}/{answer}", &mine[start..end]);
    let path = url.trim_start_matches(&visitor.base).to_string();
    assert!(path.starts_with("/invitation/"), "{url}");
    let (status, confirm) = visitor.get_html(&path).await;
    assert_eq!(status, StatusCode::OK, "{confirm}");
    let r = visitor.post_form(&path, &[]).await;
    assert!(
        r.status().is_redirection() || r.status() == StatusCode::OK,
        "{}",
        r.status()
    );
}

#[tokio::test]
async fn a_session_of_a_series_waits_for_its_own_minutes_and_links_to_its_date() {
    let w = world(TestApp::spawn().await).await;
    let (app, coordinator) = (&w.app, &w.coordinator);
    // A weekly findings meeting that started three weeks ago: its past sessions wait for minutes.
    let first = Utc::now().date_naive() - Duration::days(21);
    let weekday = [
        "day_mo", "day_tu", "day_we", "day_th", "day_fr", "day_sa", "day_su",
    ][chrono::Datelike::weekday(&first).num_days_from_monday() as usize];
    let series = MeetingForm::new("Permanence juridique hebdomadaire")
        .platform(w.platform)
        .kind("findings")
        .on(first.format("%Y-%m-%d"))
        .from("13:00")
        .to("15:00")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set(weekday, "on")
        .schedule(coordinator)
        .await;
    let past: Vec<occurrence::Model> = occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(series))
        .filter(occurrence::Column::EndsAt.lt(Utc::now()))
        .order_by_asc(occurrence::Column::StartsAt)
        .all(&app.db)
        .await
        .unwrap();
    assert!(past.len() >= 3, "{past:?}");
    let first_link = format!("href=\"/reunions/{series}/{}\"", first.format("%Y-%m-%d"));
    let page = home(coordinator).await;
    let to_write = section(&page, "coordination-comptes-rendus");
    assert!(to_write.contains(&first_link), "{to_write}");
    // The next session is in the coordinator's next meetings, linked to its own date.
    let next = section(&page, "coordination-prochaines");
    assert!(next.contains(&format!("/reunions/{series}/")), "{next}");

    // The first session's minutes published (on its row, as the session page saves them): it
    // leaves the list, the others stay; members read them among their platform's latest.
    let mut row: occurrence::ActiveModel = past[0].clone().into();
    row.minutes = Set("Cinq constats relevés.".into());
    row.decisions = Set("Écrire à l'Office des étrangers.".into());
    row.minutes_published = Set(true);
    row.update(&app.db).await.unwrap();
    let page = home(coordinator).await;
    let to_write = section(&page, "coordination-comptes-rendus");
    assert!(!to_write.contains(&first_link), "{to_write}");
    assert!(
        to_write.contains(&format!("/reunions/{series}/")),
        "{to_write}"
    );
    let member = home(&w.members[0].1).await;
    let latest = section(&member, "derniers-comptes-rendus");
    assert!(latest.contains(&first_link), "{latest}");
    assert!(latest.contains("Office des étrangers"), "{latest}");
}

#[tokio::test]
async fn a_member_answers_an_invitation_from_home_and_reads_the_latest_minutes() {
    let w = world(TestApp::spawn().await).await;
    let (app, coordinator) = (&w.app, &w.coordinator);
    let plenary = MeetingForm::new("Plénière sociojuridique de mars")
        .platform(w.platform)
        .on(day(20))
        .from("09:00")
        .to("12:30")
        .schedule(coordinator)
        .await;
    invite(coordinator, plenary, &[("members", "on")]).await;
    let held = MeetingForm::new("Réunion constats d'octobre")
        .platform(w.platform)
        .kind("findings")
        .on(day(-30))
        .from("09:30")
        .to("12:00")
        .status("held")
        .members_only()
        .schedule(coordinator)
        .await;
    publish_minutes(coordinator, held, "Interpeller le CPAS de Ciney.").await;

    let bruno = &w.members[1].1;
    let page = home(bruno).await;
    let next = section(&page, "mes-prochaines");
    assert!(next.contains("Plénière sociojuridique de mars"), "{next}");
    let invited = section(&page, "mes-invitations");
    assert!(
        invited.contains("Plénière sociojuridique de mars"),
        "{invited}"
    );
    assert!(invited.contains("/invitation/"), "{invited}");
    let minutes = section(&page, "derniers-comptes-rendus");
    assert!(
        minutes.contains("Réunion constats d&#39;octobre")
            || minutes.contains("Réunion constats d'octobre"),
        "{minutes}"
    );
    assert!(
        minutes.contains("Interpeller le CPAS de Ciney."),
        "{minutes}"
    );

    answer_first_invitation(bruno, "decline").await;
    let page = home(bruno).await;
    let invited = section(&page, "mes-invitations");
    assert!(!invited.contains("Plénière sociojuridique"), "{invited}");
    assert!(
        invited.contains("Aucune invitation en attente"),
        "{invited}"
    );

    // Someone outside the platform sees none of it.
    let (_, outsider) = app
        .signed_in("Olivier Marchal", "olivier@ville-dinant.example", false)
        .await;
    let page = home(&outsider).await;
    assert!(!page.contains("octobre"), "{page}");
    assert!(!page.contains("Interpeller le CPAS"), "{page}");
}

#[tokio::test]
async fn nothing_of_a_members_only_platform_reaches_a_visitor_or_a_non_member() {
    let w = world(TestApp::spawn().await).await;
    let app = &w.app;
    let public = MeetingForm::new("Journée d'étude sur le droit de vote des étrangers")
        .platform(w.platform)
        .kind("public_event")
        .on(day(12))
        .from("13:30")
        .to("17:00")
        .schedule(&w.coordinator)
        .await;
    let members_only = MeetingForm::new("Coordination sans-papiers confidentielle")
        .platform(w.private_platform)
        .on(day(8))
        .from("10:00")
        .to("12:00")
        .members_only()
        .schedule(&w.private_coordinator)
        .await;
    // Amina (of the other platform) is invited by address to the members-only meeting, and
    // its minutes of a past meeting are published.
    invite(
        &w.private_coordinator,
        members_only,
        &[("emails", "amina@lee.example")],
    )
    .await;
    invite(&w.coordinator, public, &[("emails", "amina@lee.example")]).await;
    let past = MeetingForm::new("Coordination sans-papiers de septembre")
        .platform(w.private_platform)
        .on(day(-20))
        .from("10:00")
        .to("12:00")
        .members_only()
        .status("held")
        .schedule(&w.private_coordinator)
        .await;
    publish_minutes(&w.private_coordinator, past, "Relais vers les avocats.").await;

    let visitor = app.visitor();
    let page = home(&visitor).await;
    let agenda = section(&page, "agenda-public");
    assert!(agenda.contains("droit de vote des étrangers"), "{agenda}");
    assert!(agenda.contains(&format!("/reunions/{public}")), "{agenda}");
    assert!(!page.contains("sans-papiers"), "{page}");
    assert!(!page.contains("Sans-papiers"), "{page}");
    // How to subscribe: the network's feed and the public platform's, with the clients named.
    let base = &app.address;
    assert!(
        page.contains(&format!("{base}/agenda/reseau.ics")),
        "{page}"
    );
    assert!(
        page.contains(&format!("{base}/agenda/plateformes/sociojuridique.ics")),
        "{page}"
    );
    assert!(page.contains("webcal://"), "{page}");
    for client in ["Outlook", "Google Agenda", "Apple Calendrier"] {
        assert!(page.contains(client), "{client}");
    }
    assert!(section(&page, "coordination-prochaines").is_empty());
    assert!(section(&page, "mes-invitations").is_empty());
    // The feeds named are real.
    for feed in [
        "/agenda/reseau.ics",
        "/agenda/plateformes/sociojuridique.ics",
    ] {
        assert_eq!(visitor.get(feed).await.status(), StatusCode::OK, "{feed}");
    }

    // Amina is not a member of the undocumented-people coordination: its meeting, her
    // invitation to it and its minutes stay out of her page.
    let amina = home(&w.members[0].1).await;
    assert!(!amina.contains("sans-papiers"), "{amina}");
    assert!(!amina.contains("Relais vers les avocats"), "{amina}");
    let invitations = section(&amina, "mes-invitations");
    assert!(
        invitations.contains("droit de vote des étrangers"),
        "{invitations}"
    );
    assert!(
        !invitations.contains("autre(s)"),
        "the invitation she may not see is not even counted: {invitations}"
    );
    // Its coordinator sees the invitation waiting.
    let coordinator = home(&w.private_coordinator).await;
    let unanswered = section(&coordinator, "coordination-sans-reponse");
    assert!(unanswered.contains("amina@lee.example"), "{unanswered}");
    assert!(
        section(&coordinator, "coordination-prochaines").contains("confidentielle"),
        "{coordinator}"
    );
}

#[tokio::test]
async fn a_coordinator_sees_an_email_that_failed_for_good_and_where_to_act() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let url = smtp.url();
    let w = world(TestApp::spawn_with(|c| c.smtp_url = Some(url)).await).await;
    let meeting = MeetingForm::new("Plénière sociojuridique de mai")
        .platform(w.platform)
        .on(day(25))
        .from("09:00")
        .to("12:30")
        .schedule(&w.coordinator)
        .await;
    // The test server refuses this mailbox for good (550).
    invite(
        &w.coordinator,
        meeting,
        &[("emails", "inconnu@commune.example\nconnu@commune.example")],
    )
    .await;
    w.app.drain_outbox().await;
    let page = home(&w.coordinator).await;
    let failures = section(&page, "coordination-echecs");
    assert!(
        failures.contains("<strong>inconnu@commune.example</strong>"),
        "{failures}"
    );
    assert!(
        !failures.contains("<strong>connu@commune.example"),
        "delivered, so not listed: {failures}"
    );
    assert!(failures.contains("550"), "{failures}");
    assert!(
        failures.contains(&format!("href=\"/reunions/{meeting}#invitations\"")),
        "{failures}"
    );
    // The other platform's coordinator, and a member, do not see it.
    let other = home(&w.private_coordinator).await;
    assert!(!other.contains("inconnu@commune.example"), "{other}");
    let member = home(&w.members[0].1).await;
    assert!(!member.contains("inconnu@commune.example"), "{member}");
}
