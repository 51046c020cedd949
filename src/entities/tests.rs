//! Every closed set: each value goes to the string the database has always held and back, by
//! every road (sea-orm, `FromStr`, serde); an unknown string is refused, never defaulted.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::str::FromStr;

use sea_orm::ActiveEnum;
use serde::de::DeserializeOwned;

use super::attendance::Presence;
use super::closed_set::UnknownValue;
use super::domain_event::EventKind;
use super::invitation::Answer;
use super::language::Language;
use super::meeting::{MeetingKind, MeetingStatus};
use super::occurrence_change::OccurrenceAction;
use super::organisation::OrganisationKind;
use super::outbox_message::{OutboxKind, OutboxStatus};
use super::registration::RegistrationStatus;
use super::role::Role;
use super::visibility::Visibility;
use super::working_group::GroupStatus;

/// `T`'s values must be exactly `stored`, in that order, and each must make the round trip.
fn round_trip<T, const N: usize>(all: [T; N], stored: &[&str])
where
    T: ActiveEnum<Value = String>
        + FromStr<Err = UnknownValue>
        + DeserializeOwned
        + serde::Serialize
        + std::fmt::Display
        + Copy
        + Debug
        + PartialEq,
{
    let strings: Vec<String> = all.iter().map(ActiveEnum::to_value).collect();
    assert_eq!(
        strings,
        stored,
        "stored strings of {}",
        std::any::type_name::<T>()
    );
    let iterated: Vec<T> = T::iter().collect();
    assert_eq!(
        iterated, all,
        "ALL lists every variant once, in declaration order"
    );
    assert_eq!(
        stored.iter().collect::<BTreeSet<_>>().len(),
        stored.len(),
        "two values share a string"
    );
    for value in all {
        let text = value.to_value();
        assert_eq!(T::try_from_value(&text), Ok(value));
        assert_eq!(text.parse::<T>(), Ok(value));
        assert_eq!(value.to_string(), text);
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
    }
    for unknown in [
        "",
        "inconnu",
        &stored[0].to_uppercase(),
        &format!(" {}", stored[0]),
    ] {
        let refused = unknown.parse::<T>().unwrap_err();
        assert_eq!(refused.value, unknown);
        assert!(refused.to_string().contains(stored[0]), "{refused}");
        assert!(T::try_from_value(&unknown.to_string()).is_err());
        assert!(serde_json::from_str::<T>(&format!("\"{unknown}\"")).is_err());
    }
}

#[test]
fn meeting_kinds_keep_their_stored_strings() {
    round_trip(
        MeetingKind::ALL,
        &[
            "plenary",
            "working_group",
            "findings",
            "peer_session",
            "local_coordination",
            "steering",
            "information",
            "public_event",
            "training",
            "office_hours",
        ],
    );
}

#[test]
fn meeting_statuses_keep_their_stored_strings() {
    round_trip(MeetingStatus::ALL, &["scheduled", "cancelled", "held"]);
}

#[test]
fn visibilities_keep_their_stored_strings() {
    round_trip(Visibility::ALL, &["public", "members"]);
}

#[test]
fn roles_keep_their_stored_strings() {
    round_trip(Role::ALL, &["coordinator", "member", "observer"]);
}

#[test]
fn languages_keep_their_stored_strings() {
    round_trip(Language::ALL, &["fr", "nl", "en", "de"]);
}

#[test]
fn registration_statuses_keep_their_stored_strings() {
    round_trip(
        RegistrationStatus::ALL,
        &["confirmed", "waiting", "cancelled"],
    );
}

#[test]
fn presences_keep_their_stored_strings() {
    round_trip(Presence::ALL, &["present", "excused", "absent"]);
}

#[test]
fn answers_keep_their_stored_strings() {
    round_trip(
        Answer::ALL,
        &["pending", "accepted", "tentative", "declined"],
    );
}

#[test]
fn group_statuses_keep_their_stored_strings() {
    round_trip(GroupStatus::ALL, &["active", "closed"]);
}

#[test]
fn organisation_kinds_keep_their_stored_strings() {
    round_trip(
        OrganisationKind::ALL,
        &[
            "asbl",
            "ili",
            "cpas",
            "municipality",
            "pcs",
            "training",
            "adult_school",
            "reception_centre",
            "university",
            "union",
            "public_body",
            "cri",
        ],
    );
}

#[test]
fn occurrence_actions_keep_their_stored_strings() {
    round_trip(OccurrenceAction::ALL, &["skipped", "cancelled", "moved"]);
}

#[test]
fn outbox_kinds_and_statuses_keep_their_stored_strings() {
    round_trip(
        OutboxKind::ALL,
        &[
            "invitation",
            "update",
            "cancellation",
            "registration",
            "minutes",
            "reminder",
            "answer-reminder",
        ],
    );
    round_trip(OutboxStatus::ALL, &["pending", "sending", "sent", "failed"]);
}

#[test]
fn event_kinds_keep_their_stored_strings() {
    round_trip(
        EventKind::ALL,
        &[
            "registered",
            "registration_cancelled",
            "promoted",
            "meeting_changed",
            "meeting_cancelled",
            "meeting_restored",
            "minutes_published",
        ],
    );
}

#[test]
fn an_unknown_value_names_itself_and_what_was_expected() {
    let refused = "apéro".parse::<MeetingStatus>().unwrap_err();
    assert_eq!(refused.set, "MeetingStatus");
    assert_eq!(
        refused.to_string(),
        "« apéro » inconnu (attendu : scheduled, cancelled, held)"
    );
}

#[test]
fn every_value_has_a_french_label() {
    let labels = |all: &[&'static str]| {
        assert!(all.iter().all(|l| !l.trim().is_empty()));
        assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), all.len());
    };
    labels(&MeetingKind::ALL.map(MeetingKind::label_fr));
    labels(&MeetingStatus::ALL.map(MeetingStatus::label_fr));
    labels(&Role::ALL.map(Role::label_fr));
    labels(&Language::ALL.map(Language::name));
    labels(&RegistrationStatus::ALL.map(RegistrationStatus::label_fr));
    labels(&Presence::ALL.map(Presence::label_fr));
    labels(&Answer::ALL.map(Answer::label_fr));
    labels(&Answer::ALL.map(Answer::label_fr_for_organisers));
    labels(&OrganisationKind::ALL.map(OrganisationKind::label_fr));
    labels(&OutboxStatus::ALL.map(OutboxStatus::label_fr));
}
