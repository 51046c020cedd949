//! Table `calendar_changes`: what changed in the calendar, in commit order.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// None: anything may have changed (a platform, a group, a bulk import).
    pub meeting_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
