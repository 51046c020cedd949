//! The occurrence index (`occurrences`): each meeting's sessions within the rolling horizon, one
//! row each, rewritten in the transaction of every change of the meeting. A moved session keeps
//! its row; a session that no longer exists loses it; after each kind of change the rows are
//! exactly those a fresh rewrite would write.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use maillage::entities::local_time::LocalDateTime;
use maillage::entities::{attendance, meeting, occurrence};
use maillage::meetings::index::{self, Horizon};
use reqwest::StatusCode;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};

use crate::helpers::{MeetingForm, TestApp, Visitor};

/// A row without its id: what a fresh rewrite must reproduce.
type Content = (String, String, String, String, String, bool, bool);

fn content(row: &occurrence::Model) -> Content {
    (
        row.original_start_local.to_string(),
        row.start_local.to_string(),
        row.end_local.to_string(),
        row.starts_at.to_rfc3339(),
        row.ends_at.to_rfc3339(),
        row.cancelled,
        row.moved,
    )
}

async fn rows_in(db: &impl ConnectionTrait, meeting_id: i64) -> Vec<occurrence::Model> {
    occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .order_by_asc(occurrence::Column::OriginalStartLocal)
        .all(db)
        .await
        .unwrap()
}

async fn rows(app: &TestApp, meeting_id: i64) -> Vec<occurrence::Model> {
    rows_in(&app.db, meeting_id).await
}

/// The rows a rewrite into an empty table writes for the meeting (in a transaction rolled back;
/// the attendance pointing at its rows goes with them there).
async fn fresh(db: &DatabaseConnection, meeting_id: i64) -> Vec<Content> {
    let txn = db.begin().await.unwrap();
    attendance::Entity::delete_many()
        .filter(attendance::Column::MeetingId.eq(meeting_id))
        .exec(&txn)
        .await
        .unwrap();
    occurrence::Entity::delete_many()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .exec(&txn)
        .await
        .unwrap();
    index::rewrite(&txn, meeting_id, Horizon::now())
        .await
        .unwrap();
    let written = rows_in(&txn, meeting_id)
        .await
        .iter()
        .map(content)
        .collect();
    txn.rollback().await.unwrap();
    written
}

/// Fails, naming `after`, unless the stored rows are those of a fresh rewrite (and not none).
async fn assert_current(app: &TestApp, meeting_id: i64, after: &str) {
    let stored: Vec<Content> = rows(app, meeting_id).await.iter().map(content).collect();
    assert!(!stored.is_empty(), "after {after}: no rows at all");
    assert_eq!(
        stored,
        fresh(&app.db, meeting_id).await,
        "after {after}: the index is not what a rewrite writes"
    );
}

/// The first Monday at least a week ahead.
fn next_monday() -> NaiveDate {
    let mut day = chrono::Utc::now().date_naive() + Duration::days(7);
    while day.weekday() != Weekday::Mon {
        day += Duration::days(1);
    }
    day
}

fn local(day: NaiveDate, time: &str) -> LocalDateTime {
    LocalDateTime::parse(&format!("{}T{time}", day.format("%Y-%m-%d"))).unwrap()
}

fn weekly(title: &str, first: NaiveDate, day: &'static str) -> MeetingForm {
    MeetingForm::new(title)
        .kind("office_hours")
        .on(first.format("%Y-%m-%d"))
        .from("09:00")
        .to("12:00")
        .set("repeat", "weekly")
        .set("interval", "1")
        .set(day, "on")
}

