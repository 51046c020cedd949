use super::describe::*;
use super::expand::*;
use super::pattern::*;
use super::rule::*;
use super::*;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%MZ")
        .unwrap()
        .and_utc()
}

/// A whitespace-separated list of expected values.
fn list(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn rule(s: &str) -> Rule {
    Rule::parse(s).unwrap()
}

fn local_starts(occurrences: &[Occurrence]) -> Vec<String> {
    occurrences
        .iter()
        .map(|o| o.start.format("%Y-%m-%dT%H:%M").to_string())
        .collect()
}

fn utc_starts(occurrences: &[Occurrence]) -> Vec<String> {
    occurrences
        .iter()
        .map(|o| o.start_utc.format("%Y-%m-%dT%H:%MZ").to_string())
        .collect()
}

fn year_2027(rrule: &str, dtstart: &str, hours: i64) -> Vec<Occurrence> {
    expand(
        dt(dtstart),
        Duration::hours(hours),
        &rule(rrule),
        &[],
        dt("2027-01-01T00:00"),
        dt("2028-01-01T00:00"),
    )
}

/// Expands an office schedule over 2027 and compares it, date by date, with the UTC starts
/// computed independently (python-dateutil + zoneinfo), and checks the local wall-clock times.
fn check_office(rrule: &str, dtstart: &str, start: &str, end: &str, expected_utc: &str) {
    let occurrences = year_2027(rrule, dtstart, 3);
    assert_eq!(utc_starts(&occurrences), list(expected_utc), "{rrule}");
    for o in &occurrences {
        assert_eq!(o.start.format("%H:%M").to_string(), start, "{o:?}");
        assert_eq!(o.end.format("%H:%M").to_string(), end, "{o:?}");
        assert_eq!(o.start.date(), o.start_utc.date_naive(), "{o:?}");
        assert_eq!(o.end.date(), o.start.date(), "{o:?}");
        assert_eq!(o.end_utc - o.start_utc, Duration::hours(3), "{o:?}");
        assert_eq!(to_utc(o.start), o.start_utc, "{o:?}");
    }
}

// ---- Expected data, generated independently with python-dateutil 2.9 and zoneinfo:
// rrulestr(rule, dtstart=first session on or after 1 Sep 2026), occurrences in 2027,
// local Europe/Brussels times converted to UTC. DST in 2027: 28 March and 31 October.

// ANDENNE: FREQ=MONTHLY;BYDAY=2FR,4FR, dtstart 2026-09-11T13:00:00, 24 occurrences in 2027
const ANDENNE_2027_UTC: &str = "\
2027-01-08T12:00Z 2027-01-22T12:00Z 2027-02-12T12:00Z 2027-02-26T12:00Z \
2027-03-12T12:00Z 2027-03-26T12:00Z 2027-04-09T11:00Z 2027-04-23T11:00Z \
2027-05-14T11:00Z 2027-05-28T11:00Z 2027-06-11T11:00Z 2027-06-25T11:00Z \
2027-07-09T11:00Z 2027-07-23T11:00Z 2027-08-13T11:00Z 2027-08-27T11:00Z \
2027-09-10T11:00Z 2027-09-24T11:00Z 2027-10-08T11:00Z 2027-10-22T11:00Z \
2027-11-12T12:00Z 2027-11-26T12:00Z 2027-12-10T12:00Z 2027-12-24T12:00Z";
// BEAURAING: FREQ=MONTHLY;BYDAY=3TH, dtstart 2026-09-17T09:00:00, 12 occurrences in 2027
const BEAURAING_2027_UTC: &str = "\
2027-01-21T08:00Z 2027-02-18T08:00Z 2027-03-18T08:00Z 2027-04-15T07:00Z \
2027-05-20T07:00Z 2027-06-17T07:00Z 2027-07-15T07:00Z 2027-08-19T07:00Z \
2027-09-16T07:00Z 2027-10-21T07:00Z 2027-11-18T08:00Z 2027-12-16T08:00Z";
// CINEY: FREQ=MONTHLY;BYDAY=1TH,3TH, dtstart 2026-09-03T09:00:00, 24 occurrences in 2027
const CINEY_2027_UTC: &str = "\
2027-01-07T08:00Z 2027-01-21T08:00Z 2027-02-04T08:00Z 2027-02-18T08:00Z \
2027-03-04T08:00Z 2027-03-18T08:00Z 2027-04-01T07:00Z 2027-04-15T07:00Z \
2027-05-06T07:00Z 2027-05-20T07:00Z 2027-06-03T07:00Z 2027-06-17T07:00Z \
2027-07-01T07:00Z 2027-07-15T07:00Z 2027-08-05T07:00Z 2027-08-19T07:00Z \
2027-09-02T07:00Z 2027-09-16T07:00Z 2027-10-07T07:00Z 2027-10-21T07:00Z \
2027-11-04T08:00Z 2027-11-18T08:00Z 2027-12-02T08:00Z 2027-12-16T08:00Z";
// DINANT: FREQ=MONTHLY;BYDAY=2TH,4TH, dtstart 2026-09-10T13:00:00, 24 occurrences in 2027
const DINANT_2027_UTC: &str = "\
2027-01-14T12:00Z 2027-01-28T12:00Z 2027-02-11T12:00Z 2027-02-25T12:00Z \
2027-03-11T12:00Z 2027-03-25T12:00Z 2027-04-08T11:00Z 2027-04-22T11:00Z \
2027-05-13T11:00Z 2027-05-27T11:00Z 2027-06-10T11:00Z 2027-06-24T11:00Z \
2027-07-08T11:00Z 2027-07-22T11:00Z 2027-08-12T11:00Z 2027-08-26T11:00Z \
2027-09-09T11:00Z 2027-09-23T11:00Z 2027-10-14T11:00Z 2027-10-28T11:00Z \
2027-11-11T12:00Z 2027-11-25T12:00Z 2027-12-09T12:00Z 2027-12-23T12:00Z";
// GEMBLOUX: FREQ=MONTHLY;BYDAY=2TH,4TH, dtstart 2026-09-10T09:00:00, 24 occurrences in 2027
const GEMBLOUX_2027_UTC: &str = "\
2027-01-14T08:00Z 2027-01-28T08:00Z 2027-02-11T08:00Z 2027-02-25T08:00Z \
2027-03-11T08:00Z 2027-03-25T08:00Z 2027-04-08T07:00Z 2027-04-22T07:00Z \
2027-05-13T07:00Z 2027-05-27T07:00Z 2027-06-10T07:00Z 2027-06-24T07:00Z \
2027-07-08T07:00Z 2027-07-22T07:00Z 2027-08-12T07:00Z 2027-08-26T07:00Z \
2027-09-09T07:00Z 2027-09-23T07:00Z 2027-10-14T07:00Z 2027-10-28T07:00Z \
2027-11-11T08:00Z 2027-11-25T08:00Z 2027-12-09T08:00Z 2027-12-23T08:00Z";
// PHILIPPEVILLE: FREQ=MONTHLY;BYDAY=1TU,3TU, dtstart 2026-09-01T09:00:00, 24 occurrences in 2027
const PHILIPPEVILLE_2027_UTC: &str = "\
2027-01-05T08:00Z 2027-01-19T08:00Z 2027-02-02T08:00Z 2027-02-16T08:00Z \
2027-03-02T08:00Z 2027-03-16T08:00Z 2027-04-06T07:00Z 2027-04-20T07:00Z \
2027-05-04T07:00Z 2027-05-18T07:00Z 2027-06-01T07:00Z 2027-06-15T07:00Z \
2027-07-06T07:00Z 2027-07-20T07:00Z 2027-08-03T07:00Z 2027-08-17T07:00Z \
2027-09-07T07:00Z 2027-09-21T07:00Z 2027-10-05T07:00Z 2027-10-19T07:00Z \
2027-11-02T08:00Z 2027-11-16T08:00Z 2027-12-07T08:00Z 2027-12-21T08:00Z";
// SAMBREVILLE: FREQ=WEEKLY;INTERVAL=2;BYDAY=MO, dtstart 2027-01-04T09:00:00, 26 occurrences in 2027
const SAMBREVILLE_2027_UTC: &str = "\
2027-01-04T08:00Z 2027-01-18T08:00Z 2027-02-01T08:00Z 2027-02-15T08:00Z \
2027-03-01T08:00Z 2027-03-15T08:00Z 2027-03-29T07:00Z 2027-04-12T07:00Z \
2027-04-26T07:00Z 2027-05-10T07:00Z 2027-05-24T07:00Z 2027-06-07T07:00Z \
2027-06-21T07:00Z 2027-07-05T07:00Z 2027-07-19T07:00Z 2027-08-02T07:00Z \
2027-08-16T07:00Z 2027-08-30T07:00Z 2027-09-13T07:00Z 2027-09-27T07:00Z \
2027-10-11T07:00Z 2027-10-25T07:00Z 2027-11-08T08:00Z 2027-11-22T08:00Z \
2027-12-06T08:00Z 2027-12-20T08:00Z";
// NAMUR: FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR, dtstart 2026-09-01T09:00:00, 261 occurrences in 2027
const NAMUR_2027_UTC: &str = "\
2027-01-01T08:00Z 2027-01-04T08:00Z 2027-01-05T08:00Z 2027-01-06T08:00Z \
2027-01-07T08:00Z 2027-01-08T08:00Z 2027-01-11T08:00Z 2027-01-12T08:00Z \
2027-01-13T08:00Z 2027-01-14T08:00Z 2027-01-15T08:00Z 2027-01-18T08:00Z \
2027-01-19T08:00Z 2027-01-20T08:00Z 2027-01-21T08:00Z 2027-01-22T08:00Z \
2027-01-25T08:00Z 2027-01-26T08:00Z 2027-01-27T08:00Z 2027-01-28T08:00Z \
2027-01-29T08:00Z 2027-02-01T08:00Z 2027-02-02T08:00Z 2027-02-03T08:00Z \
2027-02-04T08:00Z 2027-02-05T08:00Z 2027-02-08T08:00Z 2027-02-09T08:00Z \
2027-02-10T08:00Z 2027-02-11T08:00Z 2027-02-12T08:00Z 2027-02-15T08:00Z \
2027-02-16T08:00Z 2027-02-17T08:00Z 2027-02-18T08:00Z 2027-02-19T08:00Z \
2027-02-22T08:00Z 2027-02-23T08:00Z 2027-02-24T08:00Z 2027-02-25T08:00Z \
2027-02-26T08:00Z 2027-03-01T08:00Z 2027-03-02T08:00Z 2027-03-03T08:00Z \
2027-03-04T08:00Z 2027-03-05T08:00Z 2027-03-08T08:00Z 2027-03-09T08:00Z \
2027-03-10T08:00Z 2027-03-11T08:00Z 2027-03-12T08:00Z 2027-03-15T08:00Z \
2027-03-16T08:00Z 2027-03-17T08:00Z 2027-03-18T08:00Z 2027-03-19T08:00Z \
2027-03-22T08:00Z 2027-03-23T08:00Z 2027-03-24T08:00Z 2027-03-25T08:00Z \
2027-03-26T08:00Z 2027-03-29T07:00Z 2027-03-30T07:00Z 2027-03-31T07:00Z \
2027-04-01T07:00Z 2027-04-02T07:00Z 2027-04-05T07:00Z 2027-04-06T07:00Z \
2027-04-07T07:00Z 2027-04-08T07:00Z 2027-04-09T07:00Z 2027-04-12T07:00Z \
2027-04-13T07:00Z 2027-04-14T07:00Z 2027-04-15T07:00Z 2027-04-16T07:00Z \
2027-04-19T07:00Z 2027-04-20T07:00Z 2027-04-21T07:00Z 2027-04-22T07:00Z \
2027-04-23T07:00Z 2027-04-26T07:00Z 2027-04-27T07:00Z 2027-04-28T07:00Z \
2027-04-29T07:00Z 2027-04-30T07:00Z 2027-05-03T07:00Z 2027-05-04T07:00Z \
2027-05-05T07:00Z 2027-05-06T07:00Z 2027-05-07T07:00Z 2027-05-10T07:00Z \
2027-05-11T07:00Z 2027-05-12T07:00Z 2027-05-13T07:00Z 2027-05-14T07:00Z \
2027-05-17T07:00Z 2027-05-18T07:00Z 2027-05-19T07:00Z 2027-05-20T07:00Z \
2027-05-21T07:00Z 2027-05-24T07:00Z 2027-05-25T07:00Z 2027-05-26T07:00Z \
2027-05-27T07:00Z 2027-05-28T07:00Z 2027-05-31T07:00Z 2027-06-01T07:00Z \
2027-06-02T07:00Z 2027-06-03T07:00Z 2027-06-04T07:00Z 2027-06-07T07:00Z \
2027-06-08T07:00Z 2027-06-09T07:00Z 2027-06-10T07:00Z 2027-06-11T07:00Z \
2027-06-14T07:00Z 2027-06-15T07:00Z 2027-06-16T07:00Z 2027-06-17T07:00Z \
2027-06-18T07:00Z 2027-06-21T07:00Z 2027-06-22T07:00Z 2027-06-23T07:00Z \
2027-06-24T07:00Z 2027-06-25T07:00Z 2027-06-28T07:00Z 2027-06-29T07:00Z \
2027-06-30T07:00Z 2027-07-01T07:00Z 2027-07-02T07:00Z 2027-07-05T07:00Z \
2027-07-06T07:00Z 2027-07-07T07:00Z 2027-07-08T07:00Z 2027-07-09T07:00Z \
2027-07-12T07:00Z 2027-07-13T07:00Z 2027-07-14T07:00Z 2027-07-15T07:00Z \
2027-07-16T07:00Z 2027-07-19T07:00Z 2027-07-20T07:00Z 2027-07-21T07:00Z \
2027-07-22T07:00Z 2027-07-23T07:00Z 2027-07-26T07:00Z 2027-07-27T07:00Z \
2027-07-28T07:00Z 2027-07-29T07:00Z 2027-07-30T07:00Z 2027-08-02T07:00Z \
2027-08-03T07:00Z 2027-08-04T07:00Z 2027-08-05T07:00Z 2027-08-06T07:00Z \
2027-08-09T07:00Z 2027-08-10T07:00Z 2027-08-11T07:00Z 2027-08-12T07:00Z \
2027-08-13T07:00Z 2027-08-16T07:00Z 2027-08-17T07:00Z 2027-08-18T07:00Z \
2027-08-19T07:00Z 2027-08-20T07:00Z 2027-08-23T07:00Z 2027-08-24T07:00Z \
2027-08-25T07:00Z 2027-08-26T07:00Z 2027-08-27T07:00Z 2027-08-30T07:00Z \
2027-08-31T07:00Z 2027-09-01T07:00Z 2027-09-02T07:00Z 2027-09-03T07:00Z \
2027-09-06T07:00Z 2027-09-07T07:00Z 2027-09-08T07:00Z 2027-09-09T07:00Z \
2027-09-10T07:00Z 2027-09-13T07:00Z 2027-09-14T07:00Z 2027-09-15T07:00Z \
2027-09-16T07:00Z 2027-09-17T07:00Z 2027-09-20T07:00Z 2027-09-21T07:00Z \
2027-09-22T07:00Z 2027-09-23T07:00Z 2027-09-24T07:00Z 2027-09-27T07:00Z \
2027-09-28T07:00Z 2027-09-29T07:00Z 2027-09-30T07:00Z 2027-10-01T07:00Z \
2027-10-04T07:00Z 2027-10-05T07:00Z 2027-10-06T07:00Z 2027-10-07T07:00Z \
2027-10-08T07:00Z 2027-10-11T07:00Z 2027-10-12T07:00Z 2027-10-13T07:00Z \
2027-10-14T07:00Z 2027-10-15T07:00Z 2027-10-18T07:00Z 2027-10-19T07:00Z \
2027-10-20T07:00Z 2027-10-21T07:00Z 2027-10-22T07:00Z 2027-10-25T07:00Z \
2027-10-26T07:00Z 2027-10-27T07:00Z 2027-10-28T07:00Z 2027-10-29T07:00Z \
2027-11-01T08:00Z 2027-11-02T08:00Z 2027-11-03T08:00Z 2027-11-04T08:00Z \
2027-11-05T08:00Z 2027-11-08T08:00Z 2027-11-09T08:00Z 2027-11-10T08:00Z \
2027-11-11T08:00Z 2027-11-12T08:00Z 2027-11-15T08:00Z 2027-11-16T08:00Z \
2027-11-17T08:00Z 2027-11-18T08:00Z 2027-11-19T08:00Z 2027-11-22T08:00Z \
2027-11-23T08:00Z 2027-11-24T08:00Z 2027-11-25T08:00Z 2027-11-26T08:00Z \
2027-11-29T08:00Z 2027-11-30T08:00Z 2027-12-01T08:00Z 2027-12-02T08:00Z \
2027-12-03T08:00Z 2027-12-06T08:00Z 2027-12-07T08:00Z 2027-12-08T08:00Z \
2027-12-09T08:00Z 2027-12-10T08:00Z 2027-12-13T08:00Z 2027-12-14T08:00Z \
2027-12-15T08:00Z 2027-12-16T08:00Z 2027-12-17T08:00Z 2027-12-20T08:00Z \
2027-12-21T08:00Z 2027-12-22T08:00Z 2027-12-23T08:00Z 2027-12-24T08:00Z \
2027-12-27T08:00Z 2027-12-28T08:00Z 2027-12-29T08:00Z 2027-12-30T08:00Z \
2027-12-31T08:00Z";

// ---- Other shapes, generated the same way (local wall-clock times).

// FREQ=MONTHLY;BYDAY=1TU, dtstart 2027-01-05 14:00, window [2027-01-01, 2028-01-01)
const FIRST_TUESDAY: &str = "\
2027-01-05T14:00 2027-02-02T14:00 2027-03-02T14:00 2027-04-06T14:00 \
2027-05-04T14:00 2027-06-01T14:00 2027-07-06T14:00 2027-08-03T14:00 \
2027-09-07T14:00 2027-10-05T14:00 2027-11-02T14:00 2027-12-07T14:00";
// FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO, dtstart 1997-08-05 09:00
const WKST_MO: &str = "\
1997-08-05T09:00 1997-08-10T09:00 1997-08-19T09:00 1997-08-24T09:00";
// FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU, dtstart 1997-08-05 09:00
const WKST_SU: &str = "\
1997-08-05T09:00 1997-08-17T09:00 1997-08-19T09:00 1997-08-31T09:00";
// FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12, dtstart 2027-01-29 10:00
const LAST_WORKDAY: &str = "\
2027-01-29T10:00 2027-02-26T10:00 2027-03-31T10:00 2027-04-30T10:00 \
2027-05-31T10:00 2027-06-30T10:00 2027-07-30T10:00 2027-08-31T10:00 \
2027-09-30T10:00 2027-10-29T10:00 2027-11-30T10:00 2027-12-31T10:00";
// FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU, dtstart 2024-03-31 12:00, window [2024-01-01, 2033-01-01)
const DST_SWITCHES: &str = "\
2024-03-31T12:00 2024-10-27T12:00 2025-03-30T12:00 2025-10-26T12:00 \
2026-03-29T12:00 2026-10-25T12:00 2027-03-28T12:00 2027-10-31T12:00 \
2028-03-26T12:00 2028-10-29T12:00 2029-03-25T12:00 2029-10-28T12:00 \
2030-03-31T12:00 2030-10-27T12:00 2031-03-30T12:00 2031-10-26T12:00 \
2032-03-28T12:00 2032-10-31T12:00";
// FREQ=MONTHLY;BYMONTHDAY=-1, dtstart 2027-01-31 17:00, window [2027-01-01, 2028-01-01)
const LAST_DAY: &str = "\
2027-01-31T17:00 2027-02-28T17:00 2027-03-31T17:00 2027-04-30T17:00 \
2027-05-31T17:00 2027-06-30T17:00 2027-07-31T17:00 2027-08-31T17:00 \
2027-09-30T17:00 2027-10-31T17:00 2027-11-30T17:00 2027-12-31T17:00";
// FREQ=MONTHLY;COUNT=7, dtstart 2027-01-31 10:00
const DAY_31: &str = "\
2027-01-31T10:00 2027-03-31T10:00 2027-05-31T10:00 2027-07-31T10:00 \
2027-08-31T10:00 2027-10-31T10:00 2027-12-31T10:00";
// FREQ=YEARLY;COUNT=3, dtstart 2024-02-29 10:00
const FEB_29: &str = "\
2024-02-29T10:00 2028-02-29T10:00 2032-02-29T10:00";
// FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=6, dtstart 2026-02-13 10:00
const FRIDAY_13: &str = "\
2026-02-13T10:00 2026-03-13T10:00 2026-11-13T10:00 2027-08-13T10:00 \
2028-10-13T10:00 2029-04-13T10:00";
// FREQ=YEARLY;BYDAY=20MO;COUNT=3, dtstart 1997-05-19 09:00
const MONDAY_20: &str = "\
1997-05-19T09:00 1998-05-18T09:00 1999-05-17T09:00";
// FREQ=MONTHLY;BYDAY=-2MO;COUNT=6, dtstart 1997-09-22 09:00
const SECOND_TO_LAST_MONDAY: &str = "\
1997-09-22T09:00 1997-10-20T09:00 1997-11-17T09:00 1997-12-22T09:00 \
1998-01-19T09:00 1998-02-16T09:00";
// FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3, dtstart 1997-09-04 09:00
const THIRD_TU_WE_TH: &str = "\
1997-09-04T09:00 1997-10-07T09:00 1997-11-06T09:00";
// FREQ=YEARLY;COUNT=6;BYMONTH=6,7, dtstart 1997-06-10 09:00
const JUNE_JULY: &str = "\
1997-06-10T09:00 1997-07-10T09:00 1998-06-10T09:00 1998-07-10T09:00 \
1999-06-10T09:00 1999-07-10T09:00";
// FREQ=DAILY;INTERVAL=10;COUNT=5, dtstart 2027-03-20 02:30
const EVERY_TEN_DAYS: &str = "\
2027-03-20T02:30 2027-03-30T02:30 2027-04-09T02:30 2027-04-19T02:30 \
2027-04-29T02:30";
// FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270331T235959, dtstart 2027-01-05 18:00
const TUE_THU_FORTNIGHT_UNTIL: &str = "\
2027-01-05T18:00 2027-01-07T18:00 2027-01-19T18:00 2027-01-21T18:00 \
2027-02-02T18:00 2027-02-04T18:00 2027-02-16T18:00 2027-02-18T18:00 \
2027-03-02T18:00 2027-03-04T18:00 2027-03-16T18:00 2027-03-18T18:00 \
2027-03-30T18:00";
// FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR, dtstart 2027-01-29 09:30, window [2027-01-01, 2028-01-01)
const LAST_FRIDAY_QUARTER: &str = "\
2027-01-29T09:30 2027-04-30T09:30 2027-07-30T09:30 2027-10-29T09:30";
// FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=1,2,3,4,5,6,9,10,11,12, dtstart 2027-01-01 09:00, window [2027-01-01, 2028-01-01)
const FIRST_AND_FIFTEENTH: &str = "\
2027-01-01T09:00 2027-01-15T09:00 2027-02-01T09:00 2027-02-15T09:00 \
2027-03-01T09:00 2027-03-15T09:00 2027-04-01T09:00 2027-04-15T09:00 \
2027-05-01T09:00 2027-05-15T09:00 2027-06-01T09:00 2027-06-15T09:00 \
2027-09-01T09:00 2027-09-15T09:00 2027-10-01T09:00 2027-10-15T09:00 \
2027-11-01T09:00 2027-11-15T09:00 2027-12-01T09:00 2027-12-15T09:00";
// FREQ=MONTHLY;BYDAY=5TH, dtstart 2027-04-29 09:00, window [2027-01-01, 2028-01-01)
const FIFTH_THURSDAY: &str = "\
2027-04-29T09:00 2027-07-29T09:00 2027-09-30T09:00 2027-12-30T09:00";

// ---- The reception offices in 2027 -------------------------------------------------

#[test]
fn andenne_second_and_fourth_fridays_2027_match_independent_list() {
    check_office(
        "FREQ=MONTHLY;BYDAY=2FR,4FR",
        "2026-09-11T13:00",
        "13:00",
        "16:00",
        ANDENNE_2027_UTC,
    );
}

#[test]
fn beauraing_third_thursdays_2027_match_independent_list() {
    check_office(
        "FREQ=MONTHLY;BYDAY=3TH",
        "2026-09-17T09:00",
        "09:00",
        "12:00",
        BEAURAING_2027_UTC,
    );
}

#[test]
fn ciney_first_and_third_thursdays_2027_match_independent_list() {
    check_office(
        "FREQ=MONTHLY;BYDAY=1TH,3TH",
        "2026-09-03T09:00",
        "09:00",
        "12:00",
        CINEY_2027_UTC,
    );
}

#[test]
fn dinant_second_and_fourth_thursday_afternoons_2027_match_independent_list() {
    check_office(
        "FREQ=MONTHLY;BYDAY=2TH,4TH",
        "2026-09-10T13:00",
        "13:00",
        "16:00",
        DINANT_2027_UTC,
    );
}

#[test]
fn gembloux_second_and_fourth_thursday_mornings_2027_match_independent_list() {
    check_office(
        "FREQ=MONTHLY;BYDAY=2TH,4TH",
        "2026-09-10T09:00",
        "09:00",
        "12:00",
        GEMBLOUX_2027_UTC,
    );
}

#[test]
fn philippeville_two_half_days_a_month_2027_match_independent_list() {
    check_office(
        "FREQ=MONTHLY;BYDAY=1TU,3TU",
        "2026-09-01T09:00",
        "09:00",
        "12:00",
        PHILIPPEVILLE_2027_UTC,
    );
}

#[test]
fn sambreville_every_other_monday_from_4_january_2027_matches_independent_list() {
    check_office(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        "2027-01-04T09:00",
        "09:00",
        "12:00",
        SAMBREVILLE_2027_UTC,
    );
}

#[test]
fn namur_weekday_mornings_2027_counts_and_spot_dates() {
    let occurrences = year_2027("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-09-01T09:00", 3);
    assert_eq!(utc_starts(&occurrences), list(NAMUR_2027_UTC));
    assert_eq!(occurrences.len(), 261);
    let per_month: Vec<usize> = (1..=12)
        .map(|m| occurrences.iter().filter(|o| o.start.month() == m).count())
        .collect();
    assert_eq!(per_month, [21, 20, 23, 22, 21, 22, 22, 22, 22, 21, 22, 23]);
    let starts = utc_starts(&occurrences);
    assert_eq!(starts.first().unwrap(), "2027-01-01T08:00Z");
    assert_eq!(starts.last().unwrap(), "2027-12-31T08:00Z");
    for expected in [
        "2027-03-26T08:00Z", // Friday before spring-forward: CET
        "2027-03-29T07:00Z", // Monday after: CEST
        "2027-10-29T07:00Z", // Friday before fall-back: CEST
        "2027-11-01T08:00Z", // Monday after: CET
        "2027-07-14T07:00Z",
    ] {
        assert!(starts.iter().any(|s| s == expected), "{expected} missing");
    }
    assert!(
        !occurrences
            .iter()
            .any(|o| o.start.weekday() == Weekday::Sat || o.start.weekday() == Weekday::Sun)
    );
    assert!(occurrences.iter().all(|o| o.start.time()
        == NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        && o.end.time() == NaiveTime::from_hms_opt(12, 0, 0).unwrap()));
}

#[test]
fn andenne_is_12h_utc_in_winter_and_11h_utc_in_summer() {
    let occurrences = year_2027("FREQ=MONTHLY;BYDAY=2FR,4FR", "2026-09-11T13:00", 3);
    let summer_start = dt("2027-03-28T03:00");
    let winter_start = dt("2027-10-31T02:00");
    for o in &occurrences {
        let summer = o.start >= summer_start && o.start < winter_start;
        let (start, end) = if summer { (11, 14) } else { (12, 15) };
        assert_eq!(o.start_utc.hour(), start, "{o:?}");
        assert_eq!(o.end_utc.hour(), end, "{o:?}");
    }
    let find = |d: &str| {
        occurrences
            .iter()
            .find(|o| o.start.date() == day(d))
            .unwrap()
    };
    assert_eq!(find("2027-03-26").start_utc, utc("2027-03-26T12:00Z"));
    assert_eq!(find("2027-04-09").start_utc, utc("2027-04-09T11:00Z"));
    assert_eq!(find("2027-10-22").start_utc, utc("2027-10-22T11:00Z"));
    assert_eq!(find("2027-11-12").start_utc, utc("2027-11-12T12:00Z"));
    assert_eq!(find("2027-11-12").end_utc, utc("2027-11-12T15:00Z"));
}

#[test]
fn office_schedules_are_described_in_french() {
    for (rrule, text) in [
        (
            "FREQ=MONTHLY;BYDAY=2FR,4FR",
            "les 2e et 4e vendredis du mois",
        ),
        ("FREQ=MONTHLY;BYDAY=3TH", "le 3e jeudi du mois"),
        ("FREQ=MONTHLY;BYDAY=1TH,3TH", "les 1er et 3e jeudis du mois"),
        ("FREQ=MONTHLY;BYDAY=2TH,4TH", "les 2e et 4e jeudis du mois"),
        ("FREQ=MONTHLY;BYDAY=1TU,3TU", "les 1er et 3e mardis du mois"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "un lundi sur deux"),
        (
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "chaque semaine du lundi au vendredi",
        ),
    ] {
        assert_eq!(rule(rrule).describe_fr(), text, "{rrule}");
    }
}

// ---- Other shapes ---------------------------------------------------------------------

#[test]
fn monthly_on_the_first_tuesday() {
    let occurrences = year_2027("FREQ=MONTHLY;BYDAY=1TU", "2027-01-05T14:00", 2);
    assert_eq!(local_starts(&occurrences), list(FIRST_TUESDAY));
    assert!(
        occurrences
            .iter()
            .all(|o| o.start.weekday() == Weekday::Tue && o.start.day() <= 7)
    );
    assert_eq!(
        rule("FREQ=MONTHLY;BYDAY=1TU").describe_fr(),
        "le 1er mardi du mois"
    );
}

#[test]
fn more_shapes_match_independent_lists() {
    let far = dt("2100-01-01T00:00");
    let cases = [
        (
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            "1997-08-05T09:00",
            None,
            WKST_MO,
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            "1997-08-05T09:00",
            None,
            WKST_SU,
        ),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12",
            "2027-01-29T10:00",
            None,
            LAST_WORKDAY,
        ),
        (
            "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
            "2024-03-31T12:00",
            Some(("2024-01-01T00:00", "2033-01-01T00:00")),
            DST_SWITCHES,
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "2027-01-31T17:00",
            Some(("2027-01-01T00:00", "2028-01-01T00:00")),
            LAST_DAY,
        ),
        ("FREQ=MONTHLY;COUNT=7", "2027-01-31T10:00", None, DAY_31),
        ("FREQ=YEARLY;COUNT=3", "2024-02-29T10:00", None, FEB_29),
        (
            "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=6",
            "2026-02-13T10:00",
            None,
            FRIDAY_13,
        ),
        (
            "FREQ=YEARLY;BYDAY=20MO;COUNT=3",
            "1997-05-19T09:00",
            None,
            MONDAY_20,
        ),
        (
            "FREQ=MONTHLY;BYDAY=-2MO;COUNT=6",
            "1997-09-22T09:00",
            None,
            SECOND_TO_LAST_MONDAY,
        ),
        (
            "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
            "1997-09-04T09:00",
            None,
            THIRD_TU_WE_TH,
        ),
        (
            "FREQ=YEARLY;COUNT=6;BYMONTH=6,7",
            "1997-06-10T09:00",
            None,
            JUNE_JULY,
        ),
        (
            "FREQ=DAILY;INTERVAL=10;COUNT=5",
            "2027-03-20T02:30",
            None,
            EVERY_TEN_DAYS,
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270331T235959",
            "2027-01-05T18:00",
            None,
            TUE_THU_FORTNIGHT_UNTIL,
        ),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
            "2027-01-29T09:30",
            Some(("2027-01-01T00:00", "2028-01-01T00:00")),
            LAST_FRIDAY_QUARTER,
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=1,2,3,4,5,6,9,10,11,12",
            "2027-01-01T09:00",
            Some(("2027-01-01T00:00", "2028-01-01T00:00")),
            FIRST_AND_FIFTEENTH,
        ),
        (
            "FREQ=MONTHLY;BYDAY=5TH",
            "2027-04-29T09:00",
            Some(("2027-01-01T00:00", "2028-01-01T00:00")),
            FIFTH_THURSDAY,
        ),
    ];
    for (rrule, start, window, expected) in cases {
        let (from, to) = window.map_or((dt("1900-01-01T00:00"), far), |(a, b)| (dt(a), dt(b)));
        let occurrences = expand(dt(start), Duration::hours(1), &rule(rrule), &[], from, to);
        assert_eq!(local_starts(&occurrences), list(expected), "{rrule}");
    }
}

