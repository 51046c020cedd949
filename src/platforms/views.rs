use maud::{Markup, html};

use super::platform_ref;
use super::rules::{PlatformForm, Visibility, visibility_label};
use crate::auth::permissions::Action;
use crate::entities::working_group::GroupStatus;
use crate::entities::{platform, working_group};
use crate::web::Ctx;
use crate::web::components::{
    FieldErrors, empty_state, form_errors, input, lazy_panel, post_button, select, textarea,
};
use crate::web::layout::{csrf_field, page, paragraphs};

pub fn badges(p: &platform::Model) -> Markup {
    html! {
        @if p.visibility == Visibility::Members { " " span.badge.badge-private { "réservée aux membres" } }
        @if p.archived { " " span.badge.badge-archived { "archivée" } }
    }
}

pub fn list(ctx: &Ctx, rows: &[(platform::Model, usize)], can_create: bool) -> Markup {
    page(
        ctx,
        "Plateformes",
        html! {
            div.page-head {
                h1 { "Plateformes provinciales" }
                @if can_create { a.button.primary href="/plateformes/nouvelle" { "Nouvelle plateforme" } }
            }
            @if rows.is_empty() {
                (empty_state("Aucune plateforme visible pour l'instant."))
            } @else {
                ul.grid {
                    @for (p, groups) in rows {
                        li.card {
                            h3 { a href=(format!("/plateformes/{}", p.slug)) { (p.name) } (badges(p)) }
                            @if !p.theme.is_empty() { p.muted { (p.theme) } }
                            p { (groups) " groupe" @if *groups != 1 { "s" } " de travail actif" @if *groups != 1 { "s" } }
                        }
                    }
                }
            }
        },
    )
}

pub fn show(
    ctx: &Ctx,
    p: &platform::Model,
    groups: &[working_group::Model],
    members_panel: Markup,
    can_schedule: bool,
) -> Markup {
    let pref = platform_ref(p);
    page(
        ctx,
        &p.name,
        html! {
            p.breadcrumb { a href="/plateformes" { "Plateformes" } " › " }
            div.page-head {
                h1 { (p.name) (badges(p)) }
                div.actions {
                    @if ctx.can(Action::EditPlatform(&pref)) {
                        a.button href=(format!("/plateformes/{}/modifier", p.slug)) { "Modifier" }
                    }
                    @if ctx.can(Action::ArchivePlatform(&pref)) {
                        @if p.archived {
                            (post_button(&ctx.csrf_token, &format!("/plateformes/{}/reactiver", p.slug), "Réactiver", ""))
                        } @else {
                            (post_button(&ctx.csrf_token, &format!("/plateformes/{}/archiver", p.slug), "Archiver", "danger"))
                        }
                    }
                }
            }
            @if !p.theme.is_empty() { p.muted { (p.theme) } }
            div.two-cols {
                div {
                    @if p.description.is_empty() { (empty_state("Pas encore de description.")) } @else { (paragraphs(&p.description)) }
                div.page-head {
                    h2 { "Prochaines réunions" }
                    @if can_schedule {
                        a.button.small href=(format!("/reunions/nouvelle?portee=platform:{}", p.id)) { "Programmer une réunion" }
                    }
                }
                // The meetings room serves the list (loaded here; a link without JavaScript).
                (lazy_panel(&format!("/plateformes/{}/reunions", p.slug), "reunions-plateforme", "Voir les réunions de la plateforme"))
                // The yearly attendance table (served by the meetings room): a plain link.
                @if ctx.can(Action::ViewPlatformAttendance(&pref)) {
                    p { a href=(format!("/plateformes/{}/presences", p.slug)) { "Présences de l'année" } }
                }
                    div.page-head {
                        h2 { "Groupes de travail" }
                        @if ctx.can(Action::CreateGroup(&pref)) {
                            a.button.small href=(format!("/plateformes/{}/gt/nouveau", p.slug)) { "Nouveau groupe de travail" }
                        }
                    }
                    @if groups.is_empty() {
                        (empty_state("Aucun groupe de travail."))
                    } @else {
                        ul.grid {
                            @for g in groups {
                                li.card {
                                    h3 {
                                        a href=(format!("/gt/{}", g.id)) { (g.name) }
                                        @if g.status == GroupStatus::Closed { " " span.badge.badge-archived { "clôturé" } }
                                    }
                                    @if !g.mandate.is_empty() { p.muted { (g.mandate.chars().take(180).collect::<String>()) @if g.mandate.chars().count() > 180 { "…" } } }
                                }
                            }
                        }
                    }
                }
                div {
                (members_panel)
                @if pref.public && !pref.archived {
                    (crate::web::components::subscribe(&format!("L'agenda de la plateforme {}", p.name), &format!("{}/agenda/plateformes/{}.ics", ctx.base_url, p.slug)))
                }
            }
            }
        },
    )
}

pub fn form(
    ctx: &Ctx,
    existing: Option<&platform::Model>,
    form: &PlatformForm,
    errors: &FieldErrors,
) -> Markup {
    let (title, action, back) = match existing {
        Some(p) => (
            format!("Modifier « {} »", p.name),
            format!("/plateformes/{}", p.slug),
            format!("/plateformes/{}", p.slug),
        ),
        None => (
            "Nouvelle plateforme".to_string(),
            "/plateformes".to_string(),
            "/plateformes".to_string(),
        ),
    };
    let visibilities: Vec<(String, String)> = Visibility::ALL
        .iter()
        .map(|v| (v.as_str().to_string(), visibility_label(*v).to_string()))
        .collect();
    page(
        ctx,
        &title,
        html! {
            p.breadcrumb { a href="/plateformes" { "Plateformes" } " › " }
            h1 { (title) }
            (form_errors(errors))
            form.stack method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (input("Nom", "name", "text", &form.name, errors, true, Some("Par exemple : Sociojuridique")))
                (input("Adresse courte", "slug", "text", &form.slug, errors, false, Some("Utilisée dans l'adresse de la page. Laissez vide pour la déduire du nom.")))
                (input("Thème", "theme", "text", &form.theme, errors, false, Some("Une ligne, par exemple : accompagnement social et juridique en droit des étrangers")))
                (textarea("Description", "description", &form.description, errors, None))
                (select("Visibilité", "visibility", &visibilities, &form.visibility, errors, true))
                div.actions {
                    button.primary type="submit" { "Enregistrer" }
                    a href=(back) { "Annuler" }
                }
            }
        },
    )
}
