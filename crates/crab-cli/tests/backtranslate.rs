//! End-to-end tests of `crab backtranslate`: the real binary on real files. The acceptance
//! test back-translates the 541 GPT-4 (prompt, response) pairs and scores the output with
//! `crab eval` (every row must pass strict, with at least 5 constraints per row on average);
//! the others cover reproducibility, `--ifeval-only`, `--format crab`, chat-shaped input, bad
//! lines, usage errors and CRAB's own stage-6 sample records.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crab_constraints::backtranslate::is_ifeval_id;
use serde_json::{json, Value};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/");
const GPT4: &str = "ifeval/input_response_data_gpt4_20231107_145030.jsonl";
const CRAB_SAMPLE: &str = "crab/constraint_back_translation_sample.json";

fn shared(name: &str) -> String {
    let path = format!("{SHARED}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-bt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn crab(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crab")).current_dir(dir).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json_lines(path: impl AsRef<Path>) -> Vec<Value> {
    let text = std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.as_ref().display()));
    text.lines().map(|l| serde_json::from_str(l).expect("valid JSONL")).collect()
}

/// The GPT-4 pairs as `{prompt, response}` lines (the first `n`).
fn gpt4_input(n: usize) -> String {
    let mut out = String::new();
    for line in shared(GPT4).lines().take(n) {
        let row: Value = serde_json::from_str(line).unwrap();
        out.push_str(&json!({"prompt": row["prompt"], "response": row["response"]}).to_string());
        out.push('\n');
    }
    out
}

/// Runs `crab backtranslate --input in.jsonl --output out.jsonl` plus `extra` in `dir`.
fn backtranslate(dir: &Path, input: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("in.jsonl"), input).unwrap();
    let mut args = vec!["backtranslate", "--input", "in.jsonl", "--output", "out.jsonl"];
    args.extend_from_slice(extra);
    crab(dir, &args)
}

fn assert_success(out: &Output) {
    assert!(out.status.success(), "status {:?}\nstderr: {}", out.status, stderr(out));
}

/// Scores `file` (as both input data and responses) with `crab eval`; returns its report and
/// the strict result rows.
fn eval(dir: &Path, file: &str) -> (String, Vec<Value>) {
    let out =
        crab(dir, &["eval", "--input-data", file, "--responses", file, "--output-dir", "eval_out"]);
    assert_success(&out);
    (stdout(&out), json_lines(dir.join("eval_out/eval_results_strict.jsonl")))
}

/// Checks that every row of `rows` is well formed and consistent: the IFEval fields, the
/// combined constraints among `constraints` (with their texts in the prompt), the seed.
fn check_rows(rows: &[Value]) {
    for row in rows {
        let key = &row["key"];
        let ids = row["instruction_id_list"].as_array().expect("instruction_id_list");
        let kwargs = row["kwargs"].as_array().expect("kwargs");
        assert_eq!(ids.len(), kwargs.len(), "key {key}");
        assert!(row["seed"].is_u64(), "key {key}: seed");
        assert!(row["response"].is_string(), "key {key}: response");
        let prompt = row["prompt"].as_str().expect("prompt");
        let all = row["constraints"].as_array().expect("constraints");
        assert!(all.len() >= ids.len());
        let combined: Vec<&Value> = all.iter().filter(|c| c["combined"] == json!(true)).collect();
        assert_eq!(combined.len(), ids.len(), "key {key}: combined constraints");
        for c in all {
            assert!(c["id"].is_string() && c["kwargs"].is_object(), "key {key}: {c}");
            assert!(!c["text"].as_str().expect("text").is_empty(), "key {key}: {c}");
            assert!(c["combined"].is_boolean());
        }
        for c in &combined {
            assert!(prompt.contains(c["text"].as_str().unwrap()), "key {key}: {c} not in prompt");
            let listed =
                ids.iter().zip(kwargs).any(|(id, kw)| *id == c["id"] && *kw == c["kwargs"]);
            assert!(listed, "key {key}: {c} not in instruction_id_list/kwargs");
        }
    }
}

