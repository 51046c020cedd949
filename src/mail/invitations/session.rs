//! Inviting people to one session of a series: `/reunions/{id}/{date}/invitations` (the date is
//! the session's original start date, its stable address). The page shows the session, who is
//! invited to it (to it alone, or to the whole series) with their answer for it, and the form;
//! the POST sends invitations whose calendar is the series' UID with the session's
//! RECURRENCE-ID. Same rights, checks and limits as inviting to the whole meeting.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use super::invite::send;
use crate::auth::permissions::Action;
use crate::entities::invitation::Answer;
use crate::entities::meeting::MeetingStatus;
use crate::entities::{invitation, occurrence, session_answer};
use crate::mail::notify::Session;
use crate::meetings::views::invitation_form;
use crate::meetings::{self, Loaded, index};
use crate::state::AppState;
use crate::web::components::empty_state;
use crate::web::extract::{Form, Path};
use crate::web::layout::page;
use crate::web::{AppError, AppResult, Ctx};

/// The session of meeting `id` at `date` (`YYYY-MM-DD`, its original start date); not found
/// when the date cannot be read or the series has no session that day.
pub(super) async fn session_at(
    state: &AppState,
    id: i64,
    date: &str,
) -> AppResult<occurrence::Model> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    index::session_on(&state.db, id, day)
        .await?
        .ok_or(AppError::NotFound)
}

/// One line of the session's invitations: who, to what, their answer for this session.
struct Line {
    invitation: invitation::Model,
    whole_series: bool,
    answer: Answer,
}

/// What the page shows.
struct SessionInvitations {
    loaded: Loaded,
    session: occurrence::Model,
    lines: Vec<Line>,
    people: Vec<(String, String)>,
}

async fn data(
    state: &AppState,
    loaded: Loaded,
    session: occurrence::Model,
) -> AppResult<SessionInvitations> {
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(loaded.meeting.id))
        .filter(
            Condition::any()
                .add(invitation::Column::OccurrenceId.is_null())
                .add(invitation::Column::OccurrenceId.eq(session.id)),
        )
        .order_by_asc(invitation::Column::Name)
        .order_by_asc(invitation::Column::Email)
        .all(&state.db)
        .await?;
    let answers = session_answer::Entity::find()
        .filter(session_answer::Column::OccurrenceId.eq(session.id))
        .all(&state.db)
        .await?;
    let lines = invitations
        .into_iter()
        .map(|i| {
            let own = answers
                .iter()
                .find(|a| a.invitation_id == i.id)
                .map(|a| a.answer);
            Line {
                whole_series: i.occurrence_id.is_none(),
                answer: own.unwrap_or(i.answer),
                invitation: i,
            }
        })
        .collect();
    let people = crate::people::search(state, "", usize::MAX)
        .await?
        .into_iter()
        .map(|(p, org)| {
            (
                p.id.to_string(),
                match org {
                    Some(o) => format!("{} ({o})", p.name),
                    None => p.name,
                },
            )
        })
        .collect();
    Ok(SessionInvitations {
        loaded,
        session,
        lines,
        people,
    })
}

/// GET: the session's invitations and the form.
pub(super) async fn session_invitations(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, date)): Path<(i64, String)>,
) -> AppResult<Response> {
    let loaded = meetings::load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let session = session_at(&state, id, &date).await?;
    let data = data(&state, loaded, session).await?;
    Ok(view(&ctx, &data, None, &[]).into_response())
}

/// POST: invites to the session. A refusal writes nothing and shows the page again with the
/// message and what was chosen and typed: 422 (what was asked cannot be done), 429 (the daily
/// cap).
pub(super) async fn invite_to_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, date)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = meetings::load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let session = session_at(&state, id, &date).await?;
    let (status, message) = match send(&state, &ctx, id, Some(&session), &pairs).await {
        Err(AppError::BadRequest(message)) => (StatusCode::UNPROCESSABLE_ENTITY, message),
        Err(AppError::TooManyRequests(message)) => (StatusCode::TOO_MANY_REQUESTS, message),
        done => return done,
    };
    let data = data(&state, loaded, session).await?;
    Ok((status, view(&ctx, &data, Some(&message), &pairs)).into_response())
}

fn view(
    ctx: &Ctx,
    data: &SessionInvitations,
    refusal: Option<&str>,
    typed: &[(String, String)],
) -> Markup {
    let m = &data.loaded.meeting;
    let session = Session::of(&data.session);
    let date = session.original.date().format("%Y-%m-%d").to_string();
    let action = format!("/reunions/{}/{date}/invitations", m.id);
    let count = |answer: Answer| data.lines.iter().filter(|l| l.answer == answer).count();
    let open = m.status != MeetingStatus::Cancelled
        && !data.session.cancelled
        && data.session.ends_at >= chrono::Utc::now();
    let title = format!("Invitations — {}", session.when_fr(m.all_day));
    page(
        ctx,
        &title,
        html! {
            section {
                p.muted { a href=(format!("/reunions/{}", m.id)) { (m.title) } " › " a href=(format!("/reunions/{}/{date}", m.id)) { "la séance" } }
                h1 { "Inviter à une séance" }
                div.card {
                    h2 { (m.title) }
                    p { (crate::web::french::capitalized(&session.when_fr(m.all_day))) }
                    @if data.session.cancelled { p.flash.flash-error { "Cette séance est annulée." } }
                }
                @if let Some(message) = refusal {
                    div.flash.flash-error role="alert" { (message) }
                }
                @if open {
                    p.hint { "Les personnes invitées ici le sont à cette séance seulement ; leur calendrier la reçoit comme une date de la série." }
                    (invitation_form(ctx, &data.loaded, (&action, "Inviter à cette séance"), &data.people, typed))
                }
                h2 { "Invité·es" }
                @if data.lines.is_empty() { (empty_state("Personne n'est encore invité·e à cette séance.")) } @else {
                    p {
                        (count(Answer::Accepted)) " oui · " (count(Answer::Tentative)) " peut-être · "
                        (count(Answer::Declined)) " non · " (count(Answer::Pending)) " sans réponse"
                    }
                    table {
                        thead { tr { th { "Invité·e" } th { "Invitation" } th { "Réponse pour cette séance" } } }
                        tbody {
                            @for l in &data.lines {
                                tr {
                                    td { (if l.invitation.name.is_empty() { l.invitation.email.as_str() } else { l.invitation.name.as_str() }) br; span.muted { (l.invitation.email) } }
                                    td { (if l.whole_series { "toute la série" } else { "cette séance" }) }
                                    td { (l.answer.label_fr_for_organisers()) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
