//! `length_constraints:number_paragraphs` — exactly N paragraphs separated by `***` dividers.
//!
//! IFEval splits the response with `re.split(r"\s?\*\*\*\s?", value)`. That pattern is a literal
//! `***` with at most one Python whitespace character taken on each side, so instead of
//! compiling it (the `regex` crate's `\s` is not Python's) the splitter below finds each `***`
//! and widens it by one [`pystr::is_space`] character on either side, which is exactly the
//! leftmost match `re` would report.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, strip_span, Check, CheckInfo, DeriveContext, Example, Kwargs, Param,
    ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response has exactly N paragraphs, where paragraphs are separated by the Markdown divider
/// `***` (IFEval's `ParagraphChecker`). The text is split at every `***`, together with at most
/// one whitespace character before and after it. A blank first or last part is not a paragraph
/// (a divider may open or close the text), but a blank part between two dividers makes the check
/// fail whatever N is.
///
/// # Parameters
/// `num_paragraphs` (N ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"num_paragraphs": 2});
/// let c = Constraint::from_ifeval("length_constraints:number_paragraphs", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("First.\n***\nSecond.")).passed());
/// assert!(!c.verify(&Analysis::new("First.\n\nSecond.")).passed());
/// assert!(!c.verify(&Analysis::new("First.\n***\n***\nSecond.")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical verdicts, including the quirks: `******` and `*** ***` leave a blank part between
/// two dividers, so they fail; `***bold italic***` splits the text; a blank line (`\n\n`) is not
/// a separator. Google's code picks a random N when `num_paragraphs` is missing or negative; we
/// refuse such parameters instead.
///
/// # Derivation
/// Only from a response that really uses `***` as a divider: every `***` stands alone on its
/// line (no `***bold***`, no `****`), and the text has at least two paragraphs by the check's
/// count. The count is exact (the check has no relation), so it is not loosened; the random
/// source is not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberParagraphs {
    /// The exact number of paragraphs N.
    pub num_paragraphs: i64,
}

/// The `***` dividers of `text` as `re.split(r"\s?\*\*\*\s?", text)` finds them, in order.
///
/// Each divider is a `***` widened by one Python whitespace character on each side where there
/// is one (the leading one only if it lies after the previous divider).
pub fn dividers(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) =
        text.get(from..).and_then(|rest| memchr::memmem::find(rest.as_bytes(), b"***"))
    {
        let stars = from + found;
        let before = text.get(from..stars).and_then(|s| s.chars().next_back());
        let start = match before {
            Some(c) if pystr::is_space(c) => stars - c.len_utf8(),
            _ => stars,
        };
        let mut end = stars + 3;
        if let Some(c) = text.get(end..).and_then(|s| s.chars().next()) {
            if pystr::is_space(c) {
                end += c.len_utf8();
            }
        }
        out.push(Span::new(start, end));
        from = end;
    }
    out
}

/// The parts between the dividers (`re.split`'s result), as spans; always at least one.
fn parts(text: &str, dividers: &[Span]) -> Vec<Span> {
    let mut out = Vec::with_capacity(dividers.len() + 1);
    let mut start = 0;
    for d in dividers {
        out.push(Span::new(start, d.start));
        start = d.end;
    }
    out.push(Span::new(start, text.len()));
    out
}

/// Whether the `***` of `divider` is the only thing on its line (apart from whitespace).
fn divider_on_own_line(text: &str, divider: Span) -> bool {
    let Some(stars) = divider.slice(text).find("***").map(|i| divider.start + i) else {
        return false;
    };
    let line_start = text.get(..stars).and_then(|s| s.rfind('\n')).map_or(0, |i| i + 1);
    let line_end = text.get(stars..).and_then(|s| s.find('\n')).map_or(text.len(), |i| stars + i);
    text.get(line_start..line_end).is_some_and(|line| pystr::strip(line) == "***")
}

