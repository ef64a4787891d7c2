//! With the `builtin-profiles` feature, serialises langdetect's built-in profiles at build time
//! into the format `LanguageDetector::from_profile_bytes` reads (the web app's asset format).
//! Loading that at run time is about 3× faster than rebuilding the tables from the `langdetect`
//! crate's own compressed counts, and `crab eval` pays that load on every run.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "builtin-profiles")]
    {
        use langdetect::{Compat, DetectorFactory};
        // Must equal `text::lang::PYTHON_MINOR` (checked when the bytes are loaded).
        let mut factory = DetectorFactory::new(Compat::python(11));
        if let Err(e) = factory.load_builtin(&DetectorFactory::builtin_files()) {
            panic!("langdetect's built-in profiles do not load: {e:?}");
        }
        let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
        std::fs::write(out.join("profiles.bin"), factory.to_bytes()).expect("write profiles.bin");
    }
}
