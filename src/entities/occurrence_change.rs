//! Table `occurrence_changes`.
use sea_orm::entity::prelude::*;

use super::local_time::LocalDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occurrence_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub original_start_local: LocalDateTime,
    /// "skipped" (EXDATE), "cancelled" (shown as cancelled) or "moved".
    pub action: String,
    pub new_start_local: Option<LocalDateTime>,
    pub new_end_local: Option<LocalDateTime>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
