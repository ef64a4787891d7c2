//! Component tests in a real browser (headless Chromium via wasm-bindgen-test-runner).
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p crab-playground --test browser`.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;

use dom::{clear_storage, fresh_root, text, type_response};

fn word_count(root: &HtmlElement) -> String {
    text(root, "[data-testid=word-count]")
}

#[wasm_bindgen_test]
async fn typing_updates_the_word_count() {
    clear_storage();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    assert_eq!(word_count(&root), "0");

    type_response(&root, "The quick brown fox — jumps!");
    leptos::task::tick().await;
    assert_eq!(word_count(&root), "5");

    type_response(&root, "snake_case and 3.14");
    leptos::task::tick().await;
    assert_eq!(word_count(&root), "4");
    root.remove();
}

#[wasm_bindgen_test]
async fn text_survives_a_remount() {
    clear_storage();
    let first = fresh_root();
    let app = leptos::mount::mount_to(first.clone(), crab_playground::App);
    type_response(&first, "kept across reloads");
    leptos::task::tick().await;
    drop(app);
    first.remove();

    let second = fresh_root();
    let _app = leptos::mount::mount_to(second.clone(), crab_playground::App);
    leptos::task::tick().await;
    let area: HtmlTextAreaElement =
        second.query_selector("[data-testid=response]").unwrap().unwrap().unchecked_into();
    assert_eq!(area.value(), "kept across reloads");
    assert_eq!(word_count(&second), "3");
    second.remove();
}
