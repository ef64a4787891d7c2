//! `punctuation:*` — punctuation that must not appear.

pub mod no_comma;
