use maud::{Markup, html};

use super::Membership;
use super::rules::{Language, PersonForm};
use crate::auth::permissions::{Action, Role};
use crate::entities::{organisation, person};
use crate::web::Ctx;
use crate::web::components::{
    FieldErrors, checkbox, empty_state, form_errors, input, post_button, select,
};
use crate::web::layout::{csrf_field, page};

pub fn list(
    ctx: &Ctx,
    people: &[(person::Model, Option<String>)],
    q: &str,
    can_manage: bool,
) -> Markup {
    page(
        ctx,
        "Personnes",
        html! {
            div.page-head {
                h1 { "Personnes du réseau" }
                @if can_manage { a.button.primary href="/personnes/nouvelle" { "Nouvelle personne" } }
            }
            form.picker-row method="get" action="/personnes" role="search" {
                div.field {
                    label for="q" { "Rechercher par nom, e-mail ou organisation" }
                    input #q type="search" name="q" value=(q);
                }
                button type="submit" { "Rechercher" }
            }
            @if people.is_empty() {
                (empty_state("Aucune personne ne correspond."))
            } @else {
                table {
                    thead { tr { th { "Nom" } th { "Organisation" } th { "E-mail" } } }
                    tbody {
                        @for (p, org) in people {
                            tr {
                                td {
                                    a href=(format!("/personnes/{}", p.id)) { (p.name) }
                                    @if !p.active { " " span.badge.badge-archived { "désactivé·e" } }
                                    @if p.is_admin { " " span.badge.badge-coord { "admin" } }
                                }
                                td { (org.as_deref().unwrap_or("—")) }
                                td { a href=(format!("mailto:{}", p.email)) { (p.email) } }
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
    person: &person::Model,
    organisation: Option<&organisation::Model>,
    memberships: &[Membership],
) -> Markup {
    let can_manage = ctx.can(Action::ManagePeople);
    let is_me = ctx.person_id() == Some(person.id);
    page(
        ctx,
        &person.name,
        html! {
            @if ctx.can(Action::ViewDirectory) { p.breadcrumb { a href="/personnes" { "Personnes" } " › " } }
            div.page-head {
                h1 {
                    (person.name)
                    @if !person.active { " " span.badge.badge-archived { "désactivé·e" } }
                    @if person.is_admin { " " span.badge.badge-coord { "administration du réseau" } }
                }
                div.actions {
                    @if is_me {
                    a.button href="/profil/mot-de-passe" { "Changer mon mot de passe" }
                    a.button href="/profil/agenda" { "Mon agenda personnel" }
                }
                    @if can_manage {
                        a.button href=(format!("/personnes/{}/modifier", person.id)) { "Modifier" }
                        @if person.active {
                            @if !is_me { (post_button(&ctx.csrf_token, &format!("/personnes/{}/desactiver", person.id), "Désactiver", "danger")) }
                        } @else {
                            (post_button(&ctx.csrf_token, &format!("/personnes/{}/reactiver", person.id), "Réactiver", ""))
                        }
                    }
                }
            }
            dl {
                dt { "E-mail" } dd { a href=(format!("mailto:{}", person.email)) { (person.email) } }
                dt { "Organisation" } dd {
                    @match organisation {
                        Some(o) => a href=(format!("/organisations/{}", o.id)) { (o.name) },
                        None => "—",
                    }
                }
                dt { "Langue" } dd { (person.language.name()) }
            }
            @if is_me {
            section #notifications {
                h2 { "Mes notifications par e-mail" }
                p.muted { "Les invitations et les changements de date, de lieu ou d'annulation vous sont toujours envoyés." }
                form.stack method="post" action="/profil/notifications" {
                    (csrf_field(ctx))
                    (checkbox("Confirmations d'inscription et places libérées", "confirmations", person.notify_confirmations))
                    (checkbox("Rappels avant les réunions", "reminders", person.notify_reminders))
                    (checkbox("Comptes rendus publiés", "minutes", person.notify_minutes))
                    button type="submit" { "Enregistrer mes choix" }
                }
            }
        }
        h2 { "Plateformes et groupes de travail" }
            @if memberships.is_empty() {
                (empty_state("Aucune participation visible."))
            } @else {
                ul {
                    @for m in memberships {
                        li {
                            a href=(m.href) { (m.name) }
                            @if let Some(c) = &m.context { span.muted { " (" (c) ")" } }
                            " " span.badge.badge-coord[m.role == Role::Coordinator] { (m.role.label_fr()) }
                        }
                    }
                }
            }
        },
    )
}

pub fn form(
    ctx: &Ctx,
    existing: Option<&person::Model>,
    form: &PersonForm,
    organisations: &[(String, String)],
    errors: &FieldErrors,
) -> Markup {
    let (title, action) = match existing {
        Some(p) => (
            format!("Modifier « {} »", p.name),
            format!("/personnes/{}", p.id),
        ),
        None => ("Nouvelle personne".to_string(), "/personnes".to_string()),
    };
    let mut orgs = vec![(String::new(), "— Aucune —".to_string())];
    orgs.extend(organisations.iter().cloned());
    let languages: Vec<(String, String)> = Language::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), l.name().to_string()))
        .collect();
    let password_hint = if existing.is_some() {
        "Laissez vide pour garder le mot de passe actuel. Au moins 10 caractères."
    } else {
        "Facultatif : sans mot de passe, la personne figure dans l'annuaire mais ne peut pas se connecter. Au moins 10 caractères."
    };
    page(
        ctx,
        &title,
        html! {
            p.breadcrumb { a href="/personnes" { "Personnes" } " › " }
            h1 { (title) }
            (form_errors(errors))
            form.stack method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (input("Nom et prénom", "name", "text", &form.name, errors, true, None))
                (input("Adresse e-mail", "email", "email", &form.email, errors, true, None))
                (select("Organisation", "organisation_id", &orgs, &form.organisation_id, errors, false))
                (select("Langue préférée", "language", &languages, &form.language, errors, true))
                (input("Mot de passe", "password", "password", "", errors, false, Some(password_hint)))
                (checkbox("Administration du réseau (tous les droits)", "is_admin", form.is_admin.is_some()))
                @if let Some(e) = errors.get("is_admin") { p.field-error { (e) } }
                div.actions {
                    button.primary type="submit" { "Enregistrer" }
                    a href=(existing.map(|p| format!("/personnes/{}", p.id)).unwrap_or_else(|| "/personnes".into())) { "Annuler" }
                }
            }
        },
    )
}

pub fn password_form(ctx: &Ctx, errors: &FieldErrors) -> Markup {
    page(
        ctx,
        "Changer mon mot de passe",
        html! {
            section.narrow {
                h1 { "Changer mon mot de passe" }
                (form_errors(errors))
                form.stack method="post" action="/profil/mot-de-passe" novalidate {
                    (csrf_field(ctx))
                    (input("Mot de passe actuel", "current", "password", "", errors, true, None))
                    (input("Nouveau mot de passe", "new", "password", "", errors, true, Some("Au moins 10 caractères.")))
                    (input("Confirmer le nouveau mot de passe", "confirm", "password", "", errors, true, None))
                    button.primary type="submit" { "Changer le mot de passe" }
                }
            }
        },
    )
}
