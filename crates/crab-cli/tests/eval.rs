//! End-to-end tests of `crab eval`: the real binary on real files, compared with the files and
//! report Google's `evaluation_main` produced for the GPT-4 responses
//! (`shared/data/ifeval/expected/`), plus every error path.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crab_constraints::ifeval::{pyjson, Scores};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifeval/");
const INPUT: &str = "input_data_gpt4_20231107_145030.jsonl";
const RESPONSES: &str = "input_response_data_gpt4_20231107_145030.jsonl";

fn data(name: &str) -> String {
    let path = format!("{DATA}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("valid JSONL")).collect()
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-eval-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn crab_eval(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(dir)
        .arg("eval")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.as_ref().display()))
}

/// Runs `crab eval` in `dir` on `input` and `responses` (JSONL text), output to `dir/out`.
fn run_on(dir: &Path, input: &str, responses: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    std::fs::write(dir.join("resp.jsonl"), responses).unwrap();
    let mut args =
        vec!["--input-data", "in.jsonl", "--responses", "resp.jsonl", "--output-dir", "out"];
    args.extend_from_slice(extra);
    crab_eval(dir, &args)
}

/// The whole GPT-4 set: both files and the printed report equal Google's byte for byte.
#[test]
fn gpt4_results_and_report_equal_googles() {
    let dir = scratch("gpt4");
    let out = crab_eval(
        &dir,
        &[
            "--input-data",
            &format!("{DATA}{INPUT}"),
            "--responses",
            &format!("{DATA}{RESPONSES}"),
            "--output-dir",
            "expected",
        ],
    );
    assert!(out.status.success(), "crab eval failed:\n{}", stderr(&out));
    for name in ["eval_results_strict.jsonl", "eval_results_loose.jsonl"] {
        let got = read(dir.join("expected").join(name));
        let want = data(&format!("expected/{name}"));
        let first_diff = got.lines().zip(want.lines()).position(|(g, w)| g != w);
        assert!(got == want, "{name} differs from Google's; first differing line: {first_diff:?}");
    }
    // Run from `dir` with `--output-dir expected`, the header paths are Google's too.
    assert_eq!(stdout(&out), data("expected/report.txt"));
}

/// The line writer on all 541 rows: prompt and response (from the input files), ids and
/// Google's booleans give exactly Google's lines (every escape of real data).
#[test]
fn result_lines_format_every_gpt4_row_like_google() {
    let inputs = json_lines(&data(INPUT));
    let responses: HashMap<String, String> = json_lines(&data(RESPONSES))
        .into_iter()
        .map(|r| {
            (r["prompt"].as_str().unwrap().to_owned(), r["response"].as_str().unwrap().to_owned())
        })
        .collect();
    for mode in ["strict", "loose"] {
        let expected = data(&format!("expected/eval_results_{mode}.jsonl"));
        assert_eq!(expected.lines().count(), inputs.len());
        for (row, want) in inputs.iter().zip(expected.lines()) {
            let prompt = row["prompt"].as_str().unwrap();
            let ids: Vec<&str> = row["instruction_id_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let followed: Vec<bool> = serde_json::from_str::<Value>(want).unwrap()
                ["follow_instruction_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_bool().unwrap())
                .collect();
            let mut got = String::new();
            pyjson::push_result_line(&mut got, &ids, prompt, &responses[prompt], &followed);
            assert_eq!(got, format!("{want}\n"), "key {}", row["key"]);
        }
    }
}

/// The metrics and report text from Google's own result files equal Google's printed report.
#[test]
fn report_from_googles_results_equals_googles_report() {
    let mut text = String::new();
    for mode in ["strict", "loose"] {
        let mut scores = Scores::default();
        for row in json_lines(&data(&format!("expected/eval_results_{mode}.jsonl"))) {
            let ids: Vec<&str> = row["instruction_id_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let followed: Vec<bool> = row["follow_instruction_list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_bool().unwrap())
                .collect();
            scores.add(&ids, &followed);
        }
        scores.push_report(&mut text, &format!("expected/eval_results_{mode}.jsonl"));
    }
    assert_eq!(text, data("expected/report.txt"));
}

const NO_COMMA: &str = r#"{"key": 1, "prompt": "P1", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}"#;
const WORDS: &str = r#"{"key": 2, "prompt": "P2", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"relation": "at least", "num_words": 3}]}"#;
const RESP: &str = r#"{"prompt": "P1", "response": "No commas"}
{"prompt": "P2", "response": "one two three"}
"#;

fn out_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("out")) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn small_files_give_google_lines_and_report() {
    let dir = scratch("small");
    let out = run_on(&dir, &format!("{NO_COMMA}\n{WORDS}\n"), RESP, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        read(dir.join("out/eval_results_strict.jsonl")),
        "{\"follow_all_instructions\": true, \"follow_instruction_list\": [true], \"instruction_id_list\": [\"punctuation:no_comma\"], \"prompt\": \"P1\", \"response\": \"No commas\"}\n\
         {\"follow_all_instructions\": true, \"follow_instruction_list\": [true], \"instruction_id_list\": [\"length_constraints:number_words\"], \"prompt\": \"P2\", \"response\": \"one two three\"}\n"
    );
    let rule = "=".repeat(64);
    let body =
        "prompt-level: 1.0\ninstruction-level: 1.0\n\nlength_constraints 1.0\npunctuation 1.0\n\n\
                length_constraints:number_words 1.0\npunctuation:no_comma 1.0\n";
    assert_eq!(
        stdout(&out),
        format!(
            "{rule}\nout/eval_results_strict.jsonl Accuracy Scores:\n{body}\
             {rule}\nout/eval_results_loose.jsonl Accuracy Scores:\n{body}"
        )
    );
    assert_eq!(out_files(&dir), ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]);
}

