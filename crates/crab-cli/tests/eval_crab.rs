//! `crab eval` on rows that mix CRAB's rule families (`crab:*`) with IFEval ids: the `crab:*`
//! checks are scored like any other instruction and reported as their own family, `crab`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-eval-crab-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_on(dir: &Path, input: &str, responses: &str) -> Output {
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    std::fs::write(dir.join("resp.jsonl"), responses).unwrap();
    Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(dir)
        .args(["eval", "--input-data", "in.jsonl", "--responses", "resp.jsonl"])
        .args(["--output-dir", "out"])
        .output()
        .unwrap()
}

const INPUT: &str = r#"{"key": 1, "prompt": "P1", "instruction_id_list": ["crab:no_punctuation", "punctuation:no_comma"], "kwargs": [{"mark": "!"}, {}]}
{"key": 2, "prompt": "P2", "instruction_id_list": ["crab:word_count", "length_constraints:number_words"], "kwargs": [{"relation": "around", "num_words": 4, "counting": "nltk"}, {"relation": "at least", "num_words": 3}]}
{"key": 3, "prompt": "P3", "instruction_id_list": ["crab:key_phrases"], "kwargs": [{"phrases": ["Alpha"]}]}
"#;

const RESPONSES: &str = r#"{"prompt": "P1", "response": "No commas here."}
{"prompt": "P2", "response": "one two three."}
{"prompt": "P3", "response": "alpha"}
"#;

#[test]
fn crab_ids_are_scored_and_reported_as_their_own_family() {
    let dir = scratch("mixed");
    let out = run_on(&dir, INPUT, RESPONSES);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let strict = std::fs::read_to_string(dir.join("out/eval_results_strict.jsonl")).unwrap();
    let follows: Vec<Value> = strict
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["follow_instruction_list"].clone())
        .collect();
    // "one two three." is 4 NLTK tokens (the period counts): around 4; and 3 words for IFEval.
    // The key phrase is case-sensitive: "alpha" does not contain "Alpha".
    assert_eq!(
        follows,
        [
            serde_json::json!([true, true]),
            serde_json::json!([true, true]),
            serde_json::json!([false])
        ]
    );

    let rule = "=".repeat(64);
    let body = "prompt-level: 0.6666666666666666\ninstruction-level: 0.8\n\n\
                crab 0.6666666666666666\nlength_constraints 1.0\npunctuation 1.0\n\n\
                crab:key_phrases 0.0\ncrab:no_punctuation 1.0\ncrab:word_count 1.0\n\
                length_constraints:number_words 1.0\npunctuation:no_comma 1.0\n";
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{rule}\nout/eval_results_strict.jsonl Accuracy Scores:\n{body}\
             {rule}\nout/eval_results_loose.jsonl Accuracy Scores:\n{body}"
        )
    );
}

#[test]
fn bad_crab_kwargs_are_errors_naming_the_field() {
    let dir = scratch("bad");
    let input = r#"{"key": 7, "prompt": "P1", "instruction_id_list": ["crab:no_punctuation"], "kwargs": [{"mark": ";"}]}
"#;
    let out = run_on(&dir, input, RESPONSES);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("crab:no_punctuation") && err.contains("`mark`"), "{err}");
}
