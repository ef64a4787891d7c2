//! IFEval's data rows: the input rows (`{key, prompt, instruction_id_list, kwargs}`), the
//! response rows (`{prompt, response}`) and the result rows Google's evaluation writes
//! (`eval_results_{strict,loose}.jsonl`), read from parsed JSON values into typed rows.
//!
//! Parsing is separate from building constraints so that a caller can report every bad line of
//! a file (with its own file and line numbers) before any scoring starts. Extra fields are
//! ignored in both kinds of row, as Google's reader does. Where Google's code would crash or
//! pick random values (a missing field, a kwargs list shorter than the id list, an unknown id,
//! a missing parameter), we refuse with an error naming the field, the id and the row's key.

use std::fmt;

use serde_json::{Map, Value};

use crate::checks::kwargs::kind;
use crate::checks::Constraint;
use crate::text::pystr;

/// Why a row could not be read or its constraints could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    message: String,
}

impl RowError {
    pub(crate) fn new(message: String) -> RowError {
        RowError { message }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RowError {}

/// One row of an IFEval input file.
#[derive(Clone, Debug, PartialEq)]
pub struct InputRow {
    /// The row's key, as given (an integer in Google's data; any JSON value is kept and shown
    /// as JSON in messages).
    pub key: Value,
    /// The prompt; responses are matched to it by exact string equality.
    pub prompt: String,
    /// The instruction ids, in order (repeats are allowed and scored by position).
    pub instruction_id_list: Vec<String>,
    /// The kwargs of each instruction, aligned by index with the ids (objects or `null`).
    pub kwargs: Vec<Value>,
}

fn take_field(map: &mut Map<String, Value>, name: &str) -> Result<Value, RowError> {
    map.remove(name).ok_or_else(|| RowError::new(format!("missing field `{name}`")))
}

fn take_string(map: &mut Map<String, Value>, name: &str) -> Result<String, RowError> {
    match take_field(map, name)? {
        Value::String(s) => Ok(s),
        other => {
            Err(RowError::new(format!("field `{name}` must be a string, got {}", kind(&other))))
        }
    }
}

fn not_an_object(what: &str, row: &Value) -> RowError {
    RowError::new(format!("{what} must be a JSON object, got {}", kind(row)))
}

impl InputRow {
    /// Reads an input row from a parsed JSON line. The row must be an object with `key`,
    /// `prompt` (string), `instruction_id_list` (list of strings) and `kwargs` (a list of
    /// objects or `null`s, as long as the id list); other fields are ignored.
    pub fn from_json(row: Value) -> Result<InputRow, RowError> {
        let Value::Object(mut map) = row else {
            return Err(not_an_object("an input row", &row));
        };
        let key = take_field(&mut map, "key")?;
        let with_key = |e: RowError| RowError::new(format!("key {key}: {e}"));
        let prompt = take_string(&mut map, "prompt").map_err(with_key)?;
        let ids = match take_field(&mut map, "instruction_id_list").map_err(with_key)? {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Ok(s),
                    other => Err(with_key(RowError::new(format!(
                        "field `instruction_id_list` must hold strings, but item {i} is {}",
                        kind(&other)
                    )))),
                })
                .collect::<Result<Vec<String>, RowError>>()?,
            other => {
                return Err(with_key(RowError::new(format!(
                    "field `instruction_id_list` must be a list of strings, got {}",
                    kind(&other)
                ))))
            }
        };
        let kwargs = match take_field(&mut map, "kwargs").map_err(with_key)? {
            Value::Array(items) => items,
            other => {
                return Err(with_key(RowError::new(format!(
                    "field `kwargs` must be a list, got {}",
                    kind(&other)
                ))))
            }
        };
        if kwargs.len() != ids.len() {
            return Err(with_key(RowError::new(format!(
                "field `kwargs` has {} entries but `instruction_id_list` has {}",
                kwargs.len(),
                ids.len()
            ))));
        }
        if let Some((i, (bad, id))) = kwargs
            .iter()
            .zip(&ids)
            .enumerate()
            .find(|(_, (k, _))| !matches!(k, Value::Object(_) | Value::Null))
        {
            return Err(with_key(RowError::new(format!(
                "field `kwargs` item {i} (for `{id}`) must be an object, got {}",
                kind(bad)
            ))));
        }
        Ok(InputRow { key, prompt, instruction_id_list: ids, kwargs })
    }

