//! The demo's data files (`src/demo/*.toml`, compiled in with `include_str!`), parsed and checked
//! once when loading: closed sets become enums or are checked against their room's list, and
//! every cross-reference (a person's organisation, a member's email, a meeting's platform, group
//! and place…) must resolve. A mistake is an error naming the file, never a panic.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, bail};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

use crate::auth::permissions::Role;
use crate::meetings::rules::{KINDS as MEETING_KINDS, parse_date, parse_local, parse_time};
use crate::organisations::rules::KINDS as ORGANISATION_KINDS;
use crate::people::rules::{LANGUAGES, normalize_email};

use super::meetings::series_rule;
use super::{ADMIN_EMAIL, COORDINATOR_EMAIL, MEMBER_EMAIL};

/// Every data file: (name under `src/demo/`, text).
pub(super) const FILES: [(&str, &str); 7] = [
    ("places.toml", include_str!("places.toml")),
    ("platforms.toml", include_str!("platforms.toml")),
    ("organisations.toml", include_str!("organisations.toml")),
    ("people.toml", include_str!("people.toml")),
    ("office_hours.toml", include_str!("office_hours.toml")),
    ("meetings.toml", include_str!("meetings.toml")),
    ("plenary.toml", include_str!("plenary.toml")),
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Place {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Visibility {
    Public,
    Members,
}

impl Visibility {
    /// As stored in `platforms.visibility`.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
        }
    }
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
    #[serde(deserialize_with = "role")]
    pub role: Role,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OrganisationFixture {
    pub name: String,
    /// A key of `crate::organisations::rules::KINDS`.
    pub kind: String,
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
    /// A code of `crate::people::rules::LANGUAGES`.
    pub language: String,
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
    /// As stored in `occurrence_changes.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            OccurrenceAction::Cancelled => "cancelled",
            OccurrenceAction::Skipped => "skipped",
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
    /// A key of `crate::meetings::rules::KINDS`.
    pub kind: String,
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
    pub favoured_by: Vec<String>,
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
struct MeetingsFile {
    meeting: Vec<MeetingFixture>,
}

fn role<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
    let raw = String::deserialize(deserializer)?;
    Role::parse(&raw).ok_or_else(|| {
        D::Error::custom(format!(
            "rôle « {raw} » inconnu (coordinator, member ou observer)"
        ))
    })
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
    parse_local(&raw).ok_or_else(|| D::Error::custom(format!("date et heure « {raw} » invalides")))
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
        Fixtures::parse(|name| file(name))
    }

    /// The data files as `text_of` gives them (tests change one), parsed and checked.
    pub fn parse(text_of: impl Fn(&str) -> anyhow::Result<&str>) -> anyhow::Result<Fixtures> {
        let places = parse("places.toml", text_of("places.toml")?)?;
        let platforms: PlatformsFile = parse("platforms.toml", text_of("platforms.toml")?)?;
        let organisations: OrganisationsFile =
            parse("organisations.toml", text_of("organisations.toml")?)?;
        let people: PeopleFile = parse("people.toml", text_of("people.toml")?)?;
        let office_hours: OfficeHoursFile =
            parse("office_hours.toml", text_of("office_hours.toml")?)?;
        let meetings: MeetingsFile = parse("meetings.toml", text_of("meetings.toml")?)?;
        let plenary = parse("plenary.toml", text_of("plenary.toml")?)?;
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
        };
        fixtures.check()?;
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

    /// Closed sets and cross-references; the error names the file at fault.
    fn check(&self) -> anyhow::Result<()> {
        self.check_directory().context("jeu de démonstration")?;
        self.check_meetings().context("jeu de démonstration")?;
        Ok(())
    }

    fn check_directory(&self) -> anyhow::Result<()> {
        let mut names = HashSet::new();
        for o in &self.organisations {
            if !names.insert(o.name.as_str()) {
                bail!("organisations.toml : « {} » en double", o.name);
            }
            if !ORGANISATION_KINDS.iter().any(|(k, _)| *k == o.kind) {
                bail!(
                    "organisations.toml : type « {} » inconnu ({})",
                    o.kind,
                    o.name
                );
            }
            if !o.domain.ends_with(".example") {
                bail!(
                    "organisations.toml : domaine « {} » hors de .example",
                    o.domain
                );
            }
        }

        let mut emails = HashSet::new();
        for p in self.everyone() {
            if !emails.insert(normalize_email(&p.email)) {
                bail!("people.toml : adresse « {} » en double", p.email);
            }
            // No real mail can ever reach a demo account.
            if !p.email.ends_with(".example") {
                bail!("people.toml : adresse « {} » hors de .example", p.email);
            }
            if self.organisation(&p.organisation).is_none() {
                bail!(
                    "people.toml : organisation « {} » absente de organisations.toml ({})",
                    p.organisation,
                    p.email
                );
            }
            if !LANGUAGES.iter().any(|(c, _)| *c == p.language) {
                bail!(
                    "people.toml : langue « {} » inconnue ({})",
                    p.language,
                    p.email
                );
            }
        }
        for email in [ADMIN_EMAIL, COORDINATOR_EMAIL, MEMBER_EMAIL] {
            if !self.people.iter().any(|p| p.email == email) {
                bail!("people.toml : le compte de démonstration « {email} » manque");
            }
        }

        let mut platforms = HashSet::new();
        for platform in &self.platforms {
            if !platforms.insert(platform.name.as_str()) {
                bail!(
                    "platforms.toml : plateforme « {} » en double",
                    platform.name
                );
            }
            let mut groups = HashSet::new();
            for group in &platform.groups {
                if !groups.insert(group.name.as_str()) {
                    bail!("platforms.toml : groupe « {} » en double", group.name);
                }
            }
            let rosters = std::iter::once((platform.name.as_str(), &platform.members)).chain(
                platform
                    .groups
                    .iter()
                    .map(|g| (g.name.as_str(), &g.members)),
            );
            for (name, members) in rosters {
                let mut seen = HashSet::new();
                for m in members {
                    if !emails.contains(&normalize_email(&m.email)) {
                        bail!(
                            "platforms.toml : « {} » ({name}) absente de people.toml",
                            m.email
                        );
                    }
                    if !seen.insert(m.email.as_str()) {
                        bail!("platforms.toml : « {} » deux fois dans {name}", m.email);
                    }
                }
            }
        }
        Ok(())
    }

    fn check_meetings(&self) -> anyhow::Result<()> {
        let mut offices = HashSet::new();
        for o in &self.office_hours {
            if !offices.insert(o.office.as_str()) {
                bail!("office_hours.toml : bureau « {} » en double", o.office);
            }
            let start = o.anchor.and_time(o.start);
            if o.anchor.and_time(o.end) <= start {
                bail!(
                    "office_hours.toml : « {} » finit avant de commencer",
                    o.office
                );
            }
            series_rule(Some(&o.rrule), start)
                .with_context(|| format!("office_hours.toml : {}", o.office))?;
        }
        for change in &self.occurrence_changes {
            if !offices.contains(change.office.as_str()) {
                bail!(
                    "office_hours.toml : bureau « {} » sans permanence",
                    change.office
                );
            }
        }

        for m in &self.meetings {
            let platform = m.platform.as_deref().and_then(|name| self.platform(name));
            let Some(platform) = platform else {
                bail!("meetings.toml : « {} » sans plateforme connue", m.title);
            };
            if let Some(group) = &m.group
                && !platform.groups.iter().any(|g| &g.name == group)
            {
                bail!(
                    "meetings.toml : groupe « {group} » absent de la plateforme {}",
                    platform.name
                );
            }
            self.check_meeting("meetings.toml", m)?;
        }

        let plenary = &self.plenary;
        self.check_meeting("plenary.toml", &plenary.meeting)?;
        if plenary.meeting.platform.is_some() || plenary.meeting.group.is_some() {
            bail!("plenary.toml : la plénière est celle de tout le réseau");
        }
        if self.organisation(&plenary.run_by).is_none() {
            bail!(
                "plenary.toml : organisation « {} » absente de organisations.toml",
                plenary.run_by
            );
        }
        for slot in &plenary.workshop_slots {
            if parse_time(&slot.start).is_none() || parse_time(&slot.end).is_none() {
                bail!(
                    "plenary.toml : créneau {}–{} invalide",
                    slot.start,
                    slot.end
                );
            }
        }
        if plenary.meals.is_empty() {
            bail!("plenary.toml : aucun repas");
        }
        // Each organisation kind points at exactly one favourite workshop.
        for (kind, _) in ORGANISATION_KINDS {
            let favoured = plenary
                .workshops
                .iter()
                .filter(|w| w.favoured_by.iter().any(|k| k == kind))
                .count();
            if favoured != 1 {
                bail!("plenary.toml : le type « {kind} » est le favori de {favoured} ateliers");
            }
        }
        for w in &plenary.workshops {
            if let Some(kind) = w
                .favoured_by
                .iter()
                .find(|k| !ORGANISATION_KINDS.iter().any(|(known, _)| known == k))
            {
                bail!("plenary.toml : type « {kind} » inconnu ({})", w.axis);
            }
        }
        Ok(())
    }

    /// What a meeting of either file must hold: a known kind, a place, agenda times.
    fn check_meeting(&self, file: &str, m: &MeetingFixture) -> anyhow::Result<()> {
        if !MEETING_KINDS.iter().any(|(k, _)| *k == m.kind) {
            bail!("{file} : type « {} » inconnu ({})", m.kind, m.title);
        }
        self.place(m.place.as_deref())
            .with_context(|| format!("{file} : {}", m.title))?;
        let start = m.date.and_time(m.start);
        if m.date.and_time(m.end) <= start {
            bail!("{file} : « {} » finit avant de commencer", m.title);
        }
        series_rule(m.rrule.as_deref(), start).with_context(|| format!("{file} : {}", m.title))?;
        for item in &m.agenda {
            if !item.time.is_empty() && parse_time(&item.time).is_none() {
                bail!("{file} : heure « {} » invalide ({})", item.time, m.title);
            }
        }
        Ok(())
    }
}
