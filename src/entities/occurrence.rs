//! Table `occurrences`: the occurrence index, one row per session of a meeting within the rolling
//! horizon (a one-off meeting: one row), keyed by the session's original local start (its
//! RECURRENCE-ID) so that a moved session keeps its row. Written only by `meetings::index`.
use sea_orm::entity::prelude::*;

use super::local_time::LocalDateTime;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occurrences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// The session's identity: its start in the series before any move (a one-off: its start).
    pub original_start_local: LocalDateTime,
    /// Brussels wall-clock start and end of the session (after a move).
    pub start_local: LocalDateTime,
    pub end_local: LocalDateTime,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub cancelled: bool,
    pub moved: bool,
    /// The session's own minutes (a series' session; a one-off keeps its minutes on the meeting).
    pub minutes: String,
    pub decisions: String,
    pub actions: String,
    pub minutes_published: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
