//! `format:sub-bullets` — every `*` bullet has a `-` sub-bullet (IFBench).
//!
//! The id has a hyphen, which a Rust module name cannot: this file is `sub_bullets.rs`, the id
//! stays IFBench's `format:sub-bullets` so that its data files load unchanged.

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// IFBench splits the response on every `*` (anywhere, not only at line starts) and requires
/// each piece after a `*` to contain a `-`. So every `*` must be followed by a `-` before the
/// next `*` or the end; a response without `*` passes, and `**bold**` fails unless a `-` sits
/// between its stars (`**` leaves an empty piece).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:sub-bullets", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("* Fruit\n  - apples\n* Vegetables\n  - leeks")).passed());
/// assert!(!c.verify(&Analysis::new("* **Fruit**\n  - apples")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `SubBulletPointsChecker` (unchanged since the first release).
///
/// # Derivation
/// From a response with at least one line starting with `*` (a bullet list) where the check
/// holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubBullets;

impl Check for SubBullets {
    const INFO: CheckInfo = CheckInfo {
        id: "format:sub-bullets",
        title: "Sub-bullets under every bullet",
        description: "Every `*` in the response is followed by a `-` before the next `*` (or the \
                      end): each `*` bullet has a `-` sub-bullet. A response without `*` passes; \
                      `**bold**` breaks it (nothing lies between its two first stars).",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "* Fruit\n  - apples\n  - pears\n* Vegetables\n  - leeks",
            fail: "* Fruit\n  - apples\n* Vegetables",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<SubBullets, SpecError> {
        Ok(SubBullets)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let pieces = pieces(s);
        if let Some(bare) = pieces.iter().find(|p| !p.slice(s).contains('-')) {
            // The `*` that opens the piece, and the piece.
            let star = Span::new(bare.start - 1, bare.end);
            let line = bare.slice(s).split('\n').next().unwrap_or_default();
            return Verdict::fail(format!("no `-` after the `*` of `*{}`", line.trim_end()))
                .with_evidence(vec![star]);
        }
        let stars: Vec<Span> = pieces.iter().map(|p| Span::new(p.start - 1, p.start)).collect();
        let detail = if stars.is_empty() {
            "no `*` bullets".to_owned()
        } else {
            format!("a `-` follows each of the {}", plural(stars.len(), "`*`", "`*`s"))
        };
        Verdict::pass(detail).with_evidence(stars)
    }

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<SubBullets> {
        let s = text.text();
        let bullets = s.split('\n').any(|line| pystr::lstrip(line).starts_with('*'));
        if bullets && SubBullets.verify(text).passed() {
            vec![SubBullets]
        } else {
            Vec::new()
        }
    }
}

/// `value.split('*')[1:]`: the pieces after each `*`, as spans (each starts right after its `*`).
fn pieces(s: &str) -> Vec<Span> {
    let stars: Vec<usize> = s.match_indices('*').map(|(at, _)| at).collect();
    stars
        .iter()
        .enumerate()
        .map(|(i, &at)| Span::new(at + 1, stars.get(i + 1).copied().unwrap_or(s.len())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:sub-bullets";

    #[test]
    fn every_star_needs_a_dash_before_the_next() {
        assert_pass(ID, "{}", "no bullets at all");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "* a - b");
        // Stars anywhere count, and dashes anywhere after them.
        assert_pass(ID, "{}", "3 * 4 - 2");
        assert_fail(ID, "{}", "- a\n* b");
        assert_fail(ID, "{}", "* a - b *");
        // `**bold**`: the piece between the first two stars is empty.
        assert_fail(ID, "{}", "* **Fruit** - apples");
        assert_pass(ID, "{}", "*- *-Fruit* - apples");
    }

    #[test]
    fn evidence_and_details() {
        let text = "* Fruit\n  - apples\n* Vegetables\n* Nuts - walnuts";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "no `-` after the `*` of `* Vegetables`");
        assert_eq!(evidence(&v, text), ["* Vegetables\n"]);
        let text = "* a - b\n* c - d";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "a `-` follows each of the 2 `*`s");
        assert_eq!(evidence(&v, text), ["*", "*"]);
    }

    #[test]
    fn derive_needs_a_bullet_list_that_holds() {
        let derive = |t: &str| SubBullets::derive(&analysis(t), &mut DeriveContext::new("", 0));
        assert_eq!(derive("* a\n  - b\n* c\n  - d"), [SubBullets]);
        assert!(derive("* a\n* b").is_empty());
        // A star inside a line is no bullet list.
        assert!(derive("3 * 4 - 2").is_empty());
        assert!(derive("no bullets").is_empty());
    }
}
