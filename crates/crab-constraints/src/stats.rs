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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Words as IFEval counts them: runs of word characters (`\w+`).
    pub words: usize,
    /// Words as CRAB counts them: NLTK `word_tokenize` tokens (punctuation included).
    pub tokens: usize,
    /// Punkt sentences.
    pub sentences: usize,
    /// Non-blank paragraphs separated by `***` dividers (IFEval's `number_paragraphs`).
    pub divider_paragraphs: usize,
    /// Non-blank paragraphs separated by blank lines (`\n\n`, IFEval's
    /// `nth_paragraph_first_word`).
    pub blank_line_paragraphs: usize,
    /// Characters (Unicode code points, as Python's `len`).
    pub characters: usize,
}

impl Stats {
    /// The counts of `text`.
    ///
    /// ```
    /// use crab_constraints::stats::Stats;
    /// use crab_constraints::text::Analysis;
    ///
    /// // IFEval: Don, t, panic, It, works; NLTK: Do, n't, panic, ., It, works, !
    /// let s = Stats::of(&Analysis::new("Don't panic. It works!"));
    /// assert_eq!((s.words, s.tokens, s.sentences, s.characters), (5, 7, 2, 22));
    /// let s = Stats::of(&Analysis::new("First.\n\n***\n\nSecond.\n\nThird."));
    /// assert_eq!((s.divider_paragraphs, s.blank_line_paragraphs), (2, 4));
    /// ```
    pub fn of(text: &Analysis<'_>) -> Stats {
        Stats {
            words: text.words().len(),
            tokens: text.tokens().len(),
            sentences: text.sentences().len(),
            divider_paragraphs: divider_paragraphs(text.text()),
            blank_line_paragraphs: blank_line_paragraphs(text.text()),
            characters: text.text().chars().count(),
        }
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
        assert_eq!(Stats::of(&Analysis::new("")), Stats::default());
        assert_eq!(Stats::of(&Analysis::new("  \n\n ")).characters, 5);
    }

    #[test]
    fn counts_agree_with_the_checks() {
        let text = "One, two, three. Four five!\n\nSix seven.";
        let s = Stats::of(&Analysis::new(text));
        assert_eq!(s.words, crate::text::count_words(text));
        assert_eq!(s.sentences, crate::text::punkt::count_sentences(text));
        assert_eq!(s.tokens, crate::text::word_tokenize::word_tokenize(text).len());
        assert_eq!(
            (s.words, s.sentences, s.blank_line_paragraphs, s.divider_paragraphs),
            (7, 3, 2, 1)
        );
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
