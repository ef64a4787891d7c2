//! `combination:repeat_prompt` — the response starts by repeating the request.

use serde_json::{Map, Value};

use crate::checks::{
    lowered_run_len, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response, stripped and lowercased, starts with the request to repeat, stripped and
/// lowercased (IFEval's `value.strip().lower().startswith(prompt_to_repeat.strip().lower())`).
/// Only case and surrounding whitespace are forgiven: the repeat must be otherwise exact,
/// including punctuation and inner whitespace.
///
/// # Parameters
/// `prompt_to_repeat`: the request, a non-empty string (kept as given).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"prompt_to_repeat": "Write a haiku."});
/// let c = Constraint::from_ifeval("combination:repeat_prompt", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("write a HAIKU. Leaves fall...")).passed());
/// assert!(!c.verify(&Analysis::new("Sure! Write a haiku. Leaves fall...")).passed());
/// ```
///
/// # IFEval equivalence
/// An empty `prompt_to_repeat` is refused, as Google's code refuses it (`ValueError`). A
/// whitespace-only one is accepted and, as in IFEval, always matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatPrompt {
    /// The request to repeat, as given.
    pub prompt_to_repeat: String,
    /// `prompt_to_repeat.strip().lower()`.
    lowered: String,
}

impl Check for RepeatPrompt {
    const INFO: CheckInfo = CheckInfo {
        id: "combination:repeat_prompt",
        title: "Repeat the request first",
        description: "The response begins with the request, word for word, before answering. \
                      Case and surrounding whitespace are ignored; everything else must match \
                      exactly.",
        divergence: None,
        params: &[Param {
            name: "prompt_to_repeat",
            doc: "the request the response must start with",
            kind: ParamKind::Text { default: "Write a haiku about the sea." },
        }],
        example: Example {
            kwargs: r#"{"prompt_to_repeat": "Write a haiku about the sea."}"#,
            pass: "Write a haiku about the sea.\n\nWaves fold into foam...",
            fail: "Here is a haiku about the sea: waves fold into foam...",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<RepeatPrompt, SpecError> {
        let prompt = kw.string("prompt_to_repeat")?;
        if prompt.is_empty() {
            return Err(kw.invalid("prompt_to_repeat", "must not be empty"));
        }
        Ok(RepeatPrompt {
            prompt_to_repeat: prompt.to_owned(),
            lowered: pystr::lower(pystr::strip(prompt)),
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("prompt_to_repeat".to_owned(), self.prompt_to_repeat.as_str().into());
        m
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let full = text.text();
        let v = pystr::strip(full);
        let base = full.len() - pystr::lstrip(full).len();
        let lowered = pystr::lower(v);
        if lowered.starts_with(&self.lowered) {
            let len = head_len(v, self.lowered.chars().count());
            return Verdict::pass("starts with the request")
                .with_evidence(vec![Span::new(base, base + len)]);
        }
        // Where the response departs from the request, in lowered characters.
        let same = lowered.chars().zip(self.lowered.chars()).take_while(|(a, b)| a == b).count();
        let agreed = head_len(v, same);
        let next = v.get(agreed..).and_then(|r| r.chars().next());
        let detail = match next {
            None => format!(
                "stops after {same} of the request's {} characters",
                self.lowered.chars().count()
            ),
            Some(c) => format!("departs from the request at character {}: `{c}`", same + 1),
        };
        let evidence = match next {
            Some(c) => vec![Span::new(base + agreed, base + agreed + c.len_utf8())],
            None => Vec::new(),
        };
        Verdict::fail(detail).with_evidence(evidence)
    }
}

/// The byte length of the shortest prefix of `s` whose lowercase has at least `chars`
/// characters (every character lowercases to one, except `İ` to two).
fn head_len(s: &str, chars: usize) -> usize {
    lowered_run_len(s.chars(), chars)
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};
    use crate::checks::Constraint;

    const ID: &str = "combination:repeat_prompt";
    const HAIKU: &str = r#"{"prompt_to_repeat": "  Write a haiku. "}"#;

    #[test]
    fn starts_with_the_request_ignoring_case_and_outer_whitespace() {
        assert_pass(ID, HAIKU, "\n WRITE A HAIKU. Leaves.");
        assert_pass(ID, HAIKU, "Write a haiku.");
        assert_fail(ID, HAIKU, "Write a haiku");
        assert_fail(ID, HAIKU, "Write  a haiku.");
        let text = "  Write a haiku. Leaves.";
        let v = verify(ID, HAIKU, text);
        assert_eq!(evidence(&v, text), ["Write a haiku."]);
    }

    #[test]
    fn failure_points_at_the_departure() {
        let text = "Write a poem.";
        let v = verify(ID, HAIKU, text);
        assert_eq!(v.detail, "departs from the request at character 9: `p`");
        assert_eq!(evidence(&v, text), ["p"]);
        let v = verify(ID, HAIKU, "Write");
        assert_eq!(v.detail, "stops after 5 of the request's 14 characters");
    }

    #[test]
    fn empty_prompt_is_refused_but_blank_always_matches() {
        let empty = serde_json::json!({"prompt_to_repeat": ""});
        assert!(Constraint::from_ifeval(ID, &empty).is_err());
        assert!(Constraint::from_ifeval(ID, &serde_json::Value::Null).is_err());
        assert_pass(ID, r#"{"prompt_to_repeat": " "}"#, "anything");
    }
}
