//! Meeting pages: agenda lists, the month calendar, the meeting page with registration,
//! workshops and minutes, the scheduling form, the attendance sheet.

use chrono::{Duration, NaiveDate, NaiveDateTime, Weekday};
use maud::{Markup, html};

use crate::entities::attendance::Presence;
use crate::entities::meeting::{self, MeetingStatus, Visibility};
pub use agenda::{AgendaList, agenda_list, agenda_page, mine_page, month_page, occurrence_list};
pub use attendance::{attendance_page, attendance_row};
pub use form::{Choices, meeting_form};
pub use minutes::{minutes_error, minutes_page};
pub use page::{invitation_form, meeting_page, meeting_page_with_error};
pub use session::{session_page, session_page_with_error};
pub use yearly::{my_year, yearly_table};

mod agenda;
mod attendance;
mod form;
mod minutes;
mod page;
mod session;
mod yearly;

// Month and weekday names are shared with the other rooms (`crate::web::french`).
pub fn weekday_fr(day: Weekday) -> &'static str {
    crate::web::french::weekday(day)
}

pub fn month_fr(month: u32) -> &'static str {
    crate::web::french::month(month).unwrap_or_default()
}

/// "mardi 8 juin 2027"
pub fn day_fr(date: NaiveDate) -> String {
    crate::web::french::weekday_date(date)
}

/// "mardi 8 juin 2027, 09:00–16:00", "mardi 8 juin 2027 (toute la journée)"
pub fn when_fr(start: NaiveDateTime, end: NaiveDateTime, all_day: bool) -> String {
    if all_day {
        let last = (end - Duration::days(1)).date();
        if last <= start.date() {
            format!("{} (toute la journée)", day_fr(start.date()))
        } else {
            format!("du {} au {}", day_fr(start.date()), day_fr(last))
        }
    } else if start.date() == end.date() {
        format!(
            "{}, {}–{}",
            day_fr(start.date()),
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "du {} {} au {} {}",
            day_fr(start.date()),
            start.format("%H:%M"),
            day_fr(end.date()),
            end.format("%H:%M")
        )
    }
}

/// "Présent·e": a presence as its button says it.
pub(super) fn presence_button(presence: Presence) -> String {
    crate::web::french::capitalized(presence.label_fr())
}

fn badges(m: &meeting::Model, occurrence_cancelled: bool) -> Markup {
    html! {
        @match (occurrence_cancelled, m.status) {
            (true, _) | (false, MeetingStatus::Cancelled) => { " " span.badge.badge-archived { "annulée" } }
            (false, MeetingStatus::Held) => { " " span.badge { "tenue" } }
            (false, MeetingStatus::Scheduled) => {}
        }
        @match m.visibility {
            Visibility::Members => { " " span.badge.badge-private { "membres" } }
            Visibility::Public => {}
        }
        @if m.rrule.is_some() { " " span.badge { "série" } }
    }
}
