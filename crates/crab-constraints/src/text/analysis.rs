//! One text, analysed once: the tokenizations every check shares.
//!
//! Checks run on every keystroke in the app and up to 8× per instruction in IFEval's loose mode,
//! and several checks need the same expensive views of a text (Punkt sentences, NLTK tokens,
//! words). An [`Analysis`] computes each view on first use and keeps it, so a text is tokenized
//! at most once however many constraints look at it.

use std::any::Any;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use super::lang::{Detection, LanguageDetector};
use super::pos::PosTagger;
use super::pyre::FoldedChar;
use super::word_tokenize::{self, Token};
use super::FoldedText;
use super::{punkt, pystr, Resources, Span};

/// A text and its lazily computed views.
///
/// Language detection and part-of-speech tags need data that the caller supplies (the CLI
/// links it in; the app fetches it on first need): an analysis carries whichever
/// [`Resources`] it was given, and checks that need a missing one report a pending verdict
/// instead of guessing.
#[derive(Debug)]
pub struct Analysis<'t> {
    text: &'t str,
    resources: Resources<'t>,
    /// Sentence-break answers shared with related texts (IFEval's loose candidates).
    memo: Option<&'t punkt::ContextMemo>,
    /// Tokens of sentences shared with earlier versions of the text (a response being typed).
    sentence_memo: Option<&'t word_tokenize::SentenceMemo>,
    words: OnceCell<Vec<Span>>,
    sentences: OnceCell<Vec<Span>>,
    tokens: OnceCell<Vec<Token>>,
    language: OnceCell<Option<Detection>>,
    folded: OnceCell<Vec<FoldedChar>>,
    /// What single checks computed from the text, by key (see [`Analysis::memo`]).
    memos: RefCell<Vec<(&'static str, Rc<dyn Any>)>>,
}

impl<'t> Analysis<'t> {
    /// Wraps `text`, without resources; nothing is computed yet.
    pub fn new(text: &'t str) -> Analysis<'t> {
        Analysis::with_resources(text, Resources::NONE)
    }

    /// Wraps `text` with the detector that language-dependent checks use (if any), and no
    /// other resource.
    pub fn with_detector(text: &'t str, detector: Option<&'t LanguageDetector>) -> Analysis<'t> {
        Analysis::with_resources(text, Resources::from(detector))
    }

    /// Wraps `text` with the resources that checks may need.
    pub fn with_resources(text: &'t str, resources: Resources<'t>) -> Analysis<'t> {
        Analysis {
            text,
            resources,
            memo: None,
            sentence_memo: None,
            words: OnceCell::new(),
            sentences: OnceCell::new(),
            tokens: OnceCell::new(),
            language: OnceCell::new(),
            folded: OnceCell::new(),
            memos: RefCell::new(Vec::new()),
        }
    }

    /// Like [`Analysis::with_resources`], for one of several texts that share most of their
    /// content: Punkt's costly per-context work is shared through `memo` (see
    /// [`punkt::sentence_spans_memo`]). Every view is the same as without it.
    pub fn with_memo(
        text: &'t str,
        resources: Resources<'t>,
        memo: &'t punkt::ContextMemo,
    ) -> Analysis<'t> {
        Analysis { memo: Some(memo), ..Analysis::with_resources(text, resources) }
    }

    /// This analysis, with the tokens of sentences it shares with earlier versions of the text
    /// taken from `memo` (see [`word_tokenize::SentenceMemo`]). Every view is the same as
    /// without it.
    pub fn with_sentence_memo(self, memo: &'t word_tokenize::SentenceMemo) -> Analysis<'t> {
        Analysis { sentence_memo: Some(memo), ..self }
    }

    /// The text itself.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The words IFEval's `count_words` counts (NLTK `RegexpTokenizer(r"\w+")`), as spans.
    pub fn words(&self) -> &[Span] {
        self.words.get_or_init(|| pystr::nltk_word_span_vec(self.text))
    }

    /// Punkt's sentences (IFEval's `count_sentences`), as spans.
    pub fn sentences(&self) -> &[Span] {
        self.sentences.get_or_init(|| match self.memo {
            Some(memo) => punkt::sentence_spans_memo(self.text, memo),
            None => punkt::sentence_spans(self.text),
        })
    }

    /// `nltk.word_tokenize` tokens.
    pub fn tokens(&self) -> &[Token] {
        // On the sentences that `sentences` keeps: the text is split into sentences once, however
        // many checks count sentences or tokens.
        self.tokens.get_or_init(|| match self.sentence_memo {
            Some(memo) => {
                word_tokenize::word_tokenize_sentences_memo(self.text, self.sentences(), memo)
            }
            None => word_tokenize::word_tokenize_sentences(self.text, self.sentences()),
        })
    }

    /// The text prepared for Python's case-insensitive pattern matching (the keyword checks).
    pub fn folded(&self) -> FoldedText<'_> {
        FoldedText::shared(self.text, &self.folded)
    }

    /// The resources the analysis was given.
    pub fn resources(&self) -> Resources<'t> {
        self.resources
    }

    /// The language detector, if one was supplied.
    pub fn detector(&self) -> Option<&'t LanguageDetector> {
        self.resources.language
    }

    /// The part-of-speech tagger, if one was supplied.
    pub fn tagger(&self) -> Option<&'t PosTagger> {
        self.resources.tagger
    }

    /// A value computed from the text by one check, kept for the analysis's lifetime under
    /// `key` (the check's id, or the id and a variant): `compute` runs the first time a key is
    /// asked for. Back-translation verifies every constraint it derives on the same analysis,
    /// so a check whose derivation and verification need the same costly pass over the text
    /// (all pronoun tokens, CRAB's sentence lengths) does it once instead of twice.
    ///
    /// A key always holds the same type; asking for it as another type computes it again
    /// (and does not keep it), never a panic.
    pub fn memo<T: 'static>(&self, key: &'static str, compute: impl FnOnce() -> T) -> Rc<T> {
        let found =
            self.memos.borrow().iter().find(|(k, _)| *k == key).map(|(_, value)| Rc::clone(value));
        if let Some(value) = found {
            if let Ok(value) = value.downcast::<T>() {
                return value;
            }
            return Rc::new(compute());
        }
        let value = Rc::new(compute());
        self.memos.borrow_mut().push((key, Rc::clone(&value) as Rc<dyn Any>));
        value
    }

    /// `langdetect.detect(text)` (seed 0), or `None` when no detector was supplied.
    pub fn language(&self) -> Option<&Detection> {
        self.language.get_or_init(|| self.detector().map(|d| d.detect(self.text))).as_ref()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn a_memo_is_computed_once_per_key() {
        let analysis = Analysis::new("Some text.");
        let runs = Cell::new(0);
        let count = || {
            runs.set(runs.get() + 1);
            analysis.text().len()
        };
        assert_eq!(*analysis.memo("a", count), 10);
        assert_eq!(*analysis.memo("a", count), 10);
        assert_eq!(runs.get(), 1);
        assert_eq!(*analysis.memo("b", count), 10);
        assert_eq!(runs.get(), 2);
        // Another analysis of the same text keeps its own.
        assert_eq!(*Analysis::new("Other.").memo("a", || 6), 6);
    }

    #[test]
    fn a_key_asked_for_as_another_type_is_computed_again_not_a_panic() {
        let analysis = Analysis::new("x");
        assert_eq!(*analysis.memo("k", || 1u32), 1);
        assert_eq!(*analysis.memo("k", || "text"), "text");
        // The first value stays.
        assert_eq!(*analysis.memo("k", || 2u32), 1);
    }
}
