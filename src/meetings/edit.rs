//! Scheduling: creating and editing meetings and series, their status, single occurrences
//! (skipped, cancelled, moved) and their workshops.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;

use super::rules::{
    AgendaLine, MeetingForm, MeetingInput, ScopeChoice, agenda_text, format_local, parse_local,
    parse_time,
};
use super::schedule::{self, Candidate};
use super::{Loaded, booking, load, recurrence, views};
use crate::app::AppState;
use crate::audit;
use crate::auth::permissions::{Action, MeetingScope};
use crate::entities::{
    agenda_item, meeting, occurrence_change, platform, reception_office, working_group, workshop,
};
use crate::platforms::{group_ref, platform_ref};
use crate::web::components::FieldErrors;
use crate::web::ctx::{FlashKind, redirect_with_flash};
use crate::web::extract::{Form, Path, Query};
use crate::web::{AppError, AppResult, Ctx};

/// Where `ctx` may create meetings: (key, label).
pub async fn scope_options(state: &AppState, ctx: &Ctx) -> AppResult<Vec<(String, String)>> {
    let mut options = Vec::new();
    if ctx.can(Action::CreateMeeting(MeetingScope::Network)) {
        options.push(("network".to_string(), "Tout le réseau".to_string()));
    }
    if !ctx.actor.signed_in() {
        return Ok(options);
    }
    let platforms = platform::Entity::find()
        .filter(platform::Column::Archived.eq(false))
        .order_by_asc(platform::Column::Name)
        .all(&state.db)
        .await?;
    let groups = working_group::Entity::find()
        .filter(working_group::Column::Status.eq("active"))
        .order_by_asc(working_group::Column::Name)
        .all(&state.db)
        .await?;
    for p in &platforms {
        if ctx.can(Action::CreateMeeting(MeetingScope::Platform(
            &platform_ref(p),
        ))) {
            options.push((
                ScopeChoice::Platform(p.id).key(),
                format!("Plateforme {}", p.name),
            ));
        }
        for g in groups.iter().filter(|g| g.platform_id == p.id) {
            if ctx.can(Action::CreateMeeting(MeetingScope::Group(&group_ref(g, p)))) {
                options.push((
                    ScopeChoice::Group(g.id).key(),
                    format!("GT {} ({})", g.name, p.name),
                ));
            }
        }
    }
    Ok(options)
}

/// A short French phrase for an update's subject: what changed.
fn change_summary(before: &meeting::Model, after: &meeting::Model) -> String {
    let mut parts = Vec::new();
    if before.start_local != after.start_local || before.end_local != after.end_local {
        let (start, end) = (
            parse_local(&after.start_local).unwrap_or_default(),
            parse_local(&after.end_local).unwrap_or_default(),
        );
        parts.push(format!(
            "nouvelle date : {}",
            super::views::when_fr(start, end, after.all_day)
        ));
    }
    if before.place_name != after.place_name || before.place_address != after.place_address {
        parts.push(format!(
            "nouveau lieu : {}",
            if after.place_name.is_empty() {
                "à préciser"
            } else {
                after.place_name.as_str()
            }
        ));
    }
    if before.video_url != after.video_url {
        parts.push("nouveau lien de visioconférence".to_string());
    }
    if before.rrule != after.rrule {
        parts.push("nouvelles dates de la série".to_string());
    }
    if parts.is_empty() {
        parts.push("informations mises à jour".to_string());
    }
    parts.join(" ; ")
}

/// What the meeting form offers: scopes and the offices' territories.
async fn choices(state: &AppState, scopes: Vec<(String, String)>) -> AppResult<views::Choices> {
    let offices = reception_office::Entity::find()
        .order_by_asc(reception_office::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), format!("Bureau de {}", o.name)))
        .collect();
    Ok(views::Choices { scopes, offices })
}

