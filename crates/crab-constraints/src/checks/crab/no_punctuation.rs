//! `crab:no_punctuation` — CRAB's `Punctuation` constraint: one ASCII mark (`,` `:` `?` `!`)
//! never appears.

use serde_json::{Map, Value};

use super::is_blank;
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// The response does not contain the ASCII mark `mark` anywhere (`mark not in response`).
/// Only that exact character counts: the fullwidth `，` `：` `？` `！`, `¿`, `‽` and the like are
/// allowed.
///
/// # Parameters
/// `mark`: one of `","`, `":"`, `"?"`, `"!"`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"mark": "!"});
/// let c = Constraint::from_ifeval("crab:no_punctuation", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Calm and quiet.")).passed());
/// assert!(!c.verify(&Analysis::new("Wow!")).passed());
/// ```
///
/// # Derivation
/// As CRAB's `refined_symbol`: the **first** of `,` `:` `?` `!` (in that order) that the response
/// does not contain; at most one constraint, nothing when all four occur or the response is
/// blank.
///
/// # Relation to CRAB
/// Same marks, order and test (`symbol not in content`); CRAB renders it from five templates per
/// mark and never verifies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoPunctuation {
    /// The forbidden mark.
    pub mark: char,
}

/// CRAB's marks, in the order `refined_symbol` tries them.
const MARKS: [char; 4] = [',', ':', '?', '!'];

impl Check for NoPunctuation {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:no_punctuation",
        title: "No given punctuation mark (CRAB)",
        description: "The response does not contain the ASCII mark (one of `,` `:` `?` `!`) \
                      anywhere; fullwidth and other variants are allowed. A derived constraint \
                      bans the first of `,` `:` `?` `!` that the response lacks, as CRAB's \
                      `refined_symbol` does.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "mark",
            doc: "the punctuation mark that must not appear",
            kind: ParamKind::Choice { options: &[",", ":", "?", "!"], default: "," },
        }],
        example: Example {
            kwargs: r#"{"mark": ":"}"#,
            pass: "Plain prose - no lists and no labels.",
            fail: "Note: this has a colon.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NoPunctuation, SpecError> {
        let mark = kw.string("mark")?;
        let mut chars = mark.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if MARKS.contains(&c) => Ok(NoPunctuation { mark: c }),
            _ => Err(kw.invalid(
                "mark",
                format!("must be one of \",\", \":\", \"?\", \"!\", got {mark:?}"),
            )),
        }
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("mark", self.mark.to_string().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found: Vec<Span> =
            text.text().match_indices(self.mark).map(|(i, m)| Span::new(i, i + m.len())).collect();
        if found.is_empty() {
            Verdict::pass(format!("no `{}`", self.mark))
        } else {
            let n = found.len();
            Verdict::fail(format!("`{}` {}", self.mark, plural(n, "time", "times")))
                .with_evidence(found)
        }
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<NoPunctuation> {
        if is_blank(text) {
            return Vec::new();
        }
        MARKS
            .into_iter()
            .find(|&m| !text.text().contains(m))
            .map(|mark| NoPunctuation { mark })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::Constraint;

    const ID: &str = "crab:no_punctuation";

    #[test]
    fn each_mark() {
        for (mark, bad) in [(",", "a, b"), (":", "a: b"), ("?", "a?"), ("!", "a!")] {
            let kw = format!(r#"{{"mark": "{mark}"}}"#);
            assert_fail(ID, &kw, bad);
            assert_pass(ID, &kw, "a; b. c");
        }
    }

    #[test]
    fn only_the_ascii_mark_counts() {
        assert_pass(ID, r#"{"mark": ","}"#, "一，二、三");
        assert_pass(ID, r#"{"mark": "?"}"#, "¿Qué？‽");
        assert_pass(ID, r#"{"mark": "!"}"#, "¡Hola！");
        assert_pass(ID, r#"{"mark": ":"}"#, "10：30 ∶");
    }

    #[test]
    fn evidence_is_every_occurrence() {
        let text = "Stop! Go! Now";
        let v = verify(ID, r#"{"mark": "!"}"#, text);
        assert_eq!(evidence(&v, text), ["!", "!"]);
        assert_eq!(v.detail, "`!` 2 times");
    }

    #[test]
    fn other_marks_are_refused() {
        for bad in [r#"{"mark": ";"}"#, r#"{"mark": ",,"}"#, r#"{"mark": ""}"#, "{}"] {
            let kw: serde_json::Value = serde_json::from_str(bad).unwrap();
            assert!(Constraint::from_ifeval(ID, &kw).is_err(), "{bad}");
        }
    }

    fn derive(text: &str) -> Vec<char> {
        NoPunctuation::derive(&analysis(text), &mut DeriveContext::new("", 0))
            .into_iter()
            .map(|c| c.mark)
            .collect()
    }

    #[test]
    fn derives_the_first_absent_mark_in_crabs_order() {
        assert_eq!(derive("Plain text."), [',']);
        assert_eq!(derive("Yes, indeed."), [':']);
        assert_eq!(derive("Yes, note: this."), ['?']);
        assert_eq!(derive("Why, note: this?"), ['!']);
        assert_eq!(derive("Why, note: this?!"), Vec::<char>::new());
        assert_eq!(derive("   "), Vec::<char>::new());
        let text = "Yes, indeed.";
        let c = NoPunctuation { mark: derive(text)[0] };
        assert!(c.verify(&analysis(text)).passed());
    }
}
