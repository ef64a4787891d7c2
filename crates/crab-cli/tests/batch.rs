//! The batch options of `crab eval` (`--format csv`, `--responses -`, `--compare`, `--shard`,
//! `--merge`, progress) and `crab backtranslate --shard`: the real binary on the GPT-4 files and
//! on small hand-made ones.
//!
//! The central checks: three shards of the GPT-4 run, merged, are the unsharded run byte for
//! byte (result files, CSV, report, messages, exit status, comparison), with and without bad
//! rows; the shards of a back-translation, put end to end, are the unsharded output; a
//! comparison finds exactly the prompts whose verdict differs between two runs' files; and every
//! new way to fail exits with 2 and writes nothing.
#![allow(clippy::print_stdout)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifeval/");
const INPUT: &str = "input_data_gpt4_20231107_145030.jsonl";
const RESPONSES: &str = "input_response_data_gpt4_20231107_145030.jsonl";

fn data(name: &str) -> String {
    let path = format!("{DATA}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `crab ARGS` in `dir`, with `stdin` on standard input (else none).
fn crab(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(dir)
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        // Written on its own thread: the child may exit (or fill its own pipes) first.
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        return out;
    }
    child.wait_with_output().unwrap()
}

fn eval(dir: &Path, args: &[&str]) -> Output {
    crab(dir, &[&["eval"], args].concat(), None)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.as_ref().display()))
}

#[track_caller]
fn assert_status(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stderr:\n{}", text(&out.stderr));
}

/// The names of the files in `dir` (none if it does not exist), sorted.
fn files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Copies the GPT-4 files into `dir` as `in.jsonl` and `resp.jsonl`.
fn gpt4_files(dir: &Path) {
    std::fs::write(dir.join("in.jsonl"), data(INPUT)).unwrap();
    std::fs::write(dir.join("resp.jsonl"), data(RESPONSES)).unwrap();
}

const RUN: &[&str] = &["--input-data", "in.jsonl", "--responses", "resp.jsonl"];

/// The parsed lines of a JSONL file.
fn json_lines(path: impl AsRef<Path>) -> Vec<Value> {
    read(path).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// RFC 4180 records (fields unquoted), split by hand: quotes, doubled quotes, CRLF.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(record.is_empty() && field.is_empty(), "the last record ends with CRLF");
    records
}

#[test]
fn format_csv_writes_one_record_per_instruction_next_to_googles_files() {
    let dir = scratch("csv");
    gpt4_files(&dir);
    let plain = eval(&dir, &[RUN, &["--output-dir", "plain", "--format", "jsonl"]].concat());
    assert_status(&plain, 0);
    assert_eq!(
        files(&dir.join("plain")),
        ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]
    );
    let out = eval(&dir, &[RUN, &["--output-dir", "out", "--format", "csv"]].concat());
    assert_status(&out, 0);
    // Google's files and report are unchanged by the option.
    for name in ["eval_results_strict.jsonl", "eval_results_loose.jsonl"] {
        assert_eq!(read(dir.join("out").join(name)), read(dir.join("plain").join(name)));
    }
    assert_eq!(text(&out.stdout), text(&plain.stdout).replace("plain/", "out/"));

    // Every instruction of every row, in order, with the verdicts of the JSONL files.
    let records = csv_records(&read(dir.join("out/eval_results.csv")));
    assert_eq!(records[0], ["key", "instruction_id", "kwargs", "strict", "loose"]);
    let inputs: Vec<Value> =
        data(INPUT).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let strict = json_lines(dir.join("out/eval_results_strict.jsonl"));
    let loose = json_lines(dir.join("out/eval_results_loose.jsonl"));
    let mut want = Vec::new();
    for ((row, s), l) in inputs.iter().zip(&strict).zip(&loose) {
        let ids = row["instruction_id_list"].as_array().unwrap();
        for (i, id) in ids.iter().enumerate() {
            want.push(vec![
                row["key"].to_string(),
                id.as_str().unwrap().to_owned(),
                row["kwargs"][i].to_string(),
                s["follow_instruction_list"][i].to_string(),
                l["follow_instruction_list"][i].to_string(),
            ]);
        }
    }
    assert_eq!(records.len(), 835);
    assert!(records[1..] == want[..], "the CSV records differ from the result files");
    // The kwargs are the input's, as JSON that reads back to the same value.
    assert_eq!(records[2][2], r#"{"num_highlights":3}"#);

    let bad = eval(&dir, &[RUN, &["--output-dir", "x", "--format", "xml"]].concat());
    assert_status(&bad, 2);
    assert_eq!(text(&bad.stderr), "crab: --format must be `jsonl` or `csv`, not 'xml'\n");
    assert!(!dir.join("x").exists());
}

