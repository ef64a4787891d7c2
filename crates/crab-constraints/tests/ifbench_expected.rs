//! Every registered IFBench check against allenai/IFBench HEAD's own results
//! (`shared/data/ifbench/expected_head/`, written by HEAD's `run_eval` on IFBench's
//! `sample_output.jsonl`), on both versions of the test set: the 2025-07 release (294 rows) and
//! the 2026 file (300 rows; 7 prompts have no response and are all-false rows).
//!
//! The test is generic over the registry: each instruction of each row whose id is registered is
//! built from the row's kwargs (IFBench's: `null` for unused keys, floats) and scored strict and
//! loose with [`ifeval::evaluate`]; the two verdicts must equal HEAD's for that instruction on
//! every row. Responses are found as IFBench finds them ([`ifbench::Responses`]), and the
//! response each expected row records is checked too. The agreement table (rows agreeing / rows
//! using the id, strict and loose, per version) is printed, and the ids not registered yet are
//! listed; those are left to the CLI's whole-file test (`crab-cli/tests/ifbench.rs`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crab_constraints::checks::Constraint;
use crab_constraints::ifeval::{self, ifbench, InputRow, ResponseRow, ResultRow};
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::Resources;

const IFBENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ifbench");
/// The committed tagger asset (what the web app fetches and the CLI links in).
const TAGGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/pos-tagger.bin");

/// The two test-set versions: input file and directory of HEAD's results.
const VERSIONS: [(&str, &str, &str); 2] = [
    ("2025-07", "v2025-07/IFBench_test.jsonl", "expected_head/test_2025-07"),
    ("2026", "IFBench_test.jsonl", "expected_head/test_2026"),
];

fn tagger() -> &'static PosTagger {
    static T: LazyLock<PosTagger> = LazyLock::new(|| {
        let bytes = std::fs::read(TAGGER).expect("public/pos-tagger.bin");
        PosTagger::from_compact_bytes(&bytes).expect("the tagger asset loads")
    });
    &T
}

fn responses() -> ifbench::Responses {
    let mut responses = ifbench::Responses::new();
    for row in data::read_jsonl(&format!("{IFBENCH}/sample_output.jsonl")) {
        let row = ResponseRow::from_json(row).expect("a response row");
        responses.insert(row.prompt, row.response);
    }
    responses
}

fn results(dir: &str, mode: &str) -> Vec<ResultRow> {
    data::read_jsonl(&format!("{IFBENCH}/{dir}/sample_output-eval_results_{mode}.jsonl"))
        .into_iter()
        .map(|v| ResultRow::from_json(v).expect("a result row"))
        .collect()
}

/// Rows agreeing and rows using an id, in one version, strict and loose.
#[derive(Clone, Copy, Default)]
struct Tally {
    used: usize,
    strict: usize,
    loose: usize,
}

/// Scores every registered instruction of one version; returns the tallies per id and the
/// disagreements, described.
fn score(input: &str, dir: &str) -> (BTreeMap<&'static str, Tally>, Vec<String>) {
    let responses = responses();
    let rows: Vec<InputRow> = data::read_jsonl(&format!("{IFBENCH}/{input}"))
        .into_iter()
        .map(|v| InputRow::from_json(v).expect("an IFBench row"))
        .collect();
    let (strict, loose) = (results(dir, "strict"), results(dir, "loose"));
    assert_eq!((rows.len(), strict.len(), loose.len()), (rows.len(), rows.len(), rows.len()));
    let resources = Resources { language: None, tagger: Some(tagger()) };
    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut problems = Vec::new();
    for ((row, s), l) in rows.iter().zip(&strict).zip(&loose) {
        assert_eq!((&s.prompt, &l.prompt), (&row.prompt, &row.prompt), "key {}", row.key);
        assert_eq!(s.instruction_id_list, row.instruction_id_list, "key {}", row.key);
        let response = responses.get(&row.prompt);
        assert_eq!(response.unwrap_or(""), s.response, "key {}: the response", row.key);
        for (i, (id, kwargs)) in row.instruction_id_list.iter().zip(&row.kwargs).enumerate() {
            let Some(&id) = ifbench::IDS.iter().find(|&&known| known == id) else { continue };
            if !ifbench::is_implemented(id) {
                continue;
            }
            let constraint = match Constraint::from_ifeval(id, kwargs) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(format!("key {}: {id}: {e}", row.key));
                    continue;
                }
            };
            let (ours_strict, ours_loose) = match response {
                Some(response) => {
                    let f =
                        ifeval::evaluate(std::slice::from_ref(&constraint), response, resources);
                    (f.strict[0], f.loose[0])
                }
                None => (false, false),
            };
            let (head_strict, head_loose) =
                (s.follow_instruction_list[i], l.follow_instruction_list[i]);
            let t = tallies.entry(id).or_default();
            t.used += 1;
            t.strict += usize::from(ours_strict == head_strict);
            t.loose += usize::from(ours_loose == head_loose);
            if (ours_strict, ours_loose) != (head_strict, head_loose) {
                problems.push(format!(
                    "key {}: {id} {kwargs}: ours strict {ours_strict} loose {ours_loose}, \
                     HEAD strict {head_strict} loose {head_loose}",
                    row.key
                ));
            }
        }
    }
    (tallies, problems)
}

#[test]
fn registered_ifbench_checks_agree_with_head_on_every_row() {
    let scored: Vec<_> = VERSIONS.iter().map(|(_, input, dir)| score(input, dir)).collect();
    println!(
        "{:<34} {:>17} {:>17}   (rows agreeing / rows using the id)",
        "id", "strict 2025-07", "strict 2026"
    );
    println!("{:<34} {:>17} {:>17}", "", "loose 2025-07", "loose 2026");
    for id in ifbench::implemented_ids() {
        let cell = |version: usize, loose: bool| {
            let t = scored[version].0.get(id).copied().unwrap_or_default();
            format!("{}/{}", if loose { t.loose } else { t.strict }, t.used)
        };
        println!("{id:<34} {:>17} {:>17}", cell(0, false), cell(1, false));
        println!("{:<34} {:>17} {:>17}", "", cell(0, true), cell(1, true));
    }
    let missing: Vec<&str> =
        ifbench::IDS.into_iter().filter(|id| !ifbench::is_implemented(id)).collect();
    println!("not registered yet ({}): {}", missing.len(), missing.join(" "));
    // Every registered IFBench id is used by the test set, so none is left untested.
    for id in ifbench::implemented_ids() {
        assert!(
            scored.iter().any(|(t, _)| t.get(id).is_some_and(|t| t.used > 0)),
            "{id} is used by no row"
        );
    }
    let problems: Vec<String> = VERSIONS
        .iter()
        .zip(&scored)
        .flat_map(|((version, _, _), (_, p))| p.iter().map(move |p| format!("{version}: {p}")))
        .collect();
    assert!(problems.is_empty(), "{} disagreements:\n{}", problems.len(), problems.join("\n"));
}
