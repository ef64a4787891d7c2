//! `detectable_content:number_placeholders` — at least N placeholders in square brackets.

use serde_json::{Map, Value};

use crate::checks::keywords::frequency::at_least_threshold;
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// The number of placeholders is at least N. A placeholder is a match of IFEval's `\[.*?\]`:
/// a `[` and the nearest `]` after it on the same line. `[]`, markdown links `[text](url)` and
/// `[[x]]` (one match, `[[x]`) all count; a bracket pair split by a newline does not.
///
/// # Parameters
/// `num_placeholders` (N ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"num_placeholders": 2});
/// let c = Constraint::from_ifeval("detectable_content:number_placeholders", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Dear [name], see you at [address].")).passed());
/// assert!(!c.verify(&Analysis::new("Dear [name],\nsee you [at\n] home.")).passed());
/// ```
///
/// # Derivation
/// Derived when the response has at least one real placeholder — brackets around something
/// that is not a markdown link's text (no `(` right after the `]`) — requiring at least a
/// loosened count of IFEval's matches: for ten or more, the count rounded down to tens and
/// lowered by 0 to 20 (not below ten); else between half the count and the count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberPlaceholders {
    /// The minimum number of placeholders N.
    pub num_placeholders: i64,
}

/// The matches of Python's `re.findall(r"\[.*?\]", text)`: each `[` with the first `]` after it
/// before the end of its line; the search resumes after the `]`.
pub fn placeholders(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(open) = text.get(pos..).and_then(|r| r.find('[')).map(|i| pos + i) {
        let rest = text.get(open + 1..).unwrap_or("");
        match rest.find([']', '\n']) {
            Some(j) if rest.as_bytes().get(j) == Some(&b']') => {
                let close = open + 1 + j;
                out.push(Span::new(open, close + 1));
                pos = close + 1;
            }
            // No `]` on this line: no later `[` on it can match either.
            Some(j) => pos = open + 1 + j,
            None => break,
        }
    }
    out
}

impl Check for NumberPlaceholders {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_content:number_placeholders",
        title: "Placeholders in square brackets",
        description: "The response has at least N placeholders in square brackets, such as \
                      `[address]`. A placeholder is a `[` with the nearest `]` on the same line; \
                      `[]` and markdown links count too.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "num_placeholders",
            doc: "the minimum number of placeholders N",
            kind: ParamKind::Count { min: 0, max: 50, default: 2 },
        }],
        example: Example {
            kwargs: r#"{"num_placeholders": 2}"#,
            pass: "Meet [name] at [place].",
            fail: "Meet [name] at the usual place.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NumberPlaceholders, SpecError> {
        Ok(NumberPlaceholders { num_placeholders: kw.int("num_placeholders", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("num_placeholders", self.num_placeholders.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found = placeholders(text.text());
        let ok = i64::try_from(found.len()).unwrap_or(i64::MAX) >= self.num_placeholders;
        let detail = format!(
            "{}; needs at least {}",
            plural(found.len(), "placeholder", "placeholders"),
            self.num_placeholders
        );
        Verdict::from_bool(ok, detail).with_evidence(found)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<NumberPlaceholders> {
        let text = text.text();
        let found = placeholders(text);
        let real = found
            .iter()
            .any(|s| s.len() > 2 && !text.get(s.end..).is_some_and(|after| after.starts_with('(')));
        if !real {
            return Vec::new();
        }
        at_least_threshold(found.len(), &mut cx.rng)
            .map(|num_placeholders| NumberPlaceholders { num_placeholders })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{placeholders, NumberPlaceholders};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "detectable_content:number_placeholders";
    const AT_LEAST_2: &str = r#"{"num_placeholders": 2}"#;

    fn found(text: &str) -> Vec<&str> {
        placeholders(text).into_iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn counts_bracket_pairs() {
        let text = "To [name] at [address].";
        let v = verify(ID, AT_LEAST_2, text);
        assert_eq!(v.detail, "2 placeholders; needs at least 2");
        assert_eq!(evidence(&v, text), ["[name]", "[address]"]);
        assert_fail(ID, AT_LEAST_2, "To [name].");
        assert_pass(ID, r#"{"num_placeholders": 0}"#, "");
    }

    #[test]
    fn non_greedy_nearest_close() {
        assert_eq!(found("[[x]]"), ["[[x]"]);
        assert_eq!(found("[a] [b]"), ["[a]", "[b]"]);
        assert_eq!(found("[a [b] c]"), ["[a [b]"]);
    }

    #[test]
    fn empty_brackets_and_links_count() {
        assert_eq!(found("[] and [text](http://x)"), ["[]", "[text]"]);
        assert_pass(ID, AT_LEAST_2, "[][]");
    }

    #[test]
    fn no_match_across_a_newline() {
        assert_eq!(found("[a\nb] [c]"), ["[c]"]);
        assert_eq!(found("[a\r\u{2028}b]"), ["[a\r\u{2028}b]"]);
        assert_eq!(found("[ [\n]"), Vec::<&str>::new());
    }

    fn derive(text: &str, seed: u64) -> Vec<NumberPlaceholders> {
        NumberPlaceholders::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derived_minimum_is_loosened_and_holds() {
        let text = "Dear [name], meet me at [place] on [date].";
        for seed in 0..20 {
            let derived = derive(text, seed);
            assert_eq!(derived, derive(text, seed), "deterministic per seed");
            let n = derived[0].num_placeholders;
            assert!((2..=3).contains(&n), "{n}");
            assert!(derived[0].verify(&analysis(text)).passed());
        }
    }

    #[test]
    fn nothing_derived_without_a_real_placeholder() {
        assert!(derive("no brackets", 1).is_empty());
        assert!(derive("see [the docs](http://x) and []", 1).is_empty());
        assert!(derive("[a\nb]", 1).is_empty());
    }
}
