//! `repeat:repeat_span` — copy a span of the request, given by character indices (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response, stripped and lowercased, equals the span of `prompt_to_repeat` from character
/// `n_start` to character `n_end`, both included (Python's `prompt[n_start:n_end + 1]`, in
/// code points, clamped to the prompt), stripped and lowercased.
///
/// # Parameters
/// `prompt_to_repeat` (text), `n_start` and `n_end` (whole numbers ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kw = serde_json::json!({"prompt_to_repeat": "The walls are solid.", "n_start": 4, "n_end": 8});
/// let c = Constraint::from_ifeval("repeat:repeat_span", &kw).unwrap();
/// assert!(c.verify(&Analysis::new("Walls")).passed());
/// assert!(!c.verify(&Analysis::new("The walls")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `RepeatSpanChecker` (character indices, inclusive end, since 2026-04).
///
/// # Derivation
/// None: it depends on a request to copy from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatSpan {
    /// The request to copy from.
    pub prompt_to_repeat: String,
    /// The span's first character (0-based).
    pub n_start: i64,
    /// The span's last character (included).
    pub n_end: i64,
}

impl Check for RepeatSpan {
    const INFO: CheckInfo = CheckInfo {
        id: "repeat:repeat_span",
        title: "Copy a span of the request",
        description: "The response is exactly the characters `n_start` to `n_end` (both \
                      included, counted from 0) of `prompt_to_repeat`, ignoring case and \
                      surrounding whitespace.",
        divergence: Some(
            "IFBench picks random indices when they are missing, and crashes on float \
             indices; here both must be given, as whole numbers of at least 0 (`3.0` is 3).",
        ),
        needs: &[],
        derives: false,
        params: &[
            Param {
                name: "prompt_to_repeat",
                doc: "the request to copy from",
                kind: ParamKind::Text { default: "The walls are solid." },
            },
            Param {
                name: "n_start",
                doc: "the first character of the span (from 0)",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 4 },
            },
            Param {
                name: "n_end",
                doc: "the last character of the span (included)",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 8 },
            },
        ],
        example: Example {
            kwargs: r#"{"prompt_to_repeat": "The walls are solid.", "n_start": 4, "n_end": 8}"#,
            pass: "Walls",
            fail: "The walls",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<RepeatSpan, SpecError> {
        let prompt = kw.string("prompt_to_repeat")?;
        if prompt.is_empty() {
            return Err(kw.invalid("prompt_to_repeat", "must not be empty"));
        }
        Ok(RepeatSpan {
            prompt_to_repeat: prompt.to_owned(),
            n_start: kw.int("n_start", 0)?,
            n_end: kw.int("n_end", 0)?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("n_end", self.n_end.into()),
            ("n_start", self.n_start.into()),
            ("prompt_to_repeat", self.prompt_to_repeat.clone().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let span = self.span();
        let s = text.text();
        let stripped = pystr::strip(s);
        if pystr::lower(stripped) == pystr::lower(pystr::strip(span)) {
            let start = stripped.as_ptr() as usize - s.as_ptr() as usize;
            return Verdict::pass(format!("the response is the span \"{span}\""))
                .with_evidence(vec![Span::new(start, start + stripped.len())]);
        }
        Verdict::fail(format!("the response is not the span \"{span}\" (case aside)"))
    }
}

impl RepeatSpan {
    /// `prompt[n_start:n_end + 1]`, by code points.
    fn span(&self) -> &str {
        let p = self.prompt_to_repeat.as_str();
        let byte = |chars: i64| {
            usize::try_from(chars)
                .ok()
                .and_then(|n| p.char_indices().nth(n).map(|(i, _)| i))
                .unwrap_or(p.len())
        };
        let start = byte(self.n_start);
        let end = byte(self.n_end.saturating_add(1)).max(start);
        p.get(start..end).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass};

    const ID: &str = "repeat:repeat_span";

    #[test]
    fn inclusive_character_span() {
        let kw = r#"{"prompt_to_repeat": "héllo wörld", "n_start": 1, "n_end": 6}"#;
        assert_pass(ID, kw, " ÉLLO W\n");
        assert_pass(ID, kw, "éllo w");
        assert_fail(ID, kw, "éllo wö");
        // Past the end is clamped, as Python's slices are.
        assert_pass(ID, r#"{"prompt_to_repeat": "abc", "n_start": 1, "n_end": 99}"#, "BC");
        // An empty span passes only on an empty response.
        assert_fail(ID, r#"{"prompt_to_repeat": "abc", "n_start": 5, "n_end": 9}"#, "x");
        assert_pass(ID, r#"{"prompt_to_repeat": "abc", "n_start": 2, "n_end": 0}"#, "");
    }
}
