//! A session's page: one date of a series with its own time and place, registrations,
//! attendance, minutes and invitations; and the series page's lists of its sessions.

use super::attendance::sheet_table;
use super::page::{
    counts_box, occurrence_button, registration_box, registrations_section, scope_links,
};
use super::{day_fr, when_fr};
use crate::entities::invitation::Answer;
use crate::entities::occurrence;
use crate::meetings::booking;
use crate::meetings::participation::{MeetingPage, SessionLine, session_address};
use crate::web::Ctx;
use crate::web::components::empty_state;
use crate::web::layout::{csrf_field, page, paragraphs};
use maud::{Markup, html};

pub fn session_page(ctx: &Ctx, data: &MeetingPage) -> Markup {
    session_page_inner(ctx, data, None)
}

pub fn session_page_with_error(ctx: &Ctx, data: &MeetingPage, message: &str) -> Markup {
    session_page_inner(ctx, data, Some(message))
}

fn session_page_inner(ctx: &Ctx, data: &MeetingPage, error: Option<&str>) -> Markup {
    let l = &data.loaded;
    let m = &l.meeting;
    let Some(s) = &data.session else {
        return super::page::meeting_page_inner(ctx, data, error);
    };
    let (start, end) = (s.start_local.naive(), s.end_local.naive());
    let original = s.original_start_local.naive();
    let base = &data.base;
    let title = format!("{} — séance du {}", m.title, day_fr(start.date()));
    page(
        ctx,
        &title,
        html! {
            p.breadcrumb { a href="/reunions" { "Agenda" } " › " (scope_links(l)) " › " a href=(format!("/reunions/{}", m.id)) { (m.title) } }
            div.page-head {
                h1 {
                    (m.title) " — séance du " (day_fr(start.date()))
                    @if s.cancelled { " " span.badge.badge-archived { "annulée" } }
                    @if s.moved { " " span.badge { "déplacée" } }
                }
                @if data.can_manage {
                    div.actions {
                        a.button href=(format!("{base}/presences")) { "Présences" }
                        a.button href=(format!("{base}/compte-rendu")) { "Compte rendu" }
                    }
                }
            }
            @if let Some(message) = error { div.flash.flash-error role="alert" { (message) } }
            @if s.cancelled {
                div.flash.flash-error.session-cancelled role="status" { "Cette séance est annulée." }
            }
            @if s.moved {
                p.session-moved { strong { "Séance déplacée" } " : initialement prévue le " (day_fr(original.date())) " à " (original.format("%H:%M")) "." }
            }
            (neighbours(data))
            div.two-cols {
                div {
                    dl {
                        dt { "Quand" }
                        dd { (when_fr(start, end, m.all_day)) span.muted { " (heure de Bruxelles)" } }
                        dt { "Série" }
                        dd {
                            a href=(format!("/reunions/{}", m.id)) { (m.title) }
                            @if let Some(rule) = &data.series { br; span.muted { (rule) } }
                        }
                        dt { "Type" } dd { (m.kind.label_fr()) }
                        dt { "Pour" } dd { (l.scope_label()) }
                        @if !m.place_name.is_empty() || !m.place_address.is_empty() {
                            dt { "Lieu" } dd { (m.place_name) @if !m.place_address.is_empty() { br; span.muted { (m.place_address) } } }
                        }
                        @if !m.video_url.is_empty() {
                            dt { "Visioconférence" } dd { a href=(m.video_url) rel="noopener noreferrer" { (m.video_url) } }
                        }
                        @if let Some(c) = m.capacity { dt { "Places" } dd { (c) } }
                    }
                    (minutes_section(data, s))
                }
                div {
                    (registration_box(ctx, data))
                    @if data.can_manage && (m.registration_open || !data.rows.is_empty()) { (counts_box(data)) }
                }
            }
            @if data.can_manage && (m.registration_open || !data.rows.is_empty()) { (registrations_section(ctx, data)) }
            @if data.can_manage {
                section #presences {
                    h2 { "Présences" }
                    (sheet_table(ctx, base, &data.sheet))
                    p { a href=(format!("{base}/presences")) { "Feuille de présence et personnes venues sur place" } }
                }
                (invitations_summary(data))
            }
        },
    )
}

