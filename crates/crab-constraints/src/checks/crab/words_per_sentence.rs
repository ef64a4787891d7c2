//! `crab:words_per_sentence` — CRAB's `Sentence` constraint: no sentence has more than N words.

use std::rc::Rc;

use serde_json::{Map, Value};

use super::{crab_lines, is_blank, round_up_to_5, sentences_in, Counting, COUNTING_PARAM};
use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{Analysis, Span};

/// # What it checks
/// Every sentence has at most N words. Sentences are found as CRAB finds them: the text is split
/// into lines (at `\n`), empty lines are skipped, and each line is split by Punkt on its own
/// (`sent_tokenize(line)`). So a sentence never spans two lines, and a list item or heading
/// without a full stop is a sentence of its own — unlike IFEval's sentence count, which runs
/// Punkt over the whole text and joins lines that have no sentence-ending mark.
///
/// Words are counted per sentence as CRAB counts them (`counting: "nltk"`, the default):
/// `len(word_tokenize(sentence))`, punctuation included; or (`counting: "ifeval"`) as runs of
/// word characters.
///
/// # Parameters
/// `max_words` (N ≥ 1) and `counting` (`"nltk"` or `"ifeval"`, optional, default `"nltk"`).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"max_words": 5, "counting": "nltk"});
/// let c = Constraint::from_ifeval("crab:words_per_sentence", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Short one. Another short one.")).passed());
/// assert!(!c.verify(&Analysis::new("This sentence is a little too long.")).passed());
/// ```
///
/// # Derivation
/// As CRAB: the largest NLTK token count of any sentence, M; when M > 5, N = M rounded up to a
/// multiple of 5 (`⌈M/5⌉·5`). Counting is `nltk`. Not derived when N would exceed 50: a
/// "sentence" that long is a list or code line run together, and such a bound constrains
/// nothing a writer would notice.
///
/// # Relation to CRAB
/// Same traversal (non-empty lines, `sent_tokenize` per line, `word_tokenize` per sentence) and
/// the same rounding, so CRAB's bounds verify here; CRAB itself never verifies them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordsPerSentence {
    /// The most words a sentence may have.
    pub max_words: i64,
    /// How words are counted.
    pub counting: Counting,
}

/// The largest bound a derivation proposes.
const MAX_DERIVED: usize = 50;

/// Every sentence (CRAB's traversal) with its word count, in text order; computed once per
/// analysis and way of counting (derivation and the verification of what it derived both need
/// them).
fn sentence_lengths(text: &Analysis<'_>, counting: Counting) -> Rc<Vec<(Span, usize)>> {
    let key = match counting {
        Counting::Ifeval => "crab:words_per_sentence/ifeval",
        Counting::Nltk => "crab:words_per_sentence/nltk",
    };
    text.memo(key, || {
        let text = text.text();
        crab_lines(text)
            .flat_map(|line| sentences_in(text, line))
            .map(|s| (s, counting.count_in(s.slice(text))))
            .collect()
    })
}

