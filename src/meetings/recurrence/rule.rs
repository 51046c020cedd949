//! Parsing, checking and writing back the RRULE text.

use super::error::{Invalid, ListPart, RuleError, TooComplex, Unsupported};
use super::{MAX_BYDAY, MAX_BYMONTHDAY, MAX_BYSETPOS, MAX_COUNT, MAX_RULE_LEN};
use super::{to_local, to_utc, year_in_range};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Freq {
    pub(super) fn code(self) -> &'static str {
        match self {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
            Freq::Yearly => "YEARLY",
        }
    }
}

/// UNTIL as written: a DATE (inclusive, whole local day), a DATE-TIME in UTC ("Z"), or a floating
/// DATE-TIME read as Brussels wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Until {
    Date(NaiveDate),
    Utc(DateTime<Utc>),
    Local(NaiveDateTime),
}

impl Until {
    pub(super) fn local_date(self) -> NaiveDate {
        match self {
            Until::Date(d) => d,
            Until::Utc(u) => to_local(u).date(),
            Until::Local(l) => l.date(),
        }
    }

    /// Whether an occurrence computed at `nominal` (local) and starting at `start_utc` is allowed.
    pub(super) fn admits(self, nominal: NaiveDateTime, start_utc: DateTime<Utc>) -> bool {
        match self {
            Until::Date(d) => nominal.date() <= d,
            Until::Utc(u) => start_utc <= u,
            Until::Local(l) => nominal <= l,
        }
    }

    pub(super) fn text(self) -> String {
        match self {
            Until::Date(d) => d.format("%Y%m%d").to_string(),
            Until::Utc(u) => u.format("%Y%m%dT%H%M%SZ").to_string(),
            Until::Local(l) => l.format("%Y%m%dT%H%M%S").to_string(),
        }
    }

    /// The UTC form RFC 5545 requires next to a DTSTART with TZID (a DATE means its whole day).
    pub(super) fn utc_text(self) -> String {
        let utc = match self {
            Until::Date(d) => to_utc(d.and_time(last_second())),
            Until::Utc(u) => u,
            Until::Local(l) => to_utc(l),
        };
        utc.format("%Y%m%dT%H%M%SZ").to_string()
    }
}

pub(super) fn last_second() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
}

/// One BYDAY item: a weekday, with an optional rank in the month or year (2FR, -1SU).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct DaySpec {
    pub(super) ordinal: Option<i32>,
    pub(super) weekday: Weekday,
}

impl DaySpec {
    pub(super) fn text(self) -> String {
        match self.ordinal {
            Some(n) => format!("{n}{}", weekday_code(self.weekday)),
            None => weekday_code(self.weekday).to_string(),
        }
    }

    pub(super) fn sort_key(self) -> (u8, i32, u32) {
        let (class, n) = match self.ordinal {
            None => (0, 0),
            Some(n) if n > 0 => (1, n),
            Some(n) => (2, n),
        };
        (class, n, self.weekday.num_days_from_monday())
    }
}

/// A parsed, validated and normalised recurrence rule (lists sorted and without duplicates, so
/// two rules meaning the same thing in the same words compare equal).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    pub(super) freq: Freq,
    pub(super) interval: u32,
    pub(super) by_month: Vec<u32>,
    pub(super) by_month_day: Vec<i32>,
    pub(super) by_day: Vec<DaySpec>,
    pub(super) by_set_pos: Vec<i32>,
    pub(super) wkst: Weekday,
    pub(super) count: Option<u32>,
    pub(super) until: Option<Until>,
}

pub(super) fn parse_int(name: &str, text: &str) -> Result<i64, RuleError> {
    let not_integer = || Invalid::NotInteger {
        name: name.to_string(),
        text: text.to_string(),
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_integer().into());
    }
    let n: i64 = digits.parse().map_err(|_| not_integer())?;
    Ok(if negative { -n } else { n })
}

/// A comma-separated list of integers, each in `range`, zero excluded when `nonzero`.
pub(super) fn parse_int_list(
    part: ListPart,
    text: &str,
    range: std::ops::RangeInclusive<i64>,
    nonzero: bool,
) -> Result<Vec<i32>, RuleError> {
    let mut out = Vec::new();
    for item in text.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(Invalid::EmptyItem(part).into());
        }
        let out_of_range = || Invalid::OutOfRange {
            part,
            item: item.to_string(),
        };
        let n = parse_int(&part.to_string(), item)?;
        if !range.contains(&n) || (nonzero && n == 0) {
            return Err(out_of_range().into());
        }
        out.push(i32::try_from(n).map_err(|_| out_of_range())?);
    }
    Ok(out)
}

