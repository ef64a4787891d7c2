//! CRAB Playground, the web app.
//!
//! A Leptos client-side app compiled to WebAssembly. It holds the user's text and choices and
//! renders what `crab-constraints` computes; it adds no verification logic of its own, so the
//! browser, the `crab` CLI and the tests always agree.
//!
//! The app is a library (with a thin `main.rs`) so that browser tests can mount its components.
//! It exists only on wasm32: on the host the crate is empty (its dependencies are wasm-only).

#![cfg(target_arch = "wasm32")]

pub mod app;
pub mod lang;
mod storage;

pub use app::App;
