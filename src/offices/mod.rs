//! The eight reception offices of the province and the municipalities they cover: reference
//! data (loaded by a migration) that organisations, findings and meetings are tagged with.

use std::collections::BTreeMap;
use std::collections::HashMap;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};
use sea_orm::{EntityTrait, QueryOrder};

use crate::entities::{municipality, reception_office};
use crate::state::AppState;
use crate::web::layout::page;
use crate::web::{AppResult, Ctx};

pub fn routes() -> Router<AppState> {
    Router::new().route("/bureaux", get(list))
}

/// Municipality names by id.
pub async fn municipality_names(state: &AppState) -> AppResult<HashMap<i64, String>> {
    Ok(municipality::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
}

/// (id, "Commune (bureau)") sorted by name, for select fields.
pub async fn municipality_options(state: &AppState) -> AppResult<Vec<(String, String)>> {
    let offices: HashMap<i64, String> = reception_office::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|m| {
            let office = offices.get(&m.office_id).cloned().unwrap_or_default();
            (m.id.to_string(), format!("{} (bureau de {office})", m.name))
        })
        .collect())
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    let offices = reception_office::Entity::find()
        .order_by_asc(reception_office::Column::Name)
        .all(&state.db)
        .await?;
    let mut by_office: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for m in municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(&state.db)
        .await?
    {
        by_office.entry(m.office_id).or_default().push(m.name);
    }
    Ok(page(
        &ctx,
        "Bureaux d'accueil",
        html! {
            h1 { "Bureaux d'accueil de la province" }
            p.muted { "Huit bureaux d'accueil couvrent les communes de la province de Namur." }
            ul.grid {
                @for office in &offices {
                    li.card {
                        h3 { (office.name) }
                        @if !office.schedule.is_empty() { p { "Permanences : " (office.schedule) } }
                        p { a href=(format!("/reunions?bureau={}", office.id)) { "Ses permanences et réunions dans l'agenda" } }
                        p {
                            a href=(crate::web::components::webcal(&format!("{}/agenda/bureaux/{}.ics", ctx.base_url, office.slug))) { "S'abonner à l'agenda du bureau" }
                            " · "
                            a href=(format!("/agenda/bureaux/{}.ics", office.slug)) { "adresse https" }
                        }
                        p.muted {
                            "Communes : "
                            (by_office.get(&office.id).map(|v| v.join(", ")).unwrap_or_default())
                        }
                    }
                }
            }
        },
    ))
}
