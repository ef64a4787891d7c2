//! `cargo fuzz run backtranslate`: see [`crab_fuzz::backtranslate`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::backtranslate(data));
