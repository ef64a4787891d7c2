//! `crab eval --benchmark ifbench`: the real binary on IFBench's files, against the files
//! allenai/IFBench HEAD's `run_eval` wrote for `sample_output.jsonl`
//! (`shared/data/ifbench/expected_head/`), on both versions of the test set.
//!
//! Every row whose ids crab verifies must be written exactly as HEAD wrote it (byte for byte,
//! strict and loose, in order); every other row must be refused by a message naming the id it
//! does not verify yet. Once every IFBench id is registered, that is: the two files equal HEAD's
//! byte for byte, and the printed report equals HEAD's (`report.txt`, for the 2026 file). The
//! per-id agreement is `crab-constraints/tests/ifbench_expected.rs`.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crab_constraints::ifeval::ifbench;
use serde_json::Value;

const IFBENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifbench/");

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.as_ref().display()))
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-ifbench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn crab_eval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crab")).arg("eval").args(args).output().unwrap()
}

/// Runs `crab eval --benchmark ifbench` on `input` (relative to the IFBench data) with the
/// sample responses and checks the result files against `expected` (a directory of
/// `expected_head`).
fn check_version(input: &str, expected: &str, name: &str) {
    let out_dir = scratch(name);
    let input_path = format!("{IFBENCH}{input}");
    let responses = format!("{IFBENCH}sample_output.jsonl");
    let out = crab_eval(&[
        "--benchmark",
        "ifbench",
        "--input-data",
        &input_path,
        "--responses",
        &responses,
        "--output-dir",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let rows: Vec<Value> =
        read(&input_path).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let verified = |row: &Value| {
        row["instruction_id_list"]
            .as_array()
            .unwrap()
            .iter()
            .all(|id| ifbench::is_implemented(id.as_str().unwrap()))
    };
    let kept = rows.iter().filter(|r| verified(r)).count();
    for mode in ["strict", "loose"] {
        let head = read(format!(
            "{IFBENCH}expected_head/{expected}/sample_output-eval_results_{mode}.jsonl"
        ));
        let head_lines: Vec<&str> = head.split_inclusive('\n').collect();
        assert_eq!(head_lines.len(), rows.len());
        let want: String = head_lines
            .iter()
            .zip(&rows)
            .filter(|(_, row)| verified(row))
            .map(|(line, _)| *line)
            .collect();
        let got = read(out_dir.join(format!("eval_results_{mode}.jsonl")));
        assert!(got == want, "{name} {mode}: the scored rows differ from HEAD's");
        if kept == rows.len() {
            assert_eq!(got, head, "{name} {mode}: the whole file");
        }
    }
    // Each refused row is named, with the id crab does not verify yet.
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| !verified(r)) {
        let id = row["instruction_id_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap())
            .find(|id| !ifbench::is_implemented(id))
            .unwrap();
        let message = format!(
            "{input_path}:{}: key {}: `{id}` is an IFBench instruction that crab does not \
             verify yet",
            i + 1,
            row["key"]
        );
        assert!(stderr.contains(&message), "{name}: no message `{message}` in:\n{stderr}");
    }
    if kept == rows.len() {
        assert!(out.status.success(), "{name}: {stderr}");
    } else {
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
    }
    println!(
        "{name}: {kept} of {} rows verified and equal to HEAD's, strict and loose",
        rows.len()
    );
    if name == "2026" && kept == rows.len() {
        // HEAD's report names its files `out_new/sample_output-eval_results_*.jsonl`.
        let dir = out_dir.to_str().unwrap();
        let head = read(format!("{IFBENCH}expected_head/test_2026/report.txt"))
            .replace("out_new/sample_output-eval_results_", &format!("{dir}/eval_results_"));
        assert_eq!(String::from_utf8(out.stdout).unwrap(), head);
    }
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn the_2025_07_file_as_head_scores_it() {
    check_version("v2025-07/IFBench_test.jsonl", "test_2025-07", "2025-07");
}

#[test]
fn the_2026_file_as_head_scores_it() {
    check_version("IFBench_test.jsonl", "test_2026", "2026");
}

/// Runs `crab eval` on small files written into a scratch directory.
fn run_small(name: &str, input: &str, responses: &str, benchmark: &[&str]) -> (Output, PathBuf) {
    let dir = scratch(name);
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    std::fs::write(dir.join("resp.jsonl"), responses).unwrap();
    let (i, r, o) = (dir.join("in.jsonl"), dir.join("resp.jsonl"), dir.join("out"));
    let mut args = benchmark.to_vec();
    args.extend(["--input-data", i.to_str().unwrap(), "--responses", r.to_str().unwrap()]);
    args.extend(["--output-dir", o.to_str().unwrap()]);
    (crab_eval(&args), dir)
}

const SMALL_INPUT: &str = concat!(
    r#"{"key": "0", "prompt": "Say it. ", "instruction_id_list": ["ratio:stop_words"], "#,
    r#""kwargs": [{"percentage": 50.0, "N": null, "keyword": null}]}"#,
    "\n",
    r#"{"key": "1", "prompt": "Nobody answered", "instruction_id_list": ["ratio:stop_words", "#,
    r#""punctuation:no_comma"], "kwargs": [{"percentage": 10.0}, {"percentage": null}]}"#,
    "\n",
);

const SMALL_RESPONSES: &str = "{\"prompt\": \"Say it.\", \"response\": \"Quick brown foxes.\"}\n";

#[test]
fn ifbench_rules_match_stripped_prompts_and_score_missing_responses_as_false() {
    let (out, dir) = run_small("rules", SMALL_INPUT, SMALL_RESPONSES, &["--benchmark", "ifbench"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let strict = read(dir.join("out/eval_results_strict.jsonl"));
    assert_eq!(
        strict,
        "{\"follow_all_instructions\": true, \"follow_instruction_list\": [true], \
         \"instruction_id_list\": [\"ratio:stop_words\"], \"prompt\": \"Say it. \", \
         \"response\": \"Quick brown foxes.\"}\n\
         {\"follow_all_instructions\": false, \"follow_instruction_list\": [false, false], \
         \"instruction_id_list\": [\"ratio:stop_words\", \"punctuation:no_comma\"], \
         \"prompt\": \"Nobody answered\", \"response\": \"\"}\n"
    );
    assert_eq!(read(dir.join("out/eval_results_loose.jsonl")), strict);
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("prompt-level: 0.5\ninstruction-level: 0.3333333333333333\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ifeval_rules_stay_the_default() {
    let (out, dir) = run_small("default", SMALL_INPUT, SMALL_RESPONSES, &[]);
    // Google's rules: exact prompts only, so neither row has a response; both are bad rows.
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(":1: key \"0\": no response in "), "{stderr}");
    assert!(stderr.contains(":2: key \"1\": no response in "), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_benchmarks_are_usage_errors() {
    let out = crab_eval(&["--benchmark", "ifbench2", "--output-dir", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--benchmark must be `ifeval` or `ifbench`, not 'ifbench2'"));
}
