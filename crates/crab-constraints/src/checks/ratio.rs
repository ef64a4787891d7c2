//! `ratio:*` — proportions between kinds of words or sentences (IFBench).

pub mod overlap;
pub mod sentence_balance;
pub mod sentence_type;
pub mod sentence_words;
pub mod stop_words;
