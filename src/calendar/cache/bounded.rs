//! A map bounded in entries and in bytes that forgets the least recently used entries first.
//!
//! Each entry carries the tick of its last use. Reading costs a hash lookup and a counter;
//! nothing is ordered until the map goes over its bound. Then the entries are sorted by last use
//! once and the oldest dropped until the map is back under seven eighths of each bound, so a map
//! kept full pays for one sort every eighth of its size, not at every insertion. An entry alone
//! larger than the byte bound is not kept at all.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// How much a map may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most entries kept.
    pub entries: usize,
    /// Most bytes kept, as the values report them (their text and what surrounds it).
    pub bytes: usize,
}

struct Slot<V> {
    value: V,
    bytes: usize,
    used: u64,
}

pub struct Bounded<K, V> {
    slots: HashMap<K, Slot<V>>,
    limits: Limits,
    bytes: usize,
    tick: u64,
    evicted: u64,
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    pub fn new(limits: Limits) -> Self {
        Self {
            slots: HashMap::new(),
            limits,
            bytes: 0,
            tick: 0,
            evicted: 0,
        }
    }

    /// The value under `key`, marked as just used.
    pub fn get<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.tick += 1;
        let tick = self.tick;
        let slot = self.slots.get_mut(key)?;
        slot.used = tick;
        Some(&slot.value)
    }

    /// Keeps `value` (weighing `bytes`) under `key`, replacing what was there, then forgets the
    /// least recently used entries if the map went over its bound. Insert a batch with
    /// [`Bounded::insert_unbounded`] then [`Bounded::trim`] once.
    pub fn insert(&mut self, key: K, value: V, bytes: usize) {
        self.insert_unbounded(key, value, bytes);
        self.trim();
    }

    /// Like [`Bounded::insert`], without trimming: call [`Bounded::trim`] after the batch.
    pub fn insert_unbounded(&mut self, key: K, value: V, bytes: usize) {
        if bytes > self.limits.bytes {
            self.remove(&key);
            return;
        }
        self.tick += 1;
        let slot = Slot {
            value,
            bytes,
            used: self.tick,
        };
        if let Some(old) = self.slots.insert(key, slot) {
            self.bytes -= old.bytes;
        }
        self.bytes += bytes;
    }

    /// Changes the weight of the entry under `key` (a value that grew after it was kept), then
    /// trims. Nothing happens if `key` holds no value or `same` says it is another one.
    pub fn reweigh<Q: Hash + Eq + ?Sized>(
        &mut self,
        key: &Q,
        same: impl Fn(&V) -> bool,
        bytes: usize,
    ) where
        K: Borrow<Q>,
    {
        if let Some(slot) = self.slots.get_mut(key)
            && same(&slot.value)
        {
            if bytes > self.limits.bytes {
                self.remove(key);
                return;
            }
            self.bytes = self.bytes - slot.bytes + bytes;
            slot.bytes = bytes;
            self.trim();
        }
    }

    /// Back under the bound if over it: the least recently used first, down to seven eighths.
    pub fn trim(&mut self) {
        if self.slots.len() <= self.limits.entries && self.bytes <= self.limits.bytes {
            return;
        }
        let entries = self.limits.entries - self.limits.entries / 8;
        let bytes = self.limits.bytes - self.limits.bytes / 8;
        let mut by_use: Vec<(u64, K)> = self
            .slots
            .iter()
            .map(|(key, slot)| (slot.used, key.clone()))
            .collect();
        by_use.sort_unstable_by_key(|(used, _)| *used);
        for (_, key) in by_use {
            if self.slots.len() <= entries && self.bytes <= bytes {
                break;
            }
            if let Some(slot) = self.slots.remove(&key) {
                self.bytes -= slot.bytes;
                self.evicted += 1;
            }
        }
    }

    pub fn remove<Q: Hash + Eq + ?Sized>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Some(slot) = self.slots.remove(key) {
            self.bytes -= slot.bytes;
        }
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.bytes = 0;
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Bytes held, as the values reported them.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Entries forgotten to stay under the bound since the map was made.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: usize, bytes: usize) -> Bounded<u32, &'static str> {
        Bounded::new(Limits { entries, bytes })
    }

    #[test]
    fn past_its_entry_bound_the_least_recently_used_go_first() {
        let mut m = map(8, 1_000);
        for k in 0..8 {
            m.insert(k, "v", 10);
        }
        // 0 and 1 used again: 2, 3… are now the oldest.
        assert!(m.get(&0).is_some());
        assert!(m.get(&1).is_some());
        m.insert(8, "v", 10);
        assert_eq!(m.len(), 7, "trimmed to seven eighths of 8");
        assert_eq!(m.evicted(), 2);
        for kept in [0, 1, 4, 5, 6, 7, 8] {
            assert!(m.get(&kept).is_some(), "{kept} kept");
        }
        for gone in [2, 3] {
            assert!(m.get(&gone).is_none(), "{gone} forgotten");
        }
        assert_eq!(m.bytes(), 70);
    }

    #[test]
    fn past_its_byte_bound_the_least_recently_used_go_first() {
        let mut m = map(100, 800);
        m.insert(1, "a", 300);
        m.insert(2, "b", 300);
        assert!(m.get(&1).is_some());
        m.insert(3, "c", 300);
        assert!(m.get(&2).is_none(), "least recently used");
        assert_eq!(m.get(&1), Some(&"a"));
        assert_eq!(m.get(&3), Some(&"c"));
        assert_eq!(m.bytes(), 600);
    }

    #[test]
    fn a_value_larger_than_the_bound_is_not_kept_and_replacing_frees_the_old_weight() {
        let mut m = map(100, 800);
        m.insert(1, "a", 100);
        m.insert(2, "huge", 900);
        assert!(m.get(&2).is_none());
        assert_eq!(m.get(&1), Some(&"a"));
        m.insert(1, "b", 200);
        assert_eq!(m.bytes(), 200);
        assert_eq!(m.get(&1), Some(&"b"));
        m.reweigh(&1, |v| *v == "b", 500);
        assert_eq!(m.bytes(), 500);
        m.reweigh(&1, |v| *v == "other", 50);
        assert_eq!(m.bytes(), 500, "another value: left as it is");
        m.reweigh(&1, |_| true, 850);
        assert!(m.is_empty(), "grown past the bound: forgotten");
        assert_eq!(m.bytes(), 0);
    }

    #[test]
    fn a_batch_is_trimmed_once_and_keeps_its_newest() {
        let mut m = map(16, 1_000_000);
        for k in 0..40 {
            m.insert_unbounded(k, "v", 1);
        }
        assert_eq!(m.len(), 40);
        m.trim();
        assert_eq!(m.len(), 14);
        assert!((26..40).all(|k| m.get(&k).is_some()));
        m.clear();
        assert!(m.is_empty());
        assert_eq!(m.bytes(), 0);
    }
}
