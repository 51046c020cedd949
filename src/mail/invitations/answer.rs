//! The answer links of an invitation: a confirmation page on GET, the answer recorded on POST
//! (with the registration, or its cancellation, in the same transaction). An invitee to a whole
//! series answers for the series or for one of its next sessions; an invitee to one session,
//! for that session.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use maud::html;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::record::{self, Recorded, Scope};
use crate::entities::invitation::Answer;
use crate::entities::{invitation, occurrence};
use crate::mail::notify::{self, Session};
use crate::meetings::{self, booking, index};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::layout::{csrf_field, page};
use crate::web::{AppError, AppResult, Ctx};

/// The answer an answer link's last segment gives (`notify::answer_links` writes them).
fn answer_of(slug: &str) -> Option<Answer> {
    match slug {
        "accepte" => Some(Answer::Accepted),
        "peut-etre" => Some(Answer::Tentative),
        "decline" => Some(Answer::Declined),
        _ => None,
    }
}

fn invalid_link(ctx: &Ctx) -> Response {
    (
        StatusCode::BAD_REQUEST,
        page(ctx, "Lien de réponse invalide", html! {
            section.error-page {
                h1 { "Ce lien de réponse n'est pas valide" }
                p { "Il a peut-être expiré, ou il a été copié incomplètement. Rien n'a été enregistré." }
                p { "Vous pouvez répondre depuis un lien plus récent, ou contacter la coordination qui vous a invité·e." }
            }
        }),
    )
        .into_response()
}

async fn invitation_from(state: &AppState, token: &str) -> AppResult<Option<invitation::Model>> {
    let Some(id) = notify::verify_token(state, token) else {
        return Ok(None);
    };
    Ok(invitation::Entity::find_by_id(id).one(&state.db).await?)
}

/// The session an answer link or form names (`seance=YYYY-MM-DD`), if any.
fn asked_date(pairs: &[(String, String)]) -> Option<&str> {
    pairs
        .iter()
        .find(|(k, _)| k == "seance")
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The sessions of a series an invitee to the whole series may answer for: the next ones not
/// cancelled, as the occurrence index holds them.
async fn next_sessions(state: &AppState, meeting_id: i64) -> AppResult<Vec<occurrence::Model>> {
    Ok(occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .filter(occurrence::Column::EndsAt.gt(Utc::now()))
        .filter(occurrence::Column::Cancelled.eq(false))
        .order_by_asc(occurrence::Column::StartsAt)
        .limit(NEXT_SESSIONS)
        .all(&state.db)
        .await?)
}

/// How many next sessions the answer page offers.
const NEXT_SESSIONS: u64 = 12;

/// The session an invitation to one session is for (None: an invitation to the whole meeting).
/// A row that cannot be found is an error naming the invitation.
async fn own_session(
    db: &impl sea_orm::ConnectionTrait,
    invitation: &invitation::Model,
) -> AppResult<Option<occurrence::Model>> {
    let Some(id) = invitation.occurrence_id else {
        return Ok(None);
    };
    let row = occurrence::Entity::find_by_id(id).one(db).await?;
    row.map(Some).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "invitation {} : séance {id} introuvable",
            invitation.id
        ))
    })
}

