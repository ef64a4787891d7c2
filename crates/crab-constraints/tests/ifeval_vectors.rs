//! Parity with Google's IFEval on the GPT-4 responses, instruction by instruction: for each of the
//! 834 instructions, the strict result, the loose result and the result on each of the 8 loose
//! candidates must equal `expected/ifeval_gpt4_check_vectors.jsonl` (generated with Google's code).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/lang.rs"]
mod lang;

use std::collections::{BTreeMap, HashMap};

use crab_constraints::checks::Constraint;
use crab_constraints::ifeval;

#[test]
fn every_instruction_matches_googles_strict_loose_and_variant_results() {
    let response_of: HashMap<i64, String> = data::gpt4_responses().into_iter().collect();

    let detector = lang::detector();
    let vectors =
        data::read_jsonl(&format!("{}/expected/ifeval_gpt4_check_vectors.jsonl", data::IFEVAL));
    assert_eq!(vectors.len(), 834);
    // id -> (cases, agreeing, unbuildable)
    let mut per_id: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for v in &vectors {
        let id = v["instruction_id"].as_str().unwrap();
        let key = v["key"].as_i64().unwrap();
        let entry = per_id.entry(id.to_owned()).or_default();
        entry.0 += 1;
        let constraint = match Constraint::from_ifeval(id, &v["kwargs"]) {
            Ok(c) => c,
            Err(e) => {
                entry.2 += 1;
                failures.push(format!("key {key} {id}: {e}"));
                continue;
            }
        };
        let got = ifeval::evaluate(
            std::slice::from_ref(&constraint),
            &response_of[&key],
            Some(&detector),
        );
        let candidates = ifeval::evaluate_candidates(
            std::slice::from_ref(&constraint),
            &response_of[&key],
            Some(&detector),
        );
        let detailed = ifeval::evaluate_detailed(
            std::slice::from_ref(&constraint),
            &response_of[&key],
            Some(&detector),
        );
        let want: Vec<bool> =
            v["variant_results"].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect();
        let ok = got.strict[0] == v["strict"].as_bool().unwrap()
            && got.loose[0] == v["loose"].as_bool().unwrap()
            && candidates[0].as_slice() == want.as_slice()
            && got.strict[0] == candidates[0][0]
            && got.loose[0] == candidates[0].iter().any(|&b| b)
            && detailed[0].strict.passed() == got.strict[0]
            && detailed[0].loose == got.loose[0];
        if ok {
            entry.1 += 1;
        } else {
            failures.push(format!(
                "key {key} index {} {id} {}: want variants {want:?}, got {:?}",
                v["index"], v["kwargs"], candidates[0]
            ));
        }
    }
    println!("{:<48} {:>5} {:>6} {:>7}", "id", "cases", "agree", "unbuilt");
    for (id, (n, ok, unbuilt)) in &per_id {
        println!("{id:<48} {n:>5} {ok:>6} {unbuilt:>7}");
    }
    let agree: usize = per_id.values().map(|e| e.1).sum();
    println!("instructions agreeing: {agree}/{}", vectors.len());
    for f in failures.iter().take(40) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} of {} instructions disagree", failures.len(), vectors.len());
}
