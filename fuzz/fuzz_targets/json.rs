//! `cargo fuzz run json`: see [`crab_fuzz::json`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::json(data));
