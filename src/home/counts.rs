//! Registrations and answers to date of the sessions a coordinator's home lists, and whether
//! the viewer is registered: counted in the database, grouped, a few queries for the whole list.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::queries::Session;
use crate::entities::invitation::Answer;
use crate::entities::registration::RegistrationStatus;
use crate::entities::{invitation, registration, session_answer};
use crate::state::AppState;
use crate::web::{AppResult, Ctx};

/// Registrations and answers to date of a session.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub confirmed: i64,
    pub waiting: i64,
    pub accepted: i64,
    pub tentative: i64,
    pub declined: i64,
    pub pending: i64,
}

impl Tally {
    fn add_answer(&mut self, answer: Answer, n: i64) {
        match answer {
            Answer::Accepted => self.accepted += n,
            Answer::Tentative => self.tentative += n,
            Answer::Declined => self.declined += n,
            Answer::Pending => self.pending += n,
        }
    }

    pub fn invited(&self) -> i64 {
        self.accepted + self.tentative + self.declined + self.pending
    }
}

/// The tallies of `sessions`, in their order: four grouped queries whatever their number.
pub async fn tallies(state: &AppState, sessions: &[Session]) -> AppResult<Vec<Tally>> {
    let meeting_ids: Vec<i64> = sessions.iter().map(|s| s.row.meeting_id).collect();
    let registrations: Vec<(i64, Option<i64>, RegistrationStatus, i64)> =
        registration::Entity::find()
            .select_only()
            .column(registration::Column::MeetingId)
            .column(registration::Column::OccurrenceId)
            .column(registration::Column::Status)
            .column_as(registration::Column::Id.count(), "n")
            .filter(registration::Column::MeetingId.is_in(meeting_ids.clone()))
            .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
            .group_by(registration::Column::MeetingId)
            .group_by(registration::Column::OccurrenceId)
            .group_by(registration::Column::Status)
            .into_tuple()
            .all(&state.db)
            .await?;
    let answers: Vec<(i64, Option<i64>, Answer, i64)> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::MeetingId)
        .column(invitation::Column::OccurrenceId)
        .column(invitation::Column::Answer)
        .column_as(invitation::Column::Id.count(), "n")
        .filter(invitation::Column::MeetingId.is_in(meeting_ids))
        .group_by(invitation::Column::MeetingId)
        .group_by(invitation::Column::OccurrenceId)
        .group_by(invitation::Column::Answer)
        .into_tuple()
        .all(&state.db)
        .await?;
    // Answers given for one session by those invited to the whole series override their
    // answer to the series, for that session.
    let series_sessions: Vec<i64> = sessions
        .iter()
        .filter(|s| s.loaded.meeting.rrule.is_some())
        .map(|s| s.row.id)
        .collect();
    let overrides: Vec<(i64, i64, Answer)> = session_answer::Entity::find()
        .select_only()
        .column(session_answer::Column::InvitationId)
        .column(session_answer::Column::OccurrenceId)
        .column(session_answer::Column::Answer)
        .filter(session_answer::Column::OccurrenceId.is_in(series_sessions))
        .into_tuple()
        .all(&state.db)
        .await?;
    let base: HashMap<i64, (Option<i64>, Answer)> = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::Id)
        .column(invitation::Column::OccurrenceId)
        .column(invitation::Column::Answer)
        .filter(invitation::Column::Id.is_in(overrides.iter().map(|o| o.0)))
        .into_tuple::<(i64, Option<i64>, Answer)>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|(id, occurrence, answer)| (id, (occurrence, answer)))
        .collect();
    Ok(sessions
        .iter()
        .map(|s| {
            let (meeting_id, session) = s.key();
            let mut tally = Tally::default();
            for (m, o, status, n) in &registrations {
                if *m == meeting_id && *o == session {
                    match status {
                        RegistrationStatus::Confirmed => tally.confirmed += n,
                        RegistrationStatus::Waiting => tally.waiting += n,
                        RegistrationStatus::Cancelled => {}
                    }
                }
            }
            for (m, o, answer, n) in &answers {
                // A session counts the invitations to it and those to the whole series.
                if *m == meeting_id && (*o == session || o.is_none()) {
                    tally.add_answer(*answer, *n);
                }
            }
            if session.is_some() {
                for (invitation_id, occurrence_id, answer) in &overrides {
                    if *occurrence_id != s.row.id {
                        continue;
                    }
                    // Only an invitation to the whole series is overridden per session.
                    if let Some((None, given)) = base.get(invitation_id) {
                        tally.add_answer(*given, -1);
                        tally.add_answer(*answer, 1);
                    }
                }
            }
            tally
        })
        .collect())
}

/// Whether the viewer holds a registration (confirmed or waiting) for each of `sessions`.
pub async fn registered(state: &AppState, ctx: &Ctx, sessions: &[Session]) -> AppResult<Vec<bool>> {
    let Some(me) = ctx.person_id() else {
        return Ok(vec![false; sessions.len()]);
    };
    let mine: Vec<(i64, Option<i64>)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::MeetingId)
        .column(registration::Column::OccurrenceId)
        .filter(registration::Column::PersonId.eq(me))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .filter(registration::Column::MeetingId.is_in(sessions.iter().map(|s| s.row.meeting_id)))
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(sessions.iter().map(|s| mine.contains(&s.key())).collect())
}
