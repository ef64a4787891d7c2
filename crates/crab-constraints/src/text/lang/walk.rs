//! langdetect's `Detector._detect_block` over the [`flat`](super::flat) table: n-gram
//! extraction, then seven seeded random walks, as Python langdetect 1.0.9 runs them on CPython
//! 3.11.
//!
//! Why our own: the `langdetect` crate only walks over its own `DetectorFactory`, whose
//! construction cost more than all the detections of a `crab eval` run. The walk is short, and
//! every step is fixed by Python's code, so it is written out here step for step:
//!
//! - `random.Random(0)`: MT19937 seeded by `init_by_array([0])`; `random()` from two 32-bit
//!   outputs; `gauss()` by Box–Muller, caching its second value; `choice(seq)` via
//!   `_randbelow`, drawing `getrandbits(k)` until below `len(seq)`.
//! - each trial starts from `1 / languages`, draws `alpha = 0.5 + gauss() × 0.05`, multiplies
//!   by `alpha / 10000 + p` per drawn n-gram, and every fifth step divides by the sum (summed
//!   left to right, as 3.11's `sum()` does) until one language passes 0.99999 or 1,000 steps;
//! - the trials' results are averaged, each divided by 7 as Python divides.
//!
//! `detect` only needs the most probable language, and that is often known before the last
//! trial: each trial adds at most 1/7 to a language, so once the leader is ahead of every other
//! language by more than the trials left can give (and above the 0.1 that `detect_langs` keeps),
//! the remaining trials cannot change the answer. [`Goal::TopLanguage`] stops there (typically
//! after four of the seven trials on a text in one language); [`Goal::Probabilities`] always
//! runs all seven, as `detect_langs` reports every probability.
//!
//! `NGram.add_char`'s capital-word rule uses `str.isupper()` (Unicode 14.0, from
//! [`pystr`](crate::text::pystr)) and `NGram.normalize` ([`normalize`](super::normalize)).
//! `tests/lang_reference.rs` compares the results, bit for bit, with the crate's own walk.

use std::cell::RefCell;

use super::flat::{pack, Table};
use super::normalize::{normalize, CjkMap};
use crate::text::pystr::is_upper_char;

const N: usize = 624;
const M: usize = 397;
const TRIALS: u32 = 7;
const ALPHA: f64 = 0.5;
const ALPHA_WIDTH: f64 = 0.05;
const BASE_FREQ: f64 = 10000.0;
const ITERATION_LIMIT: usize = 1000;
const CONV_THRESHOLD: f64 = 0.99999;
/// Slack on the early decision's bound, far above the rounding of the six additions left
/// (each adds a value of at most `1/7` to a sum of at most 1: an error below 2^-53 each).
const DECISION_MARGIN: f64 = 1e-9;

/// What a walk must establish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Goal {
    /// Every language's probability, as `detect_langs` reports them: all seven trials.
    Probabilities,
    /// Only which language is most probable (and above 0.1), as `detect` reports it: the walk
    /// may stop after the trial that decides it.
    TopLanguage,
}

/// CPython's `random.Random`, as far as langdetect uses it.
///
/// Every index into the 624-word state is below 624 by construction (`i` wraps to 1,
/// positions are taken modulo 624).
pub(super) struct PyRandom {
    mt: [u32; N],
    next: usize,
    gauss_next: Option<f64>,
}

