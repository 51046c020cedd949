use maud::{Markup, html};

use super::rules::{OrganisationForm, OrganisationKind};
use crate::entities::{organisation, person};
use crate::web::Ctx;
use crate::web::components::{FieldErrors, empty_state, form_errors, input, post_button, select};
use crate::web::layout::{csrf_field, page};

pub struct Row {
    pub organisation: organisation::Model,
    pub municipality: String,
    pub people: usize,
}

pub fn list(ctx: &Ctx, rows: &[Row], can_manage: bool) -> Markup {
    page(
        ctx,
        "Organisations",
        html! {
            div.page-head {
                h1 { "Organisations membres" }
                @if can_manage { a.button.primary href="/organisations/nouvelle" { "Nouvelle organisation" } }
            }
            @if rows.is_empty() {
                (empty_state("Aucune organisation pour l'instant."))
            } @else {
                table {
                    thead { tr { th { "Nom" } th { "Type" } th { "Commune" } th { "Personnes" } } }
                    tbody {
                        @for row in rows {
                            tr {
                                td {
                                    a href=(format!("/organisations/{}", row.organisation.id)) { (row.organisation.name) }
                                    @if row.organisation.archived { " " span.badge.badge-archived { "archivée" } }
                                }
                                td { (row.organisation.kind.label_fr()) }
                                td { (row.municipality) }
                                td { (row.people) }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub fn show(
    ctx: &Ctx,
    organisation: &organisation::Model,
    municipality: Option<&str>,
    people: &[person::Model],
) -> Markup {
    let can_manage = ctx.can(crate::auth::permissions::Action::ManageOrganisations);
    page(
        ctx,
        &organisation.name,
        html! {
            p.breadcrumb { a href="/organisations" { "Organisations" } " › " }
            div.page-head {
                h1 { (organisation.name) @if organisation.archived { " " span.badge.badge-archived { "archivée" } } }
                @if can_manage {
                    div.actions {
                        a.button href=(format!("/organisations/{}/modifier", organisation.id)) { "Modifier" }
                        @if organisation.archived {
                            (post_button(&ctx.csrf_token, &format!("/organisations/{}/reactiver", organisation.id), "Réactiver", ""))
                        } @else {
                            (post_button(&ctx.csrf_token, &format!("/organisations/{}/archiver", organisation.id), "Archiver", "danger"))
                        }
                    }
                }
            }
            p { (organisation.kind.label_fr()) @if let Some(m) = municipality { " · " (m) } }
            @if !organisation.website.is_empty() {
                p { a href=(organisation.website) rel="noopener noreferrer" { (organisation.website) } }
            }
            h2 { "Personnes" }
            @if people.is_empty() {
                (empty_state("Personne n'est encore rattaché à cette organisation."))
            } @else {
                ul {
                    @for p in people {
                        li { a href=(format!("/personnes/{}", p.id)) { (p.name) } @if !p.active { " " span.badge.badge-archived { "désactivé·e" } } }
                    }
                }
            }
        },
    )
}

pub fn form(
    ctx: &Ctx,
    existing: Option<&organisation::Model>,
    form: &OrganisationForm,
    municipalities: &[(String, String)],
    errors: &FieldErrors,
) -> Markup {
    let (title, action) = match existing {
        Some(o) => (
            format!("Modifier « {} »", o.name),
            format!("/organisations/{}", o.id),
        ),
        None => (
            "Nouvelle organisation".to_string(),
            "/organisations".to_string(),
        ),
    };
    let mut kinds = vec![(String::new(), "— Choisir —".to_string())];
    kinds.extend(
        OrganisationKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label_fr().to_string())),
    );
    let mut communes = vec![(String::new(), "— Aucune —".to_string())];
    communes.extend(municipalities.iter().cloned());
    page(
        ctx,
        &title,
        html! {
            p.breadcrumb { a href="/organisations" { "Organisations" } " › " }
            h1 { (title) }
            (form_errors(errors))
            form.stack method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (input("Nom", "name", "text", &form.name, errors, true, None))
                (select("Type", "kind", &kinds, &form.kind, errors, true))
                (select("Commune", "municipality_id", &communes, &form.municipality_id, errors, false))
                (input("Site web", "website", "url", &form.website, errors, false, Some("Facultatif, par exemple https://www.exemple.be")))
                div.actions {
                    button.primary type="submit" { "Enregistrer" }
                    a href=(existing.map(|o| format!("/organisations/{}", o.id)).unwrap_or_else(|| "/organisations".into())) { "Annuler" }
                }
            }
        },
    )
}
