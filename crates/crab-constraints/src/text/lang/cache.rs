//! A small bounded cache of detection results, keyed by the full text.
//!
//! Keys are the texts themselves rather than hashes, so a collision can never return another
//! text's language. The bounds keep memory predictable in the browser: at most
//! [`MAX_ENTRIES`] texts and [`MAX_BYTES`] bytes of keys; texts longer than [`MAX_TEXT_BYTES`]
//! are not cached. When full, the least recently used entry goes (a linear scan over at most
//! a few hundred entries, negligible next to one detection).

use std::collections::HashMap;

use super::Detection;

/// The most texts kept.
pub(super) const MAX_ENTRIES: usize = 256;
/// The most bytes of cached text kept.
pub(super) const MAX_BYTES: usize = 4 << 20;
/// Longer texts are detected every time.
pub(super) const MAX_TEXT_BYTES: usize = 256 << 10;

/// A cached outcome.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Outcome {
    /// What `detect_langs` returns: the `(language, probability)` list, or `None` for "no
    /// features".
    Langs(Option<Vec<(String, f64)>>),
    /// Only what `detect` returns (from a walk that may have stopped once that was decided).
    Top(Detection),
}

#[derive(Debug, Default)]
pub(super) struct Cache {
    map: HashMap<Box<str>, Entry>,
    bytes: usize,
    clock: u64,
}

#[derive(Debug)]
struct Entry {
    last_used: u64,
    outcome: Outcome,
}

impl Cache {
    pub(super) fn get(&mut self, text: &str) -> Option<Outcome> {
        self.clock += 1;
        let entry = self.map.get_mut(text)?;
        entry.last_used = self.clock;
        Some(entry.outcome.clone())
    }

    /// Keeps `outcome` for `text`; a [`Outcome::Langs`] replaces a [`Outcome::Top`] (it says
    /// more), never the other way round.
    pub(super) fn insert(&mut self, text: &str, outcome: Outcome) {
        if text.len() > MAX_TEXT_BYTES {
            return;
        }
        if let Some(entry) = self.map.get_mut(text) {
            if matches!(outcome, Outcome::Langs(_)) {
                entry.outcome = outcome;
            }
            return;
        }
        while !self.map.is_empty()
            && (self.map.len() >= MAX_ENTRIES || self.bytes + text.len() > MAX_BYTES)
        {
            self.evict_oldest();
        }
        self.clock += 1;
        self.bytes += text.len();
        self.map.insert(text.into(), Entry { last_used: self.clock, outcome });
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map.len()
    }

    fn evict_oldest(&mut self) {
        let oldest = self.map.iter().min_by_key(|(_, e)| e.last_used).map(|(k, _)| k.clone());
        if let Some(key) = oldest {
            self.map.remove(&key);
            self.bytes = self.bytes.saturating_sub(key.len());
        }
    }
}
