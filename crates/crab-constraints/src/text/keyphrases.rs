//! CRAB's key phrases of a text: YAKE (Campos et al. 2020) as CRAB runs it.
//!
//! CRAB's `Keyword` rule calls PyPI `yake`'s `KeywordExtractor(lan=…, top=k, features=None)`:
//! n-grams of up to 3 words, its default window of 1 and deduplication limit 0.9, and keeps the
//! phrases scoring below 0.07 (lower is more relevant). `k` is `min(len(response) // 10, 3)`
//! — meant as words, but `len` of a string counts characters, so `k` is 3 except for responses
//! under 30 characters.
//!
//! **Why a dependency and not a port.** The project does not ship code derived from PyPI
//! `yake`'s source (a licensing decision), so the scoring comes from the MIT-licensed crate
//! `yake-rust`, which tokenizes with `segtok` (a Rust port of the tokenizer PyPI `yake` uses; the
//! two split the 541 GPT-4 responses into the same sentences and tokens). PyPI `yake` is only a
//! black-box test oracle: `tests/keyphrases_reference.rs` measures the agreement (on the GPT-4
//! responses, the same phrases in the same order for about 97%, and 99% of PyPI's phrases found).
//! What this module adds around `yake-rust`, each observed from outside PyPI `yake`:
//!
//! - **Line breaks are spaces.** PyPI `yake` ranks a text the same with any line breaks replaced
//!   by spaces (a blank line does not end a sentence, although segtok alone splits there), and a
//!   text starting with "1. Word" like one starting with " 1. Word" (segtok splits the "1." off
//!   only after a space). The text is therefore handed over as a space plus the text with each
//!   `\n` replaced by a space. This took the agreement from 77% to 97%.
//! - **Reproducible ties.** `yake-rust` sums in hash-map order, so scores that are equal come
//!   out a few units in the last place apart, differently on each call, and their order would
//!   change from run to run. Ranking and deduplication are done here instead (see [`ranked`]).
//! - **No panics.** `segtok` matches with backtracking regexes that panic when they exceed a
//!   million steps, which a 1,400-character run of apostrophes or a 23 KB sentence is enough for.
//!   Texts outside safe limits get no key phrases, and the result says why ([`Refusal`],
//!   [`check_limits`]); the limits also keep YAKE's time on a text under 30 ms.
//!
//! Known differences that remain: PyPI deduplicates with its own `seqm` similarity (it keeps
//! "century novelist" next to "century novelists", which the Levenshtein ratio here drops),
//! ties are ordered differently (PyPI's order of equal scores follows its own rounding), and a
//! few scores around apostrophes and hyphens differ.
//!
//! Stopwords are always English: CRAB picks YAKE's stopword list from langdetect's guess, but
//! its data (and this playground's) is English, and linking YAKE's other 33 lists would cost
//! the web app size for little use. On other languages YAKE still ranks phrases, with less apt
//! stopwords.
//!
//! This module only ranks; the `crab:key_phrases` derivation keeps the phrases the text
//! contains verbatim.

use std::fmt;
use std::sync::LazyLock;

use yake_rust::{Config, StopWords};

/// The longest key phrase, in words (YAKE's `n`, CRAB's default 3).
pub const MAX_WORDS: usize = 3;

/// CRAB keeps the phrases that score strictly below this (YAKE scores: lower is better).
pub const SCORE_THRESHOLD: f64 = 0.07;

/// The most key phrases CRAB takes from one text.
pub const TOP: usize = 3;

/// A ranked key phrase.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPhrase {
    /// The phrase as it first occurs in the text, its tokens joined by single spaces (so it may
    /// not occur verbatim when the text separates them differently).
    pub phrase: String,
    /// YAKE's score: lower is more relevant; CRAB keeps scores below [`SCORE_THRESHOLD`].
    pub score: f64,
}

/// YAKE's settings as CRAB uses them (PyPI `yake` defaults with `n = 3`), except that
/// deduplication is done here (see [`ranked`]).
static CONFIG: LazyLock<Config> = LazyLock::new(|| Config {
    ngrams: MAX_WORDS,
    window_size: 1,
    remove_duplicates: false,
    ..Config::default()
});

/// PyPI `yake`'s default deduplication limit: a candidate more similar than this to a better
/// one is dropped.
const DEDUP_LIMIT: f64 = 0.9;

/// Scores closer than this (relative) are ties: `yake-rust` sums in hash-map order, so equal
/// scores come out a few units in the last place apart, differently on every call.
const TIE: f64 = 1e-9;

/// YAKE's English stopword list (parsed once).
static STOPWORDS: LazyLock<StopWords> =
    LazyLock::new(|| StopWords::predefined("en").unwrap_or_default());