pub(super) fn parse_freq(value: &str) -> Result<Freq, RuleError> {
    match value {
        "DAILY" => Ok(Freq::Daily),
        "WEEKLY" => Ok(Freq::Weekly),
        "MONTHLY" => Ok(Freq::Monthly),
        "YEARLY" => Ok(Freq::Yearly),
        "HOURLY" | "MINUTELY" | "SECONDLY" => Err(Unsupported::BelowADay(value.into()).into()),
        other => Err(Invalid::UnknownFreq(other.into()).into()),
    }
}

pub(super) fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

pub(super) fn weekday_from_code(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

pub(super) fn parse_day_spec(item: &str) -> Result<DaySpec, RuleError> {
    let bad = || Invalid::NotADay(item.to_string());
    if item.len() < 2 || !item.is_ascii() {
        return Err(bad().into());
    }
    let (rank, code) = item.split_at(item.len() - 2);
    let weekday = weekday_from_code(code).ok_or_else(bad)?;
    let ordinal = if rank.is_empty() {
        None
    } else {
        let n = parse_int("BYDAY", rank).map_err(|_| bad())?;
        if n == 0 || !(-53..=53).contains(&n) {
            return Err(Invalid::DayRank(item.to_string()).into());
        }
        Some(i32::try_from(n).map_err(|_| bad())?)
    };
    Ok(DaySpec { ordinal, weekday })
}

pub(super) fn parse_digits(text: &str, from: usize, len: usize) -> Option<u32> {
    let part = text.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

pub(super) fn parse_until(value: &str) -> Result<Until, RuleError> {
    let bad = || RuleError::from(Invalid::NotAnUntil(value.to_string()));
    let date = || -> Option<NaiveDate> {
        let year = i32::try_from(parse_digits(value, 0, 4)?).ok()?;
        NaiveDate::from_ymd_opt(year, parse_digits(value, 4, 2)?, parse_digits(value, 6, 2)?)
    };
    let date_time = || -> Option<NaiveDateTime> {
        if value.get(8..9)? != "T" {
            return None;
        }
        let time = NaiveTime::from_hms_opt(
            parse_digits(value, 9, 2)?,
            parse_digits(value, 11, 2)?,
            parse_digits(value, 13, 2)?,
        )?;
        Some(date()?.and_time(time))
    };
    match value.len() {
        8 => date().map(Until::Date).ok_or_else(bad),
        15 => date_time().map(Until::Local).ok_or_else(bad),
        16 if value.ends_with('Z') => date_time().map(|l| Until::Utc(l.and_utc())).ok_or_else(bad),
        _ => Err(bad()),
    }
}

pub(super) fn join_numbers(values: &[i32]) -> String {
    values
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub(super) fn sort_signed(values: &mut Vec<i32>) {
    // Positive values first, then negative ones, each ascending: 1,15,-2,-1.
    values.sort_by_key(|&v| (v < 0, v));
    values.dedup();
}

impl Rule {
    pub(super) fn bare(freq: Freq) -> Rule {
        Rule {
            freq,
            interval: 1,
            by_month: Vec::new(),
            by_month_day: Vec::new(),
            by_day: Vec::new(),
            by_set_pos: Vec::new(),
            wkst: Weekday::Mon,
            count: None,
            until: None,
        }
    }

    pub(super) fn normalize(&mut self) {
        self.by_month.sort_unstable();
        self.by_month.dedup();
        sort_signed(&mut self.by_month_day);
        sort_signed(&mut self.by_set_pos);
        self.by_day.sort_by_key(|d| d.sort_key());
        self.by_day.dedup();
    }

    /// The RFC 5545 constraints between parts, and the limits of this subset.
    pub(super) fn check(&self) -> Result<(), RuleError> {
        if self.count.is_some() && self.until.is_some() {
            return Err(Invalid::CountAndUntil.into());
        }
        if self.interval == 0 {
            return Err(Invalid::IntervalZero.into());
        }
        if self.interval > super::MAX_INTERVAL {
            return Err(Invalid::IntervalTooLarge.into());
        }
        if self.count == Some(0) {
            return Err(Invalid::CountZero.into());
        }
        if self.freq == Freq::Weekly && !self.by_month_day.is_empty() {
            return Err(Invalid::MonthDayInWeekly.into());
        }
        let month_scope =
            self.freq == Freq::Monthly || (self.freq == Freq::Yearly && !self.by_month.is_empty());
        for spec in &self.by_day {
            let Some(n) = spec.ordinal else { continue };
            match self.freq {
                Freq::Daily | Freq::Weekly => {
                    return Err(Invalid::RankNeedsMonthOrYear(spec.text()).into());
                }
                _ if month_scope && n.abs() > 5 => {
                    return Err(Invalid::RankNeverHappens(spec.text()).into());
                }
                _ => {}
            }
        }
        if !self.by_set_pos.is_empty()
            && self.by_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_month.is_empty()
        {
            return Err(Invalid::SetPosAlone.into());
        }
        Ok(())
    }

    /// Parses an RFC 5545 RRULE value, with or without the "RRULE:" prefix, case-insensitive.
    /// Err shows as a clear French message for a person (e.g. "La règle de récurrence est
    /// invalide : FREQ manque.").
    pub fn parse(value: &str) -> Result<Rule, RuleError> {
        // Names and values are matched in upper case; messages quote what the person typed.
        let trimmed = value.trim();
        let body = match trimmed.get(..6) {
            Some(prefix) if prefix.eq_ignore_ascii_case("RRULE:") => trimmed.get(6..).unwrap_or(""),
            _ => trimmed,
        };
        if body.trim().is_empty() {
            return Err(Invalid::Empty.into());
        }
        let mut freq = None;
        let mut rule = Rule::bare(Freq::Daily);
        let mut interval = None;
        let mut seen: Vec<String> = Vec::new();
        for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (typed_name, val) = match part.split_once('=') {
                Some((n, v)) if !n.trim().is_empty() => (n.trim(), v.trim().to_uppercase()),
                _ => return Err(Invalid::NotNameValue(part.to_string()).into()),
            };
            let name_upper = typed_name.to_uppercase();
            let name = name_upper.as_str();
            let val = val.as_str();
            if seen.iter().any(|s| s == name) {
                return Err(Invalid::Twice(name_upper).into());
            }
            seen.push(name_upper.clone());
            if val.is_empty() {
                return Err(Invalid::NoValue(name_upper).into());
            }
            match name {
                "FREQ" => freq = Some(parse_freq(val)?),
                "INTERVAL" => {
                    let n = parse_int(name, val)?;
                    if n < 1 {
                        return Err(Invalid::IntervalZero.into());
                    }
                    interval = Some(u32::try_from(n).map_err(|_| Invalid::IntervalTooLarge)?);
                }
                "COUNT" => {
                    let n = parse_int(name, val)?;
                    if n < 1 {
                        return Err(Invalid::CountZero.into());
                    }
                    rule.count = Some(u32::try_from(n).map_err(|_| Invalid::CountHuge)?);
                }
                "UNTIL" => rule.until = Some(parse_until(val)?),
                "BYDAY" => {
                    for item in val.split(',').map(str::trim) {
                        if item.is_empty() {
                            return Err(Invalid::EmptyItem(ListPart::Day).into());
                        }
                        rule.by_day.push(parse_day_spec(item)?);
                    }
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = parse_int_list(ListPart::MonthDay, val, -31..=31, true)?;
                }
                "BYMONTH" => {
                    rule.by_month = parse_int_list(ListPart::Month, val, 1..=12, true)?
                        .into_iter()
                        .filter_map(|m| u32::try_from(m).ok())
                        .collect();
                }
                "BYSETPOS" => {
                    rule.by_set_pos = parse_int_list(ListPart::SetPos, val, -366..=366, true)?;
                }
                "WKST" => {
                    rule.wkst = weekday_from_code(val)
                        .ok_or_else(|| Invalid::NotAWeekStart(val.to_string()))?;
                }
                "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                    return Err(Unsupported::TimeOfDay(name_upper).into());
                }
                "BYWEEKNO" => return Err(Unsupported::WeekNumbers.into()),
                "BYYEARDAY" => return Err(Unsupported::YearDays.into()),
                "RSCALE" | "SKIP" => return Err(Unsupported::OtherCalendars(name_upper).into()),
                _ => return Err(Invalid::UnknownPart(typed_name.to_string()).into()),
            }
        }
        rule.freq = freq.ok_or(Invalid::NoFreq)?;
        rule.interval = interval.unwrap_or(1);
        rule.check()?;
        rule.normalize();
        Ok(rule)
    }

    /// `parse`, plus the limits of what a form accepts: COUNT at most `MAX_COUNT`, UNTIL within
    /// `MIN_YEAR`..=`MAX_YEAR`, lists no longer than `MAX_BYDAY`, `MAX_BYMONTHDAY`,
    /// `MAX_BYSETPOS`, the whole rule at most `MAX_RULE_LEN` characters.
    pub fn parse_input(value: &str) -> Result<Rule, RuleError> {
        if value.trim().chars().count() > MAX_RULE_LEN {
            return Err(TooComplex::TooLong.into());
        }
        let rule = Rule::parse(value)?;
        rule.check_limits()?;
        Ok(rule)
    }

    /// The limits of `parse_input`, on a parsed rule (lists counted without duplicates).
    pub(super) fn check_limits(&self) -> Result<(), RuleError> {
        if let Some(count) = self.count
            && count > MAX_COUNT
        {
            return Err(TooComplex::Count(count).into());
        }
        if let Some(until) = self.until
            && !year_in_range(until.local_date())
        {
            return Err(Invalid::UntilOutOfRange.into());
        }
        for (part, len, max) in [
            (ListPart::Day, self.by_day.len(), MAX_BYDAY),
            (ListPart::MonthDay, self.by_month_day.len(), MAX_BYMONTHDAY),
            (ListPart::SetPos, self.by_set_pos.len(), MAX_BYSETPOS),
        ] {
            if len > max {
                return Err(TooComplex::List { part, len, max }.into());
            }
        }
        Ok(())
    }

    pub(super) fn render(&self, until_in_utc: bool) -> String {
        let mut parts = vec![format!("FREQ={}", self.freq.code())];
        if self.interval != 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        if !self.by_month.is_empty() {
            let months: Vec<String> = self.by_month.iter().map(u32::to_string).collect();
            parts.push(format!("BYMONTH={}", months.join(",")));
        }
        if !self.by_month_day.is_empty() {
            parts.push(format!("BYMONTHDAY={}", join_numbers(&self.by_month_day)));
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self.by_day.iter().map(|d| d.text()).collect();
            parts.push(format!("BYDAY={}", days.join(",")));
        }
        if !self.by_set_pos.is_empty() {
            parts.push(format!("BYSETPOS={}", join_numbers(&self.by_set_pos)));
        }
        if self.wkst != Weekday::Mon {
            parts.push(format!("WKST={}", weekday_code(self.wkst)));
        }
        if let Some(n) = self.count {
            parts.push(format!("COUNT={n}"));
        }
        if let Some(until) = self.until {
            let text = if until_in_utc {
                until.utc_text()
            } else {
                until.text()
            };
            parts.push(format!("UNTIL={text}"));
        }
        parts.join(";")
    }

    /// Canonical text without prefix, parts in a stable order: "FREQ=MONTHLY;BYDAY=2FR,4FR".
    /// Order: FREQ, INTERVAL (omitted when 1), BYMONTH, BYMONTHDAY, BYDAY, BYSETPOS, WKST (omitted
    /// when MO, the default), COUNT, UNTIL (as written: DATE, UTC or floating).
    pub fn to_rrule(&self) -> String {
        self.render(false)
    }

    /// The same, with UNTIL always as a UTC DATE-TIME, as RFC 5545 §3.3.10 requires next to
    /// `DTSTART;TZID=Europe/Brussels` (a DATE becomes 23:59:59 local that day): for .ics output.
    pub fn to_ics_rrule(&self) -> String {
        self.render(true)
    }

    pub fn count(&self) -> Option<u32> {
        self.count
    }

    /// The last day allowed by UNTIL, as a local Brussels date.
    pub fn until_date(&self) -> Option<NaiveDate> {
        self.until.map(Until::local_date)
    }

    pub fn interval(&self) -> u32 {
        self.interval
    }
}

impl std::fmt::Display for Rule {
    /// The canonical RRULE text, as `to_rrule`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rrule())
    }
}

impl std::str::FromStr for Rule {
    type Err = RuleError;

    fn from_str(s: &str) -> Result<Rule, RuleError> {
        Rule::parse(s)
    }
}
