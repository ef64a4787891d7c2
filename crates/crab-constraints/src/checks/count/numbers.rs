//! `count:numbers` — exactly N numbers (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// After deleting every `string.punctuation` character, `re.findall(r"\d+")` finds exactly `N`
/// numbers. Punctuation inside a number disappears first, so `3.14` and `1,000` are one number
/// each, and so are `2-3` and `12:30`; digits are Unicode decimal digits, as Python's `\d`.
///
/// # Parameters
/// `N` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:numbers", &serde_json::json!({"N": 2.0})).unwrap();
/// assert!(c.verify(&Analysis::new("Pi is 3.14 and e is 2.72.")).passed());
/// assert!(!c.verify(&Analysis::new("1, 2 and 3.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `NumbersCountChecker`. The evidence spans run from a number's first digit to its last
/// one in the response as written (punctuation between them included).
///
/// # Derivation
/// "Exactly N numbers" from a response with 1 to 20 numbers, N being its count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbers {
    /// The exact number of numbers.
    pub n: i64,
}

impl Check for Numbers {
    const INFO: CheckInfo = CheckInfo {
        id: "count:numbers",
        title: "Exactly N numbers",
        description: "The response contains exactly `N` numbers: runs of digits once every \
                      ASCII punctuation character is deleted (so `3.14` and `1,000` are one \
                      number each).",
        divergence: Some("IFBench picks a random `N` when it is missing; here it must be given."),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "N",
            doc: "the exact number of numbers",
            kind: ParamKind::Count { min: 0, max: 100, default: 3 },
        }],
        example: Example {
            kwargs: r#"{"N": 2}"#,
            pass: "Pi is 3.14 and e is 2.72.",
            fail: "1, 2 and 3.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Numbers, SpecError> {
        Ok(Numbers { n: kw.int("N", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("N", self.n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found = numbers(text.text());
        let count = i64::try_from(found.len()).unwrap_or(i64::MAX);
        Verdict::from_bool(
            count == self.n,
            format!("{}; needs exactly {}", plural(found.len(), "number", "numbers"), self.n),
        )
        .with_evidence(found)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<Numbers> {
        let n = numbers(text.text()).len();
        if (1..=20).contains(&n) {
            vec![Numbers { n: n as i64 }]
        } else {
            Vec::new()
        }
    }
}

/// The numbers of `s` as IFBench finds them after deleting punctuation: maximal runs of digits
/// in which punctuation characters are skipped, each from its first digit to its last.
fn numbers(s: &str) -> Vec<Span> {
    let mut found = Vec::new();
    let mut run: Option<Span> = None;
    for (i, c) in s.char_indices() {
        if pystr::is_regex_digit(c) {
            let end = i + c.len_utf8();
            run = Some(run.map_or(Span::new(i, end), |r| Span::new(r.start, end)));
        } else if !pystr::is_punctuation(c) {
            found.extend(run.take());
        }
    }
    found.extend(run);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:numbers";

    #[test]
    fn punctuation_joins_digits() {
        let v = verify(ID, r#"{"N": 3}"#, "Pay $1,000.50 on 12/31, then 7.");
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(evidence(&v, "Pay $1,000.50 on 12/31, then 7."), ["1,000.50", "12/31", "7"]);
        // A space separates numbers; a letter does too.
        assert_pass(ID, r#"{"N": 4}"#, "1 2 3a4");
        // Trailing punctuation is not part of the span.
        assert_eq!(evidence(&verify(ID, r#"{"N": 1}"#, "(42)."), "(42)."), ["42"]);
        // Unicode decimal digits count, as Python's `\d`.
        assert_pass(ID, r#"{"N": 1}"#, "٣٤ apples");
        assert_pass(ID, r#"{"N": 0}"#, "none here");
        assert_fail(ID, r#"{"N": 1}"#, "none here");
        assert_eq!(
            verify(ID, r#"{"N": 2.0}"#, "1 and 2 and 3").detail,
            "3 numbers; needs exactly 2"
        );
    }

    #[test]
    fn derive_counts_numbers() {
        let d = |t: &str| Numbers::derive(&analysis(t), &mut DeriveContext::new("", 0));
        assert_eq!(d("In 2020, 3.5 million people; 7 cities."), [Numbers { n: 3 }]);
        assert!(d("No numbers at all.").is_empty());
    }
}