/// GET: a confirmation page only. Mail filters open links to scan them: nothing is recorded here.
/// An invitee to a whole series chooses there between the series and one of its next sessions.
pub(super) async fn answer_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let (Some(invitation), Some(chosen)) =
        (invitation_from(&state, &token).await?, answer_of(&slug))
    else {
        return Ok(invalid_link(&ctx));
    };
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let loaded = meetings::load(&state, invitation.meeting_id).await?;
    let m = &loaded.meeting;
    let meals = meetings::participation::meals_of(m);
    let own = own_session(&state.db, &invitation).await?;
    let series = m.rrule.is_some();
    let choices = if series && own.is_none() {
        next_sessions(&state, m.id).await?
    } else {
        Vec::new()
    };
    let preselected = asked_date(&query).unwrap_or_default().to_string();
    let when = match &own {
        Some(row) => Session::of(row).when_fr(m.all_day),
        None => match meetings::schedule::rule_of(m)? {
            Some(rule) => rule.describe_fr(),
            None => meetings::views::when_fr(m.start_local.naive(), m.end_local.naive(), m.all_day),
        },
    };
    let place = [m.place_name.as_str(), m.place_address.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    // A series registers per session: the meal is asked when answering for one.
    let asks_meal = chosen == Answer::Accepted && m.registration_open && !meals.is_empty();
    let meal_required = asks_meal && (!series || own.is_some());
    Ok(page(&ctx, "Votre réponse", html! {
        section.narrow {
            h1 { "Votre réponse" }
            p {
                "Invitation de " strong { (invitation.name) } " (" (invitation.email) ") "
                (if own.is_some() { "à une séance de :" } else if series { "à toutes les séances de :" } else { "à :" })
            }
            div.card {
                h2 { (m.title) }
                p { (crate::web::french::capitalized(&when)) }
                @if !place.is_empty() { p.muted { (place) } }
            }
            @if invitation.answer != Answer::Pending {
                p.muted { "Réponse déjà enregistrée : " (invitation.answer.label_fr()) ". Vous pouvez la changer." }
            }
            form.stack method="post" action=(format!("/invitation/{token}/{slug}")) {
                (csrf_field(&ctx))
                @if !choices.is_empty() {
                    div.field {
                        label for="seance" { "Votre réponse vaut pour" }
                        select #seance name="seance" {
                            option value="" { "toute la série" }
                            @for row in &choices {
                                @let date = row.original_start_local.naive().date().format("%Y-%m-%d").to_string();
                                option value=(date) selected[preselected == date] { "la " (Session::of(row).when_fr(m.all_day)) " seulement" }
                            }
                        }
                        @if m.registration_open { p.hint { "Les inscriptions se font par séance : répondre « j'y serai » pour une séance vous y inscrit." } }
                    }
                }
                @if asks_meal {
                    div.field {
                        label for="meal" { "Votre repas" }
                        @if !meal_required { p.hint { "Si vous répondez pour une séance." } }
                        select #meal name="meal" required[meal_required] {
                            option value="" { "— Choisir —" }
                            @for meal in &meals { option value=(meal) { (meal) } }
                        }
                    }
                }
                button.primary type="submit" { "Confirmer : " (crate::web::french::capitalized(chosen.label_fr())) }
            }
        }
    })
    .into_response())
}

/// POST: records the answer (it can be changed later), for the meeting as a whole or for the
/// session chosen (`seance`), and registers or unregisters the person.
pub(super) async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, slug)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (Some(invitation), Some(answer)) =
        (invitation_from(&state, &token).await?, answer_of(&slug))
    else {
        return Ok(invalid_link(&ctx));
    };
    let meal = pairs
        .iter()
        .find(|(k, _)| k == "meal")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let loaded = meetings::load(&state, invitation.meeting_id).await?;
    let back = format!("/invitation/{token}/{slug}");
    // One transaction for the new directory entry, the registration and the answer: a refused
    // registration (no meal chosen, meeting full…) leaves nothing behind, not even the person.
    let txn = crate::db::begin_write(&state.db).await?;
    let own = own_session(&txn, &invitation).await?;
    let asked = match asked_date(&pairs).filter(|_| own.is_none()) {
        None => None,
        Some(date) => {
            let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
            let row = match day {
                Some(day) => index::session_on(&txn, loaded.meeting.id, day).await?,
                None => None,
            };
            match row {
                Some(row) => Some(row),
                None => {
                    txn.rollback().await?;
                    return Ok(refused(
                        &ctx,
                        &back,
                        &booking::Refusal::NoSuchSession.to_string(),
                    ));
                }
            }
        }
    };
    let scope = record::scope_for(&invitation, asked, own);
    let recorded =
        record::record(&txn, &state, (&loaded, &invitation), &scope, answer, meal).await?;
    let message = match recorded {
        Recorded::Done(message) => message,
        Recorded::Refused(refusal) => {
            // Nothing of this answer is kept: the person, the lock and the answer.
            txn.rollback().await?;
            return Ok(refused(&ctx, &back, &refusal.to_string()));
        }
    };
    txn.commit().await?;
    let link = match &scope {
        Scope::Session(row) => Session::of(row).page_url("", loaded.meeting.id),
        Scope::Whole => format!("/reunions/{}", loaded.meeting.id),
    };
    Ok(page(
        &ctx,
        "Votre réponse",
        html! {
            section.narrow {
                h1 { "Réponse enregistrée" }
                div.flash.flash-ok role="status" { (message) }
                p { a href=(link) { "Voir la réunion" } }
            }
        },
    )
    .into_response())
}

/// The answer refused (422): nothing was recorded.
fn refused(ctx: &Ctx, back: &str, why: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        page(ctx, "Votre réponse", html! {
            section.narrow { h1 { "Votre réponse n'a pas été enregistrée" } div.flash.flash-error { (why) } p { a href=(back) { "Revenir au formulaire" } } }
        }),
    )
        .into_response()
}
