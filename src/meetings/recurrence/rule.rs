//! Parsing, checking and writing back the RRULE text.

use super::{MAX_BYDAY, MAX_BYMONTHDAY, MAX_BYSETPOS, MAX_COUNT, MAX_INTERVAL, MAX_RULE_LEN};
use super::{MAX_YEAR, MIN_YEAR, to_local, to_utc, year_in_range};
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

pub(super) fn invalid(detail: &str) -> String {
    format!("La règle de récurrence est invalide : {detail}.")
}

pub(super) fn too_complex(detail: &str) -> String {
    format!("La règle de récurrence est trop complexe : {detail}.")
}

pub(super) fn unsupported(detail: &str) -> String {
    format!("La règle de récurrence n'est pas prise en charge : {detail}.")
}

pub(super) fn parse_int(name: &str, text: &str) -> Result<i64, String> {
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
pub(super) fn parse_int_list(
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

pub(super) fn parse_freq(value: &str) -> Result<Freq, String> {
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

pub(super) fn parse_day_spec(item: &str) -> Result<DaySpec, String> {
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

pub(super) fn parse_digits(text: &str, from: usize, len: usize) -> Option<u32> {
    let part = text.get(from..from + len)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

pub(super) fn parse_until(value: &str) -> Result<Until, String> {
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
    pub(super) fn check(&self) -> Result<(), String> {
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
    pub(super) fn check_limits(&self) -> Result<(), String> {
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
    type Err = String;

    fn from_str(s: &str) -> Result<Rule, String> {
        Rule::parse(s)
    }
}
