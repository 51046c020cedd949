//! Meeting pages: agenda lists, the month calendar, the meeting page with registration,
//! workshops and minutes, the scheduling form, the attendance sheet.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use maud::{Markup, html};

use super::booking::{CONFIRMED, WAITING};
use super::participation::{MeetingPage, MinutesForm, RegRow, SheetRow};
use super::rules::{
    KINDS, MeetingForm, ORDINALS, STATUSES, WEEKDAYS, kind_label, parse_local, status_label,
};
use super::schedule::{self, Occurrence};
use super::{Loaded, recurrence};
use crate::entities::{meeting, person};
use crate::web::Ctx;
use crate::web::components::{
    FieldErrors, checkbox, empty_state, form_errors, input, post_button, select, textarea,
};
use crate::web::french;
use crate::web::layout::{csrf_field, page, paragraphs};

/// "mardi 8 juin 2027, 09:00–16:00", "mardi 8 juin 2027 (toute la journée)"
pub fn when_fr(start: NaiveDateTime, end: NaiveDateTime, all_day: bool) -> String {
    if all_day {
        let last = (end - Duration::days(1)).date();
        if last <= start.date() {
            format!("{} (toute la journée)", french::weekday_date(start.date()))
        } else {
            format!(
                "du {} au {}",
                french::weekday_date(start.date()),
                french::weekday_date(last)
            )
        }
    } else if start.date() == end.date() {
        format!(
            "{}, {}–{}",
            french::weekday_date(start.date()),
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "du {} {} au {} {}",
            french::weekday_date(start.date()),
            start.format("%H:%M"),
            french::weekday_date(end.date()),
            end.format("%H:%M")
        )
    }
}

pub fn presence_label(status: &str) -> &'static str {
    match status {
        "present" => "présent·e",
        "excused" => "excusé·e",
        "absent" => "absent·e",
        _ => "",
    }
}

pub fn registration_label(status: &str) -> &'static str {
    match status {
        CONFIRMED => "confirmée",
        WAITING => "liste d'attente",
        _ => "annulée",
    }
}

fn find(loaded: &[Loaded], id: i64) -> Option<&Loaded> {
    loaded.iter().find(|l| l.meeting.id == id)
}

fn badges(m: &meeting::Model, occurrence_cancelled: bool) -> Markup {
    html! {
        @if occurrence_cancelled || m.status == "cancelled" { " " span.badge.badge-archived { "annulée" } }
        @else if m.status == "held" { " " span.badge { "tenue" } }
        @if m.visibility == "members" { " " span.badge.badge-private { "membres" } }
        @if m.rrule.is_some() { " " span.badge { "série" } }
    }
}

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
                                    (kind_label(&l.meeting.kind)) " · " (l.scope_label())
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

