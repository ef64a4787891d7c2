//! The langdetect detector the tests and benchmarks use: the crate's 55 built-in profiles,
//! converted to the compact asset format and loaded back through
//! `LanguageDetector::from_compact_bytes`, the path the web app uses, so that it works whether
//! or not the `builtin-profiles` feature is on.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use crab_constraints::text::lang::{compact, LanguageDetector, PYTHON_MINOR};
use langdetect::{Compat, DetectorFactory, Seed};

/// The `langdetect` crate's factory over its built-in profiles (file-name order), with the
/// settings IFEval's results depend on (Python 3.11, seed 0): the reference detector.
pub(crate) fn reference_factory() -> DetectorFactory {
    let mut factory = DetectorFactory::new(Compat::python(PYTHON_MINOR));
    factory.load_builtin(&DetectorFactory::builtin_files()).expect("built-in profiles load");
    factory.seed = Seed::Int(0);
    factory
}

/// langdetect's built-in profiles as compact bytes (what `crab lang-profiles` writes).
pub(crate) fn profile_bytes() -> Vec<u8> {
    compact::from_factory(&reference_factory()).expect("built-in profiles convert")
}

/// A new detector (with an empty cache) over [`profile_bytes`], loaded as the app loads it.
pub(crate) fn detector() -> LanguageDetector {
    LanguageDetector::from_compact_bytes(&profile_bytes()).expect("valid profiles")
}