/// The acceptance test: back-translate every GPT-4 pair, then `crab eval` on the output gives
/// 100% strict (prompt- and instruction-level), with at least 5 constraints per row on average.
#[test]
fn gpt4_pairs_pass_crab_eval_strict() {
    let dir = scratch("gpt4");
    let out = backtranslate(&dir, &gpt4_input(usize::MAX), &["--seed", "2024"]);
    assert_success(&out);
    println!("{}", stdout(&out).trim_end());
    let rows = json_lines(dir.join("out.jsonl"));
    assert_eq!(rows.len(), 541);
    check_rows(&rows);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["key"], json!(i + 1), "the key is the line number");
    }
    let combined: usize =
        rows.iter().map(|r| r["instruction_id_list"].as_array().unwrap().len()).sum();
    let derived: usize = rows.iter().map(|r| r["constraints"].as_array().unwrap().len()).sum();
    let mean = combined as f64 / rows.len() as f64;
    println!(
        "541 rows: {combined} constraints combined ({mean:.2} per row), {derived} derived ({:.2} \
         per row)",
        derived as f64 / rows.len() as f64
    );
    assert!(mean >= 5.0, "only {mean:.2} constraints per row");

    let (report, strict) = eval(&dir, "out.jsonl");
    let strict_part = report.split("eval_results_loose").next().unwrap();
    assert!(strict_part.contains("prompt-level: 1.0\n"), "{report}");
    assert!(strict_part.contains("instruction-level: 1.0\n"), "{report}");
    assert_eq!(strict.len(), 541);
    let failing: Vec<&Value> =
        strict.iter().filter(|r| r["follow_all_instructions"] != json!(true)).collect();
    assert!(failing.is_empty(), "{} rows fail strict, e.g. {}", failing.len(), failing[0]);
    println!("crab eval: 541/541 rows pass strict (prompt-level 1.0), {combined} instructions");
}

#[test]
fn same_seed_same_file_whatever_the_jobs() {
    let dir = scratch("determinism");
    let input = gpt4_input(80);
    let run = |extra: &[&str]| {
        assert_success(&backtranslate(&dir, &input, extra));
        std::fs::read(dir.join("out.jsonl")).unwrap()
    };
    let a = run(&["--seed", "7", "--jobs", "1"]);
    let b = run(&["--seed", "7", "--jobs", "3"]);
    assert!(a == b, "the same seed gave different files");
    let c = run(&["--seed", "8"]);
    assert!(a != c, "another seed gave the same file");
    // A row's output depends on its key and the seed, not on the rows around it.
    let first = String::from_utf8(a).unwrap().lines().nth(4).unwrap().to_owned();
    let alone: String = input.lines().nth(4).unwrap().replacen('{', "{\"key\": 5, ", 1);
    assert_success(&backtranslate(&dir, &(alone + "\n"), &["--seed", "7"]));
    assert_eq!(std::fs::read_to_string(dir.join("out.jsonl")).unwrap().trim_end(), first);
}

