//! Loading the language profiles on first need (`src/lang.rs`), in headless Chromium.
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p crab-playground --test browser_lang`.
//!
//! The test runner's server answers files from the package root as well as its own, so a
//! `<base href="/public/">` makes `lang-profiles.bin` resolve to the committed asset exactly as
//! a sub-path deployment would; a base that points nowhere gives the failure path. Everything
//! is one test because the loaded detector is page-wide state.

#![cfg(target_arch = "wasm32")]

use crab_constraints::text::lang::Detection;
use crab_playground::lang::{self, Lang, LangState};
use leptos::prelude::GetUntracked;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

fn now_ms() -> f64 {
    window().performance().expect("performance").now()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("timer");
}

/// Waits (up to 30 s) for the state to leave `Loading`.
async fn settle(lang: Lang) -> LangState {
    for _ in 0..3000 {
        let state = lang.state.get_untracked();
        if state != LangState::Loading {
            return state;
        }
        sleep(10).await;
    }
    panic!("the language data is still loading after 30 s");
}

/// Points the document's base URI at `href`: the first `<base href>` in the document decides
/// it, wherever it is.
fn set_base(href: &str) -> web_sys::Element {
    let document = window().document().expect("document");
    let base = document.create_element("base").expect("base element");
    base.set_attribute("href", href).expect("href");
    document.body().expect("body").append_child(&base).expect("append");
    base
}

#[wasm_bindgen_test]
async fn profiles_load_on_request_only_and_failures_are_messages() {
    let lang = Lang::new();
    assert_eq!(lang.state(), LangState::Idle, "nothing is fetched before a request");
    assert!(lang.detector().is_none());

    // A base where the file is not: a message, no panic, and nothing cached.
    let nowhere = set_base("/no-such-directory/");
    assert!(lang::profiles_url(&window())
        .expect("url")
        .ends_with("/no-such-directory/lang-profiles.bin"));
    lang.request();
    assert_eq!(lang.state(), LangState::Loading);
    lang.request(); // idempotent while loading
    match settle(lang).await {
        LangState::Failed(message) => {
            assert!(message.contains("HTTP 404"), "{message}");
            console_log!("missing asset: {message}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(lang.detector().is_none());
    nowhere.remove();

    // Damaged bytes are a message too, and do not poison a later load.
    let asset: &[u8] = include_bytes!("../public/lang-profiles.bin");
    let err = lang::install(&asset[..asset.len() / 3]).unwrap_err();
    assert!(err.contains("damaged"), "{err}");
    assert!(lang::install(b"").is_err());

    // The committed asset under a sub-path: a retry after the failure loads it.
    let public = set_base("/public/");
    let start = now_ms();
    lang.request();
    assert_eq!(lang.state(), LangState::Loading);
    assert_eq!(settle(lang).await, LangState::Ready);
    let fetch_and_parse = now_ms() - start;
    public.remove();
    let detector = lang.detector().expect("a detector once ready");
    assert_eq!(detector.languages().len(), 55);
    assert_eq!(
        detector.detect("Ceci est une phrase en français, écrite pour le test."),
        Detection::Language("fr".to_owned())
    );
    assert_eq!(detector.detect("12345 !!!"), Detection::NoFeatures);

    // Another handle (a remounted shell) finds it loaded; requests are no-ops.
    let again = Lang::new();
    assert_eq!(again.state(), LangState::Ready);
    again.request();
    assert_eq!(again.state(), LangState::Ready);
    assert!(std::ptr::eq(again.detector().expect("ready"), detector));

    // Parsing alone, on this page's main thread (the cost a first language check pays after
    // the download).
    let start = now_ms();
    let parsed = crab_constraints::text::lang::LanguageDetector::from_compact_bytes(asset);
    let parse = now_ms() - start;
    assert!(parsed.is_ok());
    let damaged = asset.len() / 3;
    console_log!(
        "lang-profiles.bin ({} bytes): fetch + parse {fetch_and_parse:.0} ms, parse alone \
         {parse:.0} ms; a {damaged}-byte prefix is rejected",
        asset.len()
    );
}
