//! `words:palindrome` — at least ten palindromes of five or more characters (IFBench).

use serde_json::{Map, Value};

use super::{bare_words, Case};
use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::Analysis;

/// How many palindromes IFBench asks for.
const NEEDED: usize = 10;

/// # What it checks
/// With ASCII punctuation deleted and the text lowercased, at least 10 of its
/// whitespace-separated words (repeats count) read the same backwards and have at least 5
/// characters: `Level,` and `racecar` count, `noon` is too short.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:palindrome", &serde_json::Value::Null).unwrap();
/// let ten = "Level radar civic kayak refer rotor stats tenet madam racecar.";
/// assert!(c.verify(&Analysis::new(ten)).passed());
/// assert!(!c.verify(&Analysis::new("A level radar.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `PalindromeChecker` (unchanged since the first release).
///
/// # Derivation
/// None: ten long palindromes never occur by accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palindrome;

impl Check for Palindrome {
    const INFO: CheckInfo = CheckInfo {
        id: "words:palindrome",
        title: "Ten palindromes",
        description: "At least 10 words (repeats count) are palindromes of at least 5 \
                      characters, such as `level` or `racecar`. Punctuation is deleted and case \
                      ignored.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Level radar civic kayak refer rotor stats tenet madam racecar.",
            fail: "A level radar, a noon kayak.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Palindrome, SpecError> {
        Ok(Palindrome)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found: Vec<_> = bare_words(text.text(), Case::LowerAfter)
            .filter(|(_, w)| w.chars().count() >= 5 && w.chars().eq(w.chars().rev()))
            .map(|(span, _)| span)
            .collect();
        let detail =
            format!("{} palindromes of 5+ characters; needs at least {NEEDED}", found.len());
        Verdict::from_bool(found.len() >= NEEDED, detail).with_evidence(found)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:palindrome";

    #[test]
    fn counts_long_palindromes() {
        let ten = "Level radar civic kayak refer rotor stats tenet madam racecar.";
        assert_pass(ID, "{}", ten);
        assert_pass(ID, "{}", &"level ".repeat(10));
        assert_fail(ID, "{}", &"level ".repeat(9));
        assert_fail(ID, "{}", &"noon ".repeat(12));
        let text = "A level radar, a noon kayak.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "3 palindromes of 5+ characters; needs at least 10");
        assert_eq!(evidence(&v, text), ["level", "radar,", "kayak."]);
        // Punctuation inside a word is deleted: `ra-dar` is `radar`.
        assert_pass(ID, "{}", &"ra-dar ".repeat(10));
    }
}
