//! `detectable_format:number_bullet_lists` — exactly N markdown bullet points (`*` or `-`).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The number of bullet points equals N exactly. IFEval counts the matches of two multiline
/// regexes and adds them: `^\s*\*[^\*].*$` (a line whose first non-blank character is `*`
/// followed by anything but another `*`) and `^\s*-.*$` (first non-blank character `-`).
///
/// Consequences, all kept:
/// - `[^\*]` also matches a newline, so a line holding only `*` swallows the next line:
///   `"*\n* b"` is one bullet;
/// - `---` rules, `-5` and lines starting with `*italic*` count; `**bold**` lines, `1.` and `+`
///   items do not;
/// - `\s*` also crosses blank lines, and Python's `\s` includes U+001C..U+001F and U+0085.
///
/// # Parameters
/// `num_bullets` (N ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"num_bullets": 2});
/// let c = Constraint::from_ifeval("detectable_format:number_bullet_lists", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Points:\n* one\n- two")).passed());
/// assert!(!c.verify(&Analysis::new("Points:\n* one\n* two\n* three")).passed());
/// ```
///
/// # Derivation
/// Derived when the response has at least two real list items (a `*` or `-` followed by a space
/// or tab, not a `---` rule or `-5`), with N = everything IFEval counts, exactly: the relation
/// is equality, so nothing is loosened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberBulletLists {
    /// The exact number of bullet points N.
    pub num_bullets: i64,
}

/// Python's `re.findall(pattern, text, re.MULTILINE)` for a pattern of the shape `^\s*` + `rest`
/// + `.*$`, where `rest(text, q)` says where the bullet marker that starts at `q` (the first
///   non-space character) ends, if it is one. Returns `(marker start, match end)` pairs.
fn line_matches(text: &str, rest: impl Fn(&str, usize) -> Option<usize>) -> Vec<Span> {
    let mut out = Vec::new();
    let next_line = |from: usize| text.get(from..).and_then(|r| r.find('\n')).map(|i| from + i + 1);
    let mut p = Some(0);
    while let Some(start) = p {
        // `\s*` is greedy and the marker is not a space, so only the longest run can work.
        let q = start + (text.len() - start - pystr::lstrip(text.get(start..).unwrap_or("")).len());
        match rest(text, q) {
            Some(r) => {
                // `.*$`: to the end of the line.
                let e = text.get(r..).and_then(|t| t.find('\n')).map_or(text.len(), |i| r + i);
                out.push(Span::new(q, e));
                // The search resumes at `e`, which is a line start only after an empty `.*`
                // that directly follows a newline.
                p = if e > 0 && text.as_bytes().get(e - 1) == Some(&b'\n') {
                    Some(e)
                } else {
                    next_line(e)
                };
            }
            // Every line start up to `q` reaches the same `q` and fails the same way.
            None => p = next_line(q),
        }
    }
    out
}

/// The spans (from the marker to the end of the match) of IFEval's `*` bullets,
/// `^\s*\*[^\*].*$`.
pub fn star_bullets(text: &str) -> Vec<Span> {
    line_matches(text, |t, q| {
        let mut chars = t.get(q..)?.chars();
        (chars.next()? == '*').then_some(())?;
        let c = chars.next().filter(|&c| c != '*')?;
        Some(q + 1 + c.len_utf8())
    })
}

/// The spans of IFEval's `-` bullets, `^\s*-.*$`.
pub fn dash_bullets(text: &str) -> Vec<Span> {
    line_matches(text, |t, q| t.get(q..)?.starts_with('-').then_some(q + 1))
}

