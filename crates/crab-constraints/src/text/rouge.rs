//! ROUGE-L F1 exactly as CRAB computes it, and CRAB's greedy de-duplication.
//!
//! CRAB's filter (`6_mix_filter.py`) drops a constraint when its ROUGE-L F score against another
//! one of the same instance is above 0.6, scored by PyPI `rouge` 1.0.1 as
//! `Rouge().get_scores(hypothesis, reference)[0]["rouge-l"]["f"]`, with any exception scored 1.0.
//! Scores near the threshold decide what is kept, so this is that package's computation, step for
//! step, not textbook ROUGE-L. What it does:
//!
//! - A text is split on ASCII `.` into sentences; empty pieces are dropped, every other piece is
//!   normalised with Python's `" ".join(piece.split())` (Python whitespace: [`pystr::is_space`],
//!   which includes U+001C..U+001F, unlike Rust's). A piece of only whitespace becomes the empty
//!   sentence, which is kept and has one word, `""`. No sentence on either side (`""`, `"..."`)
//!   raises.
//! - Words are sets (the package's default `exclusive=True`): `m` and `n` count the *distinct*
//!   words of the reference and of the hypothesis, over all their sentences.
//! - For each reference sentence and each hypothesis sentence one longest common subsequence is
//!   reconstructed from the dynamic-programming table, walking back from the end: equal words are
//!   taken, otherwise the walk goes up (drops a reference word) only when that cell is strictly
//!   greater than the one to the left, else left. The *words* of every such subsequence go into
//!   one set; `llcs` is its size. So which of several longest subsequences is chosen matters, and
//!   the score is not symmetric in its arguments.
//! - `r = llcs / m`, `p = llcs / n`, `f = 2 * ((p * r) / (p + r + 1e-8))`, in that order of
//!   floating-point operations (Python's `int / int` is correctly rounded, as is `f64` division of
//!   the exactly converted counts).
//!
//! **Python's recursion limit.** The package walks the table back recursively, one Python frame
//! per step, and CPython raises `RecursionError` when the stack exceeds 1000 frames; CRAB's
//! wrapper turns that into a score of 1.0, i.e. "duplicate". How many steps fit depends on how
//! deep the caller's stack already is, so we mimic the raise at CRAB's own depth (`filter` called
//! from the script's top level, calling `calculate_rouge_l`), which leaves room for
//! [`MAX_STEPS`] = 990 steps per sentence pair: a longer walk makes [`rouge_l_f`] `None`. This is
//! measured on CPython 3.11 (`tests/rouge_reference.rs` runs the package at exactly that depth
//! and probes both sides of the bound). Called from deeper (a harness, `python -m`) the package
//! raises a few steps earlier; with a raised `sys.setrecursionlimit`, later. Only sentences of
//! about a thousand words between two dots are concerned.
//!
//! A walk has at least `min(len(x), len(y))` steps, so a pair of sentences both longer than
//! [`MAX_STEPS`] is refused before any table is built, and otherwise only the corner of the table
//! that the walk can reach is kept: memory is bounded by the bound, not by the texts (time is
//! still `len(x)·len(y)` per sentence pair, as in Python). One more divergence: Python raises
//! `MemoryError` (CRAB: 1.0) on a sentence pair whose table (a dict of `(len(x)+1)·(len(y)+1)`
//! entries) does not fit in memory; this port scores it.

use std::collections::HashSet;

use super::pystr;

/// CRAB's threshold: two texts are duplicates when [`crab_score`] is strictly above it.
pub const DUPLICATE_THRESHOLD: f64 = 0.6;

/// The longest walk back through one sentence pair's LCS table that Python completes when
/// called as CRAB calls it: CPython's 1000 frames, less 9 for the callers (`<module>`, `filter`,
/// `calculate_rouge_l`, `get_scores`, `_get_scores`, the metric's lambda,
/// `rouge_l_summary_level`, `_union_lcs`, `_recon_lcs`), less the first `_recon` call. A pair of
/// sentences whose walk is longer makes [`rouge_l_f`] `None`.
pub const MAX_STEPS: usize = 990;

