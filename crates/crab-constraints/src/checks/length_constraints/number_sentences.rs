//! `length_constraints:number_sentences` — fewer than / at least N sentences (Punkt).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    Relation, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

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
///
/// # Derivation
/// From a response with S sentences: "at least S − (0–2)" (never below 2: every non-blank text
/// has at least one sentence) or "less than S + 1 + (0–2)"; past 10 sentences the threshold is
/// rounded to fives (down for "at least", up for "less than"). One or two sentences only give
/// the upper bound, more than 30 only the lower bound; in between the rng picks. Nothing for a
/// blank text.
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
        needs: &[],
        derives: true,
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
        kwargs_map([
            ("num_sentences", self.num_sentences.into()),
            ("relation", self.relation.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let sentences = text.sentences();
        let counted = plural(sentences.len(), "sentence", "sentences");
        self.relation
            .verdict(sentences.len(), self.num_sentences, &counted)
            .with_evidence(sentences.to_vec())
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<NumberSentences> {
        if pystr::strip(text.text()).is_empty() {
            return Vec::new();
        }
        let count = i64::try_from(text.sentences().len()).unwrap_or(i64::MAX);
        if count == 0 {
            return Vec::new();
        }
        let at_least = match count {
            ..=2 => false,
            31.. => true,
            _ => cx.rng.chance(0.5),
        };
        let constraint = if at_least {
            let mut n = count - cx.rng.range(0, 2);
            if count > 10 {
                n = n / 5 * 5;
            }
            NumberSentences { num_sentences: n.max(2), relation: Relation::AtLeast }
        } else {
            let mut n = count.saturating_add(1 + cx.rng.range(0, 2));
            if count >= 10 {
                n = n.saturating_add(4) / 5 * 5;
            }
            NumberSentences { num_sentences: n, relation: Relation::LessThan }
        };
        vec![constraint]
    }
}

#[cfg(test)]
mod tests {
    use super::NumberSentences;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext, Relation};

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

    fn derive(text: &str, seed: u64) -> Vec<NumberSentences> {
        NumberSentences::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_loosens_by_a_few_sentences_and_holds() {
        let text = "One. Two. Three. Four. Five.";
        let mut relations = Vec::new();
        for seed in 0..64 {
            let derived = derive(text, seed);
            let [c] = derived.as_slice() else { panic!("one constraint, got {derived:?}") };
            match c.relation {
                Relation::AtLeast => assert!((3..=5).contains(&c.num_sentences), "{c:?}"),
                Relation::LessThan => assert!((6..=8).contains(&c.num_sentences), "{c:?}"),
            }
            assert!(c.verify(&analysis(text)).passed(), "{c:?}");
            relations.push(c.relation);
        }
        assert!(relations.contains(&Relation::AtLeast) && relations.contains(&Relation::LessThan));
        assert_eq!(derive(text, 3), derive(text, 3));
    }

    #[test]
    fn derive_rounds_long_texts_to_fives() {
        let text = "It rained. ".repeat(23);
        for seed in 0..32 {
            let c = &derive(&text, seed)[0];
            assert_eq!(c.num_sentences % 5, 0, "{c:?}");
            assert!(c.verify(&analysis(&text)).passed(), "{c:?}");
        }
        let text = "It rained. ".repeat(40);
        assert!((0..16).all(|seed| derive(&text, seed)[0].relation == Relation::AtLeast));
    }

    #[test]
    fn derive_one_sentence_gets_an_upper_bound_only() {
        for seed in 0..16 {
            let c = &derive("Dr. Smith came and left.", seed)[0];
            assert_eq!(c.relation, Relation::LessThan);
            assert!((2..=4).contains(&c.num_sentences), "{c:?}");
        }
    }

    #[test]
    fn derive_nothing_for_blank_text() {
        assert!(derive("", 1).is_empty());
        assert!(derive(" \n\t", 1).is_empty());
    }
}
