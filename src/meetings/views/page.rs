//! The meeting page: details, occurrences, workshops, registration, invitations and registrations.

use super::session::{occurrences_section, open_sessions};
use super::{badges, day_fr, when_fr};
use crate::entities::invitation::Answer;
use crate::entities::meeting::{self, MeetingStatus};
use crate::entities::registration::RegistrationStatus;
use crate::meetings::booking::Closed;
use crate::meetings::participation::{MeetingPage, RegRow};
use crate::meetings::{Loaded, recurrence};
use crate::web::Ctx;
use crate::web::components::{FieldErrors, checkbox, empty_state, input, post_button};
use crate::web::layout::{csrf_field, page, paragraphs};
use maud::{Markup, html};

pub(super) fn scope_links(l: &Loaded) -> Markup {
    html! {
        @match (&l.group, &l.platform) {
            (Some(g), Some(p)) => { a href=(format!("/plateformes/{}", p.slug)) { (p.name) } " › " a href=(format!("/gt/{}", g.id)) { (g.name) } },
            (None, Some(p)) => { a href=(format!("/plateformes/{}", p.slug)) { (p.name) } },
            _ => { "Tout le réseau" },
        }
    }
}

pub fn meeting_page(ctx: &Ctx, data: &MeetingPage) -> Markup {
    meeting_page_inner(ctx, data, None)
}

pub fn meeting_page_with_error(ctx: &Ctx, data: &MeetingPage, message: &str) -> Markup {
    meeting_page_inner(ctx, data, Some(message))
}

pub(super) fn workshop_label(data: &MeetingPage, id: i64) -> String {
    data.workshops
        .iter()
        .find(|w| w.id == id)
        .map(|w| format!("{}–{} : {}", w.slot_start, w.slot_end, w.title))
        .unwrap_or_default()
}

