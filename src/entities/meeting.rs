//! Table `meetings`, with its closed sets: kind and status (visibility is shared with platforms).
use sea_orm::entity::prelude::*;

use super::closed_set::closed_set;
use super::local_time::LocalDateTime;
pub use super::visibility::Visibility;

closed_set! {
    /// What a meeting is; `label_fr` names it on pages and as a calendar category.
    pub enum MeetingKind in "String(sea_orm::sea_query::StringLen::N(32))" {
        Plenary = "plenary",
        WorkingGroup = "working_group",
        Findings = "findings",
        PeerSession = "peer_session",
        LocalCoordination = "local_coordination",
        Steering = "steering",
        Information = "information",
        PublicEvent = "public_event",
        Training = "training",
        OfficeHours = "office_hours",
    }
}

impl MeetingKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            MeetingKind::Plenary => "Plénière",
            MeetingKind::WorkingGroup => "Réunion de groupe de travail",
            MeetingKind::Findings => "Réunion consacrée aux constats",
            MeetingKind::PeerSession => "Intervision",
            MeetingKind::LocalCoordination => "Coordination locale",
            MeetingKind::Steering => "Comité de pilotage",
            MeetingKind::Information => "Séance d'information",
            MeetingKind::PublicEvent => "Événement public",
            MeetingKind::Training => "Formation",
            MeetingKind::OfficeHours => "Permanence d'un bureau d'accueil",
        }
    }
}

closed_set! {
    /// Where a meeting stands. A cancelled meeting stays visible, marked cancelled.
    pub enum MeetingStatus in "String(sea_orm::sea_query::StringLen::N(16))" {
        Scheduled = "scheduled",
        Cancelled = "cancelled",
        Held = "held",
    }
}

impl MeetingStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "Prévue",
            MeetingStatus::Cancelled => "Annulée",
            MeetingStatus::Held => "Tenue",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: Option<i64>,
    pub working_group_id: Option<i64>,
    /// The reception office whose territory the meeting concerns (for its feed).
    pub office_id: Option<i64>,
    pub kind: MeetingKind,
    pub title: String,
    pub description: String,
    pub all_day: bool,
    /// Brussels wall-clock start (the anchor of a series), stored as "YYYY-MM-DDTHH:MM:SS".
    pub start_local: LocalDateTime,
    pub end_local: LocalDateTime,
    /// UTC instants of the first occurrence.
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// UTC end of the last occurrence of a bounded series; None for a one-off or an endless series.
    pub series_ends_at: Option<DateTimeUtc>,
    pub tzid: String,
    pub rrule: Option<String>,
    pub place_name: String,
    pub place_address: String,
    pub video_url: String,
    pub status: MeetingStatus,
    pub visibility: Visibility,
    pub capacity: Option<i32>,
    pub registration_open: bool,
    pub registration_deadline: Option<DateTimeUtc>,
    pub meal_options: String,
    pub minutes: String,
    pub decisions: String,
    pub actions: String,
    pub minutes_published: bool,
    /// Days before the meeting to remind those who accepted or registered (0 = no reminder).
    pub reminder_days: i32,
    pub reminder_text: String,
    pub reminder_sent_at: Option<DateTimeUtc>,
    /// Days before the meeting to remind invitees who have not answered (None = not automatic).
    pub answer_reminder_days: Option<i32>,
    pub answer_reminder_sent_at: Option<DateTimeUtc>,
    pub sequence: i32,
    pub registration_counter: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The last change of date, time or place: answers given before it are to be confirmed again.
    pub reconfirm_since: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
