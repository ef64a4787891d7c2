//! Random pieces of the 541 real GPT-4 responses for generated test texts: whole responses,
//! byte slices cut back to char boundaries, and single lines.
//!
//! Needs `mod data;` and `mod rng;` (the other support files) next to it in the including crate.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use crate::data;
use crate::rng::Rng;

/// The GPT-4 responses, in file order.
pub(crate) struct Fragments(Vec<String>);

impl Fragments {
    /// Reads the responses file.
    pub(crate) fn load() -> Fragments {
        Fragments(data::response_texts())
    }

    /// A whole response.
    pub(crate) fn whole(&self, rng: &mut Rng) -> &str {
        &self.0[rng.below(self.0.len())]
    }

    /// A slice of a response: from a random byte (cut back to a char boundary) up to `max` bytes
    /// long (at least one character unless it starts at the end).
    pub(crate) fn slice(&self, rng: &mut Rng, max: usize) -> &str {
        let r = self.whole(rng);
        let start = floor_boundary(r, rng.below(r.len()));
        let end = floor_boundary(r, (start + 1 + rng.below(max)).min(r.len()));
        &r[start..end]
    }

    /// One line of a response.
    pub(crate) fn line(&self, rng: &mut Rng) -> &str {
        let lines: Vec<&str> = self.whole(rng).lines().collect();
        lines[rng.below(lines.len())]
    }
}

/// The largest char boundary of `s` at or before `i` (`i` must be at most `s.len()`).
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
