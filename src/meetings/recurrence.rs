//! Recurrence of meetings: a hand-written subset of RFC 5545 RRULE (DAILY…YEARLY, INTERVAL, BYDAY,
//! BYMONTHDAY, BYMONTH, BYSETPOS, COUNT, UNTIL, WKST), expanded in Europe/Brussels wall-clock time.
//! Hand-written rather than the `rrule` crate: the subset is small, every refusal needs a French
//! message, and DST gaps, DTSTART inclusion and loop bounds stay under our control. Pure, no I/O.

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Freq {
    fn code(self) -> &'static str {
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
enum Until {
    Date(NaiveDate),
    Utc(DateTime<Utc>),
    Local(NaiveDateTime),
}

impl Until {
    fn local_date(self) -> NaiveDate {
        match self {
            Until::Date(d) => d,
            Until::Utc(u) => to_local(u).date(),
            Until::Local(l) => l.date(),
        }
    }

    /// Whether an occurrence computed at `nominal` (local) and starting at `start_utc` is allowed.
    fn admits(self, nominal: NaiveDateTime, start_utc: DateTime<Utc>) -> bool {
        match self {
            Until::Date(d) => nominal.date() <= d,
            Until::Utc(u) => start_utc <= u,
            Until::Local(l) => nominal <= l,
        }
    }

    fn text(self) -> String {
        match self {
            Until::Date(d) => d.format("%Y%m%d").to_string(),
            Until::Utc(u) => u.format("%Y%m%dT%H%M%SZ").to_string(),
            Until::Local(l) => l.format("%Y%m%dT%H%M%S").to_string(),
        }
    }

    /// The UTC form RFC 5545 requires next to a DTSTART with TZID (a DATE means its whole day).
    fn utc_text(self) -> String {
        let utc = match self {
            Until::Date(d) => to_utc(d.and_time(last_second())),
            Until::Utc(u) => u,
            Until::Local(l) => to_utc(l),
        };
        utc.format("%Y%m%dT%H%M%SZ").to_string()
    }
}

fn last_second() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
}

/// One BYDAY item: a weekday, with an optional rank in the month or year (2FR, -1SU).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct DaySpec {
    ordinal: Option<i32>,
    weekday: Weekday,
}

impl DaySpec {
    fn text(self) -> String {
        match self.ordinal {
            Some(n) => format!("{n}{}", weekday_code(self.weekday)),
            None => weekday_code(self.weekday).to_string(),
        }
    }

    fn sort_key(self) -> (u8, i32, u32) {
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
    freq: Freq,
    interval: u32,
    by_month: Vec<u32>,
    by_month_day: Vec<i32>,
    by_day: Vec<DaySpec>,
    by_set_pos: Vec<i32>,
    wkst: Weekday,
    count: Option<u32>,
    until: Option<Until>,
}

fn invalid(detail: &str) -> String {
    format!("La règle de récurrence est invalide : {detail}.")
}

fn too_complex(detail: &str) -> String {
    format!("La règle de récurrence est trop complexe : {detail}.")
}

fn unsupported(detail: &str) -> String {
    format!("La règle de récurrence n'est pas prise en charge : {detail}.")
}

fn parse_int(name: &str, text: &str) -> Result<i64, String> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(&format!(
            "{name} attend un nombre entier, pas « {text} »"
        )));
    }
    let n: i64 = digits
        .parse()
        .map_err(|_| invalid(&format!("{name} attend un nombre entier, pas « {text} »")))?;
    Ok(if negative { -n } else { n })
}

/// A comma-separated list of integers, each in `range`, zero excluded when `nonzero`.
fn parse_int_list(
    name: &str,
    text: &str,
    range: std::ops::RangeInclusive<i64>,
    nonzero: bool,
    what: &str,
) -> Result<Vec<i32>, String> {
    let mut out = Vec::new();
    for item in text.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(invalid(&format!("{name} contient un élément vide")));
        }
        let n = parse_int(name, item)?;
        if !range.contains(&n) || (nonzero && n == 0) {
            return Err(invalid(&format!("{name} : « {item} » {what}")));
        }
        out.push(i32::try_from(n).map_err(|_| invalid(&format!("{name} : « {item} » {what}")))?);
    }
    Ok(out)
}

fn parse_freq(value: &str) -> Result<Freq, String> {
    match value {
        "DAILY" => Ok(Freq::Daily),
        "WEEKLY" => Ok(Freq::Weekly),
        "MONTHLY" => Ok(Freq::Monthly),
        "YEARLY" => Ok(Freq::Yearly),
        "HOURLY" | "MINUTELY" | "SECONDLY" => Err(unsupported(&format!(
            "FREQ={value} n'est pas géré, une réunion se répète au plus une fois par jour"
        ))),
        other => Err(invalid(&format!(
            "FREQ={other} n'est pas une fréquence connue (DAILY, WEEKLY, MONTHLY ou YEARLY)"
        ))),
    }
}

