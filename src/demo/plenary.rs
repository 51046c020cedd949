//! The annual plenary of the PPLI in the demo: the meeting, its workshops in both slots, and a
//! hundred registrations with meals and workshop preferences drawn deterministically, so that
//! every run and every database get the same choices.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::entities::registration::RegistrationStatus;
use crate::entities::{meeting, registration, workshop, workshop_preference};

use super::fixtures::Fixtures;
use super::meetings::{ensure_agenda, ensure_meeting, plan_meeting};
use super::{Added, COORDINATOR_EMAIL, lookup};

/// The annual plenary of the PPLI, its workshops and its registrations.
pub(super) async fn load_plenary(
    txn: &DatabaseTransaction,
    fixtures: &Fixtures,
    person_ids: &HashMap<&str, i64>,
    added: &mut Added,
) -> anyhow::Result<()> {
    let fixture = &fixtures.plenary;
    let coordinator = person_ids.get(COORDINATOR_EMAIL).copied();
    let mut planned = plan_meeting(
        fixtures,
        &fixture.meeting,
        None,
        None,
        coordinator,
        Utc::now(),
    )?;
    planned.meal_options = meal_options(fixtures);
    let plenary = ensure_meeting(txn, planned, added).await?;
    ensure_agenda(txn, plenary.id, &fixture.meeting.agenda, added).await?;

    for w in &fixture.workshops {
        for slot in &fixture.workshop_slots {
            let existing = workshop::Entity::find()
                .filter(workshop::Column::MeetingId.eq(plenary.id))
                .filter(workshop::Column::SlotStart.eq(slot.start.as_str()))
                .filter(workshop::Column::Title.eq(w.axis.as_str()))
                .one(txn)
                .await?;
            if existing.is_none() {
                workshop::ActiveModel {
                    meeting_id: Set(plenary.id),
                    title: Set(w.axis.clone()),
                    room: Set(w.room.clone()),
                    animators: Set(w.animators.clone()),
                    slot_start: Set(slot.start.clone()),
                    slot_end: Set(slot.end.clone()),
                    capacity: Set(Some(fixture.workshop_capacity)),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                added.workshops += 1;
            }
        }
    }

    // Registrations in arrival order; a missing one takes the next position after the meeting's
    // counter, as `booking::register` does, and the counter ends on the last position used.
    let mut counter = plenary.registration_counter;
    // Only the id read (here and below): the demo also loads onto the first schema with
    // registrations (the migration test), whose rows lack later columns.
    let mut confirmed = registration::Entity::find()
        .select_only()
        .column(registration::Column::Id)
        .filter(registration::Column::MeetingId.eq(plenary.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .into_tuple::<i64>()
        .all(txn)
        .await?
        .len() as u64;
    let capacity = plenary
        .capacity
        .map_or(u64::MAX, |c| u64::try_from(c).unwrap_or(0));
    let arrivals = registrants(fixtures);
    let total = i64::try_from(arrivals.len())?;
    for (index, (email, organisation)) in (0i64..).zip(arrivals) {
        let person_id = lookup(person_ids, email, "personne")?;
        let existing = registration::Entity::find()
            .select_only()
            .column(registration::Column::Id)
            .filter(registration::Column::MeetingId.eq(plenary.id))
            .filter(registration::Column::PersonId.eq(person_id))
            .into_tuple::<i64>()
            .one(txn)
            .await?;
        if existing.is_some() {
            continue;
        }
        counter += 1;
        let status = if confirmed < capacity {
            confirmed += 1;
            RegistrationStatus::Confirmed
        } else {
            RegistrationStatus::Waiting
        };
        // Registered over the last weeks, one every few hours; one in eight by the coordination.
        let at = Utc::now() - Duration::hours(5 * (total - index));
        let registered_by = if index % 8 == 5 {
            coordinator
        } else {
            Some(person_id)
        };
        let note = fixture
            .notes
            .iter()
            .find(|n| n.arrival == index + 1)
            .map_or("", |n| n.note.as_str());
        // Inserted without reading the row back (see above).
        let saved = registration::Entity::insert(registration::ActiveModel {
            meeting_id: Set(plenary.id),
            person_id: Set(person_id),
            status: Set(status),
            position: Set(counter),
            meal: Set(meal_choice(fixtures, email).to_string()),
            note: Set(note.to_string()),
            registered_by: Set(registered_by),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        added.registrations += 1;
        let favourite = favourite_axis(fixtures, organisation);
        for (rank, title) in (1i32..).zip(workshop_ranking(fixtures, email, favourite)) {
            workshop_preference::ActiveModel {
                registration_id: Set(saved.last_insert_id),
                workshop: Set(title.to_string()),
                rank: Set(rank),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    if counter != plenary.registration_counter {
        let mut row: meeting::ActiveModel = plenary.into();
        row.registration_counter = Set(counter);
        row.update(txn).await?;
    }
    Ok(())
}

/// The meals offered, in order.
pub(super) fn meal_options(fixtures: &Fixtures) -> Vec<&str> {
    fixtures
        .plenary
        .meals
        .iter()
        .map(|m| m.option.as_str())
        .collect()
}

/// Who registers for the plenary, in arrival order: (email, organisation name). Everybody but
/// the staff of the organisation that runs the day.
pub(super) fn registrants(fixtures: &Fixtures) -> Vec<(&str, &str)> {
    let mut people: Vec<(&str, &str)> = fixtures
        .everyone()
        .filter(|p| p.organisation != fixtures.plenary.run_by)
        .map(|p| (p.email.as_str(), p.organisation.as_str()))
        .collect();
    people.sort_by_key(|(email, _)| (Draws::new("arrivée", email).next(), *email));
    people
}

/// Deterministic pseudo-random draws (SplitMix64 seeded by FNV-1a of a label and a key): the
/// demo's skewed choices are the same on every run and every database.
struct Draws(u64);

impl Draws {
    fn new(label: &str, key: &str) -> Draws {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in label.bytes().chain([0]).chain(key.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Draws(hash)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// An index drawn with probability proportional to its weight (0 if all weights are 0).
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        if total == 0 {
            return 0;
        }
        let mut ticket = self.next() % total;
        for (i, weight) in weights.iter().enumerate() {
            if ticket < *weight {
                return i;
            }
            ticket -= weight;
        }
        0
    }
}

/// The workshop (by position) a sector usually puts first: the one whose `favoured_by` names the
/// organisation's kind (every kind is named once, checked when parsing), else the last.
pub(super) fn favourite_axis(fixtures: &Fixtures, organisation: &str) -> usize {
    let workshops = &fixtures.plenary.workshops;
    let kind = fixtures.organisation(organisation).map(|o| o.kind);
    workshops
        .iter()
        .position(|w| kind.is_some_and(|kind| w.favoured_by.contains(&kind)))
        .unwrap_or(workshops.len().saturating_sub(1))
}

/// Workshops (axes) ranked best first: usually the sector's favourite first, then by
/// popularity; most rank all of them, some only two or three.
pub(super) fn workshop_ranking<'f>(
    fixtures: &'f Fixtures,
    email: &str,
    favourite: usize,
) -> Vec<&'f str> {
    let workshops = &fixtures.plenary.workshops;
    let mut draws = Draws::new("ateliers", email);
    let wanted = match draws.next() % 10 {
        0 => 2,
        1 | 2 => 3,
        _ => workshops.len(),
    };
    let mut weights: Vec<u64> = workshops.iter().map(|w| w.popularity).collect();
    let mut ranking: Vec<&str> = Vec::with_capacity(wanted);
    let mut first = (!draws.next().is_multiple_of(4)).then_some(favourite);
    while ranking.len() < wanted && weights.iter().any(|w| *w > 0) {
        let axis = first.take().unwrap_or_else(|| draws.weighted(&weights));
        if let (Some(weight), Some(w)) = (weights.get_mut(axis), workshops.get(axis))
            && *weight > 0
        {
            *weight = 0;
            ranking.push(w.axis.as_str());
        }
    }
    ranking
}

/// A meal among the plenary's options, skewed by their weights.
pub(super) fn meal_choice<'f>(fixtures: &'f Fixtures, email: &str) -> &'f str {
    let meals = &fixtures.plenary.meals;
    let weights: Vec<u64> = meals.iter().map(|m| m.weight).collect();
    let index = Draws::new("repas", email).weighted(&weights);
    meals.get(index).map_or("", |m| m.option.as_str())
}