pub(super) fn meeting_page_inner(ctx: &Ctx, data: &MeetingPage, error: Option<&str>) -> Markup {
    let l = &data.loaded;
    let m = &l.meeting;
    let (start, end) = (m.start_local.naive(), m.end_local.naive());
    let id = m.id;
    page(
        ctx,
        &m.title,
        html! {
            p.breadcrumb { a href="/reunions" { "Agenda" } " › " (scope_links(l)) }
            div.page-head {
                h1 { (m.title) (badges(m, false)) }
                @if data.can_manage {
                    div.actions {
                        a.button href=(format!("/reunions/{id}/modifier")) { "Modifier" }
                        @if m.rrule.is_none() {
                            a.button href=(format!("/reunions/{id}/presences")) { "Présences" }
                            a.button href=(format!("/reunions/{id}/compte-rendu")) { "Compte rendu" }
                        }
                        @if m.status == MeetingStatus::Scheduled {
                            form.inline method="post" action=(format!("/reunions/{id}/statut")) {
                                (csrf_field(ctx)) input type="hidden" name="status" value=(MeetingStatus::Cancelled.as_str());
                                button.danger type="submit" { "Annuler la réunion" }
                            }
                            @if m.rrule.is_none() {
                                form.inline method="post" action=(format!("/reunions/{id}/statut")) {
                                    (csrf_field(ctx)) input type="hidden" name="status" value=(MeetingStatus::Held.as_str());
                                    button type="submit" { "Marquer comme tenue" }
                                }
                            }
                        } @else {
                            form.inline method="post" action=(format!("/reunions/{id}/statut")) {
                                (csrf_field(ctx)) input type="hidden" name="status" value=(MeetingStatus::Scheduled.as_str());
                                button type="submit" { "Remettre à « prévue »" }
                            }
                        }
                    }
                }
            }
            @if let Some(message) = error { div.flash.flash-error role="alert" { (message) } }
            div.two-cols {
                div {
                    dl {
                        dt { "Quand" }
                        dd {
                            @if let Some(rule) = &data.series {
                                (rule) ", " (start.format("%H:%M")) "–" (end.format("%H:%M"))
                                br; span.muted { "à partir du " (day_fr(start.date())) " (heure de Bruxelles)" }
                            } @else {
                                (when_fr(start, end, m.all_day)) span.muted { " (heure de Bruxelles)" }
                            }
                        }
                        dt { "Type" } dd { (m.kind.label_fr()) }
                        dt { "Pour" } dd { (l.scope_label()) }
                        @if !m.place_name.is_empty() || !m.place_address.is_empty() {
                            dt { "Lieu" } dd { (m.place_name) @if !m.place_address.is_empty() { br; span.muted { (m.place_address) } } }
                        }
                        @if !m.video_url.is_empty() {
                            dt { "Visioconférence" } dd { a href=(m.video_url) rel="noopener noreferrer" { (m.video_url) } }
                        }
                        dt { "Statut" } dd { (m.status.label_fr()) }
                        @if let Some(c) = m.capacity { dt { "Places" } dd { (c) } }
                        @if let Some(d) = m.registration_deadline {
                            dt { "Inscriptions jusqu'au" } dd { (when_fr(recurrence::to_local(d), recurrence::to_local(d), false).split(',').next().unwrap_or("")) " à " (recurrence::to_local(d).format("%H:%M")) }
                        }
                    }
                    p { a.button.small href=(format!("/reunions/{id}/evenement.ics")) download { "Ajouter à mon calendrier (.ics)" } }
                @if !m.description.is_empty() { (paragraphs(&m.description)) }
                    @if !data.agenda.is_empty() {
                        h2 { "Programme" }
                        table {
                            tbody {
                                @for item in &data.agenda {
                                    tr { td { (item.time) } td { strong { (item.title) } @if !item.presenters.is_empty() { br; span.muted { (item.presenters) } } } }
                                }
                            }
                        }
                    }
                    @if m.rrule.is_some() { (occurrences_section(ctx, data)) }
                    @if !data.workshops.is_empty() || (data.can_manage && m.rrule.is_none()) { (workshops_section(ctx, data)) }
                    @if data.can_read_minutes && m.minutes_published {
                        section #compte-rendu {
                            h2 { "Compte rendu" }
                            (paragraphs(&m.minutes))
                            @if !m.decisions.is_empty() { h3 { "Décisions" } (paragraphs(&m.decisions)) }
                            @if !m.actions.is_empty() { h3 { "Actions" } (paragraphs(&m.actions)) }
                        }
                    } @else if data.can_manage && !m.minutes.is_empty() {
                        section #compte-rendu { h2 { "Compte rendu" } p.muted { "Brouillon non publié. " a href=(format!("/reunions/{id}/compte-rendu")) { "Le modifier ou le publier" } } }
                    }
                }
                div {
                    (registration_box(ctx, data))
                    // A series' registrations are its sessions': counted on their pages.
                    @if data.can_manage && m.rrule.is_none() && (m.registration_open || !data.rows.is_empty()) { (counts_box(data)) }
                }
            }
            @if data.can_manage && m.rrule.is_none() && (m.registration_open || !data.rows.is_empty()) { (registrations_section(ctx, data)) }
            @if data.can_manage { (invitations_section(ctx, data)) }
        },
    )
}

pub(super) fn occurrence_button(
    ctx: &Ctx,
    id: i64,
    original: &str,
    action: &str,
    label: &str,
) -> Markup {
    html! {
        form.inline method="post" action=(format!("/reunions/{id}/occurrences")) {
            (csrf_field(ctx))
            input type="hidden" name="original" value=(original);
            input type="hidden" name="action" value=(action);
            button.small type="submit" { (label) }
        }
    }
}

