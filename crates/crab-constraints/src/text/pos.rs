//! Part-of-speech tags exactly as `nltk.pos_tag` gives them for English: NLTK 3.10.4's greedy
//! averaged perceptron (`nltk.tag.perceptron.PerceptronTagger`) with the
//! `averaged_perceptron_tagger_eng` model.
//!
//! IFBench's `words:start_verb` asks whether the first tag of
//! `nltk.pos_tag(nltk.word_tokenize(response))` contains `VB`; only the same tagger on the same
//! model gives the same answers (it tags the imperative "Go home." `NNP`, "Write the code." `IN`).
//! The tagger is small; its model is not (75,447 features, 271,206 weights: 5.7 MB of JSON),
//! so, like the language profiles, it is *given*: the CLI links it with the `builtin-tagger`
//! feature ([`PosTagger::builtin`]), the web app fetches it on first need as an asset in the
//! [`compact`] format (`crab pos-tagger OUT` writes it from NLTK's JSON files) and loads it with
//! [`PosTagger::from_compact_bytes`]. Checks that need it are pending without it.
//!
//! # What is reproduced, and how
//!
//! `PerceptronTagger.tag` walks the tokens left to right. A token found in the tag dictionary
//! (1,549 frequent unambiguous words, looked up as written) gets its tag; any other gets the
//! best-scoring class for 14 features built from the token, its neighbours (lowercased, or
//! replaced by `!HYPHEN`, `!YEAR`, `!DIGITS`: [`normalize`]) and the two previous tags. Each
//! class's score is the sum of the features' weights for it, **added in the order the features
//! are built** (`_get_features`), from 0.0, in `f64`, exactly as Python's
//! `scores[label] += value * weight` does (every feature occurs once, so `value` is 1 and the
//! product is the weight itself); the weights are the decimals NLTK stored, rebuilt bit for bit
//! (see [`compact`]). The winner is `max(classes, key=lambda label: (scores[label], label))`:
//! the highest score, and among equal scores the greatest label in code-point order, so the
//! result does not depend on the iteration order of Python's set of classes.
//!
//! Python's string operations are Python's: `str.lower()` ([`pystr::lower`]), `str.isdigit()`
//! ([`pystr::is_digit`]), suffixes and first characters in code points.

pub mod compact;

use std::fmt;

use super::pystr;

/// The tag the first tag's `prev` starts from (`PerceptronTagger.START[0]`), also the context
/// word two places before the first token.
const START: &str = "-START-";
/// `PerceptronTagger.START[1]`: `prev2` for the first token, and the context word just before
/// it.
const START2: &str = "-START2-";
/// The context words after the last token (`PerceptronTagger.END`).
const END: [&str; 2] = ["-END-", "-END2-"];

/// The feature templates, in the order `PerceptronTagger._get_features` adds them: the order
/// in which every class's score is summed. A feature's name is its template, a space and its
/// key (`"i suffix ing"`), except `"bias"`, which has no key.
pub const TEMPLATES: [&str; 14] = [
    "bias",
    "i suffix",
    "i pref1",
    "i-1 tag",
    "i-2 tag",
    "i tag+i-2 tag",
    "i word",
    "i-1 tag+i word",
    "i-1 word",
    "i-1 suffix",
    "i-2 word",
    "i+1 word",
    "i+1 suffix",
    "i+2 word",
];

/// How a template's keys are stored and looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// Any string (suffixes, first characters, tags): a sorted string list.
    Str,
    /// A context word: an index into the model's word list.
    Word,
    /// `"<previous tag> <word>"`: a tag, then a context word.
    TagWord,
}

/// The key kind of each template of [`TEMPLATES`].
pub(crate) const KINDS: [KeyKind; 14] = {
    use KeyKind::{Str, TagWord, Word};
    [Str, Str, Str, Str, Str, Str, Word, TagWord, Word, Str, Word, Word, Str, Word]
};

/// Why tagger data could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PosError(String);

