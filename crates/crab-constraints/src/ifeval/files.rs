//! The rows of evaluation files, read as `crab eval` reads them: what both front ends (the CLI,
//! which streams files, and the browser's batch view, which reads the files a person picked) do
//! with one parsed line ([`crate::jsonl::parse`]) and with the responses, so that the same file
//! gives the same rows, the same skipped lines and the same messages in both.
//!
//! - An input row's used fields may not hold a number only Python reads (NaN, infinity); its
//!   constraints are built with the benchmark's ids ([`input_row`]).
//! - Responses are filed by prompt as the benchmark's evaluation files them ([`ByPrompt`]):
//!   Google's dict for IFEval (the last response for a prompt wins), prompt then stripped prompt
//!   for IFBench ([`ifbench::Responses`]).

use std::collections::HashMap;

use serde_json::Value;

use super::{ifbench, InputRow, ResponseRow};
use crate::checks::Constraint;
use crate::jsonl::Row;

/// The fields of an input row that the evaluation uses.
pub const INPUT_FIELDS: [&str; 4] = ["key", "prompt", "instruction_id_list", "kwargs"];

/// The fields of a response row that the evaluation uses.
pub const RESPONSE_FIELDS: [&str; 2] = ["prompt", "response"];

/// Whose evaluation rules a run follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Benchmark {
    /// Google's IFEval `evaluation_main`: a prompt without a response is a bad row.
    IfEval,
    /// allenai/IFBench's `run_eval` (see [`ifbench`]).
    IfBench,
}

impl Benchmark {
    /// The benchmark of an input file whose rows list `ids`: IFBench's rules as soon as one id
    /// is IFBench's own (its registry also holds IFEval's 25 ids), else IFEval's. For a front end
    /// that is given files without a `--benchmark` choice (the browser).
    pub fn detect<'a>(ids: impl IntoIterator<Item = &'a str>) -> Benchmark {
        if ids.into_iter().any(ifbench::is_ifbench_id) {
            Benchmark::IfBench
        } else {
            Benchmark::IfEval
        }
    }
}

/// An input row with its constraints.
pub type Input = (InputRow, Vec<Constraint>);

/// Reads an input row and builds its constraints, with `benchmark`'s ids; the error is the
/// message for the person (without the file and line, which the caller adds).
pub fn input_row(row: Row, benchmark: Benchmark) -> Result<Input, String> {
    if let Err(e) = row.refuse_python_numbers(&INPUT_FIELDS) {
        return Err(match row.value.get("key") {
            Some(key) if !key.is_null() => format!("key {key}: {e}"),
            _ => e,
        });
    }
    let input = InputRow::from_json(row.value).map_err(|e| e.to_string())?;
    let constraints = match benchmark {
        Benchmark::IfEval => input.constraints(),
        Benchmark::IfBench => ifbench::constraints(&input),
    }
    .map_err(|e| e.to_string())?;
    Ok((input, constraints))
}

/// Reads a response row (`{prompt, response}`).
pub fn response_row(row: Row) -> Result<ResponseRow, String> {
    row.refuse_python_numbers(&RESPONSE_FIELDS)?;
    ResponseRow::from_json(row.value).map_err(|e| e.to_string())
}

/// Reads a line of a response file: the same row, or the same message, as [`jsonl::parse`]
/// followed by [`response_row`], in less time.
///
/// A response file is mostly long strings, and building a whole JSON value for each line (a map,
/// a string per key) before taking two of its strings cost about as much as reading the
/// strings. A line that is an object whose `prompt` and `response` are strings (any other keys
/// ignored unread, the last of a repeated key winning, as in Python) is read straight into the
/// row; anything else (not JSON, NaN anywhere, a field missing or of another type) goes the
/// general way, which says what is wrong.
///
/// [`jsonl::parse`]: crate::jsonl::parse
pub fn response_line(line: &[u8]) -> Result<ResponseRow, String> {
    match serde_json::from_slice::<ResponseFields>(line) {
        Ok(ResponseFields { prompt: Some(prompt), response: Some(response) }) => {
            Ok(ResponseRow { prompt, response })
        }
        _ => crate::jsonl::parse(line).and_then(response_row),
    }
}

/// The two fields of a response row, each the last of its key (other keys skipped).
struct ResponseFields {
    prompt: Option<String>,
    response: Option<String>,
}

impl<'de> serde::Deserialize<'de> for ResponseFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ResponseFieldsVisitor)
    }
}

struct ResponseFieldsVisitor;

impl<'de> serde::de::Visitor<'de> for ResponseFieldsVisitor {
    type Value = ResponseFields;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a response row")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = ResponseFields { prompt: None, response: None };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "prompt" => fields.prompt = Some(map.next_value()?),
                "response" => fields.response = Some(map.next_value()?),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// Responses by prompt, filed as the benchmark's evaluation files them.
#[derive(Clone, Debug)]
pub enum ByPrompt {
    /// Google's dict: exact prompts.
    Exact(HashMap<String, String>),
    /// IFBench's: by prompt, then by stripped prompt.
    IfBench(ifbench::Responses),
}

impl ByPrompt {
    /// No responses, filed by `benchmark`'s rules.
    pub fn new(benchmark: Benchmark) -> ByPrompt {
        match benchmark {
            Benchmark::IfEval => ByPrompt::Exact(HashMap::new()),
            Benchmark::IfBench => ByPrompt::IfBench(ifbench::Responses::new()),
        }
    }

