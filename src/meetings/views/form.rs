//! The scheduling form (create and edit a meeting).

use crate::meetings::Loaded;
use crate::meetings::rules::{
    MeetingForm, MeetingKind, MeetingStatus, ORDINALS, Visibility, WEEKDAYS,
};
use crate::web::Ctx;
use crate::web::components::{FieldErrors, checkbox, form_errors, input, select, textarea};
use crate::web::french;
use crate::web::layout::{csrf_field, page};
use maud::{Markup, html};

/// A meeting's visibility as its form offers it.
fn visibility_label(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Members => "Réservée aux membres",
        Visibility::Public => "Publique (visible par les partenaires)",
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
    kinds.extend(
        MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label_fr().to_string())),
    );
    let visibilities: Vec<(String, String)> = [Visibility::Members, Visibility::Public]
        .iter()
        .map(|v| (v.as_str().to_string(), visibility_label(*v).to_string()))
        .collect();
    let statuses: Vec<(String, String)> = MeetingStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.label_fr().to_string()))
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
                                @let name = format!("day_{}", code.to_lowercase());
                                span.checkbox { input id=(name) name=(name) type="checkbox" checked[form.day_checked(code)]; " " label for=(name) { (french::weekday(day)) } }
                            }
                        }
                    }
                    div.field {
                        span.label { "Quels jours du mois" }
                        div.actions {
                            @for (code, rank) in ORDINALS {
                                @let name = format!("ord_{code}");
                                span.checkbox { input id=(name) name=(name) type="checkbox" checked[form.ordinal_checked(code)]; " " label for=(name) { (french::week_of_month(rank).unwrap_or_default()) } }
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
                    (input("Choix de repas proposés", "meal_options", "text", &form.meal_options, errors, false, Some(&format!("Séparés par des virgules, par exemple : {}. Vide : pas de repas.", crate::meetings::rules::DEFAULT_MEALS))))
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