pub(super) fn workshops_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let id = data.loaded.meeting.id;
    let mine: Vec<i64> = data
        .mine
        .as_ref()
        .map(|r| r.assigned.clone())
        .unwrap_or_default();
    let fill = |wid: i64| {
        data.rows
            .iter()
            .chain(data.mine.iter())
            .filter(|r| r.assigned.contains(&wid))
            .count()
    };
    html! {
        section #ateliers {
            h2 { "Ateliers" }
            @if !mine.is_empty() {
                div.flash.flash-ok {
                    strong { "Vos ateliers : " }
                    @for (i, w) in mine.iter().enumerate() { @if i > 0 { " ; " } (workshop_label(data, *w)) }
                }
            }
            @if data.workshops.is_empty() { (empty_state("Aucun atelier pour l'instant.")) } @else {
                table {
                    thead { tr { th { "Créneau" } th { "Atelier" } th { "Salle" } th { "Animation" } th { "Places" } } }
                    tbody {
                        @for w in &data.workshops {
                            tr {
                                td { (w.slot_start) "–" (w.slot_end) }
                                td { (w.title) }
                                td { (w.room) }
                                td { (w.animators) }
                                td {
                                    @if data.can_manage { (fill(w.id)) " / " }
                                    (w.capacity.map(|c| c.to_string()).unwrap_or_else(|| "—".into()))
                                    @if data.can_manage {
                                        " " (post_button(&ctx.csrf_token, &format!("/reunions/{id}/ateliers/{}/supprimer", w.id), "Retirer", "small danger"))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if data.can_manage {
                details {
                    summary { "Ajouter un atelier" }
                    form.stack method="post" action=(format!("/reunions/{id}/ateliers")) {
                        (csrf_field(ctx))
                        (input("Titre", "title", "text", "", &FieldErrors::default(), true, Some("Un même atelier donné dans deux créneaux : ajoutez-le deux fois avec le même titre.")))
                        div.picker-row {
                            (input("Début du créneau", "slot_start", "time", "", &FieldErrors::default(), true, None))
                            (input("Fin du créneau", "slot_end", "time", "", &FieldErrors::default(), true, None))
                            (input("Places", "capacity", "number", "", &FieldErrors::default(), false, None))
                        }
                        (input("Salle", "room", "text", "", &FieldErrors::default(), false, None))
                        (input("Animation", "animators", "text", "", &FieldErrors::default(), false, Some("Les deux animateur·rices, par exemple")))
                        button type="submit" { "Ajouter l'atelier" }
                    }
                }
                @if !data.workshops.is_empty() {
                    form.inline method="post" action=(format!("/reunions/{id}/repartition")) {
                        (csrf_field(ctx))
                        button.primary type="submit" { "Répartir les inscrit·es dans les ateliers" }
                    }
                    p.hint { "Chaque personne reçoit un atelier par créneau, jamais deux fois le même, sans dépasser les places, en suivant au mieux ses choix. Les ajustements faits à la main sont conservés." }
                }
            }
        }
    }
}

pub(super) fn registration_box(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let m = &data.loaded.meeting;
    let base = &data.base;
    html! {
        @if m.registration_open {
            section.card #inscription {
                h2 { "Inscription" }
                @if let Some(mine) = &data.mine {
                    @if mine.registration.status == RegistrationStatus::Confirmed {
                        p { strong { "Vous êtes inscrit·e." } @if !mine.registration.meal.is_empty() { " Repas : " (mine.registration.meal) "." } }
                    } @else {
                        p { strong { "Vous êtes en liste d'attente" } ", place " (mine.waiting_place.unwrap_or(0)) ". Vous serez inscrit·e automatiquement si une place se libère." }
                    }
                    (post_button(&ctx.csrf_token, &format!("{base}/desinscription"), "Annuler mon inscription", "danger"))
                } @else if let Some(reason) = data.closed_reason {
                    p.muted { (reason) }
                    @if reason == Closed::ChooseSession { (open_sessions(data)) }
                } @else if ctx.viewer.is_none() {
                    p { a href=(format!("/connexion?suite={base}")) { "Connectez-vous" } " pour vous inscrire." }
                } @else if data.can_register {
                    @if let Some(c) = m.capacity {
                        p.muted { (data.counts.confirmed) " inscrit·es pour " (c) " places." @if data.counts.confirmed as i64 >= i64::from(c) { " Complet : vous serez placé·e en liste d'attente." } }
                    }
                    (registration_fields(ctx, data, &format!("{base}/inscription"), None, "M'inscrire"))
                } @else {
                    p.muted { "Cette réunion est réservée aux membres de sa plateforme." }
                }
            }
        }
    }
}

/// Meal, ranked workshop choices and a note; `people` adds a person picker (coordinators).
pub(super) fn registration_fields(
    ctx: &Ctx,
    data: &MeetingPage,
    action: &str,
    people: Option<&[(String, String)]>,
    button: &str,
) -> Markup {
    // What was typed, when the form comes back refused (only into the form it came from).
    let typed = |key: &str| -> &str {
        if data.typed_action.as_deref() != Some(action) {
            return "";
        }
        data.typed
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let prefix = if people.is_some() { "autre-" } else { "" };
    html! {
        form.stack method="post" action=(action) {
            (csrf_field(ctx))
            @if let Some(people) = people {
                div.field {
                    label for="autre-person" { "Personne" }
                    select #autre-person name="person_id" required {
                        option value="" { "— Choisir —" }
                        @for (value, label) in people { option value=(value) selected[typed("person_id") == value.as_str()] { (label) } }
                    }
                }
            }
            @if !data.meals.is_empty() {
                div.field {
                    label for=(format!("{prefix}meal")) { "Repas" }
                    select id=(format!("{prefix}meal")) name="meal" required {
                        option value="" { "— Choisir —" }
                        @for meal in &data.meals { option value=(meal) selected[typed("meal") == meal.as_str()] { (meal) } }
                    }
                }
            }
            @if !data.topics.is_empty() {
                fieldset {
                    legend { "Vos ateliers préférés, par ordre de préférence" }
                    @for rank in 1..=data.topics.len() {
                        div.field {
                            label for=(format!("{prefix}choice_{rank}")) { (if rank == 1 { "1er".to_string() } else { format!("{rank}e") }) " choix" }
                            select id=(format!("{prefix}choice_{rank}")) name=(format!("choice_{rank}")) {
                                option value="" { "— Indifférent —" }
                                @for topic in &data.topics { option value=(topic) selected[typed(&format!("choice_{rank}")) == topic.as_str()] { (topic) } }
                            }
                        }
                    }
                }
            }
            div.field {
                label for=(format!("{prefix}note")) { "Remarque (accessibilité, besoins particuliers…)" }
                textarea id=(format!("{prefix}note")) name="note" rows="2" { (typed("note")) }
            }
            button.primary type="submit" { (button) }
        }
    }
}

pub(super) fn counts_box(data: &MeetingPage) -> Markup {
    let c = &data.counts;
    let id = data.loaded.meeting.id;
    html! {
        section.card #chiffres {
            h2 { "En chiffres" }
            dl {
                dt { "Inscrit·es" } dd #count-confirmed { (c.confirmed) }
                dt { "En attente" } dd #count-waiting { (c.waiting) }
                dt { "Présent·es" } dd { (c.present) }
                dt { "Excusé·es" } dd { (c.excused) }
                dt { "Absent·es" } dd { (c.absent) }
                @for (meal, n) in &c.meals { dt { "Repas : " (meal) } dd { (n) } }
            }
            @if data.session.is_none() { p { a href=(format!("/reunions/{id}/inscriptions.csv")) download { "Télécharger la liste (CSV)" } } }
        }
    }
}

pub(super) fn registrations_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    html! {
        section #inscriptions {
            h2 { "Inscriptions" }
            @if data.loaded.meeting.registration_open && data.closed_reason.is_none() {
                details {
                    summary { "Inscrire quelqu'un" }
                    (registration_fields(ctx, data, &format!("{}/inscriptions", data.base), Some(&data.people), "Inscrire"))
                }
            }
            @if data.rows.is_empty() { (empty_state("Personne d'autre n'est inscrit·e pour l'instant.")) } @else {
                table {
                    thead { tr { th { "Personne" } th { "Inscription" } th { "Repas" } th { "Choix" } th { "Ateliers" } th { "" } } }
                    tbody {
                        @for row in &data.rows { (registration_row(ctx, data, row)) }
                    }
                }
            }
        }
    }
}

/// Whether an invitee said yes or maybe before the meeting's last change of date, time or place
/// and has not answered since: their answer stands, but is to be confirmed again.
pub(super) fn awaits_reconfirmation(
    m: &meeting::Model,
    i: &crate::entities::invitation::Model,
) -> bool {
    let Some(change) = m.reconfirm_since else {
        return false;
    };
    let said_yes_or_maybe = match i.answer {
        Answer::Accepted | Answer::Tentative => true,
        Answer::Pending | Answer::Declined => false,
    };
    said_yes_or_maybe && i.answered_at.is_none_or(|answered| answered <= change)
}

/// "mardi 8 juin 2027 à 14:05", Brussels time, of an instant.
pub(super) fn instant_fr(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Brussels).naive_local();
    format!("{} à {}", day_fr(local.date()), local.format("%H:%M"))
}

