//! `detectable_format:title` — the response has a title in double angle brackets, `<<like this>>`.

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// Some match of IFEval's `<<[^\n]+>>` has a non-blank inside once the leading `<` and trailing
/// `>` characters and whitespace are stripped. The match is greedy within a line: `<<a>> and
/// <<b>>` is one match (from the first `<<` to the last `>>` of the line), and a title cannot span
/// a newline.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("detectable_format:title", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("<<Ode to a Crab>>\nTen legs...")).passed());
/// assert!(!c.verify(&Analysis::new("<< >>\nNo title.")).passed());
/// ```
///
/// # Derivation
/// Derived when the response already has a title (the check passes); there is nothing to loosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title;

/// The matches of Python's `re.findall(r"<<[^\n]+>>", text)`, in order.
///
/// At each `<<`, `[^\n]+` first runs to the end of the line and then backs off to the last `>>`
/// that leaves at least one character inside; without one there is no match at that `<<`, and
/// the search resumes one character later.
pub fn title_matches(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    // The current line's end and the start of its last `>>` (cached: many `<<` may share a line).
    let mut line: Option<(usize, Option<usize>)> = None;
    while let Some(i) = text.get(pos..).and_then(|r| r.find("<<")).map(|i| pos + i) {
        let (line_end, last_close) = match line {
            Some((end, close)) if i < end => (end, close),
            _ => {
                let end = text.get(i..).and_then(|r| r.find('\n')).map_or(text.len(), |e| i + e);
                let close = text.get(i..end).and_then(|l| l.rfind(">>")).map(|j| i + j);
                line = Some((end, close));
                (end, close)
            }
        };
        debug_assert!(i < line_end);
        // Greedy `[^\n]+` backs off to the line's last `>>`; it needs one char inside.
        match last_close.filter(|&j| j >= i + 3) {
            Some(j) => {
                out.push(Span::new(i, j + 2));
                pos = j + 2;
            }
            None => pos = i + 1,
        }
    }
    out
}

/// Whether a `<<…>>` match is a title for IFEval: `lstrip("<").rstrip(">").strip()` non-empty.
fn is_title(m: &str) -> bool {
    !pystr::strip(m.trim_start_matches('<').trim_end_matches('>')).is_empty()
}

impl Check for Title {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_format:title",
        title: "Title in double angle brackets",
        description: "The response contains a title wrapped in double angle brackets, such as \
                      `<<poem of joy>>`, on one line and not blank. The brackets match greedily \
                      within a line: `<<a>> and <<b>>` counts as one title.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "<<Crabs at Dawn>>\nThe tide goes out.",
            fail: "Crabs at Dawn\nThe tide goes out.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Title, SpecError> {
        Ok(Title)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let titles: Vec<Span> =
            title_matches(text).into_iter().filter(|s| is_title(s.slice(text))).collect();
        match titles.first() {
            Some(first) => {
                Verdict::pass(format!("title {}", first.slice(text))).with_evidence(titles)
            }
            None => Verdict::fail("no title in double angle brackets, like <<title>>"),
        }
    }

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<Title> {
        let text = text.text();
        if title_matches(text).into_iter().any(|s| is_title(s.slice(text))) {
            vec![Title]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{title_matches, Title};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "detectable_format:title";

    fn matches(text: &str) -> Vec<&str> {
        title_matches(text).into_iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn titles_pass_and_are_the_evidence() {
        let text = "Intro\n<<A Title>>\nBody";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "title <<A Title>>");
        assert_eq!(evidence(&v, text), ["<<A Title>>"]);
        assert_fail(ID, "{}", "no title");
        assert_fail(ID, "{}", "<<>>");
    }

    #[test]
    fn greedy_within_a_line() {
        assert_eq!(matches("<<a>> x <<b>>\n<<c>>"), ["<<a>> x <<b>>", "<<c>>"]);
        assert_eq!(matches("<<a>>>"), ["<<a>>>"]);
        assert_eq!(matches("<<<a>>"), ["<<<a>>"]);
        assert_eq!(matches("<<>>>"), ["<<>>>"]);
    }

    #[test]
    fn titles_do_not_span_newlines() {
        assert_fail(ID, "{}", "<<a\nb>>");
        assert_pass(ID, "{}", "<<a\r\rb>>");
    }

    #[test]
    fn blank_inside_is_not_a_title() {
        assert_fail(ID, "{}", "<< >>");
        assert_fail(ID, "{}", "<<<>>>");
        assert_fail(ID, "{}", "<<\u{1c}\u{a0}>>");
        // Greedy matching can turn two blank titles into one real one.
        assert_pass(ID, "{}", "<< >> x << >>");
        // Only `<`/`>` runs at the ends are stripped, so inner brackets count as content.
        assert_pass(ID, "{}", "<<>><<>>");
    }

    #[test]
    fn derived_only_when_a_title_is_there() {
        let derive = |t: &str| Title::derive(&analysis(t), &mut DeriveContext::new("", 5));
        let text = "<<Ode to a Crab>>\nTen legs.";
        assert_eq!(derive(text), [Title]);
        assert!(Title.verify(&analysis(text)).passed());
        assert!(derive("Ode to a Crab\nTen legs.").is_empty());
        assert!(derive("<< >>").is_empty());
    }
}
