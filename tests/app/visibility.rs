//! Who sees which meetings: no page names a meeting its viewer may not open, the clash warning
//! included; and an invitation answer that is refused leaves nothing in the directory.

use std::collections::{BTreeSet, HashSet, VecDeque};

use maillage::entities::{invitation, meeting, person, platform, registration};
use maillage::mail::notify::sign_token;
use maillage::web::ctx::Keys;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::helpers::{MeetingForm, TestApp, Visitor};

/// Pages crawled per account, at most (the demo has about 60 people and 30 organisations).
const CRAWL_LIMIT: usize = 350;

/// The text of a page as a reader sees it (maud escapes these).
fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Same-origin addresses a page links to (`href` and htmx `hx-get`), without their fragment.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in [r#"href=""#, r#"hx-get=""#] {
        let mut rest = html;
        while let Some(start) = rest.find(marker) {
            rest = &rest[start + marker.len()..];
            let Some(end) = rest.find('"') else { break };
            let link = unescape(&rest[..end]);
            let link = link.split('#').next().unwrap_or("").to_string();
            if link.starts_with('/') && !link.starts_with("//") {
                found.push(link);
            }
        }
    }
    found
}

/// Pages that are not HTML pages about the network, or that act rather than show.
fn skipped(path: &str) -> bool {
    path.starts_with("/static")
        || path.starts_with("/connexion")
        || path.starts_with("/deconnexion")
        || path.ends_with(".ics")
        || path.ends_with(".csv")
        || path.ends_with(".css")
        || path.ends_with(".js")
}

/// Visits, breadth first, the GET pages `browser` can reach from `seeds`; returns each page
/// answered with 200 and its text.
async fn crawl(browser: &Visitor, seeds: &[String]) -> Vec<(String, String)> {
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= CRAWL_LIMIT {
            break;
        }
        let (status, html) = browser.get_html(&path).await;
        if status != StatusCode::OK {
            continue;
        }
        for link in links(&html) {
            if !skipped(&link) && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        pages.push((path, unescape(&html)));
    }
    pages
}

/// The titles of the meetings `browser` may not open (its meeting page is not a 200), less
/// those that a meeting it may open shares.
async fn forbidden_titles(app: &TestApp, browser: &Visitor) -> BTreeSet<String> {
    let mut hidden = BTreeSet::new();
    let mut shown = BTreeSet::new();
    for m in meeting::Entity::find().all(&app.db).await.unwrap() {
        let status = browser.get(&format!("/reunions/{}", m.id)).await.status();
        if status == StatusCode::OK {
            shown.insert(m.title);
        } else {
            hidden.insert(m.title);
        }
    }
    hidden.difference(&shown).cloned().collect()
}

/// The pages every crawl starts from: home, the listings and every month of the demo's year.
async fn seeds(app: &TestApp) -> Vec<String> {
    let mut seeds: Vec<String> = [
        "/",
        "/reunions",
        "/reunions?passees=1",
        "/reunions?permanences=1",
        "/reunions/mes",
        "/reunions/calendrier",
        "/plateformes",
        "/bureaux",
        "/profil",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for month in 0..14 {
        let (year, month) = (2026 + (5 + month) / 12, (5 + month) % 12 + 1);
        seeds.push(format!("/reunions/calendrier?mois={year}-{month:02}"));
    }
    for p in platform::Entity::find().all(&app.db).await.unwrap() {
        seeds.push(format!("/plateformes/{}", p.slug));
    }
    for g in maillage::entities::working_group::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        seeds.push(format!("/gt/{}", g.id));
    }
    seeds
}

