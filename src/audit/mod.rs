//! The audit log: who changed what and when. Every change writes its entry in the same
//! transaction as the change itself; administrators read the log.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::Utc;
use maud::{Markup, html};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;

use crate::auth::permissions::Action;
use crate::entities::{audit_entry, person};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::Query;
use crate::web::layout::page;
use crate::web::{AppResult, Ctx};

/// Writes one entry. Call it inside the transaction that makes the change.
pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    summary: impl Into<String>,
) -> Result<(), sea_orm::DbErr> {
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        actor_id: Set(actor_id),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        summary: Set(summary.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One entry of the log, before it is written: what was done to which object, in a sentence.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub id: i64,
    pub summary: String,
}

/// How every administration form ends once its change is written in `txn`: the entry written
/// in that same transaction, the transaction committed, and the browser sent to `to` with
/// `message`.
pub async fn commit_and_redirect(
    txn: DatabaseTransaction,
    ctx: &Ctx,
    entry: Entry<'_>,
    to: &str,
    message: impl Into<String>,
) -> AppResult<Response> {
    record(
        &txn,
        ctx.person_id(),
        entry.action,
        entry.entity,
        Some(entry.id),
        entry.summary,
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(to, FlashKind::Success, message))
}

/// Archiving, closing, reopening: `row` written as the caller changed it, then logged; the
/// entry's sentence is also the message shown back at `to`.
pub async fn switch<A>(
    state: &AppState,
    ctx: &Ctx,
    row: A,
    entry: Entry<'_>,
    to: &str,
) -> AppResult<Response>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let txn = crate::db::begin_write(&state.db).await?;
    row.update(&txn).await?;
    let message = entry.summary.clone();
    commit_and_redirect(txn, ctx, entry, to, message).await
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/journal", get(journal))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JournalQuery {
    objet: String,
}

const PAGE_SIZE: u64 = 200;

async fn journal(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<JournalQuery>,
) -> AppResult<Markup> {
    ctx.require(Action::ViewAudit)?;
    let mut select = audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::CreatedAt)
        .order_by_desc(audit_entry::Column::Id)
        .limit(PAGE_SIZE);
    if !query.objet.is_empty() {
        select = select.filter(audit_entry::Column::Entity.eq(query.objet.clone()));
    }
    let entries = select.all(&state.db).await?;
    let actor_ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    let actors = person::Entity::find()
        .filter(person::Column::Id.is_in(actor_ids))
        .all(&state.db)
        .await?;
    let name_of = |id: Option<i64>| {
        id.and_then(|id| actors.iter().find(|p| p.id == id))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "système".to_string())
    };
    Ok(page(
        &ctx,
        "Journal des modifications",
        html! {
            h1 { "Journal des modifications" }
            p.muted { "Les " (PAGE_SIZE) " dernières modifications, les plus récentes d'abord (heures en UTC)." }
            @if entries.is_empty() {
                (crate::web::components::empty_state("Aucune modification enregistrée."))
            } @else {
                table {
                    thead { tr { th { "Quand" } th { "Qui" } th { "Action" } th { "Objet" } th { "Détail" } } }
                    tbody {
                        @for entry in &entries {
                            tr {
                                td { (entry.created_at.format("%d/%m/%Y %H:%M:%S")) }
                                td { (name_of(entry.actor_id)) }
                                td { (entry.action) }
                                td { (entry.entity) @if let Some(id) = entry.entity_id { " #" (id) } }
                                td { (entry.summary) }
                            }
                        }
                    }
                }
            }
        },
    ))
}
