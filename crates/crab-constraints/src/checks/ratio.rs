//! `ratio:*` — proportions between kinds of words or sentences (IFBench).

pub mod stop_words;
