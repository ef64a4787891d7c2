//! `format:newline` — one word per line (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// "Write each word on a new line", as IFBench counts it: with ASCII punctuation deleted and the
/// text stripped, the number of non-empty lines (split on `\n` only) equals the number of words
/// (`str.split()`). A token of punctuation alone is no word, and a line of punctuation alone is
/// no line; but a line of spaces is a line without a word, which fails (as does a line of two
/// words), unless another line makes up for it: only the two totals are compared.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:newline", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("Roses\nare\nred.")).passed());
/// assert!(!c.verify(&Analysis::new("Roses are\nred.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `NewLineWordsChecker` (unchanged since the first release).
///
/// # Derivation
/// None: answers in prose do not put each word on its own line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Newline;

impl Check for Newline {
    const INFO: CheckInfo = CheckInfo {
        id: "format:newline",
        title: "One word per line",
        description: "With ASCII punctuation deleted, the number of non-empty lines equals the \
                      number of whitespace-separated words. Lines of punctuation alone are \
                      ignored; a line of spaces counts as a line.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Roses\nare\nred,\nviolets\nare\nblue.",
            fail: "Roses are red,\nviolets are blue.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Newline, SpecError> {
        Ok(Newline)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let deleted = pystr::delete_punctuation(s);
        let stripped = pystr::strip(&deleted);
        let lines = stripped.split('\n').filter(|line| !line.is_empty()).count();
        let words = pystr::split_whitespace(stripped).count();
        let detail = format!(
            "{} and {}",
            plural(lines, "non-empty line", "non-empty lines"),
            plural(words, "word", "words")
        );
        if lines == words {
            return Verdict::pass(detail);
        }
        // The lines of the original text that hold several words, or whitespace without a
        // word (deleting punctuation never joins or splits lines or words).
        let mut evidence = Vec::new();
        let mut start = 0;
        for line in s.split('\n') {
            let span = Span::new(start, start + line.len());
            start = span.end + 1;
            let kept = pystr::delete_punctuation(line);
            let n = pystr::split_whitespace(&kept).count();
            if n > 1 || (n == 0 && !kept.is_empty()) {
                evidence.push(span);
            }
        }
        Verdict::fail(detail).with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:newline";

    #[test]
    fn lines_and_words_are_counted_after_deleting_punctuation() {
        assert_pass(ID, "{}", "One\ntwo\n\n\nthree");
        assert_pass(ID, "{}", "\n  One\ntwo  \n");
        // Punctuation-only lines and tokens vanish.
        assert_pass(ID, "{}", "One\n---\ntwo !");
        assert_pass(ID, "{}", "don't\nstop");
        assert_fail(ID, "{}", "One two");
        // A line of spaces is a line without a word…
        assert_fail(ID, "{}", "One\n   \ntwo");
        // …which a line of two words makes up for: only the totals are compared.
        assert_pass(ID, "{}", "One\n   \ntwo three");
        // Other whitespace does not separate lines.
        assert_fail(ID, "{}", "One\rtwo");
        assert_pass(ID, "{}", "");
    }

    #[test]
    fn evidence_is_the_lines_without_exactly_one_word() {
        let text = "One\ntwo three\n,\n  \nfour";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "4 non-empty lines and 4 words");
        assert_eq!(v.status, crate::checks::Status::Pass);
        let text = "One\ntwo three\n,\nfour";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "3 non-empty lines and 4 words");
        assert_eq!(evidence(&v, text), ["two three"]);
    }
}
