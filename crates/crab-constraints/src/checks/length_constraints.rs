//! `length_constraints:*` — counts of words, sentences and paragraphs.

pub mod number_sentences;
pub mod number_words;
