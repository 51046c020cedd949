//! The demo's meetings: the reception offices' office hours (endless series, with a few changed
//! dates) and a year of platform and working-group meetings, each with its agenda. A meeting is
//! found by its title and local start and inserted only if missing.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

use crate::auth::permissions::Role;
use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::{MeetingKind, MeetingStatus, Visibility};
use crate::entities::{agenda_item, meeting, occurrence_change, reception_office};
use crate::meetings::recurrence::{self, Rule};
use crate::meetings::schedule;

use super::fixtures::{
    AgendaItemFixture, Fixtures, MeetingFixture, MinutesFixture, OfficeHoursFixture,
};
use super::{Added, COORDINATOR_EMAIL, lookup};

/// Meeting rows (one-off meetings and series) the demo holds: the office hours, the meetings
/// and the plenary.
pub(super) fn meeting_count(fixtures: &Fixtures) -> usize {
    fixtures.office_hours.len() + fixtures.meetings.len() + 1
}

/// One meeting row as `meetings::edit::apply` derives it from the form: Brussels wall clock,
/// UTC instants of the first occurrence, the canonical RRULE and the end of a bounded series.
pub(super) struct PlannedMeeting<'f> {
    pub platform_id: Option<i64>,
    pub working_group_id: Option<i64>,
    /// The reception office whose territory the meeting concerns (its office-hours feed).
    pub office_id: Option<i64>,
    pub kind: MeetingKind,
    pub title: String,
    pub description: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub rule: Option<Rule>,
    pub place_name: String,
    pub place_address: String,
    pub video_url: &'f str,
    pub visibility: Visibility,
    pub status: MeetingStatus,
    pub capacity: Option<i32>,
    pub registration_open: bool,
    pub deadline: Option<NaiveDateTime>,
    pub meal_options: Vec<&'f str>,
    pub minutes: Option<&'f MinutesFixture>,
    pub created_by: Option<i64>,
}

/// The series' rule, checked against its first date (which must be one of the rule's dates).
pub(super) fn series_rule(
    rrule: Option<&str>,
    start: NaiveDateTime,
) -> anyhow::Result<Option<Rule>> {
    let Some(rrule) = rrule.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let rule = Rule::parse(rrule).map_err(|m| anyhow::anyhow!("{rrule} : {m}"))?;
    rule.check_start(start)
        .map_err(|m| anyhow::anyhow!("{rrule} : {m}"))?;
    Ok(Some(rule))
}

/// The status of a demo meeting: a series runs on; a one-off meeting already over is held.
pub(super) fn status_at(
    cancelled: bool,
    series: bool,
    end: NaiveDateTime,
    now: DateTime<Utc>,
) -> MeetingStatus {
    if cancelled {
        MeetingStatus::Cancelled
    } else if !series && recurrence::to_utc(end) < now {
        MeetingStatus::Held
    } else {
        MeetingStatus::Scheduled
    }
}

pub(super) fn plan_office_hours<'f>(
    fixture: &'f OfficeHoursFixture,
    office_id: Option<i64>,
    created_by: Option<i64>,
) -> anyhow::Result<PlannedMeeting<'f>> {
    let start = fixture.anchor.and_time(fixture.start);
    let end = fixture.anchor.and_time(fixture.end);
    let rule = series_rule(Some(&fixture.rrule), start)?;
    Ok(PlannedMeeting {
        platform_id: None,
        working_group_id: None,
        office_id,
        kind: MeetingKind::OfficeHours,
        title: format!("Permanence du bureau d'accueil {}", fixture.of_town),
        description: format!(
            "Permanence sans rendez-vous du bureau d'accueil pour les habitant·es de {} : \
             information sur le parcours d'intégration, inscription aux formations de français et \
             de citoyenneté, orientation vers les services.",
            fixture.municipalities
        ),
        start,
        end,
        rule,
        place_name: format!("Bureau d'accueil {}", fixture.of_town),
        place_address: fixture.address.clone(),
        video_url: "",
        visibility: Visibility::Public,
        status: MeetingStatus::Scheduled,
        capacity: None,
        registration_open: false,
        deadline: None,
        meal_options: Vec::new(),
        minutes: None,
        created_by,
    })
}

