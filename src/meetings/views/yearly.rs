//! The yearly attendance table of a platform or working group, and a member's own attendance
//! over a year.

use maud::{Markup, html};

use crate::entities::attendance::Presence;
use crate::meetings::yearly::table::{Table, cell_text};
use crate::web::components::empty_state;

/// The class a cell gets (its colour, and what tests look for).
fn cell_class(cell: Option<Presence>) -> &'static str {
    match cell {
        Some(Presence::Present) => "p-present",
        Some(Presence::Excused) => "p-excused",
        Some(Presence::Absent) => "p-absent",
        None => "p-none",
    }
}

/// Previous and next year, and the CSV of this one. `base`: "/gt/3/presences".
fn year_nav(base: &str, year: i32, current: i32) -> Markup {
    html! {
        nav.year-nav aria-label="Années" {
            a rel="prev" href=(format!("{base}/{}", year - 1)) { "← " (year - 1) }
            " · " strong { (year) } " · "
            @if year < current {
                a rel="next" href=(format!("{base}/{}", year + 1)) { (year + 1) " →" }
                " · "
            }
            a href=(format!("{base}/{year}.csv")) download { "Exporter en CSV" }
        }
    }
}

/// The table of a platform or group: one row per person, one column per meeting or session.
pub fn yearly_table(table: &Table, base: &str, current: i32) -> Markup {
    let everyone = !table.column_totals.is_empty();
    html! {
        section #presences-annee {
            h2 { "Présences sur l'année " (table.year) }
            (year_nav(base, table.year, current))
            @if !everyone {
                p.hint { "Vous voyez votre propre ligne ; les coordinateur·rices voient celle de chaque membre." }
            }
            @if table.columns.is_empty() {
                (empty_state("Aucune réunion tenue cette année."))
            } @else if table.rows.is_empty() {
                (empty_state("Personne n'est membre et personne n'est venu."))
            } @else {
                div.table-scroll {
                    table.yearly {
                        thead {
                            tr {
                                th scope="col" { "Membre" }
                                @for c in &table.columns {
                                    th scope="col" {
                                        a href=(c.href) title=(c.title) { (c.start.format("%d/%m")) }
                                        br; span.muted.small { (c.title) }
                                    }
                                }
                                th scope="col" { "Présent·e" }
                                th scope="col" { "Excusé·e" }
                                th scope="col" { "Absent·e" }
                                th scope="col" { "Taux" }
                            }
                        }
                        tbody {
                            @for row in &table.rows {
                                tr id=(format!("membre-{}", row.person.id)) {
                                    th scope="row" {
                                        (row.person.name)
                                        @if !row.person.member { " " span.badge { "hors membres" } }
                                        @if let Some(o) = &row.person.organisation { br; span.muted { (o) } }
                                    }
                                    @for cell in &row.cells {
                                        td class=(cell_class(*cell)) { (cell_text(*cell)) }
                                    }
                                    td.total { (row.totals.present) }
                                    td.total { (row.totals.excused) }
                                    td.total { (row.totals.absent) }
                                    td.total { (row.totals.rate_text()) }
                                }
                            }
                        }
                        @if everyone {
                            tfoot {
                                tr #presents-par-reunion {
                                    th scope="row" { "Présent·es" }
                                    @for t in &table.column_totals { td { (t.present) } }
                                    td colspan="4" {}
                                }
                                tr #sur-place-par-reunion {
                                    th scope="row" { "dont hors membres ou sur place" }
                                    @for t in &table.column_totals { td { (t.walk_ins) } }
                                    td colspan="4" {}
                                }
                            }
                        }
                    }
                }
                p.hint { "Taux : présences sur les réunions où la présence de la personne a été notée. « — » : non noté." }
            }
        }
    }
}

/// A person's own attendance over a year: one line per meeting or session where it was noted.
pub fn my_year(table: &Table, current: i32) -> Markup {
    let base = "/moi/presences";
    html! {
        section #presences-annee {
            (year_nav(base, table.year, current))
            @match table.rows.first() {
                Some(row) if !table.columns.is_empty() => {
                    p #mes-totaux {
                        strong { (row.totals.present) } " présence(s), "
                        strong { (row.totals.excused) } " excusée(s), "
                        strong { (row.totals.absent) } " absence(s) — taux : " (row.totals.rate_text())
                    }
                    div.table-scroll {
                        table.yearly {
                            thead { tr { th { "Date" } th { "Réunion" } th { "Plateforme ou groupe" } th { "Présence" } } }
                            tbody {
                                @for (c, cell) in table.columns.iter().zip(&row.cells) {
                                    tr {
                                        td { (c.start.format("%d/%m/%Y")) }
                                        td { a href=(c.href) { (c.title) } }
                                        td { (c.scope) }
                                        td class=(cell_class(*cell)) { (cell_text(*cell)) }
                                    }
                                }
                            }
                        }
                    }
                }
                _ => { (empty_state("Aucune présence notée pour vous cette année.")) }
            }
        }
    }
}
