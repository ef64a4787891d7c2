//! `detectable_format:number_highlighted_sections` — at least N `*highlighted*` sections.

use serde_json::{Map, Value};

use crate::checks::keywords::frequency::at_least_threshold;
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The number of highlights is at least N. IFEval counts the non-blank matches of two regexes
/// and adds them:
/// - `\*[^\n\*]*\*`: text between two `*` on one line, e.g. `*italic*`;
/// - `\*\*[^\n\*]*\*\*`: text between `**` and `**` on one line, e.g. `**bold**`.
///
/// A match counts when its inside (without the stars, stripped) is not blank. So `*it*` and
/// `**bold**` score 1 each, `***x***` scores 2 (both regexes find it), and a bullet line
/// `* bullet with *emph*` counts `* bullet with *` as a highlight. Nothing spans a newline.
///
/// # Parameters
/// `num_highlights` (N ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"num_highlights": 2});
/// let id = "detectable_format:number_highlighted_sections";
/// let c = Constraint::from_ifeval(id, &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("*First* and *second*.")).passed());
/// assert!(!c.verify(&Analysis::new("Only *one* here, and ** ** is blank.")).passed());
/// ```
///
/// # Derivation
/// Derived when the response has at least one real highlight (a match whose inside starts
/// right after the stars, as `*this*` or `**this**`, not a bullet's `* item *`), requiring at
/// least a loosened count of IFEval's highlights: for ten or more, the count rounded down to tens
/// and lowered by 0 to 20 (not below ten); else between half the count and the count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberHighlightedSections {
    /// The minimum number of highlights N.
    pub num_highlights: i64,
}

/// The matches of Python's `re.findall` for `\*{k}[^\n\*]*\*{k}` (`k` = `delim.len()`, 1 or 2
/// stars), with the span of the inside of each.
fn star_matches(text: &str, delim: &str) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|r| r.find(delim)).map(|i| pos + i) {
        let inner_start = i + delim.len();
        let rest = text.get(inner_start..).unwrap_or("");
        // `[^\n\*]*` runs to the next `*` or newline; only a `*` there can close the match.
        let stop = rest.find(['*', '\n']).map(|j| inner_start + j);
        match stop {
            Some(j) if text.get(j..).is_some_and(|r| r.starts_with(delim)) => {
                out.push((Span::new(i, j + delim.len()), Span::new(inner_start, j)));
                pos = j + delim.len();
            }
            _ => pos = i + 1,
        }
    }
    out
}

/// IFEval's highlights: the non-blank matches of `\*[^\n\*]*\*`, then those of
/// `\*\*[^\n\*]*\*\*`, as whole-match spans, in order of position (a `***x***` appears twice).
pub fn highlights(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = star_matches(text, "*")
        .into_iter()
        .chain(star_matches(text, "**"))
        .filter(|(_, inner)| !pystr::strip(inner.slice(text)).is_empty())
        .map(|(whole, _)| whole)
        .collect();
    out.sort_unstable();
    out
}

impl Check for NumberHighlightedSections {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_format:number_highlighted_sections",
        title: "Highlighted sections",
        description: "The response has at least N highlighted sections in markdown, such as \
                      `*highlighted section*`, on one line and not blank. As in IFEval, \
                      `**bold**` counts once and `***both***` twice, and a bullet line such as \
                      `* item with *emphasis*` counts `* item with *`.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "num_highlights",
            doc: "the minimum number of highlighted sections N",
            kind: ParamKind::Count { min: 0, max: 50, default: 2 },
        }],
        example: Example {
            kwargs: r#"{"num_highlights": 2}"#,
            pass: "Crabs have *ten legs* and **two claws**.",
            fail: "Crabs have *ten legs* and two claws.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NumberHighlightedSections, SpecError> {
        Ok(NumberHighlightedSections { num_highlights: kw.int("num_highlights", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("num_highlights", self.num_highlights.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found = highlights(text.text());
        let ok = i64::try_from(found.len()).unwrap_or(i64::MAX) >= self.num_highlights;
        let detail = format!(
            "{}; needs at least {}",
            plural(found.len(), "highlighted section", "highlighted sections"),
            self.num_highlights
        );
        Verdict::from_bool(ok, detail).with_evidence(found)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<NumberHighlightedSections> {
        let text = text.text();
        let real = star_matches(text, "*").into_iter().chain(star_matches(text, "**")).any(
            |(_, inner)| inner.slice(text).chars().next().is_some_and(|c| !pystr::is_space(c)),
        );
        if !real {
            return Vec::new();
        }
        at_least_threshold(highlights(text).len(), &mut cx.rng)
            .map(|num_highlights| NumberHighlightedSections { num_highlights })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{highlights, NumberHighlightedSections};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "detectable_format:number_highlighted_sections";
    const AT_LEAST_2: &str = r#"{"num_highlights": 2}"#;

    fn found(text: &str) -> Vec<&str> {
        highlights(text).into_iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn counts_single_and_double_star_highlights() {
        let text = "*a* and **b**";
        let v = verify(ID, AT_LEAST_2, text);
        assert_eq!(v.detail, "2 highlighted sections; needs at least 2");
        assert_eq!(evidence(&v, text), ["*a*", "**b**"]);
        assert_fail(ID, AT_LEAST_2, "*a* only");
        assert_pass(ID, r#"{"num_highlights": 0}"#, "");
    }

    #[test]
    fn bold_counts_once() {
        assert_eq!(found("**bold**"), ["**bold**"]);
    }

    #[test]
    fn bold_italic_counts_twice() {
        assert_eq!(found("***x***"), ["**x**", "*x*"]);
        assert_pass(ID, AT_LEAST_2, "***x***");
    }

    #[test]
    fn bullet_line_double_read() {
        assert_eq!(found("* bullet with *emph*"), ["* bullet with *"]);
    }

    #[test]
    fn blank_highlights_and_newlines_do_not_count() {
        assert!(found("** ** * \u{1c} * ****").is_empty());
        assert!(found("*a\nb*").is_empty());
        assert_eq!(found("*a\r\u{2028}b*"), ["*a\r\u{2028}b*"]);
        // A failed `**` start retries one character later.
        assert_eq!(found("**\n*a*"), ["*a*"]);
    }

    fn derive(text: &str, seed: u64) -> Vec<NumberHighlightedSections> {
        NumberHighlightedSections::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derived_minimum_is_loosened_and_holds() {
        let text = "*a* *b* *c* **d** *e* *f* *g* *h* *i* *j* *k* *l*";
        assert_eq!(highlights(text).len(), 12);
        for seed in 0..20 {
            let derived = derive(text, seed);
            assert_eq!(derived.len(), 1);
            assert_eq!(derived, derive(text, seed), "deterministic per seed");
            // Rounded down to tens: 10 (never lower than 10).
            assert_eq!(derived[0].num_highlights, 10);
            assert!(derived[0].verify(&analysis(text)).passed());
        }
        let text = "*one* and **two** and *three*";
        for seed in 0..20 {
            let n = derive(text, seed)[0].num_highlights;
            assert!((2..=3).contains(&n), "{n}");
        }
    }

    #[test]
    fn nothing_derived_without_a_real_highlight() {
        assert!(derive("plain text", 1).is_empty());
        // Only the bullet-line double read: not a highlight the writer meant.
        assert!(derive("* item *\n* other", 1).is_empty());
        assert!(derive("** **", 1).is_empty());
    }
}