#[test]
fn responses_from_standard_input() {
    let dir = scratch("stdin");
    gpt4_files(&dir);
    let from_file = eval(&dir, &[RUN, &["--output-dir", "out"]].concat());
    assert_status(&from_file, 0);
    let strict = read(dir.join("out/eval_results_strict.jsonl"));
    let args = ["eval", "--input-data", "in.jsonl", "--responses", "-", "--output-dir", "out"];
    let out = crab(&dir, &args, Some(data(RESPONSES).as_bytes()));
    assert_status(&out, 0);
    assert_eq!(text(&out.stdout), text(&from_file.stdout));
    assert_eq!(read(dir.join("out/eval_results_strict.jsonl")), strict);

    // Messages name <stdin>:LINE.
    let input = r#"{"key": 1, "prompt": "P1", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}
{"key": 2, "prompt": "P2", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}
"#;
    std::fs::write(dir.join("small.jsonl"), input).unwrap();
    let responses = "{\"prompt\": \"P1\", \"response\": \"No commas\"}\n\n{\"prompt\": \"P2\"}\n";
    let args = ["eval", "--input-data", "small.jsonl", "--responses", "-", "--output-dir", "small"];
    let out = crab(&dir, &args, Some(responses.as_bytes()));
    assert_status(&out, 1);
    assert_eq!(
        text(&out.stderr),
        "crab eval: small.jsonl:2: key 2: no response in <stdin> for this `prompt`\n\
         crab eval: <stdin>:3: missing field `response`\n\
         crab eval: 2 bad row(s) skipped; the results and the report cover 1 of 2 input rows\n"
    );
    assert_eq!(read(dir.join("small/eval_results_strict.jsonl")).lines().count(), 1);

    // Only the responses can come from standard input.
    let out = eval(&dir, &["--input-data", "-", "--responses", "resp.jsonl", "--output-dir", "o"]);
    assert_status(&out, 2);
    assert!(text(&out.stderr).contains("--input-data cannot be standard input"));
    assert!(!dir.join("o").exists());
}

/// GPT-4's responses with some changed: every 40th emptied (it fails everything), every 40th
/// plus one without commas, every 40th plus two in capitals.
fn changed_responses() -> String {
    let mut out = String::new();
    for (i, line) in data(RESPONSES).lines().enumerate() {
        let mut row: Value = serde_json::from_str(line).unwrap();
        let response = row["response"].as_str().unwrap().to_owned();
        row["response"] = match i % 40 {
            0 => json!(""),
            1 => json!(response.replace(',', "")),
            2 => json!(response.to_uppercase()),
            _ => json!(response),
        };
        out.push_str(&format!("{row}\n"));
    }
    out
}

/// Follow-all per row, strict and loose, from a run's result files.
fn follow_all(dir: &Path) -> [Vec<bool>; 2] {
    ["strict", "loose"].map(|mode| {
        json_lines(dir.join(format!("eval_results_{mode}.jsonl")))
            .iter()
            .map(|r| r["follow_all_instructions"].as_bool().unwrap())
            .collect()
    })
}

