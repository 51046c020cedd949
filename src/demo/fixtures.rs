//! The demo's data files (`src/demo/*.toml`, compiled in with `include_str!`), parsed and checked
//! once when loading (`check.rs` then checks them). A mistake is an error naming the file, never
//! a panic.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use crate::entities::local_time::LocalDateTime;
use crate::entities::meeting::MeetingKind;
use crate::entities::occurrence_change;
use crate::entities::organisation::OrganisationKind;
use crate::entities::person::Language;
use crate::entities::platform::Visibility;
use crate::entities::role::Role;
use crate::meetings::rules::{parse_date, parse_time};

/// Every data file: (name under `src/demo/`, text).
pub(super) const FILES: [(&str, &str); 8] = [
    ("places.toml", include_str!("places.toml")),
    ("platforms.toml", include_str!("platforms.toml")),
    ("organisations.toml", include_str!("organisations.toml")),
    ("people.toml", include_str!("people.toml")),
    ("office_hours.toml", include_str!("office_hours.toml")),
    ("meetings.toml", include_str!("meetings.toml")),
    ("plenary.toml", include_str!("plenary.toml")),
    ("sessions.toml", include_str!("sessions.toml")),
];

/// The whole demo dataset, as the data files describe it.
pub(super) struct Fixtures {
    /// Rooms by key.
    pub places: HashMap<String, Place>,
    pub platforms: Vec<PlatformFixture>,
    pub organisations: Vec<OrganisationFixture>,
    /// Members of the platforms and the centre's staff.
    pub people: Vec<PersonFixture>,
    /// People who only come to the annual plenary.
    pub participants: Vec<PersonFixture>,
    pub office_hours: Vec<OfficeHoursFixture>,
    pub occurrence_changes: Vec<OccurrenceChangeFixture>,
    pub meetings: Vec<MeetingFixture>,
    pub plenary: PlenaryFixture,
    /// Past sessions of the series, with their attendance and minutes.
    pub sessions: Vec<SessionFixture>,
}

