//! `custom:sentence_alphabet` — a 26-sentence story whose sentences start with a, b, c, … z
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// For "Tell me a 26-sentence story where each sentence's first word starts with the letters
/// of the alphabet in order.": the response has exactly 26 Punkt sentences (`nltk.sent_tokenize`),
/// and the first character of the lowercased first word (`str.split()`) of the i-th is the i-th
/// letter of `a`…`z`. A quote or a bullet before the word fails it (`"Alice` starts with `"`);
/// `İ` lowers to `i` and the Kelvin sign to `k`, so they count as those letters.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:sentence_alphabet", &serde_json::json!({})).unwrap();
/// let story: Vec<String> = ('A'..='Z').map(|l| format!("{l}ll went well.")).collect();
/// assert!(c.verify(&Analysis::new(&story.join(" "))).passed());
/// assert!(!c.verify(&Analysis::new(&story[..25].join(" "))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `SentenceAlphabetChecker`: sentences are Punkt's since 2025-12 (6fffd61), where they
/// were IFEval's regular-expression splitter; the same commit made a sentence without words
/// fail instead of raising. The evidence spans are the first words of the sentences, or the
/// first one that is wrong.
///
/// # Derivation
/// None: no answer to another request is an abecedarian story of 26 sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceAlphabet;

impl Check for SentenceAlphabet {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:sentence_alphabet",
        title: "26 sentences from A to Z",
        description: "Exactly 26 sentences (Punkt), the i-th starting with a word whose first \
                      character, lowercased, is the i-th letter of the alphabet.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "A fox woke. Bright sun rose. Curious, he left. Deep woods waited. Every bird \
                   sang. Far away, a river ran. Gently he drank. He heard a noise. It was a \
                   bear. Just a cub, though. Kindly, it waved. Little fox waved back. Many hours \
                   passed. Night came. Owls hooted. Playing stopped. Quiet fell. Rest came \
                   easily. Stars shone. The moon rose. Under it, they slept. Very deeply. Wind \
                   blew. Xylophone-like chimes rang. Yet they slept. Zero worries.",
            fail: "A fox woke. Bright sun rose. Curious, he left. Deep woods waited. Every bird \
                   sang. Far away, a river ran. Gently he drank. He heard a noise. It was a \
                   bear. Just a cub, though. Kindly, it waved. Little fox waved back. Many hours \
                   passed. Night came. Owls hooted. Playing stopped. Quiet fell. Rest came \
                   easily. Stars shone. The moon rose. Under it, they slept. Very deeply. Wind \
                   blew. Xylophone-like chimes rang. Yet they slept. Then, zero worries.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<SentenceAlphabet, SpecError> {
        Ok(SentenceAlphabet)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        if sentences.len() != 26 {
            return Verdict::fail(format!(
                "{}; needs 26",
                plural(sentences.len(), "sentence", "sentences")
            ));
        }
        let mut firsts = Vec::new();
        for (i, (sentence, letter)) in sentences.iter().zip('a'..='z').enumerate() {
            let Some(word) = pystr::split_whitespace(sentence.slice(s)).next() else {
                return Verdict::fail(format!("sentence {} has no words", i + 1))
                    .with_evidence(vec![*sentence]);
            };
            let word = Span::new(sentence.start + word.start, sentence.start + word.end);
            if !pystr::lower(word.slice(s)).starts_with(letter) {
                return Verdict::fail(format!(
                    "sentence {} starts with {:?}, not with {letter}",
                    i + 1,
                    word.slice(s)
                ))
                .with_evidence(vec![word]);
            }
            firsts.push(word);
        }
        Verdict::pass("26 sentences from a to z").with_evidence(firsts)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:sentence_alphabet";

    fn story() -> Vec<String> {
        ('A'..='Z').map(|l| format!("{l}ll went well.")).collect()
    }

    #[test]
    fn twenty_six_sentences_a_to_z() {
        assert_pass(ID, "{}", &story().join(" "));
        assert_pass(ID, "{}", &story().join("\n").to_lowercase());
        assert_fail(ID, "{}", &story()[..25].join(" "));
        assert_fail(ID, "{}", &format!("{} Again.", story().join(" ")));
        let mut swapped = story();
        swapped.swap(3, 4);
        assert_fail(ID, "{}", &swapped.join(" "));
        let mut quoted = story();
        quoted[0] = "\"All went well.\"".to_owned();
        assert_fail(ID, "{}", &quoted.join(" "));
        // `İ` lowers to `i` and a combining dot.
        let mut dotted = story();
        dotted[8] = "İll went well.".to_owned();
        assert_pass(ID, "{}", &dotted.join(" "));
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn evidence_is_the_first_words() {
        let text = story().join(" ");
        let v = verify(ID, "{}", &text);
        assert_eq!(v.evidence.len(), 26);
        assert_eq!(evidence(&v, &text)[25], "Zll");
        let text = text.replace("Cll", "Xll");
        assert_eq!(evidence(&verify(ID, "{}", &text), &text), ["Xll"]);
    }
}