#[test]
fn compare_reports_deltas_and_exactly_the_flipped_prompts() {
    let dir = scratch("compare");
    gpt4_files(&dir);
    std::fs::write(dir.join("resp2.jsonl"), changed_responses()).unwrap();
    assert_status(&eval(&dir, &[RUN, &["--output-dir", "base"]].concat()), 0);
    let alone = eval(
        &dir,
        &["--input-data", "in.jsonl", "--responses", "resp2.jsonl", "--output-dir", "new"],
    );
    assert_status(&alone, 0);
    let out = eval(
        &dir,
        &[
            "--input-data",
            "in.jsonl",
            "--responses",
            "resp2.jsonl",
            "--output-dir",
            "new",
            "--compare",
            "base",
        ],
    );
    assert_status(&out, 0);
    // Google's report first, unchanged; then the comparison.
    let stdout = text(&out.stdout);
    let report = text(&alone.stdout);
    assert!(stdout.starts_with(&report), "the report changed");
    let comparison = &stdout[report.len()..];
    assert!(comparison.starts_with(&format!(
        "{}\nComparison of new (after) with base (before): 541 prompts\n",
        "=".repeat(64)
    )));
    assert!(comparison.ends_with("(all of it in new/eval_compare.json)\n"));
    assert_eq!(
        files(&dir.join("new")),
        ["eval_compare.json", "eval_results_loose.jsonl", "eval_results_strict.jsonl"]
    );

    // The flips are exactly the rows whose follow_all differs between the two runs' files.
    let json: Value = serde_json::from_str(&read(dir.join("new/eval_compare.json"))).unwrap();
    assert_eq!((json["before"].as_str(), json["after"].as_str()), (Some("base"), Some("new")));
    let before = follow_all(&dir.join("base"));
    let after = follow_all(&dir.join("new"));
    let keys: Vec<Value> = data(INPUT)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["key"].clone())
        .collect();
    let mut listed = 0;
    for (m, mode) in ["strict", "loose"].iter().enumerate() {
        let want: Vec<Value> = (0..541)
            .filter(|&i| before[m][i] != after[m][i])
            .map(|i| json!([i + 1, keys[i], after[m][i]]))
            .collect();
        let got: Vec<Value> = json[mode]["flips"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| json!([f["line"], f["key"], f["followed"]]))
            .collect();
        assert!(!want.is_empty(), "{mode}: the changed responses flip some prompts");
        assert_eq!(got, want, "{mode} flips");
        // The headline prompt-level numbers are the two runs' follow-all counts.
        let count = |v: &[bool]| v.iter().filter(|&&b| b).count();
        let level = &json[mode]["prompt_level"];
        assert_eq!(level["followed_before"], json!(count(&before[m])));
        assert_eq!(level["followed_after"], json!(count(&after[m])));
        assert_eq!(level["total"], json!(541));
        listed += want.len().min(50);
        assert!(comparison.contains(&format!("Flipped prompts, {mode}: {} (", want.len())));
    }
    let lines =
        comparison.lines().filter(|l| l.starts_with("  + line") || l.starts_with("  - line"));
    assert_eq!(lines.count(), listed, "at most 50 flips listed per mode");

    // A run against itself: all deltas 0, no flips.
    let same = eval(&dir, &[RUN, &["--output-dir", "again", "--compare", "base"]].concat());
    assert_status(&same, 0);
    let json: Value = serde_json::from_str(&read(dir.join("again/eval_compare.json"))).unwrap();
    for mode in ["strict", "loose"] {
        assert_eq!(json[mode]["flips"], json!([]));
        assert_eq!(json[mode]["instruction_level"]["delta"], json!(0.0));
        assert!(json[mode]["ids"].as_object().unwrap().values().all(|c| c["delta"] == json!(0.0)));
    }
    assert!(text(&same.stdout)
        .contains("Flipped prompts, strict: none\nFlipped prompts, loose: none\n"));
}