/// The office chosen exists (or none was chosen).
async fn office_exists(state: &AppState, office_id: Option<i64>) -> AppResult<bool> {
    Ok(match office_id {
        None => true,
        Some(id) => reception_office::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .is_some(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    portee: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    ctx.signed_in()?;
    let scopes = scope_options(&state, &ctx).await?;
    if scopes.is_empty() {
        return Err(AppError::forbidden());
    }
    let scopes = choices(&state, scopes).await?;
    let form = MeetingForm {
        scope: if scopes.scopes.iter().any(|(k, _)| *k == query.portee) {
            query.portee
        } else {
            String::new()
        },
        visibility: "members".into(),
        start_time: "09:30".into(),
        end_time: "12:00".into(),
        ..Default::default()
    };
    Ok(
        views::meeting_form(&ctx, None, &form, &scopes, &FieldErrors::default(), &[])
            .into_response(),
    )
}

/// The platform and group a scope choice points to, if `ctx` may put a meeting there.
async fn resolve_scope(
    state: &AppState,
    ctx: &Ctx,
    scope: &ScopeChoice,
) -> AppResult<Option<(Option<platform::Model>, Option<working_group::Model>)>> {
    Ok(match scope {
        ScopeChoice::Network => ctx
            .can(Action::CreateMeeting(MeetingScope::Network))
            .then_some((None, None)),
        ScopeChoice::Platform(id) => {
            let p = platform::Entity::find_by_id(*id).one(&state.db).await?;
            p.filter(|p| {
                ctx.can(Action::CreateMeeting(MeetingScope::Platform(
                    &platform_ref(p),
                )))
            })
            .map(|p| (Some(p), None))
        }
        ScopeChoice::Group(id) => {
            let Some(g) = working_group::Entity::find_by_id(*id)
                .one(&state.db)
                .await?
            else {
                return Ok(None);
            };
            let Some(p) = platform::Entity::find_by_id(g.platform_id)
                .one(&state.db)
                .await?
            else {
                return Ok(None);
            };
            ctx.can(Action::CreateMeeting(MeetingScope::Group(&group_ref(
                &g, &p,
            ))))
            .then_some((Some(p), Some(g)))
        }
    })
}

/// The occurrences a new or edited meeting would have over its first year (for the clash check).
fn planned(input: &MeetingInput) -> Vec<schedule::Occurrence> {
    let length = input.end - input.start;
    match &input.rule {
        None => vec![schedule::Occurrence {
            meeting_id: 0,
            start: input.start,
            end: input.end,
            start_utc: recurrence::to_utc(input.start),
            end_utc: recurrence::to_utc(input.end),
            original_start: None,
            cancelled: false,
            moved: false,
        }],
        Some(rule) => recurrence::expand(
            input.start,
            length,
            rule,
            &[],
            input.start,
            input
                .start
                .checked_add_signed(Duration::days(366))
                .unwrap_or(NaiveDateTime::MAX),
        )
        .into_iter()
        .map(|o| schedule::Occurrence {
            meeting_id: 0,
            start: o.start,
            end: o.end,
            start_utc: o.start_utc,
            end_utc: o.end_utc,
            original_start: Some(o.start),
            cancelled: false,
            moved: false,
        })
        .collect(),
    }
}

async fn clash_warnings(
    state: &AppState,
    ctx: &Ctx,
    input: &MeetingInput,
    platform_id: Option<i64>,
    except: Option<i64>,
) -> AppResult<Vec<String>> {
    let mine = planned(input);
    let (Some(first), Some(last)) = (mine.first(), mine.last()) else {
        return Ok(Vec::new());
    };
    let from = first
        .start
        .checked_sub_signed(Duration::days(1))
        .unwrap_or(first.start);
    let to = last
        .end
        .checked_add_signed(Duration::days(1))
        .unwrap_or(last.end);
    let others = meeting::Entity::find()
        .filter(meeting::Column::StartsAt.lt(recurrence::to_utc(to)))
        .filter(meeting::Column::Status.ne("cancelled"))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|m| Some(m.id) != except)
        .collect::<Vec<_>>();
    // Every meeting counts for the clash, but only those the person may open are named.
    let others = super::attach(state, others).await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.is_in(others.iter().map(|l| l.meeting.id)))
        .all(&state.db)
        .await?;
    let candidates: Vec<Candidate<'_>> = others
        .iter()
        .map(|l| Candidate {
            meeting: &l.meeting,
            occurrences: schedule::occurrences(&l.meeting, &changes, from, to),
            visible: l.visible_to(ctx),
        })
        .filter(|c| !c.occurrences.is_empty())
        .collect();
    Ok(schedule::clashes(
        &mine,
        &input.place_name,
        platform_id,
        &candidates,
    ))
}

fn apply(
    model: &mut meeting::ActiveModel,
    input: &MeetingInput,
    platform: &Option<platform::Model>,
    group: &Option<working_group::Model>,
) {
    let length = input.end - input.start;
    model.platform_id = Set(platform.as_ref().map(|p| p.id));
    model.working_group_id = Set(group.as_ref().map(|g| g.id));
    model.office_id = Set(input.office_id);
    model.kind = Set(input.kind.clone());
    model.title = Set(input.title.clone());
    model.description = Set(input.description.clone());
    model.all_day = Set(input.all_day);
    model.start_local = Set(format_local(input.start));
    model.end_local = Set(format_local(input.end));
    model.starts_at = Set(recurrence::to_utc(input.start));
    model.ends_at = Set(recurrence::to_utc(input.end));
    model.series_ends_at = Set(input
        .rule
        .as_ref()
        .and_then(|r| schedule::series_end(input.start, length, r)));
    model.tzid = Set(recurrence::TZID.to_string());
    model.rrule = Set(input.rule.as_ref().map(|r| r.to_rrule()));
    model.place_name = Set(input.place_name.clone());
    model.place_address = Set(input.place_address.clone());
    model.video_url = Set(input.video_url.clone());
    model.status = Set(input.status.clone());
    model.visibility = Set(if input.public { "public" } else { "members" }.to_string());
    model.capacity = Set(input.capacity);
    model.registration_open = Set(input.registration_open);
    model.registration_deadline = Set(input.deadline.map(recurrence::to_utc));
    model.meal_options = Set(input.meal_options.join("\n"));
    model.reminder_days = Set(input.reminder_days);
    model.reminder_text = Set(input.reminder_text.clone());
    model.answer_reminder_days = Set(input.answer_reminder_days);
    model.updated_at = Set(Utc::now());
}

async fn save_agenda(
    txn: &impl sea_orm::ConnectionTrait,
    meeting_id: i64,
    agenda: &[AgendaLine],
) -> Result<(), sea_orm::DbErr> {
    agenda_item::Entity::delete_many()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .exec(txn)
        .await?;
    for (i, line) in agenda.iter().enumerate() {
        agenda_item::ActiveModel {
            meeting_id: Set(meeting_id),
            position: Set(i as i32),
            time: Set(line.time.clone()),
            title: Set(line.title.clone()),
            presenters: Set(line.presenters.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn refuse(
    ctx: &Ctx,
    existing: Option<&Loaded>,
    form: &MeetingForm,
    scopes: &views::Choices,
    errors: &FieldErrors,
) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        views::meeting_form(ctx, existing, form, scopes, errors, &[]),
    )
        .into_response()
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    ctx.signed_in()?;
    let scopes = scope_options(&state, &ctx).await?;
    if scopes.is_empty() {
        return Err(AppError::forbidden());
    }
    let scopes = choices(&state, scopes).await?;
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(&ctx, None, &form, &scopes, &errors)),
    };
    let Some((platform, group)) = resolve_scope(&state, &ctx, &input.scope).await? else {
        let mut errors = FieldErrors::default();
        errors.add(
            "scope",
            "Vous ne pouvez pas programmer de réunion à cet endroit.",
        );
        return Ok(refuse(&ctx, None, &form, &scopes, &errors));
    };
    if !office_exists(&state, input.office_id).await? {
        let mut errors = FieldErrors::default();
        errors.add("office_id", "Choisissez un bureau d'accueil dans la liste.");
        return Ok(refuse(&ctx, None, &form, &scopes, &errors));
    }
    if form.confirm_clash != "1" {
        let warnings =
            clash_warnings(&state, &ctx, &input, platform.as_ref().map(|p| p.id), None).await?;
        if !warnings.is_empty() {
            return Ok(views::meeting_form(
                &ctx,
                None,
                &form,
                &scopes,
                &FieldErrors::default(),
                &warnings,
            )
            .into_response());
        }
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let now = Utc::now();
    let mut model = meeting::ActiveModel {
        minutes: Set(String::new()),
        decisions: Set(String::new()),
        actions: Set(String::new()),
        minutes_published: Set(false),
        sequence: Set(0),
        registration_counter: Set(0),
        created_by: Set(ctx.person_id()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut model, &input, &platform, &group);
    let created = model.insert(&txn).await?;
    save_agenda(&txn, created.id, &input.agenda).await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "créer",
        "réunion",
        Some(created.id),
        format!("Réunion « {} » programmée", created.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{}", created.id),
        FlashKind::Success,
        format!("Réunion « {} » programmée.", created.title),
    ))
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let form = form_of(&state, &loaded).await?;
    let scopes = edit_scopes(&state, &ctx, &loaded).await?;
    Ok(views::meeting_form(
        &ctx,
        Some(&loaded),
        &form,
        &scopes,
        &FieldErrors::default(),
        &[],
    )
    .into_response())
}

/// The scopes offered when editing: the current one always, plus where ctx may create.
async fn edit_scopes(state: &AppState, ctx: &Ctx, loaded: &Loaded) -> AppResult<views::Choices> {
    let mut scopes = scope_options(state, ctx).await?;
    let current = current_scope(loaded);
    if !scopes.iter().any(|(k, _)| *k == current.key()) {
        scopes.insert(0, (current.key(), loaded.scope_label()));
    }
    choices(state, scopes).await
}

fn current_scope(loaded: &Loaded) -> ScopeChoice {
    match (&loaded.group, &loaded.platform) {
        (Some(g), _) => ScopeChoice::Group(g.id),
        (None, Some(p)) => ScopeChoice::Platform(p.id),
        _ => ScopeChoice::Network,
    }
}

async fn form_of(state: &AppState, loaded: &Loaded) -> AppResult<MeetingForm> {
    let m = &loaded.meeting;
    let start = parse_local(&m.start_local).unwrap_or_default();
    let mut end = parse_local(&m.end_local).unwrap_or_default();
    if m.all_day {
        end -= Duration::days(1);
    }
    let agenda: Vec<AgendaLine> = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(m.id))
        .order_by_asc(agenda_item::Column::Position)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| AgendaLine {
            time: a.time,
            title: a.title,
            presenters: a.presenters,
        })
        .collect();
    let deadline = m.registration_deadline.map(recurrence::to_local);
    let mut form = MeetingForm {
        scope: current_scope(loaded).key(),
        kind: m.kind.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        date: start.format("%Y-%m-%d").to_string(),
        start_time: if m.all_day {
            String::new()
        } else {
            start.format("%H:%M").to_string()
        },
        end_date: end.format("%Y-%m-%d").to_string(),
        end_time: if m.all_day {
            String::new()
        } else {
            end.format("%H:%M").to_string()
        },
        all_day: m.all_day.then(|| "on".to_string()),
        office_id: m.office_id.map(|o| o.to_string()).unwrap_or_default(),
        place_name: m.place_name.clone(),
        place_address: m.place_address.clone(),
        video_url: m.video_url.clone(),
        visibility: m.visibility.clone(),
        status: m.status.clone(),
        capacity: m.capacity.map(|c| c.to_string()).unwrap_or_default(),
        registration_open: m.registration_open.then(|| "on".to_string()),
        deadline_date: deadline
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        deadline_time: deadline
            .map(|d| d.format("%H:%M").to_string())
            .unwrap_or_default(),
        meal_options: m.meal_options.replace('\n', ", "),
        reminder_days: m.reminder_days.to_string(),
        reminder_text: m.reminder_text.clone(),
        answer_reminder_days: m
            .answer_reminder_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        agenda: agenda_text(&agenda),
        repeat: "none".into(),
        ..Default::default()
    };
    if let Some(rule) = schedule::rule_of(m) {
        form.set_rule(&rule);
    }
    Ok(form)
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let scopes = edit_scopes(&state, &ctx, &loaded).await?;
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors)),
    };
    let resolved = if input.scope == current_scope(&loaded) {
        Some((loaded.platform.clone(), loaded.group.clone()))
    } else {
        resolve_scope(&state, &ctx, &input.scope).await?
    };
    let Some((platform, group)) = resolved else {
        let mut errors = FieldErrors::default();
        errors.add(
            "scope",
            "Vous ne pouvez pas déplacer la réunion à cet endroit.",
        );
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    };
    if !office_exists(&state, input.office_id).await? {
        let mut errors = FieldErrors::default();
        errors.add("office_id", "Choisissez un bureau d'accueil dans la liste.");
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    let old = &loaded.meeting;
    let moved =
        format_local(input.start) != old.start_local || format_local(input.end) != old.end_local;
    if form.confirm_clash != "1" && (moved || input.place_name != old.place_name) {
        let warnings = clash_warnings(
            &state,
            &ctx,
            &input,
            platform.as_ref().map(|p| p.id),
            Some(id),
        )
        .await?;
        if !warnings.is_empty() {
            return Ok(views::meeting_form(
                &ctx,
                Some(&loaded),
                &form,
                &scopes,
                &FieldErrors::default(),
                &warnings,
            )
            .into_response());
        }
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(current) = booking::lock_meeting(&txn, id).await? else {
        return Err(AppError::NotFound);
    };
    if let Some(message) = booking::check_capacity(&txn, id, input.capacity).await? {
        let mut errors = FieldErrors::default();
        errors.add("capacity", message);
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    if current.rrule.is_none()
        && input.rule.is_some()
        && booking::confirmed_count(&txn, id).await? > 0
    {
        let mut errors = FieldErrors::default();
        errors.add(
            "repeat",
            "Cette réunion a déjà des inscriptions : elle ne peut pas devenir une série.",
        );
        return Ok(refuse(&ctx, Some(&loaded), &form, &scopes, &errors));
    }
    let significant = moved
        || input.place_name != current.place_name
        || input.place_address != current.place_address
        || input.video_url != current.video_url
        || input.status != current.status
        || input.rule.as_ref().map(|r| r.to_rrule()) != current.rrule;
    let sequence = current.sequence + i32::from(significant);
    let mut model: meeting::ActiveModel = current.clone().into();
    apply(&mut model, &input, &platform, &group);
    model.sequence = Set(sequence);
    // A new date, time or place asks invitees to confirm again; their answers stay recorded.
    if moved
        || input.place_name != current.place_name
        || input.place_address != current.place_address
        || input.rule.as_ref().map(|r| r.to_rrule()) != current.rrule
    {
        model.reconfirm_since = Set(Some(Utc::now()));
    }
    let saved = model.update(&txn).await?;
    booking::promote(&txn, &saved, Utc::now()).await?;
    save_agenda(&txn, id, &input.agenda).await?;
    // Invitees follow the change, in the same transaction (outbox).
    if significant {
        let after = Loaded {
            meeting: saved.clone(),
            platform: platform.clone(),
            group: group.clone(),
        };
        let me = ctx.viewer.as_deref();
        if saved.status == "cancelled" && current.status != "cancelled" {
            crate::mail::notify::meeting_cancelled(&txn, &state, &after, None, me).await?;
        } else if saved.status != "cancelled" {
            let what = change_summary(&current, &saved);
            crate::mail::notify::meeting_changed(&txn, &state, &after, &what, me).await?;
        }
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "modifier",
        "réunion",
        Some(id),
        format!("Réunion « {} » modifiée", saved.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}"),
        FlashKind::Success,
        "Modifications enregistrées.",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let label = match form.status.as_str() {
        "scheduled" => "La réunion est de nouveau prévue.",
        "cancelled" => "La réunion est annulée : elle reste visible, marquée annulée.",
        "held" => "La réunion est marquée comme tenue.",
        _ => return Err(AppError::BadRequest("Ce statut n'existe pas.".into())),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.status = Set(form.status.clone());
    model.sequence = Set(loaded.meeting.sequence + 1);
    model.updated_at = Set(Utc::now());
    let saved = model.update(&txn).await?;
    let after = Loaded {
        meeting: saved,
        platform: loaded.platform.clone(),
        group: loaded.group.clone(),
    };
    match form.status.as_str() {
        "cancelled" => {
            crate::mail::notify::meeting_cancelled(
                &txn,
                &state,
                &after,
                None,
                ctx.viewer.as_deref(),
            )
            .await?;
        }
        "scheduled" if loaded.meeting.status == "cancelled" => {
            crate::mail::notify::meeting_changed(
                &txn,
                &state,
                &after,
                "la réunion est de nouveau prévue",
                ctx.viewer.as_deref(),
            )
            .await?;
        }
        _ => {}
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "changer le statut",
        "réunion",
        Some(id),
        format!("« {} » : {}", loaded.meeting.title, form.status),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}"),
        FlashKind::Success,
        label,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OccurrenceForm {
    original: String,
    action: String,
    new_date: String,
    new_start: String,
    new_end: String,
}

pub async fn change_occurrence(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<OccurrenceForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("/reunions/{id}");
    let Some(original) = parse_local(&form.original)
        .filter(|o| recurrence::year_in_range(o.date()))
        .filter(|o| schedule::is_series_date(&loaded.meeting, *o))
    else {
        return Err(AppError::BadRequest(
            "Cette date ne fait pas partie de la série.".into(),
        ));
    };
    let (action, new_start, new_end, message) = match form.action.as_str() {
        "skip" => ("skipped", None, None, "Cette date est retirée de la série."),
        "cancel" => (
            "cancelled",
            None,
            None,
            "Cette séance est annulée ; les autres dates ne changent pas.",
        ),
        "restore" => (
            "",
            None,
            None,
            "Cette séance est rétablie à sa date d'origine.",
        ),
        "move" => {
            let date = super::rules::parse_date(&form.new_date);
            let (start, end) = (parse_time(&form.new_start), parse_time(&form.new_end));
            let refusal = match (date, start, end) {
                (None, _, _) if !form.new_date.trim().is_empty() => Some(super::rules::date_refusal(
                    &form.new_date,
                    "La nouvelle date est invalide (AAAA-MM-JJ).",
                )),
                (Some(_), Some(start), Some(end)) if end <= start => {
                    Some("La fin doit venir après le début.".to_string())
                }
                (Some(_), Some(_), Some(_)) => None,
                _ => Some("Pour déplacer une séance, indiquez la nouvelle date et les heures de début et de fin.".to_string()),
            };
            let (Some(date), Some(start), Some(end), None) = (date, start, end, &refusal) else {
                // The meeting page again, with the refusal on top (422): nothing is written.
                let page = super::participation::meeting_page_data(&state, &ctx, loaded).await?;
                let message = refusal.unwrap_or_default();
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    views::meeting_page_with_error(&ctx, &page, &message),
                )
                    .into_response());
            };
            (
                "moved",
                Some(format_local(date.and_time(start))),
                Some(format_local(date.and_time(end))),
                "La séance est déplacée ; les autres dates ne changent pas.",
            )
        }
        _ => return Err(AppError::BadRequest("Cette action n'existe pas.".into())),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    occurrence_change::Entity::delete_many()
        .filter(occurrence_change::Column::MeetingId.eq(id))
        .filter(occurrence_change::Column::OriginalStartLocal.eq(format_local(original)))
        .exec(&txn)
        .await?;
    if !action.is_empty() {
        occurrence_change::ActiveModel {
            meeting_id: Set(id),
            original_start_local: Set(format_local(original)),
            action: Set(action.to_string()),
            new_start_local: Set(new_start),
            new_end_local: Set(new_end),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut model: meeting::ActiveModel = loaded.meeting.clone().into();
    model.sequence = Set(loaded.meeting.sequence + 1);
    model.updated_at = Set(Utc::now());
    // A session at another date (moved, or back at its own) asks invitees to confirm again.
    if matches!(form.action.as_str(), "move" | "restore") {
        model.reconfirm_since = Set(Some(Utc::now()));
    }
    let saved = model.update(&txn).await?;
    let after = Loaded {
        meeting: saved,
        platform: loaded.platform.clone(),
        group: loaded.group.clone(),
    };
    let me = ctx.viewer.as_deref();
    match form.action.as_str() {
        "cancel" | "skip" => {
            crate::mail::notify::meeting_cancelled(&txn, &state, &after, Some(original), me)
                .await?;
        }
        "move" => {
            let what = format!(
                "la séance du {} est déplacée",
                crate::web::french::weekday_date(original.date())
            );
            crate::mail::notify::meeting_changed(&txn, &state, &after, &what, me).await?;
        }
        _ => {
            let what = format!(
                "la séance du {} est rétablie",
                crate::web::french::weekday_date(original.date())
            );
            crate::mail::notify::meeting_changed(&txn, &state, &after, &what, me).await?;
        }
    }
    audit::record(
        &txn,
        ctx.person_id(),
        "modifier une séance",
        "réunion",
        Some(id),
        format!(
            "« {} », séance du {} : {}",
            loaded.meeting.title,
            format_local(original),
            form.action
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(&back, FlashKind::Success, message))
}

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct WorkshopForm {
    pub title: String,
    pub room: String,
    pub animators: String,
    pub slot_start: String,
    pub slot_end: String,
    pub capacity: String,
}

pub fn parse_workshop(
    form: &WorkshopForm,
    meeting: &meeting::Model,
) -> Result<(String, String, String, Option<i32>), String> {
    let title = crate::web::components::name_field(
        &form.title,
        200,
        "Le titre de l'atelier est obligatoire.",
    )?;
    let (Some(start), Some(end)) = (parse_time(&form.slot_start), parse_time(&form.slot_end))
    else {
        return Err(
            "Un atelier doit avoir un créneau : heure de début et heure de fin (HH:MM).".into(),
        );
    };
    if end <= start {
        return Err("Le créneau de l'atelier doit finir après son début.".into());
    }
    if let (Some(m_start), Some(m_end)) = (
        parse_local(&meeting.start_local),
        parse_local(&meeting.end_local),
    ) && !meeting.all_day
        && m_start.date() == m_end.date()
        && (start < m_start.time() || end > m_end.time())
    {
        return Err(format!(
            "Le créneau doit tenir dans la réunion ({}–{}).",
            m_start.format("%H:%M"),
            m_end.format("%H:%M")
        ));
    }
    let capacity = match form.capacity.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) if n > 0 => Some(n),
            _ => return Err("La capacité de l'atelier doit être un nombre entier positif.".into()),
        },
    };
    Ok((
        title,
        start.format("%H:%M").to_string(),
        end.format("%H:%M").to_string(),
        capacity,
    ))
}

pub async fn add_workshop(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<WorkshopForm>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let back = format!("/reunions/{id}#ateliers");
    if loaded.meeting.rrule.is_some() {
        return Err(AppError::BadRequest(
            "Les ateliers sont réservés aux réunions uniques.".into(),
        ));
    }
    let (title, start, end, capacity) = match parse_workshop(&form, &loaded.meeting) {
        Ok(parsed) => parsed,
        Err(message) => return Err(AppError::BadRequest(message)),
    };
    let taken = workshop::Entity::find()
        .filter(workshop::Column::MeetingId.eq(id))
        .filter(workshop::Column::SlotStart.eq(start.clone()))
        .filter(workshop::Column::Title.eq(title.clone()))
        .one(&state.db)
        .await?
        .is_some();
    if taken {
        return Err(AppError::BadRequest(format!(
            "L'atelier « {title} » existe déjà dans le créneau de {start}."
        )));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    workshop::ActiveModel {
        meeting_id: Set(id),
        title: Set(title.clone()),
        room: Set(form.room.trim().to_string()),
        animators: Set(form.animators.trim().to_string()),
        slot_start: Set(start.clone()),
        slot_end: Set(end),
        capacity: Set(capacity),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "ajouter un atelier",
        "réunion",
        Some(id),
        format!("Atelier « {title} » ({start})"),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &back,
        FlashKind::Success,
        format!("Atelier « {title} » ajouté au créneau de {start}."),
    ))
}

pub async fn remove_workshop(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, workshop_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let loaded = load(&state, id).await?;
    ctx.require(Action::ManageMeeting(&loaded.reference()))?;
    let found = workshop::Entity::find_by_id(workshop_id)
        .one(&state.db)
        .await?
        .filter(|w| w.meeting_id == id)
        .ok_or(AppError::NotFound)?;
    let txn = crate::db::begin_write(&state.db).await?;
    workshop::Entity::delete_by_id(workshop_id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        ctx.person_id(),
        "retirer un atelier",
        "réunion",
        Some(id),
        format!("Atelier « {} » retiré", found.title),
    )
    .await?;
    txn.commit().await?;
    Ok(redirect_with_flash(
        &format!("/reunions/{id}#ateliers"),
        FlashKind::Success,
        format!("Atelier « {} » retiré.", found.title),
    ))
}
