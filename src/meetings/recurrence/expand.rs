//! Expansion: the dates a rule gives in a window, bounded whatever the rule.

use super::error::RuleError;
use super::rule::{Freq, Rule, Until};
use super::{MAX_CANDIDATES, to_local, to_utc};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

pub(super) fn week_start(date: NaiveDate, wkst: Weekday) -> NaiveDate {
    let back = date.weekday().days_since(wkst);
    date.checked_sub_signed(Duration::days(i64::from(back)))
        .unwrap_or(date)
}

pub(super) fn days_in_month(year: i32, month: u32) -> u32 {
    NaiveDate::from_ymd_opt(year, month, 1).map_or(31, |d| u32::from(d.num_days_in_month()))
}

/// Rank of `date` among the same weekdays of [first, last], from the start (1, 2…) and the end (-1, -2…).
pub(super) fn ranks_in(date: NaiveDate, first: NaiveDate, last: NaiveDate) -> (i64, i64) {
    let from_start = (date - first).num_days() / 7 + 1;
    let from_end = -((last - date).num_days() / 7 + 1);
    (from_start, from_end)
}

#[cfg(test)]
thread_local! {
    /// Days `period_dates` looked at on this thread: tests measure what an expansion costs.
    pub(super) static SCANNED_DAYS: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// Bit of a signed list value: 1..=max at bits 1..=max, -1..=-max at bits max+1..=2·max.
pub(super) fn signed_bit(value: i32, max: u32) -> u32 {
    if value > 0 {
        value.unsigned_abs()
    } else {
        max + value.unsigned_abs()
    }
}

/// A rule's BYMONTH, BYMONTHDAY and BYDAY as bit sets (see `Rule::matcher`).
pub(super) struct Matcher {
    pub(super) months: u16,
    pub(super) month_days: u64,
    /// Weekdays without a rank (bit = days from Monday).
    pub(super) plain_days: u8,
    /// Per weekday, its ranks (bits as `signed_bit` with max 53).
    pub(super) ranked: [u128; 7],
    /// Ranks count within the year (YEARLY without BYMONTH), else within the month.
    pub(super) year_ranks: bool,
}

impl Matcher {
    pub(super) fn month_day_matches(&self, date: NaiveDate) -> bool {
        let day = date.day();
        let from_end = days_in_month(date.year(), date.month()) + 1 - day;
        self.month_days & (1 << day) != 0 || self.month_days & (1 << (31 + from_end)) != 0
    }

    pub(super) fn day_matches(&self, date: NaiveDate) -> bool {
        let w = date.weekday().num_days_from_monday();
        if self.plain_days & (1 << w) != 0 {
            return true;
        }
        let ranks = self.ranked.get(w as usize).copied().unwrap_or(0);
        if ranks == 0 {
            return false;
        }
        let scope = if self.year_ranks {
            NaiveDate::from_ymd_opt(date.year(), 1, 1).zip(NaiveDate::from_ymd_opt(
                date.year(),
                12,
                31,
            ))
        } else {
            NaiveDate::from_ymd_opt(date.year(), date.month(), 1)
                .zip(date.with_day(days_in_month(date.year(), date.month())))
        };
        let Some((first, last)) = scope else {
            return false;
        };
        let (from_start, from_end) = ranks_in(date, first, last);
        let bit = |rank: i64| {
            i32::try_from(rank)
                .ok()
                .filter(|r| (-53..=53).contains(r) && *r != 0)
                .is_some_and(|r| ranks & (1 << signed_bit(r, 53)) != 0)
        };
        bit(from_start) || bit(from_end)
    }
}

impl Rule {
    /// Checks a series' first date against this rule, for forms: Err (in French) when UNTIL falls
    /// before it, or when it is not itself one of the rule's dates (RFC 5545 then still counts it as
    /// the first occurrence, which is rarely what the person meant).
    pub fn check_start(&self, dtstart: NaiveDateTime) -> Result<(), RuleError> {
        if let Some(until) = self.until
            && !until.admits(dtstart, to_utc(dtstart))
        {
            return Err(RuleError::EndsBeforeStart {
                until: until.local_date(),
                start: dtstart.date(),
            });
        }
        let own_period = self
            .period_span(dtstart.date(), 0)
            .map(|(first, last)| self.period_dates(&self.matcher(), dtstart.date(), first, last));
        if own_period.is_some_and(|dates| dates.contains(&dtstart.date())) {
            Ok(())
        } else {
            Err(RuleError::StartOffRule {
                start: dtstart,
                rule: Box::new(self.clone()),
            })
        }
    }

    /// The `k`-th period (day, week, month or year) counted from the one holding `anchor`.
    pub(super) fn period_span(&self, anchor: NaiveDate, k: i64) -> Option<(NaiveDate, NaiveDate)> {
        match self.freq {
            Freq::Daily => {
                let day = anchor.checked_add_signed(Duration::try_days(k)?)?;
                Some((day, day))
            }
            Freq::Weekly => {
                let first = week_start(anchor, self.wkst)
                    .checked_add_signed(Duration::try_days(k.checked_mul(7)?)?)?;
                Some((first, first.checked_add_signed(Duration::days(6))?))
            }
            Freq::Monthly => {
                let index = i64::from(anchor.year()) * 12 + i64::from(anchor.month0()) + k;
                let year = i32::try_from(index.div_euclid(12)).ok()?;
                let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
                let first = NaiveDate::from_ymd_opt(year, month, 1)?;
                Some((first, first.with_day(days_in_month(year, month))?))
            }
            Freq::Yearly => {
                let year = i32::try_from(i64::from(anchor.year()) + k).ok()?;
                Some((
                    NaiveDate::from_ymd_opt(year, 1, 1)?,
                    NaiveDate::from_ymd_opt(year, 12, 31)?,
                ))
            }
        }
    }

    /// The BY lists as bit sets, built once per expansion: testing a date then costs the same
    /// whatever the lists' length (a rule may rank 742 days).
    pub(super) fn matcher(&self) -> Matcher {
        let mut m = Matcher {
            months: 0,
            month_days: 0,
            plain_days: 0,
            ranked: [0; 7],
            year_ranks: self.freq == Freq::Yearly && self.by_month.is_empty(),
        };
        for &month in &self.by_month {
            m.months |= 1 << month;
        }
        for &value in &self.by_month_day {
            m.month_days |= 1 << signed_bit(value, 31);
        }
        for spec in &self.by_day {
            let w = spec.weekday.num_days_from_monday() as usize;
            match spec.ordinal {
                None => m.plain_days |= 1 << w,
                Some(n) => {
                    if let Some(slot) = m.ranked.get_mut(w) {
                        *slot |= 1 << signed_bit(n, 53);
                    }
                }
            }
        }
        m
    }

    /// Whether `date` is one of the rule's dates before BYSETPOS, with the defaults RFC 5545 takes
    /// from DTSTART when a part is missing (weekday for WEEKLY, day of month for MONTHLY, day and
    /// month for YEARLY).
    pub(super) fn date_matches(&self, m: &Matcher, date: NaiveDate, anchor: NaiveDate) -> bool {
        if !self.by_month.is_empty() && m.months & (1 << date.month()) == 0 {
            return false;
        }
        let no_day_parts = self.by_day.is_empty() && self.by_month_day.is_empty();
        let default_ok = match self.freq {
            Freq::Daily => true,
            Freq::Weekly => !self.by_day.is_empty() || date.weekday() == anchor.weekday(),
            Freq::Monthly => !no_day_parts || date.day() == anchor.day(),
            Freq::Yearly => {
                !no_day_parts
                    || (date.day() == anchor.day()
                        && (!self.by_month.is_empty() || date.month() == anchor.month()))
            }
        };
        default_ok
            && (self.by_month_day.is_empty() || m.month_day_matches(date))
            && (self.by_day.is_empty() || m.day_matches(date))
    }

    /// The rule's dates in the period [first, last], BYSETPOS applied, ascending.
    pub(super) fn period_dates(
        &self,
        m: &Matcher,
        anchor: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Vec<NaiveDate> {
        #[cfg(test)]
        SCANNED_DAYS.with(|c| c.set(c.get() + (last - first).num_days().max(0) + 1));
        let set: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| self.date_matches(m, *d, anchor))
            .collect();
        if self.by_set_pos.is_empty() {
            return set;
        }
        let len = i64::try_from(set.len()).unwrap_or(i64::MAX);
        let mut kept: Vec<NaiveDate> = self
            .by_set_pos
            .iter()
            .filter_map(|&pos| {
                let pos = i64::from(pos);
                let index = if pos > 0 { pos - 1 } else { len + pos };
                usize::try_from(index)
                    .ok()
                    .and_then(|i| set.get(i).copied())
            })
            .collect();
        kept.sort_unstable();
        kept.dedup();
        kept
    }

    /// The first period worth scanning for a window starting at `from`: earlier periods only hold
    /// dates before `from`. Only usable without COUNT (which counts from DTSTART).
    pub(super) fn first_useful_period(&self, anchor: NaiveDate, from: NaiveDate) -> i64 {
        let elapsed = match self.freq {
            Freq::Daily => (from - anchor).num_days(),
            Freq::Weekly => {
                (week_start(from, self.wkst) - week_start(anchor, self.wkst)).num_days() / 7
            }
            Freq::Monthly => {
                (i64::from(from.year()) * 12 + i64::from(from.month0()))
                    - (i64::from(anchor.year()) * 12 + i64::from(anchor.month0()))
            }
            Freq::Yearly => i64::from(from.year()) - i64::from(anchor.year()),
        };
        let step = i64::from(self.interval.max(1));
        elapsed.max(0) / step * step
    }
}

/// One occurrence of a series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Local Brussels wall-clock start and end of this occurrence.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub start_utc: DateTime<Utc>,
    pub end_utc: DateTime<Utc>,
}

