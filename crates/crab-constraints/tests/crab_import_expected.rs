//! The expected per-record tallies of importing CRAB's 20-record sample, kept in
//! `tests/e2e/fixtures/crab-sample-expected.json` for the playground's end-to-end test (which
//! compares the browser's counts with them).
//!
//! The expectations are computed here from [`check_record`]'s verdicts and the imported kinds
//! directly (not through [`RecordSummary`], which this test checks against them), so the
//! browser test compares the page with the library's verdicts, not with the page's own output.
//! Run with `UPDATE_FIXTURES=1` to rewrite the file after a deliberate change.

use crab_constraints::checks::Status;
use crab_constraints::crab_import::{check_record, parse_records, Imported, RecordSummary};
use serde_json::{json, Value};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/crab/constraint_back_translation_sample.json"
);
const FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/fixtures/crab-sample-expected.json");

fn expected() -> Value {
    let text =
        std::fs::read_to_string(SAMPLE).unwrap_or_else(|e| panic!("cannot read {SAMPLE}: {e}"));
    let records = parse_records(&text).expect("the sample imports");
    let mut out = Vec::new();
    for rec in &records {
        let checks = check_record(rec, None);
        let holds = checks.iter().filter(|(_, v)| v.status == Status::Pass).count();
        let fails = checks.len() - holds;
        let text = rec.items.iter().filter(|i| matches!(i.kind, Imported::Text)).count();
        let unparsed =
            rec.items.iter().filter(|i| matches!(i.kind, Imported::Unparsed { .. })).count();
        let summary = RecordSummary::of(rec, &checks);
        assert_eq!(
            (summary.holds, summary.fails + summary.pending, summary.text, summary.unparsed),
            (holds, fails, text, unparsed),
            "record {}",
            rec.id
        );
        out.push(json!({
            "id": rec.id,
            "holds": holds,
            "fails": fails,
            "text": text,
            "unparsed": unparsed,
            "checkable": rec.items.iter().filter(|i| i.kind.constraint().is_some()).count(),
        }));
    }
    Value::Array(out)
}

#[test]
fn fixture_matches_check_record() {
    let want = serde_json::to_string_pretty(&expected()).expect("serialises") + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(FIXTURE, &want).unwrap_or_else(|e| panic!("cannot write {FIXTURE}: {e}"));
    }
    let have =
        std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("cannot read {FIXTURE}: {e}"));
    assert_eq!(have, want, "{FIXTURE} is stale: rerun with UPDATE_FIXTURES=1");
}