    /// Files `response` under `prompt` (a later one replaces an earlier one, as in Python).
    pub fn insert(&mut self, prompt: String, response: String) {
        match self {
            ByPrompt::Exact(map) => {
                map.insert(prompt, response);
            }
            ByPrompt::IfBench(responses) => responses.insert(prompt, response),
        }
    }

    /// The response for `prompt`, if one is filed.
    pub fn get(&self, prompt: &str) -> Option<&str> {
        match self {
            ByPrompt::Exact(map) => map.get(prompt).map(String::as_str),
            ByPrompt::IfBench(responses) => responses.get(prompt),
        }
    }
}

/// The message of an IFEval input row whose prompt has no response (`responses` names the
/// response file).
pub fn no_response(key: &Value, responses: &str) -> String {
    format!("key {key}: no response in {responses} for this `prompt`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonl::parse;

    #[test]
    fn response_line_reads_as_parse_then_response_row() {
        let general = |line: &[u8]| parse(line).and_then(response_row);
        let mut lines: Vec<Vec<u8>> = [
            &br#"{"prompt": "p", "response": "r"}"#[..],
            br#"{"response": "r", "prompt": "p", "extra": [1, {"a": null}], "n": 1e5}"#,
            br#"{"prompt": "p", "response": "first", "response": "last"}"#,
            br#"{"prompt": 1, "prompt": "p", "response": "r"}"#,
            br#"{"prompt": "p", "prompt": 1, "response": "r"}"#,
            br#"{"pro\u006dpt": "escaped key", "response": "r\n\"q\" \u00e9 \ud83d\ude00"}"#,
            br#"{"prompt": "p", "response": "r", "score": NaN}"#,
            br#"{"prompt": "p", "response": NaN}"#,
            br#"{"prompt": "p", "response": "r", "big": 1e400}"#,
            br#"{"prompt": "p"}"#,
            br#"{"prompt": "p", "response": null}"#,
            br#"["prompt", "response"]"#,
            br#"{"prompt": "p", "response": "r"} trailing"#,
            br#"{"prompt": "p", "response": "lone \ud800 surrogate"}"#,
            br#"{"prompt": "p", "response": "r""#,
            b"{\"prompt\": \"p\", \"response\": \"bad \xff utf-8\"}",
            br#"  {"prompt": "", "response": ""}  "#,
        ]
        .iter()
        .map(|l| l.to_vec())
        .collect();
        // And every response row of the GPT-4 file.
        let file = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/ifeval/input_response_data_gpt4_20231107_145030.jsonl"
        ))
        .expect("the shared GPT-4 responses");
        lines.extend(
            crate::jsonl::lines(&file).expect("lines").into_iter().map(|(_, l)| l.to_vec()),
        );
        for line in &lines {
            assert_eq!(response_line(line), general(line), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn the_benchmark_is_ifbench_as_soon_as_one_id_is_ifbenchs_own() {
        assert_eq!(Benchmark::detect(["punctuation:no_comma"]), Benchmark::IfEval);
        assert_eq!(
            Benchmark::detect(["punctuation:no_comma", "count:word_count_range"]),
            Benchmark::IfBench
        );
    }

    #[test]
    fn input_rows_name_the_key_and_the_field() {
        let row = parse(br#"{"key": 7, "prompt": "p", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"relation": "at least", "num_words": NaN}]}"#).unwrap();
        let err = input_row(row, Benchmark::IfEval).unwrap_err();
        assert!(err.starts_with("key 7: field `kwargs[0].num_words`"), "{err}");
        let row =
            parse(br#"{"key": 7, "prompt": "p", "instruction_id_list": ["a:b"], "kwargs": [{}]}"#)
                .unwrap();
        assert!(input_row(row, Benchmark::IfEval).is_err());
        let row = parse(br#"{"key": 7, "prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}"#).unwrap();
        let (input, constraints) = input_row(row, Benchmark::IfEval).unwrap();
        assert_eq!((input.prompt.as_str(), constraints.len()), ("p", 1));
    }

    #[test]
    fn responses_are_filed_by_the_benchmarks_rules() {
        let mut exact = ByPrompt::new(Benchmark::IfEval);
        let mut ifbench = ByPrompt::new(Benchmark::IfBench);
        for by in [&mut exact, &mut ifbench] {
            by.insert(" p ".to_owned(), "one".to_owned());
            by.insert(" p ".to_owned(), "two".to_owned());
        }
        assert_eq!((exact.get(" p "), exact.get("p")), (Some("two"), None));
        assert_eq!((ifbench.get(" p "), ifbench.get("p")), (Some("two"), Some("two")));
        let row = parse(br#"{"prompt": "p", "response": Infinity}"#).unwrap();
        assert!(response_row(row).unwrap_err().contains("field `response`"));
    }
}
