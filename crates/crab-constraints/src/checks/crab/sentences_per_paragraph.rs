//! `crab:sentences_per_paragraph` — CRAB's `Paragraph` constraint, corrected: no paragraph has
//! more than N sentences.

use serde_json::{Map, Value};

use super::{crab_lines, is_blank, sentences_in};
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// Every paragraph has at most N sentences (Punkt, run on each paragraph on its own). What a
/// paragraph is depends on `paragraph`:
/// - `"line"` (CRAB's): every line that is not exactly empty (the text split at `\n`);
/// - `"ifeval"`: the chunks of the text split at every `\n\n` (as IFEval's
///   `nth_paragraph_first_word` splits), stripped, blank chunks dropped — blocks separated by
///   blank lines.
///
/// # Parameters
/// `max_sentences` (N ≥ 1) and `paragraph` (`"line"` or `"ifeval"`, optional, default
/// `"line"`).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"max_sentences": 2, "paragraph": "line"});
/// let c = Constraint::from_ifeval("crab:sentences_per_paragraph", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("One. Two.\nThree. Four.")).passed());
/// assert!(!c.verify(&Analysis::new("One. Two. Three.")).passed());
/// ```
///
/// # Derivation
/// M = the largest number of sentences in any line (CRAB's paragraphs); when M > 1,
/// N = M + r with r uniform in 0..2, with `paragraph: "line"`. Not derived when M > 8: a line of
/// more than 8 sentences is a wall of text that a bound of 9–10 does not shape.
///
/// # Relation to CRAB (corrected bug)
/// CRAB's `refined_Length` takes the **minimum** sentence count over the lines and emits
/// "each paragraph should not exceed N sentences" with N = minimum + 0–2, so any longer
/// paragraph violates its own constraint. Here N comes from the **maximum**, so a derived bound
/// holds on its response. CRAB emits the constraint only when its minimum exceeds 1; here the
/// maximum must.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentencesPerParagraph {
    /// The most sentences a paragraph may have.
    pub max_sentences: i64,
    /// What a paragraph is.
    pub paragraph: Paragraph,
}

/// What a paragraph is, for [`SentencesPerParagraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paragraph {
    /// CRAB's: every non-empty line.
    Line,
    /// Blank-line-separated blocks: the non-blank chunks of the `\n\n` split, stripped.
    Ifeval,
}

impl Paragraph {
    /// The kwargs spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Paragraph::Line => "line",
            Paragraph::Ifeval => "ifeval",
        }
    }

    /// The paragraphs of `text`, as spans.
    fn spans(self, text: &str) -> Vec<Span> {
        match self {
            Paragraph::Line => crab_lines(text).collect(),
            Paragraph::Ifeval => {
                let mut out = Vec::new();
                let mut start = 0;
                let ends = text.match_indices("\n\n").map(|(i, _)| i).chain([text.len()]);
                for end in ends {
                    let chunk = Span::new(start, end);
                    start = end + 2;
                    let s = chunk.slice(text);
                    let lead = s.len() - pystr::lstrip(s).len();
                    let stripped = pystr::strip(s);
                    if !stripped.is_empty() {
                        let from = chunk.start + lead;
                        out.push(Span::new(from, from + stripped.len()));
                    }
                }
                out
            }
        }
    }
}

/// The largest maximum a derivation turns into a bound.
const MAX_DERIVED_FROM: usize = 8;

/// Every paragraph with its number of sentences.
fn paragraph_sentences(text: &str, paragraph: Paragraph) -> Vec<(Span, usize)> {
    paragraph.spans(text).into_iter().map(|p| (p, sentences_in(text, p).len())).collect()
}

