//! The search itself: greedy rounds, repairs by ejection chains, then local improvement and
//! reinsertion, all on the board.

use super::board::{Board, Change, Step};
use super::{MAX_COMBINATIONS, MAX_IMPROVEMENTS, REPAIR_BUDGET, Rng};
use std::collections::VecDeque;

impl Board {
    /// Rounds in snake order (reversed every other round): each person still short takes the
    /// open session of the workshop they like best, the emptier run on a tie, then at random.
    pub(super) fn greedy(&mut self, order: &[usize], rng: &mut Rng) {
        for round in 0..self.per_person {
            for i in 0..order.len() {
                let p = if round % 2 == 0 {
                    order[i]
                } else {
                    order[order.len() - 1 - i]
                };
                if self.count(p) >= self.per_person {
                    continue;
                }
                let mut best: Option<((i64, u32, u64), usize)> = None;
                for x in 0..self.n() {
                    if self.spare(x) == 0 || !self.can_hold(p, x, None) {
                        continue;
                    }
                    let key = (
                        self.people[p].weight[self.workshop[x]],
                        self.spare(x),
                        rng.next(),
                    );
                    if best.is_none_or(|(k, _)| key > k) {
                        best = Some((key, x));
                    }
                }
                if let Some((_, x)) = best {
                    self.add(p, x);
                }
            }
        }
    }

    /// Takes their sessions back from the people the rounds left short.
    pub(super) fn strip_short(&mut self) {
        for p in 0..self.people.len() {
            if self.count(p) < self.per_person {
                for x in self.people[p].free.clone() {
                    self.remove(p, x);
                }
            }
        }
    }

    /// For each person still short: take back their sessions and try whole combinations of
    /// sessions, best liked first, freeing a seat in a full session by an ejection chain (someone
    /// moves on, someone else moves on from there… until a session with a spare seat).
    pub(super) fn repair(&mut self, order: &[usize]) {
        let mut budget = REPAIR_BUDGET;
        let mut edges: Option<Vec<bool>> = None;
        for &p in order {
            if budget == 0 {
                break;
            }
            let missing = self.per_person.saturating_sub(self.count(p));
            if missing == 0 {
                continue;
            }
            let total_spare =
                (0..self.n()).fold(0u64, |sum, x| sum.saturating_add(u64::from(self.spare(x))));
            if total_spare < missing as u64 {
                continue;
            }
            let graph = match edges.take() {
                Some(graph) => graph,
                None => self.move_graph(),
            };
            self.log.clear();
            for x in self.people[p].free.clone() {
                self.remove(p, x);
            }
            let reachable = self.reaches_spare(&graph);
            let mut placed = false;
            for combo in self.combinations(p) {
                if !combo.iter().all(|&x| reachable[x]) {
                    continue;
                }
                let mark = self.log.len();
                let mut ok = true;
                for &x in &combo {
                    if self.spare(x) == 0 && !self.make_room(x, p, &mut budget) {
                        ok = false;
                        break;
                    }
                    self.add(p, x);
                }
                if ok {
                    placed = true;
                    break;
                }
                self.rollback(mark);
                if budget == 0 {
                    break;
                }
            }
            if placed {
                // The board moved: the graph of possible moves is rebuilt for the next person.
                edges = None;
            } else {
                self.rollback(0);
                edges = Some(graph);
            }
            self.log.clear();
        }
    }

    /// `graph[a * n + b]`: some holder of `a` could move to `b`.
    pub(super) fn move_graph(&self) -> Vec<bool> {
        let n = self.n();
        let mut graph = vec![false; n * n];
        for a in 0..n {
            for b in 0..n {
                graph[a * n + b] = a != b
                    && self.members[a]
                        .iter()
                        .any(|&q| self.can_hold(q, b, Some(a)));
            }
        }
        graph
    }

    /// Sessions with a spare seat or from which a chain of moves may reach one.
    pub(super) fn reaches_spare(&self, graph: &[bool]) -> Vec<bool> {
        let n = self.n();
        let mut reached: Vec<bool> = (0..n).map(|x| self.spare(x) > 0).collect();
        let mut queue: VecDeque<usize> = (0..n).filter(|&x| reached[x]).collect();
        while let Some(b) = queue.pop_front() {
            for a in 0..n {
                if !reached[a] && graph[a * n + b] {
                    reached[a] = true;
                    queue.push_back(a);
                }
            }
        }
        reached
    }