#[test]
fn byday_with_and_without_ranks_is_a_union() {
    // RFC 5545: every Monday plus the 3rd Sunday (python-dateutil intersects the two instead).
    let occurrences = expand(
        dt("2027-01-04T10:00"),
        Duration::hours(1),
        &rule("FREQ=MONTHLY;BYDAY=MO,3SU"),
        &[],
        dt("2027-01-01T00:00"),
        dt("2027-02-01T00:00"),
    );
    assert_eq!(
        local_starts(&occurrences),
        list(
            "2027-01-04T10:00 2027-01-11T10:00 2027-01-17T10:00 2027-01-18T10:00 2027-01-25T10:00"
        )
    );
}

#[test]
fn exdate_skips_one_session_and_keeps_the_others() {
    let andenne = rule("FREQ=MONTHLY;BYDAY=2FR,4FR");
    let skipped = [dt("2027-07-09T13:00"), dt("2027-12-24T13:00")];
    let occurrences = expand(
        dt("2026-09-11T13:00"),
        Duration::hours(3),
        &andenne,
        &skipped,
        dt("2027-07-01T00:00"),
        dt("2028-01-01T00:00"),
    );
    let starts = local_starts(&occurrences);
    assert_eq!(starts.len(), 10);
    assert!(!starts.contains(&"2027-07-09T13:00".to_string()));
    assert!(!starts.contains(&"2027-12-24T13:00".to_string()));
    assert_eq!(starts.first().unwrap(), "2027-07-23T13:00");
    assert_eq!(starts.last().unwrap(), "2027-12-10T13:00");
    // An exdate at another time of day does not skip anything.
    let other_time = expand(
        dt("2026-09-11T13:00"),
        Duration::hours(3),
        &andenne,
        &[dt("2027-07-09T09:00")],
        dt("2027-07-01T00:00"),
        dt("2027-08-01T00:00"),
    );
    assert_eq!(other_time.len(), 2);
}

