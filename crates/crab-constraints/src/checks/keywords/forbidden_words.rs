//! `keywords:forbidden_words` — none of the given words appears as a whole word.

use serde_json::{Map, Value};

use crate::checks::keywords::existence::{instruction_words, EVERYDAY_WORDS};
use crate::checks::keywords::{list_kwargs, sorted_list};
use crate::checks::kwargs::quoted_list;
use crate::checks::pattern::PyPattern;
use crate::checks::{
    Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::pyre::Budget;
use crate::text::FoldedText;
use crate::text::{Analysis, Span};

/// # What it checks
/// No forbidden word occurs as a whole word: for each word, `re.search(r"\b" + word + r"\b",
/// response, re.IGNORECASE)` finds nothing. Unlike `keywords:existence`, this needs word
/// boundaries: `rock` is forbidden in `Rock on` but not in `rocket`. `\b` is Python's, built on
/// Python's `\w` (combining marks are not word characters). Words are Python regular expressions,
/// as in IFEval (see [`crate::checks::pattern`]).
///
/// # Parameters
/// `forbidden_words`: a non-empty list of strings. IFEval stores them deduplicated and sorted, and
/// so does [`Check::kwargs`].
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"forbidden_words": ["rock"]});
/// let c = Constraint::from_ifeval("keywords:forbidden_words", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("A rocket launch.")).passed());
/// assert!(!c.verify(&Analysis::new("Rock on!")).passed());
/// ```
///
/// # IFEval equivalence
/// Exact for every word made of plain characters (all of IFEval's). An empty list is refused
/// (Google's code would pick random words).
///
/// # Derivation
/// Plausible words that the response does not use — not even inside a longer word, so that
/// `crab` is not forbidden to a response about `crabs`: one everyday word (`people`, `really`,
/// `important`, …; such a word is what makes the constraint bite on other responses) and up to
/// two topical words of the instruction (content words of 4–20 letters, neither stopwords nor
/// words about the response's form such as `paragraph` or `lowercase`), the number drawn from
/// the rng. Nothing is derived when the response uses every everyday word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForbiddenWords {
    /// The words, deduplicated and sorted.
    pub forbidden_words: Vec<String>,
    /// `\b` + word + `\b`, compiled, in the same order.
    patterns: Vec<PyPattern>,
}

impl ForbiddenWords {
    /// Builds the constraint from its words, deduplicated and sorted as IFEval stores them.
    pub fn new(mut words: Vec<String>) -> ForbiddenWords {
        words.sort();
        words.dedup();
        let patterns = words.iter().map(|w| PyPattern::new(&format!(r"\b{w}\b"))).collect();
        ForbiddenWords { forbidden_words: words, patterns }
    }
}

impl ForbiddenWords {
    /// Matches of the words in `text` (the first word's, left to right, then the next word's…),
    /// produced lazily, when every word is an exact pattern ([`PyPattern::is_fixed`]); `None`
    /// otherwise. Each is a match [`Check::verify`] would find, so a text with one fails.
    pub(crate) fn exact_matches<'s>(
        &'s self,
        text: &'s FoldedText<'_>,
    ) -> Option<impl Iterator<Item = Span> + 's> {
        let iters: Option<Vec<_>> = self.patterns.iter().map(|p| p.exact_find_iter(text)).collect();
        Some(iters?.into_iter().flatten())
    }

    /// Whether `span` is exactly a match, in `text`, of one of the words whose pattern is exact
    /// ([`PyPattern::is_fixed`]).
    pub(crate) fn is_exact_match(&self, text: &FoldedText<'_>, span: Span) -> bool {
        self.patterns.iter().any(|p| p.exact_match_is(text, span))
    }
}

