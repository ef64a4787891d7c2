//! A tiny seeded PRNG (splitmix64) for generated test cases, so every run sees the same cases.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

/// splitmix64.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi` (`lo <= hi`).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True with the given probability in percent.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A random element of the non-empty `items`.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `n` random `pieces`, with a random one of `seps` between each two (drawn in text order).
    pub(crate) fn join(&mut self, n: usize, pieces: &[&str], seps: &[&str]) -> String {
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push_str(self.pick(seps));
            }
            text.push_str(self.pick(pieces));
        }
        text
    }
}
