//! `length_constraints:number_words` — the response has fewer than / at least N words.

use serde_json::{Map, Value};

use crate::checks::{
    plural, Check, CheckInfo, Example, Kwargs, Param, ParamKind, Relation, SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// The number of words compared with a threshold: `count < N` ("less than") or `count >= N`
/// ("at least"). A word is a maximal run of word characters, as IFEval's `count_words` finds them
/// (NLTK's `RegexpTokenizer(r"\w+")`): `don't` is 2 words and `3.14` is 2.
///
/// # Parameters
/// `num_words` (N ≥ 0) and `relation`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"relation": "less than", "num_words": 4});
/// let c = Constraint::from_ifeval("length_constraints:number_words", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Three short words")).passed());
/// assert!(!c.verify(&Analysis::new("Now four words here")).passed());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberWords {
    /// The threshold N.
    pub num_words: i64,
    /// How the count compares with N.
    pub relation: Relation,
}

impl Check for NumberWords {
    const INFO: CheckInfo = CheckInfo {
        id: "length_constraints:number_words",
        title: "Number of words",
        description: "The number of words is less than, or at least, N. Words are maximal runs of \
                      word characters (IFEval's `count_words`): `don't` counts 2 and `3.14` counts 2.",
        divergence: None,
        params: &[
            Param { name: "relation", doc: "less than, or at least", kind: ParamKind::Relation },
            Param {
                name: "num_words",
                doc: "the threshold N",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 100 },
            },
        ],
        example: Example {
            kwargs: r#"{"relation": "at least", "num_words": 5}"#,
            pass: "This response has exactly six words.",
            fail: "Far too short.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NumberWords, SpecError> {
        Ok(NumberWords { num_words: kw.int("num_words", 0)?, relation: kw.relation("relation")? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("num_words".to_owned(), self.num_words.into());
        m.insert("relation".to_owned(), self.relation.as_str().into());
        m
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let words = text.words();
        let counted = plural(words.len(), "word", "words");
        let verdict = self.relation.verdict(words.len(), self.num_words, &counted);
        // Too many words: show where the allowed length ends.
        match (verdict.passed(), self.relation, usize::try_from(self.num_words.saturating_sub(1))) {
            (false, Relation::LessThan, Ok(i)) if i < words.len() => {
                let last = words.last().map_or(words[i].end, |w| w.end);
                verdict.with_evidence(vec![Span::new(words[i].start, last)])
            }
            _ => verdict,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "length_constraints:number_words";
    const AT_LEAST_3: &str = r#"{"relation": "at least", "num_words": 3}"#;
    const LESS_THAN_3: &str = r#"{"relation": "less than", "num_words": 3}"#;

    #[test]
    fn counts_python_word_runs() {
        assert_pass(ID, AT_LEAST_3, "don't stop");
        assert_pass(ID, AT_LEAST_3, "3.14 pi");
        assert_fail(ID, AT_LEAST_3, "snake_case word");
        assert_pass(ID, LESS_THAN_3, "two words");
        assert_fail(ID, LESS_THAN_3, "one two three");
    }

    #[test]
    fn boundary_and_detail() {
        let v = verify(ID, AT_LEAST_3, "one two");
        assert_eq!(v.detail, "2 words; needs at least 3");
        let text = "one two three four";
        let v = verify(ID, LESS_THAN_3, text);
        assert_eq!(v.detail, "4 words; needs less than 3");
        assert_eq!(evidence(&v, text), ["three four"]);
    }

    #[test]
    fn zero_threshold() {
        assert_pass(ID, r#"{"relation": "at least", "num_words": 0}"#, "");
        assert_fail(ID, r#"{"relation": "less than", "num_words": 0}"#, "");
    }
}
