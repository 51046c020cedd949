//! Email against a real SMTP server (Python's aiosmtpd on loopback, writing a Maildir): what
//! arrives is read back with Python's email package and icalendar, field by field.

use maillage::entities::invitation::Answer;
use maillage::entities::outbox_message::{OutboxKind, OutboxStatus};
use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{invitation, outbox_message, registration};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::smtp::SmtpServer;
use crate::helpers::{MeetingForm, TestApp, Visitor, eventually, extract_csrf, free_port, skipped};

const ORGANIZER: &str = "Coordination du CRI <coordination@cri-namur.example>";

async fn plenary_world(smtp: &SmtpServer) -> (TestApp, Visitor, i64, i64) {
    let url = smtp.url();
    let app = TestApp::spawn_with(|c| {
        c.smtp_url = Some(url);
        c.mail_from = "maillage <maillage@cri-namur.example>".into();
        c.organizer = ORGANIZER.into();
    })
    .await;
    let platform = app
        .create_platform("Formation à la langue française", "fle", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    for (name, email) in [
        ("Amina Benali", "amina@lee.example"),
        ("Bruno Collard", "bruno@cpas.example"),
    ] {
        let id = app.create_person(name, email, false).await;
        app.add_to_platform(platform, id, "member").await;
    }
    let id = MeetingForm::new("Plénière FLE")
        .platform(platform)
        .on("2027-06-08")
        .from("09:00")
        .to("16:00")
        .place("Centre culturel de la Marlagne")
        .registration("50")
        .set("meal_options", "Végétarien, Pas de repas")
        .set("agenda", "09:00 | Accueil et café")
        .schedule(&coordinator)
        .await;
    (app, coordinator, id, platform)
}

#[tokio::test]
async fn a_coordinator_invites_a_platform_and_partners_and_real_mail_clients_get_working_invitations()
 {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, _) = plenary_world(&smtp).await;

    // A bad address is named, and nobody is invited.
    let refused = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[
                ("members", "on"),
                ("emails", "province@namur.example\npas-une-adresse"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("« pas-une-adresse »")
    );
    assert_eq!(invitation::Entity::find().count(&app.db).await.unwrap(), 0);

    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("members", "on"), ("emails", "Province de Namur <province@namur.example>, Ville de Ciney <ville@ciney.example>\npresse@journal.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    assert_eq!(
        smtp.count(),
        5,
        "two members and three partners (the sending coordinator is never invited)"
    );
    let messages = smtp.messages();
    let partner = messages
        .iter()
        .find(|m| m["to"].as_str().unwrap().contains("province@namur.example"))
        .unwrap();
    assert_eq!(partner["from"], "maillage <maillage@cri-namur.example>");
    assert!(
        partner["subject"]
            .as_str()
            .unwrap()
            .starts_with("Invitation : Plénière FLE")
    );
    assert_eq!(partner["raw_8bit"], false, "non-ASCII parts are encoded");
    assert_eq!(partner["calendar_in_alternative"], true);
    let calendar_part = partner["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == "text/calendar" && p["disposition"] != "attachment")
        .unwrap();
    assert_eq!(calendar_part["method"], "REQUEST");
    assert_eq!(calendar_part["charset"], "utf-8");
    assert!(
        partner["parts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["filename"] == "invitation.ics")
    );
    assert!(
        partner["text"]
            .as_str()
            .unwrap()
            .contains("Centre culturel de la Marlagne")
    );
    assert!(partner["html"].as_str().unwrap().contains("Plénière FLE"));
    let cal = &partner["calendar"];
    assert_eq!(cal["method"], "REQUEST", "METHOD equals the MIME method");
    let event = &cal["events"][0];
    assert_eq!(event["uid"], format!("meeting-{id}@127.0.0.1"));
    assert_eq!(event["sequence"], 0);
    assert_eq!(event["dtstart"]["tzid"], "Europe/Brussels");
    assert_eq!(event["dtstart"]["local"], "2027-06-08T09:00:00");
    assert_eq!(event["organizer"], "mailto:coordination@cri-namur.example");
    assert_eq!(event["sent_by"], "mailto:coralie@cri-namur.example");
    assert_eq!(
        event["attendees"].as_array().unwrap().len(),
        1,
        "one message per invitee, addresses kept private"
    );
    assert_eq!(
        event["attendees"][0]["address"],
        "mailto:province@namur.example"
    );
    assert_eq!(event["attendees"][0]["rsvp"], "TRUE");
    assert_eq!(event["attendees"][0]["partstat"], "NEEDS-ACTION");
    assert_eq!(event["attendees"][0]["role"], "REQ-PARTICIPANT");

    // The list and the answers show on the meeting page.
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    assert!(page.contains("province@namur.example") && page.contains("pas encore de réponse"));
    // Inviting again does not send twice.
    coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "province@namur.example")],
        )
        .await;
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 5);
}

