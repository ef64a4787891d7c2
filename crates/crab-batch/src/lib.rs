//! CRAB Playground's Batch view: IFEval (or IFBench) evaluation of whole files in the browser.
//!
//! A separate bundle from the app, built by Trunk as a second rust asset (`data-type="worker"`:
//! not loaded at startup) and fetched only when the Batch tab is first shown: the view, the
//! worker and their share of the library cost more than the app's first-load budget has left.
//! The module is wasm-bindgen's `web` target, an ES module with two entry points:
//!
//! - [`mount`]: the app's Batch tab imports the module on the main thread and mounts the view
//!   ([`view`]) into its panel;
//! - [`worker_main`]: `crab-batch-worker.js` starts the same module as a module Web Worker, which does the
//!   evaluation ([`worker`]), so that the page never freezes. The app's Back-translate panel
//!   starts the same worker for the key phrases (YAKE) its own bundle leaves out.
//!
//! Nothing here scores, formats or counts: reading the files' lines and rows, matching
//! responses, strict and loose evaluation, Google's result lines, the metrics and the CSV are
//! `crab-constraints`' (the same calls as `crab eval`), so the browser's files equal the CLI's
//! byte for byte.

#![cfg(target_arch = "wasm32")]

pub mod chart;
pub mod compare;
pub mod runs;
pub mod table;
pub mod view;
pub mod worker;

use wasm_bindgen::prelude::*;

pub use worker::worker_main;

/// Mounts the Batch view into `element` (the app's Batch panel); called once per page.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement) {
    console_error_panic_hook::set_once();
    view::add_stylesheet();
    leptos::mount::mount_to(element, view::BatchView).forget();
}
