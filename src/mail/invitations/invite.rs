//! Sending invitations (to members, chosen people and pasted addresses, within the limits per
//! request and per day) and the reminder to those who have not answered.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use super::paste::parse_address_list;
use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::invitation::{Answer, Language};
use crate::entities::meeting::MeetingStatus;
use crate::entities::{group_membership, invitation, occurrence, person, platform_membership};
use crate::mail::{MailContext, notify};
use crate::meetings;
use crate::people::rules::normalize_email;
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::{AppError, AppResult, Ctx};

/// POST: invites. A refusal (an address that cannot be read, too many at once, the daily cap…)
/// writes nothing and shows the meeting page again with the message on top and what was chosen
/// and typed back in the invitation form, under the refusal's own status.
pub(super) async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (status, message) = match send(&state, &ctx, id, None, &pairs).await {
        Err(AppError::BadRequest(message)) => (StatusCode::BAD_REQUEST, message),
        Err(AppError::TooManyRequests(message)) => (StatusCode::TOO_MANY_REQUESTS, message),
        done => return done,
    };
    let action = format!("/reunions/{id}/invitations");
    let page = meetings::participation::refused_page(&state, &ctx, id, &message, (&action, &pairs))
        .await?;
    Ok((status, page).into_response())
}

/// Sends the invitations `pairs` ask for: to the meeting as a whole (`session` None: every
/// session of a series), or to one session of a series. Refusals are `BadRequest` (what was
/// asked cannot be done) or `TooManyRequests` (the daily cap); nothing is written then.
pub(super) async fn send(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    session: Option<&occurrence::Model>,
    pairs: &[(String, String)],
) -> AppResult<Response> {
    let loaded = meetings::load(state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = match session {
        Some(s) => format!(
            "/reunions/{id}/{}/invitations",
            s.original_start_local.naive().date().format("%Y-%m-%d")
        ),
        None => format!("/reunions/{id}#invitations"),
    };
    if loaded.meeting.status == MeetingStatus::Cancelled {
        return Err(AppError::BadRequest(
            "Cette réunion est annulée : on ne peut plus y inviter.".into(),
        ));
    }
    if let Some(s) = session {
        if s.cancelled {
            return Err(AppError::BadRequest(
                "Cette séance est annulée : on ne peut plus y inviter.".into(),
            ));
        }
        if s.ends_at < Utc::now() {
            return Err(AppError::BadRequest(
                "Cette séance est passée : on ne peut plus y inviter.".into(),
            ));
        }
    }
    if loaded
        .meeting
        .series_ends_at
        .unwrap_or(loaded.meeting.ends_at)
        < Utc::now()
        && loaded.meeting.rrule.is_none()
    {
        return Err(AppError::BadRequest(
            "Cette réunion est passée : on ne peut plus y inviter.".into(),
        ));
    }
    let get = |key: &str| {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let outside = parse_address_list(&get("emails").join("\n"))
        .map_err(|bad| AppError::BadRequest(bad.to_string()))?;
    // Refused before looking anyone up: a huge paste costs no query.
    let pasted = outside
        .iter()
        .map(|(_, email)| normalize_email(email))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if pasted > state.config.invitations_per_request {
        return Err(too_many_at_once(
            pasted,
            state.config.invitations_per_request,
        ));
    }
    let mut person_ids: Vec<i64> = get("person_id")
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    if get("members").iter().any(|v| v == "on") {
        match (&loaded.group, &loaded.platform) {
            (Some(g), _) => person_ids.extend(
                group_membership::Entity::find()
                    .filter(group_membership::Column::WorkingGroupId.eq(g.id))
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|m| m.person_id),
            ),
            (None, Some(p)) => person_ids.extend(
                platform_membership::Entity::find()
                    .filter(platform_membership::Column::PlatformId.eq(p.id))
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|m| m.person_id),
            ),
            _ => {}
        }
    }
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .filter(person::Column::Active.eq(true))
        .all(&state.db)
        .await?;
    let mut wanted: Vec<(Option<i64>, String, String, Language)> = people
        .iter()
        .map(|p| (Some(p.id), p.name.clone(), p.email.clone(), p.language))
        .collect();
    for (name, email) in outside {
        let known = person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(normalize_email(&email)))
            .one(&state.db)
            .await?;
        match known {
            Some(p) => wanted.push((Some(p.id), p.name, p.email, p.language)),
            None => wanted.push((None, name, email, Language::Fr)),
        }
    }
    let me = ctx.viewer.as_deref().cloned();
    // Never invite the organizer nor oneself: a client shows no answer buttons on the
    // organizer's own copy, and the sender already knows.
    let (wanted, left_out) = leave_out_organizer_and_sender(
        wanted,
        &state.mailer.sender.organizer_email,
        me.as_ref().map(|p| p.email.as_str()),
    );
    let left_out_note = if left_out.is_empty() {
        String::new()
    } else {
        format!(
            " Non invité·e(s), car organisateur ou expéditeur de l'invitation : {}.",
            left_out.join(", ")
        )
    };
    if wanted.is_empty() {
        return Err(AppError::BadRequest(format!(
            "Choisissez au moins une personne à inviter.{left_out_note}"
        )));
    }
    let asked = wanted
        .iter()
        .map(|(_, _, email, _)| normalize_email(email))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if asked > state.config.invitations_per_request {
        return Err(too_many_at_once(
            asked,
            state.config.invitations_per_request,
        ));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    // Already invited: to the whole meeting; for a session, to the whole series or to it.
    let already_covered = match session {
        Some(s) => Condition::any()
            .add(invitation::Column::OccurrenceId.is_null())
            .add(invitation::Column::OccurrenceId.eq(s.id)),
        None => Condition::all().add(invitation::Column::OccurrenceId.is_null()),
    };
    let existing: Vec<String> = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(id))
        .filter(already_covered)
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| i.email_normalized)
        .collect();
    let mut fresh = Vec::new();
    let mut already = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (person_id, name, email, language) in wanted {
        let key = normalize_email(&email);
        if existing.contains(&key) || !seen.insert(key.clone()) {
            already += usize::from(existing.contains(&key));
            continue;
        }
        fresh.push((person_id, name, email, key, language));
    }
    if let Some(sender) = ctx.person_id() {
        let sent_today = sent_in_a_day(state, &txn, sender).await?;
        let cap = state.config.invitations_per_day;
        if sent_today + fresh.len() > cap {
            // Nothing written: the transaction is dropped, so rolled back.
            return Err(AppError::TooManyRequests(format!(
                "Limite quotidienne atteinte : au plus {cap} invitations par personne en 24 heures \
                 ({sent_today} déjà envoyée(s), {} demandée(s)). Personne n'a été invité ; \
                 réessayez plus tard ou avec moins d'adresses.",
                fresh.len()
            )));
        }
    }
    let mut created = Vec::new();
    for (person_id, name, email, key, language) in fresh {
        let row = invitation::ActiveModel {
            meeting_id: Set(id),
            occurrence_id: Set(session.map(|s| s.id)),
            person_id: Set(person_id),
            email: Set(email),
            email_normalized: Set(key),
            name: Set(name),
            language: Set(language),
            answer: Set(Answer::Pending),
            answered_at: Set(None),
            invited_by: Set(ctx.person_id()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        created.push(row);
    }
    let sent = notify::send_invitations(
        &txn,
        &MailContext::of(state),
        &loaded,
        &created,
        me.as_ref(),
    )
    .await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "inviter",
        "réunion",
        Some(id),
        match session {
            Some(s) => format!(
                "{sent} invitation(s) envoyée(s) pour la séance du {} de « {} »",
                s.original_start_local.naive().date(),
                loaded.meeting.title
            ),
            None => format!(
                "{sent} invitation(s) envoyée(s) pour « {} »",
                loaded.meeting.title
            ),
        },
    )
    .await?;
    txn.commit().await?;
    state.mailer.wake.notify_one();
    let extra = if already > 0 {
        format!(" ({already} personne(s) déjà invitée(s) : pas de second envoi)")
    } else {
        String::new()
    };
    Ok(redirect_with_flash(
        &back,
        FlashKind::Success,
        format!("{sent} invitation(s) envoyée(s){extra}.{left_out_note}"),
    ))
}

