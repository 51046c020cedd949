//! Whole outputs under review: a public feed, an invitation as sent, a page fragment. A change
//! to any of them fails here until the new snapshot (tests/app/snapshots/) is accepted with
//! `cargo insta review` (or by renaming the `.snap.new` file), so it is seen in review. Under
//! CI (`CI` set) insta writes nothing and fails on any difference or missing snapshot.
//!
//! The data are fixed (dates, names from the field, one base URL); what changes from run to run
//! — stamps, MIME boundaries, message ids, signed tokens — is redacted.

use maillage::entities::{organisation, person};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::helpers::{MeetingForm, TestApp, Visitor};

/// Links in feeds and mail name this address, whatever port the test server got.
const BASE_URL: &str = "http://maillage.cri-namur.example";

/// Redactions for what differs between two runs of the same test.
fn settings(filters: &[(&str, &str)]) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (pattern, replacement) in filters {
        settings.add_filter(pattern, *replacement);
    }
    settings
}

/// A public platform with its coordinator, signed in, on an app whose links use `BASE_URL`.
async fn platform_world() -> (TestApp, Visitor, i64) {
    let app = TestApp::spawn_with(|c| {
        c.base_url = BASE_URL.into();
        c.mail_from = "maillage <maillage@cri-namur.example>".into();
        c.organizer = "Coordination du CRI <coordination@cri-namur.example>".into();
    })
    .await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    (app, coordinator, platform)
}

#[tokio::test]
async fn the_public_feed_of_a_platform_is_unchanged() {
    let (app, coordinator, platform) = platform_world().await;
    // Series without an end that began in January 2026: feeds show three months back and
    // eighteen ahead, and these stay in that window whatever the day the test runs (a single
    // meeting on a fixed date would leave it).
    // Every month a meeting on field findings: the second Tuesday.
    MeetingForm::new("Relevé de constats")
        .platform(platform)
        .kind("findings")
        .on("2026-01-13")
        .from("09:30")
        .to("12:00")
        .place("Centre culturel de la Marlagne")
        .set("place_address", "Chemin des Marronniers 26, 5100 Wépion")
        .set(
            "description",
            "Points précis et objectivables sur les obstacles rencontrés ; préparation des interpellations.",
        )
        .set("repeat", "monthly_nth")
        .set("ord_2", "on")
        .set("weekday", "TU")
        .schedule(&coordinator)
        .await;
    // Legal peer sessions, every other Monday.
    MeetingForm::new("Intervision juridique")
        .platform(platform)
        .kind("peer_session")
        .on("2026-01-05")
        .from("13:30")
        .to("15:30")
        .set("video_url", "https://visio.example/sociojuridique")
        .set("repeat", "weekly")
        .set("interval", "2")
        .set("day_mo", "on")
        .schedule(&coordinator)
        .await;
    // Not in the public feed.
    MeetingForm::new("Réunion interne")
        .platform(platform)
        .kind("working_group")
        .on("2026-01-06")
        .from("14:00")
        .to("16:00")
        .members_only()
        .set("repeat", "weekly")
        .set("day_tu", "on")
        .schedule(&coordinator)
        .await;

    let response = app
        .anonymous
        .get("/agenda/plateformes/sociojuridique.ics")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let feed = response.text().await.unwrap().replace("\r\n", "\n");
    settings(&[(
        r"(?m)^(DTSTAMP|LAST-MODIFIED|CREATED):\d{8}T\d{6}Z\r?$",
        "$1:[horodatage]",
    )])
    .bind(|| insta::assert_snapshot!("flux_public_plateforme", feed));
}

#[tokio::test]
async fn an_invitation_as_written_to_the_outbox_is_unchanged() {
    let (app, coordinator, platform) = platform_world().await;
    let id = MeetingForm::new("Plénière sociojuridique")
        .platform(platform)
        .on("2030-03-12")
        .from("09:30")
        .to("16:00")
        .place("Centre culturel de la Marlagne")
        .registration("50")
        .set("meal_options", "Végétarien, Pas de repas")
        .set(
            "agenda",
            "09:30 | Accueil et café\n10:00 | Constats de l'année",
        )
        .schedule(&coordinator)
        .await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "Province de Namur <province@namur.example>")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    let files: Vec<_> = std::fs::read_dir(app.mail_dir.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let eml = readable(&std::fs::read_to_string(&files[0]).unwrap());
    settings(&[
        (r"(?m)^Date: .*$", "Date: [date]"),
        (r"(?m)^Message-ID: .*$", "Message-ID: [id]"),
        (
            r"(?m)^(DTSTAMP|LAST-MODIFIED|CREATED):\d{8}T\d{6}Z$",
            "$1:[horodatage]",
        ),
        (r"/invitation/[0-9A-Za-z_.-]+/", "/invitation/[jeton]/"),
    ])
    .bind(|| insta::assert_snapshot!("invitation_eml", eml));
}

