//! `cargo fuzz run word_tokenize`: see [`crab_fuzz::word_tokenize`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::word_tokenize(data));
