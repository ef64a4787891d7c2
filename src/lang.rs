//! The language-detection profiles, fetched the first time something needs them.
//!
//! Three IFEval checks detect the response's language, which needs langdetect's 55 profiles:
//! `public/lang-profiles.bin`, 0.89 MB (0.45 MB gzipped) in the library's compact format. That
//! is close to the whole first-load budget of the app, and most sessions never need it, so it
//! is not part of the bundle's first load: the shell provides a [`Lang`] in context and calls
//! [`Lang::request`] when a language constraint appears (or the user asks). Everything else
//! keeps working while it loads, and a failure is a message in [`LangState::Failed`], never a
//! panic or a console error.
//!
//! The parsed detector lives for the rest of the page in a process-wide [`OnceLock`], so it is
//! handed out as `&'static` and a second [`Lang`] (a remounted shell, a test) does not fetch it
//! again.

use std::sync::OnceLock;

use crab_constraints::text::lang::LanguageDetector;
use leptos::prelude::*;

use crate::assets;

/// The asset's file name, resolved against the page's base URI (so the app also works when it
/// is hosted under a sub-path).
pub const PROFILES_FILE: &str = "lang-profiles.bin";

/// The detector, once some [`Lang`] has loaded it.
static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();

/// Where the language data stands ([`LangState::Ready`]: [`Lang::detector`] returns it).
pub type LangState = assets::AssetState;

/// The language data's handle, provided in context by the app shell
/// (`provide_context(Lang::new())`). It is `Copy`, like the signals it holds.
#[derive(Clone, Copy, Debug)]
pub struct Lang {
    /// The current state, for views that show "loading language data" or the failure.
    pub state: ReadSignal<LangState>,
    set_state: WriteSignal<LangState>,
}

impl Default for Lang {
    fn default() -> Self {
        Self::new()
    }
}

impl Lang {
    /// A handle that has fetched nothing yet ([`LangState::Idle`]), or [`LangState::Ready`] if
    /// the profiles were already loaded in this page.
    pub fn new() -> Lang {
        let initial = if DETECTOR.get().is_some() { LangState::Ready } else { LangState::Idle };
        let (state, set_state) = signal(initial);
        Lang { state, set_state }
    }

    /// Starts fetching and parsing the profiles, unless that is under way or done; after a
    /// failure it tries again. Returns at once: the state moves to [`LangState::Loading`] now
    /// and to [`LangState::Ready`] or [`LangState::Failed`] when the fetch has finished.
    pub fn request(&self) {
        match self.state.try_get_untracked() {
            Some(LangState::Idle | LangState::Failed(_)) => {}
            // Loading, ready, or the owner is gone.
            _ => return,
        }
        if DETECTOR.get().is_some() {
            self.set_state.try_set(LangState::Ready);
            return;
        }
        self.set_state.try_set(LangState::Loading);
        let set_state = self.set_state;
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = match fetch_profiles().await {
                Ok(bytes) => install(&bytes),
                Err(e) => Err(e),
            };
            // The shell may have been unmounted meanwhile; the detector stays cached.
            set_state.try_set(match outcome {
                Ok(()) => LangState::Ready,
                Err(message) => LangState::Failed(message),
            });
        });
    }

    /// The detector once [`LangState::Ready`], else `None`. A tracked read: a memo or effect
    /// that calls it runs again when the profiles arrive.
    pub fn detector(&self) -> Option<&'static LanguageDetector> {
        let ready = self.state.try_with(|s| *s == LangState::Ready).unwrap_or(false);
        if ready {
            DETECTOR.get()
        } else {
            None
        }
    }

    /// The current state (a tracked read).
    pub fn state(&self) -> LangState {
        self.state.try_get().unwrap_or(LangState::Idle)
    }
}

/// Parses `bytes` and keeps the detector for the rest of the page; the error is for the user.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    if DETECTOR.get().is_some() {
        return Ok(());
    }
    let detector = LanguageDetector::from_compact_bytes(bytes)
        .map_err(|e| format!("The language data is damaged ({e}). Reload the page to retry."))?;
    // Another load may have finished first (both parsed the same file); keep either.
    let _ = DETECTOR.set(detector);
    Ok(())
}

/// The profile bytes, fetched relative to `document.baseURI`.
async fn fetch_profiles() -> Result<Vec<u8>, String> {
    assets::fetch(PROFILES_FILE, "the language data").await
}

/// [`PROFILES_FILE`] resolved against the document's base URI.
pub fn profiles_url(window: &web_sys::Window) -> Result<String, String> {
    assets::url(window, PROFILES_FILE)
}
