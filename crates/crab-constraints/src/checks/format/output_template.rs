//! `format:output_template` — the response uses the three labels of a fixed template (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// The labels the template requires, in its order.
pub const LABELS: [&str; 3] = ["My Answer:", "My Conclusion:", "Future Outlook:"];

/// # What it checks
/// IFBench's "Use this exact template for your response: My Answer: [answer] My Conclusion:
/// [conclusion] Future Outlook: [outlook]" is checked loosely: each of the three labels
/// ([`LABELS`]) occurs somewhere in the response, case-sensitively, colon included, in any order
/// and with anything around them.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:output_template", &serde_json::Value::Null).unwrap();
/// let ok = "My Answer: yes. My Conclusion: it works. Future Outlook: bright.";
/// assert!(c.verify(&Analysis::new(ok)).passed());
/// assert!(!c.verify(&Analysis::new("My answer: yes. My Conclusion: it works.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `OutputTemplateChecker` (unchanged since the first release).
///
/// # Derivation
/// None: the labels are IFBench's invention, and answers not asked for them do not use them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputTemplate;

impl Check for OutputTemplate {
    const INFO: CheckInfo = CheckInfo {
        id: "format:output_template",
        title: "Answer / conclusion / outlook template",
        description: "The response contains the three labels `My Answer:`, `My Conclusion:` and \
                      `Future Outlook:` (case-sensitive, colon included), anywhere and in any \
                      order.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "My Answer: Paris.\nMy Conclusion: It is the capital.\nFuture Outlook: It \
                   stays the capital.",
            fail: "My Answer: Paris.\nMy Conclusion: It is the capital.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<OutputTemplate, SpecError> {
        Ok(OutputTemplate)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for label in LABELS {
            match s.find(label) {
                Some(at) => found.push(Span::new(at, at + label.len())),
                None => missing.push(format!("`{label}`")),
            }
        }
        found.sort_unstable_by_key(|span| span.start);
        if missing.is_empty() {
            Verdict::pass("all three labels occur").with_evidence(found)
        } else {
            Verdict::fail(format!("missing {}", missing.join(", "))).with_evidence(found)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:output_template";

    #[test]
    fn all_three_labels_anywhere() {
        assert_pass(ID, "{}", "Future Outlook: x My Conclusion: y My Answer: z");
        assert_pass(ID, "{}", "**My Answer:**\nMy Conclusion:Future Outlook:");
        assert_fail(ID, "{}", "My Answer x My Conclusion: y Future Outlook: z");
        assert_fail(ID, "{}", "MY ANSWER: x My Conclusion: y Future Outlook: z");
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn detail_names_the_missing_labels() {
        let text = "Intro. My Conclusion: done.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "missing `My Answer:`, `Future Outlook:`");
        assert_eq!(evidence(&v, text), ["My Conclusion:"]);
    }
}
