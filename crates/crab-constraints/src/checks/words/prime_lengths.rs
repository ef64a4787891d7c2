//! `words:prime_lengths` — every word's length is a prime number (IFBench).

use serde_json::{Map, Value};

use super::{bare_words, Case};
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::Analysis;

/// IFBench's primes: those up to 97 (a longer word fails even when its length is prime).
const PRIMES: [usize; 25] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
];

/// # What it checks
/// With ASCII punctuation deleted, every whitespace-separated word has a prime number of
/// characters (2, 3, 5, 7, …, 97): one-letter words such as `a` and `I` fail, and so does any
/// word longer than 97 characters. A text without words passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:prime_lengths", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("We are happy to go there.")).passed());
/// assert!(!c.verify(&Analysis::new("I am here.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `PrimeLengthsChecker` (unchanged since the first release).
///
/// # Derivation
/// None: natural text always has words of 1, 4 or 6 letters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimeLengths;

impl Check for PrimeLengths {
    const INFO: CheckInfo = CheckInfo {
        id: "words:prime_lengths",
        title: "Prime word lengths",
        description: "Every word has a prime number of characters (2, 3, 5, 7, 11, … up to \
                      97), counted after punctuation is deleted.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example { kwargs: "{}", pass: "We are happy to go there.", fail: "I am here." },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<PrimeLengths, SpecError> {
        Ok(PrimeLengths)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let mut words = 0;
        for (span, word) in bare_words(text.text(), Case::Keep) {
            let len = word.chars().count();
            if !PRIMES.contains(&len) {
                return Verdict::fail(format!(
                    "`{word}` has {}, not a prime",
                    plural(len, "character", "characters")
                ))
                .with_evidence(vec![span]);
            }
            words += 1;
        }
        Verdict::pass(format!("{} of prime length", plural(words, "word", "words")))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:prime_lengths";

    #[test]
    fn lengths_must_be_prime() {
        assert_pass(ID, "{}", "We are happy to go there.");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "... !!");
        let text = "I am here.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "`I` has 1 character, not a prime");
        assert_eq!(evidence(&v, text), ["I"]);
        // Punctuation is deleted before counting: `it's` is `its` (3), `here's` `heres` (5),
        // `there's` `theres` (6).
        assert_pass(ID, "{}", "it's");
        assert_pass(ID, "{}", "here's");
        assert_fail(ID, "{}", "there's");
        // Characters, not bytes.
        assert_pass(ID, "{}", "été");
        // 97 is the largest prime listed; 101 fails.
        assert_pass(ID, "{}", &"x".repeat(97));
        assert_fail(ID, "{}", &"x".repeat(101));
    }
}
