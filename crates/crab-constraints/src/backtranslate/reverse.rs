//! The reverse item (CRAB's auxiliary training objective, `crab-method.md` §1.7): given an
//! instruction and its response, write down the constraints the response satisfies.
//!
//! CRAB asks an LLM-style question in many wordings and formats; here the task is worded by us
//! in a few variants (task description, input block, output format, each chosen with the seeded
//! generator) and the target is always a numbered list of the rendered constraints, one per
//! line, so that it can be checked line by line.

use super::render::fill;
use crate::rng::Rng;

const TASKS: &[&str] = &[
    "Below is an instruction and a response written for it. Back-translate the constraints: \
     list requirements that could be added to the instruction and that the response already \
     satisfies (its length, format, wording, punctuation or style).",
    "Read the instruction and the response that follows it. Your task is to recover the \
     constraints the response meets, so that adding them to the instruction would still make \
     this response a correct answer.",
    "You are given a request and an answer to it. Identify verifiable constraints on the answer \
     (for example on its length, layout, keywords or letter case) that the answer fulfils, and \
     state each one as an instruction to the writer.",
    "Here is a prompt with its response. Write the additional instructions this response \
     follows, phrased as constraints that a stricter version of the prompt could include.",
];

const FORMATS: &[&str] = &[
    "Write the constraints as a numbered list (1., 2., ...), one per line, and nothing else.",
    "Give {n} constraints as a numbered list, one per line, with no other text.",
    "Answer with a numbered list of {n} constraints, one per line.",
];

const INPUTS: &[&str] = &[
    "Instruction:\n{instruction}\n\nResponse:\n{response}",
    "### Instruction\n{instruction}\n\n### Response\n{response}",
    "Here is the instruction:\n{instruction}\n\nHere is the response to it:\n{response}",
    "[Instruction]\n{instruction}\n\n[Output text]\n{response}",
];

/// The reverse item for `instruction` and its `response`, whose satisfied constraints are
/// rendered as `texts` (e.g. a [`super::Composition`]'s `texts`): `(prompt, target)`, where the
/// prompt asks for the constraints and the target is their numbered list, one per line.
///
/// ```
/// use crab_constraints::backtranslate::reverse_item;
/// use crab_constraints::rng::Rng;
///
/// let texts = vec!["Answer with at least 30 words.".to_owned(), "Do not use any commas.".to_owned()];
/// let (prompt, target) = reverse_item("Describe a cat.", "A cat is …", &texts, &mut Rng::new(1));
/// assert!(prompt.contains("Describe a cat.") && prompt.contains("A cat is …"));
/// assert_eq!(target, "1. Answer with at least 30 words.\n2. Do not use any commas.");
/// ```
pub fn reverse_item(
    instruction: &str,
    response: &str,
    texts: &[String],
    rng: &mut Rng,
) -> (String, String) {
    let task = rng.pick(TASKS).copied().unwrap_or_default();
    let format =
        rng.pick(FORMATS).copied().unwrap_or_default().replace("{n}", &texts.len().to_string());
    // One pass: a "{response}" inside the instruction stays as written.
    let values =
        [("instruction", instruction.trim().to_owned()), ("response", response.trim().to_owned())];
    let input = fill(rng.pick(INPUTS).copied().unwrap_or_default(), &values);
    let prompt = format!("{task}\n\n{format}\n\n{input}");
    let target: Vec<String> =
        texts.iter().enumerate().map(|(i, t)| format!("{}. {t}", i + 1)).collect();
    (prompt, target.join("\n"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn prompt_holds_both_texts_and_the_target_is_numbered() {
        let texts = vec!["A.".to_owned(), "B.".to_owned(), "C.".to_owned()];
        for seed in 0..30 {
            let (prompt, target) = reverse_item(
                " Do it {response}. ",
                "Done {instruction}.",
                &texts,
                &mut Rng::new(seed),
            );
            assert!(prompt.contains("\nDo it {response}.\n"), "{prompt}");
            assert!(prompt.contains("Done {instruction}."), "{prompt}");
            assert!(!prompt.contains("{n}") && prompt.matches("{response}").count() == 1);
            assert_eq!(target, "1. A.\n2. B.\n3. C.");
        }
    }

    #[test]
    fn wording_varies_with_the_seed_and_repeats_with_it() {
        let texts = vec!["A.".to_owned()];
        let prompts: BTreeSet<String> =
            (0..40).map(|s| reverse_item("I", "R", &texts, &mut Rng::new(s)).0).collect();
        assert!(prompts.len() >= 10, "{}", prompts.len());
        assert_eq!(
            reverse_item("I", "R", &texts, &mut Rng::new(3)),
            reverse_item("I", "R", &texts, &mut Rng::new(3))
        );
    }

    #[test]
    fn no_constraints_gives_an_empty_target() {
        let (prompt, target) = reverse_item("I", "R", &[], &mut Rng::new(0));
        assert!(!prompt.is_empty());
        assert_eq!(target, "");
    }
}
