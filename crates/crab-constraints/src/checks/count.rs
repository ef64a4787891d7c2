//! `count:*` — counts of words, numbers, names and keywords (IFBench).

pub mod conjunctions;
pub mod keywords_multiple;
pub mod numbers;
pub mod person_names;
pub mod pronouns;
pub mod punctuation;
pub mod unique_word_count;
pub mod word_count_range;
pub mod words_japanese;