pub(super) fn plan_meeting<'f>(
    fixtures: &'f Fixtures,
    fixture: &'f MeetingFixture,
    platform_id: Option<i64>,
    working_group_id: Option<i64>,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<PlannedMeeting<'f>> {
    let start = fixture.date.and_time(fixture.start);
    let end = fixture.date.and_time(fixture.end);
    if end <= start {
        anyhow::bail!("« {} » finit avant de commencer", fixture.title);
    }
    let rule = series_rule(fixture.rrule.as_deref(), start)?;
    let (place_name, place_address) = fixtures.place(fixture.place.as_deref())?;
    Ok(PlannedMeeting {
        platform_id,
        working_group_id,
        office_id: None,
        kind: fixture.kind,
        title: fixture.title.clone(),
        description: fixture.description.clone(),
        start,
        end,
        status: status_at(fixture.cancelled, rule.is_some(), end, now),
        rule,
        place_name: place_name.to_string(),
        place_address: place_address.to_string(),
        video_url: &fixture.video_url,
        visibility: if fixture.public {
            Visibility::Public
        } else {
            Visibility::Members
        },
        capacity: fixture.capacity,
        registration_open: fixture.registration_open,
        deadline: fixture.registration_deadline,
        meal_options: Vec::new(),
        minutes: fixture.minutes.as_ref(),
        created_by,
    })
}