impl Check for WordsPerSentence {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:words_per_sentence",
        title: "Words per sentence (CRAB)",
        description: "No sentence has more than N words. Sentences are CRAB's: each non-empty \
                      line is split by Punkt on its own, so a sentence never spans lines. Words \
                      are NLTK `word_tokenize` tokens of the sentence (punctuation counts), or \
                      with `counting: ifeval` runs of word characters. A derived bound is the \
                      longest sentence's token count rounded up to a multiple of 5, as in CRAB.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "max_words",
                doc: "the most words any sentence may have",
                kind: ParamKind::Count { min: 1, max: 200, default: 25 },
            },
            COUNTING_PARAM,
        ],
        example: Example {
            kwargs: r#"{"max_words": 8, "counting": "ifeval"}"#,
            pass: "Keep it brief.\nEach line is short. So is this one.",
            fail: "This single sentence keeps going on far longer than eight words.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<WordsPerSentence, SpecError> {
        Ok(WordsPerSentence {
            max_words: kw.int("max_words", 1)?,
            counting: Counting::from_kwargs(kw)?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("max_words", self.max_words.into()),
            ("counting", self.counting.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let lengths = sentence_lengths(text, self.counting);
        let max = usize::try_from(self.max_words).unwrap_or(usize::MAX);
        let too_long: Vec<Span> =
            lengths.iter().filter(|(_, n)| *n > max).map(|(s, _)| *s).collect();
        let longest = lengths.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let (_, many) = self.counting.unit();
        if too_long.is_empty() {
            let detail = format!(
                "{}, the longest with {longest} {many}; at most {max} allowed",
                plural(lengths.len(), "sentence", "sentences")
            );
            // The longest sentence (the first one if several tie).
            let evidence = lengths.iter().find(|(_, n)| *n == longest).map(|(s, _)| *s);
            Verdict::pass(detail).with_evidence(evidence.into_iter().collect())
        } else {
            let detail = format!(
                "{} of {} over {max} {many} (the longest has {longest})",
                too_long.len(),
                plural(lengths.len(), "sentence", "sentences")
            );
            Verdict::fail(detail).with_evidence(too_long)
        }
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<WordsPerSentence> {
        if is_blank(text) {
            return Vec::new();
        }
        let longest =
            sentence_lengths(text, Counting::Nltk).iter().map(|&(_, n)| n).max().unwrap_or(0);
        if longest <= 5 {
            return Vec::new();
        }
        let n = round_up_to_5(longest);
        if n > MAX_DERIVED {
            return Vec::new();
        }
        let max_words = i64::try_from(n).unwrap_or(i64::MAX);
        vec![WordsPerSentence { max_words, counting: Counting::Nltk }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "crab:words_per_sentence";

    #[test]
    fn every_sentence_is_within_the_limit() {
        let kw = r#"{"max_words": 4, "counting": "ifeval"}"#;
        assert_pass(ID, kw, "One two three four. Five six.");
        assert_fail(ID, kw, "One two three four five. Six.");
        assert_pass(ID, kw, "");
    }

    #[test]
    fn nltk_tokens_count_punctuation() {
        // "Yes , it is ." = 5 tokens, 3 words.
        assert_fail(ID, r#"{"max_words": 4}"#, "Yes, it is.");
        assert_pass(ID, r#"{"max_words": 4, "counting": "ifeval"}"#, "Yes, it is.");
        assert_pass(ID, r#"{"max_words": 5, "counting": "nltk"}"#, "Yes, it is.");
    }

    #[test]
    fn sentences_are_per_line_as_in_crab() {
        // Without the line split, Punkt would join the heading and the first sentence
        // ("Heading without stop One two three." = 6 words).
        let kw = r#"{"max_words": 3, "counting": "ifeval"}"#;
        assert_pass(ID, kw, "Heading without stop\nOne two three.");
        assert_fail(ID, kw, "Heading without stop One two three.");
    }

    #[test]
    fn evidence_is_the_long_sentences_or_the_longest() {
        let text = "Tiny. This one is long.\nFine. Also this is long.";
        let v = verify(ID, r#"{"max_words": 3, "counting": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["This one is long.", "Also this is long."]);
        assert_eq!(v.detail, "2 of 4 sentences over 3 words (the longest has 4)");
        let v = verify(ID, r#"{"max_words": 9, "counting": "ifeval"}"#, text);
        assert_eq!(evidence(&v, text), ["This one is long."]);
    }

    fn derive(text: &str) -> Vec<WordsPerSentence> {
        WordsPerSentence::derive(&analysis(text), &mut DeriveContext::new("", 7))
    }

    #[test]
    fn derives_the_longest_sentence_rounded_up_to_five() {
        // Longest sentence: "The second line has a longer sentence ." = 8 tokens → 10.
        let text = "Short one.\nThe second line has a longer sentence.";
        let derived = derive(text);
        assert_eq!(derived, [WordsPerSentence { max_words: 10, counting: Counting::Nltk }]);
        assert!(derived[0].verify(&analysis(text)).passed());
        // Exactly 10 tokens stays 10.
        let text = "One two three four five six seven eight nine.";
        assert_eq!(derive(text)[0].max_words, 10);
        assert!(derive(text)[0].verify(&analysis(text)).passed());
    }

    #[test]
    fn nothing_from_short_sentences_blank_text_or_endless_ones() {
        assert!(derive("Five tokens in this.").is_empty());
        assert!(derive("").is_empty());
        assert!(derive("\n \n").is_empty());
        let endless = vec!["word"; 60].join(" ");
        assert!(derive(&endless).is_empty());
    }
}
