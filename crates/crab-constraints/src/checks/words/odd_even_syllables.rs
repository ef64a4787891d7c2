//! `words:odd_even_syllables` — successive words alternate between odd and even syllable
//! counts (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, syllables, Analysis, Span};

/// # What it checks
/// After deleting ASCII punctuation and lowercasing, the whitespace-separated words' syllable
/// counts (`syllapy.count`: a word list, then vowel groups) alternate between odd and even.
/// Zero or one word passes. Words with a digit count 0 syllables (even).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:odd_even_syllables", &serde_json::Value::Null).unwrap();
/// // 1, 2, 1, 2 syllables.
/// assert!(c.verify(&Analysis::new("Cats enjoy warm sunlight.")).passed());
/// // 1, 1: two odd counts in a row.
/// assert!(!c.verify(&Analysis::new("Dogs bark.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `AlternateParitySyllablesChecker`, with syllapy 0.8.0's counts
/// ([`syllables::count`]).
///
/// # Derivation
/// None: natural text almost never alternates, so there is nothing to derive from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OddEvenSyllables;

impl Check for OddEvenSyllables {
    const INFO: CheckInfo = CheckInfo {
        id: "words:odd_even_syllables",
        title: "Alternating odd and even syllables",
        description: "Successive words alternate between an odd and an even number of \
                      syllables. Punctuation is deleted first; syllables are counted as the \
                      `syllapy` package does (its word list, else vowel groups), and a word with \
                      a digit counts 0.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Cats enjoy warm sunlight.",
            fail: "Dogs bark loudly.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<OddEvenSyllables, SpecError> {
        Ok(OddEvenSyllables)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut prev: Option<(String, usize, Span)> = None;
        let mut words = 0;
        for span in pystr::split_whitespace(s) {
            let kept: String =
                span.slice(s).chars().filter(|c| !c.is_ascii_punctuation()).collect();
            if kept.is_empty() {
                continue;
            }
            let word = pystr::lower(&kept);
            let n = syllables::count(&word);
            words += 1;
            if let Some((before, m, at)) = &prev {
                if m % 2 == n % 2 {
                    let parity = if n % 2 == 0 { "even" } else { "odd" };
                    let detail = format!(
                        "`{before}` ({}) and `{word}` ({}) are both {parity}",
                        plural(*m, "syllable", "syllables"),
                        plural(n, "syllable", "syllables"),
                    );
                    return Verdict::fail(detail).with_evidence(vec![*at, span]);
                }
            }
            prev = Some((word, n, span));
        }
        Verdict::pass(format!(
            "{} alternate odd and even syllable counts",
            plural(words, "word", "words")
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:odd_even_syllables";

    #[test]
    fn parities_alternate() {
        assert_pass(ID, "{}", "Cats enjoy warm sunlight.");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "Hello");
        assert_pass(ID, "{}", "... !!! ,");
        let text = "Cats enjoy sunlight daily.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "`enjoy` (2 syllables) and `sunlight` (2 syllables) are both even");
        assert_eq!(evidence(&v, text), ["enjoy", "sunlight"]);
        let v = verify(ID, "{}", "Dogs bark loudly.");
        assert_eq!(v.detail, "`dogs` (1 syllable) and `bark` (1 syllable) are both odd");
    }

    #[test]
    fn punctuation_is_deleted_before_splitting() {
        // `self-care` becomes `selfcare` (2 syllables); `...` disappears.
        assert_pass(ID, "{}", "Cat ... self-care dog");
        assert_fail(ID, "{}", "Cat ... selfish-care dog");
        // Digits: 0 syllables, even.
        assert_pass(ID, "{}", "cat 42 dog");
        assert_fail(ID, "{}", "table 42");
    }
}