fn agenda_nav(current: &str) -> Markup {
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
    let title = format!(
        "{} {}",
        french::month(first.month()).unwrap_or_default(),
        first.year()
    );
    page(
        ctx,
        &format!("Calendrier — {title}"),
        html! {
            div.page-head {
                h1 { "Calendrier — " (title) }
                div.actions {
                    a.button href=(format!("/reunions/calendrier?mois={}", previous.format("%Y-%m"))) { "← " (french::month(previous.month()).unwrap_or_default()) }
                    a.button href=(format!("/reunions/calendrier?mois={}", next.format("%Y-%m"))) { (french::month(next.month()).unwrap_or_default()) " →" }
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

fn scope_links(l: &Loaded) -> Markup {
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

fn workshop_label(data: &MeetingPage, id: i64) -> String {
    data.workshops
        .iter()
        .find(|w| w.id == id)
        .map(|w| format!("{}–{} : {}", w.slot_start, w.slot_end, w.title))
        .unwrap_or_default()
}

fn meeting_page_inner(ctx: &Ctx, data: &MeetingPage, error: Option<&str>) -> Markup {
    let l = &data.loaded;
    let m = &l.meeting;
    let start = parse_local(&m.start_local).unwrap_or_default();
    let end = parse_local(&m.end_local).unwrap_or_default();
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
                        @if m.status == "scheduled" {
                            form.inline method="post" action=(format!("/reunions/{id}/statut")) {
                                (csrf_field(ctx)) input type="hidden" name="status" value="cancelled";
                                button.danger type="submit" { "Annuler la réunion" }
                            }
                            @if m.rrule.is_none() {
                                form.inline method="post" action=(format!("/reunions/{id}/statut")) {
                                    (csrf_field(ctx)) input type="hidden" name="status" value="held";
                                    button type="submit" { "Marquer comme tenue" }
                                }
                            }
                        } @else {
                            form.inline method="post" action=(format!("/reunions/{id}/statut")) {
                                (csrf_field(ctx)) input type="hidden" name="status" value="scheduled";
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
                            @if let Some(rule) = schedule::rule_of(m) {
                                (rule.describe_fr()) ", " (start.format("%H:%M")) "–" (end.format("%H:%M"))
                                br; span.muted { "à partir du " (french::weekday_date(start.date())) " (heure de Bruxelles)" }
                            } @else {
                                (when_fr(start, end, m.all_day)) span.muted { " (heure de Bruxelles)" }
                            }
                        }
                        dt { "Type" } dd { (kind_label(&m.kind)) }
                        dt { "Pour" } dd { (l.scope_label()) }
                        @if !m.place_name.is_empty() || !m.place_address.is_empty() {
                            dt { "Lieu" } dd { (m.place_name) @if !m.place_address.is_empty() { br; span.muted { (m.place_address) } } }
                        }
                        @if !m.video_url.is_empty() {
                            dt { "Visioconférence" } dd { a href=(m.video_url) rel="noopener noreferrer" { (m.video_url) } }
                        }
                        dt { "Statut" } dd { (status_label(&m.status)) }
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
                    @if data.can_manage && (m.registration_open || !data.rows.is_empty()) { (counts_box(data)) }
                }
            }
            @if data.can_manage && (m.registration_open || !data.rows.is_empty()) { (registrations_section(ctx, data)) }
            @if data.can_manage { (invitations_section(ctx, data)) }
        },
    )
}

fn occurrences_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let id = data.loaded.meeting.id;
    html! {
        section #seances {
            h2 { "Prochaines séances" }
            @if data.occurrences.is_empty() { (empty_state("Plus aucune séance à venir.")) }
            ul.results {
                @for o in &data.occurrences {
                    li {
                        span {
                            (when_fr(o.start, o.end, data.loaded.meeting.all_day))
                            @if o.cancelled { " " span.badge.badge-archived { "annulée" } }
                            @if o.moved { " " span.badge { "déplacée" } }
                        }
                        @if data.can_manage {
                            @if let Some(original) = o.original_start {
                                @let original = super::rules::format_local(original);
                                details.occurrence-tools {
                                    summary { "Modifier cette séance" }
                                    div.actions {
                                        @if o.cancelled || o.moved {
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
                                        div.field { label for=(format!("nd-{original}")) { "Nouvelle date" } input id=(format!("nd-{original}")) type="date" name="new_date" value=(o.start.format("%Y-%m-%d")); }
                                        div.field { label for=(format!("ns-{original}")) { "Début" } input id=(format!("ns-{original}")) type="time" name="new_start" value=(o.start.format("%H:%M")); }
                                        div.field { label for=(format!("ne-{original}")) { "Fin" } input id=(format!("ne-{original}")) type="time" name="new_end" value=(o.end.format("%H:%M")); }
                                        button type="submit" { "Déplacer" }
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

fn occurrence_button(ctx: &Ctx, id: i64, original: &str, action: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action=(format!("/reunions/{id}/occurrences")) {
            (csrf_field(ctx))
            input type="hidden" name="original" value=(original);
            input type="hidden" name="action" value=(action);
            button.small type="submit" { (label) }
        }
    }
}

fn workshops_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
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

fn registration_box(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let m = &data.loaded.meeting;
    let id = m.id;
    html! {
        @if m.registration_open {
            section.card #inscription {
                h2 { "Inscription" }
                @if let Some(mine) = &data.mine {
                    @if mine.registration.status == CONFIRMED {
                        p { strong { "Vous êtes inscrit·e." } @if !mine.registration.meal.is_empty() { " Repas : " (mine.registration.meal) "." } }
                    } @else {
                        p { strong { "Vous êtes en liste d'attente" } ", place " (mine.waiting_place.unwrap_or(0)) ". Vous serez inscrit·e automatiquement si une place se libère." }
                    }
                    (post_button(&ctx.csrf_token, &format!("/reunions/{id}/desinscription"), "Annuler mon inscription", "danger"))
                } @else if let Some(reason) = data.closed_reason {
                    p.muted { (reason) }
                } @else if ctx.viewer.is_none() {
                    p { a href=(format!("/connexion?suite=/reunions/{id}")) { "Connectez-vous" } " pour vous inscrire." }
                } @else if data.can_register {
                    @if let Some(c) = m.capacity {
                        p.muted { (data.counts.confirmed) " inscrit·es pour " (c) " places." @if data.counts.confirmed as i64 >= i64::from(c) { " Complet : vous serez placé·e en liste d'attente." } }
                    }
                    (registration_fields(ctx, data, &format!("/reunions/{id}/inscription"), None, "M'inscrire"))
                } @else {
                    p.muted { "Cette réunion est réservée aux membres de sa plateforme." }
                }
            }
        }
    }
}

/// Meal, ranked workshop choices and a note; `people` adds a person picker (coordinators).
fn registration_fields(
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

fn counts_box(data: &MeetingPage) -> Markup {
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
            p { a href=(format!("/reunions/{id}/inscriptions.csv")) download { "Télécharger la liste (CSV)" } }
        }
    }
}

fn registrations_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let id = data.loaded.meeting.id;
    html! {
        section #inscriptions {
            h2 { "Inscriptions" }
            @if data.loaded.meeting.registration_open && data.closed_reason.is_none() {
                details {
                    summary { "Inscrire quelqu'un" }
                    (registration_fields(ctx, data, &format!("/reunions/{id}/inscriptions"), Some(&data.people), "Inscrire"))
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

fn answer_label(answer: &str) -> &'static str {
    match answer {
        "accepted" => "j'y serai",
        "tentative" => "peut-être",
        "declined" => "ne viendra pas",
        _ => "pas encore de réponse",
    }
}

/// Whether an invitee said yes or maybe before the meeting's last change of date, time or place
/// and has not answered since: their answer stands, but is to be confirmed again.
fn awaits_reconfirmation(m: &meeting::Model, i: &crate::entities::invitation::Model) -> bool {
    let Some(change) = m.reconfirm_since else {
        return false;
    };
    matches!(i.answer.as_str(), "accepted" | "tentative")
        && i.answered_at.is_none_or(|answered| answered <= change)
}

/// "mardi 8 juin 2027 à 14:05", Brussels time, of an instant.
fn instant_fr(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Brussels).naive_local();
    format!(
        "{} à {}",
        french::weekday_date(local.date()),
        local.format("%H:%M")
    )
}

fn invitations_section(ctx: &Ctx, data: &MeetingPage) -> Markup {
    let id = data.loaded.meeting.id;
    let unconfirmed = data
        .invitations
        .iter()
        .filter(|i| awaits_reconfirmation(&data.loaded.meeting, i))
        .count();
    let pending = data
        .invitations
        .iter()
        .filter(|i| i.answer == "pending")
        .count();
    let scope_label = match (&data.loaded.group, &data.loaded.platform) {
        (Some(_), _) => Some("Tous les membres du groupe de travail"),
        (None, Some(_)) => Some("Tous les membres de la plateforme"),
        _ => None,
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
            @if data.loaded.meeting.status != "cancelled" {
                details open[data.invitations.is_empty()] {
                    summary { "Inviter" }
                    form.stack method="post" action=(format!("/reunions/{id}/invitations")) {
                        (csrf_field(ctx))
                        @if let Some(label) = scope_label { (checkbox(label, "members", false)) }
                        div.field {
                            label for="invite-people" { "Des personnes de l'annuaire" }
                            p.hint { "Ctrl ou Cmd pour en choisir plusieurs." }
                            select #invite-people name="person_id" multiple size="6" {
                                @for (value, label) in &data.people { option value=(value) { (label) } }
                            }
                        }
                        div.field {
                            label for="invite-emails" { "Des partenaires sans compte (adresses e-mail)" }
                            p.hint { "Une par ligne, ou séparées par des virgules ; « Nom <adresse> » accepté." }
                            textarea #invite-emails name="emails" rows="3" {}
                        }
                        button.primary type="submit" { "Envoyer les invitations" }
                    }
                }
            }
            @if data.invitations.is_empty() { (empty_state("Personne n'est encore invité·e.")) } @else {
                p {
                    (data.invitations.iter().filter(|i| i.answer == "accepted").count()) " oui · "
                    (data.invitations.iter().filter(|i| i.answer == "tentative").count()) " peut-être · "
                    (data.invitations.iter().filter(|i| i.answer == "declined").count()) " non · "
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
                                (answer_label(&i.answer))
                                @if awaits_reconfirmation(&data.loaded.meeting, i) { br; span.muted.reconfirm { "pas reconfirmé depuis le changement" } }
                            } }
                        }
                    }
                }
            }
        }
    }
}

fn registration_row(ctx: &Ctx, data: &MeetingPage, row: &RegRow) -> Markup {
    let id = data.loaded.meeting.id;
    html! {
        tr {
            td { a href=(format!("/personnes/{}", row.person.id)) { (row.person.name) } @if let Some(o) = &row.organisation { br; span.muted { (o) } } }
            td {
                (registration_label(&row.registration.status))
                @if let Some(p) = row.waiting_place { " (" (p) ")" }
                @if !row.registration.note.is_empty() { br; span.muted { (row.registration.note) } }
            }
            td { (row.registration.meal) }
            td { (row.preferences.join(" › ")) }
            td {
                @if row.registration.status == CONFIRMED && !data.workshops.is_empty() {
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
            td { (post_button(&ctx.csrf_token, &format!("/reunions/{id}/inscriptions/{}/annuler", row.person.id), "Désinscrire", "small danger")) }
        }
    }
}

/// What the meeting form offers to choose from.
pub struct Choices {
    pub scopes: Vec<(String, String)>,
    pub offices: Vec<(String, String)>,
}

pub fn meeting_form(
    ctx: &Ctx,
    existing: Option<&Loaded>,
    form: &MeetingForm,
    scopes: &Choices,
    errors: &FieldErrors,
    warnings: &[String],
) -> Markup {
    let (title, action) = match existing {
        Some(l) => (
            format!("Modifier « {} »", l.meeting.title),
            format!("/reunions/{}", l.meeting.id),
        ),
        None => (
            "Programmer une réunion".to_string(),
            "/reunions".to_string(),
        ),
    };
    let mut scope_options = vec![(String::new(), "— Choisir —".to_string())];
    scope_options.extend(scopes.scopes.iter().cloned());
    let mut offices = vec![(String::new(), "— Aucun —".to_string())];
    offices.extend(scopes.offices.iter().cloned());
    let mut kinds = vec![(String::new(), "— Choisir —".to_string())];
    kinds.extend(KINDS.iter().map(|(k, l)| (k.to_string(), l.to_string())));
    let visibilities = vec![
        ("members".to_string(), "Réservée aux membres".to_string()),
        (
            "public".to_string(),
            "Publique (visible par les partenaires)".to_string(),
        ),
    ];
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .collect();
    let repeats = vec![
        ("none".to_string(), "Une seule fois".to_string()),
        (
            "weekly".to_string(),
            "Chaque semaine (ou toutes les N semaines)".to_string(),
        ),
        (
            "monthly_nth".to_string(),
            "Certains jours du mois (p. ex. 2e et 4e vendredis)".to_string(),
        ),
        (
            "monthly_day".to_string(),
            "Chaque mois à la même date".to_string(),
        ),
        (
            "daily".to_string(),
            "Chaque jour (ou tous les N jours)".to_string(),
        ),
        ("custom".to_string(), "Règle avancée (RRULE)".to_string()),
    ];
    let mut weekdays = vec![(String::new(), "— jour —".to_string())];
    weekdays.extend(
        WEEKDAYS
            .iter()
            .map(|(c, d)| (c.to_string(), french::weekday(*d).to_string())),
    );
    let back = existing
        .map(|l| format!("/reunions/{}", l.meeting.id))
        .unwrap_or_else(|| "/reunions".into());
    page(
        ctx,
        &title,
        html! {
            p.breadcrumb { a href="/reunions" { "Agenda" } " › " }
            h1 { (title) }
            (form_errors(errors))
            @if !warnings.is_empty() {
                div.flash.flash-error role="alert" {
                    strong { "Attention, conflit d'agenda :" }
                    ul { @for w in warnings { li { (w) } } }
                    "Modifiez la date ou le lieu, ou confirmez en bas du formulaire."
                }
            }
            form.stack method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (select("Pour", "scope", &scope_options, &form.scope, errors, true))
                (select("Type de réunion", "kind", &kinds, &form.kind, errors, true))
                (input("Titre", "title", "text", &form.title, errors, true, Some("Par exemple : Plénière du PPLI")))
                (textarea("Description", "description", &form.description, errors, None))
                fieldset {
                    legend { "Date et heure (heure de Bruxelles)" }
                    div.picker-row {
                        (input("Date", "date", "date", &form.date, errors, true, None))
                        (input("Début", "start_time", "time", &form.start_time, errors, false, None))
                        (input("Fin", "end_time", "time", &form.end_time, errors, false, None))
                        (input("Date de fin (si plusieurs jours)", "end_date", "date", &form.end_date, errors, false, None))
                    }
                    (checkbox("Toute la journée", "all_day", form.all_day.is_some()))
                }
                fieldset {
                    legend { "Répétition" }
                    (select("Se répète", "repeat", &repeats, if form.repeat.is_empty() { "none" } else { &form.repeat }, errors, false))
                    (input("Intervalle", "interval", "number", &form.interval, errors, false, Some("Toutes les N semaines ou N jours (1 par défaut ; 2 = un lundi sur deux).")))
                    div.field {
                        span.label { "Jours de la semaine (répétition hebdomadaire)" }
                        div.actions {
                            @for (code, day) in WEEKDAYS {
                                @let label = french::weekday(day);
                                @let name = format!("day_{}", code.to_lowercase());
                                span.checkbox { input id=(name) name=(name) type="checkbox" checked[form.day_checked(code)]; " " label for=(name) { (label) } }
                            }
                        }
                    }
                    div.field {
                        span.label { "Quels jours du mois" }
                        div.actions {
                            @for (code, _, label) in ORDINALS {
                                @let name = format!("ord_{code}");
                                span.checkbox { input id=(name) name=(name) type="checkbox" checked[form.ordinal_checked(code)]; " " label for=(name) { (label) } }
                            }
                        }
                    }
                    (select("Jour", "weekday", &weekdays, &form.weekday, errors, false))
                    div.picker-row {
                        (input("Jusqu'au", "until", "date", &form.until, errors, false, None))
                        (input("ou nombre de séances", "count", "number", &form.count, errors, false, None))
                    }
                    (input("Règle avancée (RRULE)", "rrule", "text", &form.rrule, errors, false, Some("Uniquement avec « Règle avancée », par exemple FREQ=MONTHLY;BYDAY=1TU.")))
                }
                fieldset {
                    legend { "Lieu" }
                    (input("Nom du lieu", "place_name", "text", &form.place_name, errors, false, Some("Par exemple : Centre culturel de la Marlagne")))
                    (input("Adresse", "place_address", "text", &form.place_address, errors, false, None))
                    (input("Lien de visioconférence", "video_url", "url", &form.video_url, errors, false, Some("https://…")))
                    (select("Territoire (bureau d'accueil)", "office_id", &offices, &form.office_id, errors, false))
                }
                (select("Visibilité", "visibility", &visibilities, &form.visibility, errors, true))
                @if existing.is_some() { (select("Statut", "status", &statuses, &form.status, errors, true)) }
                fieldset {
                    legend { "Inscriptions" }
                    (checkbox("Les participant·es s'inscrivent", "registration_open", form.registration_open.is_some()))
                    @if let Some(e) = errors.get("registration_open") { p.field-error { (e) } }
                    (input("Capacité", "capacity", "number", &form.capacity, errors, false, Some("Vide : sans limite. Au-delà, liste d'attente.")))
                    div.picker-row {
                        (input("Date limite", "deadline_date", "date", &form.deadline_date, errors, false, None))
                        (input("Heure limite", "deadline_time", "time", &form.deadline_time, errors, false, None))
                    }
                    (input("Choix de repas proposés", "meal_options", "text", &form.meal_options, errors, false, Some(&format!("Séparés par des virgules, par exemple : {}. Vide : pas de repas.", super::rules::DEFAULT_MEALS))))
                }
                (textarea("Programme", "agenda", &form.agenda, errors, Some("Une ligne par point : HH:MM | Titre | Intervenant·es (l'heure et les intervenant·es sont facultatifs).")))
            fieldset {
                legend { "Courriels" }
                div.picker-row {
                    (input("Rappel, jours avant", "reminder_days", "number", &form.reminder_days, errors, false, Some("Aux inscrit·es et à qui a accepté ; 2 par défaut, 0 : aucun.")))
                    (input("Relance des sans-réponse, jours avant", "answer_reminder_days", "number", &form.answer_reminder_days, errors, false, Some("Vide : seulement à la demande.")))
                }
                (textarea("Texte ajouté au rappel", "reminder_text", &form.reminder_text, errors, None))
            }
                div.actions {
                    @if !warnings.is_empty() {
                        button.primary type="submit" name="confirm_clash" value="1" { "Enregistrer malgré le conflit" }
                    } @else {
                        button.primary type="submit" { "Enregistrer" }
                    }
                    a href=(back) { "Annuler" }
                }
            }
        },
    )
}

pub fn attendance_row(ctx: &Ctx, meeting_id: i64, row: &SheetRow) -> Markup {
    let row_id = row
        .person_id
        .map(|p| format!("presence-{p}"))
        .unwrap_or_default();
    html! {
        tr id=(row_id) {
            td { (row.name) @if row.walk_in { " " span.badge { "sur place" } } @if let Some(o) = &row.organisation { br; span.muted { (o) } } }
            td { strong { (row.status.as_deref().map(presence_label).unwrap_or("—")) } }
            td {
                @if let Some(pid) = row.person_id {
                    div.actions {
                        @for (status, label) in [("present", "Présent·e"), ("excused", "Excusé·e"), ("absent", "Absent·e")] {
                            form.inline method="post" action=(format!("/reunions/{meeting_id}/presences/{pid}"))
                                hx-post=(format!("/reunions/{meeting_id}/presences/{pid}")) hx-target=(format!("#presence-{pid}")) hx-swap="outerHTML" {
                                (csrf_field(ctx))
                                input type="hidden" name="status" value=(status);
                                button.small.primary[row.status.as_deref() == Some(status)] type="submit" aria-pressed=(if row.status.as_deref() == Some(status) { "true" } else { "false" }) { (label) }
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
    rows: &[SheetRow],
    people: &[(String, String)],
) -> Markup {
    let m = &loaded.meeting;
    page(
        ctx,
        &format!("Présences — {}", m.title),
        html! {
            p.breadcrumb { a href=(format!("/reunions/{}", m.id)) { (m.title) } " › " }
            h1 { "Présences" }
            p.muted { (when_fr(parse_local(&m.start_local).unwrap_or_default(), parse_local(&m.end_local).unwrap_or_default(), m.all_day)) }
            @if rows.is_empty() { (empty_state("Personne n'est attendu : ajoutez les personnes venues sur place ci-dessous.")) } @else {
                table.attendance {
                    thead { tr { th { "Personne" } th { "État" } th { "Marquer" } } }
                    tbody { @for row in rows { (attendance_row(ctx, m.id, row)) } }
                }
            }
            h2 { "Venu·e sur place" }
            form.picker-row method="post" action=(format!("/reunions/{}/presences/sur-place", m.id)) {
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

pub fn minutes_page(ctx: &Ctx, loaded: &Loaded, form: &MinutesForm) -> Markup {
    minutes_inner(ctx, loaded, form, None)
}

pub fn minutes_error(ctx: &Ctx, loaded: &Loaded, form: &MinutesForm, message: &str) -> Markup {
    minutes_inner(ctx, loaded, form, Some(message))
}

fn minutes_inner(ctx: &Ctx, loaded: &Loaded, form: &MinutesForm, error: Option<&str>) -> Markup {
    let m = &loaded.meeting;
    let errors = FieldErrors::default();
    page(
        ctx,
        &format!("Compte rendu — {}", m.title),
        html! {
            p.breadcrumb { a href=(format!("/reunions/{}", m.id)) { (m.title) } " › " }
            h1 { "Compte rendu" }
            @if let Some(message) = error { div.flash.flash-error role="alert" { (message) } }
            form.stack method="post" action=(format!("/reunions/{}/compte-rendu", m.id)) {
                (csrf_field(ctx))
                (textarea("Compte rendu", "minutes", &form.minutes, &errors, None))
                (textarea("Décisions", "decisions", &form.decisions, &errors, Some("Une décision par ligne.")))
                (textarea("Actions", "actions", &form.actions, &errors, Some("Qui fait quoi, pour quand.")))
                (checkbox("Publier : les membres de la plateforme peuvent le lire", "published", form.published.is_some()))
                button.primary type="submit" { "Enregistrer" }
            }
        },
    )
}

/// A working group's attendance over the year, for its page.
pub fn group_attendance(
    meetings: &[meeting::Model],
    table: &[(person::Model, Vec<Option<String>>)],
) -> Markup {
    html! {
        section #presences-annee {
            h2 { "Présences sur l'année" }
            @if meetings.is_empty() { (empty_state("Aucune réunion tenue ces douze derniers mois.")) } @else {
                div.table-scroll {
                    table {
                        thead {
                            tr {
                                th { "Membre" }
                                @for m in meetings { th { a href=(format!("/reunions/{}", m.id)) title=(m.title) { (parse_local(&m.start_local).map(|d| d.format("%d/%m").to_string()).unwrap_or_default()) } } }
                                th { "Présent·e" }
                            }
                        }
                        tbody {
                            @for (p, statuses) in table {
                                tr {
                                    td { (p.name) }
                                    @for s in statuses {
                                        td title=(s.as_deref().map(presence_label).unwrap_or("non noté")) {
                                            (match s.as_deref() { Some("present") => "✔", Some("excused") => "E", Some("absent") => "✘", _ => "·" })
                                        }
                                    }
                                    td { (statuses.iter().filter(|s| s.as_deref() == Some("present")).count()) " / " (meetings.len()) }
                                }
                            }
                        }
                    }
                }
                p.hint { "✔ présent·e · E excusé·e · ✘ absent·e · « · » non noté" }
            }
        }
    }
}
