//! Grading quiz guesses: does a guessed constraint hold on a response, and how tight is it?
//!
//! In the playground's quiz a learner reads a response and guesses constraints it satisfies. A
//! guess that holds is good; a guess whose bound the response *barely* meets is better than a
//! vacuous one ("at least 1 word" on a 300-word answer says almost nothing; "at least 300" says
//! exactly what the answer does). This module scores that.
//!
//! # How tightness is measured
//! Generically, by probing the check itself rather than by knowing what each check means, so it
//! is exact for every check with a whole-number ([`ParamKind::Count`]) parameter — IFEval's
//! relations, `crab:word_count` (at least / at most / between / around), characters per word,
//! sentences per paragraph, exact counts — and stays right when checks are added:
//!
//! 1. For each count parameter with value `v`, the parameter is moved up and down (the other
//!    parameters fixed) and the constraint rebuilt and verified strictly on the same analysed
//!    text, by exponential then binary search, to find the run of values `lo..=hi` around `v`
//!    for which the constraint still holds (a value the check refuses, e.g. `min_words` above
//!    `max_words`, counts as not holding). The search covers the whole `i64` range in at most
//!    about 130 probes per side and is exact whenever the values that hold form an interval,
//!    which they do for every relation-style check.
//! 2. Where the run reaches the edge of the parameter's range (`hi = i64::MAX`, or `lo` at or
//!    below the smallest value the catalog offers) the bound is open on that side:
//!    - open above (and not below): the parameter is an *upper* bound ("less than N", "at most
//!      N", "at most N characters per word"); raising it loosens it and the tightest value is
//!      `t = lo`; the score is `(t + 1) / (v + 1)`;
//!    - open below (and not above): a *lower* bound ("at least N"); lowering it loosens it, the
//!      tightest value is `t = hi`, and the score is `(v + 1) / (t + 1)`;
//!    - open on both sides: an upper bound already at the smallest value offered (e.g. at most
//!      1 character per word on a text of one-letter words), scored as an upper bound;
//!    - bounded on both sides: the check pins the parameter itself (an exact count, or "around
//!      N" with its ±10% tolerance): every value that holds is as tight as the check allows,
//!      score 1.
//!
//!    Values are clamped at 0 first; the `+ 1` keeps the ratio defined for counts of zero. So a
//!    bound the response barely meets scores 1, and the score falls like `1 / slack` as the
//!    bound loosens: "at least 150" on 300 words scores about 0.5, "at least 1" about 0.007.
//! 3. A constraint with several count parameters scores the product of theirs: for "between
//!    MIN and MAX words" that is about `MIN / MAX` whatever the count, the relative width of the
//!    window.
//!
//! Tightness is `None` for constraints without a count parameter (no notion of a bound) and for
//! guesses that do not hold.
//!
//! # Points
//! [`grade`] turns a guess into points: 0 when it does not hold (or cannot be decided yet), its
//! tightness when it has a bound, 1 when it holds and has no bound. [`total`] adds them up.
//!
//! Like the rest of the crate this never panics and does no IO.

use serde_json::Value;

use crate::checks::{Constraint, ParamKind, Verdict};
use crate::ifeval;
use crate::text::Analysis;

/// Which way a count parameter loosens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loosens {
    /// Lowering it loosens the constraint ("at least N"): the tightest value is the largest
    /// that holds.
    Down,
    /// Raising it loosens the constraint ("less than N", "at most N"): the tightest value is the
    /// smallest that holds.
    Up,
    /// The check bounds it on both sides (an exact count, "around N"): every value that holds is
    /// as tight as the check allows.
    Pinned,
}

/// How tight one count parameter of a holding constraint is.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamTightness {
    /// The parameter's kwargs name.
    pub name: &'static str,
    /// Its value in the guess.
    pub value: i64,
    /// Which way it loosens.
    pub loosens: Loosens,
    /// The smallest value around [`ParamTightness::value`] for which the constraint still holds.
    pub holds_from: i64,
    /// The largest such value (`i64::MAX` when unbounded).
    pub holds_to: i64,
    /// The tightest value that still holds (the value itself when pinned).
    pub tightest: i64,
    /// The parameter's score in `[0, 1]`.
    pub score: f64,
}

/// How tight a holding constraint's bounds are.
#[derive(Clone, Debug, PartialEq)]
pub struct Tightness {
    /// The product of the parameters' scores, in `[0, 1]`.
    pub score: f64,
    /// One entry per count parameter, in the check's parameter order.
    pub params: Vec<ParamTightness>,
}