#[test]
fn exdated_occurrences_still_count_towards_count() {
    let occurrences = expand(
        dt("2027-01-05T14:00"),
        Duration::hours(2),
        &rule("FREQ=MONTHLY;BYDAY=1TU;COUNT=4"),
        &[dt("2027-02-02T14:00")],
        dt("2027-01-01T00:00"),
        dt("2028-01-01T00:00"),
    );
    assert_eq!(
        local_starts(&occurrences),
        ["2027-01-05T14:00", "2027-03-02T14:00", "2027-04-06T14:00"]
    );
}

#[test]
fn exdating_dtstart_skips_it() {
    let occurrences = expand(
        dt("2027-01-05T14:00"),
        Duration::hours(2),
        &rule("FREQ=MONTHLY;BYDAY=1TU;COUNT=3"),
        &[dt("2027-01-05T14:00")],
        dt("2027-01-01T00:00"),
        dt("2028-01-01T00:00"),
    );
    assert_eq!(
        local_starts(&occurrences),
        ["2027-02-02T14:00", "2027-03-02T14:00"]
    );
}

#[test]
fn count_counts_from_dtstart_whatever_the_window() {
    let beauraing = rule("FREQ=MONTHLY;BYDAY=3TH;COUNT=6");
    let occurrences = expand(
        dt("2027-01-21T09:00"),
        Duration::hours(3),
        &beauraing,
        &[],
        dt("2027-04-01T00:00"),
        dt("2028-01-01T00:00"),
    );
    // Sessions 1-3 (January to March) are outside the window but still counted.
    assert_eq!(
        local_starts(&occurrences),
        ["2027-04-15T09:00", "2027-05-20T09:00", "2027-06-17T09:00"]
    );
    let only_first = expand(
        dt("2027-01-21T09:00"),
        Duration::hours(3),
        &rule("FREQ=MONTHLY;BYDAY=3TH;COUNT=1"),
        &[],
        dt("2027-01-01T00:00"),
        dt("2028-01-01T00:00"),
    );
    assert_eq!(local_starts(&only_first), ["2027-01-21T09:00"]);
}

