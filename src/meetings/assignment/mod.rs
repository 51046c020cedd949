//! Workshop assignment for a plenary, pure and deterministic for a given seed: which run of which
//! workshop each registrant attends, with capacities never exceeded, one session per slot, never
//! the same workshop twice, and sessions fixed by hand kept. The objective is lexicographic: first
//! as many people as possible get all `per_person` sessions (greedy rounds in a seeded snake order,
//! each taking the best workshop still open, then ejection chains that move others on to free
//! seats for whoever is short); then, everyone's count frozen, a local search (moves, swaps,
//! three-way cycles, short chains, and taking a person out to reinsert them in a better
//! combination) raises the total preference score, where the workshop ranked r-th from 0 weighs
//! 3^(k − r), so a first choice for one outweighs second choices for two, until no step improves.

use board::Board;
use std::collections::{BTreeMap, HashMap, HashSet};

mod board;
mod search;

/// One run of a workshop in one time slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    /// The topic: sessions with the same workshop in different slots are runs of one workshop.
    pub workshop: String,
    /// Time slot key, e.g. "10:10"; sessions with the same slot run in parallel. Outcomes list a
    /// person's sessions sorted by this key as text (zero-padded "HH:MM" sorts chronologically).
    pub slot: String,
    /// Seats; None = unlimited.
    pub capacity: Option<u32>,
}

/// A person to place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registrant {
    pub id: i64,
    /// Workshops, best first; may be partial or empty (any will do). Names not offered and repeats
    /// are ignored; workshops left out rank together after the listed ones.
    pub ranking: Vec<String>,
    /// Session ids set by hand by a coordinator: kept as they are and counted against capacity.
    /// Ids of unknown sessions are dropped.
    pub fixed: Vec<i64>,
}

/// Measures of an assignment (see [`measure`]). Shares and averages are over the registrants who
/// ranked at least one offered workshop; they are 0 when there are none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Registrants holding at least `per_person` sessions.
    pub placed_fully: usize,
    /// Registrants holding a session of their first-ranked workshop.
    pub first_choice: usize,
    /// `first_choice` / registrants with a ranking, between 0 and 1.
    pub first_choice_share: f64,
    /// Registrants who ranked two or more workshops and hold both of their top two.
    pub top_two_both: usize,
    /// Mean rank (1 = first choice) of the workshops held; a workshop left out of a partial
    /// ranking counts as ranked just after the listed ones.
    pub average_rank: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Every registrant (duplicates of an id after the first are ignored) → the session ids they
    /// hold, fixed ones included, sorted by slot; possibly fewer than `per_person`, or none.
    pub assignments: BTreeMap<i64, Vec<i64>>,
    /// Registrants who could not get `per_person` sessions, by id.
    pub unplaced: Vec<i64>,
    pub stats: Stats,
}

/// Preference weights are 3^(k − rank) with k = min(number of workshops, this): bounded so that
/// sums stay far from overflow; ranks beyond it all weigh 1.
const MAX_RANK_EXPONENT: usize = 20;
/// Combinations of sessions considered per registrant when repairing or reinserting (the first
/// found in session order; tried best liked first).
const MAX_COMBINATIONS: usize = 512;
/// Member checks the repair phase may spend (a bound on its work when seats are short).
const REPAIR_BUDGET: u64 = 3_000_000;
/// Improving steps of the local search (each raises an integer score, so it ends anyway).
const MAX_IMPROVEMENTS: usize = 100_000;
/// Member checks the reinsertion rounds may spend in all.
const REINSERT_BUDGET: u64 = 1_500_000;
/// Rounds of reinsertion (each followed by the local search again).
const MAX_REINSERT_ROUNDS: usize = 10;
/// Stands for "unlimited" capacity.
const UNLIMITED: u32 = u32::MAX;

/// Assigns `per_person` sessions to each registrant when possible (see the module doc).
/// The same inputs and `seed` always give the same outcome; the seed only breaks ties (including
/// who stays unplaced when seats run out).
pub fn assign(
    sessions: &[Session],
    registrants: &[Registrant],
    per_person: usize,
    seed: u64,
) -> Outcome {
    let mut board = Board::new(sessions, registrants, per_person);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..board.people.len()).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    board.greedy(&order, &mut rng);
    // A seat held by someone who cannot get all their sessions may be the one another needs.
    board.strip_short();
    board.repair(&order);
    // Seats nobody could use in full go to whoever is still short, as far as they go.
    board.greedy(&order, &mut rng);
    board.improve();
    let mut budget = REINSERT_BUDGET;
    for _ in 0..MAX_REINSERT_ROUNDS {
        if !board.reinsert(&order, &mut budget) {
            break;
        }
        board.improve();
    }
    board.outcome(sessions, registrants)
}

/// Measures an assignment (registrant id → session ids), e.g. one made by hand. Unknown ids are
/// ignored; registrants missing from `assignments` hold nothing.
pub fn measure(
    sessions: &[Session],
    registrants: &[Registrant],
    assignments: &BTreeMap<i64, Vec<i64>>,
    per_person: usize,
) -> Stats {
    let mut workshop_of: HashMap<i64, &str> = HashMap::new();
    for s in sessions {
        workshop_of.entry(s.id).or_insert(s.workshop.as_str());
    }
    let offered: HashSet<&str> = sessions.iter().map(|s| s.workshop.as_str()).collect();
    let mut seen = HashSet::new();
    let mut stats = Stats::default();
    let mut ranked_people = 0usize;
    let mut rank_sum = 0usize;
    let mut rank_count = 0usize;
    for r in registrants {
        if !seen.insert(r.id) {
            continue;
        }
        let held: Vec<&str> = assignments
            .get(&r.id)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| workshop_of.get(id).copied())
                    .collect()
            })
            .unwrap_or_default();
        if held.len() >= per_person {
            stats.placed_fully += 1;
        }
        let ranking = normalized_ranking(&r.ranking, |w| offered.contains(w));
        if ranking.is_empty() {
            continue;
        }
        ranked_people += 1;
        if held.contains(&ranking[0]) {
            stats.first_choice += 1;
        }
        if ranking.len() >= 2 && held.contains(&ranking[0]) && held.contains(&ranking[1]) {
            stats.top_two_both += 1;
        }
        for w in &held {
            rank_sum += ranking.iter().position(|x| x == w).unwrap_or(ranking.len()) + 1;
            rank_count += 1;
        }
    }
    if ranked_people > 0 {
        stats.first_choice_share = stats.first_choice as f64 / ranked_people as f64;
    }
    if rank_count > 0 {
        stats.average_rank = rank_sum as f64 / rank_count as f64;
    }
    stats
}

/// The offered workshops of a ranking, in order, each once.
fn normalized_ranking(ranking: &[String], offered: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for w in ranking {
        if offered(w) && !out.contains(&w.as_str()) {
            out.push(w);
        }
    }
    out
}

/// xorshift64, seeded through splitmix64 (so that seeds 0, 1, 2… give unrelated streams).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests;
