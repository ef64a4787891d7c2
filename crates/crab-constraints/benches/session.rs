//! The playground's browser session (`tests/browser_timing.rs`), measured natively: 10
//! constraints on a 10,000-word response, strict only and strict + loose (`evaluate_detailed`),
//! with a fresh analysis each run as after a keystroke; then, per constraint, the time of its
//! strict verdict and of its loose decision, and per loose candidate the cost of its views.
//!
//! `cargo bench -p crab-constraints --bench session`. Without `--bench` (as under
//! `cargo test --benches`) every measurement runs once, as a smoke test.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/data.rs"]
mod data;
#[path = "../tests/support/lang.rs"]
mod lang;

#[path = "../tests/support/session.rs"]
mod session;

use std::hint::black_box;
use std::time::{Duration, Instant};

use crab_constraints::ifeval;
use crab_constraints::text::{pystr, Analysis};

/// Median and minimum of `f`'s run time over `rounds` runs (after one warm-up run).
fn measure(rounds: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    (times[times.len() / 2], times[0])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// GPT-4 responses joined by blank lines until the text has at least `words` IFEval words (as
/// `tests/browser_timing.rs` builds it).
fn long_response(words: usize) -> String {
    let mut text = String::new();
    for response in data::response_texts().iter().cycle() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(response);
        if pystr::count_words(&text) >= words {
            break;
        }
    }
    text
}

fn main() {
    let detector = lang::detector();
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 31 } else { 1 };
    let response = long_response(10_000);
    let constraints = session::session();
    // A different text every other run, as after a keystroke (the detector caches by text).
    let mut i = 0usize;
    let mut next_text = || {
        i += 1;
        format!("{response}{}", " x".repeat(i % 2))
    };

    let (median, min) = measure(rounds, || {
        let text = next_text();
        let analysis = Analysis::with_detector(&text, Some(&detector));
        for c in &constraints {
            black_box(ifeval::verify_strict(c, &analysis));
        }
    });
    println!(
        "{} words, {} bytes: strict median {:.2} ms (min {:.2})",
        pystr::count_words(&response),
        response.len(),
        ms(median),
        ms(min)
    );
    let (median, min) = measure(rounds, || {
        let text = next_text();
        black_box(ifeval::evaluate_detailed(&constraints, &text, Some(&detector)));
    });
    println!(
        "strict + loose (evaluate_detailed): median {:.2} ms (min {:.2})",
        ms(median),
        ms(min)
    );

    // Per constraint alone (its own analyses, nothing shared with the others).
    println!(
        "\n{:<42} {:>6} {:>6} {:>10} {:>10}",
        "constraint alone", "strict", "loose", "strict ms", "both ms"
    );
    for c in &constraints {
        let one = std::slice::from_ref(c);
        let d = ifeval::evaluate_detailed(one, &response, Some(&detector));
        let (strict, _) = measure(rounds, || {
            let text = next_text();
            let analysis = Analysis::with_detector(&text, Some(&detector));
            black_box(ifeval::verify_strict(c, &analysis));
        });
        let (both, _) = measure(rounds, || {
            let text = next_text();
            black_box(ifeval::evaluate_detailed(one, &text, Some(&detector)));
        });
        println!(
            "{:<42} {:>6} {:>6} {:>10.3} {:>10.3}",
            c.id(),
            d[0].strict.passed(),
            d[0].loose,
            ms(strict),
            ms(both)
        );
    }

    // Building the candidates and their views, each alone.
    let (variants, _) = measure(rounds, || {
        black_box(ifeval::loose_variants(black_box(&response)));
    });
    println!("\nloose_variants (8 strings): {:.3} ms", ms(variants));
    let text = response.as_str();
    type View = fn(&Analysis<'_>);
    let views: [(&str, View); 5] = [
        ("words", |a| {
            black_box(a.words());
        }),
        ("sentences (Punkt)", |a| {
            black_box(a.sentences());
        }),
        ("tokens (word_tokenize)", |a| {
            black_box(a.tokens());
        }),
        ("folded", |a| {
            black_box(a.folded());
        }),
        ("language", |a| {
            black_box(a.language());
        }),
    ];
    for (name, view) in views {
        let (d, _) = measure(rounds, || {
            let t = next_text();
            let analysis = Analysis::with_detector(&t, Some(&detector));
            view(&analysis);
        });
        println!("view {name:<24} {:.3} ms", ms(d));
    }
    let _ = text;
}
