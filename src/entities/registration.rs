//! Table `registrations`, and where a registration stands.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;

closed_set! {
    /// Confirmed: holds a seat; waiting: on the waiting list, served in arrival order;
    /// cancelled: kept so that registering again reuses the row.
    pub enum RegistrationStatus in "String(sea_orm::sea_query::StringLen::N(16))" {
        Confirmed = "confirmed",
        Waiting = "waiting",
        Cancelled = "cancelled",
    }
}

impl RegistrationStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "confirmée",
            RegistrationStatus::Waiting => "liste d'attente",
            RegistrationStatus::Cancelled => "annulée",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// The session of a series this is for (its row of the occurrence index); None: the meeting
    /// as a whole (a one-off meeting).
    pub occurrence_id: Option<i64>,
    pub person_id: i64,
    pub status: RegistrationStatus,
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
