//! `combination:*` — responses made of parts: the prompt repeated first, or two answers.

pub mod repeat_prompt;
pub mod two_responses;
