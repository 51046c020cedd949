//! Table `registrations`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub person_id: i64,
    /// "confirmed", "waiting" or "cancelled".
    pub status: String,
    /// Arrival order within the meeting (the waiting list is served in this order).
    pub position: i64,
    pub meal: String,
    pub note: String,
    pub registered_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
