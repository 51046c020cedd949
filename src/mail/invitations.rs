//! Inviting people to a meeting (members of its platform or group, chosen people, outside
//! addresses), answering from the email (a signed, expiring link that opens a confirmation page;
//! only the POST records anything), and the administrator's view of the outbox.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use lettre::message::Mailbox;
use maud::{Markup, html};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use std::str::FromStr;

use super::notify;
use crate::audit;
use crate::auth::permissions::Action;
use crate::entities::{group_membership, invitation, outbox_message, person, platform_membership};
use crate::meetings::{self, booking};
use crate::people::rules::{normalize_email, parse_email};
use crate::state::AppState;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path};
use crate::web::layout::{csrf_field, page};
use crate::web::{AppError, AppResult, Ctx};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reunions/{id}/invitations", post(invite))
        .route("/reunions/{id}/invitations/relance", post(remind))
        .route(
            "/invitation/{token}/{answer}",
            get(answer_page).post(answer),
        )
        .route("/admin/courriels", get(outbox_page))
        .route("/admin/courriels/{id}", get(outbox_message_page))
}

/// Entries of a pasted list that are not addresses, as typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "Ces adresses ne sont pas valides : {}. Corrigez-les ; personne n'a été invité.",
    .0.iter().map(|b| format!("« {b} »")).collect::<Vec<_>>().join(", ")
)]
pub struct BadAddresses(pub Vec<String>);

/// One entry → (name, address), read by lettre's RFC 5322 parser: `marie@commune.be`,
/// `Marie Dupont <marie@commune.be>`, `"Dupont, Marie" <marie@commune.be>`. What people paste
/// from elsewhere is read as before lettre read these lists: a name that needs quotes but has
/// none (`CPAS (Namur) <…>`) as if quoted, and text after the `>` left aside. The address must
/// also be one people's rules accept (a dot in the domain…).
fn parse_address(entry: &str) -> Option<(String, String)> {
    let mailbox = Mailbox::from_str(entry).ok().or_else(|| {
        let (name, rest) = entry.split_once('<')?;
        let (address, _) = rest.rsplit_once('>')?;
        let name = name.trim().trim_matches('"');
        let retyped = if name.is_empty() {
            format!("<{address}>")
        } else {
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            format!("\"{quoted}\" <{address}>")
        };
        Mailbox::from_str(&retyped).ok()
    })?;
    let email = parse_email(&mailbox.email.to_string()).ok()?;
    Some((mailbox.name.unwrap_or_default(), email))
}

