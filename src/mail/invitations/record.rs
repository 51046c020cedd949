//! Recording an invitee's answer, from the answer page or from an iTIP REPLY: for the meeting
//! as a whole (a one-off, or every session of a series) or for one session of a series. An
//! invitation to one session is answered for that session, on the invitation itself; an
//! invitation to a whole series answered for one session writes a `session_answers` row, which
//! overrides the series' answer for that session only. With registration open, accepting a
//! one-off or a session registers for it and declining cancels that registration, in the same
//! transaction; declining a whole series cancels the registrations for its sessions to come
//! (except those of sessions answered for on their own).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::audit;
use crate::entities::invitation::Answer;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{invitation, occurrence, person, registration, session_answer};
use crate::mail::notify::Session;
use crate::meetings::{Loaded, booking};
use crate::state::AppState;

/// What an answer is for.
#[derive(Clone, Debug)]
pub(super) enum Scope {
    /// The meeting as a whole: a one-off, or every session of a series.
    Whole,
    /// One session of a series (its row of the occurrence index).
    Session(occurrence::Model),
}

/// How it went: the sentence to show, or why the registration was refused (the caller then
/// rolls the transaction back: nothing of the answer is kept).
#[derive(Debug)]
pub(super) enum Recorded {
    Done(String),
    Refused(booking::Refusal),
}

/// The scope an answer to `invitation` may have: an invitation to one session is for that
/// session whatever is asked; `asked` None means the meeting as a whole.
pub(super) fn scope_for(
    invitation: &invitation::Model,
    asked: Option<occurrence::Model>,
    own: Option<occurrence::Model>,
) -> Scope {
    match (invitation.occurrence_id, own, asked) {
        (Some(_), Some(own), _) => Scope::Session(own),
        (_, _, Some(asked)) => Scope::Session(asked),
        _ => Scope::Whole,
    }
}