    /// Sets of sessions `p` could hold on top of their fixed ones to reach `per_person`, best
    /// liked first (at most MAX_COMBINATIONS of them).
    pub(super) fn combinations(&self, p: usize) -> Vec<Vec<usize>> {
        let need = self.per_person.saturating_sub(self.count(p));
        let mut found: Vec<(i64, Vec<usize>)> = Vec::new();
        let mut chosen = Vec::new();
        self.extend_combinations(p, need, 0, &mut chosen, &mut found);
        found.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
        found.into_iter().map(|(_, combo)| combo).collect()
    }

    pub(super) fn extend_combinations(
        &self,
        p: usize,
        need: usize,
        start: usize,
        chosen: &mut Vec<usize>,
        found: &mut Vec<(i64, Vec<usize>)>,
    ) {
        if found.len() >= MAX_COMBINATIONS {
            return;
        }
        if chosen.len() == need {
            let weight = chosen
                .iter()
                .map(|&x| self.people[p].weight[self.workshop[x]])
                .sum();
            found.push((weight, chosen.clone()));
            return;
        }
        for x in start..self.n() {
            let fits = self.can_hold(p, x, None)
                && chosen
                    .iter()
                    .all(|&c| self.slot[c] != self.slot[x] && self.workshop[c] != self.workshop[x]);
            if fits {
                chosen.push(x);
                self.extend_combinations(p, need, x + 1, chosen, found);
                chosen.pop();
            }
        }
    }