#[test]
fn compare_refuses_other_inputs_and_bad_earlier_runs() {
    let dir = scratch("compare-bad");
    gpt4_files(&dir);
    assert_status(&eval(&dir, &[RUN, &["--output-dir", "base"]].concat()), 0);
    assert_status(&eval(&dir, &[RUN, &["--output-dir", "out"]].concat()), 0);
    let before = read(dir.join("out/eval_results_strict.jsonl"));
    let fails = |args: &[&str], message: &str| {
        let out = eval(&dir, args);
        assert_status(&out, 2);
        assert!(out.stdout.is_empty());
        let err = text(&out.stderr);
        assert!(err.starts_with("crab eval: ") && err.contains(message), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        // Nothing written: the earlier output is as it was, with no comparison and no temporary.
        assert_eq!(
            files(&dir.join("out")),
            ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]
        );
        assert_eq!(read(dir.join("out/eval_results_strict.jsonl")), before);
    };
    // Other prompts: the first 100 input rows only.
    let first: String = data(INPUT).lines().take(100).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("first.jsonl"), first).unwrap();
    fails(
        &["--input-data", "first.jsonl", "--responses", "resp.jsonl", "--output-dir", "out", "--compare", "base"],
        "--compare base: the earlier run has 541 rows and this run 100; the two runs must have scored the same input rows",
    );
    // The same prompts in another order.
    let input = data(INPUT);
    let mut lines: Vec<&str> = input.lines().collect();
    lines.swap(3, 4);
    std::fs::write(dir.join("swapped.jsonl"), lines.join("\n")).unwrap();
    fails(
        &[
            "--input-data",
            "swapped.jsonl",
            "--responses",
            "resp.jsonl",
            "--output-dir",
            "out",
            "--compare",
            "base",
        ],
        "--compare base: line 4 of the results: the prompts differ",
    );
    // No earlier run there, or a damaged one.
    fails(
        &[RUN, &["--output-dir", "out", "--compare", "nowhere"]].concat(),
        "cannot read nowhere/eval_results_strict.jsonl",
    );
    std::fs::create_dir_all(dir.join("damaged")).unwrap();
    let loose = read(dir.join("base/eval_results_loose.jsonl"));
    std::fs::write(dir.join("damaged/eval_results_loose.jsonl"), &loose).unwrap();
    let strict = read(dir.join("base/eval_results_strict.jsonl"));
    let followed = "\"follow_all_instructions\": true";
    let line = strict.lines().position(|l| l.contains(followed)).unwrap() + 1;
    let damaged = strict.replacen(followed, "\"follow_all_instructions\": 1", 1);
    std::fs::write(dir.join("damaged/eval_results_strict.jsonl"), damaged).unwrap();
    fails(
        &[RUN, &["--output-dir", "out", "--compare", "damaged"]].concat(),
        &format!("damaged/eval_results_strict.jsonl:{line}: field `follow_all_instructions` must be a boolean, got a number"),
    );
    let short: String = loose.lines().take(540).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("damaged/eval_results_loose.jsonl"), short).unwrap();
    std::fs::copy(
        dir.join("base/eval_results_strict.jsonl"),
        dir.join("damaged/eval_results_strict.jsonl"),
    )
    .unwrap();
    fails(
        &[RUN, &["--output-dir", "out", "--compare", "damaged"]].concat(),
        "hold different numbers of rows",
    );
    // A comparison written to a new directory leaves no directory when it fails.
    fails(&[RUN, &["--output-dir", "fresh", "--compare", "nowhere"]].concat(), "cannot read");
    assert!(!dir.join("fresh").exists());
    let out = eval(
        &dir,
        &[
            "--input-data",
            "first.jsonl",
            "--responses",
            "resp.jsonl",
            "--output-dir",
            "fresh",
            "--compare",
            "base",
        ],
    );
    assert_status(&out, 2);
    assert!(
        !dir.join("fresh").exists(),
        "a failed comparison left {:?}",
        files(&dir.join("fresh"))
    );
}

