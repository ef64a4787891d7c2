//! `custom:character_reverse` — "bald eagle" spelled backwards, letter by letter (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// What the lowercased response must contain.
const REVERSED: &str = "elgae dlab";

/// # What it checks
/// The instruction asks "What animal is the national symbol of the US?", answered with the
/// sentence reversed letter by letter. The check only looks for the answer: the response,
/// lowercased (Python's `str.lower()`), contains `elgae dlab` ("bald eagle" backwards).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:character_reverse", &serde_json::json!({})).unwrap();
/// assert!(c.verify(&Analysis::new("Elgae Dlab eht si tI.")).passed());
/// assert!(!c.verify(&Analysis::new("It is the bald eagle.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `CharacterReverseOrderChecker` (`"elgae dlab" in value.lower()`), unchanged since the
/// first release. The evidence spans are the occurrences, on the text as written.
///
/// # Derivation
/// None: a fixed question with a fixed reversed answer, which no answer to another request
/// contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharacterReverse;

impl Check for CharacterReverse {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:character_reverse",
        title: "Answer reversed letter by letter",
        description: "For \"What animal is the national symbol of the US?\" answered in reverse \
                      letter order: the lowercased response contains `elgae dlab`.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: ".ELGAE DLAB eht si lobmys lanoitan ehT",
            fail: "The national symbol is the bald eagle.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<CharacterReverse, SpecError> {
        Ok(CharacterReverse)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let lowered = pystr::Lowered::new(text.text());
        let found: Vec<Span> = lowered
            .text
            .match_indices(REVERSED)
            .map(|(i, m)| lowered.original_span(Span::new(i, i + m.len())))
            .collect();
        if found.is_empty() {
            return Verdict::fail(format!("no \"{REVERSED}\" (case aside)"));
        }
        Verdict::pass(format!("\"{REVERSED}\" found (case aside)")).with_evidence(found)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:character_reverse";

    #[test]
    fn reversed_answer_anywhere_case_aside() {
        assert_pass(ID, "{}", "elgae dlab");
        assert_pass(ID, "{}", "Answer: ELGAE DLAB!");
        assert_fail(ID, "{}", "elgae  dlab");
        assert_fail(ID, "{}", "bald eagle");
        assert_fail(ID, "{}", "");
        // `İ` lowers to two characters, which must not shift the evidence.
        let text = "İİ Elgae dlab";
        let v = verify(ID, "{}", text);
        assert_eq!(evidence(&v, text), ["Elgae dlab"]);
    }
}