async fn change_session(admin: &Visitor, id: i64, fields: &[(&str, &str)]) {
    let r = admin
        .post_form(&format!("/reunions/{id}/occurrences"), fields)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{fields:?}");
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

async fn set_status(admin: &Visitor, id: i64, status: &str) {
    let r = admin
        .post_form(&format!("/reunions/{id}/statut"), &[("status", status)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_weekly_series_has_one_row_per_session_of_the_horizon() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next_monday();
    let id = weekly("Permanence", first, "day_mo").schedule(&admin).await;
    let horizon = Horizon::now();
    let mut expected = Vec::new();
    let mut day = first;
    while day.and_hms_opt(9, 0, 0).unwrap() < horizon.to {
        expected.push(local(day, "09:00:00"));
        day += Duration::weeks(1);
    }
    let stored = rows(&app, id).await;
    assert!(
        expected.len() > 100,
        "two years of Mondays: {}",
        expected.len()
    );
    assert_eq!(
        stored.iter().map(|r| r.start_local).collect::<Vec<_>>(),
        expected
    );
    let one = &stored[0];
    assert_eq!(one.original_start_local, one.start_local);
    assert_eq!(one.end_local, local(first, "12:00:00"));
    assert_eq!(
        one.starts_at,
        maillage::meetings::recurrence::to_utc(first.and_hms_opt(9, 0, 0).unwrap())
    );
    assert!(!one.cancelled && !one.moved);
    app.stop().await;
}

#[tokio::test]
async fn moving_skipping_and_restoring_a_session_rewrite_only_its_row() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next_monday();
    let id = weekly("Permanence", first, "day_mo").schedule(&admin).await;
    // Another series, whose rows no change of the first one touches.
    let other = weekly("Autre permanence", first + Duration::days(1), "day_tu")
        .schedule(&admin)
        .await;
    let others = rows(&app, other).await;
    let before = rows(&app, id).await;
    let second = local(first + Duration::weeks(1), "09:00:00");
    let third = local(first + Duration::weeks(2), "09:00:00");
    let row_of = |rows: &[occurrence::Model], original: LocalDateTime| {
        rows.iter()
            .find(|r| r.original_start_local == original)
            .cloned()
    };
    let second_row = row_of(&before, second).unwrap();

    // Moved: the same row, at its new time, marked moved.
    let new_day = (first + Duration::weeks(1) + Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    change_session(
        &admin,
        id,
        &[
            ("original", &second.to_string()),
            ("action", "move"),
            ("new_date", &new_day),
            ("new_start", "14:00"),
            ("new_end", "16:00"),
        ],
    )
    .await;
    let after = rows(&app, id).await;
    let moved = row_of(&after, second).unwrap();
    assert_eq!(moved.id, second_row.id, "a moved session keeps its row");
    assert_eq!(moved.start_local.to_string(), format!("{new_day}T14:00:00"));
    assert_eq!(moved.end_local.to_string(), format!("{new_day}T16:00:00"));
    assert!(moved.moved);
    assert_eq!(after.len(), before.len());
    // The other rows are untouched, ids and all.
    let untouched = |rows: &[occurrence::Model]| -> Vec<occurrence::Model> {
        rows.iter()
            .filter(|r| r.original_start_local != second && r.original_start_local != third)
            .cloned()
            .collect()
    };
    assert_eq!(untouched(&after), untouched(&before));

    // Skipped: its row is gone.
    change_session(
        &admin,
        id,
        &[("original", &third.to_string()), ("action", "skip")],
    )
    .await;
    let skipped = rows(&app, id).await;
    assert!(row_of(&skipped, third).is_none());
    assert_eq!(skipped.len(), before.len() - 1);

    // Cancelled: still there, same row, marked cancelled.
    let fourth = local(first + Duration::weeks(3), "09:00:00");
    let fourth_row = row_of(&skipped, fourth).unwrap();
    change_session(
        &admin,
        id,
        &[("original", &fourth.to_string()), ("action", "cancel")],
    )
    .await;
    let cancelled = row_of(&rows(&app, id).await, fourth).unwrap();
    assert_eq!(cancelled.id, fourth_row.id);
    assert!(cancelled.cancelled);

    // Restored: back at their own dates.
    for original in [second, third, fourth] {
        change_session(
            &admin,
            id,
            &[("original", &original.to_string()), ("action", "restore")],
        )
        .await;
    }
    let restored = rows(&app, id).await;
    assert_eq!(
        restored.iter().map(content).collect::<Vec<_>>(),
        before.iter().map(content).collect::<Vec<_>>()
    );
    assert_eq!(row_of(&restored, second).unwrap().id, second_row.id);
    assert_eq!(rows(&app, other).await, others, "another meeting's rows");
    app.stop().await;
}

#[tokio::test]
async fn a_new_weekday_replaces_the_series_rows() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next_monday();
    let id = weekly("Permanence", first, "day_mo").schedule(&admin).await;
    let before: Vec<i64> = rows(&app, id).await.iter().map(|r| r.id).collect();
    update(
        &admin,
        id,
        &weekly("Permanence", first + Duration::days(1), "day_tu"),
    )
    .await;
    let after = rows(&app, id).await;
    assert!(!after.is_empty());
    assert!(
        after
            .iter()
            .all(|r| r.start_local.naive().weekday() == Weekday::Tue && !r.moved)
    );
    assert!(after.iter().all(|r| !before.contains(&r.id)));
    assert_eq!(
        occurrence::Entity::find().count(&app.db).await.unwrap(),
        after.len() as u64,
        "no Monday row left behind"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_one_off_has_one_row_kept_when_it_moves_and_gone_with_the_meeting() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let day = chrono::Utc::now().date_naive() + Duration::days(40);
    let form = MeetingForm::new("Plénière")
        .on(day.format("%Y-%m-%d"))
        .from("10:00")
        .to("12:00");
    let id = form.schedule(&admin).await;
    let one = rows(&app, id).await;
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].start_local, local(day, "10:00:00"));
    assert_eq!(one[0].original_start_local, one[0].start_local);

    let later = day + Duration::days(3);
    update(&admin, id, &form.clone().on(later.format("%Y-%m-%d"))).await;
    let moved = rows(&app, id).await;
    assert_eq!(moved.len(), 1);
    assert_eq!(
        moved[0].id, one[0].id,
        "the meeting's session keeps its row"
    );
    assert_eq!(moved[0].start_local, local(later, "10:00:00"));

    let m = meeting::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    m.delete(&app.db).await.unwrap();
    assert!(rows(&app, id).await.is_empty(), "deleted with the meeting");
    app.stop().await;
}

/// Every write path of a meeting leaves the index as a fresh rewrite would: one that forgot to
/// rewrite fails here, naming the change.
#[tokio::test]
async fn after_every_kind_of_change_the_rows_are_those_of_a_fresh_rewrite() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let first = next_monday();
    let id = weekly("Permanence", first, "day_mo").schedule(&admin).await;
    assert_current(&app, id, "create (series)").await;
    let at = |weeks: i64| local(first + Duration::weeks(weeks), "09:00:00").to_string();
    let moved_to = (first + Duration::weeks(1) + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    change_session(
        &admin,
        id,
        &[
            ("original", &at(1)),
            ("action", "move"),
            ("new_date", &moved_to),
            ("new_start", "15:00"),
            ("new_end", "17:00"),
        ],
    )
    .await;
    assert_current(&app, id, "move").await;
    change_session(&admin, id, &[("original", &at(2)), ("action", "skip")]).await;
    assert_current(&app, id, "skip").await;
    change_session(&admin, id, &[("original", &at(3)), ("action", "cancel")]).await;
    assert_current(&app, id, "cancel").await;
    change_session(&admin, id, &[("original", &at(2)), ("action", "restore")]).await;
    assert_current(&app, id, "restore").await;
    update(
        &admin,
        id,
        &weekly("Permanence", first, "day_mo").from("10:00"),
    )
    .await;
    assert_current(&app, id, "update (new time)").await;
    set_status(&admin, id, "cancelled").await;
    assert_current(&app, id, "status cancelled").await;
    assert!(rows(&app, id).await.iter().all(|r| r.cancelled));
    set_status(&admin, id, "scheduled").await;
    assert_current(&app, id, "status scheduled").await;

    let day = chrono::Utc::now().date_naive() + Duration::days(30);
    let one_off = MeetingForm::new("Plénière")
        .on(day.format("%Y-%m-%d"))
        .from("10:00")
        .to("12:00");
    let single = one_off.schedule(&admin).await;
    assert_current(&app, single, "create (one-off)").await;
    update(&admin, single, &one_off.clone().from("11:00")).await;
    assert_current(&app, single, "update (one-off)").await;
    set_status(&admin, single, "held").await;
    assert_current(&app, single, "status held").await;

    // A daily series: some 730 sessions, written in batches.
    let daily = MeetingForm::new("Accueil quotidien")
        .kind("office_hours")
        .on(next_monday().format("%Y-%m-%d"))
        .from("08:00")
        .to("09:00")
        .set("repeat", "daily")
        .set("interval", "1")
        .schedule(&admin)
        .await;
    assert_current(&app, daily, "create (daily series)").await;
    assert!(rows(&app, daily).await.len() > 700);
    app.stop().await;
}

#[tokio::test]
async fn fill_missing_writes_the_rows_of_meetings_without_any() {
    let mut app = TestApp::spawn().await;
    let (_, admin) = app.signed_in("Admin", "admin@cri.example", true).await;
    let series = weekly("Permanence", next_monday(), "day_mo")
        .schedule(&admin)
        .await;
    let single = MeetingForm::new("Plénière")
        .on((chrono::Utc::now().date_naive() + Duration::days(30)).format("%Y-%m-%d"))
        .from("10:00")
        .to("12:00")
        .schedule(&admin)
        .await;
    let before_series: Vec<Content> = rows(&app, series).await.iter().map(content).collect();
    let before_single: Vec<Content> = rows(&app, single).await.iter().map(content).collect();
    let kept = rows(&app, single).await;
    // The series' rows lost (as in a database from before the index): filled again.
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM occurrences WHERE meeting_id = {series}"
        ))
        .await
        .unwrap();
    assert!(rows(&app, series).await.is_empty());
    assert_eq!(index::fill_missing(&app.db).await.unwrap(), 1);
    let after: Vec<Content> = rows(&app, series).await.iter().map(content).collect();
    assert_eq!(after, before_series);
    assert_eq!(
        rows(&app, single).await,
        kept,
        "a meeting with rows is left alone"
    );
    assert_eq!(
        rows(&app, single)
            .await
            .iter()
            .map(content)
            .collect::<Vec<_>>(),
        before_single
    );
    // Idempotent: nothing left to fill. The daily pass changes nothing on the same day.
    assert_eq!(index::fill_missing(&app.db).await.unwrap(), 0);
    let ids: Vec<i64> = rows(&app, series).await.iter().map(|r| r.id).collect();
    assert_eq!(index::extend(&app.db).await.unwrap(), 1);
    assert_eq!(
        rows(&app, series)
            .await
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        ids
    );

    // Two instances running the daily pass at once, with rows to write again: both succeed, the
    // rows are those of a rewrite.
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM occurrences WHERE meeting_id = {series} AND id > {}",
            ids[10]
        ))
        .await
        .unwrap();
    let (one, two) = tokio::join!(index::extend(&app.db), index::extend(&app.db));
    one.unwrap();
    two.unwrap();
    assert_eq!(
        rows(&app, series)
            .await
            .iter()
            .map(content)
            .collect::<Vec<_>>(),
        before_series
    );
    app.stop().await;
}

