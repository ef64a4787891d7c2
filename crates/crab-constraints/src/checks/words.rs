//! `words:*` — properties of the response's words (IFBench).

pub mod odd_even_syllables;
pub mod start_verb;