impl Check for ForbiddenWords {
    const INFO: CheckInfo = CheckInfo {
        id: "keywords:forbidden_words",
        title: "Forbidden words",
        description: "None of the forbidden words occurs as a whole word, ignoring case: `rock` \
                      is caught in `Rock on` but not in `rocket`. Words are Python regular \
                      expressions, as in IFEval.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "forbidden_words",
            doc: "the words that must not appear",
            kind: ParamKind::TextList { default: &["very"] },
        }],
        example: Example {
            kwargs: r#"{"forbidden_words": ["issue", "thanks"]}"#,
            pass: "Many thanksgiving issues were solved.",
            fail: "Thanks for reporting the issue.",
        },
    };

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<ForbiddenWords> {
        if text.words().is_empty() {
            return Vec::new();
        }
        let folded = text.folded();
        let absent = |w: &str| matches!(PyPattern::new(w).search(&folded), Ok(None));
        let everyday: Vec<&str> = EVERYDAY_WORDS.iter().copied().filter(|w| absent(w)).collect();
        let Some(&first) = cx.rng.pick(&everyday) else {
            return Vec::new();
        };
        let mut asked: Vec<String> = instruction_words(cx.instruction)
            .into_iter()
            .filter(|w| w != first && absent(w))
            .collect();
        cx.rng.shuffle(&mut asked);
        let extra = usize::try_from(cx.rng.range(0, 2)).unwrap_or(0);
        let mut words = vec![first.to_owned()];
        words.extend(asked.into_iter().take(extra));
        let derived = ForbiddenWords::new(words);
        if derived.verify(text).passed() {
            vec![derived]
        } else {
            Vec::new()
        }
    }

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<ForbiddenWords, SpecError> {
        Ok(ForbiddenWords::new(sorted_list(kw, "forbidden_words", "word")?))
    }

    fn kwargs(&self) -> Map<String, Value> {
        list_kwargs("forbidden_words", self.forbidden_words.iter().map(String::as_str))
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let folded = text.folded();
        let mut evidence: Vec<Span> = Vec::new();
        let mut found: Vec<&str> = Vec::new();
        // One step budget for all the words (see `keywords:existence`).
        let mut budget = Budget::new();
        for (word, pattern) in self.forbidden_words.iter().zip(&self.patterns) {
            match pattern.find_all_within(&folded, &mut budget) {
                Err(e) => return Verdict::invalid(e),
                Ok(spans) if spans.is_empty() => {}
                Ok(spans) => {
                    found.push(word);
                    evidence.extend(spans);
                }
            }
        }
        evidence.sort_unstable();
        if found.is_empty() {
            Verdict::pass("no forbidden words")
        } else {
            Verdict::fail(format!("found {} (forbidden)", quoted_list(&found)))
                .with_evidence(evidence)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ForbiddenWords;
    use crate::checks::keywords::existence::EVERYDAY_WORDS;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::{Check, Constraint, DeriveContext};

    const ID: &str = "keywords:forbidden_words";

    #[test]
    fn whole_words_only() {
        let kw = r#"{"forbidden_words": ["rock"]}"#;
        assert_fail(ID, kw, "ROCK music");
        assert_fail(ID, kw, "rock-solid");
        assert_pass(ID, kw, "rocket");
        assert_pass(ID, kw, "bedrock");
        assert_pass(ID, kw, "rock_star");
        let text = "Rock, rocks and rock.";
        let v = verify(ID, kw, text);
        assert_eq!(v.detail, "found `rock` (forbidden)");
        assert_eq!(evidence(&v, text), ["Rock", "rock"]);
    }

    #[test]
    fn rock_is_not_found_in_rocket_unlike_existence() {
        assert_pass(ID, r#"{"forbidden_words": ["rock"]}"#, "rocket");
        crate::checks::tests::assert_pass(
            "keywords:existence",
            r#"{"keywords": ["rock"]}"#,
            "rocket",
        );
    }

    #[test]
    fn python_word_boundary_next_to_combining_marks() {
        // Python's `\w` excludes combining marks: "ह" followed by a vowel sign is a whole word.
        assert_fail(ID, r#"{"forbidden_words": ["ह"]}"#, "हिन्दी");
        assert_pass(ID, r#"{"forbidden_words": ["é"]}"#, "cafés");
    }

    #[test]
    fn stored_deduplicated_and_sorted() {
        let c = constraint(ID, r#"{"forbidden_words": ["thanks", "issue", "thanks"]}"#);
        assert_eq!(c.kwargs()["forbidden_words"], serde_json::json!(["issue", "thanks"]));
        let empty = serde_json::json!({"forbidden_words": []});
        assert!(Constraint::from_ifeval(ID, &empty).is_err());
    }

    fn derive(text: &str, instruction: &str, seed: u64) -> Vec<ForbiddenWords> {
        ForbiddenWords::derive(&analysis(text), &mut DeriveContext::new(instruction, seed))
    }

    #[test]
    fn derived_words_are_absent_everyday_and_instruction_words() {
        let instruction = "Write a limerick about a lonely hermit crab on the beach";
        let text = "A hermit crab, lonely and shy,\nWatched all of the crabs wander by.";
        let mut seen_instruction_word = false;
        for seed in 0..40 {
            let derived = derive(text, instruction, seed);
            assert_eq!(derived, derive(text, instruction, seed), "deterministic per seed");
            let [f] = derived.as_slice() else { panic!("one constraint") };
            assert!(f.verify(&analysis(text)).passed(), "{f:?}");
            assert!((1..=3).contains(&f.forbidden_words.len()));
            assert!(f.forbidden_words.iter().any(|w| EVERYDAY_WORDS.contains(&w.as_str())));
            for w in &f.forbidden_words {
                // Absent words only: never `crab` (in `crabs`), `hermit`, `lonely`.
                assert!(
                    EVERYDAY_WORDS.contains(&w.as_str())
                        || ["limerick", "beach"].contains(&w.as_str()),
                    "{w}"
                );
                seen_instruction_word |= w == "beach" || w == "limerick";
            }
        }
        assert!(seen_instruction_word);
    }

    #[test]
    fn nothing_derived_when_every_everyday_word_is_used() {
        let text = EVERYDAY_WORDS.join(" ");
        assert!(derive(&text, "Write about crabs", 1).is_empty());
    }
}