/// The `top` best key phrases of `text` by YAKE (n-grams up to [`MAX_WORDS`]), best first, with
/// no score threshold.
///
/// `yake-rust` scores every candidate; the ranking and deduplication are done here so that they
/// are reproducible: scores within a relative 1e-9 of each other (ties, which `yake-rust`
/// perturbs in the last bits from call to call) are ordered by where the phrase first occurs in
/// the text (its words separated by any whitespace, or none), then by their lowercase form; then
/// a candidate is skipped when its lowercase form is more than 0.9 similar (1 − Levenshtein
/// distance / longer length, in characters) to a phrase already taken.
///
/// A text outside the limits ([`check_limits`]) is refused with the reason; a blank text, or
/// `top` 0, gives no phrases.
pub fn ranked(text: &str, top: usize) -> Result<Vec<KeyPhrase>, Refusal> {
    if top == 0 || text.trim().is_empty() {
        return Ok(Vec::new());
    }
    check_limits(text)?;
    // PyPI `yake` reads line breaks as spaces (a blank line does not end a sentence there, as it
    // does for segtok), and a text starting "1. Word" as two sentences, as segtok splits it
    // after a space. Both observed from outside (see the module docs).
    let mut flat = String::with_capacity(text.len() + 1);
    flat.push(' ');
    flat.extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }));
    // Ascending by score, as `yake-rust` sorts them.
    let all = yake_rust::get_n_best(usize::MAX, &flat, &STOPWORDS, &CONFIG);
    let mut taken: Vec<(KeyPhrase, Vec<char>)> = Vec::with_capacity(top);
    let mut rest = all.as_slice();
    while let Some(first) = rest.first() {
        if taken.len() >= top {
            break;
        }
        // The run of ties starting here (each within TIE of its predecessor).
        let mut len = 1;
        while let (Some(prev), Some(next)) = (rest.get(len - 1), rest.get(len)) {
            if (next.score - prev.score).abs() > TIE * prev.score.abs().max(first.score.abs()) {
                break;
            }
            len += 1;
        }
        let (ties, after) = rest.split_at(len.min(rest.len()));
        rest = after;
        let mut ties: Vec<&yake_rust::ResultItem> = ties.iter().collect();
        if ties.len() > 1 {
            ties.sort_by_cached_key(|r| (first_occurrence(text, &r.raw), &r.keyword));
        }
        for r in ties {
            if taken.len() >= top {
                break;
            }
            let lower: Vec<char> = r.keyword.chars().collect();
            if taken.iter().all(|(_, t)| similarity(t, &lower) <= DEDUP_LIMIT) {
                taken.push((KeyPhrase { phrase: r.raw.clone(), score: r.score }, lower));
            }
        }
    }
    Ok(taken.into_iter().map(|(p, _)| p).collect())
}

/// The longest text (in bytes) that key phrases are extracted from: about 1,600 words.
///
/// `segtok` (`yake-rust`'s tokenizer) matches with backtracking regexes that give up, and then
/// panic, past a million steps; a single sentence of about 5,800 tokens (23 KB) is enough. Longer
/// texts get no key phrases rather than a crash (and YAKE would take over 100 ms on them).
pub const MAX_TEXT_BYTES: usize = 10_000;

/// The most steps [`check_limits`] allows `segtok`'s e-mail/URL pattern (see there).
const MAX_URL_STEPS: usize = 250_000;

/// Why a text gets no key phrases: it is outside what `segtok` handles safely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Longer than [`MAX_TEXT_BYTES`] (the length in bytes).
    TooLong(usize),
    /// Runs without spaces that `segtok`'s e-mail/URL pattern would scan for too long.
    LongRuns,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooLong(bytes) => write!(
                f,
                "no key phrases: the text is too long ({bytes} bytes; the limit is \
                 {MAX_TEXT_BYTES})"
            ),
            Refusal::LongRuns => f.write_str(
                "no key phrases: the text has runs without spaces that are too long for the \
                 tokenizer",
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Whether key phrases are extracted from `text` at all: it is at most [`MAX_TEXT_BYTES`] long
/// and safely within what `segtok` handles. [`ranked`] and [`key_phrases`] refuse other texts
/// with the same [`Refusal`].
///
/// Besides the length, `segtok`'s e-mail/URL pattern tries a match at every position that follows
/// a space or one of `<"'([{`, scanning the non-space run from there: a run of 1,400 apostrophes,
/// or of 1,000 `'a` pairs, costs a million steps. The sum of those scans is bounded here by
/// [`MAX_URL_STEPS`], a quarter of the limit.
pub fn check_limits(text: &str) -> Result<(), Refusal> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Refusal::TooLong(text.len()));
    }
    let chars: Vec<char> = text.chars().collect();
    // The length of the run of non-whitespace characters starting at each character.
    let mut runs = vec![0usize; chars.len()];
    let mut next = 0;
    for (c, run) in chars.iter().zip(runs.iter_mut()).rev() {
        next = if c.is_whitespace() { 0 } else { next + 1 };
        *run = next;
    }
    let is_border = |c: char| c.is_whitespace() || matches!(c, '<' | '"' | '\'' | '(' | '[' | '{');
    let mut steps = 0usize;
    let mut prev = None;
    for (&c, &run) in chars.iter().zip(&runs) {
        if prev.is_none_or(is_border) {
            steps += run;
            if steps > MAX_URL_STEPS {
                return Err(Refusal::LongRuns);
            }
        }
        prev = Some(c);
    }
    Ok(())
}