fn answer_link(message: &Value, answer: &str) -> String {
    let text = message["text"].as_str().unwrap();
    let start = text.find("/invitation/").unwrap();
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == ')')
        .unwrap_or(rest.len());
    let link = &rest[..end];
    let base = link.rsplit_once('/').unwrap().0;
    format!("{base}/{answer}")
}

#[tokio::test]
async fn a_partner_accepts_from_the_link_and_is_registered_but_a_link_scanner_changes_nothing() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, _) = plenary_world(&smtp).await;
    coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "Province de Namur <province@namur.example>")],
        )
        .await;
    app.drain_outbox().await;
    let message = &smtp.messages()[0];
    let accept = answer_link(message, "accepte");

    // A mail filter opens the link: a confirmation page, nothing recorded.
    let scanner = app.visitor();
    let (status, page) = scanner.get_html(&accept).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Confirmer : J&#39;y serai") || page.contains("Confirmer : J'y serai"));
    assert!(
        page.contains(r#"name="meal""#),
        "the meal is asked when the meeting needs it"
    );
    let row = invitation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.answer, Answer::Pending);

    // A POST without the page's token is refused; with it, the answer is recorded.
    assert_eq!(
        scanner
            .post_form_without_csrf(&accept, &[("meal", "Végétarien")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let token = extract_csrf(&page).unwrap();
    let r = scanner
        .post_form_without_csrf(&accept, &[("meal", "Végétarien"), ("csrf_token", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Vous êtes inscrit·e."));
    let row = invitation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.answer, Answer::Accepted);
    let reg = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(row.person_id.unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (reg.status.as_str(), reg.meal.as_str()),
        ("confirmed", "Végétarien")
    );
    // The answer can change: declining frees the seat.
    let decline = answer_link(message, "decline");
    let r = scanner
        .post_form_without_csrf(&decline, &[("csrf_token", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        registration::Entity::find_by_id(reg.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .status,
        RegistrationStatus::Cancelled
    );

    // A forged or tampered link gets a clear French page and changes nothing.
    let forged = accept.replace("/invitation/", "/invitation/9");
    let (status, page) = scanner.get_html(&forged).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Ce lien de réponse n&#39;est pas valide")
            || page.contains("Ce lien de réponse n'est pas valide")
    );
    let r = scanner
        .post_form_without_csrf(&forged, &[("csrf_token", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        invitation::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .answer,
        Answer::Declined
    );
}

#[tokio::test]
async fn moving_then_cancelling_the_meeting_reaches_every_invitee_with_a_higher_sequence() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, platform) = plenary_world(&smtp).await;
    coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("members", "on"), ("emails", "province@namur.example")],
        )
        .await;
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 3, "the sending coordinator is not invited");
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}"),
            &MeetingForm::new("Plénière FLE")
                .platform(platform)
                .on("2027-06-15")
                .from("09:00")
                .to("16:00")
                .place("Centre culturel de la Marlagne")
                .registration("50")
                .set("meal_options", "Végétarien, Pas de repas")
                .status("scheduled")
                .set("confirm_clash", "1")
                .pairs(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 6);
    let updates: Vec<Value> = smtp
        .messages()
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Modifié"))
        .collect();
    assert_eq!(updates.len(), 3, "every invitee gets the update");
    for u in &updates {
        assert!(
            u["subject"].as_str().unwrap().contains("nouvelle date"),
            "{}",
            u["subject"]
        );
        assert_eq!(u["calendar"]["method"], "REQUEST");
        let e = &u["calendar"]["events"][0];
        assert_eq!(e["uid"], format!("meeting-{id}@127.0.0.1"), "same UID");
        assert_eq!(e["sequence"], 1, "SEQUENCE + 1");
        assert_eq!(e["dtstart"]["local"], "2027-06-15T09:00:00");
    }
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/statut"),
            &[("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 9);
    let cancels: Vec<Value> = smtp
        .messages()
        .into_iter()
        .filter(|m| m["calendar"]["method"] == "CANCEL")
        .collect();
    assert_eq!(cancels.len(), 3);
    for c in &cancels {
        let e = &c["calendar"]["events"][0];
        assert_eq!(e["status"], "CANCELLED");
        assert_eq!(e["sequence"], 2);
        let part = c["parts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["type"] == "text/calendar" && p["disposition"] != "attachment")
            .unwrap()
            .clone();
        assert_eq!(part["method"], "CANCEL");
    }
}

#[tokio::test]
async fn cancelling_one_occurrence_of_a_series_cancels_just_that_occurrence() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, _, platform) = plenary_world(&smtp).await;
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
    coordinator
        .post_form(
            &format!("/reunions/{series}/invitations"),
            &[("emails", "province@namur.example")],
        )
        .await;
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 1);
    let r = coordinator
        .post_form(
            &format!("/reunions/{series}/occurrences"),
            &[("original", "2027-03-09T09:30:00"), ("action", "cancel")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 2);
    let cancel = smtp
        .messages()
        .into_iter()
        .find(|m| m["calendar"]["method"] == "CANCEL")
        .unwrap();
    let e = &cancel["calendar"]["events"][0];
    assert_eq!(e["uid"], format!("meeting-{series}@127.0.0.1"));
    assert_eq!(e["recurrence_id"]["local"], "2027-03-09T09:30:00");
    assert_eq!(e["recurrence_id"]["tzid"], "Europe/Brussels");
    assert_eq!(e["status"], "CANCELLED");
}

#[tokio::test]
async fn with_the_smtp_server_down_for_a_while_nothing_is_lost_and_nothing_is_sent_twice() {
    let Some(mut smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, _) = plenary_world(&smtp).await;
    let partners: Vec<String> = (0..30)
        .map(|i| format!("partenaire{i}@commune.example"))
        .collect();
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", &partners.join("\n"))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Stop the server mid-batch, and let the worker find it gone.
    let before = smtp.wait_for(3).await;
    smtp.stop();
    eventually("a send to fail against the stopped server", async || {
        let failed = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq("pending"))
            .filter(outbox_message::Column::LastError.ne(""))
            .count(&app.db)
            .await
            .unwrap();
        let unsent = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.ne("sent"))
            .count(&app.db)
            .await
            .unwrap();
        // (All sent before the stop: the assertion below says so.)
        if failed > 0 || unsent == 0 {
            Ok(())
        } else {
            Err("no temporary failure recorded yet".into())
        }
    })
    .await;
    let waiting = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.ne("sent"))
        .count(&app.db)
        .await
        .unwrap();
    assert!(
        waiting > 0,
        "some messages wait for the server ({before} arrived before the stop)"
    );
    let (_, admin_page) = {
        let (_, admin) = app
            .signed_in("Admin", "admin@cri-namur.example", true)
            .await;
        admin.get_html("/admin/courriels").await
    };
    assert!(
        admin_page.contains("en attente")
            || admin_page.contains("Problème d&#39;envoi")
            || admin_page.contains("Problème d'envoi")
    );
    smtp.restart().await;
    app.drain_outbox().await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 30, "each message once, none lost");
    let mut recipients: Vec<String> = messages
        .iter()
        .map(|m| m["to"].as_str().unwrap().to_string())
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 30, "no duplicates");
    assert_eq!(
        outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq("sent"))
            .count(&app.db)
            .await
            .unwrap(),
        30
    );
}

