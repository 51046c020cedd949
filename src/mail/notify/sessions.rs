//! Messages about one session of a series: which session an invitation or an event is about,
//! how its date is worded, and the address of its page. Its calendar is the series' UID with the
//! session's RECURRENCE-ID (`calendar::session_event`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entities::local_time::LocalDateTime;
use crate::entities::{invitation, occurrence};
use crate::meetings::views::{day_fr, when_fr};

/// One session of a series: its identity (original local start) and its times as they now are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    pub original: NaiveDateTime,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub cancelled: bool,
}

impl Session {
    #[must_use]
    pub fn of(row: &occurrence::Model) -> Self {
        Self {
            original: row.original_start_local.naive(),
            start: row.start_local.naive(),
            end: row.end_local.naive(),
            cancelled: row.cancelled,
        }
    }

    /// "séance du mardi 9 mars 2027, 14:00–16:00 (heure de Bruxelles)", with "déplacée du …"
    /// when it no longer falls on its original day.
    #[must_use]
    pub fn when_fr(&self, all_day: bool) -> String {
        let mut text = format!("séance du {}", when_fr(self.start, self.end, all_day));
        if !all_day {
            text.push_str(" (heure de Bruxelles)");
        }
        if self.start.date() != self.original.date() {
            text.push_str(&format!(" — déplacée du {}", day_fr(self.original.date())));
        }
        text
    }

    /// The address of the session's page: its original date stays its address when it moves.
    #[must_use]
    pub fn page_url(&self, base_url: &str, meeting_id: i64) -> String {
        format!(
            "{base_url}/reunions/{meeting_id}/{}",
            self.original.date().format("%Y-%m-%d")
        )
    }
}

/// The sessions the invitations to one session point at, by their row id.
pub(super) async fn of_invitations(
    db: &impl ConnectionTrait,
    invitations: &[invitation::Model],
) -> Result<HashMap<i64, Session>, DbErr> {
    let ids: Vec<i64> = invitations.iter().filter_map(|i| i.occurrence_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(occurrence::Entity::find()
        .filter(occurrence::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|row| (row.id, Session::of(row)))
        .collect())
}

/// The row of the session of `meeting_id` whose original local start is `original`.
pub(super) async fn row_at(
    db: &impl ConnectionTrait,
    meeting_id: i64,
    original: NaiveDateTime,
) -> Result<Option<occurrence::Model>, DbErr> {
    occurrence::Entity::find()
        .filter(occurrence::Column::MeetingId.eq(meeting_id))
        .filter(occurrence::Column::OriginalStartLocal.eq(LocalDateTime::from(original)))
        .one(db)
        .await
}