impl PosError {
    pub(crate) fn new(why: impl Into<String>) -> PosError {
        PosError(why.into())
    }
}

impl fmt::Display for PosError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid part-of-speech tagger data: {}", self.0)
    }
}

impl std::error::Error for PosError {}

/// Strings in strictly ascending byte order (which is Python's code-point order), stored in one
/// buffer, found by binary search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct StrList {
    text: String,
    /// `ends[i]` is where string `i` ends in `text` (it starts where `i - 1` ends).
    ends: Vec<u32>,
}

impl StrList {
    /// Appends `s`, which must sort strictly after the last string.
    pub(crate) fn push(&mut self, s: &str) -> Result<(), PosError> {
        if self.len() > 0 && self.get(self.len() - 1) >= s {
            return Err(PosError::new(format!("{s:?} is out of order or repeated")));
        }
        self.text.push_str(s);
        let end = u32::try_from(self.text.len()).map_err(|_| PosError::new("too much text"))?;
        self.ends.push(end);
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// String `i` (`""` past the end).
    pub(crate) fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            None => 0,
            Some(j) => self.ends.get(j).map_or(0, |&e| e as usize),
        };
        let end = self.ends.get(i).map_or(start, |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// The index of `s`, if present.
    pub(crate) fn find(&self, s: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

/// One template's features: their keys, and where their weights start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Table {
    /// Feature `base + i` has key `keys[i]`.
    Str { keys: StrList, base: u32 },
    /// Feature `base + i` has the word `ids[i]` (ascending word indices).
    Word { ids: Vec<u32>, base: u32 },
    /// Tag `t` (ascending in `tags`) owns `ids[starts[t]..starts[t + 1]]` (ascending word
    /// indices), and feature `base + j` has tag and word `ids[j]`.
    TagWord { tags: StrList, starts: Vec<u32>, ids: Vec<u32>, base: u32 },
}

impl Table {
    fn str_feature(&self, key: &str) -> Option<usize> {
        match self {
            Table::Str { keys, base } => keys.find(key).map(|i| *base as usize + i),
            _ => None,
        }
    }

    fn word_feature(&self, word: Option<u32>) -> Option<usize> {
        match self {
            Table::Word { ids, base } => ids.binary_search(&word?).ok().map(|i| *base as usize + i),
            _ => None,
        }
    }

    fn tag_word_feature(&self, tag: &str, word: Option<u32>) -> Option<usize> {
        match self {
            Table::TagWord { tags, starts, ids, base } => {
                let t = tags.find(tag)?;
                let (from, to) = (*starts.get(t)? as usize, *starts.get(t + 1)? as usize);
                let group = ids.get(from..to)?;
                group.binary_search(&word?).ok().map(|i| *base as usize + from + i)
            }
            _ => None,
        }
    }
}

/// The English averaged perceptron tagger of `nltk.pos_tag`, on a model supplied by the caller.
///
/// Build it once and share it (`Send + Sync`; tagging takes `&self`). Loading the compact asset
/// takes a few milliseconds. Its `Debug` output is a summary, not the model.
#[derive(Clone, PartialEq, Eq)]
pub struct PosTagger {
    /// The classes (tags), ascending: the tie-break order of `predict`.
    pub(crate) classes: StrList,
    /// The tag dictionary's words, ascending, and each one's class.
    pub(crate) dict_words: StrList,
    pub(crate) dict_tags: Vec<u8>,
    /// The context words that occur in word features, ascending.
    pub(crate) vocab: StrList,
    /// One table per template, in [`TEMPLATES`] order.
    pub(crate) tables: Vec<Table>,
    /// Feature `f`'s weights are `labels[starts[f]..starts[f + 1]]` (classes, ascending) with
    /// `weights[…]` (thousandths).
    pub(crate) starts: Vec<u32>,
    pub(crate) labels: Vec<u8>,
    pub(crate) weights: Vec<i32>,
}

impl fmt::Debug for PosTagger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PosTagger")
            .field("classes", &self.classes.len())
            .field("tag_dictionary", &self.dict_words.len())
            .field("features", &self.starts.len().saturating_sub(1))
            .field("weights", &self.weights.len())
            .finish()
    }
}

