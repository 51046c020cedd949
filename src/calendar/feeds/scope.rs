//! Which feed an address names, and which meetings each feed holds.

use super::{DAYS_AHEAD, DAYS_BACK};
use crate::auth::permissions::Actor;
use crate::entities::meeting::Visibility;
use crate::entities::{meeting, platform};
use crate::meetings;
use crate::web::{AppError, AppResult};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, Condition};

/// "name.ics" → "name"; anything else is not a feed.
pub(super) fn strip_ics(file: &str) -> AppResult<&str> {
    file.strip_suffix(".ics")
        .filter(|s| !s.is_empty())
        .ok_or(AppError::NotFound)
}

/// A public feed's address, parsed: the cache key and the one address that serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum FeedAddress {
    Platform(String),
    Group(i64),
    Office(String),
}

impl FeedAddress {
    /// The address as served ("plateformes/emploi.ics"), also its key in the feed cache.
    pub(super) fn canonical(&self) -> String {
        match self {
            FeedAddress::Platform(slug) => format!("plateformes/{slug}.ics"),
            FeedAddress::Group(id) => format!("gt/{id}.ics"),
            FeedAddress::Office(slug) => format!("bureaux/{slug}.ics"),
        }
    }
}

/// A slug as `slugify` writes them (lower-case ASCII letters, digits, hyphens), read
/// case-insensitively; anything else names no feed.
pub(super) fn parse_slug(text: &str) -> AppResult<String> {
    if text.len() > 100 || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::NotFound);
    }
    Ok(text.to_ascii_lowercase())
}

/// What a request for `/agenda/{room}/{file}` asks for.
pub(super) enum Asked {
    /// A feed, at its canonical address.
    Feed(FeedAddress),
    /// A feed, under another spelling ("03.ics", "+3.ics", "Emploi.ics"): the canonical path.
    MovedTo(String),
}

/// What `file` names under `/agenda/{room}/` (NotFound when it names no feed): so each feed is
/// built and kept once, under one key, and other spellings are sent there.
pub(super) fn parse_address(
    file: &str,
    read: impl Fn(&str) -> AppResult<FeedAddress>,
) -> AppResult<Asked> {
    let address = read(strip_ics(file)?)?;
    let canonical = address.canonical();
    Ok(if canonical.rsplit('/').next() == Some(file) {
        Asked::Feed(address)
    } else {
        Asked::MovedTo(format!("/agenda/{canonical}"))
    })
}

/// A permanent redirect: calendar clients update the subscription.
pub(super) fn moved(location: &str) -> AppResult<Response> {
    let location = HeaderValue::from_str(location).map_err(|_| AppError::NotFound)?;
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    Ok(response)
}

/// What a feed holds.
pub(super) struct Spec {
    /// Identifies the feed in its ETag.
    pub(super) key: String,
    pub(super) name: String,
    pub(super) description: String,
    pub(super) filename: String,
    pub(super) condition: Condition,
    /// Personal feeds: who it is for (members-only meetings allowed, marked private).
    pub(super) actor: Option<Actor>,
}

pub(super) fn window() -> Condition {
    let now = Utc::now();
    meetings::overlapping(
        now - Duration::days(DAYS_BACK),
        now + Duration::days(DAYS_AHEAD),
    )
}

pub(super) fn public_only() -> Condition {
    Condition::all().add(meeting::Column::Visibility.eq(Visibility::Public))
}

pub(super) fn network_spec() -> Spec {
    Spec {
        key: "reseau".into(),
        name: "Réseau d'intégration de Namur — agenda public".into(),
        description: "Les réunions publiques du réseau provincial d'intégration de Namur.".into(),
        filename: "reseau.ics".into(),
        condition: public_only(),
        actor: None,
    }
}

pub(super) fn platform_spec(p: &platform::Model) -> Spec {
    Spec {
        key: format!("plateforme:{}", p.id),
        name: format!("{} — agenda", p.name),
        description: format!("Les réunions publiques de la plateforme {}.", p.name),
        filename: format!("{}.ics", p.slug),
        condition: public_only().add(meeting::Column::PlatformId.eq(p.id)),
        actor: None,
    }
}