/// A past session of a series: who came, and (socio-legal meetings) its minutes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SessionFixture {
    /// The series: the title of a series of meetings.toml…
    #[serde(default)]
    pub meeting: Option<String>,
    /// … or the `office` of office hours of office_hours.toml.
    #[serde(default)]
    pub office: Option<String>,
    /// The session's day (one of the series' dates).
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    /// Emails of people.toml.
    #[serde(default)]
    pub present: Vec<String>,
    #[serde(default)]
    pub excused: Vec<String>,
    #[serde(default)]
    pub absent: Vec<String>,
    /// People noted on the spot by name (no account).
    #[serde(default)]
    pub walk_ins: Vec<String>,
    #[serde(default)]
    pub minutes: Option<MinutesFixture>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Place {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlatformFixture {
    pub name: String,
    pub theme: String,
    pub visibility: Visibility,
    pub description: String,
    pub members: Vec<MembershipFixture>,
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupFixture>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GroupFixture {
    pub name: String,
    pub mandate: String,
    pub members: Vec<MembershipFixture>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MembershipFixture {
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OrganisationFixture {
    pub name: String,
    pub kind: OrganisationKind,
    /// A name in the `municipalities` table (filled by a migration).
    pub municipality: String,
    /// Fictional domain (`.example`) of the website and of its people's email addresses.
    pub domain: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonFixture {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub language: Language,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OfficeHoursFixture {
    /// The office's name in the `reception_offices` table (filled by a migration).
    pub office: String,
    /// "d'Andenne", "de Namur": the title and the place say "bureau d'accueil {of_town}".
    pub of_town: String,
    pub municipalities: String,
    pub rrule: String,
    #[serde(deserialize_with = "date")]
    pub anchor: NaiveDate,
    #[serde(deserialize_with = "time")]
    pub start: NaiveTime,
    #[serde(deserialize_with = "time")]
    pub end: NaiveTime,
    pub address: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum OccurrenceAction {
    Cancelled,
    Skipped,
}

impl OccurrenceAction {
    /// As stored in `occurrence_changes.action` (the demo moves no date: that needs new times).
    pub fn stored(self) -> occurrence_change::OccurrenceAction {
        match self {
            OccurrenceAction::Cancelled => occurrence_change::OccurrenceAction::Cancelled,
            OccurrenceAction::Skipped => occurrence_change::OccurrenceAction::Skipped,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OccurrenceChangeFixture {
    /// The `office` of one of the office hours.
    pub office: String,
    #[serde(deserialize_with = "local")]
    pub original_start: NaiveDateTime,
    pub action: OccurrenceAction,
}

/// A platform, group or network meeting (or series). Times are Brussels wall clock.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MeetingFixture {
    /// A platform's name; none for the whole network (the plenary).
    #[serde(default)]
    pub platform: Option<String>,
    /// A working group of that platform.
    #[serde(default)]
    pub group: Option<String>,
    pub kind: MeetingKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    #[serde(deserialize_with = "time")]
    pub start: NaiveTime,
    #[serde(deserialize_with = "time")]
    pub end: NaiveTime,
    /// The RRULE of a series.
    #[serde(default)]
    pub rrule: Option<String>,
    /// A key of places.toml; none for a meeting held only by video.
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub video_url: String,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub capacity: Option<i32>,
    #[serde(default)]
    pub registration_open: bool,
    #[serde(default, deserialize_with = "deadline")]
    pub registration_deadline: Option<NaiveDateTime>,
    #[serde(default)]
    pub agenda: Vec<AgendaItemFixture>,
    /// Published minutes of a held meeting.
    #[serde(default)]
    pub minutes: Option<MinutesFixture>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgendaItemFixture {
    /// "HH:MM", or "" for an item without a time.
    #[serde(default)]
    pub time: String,
    pub title: String,
    #[serde(default)]
    pub presenters: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MinutesFixture {
    pub minutes: String,
    pub decisions: String,
    pub actions: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlenaryFixture {
    /// The organisation whose staff run the day (and do not register).
    pub run_by: String,
    pub workshop_capacity: i32,
    pub workshop_slots: Vec<SlotFixture>,
    pub meals: Vec<MealFixture>,
    pub notes: Vec<NoteFixture>,
    pub meeting: MeetingFixture,
    #[serde(rename = "workshop")]
    pub workshops: Vec<WorkshopFixture>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SlotFixture {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MealFixture {
    pub option: String,
    pub weight: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoteFixture {
    /// Arrival position of the registrant, from 1.
    pub arrival: i64,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkshopFixture {
    /// The axis of access to fundamental rights: the workshop's title.
    pub axis: String,
    pub room: String,
    pub animators: String,
    pub popularity: u64,
    /// Organisation kinds whose people usually put this axis first.
    pub favoured_by: Vec<OrganisationKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlatformsFile {
    platform: Vec<PlatformFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    organisation: Vec<OrganisationFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleFile {
    person: Vec<PersonFixture>,
    participant: Vec<PersonFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeHoursFile {
    office: Vec<OfficeHoursFixture>,
    #[serde(default)]
    change: Vec<OccurrenceChangeFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionsFile {
    session: Vec<SessionFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingsFile {
    meeting: Vec<MeetingFixture>,
}

fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let raw = String::deserialize(deserializer)?;
    parse_date(&raw).ok_or_else(|| D::Error::custom(format!("date « {raw} » invalide")))
}

fn time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
    let raw = String::deserialize(deserializer)?;
    parse_time(&raw).ok_or_else(|| D::Error::custom(format!("heure « {raw} » invalide")))
}

fn local<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDateTime, D::Error> {
    let raw = String::deserialize(deserializer)?;
    LocalDateTime::parse(&raw)
        .map(LocalDateTime::naive)
        .ok_or_else(|| D::Error::custom(format!("date et heure « {raw} » invalides")))
}

/// "YYYY-MM-DDTHH:MM", local.
fn deadline<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDateTime>, D::Error> {
    let raw = String::deserialize(deserializer)?;
    raw.split_once('T')
        .and_then(|(day, hour)| Some(parse_date(day)?.and_time(parse_time(hour)?)))
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("date limite « {raw} » invalide")))
}

/// One data file, its errors naming it.
fn parse<T: DeserializeOwned>(name: &str, text: &str) -> anyhow::Result<T> {
    toml::from_str(text).with_context(|| format!("jeu de démonstration, src/demo/{name}"))
}

/// The text of a data file by name.
fn file(name: &str) -> anyhow::Result<&'static str> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .with_context(|| format!("jeu de démonstration : fichier {name} inconnu"))
}

impl Fixtures {
    /// The data files compiled into the binary, parsed and checked.
    pub fn load() -> anyhow::Result<Fixtures> {
        Fixtures::parse(file)
    }

    /// The data files as `text_of` gives them (tests change one), parsed and checked.
    pub fn parse<'t>(
        text_of: impl Fn(&str) -> anyhow::Result<&'t str>,
    ) -> anyhow::Result<Fixtures> {
        let places = parse("places.toml", text_of("places.toml")?)?;
        let platforms: PlatformsFile = parse("platforms.toml", text_of("platforms.toml")?)?;
        let organisations: OrganisationsFile =
            parse("organisations.toml", text_of("organisations.toml")?)?;
        let people: PeopleFile = parse("people.toml", text_of("people.toml")?)?;
        let office_hours: OfficeHoursFile =
            parse("office_hours.toml", text_of("office_hours.toml")?)?;
        let meetings: MeetingsFile = parse("meetings.toml", text_of("meetings.toml")?)?;
        let plenary = parse("plenary.toml", text_of("plenary.toml")?)?;
        let sessions: SessionsFile = parse("sessions.toml", text_of("sessions.toml")?)?;
        let fixtures = Fixtures {
            places,
            platforms: platforms.platform,
            organisations: organisations.organisation,
            people: people.person,
            participants: people.participant,
            office_hours: office_hours.office,
            occurrence_changes: office_hours.change,
            meetings: meetings.meeting,
            plenary,
            sessions: sessions.session,
        };
        super::check::check(&fixtures)?;
        Ok(fixtures)
    }

    /// Everyone, members first, then the plenary's other participants.
    pub fn everyone(&self) -> impl Iterator<Item = &PersonFixture> {
        self.people.iter().chain(&self.participants)
    }

    pub fn organisation(&self, name: &str) -> Option<&OrganisationFixture> {
        self.organisations.iter().find(|o| o.name == name)
    }

    pub fn platform(&self, name: &str) -> Option<&PlatformFixture> {
        self.platforms.iter().find(|p| p.name == name)
    }

    pub fn place(&self, key: Option<&str>) -> anyhow::Result<(&str, &str)> {
        match key {
            None => Ok(("", "")),
            Some(key) => self
                .places
                .get(key)
                .map(|p| (p.name.as_str(), p.address.as_str()))
                .with_context(|| format!("lieu « {key} » absent de places.toml")),
        }
    }
}
