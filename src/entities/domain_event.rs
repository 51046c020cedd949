//! Table `domain_events`.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;

closed_set! {
    /// Which event a row records: one value per `crate::events::Event` variant, the same name as
    /// the payload's `kind` (`Event::kind` maps each variant to its value).
    pub enum EventKind in "String(sea_orm::sea_query::StringLen::N(64))" {
        Registered = "registered",
        RegistrationCancelled = "registration_cancelled",
        Promoted = "promoted",
        MeetingChanged = "meeting_changed",
        MeetingCancelled = "meeting_cancelled",
        MeetingRestored = "meeting_restored",
        MinutesPublished = "minutes_published",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The event's name (`crate::events::Event::kind`): "registered", "meeting_changed", …
    pub kind: EventKind,
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
