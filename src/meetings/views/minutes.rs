//! The minutes page.

use super::day_fr;
use crate::meetings::Loaded;
use crate::meetings::participation::{At, MinutesForm};
use crate::web::Ctx;
use crate::web::components::{FieldErrors, checkbox, textarea};
use crate::web::layout::{csrf_field, page};
use maud::{Markup, html};

pub fn minutes_page(ctx: &Ctx, loaded: &Loaded, at: &At, form: &MinutesForm) -> Markup {
    minutes_inner(ctx, loaded, at, form, None)
}

pub fn minutes_error(
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
    form: &MinutesForm,
    message: &str,
) -> Markup {
    minutes_inner(ctx, loaded, at, form, Some(message))
}

pub(super) fn minutes_inner(
    ctx: &Ctx,
    loaded: &Loaded,
    at: &At,
    form: &MinutesForm,
    error: Option<&str>,
) -> Markup {
    let m = &loaded.meeting;
    let errors = FieldErrors::default();
    let base = at.base();
    page(
        ctx,
        &format!("Compte rendu — {}", m.title),
        html! {
            p.breadcrumb {
                a href=(format!("/reunions/{}", m.id)) { (m.title) } " › "
                @if let Some(s) = &at.session { a href=(base) { "Séance du " (day_fr(s.original_start_local.naive().date())) } " › " }
            }
            h1 { "Compte rendu" @if let Some(s) = &at.session { " — séance du " (day_fr(s.start_local.naive().date())) } }
            @if let Some(message) = error { div.flash.flash-error role="alert" { (message) } }
            form.stack method="post" action=(format!("{base}/compte-rendu")) {
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
