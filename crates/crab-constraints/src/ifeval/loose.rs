//! Loose mode without re-analysing nearly the same text up to seven more times.
//!
//! IFEval's loose mode checks a constraint on 8 candidates ([`super::loose_variants`]) and passes
//! if any passes. The app runs it on every keystroke, on responses of 10,000 words, so this module
//! evaluates the same `any` with less work, WITHOUT changing any result:
//!
//! - **Geometry instead of copies.** Every candidate is a contiguous range of the response `R`
//!   (candidates 0, 2, 3, 4: the response, and `R` without its first and/or last line, stripped —
//!   the join of consecutive lines is the text between two `\n`, and stripping keeps a contiguous
//!   range) or the same range with its `*` removed (1, 5, 6, 7). A range with its `*` removed is a
//!   range of `R' = R.replace('*', "")`, so only `R'` is built; the rest are slices. Identical
//!   candidates are analysed once, as before.
//! - **Failure witnesses.** For some checks, a span of `R` proves that every candidate containing
//!   it fails, so those candidates need no analysis at all (see [`counts_for`] for the rule and
//!   [`Candidates::loose_rest`] for each check's proof). In loose mode only a constraint that fails strict is looked at on the
//!   other candidates, and on a long response the failure usually has a cause in its middle: one
//!   witness then settles all seven candidates.
//! - **Any order.** Loose is an `any`: which candidates are evaluated, and in what order, does
//!   not change the boolean.
//!
//! Candidates a witness does not settle are analysed and checked as usual, so a check without
//! witnesses costs what it did. `tests/loose_fast.rs` compares this with the plain definition
//! (every candidate analysed from scratch) on generated texts for every registered check.

use std::borrow::Cow;

use crate::checks::{Constraint, Verdict};
use crate::text::punkt::ContextMemo;
use crate::text::word_tokenize::SentenceMemo;
use crate::text::{pystr, Analysis, Resources, Span};

/// Where a candidate's text comes from: a byte range of the response, taken as is or with its
/// `*` removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    /// Whether the candidate is the range with its `*` removed.
    no_stars: bool,
    start: usize,
    end: usize,
}

/// The 8 loose candidates of a response, as ranges of the response and slices of it or of its
/// star-free copy.
pub(super) struct Variants<'r> {
    response: &'r str,
    /// `response.replace('*', "")` (borrowed when there is no `*`).
    no_stars: Cow<'r, str>,
    ranges: [Range; 8],
    /// Each candidate's byte range in its own source (`response` or `no_stars`).
    slices: [(usize, usize); 8],
    /// Punkt's sentence-break answers, shared by the candidates' analyses: the candidates share
    /// nearly all their sentence-end contexts.
    memo: ContextMemo,
    /// The word tokens of each sentence, shared by the candidates' analyses: they share nearly
    /// all their sentences (a candidate is tokenized, for `change_case:capital_word_frequency`,
    /// when the response itself failed).
    sentences: SentenceMemo,
}

impl<'r> Variants<'r> {
    /// The candidates of `response`, in Google's order (see [`super::loose_variants`]).
    pub(super) fn new(response: &'r str) -> Variants<'r> {
        let len = response.len();
        let first_nl = response.find('\n');
        let last_nl = response.rfind('\n');
        // `"\n".join(lines[from:to])` for the three cut variants, as byte ranges; an empty join
        // (fewer lines than the cut needs) is the empty range at 0.
        let without_first = first_nl.map_or((0, 0), |i| (i + 1, len));
        let without_last = last_nl.map_or((0, 0), |i| (0, i));
        let without_both = match (first_nl, last_nl) {
            (Some(f), Some(l)) if f < l => (f + 1, l),
            _ => (0, 0),
        };
        let strip = |(from, to): (usize, usize)| -> (usize, usize) {
            let s = response.get(from..to).unwrap_or("");
            let l = pystr::lstrip(s);
            let start = from + (s.len() - l.len());
            (start, start + pystr::rstrip(l).len())
        };
        let range = |no_stars: bool, (start, end): (usize, usize)| Range { no_stars, start, end };
        let (f, l, b) = (strip(without_first), strip(without_last), strip(without_both));
        let ranges = [
            range(false, (0, len)),
            range(true, (0, len)),
            range(false, f),
            range(false, l),
            range(false, b),
            range(true, f),
            range(true, l),
            range(true, b),
        ];
        let no_stars = if response.contains('*') {
            Cow::Owned(response.replace('*', ""))
        } else {
            response.into()
        };
        // A range with its `*` removed is the range of `R'` between the images of its ends: a
        // byte's image is its offset less the `*` before it (`*` is one byte).
        let image = |p: usize| p - stars(response.get(..p).unwrap_or(""));
        let slices = ranges.map(|r| {
            if r.no_stars && !matches!(no_stars, Cow::Borrowed(_)) {
                (image(r.start), image(r.end))
            } else {
                (r.start, r.end)
            }
        });
        let (memo, sentences) = (ContextMemo::default(), SentenceMemo::default());
        Variants { response, no_stars, ranges, slices, memo, sentences }
    }

    /// The text of candidate `i`.
    pub(super) fn text(&self, i: usize) -> &str {
        let (Some(r), Some(&(start, end))) = (self.ranges.get(i), self.slices.get(i)) else {
            return "";
        };
        let source: &str = if r.no_stars { &self.no_stars } else { self.response };
        source.get(start..end).unwrap_or("")
    }
}

/// The number of `*` in `s`.
fn stars(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'*').count()
}

