//! `format:quotes` — quotes within quotes within quotes (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// The nesting depth required.
pub const MIN_DEPTH: usize = 3;

/// # What it checks
/// "Include quotes within quotes within quotes, at least 3 levels deep, alternating between
/// double quotes and single quotes", as IFBench checks it: scanning the response, a `"` or `'`
/// equal to the innermost open quote closes it, and any other opens a new level. It passes as
/// soon as [`MIN_DEPTH`] levels have been closed below the deepest level ever reached. Only the
/// ASCII `"` and `'` count, alternation is not required (`"` inside `"` is impossible anyway:
/// it closes), and apostrophes are quotes too: `it's` opens a level that the next `'` closes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:quotes", &serde_json::Value::Null).unwrap();
/// let ok = r#"He said "she told me 'the sign read "stop" today' loudly" twice."#;
/// assert!(c.verify(&Analysis::new(ok)).passed());
/// assert!(!c.verify(&Analysis::new(r#"He said "she told me 'stop' loudly" twice."#)).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NestedQuotesChecker` (unchanged since the first release).
///
/// # Derivation
/// None: real answers reach three levels mostly through apostrophes, which would make a
/// meaningless constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotes;

impl Check for Quotes {
    const INFO: CheckInfo = CheckInfo {
        id: "format:quotes",
        title: "Quotes nested 3 deep",
        description: "Quotes (`\"` and `'`) are nested at least 3 levels deep and closed: a quote \
                      equal to the innermost open one closes it, any other opens a level. \
                      Apostrophes count as single quotes.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: r#"He said "she told me 'the sign read "stop" today' loudly" twice."#,
            fail: r#"He said "she told me 'stop' loudly" twice."#,
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Quotes, SpecError> {
        Ok(Quotes)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        // The open quotes (kind and offset), the deepest level reached, and the closing quotes
        // seen since that level was reached.
        let mut open: Vec<(char, usize)> = Vec::new();
        let mut reached = 0;
        let mut closed_below: Vec<Span> = Vec::new();
        for (at, c) in text.text().char_indices() {
            let closing = open.last().filter(|&&(top, _)| top == c).map(|&(_, at)| at);
            if let Some(opened) = closing {
                open.pop();
                closed_below.push(Span::new(opened, opened + 1));
                closed_below.push(Span::new(at, at + 1));
                if reached - open.len() >= MIN_DEPTH {
                    closed_below.sort_unstable_by_key(|s| s.start);
                    return Verdict::pass(format!("quotes nested {reached} deep, and closed"))
                        .with_evidence(closed_below);
                }
            } else if c == '"' || c == '\'' {
                open.push((c, at));
                if open.len() > reached {
                    reached = open.len();
                    closed_below.clear();
                }
            }
        }
        Verdict::fail(format!(
            "quotes closed at most {} levels deep; needs {MIN_DEPTH}",
            deepest_closed(text.text())
        ))
    }
}

/// The most levels ever closed below the deepest level reached (for the detail of a failure).
fn deepest_closed(s: &str) -> usize {
    let mut open: Vec<char> = Vec::new();
    let (mut reached, mut best) = (0, 0);
    for c in s.chars() {
        if open.last() == Some(&c) {
            open.pop();
            best = best.max(reached - open.len());
        } else if c == '"' || c == '\'' {
            open.push(c);
            reached = reached.max(open.len());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:quotes";

    #[test]
    fn three_levels_closed() {
        assert_pass(ID, "{}", r#""a 'b "c" b' a""#);
        assert_pass(ID, "{}", r#"'a "b 'c' b" a'"#);
        assert_fail(ID, "{}", r#""a 'b "c" b'"#);
        assert_fail(ID, "{}", r#""a" 'b' "c""#);
        assert_fail(ID, "{}", "");
        // Curly quotes are not quotes here.
        assert_fail(ID, "{}", "“a ‘b “c” b’ a”");
    }

    #[test]
    fn apostrophes_are_quotes() {
        // `it's` opens a single quote that `'ok'` closes, then reopens.
        assert_pass(ID, "{}", r#"it's "x 'y' z" fine'"#);
        assert_fail(ID, "{}", "it's John's dog");
    }

    #[test]
    fn the_deepest_level_reached_counts() {
        // Levels closed count from the deepest level ever reached, even after other quotes.
        assert_pass(ID, "{}", r#""'"x"' 'y' ""#);
        assert_fail(ID, "{}", r#""'"x" '' ""#);
        let text = r#"say "a 'b "c" d' e" now"#;
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "quotes nested 3 deep, and closed");
        assert_eq!(evidence(&v, text), ["\"", "'", "\"", "\"", "'", "\""]);
        let v = verify(ID, "{}", r#""a 'b' c""#);
        assert_eq!(v.detail, "quotes closed at most 2 levels deep; needs 3");
    }
}
