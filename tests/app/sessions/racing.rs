//! 200 registrations racing for the 50 seats of one session, through the real database.

use chrono::{Duration, Utc, Weekday};
use maillage::entities::registration::RegistrationStatus;
use maillage::meetings::booking;

use super::{
    count, next_weekday, page, platform_with_coordinator, registrations_of, session_row, weekly,
    ymd,
};
use crate::helpers::TestApp;

#[tokio::test]
async fn two_hundred_registrations_racing_for_fifty_seats_of_one_session_never_overbook() {
    let app = TestApp::spawn().await;
    let (platform, coordinator) = platform_with_coordinator(&app, true).await;
    let first = next_weekday(7, Weekday::Tue);
    let id = weekly("Séance d'information juridique", platform, first, "day_tu")
        .registration("50")
        .schedule(&coordinator)
        .await;
    let (session, other) = (
        session_row(&app, id, first).await,
        session_row(&app, id, first + Duration::weeks(1)).await,
    );
    let mut people = Vec::new();
    for i in 0..200 {
        people.push(
            app.create_person(
                &format!("Participant·e {i:03}"),
                &format!("p{i}@exemple.example"),
                false,
            )
            .await,
        );
    }
    let mut racing = tokio::task::JoinSet::new();
    for person_id in people {
        let (db, bus) = (app.state.db.clone(), app.state.events.clone());
        racing.spawn(async move {
            let request = booking::Request {
                person_id,
                registered_by: Some(person_id),
                ..Default::default()
            };
            booking::register(
                &db,
                booking::Target::session(id, session.id),
                request,
                Utc::now(),
                &bus,
            )
            .await
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = racing.join_next().await {
        outcomes.push(done.unwrap().unwrap().unwrap());
    }
    let confirmed = outcomes
        .iter()
        .filter(|o| **o == booking::Outcome::Confirmed)
        .count();
    assert_eq!(confirmed, 50);
    let mut places: Vec<u64> = outcomes
        .iter()
        .filter_map(|o| match o {
            booking::Outcome::Waiting(place) => Some(*place),
            booking::Outcome::Confirmed => None,
        })
        .collect();
    places.sort_unstable();
    assert_eq!(
        places,
        (1..=150).collect::<Vec<u64>>(),
        "each waiting place once"
    );
    let rows = registrations_of(&app, session.id).await;
    assert_eq!(rows.len(), 200);
    assert!(
        rows[..50]
            .iter()
            .all(|r| r.status == RegistrationStatus::Confirmed)
    );
    assert!(
        rows[50..]
            .iter()
            .all(|r| r.status == RegistrationStatus::Waiting)
    );
    let mut positions: Vec<i64> = rows.iter().map(|r| r.position).collect();
    positions.dedup();
    assert_eq!(positions.len(), 200, "no two arrivals share a position");
    assert_eq!(
        booking::confirmed_count(&app.db, booking::Target::session(id, session.id))
            .await
            .unwrap(),
        50
    );
    assert!(registrations_of(&app, other.id).await.is_empty());
    // The session page counts them.
    let html = page(&coordinator, &format!("/reunions/{id}/{}", ymd(first))).await;
    assert_eq!(count(&html, "count-confirmed"), "50");
    assert_eq!(count(&html, "count-waiting"), "150");
}