/// Records `answer` (with `meal` when it registers) in `txn`; the caller commits on `Done`.
pub(super) async fn record(
    txn: &DatabaseTransaction,
    state: &AppState,
    (loaded, invitation): (&Loaded, &invitation::Model),
    scope: &Scope,
    answer: Answer,
    meal: String,
) -> Result<Recorded, DbErr> {
    let m = &loaded.meeting;
    if let Scope::Session(row) = scope
        && row.cancelled
        && answer != Answer::Declined
    {
        return Ok(Recorded::Refused(booking::Closed::SessionCancelled.into()));
    }
    let person_id = person_behind(txn, invitation, answer).await?;
    let series = m.rrule.is_some();
    let session_words = match scope {
        Scope::Session(row) => format!(" pour la {}", Session::of(row).when_fr(m.all_day)),
        Scope::Whole if series => " pour toute la série".to_string(),
        Scope::Whole => String::new(),
    };
    let mut message = format!(
        "Merci : votre réponse « {} »{session_words} est enregistrée.",
        answer.label_fr()
    );
    let target = match scope {
        Scope::Session(row) => Some(booking::Target::session(m.id, row.id)),
        Scope::Whole if series => None,
        Scope::Whole => Some(booking::Target::meeting(m.id)),
    };
    match (target, person_id) {
        (Some(target), Some(person_id)) if m.registration_open => {
            if answer == Answer::Accepted {
                let request = booking::Request {
                    person_id,
                    meal,
                    registered_by: None,
                    ..Default::default()
                };
                match booking::register_in(txn, target, request, Utc::now(), &state.events).await? {
                    Ok(booking::Outcome::Confirmed) => message.push_str(" Vous êtes inscrit·e."),
                    Ok(booking::Outcome::Waiting(place)) => message.push_str(&format!(
                        " C'est complet : vous êtes en liste d'attente (place {place})."
                    )),
                    Err(booking::Refusal::AlreadyRegistered) => {}
                    Err(refusal) => return Ok(Recorded::Refused(refusal)),
                }
            } else if answer == Answer::Declined {
                booking::cancel_in(txn, target, person_id, None, Utc::now(), &state.events).await?;
            }
        }
        (None, _) if series && m.registration_open && answer == Answer::Accepted => {
            message.push_str(
                " Les inscriptions se font par séance : répondez pour une séance pour vous y inscrire.",
            );
        }
        (None, Some(person_id)) if series && answer == Answer::Declined => {
            let cancelled = decline_sessions_to_come(txn, state, invitation, person_id).await?;
            if cancelled > 0 {
                message.push_str(&format!(
                    " Vos inscriptions aux séances à venir ({cancelled}) sont annulées."
                ));
            }
        }
        _ => {}
    }
    let now = Utc::now();
    match scope {
        Scope::Session(row) if invitation.occurrence_id != Some(row.id) => {
            let existing = session_answer::Entity::find()
                .filter(session_answer::Column::InvitationId.eq(invitation.id))
                .filter(session_answer::Column::OccurrenceId.eq(row.id))
                .one(txn)
                .await?;
            match existing {
                Some(found) => {
                    let mut model: session_answer::ActiveModel = found.into();
                    model.answer = Set(answer);
                    model.answered_at = Set(now);
                    model.update(txn).await?;
                }
                None => {
                    session_answer::ActiveModel {
                        invitation_id: Set(invitation.id),
                        occurrence_id: Set(row.id),
                        answer: Set(answer),
                        answered_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
            }
            if invitation.person_id.is_none()
                && let Some(id) = person_id
            {
                let mut model: invitation::ActiveModel = invitation.clone().into();
                model.person_id = Set(Some(id));
                model.update(txn).await?;
            }
        }
        _ => {
            let mut model: invitation::ActiveModel = invitation.clone().into();
            model.answer = Set(answer);
            model.answered_at = Set(Some(now));
            if let Some(id) = person_id {
                model.person_id = Set(Some(id));
            }
            model.update(txn).await?;
        }
    }
    audit::record(
        txn,
        person_id,
        "répondre",
        "réunion",
        Some(m.id),
        format!("{} : {}{session_words}", invitation.email, answer),
    )
    .await?;
    Ok(Recorded::Done(message))
}

/// Declining a whole series cancels the person's registrations for its sessions still to come,
/// except those of sessions they answered for on their own (that answer stands for that session).
/// Returns how many were cancelled.
async fn decline_sessions_to_come(
    txn: &DatabaseTransaction,
    state: &AppState,
    invitation: &invitation::Model,
    person_id: i64,
) -> Result<usize, DbErr> {
    let now = Utc::now();
    let answered: Vec<i64> = session_answer::Entity::find()
        .filter(session_answer::Column::InvitationId.eq(invitation.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| a.occurrence_id)
        .collect();
    let registered: Vec<i64> = registration::Entity::find()
        .filter(registration::Column::MeetingId.eq(invitation.meeting_id))
        .filter(registration::Column::PersonId.eq(person_id))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|r| r.occurrence_id)
        .filter(|id| !answered.contains(id))
        .collect();
    let to_come = occurrence::Entity::find()
        .filter(occurrence::Column::Id.is_in(registered))
        .filter(occurrence::Column::EndsAt.gt(now))
        .all(txn)
        .await?;
    let mut cancelled = 0;
    for session in to_come {
        let target = booking::Target::session(invitation.meeting_id, session.id);
        if booking::cancel_in(txn, target, person_id, None, now, &state.events)
            .await?
            .is_some()
        {
            cancelled += 1;
        }
    }
    Ok(cancelled)
}

/// The person behind the invitation: their account, or, for a partner who accepts, a new
/// directory entry (None: a partner without an account who does not accept).
async fn person_behind(
    txn: &DatabaseTransaction,
    invitation: &invitation::Model,
    answer: Answer,
) -> Result<Option<i64>, DbErr> {
    if let Some(id) = invitation.person_id {
        return Ok(Some(id));
    }
    let known = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(invitation.email_normalized.clone()))
        .one(txn)
        .await?;
    if let Some(p) = known {
        return Ok(Some(p.id));
    }
    if answer != Answer::Accepted {
        return Ok(None);
    }
    let now = Utc::now();
    // In a savepoint: on PostgreSQL two answers from the same new address at the same moment
    // both find nobody; the second insert then meets the first one's row, and takes it instead
    // of failing.
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
            Ok(Some(created.id))
        }
        Err(e) if crate::db::is_unique_violation(&e) => {
            savepoint.rollback().await?;
            person::Entity::find()
                .filter(person::Column::EmailNormalized.eq(invitation.email_normalized.clone()))
                .one(txn)
                .await?
                .map(|p| Some(p.id))
                .ok_or(e)
        }
        Err(e) => Err(e),
    }
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
