//! Data files fetched on first need, next to the page: the language profiles
//! (`lang-profiles.bin`, [`crate::lang`]) and the part-of-speech tagger's model
//! (`pos-tagger.bin`, [`crate::tagger`]).
//!
//! Both are far larger than the code that uses them and most sessions never need them, so they
//! are not part of the first load: each has a handle in [`AppState`](crate::state::AppState)
//! whose `request` starts the fetch when a listed constraint needs the data (verdicts are
//! *pending* meanwhile). This module holds what they share: the load state and the fetch.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where a fetched data file stands.
#[derive(Clone, Debug, PartialEq)]
pub enum AssetState {
    /// Not requested yet: nothing has been fetched.
    Idle,
    /// Being fetched and parsed.
    Loading,
    /// Loaded and parsed.
    Ready,
    /// The fetch or the parse failed; the message is for the user. Requesting again retries.
    Failed(String),
}

/// The bytes of `file`, fetched relative to `document.baseURI` (so that the app also works when
/// hosted under a sub-path). `what` names the data in messages ("the language data").
pub async fn fetch(file: &str, what: &str) -> Result<Vec<u8>, String> {
    let failed = |why: String| format!("Could not load {what}: {why}.");
    let window = web_sys::window().ok_or_else(|| failed("no browser window".to_owned()))?;
    let url = url(&window, file).map_err(failed)?;
    let response =
        JsFuture::from(window.fetch_with_str(&url)).await.map_err(|e| failed(js_message(&e)))?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|_| failed("unexpected fetch result".to_owned()))?;
    if !response.ok() {
        return Err(failed(format!("HTTP {} for {url}", response.status())));
    }
    let body = response.array_buffer().map_err(|e| failed(js_message(&e)))?;
    let buffer = JsFuture::from(body).await.map_err(|e| failed(js_message(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// `file` resolved against the document's base URI.
pub fn url(window: &web_sys::Window, file: &str) -> Result<String, String> {
    let document = window.document().ok_or("no document")?;
    let base =
        document.base_uri().map_err(|e| js_message(&e))?.ok_or("the page has no base URI")?;
    let url = web_sys::Url::new_with_base(file, &base).map_err(|e| js_message(&e))?;
    Ok(url.href())
}

/// A readable message from a JavaScript exception or rejection value.
fn js_message(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        String::from(error.message())
    } else {
        value.as_string().unwrap_or_else(|| "network error".to_owned())
    }
}
