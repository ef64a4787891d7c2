//! `startend:end_checker` — the response ends with a given phrase.

use serde_json::{Map, Value};

use crate::checks::{
    lowered_run_len, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response ends with the phrase, ignoring case: IFEval's
/// `response.strip().strip('"').lower().endswith(end_phrase.strip().lower())`. Surrounding
/// whitespace is ignored, and so are double quotes around the whole response (`"… Any other
/// questions?"` passes); anything else after the phrase — even a final period — fails.
///
/// # Parameters
/// `end_phrase`: stored stripped, as IFEval stores it. An empty phrase is allowed (and always
/// matches, as in IFEval).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"end_phrase": "Any other questions?"});
/// let c = Constraint::from_ifeval("startend:end_checker", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Done. any other questions?\n")).passed());
/// assert!(!c.verify(&Analysis::new("Any other questions? Thanks.")).passed());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndChecker {
    /// The phrase, stripped.
    pub end_phrase: String,
    /// `end_phrase.lower()`, what the response's end is compared with.
    lowered: String,
}

impl Check for EndChecker {
    const INFO: CheckInfo = CheckInfo {
        id: "startend:end_checker",
        title: "End with a phrase",
        description: "The response ends with the exact phrase, ignoring case. Surrounding \
                      whitespace and double quotes around the whole response are ignored; \
                      nothing else may follow the phrase.",
        divergence: None,
        params: &[Param {
            name: "end_phrase",
            doc: "the phrase the response must end with",
            kind: ParamKind::Text { default: "Any other questions?" },
        }],
        example: Example {
            kwargs: r#"{"end_phrase": "Is there anything else I can help with?"}"#,
            pass: "Here is the plan. Is there anything else I can help with?",
            fail: "Is there anything else I can help with? Bye.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<EndChecker, SpecError> {
        let end_phrase = pystr::strip(kw.string("end_phrase")?).to_owned();
        let lowered = pystr::lower(&end_phrase);
        Ok(EndChecker { end_phrase, lowered })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("end_phrase".to_owned(), self.end_phrase.as_str().into());
        m
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let full = text.text();
        let unspaced = pystr::strip(full);
        let stripped = unspaced.trim_matches('"');
        // Byte offset of `stripped` in the text (both strips only remove a prefix and a suffix).
        let base = (full.len() - pystr::lstrip(full).len())
            + (unspaced.len() - unspaced.trim_start_matches('"').len());
        let lowered = pystr::lower(stripped);
        if lowered.ends_with(&self.lowered) {
            let len = tail_len(stripped, self.lowered.chars().count());
            let end = base + stripped.len();
            return Verdict::pass(format!("ends with \"{}\"", self.end_phrase))
                .with_evidence(vec![Span::new(end - len, end)]);
        }
        // Show the last line of the response, where the phrase was expected.
        let line_start = stripped.rfind('\n').map_or(0, |i| i + 1);
        let last = stripped.get(line_start..).unwrap_or("");
        let shown: String = {
            let n = last.chars().count();
            let tail: String = last.chars().skip(n.saturating_sub(40)).collect();
            if n > 40 {
                format!("…{tail}")
            } else {
                tail
            }
        };
        let verdict =
            Verdict::fail(format!("ends with \"{shown}\"; needs \"{}\"", self.end_phrase));
        if last.is_empty() {
            verdict
        } else {
            verdict.with_evidence(vec![Span::new(base + line_start, base + stripped.len())])
        }
    }
}

/// The byte length of the shortest suffix of `s` whose lowercase has at least `chars` characters
/// (every character lowercases to one, except `İ` to two).
fn tail_len(s: &str, chars: usize) -> usize {
    lowered_run_len(s.chars().rev(), chars)
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, constraint, evidence, verify};

    const ID: &str = "startend:end_checker";
    const ANY: &str = r#"{"end_phrase": "Any other questions?"}"#;

    #[test]
    fn ends_with_phrase_ignoring_case_and_whitespace() {
        assert_pass(ID, ANY, "Text.\nAny other questions?");
        assert_pass(ID, ANY, "Text. ANY OTHER QUESTIONS?  \n\n");
        assert_fail(ID, ANY, "Any other questions?.");
        assert_fail(ID, ANY, "Any other questions");
        let text = "Hi. Any other questions?\n";
        let v = verify(ID, ANY, text);
        assert_eq!(v.detail, "ends with \"Any other questions?\"");
        assert_eq!(evidence(&v, text), ["Any other questions?"]);
    }

    #[test]
    fn surrounding_double_quotes_are_ignored() {
        assert_pass(ID, ANY, "\"Hi. Any other questions?\"");
        assert_pass(ID, ANY, " \"\"Any other questions?\"\" ");
        // Whitespace inside the quotes is not stripped again.
        assert_fail(ID, ANY, "\"Any other questions? \"");
        assert_fail(ID, ANY, "Any other questions?'");
    }

    #[test]
    fn failure_points_at_the_last_line() {
        let text = "Any other questions?\nBye.";
        let v = verify(ID, ANY, text);
        assert_eq!(v.detail, "ends with \"Bye.\"; needs \"Any other questions?\"");
        assert_eq!(evidence(&v, text), ["Bye."]);
    }

    #[test]
    fn phrase_is_stored_stripped_and_may_be_empty() {
        let c = constraint(ID, r#"{"end_phrase": "  Bye.\n"}"#);
        assert_eq!(c.kwargs()["end_phrase"], "Bye.");
        assert_pass(ID, r#"{"end_phrase": " "}"#, "anything");
    }

    #[test]
    fn lowercasing_is_full() {
        // `İ` lowercases to two characters on both sides.
        let text = "x İstanbul";
        let v = verify(ID, r#"{"end_phrase": "İSTANBUL"}"#, text);
        assert!(v.passed());
        assert_eq!(evidence(&v, text), ["İstanbul"]);
    }
}
