//! `cargo fuzz run crab_import`: see [`crab_fuzz::crab_import`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::crab_import(data));
