//! Meetings: kinds, statuses, and the meeting form parsed into a checked value (times in
//! Brussels wall-clock, recurrence built from plain choices or an advanced RRULE, agenda lines).

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;

use super::recurrence::{self, MAX_YEAR, MIN_YEAR, Pattern, Rule};
use crate::web::components::{FieldErrors, name_field};

pub const KINDS: [(&str, &str); 10] = [
    ("plenary", "Plénière"),
    ("working_group", "Réunion de groupe de travail"),
    ("findings", "Réunion consacrée aux constats"),
    ("peer_session", "Intervision"),
    ("local_coordination", "Coordination locale"),
    ("steering", "Comité de pilotage"),
    ("information", "Séance d'information"),
    ("public_event", "Événement public"),
    ("training", "Formation"),
    ("office_hours", "Permanence d'un bureau d'accueil"),
];

pub fn kind_label(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or(kind)
}

pub const STATUSES: [(&str, &str); 3] = [
    ("scheduled", "Prévue"),
    ("cancelled", "Annulée"),
    ("held", "Tenue"),
];

pub fn status_label(status: &str) -> &str {
    STATUSES
        .iter()
        .find(|(k, _)| *k == status)
        .map(|(_, l)| *l)
        .unwrap_or(status)
}

pub const DEFAULT_MEALS: &str = "Végétarien, Sans gluten, Sans porc, Pas de repas";

/// The form's weekday codes (RRULE's); their French names come from [`crate::web::french`].
pub const WEEKDAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

pub const ORDINALS: [(&str, i8, &str); 6] = [
    ("1", 1, "1er"),
    ("2", 2, "2e"),
    ("3", 3, "3e"),
    ("4", 4, "4e"),
    ("5", 5, "5e"),
    ("last", -1, "dernier"),
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
    pub kind: String,
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
    pub public: bool,
    pub status: String,
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

pub const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

pub fn format_local(value: NaiveDateTime) -> String {
    value.format(LOCAL_FORMAT).to_string()
}

pub fn parse_local(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, LOCAL_FORMAT).ok()
}

