//! The language-detection data, fetched on first need. (Placeholder: the loader lands with the
//! compact profile asset; until then language checks stay pending.)

use crab_constraints::text::lang::LanguageDetector;
use leptos::prelude::*;

/// Where the language data stands.
#[derive(Clone, Debug, PartialEq)]
pub enum LangState {
    /// Not requested yet.
    Idle,
    /// Being fetched and parsed.
    Loading,
    /// Loaded: [`Lang::detector`] returns it.
    Ready,
    /// Could not be loaded; the message says why.
    Failed(String),
}

/// The language data service, provided in context by the shell.
#[derive(Clone, Copy)]
pub struct Lang {
    state: RwSignal<LangState>,
}

impl Lang {
    /// Idle: nothing is fetched until [`Lang::request`].
    pub fn new() -> Lang {
        Lang { state: RwSignal::new(LangState::Idle) }
    }

    /// Starts loading the data, once.
    pub fn request(&self) {}

    /// The detector, once loaded.
    pub fn detector(&self) -> Option<&'static LanguageDetector> {
        None
    }

    /// The current state (a tracked read).
    pub fn state(&self) -> LangState {
        self.state.get()
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::new()
    }
}
