//! Loading the part-of-speech tagger's model on first need (`src/tagger.rs`), in headless
//! Chromium.
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p crab-playground --test browser_tagger`.
//!
//! As in `browser_lang.rs`: a `<base href="/public/">` makes `pos-tagger.bin` resolve to the
//! committed asset, a base that points nowhere gives the failure path, and everything is one
//! test because the loaded tagger is page-wide state.

#![cfg(target_arch = "wasm32")]

use crab_constraints::checks::{Constraint, Status};
use crab_constraints::text::{Analysis, Resources};
use crab_playground::tagger::{self, Tagger, TaggerState};
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
async fn settle(tagger: Tagger) -> TaggerState {
    for _ in 0..3000 {
        let state = tagger.state.get_untracked();
        if state != TaggerState::Loading {
            return state;
        }
        sleep(10).await;
    }
    panic!("the tagger data is still loading after 30 s");
}

/// Points the document's base URI at `href`.
fn set_base(href: &str) -> web_sys::Element {
    let document = window().document().expect("document");
    let base = document.create_element("base").expect("base element");
    base.set_attribute("href", href).expect("href");
    document.body().expect("body").append_child(&base).expect("append");
    base
}

#[wasm_bindgen_test]
async fn the_tagger_loads_on_request_only_and_failures_are_messages() {
    let handle = Tagger::new();
    assert_eq!(handle.state(), TaggerState::Idle, "nothing is fetched before a request");
    assert!(handle.tagger().is_none());
    let start_verb = Constraint::from_ifeval("words:start_verb", &serde_json::Value::Null).unwrap();
    let text = "Take a deep breath.";
    let pending = start_verb.verify(&Analysis::with_resources(text, Resources::NONE));
    assert_eq!(pending.status, Status::Pending);

    // A base where the file is not: a message, no panic, and nothing cached.
    let nowhere = set_base("/no-such-directory/");
    assert!(tagger::tagger_url(&window())
        .expect("url")
        .ends_with("/no-such-directory/pos-tagger.bin"));
    handle.request();
    assert_eq!(handle.state(), TaggerState::Loading);
    handle.request(); // idempotent while loading
    match settle(handle).await {
        TaggerState::Failed(message) => {
            assert!(message.contains("HTTP 404"), "{message}");
            assert!(message.starts_with("Could not load the part-of-speech tagger data"));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(handle.tagger().is_none());
    nowhere.remove();

    // Damaged bytes are a message too, and do not poison a later load.
    let asset: &[u8] = include_bytes!("../public/pos-tagger.bin");
    let err = tagger::install(&asset[..asset.len() / 3]).unwrap_err();
    assert!(err.contains("damaged"), "{err}");
    assert!(tagger::install(b"").is_err());

    // The committed asset under a sub-path: a retry after the failure loads it.
    let public = set_base("/public/");
    let start = now_ms();
    handle.request();
    assert_eq!(handle.state(), TaggerState::Loading);
    assert_eq!(settle(handle).await, TaggerState::Ready);
    let fetch_and_parse = now_ms() - start;
    public.remove();
    let loaded = handle.tagger().expect("a tagger once ready");
    assert_eq!(loaded.tag(&["Take", "a", "deep", "breath", "."]), ["VB", "DT", "JJ", "NN", "."]);
    let resources = Resources { language: None, tagger: Some(loaded) };
    let decided = start_verb.verify(&Analysis::with_resources(text, resources));
    assert_eq!(decided.status, Status::Pass, "{}", decided.detail);

    // Another handle (a remounted shell) finds it loaded; requests are no-ops.
    let again = Tagger::new();
    assert_eq!(again.state(), TaggerState::Ready);
    again.request();
    assert!(std::ptr::eq(again.tagger().expect("ready"), loaded));

    // Parsing alone, on the main thread (what the first tagger check pays after the download).
    let start = now_ms();
    let parsed = crab_constraints::text::pos::PosTagger::from_compact_bytes(asset);
    let parse = now_ms() - start;
    assert!(parsed.is_ok());
    console_log!(
        "pos-tagger.bin ({} bytes): fetch + parse {fetch_and_parse:.0} ms, parse alone {parse:.0} ms",
        asset.len()
    );
}