#[test]
fn until_as_a_date_includes_that_whole_day() {
    let occurrences = year_2027(
        "FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20270625",
        "2026-09-11T13:00",
        3,
    );
    assert_eq!(occurrences.len(), 12);
    assert_eq!(
        local_starts(&occurrences).last().unwrap(),
        "2027-06-25T13:00"
    );
}

#[test]
fn until_in_utc_compares_instants() {
    // 25 June 2027 13:00 CEST is 11:00Z.
    let included = year_2027(
        "FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20270625T110000Z",
        "2026-09-11T13:00",
        3,
    );
    assert_eq!(local_starts(&included).last().unwrap(), "2027-06-25T13:00");
    let excluded = year_2027(
        "FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20270625T105959Z",
        "2026-09-11T13:00",
        3,
    );
    assert_eq!(local_starts(&excluded).last().unwrap(), "2027-06-11T13:00");
}

#[test]
fn floating_until_is_brussels_wall_clock() {
    let included = year_2027(
        "FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20270625T130000",
        "2026-09-11T13:00",
        3,
    );
    assert_eq!(local_starts(&included).last().unwrap(), "2027-06-25T13:00");
    let excluded = year_2027(
        "FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20270625T125959",
        "2026-09-11T13:00",
        3,
    );
    assert_eq!(local_starts(&excluded).last().unwrap(), "2027-06-11T13:00");
}

