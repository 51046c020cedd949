//! Table `outbox`: what a message is about, and where its delivery stands.
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;

closed_set! {
    /// Also the end of the message's file name with the file transport.
    pub enum OutboxKind in "String(sea_orm::sea_query::StringLen::N(32))" {
        Invitation = "invitation",
        Update = "update",
        Cancellation = "cancellation",
        Registration = "registration",
        Minutes = "minutes",
        Reminder = "reminder",
        AnswerReminder = "answer-reminder",
    }
}

closed_set! {
    pub enum OutboxStatus in "String(sea_orm::sea_query::StringLen::N(16))" {
        Pending = "pending",
        /// Claimed by a worker, under lease.
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
    }
}

impl OutboxStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "en attente",
            OutboxStatus::Sending => "en cours d'envoi",
            OutboxStatus::Sent => "envoyé",
            OutboxStatus::Failed => "échec définitif",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: OutboxKind,
    pub meeting_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    /// The whole RFC 5322 message, as composed when the change was made.
    pub message: String,
    pub status: OutboxStatus,
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
