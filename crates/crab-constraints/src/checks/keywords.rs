//! `keywords:*` — words or letters that must, or must not, appear (a given number of times).
//!
//! IFEval's keyword parameters are Python regular expressions searched case-insensitively; they
//! are compiled once per constraint into a [`crate::checks::pattern::PyPattern`].

pub mod existence;
pub mod forbidden_words;
pub mod frequency;
pub mod letter_frequency;