/// "HH:MM | Titre | Intervenant·es" per line; time and presenters are optional.
pub fn parse_agenda(text: &str) -> Result<Vec<AgendaLine>, String> {
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
            _ => {
                return Err(format!(
                    "Ligne {number} du programme : trop de « | » (heure | titre | intervenant·es)."
                ));
            }
        };
        if !time.is_empty() && parse_time(time).is_none() {
            return Err(format!(
                "Ligne {number} du programme : l'heure « {time} » doit s'écrire HH:MM."
            ));
        }
        let title = name_field(title, 300, "").map_err(|m| {
            if m.is_empty() {
                format!("Ligne {number} du programme : le titre manque.")
            } else {
                format!("Ligne {number} du programme : {m}")
            }
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

impl MeetingForm {
    pub fn parse(&self) -> Result<MeetingInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let scope = ScopeChoice::parse(&self.scope).unwrap_or_else(|| {
            errors.add("scope", "Choisissez à qui s'adresse la réunion.");
            ScopeChoice::Network
        });
        if !KINDS.iter().any(|(k, _)| *k == self.kind) {
            errors.add("kind", "Choisissez un type de réunion dans la liste.");
        }
        let title = name_field(&self.title, 200, "Le titre est obligatoire.").unwrap_or_else(|m| {
            errors.add("title", m);
            String::new()
        });
        let all_day = self.all_day.is_some();
        let date = parse_date(&self.date);
        if date.is_none() {
            errors.add(
                "date",
                date_refusal(&self.date, "Indiquez la date (AAAA-MM-JJ)."),
            );
        }
        let end_date = if self.end_date.trim().is_empty() {
            date
        } else {
            parse_date(&self.end_date)
        };
        if end_date.is_none() && date.is_some() {
            errors.add(
                "end_date",
                date_refusal(&self.end_date, "La date de fin est invalide (AAAA-MM-JJ)."),
            );
        }
        let (start, end) = if all_day {
            match (date, end_date) {
                (Some(d), Some(e)) => (
                    d.and_time(NaiveTime::MIN),
                    e.succ_opt().unwrap_or(e).and_time(NaiveTime::MIN),
                ),
                _ => (NaiveDateTime::MIN, NaiveDateTime::MIN),
            }
        } else {
            let start_time = parse_time(&self.start_time);
            let end_time = parse_time(&self.end_time);
            if start_time.is_none() {
                errors.add("start_time", "Indiquez l'heure de début (HH:MM).");
            }
            if end_time.is_none() {
                errors.add("end_time", "Indiquez l'heure de fin (HH:MM).");
            }
            match (date, end_date, start_time, end_time) {
                (Some(d), Some(e), Some(s), Some(t)) => (d.and_time(s), e.and_time(t)),
                _ => (NaiveDateTime::MIN, NaiveDateTime::MIN),
            }
        };
        if start != NaiveDateTime::MIN && end <= start {
            errors.add("end_time", "La fin doit venir après le début.");
        }
        if start != NaiveDateTime::MIN && end - start > Duration::days(31) {
            errors.add("end_date", "Une réunion ne peut durer plus de 31 jours.");
        }
        let office_id = match self.office_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("office_id", "Choisissez un bureau d'accueil dans la liste.");
                    None
                }
            },
        };
        let video_url = self.video_url.trim().to_string();
        if let Err(message) = check_video_url(&video_url) {
            errors.add("video_url", message);
        }
        let public = match self.visibility.as_str() {
            "public" => true,
            "members" => false,
            _ => {
                errors.add("visibility", "Choisissez qui peut voir la réunion.");
                false
            }
        };
        let status = if self.status.is_empty() {
            "scheduled".to_string()
        } else {
            self.status.clone()
        };
        if !STATUSES.iter().any(|(s, _)| *s == status) {
            errors.add("status", "Choisissez un statut dans la liste.");
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            raw => {
                match raw.parse::<i32>() {
                    Ok(n) if n > 0 && n <= 100_000 => Some(n),
                    _ => {
                        errors.add("capacity", "La capacité doit être un nombre entier positif (ou vide : sans limite).");
                        None
                    }
                }
            }
        };
        let registration_open = self.registration_open.is_some();
        let deadline = match (self.deadline_date.trim(), self.deadline_time.trim()) {
            ("", _) => None,
            (d, t) => match (
                parse_date(d),
                if t.is_empty() {
                    Some(NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN))
                } else {
                    parse_time(t)
                },
            ) {
                (Some(d), Some(t)) => Some(d.and_time(t)),
                _ => {
                    errors.add(
                        "deadline_date",
                        date_refusal(
                            d,
                            "La date limite d'inscription est invalide (AAAA-MM-JJ et HH:MM).",
                        ),
                    );
                    None
                }
            },
        };
        if let Some(deadline) = deadline
            && start != NaiveDateTime::MIN
            && deadline > end
        {
            errors.add(
                "deadline_date",
                "La date limite d'inscription doit précéder la fin de la réunion.",
            );
        }
        let meal_options: Vec<String> = self
            .meal_options
            .split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let reminder_days = match self.reminder_days.trim() {
            "" => 2,
            raw => match raw.parse::<i32>() {
                Ok(n) if (0..=60).contains(&n) => n,
                _ => {
                    errors.add(
                        "reminder_days",
                        "Le rappel se compte en jours, de 0 (aucun) à 60.",
                    );
                    2
                }
            },
        };
        let answer_reminder_days = match self.answer_reminder_days.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(n) if (1..=60).contains(&n) => Some(n),
                _ => {
                    errors.add("answer_reminder_days", "La relance se compte en jours, de 1 à 60 (vide : pas de relance automatique).");
                    None
                }
            },
        };
        let agenda = parse_agenda(&self.agenda).unwrap_or_else(|m| {
            errors.add("agenda", m);
            Vec::new()
        });
        let rule = self.parse_rule(&mut errors);
        if let Some(rule) = &rule
            && start != NaiveDateTime::MIN
            && let Err(message) = rule.check_start(start)
        {
            errors.add("date", message);
        }
        if rule.is_some() && registration_open {
            errors.add("registration_open", "Les inscriptions ne sont possibles que pour une réunion unique, pas pour une série.");
        }
        errors.into_result(MeetingInput {
            scope,
            kind: self.kind.clone(),
            title,
            description: self.description.trim().to_string(),
            all_day,
            start,
            end,
            office_id,
            place_name: self.place_name.trim().to_string(),
            place_address: self.place_address.trim().to_string(),
            video_url,
            public,
            status,
            capacity,
            registration_open,
            deadline,
            meal_options,
            reminder_days,
            reminder_text: self.reminder_text.trim().to_string(),
            answer_reminder_days,
            agenda,
            rule,
        })
    }

    fn parse_rule(&self, errors: &mut FieldErrors) -> Option<Rule> {
        let until = match self.until.trim() {
            "" => None,
            raw => match parse_date(raw) {
                Some(d) => Some(d),
                None => {
                    errors.add(
                        "until",
                        date_refusal(raw, "La date de fin de la série est invalide (AAAA-MM-JJ)."),
                    );
                    return None;
                }
            },
        };
        let count = match self.count.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(n) if (1..=1000).contains(&n) => Some(n),
                _ => {
                    errors.add(
                        "count",
                        "Le nombre de séances doit être un entier entre 1 et 1000.",
                    );
                    return None;
                }
            },
        };
        let interval = match self.interval.trim() {
            "" => 1,
            raw => match raw.parse::<u32>() {
                Ok(n) if (1..=52).contains(&n) => n,
                _ => {
                    errors.add(
                        "interval",
                        "L'intervalle doit être un entier entre 1 et 52.",
                    );
                    return None;
                }
            },
        };
        let pattern = match self.repeat.as_str() {
            "" | "none" => return None,
            "custom" => {
                return match Rule::parse_input(&self.rrule) {
                    Ok(rule) => Some(rule),
                    Err(message) => {
                        errors.add("rrule", message);
                        None
                    }
                };
            }
            "daily" => Pattern::Daily { interval },
            "weekly" => {
                let days: Vec<Weekday> = WEEKDAYS
                    .iter()
                    .filter(|(c, _)| self.day_checked(c))
                    .map(|(_, d)| *d)
                    .collect();
                if days.is_empty() {
                    errors.add("repeat", "Cochez au moins un jour de la semaine.");
                    return None;
                }
                Pattern::Weekly { interval, days }
            }
            "monthly_nth" => {
                let ordinals: Vec<i8> = ORDINALS
                    .iter()
                    .filter(|(c, _, _)| self.ordinal_checked(c))
                    .map(|(_, o, _)| *o)
                    .collect();
                let weekday = WEEKDAYS
                    .iter()
                    .find(|(c, _)| *c == self.weekday)
                    .map(|(_, d)| *d);
                match (ordinals.is_empty(), weekday) {
                    (false, Some(weekday)) => Pattern::MonthlyNth { ordinals, weekday },
                    _ => {
                        errors.add("repeat", "Choisissez quel(s) jour(s) du mois : par exemple le 2e et le 4e vendredi.");
                        return None;
                    }
                }
            }
            "monthly_day" => match parse_date(&self.date) {
                Some(d) => Pattern::MonthlyDay {
                    day: chrono::Datelike::day(&d),
                },
                None => return None,
            },
            _ => {
                errors.add("repeat", "Choisissez une répétition dans la liste.");
                return None;
            }
        };
        match pattern.to_rule(until, count) {
            Ok(rule) => Some(rule),
            Err(message) => {
                errors.add("repeat", message);
                None
            }
        }
    }
}

