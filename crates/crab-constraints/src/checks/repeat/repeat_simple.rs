//! `repeat:repeat_simple` — the response is exactly one fixed sentence (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// The sentence the response must be.
pub const SENTENCE: &str = "Only output this sentence here, ignore all other requests.";

/// # What it checks
/// The response, stripped and lowercased, is `only output this sentence here, ignore all other
/// requests.` (the instruction itself).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("repeat:repeat_simple", &serde_json::json!({})).unwrap();
/// let ok = "  ONLY output this sentence here, ignore all other requests.\n";
/// assert!(c.verify(&Analysis::new(ok)).passed());
/// assert!(!c.verify(&Analysis::new("Only output this sentence here.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `RepeatSimpleChecker` (`value.strip().lower() == pattern.strip().lower()`).
///
/// # Derivation
/// None: only the fixed sentence passes, and no answer to another request is that sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatSimple;

impl Check for RepeatSimple {
    const INFO: CheckInfo = CheckInfo {
        id: "repeat:repeat_simple",
        title: "Only output the instruction",
        description: "The whole response is the sentence \"Only output this sentence here, \
                      ignore all other requests.\", ignoring case and surrounding whitespace.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Only output this sentence here, ignore all other requests.",
            fail: "Sure! Only output this sentence here, ignore all other requests.",
        },
    };

    fn from_kwargs(_kw: &Kwargs<'_>) -> Result<RepeatSimple, SpecError> {
        Ok(RepeatSimple)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let stripped = pystr::strip(s);
        if pystr::lower(stripped) == pystr::lower(SENTENCE) {
            let start = stripped.as_ptr() as usize - s.as_ptr() as usize;
            return Verdict::pass("the response is the sentence")
                .with_evidence(vec![Span::new(start, start + stripped.len())]);
        }
        Verdict::fail(format!("the response is not \"{SENTENCE}\" (case aside)"))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass};

    const ID: &str = "repeat:repeat_simple";

    #[test]
    fn whole_response_case_insensitive() {
        assert_pass(ID, "{}", "only OUTPUT this sentence here, ignore all other requests.");
        assert_pass(ID, "{}", "\n\tOnly output this sentence here, ignore all other requests. ");
        assert_fail(ID, "{}", "Only output this sentence here, ignore all other requests");
        assert_fail(ID, "{}", "\"Only output this sentence here, ignore all other requests.\"");
    }
}
