//! Table `attendance`, and whether someone came.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;

closed_set! {
    pub enum Presence in "String(sea_orm::sea_query::StringLen::N(16))" {
        Present = "present",
        Excused = "excused",
        Absent = "absent",
    }
}

impl Presence {
    /// "présent·e": in sentences and the sheet's state column.
    pub fn label_fr(self) -> &'static str {
        match self {
            Presence::Present => "présent·e",
            Presence::Excused => "excusé·e",
            Presence::Absent => "absent·e",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// The session of a series this is for (its row of the occurrence index); None: the meeting
    /// as a whole (a one-off meeting).
    pub occurrence_id: Option<i64>,
    pub person_id: Option<i64>,
    pub walk_in_name: String,
    pub status: Presence,
    pub marked_by: Option<i64>,
    pub marked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
