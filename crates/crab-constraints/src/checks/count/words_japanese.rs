//! `count:words_japanese` — every N-th word is Japanese (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

/// # What it checks
/// Of the whitespace-separated words (`str.split()`), each `N`-th one (the `N`-th, `2N`-th, …),
/// with ASCII punctuation stripped from its ends, must hold a Japanese character: hiragana,
/// katakana (U+3040–U+30FF) or a CJK ideograph (U+4E00–U+9FFF). Words that strip to nothing or
/// are all digits (`str.isdigit()`) are skipped. The other words may be anything.
///
/// # Parameters
/// `N` (a whole number ≥ 1).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:words_japanese", &serde_json::json!({"N": 2.0}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("Eat 寿司 with お茶.")).passed());
/// assert!(!c.verify(&Analysis::new("Eat sushi with お茶.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NthWordJapaneseChecker` (unchanged since the first release). The
/// evidence span is the first word that should be Japanese and is not.
///
/// # Derivation
/// None: a response that mixes Japanese into English at a fixed period does not occur
/// naturally, and in Japanese prose whitespace does not separate words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordsJapanese {
    /// The period: every `n`-th word must be Japanese.
    pub n: i64,
}

impl Check for WordsJapanese {
    const INFO: CheckInfo = CheckInfo {
        id: "count:words_japanese",
        title: "Every N-th word in Japanese",
        description: "Every `N`-th whitespace-separated word (punctuation stripped from its \
                      ends) contains a Japanese character: hiragana, katakana or a kanji. Words \
                      of digits or punctuation alone are exempt.",
        divergence: Some(
            "IFBench picks a random `N` when it is missing, and raises `ZeroDivisionError` for \
             `N` = 0; here `N` must be given and at least 1.",
        ),
        needs: &[],
        derives: false,
        params: &[Param {
            name: "N",
            doc: "every how many words one must be Japanese",
            kind: ParamKind::Count { min: 1, max: 30, default: 5 },
        }],
        example: Example {
            kwargs: r#"{"N": 2}"#,
            pass: "Eat 寿司 with お茶.",
            fail: "Eat sushi with お茶.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<WordsJapanese, SpecError> {
        Ok(WordsJapanese { n: kw.int("N", 1)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("N", self.n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let period = usize::try_from(self.n).unwrap_or(usize::MAX).max(1);
        let mut checked = 0usize;
        for (i, span) in pystr::split_whitespace(s).enumerate() {
            let nth = i + 1;
            if nth % period != 0 {
                continue;
            }
            let word = pystr::strip_punctuation(span.slice(s));
            if word.is_empty() || word.chars().all(pystr::is_digit) {
                continue;
            }
            checked += 1;
            if !word.chars().any(is_japanese) {
                return Verdict::fail(format!("word {nth} ({word}) has no Japanese character"))
                    .with_evidence(vec![span]);
            }
        }
        Verdict::pass(format!(
            "{} in Japanese (every {}-th word)",
            plural(checked, "checked word", "checked words"),
            self.n
        ))
    }
}

/// IFBench's `[\u3040-\u30ff\u4e00-\u9fff]`: hiragana, katakana, CJK unified ideographs.
fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:words_japanese";

    #[test]
    fn every_nth_word_needs_a_japanese_character() {
        assert_pass(ID, r#"{"N": 3}"#, "one two 三 four five (六)");
        let text = "one two 三 four five six";
        let v = verify(ID, r#"{"N": 3}"#, text);
        assert_eq!(v.detail, "word 6 (six) has no Japanese character");
        assert_eq!(evidence(&v, text), ["six"]);
        // One Japanese character is enough, among Latin ones.
        assert_pass(ID, r#"{"N": 1}"#, "Tokyo東京 カタカナ");
        // Hangul and full-width Latin are not Japanese.
        assert_fail(ID, r#"{"N": 1}"#, "한국어");
        assert_fail(ID, r#"{"N": 1}"#, "ＡＢＣ");
    }

    #[test]
    fn digits_and_punctuation_are_exempt() {
        assert_pass(ID, r#"{"N": 1}"#, "42 ... 日本 ٣ ²");
        // `3.5` keeps its inner period: not all digits.
        assert_fail(ID, r#"{"N": 1}"#, "3.5");
        assert_pass(ID, r#"{"N": 5}"#, "only four words here");
        assert_pass(ID, r#"{"N": 1}"#, "");
    }

    #[test]
    fn n_must_be_positive() {
        let kw = serde_json::json!({"N": 0.0});
        let err = crate::checks::Constraint::from_ifeval(ID, &kw).unwrap_err().to_string();
        assert!(err.contains("must be at least 1"), "{err}");
    }
}
