//! Why a rule is refused — typed, read by a program, or built from the meeting form — or a series'
//! first date does not fit its rule. The French words are here and nowhere else; callers show
//! `to_string()`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use thiserror::Error;

use super::describe::{date_fr, weekday_fr};
use super::rule::Rule;
use super::{MAX_COUNT, MAX_INTERVAL, MAX_RULE_LEN, MAX_YEAR, MIN_YEAR};

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RuleError {
    #[error("La règle de récurrence est invalide : {0}.")]
    Invalid(#[from] Invalid),
    #[error("La règle de récurrence est trop complexe : {0}.")]
    TooComplex(#[from] TooComplex),
    #[error("La règle de récurrence n'est pas prise en charge : {0}.")]
    Unsupported(#[from] Unsupported),

    // The meeting form's repetition (`Pattern::to_rule`).
    #[error("Indiquez soit une date de fin, soit un nombre de réunions, pas les deux.")]
    EndAndCount,
    #[error("Le nombre de réunions doit être au moins 1.")]
    NoMeeting,
    #[error("Une série compte au plus {MAX_COUNT} réunions.")]
    TooManyMeetings,
    #[error("La date de fin de la série doit tomber entre {MIN_YEAR} et {MAX_YEAR}.")]
    EndOutOfRange,
    #[error("L'intervalle doit être compris entre 1 et {MAX_INTERVAL}.")]
    Interval,
    #[error("Choisissez au moins un jour de la semaine.")]
    NoWeekday,
    #[error("Choisissez au moins une semaine du mois (1re à 5e, ou la dernière).")]
    NoWeekOfMonth,
    #[error("« {0} » n'est pas une semaine du mois : choisissez 1 à 5, ou -1 pour la dernière.")]
    NotWeekOfMonth(i8),
    #[error("« {0} » n'est pas un jour du mois : choisissez 1 à 31.")]
    NotDayOfMonth(u32),

    // A series' first date (`Rule::check_start`).
    #[error(
        "La date de fin ({}) précède la première réunion ({}).",
        date_fr(*.until),
        date_fr(*.start)
    )]
    EndsBeforeStart { until: NaiveDate, start: NaiveDate },
    #[error(
        "La première réunion ({} {}) ne suit pas la règle « {} ».",
        weekday_fr(.start.weekday()),
        date_fr(.start.date()),
        .rule.describe_fr()
    )]
    StartOffRule {
        start: NaiveDateTime,
        rule: Box<Rule>,
    },
}

/// What makes a rule invalid (RFC 5545, or plain nonsense).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Invalid {
    #[error("la règle est vide")]
    Empty,
    #[error("« {0} » n'est pas de la forme NOM=VALEUR")]
    NotNameValue(String),
    #[error("{0} apparaît deux fois")]
    Twice(String),
    #[error("{0} n'a pas de valeur")]
    NoValue(String),
    #[error("partie inconnue « {0} »")]
    UnknownPart(String),
    #[error("FREQ manque")]
    NoFreq,
    #[error("FREQ={0} n'est pas une fréquence connue (DAILY, WEEKLY, MONTHLY ou YEARLY)")]
    UnknownFreq(String),
    #[error("{name} attend un nombre entier, pas « {text} »")]
    NotInteger { name: String, text: String },
    #[error("{0} contient un élément vide")]
    EmptyItem(ListPart),
    #[error("{part} : « {item} » {}", .part.expected())]
    OutOfRange { part: ListPart, item: String },
    #[error(
        "BYDAY : « {0} » n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU, \
         éventuellement précédé d'un rang comme 2FR ou -1FR)"
    )]
    NotADay(String),
    #[error("BYDAY : le rang de « {0} » doit être compris entre 1 et 53 (ou -53 et -1)")]
    DayRank(String),
    #[error(
        "UNTIL « {0} » n'est ni une date (AAAAMMJJ) ni une date et heure \
         (AAAAMMJJTHHMMSS, suivie de Z pour l'heure UTC)"
    )]
    NotAnUntil(String),
    #[error("WKST : « {0} » n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU)")]
    NotAWeekStart(String),
    #[error("COUNT et UNTIL ne peuvent pas être utilisés ensemble")]
    CountAndUntil,
    #[error("INTERVAL doit valoir au moins 1")]
    IntervalZero,
    #[error("INTERVAL ne peut pas dépasser {MAX_INTERVAL}")]
    IntervalTooLarge,
    #[error("COUNT doit valoir au moins 1")]
    CountZero,
    #[error("COUNT est beaucoup trop grand")]
    CountHuge,
    #[error("BYMONTHDAY ne peut pas accompagner FREQ=WEEKLY")]
    MonthDayInWeekly,
    #[error("un rang dans BYDAY (« {0} ») n'a de sens qu'avec FREQ=MONTHLY ou FREQ=YEARLY")]
    RankNeedsMonthOrYear(String),
    #[error("BYDAY : « {0} » n'existe jamais, un mois compte au plus 5 fois le même jour")]
    RankNeverHappens(String),
    #[error("BYSETPOS doit accompagner BYDAY, BYMONTHDAY ou BYMONTH")]
    SetPosAlone,
    #[error("UNTIL doit tomber entre {MIN_YEAR} et {MAX_YEAR}")]
    UntilOutOfRange,
}

/// Beyond what a form accepts (`Rule::parse_input`).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TooComplex {
    #[error("elle dépasse {MAX_RULE_LEN} caractères")]
    TooLong,
    #[error("COUNT vaut {0}, une série compte au plus {MAX_COUNT} réunions")]
    Count(u32),
    #[error("{part} énumère {len} {}, {max} au plus", .part.plural())]
    List {
        part: ListPart,
        len: usize,
        max: usize,
    },
}

/// Valid RFC 5545, but outside the subset meetings use.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Unsupported {
    #[error("FREQ={0} n'est pas géré, une réunion se répète au plus une fois par jour")]
    BelowADay(String),
    #[error("{0} n'est pas géré, une réunion garde l'heure de sa première date")]
    TimeOfDay(String),
    #[error("BYWEEKNO (numéros de semaine) n'est pas géré")]
    WeekNumbers,
    #[error("BYYEARDAY (numéros de jour dans l'année) n'est pas géré")]
    YearDays,
    #[error("{0} (autres calendriers, RFC 7529) n'est pas géré")]
    OtherCalendars(String),
}

/// The list parts of a rule, shown by their name in the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListPart {
    Day,
    MonthDay,
    Month,
    SetPos,
}

impl std::fmt::Display for ListPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ListPart::Day => "BYDAY",
            ListPart::MonthDay => "BYMONTHDAY",
            ListPart::Month => "BYMONTH",
            ListPart::SetPos => "BYSETPOS",
        })
    }
}

impl ListPart {
    /// What an item out of range is not.
    fn expected(self) -> &'static str {
        match self {
            ListPart::Day => "n'est pas un jour (MO, TU, WE, TH, FR, SA ou SU)",
            ListPart::MonthDay => {
                "n'est pas un jour du mois (1 à 31, ou -31 à -1 en partant de la fin)"
            }
            ListPart::Month => "n'est pas un mois (1 à 12)",
            ListPart::SetPos => {
                "n'est pas une position (1 à 366, ou -366 à -1 en partant de la fin)"
            }
        }
    }

    /// What a too long list enumerates.
    fn plural(self) -> &'static str {
        match self {
            ListPart::Day => "jours",
            ListPart::MonthDay => "jours du mois",
            ListPart::Month => "mois",
            ListPart::SetPos => "positions",
        }
    }
}
