//! The text layer's own costs on IFEval's 541 GPT-4 responses: language detection (cold and
//! cached, and loading the profiles), Punkt sentences and NLTK's `word_tokenize`. These were
//! print-only "timing tests" in the reference test files; as a benchmark they are measured in the
//! release profile, with medians, and never mistaken for tests.
//!
//! `cargo bench -p crab-constraints --bench text`. Without `--bench` (as under
//! `cargo test --benches`) every measurement runs once, as a smoke test.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/data.rs"]
mod data;
#[path = "../tests/support/lang.rs"]
mod lang;
#[path = "support/measure.rs"]
mod measure;

use std::hint::black_box;
use std::time::Duration;

use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::{punkt, word_tokenize};
use langdetect::DetectorFactory;
use measure::measure;

/// Microseconds per item of a run over `n` items.
fn per_item(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n as f64
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 11 } else { 1 };
    let responses = data::response_texts();
    let n = responses.len();
    println!(
        "{n} GPT-4 responses, {} bytes on average",
        responses.iter().map(String::len).sum::<usize>() / n
    );

    // Language detection: a fresh detector per round, so that the first pass is uncached (as a
    // new text after a keystroke); then the same texts again (loose candidates, re-renders).
    let bytes = lang::profile_bytes();
    let (cold, _) = measure(rounds, || {
        let d = LanguageDetector::from_compact_bytes(&bytes).expect("profiles");
        black_box(d.detect("warm up the normalisation tables"));
        for r in &responses {
            black_box(d.detect(r));
        }
    });
    let d = LanguageDetector::from_compact_bytes(&bytes).expect("profiles");
    for r in &responses {
        black_box(d.detect(r));
    }
    let (cached, _) = measure(rounds, || {
        for r in &responses {
            black_box(d.detect(r));
        }
    });
    let (load, _) = measure(rounds, || {
        black_box(LanguageDetector::from_compact_bytes(&bytes).expect("profiles"));
    });
    let ldf = lang::reference_factory().to_bytes();
    let (ldf_load, _) = measure(rounds, || {
        black_box(DetectorFactory::from_bytes(&ldf).expect("loads"));
    });
    println!(
        "langdetect: {:.1} µs per response uncached (profile load excluded), {:.2} µs cached",
        per_item(cold.saturating_sub(load), n),
        per_item(cached, n),
    );
    println!(
        "profile load: compact {:.1} ms ({} bytes), langdetect's to_bytes format {:.1} ms ({} \
         bytes)",
        load.as_secs_f64() * 1e3,
        bytes.len(),
        ldf_load.as_secs_f64() * 1e3,
        ldf.len()
    );

    black_box(punkt::sentence_spans("Warm up. Done."));
    let (t, _) = measure(rounds, || {
        for r in &responses {
            black_box(punkt::sentence_spans(r));
        }
    });
    println!("Punkt sentences: {:.1} µs per response", per_item(t, n));

    let (t, _) = measure(rounds, || {
        for r in &responses {
            black_box(word_tokenize::word_tokenize(r));
        }
    });
    println!("word_tokenize: {:.1} µs per response", per_item(t, n));
}
