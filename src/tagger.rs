//! NLTK's part-of-speech tagger model, fetched the first time something needs it.
//!
//! IFBench's `words:start_verb` tags the response's first word with NLTK's averaged perceptron,
//! whose model is `public/pos-tagger.bin`: about 1 MB, 0.6 MB gzipped, in the library's compact
//! format. That is most of the first-load budget and few sessions need it, so it is not part of
//! the bundle: the shell's [`AppState`](crate::state::AppState) holds a [`Tagger`] and calls
//! [`Tagger::request`] when a constraint that needs it is listed. Verdicts that need it are
//! *pending* until it arrives; a failure is a message in [`TaggerState::Failed`], never a panic.
//!
//! The parsed tagger lives for the rest of the page in a process-wide [`OnceLock`], handed out
//! as `&'static`, so a second [`Tagger`] (a remounted shell, a test) does not fetch it again.

use std::sync::OnceLock;

use crab_constraints::text::pos::PosTagger;
use leptos::prelude::*;

use crate::assets;

/// The asset's file name, resolved against the page's base URI.
pub const TAGGER_FILE: &str = "pos-tagger.bin";

/// The tagger, once some [`Tagger`] has loaded it.
static TAGGER: OnceLock<PosTagger> = OnceLock::new();

/// Where the tagger's model stands ([`TaggerState::Ready`]: [`Tagger::tagger`] returns it).
pub type TaggerState = assets::AssetState;

/// The tagger model's handle (`Copy`, like the signals it holds).
#[derive(Clone, Copy, Debug)]
pub struct Tagger {
    /// The current state, for views that show it.
    pub state: ReadSignal<TaggerState>,
    set_state: WriteSignal<TaggerState>,
}

impl Default for Tagger {
    fn default() -> Self {
        Self::new()
    }
}

impl Tagger {
    /// A handle that has fetched nothing yet ([`TaggerState::Idle`]), or [`TaggerState::Ready`]
    /// if the model was already loaded in this page.
    pub fn new() -> Tagger {
        let initial = if TAGGER.get().is_some() { TaggerState::Ready } else { TaggerState::Idle };
        let (state, set_state) = signal(initial);
        Tagger { state, set_state }
    }

    /// Starts fetching and parsing the model, unless that is under way or done; after a failure
    /// it tries again. Returns at once.
    pub fn request(&self) {
        match self.state.try_get_untracked() {
            Some(TaggerState::Idle | TaggerState::Failed(_)) => {}
            _ => return,
        }
        if TAGGER.get().is_some() {
            self.set_state.try_set(TaggerState::Ready);
            return;
        }
        self.set_state.try_set(TaggerState::Loading);
        let set_state = self.set_state;
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = match assets::fetch(TAGGER_FILE, "the part-of-speech tagger data").await {
                Ok(bytes) => install(&bytes),
                Err(e) => Err(e),
            };
            set_state.try_set(match outcome {
                Ok(()) => TaggerState::Ready,
                Err(message) => TaggerState::Failed(message),
            });
        });
    }

    /// The tagger once [`TaggerState::Ready`], else `None`. A tracked read: a memo that calls it
    /// runs again when the model arrives.
    pub fn tagger(&self) -> Option<&'static PosTagger> {
        let ready = self.state.try_with(|s| *s == TaggerState::Ready).unwrap_or(false);
        if ready {
            TAGGER.get()
        } else {
            None
        }
    }

    /// The current state (a tracked read).
    pub fn state(&self) -> TaggerState {
        self.state.try_get().unwrap_or(TaggerState::Idle)
    }
}

/// Parses `bytes` and keeps the tagger for the rest of the page; the error is for the user.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    if TAGGER.get().is_some() {
        return Ok(());
    }
    let tagger = PosTagger::from_compact_bytes(bytes).map_err(|e| {
        format!("The part-of-speech tagger data is damaged ({e}). Reload the page to retry.")
    })?;
    let _ = TAGGER.set(tagger);
    Ok(())
}

/// [`TAGGER_FILE`] resolved against the document's base URI.
pub fn tagger_url(window: &web_sys::Window) -> Result<String, String> {
    assets::url(window, TAGGER_FILE)
}
