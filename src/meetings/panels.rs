//! Panels of meetings shown on the pages of the rooms below (a platform's, a group's): those
//! pages load them with htmx (`hx-get`, `hx-trigger="load"`) and link to them when JavaScript is
//! off, so platforms and groups never name meetings. (A group's attendance panel, `/gt/{id}/presences`,
//! is the yearly table: `super::yearly`.) Asked by htmx, a panel answers the fragment
//! alone; asked by a browser following the link, a whole page.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};

use crate::auth::permissions::Action;
use crate::platforms::{group_ref, platform_ref};
use crate::state::AppState;
use crate::web::AppResult;
use crate::web::Ctx;
use crate::web::extract::Path;
use crate::web::layout::page;

/// As many upcoming meetings as the pages showed before (the agenda has the rest).
const UPCOMING: usize = 8;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plateformes/{slug}/reunions", get(platform_meetings))
        .route("/gt/{id}/reunions", get(group_meetings))
}

/// The fragment for htmx, or a page around it with a way back.
pub(super) fn answer(
    ctx: &Ctx,
    title: &str,
    back: (&str, &str),
    id: &str,
    body: Markup,
) -> Response {
    let fragment = html! { div id=(id) { (body) } };
    if ctx.htmx {
        return fragment.into_response();
    }
    page(
        ctx,
        title,
        html! {
            p.breadcrumb { a href=(back.0) { (back.1) } " › " }
            h1 { (title) }
            (fragment)
        },
    )
    .into_response()
}

/// A platform's next meetings, those the viewer may see.
async fn platform_meetings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let platform = crate::platforms::find_by_slug(&state, &slug).await?;
    ctx.require(Action::ViewPlatform(&platform_ref(&platform)))?;
    let list =
        super::upcoming(&state, &ctx, super::Filter::Platform(platform.id), UPCOMING).await?;
    Ok(answer(
        &ctx,
        &format!("Prochaines réunions — {}", platform.name),
        (&format!("/plateformes/{}", platform.slug), &platform.name),
        "reunions-plateforme",
        list,
    ))
}

/// A working group's next meetings, those the viewer may see.
async fn group_meetings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (group, platform) = crate::groups::find_with_platform(&state, id).await?;
    ctx.require(Action::ViewGroup(&group_ref(&group, &platform)))?;
    let list = super::upcoming(&state, &ctx, super::Filter::Group(group.id), UPCOMING).await?;
    Ok(answer(
        &ctx,
        &format!("Prochaines réunions — {}", group.name),
        (&format!("/gt/{}", group.id), &group.name),
        "reunions-groupe",
        list,
    ))
}
