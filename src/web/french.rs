//! French names of months and weekdays, and the dates written with them ("mardi 8 juin 2027",
//! "1er août 2027"): one table for every room that writes a date for people to read. And
//! `capitalized`, for a label that starts a button or a sentence.

use chrono::{Datelike, NaiveDate, Weekday};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "janvier" for 1 … "décembre" for 12; None outside 1–12 (each caller says what to show then).
#[must_use]
pub fn month(month: u32) -> Option<&'static str> {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTHS.get(i))
        .copied()
}

/// "lundi" … "dimanche".
#[must_use]
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

/// "1er", "2e" … "5e", and "dernier" for -1: the weeks of a month a meeting may fall in.
#[must_use]
pub fn week_of_month(rank: i8) -> Option<&'static str> {
    Some(match rank {
        1 => "1er",
        2 => "2e",
        3 => "3e",
        4 => "4e",
        5 => "5e",
        -1 => "dernier",
        _ => return None,
    })
}

/// "30 juin 2027", "1er août 2027".
#[must_use]
pub fn date(date: NaiveDate) -> String {
    let day = if date.day() == 1 {
        "1er".to_string()
    } else {
        date.day().to_string()
    };
    format!(
        "{day} {} {}",
        month(date.month()).unwrap_or_default(),
        date.year()
    )
}

/// "mardi 8 juin 2027", "jeudi 1er juillet 2027".
#[must_use]
pub fn weekday_date(day: NaiveDate) -> String {
    format!("{} {}", weekday(day.weekday()), date(day))
}

/// "J'y serai" from "j'y serai": the first letter in capitals (accents kept: "Été").
#[must_use]
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_starts_with_a_capital() {
        assert_eq!(capitalized("j'y serai"), "J'y serai");
        assert_eq!(capitalized("été"), "Été");
        assert_eq!(capitalized("présent·e"), "Présent·e");
        assert_eq!(capitalized(""), "");
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_are_named_from_one_to_twelve_and_nothing_else() {
        assert_eq!(month(1), Some("janvier"));
        assert_eq!(month(8), Some("août"));
        assert_eq!(month(12), Some("décembre"));
        assert_eq!(month(0), None);
        assert_eq!(month(13), None);
    }

    #[test]
    fn dates_are_written_the_french_way_with_1er_for_the_first() {
        assert_eq!(date(day("2027-06-30")), "30 juin 2027");
        assert_eq!(date(day("2027-08-01")), "1er août 2027");
        assert_eq!(weekday_date(day("2027-06-08")), "mardi 8 juin 2027");
        assert_eq!(weekday_date(day("2027-07-01")), "jeudi 1er juillet 2027");
        assert_eq!(weekday(Weekday::Sun), "dimanche");
    }

    #[test]
    fn the_weeks_of_a_month_are_the_first_to_the_fifth_and_the_last() {
        assert_eq!(week_of_month(1), Some("1er"));
        assert_eq!(week_of_month(4), Some("4e"));
        assert_eq!(week_of_month(-1), Some("dernier"));
        assert_eq!(week_of_month(0), None);
        assert_eq!(week_of_month(6), None);
    }
}
