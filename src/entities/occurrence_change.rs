//! Table `occurrence_changes`: one date of a series skipped, cancelled or moved.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;
use super::local_time::LocalDateTime;

closed_set! {
    pub enum OccurrenceAction in "String(sea_orm::sea_query::StringLen::N(16))" {
        /// Taken out of the series (EXDATE).
        Skipped = "skipped",
        /// Still shown, marked cancelled.
        Cancelled = "cancelled",
        /// Held at `new_start_local`–`new_end_local` instead.
        Moved = "moved",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occurrence_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub original_start_local: LocalDateTime,
    pub action: OccurrenceAction,
    pub new_start_local: Option<LocalDateTime>,
    pub new_end_local: Option<LocalDateTime>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