#[tokio::test]
async fn two_app_instances_on_one_database_never_send_the_same_message_twice() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        skipped(
            "PostgreSQL (deux instances sur une base SQLite ne se partagent pas la file)",
            "TEST_DATABASE_URL=postgres://…",
        );
        return;
    }
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, _) = plenary_world(&smtp).await;
    let url = smtp.url();
    let (_second, handle) = app.second_instance(|c| c.smtp_url = Some(url)).await;
    let partners: Vec<String> = (0..60)
        .map(|i| format!("invite{i}@commune.example"))
        .collect();
    coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", &partners.join("\n"))],
        )
        .await;
    app.drain_outbox().await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 60, "exactly once each");
    let workers: std::collections::BTreeSet<String> = outbox_message::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.claimed_by)
        .collect();
    println!("instances qui ont envoyé : {}", workers.len());
    handle.abort();
}

#[tokio::test]
async fn without_smtp_messages_are_written_as_eml_files_and_listed_for_the_administrator() {
    let app = TestApp::spawn().await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let id = MeetingForm::new("Séance d'information")
        .kind("information")
        .on("2027-03-02")
        .from("10:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let r = admin
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "province@namur.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    let files: Vec<_> = std::fs::read_dir(app.mail_dir.path().join("outbox"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("method=REQUEST") || eml.contains("method=\"REQUEST\""));
    let (_, page) = admin.get_html("/admin/courriels").await;
    assert!(page.contains("province@namur.example") && page.contains("envoyé"));
    assert!(page.contains("fichiers .eml"));
}

