use maud::{Markup, html};

use super::{MemberRow, Scope};
use crate::auth::permissions::Role;
use crate::entities::person;
use crate::web::Ctx;
use crate::web::components::empty_state;
use crate::web::layout::{csrf_field, page};

fn role_options(selected: Role) -> Markup {
    html! {
        @for role in Role::ALL {
            option value=(role.as_str()) selected[role == selected] { (role.label_fr()) }
        }
    }
}

/// The members of a platform or group, by organisation, with the inline tools for those who
/// may manage them. htmx swaps this whole section after each change.
pub fn panel(
    ctx: &Ctx,
    scope: &Scope,
    members: &[MemberRow],
    can_manage: bool,
    message: Option<&str>,
) -> Markup {
    let base = scope.base();
    let show_people = ctx.viewer.is_some();
    let coordinators: Vec<&MemberRow> = members
        .iter()
        .filter(|m| m.role == Role::Coordinator)
        .collect();
    let mut groups: Vec<(&str, Vec<&MemberRow>)> = Vec::new();
    for m in members {
        let org = m.organisation.as_deref().unwrap_or("Sans organisation");
        match groups.last_mut() {
            Some((name, rows)) if *name == org => rows.push(m),
            _ => groups.push((org, vec![m])),
        }
    }
    html! {
        section #membres .members aria-labelledby="membres-titre" {
            h2 #membres-titre { "Membres (" (members.len()) ")" }
            @if let Some(message) = message {
                div.flash.flash-ok role="status" { (message) }
            }
            p {
                strong { "Coordination : " }
                @if coordinators.is_empty() { span.muted { "personne pour l'instant" } }
                @for (i, c) in coordinators.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/personnes/{}", c.person.id)) { (c.person.name) }
                }
            }
            @if members.is_empty() {
                (empty_state("Aucun membre pour l'instant."))
            }
            @if !show_people && !groups.is_empty() {
                // Visitors without an account see the member organisations, not the people.
                h3 { "Organisations membres" }
                ul {
                    @for (org, rows) in &groups {
                        li { (org) span.muted { " (" (rows.len()) ")" } }
                    }
                }
                p.muted { a href="/connexion" { "Connectez-vous" } " pour voir les personnes." }
            }
            @for (org, rows) in groups.iter().filter(|_| show_people) {
                div.member-org {
                    h3 { (org) }
                    ul.results {
                        @for m in rows {
                            li data-person=(m.person.id) {
                                span {
                                    a href=(format!("/personnes/{}", m.person.id)) { (m.person.name) }
                                    " "
                                    @if !can_manage && m.role != Role::Member {
                                        span.badge.badge-coord[m.role == Role::Coordinator] { (m.role.label_fr()) }
                                    }
                                }
                                @if can_manage {
                                    span.actions {
                                        form.role-form method="post" action=(format!("{base}/membres/{}/role", m.person.id))
                                            hx-post=(format!("{base}/membres/{}/role", m.person.id)) hx-target="#membres" hx-swap="outerHTML" hx-trigger="change, submit" {
                                            (csrf_field(ctx))
                                            label.visually-hidden for=(format!("role-{}", m.person.id)) { "Rôle de " (m.person.name) }
                                            select id=(format!("role-{}", m.person.id)) name="role" { (role_options(m.role)) }
                                            button.small type="submit" { "Changer" }
                                        }
                                        form.inline method="post" action=(format!("{base}/membres/{}/retirer", m.person.id))
                                            hx-post=(format!("{base}/membres/{}/retirer", m.person.id)) hx-target="#membres" hx-swap="outerHTML"
                                            hx-confirm=(format!("Retirer {} de « {} » ?", m.person.name, scope.name())) {
                                            (csrf_field(ctx))
                                            button.small.danger type="submit" { "Retirer" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if can_manage {
                div.picker {
                    form.picker-row method="get" action=(format!("{base}/membres/ajouter")) role="search" {
                        div.field {
                            label for="picker-q" { "Ajouter une personne" }
                            p.hint { "Tapez un nom, une adresse e-mail ou une organisation." }
                            input #picker-q type="search" name="q" autocomplete="off"
                                hx-get=(format!("{base}/membres/ajouter")) hx-trigger="input changed delay:250ms, search"
                                hx-target="#picker-results" hx-swap="innerHTML";
                        }
                        button type="submit" { "Rechercher" }
                    }
                    div #picker-results aria-live="polite" {}
                }
            }
        }
    }
}

/// The people found, each with a role to choose and an "Ajouter" button.
/// `inline`: inside the panel (htmx swaps the panel); otherwise plain forms.
pub fn results(
    ctx: &Ctx,
    scope: &Scope,
    q: &str,
    found: &[(person::Model, Option<String>)],
    inline: bool,
) -> Markup {
    let base = scope.base();
    let hx_post = inline.then(|| format!("{base}/membres"));
    let hx_target = inline.then_some("#membres");
    let hx_swap = inline.then_some("outerHTML");
    html! {
        @if found.is_empty() {
            @if !q.trim().is_empty() {
                p.empty { "Aucune personne (hors membres actuels) ne correspond à « " (q) " »." }
            }
        } @else {
            ul.results.picker-results {
                @for (p, org) in found {
                    li {
                        span { strong { (p.name) } @if let Some(org) = org { span.muted { " — " (org) } } }
                        form.role-form method="post" action=(format!("{base}/membres"))
                            hx-post=[hx_post.as_deref()] hx-target=[hx_target] hx-swap=[hx_swap] {
                            (csrf_field(ctx))
                            input type="hidden" name="person_id" value=(p.id);
                            label.visually-hidden for=(format!("add-role-{}", p.id)) { "Rôle de " (p.name) }
                            select id=(format!("add-role-{}", p.id)) name="role" { (role_options(Role::Member)) }
                            button.small.primary type="submit" data-add=(p.id) { "Ajouter" }
                        }
                    }
                }
            }
        }
    }
}

/// Without JavaScript: a page with the search form and the results.
pub fn picker_page(
    ctx: &Ctx,
    scope: &Scope,
    q: &str,
    found: &[(person::Model, Option<String>)],
) -> Markup {
    let base = scope.base();
    page(
        ctx,
        "Ajouter une personne",
        html! {
            p.breadcrumb { a href=(base) { (scope.name()) } " › " }
            h1 { "Ajouter une personne à « " (scope.name()) " »" }
            form.picker-row method="get" action=(format!("{base}/membres/ajouter")) role="search" {
                div.field {
                    label for="picker-q" { "Nom, adresse e-mail ou organisation" }
                    input #picker-q type="search" name="q" value=(q) autofocus;
                }
                button type="submit" { "Rechercher" }
            }
            div #picker-results { (results(ctx, scope, q, found, false)) }
            p { a href=(base) { "Retour à « " (scope.name()) " »" } }
        },
    )
}