#[test]
fn googles_flag_names_are_accepted() {
    let dir = scratch("aliases");
    std::fs::write(dir.join("in.jsonl"), format!("{NO_COMMA}\n")).unwrap();
    std::fs::write(dir.join("resp.jsonl"), RESP).unwrap();
    let out = crab_eval(
        &dir,
        &["--input_data=in.jsonl", "--input_response_data=resp.jsonl", "--output_dir=out"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("out/eval_results_loose.jsonl Accuracy Scores:"));
    let out = crab_eval(
        &dir,
        &["--input-data", "in.jsonl", "--input-response-data", "resp.jsonl", "--output-dir=out2/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("\nout2/eval_results_strict.jsonl Accuracy Scores:"));
}

/// A bad line is skipped with a message naming file and line; the other rows are written and
/// reported (exit status 1). With no row left to score, nothing is written (exit status 2).
#[test]
fn malformed_line_is_skipped_naming_file_and_line() {
    let dir = scratch("malformed");
    let out = run_on(&dir, &format!("{NO_COMMA}\n\n{{\"key\": 3, \"prompt\": \n"), RESP, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "crab eval: in.jsonl:3: not valid JSON at column 21: EOF while parsing a value\n\
         crab eval: 1 bad row(s) skipped; the results and the report cover 1 of 2 input rows\n"
    );
    assert!(stdout(&out).contains("\npunctuation:no_comma 1.0\n"), "{}", stdout(&out));
    assert_eq!(out_files(&dir), ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]);
    assert_eq!(read(dir.join("out/eval_results_strict.jsonl")).lines().count(), 1);

    let dir = scratch("malformed-fatal");
    let out = run_on(&dir, &format!("{NO_COMMA}\n"), "{\"prompt\": \"P1\"}\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "crab eval: in.jsonl:1: key 1: no response in resp.jsonl for this `prompt`\n\
         crab eval: resp.jsonl:1: missing field `response`\n\
         crab eval: no row of in.jsonl can be scored\n"
    );
    assert!(out.stdout.is_empty());
    assert!(out_files(&dir).is_empty());

    let out = run_on(&dir, "{\"key\": 5, \"prompt\": \"P1\", \"kwargs\": []}\n", RESP, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "crab eval: in.jsonl:1: key 5: missing field `instruction_id_list`\n\
         crab eval: no row of in.jsonl can be scored\n"
    );
    assert!(out_files(&dir).is_empty());
}

#[test]
fn invalid_utf8_names_the_line() {
    let dir = scratch("utf8");
    std::fs::write(dir.join("in.jsonl"), [NO_COMMA.as_bytes(), b"\n{\"key\": \xff}\n"].concat())
        .unwrap();
    std::fs::write(dir.join("resp.jsonl"), RESP).unwrap();
    let out = crab_eval(
        &dir,
        &["--input-data", "in.jsonl", "--responses", "resp.jsonl", "--output-dir", "out"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "crab eval: in.jsonl:2: not valid UTF-8 at column 9\n\
         crab eval: 1 bad row(s) skipped; the results and the report cover 1 of 2 input rows\n"
    );
    assert!(read(dir.join("out/eval_results_strict.jsonl")).contains("\"prompt\": \"P1\""));
}

#[test]
fn prompts_without_a_response_are_skipped_by_key() {
    let dir = scratch("missing");
    let third = r#"{"key": 1003, "prompt": "P3", "instruction_id_list": [], "kwargs": []}"#;
    let fourth = r#"{"key": 1004, "prompt": "P4", "instruction_id_list": [], "kwargs": []}"#;
    let out = run_on(&dir, &format!("{NO_COMMA}\n{third}\n{WORDS}\n{fourth}\n"), RESP, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "crab eval: in.jsonl:2: key 1003: no response in resp.jsonl for this `prompt`\n\
         crab eval: in.jsonl:4: key 1004: no response in resp.jsonl for this `prompt`\n\
         crab eval: 2 bad row(s) skipped; the results and the report cover 2 of 4 input rows\n"
    );
    let prompts: Vec<Value> = json_lines(&read(dir.join("out/eval_results_strict.jsonl")))
        .into_iter()
        .map(|r| r["prompt"].clone())
        .collect();
    assert_eq!(prompts, ["P1", "P2"]);
}

#[test]
fn unknown_ids_and_bad_kwargs_are_errors_naming_id_field_and_key() {
    let dir = scratch("unknown");
    let bad_id = r#"{"key": 7, "prompt": "P1", "instruction_id_list": ["punctuation:no_semicolon"], "kwargs": [{}]}"#;
    let bad_kw = r#"{"key": 8, "prompt": "P2", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"relation": "at least", "num_words": "ten"}]}"#;
    let out = run_on(&dir, &format!("{bad_id}\n{bad_kw}\n{WORDS}\n"), RESP, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "crab eval: in.jsonl:1: key 7: unknown instruction id `punctuation:no_semicolon`\n\
         crab eval: in.jsonl:2: key 8: length_constraints:number_words: parameter `num_words` must be a whole number, got \"ten\"\n\
         crab eval: 2 bad row(s) skipped; the results and the report cover 1 of 3 input rows\n"
    );
    assert_eq!(read(dir.join("out/eval_results_strict.jsonl")).lines().count(), 1);
    // Both rows bad: nothing to score, nothing written.
    let dir = scratch("unknown-only");
    let out = run_on(&dir, &format!("{bad_id}\n{bad_kw}\n"), RESP, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).ends_with("\ncrab eval: no row of in.jsonl can be scored\n"));
    assert!(out_files(&dir).is_empty());
}

#[test]
fn earlier_results_survive_a_failed_run() {
    let dir = scratch("keep");
    let out = run_on(&dir, &format!("{NO_COMMA}\n"), RESP, &[]);
    assert!(out.status.success());
    let before = read(dir.join("out/eval_results_strict.jsonl"));
    // Fatal: no row left to score.
    let out = run_on(
        &dir,
        &format!("{NO_COMMA}\n{{\n"),
        "{\"prompt\": \"P9\", \"response\": \"r\"}\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(dir.join("out/eval_results_strict.jsonl")), before);
    assert_eq!(out_files(&dir), ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]);
    // Fatal: the responses cannot be read.
    std::fs::remove_file(dir.join("resp.jsonl")).unwrap();
    let out = crab_eval(
        &dir,
        &["--input-data", "in.jsonl", "--responses", "resp.jsonl", "--output-dir", "out"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(dir.join("out/eval_results_strict.jsonl")), before);
    assert_eq!(out_files(&dir), ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]);
}

#[test]
fn strip_think_scores_and_writes_the_answer_only() {
    let dir = scratch("think");
    let resp = "{\"prompt\": \"P1\", \"response\": \"<think>Hmm, well, commas.</think>\\n\\nNo commas here.\"}\n";
    let out = run_on(&dir, &format!("{NO_COMMA}\n"), resp, &[]);
    assert!(out.status.success());
    assert!(read(dir.join("out/eval_results_strict.jsonl"))
        .starts_with("{\"follow_all_instructions\": false"));
    let out = run_on(&dir, &format!("{NO_COMMA}\n"), resp, &["--strip-think"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        read(dir.join("out/eval_results_strict.jsonl")),
        "{\"follow_all_instructions\": true, \"follow_instruction_list\": [true], \"instruction_id_list\": [\"punctuation:no_comma\"], \"prompt\": \"P1\", \"response\": \"No commas here.\"}\n"
    );
    // An unfinished thought leaves an empty answer, which fails every instruction.
    let out = run_on(
        &dir,
        &format!("{NO_COMMA}\n"),
        "{\"prompt\": \"P1\", \"response\": \"<think>still going\"}\n",
        &["--strip_think"],
    );
    assert!(out.status.success());
    assert!(read(dir.join("out/eval_results_loose.jsonl"))
        .starts_with("{\"follow_all_instructions\": false"));
}

#[test]
fn hugging_face_null_kwargs_extra_fields_and_crlf_are_accepted() {
    let dir = scratch("hf");
    let input = "{\"key\": 1, \"prompt\": \"P1\", \"instruction_id_list\": [\"length_constraints:number_words\"], \
                 \"kwargs\": [{\"num_words\": 2, \"relation\": \"less than\", \"keywords\": null, \"language\": null, \"num_highlights\": null}], \"source\": \"hf\"}\r\n\r\n";
    let resp = "{\"model\": \"x\", \"prompt\": \"P1\", \"response\": \"first\"}\r\n{\"prompt\": \"P1\", \"response\": \"a b c\", \"id\": 9}\r\n";
    let out = run_on(&dir, input, resp, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The last response for a prompt wins, as in Google's dict; 3 words is not less than 2.
    assert_eq!(
        read(dir.join("out/eval_results_strict.jsonl")),
        "{\"follow_all_instructions\": false, \"follow_instruction_list\": [false], \"instruction_id_list\": [\"length_constraints:number_words\"], \"prompt\": \"P1\", \"response\": \"a b c\"}\n"
    );
}

#[test]
fn repeated_ids_are_scored_by_position() {
    let dir = scratch("repeat");
    let input = r#"{"key": 19, "prompt": "P2", "instruction_id_list": ["length_constraints:number_words", "length_constraints:number_words"], "kwargs": [{"relation": "at least", "num_words": 3}, {"relation": "less than", "num_words": 3}]}"#;
    let out = run_on(&dir, &format!("{input}\n"), RESP, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(dir.join("out/eval_results_strict.jsonl")).starts_with(
        "{\"follow_all_instructions\": false, \"follow_instruction_list\": [true, false]"
    ));
    assert!(stdout(&out).contains("\nlength_constraints:number_words 0.5\n"));
    assert!(stdout(&out).contains("\nprompt-level: 0.0\ninstruction-level: 0.5\n"));
}

#[test]
fn one_job_and_many_jobs_agree() {
    let dir = scratch("jobs");
    let input = data(INPUT);
    let one = run_on(&dir, &input, &data(RESPONSES), &["--jobs", "1"]);
    let strict_one = read(dir.join("out/eval_results_strict.jsonl"));
    let many = run_on(&dir, &input, &data(RESPONSES), &["-j", "7"]);
    assert!(one.status.success() && many.status.success());
    assert_eq!(stdout(&one), stdout(&many));
    assert_eq!(strict_one, read(dir.join("out/eval_results_strict.jsonl")));
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("usage");
    let out = crab_eval(&dir, &["--input-data", "in.jsonl", "--responses", "r.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("eval needs --output-dir DIR"), "{}", stderr(&out));
    let out = crab_eval(&dir, &["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = crab_eval(&dir, &["--help"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("--input_response_data"));
    // A missing file is fatal: exit status 2 too, and nothing is written.
    let out = crab_eval(
        &dir,
        &["--input-data", "nope.jsonl", "--responses", "nope2.jsonl", "--output-dir", "o"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("o").exists());
    assert!(stderr(&out).contains("cannot read nope"), "{}", stderr(&out));
}

#[test]
fn empty_input_is_an_error() {
    let dir = scratch("empty");
    let out = run_on(&dir, "\n", RESP, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "crab eval: in.jsonl: no input rows\n");
    let empty = r#"{"key": 1, "prompt": "P1", "instruction_id_list": [], "kwargs": []}"#;
    let out = run_on(&dir, empty, RESP, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "crab eval: in.jsonl: no instructions to score\n");
    assert!(out_files(&dir).is_empty());
}
