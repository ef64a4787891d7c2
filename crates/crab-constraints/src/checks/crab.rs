//! `crab:*` — the six rule families CRAB computes in Python from a response (Qi et al. 2024,
//! `3_llama3_unified_constraints.py`), as real checks.
//!
//! CRAB derives these constraints (length, words per sentence, sentences per paragraph,
//! characters per word, YAKE key phrases, a banned punctuation mark) but ships no verifier, and
//! two of its rules are inverted: the characters-per-word rule says "at least" the longest word's
//! length, and the sentences-per-paragraph rule takes the *minimum* over paragraphs. Here each
//! family is a check with a verifier, the corrected direction, and a derivation that is correct
//! by construction.
//!
//! CRAB counts with NLTK (`word_tokenize` tokens, where punctuation counts and "don't" is two
//! tokens, and Punkt sentences of each non-empty line); people and IFEval count `\w+` runs and
//! blank-line paragraphs. The counting checks therefore take a mode ([`Counting`]); a derived
//! constraint uses CRAB's NLTK counting, so that its numbers are CRAB's. The shared pieces of
//! CRAB's traversal (non-empty lines, Punkt per line, tokens per sentence) live here.

use crate::checks::{Kwargs, Param, ParamKind, SpecError};
use crate::text::{punkt, pystr, word_tokenize, Analysis, Span};

pub mod chars_per_word;
pub mod key_phrases;
pub mod no_punctuation;
pub mod response_language;
pub mod sentences_per_paragraph;
pub mod word_count;
pub mod words_per_sentence;

/// How words are counted by the `crab:*` length checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counting {
    /// IFEval's `count_words`: maximal runs of word characters (`\w+`), so `don't` is 2 words
    /// and punctuation is not counted.
    Ifeval,
    /// CRAB's count: NLTK `word_tokenize` tokens, so punctuation marks count and `don't` is
    /// `do` + `n't`.
    Nltk,
}

impl Counting {
    /// The kwargs spelling: `"ifeval"` or `"nltk"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Counting::Ifeval => "ifeval",
            Counting::Nltk => "nltk",
        }
    }

    /// Parses the kwargs spelling.
    pub fn parse(s: &str) -> Option<Counting> {
        match s {
            "ifeval" => Some(Counting::Ifeval),
            "nltk" => Some(Counting::Nltk),
            _ => None,
        }
    }

    /// The counted unit, singular and plural, for verdict details.
    pub(crate) fn unit(self) -> (&'static str, &'static str) {
        match self {
            Counting::Ifeval => ("word", "words"),
            Counting::Nltk => ("token", "tokens"),
        }
    }

    /// Reads the optional `counting` kwarg (default [`Counting::Nltk`], CRAB's).
    pub(crate) fn from_kwargs(kw: &Kwargs<'_>) -> Result<Counting, SpecError> {
        match kw.opt_string("counting")? {
            None => Ok(Counting::Nltk),
            Some(s) => Counting::parse(s).ok_or_else(|| {
                kw.invalid("counting", format!("must be \"ifeval\" or \"nltk\", got {s:?}"))
            }),
        }
    }

    /// The counted units of the whole text, as spans (shared with other checks through the
    /// analysis).
    pub(crate) fn spans_of(self, text: &Analysis<'_>) -> Vec<Span> {
        match self {
            Counting::Ifeval => text.words().to_vec(),
            Counting::Nltk => text.tokens().iter().map(|t| t.span).collect(),
        }
    }

    /// The number of counted units in the whole text.
    pub(crate) fn count(self, text: &Analysis<'_>) -> usize {
        match self {
            Counting::Ifeval => text.words().len(),
            Counting::Nltk => text.tokens().len(),
        }
    }

    /// The number of counted units in one sentence, counted the way CRAB does: `\w+` runs of the
    /// sentence, or `len(word_tokenize(sentence))` (which runs Punkt again on the sentence).
    pub(crate) fn count_in(self, sentence: &str) -> usize {
        match self {
            Counting::Ifeval => pystr::count_words(sentence),
            Counting::Nltk => word_tokenize::word_tokenize(sentence).len(),
        }
    }
}

/// The `counting` parameter, as every counting check declares it.
pub(crate) const COUNTING_PARAM: Param = Param {
    name: "counting",
    doc: "how words are counted: `nltk` = NLTK `word_tokenize` tokens, punctuation included (as \
          CRAB counts), or `ifeval` = runs of word characters (IFEval's `count_words`)",
    kind: ParamKind::Choice { options: &["nltk", "ifeval"], default: "nltk" },
};

/// CRAB's paragraphs: the lines of `text` (split at `\n`) that are not exactly empty. A line of
/// spaces is kept, as in CRAB (it has no sentences).
pub(crate) fn crab_lines(text: &str) -> impl Iterator<Item = Span> + '_ {
    let mut start = 0;
    text.split('\n').filter_map(move |line| {
        let span = Span::new(start, start + line.len());
        start = span.end + 1;
        (!line.is_empty()).then_some(span)
    })
}

/// The Punkt sentences of the text in `within` (tokenized on their own, as CRAB's
/// `sent_tokenize(line)` does), as spans into `text`.
pub(crate) fn sentences_in(text: &str, within: Span) -> Vec<Span> {
    punkt::sentence_spans(within.slice(text))
        .into_iter()
        .map(|s| Span::new(within.start + s.start, within.start + s.end))
        .collect()
}

/// `n` rounded up to a multiple of 5, as CRAB rounds its bounds (`int((n - 1) / 5 + 1) * 5`);
/// 0 for 0.
pub(crate) fn round_up_to_5(n: usize) -> usize {
    n.div_ceil(5).saturating_mul(5)
}

/// Whether `text` is blank as IFEval decides it (strict verification fails every constraint on a
/// blank response, so nothing is derived from one).
pub(crate) fn is_blank(text: &Analysis<'_>) -> bool {
    pystr::strip(text.text()).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_only_empty_ones() {
        let text = "a\n\n \nb";
        let lines: Vec<&str> = crab_lines(text).map(|s| s.slice(text)).collect();
        assert_eq!(lines, ["a", " ", "b"]);
        assert_eq!(crab_lines("").count(), 0);
        assert_eq!(crab_lines("\n\n").count(), 0);
    }

    #[test]
    fn rounding_matches_crab() {
        // CRAB: int((n - 1) / 5 + 1) * 5
        for (n, r) in [(1, 5), (5, 5), (6, 10), (10, 10), (11, 15), (23, 25)] {
            assert_eq!(round_up_to_5(n), r, "{n}");
        }
    }

    #[test]
    fn counting_units() {
        assert_eq!(Counting::Nltk.count_in("I don't know."), 5);
        assert_eq!(Counting::Ifeval.count_in("I don't know."), 4);
        assert_eq!(Counting::parse("nltk"), Some(Counting::Nltk));
        assert_eq!(Counting::parse("NLTK"), None);
    }

    #[test]
    fn sentences_are_found_per_span() {
        let text = "x\nOne. Two.";
        let s: Vec<&str> =
            sentences_in(text, Span::new(2, text.len())).iter().map(|s| s.slice(text)).collect();
        assert_eq!(s, ["One.", "Two."]);
    }
}
