//! `crab:word_count` — CRAB's length constraint (`Digit`): at least / at most / between / around
//! N words.

use serde_json::{Map, Value};

use super::{is_blank, Counting, COUNTING_PARAM};
use crate::checks::{
    plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// The number of words compared with a bound, in one of CRAB's four forms:
/// - `at least N`: count ≥ N;
/// - `at most N`: count ≤ N;
/// - `between MIN and MAX`: MIN ≤ count ≤ MAX (both inclusive);
/// - `around N`: within ±10% of N, inclusive: 0.9·N ≤ count ≤ 1.1·N (computed exactly, in
///   whole numbers: `10·|count − N| ≤ N`). CRAB never defines a tolerance for "around"; ±10% is
///   this playground's definition.
///
/// Words are counted as CRAB counts them (`counting: "nltk"`, the default): the tokens of NLTK's
/// `word_tokenize`, so punctuation marks count and `don't` is 2 tokens; or as IFEval does
/// (`counting: "ifeval"`): maximal runs of word characters.
///
/// # Parameters
/// `relation` (`"at least"`, `"at most"`, `"between"` or `"around"`); `num_words` (N ≥ 0) for
/// all but `between`, which takes `min_words` and `max_words` (MIN ≤ MAX) instead; `counting`
/// (`"nltk"` or `"ifeval"`, optional, default `"nltk"`).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"relation": "around", "num_words": 10, "counting": "ifeval"});
/// let c = Constraint::from_ifeval("crab:word_count", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("one two three four five six seven eight nine")).passed());
/// assert!(!c.verify(&Analysis::new("one two three four five six seven eight")).passed());
/// ```
///
/// # Derivation
/// As CRAB's `refined_number`: T = the number of NLTK tokens, t = ⌊T/10⌋. For t = 0: MIN = 3,
/// MAX = 20, around 10; otherwise MIN = 10t − 10·min(r₁, 2) with r₁ uniform in 0..t−1,
/// MAX = 10(t+1) + 10·r₂ with r₂ uniform in 0..2, and around 10t. One of the four forms is
/// picked uniformly among those that hold on the response: CRAB's "around 10t" is not within
/// ±10% of T for small T (T = 15: 10 is not), so then "around" the nearest multiple of ten is
/// tried, and if that fails too the form is not offered. "At most" is not offered above 800
/// tokens (about 600 words), where it no longer limits a chat answer. Nothing is derived from a blank
/// response or one with fewer than 3 tokens. Counting is always `nltk`, CRAB's.
///
/// # Relation to CRAB
/// CRAB writes the bound into one of its templates and never verifies it; with its NLTK counting
/// the bound holds by construction (whitespace word counts are 5–30% lower, so the `ifeval`
/// counting of a derived bound may fail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordCount {
    /// The bound.
    pub bound: WordBound,
    /// How words are counted.
    pub counting: Counting,
}

/// The four forms of CRAB's length bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordBound {
    /// count ≥ N.
    AtLeast(i64),
    /// count ≤ N.
    AtMost(i64),
    /// MIN ≤ count ≤ MAX.
    Between(i64, i64),
    /// 0.9·N ≤ count ≤ 1.1·N.
    Around(i64),
}

impl WordBound {
    /// The `relation` kwarg.
    pub fn relation(self) -> &'static str {
        match self {
            WordBound::AtLeast(_) => "at least",
            WordBound::AtMost(_) => "at most",
            WordBound::Between(..) => "between",
            WordBound::Around(_) => "around",
        }
    }

    /// Whether `count` satisfies the bound.
    pub fn holds(self, count: usize) -> bool {
        let c = i128::try_from(count).unwrap_or(i128::MAX);
        match self {
            WordBound::AtLeast(n) => c >= i128::from(n),
            WordBound::AtMost(n) => c <= i128::from(n),
            WordBound::Between(lo, hi) => i128::from(lo) <= c && c <= i128::from(hi),
            WordBound::Around(n) => {
                let n = i128::from(n);
                (c - n).abs().saturating_mul(10) <= n
            }
        }
    }

    /// The largest count allowed, if any.
    fn max(self) -> Option<i64> {
        match self {
            WordBound::AtLeast(_) => None,
            WordBound::AtMost(n) | WordBound::Between(_, n) => Some(n),
            // ⌊1.1·N⌋
            WordBound::Around(n) => Some(n.saturating_add(n / 10)),
        }
    }

    /// "at least 300", "between 100 and 200", "around 300 (270–330)".
    fn describe(self) -> String {
        match self {
            WordBound::AtLeast(n) => format!("at least {n}"),
            WordBound::AtMost(n) => format!("at most {n}"),
            WordBound::Between(lo, hi) => format!("between {lo} and {hi}"),
            // ⌈0.9·N⌉ = N − ⌊N/10⌋ and ⌊1.1·N⌋ = N + ⌊N/10⌋ for N ≥ 0.
            WordBound::Around(n) => {
                format!("around {n} ({}–{})", n - n / 10, n.saturating_add(n / 10))
            }
        }
    }
}

