//! `change_case:*` — letter case of the response: how many all-caps words, or all of it in one
//! case.

pub mod capital_word_frequency;
