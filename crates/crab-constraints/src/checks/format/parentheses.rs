//! `format:parentheses` — brackets nested at least five levels deep (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// The depth the brackets must reach.
pub const MIN_DEPTH: usize = 5;

/// # What it checks
/// "Nest parentheses (and [brackets {and braces}]) at least 5 levels deep", as IFBench reads it:
/// scanning the response, `(`, `[` and `{` open levels and `)`, `]`, `}` close the innermost
/// one; once [`MIN_DEPTH`] levels are open, the first bracket that closes a level correctly
/// passes. A closing bracket that does not match the innermost open one (or closes nothing)
/// forgets everything opened so far. The kinds need not alternate: `((((()` passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:parentheses", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("a (b [c {d (e [f] e) d} c] b) a")).passed());
/// assert!(!c.verify(&Analysis::new("a (b [c {d (e) d} c] b) a")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NestedParenthesesChecker` (unchanged since the first release).
///
/// # Derivation
/// None: answers essentially never nest brackets five deep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parentheses;

impl Check for Parentheses {
    const INFO: CheckInfo = CheckInfo {
        id: "format:parentheses",
        title: "Brackets nested 5 deep",
        description: "`(`, `[` and `{` are open at least 5 levels deep and the innermost is then \
                      closed by its matching bracket. A closing bracket that does not match the \
                      innermost open one forgets all open levels.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Trees (which grow [slowly {over decades (or centuries [in old forests])}]) \
                   matter.",
            fail: "Trees (which grow [slowly {over decades (or centuries)}]) matter.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Parentheses, SpecError> {
        Ok(Parentheses)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        // The open brackets (kind and offset), the deepest nesting since the last reset, and the
        // deepest overall (for the detail).
        let mut open: Vec<(char, usize)> = Vec::new();
        let mut max_depth = 0;
        let mut deepest = 0;
        for (at, c) in text.text().char_indices() {
            match c {
                '(' | '[' | '{' => {
                    open.push((c, at));
                    max_depth = max_depth.max(open.len());
                    deepest = deepest.max(max_depth);
                }
                ')' | ']' | '}' => match open.last() {
                    Some(&(o, _)) if closes(o, c) => {
                        // Popping always leaves fewer open levels than the deepest reached.
                        if max_depth >= MIN_DEPTH {
                            let evidence =
                                open.iter().map(|&(o, at)| Span::new(at, at + o.len_utf8()));
                            let mut evidence: Vec<Span> = evidence.collect();
                            evidence.push(Span::new(at, at + 1));
                            return Verdict::pass(format!(
                                "brackets nested {max_depth} deep, then closed"
                            ))
                            .with_evidence(evidence);
                        }
                        open.pop();
                    }
                    _ => {
                        open.clear();
                        max_depth = 0;
                    }
                },
                _ => {}
            }
        }
        if deepest >= MIN_DEPTH {
            Verdict::fail(format!(
                "brackets reach depth {deepest}, but no matching bracket then closes a level"
            ))
        } else {
            Verdict::fail(format!("brackets nested at most {deepest} deep; needs {MIN_DEPTH}"))
        }
    }
}

/// Whether `close` closes `open`.
fn closes(open: char, close: char) -> bool {
    matches!((open, close), ('(', ')') | ('[', ']') | ('{', '}'))
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:parentheses";

    #[test]
    fn five_levels_then_a_matching_close() {
        assert_pass(ID, "{}", "((((()");
        assert_pass(ID, "{}", "{[({[x]})]}");
        assert_fail(ID, "{}", "(((())))");
        assert_fail(ID, "{}", "((((( x");
        // The first close after the fifth level must match.
        assert_fail(ID, "{}", "((((( ] )");
        // A mismatch forgets the open levels.
        assert_fail(ID, "{}", "((( ] (()))");
        assert_pass(ID, "{}", "((( ] ((((()");
        // A stray closer is a mismatch too.
        assert_fail(ID, "{}", "((( ) ) ) ) (())");
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn depth_counts_all_open_levels_not_alternation() {
        // Closing inner groups keeps the deepest level reached.
        assert_pass(ID, "{}", "(((((x) y");
        assert_pass(ID, "{}", "((((( (x) )");
    }

    #[test]
    fn evidence_is_the_open_brackets_and_the_closing_one() {
        let text = "a (b [c {d (e [f] e) d} c] b) a";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "brackets nested 5 deep, then closed");
        assert_eq!(evidence(&v, text), ["(", "[", "{", "(", "[", "]"]);
        let v = verify(ID, "{}", "(()) ((( x");
        assert_eq!(v.detail, "brackets nested at most 3 deep; needs 5");
        let v = verify(ID, "{}", "((((( ]");
        assert_eq!(v.detail, "brackets reach depth 5, but no matching bracket then closes a level");
    }
}
