//! `cargo fuzz run lang`: see [`crab_fuzz::lang`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::lang(data));