impl PosTagger {
    /// A tagger from the [`compact`] asset (as `crab pos-tagger` writes it and the web app
    /// fetches it). Malformed, truncated or inconsistent bytes are an error, never a panic.
    pub fn from_compact_bytes(bytes: &[u8]) -> Result<PosTagger, PosError> {
        compact::decode(bytes)
    }

    /// The tagger over NLTK's `averaged_perceptron_tagger_eng` model, built on first use.
    ///
    /// Only with the `builtin-tagger` feature, which links the model into the binary (the
    /// committed asset `public/pos-tagger.bin`, as [`PosTagger::builtin_compact_bytes`]); the web
    /// app leaves it off and fetches that file instead.
    #[cfg(feature = "builtin-tagger")]
    #[allow(clippy::panic)]
    pub fn builtin() -> &'static PosTagger {
        static TAGGER: std::sync::LazyLock<PosTagger> = std::sync::LazyLock::new(|| {
            match PosTagger::from_compact_bytes(PosTagger::builtin_compact_bytes()) {
                Ok(tagger) => tagger,
                // The bytes are a committed file that the CLI's tests load and compare with
                // NLTK's model; a failure here is a build bug, not bad input.
                Err(e) => panic!("built-in tagger: {e}"),
            }
        });
        &TAGGER
    }

    /// The model in the [`compact`] format: `public/pos-tagger.bin`, embedded.
    #[cfg(feature = "builtin-tagger")]
    pub fn builtin_compact_bytes() -> &'static [u8] {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/pos-tagger.bin"))
    }

    /// The classes (tags) the tagger can give, in code-point order.
    pub fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.classes.len()).map(|i| self.classes.get(i))
    }

    /// `nltk.pos_tag(tokens)`: one tag per token.
    pub fn tag<T: AsRef<str>>(&self, tokens: &[T]) -> Vec<&str> {
        self.tag_prefix(tokens, tokens.len())
    }

    /// The first `n` tags of `nltk.pos_tag(tokens)` (all of them if there are fewer tokens),
    /// computed from the first `n + 2` tokens only: a token's tag depends on the tags before it
    /// and on the two tokens after it, nothing further.
    pub fn tag_prefix<T: AsRef<str>>(&self, tokens: &[T], n: usize) -> Vec<&str> {
        let n = n.min(tokens.len());
        let seen = tokens.get(..n.saturating_add(2).min(tokens.len())).unwrap_or(&[]);
        // `context = START + [normalize(w) for w in tokens] + END`, as words of the model's
        // vocabulary (None: a word no feature mentions) plus their text for the suffixes.
        let mut context: Vec<String> = Vec::with_capacity(seen.len() + 4);
        context.push(START.to_owned());
        context.push(START2.to_owned());
        context.extend(seen.iter().map(|t| normalize(t.as_ref())));
        context.extend(END.iter().map(|&w| w.to_owned()));
        let ids: Vec<Option<u32>> = context
            .iter()
            .map(|w| self.vocab.find(w).and_then(|i| u32::try_from(i).ok()))
            .collect();
        let mut scores = vec![0.0; self.classes.len()];
        let mut key = String::new();
        let (mut prev, mut prev2) = (START, START2);
        let mut out = Vec::with_capacity(n);
        for (i, token) in seen.iter().take(n).enumerate() {
            let word = token.as_ref();
            let tag = match self.dict_words.find(word) {
                Some(d) => self.class(self.dict_tags.get(d).copied()),
                None => {
                    let at = Context { context: &context, ids: &ids, i: i + 2 };
                    let best = self.predict(word, &at, prev, prev2, &mut scores, &mut key);
                    self.class(best)
                }
            };
            out.push(tag);
            prev2 = prev;
            prev = tag;
        }
        out
    }

    fn class(&self, index: Option<u8>) -> &str {
        self.classes.get(index.map_or(usize::MAX, usize::from))
    }

    /// `AveragedPerceptron.predict(self._get_features(i, word, context, prev, prev2))`: the
    /// index of the best class.
    fn predict(
        &self,
        word: &str,
        at: &Context<'_>,
        prev: &str,
        prev2: &str,
        scores: &mut [f64],
        key: &mut String,
    ) -> Option<u8> {
        scores.iter_mut().for_each(|s| *s = 0.0);
        let table = |t: usize| self.tables.get(t);
        let str_feature = |t: usize, k: &str| table(t).and_then(|tb| tb.str_feature(k));
        let word_feature =
            |t: usize, offset: isize| table(t).and_then(|tb| tb.word_feature(at.id(offset)));
        key.clear();
        key.push_str(prev);
        key.push(' ');
        key.push_str(prev2);
        let features = [
            str_feature(0, ""),
            str_feature(1, last3(word)),
            str_feature(2, first1(word)),
            str_feature(3, prev),
            str_feature(4, prev2),
            str_feature(5, key),
            word_feature(6, 0),
            table(7).and_then(|tb| tb.tag_word_feature(prev, at.id(0))),
            word_feature(8, -1),
            str_feature(9, last3(at.word(-1))),
            word_feature(10, -2),
            word_feature(11, 1),
            str_feature(12, last3(at.word(1))),
            word_feature(13, 2),
        ];
        for f in features.into_iter().flatten() {
            let (Some(&from), Some(&to)) = (self.starts.get(f), self.starts.get(f + 1)) else {
                continue;
            };
            let range = from as usize..to as usize;
            let (Some(labels), Some(weights)) =
                (self.labels.get(range.clone()), self.weights.get(range))
            else {
                continue;
            };
            for (&label, &w) in labels.iter().zip(weights) {
                if let Some(score) = scores.get_mut(usize::from(label)) {
                    *score += weight(w);
                }
            }
        }
        // `max(classes, key=(score, label))`: classes ascend, so `>=` keeps the greatest label
        // among equal scores.
        let mut best: Option<(u8, f64)> = None;
        for (c, &s) in scores.iter().enumerate() {
            if best.is_none_or(|(_, b)| s >= b) {
                best = u8::try_from(c).ok().map(|c| (c, s));
            }
        }
        best.map(|(c, _)| c)
    }
}

