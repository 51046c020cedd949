//! Agenda pages: the list of sessions grouped by month with its filters and pages, "my
//! meetings", the upcoming lists of the panels, the month calendar.

use super::{badges, month_fr, when_fr};
use crate::meetings::agenda::{AgendaFilters, FilterChoices};
use crate::meetings::listing::{Item, Page};
use crate::web::Ctx;
use crate::web::components::{checkbox, empty_state};
use crate::web::layout::page;
use chrono::{Datelike, Duration, NaiveDate};
use maud::{Markup, html};

/// One session: date, time, title (a link to its page), kind, where.
fn session(item: &Item) -> Markup {
    let (l, s) = (&item.meeting, &item.session);
    html! {
        li.cancelled[item.cancelled()] {
            span {
                strong { (when_fr(s.start_local.naive(), s.end_local.naive(), l.meeting.all_day)) }
                " — "
                a href=(item.href()) { (l.meeting.title) }
                (badges(&l.meeting, s.cancelled))
                @if s.moved { " " span.badge { "déplacée" } }
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

/// A list of sessions, without headings (the panels of platforms and groups).
pub fn occurrence_list(items: &[Item], empty: &str) -> Markup {
    html! {
        @if items.is_empty() {
            (empty_state(empty))
        } @else {
            ul.results.agenda { @for item in items { (session(item)) } }
        }
    }
}

/// "mars 2027"
fn month_heading(date: NaiveDate) -> String {
    format!("{} {}", month_fr(date.month()), date.year())
}

/// Sessions under one heading per month ("mars 2027"), in their order.
fn by_month(items: &[Item], empty: &str) -> Markup {
    let mut months: Vec<(NaiveDate, Vec<&Item>)> = Vec::new();
    for item in items {
        let day = item.session.start_local.naive().date();
        let first = day.with_day(1).unwrap_or(day);
        match months.last_mut() {
            Some((m, list)) if *m == first => list.push(item),
            _ => months.push((first, vec![item])),
        }
    }
    html! {
        @if items.is_empty() {
            (empty_state(empty))
        }
        @for (first, list) in &months {
            section.agenda-month {
                h2 { (month_heading(*first)) }
                ul.results.agenda { @for item in list { (session(item)) } }
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

/// What the agenda's list shows: a page, the filters it was asked with, what was wrong with
/// the address.
pub struct AgendaList<'a> {
    pub page: &'a Page,
    pub filters: &'a AgendaFilters,
    pub problems: &'a [String],
}

const LIST_ID: &str = "agenda-liste";

/// The list part of the agenda (what htmx swaps): messages, sessions by month, pages.
pub fn agenda_list(list: &AgendaList<'_>) -> Markup {
    let base = list.filters.query_string();
    let link = |param: &str, cursor: String| {
        let query = if base.is_empty() {
            format!("{param}={cursor}")
        } else {
            format!("{base}&{param}={cursor}")
        };
        format!("/reunions?{query}")
    };
    let earlier = list.page.earlier.map(|c| link("avant", c.to_string()));
    let later = list.page.later.map(|c| link("apres", c.to_string()));
    let empty = if list.filters.past {
        "Aucune réunion passée ne correspond."
    } else {
        "Aucune réunion à venir ne correspond."
    };
    html! {
        div id=(LIST_ID) {
            @for problem in list.problems { p.flash.flash-error role="alert" { (problem) } }
            @if let Some(href) = &earlier {
                p.pager { a href=(href) hx-get=(href) hx-target={"#" (LIST_ID)} hx-swap="outerHTML" hx-push-url="true" rel="prev" { "← Plus tôt" } }
            }
            (by_month(&list.page.items, empty))
            @if let Some(href) = &later {
                p.pager { a href=(href) hx-get=(href) hx-target={"#" (LIST_ID)} hx-swap="outerHTML" hx-push-url="true" rel="next" { "Plus tard →" } }
            }
        }
    }
}

/// The filter form: a GET form whose state is the address; htmx swaps only the list.
fn filter_form(filters: &AgendaFilters, choices: &FilterChoices) -> Markup {
    let any = || (String::new(), "— Tous —".to_string());
    let with_any = |options: &[(String, String)]| {
        let mut all = vec![any()];
        all.extend(options.iter().cloned());
        all
    };
    let chosen = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
    let no_errors = crate::web::components::FieldErrors::default();
    let select = |label: &str, name: &str, options: &[(String, String)], selected: &str| {
        crate::web::components::select(label, name, &with_any(options), selected, &no_errors, false)
    };
    html! {
        form.filters method="get" action="/reunions" role="search" aria-label="Filtrer l'agenda"
            hx-get="/reunions" hx-target={"#" (LIST_ID)} hx-swap="outerHTML" hx-push-url="true" {
            @if filters.past { input type="hidden" name="passees" value="1"; }
            (select("Plateforme", "plateforme", &choices.platforms, &chosen(filters.platform)))
            (select("Groupe de travail", "groupe", &choices.groups, &chosen(filters.group)))
            (select("Type de réunion", "type", &choices.kinds, filters.kind.map(|k| k.as_str()).unwrap_or("")))
            (select("Bureau d'accueil", "bureau", &choices.offices, &chosen(filters.office)))
            (checkbox("Avec les permanences des bureaux d'accueil", "permanences", filters.office_hours))
            (checkbox("Seulement ce à quoi je peux m'inscrire", "inscription", filters.open_only))
            button.button type="submit" { "Filtrer" }
            " "
            a href=(if filters.past { "/reunions?passees=1" } else { "/reunions" }) { "Tout effacer" }
        }
    }
}

pub fn agenda_page(
    ctx: &Ctx,
    list: &AgendaList<'_>,
    choices: &FilterChoices,
    can_create: bool,
) -> Markup {
    let past = list.filters.past;
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
            @if !list.filters.office_hours && list.filters.office.is_none() {
                p.muted {
                    "Sans les permanences des bureaux d'accueil (voir " a href="/bureaux" { "les bureaux" } "). "
                    a href=(if past { "/reunions?passees=1&permanences=1" } else { "/reunions?permanences=1" }) { "Les afficher aussi" }
                }
            }
            (filter_form(list.filters, choices))
            (agenda_list(list))
            @if !past {
                (crate::web::components::subscribe("L'agenda public du réseau", &format!("{}/agenda/reseau.ics", ctx.base_url)))
            }
        },
    )
}

pub fn mine_page(ctx: &Ctx, list: &Page, registrations: usize) -> Markup {
    page(
        ctx,
        "Mes réunions",
        html! {
            h1 { "Mes réunions" }
            (agenda_nav("/reunions/mes"))
            p.muted { "Les réunions de vos plateformes et groupes de travail, et celles où vous êtes inscrit·e (" (registrations) " inscription(s))." }
            p { a href="/profil/agenda" { "Recevoir ces réunions dans mon calendrier (agenda personnel)" } }
            (by_month(&list.items, "Rien de prévu pour vous à venir."))
            @if let Some(c) = list.later {
                p.pager { a href=(format!("/reunions/mes?apres={c}")) rel="next" { "Plus tard →" } }
            }
        },
    )
}

pub fn month_page(
    ctx: &Ctx,
    first: NaiveDate,
    today: NaiveDate,
    days: &[(NaiveDate, Vec<Item>, bool)],
) -> Markup {
    let previous = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let grid_start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let title = month_heading(first);
    let of_day = |date: NaiveDate| days.iter().find(|(d, _, _)| *d == date);
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
                                        @if let Some((_, items, more)) = of_day(date) {
                                            @for item in items {
                                                a.event.cancelled[item.cancelled()] href=(item.href()) title=(item.meeting.meeting.title) {
                                                    @if !item.meeting.meeting.all_day { (item.session.start_local.naive().format("%H:%M")) " " }
                                                    (item.meeting.meeting.title)
                                                }
                                            }
                                            @if *more {
                                                a.more href=(format!("/reunions?permanences=1&du={}", date.format("%Y-%m-%d"))) { "Toute la journée dans l'agenda" }
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
