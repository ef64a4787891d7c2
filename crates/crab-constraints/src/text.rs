//! Text primitives shared by every check.
//!
//! IFEval's verdicts are decided by Python's `re` and `str` semantics, NLTK's Punkt sentence
//! splitter and word tokenizer, and langdetect. Ports of IFEval drift silently when any of these
//! is approximated, so each has its own module here that follows the Python behaviour exactly:
//!
//! - [`pystr`]: Python `str` / `re` character classes and string methods (Unicode 14.0 tables
//!   generated from Python 3.11, not Rust's `char` methods, which follow a newer Unicode);
//! - [`pyre`]: Python `re` patterns, run by a backtracking matcher with `_sre`'s semantics, on a
//!   [`FoldedText`] (a text with each character's `_sre` lowercase, computed once per text);
//! - [`json`]: validity as Python's `json.loads` decides it;
//! - [`punkt`]: NLTK's Punkt sentence tokenizer with the English parameters;
//! - [`word_tokenize`]: NLTK's `word_tokenize` (Punkt, then the improved Treebank cascade);
//! - [`lang`]: langdetect, seeded, with a detector supplied by the caller;
//! - [`pos`]: `nltk.pos_tag` (the averaged perceptron tagger), on a model supplied by the
//!   caller; [`stopwords`]: NLTK's English stop words; [`syllables`]: `syllapy.count`;
//!   [`emoji`]: `emoji.is_emoji` (IFBench's resources);
//! - [`keyphrases`]: YAKE key phrases as CRAB extracts them, through the `yake-rust` crate
//!   (close to PyPI `yake` but not identical: the one module here that is not exact).
//! - [`rouge`]: ROUGE-L F as PyPI `rouge` 1.0.1 computes it (CRAB's de-duplication score), and
//!   CRAB's greedy de-duplication order.
//!
//! The data that is too large to compile into the web app (language profiles, tagger weights)
//! is given by the caller as [`Resources`].
//!
//! Positions are always **byte offsets** into the original text ([`Span`]), so that the app can
//! highlight evidence and slicing stays cheap.

mod analysis;
pub mod csv;
pub mod emoji;
mod folded;
pub mod json;
#[cfg(feature = "keyphrases")]
pub mod keyphrases;
pub mod lang;
pub mod pos;
pub mod punkt;
pub mod pyre;
pub mod pystr;
mod resources;
pub mod rouge;
pub mod stopwords;
pub mod syllables;
pub mod word_tokenize;

pub use analysis::Analysis;
pub use folded::FoldedText;
pub use pystr::count_words;
pub use resources::{Resource, Resources};

/// A half-open byte range `start..end` into a text. Both ends lie on `char` boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The text this span covers in `text`.
    ///
    /// Returns `""` instead of panicking if the span does not fit `text`.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Length in bytes.
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }
}
