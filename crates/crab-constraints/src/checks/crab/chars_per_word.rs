//! `crab:chars_per_word` — CRAB's `Word` constraint, corrected: no word has more than N
//! characters.

use serde_json::{Map, Value};

use super::{is_blank, round_up_to_5, Counting, COUNTING_PARAM};
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// Every word has at most N characters (Unicode code points, as Python's `len`). Words are, with
/// `counting: "nltk"` (the default, CRAB's), the tokens of NLTK's `word_tokenize` over the whole
/// text, measured as NLTK returns them (a `"` becomes ` `` ` or `''`, two characters); with
/// `counting: "ifeval"`, maximal runs of word characters (so `state-of-the-art` is four short
/// words, and punctuation never counts).
///
/// # Parameters
/// `max_chars` (N ≥ 1) and `counting` (`"nltk"` or `"ifeval"`, optional, default `"nltk"`).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"max_chars": 7, "counting": "ifeval"});
/// let c = Constraint::from_ifeval("crab:chars_per_word", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Plain short words only.")).passed());
/// assert!(!c.verify(&Analysis::new("Sesquipedalian vocabulary.")).passed());
/// ```
///
/// # Derivation
/// The longest NLTK token's length L; when L > 3, N = L rounded up to a multiple of 5
/// (`⌈L/5⌉·5`), as CRAB rounds it, with `counting: "nltk"`. Not derived when N would exceed 20:
/// longer tokens are URLs, code or compounds, and a bound above 20 says nothing about word
/// choice.
///
/// # Relation to CRAB (corrected bug)
/// CRAB computes the same N (over the tokens of each sentence of each line, which match the
/// whole-text tokens except at rare sentence-boundary differences that the rounding absorbs) but
/// its templates say each word must have **at least** N characters ("Ensure a lower limit of 15
/// characters for each word"), which the response itself violates; the code comment says
/// `#max`. This check is the intended direction: **at most** N.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharsPerWord {
    /// The most characters a word may have.
    pub max_chars: i64,
    /// What a word is.
    pub counting: Counting,
}

/// The largest bound a derivation proposes.
const MAX_DERIVED: usize = 20;

/// Every word with its length in code points.
fn word_lengths<'a>(
    text: &'a Analysis<'_>,
    counting: Counting,
) -> Box<dyn Iterator<Item = (Span, usize)> + 'a> {
    match counting {
        Counting::Ifeval => {
            let t = text.text();
            Box::new(text.words().iter().map(move |w| (*w, w.slice(t).chars().count())))
        }
        Counting::Nltk => Box::new(text.tokens().iter().map(|t| (t.span, t.text.chars().count()))),
    }
}

