//! `count:punctuation` — every standard punctuation mark, and an interrobang (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// The marks that must all occur, in IFBench's order.
pub const MARKS: [char; 6] = ['.', ',', '!', '?', ';', ':'];

/// # What it checks
/// The response holds an interrobang — `?!`, `!?` or `‽` — and, once the first `?!` is removed
/// (or, if there is none, the first `!?`), still holds each of `. , ! ? ; :`. So the `?` and
/// `!` of the interrobang do not count for the question and exclamation marks, but a `‽` leaves
/// nothing removed.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:punctuation", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Wait?! Yes: red, blue; done. Why? Wow!")).passed());
/// assert!(!c.verify(&Analysis::new("Wait?! Yes: red, blue; done.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `PunctuationCoverChecker` (unchanged since the first release). The
/// evidence spans are the interrobang and the first occurrence of each mark that counts.
///
/// # Derivation
/// None: natural answers essentially never hold an interrobang (none of the 541 GPT-4
/// responses passes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Punctuation;

impl Check for Punctuation {
    const INFO: CheckInfo = CheckInfo {
        id: "count:punctuation",
        title: "Every punctuation mark and an interrobang",
        description: "The response uses each of `. , ! ? ; :` and an interrobang (`?!`, `!?` or \
                      `‽`). The first `?!` (else `!?`) is taken out before looking for the \
                      other marks, so its `?` and `!` do not count for them.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Wait?! Yes: red, blue; done. Why? Wow!",
            fail: "Wait?! Yes: red, blue; done.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Punctuation, SpecError> {
        Ok(Punctuation)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        // `value.replace('?!', '', 1)`, else `value.replace('!?', '', 1)`: the removed pair.
        let removed = s.find("?!").or_else(|| s.find("!?")).map(|i| Span::new(i, i + 2));
        let interrobang = removed.or_else(|| s.find('‽').map(|i| Span::new(i, i + '‽'.len_utf8())));
        let Some(interrobang) = interrobang else {
            return Verdict::fail("no interrobang (?!, !? or ‽)");
        };
        let mut evidence = vec![interrobang];
        let mut missing = Vec::new();
        for mark in MARKS {
            let found = s
                .char_indices()
                .find(|&(i, c)| c == mark && !removed.is_some_and(|r| r.start <= i && i < r.end));
            match found {
                Some((i, _)) => evidence.push(Span::new(i, i + 1)),
                None => missing.push(mark),
            }
        }
        evidence.sort_by_key(|span| span.start);
        if missing.is_empty() {
            Verdict::pass("an interrobang and every mark of . , ! ? ; :").with_evidence(evidence)
        } else {
            let missing: Vec<String> = missing.iter().map(char::to_string).collect();
            let what = if removed.is_some() { " besides the interrobang" } else { "" };
            Verdict::fail(format!("no {}{what}", missing.join(" "))).with_evidence(evidence)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:punctuation";

    #[test]
    fn the_interrobang_does_not_count_for_its_marks() {
        let text = "Wait?! Yes: red, blue; done.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "no ! ? besides the interrobang");
        assert_eq!(evidence(&v, text), ["?!", ":", ",", ";", "."]);
        // Only the first `?!` is removed; a second one supplies `?` and `!`.
        assert_pass(ID, "{}", "Wait?! Yes: red, blue; done. Really?!");
        // `!?` is removed only when there is no `?!`.
        assert_fail(ID, "{}", "Wait!? Yes: red, blue; done.");
        assert_pass(ID, "{}", "Wait!? Yes: red, blue; done. Really?!");
    }

    #[test]
    fn a_unicode_interrobang_removes_nothing() {
        assert_pass(ID, "{}", "Wait‽ Yes: red, blue; done. Why? Wow!");
        assert_fail(ID, "{}", "Wait‽ Yes: red, blue; done.");
        // `?!!?`: the `?!` goes, leaving `!?`.
        assert_pass(ID, "{}", "?!!? .,;:");
        let v = verify(ID, "{}", "Hello. Why? Wow! a, b; c:");
        assert_eq!(v.detail, "no interrobang (?!, !? or ‽)");
    }
}
