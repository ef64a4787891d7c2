//! The data some checks need that the caller supplies: language profiles, tagger weights.
//!
//! Most checks decide from the text alone, with tables compiled into the library. A few need
//! a model too large for the web app's first load (langdetect's profiles, 0.45 MB gzipped;
//! NLTK's part-of-speech tagger, 0.6 MB gzipped). The library never loads them itself: the
//! caller hands them over in a [`Resources`] (the CLI links them in, the app fetches each on
//! first need), every check declares which it needs in `CheckInfo::needs`, and a check whose
//! resource is missing gives a *pending* verdict, decided once the data is supplied.

use super::lang::LanguageDetector;
use super::pos::PosTagger;

/// A resource a check may need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// langdetect's profiles: a [`LanguageDetector`].
    Language,
    /// NLTK's averaged perceptron model: a [`PosTagger`].
    Tagger,
}

impl Resource {
    /// What it is, for people: "language data", "part-of-speech tagger data".
    pub fn name(self) -> &'static str {
        match self {
            Resource::Language => "language data",
            Resource::Tagger => "part-of-speech tagger data",
        }
    }
}

/// The resources a caller supplies: each one optional. `Copy`, like the references it holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Resources<'r> {
    /// For language detection.
    pub language: Option<&'r LanguageDetector>,
    /// For part-of-speech tags.
    pub tagger: Option<&'r PosTagger>,
}

impl<'r> Resources<'r> {
    /// No resources at all: checks that need one are pending.
    pub const NONE: Resources<'static> = Resources { language: None, tagger: None };

    /// Whether `resource` is supplied.
    pub fn has(&self, resource: Resource) -> bool {
        match resource {
            Resource::Language => self.language.is_some(),
            Resource::Tagger => self.tagger.is_some(),
        }
    }
}

/// Only a language detector (what callers from before the tagger pass).
impl<'r> From<Option<&'r LanguageDetector>> for Resources<'r> {
    fn from(language: Option<&'r LanguageDetector>) -> Resources<'r> {
        Resources { language, tagger: None }
    }
}

impl<'r> From<&'r LanguageDetector> for Resources<'r> {
    fn from(language: &'r LanguageDetector) -> Resources<'r> {
        Resources { language: Some(language), tagger: None }
    }
}
