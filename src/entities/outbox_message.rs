//! Table `outbox`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// "invitation", "update", "cancellation", "confirmation", "reminder", …
    pub kind: String,
    pub meeting_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    /// The whole RFC 5322 message, as composed when the change was made.
    pub message: String,
    /// "pending", "sending" (claimed, under lease), "sent" or "failed".
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub claimed_by: Option<String>,
    pub last_error: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
