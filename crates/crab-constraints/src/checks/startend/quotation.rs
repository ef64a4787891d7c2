//! `startend:quotation` — the whole response is wrapped in double quotes.

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// After stripping surrounding whitespace, the response is at least two characters long and
/// starts and ends with an ASCII double quote `"` (IFEval's
/// `len(v) > 1 and v[0] == '"' and v[-1] == '"'`). Typographic quotes (`“…”`) do not count, and a
/// lone `"` fails.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("startend:quotation", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("  \"Quoted.\"\n")).passed());
/// assert!(!c.verify(&Analysis::new("“Curly quotes.”")).passed());
/// ```
///
/// # Derivation
/// From a response that is wrapped in ASCII double quotes and has at least one word inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation;

impl Check for Quotation {
    const INFO: CheckInfo = CheckInfo {
        id: "startend:quotation",
        title: "Wrapped in double quotes",
        description: "The whole response, apart from surrounding whitespace, is wrapped in ASCII \
                      double quotes `\"`. Typographic quotes `“”` do not count.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "\"The whole answer sits inside quotes.\"",
            fail: "\"Only the start\" is quoted.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Quotation, SpecError> {
        Ok(Quotation)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let full = text.text();
        let v = pystr::strip(full);
        let start = full.len() - pystr::lstrip(full).len();
        let end = start + v.len();
        // Both ends are the one-byte `"`, so two bytes or more means two characters or more.
        if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
            return Verdict::pass("wrapped in double quotes")
                .with_evidence(vec![Span::new(start, start + 1), Span::new(end - 1, end)]);
        }
        let first = v.chars().next();
        let last = v.chars().next_back();
        let detail = match (first, last) {
            (None, _) | (_, None) => "empty; needs double quotes around the response".to_owned(),
            (Some('"'), Some('"')) => {
                "a lone `\"`; needs double quotes around the response".to_owned()
            }
            (Some('"'), Some(l)) => format!("ends with `{l}`; needs `\"` at both ends"),
            (Some(f), Some('"')) => format!("starts with `{f}`; needs `\"` at both ends"),
            (Some(f), Some(l)) => {
                format!("starts with `{f}` and ends with `{l}`; needs `\"` at both ends")
            }
        };
        let mut evidence = Vec::new();
        if let Some(f) = first.filter(|&f| f != '"') {
            evidence.push(Span::new(start, start + f.len_utf8()));
        }
        if let Some(l) = last.filter(|&l| l != '"') {
            let span = Span::new(end - l.len_utf8(), end);
            if evidence.last() != Some(&span) {
                evidence.push(span);
            }
        }
        Verdict::fail(detail).with_evidence(evidence)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<Quotation> {
        if !text.words().is_empty() && Quotation.verify(text).passed() {
            vec![Quotation]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Quotation;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "startend:quotation";

    #[test]
    fn wrapped_after_stripping() {
        assert_pass(ID, "{}", "\"a\"");
        assert_pass(ID, "{}", "\n \"multi\nline\"\t\u{1f}");
        assert_pass(ID, "{}", "\"\"");
        let text = " \"x\" ";
        assert_eq!(evidence(&verify(ID, "{}", text), text), ["\"", "\""]);
    }

    #[test]
    fn lone_quote_fails() {
        assert_fail(ID, "{}", "\"");
        assert_fail(ID, "{}", "  \"  ");
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn only_ascii_double_quotes() {
        assert_fail(ID, "{}", "“curly”");
        assert_fail(ID, "{}", "'single'");
        let text = "\"open only.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "ends with `.`; needs `\"` at both ends");
        assert_eq!(evidence(&v, text), ["."]);
    }

    fn derive(text: &str) -> Vec<Quotation> {
        Quotation::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derive_from_a_quoted_response() {
        assert_eq!(derive("\n\"The whole answer.\"  "), [Quotation]);
    }

    #[test]
    fn derive_nothing_unless_wrapped_around_words() {
        assert!(derive("\"Only the start\" is quoted.").is_empty());
        assert!(derive("“Curly quotes.”").is_empty());
        assert!(derive("\"\"").is_empty());
        assert!(derive("\" ... \"").is_empty());
        assert!(derive("").is_empty());
    }
}
