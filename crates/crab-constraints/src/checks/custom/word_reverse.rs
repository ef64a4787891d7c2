//! `custom:word_reverse` — the answer "bald eagle" in a sentence written in reverse word order
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{punkt, pystr, Analysis};

/// # What it checks
/// For "What animal is the national symbol of the US? Respond to this query, but make your
/// sentence in reverse order of what it should be, per word.": the response is lowercased
/// (Python's `str.lower()`), stripped, its ASCII punctuation deleted, and its words (`str.split()`)
/// put back in reverse order joined by single spaces. That text must contain `bald eagle` and be
/// one of its own Punkt sentences (`nltk.sent_tokenize`). With the ASCII punctuation gone Punkt
/// has no `.`, `?` or `!` to split at, so the second condition holds for every text: in effect,
/// the response's words read backwards contain the substring `bald eagle` (`eagle bald`, in any
/// case, with punctuation attached or between them: `Eagle, bald.` passes, and so do
/// `eagles bald` and `eagle unbald`).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:word_reverse", &serde_json::json!({})).unwrap();
/// assert!(c.verify(&Analysis::new("Eagle bald the is it.")).passed());
/// assert!(!c.verify(&Analysis::new("It is the bald eagle.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `WordReverseOrderChecker`, whose sentences are Punkt's since 2025-12 (6fffd61; they
/// were IFEval's regular-expression splitter before, which cannot split a text without
/// punctuation either, so the verdicts did not change). No evidence: the text compared is
/// rebuilt, not a part of the response.
///
/// # Derivation
/// None: a fixed question with a fixed reversed answer, which no answer to another request
/// contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordReverse;

impl Check for WordReverse {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:word_reverse",
        title: "Answer in reverse word order",
        description: "For \"What animal is the national symbol of the US?\" answered in reverse \
                      word order: the response's words, lowercased, without punctuation and \
                      read backwards, contain `bald eagle`.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Eagle bald the is US the of symbol national the.",
            fail: "The national symbol of the US is the bald eagle.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<WordReverse, SpecError> {
        Ok(WordReverse)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let lowered = pystr::lower(text.text());
        let cleaned = pystr::delete_punctuation(pystr::strip(&lowered));
        let mut words: Vec<&str> =
            pystr::split_whitespace(&cleaned).map(|w| w.slice(&cleaned)).collect();
        words.reverse();
        let reversed = words.join(" ");
        if !reversed.contains("bald eagle") {
            return Verdict::fail("read backwards, the words do not contain \"bald eagle\"");
        }
        if !punkt::sentences(&reversed).contains(&reversed.as_str()) {
            return Verdict::fail("read backwards, the words are not one sentence");
        }
        Verdict::pass("read backwards, the words contain \"bald eagle\"")
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass};

    const ID: &str = "custom:word_reverse";

    #[test]
    fn the_words_read_backwards_contain_bald_eagle() {
        assert_pass(ID, "{}", "eagle bald");
        assert_pass(ID, "{}", "  EAGLE,\n BALD!!  ");
        assert_pass(ID, "{}", "Eagle. Bald.");
        assert_pass(ID, "{}", "eagles bald");
        // Punctuation inside a word is deleted, joining its parts.
        assert_pass(ID, "{}", "eagle bal-d");
        assert_fail(ID, "{}", "bald eagle");
        assert_fail(ID, "{}", "eagle very bald");
        // A substring test: words that merely end in "bald" or start with "eagle" do.
        assert_pass(ID, "{}", "eagle unbald");
        assert_fail(ID, "{}", "eagle baldy");
        assert_fail(ID, "{}", "");
        // Non-ASCII punctuation is not deleted.
        assert_fail(ID, "{}", "eag¿le bald");
        assert_pass(ID, "{}", "eag?le bald");
    }
}
