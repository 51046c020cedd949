//! Table `session_answers`: an invitee's answer for one session of a series they were invited to
//! as a whole (an iTIP REPLY with a RECURRENCE-ID, or the answer page's choice for one date). It
//! overrides the invitation's answer for that session only.
use sea_orm::entity::prelude::*;

use super::invitation::Answer;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invitation_id: i64,
    /// The session (its row of the occurrence index).
    pub occurrence_id: i64,
    pub answer: Answer,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