/// Whether the failure witness `w` (a span of the response) counts for the candidate `r`:
///
/// - it lies in the range: `r.start <= w.start` and `w.end <= r.end`; with `context`, strictly,
///   so that the characters just before and just after the witness are in the candidate too;
/// - for a star-free candidate, no `*` is in the witness, nor (with `context`) just before or
///   after it. Removing the candidate's `*` then leaves the witness's characters, and its
///   context, unchanged and next to each other.
///
/// So when a witness counts, the candidate contains the witness's text with the same
/// neighbouring characters (with `context`), or at least the same text. Each check that gives
/// witnesses proves that this makes it fail (see [`Candidates::loose_rest`]).
fn counts_for(context: bool, w: Span, r: Range, response: &[u8]) -> bool {
    let inside = if context {
        r.start < w.start && w.end < r.end
    } else {
        r.start <= w.start && w.end <= r.end
    };
    if !inside {
        return false;
    }
    if !r.no_stars {
        return true;
    }
    // A `*` is one byte and never part of a longer UTF-8 sequence, so looking at the bytes just
    // before and after the witness looks at the neighbouring characters.
    let (from, to) = if context { (w.start - 1, w.end + 1) } else { (w.start, w.end) };
    response.get(from..to).is_some_and(|bytes| !bytes.contains(&b'*'))
}

/// The distinct loose candidates of one response, each analysed once, shared by every
/// constraint checked on it.
pub(super) struct Candidates<'a> {
    variants: &'a Variants<'a>,
    /// Which distinct candidate each of the 8 is.
    slot: [usize; 8],
    analyses: Vec<Analysis<'a>>,
    blank: Vec<bool>,
}

