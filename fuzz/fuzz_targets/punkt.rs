//! `cargo fuzz run punkt`: see [`crab_fuzz::punkt`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::punkt(data));
