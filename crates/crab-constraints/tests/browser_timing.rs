//! The playground's speed budget, measured in headless Chromium: verifying a session of 10
//! constraints on a 10,000-word response, strict only (budget 4 ms) and strict + loose (budget
//! 16 ms, one frame), through `ifeval::verify_live`, the one call the app's verify panel makes
//! per keystroke. Each keystroke re-analyses the response from scratch, so each run here does
//! too. Timings are printed, not asserted (they depend on the machine); the test
//! asserts that the verdicts are the same in every run.
//!
//! `cargo test --profile wasm-release --target wasm32-unknown-unknown -p crab-constraints --test
//! browser_timing -- --nocapture` measures the code as the app ships it (`opt-level = "z"`, see
//! the workspace `Cargo.toml`); `--release` (`opt-level = 3`) is about 1.5× faster.

#![cfg(target_arch = "wasm32")]

#[path = "support/clock.rs"]
mod clock;
#[path = "support/session.rs"]
mod session;

use clock::{median, now_ms};
use crab_constraints::ifeval;
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::{pystr, Analysis};
use serde_json::Value;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RESPONSES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ifeval/input_response_data_gpt4_20231107_145030.jsonl"
));

/// The 541 GPT-4 responses.
fn responses() -> Vec<String> {
    let text = |l: &str| {
        let row: Value = serde_json::from_str(l).unwrap();
        row["response"].as_str().unwrap().to_owned()
    };
    RESPONSES.lines().map(text).collect()
}

#[wasm_bindgen_test]
fn ten_constraints_on_ten_thousand_words() {
    let detector = LanguageDetector::from_compact_bytes(PROFILES).expect("profiles");

    let response = session::long_response(&responses(), 10_000);
    let words = pystr::count_words(&response);
    let constraints = session::session();
    assert_eq!(constraints.len(), 10);

    // Exactly what the app's verify panel calls after a keystroke (`Verification` in
    // `src/state.rs`): `verify_live`, strict only while a long response is being typed, strict +
    // loose once it settles (and on every keystroke for shorter responses).
    let strict_once = |text: &str| -> Vec<bool> {
        ifeval::verify_live(&constraints, text, false, Some(&detector))
            .iter()
            .map(|d| d.strict.passed())
            .collect()
    };
    let both_once = |text: &str| -> Vec<(bool, bool)> {
        ifeval::verify_live(&constraints, text, true, Some(&detector))
            .into_iter()
            .map(|d| (d.strict.passed(), d.loose))
            .collect()
    };

    let reference_strict = strict_once(&response);
    let reference_both = both_once(&response);
    let strict: Vec<bool> = reference_both.iter().map(|&(s, _)| s).collect();
    assert_eq!(strict, reference_strict, "strict verdicts do not depend on the loose pass");
    let plain: Vec<bool> = {
        let analysis = Analysis::with_detector(&response, Some(&detector));
        constraints.iter().map(|c| ifeval::verify_strict(c, &analysis).passed()).collect()
    };
    assert_eq!(strict, plain, "verify_live's strict verdicts are verify_strict's");

    // Warm-up runs first: the browser compiles wasm in tiers (baseline, then optimised), and a
    // person typing runs the optimised code; the warm-up is not timed.
    for i in 0..5 {
        let text = format!("{response}{}", " y".repeat(i % 2));
        assert_eq!(strict_once(&text).len(), 10);
        assert_eq!(both_once(&text).len(), 10);
    }
    let runs = 31;
    let mut t_strict = Vec::new();
    let mut t_both = Vec::new();
    for i in 0..runs {
        // A different text each run (as after a keystroke), so no per-text cache helps.
        let text = format!("{response}{}", " x".repeat(i % 2));
        let t = now_ms();
        let got = strict_once(&text);
        t_strict.push(now_ms() - t);
        assert_eq!(got.len(), 10);
        let t = now_ms();
        let got = both_once(&text);
        t_both.push(now_ms() - t);
        assert_eq!(got.len(), 10);
    }
    console_log!(
        "{} words, {} bytes, 10 constraints ({}/10 pass strict, {}/10 loose): strict median \
         {:.2} ms (min {:.2}); strict + loose median {:.2} ms (min {:.2}); {runs} runs",
        words,
        response.len(),
        reference_both.iter().filter(|b| b.0).count(),
        reference_both.iter().filter(|b| b.1).count(),
        median(t_strict.clone()),
        t_strict.iter().copied().fold(f64::INFINITY, f64::min),
        median(t_both.clone()),
        t_both.iter().copied().fold(f64::INFINITY, f64::min),
    );

    // Where the strict time goes: each constraint alone (its own fresh analysis), then the
    // shared views alone.
    let time = |f: &mut dyn FnMut(&str)| {
        let times = (0..11)
            .map(|i| {
                let text = format!("{response}{}", " x".repeat(i % 2));
                let t = now_ms();
                f(&text);
                now_ms() - t
            })
            .collect();
        median(times)
    };
    for c in &constraints {
        let ms = time(&mut |text| {
            let analysis = Analysis::with_detector(text, Some(&detector));
            assert!(!ifeval::verify_strict(c, &analysis).detail.is_empty());
        });
        console_log!("  strict alone {:<40} {ms:.3} ms", c.id());
    }
    type View = fn(&Analysis<'_>) -> usize;
    let views: [(&str, View); 3] = [
        ("words", |a| a.words().len()),
        ("sentences (Punkt)", |a| a.sentences().len()),
        ("language", |a| usize::from(a.language().is_some())),
    ];
    for (name, view) in views {
        let ms = time(&mut |text| {
            assert!(view(&Analysis::with_detector(text, Some(&detector))) > 0);
        });
        console_log!("  view {name:<48} {ms:.3} ms");
    }
}

/// The language profiles exactly as the app fetches them.
const PROFILES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/lang-profiles.bin"));