impl<'a> Candidates<'a> {
    /// The candidates of `variants`, not analysed yet (views are computed on first use).
    pub(super) fn new(variants: &'a Variants<'a>, resources: Resources<'a>) -> Candidates<'a> {
        let mut distinct: Vec<usize> = Vec::with_capacity(8);
        let mut slot = [0usize; 8];
        for (i, s) in slot.iter_mut().enumerate() {
            let text = variants.text(i);
            match distinct.iter().position(|&j| variants.text(j) == text) {
                Some(k) => *s = k,
                None => {
                    *s = distinct.len();
                    distinct.push(i);
                }
            }
        }
        let analyses = distinct
            .iter()
            .map(|&i| {
                Analysis::with_memo(variants.text(i), resources, &variants.memo)
                    .with_sentence_memo(&variants.sentences)
            })
            .collect();
        let blank = distinct.iter().map(|&i| pystr::strip(variants.text(i)).is_empty()).collect();
        Candidates { variants, slot, analyses, blank }
    }

    /// The analysis of candidate `i` (0 is the response as is).
    #[allow(
        clippy::indexing_slicing,
        reason = "`new` makes every slot an index into the non-empty `analyses`"
    )]
    pub(super) fn analysis(&self, i: usize) -> &Analysis<'a> {
        &self.analyses[self.slot.get(i).copied().unwrap_or(0)]
    }

    /// Whether distinct candidate `k` is blank.
    fn blank(&self, k: usize) -> bool {
        self.blank.get(k).copied().unwrap_or(true)
    }

    /// Whether `c` passes on some candidate other than the response itself (candidates 1–7;
    /// blank ones fail), deciding with witnesses where it can. `strict` is `c`'s verdict on the
    /// response (candidate 0): its evidence may hold witnesses, which are confirmed before use.
    pub(super) fn loose_rest(&self, c: &Constraint, strict: &Verdict) -> bool {
        // The distinct, non-blank candidates still to decide, other than the response's own.
        let [own, ..] = self.slot;
        let mut todo: Vec<usize> = Vec::with_capacity(7);
        for (i, &k) in self.slot.iter().enumerate().skip(1) {
            if k != own && !self.blank(k) && !todo.iter().any(|&j| self.slot.get(j) == Some(&k)) {
                todo.push(i);
            }
        }
        if todo.is_empty() {
            return false;
        }
        // Failure witnesses, for the checks that have them:
        //
        // - `punctuation:no_comma` fails iff its text contains `,`. Witnesses: the commas,
        //   without context. A candidate a comma counts for contains a `,`.
        // - `keywords:forbidden_words` with exact patterns (every word matched by the
        //   `_sre`-exact matcher of `checks::pattern`) fails if some word's pattern matches.
        //   Witnesses: the matches in the response, with context. A fixed-width match reads
        //   only the characters it consumes and, for `\b`/`\B` at its positions, one character
        //   on either side; `^`/`\A` hold only at offset 0 and `\Z` only at the end, which a
        //   match with a character before and after it cannot use; `$` holds there only before
        //   a final `\n`, which stays final in the candidate (a candidate that holds the
        //   character after the witness ends where the response does). So the pattern matches
        //   the same characters in the candidate, and the candidate fails too.
        let response = self.analysis(0);
        match c {
            Constraint::NoComma(_) => {
                let commas = response.text().match_indices(',').map(|(i, _)| Span::new(i, i + 1));
                self.settle(&mut todo, commas, false);
            }
            Constraint::ForbiddenWords(f) => {
                // The strict verdict's evidence usually holds the matches already: each span of
                // it that is confirmed to be a match of an exact pattern is a witness (only the
                // matched pattern needs to be exact for the argument above). Then, if candidates
                // are left, the matches themselves, when every pattern is exact.
                let folded = response.folded();
                let confirmed = strict.evidence.iter().copied();
                let confirmed = confirmed.filter(|&w| f.is_exact_match(&folded, w));
                self.settle(&mut todo, confirmed, true);
                if !todo.is_empty() {
                    if let Some(matches) = f.exact_matches(&folded) {
                        self.settle(&mut todo, matches, true);
                    };
                }
            }
            _ => {}
        }
        todo.iter().any(|&i| c.verify(self.analysis(i)).passed())
    }

    /// Removes from `todo` the candidates a witness of `witnesses` counts for (they fail),
    /// stopping as soon as none is left.
    fn settle(&self, todo: &mut Vec<usize>, witnesses: impl Iterator<Item = Span>, context: bool) {
        let bytes = self.variants.response.as_bytes();
        for w in witnesses {
            if todo.is_empty() {
                return;
            }
            todo.retain(|&i| {
                !self.variants.ranges.get(i).is_some_and(|&r| counts_for(context, w, r, bytes))
            });
        }
    }

    /// Whether `c` passes on each of the 8 candidates (a blank one fails), every one checked.
    pub(super) fn all(&self, c: &Constraint) -> [bool; 8] {
        let mut cache: Vec<Option<bool>> = vec![None; self.analyses.len()];
        self.slot.map(|k| match (cache.get_mut(k), self.analyses.get(k)) {
            (Some(cached), Some(analysis)) => {
                *cached.get_or_insert_with(|| !self.blank(k) && c.verify(analysis).passed())
            }
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_texts_are_googles() {
        for text in [
            "",
            "*",
            "\n",
            "a",
            " a*b ",
            "Title\n*body* text\nend **",
            "\n\nx\n\n",
            "**\n*\n**",
            "a\r\nb\r\n",
            "\u{2028}x\ny\u{a0}\n z *\n",
            "one\ntwo",
            "one\n two \nthree",
        ] {
            let want = super::super::loose_variants(text);
            let v = Variants::new(text);
            for (i, w) in want.iter().enumerate() {
                assert_eq!(v.text(i), w, "candidate {i} of {text:?}");
            }
        }
    }
}
