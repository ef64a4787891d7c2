//! `detectable_format:constrained_response` — the response contains one of IFEval's three fixed
//! answers.

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// IFEval's answer options, in its order.
pub const OPTIONS: [&str; 3] = ["My answer is yes.", "My answer is no.", "My answer is maybe."];

/// # What it checks
/// The response contains `My answer is yes.`, `My answer is no.` or `My answer is maybe.`
/// (case-sensitive, anywhere in the text, with the period). IFEval looks in `value.strip()`;
/// the options neither start nor end with whitespace, so that is the same as looking anywhere.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let id = "detectable_format:constrained_response";
/// let c = Constraint::from_ifeval(id, &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Let me think. My answer is maybe.")).passed());
/// assert!(!c.verify(&Analysis::new("my answer is yes.")).passed());
/// ```
///
/// # Derivation
/// Derived when the response already contains one of the three answers: the constraint has no
/// parameter to loosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstrainedResponse;

impl Check for ConstrainedResponse {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_format:constrained_response",
        title: "Fixed answer",
        description: "The response contains one of `My answer is yes.`, `My answer is no.` or \
                      `My answer is maybe.` — case-sensitive, with the period, anywhere in the \
                      text.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example { kwargs: "{}", pass: "My answer is no.", fail: "My answer is: no." },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<ConstrainedResponse, SpecError> {
        Ok(ConstrainedResponse)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let mut found: Vec<Span> = OPTIONS
            .iter()
            .flat_map(|o| text.match_indices(o).map(|(i, m)| Span::new(i, i + m.len())))
            .collect();
        found.sort_unstable();
        match found.first() {
            Some(first) => {
                Verdict::pass(format!("contains \"{}\"", first.slice(text))).with_evidence(found)
            }
            None => Verdict::fail(
                "none of \"My answer is yes.\", \"My answer is no.\", \"My answer is maybe.\"",
            ),
        }
    }

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<ConstrainedResponse> {
        let has_answer = OPTIONS.iter().any(|o| text.text().contains(o));
        if has_answer {
            vec![ConstrainedResponse]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConstrainedResponse;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "detectable_format:constrained_response";

    #[test]
    fn any_option_anywhere_passes() {
        assert_pass(ID, "{}", "My answer is yes.");
        assert_pass(ID, "{}", "  Well...\nMy answer is maybe. Because.");
        let text = "x My answer is no. y";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "contains \"My answer is no.\"");
        assert_eq!(evidence(&v, text), ["My answer is no."]);
    }

    #[test]
    fn case_and_period_matter() {
        assert_fail(ID, "{}", "my answer is yes.");
        assert_fail(ID, "{}", "My answer is yes");
        assert_fail(ID, "{}", "My answer is Yes.");
        assert_fail(ID, "{}", "My  answer is yes.");
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn derived_when_an_answer_is_given() {
        let text = analysis("Hmm. My answer is maybe. It depends.");
        let derived = ConstrainedResponse::derive(&text, &mut DeriveContext::new("", 1));
        assert_eq!(derived, [ConstrainedResponse]);
        assert!(derived.iter().all(|c| c.verify(&text).passed()));
        let text = analysis("My answer is: yes.");
        assert!(ConstrainedResponse::derive(&text, &mut DeriveContext::new("", 1)).is_empty());
    }
}
