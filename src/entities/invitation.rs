//! Table `invitations`, and the invitee's answer.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;
pub use super::language::Language;

closed_set! {
    pub enum Answer in "String(sea_orm::sea_query::StringLen::N(16))" {
        Pending = "pending",
        Accepted = "accepted",
        Tentative = "tentative",
        Declined = "declined",
    }
}

impl Answer {
    /// The answer as the invitee gives it ("je ne pourrai pas venir").
    pub fn label_fr(self) -> &'static str {
        match self {
            Answer::Pending => "pas encore de réponse",
            Answer::Accepted => "j'y serai",
            Answer::Tentative => "peut-être",
            Answer::Declined => "je ne pourrai pas venir",
        }
    }

    /// The answer as the organisers read it, in the list of invitees ("ne viendra pas").
    pub fn label_fr_for_organisers(self) -> &'static str {
        match self {
            Answer::Declined => "ne viendra pas",
            Answer::Pending | Answer::Accepted | Answer::Tentative => self.label_fr(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// The one session of a series this invitation is to (its row of the occurrence index);
    /// None: the meeting as a whole (every session of a series).
    pub occurrence_id: Option<i64>,
    /// The invitee's account, if any (partners may have none).
    pub person_id: Option<i64>,
    pub email: String,
    pub email_normalized: String,
    pub name: String,
    pub language: Language,
    pub answer: Answer,
    pub answered_at: Option<DateTimeUtc>,
    pub invited_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