impl Occurrence {
    /// The occurrence computed at local `nominal`: a start in the spring gap moves forward by the
    /// gap (so `start` is the real wall-clock time), and it lasts `duration` of real time.
    pub(super) fn at(nominal: NaiveDateTime, duration: Duration) -> Occurrence {
        let start_utc = to_utc(nominal);
        let end_utc = start_utc
            .checked_add_signed(duration.max(Duration::zero()))
            .unwrap_or(start_utc);
        Occurrence {
            start: to_local(start_utc),
            end: to_local(end_utc),
            start_utc,
            end_utc,
        }
    }
}

/// The occurrences of a series anchored at local `dtstart` (RFC 5545: DTSTART;TZID=Europe/Brussels,
/// so 13:00 stays 13:00 local on both sides of a clock change) lasting `duration` each, whose local
/// start falls in [from, to), skipping any whose local start equals one of `exdates`. As RFC 5545
/// says, dtstart is always the first occurrence, even when it does not match the rule (see
/// `Rule::check_start` to warn about that). COUNT counts from dtstart regardless of the window.
/// Never loops forever: stops past `to`, past UNTIL/COUNT, and after at most `MAX_CANDIDATES`
/// generated candidates or scanned periods. Without COUNT, the scan starts at the period holding
/// `from`, so an old series still reaches a distant window.
///
/// Decisions: dtstart counts towards COUNT, and is kept even after UNTIL; excluded dates still
/// count towards COUNT (EXDATE applies to the generated set, RFC 5545 §3.8.5.1); an exdate matches
/// the computed wall-clock time or the real one (they differ only in the spring gap, where `start`
/// is the real time: 02:30 becomes 03:30); `duration` is real elapsed time (an hour-long meeting at
/// 02:30 on the autumn Sunday starts 02:30 CEST and ends 02:30 CET); the window applies to the real
/// local start; a negative duration counts as zero.
pub fn expand(
    dtstart: NaiveDateTime,
    duration: Duration,
    rule: &Rule,
    exdates: &[NaiveDateTime],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let keep = |nominal: NaiveDateTime, occurrence: &Occurrence| {
        occurrence.start >= from
            && occurrence.start < to
            && !exdates
                .iter()
                .any(|x| *x == nominal || *x == occurrence.start)
    };

    let first = Occurrence::at(dtstart, duration);
    if keep(dtstart, &first) {
        out.push(first);
    }
    let mut generated: usize = 1;
    let limit = rule.count.map_or(MAX_CANDIDATES, |c| {
        usize::try_from(c).map_or(MAX_CANDIDATES, |c| c.min(MAX_CANDIDATES))
    });
    if generated >= limit {
        return out;
    }

    let matcher = rule.matcher();
    let anchor = dtstart.date();
    let time = dtstart.time();
    let step = i64::from(rule.interval.max(1));
    let near_window = rule.first_useful_period(anchor, from.date());
    // COUNT counts from DTSTART, but where the counting stops does not depend on the window: it
    // is found once (and remembered), then the window is expanded from its own period like a rule
    // with UNTIL. So a page costs what its window holds, whatever COUNT and the lists say.
    let (mut k, last_counted) = match rule.count {
        None => (near_window, None),
        Some(_) => match count_end(dtstart, rule, &matcher, limit) {
            CountEnd::Last(last) => (near_window, Some(last)),
            CountEnd::Beyond if to.date().year() <= COUNT_HORIZON_YEAR => (near_window, None),
            // A window past the horizon (only ever asked for by tools): count from DTSTART.
            CountEnd::Beyond => (0, None),
        },
    };
    let last_date = rule.until.map(Until::local_date);
    for _ in 0..MAX_CANDIDATES {
        let Some((first_day, last_day)) = rule.period_span(anchor, k) else {
            break;
        };
        if first_day > to.date() || last_date.is_some_and(|d| first_day > d) {
            break;
        }
        for date in rule.period_dates(&matcher, anchor, first_day, last_day) {
            let nominal = date.and_time(time);
            if nominal <= dtstart {
                continue;
            }
            if last_counted.is_some_and(|last| nominal > last) {
                return out;
            }
            // A real start is at most an hour after its nominal time (spring gap): a candidate a
            // day before the window is counted without computing its instants.
            let well_before = nominal
                .checked_add_signed(Duration::days(1))
                .is_some_and(|n| n < from);
            if !well_before {
                let occurrence = Occurrence::at(nominal, duration);
                if occurrence.start >= to
                    || rule
                        .until
                        .is_some_and(|u| !u.admits(nominal, occurrence.start_utc))
                {
                    return out;
                }
                if keep(nominal, &occurrence) {
                    out.push(occurrence);
                }
            } else if rule
                .until
                .is_some_and(|u| !u.admits(nominal, to_utc(nominal)))
            {
                return out;
            }
            generated += 1;
            if generated >= limit {
                return out;
            }
        }
        k = match k.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

/// Where a COUNT rule's counting stops: at its last counted candidate (nominal local time), or
/// still counting at the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CountEnd {
    Last(NaiveDateTime),
    Beyond,
}

/// The count is walked up to this year at most (dates typed in forms stop at 2200).
pub(super) const COUNT_HORIZON_YEAR: i32 = 2300;

/// Series whose COUNT end was found, remembered per process (bounded: forgotten all at once).
pub(super) const MAX_REMEMBERED: usize = 4096;

pub(super) type CountEnds = HashMap<(Rule, NaiveDateTime), CountEnd>;

pub(super) static COUNT_ENDS: LazyLock<Mutex<CountEnds>> = LazyLock::new(Mutex::default);

/// Where the counting of `rule` from `dtstart` stops (`limit` candidates, DTSTART included),
/// remembered: the walk from DTSTART happens once per series and rule, not once per page.
pub(super) fn count_end(
    dtstart: NaiveDateTime,
    rule: &Rule,
    matcher: &Matcher,
    limit: usize,
) -> CountEnd {
    let key = (rule.clone(), dtstart);
    if let Some(found) = COUNT_ENDS
        .lock()
        .ok()
        .and_then(|ends| ends.get(&key).copied())
    {
        return found;
    }
    let found = walk_count(dtstart, rule, matcher, limit);
    if let Ok(mut ends) = COUNT_ENDS.lock() {
        if ends.len() >= MAX_REMEMBERED {
            ends.clear();
        }
        ends.insert(key, found);
    }
    found
}

/// The walk behind `count_end`: the same candidates, periods and caps as `expand` from DTSTART,
/// counting only (no instants computed).
pub(super) fn walk_count(
    dtstart: NaiveDateTime,
    rule: &Rule,
    matcher: &Matcher,
    limit: usize,
) -> CountEnd {
    let anchor = dtstart.date();
    let time = dtstart.time();
    let step = i64::from(rule.interval.max(1));
    let mut last = dtstart;
    let mut generated: usize = 1;
    let mut k: i64 = 0;
    for _ in 0..MAX_CANDIDATES {
        let Some((first_day, last_day)) = rule.period_span(anchor, k) else {
            break;
        };
        if first_day.year() > COUNT_HORIZON_YEAR {
            return CountEnd::Beyond;
        }
        for date in rule.period_dates(matcher, anchor, first_day, last_day) {
            let nominal = date.and_time(time);
            if nominal <= dtstart {
                continue;
            }
            last = nominal;
            generated += 1;
            if generated >= limit {
                return CountEnd::Last(last);
            }
        }
        k = match k.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    CountEnd::Last(last)
}