#[test]
fn dtstart_off_the_rule_is_still_the_first_occurrence_and_counts() {
    // 1 January 2027 is the 1st Friday, not a 2nd or 4th one (RFC 5545: DTSTART always counts).
    let occurrences = year_2027("FREQ=MONTHLY;BYDAY=2FR,4FR;COUNT=3", "2027-01-01T13:00", 3);
    assert_eq!(
        local_starts(&occurrences),
        ["2027-01-01T13:00", "2027-01-08T13:00", "2027-01-22T13:00"]
    );
}

#[test]
fn check_start_flags_a_first_date_off_the_rule_or_after_until() {
    let andenne = rule("FREQ=MONTHLY;BYDAY=2FR,4FR");
    assert_eq!(andenne.check_start(dt("2027-01-08T13:00")), Ok(()));
    assert_eq!(
        andenne
            .check_start(dt("2027-01-01T13:00"))
            .map_err(|e| e.to_string()),
        Err(
            "La première réunion (vendredi 1er janvier 2027) ne suit pas la règle \
             « les 2e et 4e vendredis du mois »."
                .to_string()
        )
    );
    let ended = rule("FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20261231");
    assert_eq!(
        ended
            .check_start(dt("2027-01-08T13:00"))
            .map_err(|e| e.to_string()),
        Err(
            "La date de fin (31 décembre 2026) précède la première réunion (8 janvier 2027)."
                .to_string()
        )
    );
    let sambreville = rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
    assert!(sambreville.check_start(dt("2027-01-04T09:00")).is_ok());
    assert!(sambreville.check_start(dt("2027-01-05T09:00")).is_err());
}

#[test]
fn spring_forward_0230_occurrence_moves_to_0330_cest() {
    let occurrences = expand(
        dt("2027-03-27T02:30"),
        Duration::hours(1),
        &rule("FREQ=DAILY;COUNT=3"),
        &[],
        dt("2027-03-01T00:00"),
        dt("2027-04-01T00:00"),
    );
    assert_eq!(
        local_starts(&occurrences),
        ["2027-03-27T02:30", "2027-03-28T03:30", "2027-03-29T02:30"]
    );
    assert_eq!(
        utc_starts(&occurrences),
        [
            "2027-03-27T01:30Z",
            "2027-03-28T01:30Z",
            "2027-03-29T00:30Z"
        ]
    );
    let sunday = &occurrences[1];
    assert_eq!(sunday.end, dt("2027-03-28T04:30"));
    assert_eq!(sunday.end_utc, utc("2027-03-28T02:30Z"));
    // The skipped computed time and the real one both work as exdates.
    for exdate in [dt("2027-03-28T02:30"), dt("2027-03-28T03:30")] {
        let skipped = expand(
            dt("2027-03-27T02:30"),
            Duration::hours(1),
            &rule("FREQ=DAILY;COUNT=3"),
            &[exdate],
            dt("2027-03-01T00:00"),
            dt("2027-04-01T00:00"),
        );
        assert_eq!(skipped.len(), 2, "{exdate}");
    }
}

#[test]
fn autumn_0230_occurrence_takes_the_earlier_cest_instant() {
    let occurrences = expand(
        dt("2027-10-30T02:30"),
        Duration::hours(1),
        &rule("FREQ=DAILY;COUNT=3"),
        &[],
        dt("2027-10-01T00:00"),
        dt("2027-11-30T00:00"),
    );
    assert_eq!(
        local_starts(&occurrences),
        ["2027-10-30T02:30", "2027-10-31T02:30", "2027-11-01T02:30"]
    );
    assert_eq!(
        utc_starts(&occurrences),
        [
            "2027-10-30T00:30Z",
            "2027-10-31T00:30Z",
            "2027-11-01T01:30Z"
        ]
    );
    // An hour of real time later the clock shows 02:30 again (CET).
    let sunday = &occurrences[1];
    assert_eq!(sunday.end_utc, utc("2027-10-31T01:30Z"));
    assert_eq!(sunday.end, dt("2027-10-31T02:30"));
}

#[test]
fn to_utc_and_to_local_around_both_switches() {
    assert_eq!(tz().name(), TZID);
    assert_eq!(to_utc(dt("2027-01-15T13:00")), utc("2027-01-15T12:00Z"));
    assert_eq!(to_utc(dt("2027-07-15T13:00")), utc("2027-07-15T11:00Z"));
    assert_eq!(to_utc(dt("2027-03-28T01:59")), utc("2027-03-28T00:59Z"));
    assert_eq!(to_utc(dt("2027-03-28T02:00")), utc("2027-03-28T01:00Z"));
    assert_eq!(to_utc(dt("2027-03-28T02:30")), utc("2027-03-28T01:30Z"));
    assert_eq!(to_utc(dt("2027-03-28T03:00")), utc("2027-03-28T01:00Z"));
    assert_eq!(to_utc(dt("2027-10-31T02:30")), utc("2027-10-31T00:30Z"));
    assert_eq!(to_utc(dt("2027-10-31T03:00")), utc("2027-10-31T02:00Z"));
    assert_eq!(to_local(utc("2027-03-28T01:30Z")), dt("2027-03-28T03:30"));
    assert_eq!(to_local(utc("2027-10-31T00:30Z")), dt("2027-10-31T02:30"));
    assert_eq!(to_local(utc("2027-10-31T01:30Z")), dt("2027-10-31T02:30"));
    assert_eq!(to_local(utc("2027-12-31T23:30Z")), dt("2028-01-01T00:30"));
}

#[test]
fn window_is_half_open() {
    let ciney = rule("FREQ=MONTHLY;BYDAY=1TH,3TH");
    let occurrences = expand(
        dt("2026-09-03T09:00"),
        Duration::hours(3),
        &ciney,
        &[],
        dt("2027-01-07T09:00"),
        dt("2027-02-04T09:00"),
    );
    assert_eq!(
        local_starts(&occurrences),
        ["2027-01-07T09:00", "2027-01-21T09:00"]
    );
    assert!(
        expand(
            dt("2026-09-03T09:00"),
            Duration::hours(3),
            &ciney,
            &[],
            dt("2027-02-01T00:00"),
            dt("2027-02-01T00:00"),
        )
        .is_empty()
    );
}

#[test]
fn a_rule_that_never_matches_stops() {
    // 30 February never comes: the scan stops after MAX_CANDIDATES years at most.
    let occurrences = expand(
        dt("2027-01-30T10:00"),
        Duration::hours(1),
        &rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
        &[],
        dt("2027-02-01T00:00"),
        dt("9999-01-01T00:00"),
    );
    assert!(occurrences.is_empty());
}

#[test]
fn an_endless_window_is_capped_at_max_candidates() {
    let endless = expand(
        dt("2027-01-01T10:00"),
        Duration::hours(1),
        &rule("FREQ=DAILY"),
        &[],
        dt("2027-01-01T00:00"),
        dt("9999-01-01T00:00"),
    );
    assert_eq!(endless.len(), MAX_CANDIDATES);
    let huge_count = expand(
        dt("2027-01-01T10:00"),
        Duration::hours(1),
        &rule("FREQ=DAILY;COUNT=1000000"),
        &[],
        dt("2027-01-01T00:00"),
        dt("9999-01-01T00:00"),
    );
    assert_eq!(huge_count.len(), MAX_CANDIDATES);
}

#[test]
fn an_old_series_still_reaches_a_distant_window() {
    // Without COUNT, expansion starts near the window, not at DTSTART.
    let daily = expand(
        dt("1990-01-01T09:00"),
        Duration::hours(1),
        &rule("FREQ=DAILY"),
        &[],
        dt("2027-01-01T00:00"),
        dt("2027-02-01T00:00"),
    );
    assert_eq!(daily.len(), 31);
    let fortnightly = expand(
        dt("1999-01-04T09:00"),
        Duration::hours(3),
        &rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        &[],
        dt("2027-01-01T00:00"),
        dt("2028-01-01T00:00"),
    );
    // 4 January 1999 and 4 January 2027 are 1461 weeks apart: an odd number.
    assert_eq!(
        local_starts(&fortnightly).first().unwrap(),
        "2027-01-11T09:00"
    );
    assert_eq!(fortnightly.len(), 26);
}

/// Days scanned by `f` on this thread.
fn scanned_by<T>(f: impl FnOnce() -> T) -> (T, i64) {
    let before = SCANNED_DAYS.with(std::cell::Cell::get);
    let out = f();
    (out, SCANNED_DAYS.with(std::cell::Cell::get) - before)
}

/// The rule of issue #9: every ranked day of the year, almost a billion times.
fn hostile_rule() -> Rule {
    let mut days = Vec::new();
    for code in ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] {
        for rank in (1..=53).chain(-53..=-1) {
            days.push(format!("{rank}{code}"));
        }
    }
    rule(&format!(
        "FREQ=YEARLY;COUNT=999999999;BYDAY={}",
        days.join(",")
    ))
}