/// ROUGE-L F1 of `hypothesis` against `reference`, exactly as PyPI `rouge` 1.0.1's
/// `Rouge().get_scores(hypothesis, reference)[0]["rouge-l"]["f"]` computes it; `None` where that
/// call raises (then CRAB's wrapper scores 1.0, see `crab_score`).
///
/// It raises when either text has no sentence (`""`, `"..."`), and when a sentence pair needs more
/// than Python's recursion limit allows (see the module docs).
///
/// ```
/// use crab_constraints::text::rouge::rouge_l_f;
///
/// assert_eq!(rouge_l_f("a b c", "a b c"), Some(2.0 * (1.0 / (2.0 + 1e-8))));
/// assert_eq!(rouge_l_f("...", "a"), None);
/// ```
pub fn rouge_l_f(reference: &str, hypothesis: &str) -> Option<f64> {
    let counts = Counts::of(reference, hypothesis)?;
    Some(counts.f())
}

/// CRAB's `calculate_rouge_l(reference, hypothesis)`: `rouge_l_f`, or 1.0 where it raises.
pub fn crab_score(reference: &str, hypothesis: &str) -> f64 {
    rouge_l_f(reference, hypothesis).unwrap_or(1.0)
}

/// CRAB's `6_mix_filter.py` second stage: which of `texts` (in order) are deleted as duplicates.
/// Pairs (j, k), j < k, with `crab_score(texts[j], texts[k]) > DUPLICATE_THRESHOLD` form a conflict
/// graph; nodes are visited in descending number of conflicts (a stable sort over the order in
/// which they first appeared in a conflict: for each j, for each k > j, k is recorded before j),
/// each visited node that still has conflicts is deleted and removed from its neighbours' lists.
/// Returns, for each deleted index, the index it duplicated (one of the conflicts it had when it
/// was deleted: the first in its list).
///
/// The pairs are returned in the order of deletion.
pub fn crab_duplicates(texts: &[&str]) -> Vec<(usize, usize)> {
    // `conflicts[i]` is `None` until `i` first appears in a conflict (CRAB's dict has no key).
    let mut conflicts: Vec<Option<Vec<usize>>> = vec![None; texts.len()];
    let mut first_seen: Vec<usize> = Vec::new();
    for (j, reference) in texts.iter().enumerate() {
        for (k, hypothesis) in texts.iter().enumerate().skip(j + 1) {
            if crab_score(reference, hypothesis) > DUPLICATE_THRESHOLD {
                record_conflict(&mut conflicts, &mut first_seen, k, j);
                record_conflict(&mut conflicts, &mut first_seen, j, k);
            }
        }
    }
    let degree = |node: &usize| conflicts.get(*node).and_then(Option::as_ref).map_or(0, Vec::len);
    // Stable, like Python's `sorted(..., reverse=True)`: equal degrees keep first-seen order.
    first_seen.sort_by_key(|node| std::cmp::Reverse(degree(node)));

    let mut deleted = Vec::new();
    for node in first_seen {
        let neighbours = match conflicts.get_mut(node).and_then(Option::take) {
            Some(list) if !list.is_empty() => list,
            _ => continue,
        };
        if let Some(&of) = neighbours.first() {
            deleted.push((node, of));
        }
        for neighbour in neighbours {
            if let Some(Some(list)) = conflicts.get_mut(neighbour) {
                if let Some(at) = list.iter().position(|&n| n == node) {
                    list.remove(at);
                }
            }
        }
    }
    deleted
}

/// Appends `other` to `node`'s conflict list, creating the list (and recording when `node` was
/// first seen) if it has none yet.
fn record_conflict(
    conflicts: &mut [Option<Vec<usize>>],
    first_seen: &mut Vec<usize>,
    node: usize,
    other: usize,
) {
    if let Some(slot) = conflicts.get_mut(node) {
        let list = slot.get_or_insert_with(|| {
            first_seen.push(node);
            Vec::new()
        });
        list.push(other);
    }
}

