//! The language-detection profiles, fetched the first time something needs them.
//!
//! Three IFEval checks detect the response's language, which needs langdetect's 55 profiles:
//! `public/lang-profiles.bin`, 0.90 MB (0.46 MB gzipped) in the library's compact format (with
//! langdetect's CJK map, which the detector needs too). That
//! is close to the whole first-load budget of the app, and most sessions never need it, so it
//! is not part of the bundle's first load: the shell holds a [`Lang`] and calls
//! [`Asset::request`] when a language constraint appears (or the user asks). Everything else
//! keeps working while it loads, and a failure is a message in [`LangState::Failed`], never a
//! panic or a console error. The loading itself is [`assets::Asset`]'s.

use std::sync::OnceLock;

use crab_constraints::text::lang::LanguageDetector;

use crate::assets::{self, Asset, Kind};

/// The asset's file name, resolved against the page's base URI (so the app also works when it
/// is hosted under a sub-path).
pub const PROFILES_FILE: &str = "lang-profiles.bin";

/// The detector, once some [`Lang`] has loaded it.
static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();

/// The language data as an [`Asset`].
static KIND: Kind<LanguageDetector> = Kind {
    file: PROFILES_FILE,
    what: "the language data",
    parse: |bytes| {
        LanguageDetector::from_compact_bytes(bytes)
            .map_err(|e| format!("The language data is damaged ({e}). Reload the page to retry."))
    },
    cell: &DETECTOR,
};

/// Where the language data stands ([`LangState::Ready`]: [`Lang::detector`] returns it).
pub type LangState = assets::AssetState;

/// The language data's handle (`Copy`, like the signals it holds).
pub type Lang = Asset<LanguageDetector>;

impl Asset<LanguageDetector> {
    /// A handle that has fetched nothing yet ([`LangState::Idle`]), or [`LangState::Ready`] if
    /// the profiles were already loaded in this page.
    pub fn new() -> Lang {
        Asset::of(&KIND)
    }

    /// The detector once [`LangState::Ready`], else `None` (a tracked read).
    pub fn detector(&self) -> Option<&'static LanguageDetector> {
        self.get()
    }
}

impl Default for Asset<LanguageDetector> {
    fn default() -> Self {
        Self::new()
    }
}

/// Parses `bytes` and keeps the detector for the rest of the page; the error is for the user.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    KIND.install(bytes)
}

/// [`PROFILES_FILE`] resolved against the document's base URI.
pub fn profiles_url(window: &web_sys::Window) -> Result<String, String> {
    assets::url(window, PROFILES_FILE)
}
