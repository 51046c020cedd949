//! Meetings: the meeting form parsed into a checked value (kind, status and visibility as enums,
//! times in Brussels wall-clock, recurrence built from plain choices or an advanced RRULE, agenda
//! lines).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;

use super::recurrence::{self, MAX_YEAR, MIN_YEAR, Pattern, Rule};
pub use crate::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use crate::web::components::{NameRefusal, name_field};
pub use parse::{VideoUrlRefusal, check_video_url};

mod parse;

pub const DEFAULT_MEALS: &str = "Végétarien, Sans gluten, Sans porc, Pas de repas";

/// The weekdays the form offers, by the code its fields use (their names: `web::french`).
pub const WEEKDAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

/// The weeks of a month the form offers (1st to 5th, -1 the last), by the code its fields use.
pub const ORDINALS: [(&str, i8); 6] = [
    ("1", 1),
    ("2", 2),
    ("3", 3),
    ("4", 4),
    ("5", 5),
    ("last", -1),
];

/// The meeting form as typed. Every field is a string so that a refused form comes back as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    /// "network", "platform:ID" or "group:ID".
    pub scope: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub date: String,
    pub start_time: String,
    pub end_date: String,
    pub end_time: String,
    pub all_day: Option<String>,
    /// The reception office whose territory the meeting concerns ("" = none).
    pub office_id: String,
    pub place_name: String,
    pub place_address: String,
    pub video_url: String,
    pub visibility: String,
    pub status: String,
    pub capacity: String,
    pub registration_open: Option<String>,
    pub deadline_date: String,
    pub deadline_time: String,
    pub meal_options: String,
    /// Days before the meeting to send a reminder ("" = 2, "0" = none), and its text.
    pub reminder_days: String,
    pub reminder_text: String,
    /// Days before the meeting to remind invitees who have not answered ("" = not automatic).
    pub answer_reminder_days: String,
    pub agenda: String,
    /// "none", "daily", "weekly", "monthly_nth", "monthly_day" or "custom".
    pub repeat: String,
    pub interval: String,
    pub day_mo: Option<String>,
    pub day_tu: Option<String>,
    pub day_we: Option<String>,
    pub day_th: Option<String>,
    pub day_fr: Option<String>,
    pub day_sa: Option<String>,
    pub day_su: Option<String>,
    pub ord_1: Option<String>,
    pub ord_2: Option<String>,
    pub ord_3: Option<String>,
    pub ord_4: Option<String>,
    pub ord_5: Option<String>,
    pub ord_last: Option<String>,
    pub weekday: String,
    pub until: String,
    pub count: String,
    pub rrule: String,
    /// Set when the person confirmed despite the clash warnings.
    pub confirm_clash: String,
}

impl MeetingForm {
    pub fn day_checked(&self, code: &str) -> bool {
        match code {
            "MO" => self.day_mo.is_some(),
            "TU" => self.day_tu.is_some(),
            "WE" => self.day_we.is_some(),
            "TH" => self.day_th.is_some(),
            "FR" => self.day_fr.is_some(),
            "SA" => self.day_sa.is_some(),
            "SU" => self.day_su.is_some(),
            _ => false,
        }
    }

    pub fn ordinal_checked(&self, code: &str) -> bool {
        match code {
            "1" => self.ord_1.is_some(),
            "2" => self.ord_2.is_some(),
            "3" => self.ord_3.is_some(),
            "4" => self.ord_4.is_some(),
            "5" => self.ord_5.is_some(),
            "last" => self.ord_last.is_some(),
            _ => false,
        }
    }

    fn set_day(&mut self, code: &str) {
        let on = Some("on".to_string());
        match code {
            "MO" => self.day_mo = on,
            "TU" => self.day_tu = on,
            "WE" => self.day_we = on,
            "TH" => self.day_th = on,
            "FR" => self.day_fr = on,
            "SA" => self.day_sa = on,
            "SU" => self.day_su = on,
            _ => {}
        }
    }

    fn set_ordinal(&mut self, value: i8) {
        let on = Some("on".to_string());
        match value {
            1 => self.ord_1 = on,
            2 => self.ord_2 = on,
            3 => self.ord_3 = on,
            4 => self.ord_4 = on,
            5 => self.ord_5 = on,
            -1 => self.ord_last = on,
            _ => {}
        }
    }

