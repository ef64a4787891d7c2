//! NLTK's part-of-speech tagger model, fetched the first time something needs it.
//!
//! IFBench's `words:start_verb` tags the response's first word with NLTK's averaged perceptron,
//! whose model is `public/pos-tagger.bin`: about 1 MB, 0.6 MB gzipped, in the library's compact
//! format. That is most of the first-load budget and few sessions need it, so it is not part of
//! the bundle: the shell's [`AppState`](crate::state::AppState) holds a [`Tagger`] and calls
//! [`Asset::request`] when a constraint that needs it is listed. Verdicts that need it are
//! *pending* until it arrives; a failure is a message in [`TaggerState::Failed`], never a panic.
//! The loading itself is [`assets::Asset`]'s.

use std::sync::OnceLock;

use crab_constraints::text::pos::PosTagger;

use crate::assets::{self, Asset, Kind};

/// The asset's file name, resolved against the page's base URI.
pub const TAGGER_FILE: &str = "pos-tagger.bin";

/// The tagger, once some [`Tagger`] has loaded it.
static TAGGER: OnceLock<PosTagger> = OnceLock::new();

/// The tagger's model as an [`Asset`].
static KIND: Kind<PosTagger> = Kind {
    file: TAGGER_FILE,
    what: "the part-of-speech tagger data",
    parse: |bytes| {
        PosTagger::from_compact_bytes(bytes).map_err(|e| {
            format!("The part-of-speech tagger data is damaged ({e}). Reload the page to retry.")
        })
    },
    cell: &TAGGER,
};

/// Where the tagger's model stands ([`TaggerState::Ready`]: [`Tagger::tagger`] returns it).
pub type TaggerState = assets::AssetState;

/// The tagger model's handle (`Copy`, like the signals it holds).
pub type Tagger = Asset<PosTagger>;

impl Asset<PosTagger> {
    /// A handle that has fetched nothing yet ([`TaggerState::Idle`]), or [`TaggerState::Ready`]
    /// if the model was already loaded in this page.
    pub fn new() -> Tagger {
        Asset::of(&KIND)
    }

    /// The tagger once [`TaggerState::Ready`], else `None` (a tracked read).
    pub fn tagger(&self) -> Option<&'static PosTagger> {
        self.get()
    }
}

impl Default for Asset<PosTagger> {
    fn default() -> Self {
        Self::new()
    }
}

/// Parses `bytes` and keeps the tagger for the rest of the page; the error is for the user.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    KIND.install(bytes)
}

/// [`TAGGER_FILE`] resolved against the document's base URI.
pub fn tagger_url(window: &web_sys::Window) -> Result<String, String> {
    assets::url(window, TAGGER_FILE)
}