pub(super) fn invitations_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let id = data.loaded.meeting.id;
    let unconfirmed = data
        .invitations
        .iter()
        .filter(|i| awaits_reconfirmation(&data.loaded.meeting, i))
        .count();
    let pending = data
        .invitations
        .iter()
        .filter(|i| i.answer == Answer::Pending)
        .count();
    // What was chosen and typed, when the invitation form comes back refused.
    let action = format!("/reunions/{id}/invitations");
    let typed: &[(String, String)] = if data.typed_action.as_deref() == Some(action.as_str()) {
        &data.typed
    } else {
        &[]
    };
    html! {
        section #invitations {
            h2 { "Invitations" }
            @if !data.failures.is_empty() {
                div.flash.flash-error role="alert" {
                    strong { (data.failures.len()) " message(s) n'ont pas pu être remis : " }
                    @for (i, f) in data.failures.iter().enumerate() { @if i > 0 { " ; " } (f.recipient) " (" (f.last_error) ")" }
                }
            }
            @if data.loaded.meeting.status != MeetingStatus::Cancelled {
                details open[data.invitations.is_empty() || !typed.is_empty()] {
                    summary { "Inviter" }
                    (invitation_form(ctx, &data.loaded, (&action, "Envoyer les invitations"), &data.people, typed))
                }
            }
            @if data.invitations.is_empty() { (empty_state("Personne n'est encore invité·e.")) } @else {
                p {
                    (data.invitations.iter().filter(|i| i.answer == Answer::Accepted).count()) " oui · "
                    (data.invitations.iter().filter(|i| i.answer == Answer::Tentative).count()) " peut-être · "
                    (data.invitations.iter().filter(|i| i.answer == Answer::Declined).count()) " non · "
                    (pending) " sans réponse"
                }
                @if let (Some(change), true) = (data.loaded.meeting.reconfirm_since, unconfirmed > 0) {
                    p.reconfirm {
                        strong { (unconfirmed) " personne(s) n'ont pas reconfirmé" }
                        " depuis le changement de date, d'heure ou de lieu du " (instant_fr(change))
                        " : leur réponse précédente reste enregistrée, leur calendrier leur redemande."
                    }
                }
                @if pending > 0 && data.loaded.meeting.answer_reminder_sent_at.is_none() {
                    (post_button(&ctx.csrf_token, &format!("/reunions/{id}/invitations/relance"), "Relancer les personnes sans réponse", "small"))
                }
                table {
                    thead { tr { th { "Invité·e" } th { "Réponse" } } }
                    tbody {
                        @for i in &data.invitations {
                            tr { td { (if i.name.is_empty() { i.email.as_str() } else { i.name.as_str() }) br; span.muted { (i.email) } } td {
                                (i.answer.label_fr_for_organisers())
                                @if awaits_reconfirmation(&data.loaded.meeting, i) { br; span.muted.reconfirm { "pas reconfirmé depuis le changement" } }
                            } }
                        }
                    }
                }
            }
        }
    }
}