#[tokio::test]
async fn the_demo_loader_writes_the_index_of_its_meetings() {
    let mut app = TestApp::spawn().await;
    maillage::demo::load(&app.db).await.unwrap();
    let meetings = meeting::Entity::find().all(&app.db).await.unwrap();
    assert!(!meetings.is_empty());
    let horizon = Horizon::now();
    let marked: Vec<Option<i64>> = attendance::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.occurrence_id)
        .collect();
    for m in &meetings {
        // The demo's past sessions older than the horizon keep the rows their attendance and
        // minutes point at; the rest is what a fresh rewrite writes.
        let (inside, before): (Vec<occurrence::Model>, Vec<occurrence::Model>) = rows(&app, m.id)
            .await
            .into_iter()
            .partition(|r| m.rrule.is_none() || r.start_local.naive() >= horizon.from);
        for r in &before {
            assert!(
                marked.contains(&Some(r.id)),
                "« {} » {}: outside the horizon, pointed at",
                m.title,
                r.start_local
            );
        }
        let stored: Vec<Content> = inside.iter().map(content).collect();
        assert_eq!(
            stored,
            fresh(&app.db, m.id).await,
            "demo meeting « {} »",
            m.title
        );
        if m.rrule.is_none() {
            assert_eq!(stored.len(), 1, "one-off « {} »", m.title);
        }
    }
    app.stop().await;
}