#[test]
fn ifeval_only_and_bounds() {
    let dir = scratch("ifeval-only");
    let out = backtranslate(&dir, &gpt4_input(100), &["--ifeval-only", "--min", "2", "--max", "4"]);
    assert_success(&out);
    let rows = json_lines(dir.join("out.jsonl"));
    assert_eq!(rows.len(), 100);
    check_rows(&rows);
    let mut crab_derived = 0;
    for row in &rows {
        let ids = row["instruction_id_list"].as_array().unwrap();
        assert!(ids.len() <= 4, "key {}: {} constraints", row["key"], ids.len());
        let ifeval_available = row["constraints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| is_ifeval_id(c["id"].as_str().unwrap()))
            .count();
        assert!(ids.len() >= 2.min(ifeval_available), "key {}", row["key"]);
        for id in ids {
            assert!(is_ifeval_id(id.as_str().unwrap()), "key {}: {id}", row["key"]);
        }
        crab_derived += row["constraints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["id"].as_str().unwrap().starts_with("crab:"))
            .count();
    }
    // The crab:* ones are still listed (not combined).
    assert!(crab_derived > 0);
    let (report, _) = eval(&dir, "out.jsonl");
    assert!(report.contains("prompt-level: 1.0\n"), "{report}");
    assert!(!report.contains("\ncrab "), "no crab family in an --ifeval-only file: {report}");
}

#[test]
fn crab_format_writes_forward_and_reverse_items() {
    let dir = scratch("crab-format");
    let input = gpt4_input(30);
    let out = backtranslate(&dir, &input, &["--format", "crab"]);
    assert_success(&out);
    let items = json_lines(dir.join("out.jsonl"));
    let pairs: Vec<Value> = input.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut i = 0;
    for (n, pair) in pairs.iter().enumerate() {
        let forward = &items[i];
        i += 1;
        assert_eq!(forward["id"], json!(format!("{}_forward", n + 1)));
        let messages = forward["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0]["role"], "user");
        assert_eq!(messages[1]["role"], "assistant");
        assert!(messages[0]["content"]
            .as_str()
            .unwrap()
            .contains(pair["prompt"].as_str().unwrap()));
        assert_eq!(messages[1]["content"], pair["response"]);
        let num = forward["Num_Cons"].as_u64().unwrap() as usize;
        if num == 0 {
            continue;
        }
        let reverse = &items[i];
        i += 1;
        assert_eq!(reverse["id"], json!(format!("{}_reverse", n + 1)));
        let messages = reverse["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0]["role"], "user");
        assert_eq!(messages[1]["role"], "assistant");
        let prompt = messages[0]["content"].as_str().unwrap();
        assert!(prompt.contains(pair["prompt"].as_str().unwrap().trim()));
        assert!(prompt.contains(pair["response"].as_str().unwrap().trim()));
        let target: Vec<&str> = messages[1]["content"].as_str().unwrap().lines().collect();
        assert_eq!(target.len(), num);
        for (k, line) in target.iter().enumerate() {
            assert!(line.starts_with(&format!("{}. ", k + 1)), "{line}");
            // Each reverse target is a constraint of the forward prompt.
            let text = line.split_once(". ").unwrap().1;
            assert!(forward["messages"][0]["content"].as_str().unwrap().contains(text));
        }
    }
    assert_eq!(i, items.len());
    println!("--format crab: {} items for {} pairs", items.len(), pairs.len());
}

#[test]
fn chat_shaped_input() {
    let dir = scratch("messages");
    let input = [
        json!({"id": "a1", "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Describe the sea."},
            {"role": "assistant", "content": "The sea is vast and blue. It moves with the tides, and it is home to countless creatures."},
        ]}),
        json!({"conversations": null, "messages": [
            {"from": "human", "value": "Name three fruits."},
            {"from": "gpt", "value": "APPLE, BANANA AND CHERRY ARE THREE FRUITS."},
        ]}),
        json!({"key": 42, "instruction": "Say hi.", "prompt": "ignored", "response": "hi there, friend."}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let out = backtranslate(&dir, &input, &[]);
    assert_success(&out);
    let rows = json_lines(dir.join("out.jsonl"));
    check_rows(&rows);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["key"], "a1");
    assert!(rows[0]["prompt"].as_str().unwrap().contains("Describe the sea."));
    assert!(rows[0]["response"].as_str().unwrap().starts_with("The sea is vast"));
    assert_eq!(rows[1]["key"], 2);
    assert!(rows[1]["prompt"].as_str().unwrap().contains("Name three fruits."));
    assert_eq!(rows[1]["response"], "APPLE, BANANA AND CHERRY ARE THREE FRUITS.");
    assert_eq!(rows[2]["key"], 42);
    assert!(rows[2]["prompt"].as_str().unwrap().contains("Say hi."));
    assert!(!rows[2]["prompt"].as_str().unwrap().contains("ignored"));
    let (report, _) = eval(&dir, "out.jsonl");
    assert!(report.contains("prompt-level: 1.0\n"), "{report}");
}

#[test]
fn bad_lines_are_reported_and_skipped() {
    let dir = scratch("bad-lines");
    let good = gpt4_input(3);
    let good: Vec<&str> = good.lines().collect();
    let input = format!(
        "{}\nnot json\n{}\n\n{{\"prompt\": \"no response\"}}\n[1, 2]\n{}\n{{\"messages\": [{{\"role\": \"user\", \"content\": \"U\"}}]}}\n",
        good[0], good[1], good[2]
    );
    let out = backtranslate(&dir, &input, &[]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    for (line, why) in [
        (2, "not valid JSON"),
        (5, "no `response`"),
        (6, "expected a JSON object"),
        (8, "`messages` has no assistant"),
    ] {
        assert!(err.contains(&format!("in.jsonl:{line}: {why}")), "line {line}: {err}");
    }
    assert_eq!(err.lines().count(), 4, "{err}");
    assert!(stdout(&out).contains("4 line(s) failed"), "{}", stdout(&out));
    let rows = json_lines(dir.join("out.jsonl"));
    let keys: Vec<&Value> = rows.iter().map(|r| &r["key"]).collect();
    assert_eq!(keys, [&json!(1), &json!(3), &json!(7)], "the good lines, keyed by line number");
    check_rows(&rows);
}

#[test]
fn usage_and_file_errors() {
    let dir = scratch("usage");
    std::fs::write(dir.join("in.jsonl"), gpt4_input(1)).unwrap();
    let usage = [
        &["backtranslate"][..],
        &["backtranslate", "--input", "in.jsonl"],
        &["backtranslate", "--input", "in.jsonl", "--output", "o", "--format", "xml"],
        &["backtranslate", "--input", "in.jsonl", "--output", "o", "--min", "5", "--max", "2"],
        &["backtranslate", "--input", "in.jsonl", "--output", "o", "--seed", "x"],
        &["backtranslate", "--input", "in.jsonl", "--output", "o", "--jobs", "0"],
        &["backtranslate", "--input", "in.jsonl", "--output", "o", "--bogus"],
    ];
    for args in usage {
        let out = crab(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!dir.join("o").exists());
    }
    let help = crab(&dir, &["backtranslate", "--help"]);
    assert_success(&help);
    assert!(stdout(&help).contains("--format crab"));
    // An input that cannot be read and an output that cannot be written are fatal: exit
    // status 2, and no output file.
    let out = crab(&dir, &["backtranslate", "--input", "missing.jsonl", "--output", "o"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read missing.jsonl"), "{}", stderr(&out));
    assert!(!dir.join("o").exists());
    let out = crab(&dir, &["backtranslate", "--input", "in.jsonl", "--output", "no/such/dir/o"]);
    assert_eq!(out.status.code(), Some(2));
    // An empty input gives an empty output, successfully.
    assert_success(&backtranslate(&dir, "\n\n", &[]));
    assert_eq!(std::fs::read_to_string(dir.join("out.jsonl")).unwrap(), "");
    // No temporary files are left behind.
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// CRAB's stage-6 sample records (a JSON array of `{id, messages, Aug_instruction, …}`), one per
/// line: read through `messages`, keyed by their `id`, and every composed row passes strict.
#[test]
fn crab_stage6_records() {
    let dir = scratch("crab-sample");
    let records: Vec<Value> = serde_json::from_str(&shared(CRAB_SAMPLE)).expect("a JSON array");
    let input: String = records.iter().map(|r| r.to_string() + "\n").collect();
    let out = backtranslate(&dir, &input, &["--seed", "3"]);
    assert_success(&out);
    let rows = json_lines(dir.join("out.jsonl"));
    assert_eq!(rows.len(), records.len());
    check_rows(&rows);
    for (row, record) in rows.iter().zip(&records) {
        assert_eq!(row["key"], record["id"]);
        assert_eq!(row["response"], record["messages"][1]["content"]);
    }
    let (report, strict) = eval(&dir, "out.jsonl");
    assert!(report.contains("prompt-level: 1.0\n"), "{report}");
    let combined: usize =
        rows.iter().map(|r| r["instruction_id_list"].as_array().unwrap().len()).sum();
    println!(
        "CRAB sample: {}/{} rows pass strict, {combined} constraints combined ({:.2} per row)",
        strict.iter().filter(|r| r["follow_all_instructions"] == json!(true)).count(),
        rows.len(),
        combined as f64 / rows.len() as f64
    );
    let out = backtranslate(&dir, &input, &["--seed", "3", "--format", "crab"]);
    assert_success(&out);
    let items = json_lines(dir.join("out.jsonl"));
    assert_eq!(items[0]["id"], json!(format!("{}_forward", records[0]["id"])));
}

/// `--exclude` leaves checks (by id or family) out of derivation without changing what the
/// others derive; `--connector`, `--template` and `--weight` fix the layout and the draw.
#[test]
fn exclude_connector_template_and_weights() {
    let dir = scratch("exclude");
    let input = gpt4_input(60);
    let run = |extra: &[&str]| {
        assert_success(&backtranslate(&dir, &input, extra));
        json_lines(dir.join("out.jsonl"))
    };
    let all = run(&["--seed", "4"]);
    let some =
        run(&["--seed", "4", "--exclude", "crab:key_phrases,keywords", "--exclude", "startend"]);
    check_rows(&some);
    let left_out = |id: &str| {
        id == "crab:key_phrases" || id.starts_with("keywords:") || id.starts_with("startend:")
    };
    let mut removed = 0;
    for (a, b) in all.iter().zip(&some) {
        let kept: Vec<(&Value, &Value)> = a["constraints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| !left_out(c["id"].as_str().unwrap()))
            .map(|c| (&c["id"], &c["kwargs"]))
            .collect();
        let listed: Vec<(&Value, &Value)> =
            b["constraints"].as_array().unwrap().iter().map(|c| (&c["id"], &c["kwargs"])).collect();
        assert_eq!(kept, listed, "key {}", a["key"]);
        removed += a["constraints"].as_array().unwrap().len() - listed.len();
        assert_eq!(a["seed"], b["seed"]);
    }
    assert!(removed > 60, "only {removed} constraints excluded");

    let fixed = run(&["--connector", "numbered", "--template", "labelled", "--weight", "crab=0"]);
    check_rows(&fixed);
    for row in &fixed {
        let prompt = row["prompt"].as_str().unwrap();
        let ids = row["instruction_id_list"].as_array().unwrap();
        assert!(ids.iter().all(|id| !id.as_str().unwrap().starts_with("crab:")), "{ids:?}");
        if !ids.is_empty() {
            assert!(prompt.starts_with("Instruction: "), "{prompt}");
            assert!(prompt.contains("\n\nConstraints:\n1. "), "{prompt}");
        }
    }

    for (flag, value, needle) in [
        ("--exclude", "crab:keyphrases", "`crab:keyphrases` is neither a check id nor a family"),
        ("--connector", "comma", "--connector must be one of `plain`"),
        ("--template", "fancy", "--template must be one of `appended`"),
        ("--weight", "crab", "--weight takes ID=W"),
        ("--weight", "crab=-1", "must be a number >= 0"),
        ("--weight", "nope=2", "`nope` is neither a check id nor a family"),
    ] {
        let out = backtranslate(&dir, &input, &[flag, value, "--output", "bad.jsonl"]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{flag} {value}: {}", stderr(&out));
        assert!(!dir.join("bad.jsonl").exists());
    }
}

/// Every row written seeds below 2^53, so that a JavaScript reader gets the same number back.
#[test]
fn seeds_survive_any_json_reader() {
    let dir = scratch("seeds");
    assert_success(&backtranslate(&dir, &gpt4_input(200), &["--seed", "18446744073709551615"]));
    for row in json_lines(dir.join("out.jsonl")) {
        let seed = row["seed"].as_u64().unwrap();
        assert!(seed < 1 << 53, "seed {seed}");
    }
}

/// Every IFEval row we write runs unchanged in Google's evaluation: the 541 GPT-4 pairs,
/// back-translated with `--ifeval-only`, scored by the Python reference (if-verifiable's
/// copies of Google's instruction classes in Google's loop, `scripts/bench/reference_eval.py`,
/// run with `CRAB_PYTHON`): no row raises (a language code outside IFEval's 30 would raise
/// `KeyError`), every row passes strict, and its result files equal `crab eval`'s.
#[test]
fn ifeval_rows_run_in_googles_evaluation() {
    let dir = scratch("google");
    assert_success(&backtranslate(
        &dir,
        &gpt4_input(usize::MAX),
        &["--ifeval-only", "--seed", "11"],
    ));
    let rows = json_lines(dir.join("out.jsonl"));
    let languages = rows
        .iter()
        .flat_map(|r| {
            r["instruction_id_list"].as_array().unwrap().iter().zip(r["kwargs"].as_array().unwrap())
        })
        .filter(|(id, _)| *id == "language:response_language")
        .count();
    assert!(languages > 10, "only {languages} language constraints combined");
    let (report, _) = eval(&dir, "out.jsonl");
    assert!(report.contains("prompt-level: 1.0\n"), "{report}");

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var_os("CRAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv/bin/python"));
    // Like Google's evaluation_main, the script writes into an existing directory.
    std::fs::create_dir_all(dir.join("ref_out")).unwrap();
    let out = Command::new(&python)
        .arg(root.join("scripts/bench/reference_eval.py"))
        .arg("--input_data=out.jsonl")
        .arg("--input_response_data=out.jsonl")
        .arg("--output_dir=ref_out")
        .env("NLTK_DATA", format!("{SHARED}nltk_data"))
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(out.status.success(), "Google's evaluation failed on our rows: {}", stderr(&out));
    for name in ["eval_results_strict.jsonl", "eval_results_loose.jsonl"] {
        let ours = std::fs::read(dir.join("eval_out").join(name)).unwrap();
        let theirs = std::fs::read(dir.join("ref_out").join(name)).unwrap();
        assert!(ours == theirs, "{name} differs from Google's");
    }
    println!(
        "Google's evaluation on 541 back-translated rows: {}",
        stdout(&out).lines().take(3).collect::<Vec<_>>().join(" | ")
    );
}