impl Check for SentencesPerParagraph {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:sentences_per_paragraph",
        title: "Sentences per paragraph (CRAB)",
        description: "No paragraph has more than N Punkt sentences. A paragraph is CRAB's \
                      non-empty line (`paragraph: line`), or a block separated by blank lines \
                      (`paragraph: ifeval`, the `\\n\\n` split IFEval uses). Corrected from \
                      CRAB, whose rule took the *minimum* sentence count over the lines, so that \
                      its own response usually broke it; a derived bound here comes from the \
                      maximum (plus 0–2) and holds.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "max_sentences",
                doc: "the most sentences any paragraph may have",
                kind: ParamKind::Count { min: 1, max: 100, default: 5 },
            },
            Param {
                name: "paragraph",
                doc: "`line` = every non-empty line (CRAB), or `ifeval` = blocks separated by \
                      blank lines",
                kind: ParamKind::Choice { options: &["line", "ifeval"], default: "line" },
            },
        ],
        example: Example {
            kwargs: r#"{"max_sentences": 2, "paragraph": "ifeval"}"#,
            pass: "First point. Its reason.\n\nSecond point. Its reason.",
            fail: "First point. Its reason.\nSecond point.\n\nDone.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<SentencesPerParagraph, SpecError> {
        let max_sentences = kw.int("max_sentences", 1)?;
        let paragraph = match kw.opt_string("paragraph")? {
            None | Some("line") => Paragraph::Line,
            Some("ifeval") => Paragraph::Ifeval,
            Some(other) => {
                return Err(kw.invalid(
                    "paragraph",
                    format!("must be \"line\" or \"ifeval\", got {other:?}"),
                ))
            }
        };
        Ok(SentencesPerParagraph { max_sentences, paragraph })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("max_sentences", self.max_sentences.into()),
            ("paragraph", self.paragraph.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let counts = paragraph_sentences(text.text(), self.paragraph);
        let max = usize::try_from(self.max_sentences).unwrap_or(usize::MAX);
        let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let too_long: Vec<Span> =
            counts.iter().filter(|(_, n)| *n > max).map(|(p, _)| *p).collect();
        if too_long.is_empty() {
            let detail = format!(
                "{}, the longest with {}; at most {max} allowed",
                plural(counts.len(), "paragraph", "paragraphs"),
                plural(most, "sentence", "sentences")
            );
            let evidence = counts.iter().find(|(_, n)| *n == most).map(|(p, _)| *p);
            Verdict::pass(detail).with_evidence(evidence.into_iter().collect())
        } else {
            let detail = format!(
                "{} of {} over {max} sentences (the longest has {most})",
                too_long.len(),
                plural(counts.len(), "paragraph", "paragraphs")
            );
            Verdict::fail(detail).with_evidence(too_long)
        }
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<SentencesPerParagraph> {
        if is_blank(text) {
            return Vec::new();
        }
        let most = paragraph_sentences(text.text(), Paragraph::Line)
            .into_iter()
            .map(|(_, n)| n)
            .max()
            .unwrap_or(0);
        if most <= 1 || most > MAX_DERIVED_FROM {
            return Vec::new();
        }
        let max_sentences = i64::try_from(most).unwrap_or(i64::MAX) + cx.rng.range(0, 2);
        vec![SentencesPerParagraph { max_sentences, paragraph: Paragraph::Line }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "crab:sentences_per_paragraph";

    #[test]
    fn lines_are_crabs_paragraphs() {
        let kw = r#"{"max_sentences": 2, "paragraph": "line"}"#;
        assert_pass(ID, kw, "One. Two.\nThree. Four.\n\nFive.");
        assert_fail(ID, kw, "One. Two. Three.\nFour.");
        // The default is `line`.
        assert_pass(ID, r#"{"max_sentences": 2}"#, "One. Two.\nThree. Four.");
        assert_pass(ID, kw, "");
    }

    #[test]
    fn ifeval_paragraphs_are_blank_line_blocks() {
        let kw = r#"{"max_sentences": 2, "paragraph": "ifeval"}"#;
        assert_fail(ID, kw, "One. Two.\nThree. Four.\n\nFive.");
        assert_pass(ID, kw, "One. Two.\n\nThree. Four.\n\n\n\nFive.");
        // A line of spaces between does not separate blocks (the split is at `\n\n` exactly).
        assert_fail(ID, kw, "One. Two.\n \nThree.");
    }

    #[test]
    fn the_longest_paragraph_decides_not_the_shortest() {
        // CRAB would derive "at most 1 + 0..2" from the one-sentence line; the four-sentence
        // line breaks that. Here the bound comes from the maximum.
        let text = "Alone.\nIt is one. It is two. It is three. It is four.";
        let kw = r#"{"max_sentences": 3}"#;
        assert_fail(ID, kw, text);
        let v = verify(ID, kw, text);
        assert_eq!(evidence(&v, text), ["It is one. It is two. It is three. It is four."]);
    }

    #[test]
    fn evidence_on_pass_is_the_longest_paragraph() {
        let text = "One.\n\n  Two. Three.  \n\nFour.";
        let v = verify(ID, r#"{"max_sentences": 5, "paragraph": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["Two. Three."]);
        assert_eq!(v.detail, "3 paragraphs, the longest with 2 sentences; at most 5 allowed");
    }

    fn derive(text: &str, seed: u64) -> Vec<SentencesPerParagraph> {
        SentencesPerParagraph::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derives_from_the_maximum_with_slack() {
        let text = "Alone.\nOne here. Two here. Three here.\nAnd one more.";
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..60 {
            let d = derive(text, seed);
            assert_eq!(d.len(), 1);
            assert_eq!(d, derive(text, seed));
            assert_eq!(d[0].paragraph, Paragraph::Line);
            assert!(d[0].verify(&analysis(text)).passed());
            seen.insert(d[0].max_sentences);
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [3, 4, 5]);
    }

    #[test]
    fn nothing_from_one_sentence_lines_blank_text_or_walls_of_text() {
        assert!(derive("One sentence.\nAnother line.", 1).is_empty());
        assert!(derive("", 1).is_empty());
        let wall = "This is it. ".repeat(9);
        assert!(derive(&wall, 1).is_empty());
    }
}
