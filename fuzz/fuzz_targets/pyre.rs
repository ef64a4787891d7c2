//! `cargo fuzz run pyre`: see [`crab_fuzz::pyre`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crab_fuzz::pyre(data));