#[allow(clippy::indexing_slicing, reason = "indices into [u32; N] are all taken modulo N")]
impl PyRandom {
    /// `random.Random(0)`: `init_by_array` with the key `[0]`.
    pub(super) fn seed0() -> Self {
        let mut mt = [0u32; N];
        mt[0] = 19_650_218;
        for i in 1..N {
            mt[i] =
                1_812_433_253u32.wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_add(i as u32);
        }
        // init_by_array with one key word, 0: j stays 0.
        let mut i = 1;
        for _ in 0..N {
            mt[i] =
                (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_664_525)).wrapping_add(0);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        for _ in 0..N - 1 {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        PyRandom { mt, next: N, gauss_next: None }
    }

    fn refill(&mut self) {
        let mt = &mut self.mt;
        for k in 0..N {
            let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % N] & 0x7fff_ffff);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            mt[k] = mt[(k + M) % N] ^ (y >> 1) ^ mag;
        }
        self.next = 0;
    }

    /// `genrand_uint32`.
    pub(super) fn next_u32(&mut self) -> u32 {
        if self.next >= N {
            self.refill();
        }
        let mut y = self.mt[self.next % N];
        self.next += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: 53 bits from two outputs.
    pub(super) fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `gauss(0.0, 1.0)` (`0.0 + z * 1.0` is `z` for every finite `z` but -0.0, which the
    /// caller's `0.5 + …` erases).
    pub(super) fn gauss(&mut self) -> f64 {
        if let Some(z) = self.gauss_next.take() {
            return z;
        }
        let x2pi = self.random() * (2.0 * std::f64::consts::PI);
        let g2rad = (-2.0 * (1.0 - self.random()).ln()).sqrt();
        self.gauss_next = Some(x2pi.sin() * g2rad);
        x2pi.cos() * g2rad
    }

    /// `_randbelow(n)` for `1 <= n < 2^32`.
    pub(super) fn below(&mut self, n: usize) -> usize {
        let k = usize::BITS - n.leading_zeros();
        let shift = 32u32.saturating_sub(k);
        loop {
            let r = (self.next_u32() >> shift) as usize;
            if r < n {
                return r;
            }
        }
    }
}

/// `Detector._extract_ngrams`: the slots of the text's n-grams that the table has, in order.
fn extract(table: &Table, cjk: &CjkMap, text: &str, out: &mut Vec<u32>) {
    let mut grams = [' '; 3];
    let mut caps = [false; 3];
    let mut len = 1usize;
    let mut capitalword = false;
    for raw in text.chars() {
        let ch = normalize(raw, cjk);
        // `len` is 1, 2 or 3 here, so `len - 1` is in range.
        let last = len - 1;
        let last_upper = caps.get(last).copied().unwrap_or(false);
        if grams.get(last) == Some(&' ') {
            grams[0] = ' ';
            caps[0] = false;
            len = 1;
            capitalword = false;
            if ch == ' ' {
                continue;
            }
        } else if len == 3 {
            grams = [grams[1], grams[2], ' '];
            caps = [caps[1], caps[2], false];
            len = 2;
        }
        let upper = is_upper_char(ch);
        if let (Some(g), Some(c)) = (grams.get_mut(len), caps.get_mut(len)) {
            *g = ch;
            *c = upper;
        }
        len += 1;
        if upper {
            if last_upper {
                capitalword = true;
            }
        } else {
            capitalword = false;
        }
        if capitalword {
            continue;
        }
        for n in 1..=len {
            let Some(w) = grams.get(len - n..len) else { continue };
            if n == 1 && w.first() == Some(&' ') {
                continue;
            }
            if let Some(slot) = table.find(pack(w)) {
                out.push(slot);
            }
        }
    }
}

/// Buffers reused across detections on one thread.
#[derive(Default)]
struct Scratch {
    ngrams: Vec<u32>,
    /// Per n-gram position: its row in `dense`, or `u32::MAX` until first drawn.
    rows: Vec<u32>,
    /// Dense rows (one probability per language), built when an n-gram is first drawn.
    dense: Vec<f64>,
    /// Per table slot: its row in `dense` plus one once built, else 0 (a vector over the slots,
    /// which costs less than hashing; only the `touched` entries are reset afterwards). Zero
    /// means "not built" so that the vector is allocated zeroed: fresh pages from the system,
    /// touched only where a slot is, rather than half a megabyte written on every thread.
    built: Vec<u32>,
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// `Detector._detect_block` on a prepared, cleaned text: each language's probability
/// averaged over the trials. `None` where Python raises: no n-gram features, or a sum of zero.
///
/// With [`Goal::TopLanguage`], the sums may stop short of the last trials, once they can no
/// longer change which language is most probable: then that language is strictly ahead of every
/// other and above 0.1, as it is after all seven trials.
pub(super) fn detect_block(
    table: &Table,
    cjk: &CjkMap,
    text: &str,
    goal: Goal,
) -> Option<Vec<f64>> {
    SCRATCH.with_borrow_mut(|s| {
        s.ngrams.clear();
        extract(table, cjk, text, &mut s.ngrams);
        if s.ngrams.is_empty() {
            return None;
        }
        s.rows.clear();
        s.rows.resize(s.ngrams.len(), u32::MAX);
        s.dense.clear();
        if s.built.len() != table.capacity() {
            s.built = vec![0; table.capacity()];
        }
        let langprob = walk(table, s, goal);
        for slot in s.touched.drain(..) {
            if let Some(b) = s.built.get_mut(slot as usize) {
                *b = 0;
            }
        }
        langprob
    })
}

fn walk(table: &Table, s: &mut Scratch, goal: Goal) -> Option<Vec<f64>> {
    let nl = table.langs().len();
    let mut langprob = vec![0.0f64; nl];
    let mut prob = vec![0.0f64; nl];
    let mut rng = PyRandom::seed0();
    for trial in 1..=TRIALS {
        prob.fill(1.0 / nl as f64);
        let alpha = ALPHA + rng.gauss() * ALPHA_WIDTH;
        let weight = alpha / BASE_FREQ;
        let mut i = 0usize;
        loop {
            let pick = rng.below(s.ngrams.len());
            let row = match s.rows.get(pick).copied() {
                Some(r) if r != u32::MAX => r,
                _ => {
                    let slot = s.ngrams.get(pick).copied().unwrap_or(0);
                    let next = (s.dense.len() / nl) as u32;
                    let r = match s.built.get_mut(slot as usize) {
                        Some(b) if *b != 0 => *b - 1,
                        Some(b) => {
                            *b = next + 1;
                            s.touched.push(slot);
                            next
                        }
                        None => next,
                    };
                    if r == next {
                        s.dense.resize(s.dense.len() + nl, 0.0);
                        let base = r as usize * nl;
                        for (lang, p) in table.entries(slot) {
                            if let Some(d) = s.dense.get_mut(base + lang) {
                                *d = p;
                            }
                        }
                    }
                    if let Some(x) = s.rows.get_mut(pick) {
                        *x = r;
                    }
                    r
                }
            };
            let base = row as usize * nl;
            let dense = s.dense.get(base..base + nl).unwrap_or(&[]);
            for (p, &r) in prob.iter_mut().zip(dense) {
                *p *= weight + r;
            }
            if i % 5 == 0 {
                // `sum(prob)`: left to right, starting from the first term.
                let total =
                    prob.iter().skip(1).fold(prob.first().copied().unwrap_or(0.0), |t, &p| t + p);
                if total == 0.0 {
                    return None;
                }
                for p in prob.iter_mut() {
                    *p /= total;
                }
                // Python's `maxp` (the largest, starting from 0.0; a NaN never replaces it) is
                // only compared with the threshold: above it exactly when some `p` is.
                let converged = prob.iter().any(|&p| p > CONV_THRESHOLD);
                if converged || i >= ITERATION_LIMIT {
                    break;
                }
            }
            i += 1;
        }
        for (lp, &p) in langprob.iter_mut().zip(&prob) {
            *lp += p / f64::from(TRIALS);
        }
        if goal == Goal::TopLanguage && decided(&langprob, TRIALS - trial) {
            break;
        }
    }
    Some(langprob)
}

/// Whether the most probable language after all trials is already known from the sums so far,
/// with `left` trials to go.
///
/// Each trial adds `p / 7` to every language, with `0 <= p <= 1` (`prob` is normalised when a
/// trial ends: each `p` is a quotient by a sum of non-negative terms that includes it), so a
/// language gains at most `left / 7` more, and a sum never decreases (rounding is monotonic).
/// A leader ahead of the runner-up by more than that (plus [`DECISION_MARGIN`]) stays strictly
/// first, and one above 0.1 stays above it, so `detect`'s answer is settled. (This assumes the
/// trials left would not raise, as Python does on a sum of zero; a sum of zero needs a weight
/// `alpha / 10000 <= 0`, a Gaussian draw ten deviations below its mean.)
fn decided(langprob: &[f64], left: u32) -> bool {
    if left == 0 {
        return false;
    }
    let (mut first, mut second) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &p in langprob {
        if p > first {
            second = first;
            first = p;
        } else if p > second {
            second = p;
        }
    }
    let bound = f64::from(left) / f64::from(TRIALS) + DECISION_MARGIN;
    first > 0.1 && first - second > bound
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values from CPython 3.11: r = random.Random(0); [r.getrandbits(32) for _ in range(3)];
    // r = random.Random(0); r.random(); r.gauss(0.0, 1.0); r.getrandbits(17);
    // r.choice(range(1000)); r.choice(range(7)); r.choice(range(30000)).
    #[test]
    fn matches_cpython_random() {
        let mut r = PyRandom::seed0();
        assert_eq!(
            [r.next_u32(), r.next_u32(), r.next_u32()],
            [3626764237, 1654615998, 3255389356]
        );
        let mut r = PyRandom::seed0();
        assert_eq!(r.random().to_bits(), 0.8444218515250481f64.to_bits());
        assert_eq!(r.gauss().to_bits(), 0.05219198828260849f64.to_bits());
        assert_eq!(r.next_u32() >> 15, 33936);
        assert_eq!([r.below(1000), r.below(7), r.below(30000)], [988, 4, 15922]);
    }

    #[test]
    fn gauss_caches_its_second_value() {
        let mut a = PyRandom::seed0();
        let (first, second) = (a.gauss(), a.gauss());
        assert_ne!(first.to_bits(), second.to_bits());
        // The second value costs no draw: the streams continue in step.
        let mut b = PyRandom::seed0();
        b.gauss();
        assert_eq!(a.next_u32(), b.next_u32());
    }

    #[test]
    fn many_draws_cross_refills() {
        // 2,000 outputs cross three refills; CPython's 2,000th output of Random(0).
        let mut r = PyRandom::seed0();
        let last = (0..2000).map(|_| r.next_u32()).last();
        assert_eq!(last, Some(3908016617));
    }
}
