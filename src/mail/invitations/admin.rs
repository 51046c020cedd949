//! The administrator's view of the outbox: the last messages and each one as sent.

use axum::extract::State;
use maud::{Markup, html};
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};

use crate::auth::permissions::Action;
use crate::entities::outbox_message;
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::layout::page;
use crate::web::{AppError, AppResult, Ctx};

pub(super) async fn outbox_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::ViewAudit)?;
    let messages = outbox_message::Entity::find()
        .order_by_desc(outbox_message::Column::Id)
        .limit(200)
        .all(&state.db)
        .await?;
    let health = state.mailer.health();
    Ok(page(
        &ctx,
        "Courriels",
        html! {
            h1 { "Courriels envoyés par maillage" }
            p { "Envoi : " strong { (state.mailer.describe()) } "." }
            @if let Some(problem) = health { div.flash.flash-error role="alert" { "Problème d'envoi : " (problem) ". Les messages attendent dans la file et partiront dès que possible." } }
            @if messages.is_empty() { p.empty { "Aucun courriel pour l'instant." } } @else {
                table {
                    thead { tr { th { "Quand" } th { "Type" } th { "À" } th { "Objet" } th { "État" } } }
                    tbody {
                        @for m in &messages {
                            tr {
                                td { (m.created_at.format("%d/%m/%Y %H:%M")) }
                                td { (m.kind.as_str()) }
                                td { (m.recipient) }
                                td { a href=(format!("/admin/courriels/{}", m.id)) { (m.subject) } }
                                td { (m.status.label_fr()) @if m.attempts > 1 { " (" (m.attempts) " essais)" } @if !m.last_error.is_empty() { br; span.muted { (m.last_error) } } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub(super) async fn outbox_message_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Markup> {
    ctx.require(Action::ViewAudit)?;
    let m = outbox_message::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(page(
        &ctx,
        &m.subject,
        html! {
            p.breadcrumb { a href="/admin/courriels" { "Courriels" } " › " }
            h1 { (m.subject) }
            p { "À " (m.recipient) " — " (m.status.label_fr()) }
            pre.eml { (m.message) }
        },
    ))
}