    /// Frees a seat in the full session `x` by a chain of moves ending in a session with a spare
    /// seat (shortest chain, the least painful mover on each link); `p` never moves.
    pub(super) fn make_room(&mut self, x: usize, p: usize, budget: &mut u64) -> bool {
        let n = self.n();
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; n];
        let mut seen = vec![false; n];
        seen[x] = true;
        let mut queue = VecDeque::from([x]);
        while let Some(a) = queue.pop_front() {
            let mut on_path = Vec::new();
            let mut cur = a;
            while let Some((prev, q)) = parent[cur] {
                on_path.push(q);
                cur = prev;
            }
            for b in 0..n {
                if seen[b] {
                    continue;
                }
                let mut best: Option<(i64, usize)> = None;
                for &q in &self.members[a] {
                    if *budget == 0 {
                        return false;
                    }
                    *budget -= 1;
                    if q == p || on_path.contains(&q) || !self.can_hold(q, b, Some(a)) {
                        continue;
                    }
                    let gain = self.gain(q, a, b);
                    if best.is_none_or(|(g, _)| gain > g) {
                        best = Some((gain, q));
                    }
                }
                let Some((_, q)) = best else { continue };
                seen[b] = true;
                parent[b] = Some((a, q));
                if self.spare(b) > 0 {
                    let mut cur = b;
                    while let Some((prev, q)) = parent[cur] {
                        self.relocate(q, prev, cur);
                        cur = prev;
                    }
                    return true;
                }
                queue.push_back(b);
            }
        }
        false
    }

    /// `best[a * n + b]`: the holder of `a` who gains most by moving to `b`, and that gain.
    pub(super) fn best_moves(&self) -> Vec<Option<(i64, usize)>> {
        let n = self.n();
        let mut best = vec![None; n * n];
        for a in 0..n {
            for &q in &self.members[a] {
                for b in 0..n {
                    if b == a || !self.can_hold(q, b, Some(a)) {
                        continue;
                    }
                    let gain = self.gain(q, a, b);
                    let cell: &mut Option<(i64, usize)> = &mut best[a * n + b];
                    if cell.is_none_or(|(g, _)| gain > g) {
                        *cell = Some((gain, q));
                    }
                }
            }
        }
        best
    }

    /// Steepest ascent on the preference score, every person keeping their number of sessions:
    /// a move to a spare seat, a chain of two moves ending at a spare seat, a swap, a three-way
    /// cycle. Stops when no step improves.
    pub(super) fn improve(&mut self) {
        let n = self.n();
        let logging = std::mem::replace(&mut self.logging, false);
        for _ in 0..MAX_IMPROVEMENTS {
            let best = self.best_moves();
            let edge = |a: usize, b: usize| best[a * n + b].map(|(g, q)| (g, (q, a, b)));
            let mut top: Option<(i64, Vec<Step>)> = None;
            let mut consider = |gain: i64, steps: Vec<Step>| {
                if gain > 0
                    && top.as_ref().is_none_or(|(g, _)| gain > *g)
                    && distinct_people(&steps)
                {
                    top = Some((gain, steps));
                }
            };
            for a in 0..n {
                for b in 0..n {
                    let Some((g1, s1)) = edge(a, b) else { continue };
                    if self.spare(b) > 0 {
                        consider(g1, vec![s1]);
                    }
                    if b < a
                        && let Some((g2, s2)) = edge(b, a)
                    {
                        consider(g1 + g2, vec![s1, s2]);
                    }
                    for c in 0..n {
                        if c == a || c == b {
                            continue;
                        }
                        let Some((g2, s2)) = edge(b, c) else { continue };
                        if self.spare(c) > 0 {
                            consider(g1 + g2, vec![s1, s2]);
                        }
                        // Each three-way cycle once: starting from its smallest session.
                        if a < b
                            && a < c
                            && let Some((g3, s3)) = edge(c, a)
                        {
                            consider(g1 + g2 + g3, vec![s1, s2, s3]);
                        }
                    }
                }
            }
            let Some((_, steps)) = top else { break };
            for (q, from, to) in steps {
                self.relocate(q, from, to);
            }
        }
        self.logging = logging;
    }

    /// Score change of the logged changes since `mark`.
    pub(super) fn logged_gain(&self, mark: usize) -> i64 {
        self.log[mark..]
            .iter()
            .map(|change| match *change {
                Change::Add(p, x) => self.people[p].weight[self.workshop[x]],
                Change::Remove(p, x) => -self.people[p].weight[self.workshop[x]],
            })
            .sum()
    }

    /// For each fully placed person: take their sessions back and try the combinations they like
    /// better, freeing seats by ejection chains; keep the first that raises the total score (this
    /// reaches what single moves cannot, e.g. swapping one's two workshops between the slots).
    /// Returns whether anything changed.
    pub(super) fn reinsert(&mut self, order: &[usize], budget: &mut u64) -> bool {
        let mut changed = false;
        let mut graph = self.move_graph();
        for &p in order {
            if *budget == 0 {
                break;
            }
            if self.people[p].free.is_empty() || self.count(p) < self.per_person {
                continue;
            }
            let weight = &self.people[p].weight;
            let current: i64 = self.people[p]
                .free
                .iter()
                .map(|&x| weight[self.workshop[x]])
                .sum();
            self.log.clear();
            for x in self.people[p].free.clone() {
                self.remove(p, x);
            }
            let reachable = self.reaches_spare(&graph);
            let mut kept = false;
            for combo in self.combinations(p) {
                let wanted: i64 = combo
                    .iter()
                    .map(|&x| self.people[p].weight[self.workshop[x]])
                    .sum();
                if wanted <= current || *budget == 0 {
                    break;
                }
                if !combo.iter().all(|&x| reachable[x]) {
                    continue;
                }
                let mark = self.log.len();
                let mut ok = true;
                for &x in &combo {
                    if self.spare(x) == 0 && !self.make_room(x, p, budget) {
                        ok = false;
                        break;
                    }
                    self.add(p, x);
                }
                if ok && self.logged_gain(0) > 0 {
                    kept = true;
                    break;
                }
                self.rollback(mark);
            }
            if kept {
                changed = true;
                graph = self.move_graph();
            } else {
                self.rollback(0);
            }
            self.log.clear();
        }
        changed
    }
}

/// Whether the steps move different people (each person's move was checked on its own).
pub(super) fn distinct_people(steps: &[Step]) -> bool {
    steps
        .iter()
        .enumerate()
        .all(|(i, s)| steps[..i].iter().all(|t| t.0 != s.0))
}
