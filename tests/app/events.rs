//! Domain events: meetings record what happened (a row in `domain_events`, in the change's
//! transaction); the mail room is one subscriber among others, writing its messages in that same
//! transaction — so a change that rolls back leaves neither event nor message.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate, Utc};
use maillage::entities::registration::RegistrationStatus;
use maillage::entities::{domain_event, outbox_message, registration};
use maillage::events::{self, Bus, Change, Event, Handling, Seat, Subscriber};
use maillage::mail::MailContext;
use maillage::mail::events::Notifier;
use maillage::meetings::booking;
use reqwest::StatusCode;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::helpers::{MeetingForm, TestApp, Visitor};

/// The events recorded for a meeting, in order, read back from their rows (whose columns must
/// agree with the payload).
async fn recorded(app: &TestApp, meeting_id: i64) -> Vec<Event> {
    domain_event::Entity::find()
        .filter(domain_event::Column::MeetingId.eq(meeting_id))
        .order_by_asc(domain_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let event = Event::from_row(row).unwrap();
            assert_eq!(row.kind, event.kind(), "row #{}", row.id);
            assert_eq!(row.actor_id, event.actor(), "row #{}", row.id);
            event
        })
        .collect()
}

/// Outbox rows of this kind for the meeting.
async fn messages(app: &TestApp, meeting_id: i64, kind: &str) -> u64 {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::MeetingId.eq(meeting_id))
        .filter(outbox_message::Column::Kind.eq(kind))
        .count(&app.db)
        .await
        .unwrap()
}

fn in_two_months() -> NaiveDate {
    (Utc::now() + Duration::days(60)).date_naive()
}

/// A platform with its coordinator signed in, and a meeting of one seat there: (meeting,
/// coordinator's id, their browser, the form that scheduled it).
async fn one_seat_meeting(app: &TestApp) -> (i64, i64, Visitor, MeetingForm) {
    let platform = app.create_platform("Emploi", "emploi", true).await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
    let form = MeetingForm::new("Plénière emploi")
        .platform(platform)
        .on(in_two_months())
        .from("09:00")
        .to("12:00")
        .place("Marlagne")
        .registration("1");
    let id = form.schedule(&coordinator).await;
    (id, coord, coordinator, form)
}

