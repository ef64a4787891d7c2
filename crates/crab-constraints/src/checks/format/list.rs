//! `format:list` — a list whose items are marked with a given separator (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// The markers IFBench draws from when it makes up the instruction, and those derived here.
pub const MARKERS: [&str; 4] = ["...", "SEPARATOR", "!?!?", "-"];

/// # What it checks
/// IFBench asks "Answer with a list of items, instead of bullet points use {sep}" and checks
/// only that `sep` occurs at least twice in the response (non-overlapping occurrences, as
/// `re.findall(re.escape(sep), response)` counts them: `....` holds one `...`), anywhere, not
/// necessarily at the start of a line. An empty `sep` occurs between any two characters, so any
/// non-empty response passes.
///
/// # Parameters
/// `sep` (text): the marker.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:list", &serde_json::json!({"sep": "!?!?"})).unwrap();
/// assert!(c.verify(&Analysis::new("!?!? apples\n!?!? pears")).passed());
/// assert!(!c.verify(&Analysis::new("- apples\n- pears")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `SpecialBulletPointsChecker` (unchanged since the first release).
///
/// # Derivation
/// One of IFBench's own markers ([`MARKERS`]) that occurs at least twice in the response,
/// picked at random.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    /// The marker that replaces bullet points.
    pub sep: String,
}

impl Check for List {
    const INFO: CheckInfo = CheckInfo {
        id: "format:list",
        title: "List with a custom marker",
        description: "The marker `sep` occurs at least twice in the response (non-overlapping, \
                      anywhere: the start of a line is not checked).",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "sep",
            doc: "the marker used instead of bullet points",
            kind: ParamKind::Text { default: "SEPARATOR" },
        }],
        example: Example {
            kwargs: r#"{"sep": "SEPARATOR"}"#,
            pass: "SEPARATOR Apples\nSEPARATOR Pears\nSEPARATOR Plums",
            fail: "SEPARATOR Apples, pears and plums",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<List, SpecError> {
        Ok(List { sep: kw.string("sep")?.to_owned() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("sep", self.sep.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found = occurrences(text.text(), &self.sep);
        let detail = format!(
            "`{}` occurs {}; needs at least 2",
            self.sep,
            plural(found.len(), "time", "times")
        );
        Verdict::from_bool(found.len() >= 2, detail).with_evidence(found)
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<List> {
        let s = text.text();
        let usable: Vec<&str> =
            MARKERS.into_iter().filter(|m| occurrences(s, m).len() >= 2).collect();
        cx.rng.pick(&usable).map(|m| List { sep: (*m).to_owned() }).into_iter().collect()
    }
}

/// The non-overlapping occurrences of `sep` in `s`, left to right (`re.findall` of the escaped
/// marker; an empty marker matches at every character boundary).
fn occurrences(s: &str, sep: &str) -> Vec<Span> {
    s.match_indices(sep).map(|(at, m)| Span::new(at, at + m.len())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:list";

    #[test]
    fn two_non_overlapping_occurrences() {
        assert_pass(ID, r#"{"sep": "..."}"#, "a... b...");
        // `.....` holds one `...`, then two dots.
        assert_fail(ID, r#"{"sep": "..."}"#, "a.....");
        assert_pass(ID, r#"{"sep": "..."}"#, "a......");
        // Anywhere, not only at line starts; case-sensitive.
        assert_pass(ID, r#"{"sep": "-"}"#, "well-known, self-made");
        assert_fail(ID, r#"{"sep": "SEPARATOR"}"#, "separator SEPARATOR");
        // Regex characters are literal.
        assert_fail(ID, r#"{"sep": "!?!?"}"#, "!!?? !?");
        let text = "x !?!? y !?!?!?";
        let v = verify(ID, r#"{"sep": "!?!?"}"#, text);
        assert_eq!(v.detail, "`!?!?` occurs 2 times; needs at least 2");
        assert_eq!(evidence(&v, text), ["!?!?", "!?!?"]);
    }

    #[test]
    fn empty_marker_matches_between_characters() {
        assert_pass(ID, r#"{"sep": ""}"#, "é");
        assert_fail(ID, r#"{"sep": ""}"#, "");
    }

    #[test]
    fn derive_picks_an_ifbench_marker_used_twice() {
        let text = "Fruit - apples - pears... and so on";
        for seed in 0..16 {
            let [c] = List::derive(&analysis(text), &mut DeriveContext::new("", seed))
                .try_into()
                .unwrap();
            assert_eq!(c.sep, "-");
            assert!(c.verify(&analysis(text)).passed());
        }
        let none = "One - two... three";
        assert!(List::derive(&analysis(none), &mut DeriveContext::new("", 1)).is_empty());
        let both = "a... b... c-d-e";
        let picks: Vec<String> = (0..32)
            .flat_map(|seed| List::derive(&analysis(both), &mut DeriveContext::new("", seed)))
            .map(|c| c.sep)
            .collect();
        assert!(picks.iter().any(|s| s == "...") && picks.iter().any(|s| s == "-"));
    }
}
