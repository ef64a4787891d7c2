//! `words:start_verb` — the response starts with a verb, as NLTK's tagger sees it (IFBench).

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{Analysis, Resource};

/// # What it checks
/// The first tag of `nltk.pos_tag(nltk.word_tokenize(response))` contains `VB` (`VB`, `VBD`,
/// `VBG`, `VBN`, `VBP` or `VBZ`). The tagger is NLTK's averaged perceptron, which often reads a
/// capitalised imperative at the start of a text as something else: "Take a deep breath." passes,
/// but "Go home." (`NNP`) and "Write the code." (`IN`) fail. A response without tokens fails.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::{Constraint, Status};
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("words:start_verb", &serde_json::Value::Null).unwrap();
/// // Without the tagger's model (the app before it loads) the verdict waits.
/// assert_eq!(c.verify(&Analysis::new("Take a break.")).status, Status::Pending);
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `StartWithVerbChecker`: the same tokens ([`crate::text::word_tokenize`])
/// and the same tags ([`crate::text::pos`], compared with NLTK token for token).
///
/// # Derivation
/// None: it would need the tagger wherever back-translation runs, for a constraint that
/// depends on the tagger's quirks more than on the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartVerb;

impl Check for StartVerb {
    const INFO: CheckInfo = CheckInfo {
        id: "words:start_verb",
        title: "Starts with a verb",
        description: "The first word is tagged as a verb (`VB`, `VBD`, `VBG`, `VBN`, `VBP`, \
                      `VBZ`) by NLTK's part-of-speech tagger on NLTK's tokens. The tagger often \
                      misreads a capitalised imperative at the start: `Take a deep breath.` \
                      passes, but `Go home.` (a proper noun to it) fails.",
        divergence: None,
        needs: &[Resource::Tagger],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Take a deep breath; tomorrow is another day.",
            fail: "The answer is simple: rest.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<StartVerb, SpecError> {
        Ok(StartVerb)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let Some(tagger) = text.tagger() else {
            return Verdict::pending(format!("{} not loaded yet", Resource::Tagger.name()));
        };
        let tokens = text.tokens();
        let Some(first) = tokens.first() else {
            return Verdict::fail("no words");
        };
        let tag = tagger.tag_prefix(tokens, 1).first().copied().unwrap_or("");
        let verb = tag.contains("VB");
        let detail = format!(
            "`{}` is tagged {tag}{}",
            first.text,
            if verb { " (a verb)" } else { ", not a verb" }
        );
        Verdict::from_bool(verb, detail).with_evidence(vec![first.span])
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};
    use crate::checks::Status;

    const ID: &str = "words:start_verb";

    #[test]
    fn the_first_tag_decides() {
        assert_pass(ID, "{}", "Keep going.");
        assert_pass(ID, "{}", "Running is fun.");
        assert_pass(ID, "{}", "Is this right?");
        assert_pass(ID, "{}", "Think about it.");
        assert_fail(ID, "{}", "Go home.");
        let v = verify(ID, "{}", "Write the code now.");
        assert_eq!(v.status, Status::Fail);
        assert_eq!(v.detail, "`Write` is tagged IN, not a verb");
        assert_eq!(evidence(&v, "Write the code now."), ["Write"]);
        let v = verify(ID, "{}", "  Use the stairs.");
        assert_eq!(v.detail, "`Use` is tagged VB (a verb)");
        assert_eq!(evidence(&v, "  Use the stairs."), ["Use"]);
    }

    #[test]
    fn no_tokens_fails() {
        assert_fail(ID, "{}", "");
        assert_fail(ID, "{}", " \n ");
    }
}
