//! The meeting form checked into a `MeetingInput`: every field, its French refusal, the rule.

use super::{
    MeetingForm, MeetingInput, MeetingKind, MeetingStatus, ORDINALS, ScopeChoice, Visibility,
    WEEKDAYS, date_refusal, parse_agenda, parse_date, parse_time,
};
use crate::meetings::recurrence::{Pattern, Rule};
use crate::web::components::{FieldErrors, name_field};
use chrono::{Duration, NaiveDateTime, NaiveTime, Weekday};

impl MeetingForm {
    pub fn parse(&self) -> Result<MeetingInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let scope = ScopeChoice::parse(&self.scope).unwrap_or_else(|| {
            errors.add("scope", "Choisissez à qui s'adresse la réunion.");
            ScopeChoice::Network
        });
        let kind = self.kind.parse().unwrap_or_else(|_| {
            errors.add("kind", "Choisissez un type de réunion dans la liste.");
            MeetingKind::Plenary
        });
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
        let visibility = self.visibility.parse().unwrap_or_else(|_| {
            errors.add("visibility", "Choisissez qui peut voir la réunion.");
            Visibility::Members
        });
        let status = if self.status.is_empty() {
            MeetingStatus::Scheduled
        } else {
            self.status.parse().unwrap_or_else(|_| {
                errors.add("status", "Choisissez un statut dans la liste.");
                MeetingStatus::Scheduled
            })
        };
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
            && let Err(refusal) = rule.check_start(start)
        {
            errors.add("date", refusal);
        }
        // A series takes registrations session by session, each closing when it ends: a single
        // deadline would be ignored, so it is refused rather than kept silently.
        if rule.is_some() && registration_open && deadline.is_some() {
            errors.add("deadline_date", "Une série prend les inscriptions séance par séance, jusqu'à la fin de chacune : laissez la date limite vide.");
        }
        errors.into_result(MeetingInput {
            scope,
            kind,
            title,
            description: self.description.trim().to_string(),
            all_day,
            start,
            end,
            office_id,
            place_name: self.place_name.trim().to_string(),
            place_address: self.place_address.trim().to_string(),
            video_url,
            visibility,
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

    pub(super) fn parse_rule(&self, errors: &mut FieldErrors) -> Option<Rule> {
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
                    Err(refusal) => {
                        errors.add("rrule", refusal);
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
                    .filter(|(c, _)| self.ordinal_checked(c))
                    .map(|(_, o)| *o)
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
            Err(refusal) => {
                errors.add("repeat", refusal);
                None
            }
        }
    }
}

/// Why a video link is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VideoUrlRefusal {
    #[error(
        "Le lien de visioconférence ne peut contenir ni espace, ni retour à la ligne, ni guillemet, ni chevron."
    )]
    Characters,
    #[error("Ce lien de visioconférence n'est pas une adresse web valide.")]
    NotAnAddress,
    #[error("Le lien de visioconférence doit commencer par https://.")]
    NotHttps,
    #[error("Ce lien de visioconférence n'indique pas de serveur.")]
    NoHost,
    #[error("Le lien de visioconférence ne peut pas contenir d'identifiant (« nom@ »).")]
    Credentials,
}

/// A video link must be one https URL that nothing can turn into something else: no space,
/// line break or control character (they would break the plain-text email and the calendar),
/// no quote, angle bracket or backslash (they end a link in HTML or text), no user name or
/// password before the host ("https://visio.example@evil.example"). Empty is fine.
pub fn check_video_url(raw: &str) -> Result<(), VideoUrlRefusal> {
    if raw.is_empty() {
        return Ok(());
    }
    if raw.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    }) {
        return Err(VideoUrlRefusal::Characters);
    }
    let Ok(url) = url::Url::parse(raw) else {
        return Err(VideoUrlRefusal::NotAnAddress);
    };
    if url.scheme() != "https" {
        return Err(VideoUrlRefusal::NotHttps);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(VideoUrlRefusal::NoHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(VideoUrlRefusal::Credentials);
    }
    Ok(())
}
