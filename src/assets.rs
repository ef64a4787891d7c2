//! Data files fetched on first need, next to the page: the language profiles
//! (`lang-profiles.bin`, [`crate::lang`]) and the part-of-speech tagger's model
//! (`pos-tagger.bin`, [`crate::tagger`]).
//!
//! Both are far larger than the code that uses them and most sessions never need them, so they
//! are not part of the first load: each has a handle in [`AppState`](crate::state::AppState)
//! whose `request` starts the fetch when a listed constraint needs the data (verdicts are
//! *pending* meanwhile). This module holds what they share: the handle ([`Asset`]), its load
//! state and the fetch.

use std::fmt;
use std::sync::OnceLock;

use leptos::prelude::*;
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

/// What an [`Asset`] loads: its file, its name in messages, how it is parsed, and where the
/// parsed value lives for the rest of the page (a process-wide [`OnceLock`], handed out as
/// `&'static`, so that a second handle (a remounted shell, a test) does not fetch it again).
pub struct Kind<T: 'static> {
    /// The file name, resolved against the page's base URI.
    pub file: &'static str,
    /// The data's name in messages ("the language data").
    pub what: &'static str,
    /// Parses the file's bytes; the error is for the user.
    pub parse: fn(&[u8]) -> Result<T, String>,
    /// The parsed value, once some handle has loaded it.
    pub cell: &'static OnceLock<T>,
}

impl<T: Send + Sync> Kind<T> {
    /// Parses `bytes` and keeps the value for the rest of the page; the error is for the user.
    pub fn install(&self, bytes: &[u8]) -> Result<(), String> {
        if self.cell.get().is_some() {
            return Ok(());
        }
        let value = (self.parse)(bytes)?;
        // Another load may have finished first (both parsed the same file); keep either.
        let _ = self.cell.set(value);
        Ok(())
    }
}

/// The handle of a data file loaded on first need (`Copy`, like the signals it holds).
pub struct Asset<T: 'static> {
    /// The current state, for views that show "loading …" or the failure.
    pub state: ReadSignal<AssetState>,
    set_state: WriteSignal<AssetState>,
    kind: &'static Kind<T>,
}

impl<T> Clone for Asset<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Asset<T> {}

impl<T> fmt::Debug for Asset<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Asset").field("file", &self.kind.file).field("state", &self.state).finish()
    }
}

impl<T: Send + Sync> Asset<T> {
    /// A handle that has fetched nothing yet ([`AssetState::Idle`]), or [`AssetState::Ready`]
    /// if the data was already loaded in this page.
    pub fn of(kind: &'static Kind<T>) -> Asset<T> {
        let initial = if kind.cell.get().is_some() { AssetState::Ready } else { AssetState::Idle };
        let (state, set_state) = signal(initial);
        Asset { state, set_state, kind }
    }

    /// Starts fetching and parsing the data, unless that is under way or done; after a failure
    /// it tries again. Returns at once: the state moves to [`AssetState::Loading`] now and to
    /// [`AssetState::Ready`] or [`AssetState::Failed`] when the fetch has finished.
    pub fn request(&self) {
        match self.state.try_get_untracked() {
            Some(AssetState::Idle | AssetState::Failed(_)) => {}
            // Loading, ready, or the owner is gone.
            _ => return,
        }
        if self.kind.cell.get().is_some() {
            self.set_state.try_set(AssetState::Ready);
            return;
        }
        self.set_state.try_set(AssetState::Loading);
        let (set_state, kind) = (self.set_state, self.kind);
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = match fetch(kind.file, kind.what).await {
                Ok(bytes) => kind.install(&bytes),
                Err(e) => Err(e),
            };
            // The shell may have been unmounted meanwhile; the value stays cached.
            set_state.try_set(match outcome {
                Ok(()) => AssetState::Ready,
                Err(message) => AssetState::Failed(message),
            });
        });
    }

    /// The value once [`AssetState::Ready`], else `None`. A tracked read: a memo or effect that
    /// calls it runs again when the data arrives.
    pub fn get(&self) -> Option<&'static T> {
        let ready = self.state.try_with(|s| *s == AssetState::Ready).unwrap_or(false);
        if ready {
            self.kind.cell.get()
        } else {
            None
        }
    }

    /// The current state (a tracked read).
    pub fn state(&self) -> AssetState {
        self.state.try_get().unwrap_or(AssetState::Idle)
    }
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
