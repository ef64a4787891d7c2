//! `ratio:stop_words` — stop words make up at most a given percentage of the words (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::stopwords::is_english_stopword;
use crate::text::{Analysis, Span};

/// A percentage is derived only from a response with at least this many words: the share of
/// stop words in a few words says nothing about the style.
pub const MIN_DERIVE_WORDS: usize = 20;

/// # What it checks
/// `100 · stop words / words <= percentage`, as IFBench computes it in `f64`: words are IFEval's
/// (`count_words`: maximal runs of word characters, so `don't` is `don` and `t`), and a word is
/// a stop word when its lowercase is in NLTK's English list (179 words). A response without
/// words fails.
///
/// # Parameters
/// `percentage` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("ratio:stop_words", &serde_json::json!({"percentage": 30}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("Quick brown foxes jump over lazy dogs.")).passed());
/// assert!(!c.verify(&Analysis::new("It is what it is.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `StopWordPercentageChecker`, floating-point quirks included: 7 stop words
/// in 25 are `(7 / 25) * 100 = 28.000000000000004` %, which fails "at most 28 %".
///
/// # Derivation
/// From a response of at least [`MIN_DERIVE_WORDS`] words: its percentage rounded up to the next
/// multiple of 5, raised by 0–2 more steps of 5 (CRAB's loosening), and checked against the
/// same `f64` computation; nothing when that reaches 100 (every response would pass).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopWords {
    /// The largest allowed percentage of stop words.
    pub percentage: i64,
}

