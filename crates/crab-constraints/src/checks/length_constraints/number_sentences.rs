//! `length_constraints:number_sentences` — fewer than / at least N sentences (Punkt).

use serde_json::{Map, Value};

use crate::checks::{
    plural, Check, CheckInfo, Example, Kwargs, Param, ParamKind, Relation, SpecError, Verdict,
};
use crate::text::Analysis;

/// # What it checks
/// The number of sentences compared with a threshold, `count < N` or `count >= N`. Sentences are
/// NLTK Punkt's (English parameters), exactly as IFEval's `count_sentences` finds them: `Dr.`
/// and `3.14` do not end a sentence, text without an end mark is one sentence, and an empty or
/// blank text has none.
///
/// # Parameters
/// `num_sentences` (N ≥ 0) and `relation`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"relation": "at least", "num_sentences": 2});
/// let c = Constraint::from_ifeval("length_constraints:number_sentences", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Dr. Smith came. He left.")).passed());
/// assert!(!c.verify(&Analysis::new("Dr. Smith came and left.")).passed());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberSentences {
    /// The threshold N.
    pub num_sentences: i64,
    /// How the count compares with N.
    pub relation: Relation,
}

impl Check for NumberSentences {
    const INFO: CheckInfo = CheckInfo {
        id: "length_constraints:number_sentences",
        title: "Number of sentences",
        description:
            "The number of sentences is less than, or at least, N. Sentences are found by \
                      NLTK's Punkt tokenizer with its English parameters, as in IFEval: \
                      abbreviations such as `Dr.` and numbers such as `3.14` do not end a sentence.",
        divergence: None,
        params: &[
            Param { name: "relation", doc: "less than, or at least", kind: ParamKind::Relation },
            Param {
                name: "num_sentences",
                doc: "the threshold N",
                kind: ParamKind::Count { min: 0, max: 500, default: 5 },
            },
        ],
        example: Example {
            kwargs: r#"{"relation": "less than", "num_sentences": 3}"#,
            pass: "Mr. Brown met Dr. Green at 3.30 p.m. on Friday. They talked.",
            fail: "One. Two. Three.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NumberSentences, SpecError> {
        Ok(NumberSentences {
            num_sentences: kw.int("num_sentences", 0)?,
            relation: kw.relation("relation")?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("num_sentences".to_owned(), self.num_sentences.into());
        m.insert("relation".to_owned(), self.relation.as_str().into());
        m
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let sentences = text.sentences();
        let counted = plural(sentences.len(), "sentence", "sentences");
        self.relation
            .verdict(sentences.len(), self.num_sentences, &counted)
            .with_evidence(sentences.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "length_constraints:number_sentences";

    #[test]
    fn abbreviations_and_numbers_do_not_split() {
        let kw = r#"{"relation": "less than", "num_sentences": 2}"#;
        assert_pass(ID, kw, "Dr. Smith paid $3.14 for it.");
        assert_fail(ID, kw, "It rained. We stayed in.");
    }

    #[test]
    fn evidence_is_the_sentences() {
        let text = "It rained. We stayed in.";
        let v = verify(ID, r#"{"relation": "at least", "num_sentences": 3}"#, text);
        assert_eq!(v.detail, "2 sentences; needs at least 3");
        assert_eq!(evidence(&v, text), ["It rained.", "We stayed in."]);
    }

    #[test]
    fn blank_text_has_no_sentences_and_unterminated_text_has_one() {
        assert_pass(ID, r#"{"relation": "less than", "num_sentences": 1}"#, "   ");
        assert_pass(ID, r#"{"relation": "at least", "num_sentences": 1}"#, "no end mark")
    }
}
