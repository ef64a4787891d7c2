//! Component tests of the back-translate panel and the session menu in a real browser
//! (headless Chromium via wasm-bindgen-test-runner): share links round-trip any text, damaged
//! links are refused with a message, and the derived list renders with every verdict passing.
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p crab-playground --test browser_bt`.

#![cfg(target_arch = "wasm32")]

use crab_playground::session_menu::{parse_import, share};
use crab_playground::state::{ComposeSettings, ConstraintSpec, Session, Tab, Theme};
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/dom.rs"]
mod dom;

use dom::{all, fresh_root, storage};

/// A session full of text that trips up encoders: astral emoji and ZWJ sequences, RTL,
/// combining marks, NUL and other controls, lone `=` and `#` and `%`, and a long run.
fn odd_session() -> Session {
    let odd = "👩‍👩‍👧‍👦 🏳️‍🌈 שלום עליכם مرحبا e\u{301} ǅ ß ﬁ \u{0}\u{7}\u{1b}[0m \u{feff}\u{200b} \
               #s=abc %20 &amp; <b>x</b> \"quoted\" \\ back\r\nslash\t"
        .to_owned();
    let mut compose = ComposeSettings {
        seed: u64::MAX,
        min: Some(0),
        max: Some(usize::MAX >> 11),
        connector: Some("numbered".to_owned()),
        template: Some("casual".to_owned()),
        ifeval_only: true,
        ..ComposeSettings::default()
    };
    compose.weights.insert("keywords".to_owned(), 0.125);
    compose.excluded.push(format!("keywords:existence {odd}"));
    Session {
        instruction: odd.repeat(3),
        response: format!("{}{}", odd, "long ".repeat(5_000)),
        constraints: vec![ConstraintSpec {
            id: "keywords:existence".to_owned(),
            kwargs: json!({"keywords": [odd, "🦀"]}).as_object().cloned().unwrap_or_default(),
        }],
        compose,
        theme: Theme::Dark,
        tab: Tab::Quiz,
        ..Session::default()
    }
}

#[wasm_bindgen_test]
fn share_links_round_trip_odd_unicode() {
    let session = odd_session();
    let payload = share::encode(&session).expect("encodes");
    assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    // Deflate earns its keep on the repetitive text.
    assert!(payload.len() < serde_json::to_string(&session).unwrap().len() / 4);
    assert_eq!(share::decode(&payload), Ok(session.clone()));
    let fragment = format!("{}{payload}", share::PREFIX);
    assert_eq!(share::from_fragment(&fragment), Some(Ok(session)));
    assert_eq!(share::from_fragment("#section-2"), None);
    assert_eq!(share::from_fragment(""), None);
}

#[wasm_bindgen_test]
fn damaged_share_links_are_refused_with_a_message() {
    let payload = share::encode(&odd_session()).expect("encodes");
    let cut = &payload[..payload.len() / 2];
    for bad in ["", "!!!", "AAAA", cut] {
        let err = share::decode(bad).expect_err(bad);
        assert!(err.contains("link"), "{bad}: {err}");
    }
}

#[wasm_bindgen_test]
fn imports_must_say_they_are_sessions() {
    assert!(parse_import(r#"{"constraints": []}"#).unwrap_err().contains("version"));
    assert!(parse_import("[]").is_err());
    assert!(parse_import("{").unwrap_err().contains("JSON"));
    // A schema-1 export (the response alone) still loads.
    let old = parse_import(r#"{"response": "kept"}"#).expect("schema 1");
    assert_eq!(old.response, "kept");
    // Every session has its own random id, which an import keeps.
    let session = odd_session();
    let text = serde_json::to_string_pretty(&session).unwrap();
    assert_eq!(parse_import(&text), Ok(session));
}

#[wasm_bindgen_test]
async fn the_derived_list_renders_with_every_verdict_passing() {
    storage().clear().unwrap();
    let session = Session {
        instruction: "Describe the harbour.".to_owned(),
        response: "<<Harbour>>\n\nBoats rest at the quay. Gulls call over the water.\n\nNight \
                   falls and the lamps come on."
            .to_owned(),
        tab: Tab::Backtranslate,
        ..Session::default()
    };
    storage()
        .set_item("crab-playground/session", &serde_json::to_string(&session).unwrap())
        .unwrap();
    let root = fresh_root();
    let _app = leptos::mount::mount_to(root.clone(), crab_playground::App);
    leptos::task::tick().await;

    let rows = all(&root, "[data-testid=derived-row]");
    assert!(rows.len() >= 3, "{} rows", rows.len());
    let badges = all(&root, "[data-testid=derived-badge]");
    assert_eq!(badges.len(), rows.len());
    for badge in badges {
        assert_eq!(badge.text_content().as_deref(), Some("pass"));
        assert!(badge.class_list().contains("pass"));
    }
    // The title and the missing commas are among them.
    for id in ["detectable_format:title", "punctuation:no_comma"] {
        let sel = format!("[data-testid=derived-row][data-id=\"{id}\"]");
        assert!(root.query_selector(&sel).unwrap().is_some(), "{id} not derived");
    }
    let prompt: web_sys::HtmlTextAreaElement = root
        .query_selector("[data-testid=composed-prompt]")
        .unwrap()
        .expect("composed prompt")
        .unchecked_into();
    assert!(prompt.value().contains("Describe the harbour."));
    root.remove();
    storage().clear().unwrap();
}