#[tokio::test]
async fn the_member_picker_fragment_is_unchanged() {
    let (app, coordinator, _) = platform_world().await;
    let org = organisation::ActiveModel {
        name: Set("CPAS de Dinant".into()),
        kind: Set(organisation::OrganisationKind::Cpas),
        municipality_id: Set(None),
        website: Set(String::new()),
        archived: Set(false),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    for (name, email) in [
        ("Amina Benali", "amina@cpas-dinant.example"),
        ("Denis Hastière", "denis@cpas-dinant.example"),
    ] {
        let id = app.create_person(name, email, false).await;
        person::Entity::update_many()
            .col_expr(
                person::Column::OrganisationId,
                sea_orm::sea_query::Expr::value(org.id),
            )
            .filter(person::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    app.create_person("Bruno Collard", "bruno@ili-gembloux.example", false)
        .await;

    let (status, fragment) = coordinator
        .get_htmx("/plateformes/sociojuridique/membres/ajouter?q=dinant")
        .await;
    assert_eq!(status, StatusCode::OK);
    // One tag a line, so that a change shows on its own line.
    let fragment = fragment.replace("><", ">\n<");
    settings(&[(
        r#"csrf_token" value="[^"]+""#,
        r#"csrf_token" value="[jeton]""#,
    )])
    .bind(|| insta::assert_snapshot!("fragment_recherche_membres", fragment));
}

/// The message as a reviewer reads it: headers as written, each part's body decoded (base64,
/// quoted-printable), "\n" line ends, and each MIME boundary named by its rank.
fn readable(eml: &str) -> String {
    let eml = eml.replace("\r\n", "\n");
    let boundaries: Vec<String> = eml
        .split("boundary=")
        .skip(1)
        .map(|rest| {
            rest.trim_start_matches('"')
                .split(['"', ';', '\n', ' '])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let is_boundary = |line: &str| {
        line.strip_prefix("--")
            .is_some_and(|b| boundaries.iter().any(|x| b.trim_end_matches('-') == x))
    };
    let mut out = String::new();
    let mut in_headers = true;
    let mut encoding: Option<String> = None;
    let mut body: Vec<&str> = Vec::new();
    let mut collecting = false;
    for line in eml.lines() {
        if collecting && !is_boundary(line) {
            body.push(line);
            continue;
        }
        if collecting {
            out.push_str(&decode(encoding.as_deref().unwrap_or_default(), &body));
            body.clear();
            collecting = false;
        }
        if is_boundary(line) {
            in_headers = true;
            encoding = None;
        } else if in_headers && line.is_empty() {
            in_headers = false;
            collecting = encoding.is_some();
        } else if in_headers && let Some(e) = line.strip_prefix("Content-Transfer-Encoding: ") {
            encoding = Some(e.trim().to_string());
        }
        out.push_str(line);
        out.push('\n');
    }
    if collecting {
        out.push_str(&decode(encoding.as_deref().unwrap_or_default(), &body));
    }
    for (rank, boundary) in boundaries.iter().enumerate() {
        out = out.replace(boundary.as_str(), &format!("[frontière {}]", rank + 1));
    }
    out
}

/// A part's body as text.
fn decode(encoding: &str, lines: &[&str]) -> String {
    use base64::Engine;
    let bytes = match encoding {
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(lines.concat())
            .unwrap(),
        "quoted-printable" => {
            let mut joined = String::new();
            for line in lines {
                match line.strip_suffix('=') {
                    Some(soft) => joined.push_str(soft),
                    None => {
                        joined.push_str(line);
                        joined.push('\n');
                    }
                }
            }
            let raw = joined.as_bytes();
            let mut bytes = Vec::with_capacity(raw.len());
            let mut i = 0;
            while i < raw.len() {
                if raw[i] == b'=' && i + 2 < raw.len() {
                    let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap();
                    bytes.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                } else {
                    bytes.push(raw[i]);
                    i += 1;
                }
            }
            bytes
        }
        _ => lines.join("\n").into_bytes(),
    };
    String::from_utf8(bytes).unwrap().replace("\r\n", "\n")
}
