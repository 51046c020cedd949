//! The calendar caches held far under their usual bounds (one feed, two meetings' VEVENTs, one
//! meeting file): what is forgotten is written again exactly as before, and a change is never
//! hidden by what was kept.

use maillage::config::caches::Bound;
use reqwest::StatusCode;

use crate::helpers::{MeetingForm, TestApp, Visitor};

/// Status, ETag and text of a GET.
async fn fetch(visitor: &Visitor, path: &str) -> (StatusCode, String, String) {
    let response = visitor.get(path).await;
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, etag, response.text().await.unwrap_or_default())
}

/// The SUMMARY of meeting `id`'s VEVENT in a calendar (lines unfolded).
fn summary_of(ics: &str, id: i64) -> Option<String> {
    let unfolded = ics.replace("\r\n ", "");
    let uid = format!("UID:meeting-{id}@");
    unfolded
        .split("BEGIN:VEVENT")
        .skip(1)
        .find(|block| block.contains(&uid))?
        .lines()
        .find_map(|l| l.strip_prefix("SUMMARY:"))
        .map(str::to_string)
}

#[tokio::test]
async fn caches_over_their_bounds_forget_and_still_serve_the_same_and_then_the_fresh() {
    let app = TestApp::spawn_with(|config| {
        let tight = |entries| Bound {
            entries,
            bytes: 1 << 20,
        };
        config.caches.feeds = tight(1);
        config.caches.fragments = tight(2);
        config.caches.meeting_files = tight(1);
    })
    .await;
    let platform = app
        .create_platform("Emploi et formation", "emploi", true)
        .await;
    let group = app.create_group(platform, "Titres-services").await;
    let (_, admin) = app
        .signed_in("Admin", "admin@cri-namur.example", true)
        .await;
    let plenary = MeetingForm::new("Plénière de l'emploi")
        .platform(platform)
        .on("2027-02-03")
        .from("14:00")
        .to("16:00");
    let first_id = plenary.schedule(&admin).await;
    let second_id = MeetingForm::new("Séance d'information sur les titres-services")
        .platform(platform)
        .kind("information")
        .on("2027-03-10")
        .from("10:00")
        .to("11:30")
        .schedule(&admin)
        .await;
    let third_id = MeetingForm::new("Groupe de travail titres-services")
        .group(group)
        .kind("working_group")
        .on("2027-04-14")
        .from("09:30")
        .to("12:00")
        .schedule(&admin)
        .await;
    let titles = [
        (first_id, "Plénière de l'emploi"),
        (second_id, "Séance d'information sur les titres-services"),
        (third_id, "Groupe de travail titres-services"),
    ];

    // Three feeds asked for in turn: one kept at a time, two meetings' VEVENTs at a time.
    let feed = "/agenda/plateformes/emploi.ics";
    let (status, etag, first) = fetch(&app.anonymous, feed).await;
    assert_eq!(status, StatusCode::OK);
    for (id, title) in titles {
        assert_eq!(summary_of(&first, id).as_deref(), Some(title), "{first}");
    }
    let group_feed = format!("/agenda/gt/{group}.ics");
    let (status, _, in_group) = fetch(&app.anonymous, &group_feed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        summary_of(&in_group, third_id).as_deref(),
        Some(titles[2].1)
    );
    assert_eq!(summary_of(&in_group, first_id), None);
    let (status, _, network) = fetch(&app.anonymous, "/agenda/reseau.ics").await;
    assert_eq!(status, StatusCode::OK);
    for (id, title) in titles {
        assert_eq!(summary_of(&network, id).as_deref(), Some(title));
    }
    let (feeds, fragments) = (
        app.state.feeds.usage().unwrap(),
        app.state.fragments.usage().unwrap(),
    );
    assert_eq!(feeds.entries, 1);
    assert!(feeds.evicted >= 2, "{feeds:?}");
    assert!(fragments.entries <= 2, "{fragments:?}");
    assert!(fragments.evicted >= 1, "{fragments:?}");

    // The platform's feed, forgotten with most of its VEVENTs, is built again: the same bytes
    // under the same ETag.
    let (status, again_etag, again) = fetch(&app.anonymous, feed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again_etag, etag);
    assert_eq!(again, first);

    // Each meeting's file, one kept at a time: each right, the first the same when asked again.
    let mut files = Vec::new();
    for (id, title) in titles {
        let (status, _, body) =
            fetch(&app.anonymous, &format!("/reunions/{id}/evenement.ics")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(summary_of(&body, id).as_deref(), Some(title), "{body}");
        files.push(body);
    }
    let kept_files = app.state.meeting_files.usage().unwrap();
    assert_eq!(kept_files.entries, 1);
    assert!(kept_files.evicted >= 2, "{kept_files:?}");
    let path = format!("/reunions/{first_id}/evenement.ics");
    let (_, _, again) = fetch(&app.anonymous, &path).await;
    assert_eq!(again, files[0]);

    // A change: the feed and the file say the new title, never the old one.
    let r = admin
        .post_form(
            &format!("/reunions/{first_id}"),
            &plenary
                .clone()
                .set("title", "Plénière de l'emploi et de la formation")
                .status("scheduled")
                .pairs(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, changed_etag, changed) = fetch(&app.anonymous, feed).await;
    assert_ne!(changed_etag, etag);
    assert_eq!(
        summary_of(&changed, first_id).as_deref(),
        Some("Plénière de l'emploi et de la formation")
    );
    assert_eq!(
        summary_of(&changed, second_id).as_deref(),
        Some(titles[1].1)
    );
    let (_, _, file) = fetch(&app.anonymous, &path).await;
    assert_eq!(
        summary_of(&file, first_id).as_deref(),
        Some("Plénière de l'emploi et de la formation")
    );
    assert!(app.state.fragments.usage().unwrap().entries <= 2);
    assert!(app.state.meeting_files.usage().unwrap().entries <= 1);
}
