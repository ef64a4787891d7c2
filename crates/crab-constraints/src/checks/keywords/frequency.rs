//! `keywords:frequency` — a keyword appears fewer than / at least N times.
//!
//! Also the CRAB-style loosening of a count into an "at least" or "less than" threshold, which
//! the derivations of the other count checks (letters, highlights, placeholders) share.

use serde_json::{Map, Value};

use crate::checks::keywords::existence::topical_words;
use crate::checks::pattern::PyPattern;
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    Relation, SpecError, Verdict,
};
use crate::rng::Rng;
use crate::text::{pystr, Analysis};

/// Words that English prose of any topic uses, often several times in one text: the keywords of
/// derived "less than" constraints. Lowercase, plain letters.
#[rustfmt::skip]
pub(crate) static PROSE_WORDS: &[&str] = &[
    "also", "experience", "help", "just", "life", "like", "love", "time", "very", "work", "world",
];

/// The "at least" threshold of a loosened count, CRAB-style: for a count of ten or more, the
/// count rounded down to tens, less 0 to 20 more (never below ten); for a smaller count, a value
/// between half the count (rounded up) and the count. `None` for a zero count, which gives no
/// meaningful minimum. Always at most `count`, so the count satisfies it.
pub(crate) fn at_least_threshold(count: usize, rng: &mut Rng) -> Option<i64> {
    let count = i64::try_from(count).ok().filter(|&c| c > 0)?;
    if count >= 10 {
        let tens = count / 10 * 10;
        Some((tens - 10 * rng.range(0, 2)).max(10))
    } else {
        Some(rng.range((count + 1) / 2, count))
    }
}

/// The "less than" threshold of a loosened count, CRAB-style: for a count of ten or more, the
/// next multiple of ten above it, plus 0 to 20; for a smaller count, one or two more than
/// the count. Always greater than `count`, so the count satisfies it.
pub(crate) fn less_than_threshold(count: usize, rng: &mut Rng) -> i64 {
    let count = i64::try_from(count).unwrap_or(i64::MAX / 2).min(i64::MAX / 2);
    if count >= 10 {
        count / 10 * 10 + 10 + 10 * rng.range(0, 2)
    } else {
        count + 1 + rng.range(0, 1)
    }
}

/// # What it checks
/// The number of occurrences of the keyword, `len(re.findall(keyword, response, re.IGNORECASE))`,
/// compared with N: `count < N` ("less than") or `count >= N` ("at least"). Occurrences are
/// non-overlapping, case-insensitive **substrings** (no word boundary): `war` is counted in
/// `software`. The keyword is a Python regular expression, as in IFEval (see
/// [`crate::checks::pattern`]).
///
/// # Parameters
/// `keyword` (stripped of surrounding whitespace, as IFEval stores it), `frequency` (N ≥ 0) and
/// `relation`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"keyword": "story", "frequency": 2, "relation": "at least"});
/// let c = Constraint::from_ifeval("keywords:frequency", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("A Story of storytellers.")).passed());
/// assert!(!c.verify(&Analysis::new("One story.")).passed());
/// ```
///
/// # IFEval equivalence
/// Exact for keywords made of plain characters (all of IFEval's). A keyword that is empty after
/// stripping is refused: Google's code picks a random keyword for an empty one, so the stored
/// kwargs of such a constraint would not read back to the same constraint; for a whitespace-only
/// one it counts the empty matches of `""` (one more than the response's length).
///
/// # Derivation
/// One constraint, its relation drawn from the rng:
/// - "at least": a keyword among the response's five most topical words (as for
///   `keywords:existence`; words occurring twice or more preferred), with a threshold at or
///   below IFEval's count of it: rounded down to tens and lowered by 0 to 20 (not below ten)
///   for ten or more, else between half the
///   count and the count;
/// - "less than": a word of everyday prose that the response uses as a word once or twice
///   (`also`, `experience`, `help`, `just`, `life`, `like`, `love`, `time`, `very`, `work`,
///   `world`), with a threshold one or two above
///   IFEval's count. A topical word, or a higher count, would make "less than" hold on nearly
///   every other response; a word that any text may repeat is a real limit.
///   When the response has no such word, "at least" is derived instead.
///
/// Counts are IFEval's (substring matches), so the keyword in `software` counts for `war`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frequency {
    /// The keyword pattern (stripped).
    pub keyword: PyPattern,
    /// The threshold N.
    pub frequency: i64,
    /// How the count compares with N.
    pub relation: Relation,
}