/// A stored weight (thousandths) as the `f64` Python read from the JSON model: the correctly
/// rounded quotient, which is what `float("0.123")` gives (checked for every weight when the
/// model is converted).
#[inline]
pub(crate) fn weight(thousandths: i32) -> f64 {
    f64::from(thousandths) / 1000.0
}

/// The normalised context around the token being tagged.
struct Context<'a> {
    context: &'a [String],
    ids: &'a [Option<u32>],
    /// The token's index in `context` (its index in the tokens + 2).
    i: usize,
}

impl Context<'_> {
    fn index(&self, offset: isize) -> Option<usize> {
        self.i.checked_add_signed(offset)
    }

    fn word(&self, offset: isize) -> &str {
        self.index(offset).and_then(|j| self.context.get(j)).map_or("", String::as_str)
    }

    fn id(&self, offset: isize) -> Option<u32> {
        self.index(offset).and_then(|j| self.ids.get(j).copied().flatten())
    }
}

/// `PerceptronTagger.normalize`: `!HYPHEN` for a word with a hyphen not at its start, `!YEAR`
/// for four digits, `!DIGITS` for a word starting with a digit, else the lowercased word
/// (Python's `str.isdigit` and `str.lower`).
pub fn normalize(word: &str) -> String {
    let mut chars = word.chars();
    let first = chars.clone().next();
    if word.contains('-') && first != Some('-') {
        return "!HYPHEN".to_owned();
    }
    if first.is_some() && word.chars().all(pystr::is_digit) && word.chars().count() == 4 {
        return "!YEAR".to_owned();
    }
    if chars.next().is_some_and(pystr::is_digit) {
        return "!DIGITS".to_owned();
    }
    pystr::lower(word)
}

