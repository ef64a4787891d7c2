//! `count:word_count_range` — the number of words lies in a range (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::Analysis;

/// # What it checks
/// `min_words <= words <= max_words`, with IFEval's words (`count_words`: maximal runs of word
/// characters, so `don't` is two words).
///
/// # Parameters
/// `min_words` and `max_words` (whole numbers ≥ 0; IFBench's floats such as `71.0` are
/// accepted).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval(
///     "count:word_count_range",
///     &serde_json::json!({"min_words": 2.0, "max_words": 3.0}),
/// )
/// .unwrap();
/// assert!(c.verify(&Analysis::new("Short and sweet.")).passed());
/// assert!(!c.verify(&Analysis::new("Far too long for this range.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `WordCountRangeChecker` (`min <= count_words(value) <= max`).
///
/// # Derivation
/// From a response of at least 10 words: its count rounded down to a multiple of 10, lowered by
/// 0–2 more tens, up to its count rounded up to a multiple of 10, raised by 0–2 more tens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordCountRange {
    /// The fewest words allowed.
    pub min_words: i64,
    /// The most words allowed.
    pub max_words: i64,
}

impl Check for WordCountRange {
    const INFO: CheckInfo = CheckInfo {
        id: "count:word_count_range",
        title: "Word count in a range",
        description: "The response has between `min_words` and `max_words` words, both \
                      included. Words are maximal runs of word characters (IFEval's \
                      `count_words`).",
        divergence: Some(
            "IFBench picks random bounds when they are missing; here both must be given.",
        ),
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "min_words",
                doc: "the fewest words allowed",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 50 },
            },
            Param {
                name: "max_words",
                doc: "the most words allowed",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 100 },
            },
        ],
        example: Example {
            kwargs: r#"{"min_words": 2, "max_words": 3}"#,
            pass: "Short and sweet.",
            fail: "Far too long for this range.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<WordCountRange, SpecError> {
        Ok(WordCountRange {
            min_words: kw.int("min_words", 0)?,
            max_words: kw.int("max_words", 0)?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("min_words", self.min_words.into()), ("max_words", self.max_words.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let n = text.words().len();
        let count = i64::try_from(n).unwrap_or(i64::MAX);
        Verdict::from_bool(
            self.min_words <= count && count <= self.max_words,
            format!(
                "{}; needs {} to {}",
                plural(n, "word", "words"),
                self.min_words,
                self.max_words
            ),
        )
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<WordCountRange> {
        let n = i64::try_from(text.words().len()).unwrap_or(i64::MAX);
        if n < 10 {
            return Vec::new();
        }
        let low = (n / 10 - cx.rng.range(0, 2)).max(0) * 10;
        let high = (n + 9) / 10 * 10 + 10 * cx.rng.range(0, 2);
        vec![WordCountRange { min_words: low, max_words: high }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, verify};

    const ID: &str = "count:word_count_range";

    #[test]
    fn counts_ifeval_words_inclusively() {
        let kw = r#"{"min_words": 3, "max_words": 4}"#;
        assert_fail(ID, kw, "one two");
        // `don't` is two words.
        assert_pass(ID, kw, "I don't.");
        assert_pass(ID, kw, "one, two; three four!");
        assert_fail(ID, kw, "one two three four five");
        assert_eq!(verify(ID, kw, "a b").detail, "2 words; needs 3 to 4");
        assert_pass(ID, r#"{"min_words": 0.0, "max_words": 0.0}"#, "...");
    }

    #[test]
    fn derive_brackets_the_count() {
        let t = "word ".repeat(37);
        for seed in 0..16 {
            let [c] = WordCountRange::derive(&analysis(&t), &mut DeriveContext::new("", seed))
                .try_into()
                .unwrap();
            assert!([10, 20, 30].contains(&c.min_words) && [40, 50, 60].contains(&c.max_words));
            assert!(c.verify(&analysis(&t)).passed());
        }
        assert!(WordCountRange::derive(&analysis("too short"), &mut DeriveContext::new("", 1))
            .is_empty());
    }
}