/// The byte offset where `phrase`'s space-separated words first occur in `text` in order,
/// separated by any run of whitespace (or none); `usize::MAX` if they never do.
fn first_occurrence(text: &str, phrase: &str) -> usize {
    let mut words = phrase.split(' ').filter(|w| !w.is_empty());
    let Some(head) = words.next() else {
        return usize::MAX;
    };
    let rest: Vec<&str> = words.collect();
    text.match_indices(head)
        .find(|&(at, _)| {
            let mut tail = text.get(at + head.len()..).unwrap_or("");
            rest.iter().all(|w| {
                tail = tail.trim_start();
                match tail.strip_prefix(w) {
                    Some(after) => {
                        tail = after;
                        true
                    }
                    None => false,
                }
            })
        })
        .map_or(usize::MAX, |(at, _)| at)
}

/// `1 − levenshtein(a, b) / max(len(a), len(b))` over characters: 1 for equal strings.
fn similarity(a: &[char], b: &[char]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    // One row of the edit-distance table without its first column: `row[j]` is the distance
    // between the prefix of `a` read so far and `b[..=j]`.
    let mut row: Vec<usize> = (1..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        // The first column (`i`, then `i + 1`) and the cell above-left.
        let (mut diagonal, mut left) = (i, i + 1);
        for (cb, cell) in b.iter().zip(row.iter_mut()) {
            let value = (diagonal + usize::from(ca != cb)).min(*cell + 1).min(left + 1);
            diagonal = *cell;
            *cell = value;
            left = value;
        }
    }
    let distance = row.last().copied().unwrap_or(a.len());
    1.0 - distance as f64 / longer as f64
}

/// How many phrases CRAB asks YAKE for: `min(len(text) // 10, 3)`, `len` counting characters.
pub fn crab_top(text: &str) -> usize {
    (text.chars().count() / 10).min(TOP)
}