#[tokio::test]
async fn an_smtp_server_that_cannot_be_reached_is_a_warning_not_a_crash() {
    let port = free_port();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let page = eventually("the administrator page to show the problem", async || {
        let page = admin.get_html("/admin/courriels").await.1;
        if page.contains("Problème d") {
            Ok(page)
        } else {
            Err(page)
        }
    })
    .await;
    assert!(
        page.contains("Problème d&#39;envoi") || page.contains("Problème d'envoi"),
        "{page}"
    );
    assert_eq!(app.anonymous.get("/healthz").await.status(), StatusCode::OK);
}

/// A meeting `days_ahead` from today, open to `capacity` registrations, with a reminder
/// `reminder_days` before it ("0" for none).
async fn registration_world(
    smtp: &SmtpServer,
    days_ahead: i64,
    capacity: &str,
    reminder_days: &str,
) -> (TestApp, Visitor, i64, i64) {
    let url = smtp.url();
    let app = TestApp::spawn_with(|c| c.smtp_url = Some(url)).await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(days_ahead))
        .format("%Y-%m-%d")
        .to_string();
    let id = MeetingForm::new("Séance d'information")
        .platform(platform)
        .kind("information")
        .on(&date)
        .from("10:00")
        .to("12:00")
        .registration(capacity)
        .set("reminder_days", reminder_days)
        .set("reminder_text", "Pensez à votre carte d'identité.")
        .schedule(&coordinator)
        .await;
    (app, coordinator, id, platform)
}

