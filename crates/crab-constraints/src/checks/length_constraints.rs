//! `length_constraints:*` — counts of words, sentences and paragraphs.

pub mod nth_paragraph_first_word;
pub mod number_paragraphs;
pub mod number_sentences;
pub mod number_words;