impl Check for NumberBulletLists {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_format:number_bullet_lists",
        title: "Exactly N bullet points",
        description: "The response has exactly N markdown bullet points: lines whose first \
                      non-blank character is `*` (not followed by another `*`) or `-`. As in \
                      IFEval, `---` rules and `*italic*` line starts count, `**bold**` lines and \
                      numbered items do not, and a line holding only `*` takes the next line \
                      with it.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "num_bullets",
            doc: "the exact number of bullet points N",
            kind: ParamKind::Count { min: 0, max: 50, default: 3 },
        }],
        example: Example {
            kwargs: r#"{"num_bullets": 2}"#,
            pass: "* Shell\n* Claws",
            fail: "* Shell\n* Claws\n* Legs",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<NumberBulletLists, SpecError> {
        Ok(NumberBulletLists { num_bullets: kw.int("num_bullets", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("num_bullets", self.num_bullets.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let mut bullets = star_bullets(text);
        bullets.extend(dash_bullets(text));
        bullets.sort_unstable();
        let n = bullets.len();
        let ok = i64::try_from(n).is_ok_and(|n| n == self.num_bullets);
        let detail = format!(
            "{}; needs exactly {}",
            plural(n, "bullet point", "bullet points"),
            self.num_bullets
        );
        Verdict::from_bool(ok, detail).with_evidence(bullets)
    }

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<NumberBulletLists> {
        let text = text.text();
        let mut bullets = star_bullets(text);
        bullets.extend(dash_bullets(text));
        let items = bullets
            .iter()
            .filter(|s| {
                let item = s.slice(text);
                ["* ", "*\t", "- ", "-\t"].iter().any(|m| item.starts_with(m))
            })
            .count();
        match i64::try_from(bullets.len()) {
            Ok(num_bullets) if items >= 2 => vec![NumberBulletLists { num_bullets }],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{dash_bullets, star_bullets, NumberBulletLists};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "detectable_format:number_bullet_lists";
    const EXACTLY_2: &str = r#"{"num_bullets": 2}"#;

    fn stars(text: &str) -> Vec<&str> {
        star_bullets(text).into_iter().map(|s| s.slice(text)).collect()
    }

    fn dashes(text: &str) -> Vec<&str> {
        dash_bullets(text).into_iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn counts_star_and_dash_bullets_exactly() {
        let text = "List:\n* a\n  - b\nend";
        let v = verify(ID, EXACTLY_2, text);
        assert_eq!(v.detail, "2 bullet points; needs exactly 2");
        assert_eq!(evidence(&v, text), ["* a", "- b"]);
        assert_fail(ID, EXACTLY_2, "* a\n* b\n* c");
        assert_fail(ID, EXACTLY_2, "* a");
        assert_pass(ID, r#"{"num_bullets": 0}"#, "no bullets");
    }

    #[test]
    fn bare_star_line_swallows_the_next_line() {
        assert_eq!(stars("*\n* b"), ["*\n* b"]);
        assert_pass(ID, r#"{"num_bullets": 1}"#, "*\n* b");
        // The swallowed line can still be a dash bullet: counted by the other regex too.
        assert_eq!(stars("*\n- b"), ["*\n- b"]);
        assert_eq!(dashes("*\n- b"), ["- b"]);
        assert_pass(ID, EXACTLY_2, "*\n- b");
        // A final `*\n` ends the text.
        assert_eq!(stars("x\n*\n"), ["*\n"]);
    }

    #[test]
    fn rules_negative_numbers_and_italics_count() {
        assert_eq!(dashes("---\n-5 degrees"), ["---", "-5 degrees"]);
        assert_eq!(stars("*italic* start"), ["*italic* start"]);
    }

    #[test]
    fn bold_numbered_and_plus_items_do_not_count() {
        assert!(stars("**bold** line").is_empty());
        assert!(stars("1. one\n+ two").is_empty() && dashes("1. one\n+ two").is_empty());
        assert!(stars("*").is_empty());
        assert!(stars("a * b").is_empty());
    }

    #[test]
    fn leading_python_whitespace_crosses_lines() {
        assert_eq!(stars("\n\n \u{1c}\u{85}\t* a"), ["* a"]);
        assert_eq!(dashes("\u{2028}- a"), ["- a"]);
        // U+200B is not whitespace.
        assert!(dashes("\u{200b}- a").is_empty());
        // `\r` is not a line break for `.` or `$`.
        assert_eq!(stars("* a\r* b"), ["* a\r* b"]);
    }

    fn derive(text: &str) -> Vec<NumberBulletLists> {
        NumberBulletLists::derive(&analysis(text), &mut DeriveContext::new("", 9))
    }

    #[test]
    fn derived_count_is_exact_including_quirks() {
        // Two items plus a `---` rule, which IFEval counts too.
        let text = "Intro\n* one\n- two\n---\nEnd";
        let derived = derive(text);
        assert_eq!(derived, [NumberBulletLists { num_bullets: 3 }]);
        assert!(derived[0].verify(&analysis(text)).passed());
    }

    #[test]
    fn nothing_derived_without_two_real_items() {
        assert!(derive("no list").is_empty());
        assert!(derive("* only one").is_empty());
        assert!(derive("---\n-5 degrees\n*italic* start").is_empty());
    }
}
