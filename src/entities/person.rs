//! Table `people`.
use sea_orm::entity::prelude::*;

pub use super::language::Language;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub email: String,
    pub email_normalized: String,
    pub organisation_id: Option<i64>,
    pub language: Language,
    pub active: bool,
    pub is_admin: bool,
    pub password_hash: Option<String>,
    /// Which notices the person wants (invitations and changes are always sent).
    pub notify_confirmations: bool,
    pub notify_reminders: bool,
    pub notify_minutes: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