impl Check for StopWords {
    const INFO: CheckInfo = CheckInfo {
        id: "ratio:stop_words",
        title: "Stop-word percentage",
        description: "Stop words make up at most `percentage`% of the words. Words are maximal \
                      runs of word characters (IFEval's `count_words`), and stop words those of \
                      NLTK's English list (179 words, such as `the`, `is`, `and`, `t`), compared \
                      lowercased. A response without words fails.",
        divergence: Some(
            "IFBench picks a random percentage when it is missing or negative, and accepts \
             fractions; here it must be given, as a whole number of at least 0.",
        ),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "percentage",
            doc: "the largest allowed percentage of stop words",
            kind: ParamKind::Count { min: 0, max: 100, default: 40 },
        }],
        example: Example {
            kwargs: r#"{"percentage": 30}"#,
            pass: "Quick brown foxes jump over lazy dogs.",
            fail: "It is what it is, and that is that.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<StopWords, SpecError> {
        Ok(StopWords { percentage: kw.int("percentage", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("percentage", self.percentage.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let words = text.words();
        if words.is_empty() {
            return Verdict::fail("no words (IFBench fails a response without words)");
        }
        let stop = stop_words(text);
        let share = percentage(stop.len(), words.len());
        let detail = format!(
            "{} of {} ({}%); needs at most {}%",
            plural(stop.len(), "stop word", "stop words"),
            plural(words.len(), "word", "words"),
            shown(share),
            self.percentage
        );
        Verdict::from_bool(holds(share, self.percentage), detail).with_evidence(stop)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<StopWords> {
        let words = text.words().len();
        if words < MIN_DERIVE_WORDS {
            return Vec::new();
        }
        let share = percentage(stop_words(text).len(), words);
        // Rounded up to a multiple of 5 (the float ceiling can land one step short of the
        // exact value: then the check below moves it up).
        let mut bound = (share / 5.0).ceil() as i64 * 5 + 5 * cx.rng.range(0, 2);
        while !holds(share, bound) {
            bound += 5;
        }
        if bound >= 100 {
            return Vec::new();
        }
        vec![StopWords { percentage: bound }]
    }
}

/// The stop words among the text's words.
fn stop_words(text: &Analysis<'_>) -> Vec<Span> {
    let s = text.text();
    text.words().iter().copied().filter(|w| is_english_stopword(w.slice(s))).collect()
}

/// `(num_stopwords / num_words) * 100`, in `f64` as Python computes it (the division of two
/// integers is correctly rounded either way).
fn percentage(stop: usize, words: usize) -> f64 {
    (stop as f64 / words as f64) * 100.0
}

/// `stopword_percentage <= self._percentage`. Python compares a float with an integer exactly;
/// `bound as f64` is exact up to 2^53, and beyond that any bound passes either way (the share
/// is at most 100).
fn holds(share: f64, bound: i64) -> bool {
    share <= bound as f64
}

/// A percentage for people: at most two decimals, without trailing zeros.
fn shown(p: f64) -> String {
    let s = format!("{p:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "ratio:stop_words";

    #[test]
    fn counts_lowercased_stop_words_among_ifeval_words() {
        // 4 words: `The`, `cat`, `IS`, `here` — The, IS and here are stop words: 75%.
        assert_pass(ID, r#"{"percentage": 75}"#, "The cat IS here.");
        assert_fail(ID, r#"{"percentage": 74}"#, "The cat IS here.");
        // `don't` is `don` + `t`: two stop words of three.
        let v = verify(ID, r#"{"percentage": 70}"#, "Don't panic");
        assert_eq!(v.detail, "2 stop words of 3 words (66.67%); needs at most 70%");
        assert_eq!(evidence(&v, "Don't panic"), ["Don", "t"]);
    }

    /// `stop` stop words followed by `other` other words.
    fn text(stop: usize, other: usize) -> String {
        format!("{}{}", "the ".repeat(stop), "sun ".repeat(other))
    }

    #[test]
    fn python_float_arithmetic() {
        // 7 stop words in 25 words: (7 / 25) * 100 = 28.000000000000004 > 28.
        assert_eq!(percentage(7, 25), 28.000000000000004);
        assert_fail(ID, r#"{"percentage": 28}"#, &text(7, 18));
        assert_pass(ID, r#"{"percentage": 29}"#, &text(7, 18));
        // 1 in 4 is exactly 25.
        assert_pass(ID, r#"{"percentage": 25}"#, &text(1, 3));
    }

    #[test]
    fn no_words_fails_and_large_bounds_pass() {
        assert_fail(ID, r#"{"percentage": 100}"#, "");
        assert_fail(ID, r#"{"percentage": 100}"#, "!!! ...");
        assert_pass(ID, r#"{"percentage": 100}"#, "the the the");
        assert_pass(ID, r#"{"percentage": 9223372036854775807}"#, "the");
        assert_pass(ID, r#"{"percentage": 0}"#, "sun moon");
        assert_fail(ID, r#"{"percentage": 0}"#, "the sun");
    }

    #[test]
    fn ifbench_floats_and_bad_percentages() {
        assert_pass(ID, r#"{"percentage": 27.0}"#, "sun moon star the");
        let err = |kw: &str| {
            let kw: Value = serde_json::from_str(kw).unwrap();
            crate::checks::Constraint::from_ifeval(ID, &kw).unwrap_err().to_string()
        };
        assert!(err(r#"{"percentage": 12.5}"#).contains("must be a whole number"));
        assert!(err(r#"{"percentage": -1}"#).contains("must be at least 0"));
        assert!(err("{}").contains("is missing"));
    }

    fn derive(text: &str, seed: u64) -> Vec<StopWords> {
        StopWords::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_loosens_to_multiples_of_five_and_holds() {
        // 7 stop words of 20: 35%.
        let t = text(7, 13);
        let mut bounds = Vec::new();
        for seed in 0..32 {
            let [c] = derive(&t, seed).try_into().unwrap();
            assert!([35, 40, 45].contains(&c.percentage), "{c:?}");
            assert!(c.verify(&analysis(&t)).passed());
            bounds.push(c.percentage);
        }
        assert!(bounds.contains(&35) && bounds.contains(&45));
    }

    #[test]
    fn derive_steps_over_float_rounding() {
        // 11 stop words of 20 are 55.00000000000001%: "at most 55" would fail.
        let t = text(11, 9);
        assert_eq!(percentage(11, 20), 55.00000000000001);
        for seed in 0..16 {
            let [c] = derive(&t, seed).try_into().unwrap();
            assert!([60, 65, 70].contains(&c.percentage), "{c:?}");
            assert!(c.verify(&analysis(&t)).passed(), "{c:?}");
        }
    }

    #[test]
    fn derive_nothing_from_short_or_stop_word_texts() {
        assert!(derive("the cat sat on the mat", 1).is_empty());
        let all_stop = "it is what it is and that is all there is to it now ".repeat(2);
        for seed in 0..8 {
            assert!(derive(&all_stop, seed).is_empty());
        }
    }
}
