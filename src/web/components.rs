//! Small view pieces shared by the rooms: form fields with their label and error, buttons,
//! empty states.

use std::collections::BTreeMap;

use maud::{Markup, html};

/// Field errors of a form, by field name, in French.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(pub BTreeMap<&'static str, String>);

impl FieldErrors {
    /// The first message for `field` stays: a sentence, or a refusal shown as one.
    pub fn add(&mut self, field: &'static str, message: impl std::fmt::Display) {
        self.0.entry(field).or_insert_with(|| message.to_string());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A write refused by a uniqueness constraint — someone took the name or the address between
    /// the check and the write — as the field error the form shows; other failures stay errors.
    pub fn when_taken<T>(
        written: Result<T, sea_orm::DbErr>,
        field: &'static str,
        message: &str,
    ) -> Result<Result<T, FieldErrors>, sea_orm::DbErr> {
        match written {
            Ok(row) => Ok(Ok(row)),
            Err(e) if crate::db::is_unique_violation(&e) => {
                let mut errors = FieldErrors::default();
                errors.add(field, message);
                Ok(Err(errors))
            }
            Err(e) => Err(e),
        }
    }

    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Why a name typed in a one-line field is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameRefusal {
    /// Nothing typed: the field's own sentence ("Le nom est obligatoire."), given by the caller.
    #[error("{0}")]
    Missing(&'static str),
    #[error("Le texte contient des caractères non valides.")]
    InvalidCharacters,
    #[error("Ce texte ne peut dépasser {0} caractères.")]
    TooLong(usize),
}

/// A name typed in a one-line field: trimmed, required, at most `max` characters, and free of
/// control characters or bytes that were not valid text.
pub fn name_field(raw: &str, max: usize, missing: &'static str) -> Result<String, NameRefusal> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(NameRefusal::Missing(missing));
    }
    if value
        .chars()
        .any(|c| c.is_control() || c == char::REPLACEMENT_CHARACTER)
    {
        return Err(NameRefusal::InvalidCharacters);
    }
    if value.chars().count() > max {
        return Err(NameRefusal::TooLong(max));
    }
    Ok(value.to_string())
}

fn error_id(name: &str) -> String {
    format!("{name}-erreur")
}

fn described_by(name: &str, error: Option<&str>) -> Option<String> {
    error.map(|_| error_id(name))
}

fn error_text(name: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = error {
            p.field-error id=(error_id(name)) { (message) }
        }
    }
}

/// A one-line input with its label, hint and error.
pub fn input(
    label: &str,
    name: &str,
    kind: &str,
    value: &str,
    errors: &FieldErrors,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            @if let Some(hint) = hint { p.hint { (hint) } }
            input id=(name) name=(name) type=(kind) value=(value) required[required]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[described_by(name, error)];
            (error_text(name, error))
        }
    }
}

pub fn textarea(
    label: &str,
    name: &str,
    value: &str,
    errors: &FieldErrors,
    hint: Option<&str>,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(hint) = hint { p.hint { (hint) } }
            textarea id=(name) name=(name) rows="5"
                aria-invalid=[error.map(|_| "true")] aria-describedby=[described_by(name, error)] { (value) }
            (error_text(name, error))
        }
    }
}

/// A select; `options` are (value, label).
pub fn select(
    label: &str,
    name: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
    required: bool,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            select id=(name) name=(name) required[required]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[described_by(name, error)] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
            (error_text(name, error))
        }
    }
}

pub fn checkbox(label: &str, name: &str, checked: bool) -> Markup {
    html! {
        div.field.checkbox {
            input id=(name) name=(name) type="checkbox" value="on" checked[checked];
            label for=(name) { (label) }
        }
    }
}

/// A summary at the top of a refused form.
pub fn form_errors(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.flash.flash-error role="alert" {
                strong { "Le formulaire n'a pas été enregistré." }
                " Corrigez les champs signalés ci-dessous ; ce que vous avez saisi est conservé."
            }
        }
    }
}

pub fn empty_state(message: &str) -> Markup {
    html! { p.empty { (message) } }
}

/// A small form with a single button that POSTs (archive, remove, …).
pub fn post_button(ctx_csrf: &str, action: &str, label: &str, class: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            input type="hidden" name="csrf_token" value=(ctx_csrf);
            button type="submit" class=(class) { (label) }
        }
    }
}

/// `https://…` → `webcal://…`: calendar clients subscribe to the latter.
pub fn webcal(https_url: &str) -> String {
    match https_url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https_url.to_string(),
    }
}

/// "S'abonner": a webcal link, the address to copy, and how to add it in each client.
pub fn subscribe(title: &str, url: &str) -> Markup {
    html! {
        section.card.subscribe {
            h2 { "S'abonner à l'agenda" }
            p.muted { (title) " : les réunions apparaissent dans votre calendrier et s'y mettent à jour d'elles-mêmes." }
            p { a.button.primary href=(webcal(url)) { "Ajouter à mon calendrier" } }
            div.field {
                label for="feed-url" { "Adresse de l'agenda (à copier)" }
                input #feed-url type="text" readonly value=(url);
            }
            details {
                summary { "Comment faire avec Outlook, Google Agenda ou Apple Calendrier ?" }
                ul {
                    li { strong { "Outlook : " } "Calendrier › Ajouter un calendrier › S'abonner à partir du web, collez l'adresse, puis Importer." }
                    li { strong { "Google Agenda : " } "Autres agendas › + › À partir de l'URL, collez l'adresse, puis Ajouter un agenda. Google rafraîchit toutes les quelques heures." }
                    li { strong { "Apple Calendrier : " } "Fichier › Nouvel abonnement à un calendrier, collez l'adresse ; sur iPhone : Réglages › Calendrier › Comptes › Ajouter un compte › Autre › Ajouter un calendrier avec abonnement." }
                }
                p.hint { "Certains calendriers ne se mettent à jour que toutes les quelques heures : les changements urgents vous parviennent aussi par e-mail." }
            }
        }
    }
}

/// A panel another room serves at `url`: htmx loads it in place (`hx-trigger="load"`, the
/// answer carries the same `id`); without JavaScript, a plain link to the same address (a page).
pub fn lazy_panel(url: &str, id: &str, link: &str) -> Markup {
    html! {
        div id=(id) hx-get=(url) hx-trigger="load" hx-swap="outerHTML" {
            p { a href=(url) { (link) } }
        }
    }
}