/// The three counts the score is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counts {
    /// Distinct words in the union of the reconstructed longest common subsequences.
    llcs: usize,
    /// Distinct words of the reference.
    m: usize,
    /// Distinct words of the hypothesis.
    n: usize,
}

impl Counts {
    /// The counts for one pair, or `None` where Python raises.
    fn of(reference: &str, hypothesis: &str) -> Option<Counts> {
        let references = sentences(reference);
        let hypotheses = sentences(hypothesis);
        if references.is_empty() || hypotheses.is_empty() {
            return None;
        }
        let distinct = |sentences: &[Vec<&str>]| {
            sentences.iter().flatten().copied().collect::<HashSet<&str>>().len()
        };
        let mut union = HashSet::new();
        for x in &references {
            for y in &hypotheses {
                lcs_words(x, y, &mut union)?;
            }
        }
        Some(Counts { llcs: union.len(), m: distinct(&references), n: distinct(&hypotheses) })
    }

    /// `2 * ((p * r) / (p + r + 1e-8))`, in Python's order of operations.
    fn f(self) -> f64 {
        // Counts are far below 2^53, so these conversions are exact.
        let llcs = self.llcs as f64;
        let r = llcs / self.m as f64;
        let p = llcs / self.n as f64;
        2.0 * ((p * r) / (p + r + 1e-8))
    }
}

/// The package's sentences and their words: pieces between ASCII dots, empty pieces dropped,
/// each split on Python whitespace, a piece of only whitespace being the one word `""`.
fn sentences(text: &str) -> Vec<Vec<&str>> {
    text.split('.')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let words: Vec<&str> = pystr::split_whitespace(piece).map(|s| s.slice(piece)).collect();
            if words.is_empty() {
                vec![""]
            } else {
                words
            }
        })
        .collect()
}

