//! `words:no_consecutive` — no two neighbouring words start with the same letter (IFBench).

use serde_json::{Map, Value};

use super::{bare_words, Case};
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::Analysis;

/// # What it checks
/// After lowercasing and deleting ASCII punctuation, no two successive whitespace-separated
/// words start with the same character. Line breaks do not separate anything: the last word of
/// a line and the first of the next are neighbours.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:no_consecutive", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("The cat ran home.")).passed());
/// assert!(!c.verify(&Analysis::new("The tiny cat ran home.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NoConsecutiveFirstLetterChecker` (unchanged since the first release).
///
/// # Derivation
/// None: answers of any length almost always have a pair such as "the two" or "so small".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoConsecutive;

impl Check for NoConsecutive {
    const INFO: CheckInfo = CheckInfo {
        id: "words:no_consecutive",
        title: "No consecutive first letters",
        description: "No two consecutive words start with the same letter (case ignored, \
                      punctuation deleted; across line breaks too).",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "The cat ran home.",
            fail: "The tiny cat ran home.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<NoConsecutive, SpecError> {
        Ok(NoConsecutive)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let mut prev = None;
        let mut words = 0;
        for (span, word) in bare_words(text.text(), Case::LowerFirst) {
            let first = word.chars().next();
            if let Some((before, at)) = prev {
                if before == first {
                    let letter: String = first.into_iter().collect();
                    return Verdict::fail(format!("two words in a row start with `{letter}`"))
                        .with_evidence(vec![at, span]);
                }
            }
            prev = Some((first, span));
            words += 1;
        }
        Verdict::pass(format!(
            "{}, no neighbours share a first letter",
            plural(words, "word", "words")
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:no_consecutive";

    #[test]
    fn neighbours_differ() {
        assert_pass(ID, "{}", "The cat ran home.");
        assert_pass(ID, "{}", "");
        let text = "The Tiny cat";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "two words in a row start with `t`");
        assert_eq!(evidence(&v, text), ["The", "Tiny"]);
        // Across lines, and across deleted punctuation.
        assert_fail(ID, "{}", "big\nbad");
        assert_fail(ID, "{}", "big ... \"bad\"");
        assert_pass(ID, "{}", "big -- cat");
        // Punctuation at the start is deleted first.
        assert_fail(ID, "{}", "cat (cow)");
    }
}
