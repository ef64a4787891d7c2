//! CRAB Playground, the web app.
//!
//! A Leptos client-side app compiled to WebAssembly. It holds the user's text and choices and
//! renders what `crab-constraints` computes; it adds no verification logic of its own, so the
//! browser, the `crab` CLI and the tests always agree.
//!
//! The app is a library (with a thin `main.rs`) so that browser tests can mount its components.
//! It exists only on wasm32: on the host the crate is empty (its dependencies are wasm-only).
//!
//! Modules: [`app`] is the shell and layout; [`state`] the session and shared signals;
//! [`storage`] persistence with schema migration; [`lang`] the language data and [`tagger`] the
//! part-of-speech tagger's model, fetched on first need ([`assets`]); [`llm`] the model endpoints, generation and attempts; [`badge`] the verdict badges; [`debounce`] work that
//! waits for a typing pause on long texts; then one module per part of the page ([`editor`], [`verify`], [`catalog`],
//! [`backtranslate`], [`gallery`], [`quiz`], [`session_menu`]); [`batch`] hosts the Batch view, a
//! separate bundle loaded on first use.

#![cfg(target_arch = "wasm32")]

pub mod app;
pub mod assets;
pub mod backtranslate;
pub mod badge;
pub mod batch;
pub mod catalog;
pub mod debounce;
pub mod editor;
pub mod gallery;
pub mod lang;
pub mod llm;
pub mod quiz;
pub mod session_menu;
pub mod state;
pub mod storage;
pub mod tagger;
pub mod verify;

pub use app::App;

/// The last resort after a panic (a bug: the app is written not to panic): a visible banner
/// saying that the work saved so far is safe in browser storage and how to recover, added with
/// plain DOM calls because the reactive runtime can no longer be trusted.
pub fn show_crash_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    banner.set_class_name("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(
        "Something went wrong inside CRAB Playground (a bug — sorry). Your last saved session is \
         kept in this browser's storage: reload the page to continue. The details are in the \
         browser console.",
    ));
    let _ = body.prepend_with_node_1(&banner);
}
