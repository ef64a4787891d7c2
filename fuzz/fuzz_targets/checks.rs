//! `cargo fuzz run checks`: see [`crab_fuzz::checks`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::checks(data));
