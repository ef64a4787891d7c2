//! Writes Punkt's orthographic-context table in its compact form (`ortho_codec`), langdetect's
//! CJK map in the form `src/text/lang/normalize.rs` reads (from the `langdetect` crate's
//! `normalize`, so the facts are the crate's and nothing of it is linked), and with the
//! `builtin-profiles` feature converts langdetect's built-in profiles at build time
//! into the compact format `LanguageDetector::from_compact_bytes` reads (the web app's asset,
//! embedded by `LanguageDetector::builtin_compact_bytes`) and into the n-gram table
//! `LanguageDetector::builtin` reads in place (`src/text/lang/flat.rs`). The codec is compiled into this script from the
//! library's own source, so the embedded bytes are exactly what the library writes.

#[cfg(feature = "builtin-profiles")]
#[allow(dead_code)]
#[path = "src/text/lang/compact/codec.rs"]
mod codec;

#[cfg(feature = "builtin-profiles")]
#[allow(dead_code)]
#[path = "src/text/lang/flat.rs"]
mod flat;

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
    let reduced = ortho_codec::reduce(&ortho_codec::parse_tab(&tab));
    let ortho = ortho_codec::encode(&reduced)
        .unwrap_or_else(|e| panic!("Punkt's ortho-context table: {e}"));
    std::fs::write(out.join("ortho_context.bin"), ortho).expect("write ortho_context.bin");
    // The same entries laid out to be read in place, for native builds.
    let flat =
        ortho_codec::flat(&reduced).unwrap_or_else(|e| panic!("Punkt's ortho-context table: {e}"));
    std::fs::write(out.join("ortho_context.flat"), flat).expect("write ortho_context.flat");
    std::fs::write(out.join("cjk_map.bin"), cjk_map()).expect("write cjk_map.bin");
    println!("cargo::rerun-if-changed=src/text/lang/compact/codec.rs");
    println!("cargo::rerun-if-changed=src/text/lang/flat.rs");
    #[cfg(feature = "builtin-profiles")]
    {
        use langdetect::{Compat, DetectorFactory};
        // The settings do not change the profiles; 11 matches `text::lang::PYTHON_MINOR`.
        let mut factory = DetectorFactory::new(Compat::python(11));
        if let Err(e) = factory.load_builtin(&DetectorFactory::builtin_files()) {
            panic!("langdetect's built-in profiles do not load: {e:?}");
        }
        let bytes = codec::from_factory(&factory, cjk_map())
            .and_then(|table| codec::encode(&table))
            .unwrap_or_else(|e| panic!("langdetect's built-in profiles do not convert: {e}"));
        // The same profiles as the table detection reads, so that `LanguageDetector::builtin`
        // uses them in place (the glue of `compact::decode_to_table`).
        let table = codec::decode_with(
            &bytes,
            |h| flat::Builder::new(h.langs.clone(), h.grams, h.entries),
            |table, h, key, entries| {
                let probability = |&(lang, count): &(u16, u64)| {
                    (lang, codec::probability(&h.n_words, lang, key, count))
                };
                table.row(key.packed(), entries.iter().map(probability));
            },
        )
        .and_then(flat::Builder::finish)
        .unwrap_or_else(|e| panic!("langdetect's built-in profiles do not lay out: {e}"));
        std::fs::write(out.join("profiles.bin"), bytes).expect("write profiles.bin");
        std::fs::write(out.join("profiles.table"), table).expect("write profiles.table");
    }
}

/// langdetect's CJK map (`NGram.CJK_MAP`) as `src/text/lang/normalize.rs` decodes it: the
/// representatives of the kanji classes, then the mapped code points of the CJK Unified
/// Ideographs block (those whose normal form differs) as one-byte gaps, then their classes.
fn cjk_map() -> Vec<u8> {
    const FIRST: u32 = 0x4E00;
    const LAST: u32 = 0x9FFF;
    let offset = |c: char| {
        u32::from(c)
            .checked_sub(FIRST)
            .filter(|&o| o <= LAST - FIRST)
            .and_then(|o| u16::try_from(o).ok())
            .unwrap_or_else(|| panic!("CJK map: U+{:04X} is outside the block", u32::from(c)))
    };
    let mut reps: Vec<u16> = Vec::new();
    let mut mapped: Vec<(u16, u16)> = Vec::new();
    for c in (FIRST..=LAST).filter_map(char::from_u32) {
        let to = langdetect::text::normalize(c);
        if to != c {
            let rep = offset(to);
            if !reps.contains(&rep) {
                reps.push(rep);
            }
            mapped.push((offset(c), rep));
        }
    }
    let mut bytes = Vec::new();
    let count = |n: usize| u16::try_from(n).expect("CJK map: count fits in u16").to_le_bytes();
    bytes.extend_from_slice(&count(reps.len()));
    for rep in &reps {
        bytes.extend_from_slice(&rep.to_le_bytes());
    }
    bytes.extend_from_slice(&count(mapped.len()));
    let mut previous = 0u16;
    for &(from, _) in &mapped {
        let gap = u8::try_from(from - previous).expect("CJK map: gaps fit in a byte");
        bytes.push(gap);
        previous = from;
    }
    for &(_, rep) in &mapped {
        let class = reps.iter().position(|&r| r == rep).expect("listed above");
        bytes.push(u8::try_from(class).expect("CJK map: at most 256 classes"));
    }
    bytes
}
