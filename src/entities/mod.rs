//! sea-orm entities, one per table, kept apart from the rules that use them (as loco does).
//! Hand-written to match `migrations/`; the migrations are the source of truth for the schema.
//! Closed sets (kinds, statuses, roles, answers, languages…) are enums beside their table, stored
//! as the same strings as before (`closed_set.rs`).

pub mod agenda_item;
pub mod attendance;
pub mod audit_entry;
pub mod calendar_change;
pub mod closed_set;
pub mod domain_event;
pub mod feed_token;
pub mod group_membership;
pub mod invitation;
pub mod language;
pub mod local_time;
pub mod login_attempt;
pub mod meeting;
pub mod municipality;
pub mod occurrence;
pub mod occurrence_change;
pub mod organisation;
pub mod outbox_message;
pub mod person;
pub mod platform;
pub mod platform_membership;
pub mod reception_office;
pub mod registration;
pub mod role;
pub mod session;
pub mod session_answer;
pub mod setting;
pub mod visibility;
pub mod working_group;
pub mod workshop;
pub mod workshop_assignment;
pub mod workshop_preference;

#[cfg(test)]
mod tests;
