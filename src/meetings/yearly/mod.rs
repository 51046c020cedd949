//! Yearly attendance (the table the network reports each year): per working group and per
//! platform, every meeting and session of a calendar year against every member, with totals;
//! and each person's own year. As a page and as CSV. Coordinators see every row, a member only
//! their own; every column is a meeting the viewer may open.

pub mod load;
pub mod table;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Datelike;

use super::participation::csv_response;
use super::views;
use crate::auth::permissions::Action;
use crate::platforms::{group_ref, platform_ref};
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::layout::page;
use crate::web::{AppError, AppResult, Ctx};
use load::Scope;
use table::Table;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/gt/{id}/presences", get(group_current))
        .route("/gt/{id}/presences/{year}", get(group_year))
        .route("/plateformes/{slug}/presences", get(platform_current))
        .route("/plateformes/{slug}/presences/{year}", get(platform_year))
        .route("/moi/presences", get(mine_current))
        .route("/moi/presences/{year}", get(mine_year))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Html,
    Csv,
}

/// "2027" or "2027.csv"; anything else is no page.
fn parse_year(segment: &str) -> Result<(i32, Format), AppError> {
    let (digits, format) = match segment.strip_suffix(".csv") {
        Some(digits) => (digits, Format::Csv),
        None => (segment, Format::Html),
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::NotFound);
    }
    let year: i32 = digits.parse().map_err(|_| AppError::NotFound)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound);
    }
    Ok((year, format))
}

fn current_year() -> i32 {
    super::now_local().year()
}

/// The table of `scope` for `year`; only the viewer's own row unless `everyone`.
async fn build(
    state: &AppState,
    ctx: &Ctx,
    scope: Scope,
    year: i32,
    everyone: bool,
) -> AppResult<Table> {
    let (columns, marks) = load::columns_and_marks(state, ctx, scope, year).await?;
    let people = load::people(state, scope, &columns, &marks).await?;
    let table = table::build(year, columns, people, &marks);
    Ok(if everyone {
        table
    } else {
        table.only(ctx.person_id())
    })
}

/// The page (or the fragment htmx asked for), or the CSV.
struct Answer<'a> {
    title: String,
    back: (String, &'a str),
    base: String,
    panel_id: &'static str,
    file: String,
}

fn respond(ctx: &Ctx, table: &Table, format: Format, answer: Answer<'_>) -> AppResult<Response> {
    match format {
        Format::Csv => csv_response(&table.csv_rows(), &answer.file),
        Format::Html => Ok(super::panels::answer(
            ctx,
            &answer.title,
            (&answer.back.0, answer.back.1),
            answer.panel_id,
            views::yearly_table(table, &answer.base, current_year()),
        )),
    }
}

async fn group_current(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    group(&state, &ctx, id, current_year(), Format::Html).await
}

async fn group_year(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, year)): Path<(i64, String)>,
) -> AppResult<Response> {
    let (year, format) = parse_year(&year)?;
    group(&state, &ctx, id, year, format).await
}

async fn group(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    year: i32,
    format: Format,
) -> AppResult<Response> {
    let (group, platform) = crate::groups::find_with_platform(state, id).await?;
    let gref = group_ref(&group, &platform);
    ctx.require(Action::ViewGroup(&gref))?;
    ctx.require(Action::ViewGroupAttendance(&gref))?;
    let everyone = ctx.can(Action::ViewEveryonesGroupAttendance(&gref));
    let table = build(state, ctx, Scope::Group(group.id), year, everyone).await?;
    respond(
        ctx,
        &table,
        format,
        Answer {
            title: format!("Présences {year} — {}", group.name),
            back: (format!("/gt/{}", group.id), &group.name),
            base: format!("/gt/{}/presences", group.id),
            panel_id: "presences-groupe",
            file: format!("presences-gt-{}-{year}.csv", group.id),
        },
    )
}

async fn platform_current(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    platform(&state, &ctx, &slug, current_year(), Format::Html).await
}

async fn platform_year(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, year)): Path<(String, String)>,
) -> AppResult<Response> {
    let (year, format) = parse_year(&year)?;
    platform(&state, &ctx, &slug, year, format).await
}

async fn platform(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    year: i32,
    format: Format,
) -> AppResult<Response> {
    let platform = crate::platforms::find_by_slug(state, slug).await?;
    let pref = platform_ref(&platform);
    ctx.require(Action::ViewPlatform(&pref))?;
    ctx.require(Action::ViewPlatformAttendance(&pref))?;
    let everyone = ctx.can(Action::ViewEveryonesPlatformAttendance(&pref));
    let table = build(state, ctx, Scope::Platform(platform.id), year, everyone).await?;
    respond(
        ctx,
        &table,
        format,
        Answer {
            title: format!("Présences {year} — {}", platform.name),
            back: (format!("/plateformes/{}", platform.slug), &platform.name),
            base: format!("/plateformes/{}/presences", platform.slug),
            panel_id: "presences-plateforme",
            file: format!("presences-{}-{year}.csv", platform.slug),
        },
    )
}

async fn mine_current(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    mine(&state, &ctx, current_year(), Format::Html).await
}

async fn mine_year(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(year): Path<String>,
) -> AppResult<Response> {
    let (year, format) = parse_year(&year)?;
    mine(&state, &ctx, year, format).await
}

/// The viewer's own attendance over `year`, across every platform and group.
async fn mine(state: &AppState, ctx: &Ctx, year: i32, format: Format) -> AppResult<Response> {
    let me = ctx.signed_in()?.id;
    let table = build(state, ctx, Scope::Person(me), year, false).await?;
    match format {
        Format::Csv => csv_response(&table.own_csv_rows(), &format!("mes-presences-{year}.csv")),
        Format::Html => Ok(page(
            ctx,
            &format!("Mes présences {year}"),
            maud::html! {
                h1 { "Mes présences " (year) }
                p.muted { "Les réunions et les séances où votre présence a été notée, toutes plateformes et tous groupes confondus." }
                (views::my_year(&table, current_year()))
            },
        )
        .into_response()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_segment_is_four_digits_with_or_without_csv() {
        assert_eq!(parse_year("2027").ok(), Some((2027, Format::Html)));
        assert_eq!(parse_year("2027.csv").ok(), Some((2027, Format::Csv)));
        for bad in [
            "+2027",
            "27",
            "20270",
            "2027.xlsx",
            "1999",
            "abcd",
            "",
            ".csv",
        ] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
    }
}