/// The tightness score of `c` on `text` in `[0, 1]`: `None` when `c` has no count parameter or
/// does not hold. See the [module docs](self) for the formula.
///
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::quiz::tightness;
/// use crab_constraints::text::Analysis;
///
/// let text = Analysis::new("one two three four");
/// let at_least = |n: i64| {
///     let kwargs = serde_json::json!({"relation": "at least", "num_words": n});
///     Constraint::from_ifeval("length_constraints:number_words", &kwargs).unwrap()
/// };
/// assert_eq!(tightness(&at_least(4), &text), Some(1.0));
/// assert_eq!(tightness(&at_least(1), &text), Some(0.4));
/// assert_eq!(tightness(&at_least(5), &text), None); // does not hold
/// ```
pub fn tightness(c: &Constraint, text: &Analysis<'_>) -> Option<f64> {
    tightness_detail(c, text).map(|t| t.score)
}

/// [`tightness`] with the detail of each count parameter (the values that hold, the tightest).
pub fn tightness_detail(c: &Constraint, text: &Analysis<'_>) -> Option<Tightness> {
    if !ifeval::verify_strict(c, text).passed() {
        return None;
    }
    let kwargs = c.kwargs();
    let mut params = Vec::new();
    for param in c.info().params {
        let ParamKind::Count { min, .. } = param.kind else { continue };
        let Some(value) = kwargs.get(param.name).and_then(Value::as_i64) else { continue };
        let holds = |n: i64| {
            let mut probe = kwargs.clone();
            probe.insert(param.name.to_owned(), Value::from(n));
            Constraint::from_ifeval(c.id(), &Value::Object(probe))
                .is_ok_and(|p| ifeval::verify_strict(&p, text).passed())
        };
        let holds_from = edge(&holds, value, false);
        let holds_to = edge(&holds, value, true);
        let open_below = holds_from <= min;
        let open_above = holds_to == i64::MAX;
        let (loosens, tightest) = match (open_below, open_above) {
            (true, false) => (Loosens::Down, holds_to),
            (_, true) => (Loosens::Up, holds_from),
            (false, false) => (Loosens::Pinned, value),
        };
        let score = match loosens {
            Loosens::Down => ratio(value, tightest),
            Loosens::Up => ratio(tightest, value),
            Loosens::Pinned => 1.0,
        };
        params.push(ParamTightness {
            name: param.name,
            value,
            loosens,
            holds_from,
            holds_to,
            tightest,
            score,
        });
    }
    if params.is_empty() {
        return None;
    }
    let score = params.iter().map(|p| p.score).product();
    Some(Tightness { score, params })
}

/// `(small + 1) / (large + 1)` with both clamped at 0, capped at 1.
fn ratio(small: i64, large: i64) -> f64 {
    let small = small.max(0) as f64 + 1.0;
    let large = large.max(0) as f64 + 1.0;
    (small / large).min(1.0)
}

/// The last value for which `holds` is true going from `from` (which holds) upwards (`up`) or
/// downwards, before the first value that does not: exponential search, then binary search.
/// Exact when the values that hold form an interval.
fn edge(holds: &dyn Fn(i64) -> bool, from: i64, up: bool) -> i64 {
    let extreme = if up { i64::MAX } else { i64::MIN };
    let mut good = from;
    let mut step: i64 = 1;
    let bad = loop {
        if good == extreme {
            return good;
        }
        let next = if up { good.checked_add(step) } else { good.checked_sub(step) };
        let next = next.unwrap_or(extreme);
        if holds(next) {
            if next == extreme {
                return next;
            }
            good = next;
            step = step.saturating_mul(2);
        } else {
            break next;
        }
    };
    // Invariant: `good` holds, `bad` does not, and they differ.
    let (mut good, mut bad) = (i128::from(good), i128::from(bad));
    while (bad - good).abs() > 1 {
        let mid = good + (bad - good) / 2;
        // `mid` lies strictly between two i64 values, so it fits.
        let m = i64::try_from(mid).unwrap_or(extreme);
        if holds(m) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    i64::try_from(good).unwrap_or(from)
}

/// A graded guess.
#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    /// The strict verdict (detail and evidence), as [`ifeval::verify_strict`] gives it.
    pub verdict: Verdict,
    /// How tight the guess is, when it holds and has a count parameter.
    pub tightness: Option<Tightness>,
    /// The guess's points in `[0, 1]`: 0 unless it holds; then its tightness score, or 1 when it
    /// has no bound.
    pub points: f64,
}