#[test]
fn shard_usage_errors() {
    let dir = scratch("shard-usage");
    gpt4_files(&dir);
    for bad in ["0/3", "4/3", "x/y", "3", "1/0", ""] {
        for cmd in [
            &["eval", "--input-data", "in.jsonl", "--responses", "resp.jsonl", "--output-dir", "o"]
                [..],
            &["backtranslate", "--input", "in.jsonl", "--output", "o.jsonl"],
        ] {
            let out = crab(&dir, &[cmd, &["--shard", bad]].concat(), None);
            assert_status(&out, 2);
            assert_eq!(
                text(&out.stderr),
                format!("crab: --shard takes K/N, shard K of N with 1 <= K <= N (shards are numbered from 1), not '{bad}'\n")
            );
        }
    }
    assert_eq!(files(&dir), ["in.jsonl", "resp.jsonl"]);
    // --merge takes directories only.
    for extra in [
        &["--input-data", "in.jsonl"][..],
        &["--responses", "r"],
        &["--strip-think"],
        &["--shard", "1/2"],
    ] {
        let out = eval(&dir, &[&["--merge", "a", "b", "--output-dir", "o"][..], extra].concat());
        assert_status(&out, 2);
        assert!(
            text(&out.stderr).contains("--merge takes the shards' output directories only"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// Runs the three shards of `args` into `dir/s1`…`dir/s3` (from `dir`) and merges them into
/// `dir/out`; returns the merge's output, after checking each shard's manifest and status.
fn shards_then_merge(
    dir: &Path,
    args: &[&str],
    stdin: Option<&str>,
    merge_extra: &[&str],
) -> Output {
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out_dir = format!("s{k}");
        let out = crab(
            dir,
            &[&["eval"], args, &["--shard", &shard, "--output-dir", &out_dir]].concat(),
            stdin.map(str::as_bytes),
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "shard {k}: {}", text(&out.stderr));
        let manifest: Value =
            serde_json::from_str(&read(dir.join(&out_dir).join("eval_shard.json"))).unwrap();
        assert_eq!((manifest["shard"].as_u64(), manifest["shards"].as_u64()), (Some(k), Some(3)));
    }
    // In any order.
    eval(dir, &[&["--merge", "s3", "s1", "s2", "--output-dir", "out"][..], merge_extra].concat())
}

/// The whole GPT-4 run, and its three shards merged: the same result files, CSV, report,
/// messages, exit status and comparison.
#[test]
fn three_shards_merged_equal_one_run_of_the_gpt4_file() {
    let one = scratch("merge-one");
    let many = scratch("merge-many");
    for dir in [&one, &many] {
        gpt4_files(dir);
        std::fs::write(dir.join("resp2.jsonl"), changed_responses()).unwrap();
        assert_status(
            &eval(
                dir,
                &["--input-data", "in.jsonl", "--responses", "resp2.jsonl", "--output-dir", "base"],
            ),
            0,
        );
    }
    let extra = ["--format", "csv", "--compare", "base"];
    let single = eval(&one, &[RUN, &["--output-dir", "out"], &extra].concat());
    assert_status(&single, 0);
    // The shards read the responses from standard input: the merge does not care how.
    let args = ["--input-data", "in.jsonl", "--responses", "-", "--format", "csv"];
    let merged = shards_then_merge(&many, &args, Some(&data(RESPONSES)), &extra);
    assert_status(&merged, 0);
    assert_eq!(text(&merged.stdout), text(&single.stdout));
    assert_eq!(text(&merged.stderr), text(&single.stderr));
    let names = [
        "eval_compare.json",
        "eval_results.csv",
        "eval_results_loose.jsonl",
        "eval_results_strict.jsonl",
    ];
    assert_eq!(files(&many.join("out")), names);
    for name in names {
        assert!(
            read(many.join("out").join(name)) == read(one.join("out").join(name)),
            "{name} differs"
        );
    }
    // The blocks: 180, 180, 181 rows.
    let rows: Vec<usize> = (1..=3)
        .map(|k| read(many.join(format!("s{k}/eval_results_strict.jsonl"))).lines().count())
        .collect();
    assert_eq!(rows, [180, 180, 181]);
}

/// With bad rows in both files (and blank lines, and a shard with no row to score), the merge
/// prints the one run's messages and exits as it does.
#[test]
fn shards_merged_equal_one_run_with_bad_rows() {
    let mut input: Vec<String> = data(INPUT).lines().take(12).map(str::to_owned).collect();
    input[2] = "{".to_owned();
    input[5] = input[5].replace("\"kwargs\": [", "\"kwargs\": [{\"x\": 1}, ");
    input[6] = input[6].replacen("\"prompt\": \"", "\"prompt\": \"NO RESPONSE ", 1);
    input.insert(8, String::new());
    let mut responses: Vec<String> = data(RESPONSES).lines().take(12).map(str::to_owned).collect();
    responses.insert(3, "not json".to_owned());
    let one = scratch("merge-bad-one");
    let many = scratch("merge-bad-many");
    for dir in [&one, &many] {
        std::fs::write(dir.join("in.jsonl"), input.join("\n")).unwrap();
        std::fs::write(dir.join("resp.jsonl"), responses.join("\n")).unwrap();
    }
    let single = eval(&one, &[RUN, &["--output-dir", "out"]].concat());
    assert_status(&single, 1);
    assert_eq!(text(&single.stderr).lines().count(), 5, "{}", text(&single.stderr));
    let merged = shards_then_merge(&many, RUN, None, &[]);
    assert_status(&merged, 1);
    assert_eq!(text(&merged.stderr), text(&single.stderr));
    assert_eq!(text(&merged.stdout), text(&single.stdout));
    for name in ["eval_results_strict.jsonl", "eval_results_loose.jsonl"] {
        assert_eq!(read(many.join("out").join(name)), read(one.join("out").join(name)), "{name}");
    }

    // Two rows, three shards: shard 1 has none, says so, and the merge is still the one run.
    let one = scratch("merge-tiny-one");
    let many = scratch("merge-tiny-many");
    for dir in [&one, &many] {
        let two: String = data(INPUT).lines().take(2).map(|l| format!("{l}\n")).collect();
        std::fs::write(dir.join("in.jsonl"), two).unwrap();
        std::fs::write(dir.join("resp.jsonl"), data(RESPONSES)).unwrap();
    }
    let single = eval(&one, &[RUN, &["--output-dir", "out"]].concat());
    assert_status(&single, 0);
    let empty = eval(&many, &[RUN, &["--shard", "1/3", "--output-dir", "s1"]].concat());
    assert_status(&empty, 0);
    assert!(empty.stdout.is_empty());
    assert_eq!(
        text(&empty.stderr),
        "crab eval: shard 1/3 (no rows) scored no instruction, so there is no report; crab eval \
         --merge adds its files to the other shards'\n"
    );
    assert_eq!(read(many.join("s1/eval_results_strict.jsonl")), "");
    let merged = shards_then_merge(&many, RUN, None, &[]);
    assert_status(&merged, 0);
    assert_eq!(text(&merged.stdout), text(&single.stdout));
    assert_eq!(
        read(many.join("out/eval_results_loose.jsonl")),
        read(one.join("out/eval_results_loose.jsonl"))
    );
}

#[test]
fn merge_refuses_shards_that_do_not_belong_together() {
    let dir = scratch("merge-refuse");
    gpt4_files(&dir);
    for k in 1..=3 {
        let out = eval(
            &dir,
            &[RUN, &["--shard", &format!("{k}/3"), "--output-dir", &format!("s{k}")]].concat(),
        );
        assert_status(&out, 0);
    }
    let refuses = |dirs: &[&str], extra: &[&str], message: &str| {
        let out = eval(&dir, &[&["--merge"], dirs, &["--output-dir", "out"], extra].concat());
        assert_status(&out, 2);
        let err = text(&out.stderr);
        assert!(err.contains(message), "{dirs:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!dir.join("out").exists(), "{dirs:?} left an output");
    };
    refuses(
        &["s1", "s2"],
        &[],
        "shard 3/3 missing: --merge needs the output directories of all 3 shards",
    );
    refuses(&["s1", "s2", "s2"], &[], "s2 and s2 are both shard 2/3");
    refuses(&["s1", "s2", "in.jsonl"], &[], "cannot read in.jsonl/eval_shard.json");
    refuses(&["s1", "s2", "s3"], &["--format", "csv"], "shard 1/3 wrote no eval_results.csv");
    // A shard of another split, of other responses, or with other options.
    assert_status(&eval(&dir, &[RUN, &["--shard", "2/4", "--output-dir", "q2"]].concat()), 0);
    refuses(&["s1", "q2", "s3"], &[], "q2 is shard 2/4, but s1 is shard 1/3: not the same run");
    std::fs::write(dir.join("resp2.jsonl"), changed_responses()).unwrap();
    assert_status(
        &eval(
            &dir,
            &[
                "--input-data",
                "in.jsonl",
                "--responses",
                "resp2.jsonl",
                "--shard",
                "2/3",
                "--output-dir",
                "r2",
            ],
        ),
        0,
    );
    refuses(
        &["s1", "r2", "s3"],
        &[],
        "r2 (shard 2/3) and s1 (shard 1/3) read different response files: resp2.jsonl (",
    );
    assert_status(
        &eval(&dir, &[RUN, &["--strip-think", "--shard", "2/3", "--output-dir", "t2"]].concat()),
        0,
    );
    refuses(&["s1", "t2", "s3"], &[], "t2 and s1 were run with and without --strip-think");
    // A result file that is not the one the shard wrote.
    std::fs::create_dir_all(dir.join("e2")).unwrap();
    for name in ["eval_shard.json", "eval_results_strict.jsonl", "eval_results_loose.jsonl"] {
        std::fs::copy(dir.join("s2").join(name), dir.join("e2").join(name)).unwrap();
    }
    let loose = read(dir.join("e2/eval_results_loose.jsonl"));
    // Still a well-formed result file, with one response edited.
    let edited = loose.replacen("\"response\": \"", "\"response\": \"Edited: ", 1);
    std::fs::write(dir.join("e2/eval_results_loose.jsonl"), edited).unwrap();
    refuses(
        &["s1", "e2", "s3"],
        &[],
        "e2/eval_results_loose.jsonl is not the file shard 2/3 wrote",
    );
    // Not into a shard's directory.
    let out = eval(&dir, &["--merge", "s1", "s2", "s3", "--output-dir", "s2"]);
    assert_status(&out, 2);
    assert!(text(&out.stderr).contains("--output-dir s2 is one of the shards' directories"));
    // The three right ones do merge.
    assert_status(&eval(&dir, &["--merge", "s1", "s2", "s3", "--output-dir", "out"]), 0);
}

/// `crab backtranslate --shard`: the shards' outputs end to end are the unsharded output, with
/// bad and blank lines (whose line numbers are keys and are named in messages).
#[test]
fn backtranslate_shards_put_end_to_end_are_the_unsharded_output() {
    let dir = scratch("bt-shards");
    let mut input = String::new();
    for (i, line) in data(RESPONSES).lines().take(20).enumerate() {
        let row: Value = serde_json::from_str(line).unwrap();
        input.push_str(&json!({"prompt": row["prompt"], "response": row["response"]}).to_string());
        input.push('\n');
        if i == 4 {
            input.push_str("\n{not json\n");
        }
    }
    std::fs::write(dir.join("pairs.jsonl"), &input).unwrap();
    let common =
        ["backtranslate", "--input", "pairs.jsonl", "--seed", "3", "--exclude", "crab:key_phrases"];
    let whole = crab(&dir, &[&common[..], &["--output", "all.jsonl"]].concat(), None);
    assert_status(&whole, 1);
    let mut joined = Vec::new();
    let mut messages = String::new();
    for k in 1..=4 {
        let out = crab(
            &dir,
            &[&common[..], &["--output", &format!("{k}.jsonl"), "--shard", &format!("{k}/4")]]
                .concat(),
            None,
        );
        assert!(matches!(out.status.code(), Some(0 | 1)));
        assert!(text(&out.stdout).starts_with(&format!("crab backtranslate: shard {k}/4: ")));
        messages.push_str(&text(&out.stderr));
        joined.extend(std::fs::read(dir.join(format!("{k}.jsonl"))).unwrap());
    }
    assert!(
        joined == std::fs::read(dir.join("all.jsonl")).unwrap(),
        "the shards differ from the whole"
    );
    assert_eq!(messages, text(&whole.stderr));
    assert_eq!(
        messages,
        "crab backtranslate: pairs.jsonl:7: not valid JSON at column 2: key must be a string\n"
    );
    assert_eq!(read(dir.join("all.jsonl")).lines().count(), 20);
}

/// Progress shows on a terminal, on one line that is rewritten and erased before the report,
/// and not at all otherwise. Standard error is made a terminal by running the command under
/// `script` (util-linux, in every Debian). The line first appears half a second into a run, so
/// the input is a FIFO that this test fills in three parts, 1.5 s apart: the run cannot end
/// before the line is due, however fast the machine.
#[test]
fn progress_only_on_a_terminal() {
    let dir = scratch("progress");
    gpt4_files(&dir);
    let fifo = dir.join("in.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let input = data(INPUT);
    let rows: Vec<&str> = input.lines().collect();
    let crab_eval = format!(
        "{} eval --input-data in.fifo --responses resp.jsonl --output-dir out --jobs 1",
        env!("CARGO_BIN_EXE_crab")
    );
    let mut outputs = Vec::new();
    for terminal in [true, false] {
        let mut command = if terminal {
            let mut c = Command::new("script");
            c.args(["-qec", &crab_eval, "/dev/null"]);
            c
        } else {
            let mut c = Command::new("sh");
            c.args(["-c", &crab_eval]);
            c
        };
        let child = command
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Opening blocks until crab opens the FIFO for reading.
        let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        for part in [&rows[..1], &rows[1..300], &rows[300..]] {
            for row in part {
                writeln!(writer, "{row}").unwrap();
            }
            writer.flush().unwrap();
            if part.len() < 300 {
                std::thread::sleep(std::time::Duration::from_millis(1500));
            }
        }
        drop(writer);
        let out = child.wait_with_output().unwrap();
        assert_status(&out, 0);
        outputs.push(out);
    }
    // Under `script`, standard output and error both reach the terminal, with CRLF line ends.
    let terminal = text(&outputs[0].stdout);
    let report = text(&outputs[1].stdout);
    let (progress, rest) = terminal.split_once(&"=".repeat(64)).unwrap();
    assert!(progress.starts_with("\r\x1b[Kcrab eval: "), "{progress:?}");
    assert!(progress.contains(" rows scored, "), "{progress:?}");
    assert!(progress.ends_with("\r\x1b[K"), "the line is erased before the report: {progress:?}");
    assert!(!progress.contains('\n'), "one line, rewritten: {progress:?}");
    assert_eq!(format!("{}{rest}", "=".repeat(64)).replace("\r\n", "\n"), report);
    // Without a terminal: nothing on standard error.
    assert_eq!(text(&outputs[1].stderr), "");
}

/// Each new option is in its command's help, and the rules for standard error and large runs are
/// in `crab --help`.
#[test]
fn the_batch_options_are_in_the_help() {
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_crab")).args(args).output().unwrap();
        assert_status(&out, 0);
        text(&out.stdout)
    };
    let top = help(&["--help"]);
    // The line endings are written as escapes, not as line breaks.
    assert!(top.contains(r"Lines end at \n, \r\n or \r, and are numbered"), "{top}");
    for needle in [
        "--responses FILE|-",
        "--format jsonl|csv",
        "--compare OTHER_DIR",
        "--merge DIR...",
        "--shard K/N",
        "STANDARD ERROR:",
        "unless standard error is a terminal",
        "LARGE RUNS:",
        "GNU parallel",
    ] {
        assert!(top.contains(needle), "crab --help lacks {needle:?}");
    }
    let eval = help(&["eval", "--help"]);
    for needle in [
        "--format csv",
        "eval_results.csv",
        "`-` reads them from standard input",
        "<stdin>:LINE",
        "--compare OTHER_DIR",
        "eval_compare.json",
        "--shard K/N",
        "eval_shard.json",
        "--merge DIR...",
        "On a terminal, progress",
    ] {
        assert!(eval.contains(needle), "crab eval --help lacks {needle:?}");
    }
    let bt = help(&["backtranslate", "--help"]);
    for needle in [
        "[--shard K/N]",
        "--shard K/N        process only block K of N",
        "`cat out.1 out.2 …`",
        "On a terminal, progress",
    ] {
        assert!(bt.contains(needle), "crab backtranslate --help lacks {needle:?}");
    }
}
