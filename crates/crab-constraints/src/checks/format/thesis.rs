//! `format:thesis` — a thesis statement in HTML italics, followed by more text (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// IFBench asks that "each section must begin with a thesis statement in italics, use HTML to
/// indicate the italics", and checks one thesis only: the first `<i>` (or, if there is none, the
/// first `<em>`) is followed by a `</i>` (or, if there is none after it, a `</em>`); the text
/// between must not be blank, nor the text after the closing tag.
///
/// The offsets are IFBench's, which assume the three-character `<i>` and the four-character
/// `</i>`: with `<em>` the thesis starts at its `>`, and after `</em>` the text starts at its
/// `>`. So `<em>` with `</em>` always has a non-blank thesis and "text" after it (even
/// `<em></em>` passes), and so does `<i>` closed by `</em>`.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:thesis", &serde_json::Value::Null).unwrap();
/// let ok = "<i>Cities need trees.</i> Shade cools the streets.";
/// assert!(c.verify(&Analysis::new(ok)).passed());
/// assert!(!c.verify(&Analysis::new("*Cities need trees.* Shade cools the streets.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `ItalicsThesisChecker` (unchanged since the first release), offsets
/// included.
///
/// # Derivation
/// None: answers use Markdown, not HTML, for italics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thesis;

impl Check for Thesis {
    const INFO: CheckInfo = CheckInfo {
        id: "format:thesis",
        title: "Thesis in HTML italics",
        description: "The first `<i>` (else the first `<em>`) is later closed by `</i>` (else \
                      `</em>`), with non-blank text inside and non-blank text after it. Offsets \
                      follow IFBench, which assumes `<i>`: with `<em>` its `>` counts as text.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "<i>Cities need more trees.</i> Shade cools the streets in summer.",
            fail: "<i>Cities need more trees.</i>",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Thesis, SpecError> {
        Ok(Thesis)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let Some(open) = s.find("<i>").or_else(|| s.find("<em>")) else {
            return Verdict::fail("no `<i>` or `<em>`");
        };
        let rest = s.get(open..).unwrap_or_default();
        let Some(close) = rest.find("</i>").or_else(|| rest.find("</em>")) else {
            return Verdict::fail("no `</i>` or `</em>` after the opening tag")
                .with_evidence(vec![Span::new(open, open + tag_len(rest))]);
        };
        // `value[3:end_thesis]` and `value[end_thesis + 4:]`, on the text from the opening
        // tag. Both offsets land inside or right after ASCII tags, so on character boundaries.
        let thesis = Span::new(open + 3.min(close), open + close);
        let after = Span::new((open + close + 4).min(s.len()), s.len());
        let evidence = vec![thesis];
        if pystr::strip(thesis.slice(s)).is_empty() {
            return Verdict::fail("the italic thesis is blank").with_evidence(evidence);
        }
        if pystr::strip(after.slice(s)).is_empty() {
            return Verdict::fail("nothing follows the italic thesis").with_evidence(evidence);
        }
        Verdict::pass("an italic thesis followed by text").with_evidence(evidence)
    }
}

/// The length of the opening tag `rest` starts with (`<i>` or `<em>`).
fn tag_len(rest: &str) -> usize {
    if rest.starts_with("<i>") {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:thesis";

    #[test]
    fn thesis_then_text() {
        assert_pass(ID, "{}", "Intro <i>Thesis.</i>\nBody.");
        assert_fail(ID, "{}", "<i> </i> Body.");
        assert_fail(ID, "{}", "<i>Thesis.</i>  \n");
        assert_fail(ID, "{}", "<i>Thesis. Body.");
        assert_fail(ID, "{}", "Thesis.</i> Body.");
        assert_fail(ID, "{}", "");
        // The first `<i>` is taken, even when an `<em>` comes first.
        assert_pass(ID, "{}", "<em>x <i>Thesis.</i> Body.");
    }

    #[test]
    fn ifbench_offsets_assume_i_tags() {
        // With `<em>`, the thesis starts at its `>` and the text after `</em>` at its `>`.
        assert_pass(ID, "{}", "<em></em>");
        assert_pass(ID, "{}", "<em>Thesis.</em>");
        // `</i>` is preferred to `</em>` wherever it is.
        assert_pass(ID, "{}", "<em>Thesis.</em> Body.</i> More.");
        assert_fail(ID, "{}", "<em>Thesis.</em> Body.</i>");
        // With `<i>` closed by `</em>`, the text after starts at its `>`.
        assert_pass(ID, "{}", "<i>Thesis.</em>");
        let text = "<i>Thesis.</i> Body.";
        let v = verify(ID, "{}", text);
        assert_eq!(evidence(&v, text), ["Thesis."]);
    }
}
