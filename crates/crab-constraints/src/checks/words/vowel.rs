//! `words:vowel` — one paragraph that uses at most three of the five vowels (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response, stripped of surrounding whitespace, is a single line (no `\n`), and its
/// lowercase uses at most three distinct letters of `aeiou` (`y` and accented vowels do not
/// count; `İ` lowers to an `i` and does).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:vowel", &serde_json::Value::Null).unwrap();
/// // a, e and i only.
/// assert!(c.verify(&Analysis::new("Anna sang with grace and spirit.")).passed());
/// // a, o, e and i.
/// assert!(!c.verify(&Analysis::new("Anna sang one song with spirit.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `SingleVowelParagraphChecker` (unchanged since the first release).
///
/// # Derivation
/// None: natural English uses all five vowels within a sentence or two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vowel;

impl Check for Vowel {
    const INFO: CheckInfo = CheckInfo {
        id: "words:vowel",
        title: "At most three vowels",
        description: "A single paragraph (no line break inside) that uses at most three \
                      different vowels of `a`, `e`, `i`, `o`, `u`, in either case.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Anna sang with grace and spirit.",
            fail: "Anna sang one song with spirit.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Vowel, SpecError> {
        Ok(Vowel)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let stripped = pystr::strip(s);
        let start = s.len() - pystr::lstrip(s).len();
        if let Some(i) = stripped.find('\n') {
            return Verdict::fail("more than one paragraph (a line break inside)")
                .with_evidence(vec![Span::new(start + i, start + i + 1)]);
        }
        // The first occurrence of each vowel, in order of appearance.
        let mut seen: Vec<(char, Span)> = Vec::new();
        for (i, c) in stripped.char_indices() {
            let lowered = pystr::lower(&c.to_string());
            for v in lowered.chars().filter(|v| "aeiou".contains(*v)) {
                if !seen.iter().any(|(w, _)| *w == v) {
                    seen.push((v, Span::new(start + i, start + i + c.len_utf8())));
                }
            }
        }
        let vowels: String = seen.iter().map(|(v, _)| *v).collect();
        let detail = format!("{} vowels used ({vowels}); at most 3 allowed", seen.len());
        Verdict::from_bool(seen.len() <= 3, detail)
            .with_evidence(seen.into_iter().map(|(_, span)| span).collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:vowel";

    #[test]
    fn counts_distinct_vowels() {
        assert_pass(ID, "{}", "Anna sang with grace and spirit.");
        assert_pass(ID, "{}", "Rhythm, shy gym.");
        assert_pass(ID, "{}", "");
        let text = "Anna sang one song with spirit.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "4 vowels used (aoei); at most 3 allowed");
        assert_eq!(evidence(&v, text), ["A", "o", "e", "i"]);
        // Upper case counts, `y` and accented vowels do not, `İ` lowers to `i` + a dot.
        assert_fail(ID, "{}", "A E I O");
        assert_pass(ID, "{}", "A E I yé");
        assert_fail(ID, "{}", "a e o İ");
    }

    #[test]
    fn one_paragraph_only() {
        assert_pass(ID, "{}", "\n  Sam ran. \n\n");
        let text = "Sam ran.\nBill sat.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "more than one paragraph (a line break inside)");
        assert_eq!(evidence(&v, text), ["\n"]);
        assert_fail(ID, "{}", "a\n\nb");
        // Only `\n` separates paragraphs.
        assert_pass(ID, "{}", "Sam ran.\rBill sat.");
    }
}
