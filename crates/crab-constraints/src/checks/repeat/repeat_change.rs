//! `repeat:repeat_change` — repeat the request with its first word changed (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

/// # What it checks
/// The response is not `prompt_to_repeat` itself, but once the first word of each is dropped
/// they are the same: `" ".join(s.split()[1:])` of both are equal. Words are split on Python
/// whitespace, so spacing and line breaks do not matter after the first word; case does.
///
/// # Parameters
/// `prompt_to_repeat` (text): the request to repeat.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kw = serde_json::json!({"prompt_to_repeat": "Write a poem about cats."});
/// let c = Constraint::from_ifeval("repeat:repeat_change", &kw).unwrap();
/// assert!(c.verify(&Analysis::new("Compose a poem about cats.")).passed());
/// assert!(!c.verify(&Analysis::new("Write a poem about cats.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `RepeatChangeChecker` (after its fix in c94da02). An unchanged first word passes too
/// when the response differs from the request only in spacing, as in HEAD.
///
/// # Derivation
/// None: it depends on a request to repeat, which a response to another task does not repeat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatChange {
    /// The request to repeat.
    pub prompt_to_repeat: String,
}

impl Check for RepeatChange {
    const INFO: CheckInfo = CheckInfo {
        id: "repeat:repeat_change",
        title: "Repeat the request, first word changed",
        description: "The response repeats `prompt_to_repeat` with its first word changed: \
                      it differs from the request, and the two are equal once the first word \
                      of each is dropped (words split on whitespace).",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[Param {
            name: "prompt_to_repeat",
            doc: "the request to repeat",
            kind: ParamKind::Text { default: "Write a poem about cats." },
        }],
        example: Example {
            kwargs: r#"{"prompt_to_repeat": "Write a poem about cats."}"#,
            pass: "Compose a poem about cats.",
            fail: "Write a poem about cats.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<RepeatChange, SpecError> {
        let prompt = kw.string("prompt_to_repeat")?;
        if prompt.is_empty() {
            return Err(kw.invalid("prompt_to_repeat", "must not be empty"));
        }
        Ok(RepeatChange { prompt_to_repeat: prompt.to_owned() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("prompt_to_repeat", self.prompt_to_repeat.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let value = text.text();
        if value == self.prompt_to_repeat {
            return Verdict::fail("the response is the request unchanged");
        }
        if rest(value) == rest(&self.prompt_to_repeat) {
            Verdict::pass("after the first word, the response and the request are the same")
        } else {
            Verdict::fail("after the first word, the response is not the request")
        }
    }
}

/// `" ".join(s.split()[1:])`.
fn rest(s: &str) -> String {
    let words: Vec<&str> = pystr::split_whitespace(s).skip(1).map(|w| w.slice(s)).collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass};

    const ID: &str = "repeat:repeat_change";
    const KW: &str = r#"{"prompt_to_repeat": "Explain the  theory\nof everything."}"#;

    #[test]
    fn first_word_changed_rest_equal() {
        assert_pass(ID, KW, "Describe the theory of everything.");
        // Whitespace after the first word is normalised, as `split()` + `join`.
        assert_pass(ID, KW, "Explain the theory of everything.");
        assert_fail(ID, KW, "Explain the  theory\nof everything.");
        assert_fail(ID, KW, "Describe the theory of Everything.");
        assert_fail(ID, KW, "Describe the theory of everything. Sure!");
    }
}
