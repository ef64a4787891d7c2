//! `detectable_format:json_format` — the whole response is JSON, optionally in a code fence.

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{json, pystr, Analysis, Span};

/// # What it checks
/// After IFEval's fence stripping, the response is accepted by Python's `json.loads`:
/// 1. strip surrounding whitespace;
/// 2. remove the prefixes "```json", "```Json", "```JSON" and "```", one after the other (each
///    removed only if present, so "```json```{}" loses both);
/// 3. remove one trailing "```", strip again.
///
/// What remains must be one JSON value as Python reads it: any top-level value (`42`, `"s"`),
/// `NaN`/`Infinity`, duplicate keys (see [`crate::text::json`]). Other fence languages
/// ("```js") or prose around the JSON fail.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("detectable_format:json_format", &serde_json::Value::Null)
///     .unwrap();
/// assert!(c.verify(&Analysis::new("```json\n{\"a\": [1, 2]}\n```")).passed());
/// assert!(!c.verify(&Analysis::new("Here it is: {\"a\": 1}")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical, including JSON that only Python accepts (`NaN`, a bare number). Nesting deeper
/// than [`json::MAX_DEPTH`] levels, where Python itself crashes with `RecursionError`, fails.
///
/// # Derivation
/// Derived when the response passes and its JSON is an object or an array: a response that is
/// a bare number or string is valid JSON by accident, not a JSON answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonFormat;

/// The fence prefixes IFEval removes, in its order.
const PREFIXES: [&str; 4] = ["```json", "```Json", "```JSON", "```"];

/// The part of `text` that IFEval hands to `json.loads`, as a span.
pub fn json_body(text: &str) -> Span {
    let stripped = pystr::strip(text);
    let mut start = text.len() - pystr::lstrip(text).len();
    let mut body = stripped;
    for prefix in PREFIXES {
        if let Some(rest) = body.strip_prefix(prefix) {
            body = rest;
            start += prefix.len();
        }
    }
    if let Some(rest) = body.strip_suffix("```") {
        body = rest;
    }
    start += body.len() - pystr::lstrip(body).len();
    let body = pystr::strip(body);
    Span::new(start, start + body.len())
}

impl Check for JsonFormat {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_format:json_format",
        title: "JSON",
        description: "The whole response is one JSON value as Python's `json.loads` reads it, \
                      optionally wrapped in a Markdown code fence (```` ``` ```` or \
                      ```` ```json ````). Prose around the JSON, or another fence language, \
                      fails.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "```json\n{\"name\": \"crab\", \"legs\": 10}\n```",
            fail: "{\"name\": \"crab\", \"legs\": 10,}",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<JsonFormat, SpecError> {
        Ok(JsonFormat)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let span = json_body(text);
        let body = span.slice(text);
        match json::python_json_loads(body) {
            Ok(()) => Verdict::pass("valid JSON").with_evidence(vec![span]),
            Err(e) => {
                // Point at the character where Python's decoder gave up.
                let at = span.start + e.byte_pos.min(body.len());
                let end =
                    text.get(at..).and_then(|r| r.chars().next()).map_or(at, |c| at + c.len_utf8());
                Verdict::fail(format!("not valid JSON: {e}"))
                    .with_evidence(vec![Span::new(at, end)])
            }
        }
    }

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<JsonFormat> {
        let body = json_body(text.text()).slice(text.text());
        let structured = body.starts_with('{') || body.starts_with('[');
        if structured && json::python_json_loads(body).is_ok() {
            vec![JsonFormat]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{json_body, JsonFormat};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "detectable_format:json_format";

    #[test]
    fn fences_are_stripped_in_googles_order() {
        assert_pass(ID, "{}", "```json\n{\"a\": 1}\n```");
        assert_pass(ID, "{}", "```JSON {\"a\": 1}```");
        assert_pass(ID, "{}", "```\n[1, 2]\n```\n");
        assert_pass(ID, "{}", "  {\"a\": 1}  ");
        // Chained removeprefix: both fences at the start go.
        assert_pass(ID, "{}", "```json```{\"a\": 1}");
        // Only one suffix is removed.
        assert_fail(ID, "{}", "{\"a\": 1}``````");
    }

    #[test]
    fn other_fence_languages_and_prose_fail() {
        assert_fail(ID, "{}", "```js\n{\"a\": 1}\n```");
        assert_fail(ID, "{}", "```jsonc\n{\"a\": 1}\n```");
        assert_fail(ID, "{}", "Sure! {\"a\": 1}");
        assert_fail(ID, "{}", "```json\n{\"a\": 1}\n``` done");
    }

    #[test]
    fn python_json_quirks_pass() {
        assert_pass(ID, "{}", "42");
        assert_pass(ID, "{}", "\"just a string\"");
        assert_pass(ID, "{}", "{\"x\": NaN, \"x\": -Infinity}");
        assert_fail(ID, "{}", "{'a': 1}");
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn evidence_is_the_body_or_the_error_position() {
        let text = "```json\n {\"a\": 1} \n```";
        assert_eq!(json_body(text).slice(text), "{\"a\": 1}");
        let v = verify(ID, "{}", text);
        assert_eq!(evidence(&v, text), ["{\"a\": 1}"]);
        let text = "[1, 2,]";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "not valid JSON: Expecting value: line 1 column 7 (char 6)");
        assert_eq!(evidence(&v, text), ["]"]);
    }

    #[test]
    fn derived_for_fenced_objects_and_arrays_only() {
        let derive = |t: &str| JsonFormat::derive(&analysis(t), &mut DeriveContext::new("", 3));
        let text = "```json\n{\"crab\": [1, 2]}\n```";
        assert_eq!(derive(text), [JsonFormat]);
        assert!(JsonFormat.verify(&analysis(text)).passed());
        assert_eq!(derive(" [1, NaN] "), [JsonFormat]);
        assert!(derive("42").is_empty());
        assert!(derive("\"text\"").is_empty());
        assert!(derive("Here: {\"a\": 1}").is_empty());
        assert!(derive("").is_empty());
    }
}
