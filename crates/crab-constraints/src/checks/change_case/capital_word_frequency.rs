//! `change_case:capital_word_frequency` — fewer than / at least N all-caps words.
//!
//! IFEval counts the `nltk.word_tokenize` tokens for which Python's `str.isupper()` holds. The
//! tokens come from the text's shared [`Analysis`] (tokenized once for every check that needs
//! them) and the case test is [`pystr::isupper`] on Python 3.11's Unicode tables, so the count is
//! NLTK's and Python's, not an approximation by whitespace words or Rust's `char` cases.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    Relation, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The number of all-caps words compared with a threshold: `count < N` ("less than") or
/// `count >= N` ("at least"). Words are NLTK's `word_tokenize` tokens, and a token is all-caps
/// when it has at least one cased letter and no lowercase one (Python's `str.isupper()`): `I`,
/// `A`, `OK.`, `U.S.A.`, `BIG-TIME` and `3D` count one each, `I'M` counts two (`I` and `'M`),
/// `ß`, `123` and `McDONALD` count none.
///
/// # Parameters
/// `capital_frequency` (N) and `capital_relation`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"capital_relation": "at least", "capital_frequency": 2});
/// let c = Constraint::from_ifeval("change_case:capital_word_frequency", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("The NASA and ESA missions.")).passed());
/// assert!(!c.verify(&Analysis::new("The Nasa missions.")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical verdicts. Tokenization quirks carry over: contractions are split (`DON'T` is `DO`
/// and `N'T`, two all-caps tokens), hyphenated words stay whole (`BIG-time` is not all-caps),
/// and a period Punkt does not take as a sentence end stays on its token.
///
/// # Derivation
/// From a response with at least 5 words and C all-caps tokens: "at least C − (0–2)" (never
/// below 1) or "less than C + 1 + (0–2)"; past 10 the threshold is rounded to fives (down for
/// "at least", up for "less than"). Without any all-caps token only the upper bound is possible
/// ("less than 1–3"); with 20 or more only the lower bound; in between the rng picks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapitalWordFrequency {
    /// The threshold N.
    pub capital_frequency: i64,
    /// How the count compares with N.
    pub capital_relation: Relation,
}