    /// Fills the recurrence fields from a stored rule (to edit a series).
    pub fn set_rule(&mut self, rule: &Rule) {
        match Pattern::from_rule(rule) {
            Some((pattern, until, count)) => {
                self.until = until
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                self.count = count.map(|c| c.to_string()).unwrap_or_default();
                match pattern {
                    Pattern::Daily { interval } => {
                        self.repeat = "daily".into();
                        self.interval = interval.to_string();
                    }
                    Pattern::Weekly { interval, days } => {
                        self.repeat = "weekly".into();
                        self.interval = interval.to_string();
                        for day in days {
                            if let Some((code, _)) = WEEKDAYS.iter().find(|(_, d)| *d == day) {
                                self.set_day(code);
                            }
                        }
                    }
                    Pattern::MonthlyNth { ordinals, weekday } => {
                        self.repeat = "monthly_nth".into();
                        for o in ordinals {
                            self.set_ordinal(o);
                        }
                        self.weekday = WEEKDAYS
                            .iter()
                            .find(|(_, d)| *d == weekday)
                            .map(|(c, _)| c.to_string())
                            .unwrap_or_default();
                    }
                    Pattern::MonthlyDay { .. } => {
                        self.repeat = "monthly_day".into();
                    }
                }
            }
            None => {
                self.repeat = "custom".into();
                self.rrule = rule.to_rrule();
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeChoice {
    Network,
    Platform(i64),
    Group(i64),
}

impl ScopeChoice {
    pub fn parse(value: &str) -> Option<ScopeChoice> {
        match value.split_once(':') {
            None if value == "network" => Some(ScopeChoice::Network),
            Some(("platform", id)) => id.parse().ok().map(ScopeChoice::Platform),
            Some(("group", id)) => id.parse().ok().map(ScopeChoice::Group),
            _ => None,
        }
    }

    pub fn key(&self) -> String {
        match self {
            ScopeChoice::Network => "network".into(),
            ScopeChoice::Platform(id) => format!("platform:{id}"),
            ScopeChoice::Group(id) => format!("group:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaLine {
    pub time: String,
    pub title: String,
    pub presenters: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    pub scope: ScopeChoice,
    pub kind: MeetingKind,
    pub title: String,
    pub description: String,
    pub all_day: bool,
    /// Brussels wall-clock; for all-day meetings, midnight to midnight after the last day.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub office_id: Option<i64>,
    pub place_name: String,
    pub place_address: String,
    pub video_url: String,
    pub visibility: Visibility,
    pub status: MeetingStatus,
    pub capacity: Option<i32>,
    pub registration_open: bool,
    pub deadline: Option<NaiveDateTime>,
    pub meal_options: Vec<String>,
    pub reminder_days: i32,
    pub reminder_text: String,
    pub answer_reminder_days: Option<i32>,
    pub agenda: Vec<AgendaLine>,
    pub rule: Option<Rule>,
}

/// A typed date (AAAA-MM-JJ) whose year forms accept (`MIN_YEAR`..=`MAX_YEAR`): far years are
/// typing mistakes, and at chrono's limits date arithmetic would overflow.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| recurrence::year_in_range(*d))
}

/// The message for a date `parse_date` refused: `usual` for what is not a date at all, the
/// accepted years for a real date too far away.
pub fn date_refusal(raw: &str, usual: &str) -> String {
    let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d");
    if parsed.is_ok_and(|d| !recurrence::year_in_range(d)) {
        format!("L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.")
    } else {
        usual.to_string()
    }
}

pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

/// Why a line of the agenda is refused (lines counted from 1).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AgendaRefusal {
    #[error("Ligne {line} du programme : trop de « | » (heure | titre | intervenant·es).")]
    TooManyParts { line: usize },
    #[error("Ligne {line} du programme : l'heure « {time} » doit s'écrire HH:MM.")]
    Time { line: usize, time: String },
    #[error("Ligne {line} du programme : le titre manque.")]
    NoTitle { line: usize },
    #[error("Ligne {line} du programme : {refusal}")]
    Title { line: usize, refusal: NameRefusal },
}

/// "HH:MM | Titre | Intervenant·es" per line; time and presenters are optional.
pub fn parse_agenda(text: &str) -> Result<Vec<AgendaLine>, AgendaRefusal> {
    let mut lines = Vec::new();
    for (number, raw) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if raw.is_empty() {
            continue;
        }
        let parts: Vec<&str> = raw.split('|').map(str::trim).collect();
        let (time, title, presenters) = match parts.as_slice() {
            [title] => ("", *title, ""),
            [first, second] if parse_time(first).is_some() => (*first, *second, ""),
            [title, presenters] => ("", *title, *presenters),
            [time, title, presenters] => (*time, *title, *presenters),
            _ => return Err(AgendaRefusal::TooManyParts { line: number }),
        };
        if !time.is_empty() && parse_time(time).is_none() {
            return Err(AgendaRefusal::Time {
                line: number,
                time: time.to_string(),
            });
        }
        let title = name_field(title, 300, "").map_err(|refusal| match refusal {
            NameRefusal::Missing(_) => AgendaRefusal::NoTitle { line: number },
            refusal => AgendaRefusal::Title {
                line: number,
                refusal,
            },
        })?;
        lines.push(AgendaLine {
            time: time.to_string(),
            title,
            presenters: presenters.to_string(),
        });
    }
    Ok(lines)
}

pub fn agenda_text(items: &[AgendaLine]) -> String {
    items
        .iter()
        .map(|i| match (i.time.is_empty(), i.presenters.is_empty()) {
            (true, true) => i.title.clone(),
            (false, true) => format!("{} | {}", i.time, i.title),
            (true, false) => format!("{} | {}", i.title, i.presenters),
            (false, false) => format!("{} | {} | {}", i.time, i.title, i.presenters),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