/// The form that invites people to a meeting, or to one of its sessions (`action`, and the
/// button's words): the members of its group or platform, people of the directory (`people`:
/// id and label), pasted addresses; `typed` holds what was chosen and typed when it was refused.
pub fn invitation_form(
    ctx: &Ctx,
    loaded: &Loaded,
    (action, submit): (&str, &str),
    people: &[(String, String)],
    typed: &[(String, String)],
) -> Markup {
    let typed_all = |key: &str| {
        typed
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    let (members_checked, chosen, emails) = (
        typed_all("members").contains(&"on"),
        typed_all("person_id"),
        typed_all("emails").join("\n"),
    );
    let scope_label = match (&loaded.group, &loaded.platform) {
        (Some(_), _) => Some("Tous les membres du groupe de travail"),
        (None, Some(_)) => Some("Tous les membres de la plateforme"),
        _ => None,
    };
    html! {
        form.stack method="post" action=(action) {
            (csrf_field(ctx))
            @if let Some(label) = scope_label { (checkbox(label, "members", members_checked)) }
            div.field {
                label for="invite-people" { "Des personnes de l'annuaire" }
                p.hint { "Ctrl ou Cmd pour en choisir plusieurs." }
                select #invite-people name="person_id" multiple size="6" {
                    @for (value, label) in people { option value=(value) selected[chosen.contains(&value.as_str())] { (label) } }
                }
            }
            div.field {
                label for="invite-emails" { "Des partenaires sans compte (adresses e-mail)" }
                p.hint { "Une par ligne, ou séparées par des virgules ; « Nom <adresse> » accepté." }
                textarea #invite-emails name="emails" rows="3" { (emails) }
            }
            button.primary type="submit" { (submit) }
        }
    }
}