fn weekday_code(w: Weekday) -> &'static str {
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

fn weekday_from_code(code: &str) -> Option<Weekday> {
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

fn parse_day_spec(item: &str) -> Result<DaySpec, String> {
    let bad = || {
        invalid(&format!(
            "BYDAY : « {item} » n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU, \
             éventuellement précédé d'un rang comme 2FR ou -1FR)"
        ))
    };
    if item.len() < 2 || !item.is_ascii() {
        return Err(bad());
    }
    let (rank, code) = item.split_at(item.len() - 2);
    let weekday = weekday_from_code(code).ok_or_else(bad)?;
    let ordinal = if rank.is_empty() {
        None
    } else {
        let n = parse_int("BYDAY", rank).map_err(|_| bad())?;
        if n == 0 || !(-53..=53).contains(&n) {
            return Err(invalid(&format!(
                "BYDAY : le rang de « {item} » doit être compris entre 1 et 53 (ou -53 et -1)"
            )));
        }
        Some(i32::try_from(n).map_err(|_| bad())?)
    };
    Ok(DaySpec { ordinal, weekday })
}

fn parse_digits(text: &str, from: usize, len: usize) -> Option<u32> {
    let part = text.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn parse_until(value: &str) -> Result<Until, String> {
    let bad = || {
        invalid(&format!(
            "UNTIL « {value} » n'est ni une date (AAAAMMJJ) ni une date et heure \
             (AAAAMMJJTHHMMSS, suivie de Z pour l'heure UTC)"
        ))
    };
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

fn join_numbers(values: &[i32]) -> String {
    values
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn sort_signed(values: &mut Vec<i32>) {
    // Positive values first, then negative ones, each ascending: 1,15,-2,-1.
    values.sort_by_key(|&v| (v < 0, v));
    values.dedup();
}

fn week_start(date: NaiveDate, wkst: Weekday) -> NaiveDate {
    let back = date.weekday().days_since(wkst);
    date.checked_sub_signed(Duration::days(i64::from(back)))
        .unwrap_or(date)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    NaiveDate::from_ymd_opt(year, month, 1).map_or(31, |d| u32::from(d.num_days_in_month()))
}

/// Rank of `date` among the same weekdays of [first, last], from the start (1, 2…) and the end (-1, -2…).
fn ranks_in(date: NaiveDate, first: NaiveDate, last: NaiveDate) -> (i64, i64) {
    let from_start = (date - first).num_days() / 7 + 1;
    let from_end = -((last - date).num_days() / 7 + 1);
    (from_start, from_end)
}

#[cfg(test)]
thread_local! {
    /// Days `period_dates` looked at on this thread: tests measure what an expansion costs.
    static SCANNED_DAYS: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// Bit of a signed list value: 1..=max at bits 1..=max, -1..=-max at bits max+1..=2·max.
fn signed_bit(value: i32, max: u32) -> u32 {
    if value > 0 {
        value.unsigned_abs()
    } else {
        max + value.unsigned_abs()
    }
}

/// A rule's BYMONTH, BYMONTHDAY and BYDAY as bit sets (see `Rule::matcher`).
struct Matcher {
    months: u16,
    month_days: u64,
    /// Weekdays without a rank (bit = days from Monday).
    plain_days: u8,
    /// Per weekday, its ranks (bits as `signed_bit` with max 53).
    ranked: [u128; 7],
    /// Ranks count within the year (YEARLY without BYMONTH), else within the month.
    year_ranks: bool,
}

impl Matcher {
    fn month_day_matches(&self, date: NaiveDate) -> bool {
        let day = date.day();
        let from_end = days_in_month(date.year(), date.month()) + 1 - day;
        self.month_days & (1 << day) != 0 || self.month_days & (1 << (31 + from_end)) != 0
    }

    fn day_matches(&self, date: NaiveDate) -> bool {
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
    fn bare(freq: Freq) -> Rule {
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

    fn normalize(&mut self) {
        self.by_month.sort_unstable();
        self.by_month.dedup();
        sort_signed(&mut self.by_month_day);
        sort_signed(&mut self.by_set_pos);
        self.by_day.sort_by_key(|d| d.sort_key());
        self.by_day.dedup();
    }

    /// The RFC 5545 constraints between parts, and the limits of this subset.
    fn check(&self) -> Result<(), String> {
        if self.count.is_some() && self.until.is_some() {
            return Err(invalid(
                "COUNT et UNTIL ne peuvent pas être utilisés ensemble",
            ));
        }
        if self.interval == 0 {
            return Err(invalid("INTERVAL doit valoir au moins 1"));
        }
        if self.interval > MAX_INTERVAL {
            return Err(invalid(&format!(
                "INTERVAL ne peut pas dépasser {MAX_INTERVAL}"
            )));
        }
        if self.count == Some(0) {
            return Err(invalid("COUNT doit valoir au moins 1"));
        }
        if self.freq == Freq::Weekly && !self.by_month_day.is_empty() {
            return Err(invalid("BYMONTHDAY ne peut pas accompagner FREQ=WEEKLY"));
        }
        let month_scope =
            self.freq == Freq::Monthly || (self.freq == Freq::Yearly && !self.by_month.is_empty());
        for spec in &self.by_day {
            let Some(n) = spec.ordinal else { continue };
            match self.freq {
                Freq::Daily | Freq::Weekly => {
                    return Err(invalid(&format!(
                        "un rang dans BYDAY (« {} ») n'a de sens qu'avec FREQ=MONTHLY ou FREQ=YEARLY",
                        spec.text()
                    )));
                }
                _ if month_scope && n.abs() > 5 => {
                    return Err(invalid(&format!(
                        "BYDAY : « {} » n'existe jamais, un mois compte au plus 5 fois le même jour",
                        spec.text()
                    )));
                }
                _ => {}
            }
        }
        if !self.by_set_pos.is_empty()
            && self.by_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_month.is_empty()
        {
            return Err(invalid(
                "BYSETPOS doit accompagner BYDAY, BYMONTHDAY ou BYMONTH",
            ));
        }
        Ok(())
    }

    /// Parses an RFC 5545 RRULE value, with or without the "RRULE:" prefix, case-insensitive.
    /// Err is a clear French message for a person (e.g. "La règle de récurrence est invalide : FREQ manque.").
    pub fn parse(value: &str) -> Result<Rule, String> {
        // Names and values are matched in upper case; messages quote what the person typed.
        let trimmed = value.trim();
        let body = match trimmed.get(..6) {
            Some(prefix) if prefix.eq_ignore_ascii_case("RRULE:") => trimmed.get(6..).unwrap_or(""),
            _ => trimmed,
        };
        if body.trim().is_empty() {
            return Err(invalid("la règle est vide"));
        }
        let mut freq = None;
        let mut rule = Rule::bare(Freq::Daily);
        let mut interval = None;
        let mut seen: Vec<String> = Vec::new();
        for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (typed_name, val) = match part.split_once('=') {
                Some((n, v)) if !n.trim().is_empty() => (n.trim(), v.trim().to_uppercase()),
                _ => {
                    return Err(invalid(&format!(
                        "« {part} » n'est pas de la forme NOM=VALEUR"
                    )));
                }
            };
            let name_upper = typed_name.to_uppercase();
            let name = name_upper.as_str();
            let val = val.as_str();
            if seen.iter().any(|s| s == name) {
                return Err(invalid(&format!("{name} apparaît deux fois")));
            }
            seen.push(name_upper.clone());
            if val.is_empty() {
                return Err(invalid(&format!("{name} n'a pas de valeur")));
            }
            match name {
                "FREQ" => freq = Some(parse_freq(val)?),
                "INTERVAL" => {
                    let n = parse_int(name, val)?;
                    if n < 1 {
                        return Err(invalid("INTERVAL doit valoir au moins 1"));
                    }
                    interval = Some(u32::try_from(n).map_err(|_| {
                        invalid(&format!("INTERVAL ne peut pas dépasser {MAX_INTERVAL}"))
                    })?);
                }
                "COUNT" => {
                    let n = parse_int(name, val)?;
                    if n < 1 {
                        return Err(invalid("COUNT doit valoir au moins 1"));
                    }
                    rule.count = Some(
                        u32::try_from(n).map_err(|_| invalid("COUNT est beaucoup trop grand"))?,
                    );
                }
                "UNTIL" => rule.until = Some(parse_until(val)?),
                "BYDAY" => {
                    for item in val.split(',').map(str::trim) {
                        if item.is_empty() {
                            return Err(invalid("BYDAY contient un élément vide"));
                        }
                        rule.by_day.push(parse_day_spec(item)?);
                    }
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = parse_int_list(
                        name,
                        val,
                        -31..=31,
                        true,
                        "n'est pas un jour du mois (1 à 31, ou -31 à -1 en partant de la fin)",
                    )?;
                }
                "BYMONTH" => {
                    rule.by_month =
                        parse_int_list(name, val, 1..=12, true, "n'est pas un mois (1 à 12)")?
                            .into_iter()
                            .filter_map(|m| u32::try_from(m).ok())
                            .collect();
                }
                "BYSETPOS" => {
                    rule.by_set_pos = parse_int_list(
                        name,
                        val,
                        -366..=366,
                        true,
                        "n'est pas une position (1 à 366, ou -366 à -1 en partant de la fin)",
                    )?;
                }
                "WKST" => {
                    rule.wkst = weekday_from_code(val).ok_or_else(|| {
                        invalid(&format!(
                            "WKST : « {val} » n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU)"
                        ))
                    })?;
                }
                "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                    return Err(unsupported(&format!(
                        "{name} n'est pas géré, une réunion garde l'heure de sa première date"
                    )));
                }
                "BYWEEKNO" => {
                    return Err(unsupported("BYWEEKNO (numéros de semaine) n'est pas géré"));
                }
                "BYYEARDAY" => {
                    return Err(unsupported(
                        "BYYEARDAY (numéros de jour dans l'année) n'est pas géré",
                    ));
                }
                "RSCALE" | "SKIP" => {
                    return Err(unsupported(&format!(
                        "{name} (autres calendriers, RFC 7529) n'est pas géré"
                    )));
                }
                _ => return Err(invalid(&format!("partie inconnue « {typed_name} »"))),
            }
        }
        rule.freq = freq.ok_or_else(|| invalid("FREQ manque"))?;
        rule.interval = interval.unwrap_or(1);
        rule.check()?;
        rule.normalize();
        Ok(rule)
    }

    /// `parse`, plus the limits of what a form accepts: COUNT at most `MAX_COUNT`, UNTIL within
    /// `MIN_YEAR`..=`MAX_YEAR`, lists no longer than `MAX_BYDAY`, `MAX_BYMONTHDAY`,
    /// `MAX_BYSETPOS`, the whole rule at most `MAX_RULE_LEN` characters.
    pub fn parse_input(value: &str) -> Result<Rule, String> {
        if value.trim().chars().count() > MAX_RULE_LEN {
            return Err(too_complex(&format!(
                "elle dépasse {MAX_RULE_LEN} caractères"
            )));
        }
        let rule = Rule::parse(value)?;
        rule.check_limits()?;
        Ok(rule)
    }

    /// The limits of `parse_input`, on a parsed rule (lists counted without duplicates).
    fn check_limits(&self) -> Result<(), String> {
        if let Some(count) = self.count
            && count > MAX_COUNT
        {
            return Err(too_complex(&format!(
                "COUNT vaut {count}, une série compte au plus {MAX_COUNT} réunions"
            )));
        }
        if let Some(until) = self.until
            && !year_in_range(until.local_date())
        {
            return Err(invalid(&format!(
                "UNTIL doit tomber entre {MIN_YEAR} et {MAX_YEAR}"
            )));
        }
        for (name, len, max, what) in [
            ("BYDAY", self.by_day.len(), MAX_BYDAY, "jours"),
            (
                "BYMONTHDAY",
                self.by_month_day.len(),
                MAX_BYMONTHDAY,
                "jours du mois",
            ),
            ("BYSETPOS", self.by_set_pos.len(), MAX_BYSETPOS, "positions"),
        ] {
            if len > max {
                return Err(too_complex(&format!(
                    "{name} énumère {len} {what}, {max} au plus"
                )));
            }
        }
        Ok(())
    }

    fn render(&self, until_in_utc: bool) -> String {
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

    /// Checks a series' first date against this rule, for forms: Err (in French) when UNTIL falls
    /// before it, or when it is not itself one of the rule's dates (RFC 5545 then still counts it as
    /// the first occurrence, which is rarely what the person meant).
    pub fn check_start(&self, dtstart: NaiveDateTime) -> Result<(), String> {
        if let Some(until) = self.until
            && !until.admits(dtstart, to_utc(dtstart))
        {
            return Err(format!(
                "La date de fin ({}) précède la première réunion ({}).",
                date_fr(until.local_date()),
                date_fr(dtstart.date())
            ));
        }
        let own_period = self
            .period_span(dtstart.date(), 0)
            .map(|(first, last)| self.period_dates(&self.matcher(), dtstart.date(), first, last));
        if own_period.is_some_and(|dates| dates.contains(&dtstart.date())) {
            Ok(())
        } else {
            Err(format!(
                "La première réunion ({} {}) ne suit pas la règle « {} ».",
                weekday_fr(dtstart.weekday()),
                date_fr(dtstart.date()),
                self.describe_fr()
            ))
        }
    }

    /// The `k`-th period (day, week, month or year) counted from the one holding `anchor`.
    fn period_span(&self, anchor: NaiveDate, k: i64) -> Option<(NaiveDate, NaiveDate)> {
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
    fn matcher(&self) -> Matcher {
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
    fn date_matches(&self, m: &Matcher, date: NaiveDate, anchor: NaiveDate) -> bool {
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
    fn period_dates(
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
    fn first_useful_period(&self, anchor: NaiveDate, from: NaiveDate) -> i64 {
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

impl std::fmt::Display for Rule {
    /// The canonical RRULE text, as `to_rrule`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rrule())
    }
}

impl std::str::FromStr for Rule {
    type Err = String;

    fn from_str(s: &str) -> Result<Rule, String> {
        Rule::parse(s)
    }
}

/// What the meeting form offers, so nobody has to type an RRULE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    Daily {
        interval: u32,
    },
    Weekly {
        interval: u32,
        days: Vec<Weekday>,
    },
    /// ordinals: 1..=5 or -1 (last); e.g. [2, 4] with Fri = 2nd and 4th Friday.
    MonthlyNth {
        ordinals: Vec<i8>,
        weekday: Weekday,
    },
    MonthlyDay {
        day: u32,
    },
}

fn check_form_interval(interval: u32) -> Result<u32, String> {
    if (1..=MAX_INTERVAL).contains(&interval) {
        Ok(interval)
    } else {
        Err(format!(
            "L'intervalle doit être compris entre 1 et {MAX_INTERVAL}."
        ))
    }
}

impl Pattern {
    /// The rule for this choice, ending at `until` (a local date, inclusive) or after `count`
    /// meetings, or never. Err is a French sentence for the form.
    pub fn to_rule(&self, until: Option<NaiveDate>, count: Option<u32>) -> Result<Rule, String> {
        if until.is_some() && count.is_some() {
            return Err(
                "Indiquez soit une date de fin, soit un nombre de réunions, pas les deux.".into(),
            );
        }
        if count == Some(0) {
            return Err("Le nombre de réunions doit être au moins 1.".into());
        }
        if count.is_some_and(|c| c > MAX_COUNT) {
            return Err(format!("Une série compte au plus {MAX_COUNT} réunions."));
        }
        if until.is_some_and(|d| !year_in_range(d)) {
            return Err(format!(
                "La date de fin de la série doit tomber entre {MIN_YEAR} et {MAX_YEAR}."
            ));
        }
        let mut rule = match self {
            Pattern::Daily { interval } => Rule {
                interval: check_form_interval(*interval)?,
                ..Rule::bare(Freq::Daily)
            },
            Pattern::Weekly { interval, days } => {
                if days.is_empty() {
                    return Err("Choisissez au moins un jour de la semaine.".into());
                }
                Rule {
                    interval: check_form_interval(*interval)?,
                    by_day: days
                        .iter()
                        .map(|&weekday| DaySpec {
                            ordinal: None,
                            weekday,
                        })
                        .collect(),
                    ..Rule::bare(Freq::Weekly)
                }
            }
            Pattern::MonthlyNth { ordinals, weekday } => {
                if ordinals.is_empty() {
                    return Err(
                        "Choisissez au moins une semaine du mois (1re à 5e, ou la dernière)."
                            .into(),
                    );
                }
                if let Some(bad) = ordinals.iter().find(|n| !matches!(n, 1..=5 | -1)) {
                    return Err(format!(
                        "« {bad} » n'est pas une semaine du mois : choisissez 1 à 5, ou -1 pour la dernière."
                    ));
                }
                Rule {
                    by_day: ordinals
                        .iter()
                        .map(|&n| DaySpec {
                            ordinal: Some(i32::from(n)),
                            weekday: *weekday,
                        })
                        .collect(),
                    ..Rule::bare(Freq::Monthly)
                }
            }
            Pattern::MonthlyDay { day } => {
                let day = i32::try_from(*day)
                    .ok()
                    .filter(|d| (1..=31).contains(d))
                    .ok_or_else(|| {
                        format!("« {day} » n'est pas un jour du mois : choisissez 1 à 31.")
                    })?;
                Rule {
                    by_month_day: vec![day],
                    ..Rule::bare(Freq::Monthly)
                }
            }
        };
        rule.count = count;
        rule.until = until.map(Until::Date);
        rule.check()?;
        rule.normalize();
        Ok(rule)
    }

    /// The reverse, when a rule is one of these simple shapes (to pre-fill the form); None otherwise.
    /// UNTIL comes back as its local date (a UTC or floating DATE-TIME loses its time of day);
    /// WKST is ignored where it changes nothing (weekly rules with INTERVAL=1).
    pub fn from_rule(rule: &Rule) -> Option<(Pattern, Option<NaiveDate>, Option<u32>)> {
        let mut bare = rule.clone();
        bare.count = None;
        bare.until = None;
        if bare.freq == Freq::Weekly && bare.interval == 1 {
            bare.wkst = Weekday::Mon;
        }
        let pattern = match rule.freq {
            Freq::Daily => Pattern::Daily {
                interval: rule.interval,
            },
            Freq::Weekly => Pattern::Weekly {
                interval: rule.interval,
                days: rule.by_day.iter().map(|d| d.weekday).collect(),
            },
            Freq::Monthly if rule.by_month_day.is_empty() => {
                let weekday = rule.by_day.first()?.weekday;
                Pattern::MonthlyNth {
                    ordinals: rule
                        .by_day
                        .iter()
                        .map(|d| d.ordinal.and_then(|n| i8::try_from(n).ok()))
                        .collect::<Option<Vec<i8>>>()?,
                    weekday,
                }
            }
            Freq::Monthly => Pattern::MonthlyDay {
                day: u32::try_from(*rule.by_month_day.first()?).ok()?,
            },
            Freq::Yearly => return None,
        };
        let rebuilt = pattern.to_rule(None, None).ok()?;
        (rebuilt == bare).then(|| (pattern, rule.until_date(), rule.count))
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
    fn at(nominal: NaiveDateTime, duration: Duration) -> Occurrence {
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
enum CountEnd {
    Last(NaiveDateTime),
    Beyond,
}

/// The count is walked up to this year at most (dates typed in forms stop at 2200).
const COUNT_HORIZON_YEAR: i32 = 2300;

/// Series whose COUNT end was found, remembered per process (bounded: forgotten all at once).
const MAX_REMEMBERED: usize = 4096;

type CountEnds = HashMap<(Rule, NaiveDateTime), CountEnd>;

static COUNT_ENDS: LazyLock<Mutex<CountEnds>> = LazyLock::new(Mutex::default);

/// Where the counting of `rule` from `dtstart` stops (`limit` candidates, DTSTART included),
/// remembered: the walk from DTSTART happens once per series and rule, not once per page.
fn count_end(dtstart: NaiveDateTime, rule: &Rule, matcher: &Matcher, limit: usize) -> CountEnd {
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
fn walk_count(dtstart: NaiveDateTime, rule: &Rule, matcher: &Matcher, limit: usize) -> CountEnd {
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

// ---- French wording -------------------------------------------------------------------------

// Month and weekday names are shared with the other rooms (`crate::web::french`).
use crate::web::french::{date as date_fr, weekday as weekday_fr};

fn month_fr(month: u32) -> &'static str {
    crate::web::french::month(month).unwrap_or("?")
}

/// "de mars", "d'octobre".
fn month_de_fr(month: u32) -> String {
    let name = month_fr(month);
    if name.starts_with(['a', 'o']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// "a", "a et b", "a, b et c".
fn join_fr(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

fn number_word(n: u32) -> Option<&'static str> {
    Some(match n {
        2 => "deux",
        3 => "trois",
        4 => "quatre",
        5 => "cinq",
        6 => "six",
        7 => "sept",
        8 => "huit",
        9 => "neuf",
        10 => "dix",
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// "chaque semaine", "une semaine sur deux", "toutes les 12 semaines".
fn every_fr(interval: u32, unit: Unit) -> String {
    let (each, one, plural) = match unit {
        Unit::Day => ("chaque jour", "un jour", "tous les {} jours"),
        Unit::Week => ("chaque semaine", "une semaine", "toutes les {} semaines"),
        Unit::Month => ("chaque mois", "un mois", "tous les {} mois"),
        Unit::Year => ("chaque année", "un an", "tous les {} ans"),
    };
    if interval <= 1 {
        each.to_string()
    } else if let Some(word) = number_word(interval) {
        format!("{one} sur {word}")
    } else {
        plural.replace("{}", &interval.to_string())
    }
}

const WORK_WEEK: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// "le lundi", "le lundi et le jeudi", "du lundi au vendredi", "tous les jours".
fn weekdays_fr(days: &[Weekday]) -> String {
    if days == WORK_WEEK {
        return "du lundi au vendredi".into();
    }
    if days.len() == 7 {
        return "tous les jours".into();
    }
    let items: Vec<String> = days
        .iter()
        .map(|d| format!("le {}", weekday_fr(*d)))
        .collect();
    join_fr(&items, "et")
}

/// "le 1er", "le 15", "le dernier jour", "l'avant-dernier jour", "le 3e jour avant la fin".
fn month_day_fr(day: i32) -> String {
    match day {
        1 => "le 1er".into(),
        -1 => "le dernier jour".into(),
        -2 => "l'avant-dernier jour".into(),
        d if d > 0 => format!("le {d}"),
        d => format!("le {}e jour avant la fin", d.unsigned_abs()),
    }
}

/// "le 1er", "le 2e", "le dernier", "l'avant-dernier" (None for ranks further from the end).
fn rank_fr(n: i32) -> Option<String> {
    match n {
        1 => Some("le 1er".into()),
        -1 => Some("le dernier".into()),
        -2 => Some("l'avant-dernier".into()),
        n if n > 0 => Some(format!("le {n}e")),
        _ => None,
    }
}

/// "le 1er mardi", "le 3e jeudi en partant de la fin".
fn ranked_day_fr(n: i32, weekday: Weekday) -> String {
    match rank_fr(n) {
        Some(rank) => format!("{rank} {}", weekday_fr(weekday)),
        None => format!(
            "le {}e {} en partant de la fin",
            n.unsigned_abs(),
            weekday_fr(weekday)
        ),
    }
}

/// "le 1er mardi", "les 2e et 4e vendredis", "le 2e et le dernier jeudi", "le 1er mardi et le 3e jeudi".
fn ranked_days_fr(specs: &[(i32, Weekday)]) -> String {
    let Some(&(_, weekday)) = specs.first() else {
        return String::new();
    };
    let same_day = specs.iter().all(|(_, w)| *w == weekday);
    if same_day && specs.len() > 1 {
        if specs.iter().all(|(n, _)| *n > 0) {
            let ranks: Vec<String> = specs
                .iter()
                .map(|(n, _)| {
                    if *n == 1 {
                        "1er".into()
                    } else {
                        format!("{n}e")
                    }
                })
                .collect();
            return format!("les {} {}s", join_fr(&ranks, "et"), weekday_fr(weekday));
        }
        if let Some(ranks) = specs
            .iter()
            .map(|(n, _)| rank_fr(*n))
            .collect::<Option<Vec<String>>>()
        {
            return format!("{} {}", join_fr(&ranks, "et"), weekday_fr(weekday));
        }
    }
    let items: Vec<String> = specs.iter().map(|(n, w)| ranked_day_fr(*n, *w)).collect();
    join_fr(&items, "et")
}

/// "en juillet et août", or "sauf en juillet et août" when that is shorter.
fn months_en_fr(months: &[u32]) -> String {
    let names = |list: &[u32]| -> String {
        let items: Vec<String> = list.iter().map(|m| month_fr(*m).to_string()).collect();
        join_fr(&items, "et")
    };
    if months.len() > 6 {
        let missing: Vec<u32> = (1..=12).filter(|m| !months.contains(m)).collect();
        format!("sauf en {}", names(&missing))
    } else {
        format!("en {}", names(months))
    }
}

/// "le 3e jeudi du mois" or, past INTERVAL=1, "le 3e jeudi du mois, un mois sur deux".
fn with_every(text: String, interval: u32, every: &str) -> String {
    if interval > 1 {
        format!("{text}, {every}")
    } else {
        text
    }
}

/// "la dernière", "la 1re et la dernière", "l'avant-dernière".
fn positions_fr(positions: &[i32]) -> String {
    let items: Vec<String> = positions
        .iter()
        .map(|&p| match p {
            1 => "la 1re".to_string(),
            -1 => "la dernière".to_string(),
            -2 => "l'avant-dernière".to_string(),
            p if p > 0 => format!("la {p}e"),
            p => format!("la {}e en partant de la fin", p.unsigned_abs()),
        })
        .collect();
    join_fr(&items, "et")
}

impl Rule {
    /// French description for people: "les 2e et 4e vendredis du mois", "un lundi sur deux",
    /// "le 1er mardi du mois", "chaque semaine le lundi et le jeudi", "le 3e jeudi du mois, jusqu'au 30 juin 2027".
    pub fn describe_fr(&self) -> String {
        let mut text = self.describe_dates_fr();
        match self.count {
            Some(1) => text.push_str(", une seule fois"),
            Some(n) => text.push_str(&format!(", {n} fois")),
            None => {}
        }
        if let Some(date) = self.until_date() {
            text.push_str(&format!(", jusqu'au {}", date_fr(date)));
        }
        text
    }

    fn describe_dates_fr(&self) -> String {
        let plain: Vec<Weekday> = self
            .by_day
            .iter()
            .filter(|d| d.ordinal.is_none())
            .map(|d| d.weekday)
            .collect();
        let ranked: Vec<(i32, Weekday)> = self
            .by_day
            .iter()
            .filter_map(|d| d.ordinal.map(|n| (n, d.weekday)))
            .collect();
        let month_days = join_fr(
            &self
                .by_month_day
                .iter()
                .map(|d| month_day_fr(*d))
                .collect::<Vec<_>>(),
            "et",
        );
        // ", s'il tombe un lundi ou un jeudi" (BYDAY limiting BYMONTHDAY).
        let if_weekday = || {
            let mut days: Vec<Weekday> = self.by_day.iter().map(|d| d.weekday).collect();
            days.sort_by_key(|d| d.num_days_from_monday());
            days.dedup();
            let names: Vec<String> = days
                .iter()
                .map(|d| format!("un {}", weekday_fr(*d)))
                .collect();
            format!(", s'il tombe {}", join_fr(&names, "ou"))
        };
        let mut text = match self.freq {
            Freq::Daily => {
                let mut t = every_fr(self.interval, Unit::Day);
                if !plain.is_empty() {
                    t.push_str(&format!(", seulement {}", weekdays_fr(&plain)));
                }
                if !self.by_month_day.is_empty() {
                    t.push_str(&format!(", seulement {month_days} du mois"));
                }
                t
            }
            Freq::Weekly => self.describe_weekly_fr(&plain),
            Freq::Monthly => {
                let every = every_fr(self.interval, Unit::Month);
                let work_week_rank = match (self.by_set_pos.as_slice(), ranked.is_empty()) {
                    ([p], true) if plain == WORK_WEEK => rank_fr(*p),
                    _ => None,
                };
                if !self.by_month_day.is_empty() {
                    let mut t = format!("{month_days} du mois");
                    if !self.by_day.is_empty() {
                        t.push_str(&if_weekday());
                    }
                    with_every(t, self.interval, &every)
                } else if !ranked.is_empty() && plain.is_empty() {
                    with_every(
                        format!("{} du mois", ranked_days_fr(&ranked)),
                        self.interval,
                        &every,
                    )
                } else if let Some(rank) = work_week_rank {
                    // "le dernier jour de semaine du mois": BYSETPOS is described here.
                    let t = with_every(
                        format!("{rank} jour de semaine du mois"),
                        self.interval,
                        &every,
                    );
                    return self.with_month_limit_fr(t);
                } else if self.by_day.is_empty() {
                    every
                } else {
                    let mut t = weekdays_fr(&plain);
                    if !ranked.is_empty() {
                        t.push_str(&format!(" et {} du mois", ranked_days_fr(&ranked)));
                    }
                    format!("{t}, {every}")
                }
            }
            Freq::Yearly => {
                let every = every_fr(self.interval, Unit::Year);
                let months: Vec<String> = self.by_month.iter().map(|m| month_de_fr(*m)).collect();
                let scope = if months.is_empty() {
                    "de l'année".to_string()
                } else {
                    join_fr(&months, "et")
                };
                if !self.by_month_day.is_empty() {
                    let mut t = match (self.by_month_day.as_slice(), self.by_month.as_slice()) {
                        (_, []) => format!("{month_days} de chaque mois"),
                        ([d], [m]) if *d > 0 => format!("{} {}", month_day_fr(*d), month_fr(*m)),
                        _ => format!("{month_days} {scope}"),
                    };
                    if !self.by_day.is_empty() {
                        t.push_str(&if_weekday());
                    }
                    if self.by_month.is_empty() {
                        with_every(t, self.interval, &every)
                    } else {
                        format!("{every} {t}")
                    }
                } else if !ranked.is_empty() && plain.is_empty() {
                    format!("{} {scope}, {every}", ranked_days_fr(&ranked))
                } else if !self.by_day.is_empty() {
                    let mut t = weekdays_fr(&plain);
                    if !ranked.is_empty() {
                        t.push_str(&format!(" et {} {scope}", ranked_days_fr(&ranked)));
                    }
                    if !self.by_month.is_empty() {
                        t.push_str(&format!(", {}", months_en_fr(&self.by_month)));
                    }
                    format!("{t}, {every}")
                } else if self.by_month.is_empty() {
                    every
                } else {
                    format!("{every} {}", months_en_fr(&self.by_month))
                }
            }
        };
        if self.freq != Freq::Yearly {
            text = self.with_month_limit_fr(text);
        }
        if !self.by_set_pos.is_empty() {
            let period = match self.freq {
                Freq::Daily => "jour",
                Freq::Weekly => "semaine",
                Freq::Monthly => "mois",
                Freq::Yearly => "année",
            };
            text.push_str(&format!(
                ", en ne gardant que {} date de chaque {period}",
                positions_fr(&self.by_set_pos)
            ));
        }
        text
    }

    fn with_month_limit_fr(&self, mut text: String) -> String {
        if !self.by_month.is_empty() {
            text.push_str(&format!(", {}", months_en_fr(&self.by_month)));
        }
        text
    }

    fn describe_weekly_fr(&self, days: &[Weekday]) -> String {
        let every = every_fr(self.interval, Unit::Week);
        let mut text = match days {
            [] => every,
            [day] if self.interval == 1 => format!("chaque {}", weekday_fr(*day)),
            [day] => match number_word(self.interval) {
                Some(word) => format!("un {} sur {word}", weekday_fr(*day)),
                None => format!("le {}, {every}", weekday_fr(*day)),
            },
            _ if self.interval == 1 => format!("chaque semaine {}", weekdays_fr(days)),
            _ => format!("{every}, {}", weekdays_fr(days)),
        };
        if self.interval > 1 && self.wkst != Weekday::Mon {
            text.push_str(&format!(
                " (semaines commençant le {})",
                weekday_fr(self.wkst)
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

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
            andenne.check_start(dt("2027-01-01T13:00")),
            Err(
                "La première réunion (vendredi 1er janvier 2027) ne suit pas la règle \
                 « les 2e et 4e vendredis du mois »."
                    .to_string()
            )
        );
        let ended = rule("FREQ=MONTHLY;BYDAY=2FR,4FR;UNTIL=20261231");
        assert_eq!(
            ended.check_start(dt("2027-01-08T13:00")),
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
            assert_eq!(Rule::parse_input(text).unwrap_err(), message, "{text}");
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
            weekly.to_rule(None, Some(1001)).unwrap_err(),
            "Une série compte au plus 1000 réunions."
        );
        assert_eq!(
            weekly.to_rule(Some(day("2201-01-01")), None).unwrap_err(),
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
            assert_eq!(Rule::parse(text), Err(message.to_string()), "{text}");
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
            assert_eq!(pattern.to_rule(until, count), Err(message.to_string()));
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
}
