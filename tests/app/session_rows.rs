//! A session's row of the occurrence index is its identity: registrations, attendance and minutes
//! point at it. The index never deletes such a row: a session whose series changed its time keeps
//! its row (same day), one gone from the series stays, marked cancelled, and a past session keeps
//! its row after it leaves the horizon. A session beyond the horizon gets its row when asked for.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use maillage::entities::attendance::{self, Presence};
use maillage::entities::{occurrence, registration};
use maillage::events::Bus;
use maillage::meetings::booking::{self, Outcome, Request, Target};
use maillage::meetings::index::{self, Horizon};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::helpers::{MeetingForm, TestApp, Visitor};

/// The first `weekday` at least `days` days from today.
fn next(weekday: Weekday, days: i64) -> NaiveDate {
    let mut day = Utc::now().date_naive() + Duration::days(days);
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    day
}

fn weekly(first: NaiveDate, day: &'static str, from: &str) -> MeetingForm {
    MeetingForm::new("Permanence juridique")
        .on(first.format("%Y-%m-%d"))
        .from(from)
        .to("12:00")
        .registration("2")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set(day, "on")
}

async fn update(admin: &Visitor, id: i64, form: &MeetingForm) {
    let form = form.clone().status("scheduled").set("confirm_clash", "1");
    let r = admin
        .post_form(&format!("/reunions/{id}"), &form.pairs())
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
}

async fn session(app: &TestApp, id: i64, day: NaiveDate) -> occurrence::Model {
    let txn = app.db.begin().await.unwrap();
    let row = index::session_on(&txn, id, day).await.unwrap();
    txn.commit().await.unwrap();
    row.unwrap_or_else(|| panic!("no session on {day}"))
}

async fn register(app: &TestApp, id: i64, row: &occurrence::Model, person_id: i64) -> Outcome {
    let request = Request {
        person_id,
        registered_by: Some(person_id),
        ..Default::default()
    };
    booking::register(
        &app.db,
        Target::session(id, row.id),
        request,
        Utc::now(),
        &Bus::new(),
    )
    .await
    .unwrap()
    .unwrap()
}

async fn reread(app: &TestApp, row: &occurrence::Model) -> Option<occurrence::Model> {
    occurrence::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_registered_session_keeps_its_row_when_the_series_changes_its_time() {
    let mut app = TestApp::spawn().await;
    let (me, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next(Weekday::Mon, 7);
    let form = weekly(first, "day_mo", "09:00");
    let id = form.schedule(&admin).await;
    let second = first + Duration::days(7);
    let row = session(&app, id, second).await;
    assert_eq!(register(&app, id, &row, me).await, Outcome::Confirmed);

    update(&admin, id, &form.clone().from("10:00")).await;
    let after = reread(&app, &row).await.expect("the row is kept");
    assert_eq!(after.original_start_local.naive().date(), second);
    assert_eq!(after.start_local.to_string(), format!("{second}T10:00:00"));
    assert!(!after.cancelled);
    let registrations = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(registrations.len(), 1);
    assert_eq!(registrations[0].occurrence_id, Some(row.id));
    app.stop().await;
}

#[tokio::test]
async fn a_session_gone_from_the_series_stays_cancelled_with_its_registrations() {
    let mut app = TestApp::spawn().await;
    let (me, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next(Weekday::Mon, 7);
    let id = weekly(first, "day_mo", "09:00").schedule(&admin).await;
    let held = session(&app, id, first + Duration::days(14)).await;
    let free = session(&app, id, first + Duration::days(21)).await;
    register(&app, id, &held, me).await;

    // Mondays become Tuesdays: the Monday sessions are gone from the series.
    update(
        &admin,
        id,
        &weekly(first + Duration::days(1), "day_tu", "09:00"),
    )
    .await;
    let kept = reread(&app, &held)
        .await
        .expect("a session with registrations stays");
    assert!(kept.cancelled, "it no longer takes place");
    assert_eq!(kept.original_start_local, held.original_start_local);
    assert!(reread(&app, &free).await.is_none(), "an unused row goes");
    // A cancelled session refuses registrations.
    let (other, _) = app.signed_in("Awa", "awa@cri.example", false).await;
    let refused = booking::register(
        &app.db,
        Target::session(id, held.id),
        Request {
            person_id: other,
            ..Default::default()
        },
        Utc::now(),
        &Bus::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        refused,
        Err(booking::Refusal::Closed(booking::Closed::SessionCancelled))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_past_session_with_attendance_outlives_the_horizon() {
    let mut app = TestApp::spawn().await;
    let (me, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next(Weekday::Mon, 0) - Duration::weeks(60);
    let id = weekly(first, "day_mo", "09:00").schedule(&admin).await;
    // A year ago: outside the index's horizon, written when asked for.
    let day = first + Duration::weeks(4);
    assert!(day < Horizon::now().from.date());
    let attended = session(&app, id, day).await;
    assert_eq!(
        session(&app, id, day).await.id,
        attended.id,
        "asked twice: one row"
    );
    let unused = session(&app, id, day + Duration::weeks(1)).await;
    attendance::ActiveModel {
        meeting_id: Set(id),
        occurrence_id: Set(Some(attended.id)),
        person_id: Set(Some(me)),
        walk_in_name: Set(String::new()),
        status: Set(Presence::Present),
        marked_by: Set(Some(me)),
        marked_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    index::extend(&app.db).await.unwrap();
    let kept = reread(&app, &attended)
        .await
        .expect("the attended session stays");
    assert_eq!(kept, attended, "what happened stays as it was");
    assert!(
        reread(&app, &unused).await.is_none(),
        "an unused row outside the horizon goes"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_far_ahead_gets_its_row_and_other_days_have_none() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next(Weekday::Mon, 7);
    let id = weekly(first, "day_mo", "09:00").schedule(&admin).await;
    let far = next(Weekday::Mon, 30 * 31);
    assert!(far >= Horizon::now().to.date());
    let row = session(&app, id, far).await;
    assert_eq!(row.start_local.to_string(), format!("{far}T09:00:00"));
    let txn = app.db.begin().await.unwrap();
    assert!(
        index::session_on(&txn, id, far + Duration::days(1))
            .await
            .unwrap()
            .is_none(),
        "no session on a Tuesday"
    );
    txn.commit().await.unwrap();

    let one_off = MeetingForm::new("Plénière")
        .on((first + Duration::days(3)).format("%Y-%m-%d"))
        .from("09:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let txn = app.db.begin().await.unwrap();
    assert!(
        index::session_on(&txn, one_off, first + Duration::days(3))
            .await
            .unwrap()
            .is_none(),
        "a one-off has no sessions"
    );
    txn.commit().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_series_with_registered_sessions_cannot_become_a_one_off() {
    let mut app = TestApp::spawn().await;
    let (me, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next(Weekday::Mon, 7);
    let form = weekly(first, "day_mo", "09:00");
    let id = form.schedule(&admin).await;
    let row = session(&app, id, first).await;
    register(&app, id, &row, me).await;
    let one_off = form.clone().set("repeat", "none").status("scheduled");
    let r = admin
        .post_form(&format!("/reunions/{id}"), &one_off.pairs())
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("elle ne peut pas devenir une réunion unique"));
    assert!(reread(&app, &row).await.is_some_and(|r| !r.cancelled));
    app.stop().await;
}