/// The meeting with this title and local start, inserted if missing.
pub(super) async fn ensure_meeting(
    txn: &DatabaseTransaction,
    planned: PlannedMeeting<'_>,
    added: &mut Added,
) -> anyhow::Result<meeting::Model> {
    let start_local = LocalDateTime::from(planned.start);
    let existing = meeting::Entity::find()
        .filter(meeting::Column::Title.eq(planned.title.as_str()))
        .filter(meeting::Column::StartLocal.eq(start_local))
        .one(txn)
        .await?;
    if let Some(row) = existing {
        return Ok(row);
    }
    let length = planned.end - planned.start;
    let now = Utc::now();
    let (minutes, decisions, actions) = match planned.minutes {
        Some(m) => (m.minutes.as_str(), m.decisions.as_str(), m.actions.as_str()),
        None => ("", "", ""),
    };
    let row = meeting::ActiveModel {
        platform_id: Set(planned.platform_id),
        working_group_id: Set(planned.working_group_id),
        office_id: Set(planned.office_id),
        kind: Set(planned.kind),
        title: Set(planned.title),
        description: Set(planned.description),
        all_day: Set(false),
        start_local: Set(start_local),
        end_local: Set(planned.end.into()),
        starts_at: Set(recurrence::to_utc(planned.start)),
        ends_at: Set(recurrence::to_utc(planned.end)),
        series_ends_at: Set(planned
            .rule
            .as_ref()
            .and_then(|r| schedule::series_end(planned.start, length, r))),
        tzid: Set(recurrence::TZID.to_string()),
        rrule: Set(planned.rule.as_ref().map(Rule::to_rrule)),
        place_name: Set(planned.place_name),
        place_address: Set(planned.place_address),
        video_url: Set(planned.video_url.to_string()),
        status: Set(planned.status),
        visibility: Set(planned.visibility),
        capacity: Set(planned.capacity),
        registration_open: Set(planned.registration_open),
        registration_deadline: Set(planned.deadline.map(recurrence::to_utc)),
        meal_options: Set(planned.meal_options.join("\n")),
        minutes: Set(minutes.to_string()),
        decisions: Set(decisions.to_string()),
        actions: Set(actions.to_string()),
        minutes_published: Set(planned.minutes.is_some()),
        sequence: Set(0),
        registration_counter: Set(0),
        created_by: Set(planned.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    added.meetings += 1;
    Ok(row)
}

/// The agenda of a meeting that has none yet.
pub(super) async fn ensure_agenda(
    txn: &DatabaseTransaction,
    meeting_id: i64,
    agenda: &[AgendaItemFixture],
    added: &mut Added,
) -> anyhow::Result<()> {
    if agenda.is_empty() {
        return Ok(());
    }
    let present = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .count(txn)
        .await?;
    if present > 0 {
        return Ok(());
    }
    for (position, item) in (0i32..).zip(agenda) {
        agenda_item::ActiveModel {
            meeting_id: Set(meeting_id),
            position: Set(position),
            time: Set(item.time.clone()),
            title: Set(item.title.clone()),
            presenters: Set(item.presenters.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        added.agenda_items += 1;
    }
    Ok(())
}

/// The coordinator who schedules a platform's meetings (the first listed), else the network's.
pub(super) fn organiser(
    fixtures: &Fixtures,
    platform_name: &str,
    person_ids: &HashMap<&str, i64>,
) -> Option<i64> {
    let email = fixtures
        .platform(platform_name)
        .and_then(|p| p.members.iter().find(|m| m.role == Role::Coordinator))
        .map_or(COORDINATOR_EMAIL, |m| m.email.as_str());
    person_ids.get(email).copied()
}

pub(super) async fn load_office_hours(
    txn: &DatabaseTransaction,
    fixtures: &Fixtures,
    person_ids: &HashMap<&str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let created_by = person_ids.get(COORDINATOR_EMAIL).copied();
    let offices: HashMap<String, i64> = reception_office::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|o| (o.name, o.id))
        .collect();
    let mut series: HashMap<&str, meeting::Model> = HashMap::new();
    for fixture in &fixtures.office_hours {
        let office_id = offices.get(&fixture.office).copied().ok_or_else(|| {
            anyhow::anyhow!(
                "bureau d'accueil « {} » introuvable : les migrations ont-elles été appliquées ?",
                fixture.office
            )
        })?;
        let planned = plan_office_hours(fixture, Some(office_id), created_by)?;
        let row = ensure_meeting(txn, planned, added).await?;
        series.insert(fixture.office.as_str(), row);
    }
    for change in &fixtures.occurrence_changes {
        let row = series.get(change.office.as_str()).ok_or_else(|| {
            anyhow::anyhow!(
                "bureau d'accueil « {} » absent du jeu de démonstration",
                change.office
            )
        })?;
        let is_date = schedule::is_series_date(row, change.original_start)?;
        let date = Some(change.original_start)
            .filter(|_| is_date)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "« {} » n'est pas une date de « {} »",
                    LocalDateTime::from(change.original_start),
                    row.title
                )
            })?;
        let existing = occurrence_change::Entity::find()
            .filter(occurrence_change::Column::MeetingId.eq(row.id))
            .filter(occurrence_change::Column::OriginalStartLocal.eq(LocalDateTime::from(date)))
            .one(txn)
            .await?;
        if existing.is_none() {
            occurrence_change::ActiveModel {
                meeting_id: Set(row.id),
                original_start_local: Set(date.into()),
                action: Set(change.action.stored()),
                new_start_local: Set(None),
                new_end_local: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            added.occurrence_changes += 1;
        }
    }
    Ok(())
}

pub(super) async fn load_meetings(
    txn: &DatabaseTransaction,
    fixtures: &Fixtures,
    platform_ids: &HashMap<&str, i64>,
    group_ids: &HashMap<(&str, &str), i64>,
    person_ids: &HashMap<&str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let now = Utc::now();
    for fixture in &fixtures.meetings {
        let platform_name = fixture.platform.as_deref().unwrap_or_default();
        let platform_id = lookup(platform_ids, platform_name, "plateforme")?;
        let group_id = match &fixture.group {
            None => None,
            Some(group) => Some(
                group_ids
                    .get(&(platform_name, group.as_str()))
                    .copied()
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "groupe de travail « {group} » absent du jeu de démonstration"
                        )
                    })?,
            ),
        };
        let created_by = organiser(fixtures, platform_name, person_ids);
        let planned = plan_meeting(
            fixtures,
            fixture,
            Some(platform_id),
            group_id,
            created_by,
            now,
        )?;
        let row = ensure_meeting(txn, planned, added).await?;
        ensure_agenda(txn, row.id, &fixture.agenda, added).await?;
    }
    Ok(())
}