fn too_many_at_once(asked: usize, cap: usize) -> AppError {
    AppError::BadRequest(format!(
        "Trop d'adresses en une fois : {asked} pour au plus {cap} par envoi. Invitez en plusieurs \
         fois ; personne n'a été invité."
    ))
}

/// One address to invite: (their account, name, address, language).
type Invitee = (Option<i64>, String, String, Language);

/// `wanted` without the organizer's and the sender's own addresses, and those left out (as
/// typed, once each).
pub(super) fn leave_out_organizer_and_sender(
    wanted: Vec<Invitee>,
    organizer: &str,
    sender: Option<&str>,
) -> (Vec<Invitee>, Vec<String>) {
    let barred: Vec<String> = [Some(organizer), sender]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(normalize_email)
        .collect();
    let mut left_out: Vec<String> = Vec::new();
    let mut kept = Vec::with_capacity(wanted.len());
    for entry in wanted {
        if barred.contains(&normalize_email(&entry.2)) {
            if !left_out
                .iter()
                .any(|e| normalize_email(e) == normalize_email(&entry.2))
            {
                left_out.push(entry.2);
            }
        } else {
            kept.push(entry);
        }
    }
    (kept, left_out)
}

/// How many invitations `sender` wrote in the last 24 hours. On PostgreSQL their person row is
/// locked first, so that two requests at once cannot both pass the cap (SQLite's write
/// transaction already serialises them).
async fn sent_in_a_day(
    state: &AppState,
    txn: &impl sea_orm::ConnectionTrait,
    sender: i64,
) -> AppResult<usize> {
    if !state.config.is_sqlite() {
        person::Entity::find_by_id(sender)
            .lock_exclusive()
            .one(txn)
            .await?;
    }
    let count = invitation::Entity::find()
        .filter(invitation::Column::InvitedBy.eq(sender))
        .filter(invitation::Column::CreatedAt.gt(Utc::now() - chrono::Duration::hours(24)))
        .count(txn)
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

pub(super) async fn remind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = meetings::load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    if loaded.meeting.answer_reminder_sent_at.is_some() {
        return Err(AppError::BadRequest(
            "Le rappel aux personnes sans réponse a déjà été envoyé.".into(),
        ));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let sent = notify::answer_reminders(&txn, &MailContext::of(&state), &loaded).await?;
    txn.commit().await?;
    state.mailer.wake.notify_one();
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#invitations"),
        FlashKind::Success,
        format!("Rappel envoyé à {sent} personne(s) sans réponse."),
    ))
}
