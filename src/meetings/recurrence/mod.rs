//! Recurrence of meetings: a hand-written subset of RFC 5545 RRULE (DAILY…YEARLY, INTERVAL, BYDAY,
//! BYMONTHDAY, BYMONTH, BYSETPOS, COUNT, UNTIL, WKST), expanded in Europe/Brussels wall-clock time.
//! Hand-written rather than the `rrule` crate: the subset is small, every refusal needs a French
//! message, and DST gaps, DTSTART inclusion and loop bounds stay under our control. Pure, no I/O.

use chrono::offset::LocalResult;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

mod describe;
mod error;
mod expand;
mod pattern;
mod rule;

pub use describe::date_fr;
pub use error::{Invalid, ListPart, RuleError, TooComplex, Unsupported};
pub use expand::{Occurrence, expand};
pub use pattern::Pattern;
pub use rule::Rule;

pub const TZID: &str = "Europe/Brussels";

/// Upper bound on the candidates one expansion generates, and on the periods (days, weeks,
/// months, years) it scans: `expand` never loops forever, whatever the rule and the window.
pub const MAX_CANDIDATES: usize = 10_000;

/// Largest INTERVAL accepted (beyond it a rule is a typing mistake, not a meeting series).
pub const MAX_INTERVAL: u32 = 1000;

/// The years a date typed in a form may fall in (series' UNTIL included): beyond them a date is
/// a typing mistake, and far beyond them date arithmetic overflows.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

/// Limits on rules typed in forms (`Rule::parse_input`); rules already stored are read as they
/// are, and `expand` stays cheap for them all the same.
pub const MAX_COUNT: u32 = 1000;
pub const MAX_RULE_LEN: usize = 500;
pub const MAX_BYDAY: usize = 14;
pub const MAX_BYMONTHDAY: usize = 31;
pub const MAX_BYSETPOS: usize = 12;

/// Whether a typed date's year is one forms accept.
pub fn year_in_range(date: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&date.year())
}

pub fn tz() -> Tz {
    chrono_tz::Europe::Brussels
}

/// Local Brussels wall-clock → UTC. A time that does not exist (spring-forward gap) moves forward
/// by the gap (02:30 → 03:30 CEST); an ambiguous one (autumn) takes the earlier instant.
/// Both follow RFC 5545 §3.3.5 (a missing time is read with the UTC offset in force before the gap).
pub fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    let zone = tz();
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => {
            // The offset in force a day earlier is the one before the gap.
            let probe = local.checked_sub_signed(Duration::days(1)).unwrap_or(local);
            let offset = zone
                .offset_from_utc_datetime(&probe)
                .fix()
                .local_minus_utc();
            local
                .checked_sub_signed(Duration::seconds(i64::from(offset)))
                .unwrap_or(local)
                .and_utc()
        }
    }
}

pub fn to_local(utc: DateTime<Utc>) -> NaiveDateTime {
    utc.with_timezone(&tz()).naive_local()
}

#[cfg(test)]
mod tests;
