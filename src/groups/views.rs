use maud::{Markup, html};

use super::GroupForm;
use crate::auth::permissions::Action;
use crate::entities::working_group::GroupStatus;
use crate::entities::{platform, working_group};
use crate::platforms::group_ref;
use crate::web::Ctx;
use crate::web::components::{
    FieldErrors, empty_state, form_errors, input, lazy_panel, post_button, textarea,
};
use crate::web::layout::{csrf_field, page, paragraphs};

pub fn show(
    ctx: &Ctx,
    group: &working_group::Model,
    platform: &platform::Model,
    members_panel: Markup,
    can_schedule: bool,
    attendance: bool,
) -> Markup {
    let gref = group_ref(group, platform);
    page(
        ctx,
        &group.name,
        html! {
            p.breadcrumb {
                a href="/plateformes" { "Plateformes" } " › "
                a href=(format!("/plateformes/{}", platform.slug)) { (platform.name) } " › "
            }
            div.page-head {
                h1 {
                    (group.name)
                    @if group.status == GroupStatus::Closed { " " span.badge.badge-archived { "clôturé" } }
                }
                @if ctx.can(Action::EditGroup(&gref)) {
                    div.actions {
                        a.button href=(format!("/gt/{}/modifier", group.id)) { "Modifier" }
                        @if group.status == GroupStatus::Closed {
                            (post_button(&ctx.csrf_token, &format!("/gt/{}/rouvrir", group.id), "Rouvrir", ""))
                        } @else {
                            (post_button(&ctx.csrf_token, &format!("/gt/{}/cloturer", group.id), "Clôturer", "danger"))
                        }
                    }
                }
            }
            p.muted { "Groupe de travail de la plateforme " a href=(format!("/plateformes/{}", platform.slug)) { (platform.name) } }
            div.two-cols {
                div {
                    h2 { "Mandat" }
                    @if group.mandate.is_empty() { (empty_state("Le mandat n'est pas encore rédigé.")) } @else { (paragraphs(&group.mandate)) }
                div.page-head {
                    h2 { "Prochaines réunions" }
                    @if can_schedule {
                        a.button.small href=(format!("/reunions/nouvelle?portee=group:{}", group.id)) { "Programmer une réunion" }
                    }
                }
                // The meetings room serves the list and the attendance table (loaded here; a
                // link without JavaScript).
                (lazy_panel(&format!("/gt/{}/reunions", group.id), "reunions-groupe", "Voir les réunions du groupe"))
                @if attendance {
                    (lazy_panel(&format!("/gt/{}/presences", group.id), "presences-groupe", "Voir les présences de l'année"))
                }
                }
                div {
                (members_panel)
                @if gref.platform.public && !gref.platform.archived {
                    (crate::web::components::subscribe(&format!("L'agenda du groupe {}", group.name), &format!("{}/agenda/gt/{}.ics", ctx.base_url, group.id)))
                }
            }
            }
        },
    )
}

pub fn form(
    ctx: &Ctx,
    platform: &platform::Model,
    existing: Option<&working_group::Model>,
    form: &GroupForm,
    errors: &FieldErrors,
) -> Markup {
    let (title, action, back) = match existing {
        Some(g) => (
            format!("Modifier « {} »", g.name),
            format!("/gt/{}", g.id),
            format!("/gt/{}", g.id),
        ),
        None => (
            format!("Nouveau groupe de travail — {}", platform.name),
            format!("/plateformes/{}/gt", platform.slug),
            format!("/plateformes/{}", platform.slug),
        ),
    };
    page(
        ctx,
        &title,
        html! {
            p.breadcrumb {
                a href="/plateformes" { "Plateformes" } " › "
                a href=(format!("/plateformes/{}", platform.slug)) { (platform.name) } " › "
            }
            h1 { (title) }
            (form_errors(errors))
            form.stack method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (input("Nom", "name", "text", &form.name, errors, true, Some("Par exemple : Relevé de constats et interpellations")))
                (textarea("Mandat", "mandate", &form.mandate, errors, Some("Ce que le groupe doit produire, pour qui, et d'ici quand.")))
                div.actions {
                    button.primary type="submit" { "Enregistrer" }
                    a href=(back) { "Annuler" }
                }
            }
        },
    )
}
