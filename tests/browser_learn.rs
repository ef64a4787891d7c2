//! The learn panels in a real browser: the gallery's expected verdicts against the library (the
//! data file as the app parses it), the gallery's confirm-before-replace, and the quiz.
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p crab-playground --test browser_learn`.

#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;

use crab_constraints::checks::{Status, CHECKS};
use crab_constraints::ifeval::evaluate_detailed;
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::Resources;
use crab_playground::gallery::{self, Expected};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;

use dom::{all, clear_storage, find, fresh_root, response_text, storage, type_response};

/// A detector over langdetect's built-in profiles, loaded as the app loads its asset.
fn detector() -> LanguageDetector {
    LanguageDetector::from_compact_bytes(PROFILES).expect("profiles")
}

#[wasm_bindgen_test]
fn every_example_has_its_expected_strict_verdicts() {
    let examples = gallery::parse_examples(EXAMPLES_JSON).expect("examples.json parses");
    assert!(examples.len() >= 8, "{} examples", examples.len());
    let ids: BTreeSet<&str> = examples.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), examples.len(), "example ids are unique");
    let detector = detector();
    let tagger = PosTagger::from_compact_bytes(TAGGER).expect("tagger");
    let mut expected_counts = (0, 0);
    for example in &examples {
        assert!(!example.title.is_empty() && !example.teaser.is_empty(), "{}", example.id);
        assert!(!example.instruction.is_empty() && !example.response.is_empty(), "{}", example.id);
        let built: Vec<_> = example
            .constraints
            .iter()
            .map(|c| {
                c.spec()
                    .build()
                    .unwrap_or_else(|e| panic!("{}: {} does not build: {e}", example.id, c.id))
            })
            .collect();
        let resources = Resources { language: Some(&detector), tagger: Some(&tagger) };
        let verdicts = evaluate_detailed(&built, &example.response, resources);
        for (c, d) in example.constraints.iter().zip(verdicts) {
            assert!(!c.why.is_empty(), "{}: {} has no why", example.id, c.id);
            let want = match c.expected {
                Expected::Pass => {
                    expected_counts.0 += 1;
                    Status::Pass
                }
                Expected::Fail => {
                    expected_counts.1 += 1;
                    Status::Fail
                }
            };
            assert_eq!(
                d.strict.status, want,
                "{}: {} {:?}: {}",
                example.id, c.id, c.kwargs, d.strict.detail
            );
        }
    }
    assert!(expected_counts.0 > 0 && expected_counts.1 > 0, "{expected_counts:?}");
}

#[wasm_bindgen_test]
fn the_examples_cover_every_check_family() {
    let examples = shipped_examples();
    let covered: BTreeSet<&str> = examples.iter().flat_map(|e| e.families()).collect();
    let all: BTreeSet<&str> = CHECKS.iter().map(|c| c.family()).collect();
    assert_eq!(covered, all);
}

#[wasm_bindgen_test]
fn a_malformed_examples_file_is_an_error_not_a_panic() {
    for text in ["", "{", "{}", "[{\"id\": 1}]", "[{\"title\": \"no id\"}]"] {
        assert!(gallery::parse_examples(text).is_err(), "{text:?}");
    }
    let wrong_verdict = r#"[{"id": "x", "title": "t", "teaser": "t", "instruction": "i",
        "response": "r", "constraints": [{"id": "punctuation:no_comma", "kwargs": {},
        "expected": "maybe", "why": "w"}]}]"#;
    let err = gallery::parse_examples(wrong_verdict).unwrap_err();
    assert!(err.contains("malformed"), "{err}");
}

#[wasm_bindgen_test]
fn marked_segments_split_the_text_at_the_evidence() {
    use crab_constraints::text::Span;
    use crab_playground::quiz::marked_segments;
    let text = "a, b, c";
    let segs = marked_segments(text, &[Span::new(4, 5), Span::new(1, 2), Span::new(1, 2)]);
    let want = [("a", false), (",", true), (" b", false), (",", true), (" c", false)];
    let got: Vec<(&str, bool)> = segs.iter().map(|(s, m)| (s.as_str(), *m)).collect();
    assert_eq!(got, want);
    // Spans that do not fit the text (or cut a character) are skipped, never a panic.
    let segs = marked_segments("é", &[Span::new(0, 1), Span::new(3, 9)]);
    assert_eq!(segs, vec![("é".to_owned(), false)]);
}

// ---------------------------------------------------------------------------------------------
// Components, mounted with the whole app (the panels need the shell's context).

async fn click(root: &HtmlElement, selector: &str) {
    find(root, selector).click();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn opening_an_example_asks_before_replacing_work() {
    clear_storage();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    let examples = shipped_examples();

    // An empty session: the first example opens at once, on the Verify tab.
    click(&root, "[data-testid=tab-examples]").await;
    assert_eq!(all(&root, "[data-testid=example-card]").len(), examples.len());
    click(&root, "[data-testid=example-open]").await;
    assert_eq!(response_text(&root), examples[0].response);
    assert_eq!(
        find(&root, "[data-testid=tab-verify]").get_attribute("aria-selected").as_deref(),
        Some("true")
    );

    // Edited work: opening another example asks first; "keep" keeps it.
    type_response(&root, "My own draft.");
    leptos::task::tick().await;
    click(&root, "[data-testid=tab-examples]").await;
    all(&root, "[data-testid=example-open]")[1].click();
    leptos::task::tick().await;
    assert_eq!(all(&root, "[data-testid=example-confirm]").len(), 1);
    click(&root, "[data-testid=example-confirm-cancel]").await;
    assert!(all(&root, "[data-testid=example-confirm]").is_empty());
    assert_eq!(response_text(&root), "My own draft.");

    // "Replace" loads it.
    all(&root, "[data-testid=example-open]")[1].click();
    leptos::task::tick().await;
    click(&root, "[data-testid=example-confirm-replace]").await;
    assert_eq!(response_text(&root), examples[1].response);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_quiz_shows_a_gallery_response_and_its_progress_survives_tab_switches() {
    clear_storage();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    let examples = shipped_examples();
    click(&root, "[data-testid=tab-quiz]").await;
    let shown = find(&root, "[data-testid=quiz-response]").text_content().unwrap_or_default();
    assert!(examples.iter().any(|e| e.response == shown), "{shown:?}");
    assert!(find(&root, "[data-testid=quiz-total]")
        .text_content()
        .unwrap()
        .starts_with("Score: 0.00"));

    click(&root, "[data-testid=quiz-next]").await;
    let next = find(&root, "[data-testid=quiz-response]").text_content().unwrap_or_default();
    assert_ne!(next, shown, "next shows another response");

    click(&root, "[data-testid=tab-verify]").await;
    click(&root, "[data-testid=tab-quiz]").await;
    assert_eq!(find(&root, "[data-testid=quiz-response]").text_content().unwrap_or_default(), next);
    root.remove();
}

#[wasm_bindgen_test]
async fn an_unreadable_saved_quiz_starts_a_new_one_with_a_message() {
    clear_storage();
    let storage = storage();
    storage.set_item(crab_playground::quiz::PROGRESS_KEY, "{\"guesses\": 7").unwrap();
    shipped_examples();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    click(&root, "[data-testid=tab-quiz]").await;
    let status = find(&root, "[data-testid=status]").text_content().unwrap_or_default();
    assert!(status.contains("could not be read"), "{status}");
    assert!(!all(&root, "[data-testid=quiz-response]").is_empty());
    root.remove();
}

/// The examples file exactly as the app fetches it.
const EXAMPLES_JSON: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/gallery/examples.json"));

/// The shipped examples, installed as the app's fetch installs them (the test runner serves no
/// `examples.json`), so that the panels find them loaded.
fn shipped_examples() -> &'static [gallery::Example] {
    gallery::install(EXAMPLES_JSON.as_bytes()).expect("examples.json installs");
    let handle = gallery::examples();
    handle.request();
    handle.get().expect("installed examples are ready")
}

/// The language profiles exactly as the app fetches them.
const PROFILES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/public/lang-profiles.bin"));

/// The tagger's model exactly as the app fetches it.
const TAGGER: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/public/pos-tagger.bin"));
