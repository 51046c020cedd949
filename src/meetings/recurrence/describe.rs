//! French wording of dates and rules, for people.

use super::rule::{Freq, Rule};
use chrono::Weekday;

// Month and weekday names are shared with the other rooms (`crate::web::french`).
pub use crate::web::french::date as date_fr;
pub(super) use crate::web::french::weekday as weekday_fr;

pub(super) fn month_fr(month: u32) -> &'static str {
    crate::web::french::month(month).unwrap_or("?")
}

/// "de mars", "d'octobre".
pub(super) fn month_de_fr(month: u32) -> String {
    let name = month_fr(month);
    if name.starts_with(['a', 'o']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// "a", "a et b", "a, b et c".
pub(super) fn join_fr(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

pub(super) fn number_word(n: u32) -> Option<&'static str> {
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
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// "chaque semaine", "une semaine sur deux", "toutes les 12 semaines".
pub(super) fn every_fr(interval: u32, unit: Unit) -> String {
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

pub(super) const WORK_WEEK: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// "le lundi", "le lundi et le jeudi", "du lundi au vendredi", "tous les jours".
pub(super) fn weekdays_fr(days: &[Weekday]) -> String {
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
pub(super) fn month_day_fr(day: i32) -> String {
    match day {
        1 => "le 1er".into(),
        -1 => "le dernier jour".into(),
        -2 => "l'avant-dernier jour".into(),
        d if d > 0 => format!("le {d}"),
        d => format!("le {}e jour avant la fin", d.unsigned_abs()),
    }
}

/// "le 1er", "le 2e", "le dernier", "l'avant-dernier" (None for ranks further from the end).
pub(super) fn rank_fr(n: i32) -> Option<String> {
    match n {
        1 => Some("le 1er".into()),
        -1 => Some("le dernier".into()),
        -2 => Some("l'avant-dernier".into()),
        n if n > 0 => Some(format!("le {n}e")),
        _ => None,
    }
}

/// "le 1er mardi", "le 3e jeudi en partant de la fin".
pub(super) fn ranked_day_fr(n: i32, weekday: Weekday) -> String {
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
pub(super) fn ranked_days_fr(specs: &[(i32, Weekday)]) -> String {
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
pub(super) fn months_en_fr(months: &[u32]) -> String {
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
pub(super) fn with_every(text: String, interval: u32, every: &str) -> String {
    if interval > 1 {
        format!("{text}, {every}")
    } else {
        text
    }
}

/// "la dernière", "la 1re et la dernière", "l'avant-dernière".
pub(super) fn positions_fr(positions: &[i32]) -> String {
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

    pub(super) fn describe_dates_fr(&self) -> String {
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

    pub(super) fn with_month_limit_fr(&self, mut text: String) -> String {
        if !self.by_month.is_empty() {
            text.push_str(&format!(", {}", months_en_fr(&self.by_month)));
        }
        text
    }

    pub(super) fn describe_weekly_fr(&self, days: &[Weekday]) -> String {
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
