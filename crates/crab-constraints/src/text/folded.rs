//! A text prepared for case-insensitive matching, as Python's `re` compares characters.
//!
//! It lives in `text` rather than next to the keyword patterns that read it
//! ([`crate::checks::pattern`]) because an [`Analysis`](super::Analysis) keeps one per text, so
//! that every keyword check of the text shares one folding, and `text` must not depend on
//! `checks`.

use std::cell::OnceCell;

use super::pyre::{fold_chars, FoldedChar};

/// A text prepared for case-insensitive matching. Fixed-width patterns read the text itself; the
/// backtracking matcher reads every character with its byte offset and its `_sre` lowercase,
/// which is computed on its first use and kept (an [`Analysis`](super::Analysis) keeps it for every
/// keyword check of the text).
#[derive(Debug)]
pub struct FoldedText<'t> {
    text: &'t str,
    chars: FoldedChars<'t>,
}

/// The folded characters of a [`FoldedText`], computed on first use.
#[derive(Debug)]
enum FoldedChars<'t> {
    Own(OnceCell<Vec<FoldedChar>>),
    Shared(&'t OnceCell<Vec<FoldedChar>>),
}

impl<'t> FoldedText<'t> {
    /// Prepares `text`.
    pub fn new(text: &'t str) -> FoldedText<'t> {
        FoldedText { text, chars: FoldedChars::Own(OnceCell::new()) }
    }

    /// A view of `text` whose folded characters ([`fold_chars`]) live in `chars`, filled on
    /// first use (an [`Analysis`](super::Analysis) keeps them, so that every keyword check shares
    /// one folding).
    pub(crate) fn shared(text: &'t str, chars: &'t OnceCell<Vec<FoldedChar>>) -> FoldedText<'t> {
        FoldedText { text, chars: FoldedChars::Shared(chars) }
    }

    /// The text itself.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Every character with its byte offset and `_sre` lowercase.
    pub(crate) fn chars(&self) -> &[FoldedChar] {
        let cell = match &self.chars {
            FoldedChars::Own(cell) => cell,
            FoldedChars::Shared(cell) => cell,
        };
        cell.get_or_init(|| fold_chars(self.text))
    }
}
