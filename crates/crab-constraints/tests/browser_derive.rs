//! Back-translation compiled to WebAssembly, in headless Chromium: how long
//! `Constraint::derive_all` takes per GPT-4 response and on ~1,000-word responses (issue 5's
//! goal is under 5 ms), and how much of it is the YAKE key phrases. Also checks, there, that
//! every derived constraint holds on its source and that derivation is reproducible.
//!
//! `cargo test --release --target wasm32-unknown-unknown -p crab-constraints --test browser_derive
//! -- --nocapture` prints the timings. Without `--release` it runs a slice of the work as a smoke
//! test (the times then mean little).

#![cfg(target_arch = "wasm32")]

#[path = "support/clock.rs"]
mod clock;

use clock::{median, now_ms};
use crab_constraints::checks::{Constraint, DeriveContext};
use crab_constraints::ifeval::verify_strict;
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::{count_words, keyphrases, Analysis};
use serde_json::Value;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RESPONSES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ifeval/input_response_data_gpt4_20231107_145030.jsonl"
));

/// `(prompt, response)` for the 541 GPT-4 responses.
fn gpt4() -> Vec<(String, String)> {
    RESPONSES
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["prompt"].as_str().unwrap().to_owned(), v["response"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// Responses joined (by blank lines) until at least 1,000 IFEval words, starting at every
/// `step`-th response: the ~1,000-word texts, as the native benchmark builds one.
fn thousand_word_texts(responses: &[(String, String)], step: usize) -> Vec<String> {
    (0..responses.len())
        .step_by(step)
        .filter_map(|start| {
            let mut text = String::new();
            for (_, r) in responses.iter().skip(start) {
                if count_words(&text) >= 1000 {
                    return Some(text);
                }
                text.push_str(r);
                text.push_str("\n\n");
            }
            None
        })
        .collect()
}

/// The work done: all of it with `--release`; a slice as a smoke test in debug builds, which
/// must also finish within wasm-bindgen-test's 20-second budget.
struct Workload {
    responses: usize,
    long_texts: usize,
    rounds: usize,
}

const WORKLOAD: Workload = if cfg!(debug_assertions) {
    Workload { responses: 60, long_texts: 2, rounds: 1 }
} else {
    Workload { responses: 541, long_texts: 8, rounds: 3 }
};

#[wasm_bindgen_test]
fn derivation_speed_in_the_browser() {
    let responses = gpt4();
    assert_eq!(responses.len(), 541);
    let detector = LanguageDetector::from_compact_bytes(PROFILES).expect("profiles");

    // The first calls build lazily compiled tables: segtok's regexes and YAKE's stopwords for
    // the key phrases, then Punkt's tables and the rest for derivation.
    let t = now_ms();
    let _ = std::hint::black_box(keyphrases::key_phrases(&responses[0].1));
    let t_first_yake = now_ms() - t;
    let t = now_ms();
    let warm = Analysis::with_detector(&responses[0].1, Some(&detector));
    drop(Constraint::derive_all(&warm, &mut DeriveContext::new(&responses[0].0, 0)));
    let t_first = now_ms() - t;

    // Per GPT-4 response: a fresh analysis each time, as when a response is pasted (so the
    // language is detected again; the detector's cache is cold for each new text).
    let mut per_response = Vec::new();
    let mut derived = 0;
    for (seed, (prompt, response)) in responses.iter().enumerate().take(WORKLOAD.responses) {
        let t = now_ms();
        let analysis = Analysis::with_detector(response, Some(&detector));
        let constraints =
            Constraint::derive_all(&analysis, &mut DeriveContext::new(prompt, seed as u64));
        per_response.push(now_ms() - t);
        derived += constraints.len();
        for c in &constraints {
            assert!(verify_strict(c, &analysis).passed(), "{} fails on its source", c.id());
        }
        if seed % 7 == 0 {
            // Reproducible: the same seed derives the same constraints.
            let again =
                Constraint::derive_all(&analysis, &mut DeriveContext::new(prompt, seed as u64));
            assert_eq!(again, constraints, "derivation is reproducible");
        }
    }
    let mut key_phrases = Vec::new();
    for (_, response) in responses.iter().take(WORKLOAD.responses).step_by(3) {
        let t = now_ms();
        let _ = std::hint::black_box(keyphrases::key_phrases(response));
        key_phrases.push(now_ms() - t);
    }
    let n = per_response.len();
    console_log!(
        "{n} GPT-4 responses, {derived} constraints, all hold on their source: derive_all median \
         {:.2} ms per response (mean {:.2} ms, max {:.1} ms); YAKE key phrases alone (every third \
         response) median {:.2} ms (mean {:.2} ms). First calls: key phrases {:.0} ms, then \
         derive_all {:.0} ms",
        median(per_response.clone()),
        per_response.iter().sum::<f64>() / n as f64,
        per_response.iter().copied().fold(0.0, f64::max),
        median(key_phrases.clone()),
        key_phrases.iter().sum::<f64>() / key_phrases.len() as f64,
        t_first_yake,
        t_first
    );

    // ~1,000-word responses, each derived `rounds` times (the median of those per text, then
    // the median over texts).
    let long = thousand_word_texts(&responses, 541 / WORKLOAD.long_texts + 1);
    let (mut all, mut yake, mut words) = (Vec::new(), Vec::new(), Vec::new());
    for (i, text) in long.iter().take(WORKLOAD.long_texts).enumerate() {
        words.push(count_words(text) as f64);
        let (mut runs, mut yake_runs) = (Vec::new(), Vec::new());
        for round in 0..WORKLOAD.rounds {
            let seed = (i * WORKLOAD.rounds + round) as u64;
            let t = now_ms();
            let analysis = Analysis::with_detector(text, Some(&detector));
            let constraints = Constraint::derive_all(&analysis, &mut DeriveContext::new("", seed));
            runs.push(now_ms() - t);
            assert!(constraints.iter().any(|c| c.id() == "crab:key_phrases"));
            let t = now_ms();
            let _ = std::hint::black_box(keyphrases::key_phrases(text));
            yake_runs.push(now_ms() - t);
        }
        all.push(median(runs));
        yake.push(median(yake_runs));
    }
    let (m_all, m_yake) = (median(all.clone()), median(yake.clone()));
    console_log!(
        "{} texts of ~1,000 words (median {:.0} words): derive_all median {:.2} ms (min {:.2}, \
         max {:.2}); YAKE key phrases alone median {:.2} ms, so about {:.2} ms without them",
        all.len(),
        median(words),
        m_all,
        all.iter().copied().fold(f64::INFINITY, f64::min),
        all.iter().copied().fold(0.0, f64::max),
        m_yake,
        m_all - m_yake
    );
}

/// Issue 16 §2: what the app's Back-translate panel runs per response, in the browser: the
/// library pipeline's `derive` of every check but key phrases (those come from the worker), on
/// ~1,000-word texts, with each check's own share. Run it in the shipped profile:
/// `cargo test --profile wasm-release --target wasm32-unknown-unknown -p crab-constraints --test
/// browser_derive -- --nocapture`.
#[wasm_bindgen_test]
fn back_translation_without_key_phrases_per_check() {
    use crab_constraints::backtranslate::derive;
    use crab_constraints::checks::CHECKS;

    let responses = gpt4();
    let detector = LanguageDetector::from_compact_bytes(PROFILES).expect("profiles");
    let exclude = ["crab:key_phrases".to_owned()];
    let long = thousand_word_texts(&responses, 541 / WORKLOAD.long_texts + 1);
    let texts: Vec<&String> = long.iter().take(WORKLOAD.long_texts).collect();
    // Warm-up: lazily built tables (Punkt, the check tables) are not part of a keystroke.
    for text in &texts {
        drop(derive("", text, 0, Some(&detector), &exclude));
    }
    let rounds = WORKLOAD.rounds * 3;
    let mut per_text = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let mut runs = Vec::new();
        for round in 0..rounds {
            let seed = (i * rounds + round) as u64;
            let t = now_ms();
            let derived = derive("", text, seed, Some(&detector), &exclude);
            runs.push(now_ms() - t);
            assert!(derived.items.iter().all(|d| d.verdict.passed()));
            assert!(derived.items.iter().all(|d| d.constraint.id() != "crab:key_phrases"));
        }
        per_text.push(median(runs));
    }
    // Each check alone on an analysis whose shared views are already built (the views' cost is
    // what the sum of the checks leaves of the whole).
    let mut shares: Vec<(&str, f64)> = Vec::new();
    let mut analysis_ms = Vec::new();
    for info in CHECKS.iter().filter(|c| c.id != "crab:key_phrases") {
        let mut runs = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let analysis = Analysis::with_detector(text, Some(&detector));
            let _ = (analysis.words(), analysis.tokens(), analysis.folded(), analysis.language());
            let t = now_ms();
            let _ = std::hint::black_box(Constraint::derive_where(
                &analysis,
                &mut DeriveContext::new("", i as u64),
                |c| c.id == info.id,
            ));
            runs.push(now_ms() - t);
        }
        shares.push((info.id, median(runs)));
    }
    for text in &texts {
        let t = now_ms();
        let analysis = Analysis::with_detector(text, Some(&detector));
        drop(Constraint::derive_where(&analysis, &mut DeriveContext::new("", 0), |c| {
            c.id != "crab:key_phrases"
        }));
        analysis_ms.push(now_ms() - t);
    }
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    let checks_total: f64 = shares.iter().map(|s| s.1).sum();
    let top: Vec<String> = shares.iter().take(12).map(|(id, ms)| format!("{id} {ms:.3}")).collect();
    console_log!(
        "pipeline derive without key phrases, {} texts of ~1,000 words, {rounds} runs each: \
         median {:.2} ms (per-text medians {:.2}–{:.2} ms); derive_all alone (fresh analysis) \
         median {:.2} ms; the checks alone on built views sum to {:.2} ms; the largest (ms): {}",
        per_text.len(),
        median(per_text.clone()),
        per_text.iter().copied().fold(f64::INFINITY, f64::min),
        per_text.iter().copied().fold(0.0, f64::max),
        median(analysis_ms),
        checks_total,
        top.join(", ")
    );
}

/// The language profiles exactly as the app fetches them.
const PROFILES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/lang-profiles.bin"));