impl Check for NumberParagraphs {
    const INFO: CheckInfo = CheckInfo {
        id: "length_constraints:number_paragraphs",
        title: "Number of paragraphs (*** dividers)",
        description: "There are exactly N paragraphs, separated by the Markdown divider `***`. A \
                      divider at the very start or end is allowed, but two dividers with nothing \
                      between them (`******`, `*** ***`) fail the check. Blank lines do not \
                      separate paragraphs here, and `***bold italic***` counts as two dividers.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "num_paragraphs",
            doc: "the exact number of paragraphs N",
            kind: ParamKind::Count { min: 0, max: 50, default: 3 },
        }],
        example: Example {
            kwargs: r#"{"num_paragraphs": 3}"#,
            pass: "Spring came early.\n\n***\n\nThe river rose.\n\n***\n\nWe moved uphill.",
            fail: "Spring came early.\n\nThe river rose.\n\nWe moved uphill.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NumberParagraphs, SpecError> {
        Ok(NumberParagraphs { num_paragraphs: kw.int("num_paragraphs", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("num_paragraphs", self.num_paragraphs.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let dividers = dividers(text);
        let parts = parts(text, &dividers);
        let last = parts.len() - 1;
        let mut paragraphs = Vec::with_capacity(parts.len());
        for (i, &part) in parts.iter().enumerate() {
            let p = strip_span(text, part);
            if !p.is_empty() {
                paragraphs.push(p);
            } else if i != 0 && i != last {
                // Blank between dividers `i - 1` and `i`.
                let (Some(before), Some(after)) = (dividers.get(i - 1), dividers.get(i)) else {
                    continue;
                };
                return Verdict::fail(format!(
                    "empty paragraph between two `***` dividers; needs exactly {}",
                    self.num_paragraphs
                ))
                .with_evidence(vec![Span::new(before.start, after.end)]);
            }
        }
        let ok = i64::try_from(paragraphs.len()).is_ok_and(|n| n == self.num_paragraphs);
        let detail = format!(
            "{} separated by `***`; needs exactly {}",
            plural(paragraphs.len(), "paragraph", "paragraphs"),
            self.num_paragraphs
        );
        Verdict::from_bool(ok, detail).with_evidence(paragraphs)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<NumberParagraphs> {
        let full = text.text();
        let dividers = dividers(full);
        if dividers.is_empty() || !dividers.iter().all(|&d| divider_on_own_line(full, d)) {
            return Vec::new();
        }
        let mut count = 0;
        let parts = parts(full, &dividers);
        let last = parts.len() - 1;
        for (i, &part) in parts.iter().enumerate() {
            if !strip_span(full, part).is_empty() {
                count += 1;
            } else if i != 0 && i != last {
                // A blank paragraph between two dividers fails whatever the count.
                return Vec::new();
            }
        }
        if count < 2 {
            return Vec::new();
        }
        vec![NumberParagraphs { num_paragraphs: count }]
    }
}

#[cfg(test)]
mod tests {
    use super::{dividers, NumberParagraphs};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};
    use crate::text::Span;

    const ID: &str = "length_constraints:number_paragraphs";
    const TWO: &str = r#"{"num_paragraphs": 2}"#;
    const ONE: &str = r#"{"num_paragraphs": 1}"#;

    #[test]
    fn counts_parts_between_dividers() {
        let text = "Alpha beta.\n***\nGamma delta.";
        let v = verify(ID, TWO, text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(v.detail, "2 paragraphs separated by `***`; needs exactly 2");
        assert_eq!(evidence(&v, text), ["Alpha beta.", "Gamma delta."]);
        assert_fail(ID, ONE, text);
        assert_fail(ID, r#"{"num_paragraphs": 3}"#, text);
    }

    #[test]
    fn blank_first_and_last_parts_are_dropped() {
        assert_pass(ID, TWO, "***\nA\n***\nB\n***");
        assert_pass(ID, ONE, "  ***  A  ***  ");
        assert_pass(ID, r#"{"num_paragraphs": 0}"#, "");
        assert_pass(ID, r#"{"num_paragraphs": 0}"#, "***");
        assert_pass(ID, r#"{"num_paragraphs": 0}"#, " \n ");
    }

    #[test]
    fn six_stars_leave_an_empty_middle_part() {
        let text = "A\n******\nB";
        let v = verify(ID, TWO, text);
        assert!(!v.passed());
        assert_eq!(evidence(&v, text), ["\n******\n"]);
        // Three parts would not help either: an empty middle fails whatever N is.
        assert_fail(ID, r#"{"num_paragraphs": 3}"#, text);
    }

    #[test]
    fn spaced_dividers_leave_an_empty_middle_part() {
        assert_fail(ID, TWO, "A *** *** B");
        // With two whitespace characters between them, the middle part is still blank.
        assert_fail(ID, TWO, "A ***\n\n*** B");
    }

    #[test]
    fn bold_italic_markers_split() {
        assert_pass(ID, r#"{"num_paragraphs": 3}"#, "Say ***very*** loudly.");
        assert_fail(ID, ONE, "Say ***very*** loudly.");
    }

    #[test]
    fn blank_lines_do_not_separate() {
        assert_pass(ID, ONE, "First paragraph.\n\nSecond paragraph.\n\nThird.");
    }

    #[test]
    fn at_most_one_whitespace_char_each_side_with_python_spaces() {
        // U+001F is Python whitespace (not Rust's): it is taken into the divider.
        assert_eq!(dividers("a\u{1f}***\u{1f}b"), [Span::new(1, 6)]);
        assert_eq!(dividers("a  ***  b"), [Span::new(2, 7)]);
        // Four stars: the divider is the first three; the fourth starts the next part.
        assert_eq!(dividers("a ****b"), [Span::new(1, 5)]);
        let text = "a\u{a0}***\u{2028}b";
        assert_eq!(dividers(text), [Span::new(1, 9)]);
        assert_pass(ID, TWO, text);
    }

    #[test]
    fn missing_or_negative_count_is_refused() {
        use crate::checks::Constraint;
        let err = Constraint::from_ifeval(ID, &serde_json::json!({"num_paragraphs": -1}));
        assert!(err.is_err());
        assert!(Constraint::from_ifeval(ID, &serde_json::Value::Null).is_err());
    }

    fn derive(text: &str, seed: u64) -> Vec<NumberParagraphs> {
        NumberParagraphs::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derive_counts_divided_paragraphs_exactly() {
        let text = "Spring came.\n\n***\n\nThe river rose.\n***\nWe moved uphill.\n";
        let derived = derive(text, 1);
        assert_eq!(derived, [NumberParagraphs { num_paragraphs: 3 }]);
        assert!(derived[0].verify(&analysis(text)).passed());
        assert_eq!(derive(text, 1), derive(text, 99));
        // A divider opening or closing the text is fine.
        assert_eq!(derive("***\nA\n***\nB\n***", 1), [NumberParagraphs { num_paragraphs: 2 }]);
    }

    #[test]
    fn derive_nothing_without_real_dividers() {
        assert!(derive("First.\n\nSecond.", 1).is_empty());
        assert!(derive("Say ***very*** loudly.", 1).is_empty());
        assert!(derive("A\n****\nB", 1).is_empty());
        assert!(derive("A\n******\nB", 1).is_empty());
        assert!(derive("A\n***\n\n***\nB", 1).is_empty());
        assert!(derive("Only one.\n***", 1).is_empty());
        assert!(derive("", 1).is_empty());
    }
}
