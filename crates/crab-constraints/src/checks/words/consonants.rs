//! `words:consonants` — every word holds a consonant cluster (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis};

/// # What it checks
/// Every whitespace-separated word of the lowercased response contains two adjacent characters
/// of `bcdfghjklmnpqrstvwxyz` (`y` is a consonant; punctuation is *not* deleted, so `st.` has a
/// cluster and `a` or `I` do not). A response without words passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:consonants", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Strong winds shook the trees.")).passed());
/// // `a` has no cluster.
/// assert!(!c.verify(&Analysis::new("Strong winds shook a tree.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `ConsonantClusterChecker` (unchanged since the first release).
///
/// # Derivation
/// None: natural text is full of words like `a`, `I`, `to` and `is`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consonants;

/// Whether `c` is one of IFBench's consonants.
fn is_consonant(c: char) -> bool {
    "bcdfghjklmnpqrstvwxyz".contains(c)
}

impl Check for Consonants {
    const INFO: CheckInfo = CheckInfo {
        id: "words:consonants",
        title: "Consonant cluster in every word",
        description: "Every word contains at least two consonants in a row (`y` counts as a \
                      consonant). Words are split at whitespace, with their punctuation, and \
                      compared lowercased.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Strong winds shook the trees.",
            fail: "Strong winds shook a tree.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Consonants, SpecError> {
        Ok(Consonants)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut words = 0;
        for span in pystr::split_whitespace(s) {
            let word = pystr::lower(span.slice(s));
            let mut chars = word.chars().peekable();
            let mut cluster = false;
            while let Some(c) = chars.next() {
                if is_consonant(c) && chars.peek().is_some_and(|&d| is_consonant(d)) {
                    cluster = true;
                    break;
                }
            }
            if !cluster {
                return Verdict::fail(format!("`{}` has no consonant cluster", span.slice(s)))
                    .with_evidence(vec![span]);
            }
            words += 1;
        }
        Verdict::pass(format!("{} with a consonant cluster", plural(words, "word", "words")))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:consonants";

    #[test]
    fn every_word_needs_two_adjacent_consonants() {
        assert_pass(ID, "{}", "Strong winds shook the trees.");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "MY GYM");
        let text = "Strong winds shook a tree.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "`a` has no consonant cluster");
        assert_eq!(evidence(&v, text), ["a"]);
        assert_fail(ID, "{}", "banana split");
        // Punctuation stays: it separates letters.
        assert_fail(ID, "{}", "s.t");
        assert_fail(ID, "{}", "...");
        assert_pass(ID, "{}", "st.");
    }
}
