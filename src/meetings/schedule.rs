//! Occurrences: a one-off meeting is one occurrence; a series expands through its rule, minus
//! skipped dates, with cancelled occurrences flagged and moved ones at their new time.
//! Also the clash check run when a meeting is created or moved.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sea_orm::DbErr;

use super::recurrence::{self, Rule};
use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::{MeetingKind, MeetingStatus};
use crate::entities::occurrence_change::OccurrenceAction;
use crate::entities::{meeting, occurrence_change};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub meeting_id: i64,
    /// Local Brussels times of this occurrence (after a move).
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub start_utc: DateTime<Utc>,
    pub end_utc: DateTime<Utc>,
    /// For a series: the occurrence's original local start (its RECURRENCE-ID).
    pub original_start: Option<NaiveDateTime>,
    pub cancelled: bool,
    pub moved: bool,
}

pub fn duration(meeting: &meeting::Model) -> Duration {
    let (start, end) = (meeting.start_local.naive(), meeting.end_local.naive());
    if end > start {
        end - start
    } else {
        Duration::hours(1)
    }
}

/// The series rule of `meeting`, None for a one-off. A stored rule that does not parse (a row
/// written by hand, a bad script) is a database error naming the meeting and the text: never a
/// series silently shown as a one-off.
pub fn rule_of(meeting: &meeting::Model) -> Result<Option<Rule>, DbErr> {
    let Some(text) = meeting.rrule.as_deref() else {
        return Ok(None);
    };
    Rule::parse(text).map(Some).map_err(|error| {
        DbErr::Type(format!(
            "colonne rrule illisible (id={}) : « {text} » n'est pas une règle de récurrence : \
             {error}",
            meeting.id
        ))
    })
}

/// Occurrences of `meeting` whose local start falls in [from, to).
pub fn occurrences(
    meeting: &meeting::Model,
    changes: &[occurrence_change::Model],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Occurrence>, DbErr> {
    let start = meeting.start_local.naive();
    let length = duration(meeting);
    let series_cancelled = match meeting.status {
        MeetingStatus::Cancelled => true,
        MeetingStatus::Scheduled | MeetingStatus::Held => false,
    };
    let Some(rule) = rule_of(meeting)? else {
        let end = start.checked_add_signed(length).unwrap_or(start);
        if start < to && end > from {
            return Ok(vec![Occurrence {
                meeting_id: meeting.id,
                start,
                end,
                start_utc: meeting.starts_at,
                end_utc: meeting.ends_at,
                original_start: None,
                cancelled: series_cancelled,
                moved: false,
            }]);
        }
        return Ok(Vec::new());
    };
    let mine: Vec<&occurrence_change::Model> = changes
        .iter()
        .filter(|c| c.meeting_id == meeting.id)
        .collect();
    let skipped: Vec<NaiveDateTime> = mine
        .iter()
        .filter(|c| match c.action {
            OccurrenceAction::Skipped | OccurrenceAction::Moved => true,
            OccurrenceAction::Cancelled => false,
        })
        .map(|c| c.original_start_local.naive())
        .collect();
    let mut out: Vec<Occurrence> = recurrence::expand(start, length, &rule, &skipped, from, to)
        .into_iter()
        .map(|o| {
            let cancelled = series_cancelled
                || mine.iter().any(|c| {
                    c.action == OccurrenceAction::Cancelled
                        && c.original_start_local.naive() == o.start
                });
            Occurrence {
                meeting_id: meeting.id,
                start: o.start,
                end: o.end,
                start_utc: o.start_utc,
                end_utc: o.end_utc,
                original_start: Some(o.start),
                cancelled,
                moved: false,
            }
        })
        .collect();
    // Moved occurrences show at their new time, if that falls in the window.
    for change in mine.iter().filter(|c| c.action == OccurrenceAction::Moved) {
        // A move always records its new start; without one there is nowhere to show it.
        let original = change.original_start_local.naive();
        let Some(new_start) = change.new_start_local.map(LocalDateTime::naive) else {
            continue;
        };
        let new_end = change
            .new_end_local
            .map(LocalDateTime::naive)
            .unwrap_or_else(|| new_start.checked_add_signed(length).unwrap_or(new_start));
        if new_start < to && new_end > from {
            out.push(Occurrence {
                meeting_id: meeting.id,
                start: new_start,
                end: new_end,
                start_utc: recurrence::to_utc(new_start),
                end_utc: recurrence::to_utc(new_end),
                original_start: Some(original),
                cancelled: series_cancelled,
                moved: true,
            });
        }
    }
    out.sort_by_key(|o| o.start);
    Ok(out)
}

/// Whether `original` is one of the series' own dates (so it may be skipped, cancelled or moved).
/// An unreadable stored rule is an error, as in `rule_of`.
pub fn is_series_date(meeting: &meeting::Model, original: NaiveDateTime) -> Result<bool, DbErr> {
    let Some(rule) = rule_of(meeting)? else {
        return Ok(false);
    };
    let start = meeting.start_local.naive();
    Ok(recurrence::expand(
        start,
        duration(meeting),
        &rule,
        &[],
        original,
        original
            .checked_add_signed(Duration::seconds(1))
            .unwrap_or(NaiveDateTime::MAX),
    )
    .iter()
    .any(|o| o.start == original))
}

/// The UTC end of the last occurrence of a bounded series (UNTIL or COUNT), None if endless.
pub fn series_end(start: NaiveDateTime, length: Duration, rule: &Rule) -> Option<DateTime<Utc>> {
    let text = rule.to_rrule();
    if !text.contains("COUNT=") && !text.contains("UNTIL=") {
        return None;
    }
    recurrence::expand(
        start,
        length,
        rule,
        &[],
        start,
        start
            .checked_add_signed(Duration::days(366 * 30))
            .unwrap_or(NaiveDateTime::MAX),
    )
    .last()
    .map(|o| o.end_utc)
}

/// A meeting seen by the clash check.
pub struct Candidate<'a> {
    pub meeting: &'a meeting::Model,
    pub occurrences: Vec<Occurrence>,
    /// Whether the person scheduling may open this meeting: only then is it named.
    pub visible: bool,
}

