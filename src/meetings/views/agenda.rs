//! Agenda pages: the list of occurrences, upcoming and mine, the month calendar.

use super::{badges, find, month_fr, when_fr};
use crate::meetings::Loaded;
use crate::meetings::schedule::Occurrence;
use crate::web::Ctx;
use crate::web::components::empty_state;
use crate::web::layout::page;
use chrono::{Datelike, Duration, NaiveDate};
use maud::{Markup, html};

/// A list of occurrences: date, time, title, where.
pub fn occurrence_list(occurrences: &[Occurrence], loaded: &[Loaded], empty: &str) -> Markup {
    html! {
        @if occurrences.is_empty() {
            (empty_state(empty))
        } @else {
            ul.results.agenda {
                @for o in occurrences {
                    @if let Some(l) = find(loaded, o.meeting_id) {
                        li {
                            span {
                                strong { (when_fr(o.start, o.end, l.meeting.all_day)) }
                                " — "
                                a href=(format!("/reunions/{}", l.meeting.id)) { (l.meeting.title) }
                                (badges(&l.meeting, o.cancelled))
                                @if o.moved { " " span.badge { "déplacée" } }
                                br;
                                span.muted {
                                    (l.meeting.kind.label_fr()) " · " (l.scope_label())
                                    @if !l.meeting.place_name.is_empty() { " · " (l.meeting.place_name) }
                                    @if !l.meeting.video_url.is_empty() { " · en visio" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn agenda_nav(current: &str) -> Markup {
    html! {
        nav.actions aria-label="Vues de l'agenda" {
            @for (href, label) in [("/reunions", "À venir"), ("/reunions?passees=1", "Passées"), ("/reunions/calendrier", "Calendrier du mois"), ("/reunions/mes", "Mes réunions")] {
                @if href == current { strong { (label) } } @else { a href=(href) { (label) } }
            }
        }
    }
}

pub fn agenda_page(
    ctx: &Ctx,
    occurrences: &[Occurrence],
    loaded: &[Loaded],
    past: bool,
    can_create: bool,
    with_office_hours: bool,
) -> Markup {
    let title = if past {
        "Réunions passées"
    } else {
        "Agenda du réseau"
    };
    page(
        ctx,
        title,
        html! {
            div.page-head {
                h1 { (title) }
                @if can_create { a.button.primary href="/reunions/nouvelle" { "Programmer une réunion" } }
            }
            (agenda_nav(if past { "/reunions?passees=1" } else { "/reunions" }))
        p.muted {
            @if with_office_hours {
                "Avec les permanences des bureaux d'accueil. "
                a href=(if past { "/reunions?passees=1" } else { "/reunions" }) { "Les masquer" }
            } @else {
                "Sans les permanences des bureaux d'accueil (voir " a href="/bureaux" { "les bureaux" } "). "
                a href=(if past { "/reunions?passees=1&permanences=1" } else { "/reunions?permanences=1" }) { "Les afficher aussi" }
            }
        }
            (occurrence_list(occurrences, loaded, if past { "Aucune réunion ces douze derniers mois." } else { "Aucune réunion prévue dans l'année qui vient." }))
            @if !past {
                (crate::web::components::subscribe("L'agenda public du réseau", &format!("{}/agenda/reseau.ics", ctx.base_url)))
            }
        },
    )
}

pub fn mine_page(
    ctx: &Ctx,
    occurrences: &[Occurrence],
    loaded: &[Loaded],
    registered: &[i64],
) -> Markup {
    page(
        ctx,
        "Mes réunions",
        html! {
            h1 { "Mes réunions" }
            (agenda_nav("/reunions/mes"))
            p.muted { "Les réunions de vos plateformes et groupes de travail, et celles où vous êtes inscrit·e (" (registered.len()) " inscription(s))." }
        p { a href="/profil/agenda" { "Recevoir ces réunions dans mon calendrier (agenda personnel)" } }
            (occurrence_list(occurrences, loaded, "Rien de prévu pour vous dans l'année qui vient."))
        },
    )
}

pub fn month_page(
    ctx: &Ctx,
    first: NaiveDate,
    today: NaiveDate,
    occurrences: &[Occurrence],
    loaded: &[Loaded],
) -> Markup {
    let previous = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let grid_start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let title = format!("{} {}", month_fr(first.month()), first.year());
    page(
        ctx,
        &format!("Calendrier — {title}"),
        html! {
            div.page-head {
                h1 { "Calendrier — " (title) }
                div.actions {
                    a.button href=(format!("/reunions/calendrier?mois={}", previous.format("%Y-%m"))) { "← " (month_fr(previous.month())) }
                    a.button href=(format!("/reunions/calendrier?mois={}", next.format("%Y-%m"))) { (month_fr(next.month())) " →" }
                }
            }
            (agenda_nav("/reunions/calendrier"))
            table.month {
                thead { tr { @for d in ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."] { th scope="col" { (d) } } } }
                tbody {
                    @for week in 0..6 {
                        @let week_start = grid_start + Duration::days(week * 7);
                        @if week == 0 || week_start.month() == first.month() {
                            tr {
                                @for day in 0..7 {
                                    @let date = week_start + Duration::days(day);
                                    td.other-month[date.month() != first.month()] .today[date == today] {
                                        div.day-number { (date.day()) }
                                        @for o in occurrences.iter().filter(|o| o.start.date() == date) {
                                            @if let Some(l) = find(loaded, o.meeting_id) {
                                                a.event.cancelled[o.cancelled] href=(format!("/reunions/{}", l.meeting.id)) title=(l.meeting.title) {
                                                    @if !l.meeting.all_day { (o.start.format("%H:%M")) " " }
                                                    (l.meeting.title)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
