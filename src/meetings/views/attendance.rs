//! The attendance sheet of a meeting.

use super::{day_fr, presence_button, when_fr};
use crate::entities::attendance::Presence;
use crate::meetings::Loaded;
use crate::meetings::participation::{At, SheetRow};
use crate::web::Ctx;
use crate::web::components::empty_state;
use crate::web::layout::{csrf_field, page};
use maud::{Markup, html};

/// One person's line of the sheet; `base` is the meeting's or session's page (`At::base`).
pub fn attendance_row(ctx: &Ctx, base: &str, row: &SheetRow) -> Markup {
    let row_id = row
        .person_id
        .map(|p| format!("presence-{p}"))
        .unwrap_or_default();
    html! {
        tr id=(row_id) {
            td { (row.name) @if row.walk_in { " " span.badge { "sur place" } } @if let Some(o) = &row.organisation { br; span.muted { (o) } } }
            td { strong { (row.status.map_or("—", Presence::label_fr)) } }
            td {
                @if let Some(pid) = row.person_id {
                    div.actions {
                        @for status in Presence::ALL {
                            form.inline method="post" action=(format!("{base}/presences/{pid}"))
                                hx-post=(format!("{base}/presences/{pid}")) hx-target=(format!("#presence-{pid}")) hx-swap="outerHTML" {
                                (csrf_field(ctx))
                                input type="hidden" name="status" value=(status.as_str());
                                button.small.primary[row.status == Some(status)] type="submit" aria-pressed=(if row.status == Some(status) { "true" } else { "false" }) { (presence_button(status)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn attendance_page(
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
    rows: &[SheetRow],
    people: &[(String, String)],
) -> Markup {
    let m = &loaded.meeting;
    let base = at.base();
    let (start, end) = match &at.session {
        Some(s) => (s.start_local.naive(), s.end_local.naive()),
        None => (m.start_local.naive(), m.end_local.naive()),
    };
    page(
        ctx,
        &format!("Présences — {}", m.title),
        html! {
            p.breadcrumb {
                a href=(format!("/reunions/{}", m.id)) { (m.title) } " › "
                @if at.session.is_some() { a href=(base) { "Séance du " (day_fr(start.date())) } " › " }
            }
            h1 { "Présences" }
            p.muted { (when_fr(start, end, m.all_day)) }
            (sheet_table(ctx, &base, rows))
            h2 { "Venu·e sur place" }
            form.picker-row method="post" action=(format!("{base}/presences/sur-place")) {
                (csrf_field(ctx))
                div.field {
                    label for="walkin-person" { "Personne de l'annuaire" }
                    select #walkin-person name="person_id" {
                        option value="" { "— Choisir —" }
                        @for (value, label) in people { option value=(value) { (label) } }
                    }
                }
                div.field { label for="walkin-name" { "ou nom (sans compte)" } input #walkin-name type="text" name="name"; }
                button type="submit" { "Ajouter comme présent·e" }
            }
        },
    )
}

/// The sheet's table (or, nobody expected, a hint to add walk-ins).
pub fn sheet_table(ctx: &Ctx, base: &str, rows: &[SheetRow]) -> Markup {
    html! {
        @if rows.is_empty() { (empty_state("Personne n'est attendu : ajoutez les personnes venues sur place ci-dessous.")) } @else {
            table.attendance {
                thead { tr { th { "Personne" } th { "État" } th { "Marquer" } } }
                tbody { @for row in rows { (attendance_row(ctx, base, row)) } }
            }
        }
    }
}
