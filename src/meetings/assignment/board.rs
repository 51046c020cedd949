//! The board a search works on: who holds which session, with an undo log, and the outcome read
//! from it.

use super::{
    MAX_RANK_EXPONENT, Outcome, Registrant, Session, UNLIMITED, measure, normalized_ranking,
};
use std::collections::{BTreeMap, HashMap, HashSet};

pub(super) struct Person {
    /// Weight of each workshop (by index) for this person.
    pub(super) weight: Vec<i64>,
    /// Session indices set by hand: never moved.
    pub(super) fixed: Vec<usize>,
    /// Session indices given by the algorithm.
    pub(super) free: Vec<usize>,
}

/// A reversible change, for rolling back a failed repair.
#[derive(Clone, Copy)]
pub(super) enum Change {
    Add(usize, usize),
    Remove(usize, usize),
}

/// A step of the local search: person, from session, to session.
pub(super) type Step = (usize, usize, usize);

pub(super) struct Board {
    pub(super) slot: Vec<usize>,
    pub(super) workshop: Vec<usize>,
    pub(super) cap: Vec<u32>,
    pub(super) load: Vec<u32>,
    /// Holders of each session among the free (movable) seats.
    pub(super) members: Vec<Vec<usize>>,
    pub(super) people: Vec<Person>,
    pub(super) per_person: usize,
    pub(super) log: Vec<Change>,
    pub(super) logging: bool,
}

impl Board {
    pub(super) fn new(sessions: &[Session], registrants: &[Registrant], per_person: usize) -> Self {
        let mut index: HashMap<i64, usize> = HashMap::new();
        let mut slot_index: HashMap<&str, usize> = HashMap::new();
        let mut workshop_index: HashMap<&str, usize> = HashMap::new();
        let (mut slot, mut workshop, mut cap) = (Vec::new(), Vec::new(), Vec::new());
        for s in sessions {
            if index.contains_key(&s.id) {
                continue;
            }
            index.insert(s.id, slot.len());
            let next_slot = slot_index.len();
            slot.push(*slot_index.entry(s.slot.as_str()).or_insert(next_slot));
            let next_workshop = workshop_index.len();
            workshop.push(
                *workshop_index
                    .entry(s.workshop.as_str())
                    .or_insert(next_workshop),
            );
            cap.push(s.capacity.unwrap_or(UNLIMITED));
        }
        let n_workshops = workshop_index.len();
        let top = n_workshops.min(MAX_RANK_EXPONENT);
        let mut load = vec![0u32; slot.len()];
        let mut seen = HashSet::new();
        let mut people = Vec::new();
        for r in registrants {
            if !seen.insert(r.id) {
                continue;
            }
            let ranking = normalized_ranking(&r.ranking, |w| workshop_index.contains_key(w));
            let weight = (0..n_workshops)
                .map(|w| {
                    let rank = ranking
                        .iter()
                        .position(|name| workshop_index.get(name) == Some(&w))
                        .unwrap_or(ranking.len());
                    3i64.pow((top - rank.min(top)) as u32)
                })
                .collect();
            let mut fixed: Vec<usize> = Vec::new();
            for id in &r.fixed {
                if let Some(&x) = index.get(id)
                    && !fixed.contains(&x)
                {
                    fixed.push(x);
                    load[x] = load[x].saturating_add(1);
                }
            }
            people.push(Person {
                weight,
                fixed,
                free: Vec::new(),
            });
        }
        let members = vec![Vec::new(); slot.len()];
        Board {
            slot,
            workshop,
            cap,
            load,
            members,
            people,
            per_person,
            log: Vec::new(),
            logging: true,
        }
    }

    pub(super) fn n(&self) -> usize {
        self.slot.len()
    }

    pub(super) fn count(&self, p: usize) -> usize {
        self.people[p].fixed.len() + self.people[p].free.len()
    }

    pub(super) fn spare(&self, x: usize) -> u32 {
        self.cap[x].saturating_sub(self.load[x])
    }

    /// Whether `p` may hold session `x` alongside their sessions other than `leaving`.
    pub(super) fn can_hold(&self, p: usize, x: usize, leaving: Option<usize>) -> bool {
        let person = &self.people[p];
        person
            .fixed
            .iter()
            .chain(&person.free)
            .filter(|&&s| Some(s) != leaving)
            .all(|&s| self.slot[s] != self.slot[x] && self.workshop[s] != self.workshop[x])
    }

    pub(super) fn gain(&self, p: usize, from: usize, to: usize) -> i64 {
        let weight = &self.people[p].weight;
        weight[self.workshop[to]] - weight[self.workshop[from]]
    }

    pub(super) fn add(&mut self, p: usize, x: usize) {
        self.people[p].free.push(x);
        self.members[x].push(p);
        self.load[x] = self.load[x].saturating_add(1);
        if self.logging {
            self.log.push(Change::Add(p, x));
        }
    }

    pub(super) fn remove(&mut self, p: usize, x: usize) {
        let free = &mut self.people[p].free;
        if let Some(i) = free.iter().position(|&s| s == x) {
            free.remove(i);
        }
        if let Some(i) = self.members[x].iter().position(|&q| q == p) {
            self.members[x].swap_remove(i);
        }
        self.load[x] = self.load[x].saturating_sub(1);
        if self.logging {
            self.log.push(Change::Remove(p, x));
        }
    }

    pub(super) fn relocate(&mut self, p: usize, from: usize, to: usize) {
        self.remove(p, from);
        self.add(p, to);
    }

    /// Undoes the logged changes back to `mark`.
    pub(super) fn rollback(&mut self, mark: usize) {
        let logging = self.logging;
        self.logging = false;
        while self.log.len() > mark {
            match self.log.pop() {
                Some(Change::Add(p, x)) => self.remove(p, x),
                Some(Change::Remove(p, x)) => self.add(p, x),
                None => break,
            }
        }
        self.logging = logging;
    }
}

impl Board {
    pub(super) fn outcome(&self, sessions: &[Session], registrants: &[Registrant]) -> Outcome {
        let mut distinct: Vec<&Session> = Vec::new();
        let mut ids = HashSet::new();
        for s in sessions {
            if ids.insert(s.id) {
                distinct.push(s);
            }
        }
        let mut seen = HashSet::new();
        let mut assignments = BTreeMap::new();
        let mut unplaced = Vec::new();
        let mut people = self.people.iter();
        for r in registrants {
            if !seen.insert(r.id) {
                continue;
            }
            let Some(person) = people.next() else { break };
            let mut held: Vec<&Session> = person
                .fixed
                .iter()
                .chain(&person.free)
                .map(|&x| distinct[x])
                .collect();
            held.sort_by(|a, b| a.slot.cmp(&b.slot).then(a.id.cmp(&b.id)));
            if held.len() < self.per_person {
                unplaced.push(r.id);
            }
            assignments.insert(r.id, held.iter().map(|s| s.id).collect::<Vec<i64>>());
        }
        unplaced.sort_unstable();
        let stats = measure(sessions, registrants, &assignments, self.per_person);
        Outcome {
            assignments,
            unplaced,
            stats,
        }
    }
}
