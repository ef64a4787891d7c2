//! The conversations sent to the model: the instruction as it stands ([`generation`]), and the
//! "fix it" turn that quotes only what broke ([`fix`]).
//!
//! "Fix it" keeps the conversation (the instruction and the model's own answer) and adds one user
//! turn that lists each violated constraint as the instruction worded it, with the verifier's
//! detail of how the answer missed it ("312 words; needs at most 300"), and asks for the whole
//! corrected answer, so that the reply can replace the response and be verified the same way.

use serde::{Deserialize, Serialize};

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
}

impl Message {
    /// A message from `role`.
    pub fn new(role: &str, content: impl Into<String>) -> Message {
        Message { role: role.to_owned(), content: content.into() }
    }
}

/// A violated constraint, as "fix it" quotes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The constraint as an instruction sentence ("Answer with at most 300 words.").
    pub text: String,
    /// How the answer missed it, from the verifier ("312 words; needs at most 300").
    pub detail: String,
}

fn with_system(system: &str, mut messages: Vec<Message>) -> Vec<Message> {
    if !system.trim().is_empty() {
        messages.insert(0, Message::new("system", system));
    }
    messages
}

/// The instruction as one user turn, after the system prompt if there is one.
pub fn generation(system: &str, instruction: &str) -> Vec<Message> {
    with_system(system, vec![Message::new("user", instruction)])
}

/// The follow-up turn of "fix it" alone.
pub fn fix_request(violations: &[Violation]) -> String {
    let mut out = String::from(
        "Your answer does not meet every requirement of my instruction. These are not met:\n",
    );
    for (i, v) in violations.iter().enumerate() {
        let text = v.text.trim();
        let detail = v.detail.trim();
        if detail.is_empty() {
            out.push_str(&format!("{}. {text}\n", i + 1));
        } else {
            out.push_str(&format!("{}. {text} (now: {detail})\n", i + 1));
        }
    }
    out.push_str(
        "\nRewrite your whole answer so that it meets these too, and keep everything else it \
         already does right. Reply with the corrected answer only, without comments about the \
         changes.",
    );
    out
}

/// The "fix it" conversation: the instruction, the previous answer, and [`fix_request`].
pub fn fix(
    system: &str,
    instruction: &str,
    answer: &str,
    violations: &[Violation],
) -> Vec<Message> {
    with_system(
        system,
        vec![
            Message::new("user", instruction),
            Message::new("assistant", answer),
            Message::new("user", fix_request(violations)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_and_fix() {
        assert_eq!(generation("", "Hi"), [Message::new("user", "Hi")]);
        assert_eq!(generation("Be brief.", "Hi")[0], Message::new("system", "Be brief."));
        let v = [
            Violation {
                text: "Answer with at most 300 words.".into(),
                detail: "312 words; needs at most 300".into(),
            },
            Violation { text: "Do not use any commas.".into(), detail: String::new() },
        ];
        let m = fix("", "Write.", "Long answer, with commas.", &v);
        assert_eq!(m.len(), 3);
        assert_eq!(
            (m[1].role.as_str(), m[1].content.as_str()),
            ("assistant", "Long answer, with commas.")
        );
        assert!(m[2].content.contains(
            "1. Answer with at most 300 words. (now: 312 words; needs at most 300)\n2. Do not use any commas.\n"
        ));
        assert!(m[2].content.ends_with("without comments about the changes."));
    }
}
