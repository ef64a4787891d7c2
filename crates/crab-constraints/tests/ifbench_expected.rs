//! IFBench's expected results (allenai HEAD, `shared/data/ifbench/expected_head/`) for every
//! registered IFBench check, on both test-set versions: per instruction, the strict and loose
//! verdicts on the sample responses equal HEAD's. Responses are matched as HEAD's
//! `evaluation_lib` matches them (by prompt, else by `prompt.strip()`); a prompt without a
//! response is skipped (HEAD scores it all-false without running any check). Null kwargs are
//! dropped, as HEAD's strict mode does before building a checker.
//!
//! A small per-family stand-in for the generic `crab eval --benchmark ifbench` parity test: it
//! prints a per-id agreement table and fails on any disagreement.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;

use std::collections::{BTreeMap, HashMap};

use crab_constraints::checks::{Constraint, CHECKS};
use crab_constraints::ifeval::evaluate;
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::{pystr, Resources};
use serde_json::{Map, Value};

const IFBENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifbench");
const TAGGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/pos-tagger.bin");

/// Per id: rows using it, rows agreeing strict, rows agreeing loose.
type Table = BTreeMap<String, [usize; 3]>;

/// `read_prompt_to_response_dict`: each prompt, and its stripped form when different, to its
/// response; later lines win.
fn responses() -> HashMap<String, String> {
    let mut map = HashMap::new();
    for r in data::read_jsonl(&format!("{IFBENCH}/sample_output.jsonl")) {
        let prompt = r["prompt"].as_str().expect("prompt");
        let response = r["response"].as_str().expect("response").to_owned();
        map.insert(prompt.to_owned(), response.clone());
        let stripped = pystr::strip(prompt);
        if stripped != prompt {
            map.insert(stripped.to_owned(), response);
        }
    }
    map
}

fn registered(id: &str) -> bool {
    CHECKS.iter().any(|info| info.id == id)
}

/// Compares every registered instruction of `test` with HEAD's results in `expected`.
fn compare(test: &str, expected: &str, table: &mut Table, failures: &mut Vec<String>) {
    let tagger = PosTagger::from_compact_bytes(&std::fs::read(TAGGER).expect("tagger asset"))
        .expect("the tagger loads");
    let resources = Resources { language: None, tagger: Some(&tagger) };
    let responses = responses();
    let rows = data::read_jsonl(&format!("{IFBENCH}/{test}"));
    let strict =
        data::read_jsonl(&format!("{IFBENCH}/{expected}/sample_output-eval_results_strict.jsonl"));
    let loose =
        data::read_jsonl(&format!("{IFBENCH}/{expected}/sample_output-eval_results_loose.jsonl"));
    assert_eq!((rows.len(), strict.len(), loose.len()), (rows.len(), rows.len(), rows.len()));
    for ((row, strict), loose) in rows.iter().zip(&strict).zip(&loose) {
        let prompt = row["prompt"].as_str().expect("prompt");
        assert_eq!(strict["prompt"], row["prompt"]);
        assert_eq!(loose["prompt"], row["prompt"]);
        let response = responses.get(prompt).or_else(|| responses.get(pystr::strip(prompt)));
        let Some(response) = response else { continue };
        let ids = row["instruction_id_list"].as_array().expect("ids");
        let kwargs = row["kwargs"].as_array().expect("kwargs");
        for (i, (id, kw)) in ids.iter().zip(kwargs).enumerate() {
            let id = id.as_str().expect("id");
            if !registered(id) {
                continue;
            }
            let kw: Map<String, Value> = kw
                .as_object()
                .expect("kwargs object")
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let c = Constraint::from_ifeval(id, &Value::Object(kw))
                .unwrap_or_else(|e| panic!("{test} key {}: {e}", row["key"]));
            let got = evaluate(std::slice::from_ref(&c), response, resources);
            let want = |r: &Value| r["follow_instruction_list"][i].as_bool().expect("bool");
            let entry = table.entry(id.to_owned()).or_default();
            entry[0] += 1;
            for (slot, mode, ours, theirs) in [
                (1, "strict", got.strict[0], want(strict)),
                (2, "loose", got.loose[0], want(loose)),
            ] {
                if ours == theirs {
                    entry[slot] += 1;
                } else {
                    failures.push(format!(
                        "{test} key {} {id} {mode}: ours {ours}, HEAD {theirs}",
                        row["key"]
                    ));
                }
            }
        }
    }
}

#[test]
fn registered_ifbench_checks_agree_with_head_on_both_versions() {
    let mut failures = Vec::new();
    let mut tables = Vec::new();
    for (test, expected) in [
        ("v2025-07/IFBench_test.jsonl", "expected_head/test_2025-07"),
        ("IFBench_test.jsonl", "expected_head/test_2026"),
    ] {
        let mut table = Table::new();
        compare(test, expected, &mut table, &mut failures);
        tables.push((test, table));
    }
    println!("{:<34} {:>22} {:>22}", "id", "2025-07 strict/loose", "2026 strict/loose");
    let ids: Vec<&String> = tables[0].1.keys().chain(tables[1].1.keys()).collect();
    let mut ids: Vec<&String> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let cell = |t: &Table| {
            let [n, s, l] = t.get(id).copied().unwrap_or_default();
            format!("{s}/{n} {l}/{n}")
        };
        println!("{id:<34} {:>22} {:>22}", cell(&tables[0].1), cell(&tables[1].1));
    }
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} verdicts differ from IFBench HEAD", failures.len());
}