fn subjects(smtp: &SmtpServer) -> Vec<(String, String)> {
    smtp.messages()
        .into_iter()
        .map(|m| {
            (
                m["to"].as_str().unwrap().to_string(),
                m["subject"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn registration_notices_and_promotions_reach_those_who_want_them() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, _, id, _) = registration_world(&smtp, 30, "1", "2").await;
    let (_, amina) = app
        .signed_in("Amina Benali", "amina@lee.example", false)
        .await;
    let (_, bruno) = app
        .signed_in("Bruno Collard", "bruno@cpas.example", false)
        .await;
    let (chloe_id, chloe) = app
        .signed_in("Chloé Martin", "chloe@ili.example", false)
        .await;
    // Chloé does not want registration notices.
    let r = chloe
        .post_form(
            "/profil/notifications",
            &[("reminders", "on"), ("minutes", "on")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        !maillage::entities::person::Entity::find_by_id(chloe_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .notify_confirmations
    );

    amina
        .post_form(&format!("/reunions/{id}/inscription"), &[])
        .await;
    bruno
        .post_form(&format!("/reunions/{id}/inscription"), &[])
        .await;
    chloe
        .post_form(&format!("/reunions/{id}/inscription"), &[])
        .await;
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 2);
    amina
        .post_form(&format!("/reunions/{id}/desinscription"), &[])
        .await;
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 3);
    let got = subjects(&smtp);
    assert!(
        got.iter()
            .any(|(to, s)| to.contains("amina@lee.example")
                && s.starts_with("Inscription confirmée")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(to, s)| to.contains("bruno@cpas.example") && s.starts_with("Liste d'attente")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(to, s)| to.contains("bruno@cpas.example") && s.starts_with("Place libérée")),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|(to, _)| to.contains("chloe@ili.example")),
        "Chloé chose no registration notices"
    );
    assert_eq!(got.len(), 3);
}

#[tokio::test]
async fn reminders_go_out_once_to_registrants_and_accepted_invitees_within_the_delay() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    // No reminder yet: the worker must not send it before everyone registered.
    let (app, coordinator, id, _) = registration_world(&smtp, 1, "10", "0").await;
    let (_, amina) = app
        .signed_in("Amina Benali", "amina@lee.example", false)
        .await;
    let (outsider_id, _) = app
        .signed_in("Oscar Sans Rappel", "oscar@x.example", false)
        .await;
    maillage::entities::person::Entity::update_many()
        .col_expr(
            maillage::entities::person::Column::NotifyReminders,
            sea_orm::sea_query::Expr::value(false),
        )
        .col_expr(
            maillage::entities::person::Column::NotifyConfirmations,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(maillage::entities::person::Column::Id.eq(outsider_id))
        .exec(&app.db)
        .await
        .unwrap();
    coordinator
        .post_form(
            &format!("/reunions/{id}/inscriptions"),
            &[("person_id", &outsider_id.to_string())],
        )
        .await;
    amina
        .post_form(&format!("/reunions/{id}/inscription"), &[])
        .await;
    // Now the reminder falls due: the meeting is tomorrow, the delay two days.
    maillage::entities::meeting::Entity::update_many()
        .col_expr(
            maillage::entities::meeting::Column::ReminderDays,
            sea_orm::sea_query::Expr::value(2),
        )
        .filter(maillage::entities::meeting::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    // Amina's confirmation, then the reminder; then one more pass of the worker, which must not
    // send it again.
    app.drain_outbox_until("the reminder is sent", async || {
        maillage::entities::meeting::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .is_some_and(|m| m.reminder_sent_at.is_some())
    })
    .await;
    app.drain_outbox().await;
    let got = subjects(&smtp);
    let reminders: Vec<&(String, String)> = got
        .iter()
        .filter(|(_, s)| s.starts_with("Rappel"))
        .collect();
    let m = maillage::entities::meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let outbox: Vec<(OutboxKind, OutboxStatus, String)> = outbox_message::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.kind, o.status, o.last_error))
        .collect();
    assert_eq!(
        reminders.len(),
        1,
        "{got:?} {:?} {:?} {:?} {outbox:?}",
        m.reminder_sent_at,
        m.starts_at,
        m.reminder_days
    );
    assert!(reminders[0].0.contains("amina@lee.example"));
    let reminder = smtp
        .messages()
        .into_iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("Rappel"))
        .unwrap();
    assert!(
        reminder["text"]
            .as_str()
            .unwrap()
            .contains("Pensez à votre carte d'identité.")
    );
    let m = maillage::entities::meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(m.reminder_sent_at.is_some(), "sent once, and remembered");
}