/// `s[-3:]`: the last three code points.
fn last3(s: &str) -> &str {
    let start = s.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
    s.get(start..).unwrap_or("")
}

/// `s[0] if s else ""`: the first code point.
fn first1(s: &str) -> &str {
    let end = s.chars().next().map_or(0, char::len_utf8);
    s.get(..end).unwrap_or("")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The tagger over the committed asset (`public/pos-tagger.bin`), loaded as the web app
    /// loads it.
    pub(crate) fn tagger() -> &'static PosTagger {
        static T: std::sync::LazyLock<PosTagger> = std::sync::LazyLock::new(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/pos-tagger.bin");
            let bytes = std::fs::read(path).expect("public/pos-tagger.bin");
            PosTagger::from_compact_bytes(&bytes).expect("valid tagger asset")
        });
        &T
    }

    #[test]
    fn normalizes_like_nltk() {
        assert_eq!(normalize("Well-known"), "!HYPHEN");
        assert_eq!(normalize("-5"), "-5");
        assert_eq!(normalize("--"), "--");
        assert_eq!(normalize("1999"), "!YEAR");
        assert_eq!(normalize("１９９９"), "!YEAR", "fullwidth digits are str.isdigit");
        assert_eq!(normalize("²³⁴⁵"), "!YEAR", "so are superscripts");
        assert_eq!(normalize("19999"), "!DIGITS");
        assert_eq!(normalize("3rd"), "!DIGITS");
        assert_eq!(normalize("Hello"), "hello");
        assert_eq!(normalize("İ"), "i\u{307}");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn suffixes_and_prefixes_count_code_points() {
        assert_eq!(last3("running"), "ing");
        assert_eq!(last3("né"), "né");
        assert_eq!(last3("añejo"), "ejo");
        assert_eq!(last3("日本語です"), "語です");
        assert_eq!(first1("élan"), "é");
        assert_eq!(first1(""), "");
    }

    #[test]
    fn tags_nltk_doc_examples() {
        let t = tagger();
        let words = "The quick brown fox jumps over the lazy dog".split(' ').collect::<Vec<_>>();
        assert_eq!(t.tag(&words), ["DT", "JJ", "NN", "NN", "VBZ", "IN", "DT", "JJ", "NN"]);
        let words = ["John", "'s", "big", "idea", "is", "n't", "all", "that", "bad", "."];
        assert_eq!(t.tag(&words), ["NNP", "POS", "JJ", "NN", "VBZ", "RB", "PDT", "DT", "JJ", "."]);
        // Imperatives are often not tagged as verbs.
        assert_eq!(t.tag(&["Write", "the", "code", "now", "."])[0], "IN");
        assert_eq!(t.tag(&["Go", "home", "."])[0], "NNP");
        assert_eq!(t.tag(&["Take", "a", "break", "."])[0], "VB");
        assert!(t.tag::<&str>(&[]).is_empty());
    }

    #[test]
    fn a_prefix_is_tagged_as_the_whole() {
        let t = tagger();
        let words: Vec<&str> =
            "Run quickly , then stop : it 's 1999 and well-known 3rd-party tools fail"
                .split(' ')
                .collect();
        let all = t.tag(&words);
        for n in 0..=words.len() + 1 {
            assert_eq!(t.tag_prefix(&words, n), all.get(..n.min(words.len())).unwrap(), "{n}");
        }
    }

    #[test]
    fn debug_output_is_a_summary() {
        assert_eq!(
            format!("{:?}", tagger()),
            "PosTagger { classes: 45, tag_dictionary: 1549, features: 75436, weights: 271206 }"
        );
    }

    #[test]
    fn classes_are_the_penn_treebank_tags() {
        let classes: Vec<&str> = tagger().classes().collect();
        assert_eq!(classes.len(), 45);
        assert!(classes.contains(&"VBZ") && classes.contains(&"``") && classes.contains(&"PRP$"));
        assert!(classes.windows(2).all(|w| w[0] < w[1]));
    }
}
