//! `punctuation:no_comma` — the response contains no ASCII comma.

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// # What it checks
/// The response contains no ASCII comma `,` (U+002C). Other commas — the fullwidth `，` or the
/// ideographic `、` — are allowed, as in IFEval.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("punctuation:no_comma", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("No commas here.")).passed());
/// assert!(!c.verify(&Analysis::new("Yes, one.")).passed());
/// ```
///
/// # Derivation
/// From a response of at least 5 words without an ASCII comma (a comma-free answer of a word or
/// two says nothing about commas).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoComma;

impl Check for NoComma {
    const INFO: CheckInfo = CheckInfo {
        id: "punctuation:no_comma",
        title: "No commas",
        description: "The response contains no ASCII comma `,`. Other comma characters such as \
                      `，` (fullwidth) and `、` (ideographic) are allowed.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Short sentences work. They need no commas.",
            fail: "Well, this one has a comma.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<NoComma, SpecError> {
        Ok(NoComma)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let commas: Vec<Span> =
            text.text().match_indices(',').map(|(i, _)| Span::new(i, i + 1)).collect();
        if commas.is_empty() {
            Verdict::pass("no commas")
        } else {
            Verdict::fail(plural(commas.len(), "comma", "commas")).with_evidence(commas)
        }
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<NoComma> {
        if text.words().len() >= 5 && !text.text().contains(',') {
            vec![NoComma]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NoComma;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "punctuation:no_comma";

    #[test]
    fn ascii_commas_fail_with_each_one_as_evidence() {
        let text = "a, b, c";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "2 commas");
        assert_eq!(evidence(&v, text), [",", ","]);
        assert_fail(ID, "{}", ",");
    }

    #[test]
    fn other_comma_characters_are_allowed() {
        assert_pass(ID, "{}", "一、二，三");
        assert_pass(ID, "{}", "");
    }

    fn derive(text: &str) -> Vec<NoComma> {
        NoComma::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derive_from_comma_free_text() {
        let text = "Short sentences work. They need no commas，really.";
        assert_eq!(derive(text), [NoComma]);
        assert!(NoComma.verify(&analysis(text)).passed());
    }

    #[test]
    fn derive_nothing_with_a_comma_or_too_few_words() {
        assert!(derive("Well, this one has a comma.").is_empty());
        assert!(derive("Yes indeed.").is_empty());
        assert!(derive("").is_empty());
    }
}