#[test]
fn a_page_expands_its_window_whatever_the_rules_count_and_lists() {
    // Stored before the form limits: still read, and a window costs about its own days.
    let hostile = hostile_rule();
    let june = |dtstart: &str| {
        expand(
            dt(dtstart),
            Duration::hours(1),
            &hostile,
            &[],
            dt("2027-06-01T00:00"),
            dt("2027-07-01T00:00"),
        )
    };
    let (first, _) = scanned_by(|| june("2026-01-01T10:00"));
    assert_eq!(first.len(), 30, "every day of June");
    let (again, days) = scanned_by(|| june("2026-01-01T10:00"));
    assert_eq!(again, first);
    assert!(days <= 366, "one year scanned, not the series: {days}");
    // An old series counted from 1950: its end is found once, then windows skip to it.
    let old = rule("FREQ=DAILY;COUNT=1000");
    let window = || {
        expand(
            dt("1950-01-02T09:00"),
            Duration::hours(1),
            &old,
            &[],
            dt("2027-06-01T00:00"),
            dt("2027-07-01T00:00"),
        )
    };
    assert!(window().is_empty());
    let (none, days) = scanned_by(window);
    assert!(none.is_empty());
    assert!(days <= 1, "nothing scanned before the window: {days}");
    let (occurrences, days) = scanned_by(|| {
        expand(
            dt("2027-01-04T09:00"),
            Duration::hours(1),
            &old,
            &[],
            dt("2028-06-01T00:00"),
            dt("2028-07-01T00:00"),
        )
    });
    assert_eq!(occurrences.len(), 30);
    // The first call walks the count once (1000 days); later ones would not.
    assert!(days <= 1000 + 31, "{days}");
}

#[test]
fn a_count_rule_seen_through_any_window_matches_its_whole_expansion() {
    let cases = [
        ("FREQ=MONTHLY;BYDAY=2FR,4FR;COUNT=30", "2026-10-09T13:00"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=45",
            "2026-10-05T09:00",
        ),
        (
            "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU;COUNT=9",
            "2026-10-25T02:30",
        ),
        ("FREQ=DAILY;INTERVAL=3;COUNT=200", "2026-12-31T23:00"),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=25",
            "2026-10-30T17:00",
        ),
        // Off the rule: DTSTART still counts as the first.
        ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=12", "2026-10-03T10:00"),
    ];
    for (text, start) in cases {
        let r = rule(text);
        let start = dt(start);
        let unexcluded = expand(
            start,
            Duration::hours(2),
            &r,
            &[],
            dt("2026-01-01T00:00"),
            dt("2031-01-01T00:00"),
        );
        assert_eq!(
            unexcluded.len(),
            usize::try_from(r.count().unwrap()).unwrap(),
            "{text}: the whole series"
        );
        let exdates = [unexcluded[2].start, dt("2027-03-12T13:00")];
        let whole = expand(
            start,
            Duration::hours(2),
            &r,
            &exdates,
            dt("2026-01-01T00:00"),
            dt("2031-01-01T00:00"),
        );
        assert!(whole.len() < unexcluded.len(), "{text}: an exdate applies");
        for months in 0..50 {
            let from = dt("2026-09-01T00:00") + Duration::days(months * 30);
            let to = from + Duration::days(30);
            let seen = expand(start, Duration::hours(2), &r, &exdates, from, to);
            let expected: Vec<Occurrence> = whole
                .iter()
                .filter(|o| o.start >= from && o.start < to)
                .cloned()
                .collect();
            assert_eq!(seen, expected, "{text} in [{from}, {to})");
        }
    }
}

#[test]
fn a_count_past_the_horizon_is_still_counted_from_dtstart() {
    let yearly = rule("FREQ=YEARLY;COUNT=1000");
    let far = expand(
        dt("2027-03-09T14:00"),
        Duration::hours(1),
        &yearly,
        &[],
        dt("2290-01-01T00:00"),
        dt("2310-01-01T00:00"),
    );
    assert_eq!(far.len(), 20);
    assert_eq!(local_starts(&far).first().unwrap(), "2290-03-09T14:00");
    let within = expand(
        dt("2027-03-09T14:00"),
        Duration::hours(1),
        &yearly,
        &[],
        dt("2290-01-01T00:00"),
        dt("2300-01-01T00:00"),
    );
    assert_eq!(within.len(), 10);
}

#[test]
fn forms_refuse_rules_beyond_the_limits_in_french() {
    let long = format!("FREQ=DAILY;BYMONTH={}", vec!["1"; 300].join(","));
    for (text, message) in [
        (
            long.as_str(),
            "La règle de récurrence est trop complexe : elle dépasse 500 caractères.",
        ),
        (
            "FREQ=DAILY;COUNT=1001",
            "La règle de récurrence est trop complexe : COUNT vaut 1001, une série compte au plus 1000 réunions.",
        ),
        (
            "FREQ=YEARLY;BYDAY=1MO,2MO,3MO,4MO,5MO,6MO,7MO,8MO,9MO,10MO,11MO,12MO,13MO,14MO,15MO",
            "La règle de récurrence est trop complexe : BYDAY énumère 15 jours, 14 au plus.",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,-1",
            "La règle de récurrence est trop complexe : BYMONTHDAY énumère 32 jours du mois, 31 au plus.",
        ),
        (
            "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,2,3,4,5,-1,-2,-3,-4,-5,6,7,8",
            "La règle de récurrence est trop complexe : BYSETPOS énumère 13 positions, 12 au plus.",
        ),
        (
            "FREQ=WEEKLY;UNTIL=22010101",
            "La règle de récurrence est invalide : UNTIL doit tomber entre 1900 et 2200.",
        ),
        (
            "FREQ=WEEKLY;UNTIL=18991231T235959Z",
            "La règle de récurrence est invalide : UNTIL doit tomber entre 1900 et 2200.",
        ),
    ] {
        assert_eq!(
            Rule::parse_input(text).unwrap_err().to_string(),
            message,
            "{text}"
        );
        // Stored rules are still read as they are.
        if text.len() <= MAX_RULE_LEN {
            assert!(Rule::parse(text).is_ok(), "{text}");
        }
    }
    // At the limits, accepted; duplicates do not count.
    for text in [
        "FREQ=DAILY;COUNT=1000",
        "FREQ=YEARLY;BYDAY=1MO,2MO,3MO,4MO,5MO,6MO,7MO,8MO,9MO,10MO,11MO,12MO,13MO,14MO,14MO",
        "FREQ=WEEKLY;UNTIL=22001231",
        "FREQ=WEEKLY;UNTIL=19000101",
    ] {
        assert!(Rule::parse_input(text).is_ok(), "{text}");
    }
    let weekly = Pattern::Weekly {
        interval: 1,
        days: vec![Weekday::Mon],
    };
    assert_eq!(
        weekly.to_rule(None, Some(1001)).unwrap_err().to_string(),
        "Une série compte au plus 1000 réunions."
    );
    assert_eq!(
        weekly
            .to_rule(Some(day("2201-01-01")), None)
            .unwrap_err()
            .to_string(),
        "La date de fin de la série doit tomber entre 1900 et 2200."
    );
}

#[test]
fn a_negative_duration_becomes_zero() {
    let occurrences = year_2027("FREQ=MONTHLY;BYDAY=3TH;COUNT=1", "2027-01-21T09:00", -2);
    assert_eq!(occurrences[0].end, occurrences[0].start);
}

// ---- Parsing and text -----------------------------------------------------------------

#[test]
fn parse_accepts_prefix_any_case_spaces_and_a_trailing_semicolon() {
    let expected = rule("FREQ=MONTHLY;BYDAY=2FR,4FR");
    for text in [
        "RRULE:FREQ=MONTHLY;BYDAY=2FR,4FR",
        "rrule:freq=monthly;byday=2fr,4fr",
        "  FREQ=MONTHLY ; BYDAY = 4FR, 2FR ;",
        "BYDAY=+2FR,+4FR;FREQ=MONTHLY;INTERVAL=1;WKST=MO",
        "FREQ=MONTHLY;BYDAY=2FR,4FR,2FR",
    ] {
        assert_eq!(Rule::parse(text), Ok(expected.clone()), "{text}");
    }
}

