//! A single meeting's .ics, served outside the context middleware: the same visibility rule as
//! the meeting's page, read from the session cookie alone, validators and 304s, and never a
//! cookie in the answer (not even for a stale or forged session cookie).

use chrono::{Duration, Utc};
use maillage::entities::{person, session};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{MeetingForm, TestApp, Visitor, location};

fn ics_path(id: i64) -> String {
    format!("/reunions/{id}/evenement.ics")
}

/// No Set-Cookie at all: no session, CSRF or flash cookie, nothing cleared.
fn assert_no_cookie(response: &reqwest::Response, who: &str) {
    assert!(
        response.headers().get("set-cookie").is_none(),
        "{who}: {:?}",
        response.headers().get_all("set-cookie")
    );
}

/// A browser that sends exactly this Cookie header (and keeps nothing).
fn with_cookie(app: &TestApp, cookie: &str) -> impl AsyncFn(&str) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let (base, cookie) = (app.address.clone(), cookie.to_string());
    async move |path: &str| {
        client
            .get(format!("{base}{path}"))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap()
    }
}

async fn conditional(visitor: &Visitor, path: &str, etag: &str) -> reqwest::Response {
    visitor
        .client
        .get(visitor.url(path))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_public_meetings_ics_is_anyones_without_a_cookie_and_its_etag_follows_its_changes() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Citoyenneté", "citoyennete", true)
        .await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let form = MeetingForm::new("Rencontre publique")
        .platform(platform)
        .on("2027-05-11")
        .from("09:00")
        .to("12:00");
    let id = form.schedule(&admin).await;
    let path = ics_path(id);

    let first = app.anonymous.get(&path).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_no_cookie(&first, "anonymous");
    assert_eq!(
        first.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        first.headers()["content-disposition"],
        format!("attachment; filename=\"reunion-{id}.ics\"").as_str()
    );
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let modified = first.headers()["last-modified"]
        .to_str()
        .unwrap()
        .to_string();
    let body = first.text().await.unwrap();
    assert!(body.contains("SUMMARY:Rencontre publique"), "{body}");
    assert!(
        body.contains(&format!("UID:meeting-{id}@127.0.0.1")),
        "{body}"
    );

    // The client's copy is current: 304, nothing built, no cookie.
    let again = conditional(&app.anonymous, &path, &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_no_cookie(&again, "304");
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.text().await.unwrap().is_empty());
    let since = app
        .anonymous
        .client
        .get(app.anonymous.url(&path))
        .header("If-Modified-Since", &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
    let other = conditional(&app.anonymous, &path, "\"m0-0-0\"").await;
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another ETag is not this one"
    );
    let head = app
        .anonymous
        .client
        .head(app.anonymous.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["etag"].to_str().unwrap(), etag);

    // A signed-in visitor gets the same file, and keeps their cookies as they were.
    let as_admin = admin.get(&path).await;
    assert_eq!(as_admin.status(), StatusCode::OK);
    assert_no_cookie(&as_admin, "admin");
    assert_eq!(as_admin.headers()["etag"].to_str().unwrap(), etag);

    // A stale or forged session cookie is nobody: still served, nothing cleared or set.
    let forged = with_cookie(&app, "maillage_session=inventé; maillage_flash=x");
    let answer = forged(&path).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_no_cookie(&answer, "forged cookie");

    // The coordinator renames it: a new ETag and the new title.
    let r = admin
        .post_form(
            &format!("/reunions/{id}"),
            &form
                .clone()
                .set("title", "Rencontre renommée")
                .status("scheduled")
                .pairs(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let changed = conditional(&app.anonymous, &path, &etag).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_no_cookie(&changed, "after the change");
    let new_etag = changed.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(new_etag, etag);
    let body = changed.text().await.unwrap();
    assert!(body.contains("SUMMARY:Rencontre renommée"), "{body}");
    assert!(!body.contains("Rencontre publique"), "{body}");
    assert_eq!(
        conditional(&app.anonymous, &path, &new_etag).await.status(),
        StatusCode::NOT_MODIFIED
    );
    // The file as kept is the same as written.
    let kept = app.anonymous.get(&path).await;
    assert_eq!(kept.headers()["etag"].to_str().unwrap(), new_etag);
    assert_eq!(kept.text().await.unwrap(), body);

    // The platform's name is in the file (CATEGORIES): renaming it gives a new file too.
    let r = admin
        .post_form(
            "/plateformes/citoyennete",
            &[
                ("name", "Citoyenneté active"),
                ("slug", "citoyennete"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let renamed = conditional(&app.anonymous, &path, &new_etag).await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_ne!(renamed.headers()["etag"].to_str().unwrap(), new_etag);
    let body = renamed.text().await.unwrap();
    assert!(body.contains("Citoyenneté active"), "{body}");

    let missing = app.anonymous.get(&ics_path(id + 1000)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_no_cookie(&missing, "unknown meeting");
}

#[tokio::test]
async fn a_members_only_meetings_ics_follows_its_pages_rule_from_the_session_cookie_alone() {
    let app = TestApp::spawn().await;
    let platform = app
        .create_platform("Sociojuridique", "sociojuridique", true)
        .await;
    let group = app.create_group(platform, "Logement").await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let (member_id, member) = app.signed_in("Mina", "mina@asbl.example", false).await;
    app.add_to_platform(platform, member_id, "member").await;
    let (grouped_id, grouped) = app
        .signed_in("Gaspard", "gaspard@asbl.example", false)
        .await;
    app.add_to_group(group, grouped_id, "member").await;
    let (_, outsider) = app.signed_in("Olga", "olga@ailleurs.example", false).await;
    let platform_meeting = MeetingForm::new("Constats internes")
        .platform(platform)
        .members_only()
        .on("2027-05-11")
        .from("09:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let group_meeting = MeetingForm::new("Logement : réunion interne")
        .group(group)
        .members_only()
        .on("2027-05-12")
        .from("09:00")
        .to("12:00")
        .schedule(&admin)
        .await;

    // Who gets the file: exactly who gets the meeting's page.
    for (id, title, expected) in [
        (
            platform_meeting,
            "Constats internes",
            [
                StatusCode::SEE_OTHER,
                StatusCode::OK,
                StatusCode::FORBIDDEN,
                StatusCode::FORBIDDEN,
                StatusCode::OK,
            ],
        ),
        (
            group_meeting,
            "Logement : réunion interne",
            [
                StatusCode::SEE_OTHER,
                StatusCode::OK,
                StatusCode::OK,
                StatusCode::FORBIDDEN,
                StatusCode::OK,
            ],
        ),
    ] {
        let path = ics_path(id);
        for ((who, visitor), status) in [
            ("anonymous", &app.anonymous),
            ("platform member", &member),
            ("group member", &grouped),
            ("outsider", &outsider),
            ("admin", &admin),
        ]
        .into_iter()
        .zip(expected)
        {
            let page = visitor.get(&format!("/reunions/{id}")).await.status();
            assert_eq!(page, status, "{who}: the page of {title}");
            let answer = visitor.get(&path).await;
            assert_eq!(answer.status(), status, "{who}: the .ics of {title}");
            assert_no_cookie(&answer, who);
            let headers = answer.headers().clone();
            let body = answer.text().await.unwrap();
            assert_eq!(
                body.contains(&format!("SUMMARY:{title}")),
                status == StatusCode::OK,
                "{who}: {body}"
            );
            if status == StatusCode::SEE_OTHER {
                let location = headers["location"].to_str().unwrap();
                assert_eq!(
                    location,
                    format!("/connexion?suite=/reunions/{id}/evenement.ics"),
                    "{who}: back to the file after signing in"
                );
            }
            if status == StatusCode::OK {
                // A member's 304, and no 304 for whoever may not see it.
                let etag = headers["etag"].to_str().unwrap();
                let again = conditional(visitor, &path, etag).await;
                assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{who}");
                assert_no_cookie(&again, who);
                for (other, refused) in [("anonymous", &app.anonymous), ("outsider", &outsider)] {
                    assert_ne!(
                        conditional(refused, &path, etag).await.status(),
                        StatusCode::NOT_MODIFIED,
                        "{other} learns nothing from a 304"
                    );
                }
            }
        }
    }

    // A forged session cookie is nobody: the sign-in redirect, and no cookie set or cleared.
    let path = ics_path(platform_meeting);
    let forged = with_cookie(&app, "maillage_session=inventé");
    let answer = forged(&path).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(location(&answer).starts_with("/connexion?suite="));
    assert_no_cookie(&answer, "forged cookie");

    // An expired session is nobody too, and is left as it is (nothing written here).
    let expired = session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(session::Column::PersonId.eq(member_id))
        .exec(&app.db)
        .await
        .unwrap()
        .rows_affected;
    assert!(expired >= 1);
    let answer = member.get(&path).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_no_cookie(&answer, "expired session");
    assert_eq!(
        session::Entity::find()
            .filter(session::Column::PersonId.eq(member_id))
            .count(&app.db)
            .await
            .unwrap(),
        expired,
        "the .ics removes no session"
    );

    // A deactivated person's session opens nothing.
    person::Entity::update_many()
        .col_expr(person::Column::Active, Expr::value(false))
        .filter(person::Column::Id.eq(grouped_id))
        .exec(&app.db)
        .await
        .unwrap();
    let answer = grouped.get(&ics_path(group_meeting)).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_no_cookie(&answer, "deactivated");
}
