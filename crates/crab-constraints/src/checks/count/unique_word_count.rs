//! `count:unique_word_count` — at least N distinct words (IFBench).

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// A count is derived only from a response with at least this many distinct words.
pub const MIN_DERIVE_WORDS: usize = 20;

/// # What it checks
/// The response's whitespace-separated words (`str.split()`), lowercased (`str.lower()`) and
/// stripped of ASCII punctuation at both ends (`strip(string.punctuation + ' ')`), make at least
/// `N` distinct strings. A word that is punctuation alone (`—` is not ASCII, but `...` or `-`
/// are) strips to the empty string, which IFBench counts as one more distinct word.
///
/// # Parameters
/// `N` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:unique_word_count", &serde_json::json!({"N": 4.0}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("Red, green, blue and gold.")).passed());
/// assert!(!c.verify(&Analysis::new("Go! Go, go... GO!")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `UniqueWordCountChecker` (unchanged since the first release). The
/// evidence spans are each distinct word's first occurrence, as written.
///
/// # Derivation
/// From a response with at least [`MIN_DERIVE_WORDS`] distinct words: its count rounded down
/// to a multiple of 10, lowered by 0–2 more tens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UniqueWordCount {
    /// The fewest distinct words allowed.
    pub n: i64,
}

impl Check for UniqueWordCount {
    const INFO: CheckInfo = CheckInfo {
        id: "count:unique_word_count",
        title: "At least N unique words",
        description: "The response uses at least `N` distinct words: whitespace-separated \
                      words, lowercased, with ASCII punctuation stripped from both ends \
                      (IFBench counts a word of punctuation alone as one more, empty, word).",
        divergence: Some("IFBench picks a random `N` when it is missing; here it must be given."),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "N",
            doc: "the fewest distinct words allowed",
            kind: ParamKind::Count { min: 0, max: 10_000, default: 50 },
        }],
        example: Example {
            kwargs: r#"{"N": 4}"#,
            pass: "Red, green, blue and gold.",
            fail: "Go! Go, go... GO!",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<UniqueWordCount, SpecError> {
        Ok(UniqueWordCount { n: kw.int("N", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("N", self.n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let firsts = distinct_words(text.text());
        let count = i64::try_from(firsts.len()).unwrap_or(i64::MAX);
        Verdict::from_bool(
            count >= self.n,
            format!(
                "{}; needs at least {}",
                plural(firsts.len(), "distinct word", "distinct words"),
                self.n
            ),
        )
        .with_evidence(firsts)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<UniqueWordCount> {
        let n = distinct_words(text.text()).len();
        if n < MIN_DERIVE_WORDS {
            return Vec::new();
        }
        let tens = i64::try_from(n / 10).unwrap_or(i64::MAX);
        vec![UniqueWordCount { n: (tens - cx.rng.range(0, 2)).max(1) * 10 }]
    }
}

/// The first occurrence of each distinct word, as IFBench counts them (see the check's docs),
/// in order.
fn distinct_words(s: &str) -> Vec<Span> {
    let mut seen = HashSet::new();
    let mut firsts = Vec::new();
    for span in pystr::split_whitespace(s) {
        let word = pystr::lower(span.slice(s));
        let key = pystr::strip_punctuation(&word).to_owned();
        if seen.insert(key) {
            firsts.push(span);
        }
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:unique_word_count";

    #[test]
    fn lowercased_words_stripped_of_punctuation() {
        let text = "The cat, the CAT; (cat) dog";
        let v = verify(ID, r#"{"N": 3}"#, text);
        assert_eq!(v.detail, "3 distinct words; needs at least 3");
        assert_eq!(evidence(&v, text), ["The", "cat,", "dog"]);
        assert_fail(ID, r#"{"N": 4}"#, text);
        // Inner punctuation stays: `don't` and `dont` differ.
        assert_pass(ID, r#"{"N": 2}"#, "don't dont");
        // Non-ASCII punctuation is not stripped.
        assert_pass(ID, r#"{"N": 2}"#, "«cat» cat");
    }

    #[test]
    fn punctuation_alone_is_one_empty_word() {
        // `...` and `-` both strip to the empty string: one more distinct word.
        assert_pass(ID, r#"{"N": 2}"#, "wait ... -");
        assert_fail(ID, r#"{"N": 3}"#, "wait ... -");
        assert_pass(ID, r#"{"N": 0}"#, "");
        assert_fail(ID, r#"{"N": 1}"#, "   ");
    }

    #[test]
    fn python_lowercase() {
        // `İ` lowers to `i̇` (two code points), not `i`.
        assert_pass(ID, r#"{"N": 2}"#, "İ i");
        // Final sigma: `ΟΔΟΣ` lowers to `οδος` ending in `ς` (U+03C2), not `σ` (U+03C3).
        assert_fail(ID, r#"{"N": 2}"#, "ΟΔΟΣ οδο\u{3c2}");
        assert_pass(ID, r#"{"N": 2}"#, "ΟΔΟΣ οδο\u{3c3}");
    }

    #[test]
    fn derive_rounds_down_to_tens() {
        let t: String = (0..37).map(|i| format!("w{i} ")).collect();
        for seed in 0..16 {
            let [c] = UniqueWordCount::derive(&analysis(&t), &mut DeriveContext::new("", seed))
                .try_into()
                .unwrap();
            assert!([10, 20, 30].contains(&c.n), "{c:?}");
            assert!(c.verify(&analysis(&t)).passed());
        }
        let short = "a b c d e f g h i j k l m n o p q r s";
        assert!(
            UniqueWordCount::derive(&analysis(short), &mut DeriveContext::new("", 1)).is_empty()
        );
    }
}