/// Links to the sessions before and after this one.
fn neighbours(data: &MeetingPage) -> Markup {
    let id = data.loaded.meeting.id;
    let link = |row: &occurrence::Model| {
        (
            session_address(id, row),
            day_fr(row.start_local.naive().date()),
        )
    };
    html! {
        nav.session-nav aria-label="Séances voisines" {
            @if let Some((href, day)) = data.neighbours.0.as_ref().map(link) {
                a rel="prev" href=(href) { "← Séance précédente (" (day) ")" }
            }
            " "
            @if let Some((href, day)) = data.neighbours.1.as_ref().map(link) {
                a rel="next" href=(href) { "Séance suivante (" (day) ") →" }
            }
        }
    }
}

fn minutes_section(data: &MeetingPage, s: &occurrence::Model) -> Markup {
    let base = &data.base;
    html! {
        @if data.can_read_minutes && s.minutes_published {
            section #compte-rendu {
                h2 { "Compte rendu" }
                (paragraphs(&s.minutes))
                @if !s.decisions.is_empty() { h3 { "Décisions" } (paragraphs(&s.decisions)) }
                @if !s.actions.is_empty() { h3 { "Actions" } (paragraphs(&s.actions)) }
            }
        } @else if data.can_manage {
            section #compte-rendu {
                h2 { "Compte rendu" }
                @if s.minutes.is_empty() && s.decisions.is_empty() && s.actions.is_empty() {
                    p.muted { "Pas encore de compte rendu. " a href=(format!("{base}/compte-rendu")) { "L'écrire" } }
                } @else {
                    p.muted { "Brouillon non publié. " a href=(format!("{base}/compte-rendu")) { "Le modifier ou le publier" } }
                }
            }
        }
    }
}

