//! The playground's browser session (`tests/browser_timing.rs`), measured natively: 10
//! constraints on a 10,000-word response, strict only and strict + loose (`ifeval::verify_live`,
//! the one call the app's verify panel makes per keystroke),
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
#[path = "support/measure.rs"]
mod measure;

#[path = "../tests/support/session.rs"]
mod session;

use measure::measure;
use std::hint::black_box;
use std::time::Duration;

use crab_constraints::ifeval;
use crab_constraints::text::{pystr, Analysis};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let detector = lang::detector();
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 31 } else { 1 };
    let response = session::long_response(&data::response_texts(), 10_000);
    let constraints = session::session();
    // A different text every other run, as after a keystroke (the detector caches by text).
    let mut i = 0usize;
    let mut next_text = || {
        i += 1;
        format!("{response}{}", " x".repeat(i % 2))
    };

    // `verify_live` is the one call the app's verify panel makes per keystroke.
    let (median, min) = measure(rounds, || {
        let text = next_text();
        black_box(ifeval::verify_live(&constraints, &text, false, Some(&detector)));
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
        black_box(ifeval::verify_live(&constraints, &text, true, Some(&detector)));
    });
    println!("strict + loose (verify_live): median {:.2} ms (min {:.2})", ms(median), ms(min));

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
