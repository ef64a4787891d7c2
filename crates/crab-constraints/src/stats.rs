//! Text statistics for people: the counts the playground's stats strip shows under the response.
//!
//! Every number here is one a check decides with, counted exactly as that check counts, so the
//! strip never disagrees with a verdict: IFEval's words (`count_words`), CRAB's NLTK tokens
//! (`word_tokenize`), Punkt sentences (`count_sentences`), paragraphs both as
//! `length_constraints:number_paragraphs` splits them (`***` dividers) and as
//! `length_constraints:nth_paragraph_first_word` does (`\n\n`), and characters as Python's `len`.
//!
//! The counts come from an [`Analysis`], so a caller that already analysed the text pays for each
//! tokenization at most once; all of them are linear in the text.

use crate::checks::length_constraints::number_paragraphs::dividers;
use crate::text::{pystr, Analysis, Span};

/// The counts of one text.
///
/// The counts split in two by cost: [`Stats::quick`] scans the text once per count (cheap enough
/// for every keystroke on any text), while [`Tokenized`] needs Punkt and NLTK's tokenizer, which
/// an interactive caller may want to run less often on a long text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Words as IFEval counts them: runs of word characters (`\w+`).
    pub words: usize,
    /// Non-blank paragraphs separated by `***` dividers (IFEval's `number_paragraphs`).
    pub divider_paragraphs: usize,
    /// Non-blank paragraphs separated by blank lines (`\n\n`, IFEval's
    /// `nth_paragraph_first_word`).
    pub blank_line_paragraphs: usize,
    /// Characters (Unicode code points, as Python's `len`).
    pub characters: usize,
    /// The counts that need tokenizing, if computed.
    pub tokenized: Option<Tokenized>,
}

/// The counts that need Punkt and NLTK's word tokenizer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tokenized {
    /// Words as CRAB counts them: NLTK `word_tokenize` tokens (punctuation included).
    pub tokens: usize,
    /// Punkt sentences.
    pub sentences: usize,
}

impl Stats {
    /// Every count of `text`.
    ///
    /// ```
    /// use crab_constraints::stats::{Stats, Tokenized};
    /// use crab_constraints::text::Analysis;
    ///
    /// // IFEval: Don, t, panic, It, works; NLTK: Do, n't, panic, ., It, works, !
    /// let s = Stats::of(&Analysis::new("Don't panic. It works!"));
    /// assert_eq!((s.words, s.characters), (5, 22));
    /// assert_eq!(s.tokenized, Some(Tokenized { tokens: 7, sentences: 2 }));
    /// let s = Stats::quick("First.\n\n***\n\nSecond.\n\nThird.");
    /// assert_eq!((s.divider_paragraphs, s.blank_line_paragraphs), (2, 4));
    /// ```
    pub fn of(text: &Analysis<'_>) -> Stats {
        Stats { tokenized: Some(Tokenized::of(text)), ..Stats::quick(text.text()) }
    }

    /// The counts that need no tokenizer (`tokenized` is `None`): a few linear scans.
    pub fn quick(text: &str) -> Stats {
        Stats {
            words: crate::text::count_words(text),
            divider_paragraphs: divider_paragraphs(text),
            blank_line_paragraphs: blank_line_paragraphs(text),
            characters: text.chars().count(),
            tokenized: None,
        }
    }
}

impl Tokenized {
    /// The token and sentence counts of `text`.
    pub fn of(text: &Analysis<'_>) -> Tokenized {
        Tokenized { tokens: text.tokens().len(), sentences: text.sentences().len() }
    }
}

/// The non-blank parts of `re.split(r"\s?\*\*\*\s?", text)`.
pub fn divider_paragraphs(text: &str) -> usize {
    let mut start = 0;
    let mut count = 0;
    let ends = dividers(text).into_iter().chain(std::iter::once(Span::new(text.len(), text.len())));
    for d in ends {
        if !pystr::strip(Span::new(start, d.start).slice(text)).is_empty() {
            count += 1;
        }
        start = d.end;
    }
    count
}

/// The non-blank parts of `re.split(r"\n\n", text)`.
pub fn blank_line_paragraphs(text: &str) -> usize {
    text.split("\n\n").filter(|p| !pystr::strip(p).is_empty()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_has_no_counts() {
        let empty = Stats::of(&Analysis::new(""));
        assert_eq!(empty, Stats { tokenized: Some(Tokenized::default()), ..Stats::default() });
        assert_eq!(Stats::of(&Analysis::new("  \n\n ")).characters, 5);
    }

    #[test]
    fn counts_agree_with_the_checks() {
        let text = "One, two, three. Four five!\n\nSix seven.";
        let s = Stats::of(&Analysis::new(text));
        let t = s.tokenized.unwrap_or_default();
        assert_eq!(s.words, Analysis::new(text).words().len());
        assert_eq!(t.sentences, crate::text::punkt::count_sentences(text));
        assert_eq!(t.tokens, crate::text::word_tokenize::word_tokenize(text).len());
        let counts = (s.words, t.sentences, s.blank_line_paragraphs, s.divider_paragraphs);
        assert_eq!(counts, (7, 3, 2, 1));
        assert_eq!(Stats { tokenized: None, ..s }, Stats::quick(text));
    }

    #[test]
    fn divider_paragraphs_skip_blank_parts() {
        assert_eq!(divider_paragraphs("A\n***\nB"), 2);
        assert_eq!(divider_paragraphs("***\nA\n***"), 1);
        assert_eq!(divider_paragraphs("A ****** B"), 2);
        assert_eq!(divider_paragraphs("   "), 0);
    }

    #[test]
    fn blank_line_paragraphs_need_two_newlines() {
        assert_eq!(blank_line_paragraphs("A\nB"), 1);
        assert_eq!(blank_line_paragraphs("A\n\nB\n\n\n\nC"), 3);
        assert_eq!(blank_line_paragraphs("\n\n"), 0);
    }

    #[test]
    fn characters_are_code_points() {
        assert_eq!(Stats::of(&Analysis::new("né 日本")).characters, 5);
    }
}