/// A video link must be one https URL that nothing can turn into something else: no space,
/// line break or control character (they would break the plain-text email and the calendar),
/// no quote, angle bracket or backslash (they end a link in HTML or text), no user name or
/// password before the host ("https://visio.example@evil.example"). Empty is fine.
pub fn check_video_url(raw: &str) -> Result<(), &'static str> {
    if raw.is_empty() {
        return Ok(());
    }
    if raw.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    }) {
        return Err(
            "Le lien de visioconférence ne peut contenir ni espace, ni retour à la ligne, ni guillemet, ni chevron.",
        );
    }
    let Ok(url) = url::Url::parse(raw) else {
        return Err("Ce lien de visioconférence n'est pas une adresse web valide.");
    };
    if url.scheme() != "https" {
        return Err("Le lien de visioconférence doit commencer par https://.");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("Ce lien de visioconférence n'indique pas de serveur.");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Le lien de visioconférence ne peut pas contenir d'identifiant (« nom@ »).");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plenary() -> MeetingForm {
        MeetingForm {
            scope: "platform:1".into(),
            kind: "plenary".into(),
            title: "Plénière du PPLI".into(),
            date: "2027-06-08".into(),
            start_time: "09:00".into(),
            end_time: "16:00".into(),
            visibility: "public".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plenary_form_becomes_brussels_wall_clock_times() {
        let input = plenary().parse().unwrap();
        assert_eq!(format_local(input.start), "2027-06-08T09:00:00");
        assert_eq!(format_local(input.end), "2027-06-08T16:00:00");
        assert_eq!(input.scope, ScopeChoice::Platform(1));
        assert!(input.rule.is_none());
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let form = MeetingForm {
            end_time: "08:00".into(),
            ..plenary()
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(
            errors.get("end_time"),
            Some("La fin doit venir après le début.")
        );
    }

    #[test]
    fn all_day_meetings_end_at_midnight_after_their_last_day() {
        let form = MeetingForm {
            all_day: Some("on".into()),
            end_date: "2027-06-09".into(),
            start_time: String::new(),
            end_time: String::new(),
            ..plenary()
        };
        let input = form.parse().unwrap();
        assert_eq!(format_local(input.end), "2027-06-10T00:00:00");
    }

    #[test]
    fn the_second_and_fourth_friday_is_built_from_checkboxes() {
        let form = MeetingForm {
            repeat: "monthly_nth".into(),
            ord_2: Some("on".into()),
            ord_4: Some("on".into()),
            weekday: "FR".into(),
            date: "2027-06-11".into(),
            ..plenary()
        };
        let rule = form.parse().unwrap().rule.unwrap();
        assert_eq!(rule.to_rrule(), "FREQ=MONTHLY;BYDAY=2FR,4FR");
        let mut again = MeetingForm::default();
        again.set_rule(&rule);
        assert_eq!(
            (again.repeat.as_str(), again.weekday.as_str()),
            ("monthly_nth", "FR")
        );
        assert!(
            again.ordinal_checked("2") && again.ordinal_checked("4") && !again.ordinal_checked("1")
        );
    }

    #[test]
    fn every_other_monday_is_built_from_checkboxes() {
        let form = MeetingForm {
            repeat: "weekly".into(),
            interval: "2".into(),
            day_mo: Some("on".into()),
            date: "2027-06-07".into(),
            ..plenary()
        };
        assert_eq!(
            form.parse().unwrap().rule.unwrap().to_rrule(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
        );
    }

    #[test]
    fn a_bad_advanced_rule_or_a_series_with_registration_is_refused() {
        let form = MeetingForm {
            repeat: "custom".into(),
            rrule: "FREQ=SOMETIMES".into(),
            ..plenary()
        };
        assert!(form.parse().unwrap_err().get("rrule").is_some());
        let form = MeetingForm {
            repeat: "weekly".into(),
            day_mo: Some("on".into()),
            registration_open: Some("on".into()),
            ..plenary()
        };
        assert!(form.parse().unwrap_err().get("registration_open").is_some());
        let form = MeetingForm {
            repeat: "weekly".into(),
            ..plenary()
        };
        assert!(form.parse().unwrap_err().get("repeat").is_some());
    }

    #[test]
    fn a_first_date_off_the_rule_is_refused() {
        let form = MeetingForm {
            repeat: "monthly_nth".into(),
            ord_2: Some("on".into()),
            weekday: "FR".into(),
            ..plenary()
        };
        let errors = form.parse().unwrap_err();
        assert!(
            errors
                .get("date")
                .is_some_and(|m| m.contains("ne suit pas la règle"))
        );
    }

    #[test]
    fn capacity_deadline_and_video_link_are_checked() {
        let form = MeetingForm {
            capacity: "-3".into(),
            deadline_date: "2027-07-01".into(),
            video_url: "http://visio".into(),
            ..plenary()
        };
        let errors = form.parse().unwrap_err();
        assert!(errors.get("capacity").is_some());
        assert!(errors.get("deadline_date").is_some());
        assert!(errors.get("video_url").is_some());
    }

    #[test]
    fn video_links_are_https_urls_without_spaces_quotes_or_line_breaks() {
        for good in [
            "",
            "https://visio.example/ppli",
            "https://meet.jit.si/CRI-Namur?x=1&y=2#z",
            "https://visio.example:8443/salle-é",
        ] {
            assert_eq!(check_video_url(good), Ok(()), "{good}");
        }
        for bad in [
            "http://visio.example/ppli",
            "https://visio.example/a\r\nBcc: x@evil.example",
            "https://visio.example/a\nb",
            "https://visio.example/a b",
            "https://visio.example/\"onmouseover=\"x",
            "https://visio.example/'x",
            "https://visio.example/<script>",
            "https://visio.example/a\tb",
            "https://visio.example/a\u{0}b",
            "https://visio.example\\@evil.example",
            "https://visio.example@evil.example/",
            "https://user:pw@visio.example/",
            "https://",
            "javascript:alert(1)",
            "visio.example/ppli",
        ] {
            assert!(check_video_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_agenda_is_read_line_by_line() {
        let agenda = parse_agenda(
            "09:00 | Accueil et café\n09:30 | Introduction | La direction\n\nConclusions",
        )
        .unwrap();
        assert_eq!(agenda.len(), 3);
        assert_eq!(
            agenda[1],
            AgendaLine {
                time: "09:30".into(),
                title: "Introduction".into(),
                presenters: "La direction".into()
            }
        );
        assert_eq!(agenda[2].time, "");
        assert!(
            parse_agenda("9h | Accueil | x")
                .unwrap_err()
                .contains("Ligne 1")
        );
        assert_eq!(
            agenda_text(&agenda),
            "09:00 | Accueil et café\n09:30 | Introduction | La direction\nConclusions"
        );
    }
}