/// Adds the words of the package's reconstructed LCS of `x` (reference) and `y` (hypothesis) to
/// `union`; `None` where Python's recursive walk would exceed the recursion limit.
fn lcs_words<'a>(x: &[&'a str], y: &[&str], union: &mut HashSet<&'a str>) -> Option<()> {
    // Every step lowers `i` or `j` (or both) by one, and the walk ends at `i == 0` or `j == 0`.
    if x.len().min(y.len()) > MAX_STEPS {
        return None;
    }
    let table = Corner::new(x, y);
    let (mut i, mut j) = (x.len(), y.len());
    let mut steps = 0;
    while i > 0 && j > 0 {
        if steps == MAX_STEPS {
            return None;
        }
        steps += 1;
        let (a, b) = (x.get(i - 1)?, y.get(j - 1)?);
        if a == b {
            union.insert(*a);
            i -= 1;
            j -= 1;
        } else if table.get(i - 1, j) > table.get(i, j - 1) {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    Some(())
}

/// The part of the LCS table a walk of at most [`MAX_STEPS`] steps from the bottom-right corner
/// reads: rows `len(x) - MAX_STEPS ..= len(x)`, columns `len(y) - MAX_STEPS ..= len(y)` (clamped
/// at 0). `table[i][j]` is the LCS length of `x[..i]` and `y[..j]`.
struct Corner {
    /// First row kept.
    row0: usize,
    /// First column kept.
    col0: usize,
    /// Columns kept per row.
    width: usize,
    /// The kept cells, row by row.
    cells: Vec<u32>,
}

impl Corner {
    /// Fills the table row by row (one full row at a time) and keeps its corner.
    fn new(x: &[&str], y: &[&str]) -> Corner {
        let row0 = x.len().saturating_sub(MAX_STEPS);
        let col0 = y.len().saturating_sub(MAX_STEPS);
        let width = y.len() + 1 - col0;
        let mut cells = Vec::with_capacity((x.len() + 1 - row0) * width);
        let mut previous = vec![0u32; y.len() + 1];
        let mut current = vec![0u32; y.len() + 1];
        if row0 == 0 {
            cells.extend(previous.iter().skip(col0));
        }
        for (i, a) in x.iter().enumerate() {
            // `current[0]` stays 0: the first column of the table.
            let mut left = 0u32;
            for (j, b) in y.iter().enumerate() {
                let up = previous.get(j + 1).copied().unwrap_or(0);
                let value =
                    if a == b { previous.get(j).copied().unwrap_or(0) + 1 } else { up.max(left) };
                if let Some(cell) = current.get_mut(j + 1) {
                    *cell = value;
                }
                left = value;
            }
            if i + 1 >= row0 {
                cells.extend(current.iter().skip(col0));
            }
            std::mem::swap(&mut previous, &mut current);
        }
        Corner { row0, col0, width, cells }
    }

    /// `table[i][j]`; the walk never leaves the corner (0 outside it, like the table's edges).
    fn get(&self, i: usize, j: usize) -> u32 {
        match (i.checked_sub(self.row0), j.checked_sub(self.col0)) {
            (Some(r), Some(c)) if c < self.width => {
                self.cells.get(r * self.width + c).copied().unwrap_or(0)
            }
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts, or `None` where Python raises.
    fn counts(reference: &str, hypothesis: &str) -> Option<(usize, usize, usize)> {
        Counts::of(reference, hypothesis).map(|c| (c.llcs, c.m, c.n))
    }

    /// `p = r = 1`: f = 2 · (1 / (2 + 1e-8)) = 0.999999995 (Python prints
    /// `0.999999995`).
    const PERFECT: f64 = 0.999999995;

    #[test]
    fn identical_texts() {
        // Reference and hypothesis: one sentence, words {the, cat, sat}; the walk takes all three.
        // llcs = 3, m = 3, n = 3 → r = p = 1 → f = 2 · (1 / 2.00000001).
        assert_eq!(counts("the cat sat", "the cat sat"), Some((3, 3, 3)));
        assert_eq!(rouge_l_f("the cat sat", "the cat sat"), Some(PERFECT));
        assert_eq!(crab_score("the cat sat", "the cat sat"), PERFECT);
    }

    #[test]
    fn disjoint_texts() {
        // No common word: the walk goes left to j = 0 and takes nothing. llcs = 0, so
        // r = p = 0 and f = 2 · (0 / 1e-8) = 0.
        assert_eq!(counts("red green", "blue"), Some((0, 2, 1)));
        assert_eq!(rouge_l_f("red green", "blue"), Some(0.0));
    }

    #[test]
    fn partial_overlap() {
        // x = [a, b, c, d], y = [a, c, e]: LCS "a c". llcs = 2, m = 4, n = 3.
        // r = 2/4 = 0.5, p = 2/3; p·r = 1/3; p + r + 1e-8 = 1.16666667666…;
        // f = 2 · (0.3333… / 1.1666666766…) = 0.57142856653061… (Python: 0.5714285665306124).
        assert_eq!(counts("a b c d", "a c e"), Some((2, 4, 3)));
        assert_eq!(rouge_l_f("a b c d", "a c e"), Some(0.5714285665306124));
    }

    #[test]
    fn repeated_words_count_once() {
        // Words are sets: m = |{a}| = 1, n = |{a, b}| = 2. The walk takes "a" twice, but the
        // union holds it once: llcs = 1. r = 1, p = 0.5, f = 2 · (0.5 / 1.50000001)
        // = 0.666666662222… (Python: 0.6666666622222223).
        assert_eq!(counts("a a a", "a b a"), Some((1, 1, 2)));
        assert_eq!(rouge_l_f("a a a", "a b a"), Some(0.6666666622222223));
    }

    #[test]
    fn sentences_are_compared_pairwise_and_united() {
        // Reference sentences "a b", "c d"; hypothesis sentences "c d", "a b" (order swapped, so
        // one LCS over the whole texts would be 2 words). Each reference sentence meets each
        // hypothesis sentence: ("a b","c d") → {}, ("a b","a b") → {a, b}, ("c d","c d") → {c, d},
        // ("c d","a b") → {}. llcs = 4, m = n = 4 → f = PERFECT.
        assert_eq!(counts("a b. c d.", "c d. a b"), Some((4, 4, 4)));
        assert_eq!(rouge_l_f("a b. c d.", "c d. a b"), Some(PERFECT));
        // Without the dots, x = [a, b, c, d] and y = [c, d, a, b] have two LCSs, "a b" and
        // "c d". The walk: (4, 4) d ≠ b, table[3][4] = 2 is not > table[4][3] = 2 → left;
        // (4, 3) d ≠ a, table[3][3] = 1 is not > table[4][2] = 2 → left; (4, 2) d = d; (3, 1)
        // c = c → "c d". llcs = 2, m = n = 4, r = p = 0.5, f = 2 · (0.25 / 1.00000001)
        // = 0.499999995… (Python: 0.4999999950000001).
        assert_eq!(counts("a b c d", "c d a b"), Some((2, 4, 4)));
        assert_eq!(rouge_l_f("a b c d", "c d a b"), Some(0.4999999950000001));
    }

    #[test]
    fn tie_breaking_chooses_the_words() {
        // x = [a, b] (reference), y = [b, a]: two LCSs of length 1, "a" and "b". The walk at
        // (2, 2): b ≠ a; table[1][2] = 1 is not > table[2][1] = 1 → left to (2, 1): b = b → "b".
        // With a second reference sentence "a", whose LCS with "b a" is "a", the union is
        // {a, b}: llcs = 2, m = n = 2 → f = PERFECT.
        assert_eq!(counts("a b. a", "b a"), Some((2, 2, 2)));
        assert_eq!(rouge_l_f("a b. a", "b a"), Some(PERFECT));
        // Swapped: x = [b, a], y = [a, b]: at (2, 2) a ≠ b, tie → left to (2, 1): a = a → "a";
        // then x = [b, a] against y = [a] → "a" again. Union {a}: llcs = 1, m = n = 2,
        // r = p = 0.5 → f = 2 · (0.25 / 1.00000001) = 0.4999999950000001.
        assert_eq!(counts("b a", "a b. a"), Some((1, 2, 2)));
        assert_eq!(rouge_l_f("b a", "a b. a"), Some(0.4999999950000001));
    }

    #[test]
    fn tie_breaking_goes_up_only_when_strictly_greater() {
        // x = [a, b, c], y = [c, a, b]: at (3, 3) c ≠ b; table[2][3] = 2 ("a b") > table[3][2]
        // = 1 → up; then (2, 3): b = b, (1, 2): a = a → "a b". A second hypothesis sentence "c"
        // adds {c}: llcs = 3, m = 3, n = 3 → PERFECT. Had the walk taken "c" from the first
        // pair, llcs would be 1.
        assert_eq!(counts("a b c", "c a b. c"), Some((3, 3, 3)));
        // x = [c, a, b] against y = [a, b, c] gives "a b" as well: (3, 3) b ≠ c, table[2][3] = 1
        // is not > table[3][2] = 2 → left; (3, 2): b = b; (2, 1): a = a.
        assert_eq!(counts("c a b", "a b c"), Some((2, 3, 3)));
    }

    #[test]
    fn python_whitespace_and_dots() {
        // U+001F and U+00A0 are whitespace to Python's str.split(): "a\x1fb" is "a b".
        assert_eq!(counts("a\x1fb", "a\u{a0}b"), Some((2, 2, 2)));
        // U+200B is not: "a\u{200b}b" is one word.
        assert_eq!(counts("a\u{200b}b", "a b"), Some((0, 1, 2)));
        // Only ASCII dots split; "3.5" is two sentences "3" and "5".
        assert_eq!(counts("3.5 kg", "3 5"), Some((2, 3, 2)));
        // Punctuation stays attached: "cat," ≠ "cat".
        assert_eq!(counts("the cat, sat", "the cat sat"), Some((2, 3, 3)));
    }

    #[test]
    fn whitespace_only_pieces_are_the_empty_word() {
        // "a. " → pieces "a", " " → sentences ["a"], [""]: words {a, ""}, m = 2.
        // Hypothesis "a" → n = 1. ("a","a") → {a}; ([""],["a"]) → {}. llcs = 1.
        // r = 1/2, p = 1 → f = 2 · (0.5 / 1.50000001) = 0.6666666622222223.
        assert_eq!(counts("a. ", "a"), Some((1, 2, 1)));
        assert_eq!(rouge_l_f("a. ", "a"), Some(0.6666666622222223));
        // Whitespace against whitespace: [""] vs [""] → the empty word is common: PERFECT.
        assert_eq!(counts(" \t", "\n"), Some((1, 1, 1)));
        assert_eq!(rouge_l_f(" \t", "\n"), Some(PERFECT));
        // Empty pieces between dots are dropped: "a..b" is ["a"], ["b"].
        assert_eq!(counts("a..b", "a b"), Some((2, 2, 2)));
    }

    #[test]
    fn no_sentence_raises() {
        // "".split(".") == [""] and "...".split(".") == ["", "", "", ""]: nothing is kept.
        for empty in ["", ".", "..."] {
            assert_eq!(rouge_l_f(empty, "a"), None, "{empty:?}");
            assert_eq!(rouge_l_f("a", empty), None, "{empty:?}");
            assert_eq!(crab_score(empty, "a"), 1.0);
            assert_eq!(crab_score("a", empty), 1.0);
        }
        // A dot with a space is a sentence: " ." → [""].
        assert_eq!(counts(" .", "a"), Some((0, 1, 1)));
    }

    #[test]
    fn recursion_bound() {
        let words = |w: &str, k: usize| vec![w; k].join(" ");
        // "a" against k × "b": no match, the walk goes left k times.
        assert!(rouge_l_f("a", &words("b", MAX_STEPS)).is_some());
        assert_eq!(rouge_l_f("a", &words("b", MAX_STEPS + 1)), None);
        // k × "a" against k × "a": the walk is diagonal, k steps.
        assert_eq!(rouge_l_f(&words("a", MAX_STEPS), &words("a", MAX_STEPS)), Some(PERFECT));
        assert_eq!(rouge_l_f(&words("a", MAX_STEPS + 1), &words("a", MAX_STEPS + 1)), None);
        assert_eq!(crab_score(&words("a", MAX_STEPS + 1), &words("a", MAX_STEPS + 1)), 1.0);
        // A long hypothesis with a short walk: "w" matches the last word at once (one step).
        let long = format!("{} w", words("b", 5000));
        assert_eq!(counts("w", &long), Some((1, 1, 2)));
        // The bound is per sentence pair: dots reset it.
        let dotted = format!("{}. {}", words("b", 600), words("c", 600));
        assert!(rouge_l_f("a", &dotted).is_some());
        // A long reference without a match: at (5000, 1) table[4999][1] = 0 is not >
        // table[5000][0] = 0 → left, one step to j = 0.
        assert_eq!(counts(&words("a", 5000), "b"), Some((0, 1, 1)));
    }

    #[test]
    fn up_moves_count_as_steps() {
        // Reference "b x x … x" (k × "x"), hypothesis "b c": at the end "x" ≠ "c" and
        // table[k][2] = 1 is not > table[k+1][1] = 1 → left to column 1; then "x" ≠ "b" with
        // table[i-1][1] = 1 > table[i][0] = 0 → up k times; then "b" = "b": k + 2 steps.
        let reference = |k: usize| format!("b {}", vec!["x"; k].join(" "));
        assert_eq!(counts(&reference(MAX_STEPS - 2), "b c"), Some((1, 2, 2)));
        assert_eq!(counts(&reference(MAX_STEPS - 1), "b c"), None);
    }

    /// The walk on the whole table, unbounded: the LCS words and the number of steps.
    fn full_walk<'a>(x: &[&'a str], y: &[&str]) -> (HashSet<&'a str>, usize) {
        let mut table = vec![vec![0u32; y.len() + 1]; x.len() + 1];
        for i in 1..=x.len() {
            for j in 1..=y.len() {
                table[i][j] = if x[i - 1] == y[j - 1] {
                    table[i - 1][j - 1] + 1
                } else {
                    table[i - 1][j].max(table[i][j - 1])
                };
            }
        }
        let (mut i, mut j, mut steps, mut words) = (x.len(), y.len(), 0, HashSet::new());
        while i > 0 && j > 0 {
            steps += 1;
            if x[i - 1] == y[j - 1] {
                words.insert(x[i - 1]);
                (i, j) = (i - 1, j - 1);
            } else if table[i - 1][j] > table[i][j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
        }
        (words, steps)
    }

    #[test]
    fn corner_agrees_with_the_full_table() {
        // Long sentences against short ones (only the table's corner is kept) and short against
        // short, over small vocabularies so that the walks vary, each sentence ending in a run of
        // a word the other lacks (the walk crosses it: up in the reference, left in the
        // hypothesis), so that walks both within and beyond the bound occur.
        let mut rng = crate::rng::Rng::new(20240613);
        let vocabulary = ["a", "b", "c", "d", "e", "f"];
        let (mut within, mut beyond) = (0, 0);
        for case in 0..150 {
            let (long, short) = (900 + rng.below(700) as usize, 1 + rng.below(60) as usize);
            let (lx, ly) = match case % 3 {
                0 => (long, short),
                1 => (short, long),
                _ => (short * 4, short * 3),
            };
            let size = 1 + rng.below(vocabulary.len() as u64) as usize;
            let mut sentence = |len: usize, filler: &'static str| -> Vec<&'static str> {
                let run = rng.below(len as u64 + 1) as usize;
                let mut words: Vec<&str> =
                    (0..len - run).map(|_| vocabulary[rng.below(size as u64) as usize]).collect();
                words.extend(std::iter::repeat_n(filler, run));
                words
            };
            let (x, y) = (sentence(lx, "x"), sentence(ly, "y"));
            let (expected, steps) = full_walk(&x, &y);
            let mut union = HashSet::new();
            let got = lcs_words(&x, &y, &mut union);
            if steps <= MAX_STEPS {
                within += 1;
                assert_eq!((got, union), (Some(()), expected), "case {case}");
            } else {
                beyond += 1;
                assert_eq!(got, None, "case {case}");
            }
        }
        assert!(within > 30 && beyond > 30, "{within} within, {beyond} beyond the bound");
    }

    #[test]
    fn duplicates_greedy_order() {
        // Texts 0, 1, 2 are the same sentence, 3 differs. Conflicts, in order of discovery:
        // (0,1): Ban = {1: [0], 0: [1]}; (0,2): {1: [0], 0: [1, 2], 2: [0]}; (1,2): 1: [0, 2],
        // 2: [0, 1]. Degrees 2, 2, 2 in first-seen order 1, 0, 2: delete 1 (first conflict 0),
        // remove it from 0 and 2; then 0 has [2]: delete 0 (its duplicate 2); 2 has nothing left.
        let texts = ["the cat sat", "the cat sat", "the cat sat", "a dog ran far away"];
        assert_eq!(crab_duplicates(&texts), vec![(1, 0), (0, 2)]);
        // A star: 0 conflicts with 1 and 2 (each shares most words with 0), 1 and 2 do not
        // conflict. Degrees: 0 → 2, 1 → 1, 2 → 1: 0 is deleted first, leaving 1 and 2.
        let texts = ["a b c d e f", "a b c d x y", "c d e f z w"];
        assert!(crab_score(texts[0], texts[1]) > DUPLICATE_THRESHOLD);
        assert!(crab_score(texts[0], texts[2]) > DUPLICATE_THRESHOLD);
        assert!(crab_score(texts[1], texts[2]) <= DUPLICATE_THRESHOLD);
        assert_eq!(crab_duplicates(&texts), vec![(0, 1)]);
        // An empty text raises, scores 1.0, and so conflicts with everything.
        assert_eq!(crab_duplicates(&["", "x", "y"]), vec![(0, 1)]);
        assert_eq!(crab_duplicates(&[]), vec![]);
        assert_eq!(crab_duplicates(&["one"]), vec![]);
    }
}
