//! `format:line_indent` — each line indented further than the one before (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// "Create stairs by incrementally indenting each new line": each line starts with strictly more
/// spaces (`' '` only; tabs do not indent) than the line before it, blank lines aside.
///
/// IFBench removes the blank lines while iterating over the same list, so a blank line that
/// directly follows a removed one is skipped and stays (sieval PR #105): of two consecutive
/// blank lines only the first goes, and the second then fails the staircase unless it is last
/// or has more spaces than the line before. `list.remove` also removes the *first* line equal to
/// the blank one, which may be an earlier one that was skipped. This check reproduces all of it.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:line_indent", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("One\n two\n\n  three")).passed());
/// assert!(!c.verify(&Analysis::new("One\n two\n three")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `IndentStairsChecker` (unchanged since the first release), including the
/// skipped blank lines.
///
/// # Derivation
/// None: answers are not written as staircases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndent;

impl Check for LineIndent {
    const INFO: CheckInfo = CheckInfo {
        id: "format:line_indent",
        title: "Staircase indentation",
        description: "Each line starts with strictly more spaces than the previous one; blank \
                      lines are dropped first, except that (as in IFBench) a blank line right \
                      after another blank line is kept, and then counts.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Climb\n the\n  stairs\n\n   slowly.",
            fail: "Climb\n the\n stairs\n  slowly.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<LineIndent, SpecError> {
        Ok(LineIndent)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let lines = kept_lines(s);
        for pair in lines.windows(2) {
            if let [above, below] = pair {
                let (a, b) = (indent(above.slice(s)), indent(below.slice(s)));
                if b <= a {
                    let detail = format!(
                        "a line indented by {} follows one indented by {}",
                        plural(b, "space", "spaces"),
                        plural(a, "space", "spaces")
                    );
                    return Verdict::fail(detail).with_evidence(vec![*above, *below]);
                }
            }
        }
        Verdict::pass(format!("{} each indented further", plural(lines.len(), "line", "lines")))
    }
}

/// The lines left after IFBench's loop `for line in lines: if not line.strip():
/// lines.remove(line)`, as spans of `s`. Removing during iteration shifts the next line into
/// the current index, which the iterator then steps over.
fn kept_lines(s: &str) -> Vec<Span> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in s.split('\n') {
        lines.push(Span::new(start, start + line.len()));
        start += line.len() + 1;
    }
    let mut i = 0;
    while let Some(line) = lines.get(i).copied() {
        let line = line.slice(s);
        if pystr::strip(line).is_empty() {
            if let Some(first) = lines.iter().position(|l| l.slice(s) == line) {
                lines.remove(first);
            }
        }
        i += 1;
    }
    lines
}

/// `len(line) - len(line.lstrip(' '))`.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:line_indent";

    fn kept(s: &str) -> Vec<&str> {
        kept_lines(s).iter().map(|l| l.slice(s)).collect()
    }

    #[test]
    fn blank_lines_are_removed_as_ifbench_removes_them() {
        assert_eq!(kept("a\n\nb"), ["a", "b"]);
        // The second of two blank lines is skipped over.
        assert_eq!(kept("a\n\n\nb"), ["a", "", "b"]);
        assert_eq!(kept("a\n\n\n\nb"), ["a", "", "b"]);
        assert_eq!(kept("a\n\n \n\n \nb"), ["a", " ", " ", "b"]);
        // `remove` takes the first equal line: here the skipped `" "`, not the current one.
        assert_eq!(kept("a\n \n \nb\n \nc"), ["a", "b", " ", "c"]);
        assert_eq!(kept(""), Vec::<&str>::new());
    }

    #[test]
    fn strictly_more_spaces_each_line() {
        assert_pass(ID, "{}", "a\n b\n  c");
        assert_pass(ID, "{}", "a");
        assert_pass(ID, "{}", "");
        assert_fail(ID, "{}", "a\n b\n b");
        // Tabs and other whitespace are not indentation.
        assert_fail(ID, "{}", "a\n\tb");
        assert_pass(ID, "{}", "a\n\n b");
        // Two blank lines: the second stays, and fails the staircase.
        assert_fail(ID, "{}", "a\n\n\n b");
        // A blank line kept that is indented further still passes.
        assert_pass(ID, "{}", "a\n\n  \n   b");
        let text = "a\n  b\n c";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "a line indented by 1 space follows one indented by 2 spaces");
        assert_eq!(evidence(&v, text), ["  b", " c"]);
    }
}