/// Coordinators: who is invited to this session (to it alone or to the whole series) and the
/// answer that holds for it.
fn invitations_summary(data: &MeetingPage) -> Markup {
    let invited = &data.session_invitations;
    let count = |answer: Answer| invited.iter().filter(|i| i.answer == answer).count();
    html! {
        section #invitations {
            h2 { "Invitations" }
            p { a.button href=(format!("{}/invitations", data.base)) { "Inviter à cette séance" } }
            @if invited.is_empty() { (empty_state("Personne n'est invité·e à cette séance.")) } @else {
                p {
                    (count(Answer::Accepted)) " oui · "
                    (count(Answer::Tentative)) " peut-être · "
                    (count(Answer::Declined)) " non · "
                    (count(Answer::Pending)) " sans réponse"
                }
                table {
                    thead { tr { th { "Invité·e" } th { "Invitation" } th { "Réponse pour cette séance" } } }
                    tbody {
                        @for i in invited {
                            @let inv = &i.invitation;
                            tr {
                                td { (if inv.name.is_empty() { inv.email.as_str() } else { inv.name.as_str() }) br; span.muted { (inv.email) } }
                                td { (if i.whole_series { "toute la série" } else { "cette séance" }) }
                                td { (i.answer.label_fr_for_organisers()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn occurrences_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let m = &data.loaded.meeting;
    let id = m.id;
    html! {
        section #seances {
            h2 { "Prochaines séances" }
            @if data.sessions.next.is_empty() { (empty_state("Plus aucune séance à venir.")) } @else {
                ul.results {
                    @for line in &data.sessions.next {
                        li {
                            span {
                                a href=(session_address(id, &line.row)) { (when_fr(line.row.start_local.naive(), line.row.end_local.naive(), m.all_day)) }
                                @if line.row.cancelled { " " span.badge.badge-archived { "annulée" } }
                                @if line.row.moved { " " span.badge { "déplacée" } }
                                @if m.registration_open {
                                    span.muted.session-counts {
                                        " — " (line.confirmed) " inscrit·es"
                                        @if let Some(c) = m.capacity { " / " (c) " places" }
                                        @if line.waiting > 0 { ", " (line.waiting) " en attente" }
                                    }
                                }
                            }
                            @if data.can_manage { (session_tools(ctx, id, &line.row)) }
                        }
                    }
                }
            }
            @if !data.sessions.past.is_empty() {
                h2 #seances-passees { "Séances passées" }
                table.past-sessions {
                    thead { tr { th { "Séance" } @if data.can_manage { th { "Inscrit·es" } th { "Présent·es" } } th { "Compte rendu" } } }
                    tbody {
                        @for line in &data.sessions.past {
                            tr {
                                td {
                                    a href=(session_address(id, &line.row)) { (when_fr(line.row.start_local.naive(), line.row.end_local.naive(), m.all_day)) }
                                    @if line.row.cancelled { " " span.badge.badge-archived { "annulée" } }
                                }
                                @if data.can_manage { td { (line.confirmed) } td { (line.present) } }
                                td {
                                    @if line.row.minutes_published && data.can_read_minutes { "publié" }
                                    @else if line.has_minutes && data.can_manage { "brouillon" }
                                    @else { "non" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A coordinator's tools for one session on the series page: cancel, skip, restore, move.
fn session_tools(ctx: &Ctx, id: i64, row: &occurrence::Model) -> Markup {
    let original = row.original_start_local.to_string();
    let (start, end) = (row.start_local.naive(), row.end_local.naive());
    html! {
        details.occurrence-tools {
            summary { "Modifier cette séance" }
            div.actions {
                @if row.cancelled || row.moved {
                    (occurrence_button(ctx, id, &original, "restore", "Rétablir"))
                } @else {
                    (occurrence_button(ctx, id, &original, "cancel", "Annuler cette séance"))
                    (occurrence_button(ctx, id, &original, "skip", "Retirer cette date"))
                }
            }
            form.picker-row method="post" action=(format!("/reunions/{id}/occurrences")) {
                (csrf_field(ctx))
                input type="hidden" name="original" value=(original);
                input type="hidden" name="action" value="move";
                div.field { label for=(format!("nd-{original}")) { "Nouvelle date" } input id=(format!("nd-{original}")) type="date" name="new_date" value=(start.format("%Y-%m-%d")); }
                div.field { label for=(format!("ns-{original}")) { "Début" } input id=(format!("ns-{original}")) type="time" name="new_start" value=(start.format("%H:%M")); }
                div.field { label for=(format!("ne-{original}")) { "Fin" } input id=(format!("ne-{original}")) type="time" name="new_end" value=(end.format("%H:%M")); }
                button type="submit" { "Déplacer" }
            }
        }
    }
}

/// A series' next sessions that take registrations, each a link to its page.
pub(super) fn open_sessions(data: &MeetingPage) -> Markup {
    let m = &data.loaded.meeting;
    let open: Vec<&SessionLine> = data
        .sessions
        .next
        .iter()
        .filter(|line| booking::closed_reason(m, Some(&line.row), chrono::Utc::now()).is_none())
        .take(6)
        .collect();
    html! {
        @if open.is_empty() { p.muted { "Aucune séance ouverte aux inscriptions pour l'instant." } } @else {
            ul.open-sessions {
                @for line in open {
                    li {
                        a href=(session_address(m.id, &line.row)) { (when_fr(line.row.start_local.naive(), line.row.end_local.naive(), m.all_day)) }
                        @if let Some(c) = m.capacity { span.muted { " — " (line.confirmed) "/" (c) " places prises" } }
                    }
                }
            }
        }
    }
}
