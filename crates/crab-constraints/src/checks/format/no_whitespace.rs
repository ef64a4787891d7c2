//! `format:no_whitespace` — the response contains no whitespace at all (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// No character of the response is whitespace in Python's sense (`str.isspace()`: spaces, tabs,
/// newlines, but also U+001C..U+001F, U+0085, the no-break space and the other Unicode spaces).
/// An empty response passes (IFBench's evaluation fails it anyway, as it fails every empty
/// response).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:no_whitespace", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Hello,World!")).passed());
/// assert!(!c.verify(&Analysis::new("Hello, World!")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NoWhitespaceChecker` (unchanged since the first release).
///
/// # Derivation
/// None: answers in prose always contain whitespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoWhitespace;

impl Check for NoWhitespace {
    const INFO: CheckInfo = CheckInfo {
        id: "format:no_whitespace",
        title: "No whitespace",
        description: "The response contains no whitespace character at all (Python's \
                      `str.isspace()`: spaces, tabs, newlines and the other Unicode spaces).",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Hello,World!ThisIsOneLongWord.",
            fail: "Hello, World!",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<NoWhitespace, SpecError> {
        Ok(NoWhitespace)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        // The runs of whitespace: the gaps between `str.split()`'s words.
        let mut runs = Vec::new();
        let mut start = 0;
        for word in pystr::split_whitespace(s) {
            if word.start > start {
                runs.push(Span::new(start, word.start));
            }
            start = word.end;
        }
        if s.len() > start {
            runs.push(Span::new(start, s.len()));
        }
        if runs.is_empty() {
            return Verdict::pass("no whitespace");
        }
        let detail = plural(runs.len(), "run of whitespace", "runs of whitespace");
        Verdict::fail(detail).with_evidence(runs)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:no_whitespace";

    #[test]
    fn any_python_whitespace_fails() {
        assert_pass(ID, "{}", "a,b;c");
        assert_pass(ID, "{}", "");
        // Python's isspace: the information separators and the no-break space too.
        assert_fail(ID, "{}", "a\u{1f}b");
        assert_fail(ID, "{}", "a\u{a0}b");
        assert_fail(ID, "{}", "a\u{3000}b");
        // Not whitespace to Python: the zero-width space.
        assert_pass(ID, "{}", "a\u{200b}b");
    }

    #[test]
    fn evidence_is_the_runs_of_whitespace() {
        let text = " a  b\n";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "3 runs of whitespace");
        assert_eq!(evidence(&v, text), [" ", "  ", "\n"]);
    }
}
