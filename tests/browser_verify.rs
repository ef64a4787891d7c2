//! Component tests of the verify experience in a real browser: the catalog on its own (as the
//! quiz uses it), and the whole app's verify flow (add from the catalog, live verdict, evidence
//! marks, IFEval row paste).
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p crab-playground --test browser_verify`.

#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use crab_constraints::text::Resource;
use crab_playground::catalog::Catalog;
use crab_playground::state::ConstraintSpec;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;

use dom::{clear_storage, count, find, fresh_root, text, type_into};

#[wasm_bindgen_test]
async fn the_catalog_hands_the_configured_spec_to_its_caller() {
    let root = fresh_root();
    let added: Arc<Mutex<Vec<ConstraintSpec>>> = Arc::default();
    let sink = Arc::clone(&added);
    let _app = leptos::mount::mount_to(root.clone(), move || {
        let sink = Arc::clone(&sink);
        view! { <Catalog on_add=move |spec| sink.lock().unwrap().push(spec) /> }
    });
    let total = text(&root, "[data-testid=catalog-count]");
    assert_eq!(total, format!("{} checks", crab_constraints::checks::CHECKS.len()));
    // The checks that detect the language or tag words say that they load that data.
    for (resource, testid) in
        [(Resource::Language, "needs-language"), (Resource::Tagger, "needs-tagger")]
    {
        let needing: Vec<&str> = crab_constraints::checks::CHECKS
            .iter()
            .filter(|c| c.needs.contains(&resource))
            .map(|c| c.id)
            .collect();
        assert!(!needing.is_empty(), "{resource:?}");
        assert_eq!(count(&root, &format!("[data-testid={testid}]")), needing.len());
        for id in needing {
            find(&root, &format!("[data-testid='check-{id}'] [data-testid={testid}]"));
        }
    }

    type_into(&root, "[data-testid=catalog-search]", "number_words");
    leptos::task::tick().await;
    assert_eq!(text(&root, "[data-testid=catalog-count]"), "1 check");

    let entry = "[data-testid='check-length_constraints:number_words']";
    type_into(&root, &format!("{entry} [data-testid=param-num_words]"), "250");
    find(&root, &format!("{entry} [data-testid=add-check]")).click();
    leptos::task::tick().await;
    {
        let added = added.lock().unwrap();
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].id, "length_constraints:number_words");
        assert_eq!(added[0].kwargs["num_words"], 250);
        assert!(added[0].build().is_ok());
    }

    // A refused value is reported inline and nothing is handed over.
    type_into(&root, &format!("{entry} [data-testid=param-num_words]"), "-4");
    find(&root, &format!("{entry} [data-testid=add-check]")).click();
    leptos::task::tick().await;
    assert_eq!(added.lock().unwrap().len(), 1);
    assert!(text(&root, &format!("{entry} [data-testid=check-error]")).contains("at least 0"));
    root.remove();
}

#[wasm_bindgen_test]
async fn an_added_constraint_shows_its_verdict_and_marks_its_evidence() {
    clear_storage();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    type_into(&root, "[data-testid=response]", "One, two, three.");
    type_into(&root, "[data-testid=catalog-search]", "no_comma");
    leptos::task::tick().await;
    find(&root, "[data-testid='check-punctuation:no_comma'] [data-testid=add-check]").click();
    leptos::task::tick().await;

    assert_eq!(count(&root, "[data-testid=constraint-row]"), 1);
    assert_eq!(text(&root, "[data-testid=strict-badge]"), "strict fail");
    assert_eq!(text(&root, "[data-testid=row-detail]"), "2 commas");
    // Adding selects the constraint: its two commas are marked behind the text.
    assert_eq!(count(&root, "[data-testid=response-backdrop] mark"), 2);
    assert_eq!(text(&root, "[data-testid=mark-count]"), "2 marks");
    assert_eq!(text(&root, "[data-testid=response-backdrop]"), "One, two, three.");

    // Markup in the response is text in the backdrop too, marks and all.
    let markup = "<b>One</b>, <i>two</i> && three > four.";
    type_into(&root, "[data-testid=response]", markup);
    leptos::task::tick().await;
    assert_eq!(count(&root, "[data-testid=response-backdrop] mark"), 1);
    assert_eq!(count(&root, "[data-testid=response-backdrop] b"), 0);
    assert_eq!(count(&root, "[data-testid=response-backdrop] i"), 0);
    assert_eq!(text(&root, "[data-testid=response-backdrop]"), markup);

    type_into(&root, "[data-testid=response]", "One two three.");
    leptos::task::tick().await;
    assert_eq!(text(&root, "[data-testid=strict-badge]"), "strict pass");
    assert_eq!(count(&root, "[data-testid=response-backdrop] mark"), 0);

    find(&root, "[data-testid=clear-highlight]").click();
    leptos::task::tick().await;
    assert_eq!(count(&root, "[data-testid=mark-count]"), 0);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_pasted_row_replaces_the_constraints_and_a_bad_one_changes_nothing() {
    clear_storage();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    type_into(&root, "[data-testid=response]", "A calm reply.");
    let row = r#"{"key": 5, "prompt": "Reply calmly.", "instruction_id_list": ["punctuation:no_comma", "detectable_format:title"], "kwargs": [{}, null]}"#;
    type_into(&root, "[data-testid=row-json]", row);
    leptos::task::tick().await;
    find(&root, "[data-testid=load-row]").click();
    leptos::task::tick().await;
    assert_eq!(count(&root, "[data-testid=constraint-row]"), 2);
    let instruction: HtmlTextAreaElement =
        find(&root, "[data-testid=instruction]").unchecked_into();
    assert_eq!(instruction.value(), "Reply calmly.");
    let response: HtmlTextAreaElement = find(&root, "[data-testid=response]").unchecked_into();
    assert_eq!(response.value(), "A calm reply.");
    assert_eq!(text(&root, "[data-testid=verify-summary]"), "1 of 2 pass strict · 1 of 2 loose");

    type_into(&root, "[data-testid=row-json]", r#"{"key": 6, "prompt": "x"}"#);
    leptos::task::tick().await;
    find(&root, "[data-testid=load-row]").click();
    leptos::task::tick().await;
    assert!(text(&root, "[data-testid=row-error]").contains("instruction_id_list"));
    assert_eq!(count(&root, "[data-testid=constraint-row]"), 2);
    assert_eq!(instruction.value(), "Reply calmly.");
    root.remove();
}
