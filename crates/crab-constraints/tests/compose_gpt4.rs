//! Combination end to end on the 541 GPT-4 responses: derive every constraint a response
//! satisfies, compose a prompt from them, write it as an IFEval row, read the row back as any
//! IFEval tool would, and score the source response against it: every constraint must pass
//! strict. Also checks that the conflict table generated from the reference package is current.
//!
//! Interpreter: `CRAB_PYTHON` (default `<workspace>/.venv/bin/python`) with if-verifiable 0.1.2
//! runs `scripts/gen_conflicts_table.py`; a missing interpreter fails the test.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/lang.rs"]
mod lang;
#[path = "support/oracle.rs"]
mod oracle;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crab_constraints::backtranslate::{
    compose, conflict, ifeval_row, reverse_item, ComposeOptions, Composition,
};
use crab_constraints::checks::{Constraint, DeriveContext};
use crab_constraints::ifeval::{evaluate, InputRow};
use crab_constraints::rng::Rng;
use crab_constraints::text::Analysis;
use serde_json::json;

#[test]
fn generated_conflict_table_is_current() {
    let script = oracle::workspace_root().join("scripts/gen_conflicts_table.py");
    let generated =
        oracle::run_python(&oracle::python(), &[&script, Path::new("--stdout")], String::new());
    let committed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/backtranslate/conflicts_table.rs"),
    )
    .expect("conflicts_table.rs");
    assert!(
        generated == committed,
        "src/backtranslate/conflicts_table.rs is stale: run scripts/gen_conflicts_table.py"
    );
    eprintln!("conflicts_table.rs: {} bytes, equal to the generator's output", committed.len());
}

struct Item {
    key: i64,
    prompt: String,
    response: String,
    derived: Vec<Constraint>,
}

fn items() -> Vec<Item> {
    let detector = lang::detector();
    let inputs =
        data::read_jsonl(&format!("{}/input_data_gpt4_20231107_145030.jsonl", data::IFEVAL));
    data::gpt4_responses()
        .into_iter()
        .zip(&inputs)
        .map(|((key, response), input)| {
            let prompt = input["prompt"].as_str().expect("prompt").to_owned();
            let analysis = Analysis::with_detector(&response, Some(&detector));
            let mut cx = DeriveContext::new(&prompt, key as u64);
            let derived = Constraint::derive_all(&analysis, &mut cx);
            drop(analysis);
            Item { key, prompt, response, derived }
        })
        .collect()
}

/// Composes every item with `opts`, round-trips the row and scores the source response;
/// prints the counts (constraints per prompt, conflicting candidates avoided) and returns the
/// compositions.
fn round_trip(items: &[Item], opts: &ComposeOptions, label: &str) -> Vec<Composition> {
    let detector = lang::detector();
    let mut comps = Vec::new();
    let mut failures = Vec::new();
    let (mut total, mut avoided, mut pairs_checked) = (0, 0, 0);
    let mut per_count: BTreeMap<usize, usize> = BTreeMap::new();
    for item in items {
        let comp = compose(&item.prompt, &item.derived, opts, &mut Rng::new(item.key as u64));
        total += comp.constraints().len();
        avoided += comp.avoided;
        *per_count.entry(comp.constraints().len()).or_default() += 1;
        for (i, a) in comp.constraints().iter().enumerate() {
            for b in &comp.constraints()[i + 1..] {
                pairs_checked += 1;
                if let Some(reason) = conflict(a, b) {
                    failures.push(format!("key {}: combined a conflict: {reason}", item.key));
                }
            }
        }
        for t in &comp.texts {
            assert!(comp.prompt.contains(t.as_str()), "key {}: text missing", item.key);
        }
        let row = InputRow::from_json(ifeval_row(json!(item.key), &comp))
            .unwrap_or_else(|e| panic!("key {}: row does not parse: {e}", item.key));
        assert_eq!(row.key, json!(item.key));
        assert_eq!(row.prompt, comp.prompt);
        let constraints = row.constraints().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(constraints, comp.constraints(), "key {}: kwargs do not round-trip", item.key);
        let followed = evaluate(&constraints, &item.response, Some(&detector));
        for (c, ok) in constraints.iter().zip(&followed.strict) {
            if !ok {
                failures.push(format!(
                    "key {}: {} {:?} fails strict",
                    item.key,
                    c.id(),
                    c.kwargs()
                ));
            }
        }
        comps.push(comp);
    }
    println!(
        "{label}: {} prompts, {total} constraints ({:.2} per prompt), {avoided} conflicting \
         candidates avoided, {pairs_checked} combined pairs checked, 0 conflicts expected",
        items.len(),
        total as f64 / items.len() as f64
    );
    println!("{label}: prompts by number of constraints: {per_count:?}");
    for f in failures.iter().take(20) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{label}: {} failures", failures.len());
    comps
}

#[test]
fn composed_rows_hold_on_every_gpt4_response() {
    let items = items();
    assert_eq!(items.len(), 541);
    let derived: usize = items.iter().map(|i| i.derived.len()).sum();
    println!(
        "{derived} candidates derived ({:.2} per response)",
        derived as f64 / items.len() as f64
    );

    let comps = round_trip(&items, &ComposeOptions::default(), "all checks");
    let mean = comps.iter().map(|c| c.constraints().len()).sum::<usize>() as f64 / 541.0;
    assert!(mean >= 5.0, "mean {mean:.2} constraints per prompt");
    let ids: BTreeSet<&str> =
        comps.iter().flat_map(|c| c.constraints().into_iter().map(|k| k.id())).collect();
    println!("{} distinct checks combined", ids.len());

    let ifeval = ComposeOptions { ifeval_only: true, ..ComposeOptions::default() };
    let comps = round_trip(&items, &ifeval, "--ifeval-only");
    assert!(comps.iter().all(|c| c.constraints().iter().all(|k| !k.id().starts_with("crab:"))));

    // Reproducible: the same seed gives the same composition; another seed another prompt.
    let mut differ = 0;
    for item in &items {
        let again = compose(
            &item.prompt,
            &item.derived,
            &ComposeOptions::default(),
            &mut Rng::new(item.key as u64),
        );
        let same = compose(
            &item.prompt,
            &item.derived,
            &ComposeOptions::default(),
            &mut Rng::new(item.key as u64),
        );
        assert_eq!(again, same);
        let other = compose(
            &item.prompt,
            &item.derived,
            &ComposeOptions::default(),
            &mut Rng::new(item.key as u64 + 1_000_000),
        );
        if other.prompt != again.prompt {
            differ += 1;
        }
    }
    println!("{differ}/541 prompts change with another seed");
    assert!(differ >= 500, "only {differ} prompts change with the seed");

    // Reverse items: the target lists every rendered constraint of the composition.
    let (prompt, target) =
        reverse_item(&items[0].prompt, &items[0].response, &comps[0].texts, &mut Rng::new(1));
    assert!(prompt.contains(items[0].prompt.trim()));
    assert_eq!(target.lines().count(), comps[0].texts.len());
    println!("example prompt (key {}):\n{}\n", items[0].key, comps[0].prompt);
}
