//! `custom:multiples` — count from 10 to 50 printing only the multiples of 7 (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// The numbers the response must consist of, in order.
const MULTIPLES: [&str; 6] = ["14", "21", "28", "35", "42", "49"];

/// # What it checks
/// The runs of digits of the response (Python's `re.findall(r"\d+")`, so any Unicode decimal
/// digit) are exactly `14 21 28 35 42 49`, in this order: no other number may appear anywhere,
/// not even `10` or `50` from the instruction. Words and punctuation around them do not matter.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:multiples", &serde_json::json!({})).unwrap();
/// assert!(c.verify(&Analysis::new("14, 21, 28, 35, 42, 49")).passed());
/// assert!(!c.verify(&Analysis::new("Multiples of 7 from 10 to 50: 14, 21, 28, 35, 42, 49")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `PrintMultiplesChecker`, unchanged since the first release (its `,` → `, ` replacement
/// cannot change a run of digits). The evidence spans are the numbers found.
///
/// # Derivation
/// None: a fixed task whose answer no response to another request gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Multiples;

impl Check for Multiples {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:multiples",
        title: "Multiples of 7 from 10 to 50",
        description: "For \"Count from 10 to 50 but only print multiples of 7\": the numbers in \
                      the response (runs of digits) are exactly 14, 21, 28, 35, 42, 49, in \
                      order, and nothing else.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "14, 21, 28, 35, 42, 49",
            fail: "Multiples of 7 between 10 and 50: 14, 21, 28, 35, 42, 49",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Multiples, SpecError> {
        Ok(Multiples)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let numbers = digit_runs(s);
        let values: Vec<&str> = numbers.iter().map(|n| n.slice(s)).collect();
        let detail = if values.is_empty() {
            "no numbers; needs 14 21 28 35 42 49".to_owned()
        } else {
            format!("numbers {}; needs 14 21 28 35 42 49", values.join(" "))
        };
        Verdict::from_bool(values == MULTIPLES, detail).with_evidence(numbers)
    }
}

/// The maximal runs of `re`'s `\d` (Unicode decimal digits), as spans.
fn digit_runs(s: &str) -> Vec<Span> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (pystr::is_decimal(c), start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                runs.push(Span::new(b, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(b) = start {
        runs.push(Span::new(b, s.len()));
    }
    runs
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:multiples";

    #[test]
    fn exactly_the_six_multiples_in_order() {
        assert_pass(ID, "{}", "14\n21\n28\n35\n42\n49");
        assert_pass(ID, "{}", "Here: 14,21,28,35,42,49.");
        assert_pass(ID, "{}", "fourteen? no: 14 21 28 35 42 49");
        assert_fail(ID, "{}", "14 21 28 35 49 42");
        assert_fail(ID, "{}", "14 21 28 35 42");
        assert_fail(ID, "{}", "7 14 21 28 35 42 49");
        assert_fail(ID, "{}", "14 21 28 35 42 49 56");
        assert_fail(ID, "{}", "");
        // `\d` is Unicode: Arabic-Indic digits are numbers, which are not "14".
        assert_fail(ID, "{}", "14 21 28 35 42 49 \u{661}");
        // A decimal point splits a number in two.
        assert_fail(ID, "{}", "14.0 21 28 35 42 49");
    }

    #[test]
    fn evidence_is_the_numbers() {
        let text = "a14b 21,28";
        let v = verify(ID, "{}", text);
        assert_eq!(evidence(&v, text), ["14", "21", "28"]);
        assert_eq!(v.detail, "numbers 14 21 28; needs 14 21 28 35 42 49");
    }
}
