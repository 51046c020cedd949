//! Table `domain_events`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The event's name (`crate::events::Event::kind`): "registered", "meeting_changed", …
    pub kind: String,
    pub meeting_id: Option<i64>,
    /// Who caused it, when a person did.
    pub actor_id: Option<i64>,
    /// The whole event as JSON (`crate::events::Event`).
    pub payload: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
