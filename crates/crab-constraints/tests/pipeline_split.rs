//! The pipeline in two parts, as the browser runs it: everything but key phrases on the main
//! thread ([`derive`] excluding `crab:key_phrases`), the key phrases in the worker
//! ([`derive_only`]), carried back as JSON text ([`Derivation::to_json`] /
//! [`Derivation::from_json`]) and merged ([`Derivation::merge`]). On the 541 GPT-4 pairs the
//! result must equal the one-shot pipeline `crab backtranslate` runs (no `--exclude`): the same
//! derived constraints, verdicts, notes, composition and exported records, for each pair's row seed
//! and two option sets.
#![cfg(feature = "keyphrases")]
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/lang.rs"]
mod lang;

use std::collections::BTreeMap;

use crab_constraints::backtranslate::{
    backtranslate, derive, derive_only, row_seed, ComposeOptions, Connector, Derivation,
};
use serde_json::{json, Value};

const KEY_PHRASES: &str = "crab:key_phrases";

#[test]
fn split_pipeline_equals_the_one_shot_pipeline_on_gpt4() {
    let detector = lang::detector();
    let inputs =
        data::read_jsonl(&format!("{}/input_data_gpt4_20231107_145030.jsonl", data::IFEVAL));
    let mut weights = BTreeMap::new();
    weights.insert("crab".to_owned(), 3.0);
    let option_sets = [
        ComposeOptions::default(),
        ComposeOptions {
            min: Some(2),
            max: Some(5),
            weights,
            connector: Connector::parse("numbered"),
            ..ComposeOptions::default()
        },
    ];
    let exclude = [KEY_PHRASES.to_owned()];
    let (mut pairs, mut with_phrases, mut combined_phrases) = (0, 0, 0);
    for ((key, response), input) in data::gpt4_responses().into_iter().zip(&inputs) {
        let prompt = input["prompt"].as_str().expect("prompt");
        for base in [42] {
            let seed = row_seed(base, &json!(key));
            // The main thread: everything but key phrases.
            let main = derive(prompt, &response, seed, Some(&detector), &exclude);
            assert!(main.items.iter().all(|d| d.constraint.id() != KEY_PHRASES));
            // The worker: key phrases only, posted back as JSON text and read without resources.
            let worker = derive_only(prompt, &response, seed, None, &exclude);
            assert!(worker.items.iter().all(|d| d.constraint.id() == KEY_PHRASES));
            let text = worker.to_json().to_string();
            let back = Derivation::from_json(
                &serde_json::from_str::<Value>(&text).expect("JSON"),
                &response,
                None,
            )
            .expect("the worker's derivation reads back");
            assert_eq!(back, worker, "key {key}: the JSON round trip changed the derivation");
            let merged = main.merge(back);
            let whole = derive(prompt, &response, seed, Some(&detector), &[]);
            assert_eq!(merged, whole, "key {key}, seed {seed}: the merged derivation differs");
            if !worker.items.is_empty() {
                with_phrases += 1;
            }
            for opts in &option_sets {
                let one_shot = backtranslate(prompt, &response, seed, Some(&detector), opts, &[]);
                let two_part = merged.compose(prompt, opts, &[]);
                assert_eq!(two_part, one_shot, "key {key}, seed {seed}: the composition differs");
                assert_eq!(
                    two_part.rows_item(json!(key), &response).to_string(),
                    one_shot.rows_item(json!(key), &response).to_string()
                );
                assert_eq!(
                    two_part.crab_items(&json!(key), prompt, &response),
                    one_shot.crab_items(&json!(key), prompt, &response)
                );
                combined_phrases += two_part
                    .composition
                    .requirements
                    .iter()
                    .filter(|r| r.id() == KEY_PHRASES)
                    .count();
            }
            pairs += 1;
        }
    }
    eprintln!(
        "{pairs} (pair, seed) runs: key phrases derived in {with_phrases}, combined into a \
         prompt {combined_phrases} times"
    );
    assert_eq!(pairs, 541);
    assert!(with_phrases > 250, "key phrases derived in only {with_phrases} runs");
    assert!(combined_phrases > 0);
}

#[test]
fn a_refusal_note_travels_and_lands_in_registry_order() {
    let response = "The sea is wide and deep. Sailors love it and fear it. ".repeat(400);
    let exclude = [KEY_PHRASES.to_owned()];
    let worker = derive_only("", &response, 3, None, &exclude);
    assert!(worker.items.is_empty());
    assert_eq!(worker.notes.len(), 1);
    assert!(worker.notes[0].starts_with("crab:key_phrases: no key phrases: the text is too long"));
    let back = Derivation::from_json(&worker.to_json(), &response, None).expect("reads back");
    let merged = derive("", &response, 3, None, &exclude).merge(back);
    assert_eq!(merged, derive("", &response, 3, None, &[]));
}

/// The browser asks its worker for key phrases only when the response changes, not when the
/// instruction or the seed does (src/backtranslate.rs, `WORKER_CHECKS`): that is right only while
/// their derivation reads nothing but the response.
#[test]
fn worker_checks_read_only_the_response() {
    let inputs =
        data::read_jsonl(&format!("{}/input_data_gpt4_20231107_145030.jsonl", data::IFEVAL));
    let only = [KEY_PHRASES.to_owned()];
    let mut with_phrases = 0;
    for ((key, response), input) in data::gpt4_responses().into_iter().zip(&inputs) {
        let prompt = input["prompt"].as_str().expect("prompt");
        let asked = derive_only(prompt, &response, row_seed(42, &json!(key)), None, &only);
        let bare = derive_only("", &response, 0, None, &only);
        assert_eq!(asked.items, bare.items, "key {key}");
        assert_eq!(asked.notes, bare.notes, "key {key}");
        with_phrases += usize::from(!asked.items.is_empty());
    }
    assert!(with_phrases > 250, "key phrases derived for only {with_phrases} responses");
}
