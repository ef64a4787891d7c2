//! The langdetect detector the tests and benchmarks use: the crate's 55 built-in profiles,
//! serialised and loaded back through `LanguageDetector::from_profile_bytes`, the path the web app
//! uses, so that it works whether or not the `builtin-profiles` feature is on.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use crab_constraints::text::lang::{LanguageDetector, PYTHON_MINOR};
use langdetect::{Compat, DetectorFactory};

/// langdetect's built-in profiles as profile bytes (what `crab lang-profiles` writes).
pub(crate) fn profile_bytes() -> Vec<u8> {
    let mut factory = DetectorFactory::new(Compat::python(PYTHON_MINOR));
    factory.load_builtin(&DetectorFactory::builtin_files()).expect("built-in profiles load");
    factory.to_bytes()
}

/// A new detector (with an empty cache) over [`profile_bytes`], loaded as the app loads it.
pub(crate) fn detector() -> LanguageDetector {
    LanguageDetector::from_profile_bytes(&profile_bytes()).expect("valid profiles")
}