/// Warnings, in French, for `new` (its first occurrences) against others: same place at the same
/// time, or a plenary of the same platform at the same time. A meeting the person may not open
/// is never named: the warning says only that the place (or the platform) is taken then.
pub fn clashes(
    new_occurrences: &[Occurrence],
    place_name: &str,
    platform_id: Option<i64>,
    others: &[Candidate<'_>],
) -> Vec<String> {
    let place = place_name.trim().to_lowercase();
    let mut warnings = Vec::new();
    for other in others {
        for mine in new_occurrences.iter().filter(|o| !o.cancelled) {
            let Some(hit) = other
                .occurrences
                .iter()
                .find(|o| !o.cancelled && o.start_utc < mine.end_utc && mine.start_utc < o.end_utc)
            else {
                continue;
            };
            let same_place =
                !place.is_empty() && other.meeting.place_name.trim().to_lowercase() == place;
            let plenary = other.meeting.kind == MeetingKind::Plenary
                && platform_id.is_some()
                && other.meeting.platform_id == platform_id;
            let when = hit.start.format("%d/%m/%Y à %H:%M");
            // The place as the person typed it: the other meeting's spelling is its own.
            let typed = place_name.trim();
            match (same_place, plenary, other.visible) {
                (true, _, true) => warnings.push(format!(
                    "Le lieu « {} » est déjà pris par « {} » le {when}.",
                    other.meeting.place_name, other.meeting.title
                )),
                (true, _, false) => warnings.push(format!(
                    "Le lieu « {typed} » est déjà pris le {when}."
                )),
                (false, true, true) => warnings.push(format!(
                    "La plénière « {} » de la même plateforme a lieu en même temps ({when}) : ses membres y sont invités.",
                    other.meeting.title
                )),
                (false, true, false) => warnings.push(format!(
                    "Une plénière de la même plateforme a lieu en même temps ({when}) : ses membres y sont invités."
                )),
                (false, false, _) => {}
            }
            break;
        }
    }
    warnings
}
