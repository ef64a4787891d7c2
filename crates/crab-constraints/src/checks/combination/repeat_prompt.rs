//! `combination:repeat_prompt` — the response starts by repeating the request.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, lowered_run_len, Check, CheckInfo, DeriveContext, Example, Kwargs, Param,
    ParamKind, SpecError, Verdict,
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
///
/// # Derivation
/// From a response that starts by repeating the instruction it answers (`cx.instruction`),
/// case aside: the whole instruction, or — when the response repeats only its opening lines, as
/// when an instruction asks "First repeat the request…" on a later line — those whole lines.
/// The repeat must be followed by whitespace or end the response (not stop inside a word), and
/// must be at least three words long. Nothing when the instruction is blank.
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
        needs: &[],
        derives: true,
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
        kwargs_map([("prompt_to_repeat", self.prompt_to_repeat.as_str().into())])
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

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<RepeatPrompt> {
        let instruction = pystr::strip(cx.instruction);
        let response = pystr::strip(text.text());
        if instruction.is_empty() || response.is_empty() {
            return Vec::new();
        }
        // How much of the instruction the response repeats, comparing lowercased characters.
        let mut agreed = 0;
        let mut rest = response.chars();
        let (mut a, mut b) = ([0; 4], [0; 4]);
        for c in instruction.chars() {
            let Some(d) = rest.next() else { break };
            if c != d && pystr::lower(c.encode_utf8(&mut a)) != pystr::lower(d.encode_utf8(&mut b))
            {
                break;
            }
            agreed += c.len_utf8();
        }
        // The whole instruction, or its whole lines that were repeated.
        let cut = if agreed == instruction.len() {
            agreed
        } else {
            match instruction.get(..agreed).and_then(|s| s.rfind('\n')) {
                Some(i) => i,
                None => return Vec::new(),
            }
        };
        let prompt = pystr::strip(instruction.get(..cut).unwrap_or(""));
        if pystr::split_whitespace(prompt).count() < 3 {
            return Vec::new();
        }
        let derived =
            RepeatPrompt { prompt_to_repeat: prompt.to_owned(), lowered: pystr::lower(prompt) };
        let verdict = derived.verify(text);
        let Some(repeat) = verdict.evidence.first().filter(|_| verdict.passed()) else {
            return Vec::new();
        };
        let next = text.text().get(repeat.end..).and_then(|s| s.chars().next());
        if next.is_some_and(|c| !pystr::is_space(c)) {
            return Vec::new();
        }
        vec![derived]
    }
}

/// The byte length of the shortest prefix of `s` whose lowercase has at least `chars`
/// characters (every character lowercases to one, except `İ` to two).
fn head_len(s: &str, chars: usize) -> usize {
    lowered_run_len(s.chars(), chars)
}

#[cfg(test)]
mod tests {
    use super::RepeatPrompt;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, Constraint, DeriveContext};

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

    fn derive(instruction: &str, text: &str) -> Vec<String> {
        let mut cx = DeriveContext::new(instruction, 1);
        let derived = RepeatPrompt::derive(&analysis(text), &mut cx);
        for c in &derived {
            assert!(c.verify(&analysis(text)).passed(), "{c:?}");
        }
        derived.into_iter().map(|c| c.prompt_to_repeat).collect()
    }

    #[test]
    fn derive_the_whole_instruction_when_repeated() {
        let instruction = " Write a haiku about the sea.\n";
        assert_eq!(
            derive(instruction, "WRITE A HAIKU ABOUT THE SEA.\n\nWaves fold into foam."),
            ["Write a haiku about the sea."]
        );
        assert_eq!(
            derive(instruction, "Write a haiku about the sea."),
            ["Write a haiku about the sea."]
        );
    }

    #[test]
    fn derive_the_repeated_opening_lines() {
        let instruction = "Write a haiku about the sea.\nUse no commas.\nFirst repeat the request.";
        let text = "Write a haiku about the sea.\nUse no commas.\n\nWaves fold into foam.";
        assert_eq!(derive(instruction, text), ["Write a haiku about the sea.\nUse no commas."]);
    }

    #[test]
    fn derive_nothing_without_a_whole_repeat() {
        let instruction = "Write a haiku about the sea.\nFirst repeat the request.";
        // Only part of the first line.
        assert!(derive(instruction, "Write a haiku about the moon.").is_empty());
        // Repeated, but running on into a word.
        assert!(
            derive("Write a haiku about the sea", "Write a haiku about the seashore.").is_empty()
        );
        // Too short to be a request, or no instruction at all.
        assert!(derive("Hi there\nRepeat it.", "Hi there\nHello!").is_empty());
        assert!(derive("", "Anything at all here.").is_empty());
        assert!(derive("  \n ", "Anything at all here.").is_empty());
        assert!(derive("Write a haiku about the sea.", "").is_empty());
    }
}
