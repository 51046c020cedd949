//! Table `invitations`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// The invitee's account, if any (partners may have none).
    pub person_id: Option<i64>,
    pub email: String,
    pub email_normalized: String,
    pub name: String,
    pub language: String,
    /// "pending", "accepted", "tentative" or "declined".
    pub answer: String,
    pub answered_at: Option<DateTimeUtc>,
    pub invited_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
