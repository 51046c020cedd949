//! Table `working_groups`, and whether a group is still at work.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;

closed_set! {
    /// A closed group keeps its page and history; no new meeting is planned for it.
    pub enum GroupStatus in "String(sea_orm::sea_query::StringLen::N(16))" {
        Active = "active",
        Closed = "closed",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "working_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    pub name: String,
    pub mandate: String,
    pub status: GroupStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