impl Check for CharsPerWord {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:chars_per_word",
        title: "Characters per word (CRAB, corrected)",
        description: "No word has more than N characters (code points). Words are NLTK \
                      `word_tokenize` tokens (CRAB's), or with `counting: ifeval` runs of word \
                      characters. Corrected from CRAB, whose template asks for *at least* N \
                      characters per word with N = the longest word's length rounded up to a \
                      multiple of 5 — false for its own response; the intended bound is at most \
                      N.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "max_chars",
                doc: "the most characters any word may have",
                kind: ParamKind::Count { min: 1, max: 100, default: 15 },
            },
            COUNTING_PARAM,
        ],
        example: Example {
            kwargs: r#"{"max_chars": 10, "counting": "nltk"}"#,
            pass: "Short words are easy to read.",
            fail: "Incomprehensibilities abound.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<CharsPerWord, SpecError> {
        Ok(CharsPerWord {
            max_chars: kw.int("max_chars", 1)?,
            counting: Counting::from_kwargs(kw)?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("max_chars", self.max_chars.into()),
            ("counting", self.counting.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let max = usize::try_from(self.max_chars).unwrap_or(usize::MAX);
        let (one, many) = self.counting.unit();
        let mut too_long = Vec::new();
        let mut longest: Option<(Span, usize)> = None;
        let mut total = 0;
        for (span, len) in word_lengths(text, self.counting) {
            total += 1;
            if len > max {
                too_long.push(span);
            }
            if longest.is_none_or(|(_, l)| len > l) {
                longest = Some((span, len));
            }
        }
        let longest_len = longest.map_or(0, |(_, l)| l);
        if too_long.is_empty() {
            let detail = format!(
                "{}, the longest with {longest_len} characters; at most {max} allowed",
                plural(total, one, many)
            );
            Verdict::pass(detail).with_evidence(longest.map(|(s, _)| s).into_iter().collect())
        } else {
            let detail = format!(
                "{} over {max} characters (the longest has {longest_len})",
                plural(too_long.len(), one, many)
            );
            Verdict::fail(detail).with_evidence(too_long)
        }
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<CharsPerWord> {
        if is_blank(text) {
            return Vec::new();
        }
        let longest = word_lengths(text, Counting::Nltk).map(|(_, l)| l).max().unwrap_or(0);
        if longest <= 3 {
            return Vec::new();
        }
        let n = round_up_to_5(longest);
        if n > MAX_DERIVED {
            return Vec::new();
        }
        let max_chars = i64::try_from(n).unwrap_or(i64::MAX);
        vec![CharsPerWord { max_chars, counting: Counting::Nltk }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "crab:chars_per_word";

    #[test]
    fn every_word_is_within_the_limit() {
        let kw = r#"{"max_chars": 5, "counting": "ifeval"}"#;
        assert_pass(ID, kw, "Five? Yes, fives.");
        assert_fail(ID, kw, "Sixsix letters");
        assert_pass(ID, kw, "");
    }

    #[test]
    fn characters_are_code_points_not_bytes() {
        // "Größe" is 5 code points but 7 bytes; "naïve" with a combining mark is 6 code points.
        let kw = r#"{"max_chars": 5, "counting": "ifeval"}"#;
        assert_pass(ID, kw, "Größe");
        assert_fail(ID, kw, "nai\u{308}ve");
        assert_pass(ID, r#"{"max_chars": 2, "counting": "ifeval"}"#, "中文 字");
    }

    #[test]
    fn nltk_and_ifeval_words_differ() {
        // One NLTK token of 16 characters; four `\w+` words.
        let text = "state-of-the-art";
        assert_fail(ID, r#"{"max_chars": 10}"#, text);
        assert_pass(ID, r#"{"max_chars": 10, "counting": "ifeval"}"#, text);
        // NLTK turns `"` into two-character quote tokens.
        assert_fail(ID, r#"{"max_chars": 1}"#, "\"a\"");
        assert_pass(ID, r#"{"max_chars": 1, "counting": "ifeval"}"#, "\"a\"");
    }

    #[test]
    fn evidence_and_detail() {
        let text = "tiny enormous gigantic";
        let v = verify(ID, r#"{"max_chars": 6, "counting": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["enormous", "gigantic"]);
        assert_eq!(v.detail, "2 words over 6 characters (the longest has 8)");
        let v = verify(ID, r#"{"max_chars": 9, "counting": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["enormous"]);
        assert_eq!(v.detail, "3 words, the longest with 8 characters; at most 9 allowed");
    }

    fn derive(text: &str) -> Vec<CharsPerWord> {
        CharsPerWord::derive(&analysis(text), &mut DeriveContext::new("", 3))
    }

    #[test]
    fn derives_the_longest_word_rounded_up_to_five_as_an_upper_bound() {
        let text = "The characteristic feature.";
        let d = derive(text);
        assert_eq!(d, [CharsPerWord { max_chars: 15, counting: Counting::Nltk }]);
        assert!(d[0].verify(&analysis(text)).passed());
        // CRAB's inverted "at least 15 characters" would fail here; ours holds.
        assert_eq!(
            derive("A lengthy word."),
            [CharsPerWord { max_chars: 10, counting: Counting::Nltk }]
        );
    }

    #[test]
    fn nothing_from_tiny_words_blank_text_or_very_long_tokens() {
        assert!(derive("I am a cat.").is_empty());
        assert!(derive("  ").is_empty());
        assert!(derive("See https://example.com/a/very/long/path for more.").is_empty());
    }
}
