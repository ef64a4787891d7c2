//! `count:*` — counts of words, numbers, names and keywords (IFBench).

pub mod keywords_multiple;
pub mod numbers;
pub mod word_count_range;
