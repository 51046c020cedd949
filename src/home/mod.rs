//! The home page, per role: a coordinator follows their next meetings (registrations and
//! answers to date), invitations still unanswered, emails that failed and minutes to write; a
//! member sees their next meetings, invitations waiting for their answer and their platforms'
//! latest minutes; everyone signed in, their platforms and groups; a visitor, the public agenda,
//! the public platforms and how to subscribe to their calendars. The home room composes from
//! above: it reads meetings and mail (`queries`), the rooms below never name it.

mod counts;
mod queries;
mod views;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::permissions::{Action, Role};
use crate::entities::working_group::GroupStatus;
use crate::entities::{platform, working_group};
use crate::mail::MailContext;
use crate::mail::notify::answer_links;
use crate::platforms::{self, platform_ref};
use crate::state::AppState;
use crate::web::components::empty_state;
use crate::web::layout::page;
use crate::web::{AppResult, Ctx};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    let now = chrono::Utc::now();
    let Some(me) = ctx.viewer.clone() else {
        let public: Vec<platform::Model> = platforms::visible(&state, &ctx).await?;
        let agenda = queries::public_agenda(&state, &ctx, now).await?;
        return Ok(page(
            &ctx,
            "Accueil",
            html! {
                h1 { "Le réseau provincial d'intégration de Namur" }
                p { "maillage coordonne les plateformes thématiques du réseau, leurs groupes de travail, leurs réunions et leurs constats de terrain." }
                (views::public_agenda(&agenda))
                (views::how_to_subscribe(&ctx.base_url, &public))
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
    let coordination = if ctx.actor.is_coordinator() {
        Some(coordination(&state, &ctx, now).await?)
    } else {
        None
    };
    let member = member_sections(&state, &ctx, now).await?;
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
            @if let Some(coordination) = coordination { (coordination) }
            (member)
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

/// What a coordinator follows, for the meetings of what they coordinate.
async fn coordination(
    state: &AppState,
    ctx: &Ctx,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Markup> {
    let next = queries::next_sessions(state, ctx, queries::Scope::Coordinated, now).await?;
    let tallies = counts::tallies(state, &next).await?;
    let (unanswered, unanswered_total) =
        queries::pending_invitations(state, ctx, false, now).await?;
    let (failures, failures_total) = queries::failed_emails(state, ctx, now).await?;
    let (minutes, minutes_total) = queries::minutes_to_write(state, ctx, now).await?;
    Ok(html! {
        div.home-coordination {
            (views::coordinator_next(&next, &tallies))
            (views::unanswered(&unanswered, unanswered_total))
            (views::failures(&failures, failures_total))
            (views::minutes_to_write(&minutes, minutes_total))
        }
    })
}

/// What a signed-in person has to do or to read: their next meetings, invitations waiting for
/// their answer, the latest minutes of their platforms.
async fn member_sections(
    state: &AppState,
    ctx: &Ctx,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Markup> {
    let next = queries::next_sessions(state, ctx, queries::Scope::Member, now).await?;
    let registered = counts::registered(state, ctx, &next).await?;
    let (invited, total) = queries::pending_invitations(state, ctx, true, now).await?;
    let mail = MailContext::of(state);
    let invited: Vec<_> = invited
        .into_iter()
        .map(|i| {
            let links = answer_links(&mail, i.invitation.id, &i.loaded.meeting);
            (i, links)
        })
        .collect();
    let minutes = queries::latest_minutes(state, ctx, now).await?;
    Ok(html! {
        (views::member_next(&next, &registered))
        (views::my_invitations(&invited, total))
        (views::latest_minutes(&minutes))
    })
}