    /// Builds the row's constraints, one per instruction id, in order. Errors name the row's
    /// key, the id and the field (unknown ids, missing or ill-typed parameters, unexpected
    /// parameters; `null` values count as absent).
    pub fn constraints(&self) -> Result<Vec<Constraint>, RowError> {
        self.instruction_id_list
            .iter()
            .zip(&self.kwargs)
            .map(|(id, kwargs)| {
                Constraint::from_ifeval(id, kwargs)
                    .map_err(|e| RowError::new(format!("key {}: {e}", self.key)))
            })
            .collect()
    }
}

/// One row of an IFEval response file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseRow {
    /// The prompt the response answers.
    pub prompt: String,
    /// The model's response.
    pub response: String,
}

impl ResponseRow {
    /// Reads a response row: any JSON object with string fields `prompt` and `response` (other
    /// fields are ignored).
    pub fn from_json(row: Value) -> Result<ResponseRow, RowError> {
        let Value::Object(mut map) = row else {
            return Err(not_an_object("a response row", &row));
        };
        let prompt = take_string(&mut map, "prompt")?;
        let response = take_string(&mut map, "response")?;
        Ok(ResponseRow { prompt, response })
    }
}

/// One line of Google's `eval_results_strict.jsonl` or `eval_results_loose.jsonl`: what a
/// previous run decided for one prompt, in one mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// The prompt.
    pub prompt: String,
    /// The instruction ids, in order.
    pub instruction_id_list: Vec<String>,
    /// Whether each instruction was followed, aligned with the ids.
    pub follow_instruction_list: Vec<bool>,
    /// The response that was scored.
    pub response: String,
}

impl ResultRow {
    /// Reads a result row. The object must have `prompt` and `response` (strings),
    /// `instruction_id_list` (strings), `follow_instruction_list` (booleans, as many as the ids)
    /// and `follow_all_instructions` (a boolean, true exactly when every instruction was
    /// followed, as Google computes it); other fields are ignored.
    pub fn from_json(row: Value) -> Result<ResultRow, RowError> {
        let Value::Object(mut map) = row else {
            return Err(not_an_object("a result row", &row));
        };
        let prompt = take_string(&mut map, "prompt")?;
        let response = take_string(&mut map, "response")?;
        let instruction_id_list = take_list(&mut map, "instruction_id_list", "strings", |v| {
            if let Value::String(s) = v {
                Ok(s)
            } else {
                Err(v)
            }
        })?;
        let follow_instruction_list =
            take_list(&mut map, "follow_instruction_list", "booleans", |v| v.as_bool().ok_or(v))?;
        if follow_instruction_list.len() != instruction_id_list.len() {
            return Err(RowError::new(format!(
                "field `follow_instruction_list` has {} entries but `instruction_id_list` has {}",
                follow_instruction_list.len(),
                instruction_id_list.len()
            )));
        }
        let all = follow_instruction_list.iter().all(|&b| b);
        match take_field(&mut map, "follow_all_instructions")? {
            Value::Bool(b) if b == all => {}
            Value::Bool(b) => {
                return Err(RowError::new(format!(
                "field `follow_all_instructions` is {b}, but `follow_instruction_list` says {all}"
            )))
            }
            other => {
                return Err(RowError::new(format!(
                    "field `follow_all_instructions` must be a boolean, got {}",
                    kind(&other)
                )))
            }
        }
        Ok(ResultRow { prompt, instruction_id_list, follow_instruction_list, response })
    }
}

/// Takes a list field whose items `item` accepts (or hands back, to be named in the error).
fn take_list<T>(
    map: &mut Map<String, Value>,
    name: &str,
    what: &str,
    item: impl Fn(Value) -> Result<T, Value>,
) -> Result<Vec<T>, RowError> {
    match take_field(map, name)? {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                item(v).map_err(|v| {
                    RowError::new(format!(
                        "field `{name}` must hold {what}, but item {i} is {}",
                        kind(&v)
                    ))
                })
            })
            .collect(),
        other => Err(RowError::new(format!(
            "field `{name}` must be a list of {what}, got {}",
            kind(&other)
        ))),
    }
}

