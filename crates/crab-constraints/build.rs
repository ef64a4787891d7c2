//! Writes Punkt's orthographic-context table in its compact form (`ortho_codec`), and with the
//! `builtin-profiles` feature converts langdetect's built-in profiles at build time
//! into the compact format `LanguageDetector::from_compact_bytes` reads (the web app's asset,
//! embedded by `LanguageDetector::builtin`). The codec is compiled into this script from the
//! library's own source, so the embedded bytes are exactly what the library writes.

#[cfg(feature = "builtin-profiles")]
#[allow(dead_code)]
#[path = "src/text/lang/compact/codec.rs"]
mod codec;

#[allow(dead_code)]
#[path = "src/text/punkt/ortho_codec.rs"]
mod ortho_codec;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/text/punkt/ortho_codec.rs");
    println!("cargo::rerun-if-changed=data/punkt/english/ortho_context.tab");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    // Punkt's orthographic-context table, reduced to what the tokenizer reads and front-coded
    // (see src/text/punkt/ortho_codec.rs).
    let tab = std::fs::read_to_string("data/punkt/english/ortho_context.tab")
        .expect("read data/punkt/english/ortho_context.tab");
    let ortho = ortho_codec::encode(&ortho_codec::reduce(&ortho_codec::parse_tab(&tab)))
        .unwrap_or_else(|e| panic!("Punkt's ortho-context table: {e}"));
    std::fs::write(out.join("ortho_context.bin"), ortho).expect("write ortho_context.bin");
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
        std::fs::write(out.join("profiles.bin"), bytes).expect("write profiles.bin");
    }
}
