//! The checks the demo's data files must pass before anything is written: dates and series rules,
//! each organisation kind's favourite workshop, and every cross-reference (a person's
//! organisation, a member's email, a meeting's platform, group and place, the office of a changed
//! date…). Closed sets (kinds, languages, roles) are enums, refused already when parsing. The
//! error names the file at fault.

use std::collections::HashSet;

use anyhow::{Context, bail};

use crate::entities::organisation::OrganisationKind;
use crate::meetings::rules::parse_time;
use crate::people::rules::normalize_email;

use super::fixtures::{Fixtures, MeetingFixture};
use super::meetings::series_rule;
use super::{ADMIN_EMAIL, COORDINATOR_EMAIL, MEMBER_EMAIL};

/// Dates, rules and cross-references; the error names the file at fault.
pub(super) fn check(fixtures: &Fixtures) -> anyhow::Result<()> {
    check_directory(fixtures).context("jeu de démonstration")?;
    check_meetings(fixtures).context("jeu de démonstration")?;
    check_sessions(fixtures).context("jeu de démonstration")?;
    Ok(())
}

/// Each past session names a series and one of its dates, and people of people.toml, each once.
fn check_sessions(f: &Fixtures) -> anyhow::Result<()> {
    let emails: HashSet<String> = f.people.iter().map(|p| normalize_email(&p.email)).collect();
    let mut seen = HashSet::new();
    for s in &f.sessions {
        let (what, start, rrule) = match (&s.meeting, &s.office) {
            (Some(title), None) => {
                let m = f
                    .meetings
                    .iter()
                    .find(|m| &m.title == title && m.rrule.is_some())
                    .with_context(|| {
                        format!("sessions.toml : « {title} » n'est pas une série de meetings.toml")
                    })?;
                (title.as_str(), m.date.and_time(m.start), m.rrule.as_deref())
            }
            (None, Some(office)) => {
                let o = f
                    .office_hours
                    .iter()
                    .find(|o| &o.office == office)
                    .with_context(|| {
                        format!("sessions.toml : bureau « {office} » sans permanence")
                    })?;
                (
                    office.as_str(),
                    o.anchor.and_time(o.start),
                    Some(o.rrule.as_str()),
                )
            }
            _ => bail!(
                "sessions.toml : le {} nomme une série ou un bureau, pas les deux",
                s.date
            ),
        };
        if !seen.insert((what, s.date)) {
            bail!("sessions.toml : {what} le {} en double", s.date);
        }
        // The day is one of the series' dates: the rule accepts it as a first date, after the
        // series began.
        let day = s.date.and_time(start.time());
        if day < start || series_rule(rrule, day).is_err() {
            bail!(
                "sessions.toml : le {} n'est pas une date de « {what} »",
                s.date
            );
        }
        let mut people = HashSet::new();
        for email in s.present.iter().chain(&s.excused).chain(&s.absent) {
            if !emails.contains(&normalize_email(email)) {
                bail!(
                    "sessions.toml : « {email} » ({what}, {}) absente de people.toml",
                    s.date
                );
            }
            if !people.insert(email.as_str()) {
                bail!(
                    "sessions.toml : « {email} » deux fois le {} ({what})",
                    s.date
                );
            }
        }
        if s.walk_ins.iter().any(|n| n.trim().is_empty()) {
            bail!(
                "sessions.toml : un nom vide parmi les personnes venues sur place le {}",
                s.date
            );
        }
    }
    Ok(())
}

fn check_directory(f: &Fixtures) -> anyhow::Result<()> {
    let mut names = HashSet::new();
    for o in &f.organisations {
        if !names.insert(o.name.as_str()) {
            bail!("organisations.toml : « {} » en double", o.name);
        }
        if !o.domain.ends_with(".example") {
            bail!(
                "organisations.toml : domaine « {} » hors de .example",
                o.domain
            );
        }
    }

    let mut emails = HashSet::new();
    for p in f.everyone() {
        if !emails.insert(normalize_email(&p.email)) {
            bail!("people.toml : adresse « {} » en double", p.email);
        }
        // No real mail can ever reach a demo account.
        if !p.email.ends_with(".example") {
            bail!("people.toml : adresse « {} » hors de .example", p.email);
        }
        if f.organisation(&p.organisation).is_none() {
            bail!(
                "people.toml : organisation « {} » absente de organisations.toml ({})",
                p.organisation,
                p.email
            );
        }
    }
    for email in [ADMIN_EMAIL, COORDINATOR_EMAIL, MEMBER_EMAIL] {
        if !f.people.iter().any(|p| p.email == email) {
            bail!("people.toml : le compte de démonstration « {email} » manque");
        }
    }

    let mut platforms = HashSet::new();
    for platform in &f.platforms {
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

fn check_meetings(f: &Fixtures) -> anyhow::Result<()> {
    let mut offices = HashSet::new();
    for o in &f.office_hours {
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
    for change in &f.occurrence_changes {
        if !offices.contains(change.office.as_str()) {
            bail!(
                "office_hours.toml : bureau « {} » sans permanence",
                change.office
            );
        }
    }

    for m in &f.meetings {
        let platform = m.platform.as_deref().and_then(|name| f.platform(name));
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
        check_meeting(f, "meetings.toml", m)?;
    }

    let plenary = &f.plenary;
    check_meeting(f, "plenary.toml", &plenary.meeting)?;
    if plenary.meeting.platform.is_some() || plenary.meeting.group.is_some() {
        bail!("plenary.toml : la plénière est celle de tout le réseau");
    }
    if f.organisation(&plenary.run_by).is_none() {
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
    for kind in OrganisationKind::ALL {
        let favoured = plenary
            .workshops
            .iter()
            .filter(|w| w.favoured_by.contains(&kind))
            .count();
        if favoured != 1 {
            bail!("plenary.toml : le type « {kind} » est le favori de {favoured} ateliers");
        }
    }
    Ok(())
}

/// What a meeting of either file must hold: a place, agenda times.
fn check_meeting(f: &Fixtures, file: &str, m: &MeetingFixture) -> anyhow::Result<()> {
    f.place(m.place.as_deref())
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
