//! The meeting form around the handlers: the scopes and choices it offers, its values for an
//! existing meeting, clash warnings, and applying a checked form to a row and its agenda.

use crate::auth::permissions::{Action, MeetingScope};
use crate::entities::meeting::MeetingStatus;
use crate::entities::working_group::GroupStatus;
use crate::entities::{
    agenda_item, meeting, occurrence_change, platform, reception_office, working_group,
};
use crate::events::Change;
use crate::meetings::rules::{AgendaLine, MeetingForm, MeetingInput, ScopeChoice, agenda_text};
use crate::meetings::schedule::{self, Candidate};
use crate::meetings::{Loaded, recurrence, views};
use crate::platforms::{group_ref, platform_ref};
use crate::state::AppState;
use crate::web::components::FieldErrors;
use crate::web::{AppResult, Ctx};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

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
        .filter(working_group::Column::Status.eq(GroupStatus::Active))
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

/// What changed between two versions of a meeting, as facts (mail words them).
pub(super) fn changes(before: &meeting::Model, after: &meeting::Model) -> Vec<Change> {
    let mut changes = Vec::new();
    if before.start_local != after.start_local || before.end_local != after.end_local {
        changes.push(Change::Schedule);
    }
    if before.place_name != after.place_name || before.place_address != after.place_address {
        changes.push(Change::Place);
    }
    if before.video_url != after.video_url {
        changes.push(Change::VideoLink);
    }
    if before.rrule != after.rrule {
        changes.push(Change::Series);
    }
    changes
}

/// What the meeting form offers: scopes and the offices' territories.
pub(super) async fn choices(
    state: &AppState,
    scopes: Vec<(String, String)>,
) -> AppResult<views::Choices> {
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
pub(super) async fn office_exists(state: &AppState, office_id: Option<i64>) -> AppResult<bool> {
    Ok(match office_id {
        None => true,
        Some(id) => reception_office::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .is_some(),
    })
}

/// The platform and group a scope choice points to, if `ctx` may put a meeting there.
pub(super) async fn resolve_scope(
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
pub(super) fn planned(input: &MeetingInput) -> Vec<schedule::Occurrence> {
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

pub(super) async fn clash_warnings(
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
        .filter(meeting::Column::Status.ne(MeetingStatus::Cancelled))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|m| Some(m.id) != except)
        .collect::<Vec<_>>();
    // Every meeting counts for the clash, but only those the person may open are named.
    let others = crate::meetings::attach(state, others).await?;
    let changes = occurrence_change::Entity::find()
        .filter(occurrence_change::Column::MeetingId.is_in(others.iter().map(|l| l.meeting.id)))
        .all(&state.db)
        .await?;
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for l in &others {
        let occurrences = schedule::occurrences(&l.meeting, &changes, from, to)?;
        if !occurrences.is_empty() {
            candidates.push(Candidate {
                meeting: &l.meeting,
                occurrences,
                visible: l.visible_to(ctx),
            });
        }
    }
    Ok(schedule::clashes(
        &mine,
        &input.place_name,
        platform_id,
        &candidates,
    ))
}

pub(super) fn apply(
    model: &mut meeting::ActiveModel,
    input: &MeetingInput,
    platform: &Option<platform::Model>,
    group: &Option<working_group::Model>,
) {
    let length = input.end - input.start;
    model.platform_id = Set(platform.as_ref().map(|p| p.id));
    model.working_group_id = Set(group.as_ref().map(|g| g.id));
    model.office_id = Set(input.office_id);
    model.kind = Set(input.kind);
    model.title = Set(input.title.clone());
    model.description = Set(input.description.clone());
    model.all_day = Set(input.all_day);
    model.start_local = Set(input.start.into());
    model.end_local = Set(input.end.into());
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
    model.status = Set(input.status);
    model.visibility = Set(input.visibility);
    model.capacity = Set(input.capacity);
    model.registration_open = Set(input.registration_open);
    model.registration_deadline = Set(input.deadline.map(recurrence::to_utc));
    model.meal_options = Set(input.meal_options.join("\n"));
    model.reminder_days = Set(input.reminder_days);
    model.reminder_text = Set(input.reminder_text.clone());
    model.answer_reminder_days = Set(input.answer_reminder_days);
    model.updated_at = Set(Utc::now());
}

pub(super) async fn save_agenda(
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

pub(super) fn refuse(
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

/// The scopes offered when editing: the current one always, plus where ctx may create.
pub(super) async fn edit_scopes(
    state: &AppState,
    ctx: &Ctx,
    loaded: &Loaded,
) -> AppResult<views::Choices> {
    let mut scopes = scope_options(state, ctx).await?;
    let current = current_scope(loaded);
    if !scopes.iter().any(|(k, _)| *k == current.key()) {
        scopes.insert(0, (current.key(), loaded.scope_label()));
    }
    choices(state, scopes).await
}

pub(super) fn current_scope(loaded: &Loaded) -> ScopeChoice {
    match (&loaded.group, &loaded.platform) {
        (Some(g), _) => ScopeChoice::Group(g.id),
        (None, Some(p)) => ScopeChoice::Platform(p.id),
        _ => ScopeChoice::Network,
    }
}

pub(super) async fn form_of(state: &AppState, loaded: &Loaded) -> AppResult<MeetingForm> {
    let m = &loaded.meeting;
    let start = m.start_local.naive();
    let mut end = m.end_local.naive();
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
        kind: m.kind.as_str().into(),
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
        visibility: m.visibility.as_str().into(),
        status: m.status.as_str().into(),
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
    if let Some(rule) = schedule::rule_of(m)? {
        form.set_rule(&rule);
    }
    Ok(form)
}
