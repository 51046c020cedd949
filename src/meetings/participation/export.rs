//! The CSV export of a meeting's registrations.

use super::rows;
use crate::auth::permissions::Action;
use crate::entities::workshop;
use crate::meetings::load;
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::{AppError, AppResult, Ctx};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// Spreadsheets run a cell starting with = + - @ (or a tab or carriage return before one) as a
/// formula: such a value is written after an apostrophe, which they show as text.
pub(super) fn csv_guard(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// Semicolon-separated (what spreadsheets in Belgium expect), every field quoted and guarded,
/// CRLF line ends, after a UTF-8 byte-order mark.
pub(super) fn csv_text(rows: &[Vec<String>]) -> Result<String, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    for row in rows {
        writer
            .write_record(row.iter().map(|f| csv_guard(f)))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("export CSV : {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("export CSV : {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("export CSV : {e}")))
}

pub(super) async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let rows = rows(&state, &super::At::meeting(id)).await?;
    let workshops: BTreeMap<i64, workshop::Model> = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let mut table = vec![
        [
            "Nom",
            "Organisation",
            "E-mail",
            "Inscription",
            "Place en attente",
            "Repas",
            "Ateliers",
            "Présence",
            "Remarque",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for row in &rows {
        let ateliers = row
            .assigned
            .iter()
            .filter_map(|w| workshops.get(w))
            .map(|w| format!("{} {}", w.slot_start, w.title))
            .collect::<Vec<_>>()
            .join(" / ");
        table.push(vec![
            row.person.name.clone(),
            row.organisation.clone().unwrap_or_default(),
            row.person.email.clone(),
            row.registration.status.label_fr().to_string(),
            row.waiting_place.map(|p| p.to_string()).unwrap_or_default(),
            row.registration.meal.clone(),
            ateliers,
            row.attendance.map_or("", |a| a.label_fr()).to_string(),
            row.registration.note.clone(),
        ]);
    }
    csv_response(&table, &format!("inscriptions-reunion-{id}.csv"))
}

/// `rows` as a CSV download named `filename` (an ASCII name: no quoting needed).
pub(crate) fn csv_response(rows: &[Vec<String>], filename: &str) -> AppResult<Response> {
    let out = csv_text(rows)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        out,
    )
        .into_response())
}