#[tokio::test]
async fn publishing_minutes_tells_the_platform_members_who_want_it() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, platform) = registration_world(&smtp, 30, "10", "2").await;
    let (mina, _) = app.signed_in("Mina Membre", "mina@x.example", false).await;
    app.add_to_platform(platform, mina, "member").await;
    let (nora, nora_browser) = app.signed_in("Nora Sans CR", "nora@x.example", false).await;
    app.add_to_platform(platform, nora, "member").await;
    nora_browser
        .post_form(
            "/profil/notifications",
            &[("confirmations", "on"), ("reminders", "on")],
        )
        .await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/compte-rendu"),
            &[("minutes", "Douze constats relevés."), ("published", "on")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    let got = subjects(&smtp);
    assert!(
        got.iter()
            .any(|(to, s)| to.contains("mina@x.example") && s.starts_with("Compte rendu publié")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(to, _)| to.contains("coralie@cri-namur.example"))
    );
    assert!(
        !got.iter().any(|(to, _)| to.contains("nora@x.example")),
        "Nora opted out"
    );
    // Saving again does not notify twice.
    coordinator
        .post_form(
            &format!("/reunions/{id}/compte-rendu"),
            &[
                ("minutes", "Douze constats relevés, corrigé."),
                ("published", "on"),
            ],
        )
        .await;
    app.drain_outbox().await;
    assert_eq!(subjects(&smtp).len(), got.len());
}

#[tokio::test]
async fn an_unknown_mailbox_is_a_permanent_failure_shown_to_the_coordinator_and_not_retried() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, _) = plenary_world(&smtp).await;
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "inconnu@commune.example\nconnu@commune.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.drain_outbox().await;
    assert_eq!(smtp.count(), 1);
    let failed = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq("failed"))
        .one(&app.db)
        .await
        .unwrap();
    let rows: Vec<(String, OutboxStatus, i32, String)> = outbox_message::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.recipient, o.status, o.attempts, o.last_error))
        .collect();
    let failed = failed.unwrap_or_else(|| panic!("the refused message is marked failed: {rows:?}"));
    assert_eq!(failed.recipient, "inconnu@commune.example");
    assert!(failed.last_error.contains("550"), "{}", failed.last_error);
    assert_eq!(failed.attempts, 1, "a permanent refusal is not retried");
    let (_, page) = coordinator.get_html(&format!("/reunions/{id}")).await;
    assert!(
        page.contains("n&#39;ont pas pu être remis") || page.contains("n'ont pas pu être remis"),
        "shown on the meeting page"
    );
    assert!(page.contains("inconnu@commune.example"));
    // More passes of the worker leave it alone.
    app.drain_outbox().await;
    assert_eq!(
        outbox_message::Entity::find_by_id(failed.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .attempts,
        1
    );
    assert_eq!(smtp.count(), 1, "the other invitee got theirs");
}

#[tokio::test]
async fn a_message_left_mid_send_by_a_killed_server_is_sent_once_more_after_its_lease() {
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let (app, coordinator, id, _) = plenary_world(&smtp).await;
    // Stop the SMTP server so the invitation stays queued, then make the outbox look exactly as a
    // process killed between claiming and sending leaves it: "sending", claimed by a dead worker,
    // lease expired.
    let mut smtp = smtp;
    smtp.stop();
    coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "province@namur.example")],
        )
        .await;
    // Once the worker's first try failed against the stopped server (so it no longer holds it).
    eventually("the first try to fail", async || {
        let row = outbox_message::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .ok_or("no message queued")?;
        if row.status == OutboxStatus::Pending && row.attempts >= 1 {
            Ok(())
        } else {
            Err(format!("{} after {} attempts", row.status, row.attempts))
        }
    })
    .await;
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Status,
            sea_orm::sea_query::Expr::value("sending"),
        )
        .col_expr(
            outbox_message::Column::ClaimedBy,
            sea_orm::sea_query::Expr::value("worker-tue"),
        )
        .col_expr(
            outbox_message::Column::LeaseUntil,
            sea_orm::sea_query::Expr::value(Some(
                chrono::Utc::now() - chrono::Duration::seconds(1),
            )),
        )
        .col_expr(
            outbox_message::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() + chrono::Duration::hours(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    smtp.restart().await;
    app.drain_outbox().await;
    assert_eq!(
        smtp.count(),
        1,
        "taken over once the lease expired, and sent once, not twice"
    );
    let row = outbox_message::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, OutboxStatus::Sent);
    assert_ne!(row.claimed_by.as_deref(), Some("worker-tue"));
}
