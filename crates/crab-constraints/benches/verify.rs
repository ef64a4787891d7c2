//! Per-response IFEval verification speed on the 541 GPT-4 responses: strict + loose (the 8
//! candidates) for every instruction of a row, as `crab eval` runs it, plus a per-id breakdown.
//!
//! `cargo bench -p crab-constraints --bench verify`. A plain harness (`std::time`) rather than a
//! benchmarking framework: one number per line is all we need, and it adds no dependencies.
//! Instructions whose id is not registered yet are left out (and counted). Without `--bench`
//! (as under `cargo test --benches`) every measurement runs once, as a smoke test.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/data.rs"]
mod data;
#[path = "../tests/support/lang.rs"]
mod lang;
#[path = "support/measure.rs"]
mod measure;

use measure::measure;
use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::time::{Duration, Instant};

use crab_constraints::checks::Constraint;
use crab_constraints::ifeval::{self, InputRow};

fn main() {
    // langdetect's built-in profiles, loaded through `from_compact_bytes` as the app does. Its
    // cache means later rounds measure cached detection, as re-verification in the app does.
    let detector = lang::detector();
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 21 } else { 1 };

    let responses: HashMap<String, String> = data::read_jsonl(data::RESPONSES)
        .into_iter()
        .map(|r| {
            (r["prompt"].as_str().unwrap().to_owned(), r["response"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut skipped = 0usize;
    // (row, its registered constraints, response)
    let mut rows: Vec<(InputRow, Vec<Constraint>, &str)> = Vec::new();
    for v in data::read_jsonl(&format!("{}/input_data_gpt4_20231107_145030.jsonl", data::IFEVAL)) {
        let row = InputRow::from_json(v).expect("valid input row");
        let constraints: Vec<Constraint> = row
            .instruction_id_list
            .iter()
            .zip(&row.kwargs)
            .filter_map(|(id, kw)| {
                let c = Constraint::from_ifeval(id, kw).ok();
                skipped += usize::from(c.is_none());
                c
            })
            .collect();
        let response = responses[&row.prompt].as_str();
        rows.push((row, constraints, response));
    }
    let instructions: usize = rows.iter().map(|r| r.1.len()).sum();
    println!(
        "{} responses, {instructions} instructions measured ({skipped} with unregistered ids left out)",
        rows.len()
    );
    let per = |d: Duration, n: usize| d.as_secs_f64() * 1e6 / n.max(1) as f64;

    let (median, min) = measure(rounds, || {
        for (_, constraints, response) in &rows {
            black_box(ifeval::evaluate(constraints, black_box(response), Some(&detector)));
        }
    });
    println!(
        "evaluate (strict + loose), all responses: median {:.2} ms, min {:.2} ms; {:.1} µs per response",
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        per(median, rows.len())
    );

    let (median, _) = measure(rounds, || {
        for (row, constraints, response) in &rows {
            black_box(ifeval::evaluate_row(row, constraints, black_box(response), Some(&detector)));
        }
    });
    println!(
        "evaluate_row (+ both result lines):        median {:.2} ms; {:.1} µs per response",
        median.as_secs_f64() * 1e3,
        per(median, rows.len())
    );

    let (median, _) = measure(rounds, || {
        let mut line = String::new();
        for (row, constraints, response) in &rows {
            line.clear();
            let followed = vec![true; constraints.len()];
            ifeval::pyjson::push_result_line(
                &mut line,
                &row.instruction_id_list,
                &row.prompt,
                response,
                &followed,
            );
            black_box(&line);
        }
    });
    println!(
        "one result line per response (json.dumps):  median {:.2} ms; {:.1} µs per response",
        median.as_secs_f64() * 1e3,
        per(median, rows.len())
    );

    let (median, _) = measure(rounds, || {
        for (row, _, _) in &rows {
            black_box(row.constraints().ok());
        }
    });
    println!(
        "building constraints from kwargs:           median {:.3} ms",
        median.as_secs_f64() * 1e3
    );

    // Per id: each instruction alone on its response (the response's analysis is not shared
    // with the row's other instructions here, so this is an upper bound per id).
    let mut by_id: BTreeMap<&str, Vec<(&Constraint, &str)>> = BTreeMap::new();
    for (_, constraints, response) in &rows {
        for c in constraints {
            by_id.entry(c.id()).or_default().push((c, response));
        }
    }
    println!("\n{:<48} {:>5} {:>14}", "id (alone, strict + loose)", "n", "µs per instr.");
    for (id, cases) in &by_id {
        let (median, _) = measure(rounds, || {
            for (c, response) in cases {
                black_box(ifeval::evaluate(
                    std::slice::from_ref(*c),
                    black_box(response),
                    Some(&detector),
                ));
            }
        });
        println!("{id:<48} {:>5} {:>14.1}", cases.len(), per(median, cases.len()));
    }

    // Back-translation: every check's derivation on a ~1,000-word response (GPT-4 responses
    // joined until 1,000 IFEval words), with a fresh analysis (and detector cache) each round,
    // as when a person pastes a new response.
    let mut long = String::new();
    for (_, _, response) in &rows {
        if crab_constraints::text::count_words(&long) >= 1000 {
            break;
        }
        long.push_str(response);
        long.push_str("\n\n");
    }
    let words = crab_constraints::text::count_words(&long);
    let derive = || {
        let analysis = crab_constraints::text::Analysis::with_detector(&long, Some(&detector));
        let mut cx = crab_constraints::checks::DeriveContext::new("", 7);
        Constraint::derive_all(&analysis, &mut cx)
    };
    // The very first key-phrase extraction compiles segtok's regexes (timed on its own, before
    // derive_all's first call, which includes it otherwise).
    let start = Instant::now();
    let _ = black_box(crab_constraints::text::keyphrases::key_phrases(rows[0].2));
    let first_yake = start.elapsed();
    // The first call also detects the language (later ones hit the detector's cache, as
    // re-derivation in the app does).
    let start = Instant::now();
    let derived = black_box(derive()).len();
    let first = start.elapsed();
    let (median, min) = measure(rounds, || {
        black_box(derive());
    });
    println!(
        "\nderive_all on a {words}-word response ({derived} constraints): first call {:.2} ms, \
         then median {:.2} ms (min {:.2} ms)",
        first.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3
    );
    let (yake, yake_min) = measure(rounds, || {
        let _ = black_box(crab_constraints::text::keyphrases::key_phrases(black_box(&long)));
    });
    println!(
        "  of which YAKE key phrases (crab:key_phrases): median {:.2} ms (min {:.2} ms), so \
         about {:.2} ms without them; the first key-phrase call ever {:.1} ms (compiles segtok's \
         regexes)",
        yake.as_secs_f64() * 1e3,
        yake_min.as_secs_f64() * 1e3,
        (median.saturating_sub(yake)).as_secs_f64() * 1e3,
        first_yake.as_secs_f64() * 1e3
    );
    // Key phrases of each GPT-4 response (mean 1.2 KB).
    let (all_yake, _) = measure(rounds.min(5), || {
        for (_, _, response) in &rows {
            let _ = black_box(crab_constraints::text::keyphrases::key_phrases(black_box(response)));
        }
    });
    println!(
        "YAKE key phrases of each GPT-4 response: {:.2} ms per response (mean over all 541)",
        all_yake.as_secs_f64() * 1e3 / rows.len() as f64
    );
}
