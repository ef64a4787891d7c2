//! The shared reference data: IFEval's (`shared/data/ifeval/`: the 541 GPT-4 responses and the
//! text statistics NLTK and Python recorded for them) and IFBench's sample responses
//! (`shared/data/ifbench/`), the real texts the differential tests start from.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::collections::HashMap;

use serde_json::Value;

/// The shared IFEval data directory.
pub(crate) const IFEVAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifeval");

/// The non-blank lines of a JSON-lines file, parsed.
pub(crate) fn read_jsonl(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The GPT-4 responses file (`{"prompt", "response"}` per line).
pub(crate) const RESPONSES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ifeval/input_response_data_gpt4_20231107_145030.jsonl"
);

/// The 541 GPT-4 responses' texts, in file order.
pub(crate) fn response_texts() -> Vec<String> {
    read_jsonl(RESPONSES)
        .iter()
        .map(|r| r["response"].as_str().expect("response").to_owned())
        .collect()
}

/// `(key, response)` for the 541 GPT-4 responses, in file order.
pub(crate) fn gpt4_responses() -> Vec<(i64, String)> {
    let inputs = read_jsonl(&format!("{IFEVAL}/input_data_gpt4_20231107_145030.jsonl"));
    let responses = read_jsonl(RESPONSES);
    assert_eq!(inputs.len(), 541);
    assert_eq!(inputs.len(), responses.len());
    inputs
        .iter()
        .zip(&responses)
        .map(|(input, resp)| {
            assert_eq!(input["prompt"], resp["prompt"], "files are in the same order");
            let key = input["key"].as_i64().expect("key");
            (key, resp["response"].as_str().expect("response").to_owned())
        })
        .collect()
}

/// The recorded text statistics (`expected/ifeval_gpt4_text_stats.jsonl`) by key.
pub(crate) fn text_stats() -> HashMap<i64, Value> {
    let stats = read_jsonl(&format!("{IFEVAL}/expected/ifeval_gpt4_text_stats.jsonl"));
    assert_eq!(stats.len(), 541);
    stats.into_iter().map(|v| (v["key"].as_i64().expect("key"), v)).collect()
}

/// A JSON list of strings.
pub(crate) fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a JSON list")
        .iter()
        .map(|s| s.as_str().expect("a string").to_owned())
        .collect()
}

/// IFBench's sample responses (`{"prompt", "response"}` per line).
pub(crate) const IFBENCH_SAMPLE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifbench/sample_output.jsonl");

/// The texts of a differential test of IFBench checks: the real responses (the GPT-4 ones, then
/// IFBench's sample responses), then those the test adds (generated or hand-written).
pub(crate) struct Texts {
    /// All the texts, in that order.
    pub(crate) all: Vec<String>,
    /// How many GPT-4 responses start `all`.
    pub(crate) gpt4: usize,
    /// How many IFBench sample responses follow them.
    pub(crate) samples: usize,
}

impl Texts {
    /// The real responses, in file order.
    pub(crate) fn responses() -> Texts {
        let mut all = response_texts();
        let gpt4 = all.len();
        all.extend(
            read_jsonl(IFBENCH_SAMPLE)
                .iter()
                .map(|r| r["response"].as_str().expect("response").to_owned()),
        );
        let samples = all.len() - gpt4;
        Texts { all, gpt4, samples }
    }

    /// How many real responses start `all`.
    pub(crate) fn real(&self) -> usize {
        self.gpt4 + self.samples
    }

    /// "N texts: A GPT-4 responses, B IFBench sample responses, C generated".
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} texts: {} GPT-4 responses, {} IFBench sample responses, {} generated",
            self.all.len(),
            self.gpt4,
            self.samples,
            self.all.len() - self.real()
        )
    }
}