/// Removes a reasoning model's thinking from `response`:
///
/// - if the response starts (after Python whitespace) with `<think>`, everything up to and
///   including the first `</think>` goes, with the whitespace after it; an unclosed `<think>`
///   means the model never finished thinking, and the result is empty (so it fails every
///   instruction);
/// - if the response holds a `</think>` with no `<think>` before it (the opening tag was part
///   of the chat template, as with DeepSeek-R1), everything up to and including it goes, with the
///   whitespace after it;
/// - otherwise the response is returned unchanged.
///
/// The rest of the answer is not stripped: strict mode sees it as the model wrote it.
pub fn strip_think(response: &str) -> &str {
    const OPEN: &str = "<think>";
    const CLOSE: &str = "</think>";
    let after_close = |from: usize| -> Option<&str> {
        let rest = response.get(from..)?;
        let at = rest.find(CLOSE)?;
        rest.get(at + CLOSE.len()..).map(pystr::lstrip)
    };
    let body = pystr::lstrip(response);
    if body.starts_with(OPEN) {
        let start = response.len() - body.len() + OPEN.len();
        return after_close(start).unwrap_or("");
    }
    match (response.find(OPEN), response.find(CLOSE)) {
        (None, Some(_)) => after_close(0).unwrap_or(response),
        (Some(open), Some(close)) if close < open => after_close(0).unwrap_or(response),
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(v: Value) -> Result<InputRow, String> {
        InputRow::from_json(v).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_googles_rows_and_ignores_extra_fields() {
        let row = input(json!({
            "key": 19, "prompt": "p", "extra": [1],
            "instruction_id_list": ["punctuation:no_comma", "punctuation:no_comma"],
            "kwargs": [{}, null]
        }))
        .unwrap();
        assert_eq!(row.key, json!(19));
        assert_eq!(row.instruction_id_list.len(), 2);
        assert_eq!(row.constraints().unwrap().len(), 2);
    }

    #[test]
    fn malformed_rows_name_the_field_and_key() {
        assert_eq!(
            input(json!([1])).unwrap_err(),
            "an input row must be a JSON object, got a list"
        );
        assert_eq!(input(json!({"prompt": "p"})).unwrap_err(), "missing field `key`");
        assert_eq!(
            input(json!({"key": 7, "prompt": 3, "instruction_id_list": [], "kwargs": []}))
                .unwrap_err(),
            "key 7: field `prompt` must be a string, got a number"
        );
        assert_eq!(
            input(json!({"key": 7, "prompt": "p", "kwargs": []})).unwrap_err(),
            "key 7: missing field `instruction_id_list`"
        );
        assert_eq!(
            input(json!({"key": 7, "prompt": "p", "instruction_id_list": ["a", 1], "kwargs": []}))
                .unwrap_err(),
            "key 7: field `instruction_id_list` must hold strings, but item 1 is a number"
        );
        assert_eq!(
            input(json!({"key": 7, "prompt": "p", "instruction_id_list": ["a"], "kwargs": []}))
                .unwrap_err(),
            "key 7: field `kwargs` has 0 entries but `instruction_id_list` has 1"
        );
        assert_eq!(
            input(json!({"key": 7, "prompt": "p", "instruction_id_list": ["a"], "kwargs": [3]}))
                .unwrap_err(),
            "key 7: field `kwargs` item 0 (for `a`) must be an object, got a number"
        );
    }

    #[test]
    fn constraint_errors_name_the_key_id_and_field() {
        let row = |id: &str, kwargs: Value| {
            InputRow::from_json(json!({
                "key": 1001, "prompt": "p", "instruction_id_list": [id], "kwargs": [kwargs]
            }))
            .unwrap()
            .constraints()
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            row("punctuation:no_semicolon", json!({})),
            "key 1001: unknown instruction id `punctuation:no_semicolon`"
        );
        assert_eq!(
            row("length_constraints:number_words", json!({"relation": "at least"})),
            "key 1001: length_constraints:number_words: parameter `num_words` is missing"
        );
    }

    #[test]
    fn hugging_face_null_kwargs_are_accepted() {
        let row = InputRow::from_json(json!({
            "key": 1, "prompt": "p",
            "instruction_id_list": ["length_constraints:number_words"],
            "kwargs": [{"num_words": 300, "relation": "at least", "keywords": null,
                        "language": null, "num_sentences": null}]
        }))
        .unwrap();
        assert!(row.constraints().is_ok());
    }

    #[test]
    fn response_rows_need_string_prompt_and_response() {
        let ok = ResponseRow::from_json(json!({"prompt": "p", "response": "r", "model": "x"}));
        assert_eq!(ok.unwrap(), ResponseRow { prompt: "p".into(), response: "r".into() });
        let err = ResponseRow::from_json(json!({"prompt": "p", "response": null})).unwrap_err();
        assert_eq!(err.to_string(), "field `response` must be a string, got null");
        let err = ResponseRow::from_json(json!({"response": "r"})).unwrap_err();
        assert_eq!(err.to_string(), "missing field `prompt`");
    }

    #[test]
    fn result_rows_read_googles_lines_and_check_them() {
        let line = r#"{"follow_all_instructions": false, "follow_instruction_list": [true, false], "instruction_id_list": ["a:b", "c:d"], "prompt": "p", "response": "r"}"#;
        let row = ResultRow::from_json(serde_json::from_str(line).unwrap()).unwrap();
        assert_eq!(
            row,
            ResultRow {
                prompt: "p".into(),
                instruction_id_list: vec!["a:b".into(), "c:d".into()],
                follow_instruction_list: vec![true, false],
                response: "r".into(),
            }
        );
        let err = |v: Value| ResultRow::from_json(v).unwrap_err().to_string();
        let row = |all: Value, list: Value, ids: Value| {
            json!({"follow_all_instructions": all, "follow_instruction_list": list,
                   "instruction_id_list": ids, "prompt": "p", "response": "r"})
        };
        assert_eq!(
            err(row(json!(true), json!([true, false]), json!(["a", "b"]))),
            "field `follow_all_instructions` is true, but `follow_instruction_list` says false"
        );
        assert_eq!(
            err(row(json!(true), json!([true]), json!(["a", "b"]))),
            "field `follow_instruction_list` has 1 entries but `instruction_id_list` has 2"
        );
        assert_eq!(
            err(row(json!(true), json!([1]), json!(["a"]))),
            "field `follow_instruction_list` must hold booleans, but item 0 is a number"
        );
        assert_eq!(
            err(row(json!(true), json!([true]), json!("a"))),
            "field `instruction_id_list` must be a list of strings, got a string"
        );
        assert_eq!(
            err(row(json!("yes"), json!([true]), json!(["a"]))),
            "field `follow_all_instructions` must be a boolean, got a string"
        );
        assert_eq!(err(json!({"prompt": "p"})), "missing field `response`");
        assert_eq!(err(json!(3)), "a result row must be a JSON object, got a number");
        // No instructions: every one of none is followed, as Python's `all([])`.
        assert!(ResultRow::from_json(row(json!(true), json!([]), json!([]))).is_ok());
    }

    #[test]
    fn strip_think_removes_a_leading_block_only() {
        assert_eq!(strip_think("<think>hmm, a, b</think>\n\nNo commas here."), "No commas here.");
        assert_eq!(strip_think(" \n<think>x</think>Answer \n"), "Answer \n");
        assert_eq!(strip_think("<think>never finished"), "");
        assert_eq!(strip_think("reasoning</think>\nAnswer"), "Answer");
        assert_eq!(strip_think("Plain answer."), "Plain answer.");
        // A `<think>` that is not leading is part of the answer.
        assert_eq!(
            strip_think("Use <think>tags</think> like this."),
            "Use <think>tags</think> like this."
        );
        // Only the first block goes.
        assert_eq!(strip_think("<think>a</think>B<think>c</think>"), "B<think>c</think>");
    }
}
