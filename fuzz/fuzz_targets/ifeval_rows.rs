//! `cargo fuzz run ifeval_rows`: see [`crab_fuzz::ifeval_rows`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::ifeval_rows(data));
