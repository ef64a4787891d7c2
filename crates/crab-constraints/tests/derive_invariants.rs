//! The back-translation contract, on the 541 GPT-4 responses and on generated texts:
//! (a) every derived constraint passes strict verification on its source response;
//! (b) none is vacuous: each fails on at least one of the other responses;
//! (c) derivation never panics;
//! (d) every registered check derives something on the GPT-4 responses, except the few that
//!     have no derivation (`CheckInfo::derives` is false; their docs say why), which derive
//!     nothing anywhere.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/lang.rs"]
mod lang;

use std::collections::BTreeMap;

use crab_constraints::checks::{Constraint, DeriveContext, CHECKS};
use crab_constraints::ifeval::verify_strict;
use crab_constraints::rng::Rng;
use crab_constraints::text::Analysis;

#[test]
fn derived_constraints_hold_on_their_source_and_are_not_vacuous() {
    let detector = lang::detector();
    let inputs =
        data::read_jsonl(&format!("{}/input_data_gpt4_20231107_145030.jsonl", data::IFEVAL));
    let responses = data::gpt4_responses();
    let prompts: Vec<&str> = inputs.iter().map(|r| r["prompt"].as_str().unwrap()).collect();
    let analyses: Vec<Analysis<'_>> =
        responses.iter().map(|(_, r)| Analysis::with_detector(r, Some(&detector))).collect();

    // id -> (derived, failing on source, vacuous)
    let mut per_id: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut total = 0;
    for (i, (key, _)) in responses.iter().enumerate() {
        let mut cx = DeriveContext::new(prompts[i], *key as u64);
        let derived = Constraint::derive_all(&analyses[i], &mut cx);
        total += derived.len();
        for c in &derived {
            let entry = per_id.entry(c.id()).or_default();
            entry.0 += 1;
            let v = verify_strict(c, &analyses[i]);
            if !v.passed() {
                entry.1 += 1;
                problems.push(format!(
                    "key {key}: derived {} {:?} fails on its source: {}",
                    c.id(),
                    c.kwargs(),
                    v.detail
                ));
            }
            // Non-vacuous: some other response fails it (start after this one, wrap around).
            let fails_elsewhere = (1..analyses.len())
                .map(|d| (i + d) % analyses.len())
                .any(|j| !verify_strict(c, &analyses[j]).passed());
            if !fails_elsewhere {
                entry.2 += 1;
                problems.push(format!(
                    "key {key}: derived {} {:?} holds on every response",
                    c.id(),
                    c.kwargs()
                ));
            }
        }
    }
    println!("{:<48} {:>8} {:>10} {:>8}", "id", "derived", "src-fails", "vacuous");
    for (id, (n, bad, vacuous)) in &per_id {
        println!("{id:<48} {n:>8} {bad:>10} {vacuous:>8}");
    }
    println!(
        "{total} constraints derived for {} responses ({:.1} per response)",
        responses.len(),
        total as f64 / responses.len() as f64
    );
    for p in problems.iter().take(30) {
        eprintln!("{p}");
    }
    assert!(problems.is_empty(), "{} derivation contract violations", problems.len());
    // Every registered check has a derivation, and each one derives somewhere in the corpus
    // (those without one derive nothing).
    for info in CHECKS {
        assert_eq!(
            per_id.contains_key(info.id),
            info.derives,
            "{} derived {} on the GPT-4 responses",
            info.id,
            if info.derives { "nothing" } else { "something" }
        );
    }
}

/// Random texts built from pieces that trigger every check's derivation.
fn generated_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "The quick brown fox jumps over the lazy dog.",
        "Dr. Smith arrived at 3.14 p.m.",
        "\n\n",
        "\n",
        "***",
        "* first bullet",
        "- second bullet",
        "*highlighted*",
        "**bold part**",
        "<<A Title>>",
        "[placeholder]",
        "P.S. see you",
        "SECTION 1",
        "My answer is yes.",
        "{\"a\": [1, 2, NaN]}",
        "```json\n{}\n```",
        "ALL CAPS WORDS HERE",
        "all lowercase words here",
        "\"quoted\"",
        "******",
        "Is there anything else I can help with?",
        "हिन्दी में लिखा",
        "Ελληνικά κείμενα",
        "Deniz bu sabah çok sakin ve mavi görünüyor ve martılar uçuyor.",
        "",
        " ",
        ",",
        "!?",
        "ß İ Σ",
        "\u{1c}\u{2028}\u{a0}",
    ];
    let n = rng.range(0, 12);
    (0..n).map(|_| *rng.pick(PIECES).unwrap()).collect::<Vec<_>>().join(if rng.chance(0.5) {
        " "
    } else {
        "\n"
    })
}

#[test]
fn derivation_holds_and_never_panics_on_generated_texts() {
    let detector = lang::detector();
    let mut rng = Rng::new(0xC0FFEE);
    let (mut texts, mut derived) = (0, 0);
    for case in 0..1500u64 {
        let text = generated_text(&mut rng);
        let instruction = generated_text(&mut rng);
        let analysis = Analysis::with_detector(&text, Some(&detector));
        let mut cx = DeriveContext::new(&instruction, case);
        for c in Constraint::derive_all(&analysis, &mut cx) {
            derived += 1;
            let v = verify_strict(&c, &analysis);
            assert!(
                v.passed(),
                "derived {} {:?} fails on its source {text:?}: {}",
                c.id(),
                c.kwargs(),
                v.detail
            );
        }
        texts += 1;
    }
    println!("{texts} generated texts, {derived} derived constraints, all hold on their source");
}
