//! The answer links of an invitation: a confirmation page on GET, the answer recorded on POST
//! (with the registration, or its cancellation, in the same transaction).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maud::html;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::audit;
use crate::entities::invitation::Answer;
use crate::entities::{invitation, person};
use crate::mail::notify;
use crate::meetings::{self, booking};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::layout::{csrf_field, page};
use crate::web::{AppResult, Ctx};

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

/// GET: a confirmation page only. Mail filters open links to scan them: nothing is recorded here.
pub(super) async fn answer_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, slug)): Path<(String, String)>,
) -> AppResult<Response> {
    let (Some(invitation), Some(chosen)) =
        (invitation_from(&state, &token).await?, answer_of(&slug))
    else {
        return Ok(invalid_link(&ctx));
    };
    let loaded = meetings::load(&state, invitation.meeting_id).await?;
    let meals = meetings::participation::meals_of(&loaded.meeting);
    let (when, place) = {
        let m = &loaded.meeting;
        let (start, end) = (m.start_local.naive(), m.end_local.naive());
        (
            meetings::views::when_fr(start, end, m.all_day),
            [m.place_name.as_str(), m.place_address.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let asks_meal =
        chosen == Answer::Accepted && loaded.meeting.registration_open && !meals.is_empty();
    Ok(page(&ctx, "Votre réponse", html! {
        section.narrow {
            h1 { "Votre réponse" }
            p { "Invitation de " strong { (invitation.name) } " (" (invitation.email) ") à :" }
            div.card {
                h2 { (loaded.meeting.title) }
                p { (when) }
                @if !place.is_empty() { p.muted { (place) } }
            }
            @if invitation.answer != Answer::Pending {
                p.muted { "Réponse déjà enregistrée : " (invitation.answer.label_fr()) ". Vous pouvez la changer." }
            }
            form.stack method="post" action=(format!("/invitation/{token}/{slug}")) {
                (csrf_field(&ctx))
                @if asks_meal {
                    div.field {
                        label for="meal" { "Votre repas" }
                        select #meal name="meal" required {
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

/// The directory name of a partner who accepts: the name the invitation gave, when it is a
/// valid name, else the address's local part (already checked as part of a valid address).
fn newcomer_name(invited_as: &str, email: &str) -> String {
    crate::web::components::name_field(invited_as, 200, "")
        .ok()
        .or_else(|| {
            email
                .split('@')
                .next()
                .filter(|local| !local.trim().is_empty())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "Invité·e".to_string())
}

/// POST: records the answer (it can be changed later) and registers or unregisters the person.
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
    // One transaction for the new directory entry, the registration and the answer: a refused
    // registration (no meal chosen, meeting full…) leaves nothing behind, not even the person.
    let txn = crate::db::begin_write(&state.db).await?;
    // The person behind the address: their account, or a new directory entry for a partner.
    let person_id = match invitation.person_id {
        Some(id) => id,
        None => match person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(invitation.email_normalized.clone()))
            .one(&txn)
            .await?
        {
            Some(p) => p.id,
            None if answer == Answer::Accepted => {
                let now = Utc::now();
                // In a savepoint: on PostgreSQL two answers from the same new address at the same
                // moment both find nobody; the second insert then meets the first one's row, and
                // takes it instead of failing.
                let savepoint = txn.begin().await?;
                let inserted = person::ActiveModel {
                    name: Set(newcomer_name(&invitation.name, &invitation.email)),
                    email: Set(invitation.email.clone()),
                    email_normalized: Set(invitation.email_normalized.clone()),
                    organisation_id: Set(None),
                    language: Set(invitation.language),
                    active: Set(true),
                    is_admin: Set(false),
                    password_hash: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&savepoint)
                .await;
                match inserted {
                    Ok(created) => {
                        savepoint.commit().await?;
                        created.id
                    }
                    Err(e) if crate::db::is_unique_violation(&e) => {
                        savepoint.rollback().await?;
                        person::Entity::find()
                            .filter(
                                person::Column::EmailNormalized
                                    .eq(invitation.email_normalized.clone()),
                            )
                            .one(&txn)
                            .await?
                            .map(|p| p.id)
                            .ok_or(e)?
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            None => 0,
        },
    };
    let mut message = format!(
        "Merci : votre réponse « {} » est enregistrée.",
        answer.label_fr()
    );
    if loaded.meeting.registration_open && person_id > 0 {
        if answer == Answer::Accepted {
            let request = booking::Request {
                person_id,
                meal,
                registered_by: None,
                ..Default::default()
            };
            match booking::register_in(
                &txn,
                booking::Target::meeting(loaded.meeting.id),
                request,
                Utc::now(),
                &state.events,
            )
            .await?
            {
                Ok(booking::Outcome::Confirmed) => message.push_str(" Vous êtes inscrit·e."),
                Ok(booking::Outcome::Waiting(place)) => message.push_str(&format!(
                    " La réunion est complète : vous êtes en liste d'attente (place {place})."
                )),
                Err(booking::Refusal::AlreadyRegistered) => {}
                Err(refusal) => {
                    // Nothing of this answer is kept: the person, the lock and the answer.
                    txn.rollback().await?;
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&ctx, "Votre réponse", html! {
                        section.narrow { h1 { "Votre réponse n'a pas été enregistrée" } div.flash.flash-error { (refusal) } p { a href=(format!("/invitation/{token}/{slug}")) { "Revenir au formulaire" } } }
                    })).into_response());
                }
            }
        } else if answer == Answer::Declined {
            booking::cancel_in(
                &txn,
                booking::Target::meeting(loaded.meeting.id),
                person_id,
                None,
                Utc::now(),
                &state.events,
            )
            .await?;
        }
    }
    let mut model: invitation::ActiveModel = invitation.clone().into();
    model.answer = Set(answer);
    model.answered_at = Set(Some(Utc::now()));
    if person_id > 0 {
        model.person_id = Set(Some(person_id));
    }
    model.update(&txn).await?;
    audit::record(
        &txn,
        (person_id > 0).then_some(person_id),
        "répondre",
        "réunion",
        Some(loaded.meeting.id),
        format!("{} : {}", invitation.email, answer),
    )
    .await?;
    txn.commit().await?;
    Ok(page(
        &ctx,
        "Votre réponse",
        html! {
            section.narrow {
                h1 { "Réponse enregistrée" }
                div.flash.flash-ok role="status" { (message) }
                p { a href=(format!("/reunions/{}", loaded.meeting.id)) { "Voir la réunion" } }
            }
        },
    )
    .into_response())
}
