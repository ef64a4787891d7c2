//! The web app's examples gallery (`src/gallery/examples.json` at the workspace root), checked
//! natively: every example's constraints build, their strict verdicts equal the expected ones
//! written in the file, and together the examples cover every check family. The app's
//! `tests/browser_learn.rs` checks the same in the browser; this copy runs with `cargo test`.

#[path = "support/lang.rs"]
mod lang;

use std::collections::BTreeSet;

use crab_constraints::checks::{Constraint, Status, CHECKS};
use crab_constraints::ifeval::evaluate_detailed;
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::Resources;
use serde_json::Value;

const EXAMPLES: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/gallery/examples.json"));

#[test]
fn gallery_examples_have_their_expected_verdicts_and_cover_every_family() {
    let examples: Value = serde_json::from_str(EXAMPLES).expect("examples.json is JSON");
    let examples = examples.as_array().expect("a list of examples");
    assert!(examples.len() >= 8, "{} examples", examples.len());
    let detector = lang::detector();
    // The tagger as the app loads it.
    let tagger = PosTagger::from_compact_bytes(include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/pos-tagger.bin"
    )))
    .expect("the tagger asset loads");
    let resources = Resources { language: Some(&detector), tagger: Some(&tagger) };
    let mut families = BTreeSet::new();
    let mut problems = Vec::new();
    let mut outcomes = (0, 0);
    for ex in examples {
        let title = ex["title"].as_str().expect("title");
        let response = ex["response"].as_str().expect("response");
        let list = ex["constraints"].as_array().expect("constraints");
        let built: Vec<Constraint> = list
            .iter()
            .map(|c| {
                let id = c["id"].as_str().expect("id");
                Constraint::from_ifeval(id, &c["kwargs"]).unwrap_or_else(|e| panic!("{title}: {e}"))
            })
            .collect();
        let verdicts = evaluate_detailed(&built, response, resources);
        for ((c, spec), d) in built.iter().zip(list).zip(verdicts) {
            families.insert(c.info().family());
            let expected = match spec["expected"].as_str() {
                Some("pass") => Status::Pass,
                Some("fail") => Status::Fail,
                other => panic!("{title}: expected must be pass or fail, got {other:?}"),
            };
            assert!(!spec["why"].as_str().unwrap_or_default().is_empty(), "{title}: no why");
            if expected == Status::Pass {
                outcomes.0 += 1;
            } else {
                outcomes.1 += 1;
            }
            if d.strict.status != expected {
                problems.push(format!(
                    "{title}: {} {}: expected {expected:?}, got {:?} ({})",
                    c.id(),
                    Value::Object(c.kwargs()),
                    d.strict.status,
                    d.strict.detail
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let all: BTreeSet<&str> = CHECKS.iter().map(|c| c.family()).collect();
    assert_eq!(families, all, "families covered");
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "a mix of passes and fails: {outcomes:?}");
}
