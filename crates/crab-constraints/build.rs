//! With the `builtin-profiles` feature, converts langdetect's built-in profiles at build time
//! into the compact format `LanguageDetector::from_compact_bytes` reads (the web app's asset,
//! embedded by `LanguageDetector::builtin`). The codec is compiled into this script from the
//! library's own source, so the embedded bytes are exactly what the library writes.

#[cfg(feature = "builtin-profiles")]
#[allow(dead_code)]
#[path = "src/text/lang/compact/codec.rs"]
mod codec;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/text/lang/compact/codec.rs");
    #[cfg(feature = "builtin-profiles")]
    {
        use langdetect::{Compat, DetectorFactory};
        // The settings do not change the profiles; 11 matches `text::lang::PYTHON_MINOR`.
        let mut factory = DetectorFactory::new(Compat::python(11));
        if let Err(e) = factory.load_builtin(&DetectorFactory::builtin_files()) {
            panic!("langdetect's built-in profiles do not load: {e:?}");
        }
        let bytes = codec::from_factory(&factory)
            .and_then(|table| codec::encode(&table))
            .unwrap_or_else(|e| panic!("langdetect's built-in profiles do not convert: {e}"));
        let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
        std::fs::write(out.join("profiles.bin"), bytes).expect("write profiles.bin");
    }
}