#[tokio::test]
async fn registrations_and_changes_to_a_meeting_are_recorded_as_events_beside_their_messages() {
    let app = TestApp::spawn().await;
    let (id, coord, coordinator, form) = one_seat_meeting(&app).await;
    let coord = Some(coord);
    let (amina_id, amina) = app
        .signed_in("Amina Benali", "amina@lee.example", false)
        .await;
    let (bruno_id, bruno) = app
        .signed_in("Bruno Collard", "bruno@cpas.example", false)
        .await;
    let mut expected = Vec::new();

    // Registrations: the seat, then the waiting list; a cancellation promotes.
    let path = format!("/reunions/{id}/inscription");
    assert_eq!(
        amina.post_form(&path, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        bruno.post_form(&path, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    expected.push(Event::Registered {
        meeting_id: id,
        session: None,
        person_id: amina_id,
        seat: Seat::Confirmed,
        by: Some(amina_id),
    });
    expected.push(Event::Registered {
        meeting_id: id,
        session: None,
        person_id: bruno_id,
        seat: Seat::Waiting { place: 1 },
        by: Some(bruno_id),
    });
    assert_eq!(recorded(&app, id).await, expected);
    assert_eq!(messages(&app, id, "registration").await, 2);

    // A refusal changes nothing: no event, no message.
    let refused = bruno.post_form(&path, &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(recorded(&app, id).await, expected);
    assert_eq!(messages(&app, id, "registration").await, 2);

    let r = amina
        .post_form(&format!("/reunions/{id}/desinscription"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    expected.push(Event::RegistrationCancelled {
        meeting_id: id,
        session: None,
        person_id: amina_id,
        by: Some(amina_id),
    });
    expected.push(Event::Promoted {
        meeting_id: id,
        session: None,
        person_id: bruno_id,
    });
    assert_eq!(recorded(&app, id).await, expected);
    assert_eq!(
        messages(&app, id, "registration").await,
        3,
        "Bruno hears of his seat, Amina of nothing"
    );

    // Changes reach the invitees.
    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/invitations"),
            &[("emails", "partenaire@commune.example")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let moved = form
        .clone()
        .place("Centre culturel de Namur")
        .status("scheduled")
        .set("confirm_clash", "1");
    let r = coordinator
        .post_form(&format!("/reunions/{id}"), &moved.pairs())
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    expected.push(Event::MeetingChanged {
        meeting_id: id,
        changes: vec![Change::Place],
        by: coord,
    });
    assert_eq!(recorded(&app, id).await, expected);
    assert_eq!(messages(&app, id, "update").await, 1);
    let update = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("update"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        update
            .subject
            .contains("nouveau lieu : Centre culturel de Namur"),
        "mail words the change: {}",
        update.subject
    );

    let status = format!("/reunions/{id}/statut");
    let r = coordinator
        .post_form(&status, &[("status", "cancelled")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = coordinator
        .post_form(&status, &[("status", "scheduled")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    expected.push(Event::MeetingCancelled {
        meeting_id: id,
        occurrence: None,
        by: coord,
    });
    expected.push(Event::MeetingRestored {
        meeting_id: id,
        by: coord,
    });
    assert_eq!(recorded(&app, id).await, expected);
    assert_eq!(messages(&app, id, "cancellation").await, 1);
    assert_eq!(messages(&app, id, "update").await, 2);

    let r = coordinator
        .post_form(
            &format!("/reunions/{id}/compte-rendu"),
            &[("minutes", "Douze constats relevés."), ("published", "on")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    expected.push(Event::MinutesPublished {
        meeting_id: id,
        session: None,
        by: coord,
    });
    assert_eq!(recorded(&app, id).await, expected);
    assert_eq!(
        messages(&app, id, "minutes").await,
        1,
        "the platform's one member"
    );
}

#[tokio::test]
async fn a_capacity_raised_in_the_edit_form_promotes_from_the_waiting_list_and_tells_those_promoted()
 {
    let app = TestApp::spawn().await;
    let (id, _, coordinator, form) = one_seat_meeting(&app).await;
    let mut expected = Vec::new();
    let mut ids = Vec::new();
    let path = format!("/reunions/{id}/inscription");
    for (name, email) in [
        ("Amina Benali", "amina@lee.example"),
        ("Bruno Collard", "bruno@cpas.example"),
        ("Chloé Martin", "chloe@ili.example"),
    ] {
        let (person_id, visitor) = app.signed_in(name, email, false).await;
        assert_eq!(
            visitor.post_form(&path, &[]).await.status(),
            StatusCode::SEE_OTHER
        );
        let seat = match expected.len() {
            0 => Seat::Confirmed,
            place => Seat::Waiting {
                place: place as u64,
            },
        };
        expected.push(Event::Registered {
            meeting_id: id,
            session: None,
            person_id,
            seat,
            by: Some(person_id),
        });
        ids.push(person_id);
    }
    let (bruno_id, chloe_id) = (ids[1], ids[2]);
    assert_eq!(recorded(&app, id).await, expected);
    let before: Vec<i64> = outbox_message::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();

    // One more seat: Bruno, first on the waiting list, takes it; Chloé waits on.
    let raised = form.clone().registration("2").set("confirm_clash", "1");
    let r = coordinator
        .post_form(&format!("/reunions/{id}"), &raised.pairs())
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let statuses: Vec<(i64, RegistrationStatus)> = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(id))
        .order_by_asc(registration::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.person_id, r.status))
        .collect();
    assert_eq!(
        statuses[1..],
        [
            (bruno_id, RegistrationStatus::Confirmed),
            (chloe_id, RegistrationStatus::Waiting)
        ]
    );
    expected.push(Event::Promoted {
        meeting_id: id,
        session: None,
        person_id: bruno_id,
    });
    assert_eq!(recorded(&app, id).await, expected);
    let new: Vec<(String, String)> = outbox_message::Entity::find()
        .filter(outbox_message::Column::Id.is_not_in(before))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.recipient, m.subject))
        .collect();
    assert_eq!(new.len(), 1, "only Bruno hears of a seat: {new:#?}");
    assert_eq!(new[0].0, "bruno@cpas.example", "{new:#?}");
    assert!(
        new[0]
            .1
            .starts_with("Place libérée : vous êtes inscrit·e à Plénière emploi"),
        "{new:#?}"
    );
}

#[tokio::test]
async fn sessions_of_a_series_cancelled_moved_and_restored_are_recorded_as_events() {
    let app = TestApp::spawn().await;
    let platform = app.create_platform("Emploi", "emploi", true).await;
    let (coord, coordinator) = app
        .signed_in("Coralie Lefèvre", "coralie@cri-namur.example", false)
        .await;
    app.add_to_platform(platform, coord, "coordinator").await;
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
    let path = format!("/reunions/{series}/occurrences");
    for fields in [
        vec![("original", "2027-03-09T09:30:00"), ("action", "cancel")],
        vec![
            ("original", "2027-04-13T09:30:00"),
            ("action", "move"),
            ("new_date", "2027-04-15"),
            ("new_start", "14:00"),
            ("new_end", "16:00"),
        ],
        vec![("original", "2027-04-13T09:30:00"), ("action", "restore")],
    ] {
        let r = coordinator.post_form(&path, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{fields:?}");
    }
    let at = |date: &str| {
        chrono::NaiveDateTime::parse_from_str(&format!("{date}T09:30:00"), "%Y-%m-%dT%H:%M:%S")
            .unwrap()
    };
    assert_eq!(
        recorded(&app, series).await,
        [
            Event::MeetingCancelled {
                meeting_id: series,
                occurrence: Some(at("2027-03-09")),
                by: Some(coord),
            },
            Event::MeetingChanged {
                meeting_id: series,
                changes: vec![Change::OccurrenceMoved {
                    original: at("2027-04-13")
                }],
                by: Some(coord),
            },
            Event::MeetingChanged {
                meeting_id: series,
                changes: vec![Change::OccurrenceRestored {
                    original: at("2027-04-13")
                }],
                by: Some(coord),
            },
        ]
    );
    assert_eq!(messages(&app, series, "cancellation").await, 1);
    let updates: Vec<String> = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("update"))
        .order_by_asc(outbox_message::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert_eq!(updates.len(), 2, "{updates:?}");
    assert!(updates[0].contains("est déplacée"), "{updates:?}");
    assert!(updates[1].contains("est rétablie"), "{updates:?}");
}

/// A subscriber that writes down each event it is handed, with what its transaction held then.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<(Event, u64, u64)>>,
}

impl Subscriber for Recorder {
    fn handle<'a>(&'a self, txn: &'a DatabaseTransaction, event: &'a Event) -> Handling<'a> {
        Box::pin(async move {
            let events = domain_event::Entity::find().count(txn).await?;
            let outbox = outbox_message::Entity::find().count(txn).await?;
            self.seen
                .lock()
                .unwrap()
                .push((event.clone(), events, outbox));
            Ok(())
        })
    }
}

/// A subscriber that fails: the change must not happen.
struct Failing;

impl Subscriber for Failing {
    fn handle<'a>(&'a self, _: &'a DatabaseTransaction, _: &'a Event) -> Handling<'a> {
        Box::pin(async { Err(DbErr::Custom("refusé par l'abonné de test".into())) })
    }
}

#[tokio::test]
async fn mail_is_one_subscriber_among_others_and_a_failing_subscriber_undoes_the_whole_change() {
    let app = TestApp::spawn().await;
    let (id, _, _, _) = one_seat_meeting(&app).await;
    let amina = app
        .create_person("Amina Benali", "amina@lee.example", false)
        .await;
    let mail = || Arc::new(Notifier::new(MailContext::of(&app.state)));
    let request = || booking::Request {
        person_id: amina,
        ..Default::default()
    };

    // Mail, then a subscriber that fails: the registration, its event and the message mail had
    // already written in the transaction are all gone.
    let failing = Bus::new().with(mail()).with(Arc::new(Failing));
    let outcome = booking::register(
        &app.db,
        booking::Target::meeting(id),
        request(),
        Utc::now(),
        &failing,
    )
    .await;
    assert!(
        outcome
            .as_ref()
            .is_err_and(|e| e.to_string().contains("refusé par l'abonné de test")),
        "{outcome:?}"
    );
    assert_eq!(
        registration::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(
        domain_event::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(
        outbox_message::Entity::find().count(&app.db).await.unwrap(),
        0
    );

    // Mail and a second subscriber: both get the event, in the one transaction (the recorder
    // sees the event row and mail's message before anything is committed).
    let recorder = Arc::new(Recorder::default());
    let bus = Bus::new().with(mail()).with(recorder.clone());
    let outcome = booking::register(
        &app.db,
        booking::Target::meeting(id),
        request(),
        Utc::now(),
        &bus,
    )
    .await;
    assert_eq!(outcome.unwrap(), Ok(booking::Outcome::Confirmed));
    let registered = Event::Registered {
        meeting_id: id,
        session: None,
        person_id: amina,
        seat: Seat::Confirmed,
        by: None,
    };
    assert_eq!(*recorder.seen.lock().unwrap(), [(registered.clone(), 1, 1)]);
    assert_eq!(recorded(&app, id).await, [registered]);
    assert_eq!(messages(&app, id, "registration").await, 1);
}

#[tokio::test]
async fn publishing_outside_a_request_records_the_event_and_rolls_back_with_its_transaction() {
    let app = TestApp::spawn().await;
    let (id, _, _, _) = one_seat_meeting(&app).await;
    let recorder = Arc::new(Recorder::default());
    let bus = Bus::new().with(recorder.clone());
    let event = Event::MinutesPublished {
        meeting_id: id,
        session: None,
        by: None,
    };

    let txn = maillage::db::begin_write(&app.db).await.unwrap();
    events::publish(&txn, &bus, event.clone()).await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(recorded(&app, id).await, []);

    let txn = maillage::db::begin_write(&app.db).await.unwrap();
    events::publish(&txn, &bus, event.clone()).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(recorded(&app, id).await, std::slice::from_ref(&event));
    let seen: Vec<Event> = recorder
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|(e, _, _)| e.clone())
        .collect();
    assert_eq!(seen, [event.clone(), event]);
}