#[test]
fn to_rrule_is_canonical() {
    for (text, canonical) in [
        ("FREQ=MONTHLY;BYDAY=4FR,2FR", "FREQ=MONTHLY;BYDAY=2FR,4FR"),
        (
            "byday=mo;interval=2;freq=weekly",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ),
        (
            "FREQ=WEEKLY;BYDAY=FR,TH,WE,TU,MO",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (
            "UNTIL=20270630;BYDAY=3TH;FREQ=MONTHLY",
            "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270630",
        ),
        (
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10,3;COUNT=4",
            "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU;COUNT=4",
        ),
        (
            "FREQ=MONTHLY;BYSETPOS=-1,1;BYMONTHDAY=-1,15,1",
            "FREQ=MONTHLY;BYMONTHDAY=1,15,-1;BYSETPOS=1,-1",
        ),
        (
            "FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU,TU;UNTIL=20270625T110000Z",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU;UNTIL=20270625T110000Z",
        ),
        (
            "FREQ=DAILY;UNTIL=20270625T130000",
            "FREQ=DAILY;UNTIL=20270625T130000",
        ),
    ] {
        assert_eq!(rule(text).to_rrule(), canonical, "{text}");
    }
}

#[test]
fn parse_to_rrule_parse_round_trips() {
    for text in [
        "FREQ=MONTHLY;BYDAY=2FR,4FR",
        "FREQ=MONTHLY;BYDAY=3TH",
        "FREQ=MONTHLY;BYDAY=1TH,3TH",
        "FREQ=MONTHLY;BYDAY=1TU,3TU",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=DAILY;INTERVAL=3;COUNT=10",
        "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
        "FREQ=YEARLY;BYDAY=20MO",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20271231",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU;UNTIL=20270625T110000Z",
        "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;UNTIL=20270625T130000",
        "FREQ=DAILY;BYMONTH=7,8;BYDAY=SA,SU",
    ] {
        let parsed = rule(text);
        assert_eq!(parsed.to_string(), parsed.to_rrule());
        assert_eq!(text.parse::<Rule>(), Ok(parsed.clone()));
        let again = rule(&parsed.to_rrule());
        assert_eq!(again, parsed, "{text}");
        assert_eq!(again.to_rrule(), text, "{text}");
    }
}

#[test]
fn ics_form_writes_until_in_utc() {
    assert_eq!(
        rule("FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270630").to_ics_rrule(),
        "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270630T215959Z"
    );
    assert_eq!(
        rule("FREQ=MONTHLY;BYDAY=3TH;UNTIL=20271231").to_ics_rrule(),
        "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20271231T225959Z"
    );
    assert_eq!(
        rule("FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270617T090000").to_ics_rrule(),
        "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270617T070000Z"
    );
    assert_eq!(
        rule("FREQ=MONTHLY;BYDAY=3TH;COUNT=5").to_ics_rrule(),
        "FREQ=MONTHLY;BYDAY=3TH;COUNT=5"
    );
}

#[test]
fn accessors_report_count_until_and_interval() {
    let r = rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20270630T215959Z");
    assert_eq!(r.interval(), 2);
    assert_eq!(r.count(), None);
    assert_eq!(r.until_date(), Some(day("2027-06-30")));
    assert_eq!(rule("FREQ=DAILY;COUNT=4").count(), Some(4));
}

#[test]
fn refusals_are_explained_in_french() {
    for (text, message) in [
        (
            "",
            "La règle de récurrence est invalide : la règle est vide.",
        ),
        (
            "RRULE:",
            "La règle de récurrence est invalide : la règle est vide.",
        ),
        (
            "BYDAY=MO",
            "La règle de récurrence est invalide : FREQ manque.",
        ),
        (
            "n'importe quoi",
            "La règle de récurrence est invalide : « n'importe quoi » n'est pas de la forme NOM=VALEUR.",
        ),
        (
            "FREQ=FORTNIGHTLY",
            "La règle de récurrence est invalide : FREQ=FORTNIGHTLY n'est pas une fréquence connue (DAILY, WEEKLY, MONTHLY ou YEARLY).",
        ),
        (
            "FREQ=HOURLY",
            "La règle de récurrence n'est pas prise en charge : FREQ=HOURLY n'est pas géré, une réunion se répète au plus une fois par jour.",
        ),
        (
            "FREQ=MINUTELY",
            "La règle de récurrence n'est pas prise en charge : FREQ=MINUTELY n'est pas géré, une réunion se répète au plus une fois par jour.",
        ),
        (
            "FREQ=DAILY;BYHOUR=9,14",
            "La règle de récurrence n'est pas prise en charge : BYHOUR n'est pas géré, une réunion garde l'heure de sa première date.",
        ),
        (
            "FREQ=DAILY;BYMINUTE=30",
            "La règle de récurrence n'est pas prise en charge : BYMINUTE n'est pas géré, une réunion garde l'heure de sa première date.",
        ),
        (
            "FREQ=DAILY;BYSECOND=0",
            "La règle de récurrence n'est pas prise en charge : BYSECOND n'est pas géré, une réunion garde l'heure de sa première date.",
        ),
        (
            "FREQ=YEARLY;BYWEEKNO=20",
            "La règle de récurrence n'est pas prise en charge : BYWEEKNO (numéros de semaine) n'est pas géré.",
        ),
        (
            "FREQ=YEARLY;BYYEARDAY=100",
            "La règle de récurrence n'est pas prise en charge : BYYEARDAY (numéros de jour dans l'année) n'est pas géré.",
        ),
        (
            "FREQ=MONTHLY;RSCALE=HEBREW",
            "La règle de récurrence n'est pas prise en charge : RSCALE (autres calendriers, RFC 7529) n'est pas géré.",
        ),
        (
            "FREQ=DAILY;COUNT=5;UNTIL=20271231",
            "La règle de récurrence est invalide : COUNT et UNTIL ne peuvent pas être utilisés ensemble.",
        ),
        (
            "FREQ=DAILY;INTERVAL=0",
            "La règle de récurrence est invalide : INTERVAL doit valoir au moins 1.",
        ),
        (
            "FREQ=DAILY;INTERVAL=-2",
            "La règle de récurrence est invalide : INTERVAL doit valoir au moins 1.",
        ),
        (
            "FREQ=DAILY;INTERVAL=5000",
            "La règle de récurrence est invalide : INTERVAL ne peut pas dépasser 1000.",
        ),
        (
            "FREQ=DAILY;INTERVAL=deux",
            "La règle de récurrence est invalide : INTERVAL attend un nombre entier, pas « DEUX ».",
        ),
        (
            "FREQ=DAILY;COUNT=0",
            "La règle de récurrence est invalide : COUNT doit valoir au moins 1.",
        ),
        (
            "FREQ=WEEKLY;BYDAY=2MO",
            "La règle de récurrence est invalide : un rang dans BYDAY (« 2MO ») n'a de sens qu'avec FREQ=MONTHLY ou FREQ=YEARLY.",
        ),
        (
            "FREQ=DAILY;BYDAY=-1FR",
            "La règle de récurrence est invalide : un rang dans BYDAY (« -1FR ») n'a de sens qu'avec FREQ=MONTHLY ou FREQ=YEARLY.",
        ),
        (
            "FREQ=MONTHLY;BYDAY=6FR",
            "La règle de récurrence est invalide : BYDAY : « 6FR » n'existe jamais, un mois compte au plus 5 fois le même jour.",
        ),
        (
            "FREQ=MONTHLY;BYDAY=0FR",
            "La règle de récurrence est invalide : BYDAY : le rang de « 0FR » doit être compris entre 1 et 53 (ou -53 et -1).",
        ),
        (
            "FREQ=MONTHLY;BYDAY=2XX",
            "La règle de récurrence est invalide : BYDAY : « 2XX » n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU, éventuellement précédé d'un rang comme 2FR ou -1FR).",
        ),
        (
            "FREQ=MONTHLY;BYDAY=",
            "La règle de récurrence est invalide : BYDAY n'a pas de valeur.",
        ),
        (
            "FREQ=MONTHLY;BYDAY=2FR,,4FR",
            "La règle de récurrence est invalide : BYDAY contient un élément vide.",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=32",
            "La règle de récurrence est invalide : BYMONTHDAY : « 32 » n'est pas un jour du mois (1 à 31, ou -31 à -1 en partant de la fin).",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=0",
            "La règle de récurrence est invalide : BYMONTHDAY : « 0 » n'est pas un jour du mois (1 à 31, ou -31 à -1 en partant de la fin).",
        ),
        (
            "FREQ=YEARLY;BYMONTH=13",
            "La règle de récurrence est invalide : BYMONTH : « 13 » n'est pas un mois (1 à 12).",
        ),
        (
            "FREQ=WEEKLY;BYMONTHDAY=1",
            "La règle de récurrence est invalide : BYMONTHDAY ne peut pas accompagner FREQ=WEEKLY.",
        ),
        (
            "FREQ=MONTHLY;BYSETPOS=1",
            "La règle de récurrence est invalide : BYSETPOS doit accompagner BYDAY, BYMONTHDAY ou BYMONTH.",
        ),
        (
            "FREQ=WEEKLY;WKST=XX",
            "La règle de récurrence est invalide : WKST : « XX » n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU).",
        ),
        (
            "FREQ=DAILY;UNTIL=2027-06-30",
            "La règle de récurrence est invalide : UNTIL « 2027-06-30 » n'est ni une date (AAAAMMJJ) ni une date et heure (AAAAMMJJTHHMMSS, suivie de Z pour l'heure UTC).",
        ),
        (
            "FREQ=DAILY;UNTIL=20270230",
            "La règle de récurrence est invalide : UNTIL « 20270230 » n'est ni une date (AAAAMMJJ) ni une date et heure (AAAAMMJJTHHMMSS, suivie de Z pour l'heure UTC).",
        ),
        (
            "FREQ=DAILY;UNTIL=20270630T250000Z",
            "La règle de récurrence est invalide : UNTIL « 20270630T250000Z » n'est ni une date (AAAAMMJJ) ni une date et heure (AAAAMMJJTHHMMSS, suivie de Z pour l'heure UTC).",
        ),
        (
            "FREQ=DAILY;FREQ=WEEKLY",
            "La règle de récurrence est invalide : FREQ apparaît deux fois.",
        ),
        (
            "FREQ=DAILY;Color=red",
            "La règle de récurrence est invalide : partie inconnue « Color ».",
        ),
        (
            "FREQ=DAILY;=3",
            "La règle de récurrence est invalide : « =3 » n'est pas de la forme NOM=VALEUR.",
        ),
    ] {
        assert_eq!(
            Rule::parse(text).map_err(|e| e.to_string()),
            Err(message.to_string()),
            "{text}"
        );
    }
}

// ---- Pattern <-> Rule -----------------------------------------------------------------

#[test]
fn patterns_round_trip_through_rules() {
    let cases = [
        (Pattern::Daily { interval: 1 }, None, None, "FREQ=DAILY"),
        (
            Pattern::Daily { interval: 3 },
            None,
            Some(10),
            "FREQ=DAILY;INTERVAL=3;COUNT=10",
        ),
        (
            Pattern::Weekly {
                interval: 2,
                days: vec![Weekday::Mon],
            },
            None,
            None,
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ),
        (
            Pattern::Weekly {
                interval: 1,
                days: WORK_WEEK.to_vec(),
            },
            Some(day("2027-06-30")),
            None,
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270630",
        ),
        (
            Pattern::MonthlyNth {
                ordinals: vec![2, 4],
                weekday: Weekday::Fri,
            },
            None,
            None,
            "FREQ=MONTHLY;BYDAY=2FR,4FR",
        ),
        (
            Pattern::MonthlyNth {
                ordinals: vec![1],
                weekday: Weekday::Tue,
            },
            None,
            Some(6),
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
        ),
        (
            Pattern::MonthlyNth {
                ordinals: vec![2, -1],
                weekday: Weekday::Thu,
            },
            None,
            None,
            "FREQ=MONTHLY;BYDAY=2TH,-1TH",
        ),
        (
            Pattern::MonthlyDay { day: 15 },
            Some(day("2027-12-31")),
            None,
            "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231",
        ),
    ];
    for (pattern, until, count, text) in cases {
        let made = pattern.to_rule(until, count).unwrap();
        assert_eq!(made.to_rrule(), text);
        assert_eq!(made, rule(text));
        assert_eq!(
            Pattern::from_rule(&made),
            Some((pattern, until, count)),
            "{text}"
        );
    }
}

#[test]
fn pattern_days_and_ordinals_are_normalised() {
    let made = Pattern::Weekly {
        interval: 1,
        days: vec![Weekday::Thu, Weekday::Mon, Weekday::Thu],
    }
    .to_rule(None, None)
    .unwrap();
    assert_eq!(made.to_rrule(), "FREQ=WEEKLY;BYDAY=MO,TH");
    assert_eq!(made.describe_fr(), "chaque semaine le lundi et le jeudi");
    assert_eq!(
        Pattern::from_rule(&made),
        Some((
            Pattern::Weekly {
                interval: 1,
                days: vec![Weekday::Mon, Weekday::Thu]
            },
            None,
            None
        ))
    );
    let nth = Pattern::MonthlyNth {
        ordinals: vec![4, 2],
        weekday: Weekday::Fri,
    }
    .to_rule(None, None)
    .unwrap();
    assert_eq!(nth, rule("FREQ=MONTHLY;BYDAY=2FR,4FR"));
}

#[test]
fn from_rule_reads_until_as_a_local_date() {
    assert_eq!(
        Pattern::from_rule(&rule("FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270630T215959Z")),
        Some((
            Pattern::MonthlyNth {
                ordinals: vec![3],
                weekday: Weekday::Thu
            },
            Some(day("2027-06-30")),
            None
        ))
    );
    // WKST changes nothing for a weekly rule with INTERVAL=1.
    assert_eq!(
        Pattern::from_rule(&rule("FREQ=WEEKLY;BYDAY=MO;WKST=SU")),
        Some((
            Pattern::Weekly {
                interval: 1,
                days: vec![Weekday::Mon]
            },
            None,
            None
        ))
    );
}

#[test]
fn from_rule_declines_other_shapes() {
    for text in [
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "FREQ=MONTHLY",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;WKST=SU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU",
        "FREQ=MONTHLY;BYDAY=1TU,3TH",
        "FREQ=MONTHLY;BYDAY=-2MO",
        "FREQ=MONTHLY;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=DAILY;BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=MO;BYMONTH=9",
    ] {
        assert_eq!(Pattern::from_rule(&rule(text)), None, "{text}");
    }
}

#[test]
fn pattern_to_rule_refuses_what_the_form_cannot_mean() {
    let friday = Weekday::Fri;
    for (pattern, until, count, message) in [
        (
            Pattern::Daily { interval: 0 },
            None,
            None,
            "L'intervalle doit être compris entre 1 et 1000.",
        ),
        (
            Pattern::Weekly {
                interval: 1,
                days: vec![],
            },
            None,
            None,
            "Choisissez au moins un jour de la semaine.",
        ),
        (
            Pattern::MonthlyNth {
                ordinals: vec![],
                weekday: friday,
            },
            None,
            None,
            "Choisissez au moins une semaine du mois (1re à 5e, ou la dernière).",
        ),
        (
            Pattern::MonthlyNth {
                ordinals: vec![6],
                weekday: friday,
            },
            None,
            None,
            "« 6 » n'est pas une semaine du mois : choisissez 1 à 5, ou -1 pour la dernière.",
        ),
        (
            Pattern::MonthlyNth {
                ordinals: vec![-2],
                weekday: friday,
            },
            None,
            None,
            "« -2 » n'est pas une semaine du mois : choisissez 1 à 5, ou -1 pour la dernière.",
        ),
        (
            Pattern::MonthlyDay { day: 0 },
            None,
            None,
            "« 0 » n'est pas un jour du mois : choisissez 1 à 31.",
        ),
        (
            Pattern::MonthlyDay { day: 32 },
            None,
            None,
            "« 32 » n'est pas un jour du mois : choisissez 1 à 31.",
        ),
        (
            Pattern::Daily { interval: 1 },
            Some(day("2027-06-30")),
            Some(3),
            "Indiquez soit une date de fin, soit un nombre de réunions, pas les deux.",
        ),
        (
            Pattern::Daily { interval: 1 },
            None,
            Some(0),
            "Le nombre de réunions doit être au moins 1.",
        ),
    ] {
        assert_eq!(
            pattern.to_rule(until, count).map_err(|e| e.to_string()),
            Err(message.to_string())
        );
    }
}

// ---- Descriptions ---------------------------------------------------------------------

#[test]
fn descriptions_read_as_french() {
    for (text, description) in [
        ("FREQ=MONTHLY;BYDAY=1TU", "le 1er mardi du mois"),
        (
            "FREQ=WEEKLY;BYDAY=MO,TH",
            "chaque semaine le lundi et le jeudi",
        ),
        (
            "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270630",
            "le 3e jeudi du mois, jusqu'au 30 juin 2027",
        ),
        (
            "FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270630T215959Z",
            "le 3e jeudi du mois, jusqu'au 30 juin 2027",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20270701",
            "le 1er mardi du mois, jusqu'au 1er juillet 2027",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
            "le 1er mardi du mois, 6 fois",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=1",
            "le 1er mardi du mois, une seule fois",
        ),
        ("FREQ=MONTHLY;BYDAY=-1FR", "le dernier vendredi du mois"),
        (
            "FREQ=MONTHLY;BYDAY=2TH,-1TH",
            "le 2e et le dernier jeudi du mois",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1TU,3TH",
            "le 1er mardi et le 3e jeudi du mois",
        ),
        (
            "FREQ=MONTHLY;BYDAY=-3WE",
            "le 3e mercredi en partant de la fin du mois",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU",
            "le 1er mardi du mois, un mois sur deux",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
            "le dernier vendredi du mois, un mois sur trois",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "le 15 du mois"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "le 1er et le 15 du mois"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "le dernier jour du mois"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR",
            "le 13 du mois, s'il tombe un vendredi",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=1,2,3;BYDAY=SA,-1SU",
            "le 1er, le 2 et le 3 du mois, s'il tombe un samedi ou un dimanche",
        ),
        ("FREQ=MONTHLY", "chaque mois"),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "le dernier jour de semaine du mois",
        ),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1",
            "le lundi et le mardi, chaque mois, en ne gardant que la 1re date de chaque mois",
        ),
        (
            "FREQ=MONTHLY;BYDAY=2TH;BYMONTH=1,2,3,4,5,6,9,10,11,12",
            "le 2e jeudi du mois, sauf en juillet et août",
        ),
        ("FREQ=WEEKLY", "chaque semaine"),
        ("FREQ=WEEKLY;BYDAY=WE", "chaque mercredi"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "un lundi sur trois"),
        (
            "FREQ=WEEKLY;INTERVAL=12;BYDAY=MO",
            "le lundi, toutes les 12 semaines",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
            "une semaine sur deux, le lundi et le jeudi",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
            "une semaine sur deux, le mardi et le dimanche (semaines commençant le dimanche)",
        ),
        (
            "FREQ=WEEKLY;BYDAY=MO;BYMONTH=7,8",
            "chaque lundi, en juillet et août",
        ),
        ("FREQ=DAILY", "chaque jour"),
        ("FREQ=DAILY;INTERVAL=2", "un jour sur deux"),
        ("FREQ=DAILY;INTERVAL=15", "tous les 15 jours"),
        (
            "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
            "chaque jour, seulement du lundi au vendredi",
        ),
        ("FREQ=YEARLY", "chaque année"),
        ("FREQ=YEARLY;BYMONTH=6", "chaque année en juin"),
        (
            "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=14",
            "chaque année le 14 juillet",
        ),
        (
            "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "le dernier dimanche de mars, chaque année",
        ),
        (
            "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
            "le dernier dimanche de mars et d'octobre, chaque année",
        ),
        (
            "FREQ=YEARLY;INTERVAL=2;BYMONTH=8;BYDAY=1FR",
            "le 1er vendredi d'août, un an sur deux",
        ),
        (
            "FREQ=YEARLY;BYDAY=20MO",
            "le 20e lundi de l'année, chaque année",
        ),
    ] {
        assert_eq!(rule(text).describe_fr(), description, "{text}");
    }
}

#[test]
fn dates_are_written_the_french_way() {
    assert_eq!(date_fr(day("2027-06-30")), "30 juin 2027");
    assert_eq!(date_fr(day("2027-08-01")), "1er août 2027");
}
