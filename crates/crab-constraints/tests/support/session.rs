//! The playground's typical session: ten constraints across the families, one of them
//! language-dependent, on a long response. `tests/browser_timing.rs` times it in the browser and
//! `benches/session.rs` natively, so both measure the same work.

use crab_constraints::checks::Constraint;
use crab_constraints::text::pystr;
use serde_json::json;

/// The ten constraints, built from IFEval kwargs.
pub(crate) fn session() -> Vec<Constraint> {
    let specs = [
        ("punctuation:no_comma", json!({})),
        ("length_constraints:number_words", json!({"relation": "at least", "num_words": 300})),
        (
            "length_constraints:number_sentences",
            json!({"relation": "less than", "num_sentences": 50}),
        ),
        ("length_constraints:number_paragraphs", json!({"num_paragraphs": 4})),
        ("keywords:existence", json!({"keywords": ["history", "science"]})),
        ("keywords:forbidden_words", json!({"forbidden_words": ["delve", "tapestry"]})),
        (
            "keywords:letter_frequency",
            json!({"letter": "z", "let_frequency": 3, "let_relation": "at least"}),
        ),
        ("detectable_format:number_bullet_lists", json!({"num_bullets": 5})),
        ("startend:end_checker", json!({"end_phrase": "Any other questions?"})),
        ("language:response_language", json!({"language": "en"})),
    ];
    specs.iter().map(|(id, kw)| Constraint::from_ifeval(id, kw).unwrap()).collect()
}

/// `responses` joined by blank lines, from the first and round again, until the text has at
/// least `words` IFEval words: the session's long response (the GPT-4 responses, 10,000 words).
pub(crate) fn long_response(responses: &[String], words: usize) -> String {
    let mut text = String::new();
    for response in responses.iter().cycle() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(response);
        if pystr::count_words(&text) >= words {
            break;
        }
    }
    text
}
