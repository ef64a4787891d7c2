//! `length_constraints:nth_paragraph_first_word` — N paragraphs (blank-line separated), the
//! n-th starting with a given word.
//!
//! A direct translation of IFEval's `ParagraphFirstWordCheck`, kept step by step because its
//! verdicts depend on details a "clean" implementation would change: paragraphs are counted
//! without blank chunks but indexed in the list that still has them, and the first word is cut
//! with a fixed punctuation set and lowercased one character at a time.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, strip_span, Check, CheckInfo, DeriveContext, Example, Kwargs, Param,
    ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response, split at every `\n\n`, has exactly N non-blank paragraphs, and paragraph n
/// starts with the word W (compared in lowercase). The first word is the paragraph's first
/// whitespace-separated token with leading `'` and then leading `"` removed, cut before the
/// first `.`, `,`, `?`, `!`, `'` or `"`: `"Hello," she said` starts with `hello`, but
/// `**Hello**` starts with `**hello**`.
///
/// # Parameters
/// `num_paragraphs` (N ≥ 1), `nth_paragraph` (1 ≤ n ≤ N) and `first_word` (W, lowercased).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "then"});
/// let c = Constraint::from_ifeval("length_constraints:nth_paragraph_first_word", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("We met.\n\nThen, we talked.")).passed());
/// assert!(!c.verify(&Analysis::new("We met.\n\nAnd then we talked.")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical verdicts, including the quirks:
/// - The paragraph count ignores blank chunks, but paragraph n is looked up in the split that
///   still contains them: with `"\n\nA\n\nB"` there are 2 paragraphs, yet paragraph 2 is `A`,
///   and when the n-th chunk is blank the check fails.
/// - `\n\n\n` is one separator followed by a chunk starting with `\n`; `\n \n` separates nothing.
/// - Quotes are stripped in a fixed order (`'` then `"`), so `"'Hi` starts with an empty word.
/// - Characters are lowercased one by one, so a word-final `Σ` becomes `σ` while `first_word`
///   (lowercased as a whole) gets `ς`.
///
/// Google's code replaces a missing or out-of-range `nth_paragraph` (below 1 or above
/// `num_paragraphs`) and a missing or negative `num_paragraphs` by random values, and a missing
/// `first_word` by a random word; we refuse such parameters instead.
///
/// # Derivation
/// From a response with at least two blank-line-separated paragraphs: the exact paragraph count
/// (the check has no relation) and a paragraph n, picked by the rng among those whose first word
/// is a plain word (letters only, at most 20 of them), with that word. Markdown openers such as
/// `**Title**` or `1.` are never proposed. Nothing when no paragraph qualifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NthParagraphFirstWord {
    /// The exact number of paragraphs N.
    pub num_paragraphs: i64,
    /// Which paragraph (1-based) must start with the word.
    pub nth_paragraph: i64,
    /// The required first word, lowercased as Python's `str.lower()` does.
    pub first_word: String,
}

/// The characters that end IFEval's first word.
const WORD_END: [char; 6] = ['.', ',', '?', '!', '\'', '"'];

/// The chunks of `re.split(r"\n\n", text)`, as spans.
fn chunks(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices("\n\n") {
        out.push(Span::new(start, i));
        start = i + 2;
    }
    out.push(Span::new(start, text.len()));
    out
}

/// IFEval's first word of a stripped, non-blank paragraph: its span in the text (after the
/// quote stripping, up to the first [`WORD_END`] character) and the word, lowercased one
/// character at a time. `None` only for a blank paragraph.
pub fn first_word(text: &str, paragraph: Span) -> Option<(Span, String)> {
    let p = paragraph.slice(text);
    let token = pystr::split_whitespace(p).next()?;
    let raw = token.slice(p);
    let unquoted = raw.trim_start_matches('\'').trim_start_matches('"');
    let start = paragraph.start + token.end - unquoted.len();
    let cut = unquoted.find(WORD_END).unwrap_or(unquoted.len());
    let word = unquoted.get(..cut).unwrap_or("");
    let mut lowered = String::with_capacity(word.len());
    let mut buf = [0; 4];
    for c in word.chars() {
        lowered.push_str(&pystr::lower(c.encode_utf8(&mut buf)));
    }
    Some((Span::new(start, start + word.len()), lowered))
}