/// The entries of a pasted list: one per line, or separated by commas or semicolons — except
/// inside a quoted name, where they belong to the name.
fn entries(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let (mut start, mut quoted, mut escaped) = (0, false, false);
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ',' | ';' if !quoted => {
                    out.push(&line[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(&line[start..]);
    }
    out.into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect()
}

/// Splits a pasted list into (name, address) pairs; the bad entries are named, as typed.
pub fn parse_address_list(text: &str) -> Result<Vec<(String, String)>, BadAddresses> {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for entry in entries(text) {
        match parse_address(entry) {
            Some(address) => good.push(address),
            None => bad.push(entry.to_string()),
        }
    }
    if bad.is_empty() {
        Ok(good)
    } else {
        Err(BadAddresses(bad))
    }
}

async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let loaded = meetings::load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("/reunions/{id}#invitations");
    if loaded.meeting.status == "cancelled" {
        return Err(AppError::BadRequest(
            "Cette réunion est annulée : on ne peut plus y inviter.".into(),
        ));
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
    let mut wanted: Vec<(Option<i64>, String, String, String)> = people
        .iter()
        .map(|p| {
            (
                Some(p.id),
                p.name.clone(),
                p.email.clone(),
                p.language.clone(),
            )
        })
        .collect();
    for (name, email) in outside {
        let known = person::Entity::find()
            .filter(person::Column::EmailNormalized.eq(normalize_email(&email)))
            .one(&state.db)
            .await?;
        match known {
            Some(p) => wanted.push((Some(p.id), p.name, p.email, p.language)),
            None => wanted.push((None, name, email, "fr".into())),
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
    let existing: Vec<String> = invitation::Entity::find()
        .filter(invitation::Column::MeetingId.eq(id))
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
        let sent_today = sent_in_a_day(&state, &txn, sender).await?;
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
            person_id: Set(person_id),
            email: Set(email),
            email_normalized: Set(key),
            name: Set(name),
            language: Set(language),
            answer: Set("pending".into()),
            answered_at: Set(None),
            invited_by: Set(ctx.person_id()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        created.push(row);
    }
    let sent = notify::send_invitations(&txn, &state, &loaded, &created, me.as_ref()).await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "inviter",
        "réunion",
        Some(id),
        format!(
            "{sent} invitation(s) envoyée(s) pour « {} »",
            loaded.meeting.title
        ),
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
type Invitee = (Option<i64>, String, String, String);

/// `wanted` without the organizer's and the sender's own addresses, and those left out (as
/// typed, once each).
fn leave_out_organizer_and_sender(
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

async fn remind(
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
    let sent = notify::answer_reminders(&txn, &state, &loaded).await?;
    txn.commit().await?;
    state.mailer.wake.notify_one();
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#invitations"),
        FlashKind::Success,
        format!("Rappel envoyé à {sent} personne(s) sans réponse."),
    ))
}

fn answer_of(slug: &str) -> Option<(&'static str, &'static str)> {
    match slug {
        "accepte" => Some(("accepted", "J'y serai")),
        "peut-etre" => Some(("tentative", "Peut-être")),
        "decline" => Some(("declined", "Je ne pourrai pas venir")),
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
async fn answer_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, slug)): Path<(String, String)>,
) -> AppResult<Response> {
    let (Some(invitation), Some((_, label))) =
        (invitation_from(&state, &token).await?, answer_of(&slug))
    else {
        return Ok(invalid_link(&ctx));
    };
    let loaded = meetings::load(&state, invitation.meeting_id).await?;
    let meals = meetings::participation::meals_of(&loaded.meeting);
    let (when, place) = {
        let m = &loaded.meeting;
        let start = meetings::rules::parse_local(&m.start_local).unwrap_or_default();
        let end = meetings::rules::parse_local(&m.end_local).unwrap_or_default();
        (
            meetings::views::when_fr(start, end, m.all_day),
            [m.place_name.as_str(), m.place_address.as_str()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let asks_meal = slug == "accepte" && loaded.meeting.registration_open && !meals.is_empty();
    Ok(page(&ctx, "Votre réponse", html! {
        section.narrow {
            h1 { "Votre réponse" }
            p { "Invitation de " strong { (invitation.name) } " (" (invitation.email) ") à :" }
            div.card {
                h2 { (loaded.meeting.title) }
                p { (when) }
                @if !place.is_empty() { p.muted { (place) } }
            }
            @if invitation.answer != "pending" {
                p.muted { "Réponse déjà enregistrée : " (answer_label(&invitation.answer)) ". Vous pouvez la changer." }
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
                button.primary type="submit" { "Confirmer : " (label) }
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

pub fn answer_label(answer: &str) -> &'static str {
    match answer {
        "accepted" => "j'y serai",
        "tentative" => "peut-être",
        "declined" => "je ne pourrai pas venir",
        _ => "pas encore de réponse",
    }
}

/// POST: records the answer (it can be changed later) and registers or unregisters the person.
async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, slug)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (Some(invitation), Some((answer, _))) =
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
            None if answer == "accepted" => {
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
                    language: Set(invitation.language.clone()),
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
        answer_label(answer)
    );
    if loaded.meeting.registration_open && person_id > 0 {
        if answer == "accepted" {
            let request = booking::Request {
                person_id,
                meal,
                registered_by: None,
                ..Default::default()
            };
            match booking::register_in(&txn, loaded.meeting.id, request, Utc::now(), Some(&state))
                .await?
            {
                Ok(booking::Outcome::Confirmed) => message.push_str(" Vous êtes inscrit·e."),
                Ok(booking::Outcome::Waiting(place)) => message.push_str(&format!(
                    " La réunion est complète : vous êtes en liste d'attente (place {place})."
                )),
                Err(refusal) if refusal.contains("déjà inscrite") => {}
                Err(refusal) => {
                    // Nothing of this answer is kept: the person, the lock and the answer.
                    txn.rollback().await?;
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&ctx, "Votre réponse", html! {
                        section.narrow { h1 { "Votre réponse n'a pas été enregistrée" } div.flash.flash-error { (refusal) } p { a href=(format!("/invitation/{token}/{slug}")) { "Revenir au formulaire" } } }
                    })).into_response());
                }
            }
        } else if answer == "declined" {
            booking::cancel_in(
                &txn,
                loaded.meeting.id,
                person_id,
                None,
                Utc::now(),
                Some(&state),
            )
            .await?;
        }
    }
    let mut model: invitation::ActiveModel = invitation.clone().into();
    model.answer = Set(answer.to_string());
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

async fn outbox_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Markup> {
    ctx.require(Action::ViewAudit)?;
    let messages = outbox_message::Entity::find()
        .order_by_desc(outbox_message::Column::Id)
        .limit(200)
        .all(&state.db)
        .await?;
    let health = state.mailer.health();
    Ok(page(
        &ctx,
        "Courriels",
        html! {
            h1 { "Courriels envoyés par maillage" }
            p { "Envoi : " strong { (state.mailer.describe()) } "." }
            @if let Some(problem) = health { div.flash.flash-error role="alert" { "Problème d'envoi : " (problem) ". Les messages attendent dans la file et partiront dès que possible." } }
            @if messages.is_empty() { p.empty { "Aucun courriel pour l'instant." } } @else {
                table {
                    thead { tr { th { "Quand" } th { "Type" } th { "À" } th { "Objet" } th { "État" } } }
                    tbody {
                        @for m in &messages {
                            tr {
                                td { (m.created_at.format("%d/%m/%Y %H:%M")) }
                                td { (m.kind) }
                                td { (m.recipient) }
                                td { a href=(format!("/admin/courriels/{}", m.id)) { (m.subject) } }
                                td { (status_label(&m.status)) @if m.attempts > 1 { " (" (m.attempts) " essais)" } @if !m.last_error.is_empty() { br; span.muted { (m.last_error) } } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "en attente",
        "sending" => "en cours d'envoi",
        "sent" => "envoyé",
        "failed" => "échec définitif",
        _ => "?",
    }
}

async fn outbox_message_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Markup> {
    ctx.require(Action::ViewAudit)?;
    let m = outbox_message::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(page(
        &ctx,
        &m.subject,
        html! {
            p.breadcrumb { a href="/admin/courriels" { "Courriels" } " › " }
            h1 { (m.subject) }
            p { "À " (m.recipient) " — " (status_label(&m.status)) }
            pre.eml { (m.message) }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organizer_and_the_sender_are_left_out_of_the_invitees() {
        let entry = |email: &str| (None, String::new(), email.to_string(), "fr".to_string());
        let (kept, left_out) = leave_out_organizer_and_sender(
            vec![
                entry("Coordination@CRI-namur.example"),
                entry("amina@lee.example"),
                entry("coralie@cri-namur.example"),
                entry("coordination@cri-namur.example"),
            ],
            "coordination@cri-namur.example",
            Some("Coralie@cri-namur.example"),
        );
        assert_eq!(kept, vec![entry("amina@lee.example")]);
        assert_eq!(
            left_out,
            vec![
                "Coordination@CRI-namur.example".to_string(),
                "coralie@cri-namur.example".to_string()
            ]
        );
    }

    #[test]
    fn pasted_address_lists_are_split_and_bad_ones_named() {
        let good = parse_address_list(
            "Marie Dupont <marie@commune.example>\nprovince@namur.example; presse@journal.example",
        )
        .unwrap();
        assert_eq!(
            good[0],
            (
                "Marie Dupont".to_string(),
                "marie@commune.example".to_string()
            )
        );
        assert_eq!(good.len(), 3);
        let bad = parse_address_list("ok@x.example, pas-une-adresse, autre@").unwrap_err();
        assert_eq!(
            bad.0,
            vec!["pas-une-adresse".to_string(), "autre@".to_string()]
        );
        assert_eq!(
            bad.to_string(),
            "Ces adresses ne sont pas valides : « pas-une-adresse », « autre@ ». Corrigez-les ; \
             personne n'a été invité."
        );
    }

    fn one(text: &str) -> Option<(String, String)> {
        match parse_address_list(text) {
            Ok(list) if list.len() == 1 => list.into_iter().next(),
            _ => None,
        }
    }

    fn pair(name: &str, email: &str) -> Option<(String, String)> {
        Some((name.to_string(), email.to_string()))
    }

    #[test]
    fn quoted_names_may_hold_commas_semicolons_and_quotes() {
        assert_eq!(
            one(r#""Dupont, Marie" <marie@commune.example>"#),
            pair("Dupont, Marie", "marie@commune.example")
        );
        assert_eq!(
            one(r#""CPAS; service social" <social@cpas.example>"#),
            pair("CPAS; service social", "social@cpas.example")
        );
        assert_eq!(
            one(r#""Marie \"Mimi\" Dupont" <marie@commune.example>"#),
            pair(r#"Marie "Mimi" Dupont"#, "marie@commune.example")
        );
        let list = parse_address_list(
            "\"Dupont, Marie\" <marie@commune.example>, \"Lee, Amina\" <amina@lee.example>",
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].0, "Lee, Amina");
    }

    #[test]
    fn odd_but_harmless_forms_are_read_as_before() {
        // Accents, no space before "<", an empty name, spaces around, upper case kept.
        assert_eq!(
            one("Hélène Müller-Öztürk <helene@asbl.example>"),
            pair("Hélène Müller-Öztürk", "helene@asbl.example")
        );
        assert_eq!(
            one("Marie<marie@commune.example>"),
            pair("Marie", "marie@commune.example")
        );
        assert_eq!(
            one("  <Marie.Dupont@Commune.example>  "),
            pair("", "Marie.Dupont@Commune.example")
        );
        // A name with characters that need quotes, typed without: read as if quoted.
        assert_eq!(
            one("CPAS (Namur) : accueil <accueil@cpas.example>"),
            pair("CPAS (Namur) : accueil", "accueil@cpas.example")
        );
        // A forgotten closing quote: the name is still the name.
        assert_eq!(
            one(r#""Dupont, Marie <marie@commune.example>"#),
            pair("Dupont, Marie", "marie@commune.example")
        );
        // Text after the address is left aside, as before.
        assert_eq!(
            one("Marie <marie@commune.example> (bureau)"),
            pair("Marie", "marie@commune.example")
        );
        // Blank lines and trailing separators are no entries.
        assert_eq!(
            parse_address_list("\n a@x.example ;\n\n, b@y.example,\r\n").map(|l| l.len()),
            Ok(2)
        );
    }

    #[test]
    fn what_is_not_an_address_is_named_as_typed() {
        for bad in [
            "Marie <marie@commune>",
            "Marie <marie.commune.example>",
            "Marie <marie@commune.example",
            "marie@@commune.example",
            "<>",
            "marie dupont@commune.example",
        ] {
            assert_eq!(
                parse_address_list(bad).map_err(|b| b.0),
                Err(vec![bad.to_string()]),
                "{bad}"
            );
        }
    }
}
