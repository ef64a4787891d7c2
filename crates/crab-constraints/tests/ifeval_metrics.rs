//! The metrics and the comparison of runs on real result files: Google's own results for the
//! GPT-4 responses (`expected/`) and an independent run of the 2025 code (`podtech/`).
//!
//! - [`Metrics`] over Google's result rows prints exactly Google's `report.txt`;
//! - [`compare`] of the two runs finds exactly the differences a plain reading of the two files
//!   finds (done here line by line, without the library), and refuses runs of different inputs.

#[path = "support/data.rs"]
mod data;

use crab_constraints::ifeval::compare::Change;
use crab_constraints::ifeval::report::Tally;
use crab_constraints::ifeval::{compare, Metrics, PromptResults, ResultRow};
use serde_json::Value;

/// A run's results: the strict and loose files of `dir` (under the IFEval data directory), read
/// through the library's result-row reader.
fn run(dir: &str) -> Vec<PromptResults> {
    let rows = |mode: &str| -> Vec<ResultRow> {
        data::read_jsonl(&format!("{}/{dir}/eval_results_{mode}.jsonl", data::IFEVAL))
            .into_iter()
            .map(|v| ResultRow::from_json(v).unwrap())
            .collect()
    };
    let (strict, loose) = (rows("strict"), rows("loose"));
    assert_eq!(strict.len(), loose.len());
    strict
        .into_iter()
        .zip(loose)
        .enumerate()
        .map(|(i, (s, l))| PromptResults::from_result_rows(i, s, l).unwrap())
        .collect()
}

fn metrics(run: &[PromptResults]) -> Metrics {
    let mut m = Metrics::default();
    for r in run {
        m.add(&r.instruction_id_list, &r.strict, &r.loose);
    }
    m
}

#[test]
fn metrics_of_googles_results_print_googles_report() {
    let google = run("expected");
    assert_eq!(google.len(), 541);
    let mut text = String::new();
    metrics(&google).push_report(&mut text, "expected");
    let want = std::fs::read_to_string(format!("{}/expected/report.txt", data::IFEVAL)).unwrap();
    assert_eq!(text, want);
}

/// The 2025 run scored the current `input_data.jsonl`, which is the GPT-4 input without key 2785
/// (its prompt was rewritten); without that row the two runs scored the same prompts.
/// Returns the 2025 run, Google's without that row, and the row's index.
fn comparable_runs() -> (Vec<PromptResults>, Vec<PromptResults>, usize) {
    let inputs =
        data::read_jsonl(&format!("{}/input_data_gpt4_20231107_145030.jsonl", data::IFEVAL));
    let skip = inputs.iter().position(|r| r["key"] == 2785).unwrap();
    let mut google = run("expected");
    google.remove(skip);
    (run("podtech"), google, skip)
}

/// A flipped prompt: its row, whether it is followed now, the instructions that changed.
type Flipped = (usize, bool, Vec<(usize, String)>);

#[test]
fn comparing_two_real_runs_finds_exactly_the_lines_that_differ() {
    let (before, after, _) = comparable_runs();
    let c = compare(&before, &after).unwrap();
    assert_eq!(c.rows, 540);

    // The differences, found without the library: per mode, the rows whose `follow_all`
    // differs, and the instructions whose verdict differs in them.
    for (mode, flips) in [("strict", &c.strict.flips), ("loose", &c.loose.flips)] {
        let pick =
            |r: &PromptResults| if mode == "strict" { r.strict.clone() } else { r.loose.clone() };
        let mut want: Vec<Flipped> = Vec::new();
        for (row, (b, a)) in before.iter().zip(&after).enumerate() {
            let (was, now) = (pick(b), pick(a));
            if was.iter().all(|&x| x) != now.iter().all(|&x| x) {
                let changed: Vec<(usize, String)> = (0..was.len())
                    .filter(|&i| was[i] != now[i])
                    .map(|i| (i, a.instruction_id_list[i].clone()))
                    .collect();
                want.push((row, now.iter().all(|&x| x), changed));
            }
        }
        let got: Vec<Flipped> =
            flips.iter().map(|f| (f.row, f.followed, f.instructions.clone())).collect();
        assert_eq!(got, want, "{mode} flips");
        assert!(flips.iter().all(|f| f.key.is_none() && f.prompt == after[f.row].prompt));
    }
    // The two known differences (2025's random letter for `letter_frequency`), both in strict.
    assert_eq!(c.strict.flips.len(), 2);
    assert!(c.loose.flips.is_empty());

    // Every change agrees with the two runs' own metrics.
    let (mb, ma) = (metrics(&before), metrics(&after));
    let change =
        |b: &Tally, a: &Tally| Change { total: a.total, before: b.followed, after: a.followed };
    for (m, sb, sa) in [(&c.strict, &mb.strict, &ma.strict), (&c.loose, &mb.loose, &ma.loose)] {
        assert_eq!(m.prompts, change(&sb.prompts, &sa.prompts));
        assert_eq!(m.instructions, change(&sb.instructions, &sa.instructions));
        assert_eq!(m.ids.len(), sa.ids.len());
        for (id, t) in &sa.ids {
            assert_eq!(m.ids[id], change(&sb.ids[id], t), "{id}");
        }
        for (family, t) in &sa.families {
            assert_eq!(m.families[family], change(&sb.families[family], t), "{family}");
        }
    }
    let json = c.to_json("podtech", "expected");
    assert_eq!(json["strict"]["flips"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["strict"]["prompt_level"]["followed_after"],
        Value::from(ma.strict.prompts.followed)
    );
}

#[test]
fn runs_of_different_inputs_are_refused() {
    let (before, _, skip) = comparable_runs();
    let mut google = run("expected");
    // 540 rows against 541.
    assert_eq!(
        compare(&before, &google).unwrap_err().to_string(),
        "the earlier run has 540 rows and this run 541"
    );
    // As many rows, but from key 2785 on the prompts are out of step.
    google.pop();
    let err = compare(&before, &google).unwrap_err();
    assert_eq!(err.row(), Some(skip), "{err}");
    assert_eq!(err.to_string(), format!("line {} of the results: the prompts differ", skip + 1));
}
