use super::build::*;
use super::conditional::*;
use super::*;
use crate::calendar::cache::Stamp;
use axum::http::{HeaderValue, header};
use chrono::TimeZone;
use std::collections::BTreeSet;

fn shown(id: i64, day: u32, updated: u64) -> Shown {
    Shown {
        starts_at: format!("2027-03-{day:02}T08:00:00+00:00"),
        key: (id, false),
        stamp: Stamp {
            updated_at: updated,
            sequence: 0,
            platform: Some(1),
            group: None,
        },
    }
}

#[test]
fn catching_up_replaces_moves_adds_and_drops_only_the_changed_meetings() {
    let previous = vec![
        shown(1, 2, 0),
        shown(2, 5, 0),
        shown(3, 5, 0),
        shown(4, 9, 0),
    ];
    // 2 moved to the 10th, 3 left the feed, 5 is new on the 5th, 1 untouched.
    let changed: BTreeSet<i64> = [2, 3, 5].into_iter().collect();
    let fresh = vec![shown(2, 10, 7), shown(5, 5, 7)];
    let next = splice(&previous, &changed, fresh);
    let order: Vec<(i64, &str)> = next
        .iter()
        .map(|s| (s.key.0, &s.starts_at[8..10]))
        .collect();
    assert_eq!(order, vec![(1, "02"), (5, "05"), (4, "09"), (2, "10")]);
    assert_eq!(next[3].stamp.updated_at, 7);
    // Same start: by id, as the database orders them.
    let tied = splice(&previous, &[1].into_iter().collect(), vec![shown(1, 5, 1)]);
    let ids: Vec<i64> = tied.iter().map(|s| s.key.0).collect();
    assert_eq!(ids, vec![1, 2, 3, 4]);
}

#[test]
fn gzip_is_sent_only_to_clients_that_take_it() {
    let with = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("header"),
        );
        accepts_gzip(&headers)
    };
    assert!(with("gzip"));
    assert!(with("br;q=1.0, GZIP;q=0.8"));
    assert!(with("deflate, x-gzip"));
    assert!(!with("gzip;q=0"));
    assert!(!with("gzip; q=0.000, identity"));
    assert!(!with("identity"));
    assert!(!with("br"));
    assert!(!accepts_gzip(&HeaderMap::new()));
}

#[test]
fn a_copy_is_current_under_either_representations_tag() {
    let with = |name: header::HeaderName, value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("header"));
        headers
    };
    let tags = ["\"abc\"", "\"abc-gz\""];
    assert!(not_modified(
        &with(header::IF_NONE_MATCH, "\"abc\""),
        &tags,
        None
    ));
    assert!(not_modified(
        &with(header::IF_NONE_MATCH, "\"x\", W/\"abc-gz\""),
        &tags,
        None
    ));
    assert!(!not_modified(
        &with(header::IF_NONE_MATCH, "\"abd\""),
        &tags,
        None
    ));
    let modified = Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).single();
    assert!(not_modified(
        &with(header::IF_MODIFIED_SINCE, "Sun, 28 Mar 2027 01:30:00 GMT"),
        &tags,
        modified
    ));
    assert!(!not_modified(
        &with(header::IF_MODIFIED_SINCE, "Sun, 28 Mar 2027 01:29:59 GMT"),
        &tags,
        modified
    ));
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    let mut both = with(header::IF_NONE_MATCH, "\"old\"");
    both.insert(
        header::IF_MODIFIED_SINCE,
        HeaderValue::from_static("Sun, 28 Mar 2027 01:30:00 GMT"),
    );
    assert!(!not_modified(&both, &tags, modified));
}

#[test]
fn a_stamp_follows_the_written_instant_and_the_names_it_shows() {
    let a = stamp("2027-03-02T08:00:00.123456+00:00", 1, None, None);
    assert_eq!(a, stamp("2027-03-02T08:00:00.123456+00:00", 1, None, None));
    assert_ne!(a, stamp("2027-03-02T08:00:00.123457+00:00", 1, None, None));
    assert_ne!(a, stamp("2027-03-02T08:00:00.123456+00:00", 2, None, None));
}
