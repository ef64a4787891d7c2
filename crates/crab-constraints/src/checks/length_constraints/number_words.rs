//! `length_constraints:number_words` — the response has fewer than / at least N words.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    Relation, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

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
///
/// # Derivation
/// From a response with T words, rounded to tens like CRAB's length constraints: "at least
/// 10⌊T/10⌋", lowered by 0–2 tens of slack (never below 10), or "less than 10⌊T/10⌋ + 10",
/// raised by 0–2 tens. Short responses (under 20 words) only get the upper bound (a lower bound
/// would be "at least 0"), long ones (400 words or more) only the lower bound (an upper bound on
/// a long text says little); in between the rng picks. Nothing for a text without words.
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
        needs: &[],
        derives: true,
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
        kwargs_map([
            ("num_words", self.num_words.into()),
            ("relation", self.relation.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let words = text.words();
        let counted = plural(words.len(), "word", "words");
        let verdict = self.relation.verdict(words.len(), self.num_words, &counted);
        // Too many words: show where the allowed length ends.
        let first_extra =
            usize::try_from(self.num_words.saturating_sub(1)).ok().and_then(|i| words.get(i));
        match (verdict.passed(), self.relation, first_extra) {
            (false, Relation::LessThan, Some(first)) => {
                let last = words.last().map_or(first.end, |w| w.end);
                verdict.with_evidence(vec![Span::new(first.start, last)])
            }
            _ => verdict,
        }
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<NumberWords> {
        let count = i64::try_from(text.words().len()).unwrap_or(i64::MAX);
        if count == 0 || pystr::strip(text.text()).is_empty() {
            return Vec::new();
        }
        let tens = count / 10 * 10;
        let at_least = match count {
            ..=19 => false,
            400.. => true,
            _ => cx.rng.chance(0.5),
        };
        let constraint = if at_least {
            let slack = 10 * cx.rng.range(0, 2);
            NumberWords { num_words: (tens - slack).max(10), relation: Relation::AtLeast }
        } else {
            let slack = 10 * cx.rng.range(0, 2);
            NumberWords { num_words: tens.saturating_add(10 + slack), relation: Relation::LessThan }
        };
        vec![constraint]
    }
}

#[cfg(test)]
mod tests {
    use super::NumberWords;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext, Relation};

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

    fn derive(text: &str, seed: u64) -> Vec<NumberWords> {
        NumberWords::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_rounds_to_tens_with_slack_and_holds() {
        let text = "word ".repeat(57);
        let mut relations = Vec::new();
        for seed in 0..64 {
            let derived = derive(&text, seed);
            let [c] = derived.as_slice() else { panic!("one constraint, got {derived:?}") };
            match c.relation {
                Relation::AtLeast => assert!([30, 40, 50].contains(&c.num_words), "{c:?}"),
                Relation::LessThan => assert!([60, 70, 80].contains(&c.num_words), "{c:?}"),
            }
            assert!(c.verify(&analysis(&text)).passed(), "{c:?}");
            relations.push(c.relation);
        }
        assert!(relations.contains(&Relation::AtLeast) && relations.contains(&Relation::LessThan));
        assert_eq!(derive(&text, 7), derive(&text, 7));
    }

    #[test]
    fn derive_bounds_short_texts_above_and_long_texts_below() {
        for seed in 0..16 {
            let short = derive("Just five words right here.", seed);
            assert_eq!(short[0].relation, Relation::LessThan);
            assert!([10, 20, 30].contains(&short[0].num_words), "{short:?}");
            let long = derive(&"w ".repeat(415), seed);
            assert_eq!(long[0].relation, Relation::AtLeast);
            assert!([390, 400, 410].contains(&long[0].num_words), "{long:?}");
        }
        // Twenty words: the slack never takes the lower bound below 10.
        for seed in 0..16 {
            let c = &derive(&"w ".repeat(20), seed)[0];
            assert!(c.num_words >= 10, "{c:?}");
        }
    }

    #[test]
    fn derive_nothing_without_words() {
        assert!(derive("", 1).is_empty());
        assert!(derive(" \n ", 1).is_empty());
        assert!(derive("!!! ...", 1).is_empty());
    }
}