/// The largest "at most" bound a derivation proposes, in tokens: a cap above 800 tokens (about
/// 600 words) does not limit a chat answer, so longer responses get the other forms.
const MAX_UPPER_BOUND: i64 = 800;

impl Check for WordCount {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:word_count",
        title: "Number of words (CRAB)",
        description: "CRAB's length constraint: the number of words is at least N, at most N, \
                      between MIN and MAX (inclusive), or around N — which here means within \
                      ±10% of N, inclusive (CRAB defines no tolerance). Words are NLTK \
                      `word_tokenize` tokens as CRAB counts them (punctuation counts; `don't` is \
                      2 tokens), or with `counting: ifeval` runs of word characters. A derived \
                      bound follows CRAB's `refined_number` (tokens rounded to tens, with random \
                      slack) and holds on its response by construction.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "relation",
                doc: "at least, at most, between (uses `min_words` and `max_words`) or around \
                      (±10%)",
                kind: ParamKind::Choice {
                    options: &["at least", "at most", "between", "around"],
                    default: "around",
                },
            },
            Param {
                name: "num_words",
                doc: "N, for at least, at most and around",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 300 },
            },
            Param {
                name: "min_words",
                doc: "the smallest count allowed, for between",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 200 },
            },
            Param {
                name: "max_words",
                doc: "the largest count allowed, for between",
                kind: ParamKind::Count { min: 0, max: 10_000, default: 400 },
            },
            COUNTING_PARAM,
        ],
        example: Example {
            kwargs: r#"{"relation": "between", "min_words": 5, "max_words": 8, "counting": "nltk"}"#,
            pass: "This answer has six tokens.",
            fail: "Too short.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<WordCount, SpecError> {
        let relation = kw.string("relation")?;
        let bound = match relation {
            "at least" => WordBound::AtLeast(kw.int("num_words", 0)?),
            "at most" => WordBound::AtMost(kw.int("num_words", 0)?),
            "around" => WordBound::Around(kw.int("num_words", 0)?),
            "between" => {
                let lo = kw.int("min_words", 0)?;
                let hi = kw.int("max_words", 0)?;
                if hi < lo {
                    return Err(kw.invalid(
                        "max_words",
                        format!("must be at least min_words ({lo}), got {hi}"),
                    ));
                }
                WordBound::Between(lo, hi)
            }
            other => {
                return Err(kw.invalid(
                    "relation",
                    format!(
                        "must be \"at least\", \"at most\", \"between\" or \"around\", got \
                         {other:?}"
                    ),
                ))
            }
        };
        Ok(WordCount { bound, counting: Counting::from_kwargs(kw)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("relation".to_owned(), self.bound.relation().into());
        match self.bound {
            WordBound::AtLeast(n) | WordBound::AtMost(n) | WordBound::Around(n) => {
                m.insert("num_words".to_owned(), n.into());
            }
            WordBound::Between(lo, hi) => {
                m.insert("min_words".to_owned(), lo.into());
                m.insert("max_words".to_owned(), hi.into());
            }
        }
        m.insert("counting".to_owned(), self.counting.as_str().into());
        m
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let count = self.counting.count(text);
        let (one, many) = self.counting.unit();
        let ok = self.bound.holds(count);
        let detail = format!("{}; needs {}", plural(count, one, many), self.bound.describe());
        let verdict = Verdict::from_bool(ok, detail);
        let spans = self.counting.spans_of(text);
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else { return verdict };
        // Too many: from the first unit over the limit to the end; otherwise what was counted.
        let over = self
            .bound
            .max()
            .and_then(|max| usize::try_from(max).ok())
            .and_then(|max| spans.get(max))
            .filter(|_| !ok);
        let evidence = match over {
            Some(from) => Span::new(from.start, last.end),
            None => Span::new(first.start, last.end),
        };
        verdict.with_evidence(vec![evidence])
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<WordCount> {
        if is_blank(text) {
            return Vec::new();
        }
        let count = text.tokens().len();
        if count < 3 {
            return Vec::new();
        }
        let t = i64::try_from(count / 10).unwrap_or(i64::MAX / 20);
        let (min, max, around) = if t == 0 {
            (3, 20, 10)
        } else {
            let slack_down = cx.rng.range(0, t - 1).min(2);
            let slack_up = cx.rng.range(0, 2);
            (10 * t - 10 * slack_down, 10 * (t + 1) + 10 * slack_up, 10 * t)
        };
        let nearest_ten = i64::try_from((count + 5) / 10 * 10).unwrap_or(i64::MAX);
        let around = [around, nearest_ten]
            .into_iter()
            .map(WordBound::Around)
            .find(|b| b.holds(count) && !matches!(b, WordBound::Around(0)));
        let forms: Vec<WordBound> = [
            Some(WordBound::Between(min, max)),
            Some(WordBound::AtLeast(min)),
            Some(WordBound::AtMost(max)).filter(|_| max <= MAX_UPPER_BOUND),
            around,
        ]
        .into_iter()
        .flatten()
        .filter(|b| b.holds(count))
        .collect();
        cx.rng
            .pick(&forms)
            .map(|&bound| vec![WordCount { bound, counting: Counting::Nltk }])
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::Check;

    const ID: &str = "crab:word_count";

    #[test]
    fn four_relations() {
        let at_least = r#"{"relation": "at least", "num_words": 3, "counting": "ifeval"}"#;
        assert_pass(ID, at_least, "one two three");
        assert_fail(ID, at_least, "one two");
        let at_most = r#"{"relation": "at most", "num_words": 3, "counting": "ifeval"}"#;
        assert_pass(ID, at_most, "one two three");
        assert_fail(ID, at_most, "one two three four");
        let between =
            r#"{"relation": "between", "min_words": 2, "max_words": 3, "counting": "ifeval"}"#;
        assert_pass(ID, between, "one two");
        assert_pass(ID, between, "one two three");
        assert_fail(ID, between, "one");
        assert_fail(ID, between, "one two three four");
    }

    #[test]
    fn around_is_ten_percent_inclusive() {
        let around = r#"{"relation": "around", "num_words": 20, "counting": "ifeval"}"#;
        let words = |n: usize| vec!["w"; n].join(" ");
        assert_fail(ID, around, &words(17));
        assert_pass(ID, around, &words(18));
        assert_pass(ID, around, &words(22));
        assert_fail(ID, around, &words(23));
        // 0.9 · 15 = 13.5: 14 is the smallest count allowed, 16 the largest.
        let around_15 = r#"{"relation": "around", "num_words": 15, "counting": "ifeval"}"#;
        assert_fail(ID, around_15, &words(13));
        assert_pass(ID, around_15, &words(14));
        assert_pass(ID, around_15, &words(16));
        assert_fail(ID, around_15, &words(17));
        assert_eq!(verify(ID, around_15, "w").detail, "1 word; needs around 15 (14–16)");
    }

    #[test]
    fn nltk_counting_is_crabs_and_the_default() {
        // "I do n't know ." — 5 tokens; 4 `\w+` words.
        let text = "I don't know.";
        assert_pass(ID, r#"{"relation": "at least", "num_words": 5}"#, text);
        assert_fail(ID, r#"{"relation": "at least", "num_words": 5, "counting": "ifeval"}"#, text);
        assert_eq!(
            verify(ID, r#"{"relation": "at most", "num_words": 4}"#, text).detail,
            "5 tokens; needs at most 4"
        );
    }

    #[test]
    fn evidence_marks_the_excess_or_the_counted_stretch() {
        let text = "one two three four";
        let v =
            verify(ID, r#"{"relation": "at most", "num_words": 2, "counting": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["three four"]);
        let v =
            verify(ID, r#"{"relation": "at least", "num_words": 9, "counting": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["one two three four"]);
        let v = verify(ID, r#"{"relation": "at least", "num_words": 1}"#, "");
        assert!(v.evidence.is_empty());
    }

    #[test]
    fn bad_parameters_are_refused() {
        use crate::checks::Constraint;
        let err = |kw: serde_json::Value| Constraint::from_ifeval(ID, &kw).unwrap_err().to_string();
        assert!(err(serde_json::json!({"relation": "between", "min_words": 5, "max_words": 4}))
            .contains("`max_words` must be at least min_words (5), got 4"));
        assert!(err(serde_json::json!({"relation": "less than", "num_words": 5}))
            .contains("parameter `relation` must be"));
        assert!(err(serde_json::json!({"relation": "around", "num_words": 5, "counting": "x"}))
            .contains("parameter `counting` must be"));
        // between takes min/max, not num_words
        assert!(err(serde_json::json!({"relation": "between", "min_words": 1, "max_words": 4, "num_words": 3}))
            .contains("unexpected parameter(s) `num_words`"));
    }

    #[test]
    fn huge_bounds_do_not_overflow() {
        let kw = format!(r#"{{"relation": "around", "num_words": {}}}"#, i64::MAX);
        assert_fail(ID, &kw, "a b c");
        let kw = format!(r#"{{"relation": "at most", "num_words": {}}}"#, i64::MAX);
        assert_pass(ID, &kw, "a b c");
    }

    fn derive(text: &str, seed: u64) -> Vec<WordCount> {
        WordCount::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derived_bounds_hold_and_are_reproducible() {
        let words = |n: usize| vec!["w"; n].join(" ");
        for n in [3, 5, 9, 10, 15, 19, 20, 55, 99, 101, 347, 795, 1000] {
            let text = words(n);
            for seed in 0..40 {
                let derived = derive(&text, seed);
                assert_eq!(derived.len(), 1, "{n} {seed}");
                assert_eq!(derived, derive(&text, seed));
                let c = &derived[0];
                assert!(c.verify(&analysis(&text)).passed(), "{n}: {c:?}");
                assert_eq!(c.counting, Counting::Nltk);
            }
        }
    }

    #[test]
    fn derivation_follows_crabs_formula() {
        // 347 tokens: t = 34; MIN in {340, 330, 320}; MAX in {350, 360, 370}; around 340.
        let text = vec!["w"; 347].join(" ");
        let mut seen = std::collections::HashSet::new();
        for seed in 0..200 {
            let b = derive(&text, seed)[0].bound;
            match b {
                WordBound::AtLeast(n) => assert!([320, 330, 340].contains(&n)),
                WordBound::AtMost(n) => assert!([350, 360, 370].contains(&n)),
                WordBound::Between(lo, hi) => {
                    assert!([320, 330, 340].contains(&lo) && [350, 360, 370].contains(&hi));
                }
                WordBound::Around(n) => assert_eq!(n, 340),
            }
            seen.insert(b.relation());
        }
        assert_eq!(seen.len(), 4, "every form is derived for some seed");
    }

    #[test]
    fn no_upper_bound_beyond_800_tokens() {
        let text = vec!["w"; 1000].join(" ");
        for seed in 0..100 {
            assert_ne!(derive(&text, seed)[0].bound.relation(), "at most");
        }
    }

    #[test]
    fn around_is_only_derived_when_it_holds() {
        // 15 tokens: CRAB's "around 10" and the nearest ten (20) are both off by more than 10%.
        let text = ["w"; 15].join(" ");
        for seed in 0..100 {
            assert_ne!(derive(&text, seed)[0].bound.relation(), "around");
        }
    }

    #[test]
    fn nothing_from_blank_or_tiny_texts() {
        assert!(derive("", 1).is_empty());
        assert!(derive(" \n ", 1).is_empty());
        assert!(derive("Hi.", 1).is_empty());
    }
}