impl Check for NthParagraphFirstWord {
    const INFO: CheckInfo = CheckInfo {
        id: "length_constraints:nth_paragraph_first_word",
        title: "Number of paragraphs and the first word of one",
        description: "There are exactly N paragraphs separated by blank lines (`\\n\\n`), and \
                      paragraph n starts with the word W (case-insensitive). The first word is \
                      taken after leading quotes and ends at the first `.`, `,`, `?`, `!`, `'` \
                      or `\"`; other marks such as `**` or `:` stay part of it. As in IFEval, \
                      blank chunks are not counted as paragraphs but still take a place when \
                      finding paragraph n (text starting with a blank line shifts it).",
        divergence: Some(
            "Google's code silently picks random values for a missing or out-of-range \
             `nth_paragraph` (below 1 or above N) or `num_paragraphs`; the playground refuses \
             such parameters instead.",
        ),
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "num_paragraphs",
                doc: "the exact number of paragraphs N",
                kind: ParamKind::Count { min: 1, max: 50, default: 3 },
            },
            Param {
                name: "nth_paragraph",
                doc: "which paragraph n (from 1 to N) must start with the word",
                kind: ParamKind::Count { min: 1, max: 50, default: 2 },
            },
            Param {
                name: "first_word",
                doc: "the word paragraph n must start with",
                kind: ParamKind::Text { default: "however" },
            },
        ],
        example: Example {
            kwargs: r#"{"num_paragraphs": 3, "nth_paragraph": 2, "first_word": "however"}"#,
            pass: "Cats sleep a lot.\n\nHowever, they hunt at night.\n\nDogs differ.",
            fail: "Cats sleep a lot.\n\nBut they hunt at night.\n\nDogs differ.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NthParagraphFirstWord, SpecError> {
        let num_paragraphs = kw.int("num_paragraphs", 0)?;
        let nth_paragraph = kw.int("nth_paragraph", 1)?;
        if nth_paragraph > num_paragraphs {
            return Err(kw.invalid(
                "nth_paragraph",
                format!("must be at most num_paragraphs ({num_paragraphs}), got {nth_paragraph}"),
            ));
        }
        let first_word = pystr::lower(kw.string("first_word")?);
        Ok(NthParagraphFirstWord { num_paragraphs, nth_paragraph, first_word })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("num_paragraphs", self.num_paragraphs.into()),
            ("nth_paragraph", self.nth_paragraph.into()),
            ("first_word", self.first_word.clone().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let chunks = chunks(text);
        let paragraphs: Vec<Span> =
            chunks.iter().map(|&c| strip_span(text, c)).filter(|p| !p.is_empty()).collect();
        let count = paragraphs.len();
        let needs = format!(
            "needs {} with paragraph {} starting with \"{}\"",
            plural(usize::try_from(self.num_paragraphs).unwrap_or(0), "paragraph", "paragraphs"),
            self.nth_paragraph,
            self.first_word
        );
        let nth = usize::try_from(self.nth_paragraph).unwrap_or(0);
        if nth == 0 || nth > count {
            let detail = format!(
                "{}, so no paragraph {nth}; {needs}",
                plural(count, "paragraph", "paragraphs")
            );
            return Verdict::fail(detail).with_evidence(paragraphs);
        }
        // IFEval indexes the unfiltered split here (its bug, reproduced).
        let Some((word_span, word)) =
            chunks.get(nth - 1).and_then(|&c| first_word(text, strip_span(text, c)))
        else {
            let detail = format!(
                "{}, but chunk {nth} of the `\\n\\n` split is blank (IFEval counts blank chunks \
                 when finding paragraph {nth}); {needs}",
                plural(count, "paragraph", "paragraphs")
            );
            return Verdict::fail(detail).with_evidence(paragraphs);
        };
        let count_ok = i64::try_from(count).is_ok_and(|n| n == self.num_paragraphs);
        let ok = count_ok && word == self.first_word;
        let detail = format!(
            "{}, paragraph {nth} starts with \"{word}\"; {needs}",
            plural(count, "paragraph", "paragraphs")
        );
        let evidence = if count_ok { vec![word_span] } else { paragraphs };
        Verdict::from_bool(ok, detail).with_evidence(evidence)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<NthParagraphFirstWord> {
        let full = text.text();
        let chunks = chunks(full);
        let count = chunks.iter().filter(|&&c| !strip_span(full, c).is_empty()).count();
        if count < 2 {
            return Vec::new();
        }
        // Paragraph n is looked up among the chunks, blank ones included (IFEval's indexing).
        let candidates: Vec<(usize, String)> = chunks
            .iter()
            .take(count)
            .enumerate()
            .filter_map(|(i, &c)| {
                let (_, word) = first_word(full, strip_span(full, c))?;
                let plain =
                    (1..=20).contains(&word.chars().count()) && word.chars().all(pystr::is_alpha);
                plain.then_some((i + 1, word))
            })
            .collect();
        let Some((nth, word)) = cx.rng.pick(&candidates) else {
            return Vec::new();
        };
        let (Ok(num_paragraphs), Ok(nth_paragraph)) = (i64::try_from(count), i64::try_from(*nth))
        else {
            return Vec::new();
        };
        let derived =
            NthParagraphFirstWord { num_paragraphs, nth_paragraph, first_word: word.clone() };
        if derived.verify(text).passed() {
            vec![derived]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NthParagraphFirstWord;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, Constraint, DeriveContext};

    const ID: &str = "length_constraints:nth_paragraph_first_word";

    fn kw(num: i64, nth: i64, word: &str) -> String {
        serde_json::json!({"num_paragraphs": num, "nth_paragraph": nth, "first_word": word})
            .to_string()
    }

    #[test]
    fn checks_count_and_first_word() {
        let text = "Intro here.\n\nSecond starts now.\n\nThird.";
        let v = verify(ID, &kw(3, 2, "second"), text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(
            v.detail,
            "3 paragraphs, paragraph 2 starts with \"second\"; needs 3 paragraphs with paragraph \
             2 starting with \"second\""
        );
        assert_eq!(evidence(&v, text), ["Second"]);
        assert_fail(ID, &kw(3, 2, "third"), text);
        // Right word, wrong count: the evidence is the paragraphs.
        let v = verify(ID, &kw(4, 2, "second"), text);
        assert!(!v.passed());
        assert_eq!(evidence(&v, text), ["Intro here.", "Second starts now.", "Third."]);
    }

    #[test]
    fn nth_beyond_the_paragraphs_fails() {
        let v = verify(ID, &kw(3, 3, "c"), "A\n\nB");
        assert!(!v.passed());
        assert!(v.detail.starts_with("2 paragraphs, so no paragraph 3;"), "{}", v.detail);
    }

    #[test]
    fn unfiltered_list_indexing() {
        // Two paragraphs, but the 2nd chunk of the split is "A": IFEval checks that one.
        let text = "\n\nA\n\n\"Booster, yes.\"";
        assert_pass(ID, &kw(2, 2, "a"), text);
        assert_fail(ID, &kw(2, 2, "booster"), text);
        // A blank chunk in the middle shifts the later paragraphs too.
        let text = "One\n\n\n\nTwo\n\nThree";
        assert_pass(ID, &kw(3, 3, "two"), text);
        assert_fail(ID, &kw(3, 3, "three"), text);
    }

    #[test]
    fn indexed_blank_chunk_fails() {
        let text = "\n\nA\n\nB";
        let v = verify(ID, &kw(2, 1, "a"), text);
        assert!(!v.passed());
        assert!(v.detail.contains("chunk 1 of the `\\n\\n` split is blank"), "{}", v.detail);
        assert_eq!(evidence(&v, text), ["A", "B"]);
    }

    #[test]
    fn only_double_newline_separates() {
        // `\n\n\n`: one separator, the next chunk starts with `\n` (stripped away).
        assert_pass(ID, &kw(2, 2, "b"), "A\n\n\nB");
        // A line holding a space is not a separator.
        assert_pass(ID, &kw(1, 1, "a"), "A\n \nB");
        assert_pass(ID, &kw(1, 1, "a"), "A\r\n\r\nB");
    }

    #[test]
    fn first_word_is_cut_at_punctuation_only() {
        assert_pass(ID, &kw(1, 1, "hello"), "\"Hello,\" she said.");
        assert_pass(ID, &kw(1, 1, "don"), "Don't stop.");
        assert_pass(ID, &kw(1, 1, "title:"), "Title: something");
        assert_pass(ID, &kw(1, 1, "**word**"), "**Word** first");
        assert_fail(ID, &kw(1, 1, "word"), "**Word** first");
        assert_pass(ID, &kw(1, 1, "(yes)"), "(Yes) indeed");
        assert_pass(ID, &kw(1, 1, "well-known"), "Well-known?");
    }

    #[test]
    fn quotes_are_stripped_single_then_double() {
        assert_pass(ID, &kw(1, 1, "hi"), "'\"Hi there");
        // `"` first, then `'`: the `'` is left and ends the word at once.
        assert_pass(ID, &kw(1, 1, ""), "\"'Hi there");
        assert_fail(ID, &kw(1, 1, "hi"), "\"'Hi there");
    }

    #[test]
    fn final_sigma_lowered_per_char() {
        // `first_word` is lowercased as a whole (word-final Σ → ς); the response's word one
        // character at a time (Σ → σ), so they differ.
        assert_fail(ID, &kw(1, 1, "ΟΔΟΣ"), "ΟΔΟΣ είναι");
        assert_pass(ID, &kw(1, 1, "οδοσ"), "ΟΔΟΣ είναι");
        // Full case mapping: İ lowers to i + combining dot.
        assert_pass(ID, &kw(1, 1, "İstanbul"), "İSTANBUL is big");
    }

    #[test]
    fn python_whitespace_strips_and_splits() {
        // U+001F and U+2028 are Python whitespace.
        assert_pass(ID, &kw(1, 1, "word"), "\u{1f}\u{2028}Word\u{1f}next");
        assert_pass(ID, &kw(1, 1, "a\u{200b}b"), "A\u{200b}B c");
    }

    #[test]
    fn out_of_range_nth_is_refused() {
        let build =
            |v: serde_json::Value| Constraint::from_ifeval(ID, &v).map_err(|e| e.to_string());
        let err =
            build(serde_json::json!({"num_paragraphs": 2, "nth_paragraph": 3, "first_word": "a"}))
                .unwrap_err();
        assert!(err.contains("nth_paragraph"), "{err}");
        assert!(err.contains("at most num_paragraphs (2), got 3"), "{err}");
        let err =
            build(serde_json::json!({"num_paragraphs": 2, "nth_paragraph": 0, "first_word": "a"}))
                .unwrap_err();
        assert!(err.contains("nth_paragraph"), "{err}");
        assert!(build(serde_json::json!({"num_paragraphs": 2, "nth_paragraph": 1})).is_err());
        assert!(build(
            serde_json::json!({"num_paragraphs": -1, "nth_paragraph": 1, "first_word": "a"})
        )
        .is_err());
    }

    #[test]
    fn first_word_is_stored_lowercase() {
        let c = Constraint::from_ifeval(
            ID,
            &serde_json::json!({"num_paragraphs": 1, "nth_paragraph": 1, "first_word": "HeLLo"}),
        )
        .unwrap();
        assert_eq!(c.kwargs()["first_word"], "hello");
    }

    fn derive(text: &str, seed: u64) -> Vec<NthParagraphFirstWord> {
        NthParagraphFirstWord::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_picks_a_paragraph_and_its_first_word() {
        let text = "Cats sleep a lot.\n\n**Note:** they hunt.\n\n\"However,\" dogs differ.";
        let mut picked = Vec::new();
        for seed in 0..32 {
            let derived = derive(text, seed);
            let [c] = derived.as_slice() else { panic!("one constraint, got {derived:?}") };
            assert_eq!(c.num_paragraphs, 3);
            assert!(c.verify(&analysis(text)).passed(), "{c:?}");
            picked.push((c.nth_paragraph, c.first_word.clone()));
        }
        // Paragraph 2 opens with Markdown, so it is never proposed.
        assert!(picked.iter().all(|(n, _)| *n != 2));
        assert!(picked.contains(&(1, "cats".to_owned())));
        assert!(picked.contains(&(3, "however".to_owned())));
        assert_eq!(derive(text, 5), derive(text, 5));
    }

    #[test]
    fn derive_follows_the_unfiltered_indexing() {
        // Two paragraphs; chunk 1 is blank, so paragraph 1 cannot be asked for and paragraph 2
        // is `Alpha` (not `Beta`), as IFEval looks it up.
        let text = "\n\nAlpha here.\n\nBeta there.";
        for seed in 0..16 {
            let derived = derive(text, seed);
            assert_eq!(
                derived,
                [NthParagraphFirstWord {
                    num_paragraphs: 2,
                    nth_paragraph: 2,
                    first_word: "alpha".to_owned()
                }]
            );
        }
    }

    #[test]
    fn derive_nothing_for_one_paragraph_or_no_plain_word() {
        assert!(derive("Just one paragraph.\nWith two lines.", 1).is_empty());
        assert!(derive("1. First\n\n- second\n\n**Third**", 1).is_empty());
        assert!(derive("", 1).is_empty());
    }
}