pub(super) fn registration_row(ctx: &Ctx, data: &MeetingPage, row: &RegRow) -> Markup {
    let id = data.loaded.meeting.id;
    html! {
        tr {
            td { a href=(format!("/personnes/{}", row.person.id)) { (row.person.name) } @if let Some(o) = &row.organisation { br; span.muted { (o) } } }
            td {
                (row.registration.status.label_fr())
                @if let Some(p) = row.waiting_place { " (" (p) ")" }
                @if !row.registration.note.is_empty() { br; span.muted { (row.registration.note) } }
            }
            td { (row.registration.meal) }
            td { (row.preferences.join(" › ")) }
            td {
                @if row.registration.status == RegistrationStatus::Confirmed && !data.workshops.is_empty() {
                    form.role-form method="post" action=(format!("/reunions/{id}/repartition/{}", row.registration.id)) {
                        (csrf_field(ctx))
                        @for slot in &data.slots {
                            label.visually-hidden for=(format!("slot-{}-{slot}", row.registration.id)) { "Atelier de " (slot) " pour " (row.person.name) }
                            select id=(format!("slot-{}-{slot}", row.registration.id)) name=(format!("slot_{slot}")) {
                                option value="" { (slot) " : —" }
                                @for w in data.workshops.iter().filter(|w| &w.slot_start == slot) {
                                    option value=(w.id) selected[row.assigned.contains(&w.id)] { (slot) " : " (w.title) }
                                }
                            }
                        }
                        button.small type="submit" { "Fixer" }
                    }
                }
            }
            td { (post_button(&ctx.csrf_token, &format!("{}/inscriptions/{}/annuler", data.base, row.person.id), "Désinscrire", "small danger")) }
        }
    }
}
