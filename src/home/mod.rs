//! The home page: a signed-in person's platforms and working groups; for visitors, the public
//! platforms and how to follow them.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::permissions::{Action, Role};
use crate::entities::working_group::GroupStatus;
use crate::entities::{platform, working_group};
use crate::platforms::{self, platform_ref};
use crate::state::AppState;
use crate::web::components::empty_state;
use crate::web::layout::page;
use crate::web::{AppResult, Ctx};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    let Some(me) = ctx.viewer.clone() else {
        let public: Vec<platform::Model> = platforms::visible(&state, &ctx).await?;
        return Ok(page(
            &ctx,
            "Accueil",
            html! {
                h1 { "Le réseau provincial d'intégration de Namur" }
                p { "maillage coordonne les plateformes thématiques du réseau, leurs groupes de travail, leurs réunions et leurs constats de terrain." }
                h2 { "Plateformes publiques" }
                @if public.is_empty() { (empty_state("Aucune plateforme publique pour l'instant.")) }
                ul.grid {
                    @for p in &public {
                        li.card { h3 { a href=(format!("/plateformes/{}", p.slug)) { (p.name) } } @if !p.theme.is_empty() { p.muted { (p.theme) } } }
                    }
                }
                p { "Vous êtes membre du réseau ? " a href="/connexion" { "Connectez-vous" } " pour voir vos plateformes et vos groupes de travail." }
            },
        ));
    };
    let platform_ids: Vec<i64> = ctx.actor.platforms.keys().copied().collect();
    let group_ids: Vec<i64> = ctx.actor.groups.keys().copied().collect();
    let my_platforms = platform::Entity::find()
        .filter(platform::Column::Id.is_in(platform_ids))
        .order_by_asc(platform::Column::Name)
        .all(&state.db)
        .await?;
    let my_groups = working_group::Entity::find()
        .filter(working_group::Column::Id.is_in(group_ids))
        .order_by_asc(working_group::Column::Name)
        .all(&state.db)
        .await?;
    let group_platforms = platform::Entity::find()
        .filter(platform::Column::Id.is_in(my_groups.iter().map(|g| g.platform_id)))
        .all(&state.db)
        .await?;
    let role_badge = |role: Option<&Role>| {
        html! {
            @if let Some(role) = role { " " span.badge.badge-coord[*role == Role::Coordinator] { (role.label_fr()) } }
        }
    };
    Ok(page(
        &ctx,
        "Accueil",
        html! {
            h1 { "Bonjour " (me.name) }
            @if ctx.actor.is_admin {
                div.card {
                    strong { "Administration du réseau : " }
                    a href="/plateformes/nouvelle" { "créer une plateforme" } " · "
                    a href="/organisations/nouvelle" { "ajouter une organisation" } " · "
                    a href="/personnes/nouvelle" { "ajouter une personne" } " · "
                    a href="/admin/journal" { "journal des modifications" }
                }
            }
            h2 { "Mes plateformes" }
            @if my_platforms.is_empty() {
                (empty_state("Vous ne faites encore partie d'aucune plateforme."))
            } @else {
                ul.grid {
                    @for p in &my_platforms {
                        li.card {
                            h3 { a href=(format!("/plateformes/{}", p.slug)) { (p.name) } (platforms::views_badges(p)) }
                            p { (role_badge(ctx.actor.platforms.get(&p.id))) }
                        }
                    }
                }
            }
            h2 { "Mes groupes de travail" }
            @if my_groups.is_empty() {
                (empty_state("Vous ne faites encore partie d'aucun groupe de travail."))
            } @else {
                ul.grid {
                    @for g in &my_groups {
                        @let p = group_platforms.iter().find(|p| p.id == g.platform_id);
                        @if p.is_some_and(|p| ctx.can(Action::ViewPlatform(&platform_ref(p)))) {
                            li.card {
                                h3 { a href=(format!("/gt/{}", g.id)) { (g.name) } @if g.status == GroupStatus::Closed { " " span.badge.badge-archived { "clôturé" } } }
                                p.muted { (p.map(|p| p.name.as_str()).unwrap_or("")) }
                                p { (role_badge(ctx.actor.groups.get(&g.id))) }
                            }
                        }
                    }
                }
            }
            p { a href="/plateformes" { "Voir toutes les plateformes du réseau" } }
        },
    ))
}