/// Grades the guess `c` on `text`: verdict, tightness and points.
pub fn grade(c: &Constraint, text: &Analysis<'_>) -> Grade {
    let verdict = ifeval::verify_strict(c, text);
    if !verdict.passed() {
        return Grade { verdict, tightness: None, points: 0.0 };
    }
    let tightness = tightness_detail(c, text);
    let points = tightness.as_ref().map_or(1.0, |t| t.score);
    Grade { verdict, tightness, points }
}

/// The total points of some grades (0 for none).
pub fn total<'a>(grades: impl IntoIterator<Item = &'a Grade>) -> f64 {
    // Not `sum()`: the sum of no `f64`s is -0.0, which prints as "-0.00".
    grades.into_iter().fold(0.0, |total, g| total + g.points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, constraint};
    use crate::checks::CHECKS;

    fn words(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    fn number_words(relation: &str, n: i64) -> Constraint {
        constraint(
            "length_constraints:number_words",
            &format!(r#"{{"relation": "{relation}", "num_words": {n}}}"#),
        )
    }

    #[test]
    fn a_barely_met_bound_scores_one() {
        let text = words(300);
        let a = analysis(&text);
        assert_eq!(tightness(&number_words("at least", 300), &a), Some(1.0));
        assert_eq!(tightness(&number_words("less than", 301), &a), Some(1.0));
        let d = tightness_detail(&number_words("at least", 120), &a).unwrap();
        assert_eq!(d.params.len(), 1);
        assert_eq!(d.params[0].loosens, Loosens::Down);
        assert_eq!(d.params[0].tightest, 300);
        assert_eq!((d.params[0].holds_from, d.params[0].holds_to), (0, 300));
        let d = tightness_detail(&number_words("less than", 999), &a).unwrap();
        assert_eq!(d.params[0].loosens, Loosens::Up);
        assert_eq!((d.params[0].tightest, d.params[0].holds_to), (301, i64::MAX));
    }

    #[test]
    fn a_vacuous_bound_scores_about_zero() {
        let text = words(300);
        let a = analysis(&text);
        let s = tightness(&number_words("at least", 1), &a).unwrap();
        assert!(s < 0.01, "{s}");
        let s = tightness(&number_words("at least", 0), &a).unwrap();
        assert!(s < 0.01, "{s}");
        let s = tightness(&number_words("less than", 1_000_000), &a).unwrap();
        assert!(s < 0.001, "{s}");
        let half = tightness(&number_words("at least", 150), &a).unwrap();
        assert!((half - 151.0 / 301.0).abs() < 1e-12, "{half}");
    }

    #[test]
    fn tightness_is_monotone_in_the_bound() {
        let text = words(40);
        let a = analysis(&text);
        let mut last = 0.0;
        for n in 0..=40 {
            let s = tightness(&number_words("at least", n), &a).unwrap();
            assert!(s > last, "at least {n}: {s} after {last}");
            last = s;
        }
        assert_eq!(last, 1.0);
        for n in 42..=200 {
            let s = tightness(&number_words("less than", n), &a).unwrap();
            assert!(s < last, "less than {n}: {s} after {last}");
            last = s;
        }
    }

    #[test]
    fn failing_guesses_and_unbounded_checks_have_no_tightness() {
        let a = analysis("Short, with a comma.");
        assert_eq!(tightness(&number_words("at least", 50), &a), None);
        let no_comma = constraint("punctuation:no_comma", "{}");
        assert_eq!(tightness(&no_comma, &analysis("No commas here.")), None);
        let g = grade(&no_comma, &analysis("No commas here."));
        assert_eq!(g.points, 1.0);
        let g = grade(&no_comma, &a);
        assert_eq!((g.points, g.tightness), (0.0, None));
        // IFEval's rule: an empty response holds nothing.
        assert_eq!(tightness(&number_words("less than", 5), &analysis("  ")), None);
    }

    #[test]
    fn crab_word_count_forms() {
        // NLTK tokens: 10 words and a full stop = 11.
        let text = "one two three four five six seven eight nine ten.";
        let a = analysis(text);
        let wc = |kw: &str| constraint("crab:word_count", kw);
        assert_eq!(tightness(&wc(r#"{"relation": "at least", "num_words": 11}"#), &a), Some(1.0));
        assert_eq!(tightness(&wc(r#"{"relation": "at most", "num_words": 11}"#), &a), Some(1.0));
        let loose = tightness(&wc(r#"{"relation": "at most", "num_words": 23}"#), &a).unwrap();
        assert!((loose - 0.5).abs() < 1e-12, "{loose}");
        // Between: the product is the window's relative width.
        let tight = r#"{"relation": "between", "min_words": 11, "max_words": 11}"#;
        assert_eq!(tightness(&wc(tight), &a), Some(1.0));
        let wide = r#"{"relation": "between", "min_words": 5, "max_words": 23}"#;
        let d = tightness_detail(&wc(wide), &a).unwrap();
        assert_eq!(d.params.len(), 2);
        assert_eq!((d.params[0].name, d.params[0].tightest), ("min_words", 11));
        assert_eq!((d.params[1].name, d.params[1].tightest), ("max_words", 11));
        assert!((d.score - 0.5 * 0.5).abs() < 1e-12, "{}", d.score);
        // Around pins its own ±10% window.
        let around = tightness_detail(&wc(r#"{"relation": "around", "num_words": 12}"#), &a);
        let around = around.unwrap();
        assert_eq!(around.params[0].loosens, Loosens::Pinned);
        assert_eq!((around.params[0].holds_from, around.params[0].holds_to), (10, 12));
        assert_eq!(around.score, 1.0);
    }

    #[test]
    fn exact_counts_and_per_word_maxima() {
        let bullets = "* one\n* two\n* three";
        let c = constraint("detectable_format:number_bullet_lists", r#"{"num_bullets": 3}"#);
        let d = tightness_detail(&c, &analysis(bullets)).unwrap();
        assert_eq!((d.params[0].loosens, d.score), (Loosens::Pinned, 1.0));

        let text = "tiny words only here";
        let chars = |n: i64| constraint("crab:chars_per_word", &format!(r#"{{"max_chars": {n}}}"#));
        assert_eq!(tightness(&chars(5), &analysis(text)), Some(1.0));
        assert_eq!(tightness(&chars(11), &analysis(text)), Some(0.5));
        // Already at the smallest value offered: still the tightest.
        assert_eq!(tightness(&chars(1), &analysis("a b c")), Some(1.0));
    }

    #[test]
    fn extreme_values_never_panic() {
        let text = words(30);
        let a = analysis(&text);
        for n in [0, 1, 29, 30, 31, i64::MAX - 1, i64::MAX] {
            for rel in ["at least", "less than"] {
                if let Some(s) = tightness(&number_words(rel, n), &a) {
                    assert!((0.0..=1.0).contains(&s), "{rel} {n}: {s}");
                }
            }
        }
        // capital_word_frequency accepts any i64, negative ones included.
        for n in [i64::MIN, i64::MIN + 1, -5, 0, 3, i64::MAX] {
            for rel in ["at least", "less than"] {
                let c = constraint(
                    "change_case:capital_word_frequency",
                    &format!(r#"{{"capital_relation": "{rel}", "capital_frequency": {n}}}"#),
                );
                let g = grade(&c, &analysis("NASA and ESA and JAXA fly."));
                assert!((0.0..=1.0).contains(&g.points), "{rel} {n}: {}", g.points);
            }
        }
        let c = constraint(
            "crab:word_count",
            &format!(r#"{{"relation": "between", "min_words": 0, "max_words": {}}}"#, i64::MAX),
        );
        let s = tightness(&c, &a).unwrap();
        assert!(s < 1e-9, "{s}");
    }

    #[test]
    fn every_check_example_grades_within_range() {
        for info in CHECKS {
            let c = constraint(info.id, info.example.kwargs);
            for text in [info.example.pass, info.example.fail, "", "x"] {
                let g = grade(&c, &analysis(text));
                assert!((0.0..=1.0).contains(&g.points), "{}: {}", info.id, g.points);
                if let Some(t) = &g.tightness {
                    assert!(g.verdict.passed());
                    for p in &t.params {
                        assert!(p.holds_from <= p.value && p.value <= p.holds_to, "{p:?}");
                    }
                }
            }
        }
        assert_eq!(total(&[grade(&number_words("at least", 2), &analysis("a b"))]), 1.0);
        let none = total(&[]);
        assert!(none == 0.0 && none.is_sign_positive(), "{none}");
    }
}