impl Check for CapitalWordFrequency {
    const INFO: CheckInfo = CheckInfo {
        id: "change_case:capital_word_frequency",
        title: "Number of all-caps words",
        description: "The number of words written entirely in capital letters is less than, or at \
                      least, N. Words are NLTK's `word_tokenize` tokens, as in IFEval, and a word \
                      is all-caps when it has a capital letter and no lowercase one: `I`, `OK.`, \
                      `U.S.A.` and `BIG-TIME` count once each, `I'M` and `DON'T` twice.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "capital_relation",
                doc: "less than, or at least",
                kind: ParamKind::Relation,
            },
            Param {
                name: "capital_frequency",
                doc: "the threshold N",
                kind: ParamKind::Count { min: 0, max: 500, default: 5 },
            },
        ],
        example: Example {
            kwargs: r#"{"capital_relation": "less than", "capital_frequency": 3}"#,
            pass: "Only NASA is shouted here.",
            fail: "NASA, ESA AND JAXA all launched.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<CapitalWordFrequency, SpecError> {
        // Google's code accepts any integer here (negative ones are not replaced by random ones).
        Ok(CapitalWordFrequency {
            capital_frequency: kw.int("capital_frequency", i64::MIN)?,
            capital_relation: kw.relation("capital_relation")?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("capital_frequency", self.capital_frequency.into()),
            ("capital_relation", self.capital_relation.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let capitals: Vec<Span> =
            text.tokens().iter().filter(|t| pystr::isupper(&t.text)).map(|t| t.span).collect();
        let counted = plural(capitals.len(), "all-caps word", "all-caps words");
        self.capital_relation
            .verdict(capitals.len(), self.capital_frequency, &counted)
            .with_evidence(capitals)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<CapitalWordFrequency> {
        // Too little text for a statement about its capitals to mean anything.
        if text.words().len() < 5 {
            return Vec::new();
        }
        let capitals = text.tokens().iter().filter(|t| pystr::isupper(&t.text)).count();
        let count = i64::try_from(capitals).unwrap_or(i64::MAX);
        let at_least = match count {
            0 => false,
            20.. => true,
            _ => cx.rng.chance(0.5),
        };
        let constraint = if at_least {
            let mut n = count - cx.rng.range(0, 2);
            if count > 10 {
                n = n / 5 * 5;
            }
            CapitalWordFrequency {
                capital_frequency: n.max(1),
                capital_relation: Relation::AtLeast,
            }
        } else {
            let mut n = count.saturating_add(1 + cx.rng.range(0, 2));
            if count >= 10 {
                n = n.saturating_add(4) / 5 * 5;
            }
            CapitalWordFrequency { capital_frequency: n, capital_relation: Relation::LessThan }
        };
        vec![constraint]
    }
}

#[cfg(test)]
mod tests {
    use super::CapitalWordFrequency;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext, Relation};

    const ID: &str = "change_case:capital_word_frequency";

    fn kw(relation: &str, n: i64) -> String {
        serde_json::json!({"capital_relation": relation, "capital_frequency": n}).to_string()
    }

    #[test]
    fn counts_all_caps_tokens_with_evidence() {
        let text = "I'M OK. U.S.A. is BIG-TIME, A-OK!";
        let v = verify(ID, &kw("at least", 6), text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(v.detail, "6 all-caps words; needs at least 6");
        assert_eq!(evidence(&v, text), ["I", "'M", "OK.", "U.S.A.", "BIG-TIME", "A-OK"]);
        assert_fail(ID, &kw("at least", 7), text);
        assert_pass(ID, &kw("less than", 7), text);
        assert_fail(ID, &kw("less than", 6), text);
    }

    #[test]
    fn contractions_split_into_two_tokens() {
        let text = "DON'T";
        let v = verify(ID, &kw("at least", 2), text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(evidence(&v, text), ["DO", "N'T"]);
    }

    #[test]
    fn hyphenated_words_stay_whole() {
        assert_fail(ID, &kw("at least", 1), "a BIG-time deal");
        assert_pass(ID, &kw("at least", 1), "a BIG-TIME deal");
    }

    #[test]
    fn python_isupper_ignores_uncased_and_needs_a_cased_char() {
        assert_pass(ID, &kw("at least", 2), "3D and R2-D2 here");
        assert_fail(ID, &kw("at least", 1), "123 !!! ß 日本");
        assert_fail(ID, &kw("at least", 1), "McDONALD ǅ");
        assert_pass(ID, &kw("at least", 2), "ΑΘΗΝΑ İSTANBUL");
    }

    #[test]
    fn negative_threshold_is_accepted_like_google() {
        assert_pass(ID, &kw("at least", -1), "");
        assert_fail(ID, &kw("less than", -1), "");
        assert_pass(ID, &kw("less than", 1), "");
    }

    fn derive(text: &str, seed: u64) -> Vec<CapitalWordFrequency> {
        CapitalWordFrequency::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_loosens_the_capital_count_and_holds() {
        // I, NASA, ESA, OK.
        let text = "I think NASA and ESA are OK here.";
        let mut relations = Vec::new();
        for seed in 0..64 {
            let derived = derive(text, seed);
            let [c] = derived.as_slice() else { panic!("one constraint, got {derived:?}") };
            match c.capital_relation {
                Relation::AtLeast => assert!((2..=4).contains(&c.capital_frequency), "{c:?}"),
                Relation::LessThan => assert!((5..=7).contains(&c.capital_frequency), "{c:?}"),
            }
            assert!(c.verify(&analysis(text)).passed(), "{c:?}");
            relations.push(c.capital_relation);
        }
        assert!(relations.contains(&Relation::AtLeast) && relations.contains(&Relation::LessThan));
        assert_eq!(derive(text, 11), derive(text, 11));
    }

    #[test]
    fn derive_without_capitals_gives_an_upper_bound() {
        for seed in 0..16 {
            let c = &derive("all of this is written in lowercase", seed)[0];
            assert_eq!(c.capital_relation, Relation::LessThan);
            assert!((1..=3).contains(&c.capital_frequency), "{c:?}");
        }
    }

    #[test]
    fn derive_many_capitals_gives_a_rounded_lower_bound() {
        let text = "ALL CAPS WORDS HERE ".repeat(6);
        for seed in 0..16 {
            let c = &derive(&text, seed)[0];
            assert_eq!(c.capital_relation, Relation::AtLeast);
            assert!([20].contains(&c.capital_frequency), "{c:?}");
            assert!(c.verify(&analysis(&text)).passed());
        }
    }

    #[test]
    fn derive_nothing_for_short_texts() {
        assert!(derive("OK FINE", 1).is_empty());
        assert!(derive("", 1).is_empty());
    }
}