impl Check for Frequency {
    const INFO: CheckInfo = CheckInfo {
        id: "keywords:frequency",
        title: "Keyword frequency",
        description: "The keyword occurs less than, or at least, N times, ignoring case. \
                      Occurrences may be inside longer words (`war` counts in `software`). The \
                      keyword is a Python regular expression, as in IFEval.",
        divergence: Some(
            "A keyword that is empty after stripping is refused; Google's code would pick a \
             random keyword (or, for a whitespace-only one, count empty matches).",
        ),
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "keyword",
                doc: "the keyword to count",
                kind: ParamKind::Text { default: "keyword" },
            },
            Param { name: "relation", doc: "less than, or at least", kind: ParamKind::Relation },
            Param {
                name: "frequency",
                doc: "the threshold N",
                kind: ParamKind::Count { min: 0, max: 100, default: 2 },
            },
        ],
        example: Example {
            kwargs: r#"{"keyword": "peace", "frequency": 2, "relation": "at least"}"#,
            pass: "Peace at home, peace in the world.",
            fail: "War and peace.",
        },
    };

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<Frequency> {
        let folded = text.folded();
        let count = |word: &str| PyPattern::new(word).find_all(&folded).map_or(0, |m| m.len());
        let mut derived = None;
        if cx.rng.chance(0.5) {
            // Everyday words used as whole words (a content word would not do, see the docs).
            let used: Vec<(&str, usize)> = PROSE_WORDS
                .iter()
                .filter(|w| {
                    text.words().iter().any(|s| s.slice(text.text()).eq_ignore_ascii_case(w))
                })
                .map(|w| (*w, count(w)))
                .filter(|&(_, n)| (1..=2).contains(&n))
                .collect();
            if let Some(&(word, n)) = cx.rng.pick(&used) {
                derived = Some(Frequency {
                    keyword: PyPattern::new(word),
                    frequency: less_than_threshold(n, &mut cx.rng),
                    relation: Relation::LessThan,
                });
            }
        }
        if derived.is_none() {
            let mut topical = topical_words(text, cx.instruction, 5);
            if topical.iter().any(|w| w.count >= 2) {
                topical.retain(|w| w.count >= 2);
            }
            if let Some(word) = cx.rng.pick(&topical) {
                derived =
                    at_least_threshold(count(&word.word), &mut cx.rng).map(|frequency| Frequency {
                        keyword: PyPattern::new(&word.word),
                        frequency,
                        relation: Relation::AtLeast,
                    });
            }
        }
        derived.into_iter().filter(|f| f.verify(text).passed()).collect()
    }

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Frequency, SpecError> {
        let keyword = pystr::strip(kw.string("keyword")?);
        if keyword.is_empty() {
            return Err(kw.invalid("keyword", "must not be empty"));
        }
        Ok(Frequency {
            keyword: PyPattern::new(keyword),
            frequency: kw.int("frequency", 0)?,
            relation: kw.relation("relation")?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("keyword", self.keyword.source().into()),
            ("frequency", self.frequency.into()),
            ("relation", self.relation.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let matches = match self.keyword.find_all(&text.folded()) {
            Ok(m) => m,
            Err(e) => return Verdict::invalid(e),
        };
        let counted =
            format!("`{}` appears {}", self.keyword, plural(matches.len(), "time", "times"));
        self.relation.verdict(matches.len(), self.frequency, &counted).with_evidence(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::{at_least_threshold, less_than_threshold, Frequency};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::{Check, Constraint, DeriveContext, Relation};
    use crate::rng::Rng;

    const ID: &str = "keywords:frequency";

    fn kw(keyword: &str, n: i64, relation: &str) -> String {
        serde_json::json!({"keyword": keyword, "frequency": n, "relation": relation}).to_string()
    }

    #[test]
    fn counts_with_relation() {
        assert_pass(ID, &kw("war", 2, "at least"), "War, war.");
        assert_fail(ID, &kw("war", 3, "at least"), "War, war.");
        assert_pass(ID, &kw("war", 3, "less than"), "War, war.");
        assert_fail(ID, &kw("war", 2, "less than"), "War, war.");
        let text = "War, war.";
        let v = verify(ID, &kw("war", 3, "at least"), text);
        assert_eq!(v.detail, "`war` appears 2 times; needs at least 3");
        assert_eq!(evidence(&v, text), ["War", "war"]);
    }

    #[test]
    fn substrings_count_war_in_software() {
        assert_pass(ID, &kw("war", 2, "at least"), "software warfare");
    }

    #[test]
    fn occurrences_do_not_overlap() {
        assert_pass(ID, &kw("aa", 3, "less than"), "aaaaa");
        assert_fail(ID, &kw("aa", 3, "at least"), "aaaaa");
    }

    #[test]
    fn keyword_is_stripped_and_must_not_be_empty() {
        let c = constraint(ID, &kw("  peace \n", 1, "at least"));
        assert_eq!(c.kwargs()["keyword"], "peace");
        for bad in ["", "   "] {
            let kwargs: serde_json::Value = serde_json::from_str(&kw(bad, 1, "at least")).unwrap();
            assert!(Constraint::from_ifeval(ID, &kwargs).is_err());
        }
        let kwargs: serde_json::Value = serde_json::from_str(&kw("a", -1, "at least")).unwrap();
        assert!(Constraint::from_ifeval(ID, &kwargs).is_err());
    }

    #[test]
    fn zero_threshold() {
        assert_pass(ID, &kw("x", 0, "at least"), "");
        assert_fail(ID, &kw("x", 0, "less than"), "");
    }

    #[test]
    fn thresholds_are_loosened_around_the_count() {
        let mut rng = Rng::new(1);
        assert_eq!(at_least_threshold(0, &mut rng), None);
        for _ in 0..50 {
            assert_eq!(at_least_threshold(1, &mut rng), Some(1));
            assert!(matches!(at_least_threshold(7, &mut rng), Some(4..=7)));
            assert_eq!(at_least_threshold(12, &mut rng), Some(10));
            assert!(matches!(at_least_threshold(37, &mut rng), Some(10 | 20 | 30)));
            assert!((1..=2).contains(&less_than_threshold(0, &mut rng)));
            assert!((8..=9).contains(&less_than_threshold(7, &mut rng)));
            assert!([20, 30, 40].contains(&less_than_threshold(12, &mut rng)));
        }
    }

    fn derive(text: &str, seed: u64) -> Vec<Frequency> {
        Frequency::derive(&analysis(text), &mut DeriveContext::new("Tell me about crabs", seed))
    }

    #[test]
    fn derived_constraints_hold_with_both_relations() {
        let text = "Crabs are great. People love crabs, and crabs love people. A crab's life is \
                    great: crabs molt many times.";
        let mut relations = Vec::new();
        for seed in 0..40 {
            let derived = derive(text, seed);
            assert_eq!(derived, derive(text, seed), "deterministic per seed");
            let [f] = derived.as_slice() else { panic!("one constraint") };
            assert!(f.verify(&analysis(text)).passed(), "{f:?}");
            match f.relation {
                // Topical words used twice or more.
                Relation::AtLeast => {
                    assert!(["crabs", "great", "people", "love"].contains(&f.keyword.source()));
                    assert!(f.frequency >= 1, "{f:?}");
                }
                Relation::LessThan => {
                    assert!(["love", "life"].contains(&f.keyword.source()), "{f:?}");
                }
            }
            relations.push(f.relation);
        }
        assert!(relations.contains(&Relation::AtLeast) && relations.contains(&Relation::LessThan));
    }

    #[test]
    fn nothing_derived_from_a_text_without_words() {
        assert!(derive("", 1).is_empty());
        assert!(derive("1, 2, 3!", 2).is_empty());
        // No everyday word: "at least" on a topical one.
        let derived = derive("Crabs molt.", 3);
        assert!(derived.iter().all(|f| f.relation == Relation::AtLeast && f.frequency == 1));
    }
}
