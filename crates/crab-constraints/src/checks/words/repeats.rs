//! `words:repeats` — no word occurs more than a given number of times (IFBench).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{bare_words, Case};
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// The largest bound derived: beyond it the constraint says little about the text.
pub const MAX_DERIVED: i64 = 10;

/// # What it checks
/// After lowercasing and deleting ASCII punctuation, no whitespace-separated word occurs more
/// than `small_n` times (`The` and `the.` are the same word; `self-care` is `selfcare`).
///
/// # Parameters
/// `small_n` (a whole number ≥ 0): the most times any word may occur.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:repeats", &serde_json::json!({"small_n": 2}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("The cat saw the dog.")).passed());
/// assert!(!c.verify(&Analysis::new("The cat saw the dog and the bird.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `LimitedWordRepeatChecker` (unchanged since the first release).
///
/// # Derivation
/// The most frequent word's count, raised by 0–2, when that stays at most [`MAX_DERIVED`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repeats {
    /// The most times a word may occur.
    pub small_n: i64,
}

impl Check for Repeats {
    const INFO: CheckInfo = CheckInfo {
        id: "words:repeats",
        title: "Limited word repeats",
        description: "No word occurs more than `small_n` times. Words are split at whitespace, \
                      lowercased, with their punctuation deleted.",
        divergence: Some(
            "IFBench picks a random bound when `small_n` is missing or negative; here it must \
             be given, as a whole number of at least 0.",
        ),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "small_n",
            doc: "the most times any word may occur",
            kind: ParamKind::Count { min: 0, max: 100, default: 3 },
        }],
        example: Example {
            kwargs: r#"{"small_n": 2}"#,
            pass: "The cat saw the dog.",
            fail: "The cat saw the dog and the bird.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Repeats, SpecError> {
        Ok(Repeats { small_n: kw.int("small_n", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("small_n", self.small_n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let Some((word, spans)) = most_repeated(text.text()) else {
            return Verdict::pass("no words");
        };
        let count = spans.len();
        let ok = i64::try_from(count).is_ok_and(|c| c <= self.small_n);
        let detail = format!(
            "`{word}` occurs {}; at most {} allowed",
            plural(count, "time", "times"),
            self.small_n
        );
        Verdict::from_bool(ok, detail).with_evidence(spans)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<Repeats> {
        let Some((_, spans)) = most_repeated(text.text()) else {
            return Vec::new();
        };
        let max = i64::try_from(spans.len()).unwrap_or(i64::MAX);
        let small_n = max.saturating_add(cx.rng.range(0, 2)).min(MAX_DERIVED);
        if max > small_n {
            return Vec::new();
        }
        vec![Repeats { small_n }]
    }
}

/// The word that occurs most often (the first to reach that count, in text order) with the
/// spans of its occurrences.
fn most_repeated(s: &str) -> Option<(String, Vec<Span>)> {
    let mut occurrences: HashMap<String, Vec<Span>> = HashMap::new();
    let mut best: Option<(String, usize)> = None;
    for (span, word) in bare_words(s, Case::LowerFirst) {
        let spans = occurrences.entry(word.clone()).or_default();
        spans.push(span);
        let n = spans.len();
        if best.as_ref().is_none_or(|(_, m)| n > *m) {
            best = Some((word, n));
        }
    }
    let (word, _) = best?;
    let spans = occurrences.remove(&word)?;
    Some((word, spans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:repeats";

    #[test]
    fn counts_lowered_unpunctuated_words() {
        assert_pass(ID, r#"{"small_n": 2}"#, "The cat saw the dog.");
        assert_pass(ID, r#"{"small_n": 0}"#, "");
        assert_fail(ID, r#"{"small_n": 0}"#, "word");
        let text = "The cat saw the dog and THE. bird";
        let v = verify(ID, r#"{"small_n": 2.0}"#, text);
        assert_eq!(v.detail, "`the` occurs 3 times; at most 2 allowed");
        assert_eq!(evidence(&v, text), ["The", "the", "THE."]);
        // `self-care` is `selfcare`; lone punctuation is no word.
        assert_fail(ID, r#"{"small_n": 1}"#, "self-care selfcare");
        assert_pass(ID, r#"{"small_n": 1}"#, "- - - a");
    }

    fn derive(text: &str, seed: u64) -> Vec<Repeats> {
        Repeats::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_bounds_the_most_repeated_word() {
        let text = "The cat saw the dog and the bird.";
        let mut seen = Vec::new();
        for seed in 0..32 {
            let [c] = derive(text, seed).try_into().unwrap();
            assert!((3..=5).contains(&c.small_n), "{c:?}");
            assert!(c.verify(&analysis(text)).passed());
            seen.push(c.small_n);
        }
        assert!(seen.contains(&3) && seen.contains(&5));
        assert!(derive("", 1).is_empty());
        assert!(derive(&"the ".repeat(11), 1).is_empty());
        let [c] = derive(&"the ".repeat(10), 1).try_into().unwrap();
        assert_eq!(c.small_n, 10);
    }
}