/// CRAB's key phrases of `text`: YAKE's best [`crab_top`] phrases, of which those scoring
/// below [`SCORE_THRESHOLD`], best first; or why the text is refused ([`check_limits`]).
pub fn key_phrases(text: &str) -> Result<Vec<KeyPhrase>, Refusal> {
    let mut phrases = ranked(text, crab_top(text))?;
    phrases.retain(|p| p.score < SCORE_THRESHOLD);
    Ok(phrases)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<String> {
        key_phrases(text).unwrap_or_default().into_iter().map(|p| p.phrase).collect()
    }

    #[test]
    fn ranks_salient_capitalised_ngrams_first() {
        let text = "The NVIDIA GeForce RTX 4090 is a graphics card. NVIDIA GeForce RTX cards \
                    support ray tracing. Ray tracing is great.";
        let got = key_phrases(text).unwrap();
        assert_eq!(got.first().map(|p| p.phrase.as_str()), Some("NVIDIA GeForce RTX"));
        assert!(got.iter().all(|p| p.score < SCORE_THRESHOLD));
        assert!(got.windows(2).all(|w| w[0].score <= w[1].score));
    }

    #[test]
    fn ties_are_ordered_by_first_occurrence_on_every_call() {
        // Three 3-grams over the same words score the same; yake-rust perturbs their scores in
        // the last bits differently on each call.
        let text = "With a spirit as fierce as a charging bull\nGuerrero stands tall and his \
                    heart is full\n\n(Chorus)\nGuerrero oh Guerrero under the sky so blue";
        let first = ranked(text, 3).unwrap();
        let names: Vec<&str> = first.iter().map(|p| p.phrase.as_str()).collect();
        assert_eq!(
            names,
            ["charging bull Guerrero", "bull Guerrero stands", "Guerrero stands tall"]
        );
        for _ in 0..20 {
            let again = ranked(text, 3).unwrap();
            assert!(again.iter().zip(&first).all(|(a, b)| a.phrase == b.phrase));
        }
    }

    #[test]
    fn first_occurrence_allows_any_whitespace_between_words() {
        let text = "a charging bull\nGuerrero, bullGuerrero";
        assert_eq!(first_occurrence(text, "charging bull Guerrero"), 2);
        assert_eq!(first_occurrence(text, "bull Guerrero"), 11);
        assert_eq!(first_occurrence(text, "Guerrero"), 16);
        assert_eq!(first_occurrence(text, "guerrero"), usize::MAX);
        assert_eq!(first_occurrence(text, "bull Guerrero,"), 11);
        assert_eq!(first_occurrence(text, ""), usize::MAX);
        assert_eq!(first_occurrence("ßß", "ß ß"), 0);
    }

    #[test]
    fn similarity_is_one_minus_relative_edit_distance() {
        let sim = |a: &str, b: &str| {
            similarity(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
        };
        assert_eq!(sim("", ""), 1.0);
        assert_eq!(sim("abc", "abc"), 1.0);
        assert_eq!(sim("abc", ""), 0.0);
        assert_eq!(sim("kitten", "sitting"), 1.0 - 3.0 / 7.0);
        assert_eq!(sim("ßa", "sa"), 0.5);
        // Deduplication drops near-identical candidates (more than 0.9 similar).
        assert!(sim("machine learnings", "machine learning") > DEDUP_LIMIT);
        assert!(sim("machine learning", "learning") <= DEDUP_LIMIT);
    }

    #[test]
    fn top_follows_crabs_character_count() {
        assert_eq!(crab_top(""), 0);
        assert_eq!(crab_top("123456789"), 0);
        assert_eq!(crab_top("1234567890"), 1);
        assert_eq!(crab_top("ßßßßßßßßßßßßßßßßßßßß"), 2);
        assert_eq!(crab_top(&"x".repeat(1000)), 3);
        // Fewer than 10 characters: CRAB asks for no phrase at all.
        assert!(phrases("Reef Reef").is_empty());
    }

    #[test]
    fn empty_blank_and_stopword_texts_give_nothing() {
        for text in ["", "   \n\t", "the of and to", ".,;:!?", "12 34 56 78 90 11"] {
            assert!(phrases(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let long_word = "a".repeat(9_000);
        let dotted = "a.".repeat(4_500);
        let mail = format!("{}@{}", "x.".repeat(2_000), "y.".repeat(2_000));
        let inputs = [
            "\u{1c}\u{1d}\u{1e}\u{1f}\u{2028}\u{a0}\u{200b}",
            "ß İ Σ ǅ ﬃ",
            "हिन्दी में लिखा हुआ पाठ, और भी शब्द।",
            "漢字かなカナ。中文文本。",
            "e\u{301}e\u{301}e\u{301} combining marks everywhere",
            "&amp; &lt;tag&gt; &#x1F600; &unknown; &",
            "http://example.com/a?b#c mail@example.org (https://x.y)",
            "inf nan NaN infinity 1e309 -0.0 1,000.5",
            long_word.as_str(),
            dotted.as_str(),
            mail.as_str(),
        ];
        for text in inputs {
            let _ = ranked(text, 20);
            let _ = key_phrases(text);
        }
    }

    #[test]
    fn texts_that_would_make_segtok_panic_are_refused() {
        // Each of these makes segtok exceed its backtracking limit (and panic) when ranked; the
        // limits keep them out.
        let apostrophes = "'".repeat(1_500);
        let pairs = "'a".repeat(1_000);
        let spaced = format!("{} ", "'a".repeat(300)).repeat(40);
        for text in [&apostrophes, &pairs] {
            assert_eq!(check_limits(text), Err(Refusal::LongRuns), "{}", text.len());
            assert_eq!(ranked(text, 3), Err(Refusal::LongRuns));
        }
        assert_eq!(ranked(&spaced, 3), Err(Refusal::TooLong(spaced.len())));
        let sentence = format!("{}end. Next one.", "a-b ".repeat(6_000));
        assert_eq!(check_limits(&sentence), Err(Refusal::TooLong(sentence.len())));
        // Ordinary text up to the byte limit is in.
        let prose = "Coral reefs shelter fish and \"protect\" coasts (mostly). ".repeat(150);
        assert!(prose.len() <= MAX_TEXT_BYTES);
        assert_eq!(check_limits(&prose), Ok(()));
        assert!(!ranked(&prose, 3).unwrap().is_empty());
        // A short run of quotes is fine too.
        assert_eq!(check_limits(&"'a".repeat(200)), Ok(()));
    }

    #[test]
    fn a_refused_text_says_why() {
        let long = "Coral reefs shelter fish. ".repeat(400);
        let refusal = key_phrases(&long).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "no key phrases: the text is too long (10400 bytes; the limit is 10000)"
        );
        let runs = key_phrases(&"'".repeat(1_500)).unwrap_err();
        assert_eq!(
            runs.to_string(),
            "no key phrases: the text has runs without spaces that are too long for the tokenizer"
        );
    }
}
