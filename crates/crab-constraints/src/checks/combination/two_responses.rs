//! `combination:two_responses` — two different responses separated by `******`.

use serde_json::{Map, Value};

use crate::checks::{
    strip_span, Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// The separator IFEval asks for.
const SEPARATOR: &str = "******";

/// # What it checks
/// IFEval's rule: split the response on `******` (six asterisks, left to right, without
/// overlap). Blank parts are allowed only first and last (a leading or trailing separator); a
/// blank part in the middle fails. Exactly two non-blank parts must remain, and they must differ
/// once stripped.
///
/// Consequences: seven asterisks still separate (the seventh starts the second answer), twelve in
/// a row make a blank middle part and fail, and a separator on its own line works.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("combination:two_responses", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Yes.\n******\nNo.")).passed());
/// assert!(!c.verify(&Analysis::new("Yes.\n******\nYes.")).passed());
/// ```
///
/// # Derivation
/// From a response that already consists of two different answers separated by `******`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwoResponses;

impl Check for TwoResponses {
    const INFO: CheckInfo = CheckInfo {
        id: "combination:two_responses",
        title: "Two different responses",
        description: "Exactly two different, non-empty responses separated by six asterisks \
                      `******`. A separator may also start or end the text; two separators in a \
                      row (an empty response between them) fail.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Paris is the capital.\n******\nThe capital is Paris, of course.",
            fail: "Paris is the capital.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<TwoResponses, SpecError> {
        Ok(TwoResponses)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let full = text.text();
        let separators: Vec<Span> =
            full.match_indices(SEPARATOR).map(|(i, s)| Span::new(i, i + s.len())).collect();
        let mut parts = Vec::with_capacity(separators.len() + 1);
        let mut start = 0;
        for sep in &separators {
            parts.push(Span::new(start, sep.start));
            start = sep.end;
        }
        parts.push(Span::new(start, full.len()));
        let last = parts.len() - 1;
        let mut answers: Vec<Span> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if pystr::strip(part.slice(full)).is_empty() {
                if i != 0 && i != last {
                    // The separators on both sides of the blank part.
                    let evidence = vec![
                        separators.get(i - 1).copied().unwrap_or(*part),
                        separators.get(i).copied().unwrap_or(*part),
                    ];
                    return Verdict::fail("an empty response between two separators")
                        .with_evidence(evidence);
                }
            } else {
                answers.push(strip_span(full, *part));
            }
        }
        match answers.as_slice() {
            [a, b] if a.slice(full) != b.slice(full) => {
                Verdict::pass("two different responses").with_evidence(vec![*a, *b])
            }
            [a, b] => Verdict::fail("the two responses are the same").with_evidence(vec![*a, *b]),
            _ => Verdict::fail(format!("{} responses; needs exactly 2", answers.len()))
                .with_evidence(separators),
        }
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<TwoResponses> {
        if TwoResponses.verify(text).passed() {
            vec![TwoResponses]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TwoResponses;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "combination:two_responses";

    #[test]
    fn two_different_answers() {
        let text = "A\n******\nB";
        let v = verify(ID, "{}", text);
        assert!(v.passed());
        assert_eq!(evidence(&v, text), ["A", "B"]);
        assert_pass(ID, "{}", "******A******B******");
        assert_fail(ID, "{}", "A");
        assert_fail(ID, "{}", "A******B******C");
        assert_eq!(verify(ID, "{}", "A******B******C").detail, "3 responses; needs exactly 2");
    }

    #[test]
    fn answers_must_differ_after_stripping() {
        assert_fail(ID, "{}", "Same\n******\n  Same  ");
        assert_pass(ID, "{}", "Same\n******\nsame");
    }

    #[test]
    fn seven_stars_pass() {
        // The seventh `*` belongs to the second answer.
        assert_pass(ID, "{}", "A*******B");
    }

    #[test]
    fn twelve_stars_fail() {
        // Two separators in a row leave an empty middle part.
        let text = "A************B";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "an empty response between two separators");
        assert_eq!(evidence(&v, text), ["******", "******"]);
    }

    #[test]
    fn blank_first_and_last_parts_are_allowed() {
        assert_pass(ID, "{}", " \n******A******B******\n ");
        assert_fail(ID, "{}", "******");
    }

    fn derive(text: &str) -> Vec<TwoResponses> {
        TwoResponses::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derive_from_two_different_answers() {
        assert_eq!(derive("Paris.\n******\nIt is Paris."), [TwoResponses]);
    }

    #[test]
    fn derive_nothing_from_one_answer_or_twins() {
        assert!(derive("Paris.").is_empty());
        assert!(derive("Paris.\n******\nParis.").is_empty());
        assert!(derive("A\n******\nB\n******\nC").is_empty());
        assert!(derive("").is_empty());
    }
}