#[tokio::test]
async fn no_page_an_account_can_reach_names_a_meeting_it_may_not_open() {
    let app = TestApp::spawn().await;
    maillage::demo::load(&app.db).await.unwrap();

    // Someone from another platform only: a member of "Migrants en transit" (public), nothing
    // else. The leak this guards against: a public group's page showed this person the titles
    // of its members-only meetings, and who had been absent.
    let transit = platform::Entity::find()
        .filter(platform::Column::Name.eq("Migrants en transit"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo's platform Migrants en transit");
    let (outsider_id, outsider) = app
        .signed_in("Odile Extérieure", "odile@ailleurs.example", false)
        .await;
    app.add_to_platform(transit.id, outsider_id, "member").await;

    let mut accounts: Vec<(&str, Visitor)> = Vec::new();
    for (label, email) in [
        ("admin", maillage::demo::ADMIN_EMAIL),
        ("coordination", maillage::demo::COORDINATOR_EMAIL),
        ("membre", maillage::demo::MEMBER_EMAIL),
    ] {
        let browser = app.visitor();
        browser.sign_in(email, maillage::demo::PASSWORD).await;
        accounts.push((label, browser));
    }
    accounts.push(("anonyme", app.visitor()));
    accounts.push(("autre plateforme", outsider));

    let seeds = seeds(&app).await;
    let mut leaks = Vec::new();
    for (label, browser) in &accounts {
        let forbidden = forbidden_titles(&app, browser).await;
        if *label != "admin" {
            assert!(
                !forbidden.is_empty(),
                "the demo holds members-only meetings that « {label} » may not open"
            );
        }
        let pages = crawl(browser, &seeds).await;
        assert!(
            pages.iter().any(|(path, _)| path.starts_with("/gt/")),
            "« {label} » reached some group pages"
        );
        if *label != "anonyme" {
            assert!(
                pages.len() > 40,
                "« {label} » crawled only {} pages",
                pages.len()
            );
        }
        for (path, text) in &pages {
            for title in &forbidden {
                if text.contains(title.as_str()) {
                    leaks.push(format!("{label} : {path} nomme « {title} »"));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "leaks:\n{}", leaks.join("\n"));
}

#[tokio::test]
async fn group_attendance_is_shown_to_the_group_and_its_coordinators_only() {
    let app = TestApp::spawn().await;
    let fle = app.create_platform("FLE", "fle", true).await;
    let group = app.create_group(fle, "GT Orientation").await;
    let (admin_id, admin) = app.signed_in("Admin", "admin@x.example", true).await;
    let _ = admin_id;
    let (member_id, member) = app.signed_in("Membre GT", "gt@x.example", false).await;
    app.add_to_group(group, member_id, "member").await;
    let (coord_id, coordinator) = app.signed_in("Coord FLE", "coord@x.example", false).await;
    app.add_to_platform(fle, coord_id, "coordinator").await;
    let (plain_id, platform_member) = app.signed_in("Membre FLE", "fle@x.example", false).await;
    app.add_to_platform(fle, plain_id, "member").await;
    let (other_id, other) = app.signed_in("Autre", "autre@x.example", false).await;
    let elsewhere = app.create_platform("Ailleurs", "ailleurs", true).await;
    app.add_to_platform(elsewhere, other_id, "member").await;
    let _ = MeetingForm::new("Réunion du GT tenue")
        .group(group)
        .kind("working_group")
        .on("2020-01-01")
        .from("10:00")
        .to("12:00")
        .members_only()
        .schedule(&admin)
        .await;

    let path = format!("/gt/{group}");
    for (who, browser, sees) in [
        ("group member", &member, true),
        ("platform coordinator", &coordinator, true),
        ("admin", &admin, true),
        ("platform member", &platform_member, false),
        ("member of another platform", &other, false),
        ("anonymous", &app.anonymous, false),
    ] {
        let (status, html) = browser.get_html(&path).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        // The page loads the table from the meetings room; the panel itself is guarded too.
        assert_eq!(
            html.contains(&format!("/gt/{group}/presences")),
            sees,
            "{who} is offered the attendance table: {sees}"
        );
        let (_, panel) = browser.get_html(&format!("/gt/{group}/presences")).await;
        assert_eq!(
            panel.contains("presences-annee"),
            sees,
            "{who} sees the attendance table: {sees}"
        );
    }
}

/// A person with a platform to coordinate, and a private platform with a members-only plenary
/// at "Salle du CRI" that this coordinator is not part of.
#[tokio::test]
async fn the_clash_warning_names_only_meetings_the_coordinator_may_open() {
    let app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@x.example", true).await;
    let public = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let secret = app
        .create_platform("Sans-papiers", "sans-papiers", false)
        .await;
    let group = app.create_group(secret, "GT Accueil").await;
    let (coord_id, coordinator) = app.signed_in("Coord", "coord@x.example", false).await;
    app.add_to_platform(public, coord_id, "coordinator").await;
    let (gc_id, group_coordinator) = app.signed_in("Coord GT", "gt@x.example", false).await;
    app.add_to_group(group, gc_id, "coordinator").await;

    let hidden = "Coordination confidentielle des sans-papiers";
    MeetingForm::new(hidden)
        .platform(secret)
        .on("2027-03-09")
        .from("10:00")
        .to("12:00")
        .members_only()
        .place("Salle du CRI")
        .schedule(&admin)
        .await;
    let shown = "Rencontre publique sur le droit de vote";
    MeetingForm::new(shown)
        .platform(public)
        .kind("information")
        .on("2027-03-10")
        .from("10:00")
        .to("12:00")
        .place("Salle du CRI")
        .schedule(&admin)
        .await;

    let attempt = |scope: String, date: &'static str, place: &'static str| {
        vec![
            ("scope", scope),
            ("kind", "working_group".to_string()),
            ("title", "Nouvelle réunion".to_string()),
            ("date", date.to_string()),
            ("start_time", "11:00".to_string()),
            ("end_time", "13:00".to_string()),
            ("visibility", "members".to_string()),
            ("place_name", place.to_string()),
        ]
    };
    let warning_of = async |browser: &Visitor, fields: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = browser.post_form("/reunions", &pairs).await;
        assert_eq!(response.status(), StatusCode::OK, "the form comes back");
        unescape(&response.text().await.unwrap())
    };

    // Same place, same time as a meeting the coordinator may not open: no name.
    let page = warning_of(
        &coordinator,
        attempt(format!("platform:{public}"), "2027-03-09", "salle du CRI "),
    )
    .await;
    assert!(
        page.contains("Le lieu « salle du CRI » est déjà pris le 09/03/2027 à 10:00."),
        "{page}"
    );
    assert!(!page.contains(hidden));
    assert!(page.contains("Enregistrer malgré le conflit"));

    // Same place, same time as a public meeting: named.
    let page = warning_of(
        &coordinator,
        attempt(format!("platform:{public}"), "2027-03-10", "Salle du CRI"),
    )
    .await;
    assert!(
        page.contains(&format!(
            "Le lieu « Salle du CRI » est déjà pris par « {shown} » le 10/03/2027 à 10:00."
        )),
        "{page}"
    );

    // A group coordinator outside the private platform: its plenary at the same time is
    // mentioned, never named.
    let page = warning_of(
        &group_coordinator,
        attempt(format!("group:{group}"), "2027-03-09", "Ailleurs"),
    )
    .await;
    assert!(
        page.contains(
            "Une plénière de la même plateforme a lieu en même temps (09/03/2027 à 10:00)"
        ),
        "{page}"
    );
    assert!(!page.contains(hidden));
    // The administrator may open it: named.
    let page = warning_of(
        &admin,
        attempt(format!("group:{group}"), "2027-03-09", "Ailleurs"),
    )
    .await;
    assert!(
        page.contains(&format!("La plénière « {hidden} »")),
        "{page}"
    );
    assert_eq!(
        meeting::Entity::find().count(&app.db).await.unwrap(),
        2,
        "a warning saves nothing"
    );
}

const SECRET: &str = "une clé de test d'au moins trente-deux caractères";

async fn answer_world() -> (TestApp, i64) {
    let app = TestApp::spawn_with(|c| c.secret_key = Some(SECRET.into())).await;
    let fle = app.create_platform("FLE", "fle", true).await;
    let (coord, coordinator) = app.signed_in("Coord", "coord@x.example", false).await;
    app.add_to_platform(fle, coord, "coordinator").await;
    let id = MeetingForm::new("Plénière FLE")
        .platform(fle)
        .on("2027-06-08")
        .from("09:00")
        .to("16:00")
        .set("registration_open", "on")
        .set("meal_options", "Végétarien, Pas de repas")
        .schedule(&coordinator)
        .await;
    (app, id)
}

/// An invitation written as the invitation form writes it (the answer is what is tested).
async fn invite(app: &TestApp, meeting_id: i64, name: &str, email: &str) -> String {
    let row = invitation::ActiveModel {
        meeting_id: Set(meeting_id),
        person_id: Set(None),
        email: Set(email.into()),
        email_normalized: Set(email.to_lowercase()),
        name: Set(name.into()),
        language: Set(invitation::Language::Fr),
        answer: Set(invitation::Answer::Pending),
        answered_at: Set(None),
        invited_by: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let expires = chrono::Utc::now().timestamp() + 3600;
    sign_token(&Keys::new(SECRET.as_bytes().to_vec()), row.id, expires)
}

#[tokio::test]
async fn a_refused_invitation_answer_writes_nothing_and_a_correct_one_then_works() {
    let (app, id) = answer_world().await;
    let token = invite(&app, id, "Paula Partenaire", "paula@partenaire.example").await;
    let people = person::Entity::find().count(&app.db).await.unwrap();
    let accept = format!("/invitation/{token}/accepte");
    let partner = app.visitor();

    // No meal chosen: refused, and neither a directory entry nor a registration is left.
    let response = partner.post_form(&accept, &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Choisissez votre repas dans la liste.")
    );
    assert_eq!(person::Entity::find().count(&app.db).await.unwrap(), people);
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    let row = invitation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.answer.as_str(), row.person_id), ("pending", None));

    // With a meal: the person, the registration and the answer.
    let response = partner.post_form(&accept, &[("meal", "Végétarien")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Vous êtes inscrit·e.")
    );
    let created = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq("paula@partenaire.example"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the partner is in the directory");
    assert_eq!(created.name, "Paula Partenaire");
    assert!(created.password_hash.is_none(), "an entry, not an account");
    let reg = registration::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (reg.person_id, reg.status.as_str(), reg.meal.as_str()),
        (created.id, "confirmed", "Végétarien")
    );
    let row = invitation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.answer.as_str(), row.person_id),
        ("accepted", Some(created.id))
    );
}

#[tokio::test]
async fn a_partner_invited_under_an_unusable_name_is_filed_under_the_address() {
    let (app, id) = answer_world().await;
    let long = "N".repeat(300);
    for (name, email) in [
        ("Bad\u{7}Name", "bell@partenaire.example"),
        (long.as_str(), "long@partenaire.example"),
        ("   ", "blank@partenaire.example"),
    ] {
        let token = invite(&app, id, name, email).await;
        let response = app
            .visitor()
            .post_form(
                &format!("/invitation/{token}/accepte"),
                &[("meal", "Pas de repas")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{email}");
        let created = person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(email))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(created.name, email.split('@').next().unwrap());
    }
}

#[tokio::test]
async fn simultaneous_acceptances_from_a_new_address_make_one_entry_and_one_registration() {
    let (app, id) = answer_world().await;
    let token = invite(&app, id, "Paula Partenaire", "paula@partenaire.example").await;
    // The same click six times at once, from one browser: on PostgreSQL every answer finds no
    // directory entry and races to create it; none may fail.
    let partner = app.visitor();
    let csrf = partner.csrf().await;
    let url = partner.url(&format!("/invitation/{token}/accepte"));
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let client = partner.client.clone();
        let (url, csrf) = (url.clone(), csrf.clone());
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("meal", "Végétarien".to_string()), ("csrf_token", csrf)])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let entries = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq("paula@partenaire.example"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(entries, 1);
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}
