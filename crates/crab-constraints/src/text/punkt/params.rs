//! The English Punkt model (`punkt_tab/english/`), shipped in the crate and parsed once.
//!
//! The four files are read the way `nltk.tabdata.PunktDecoder` reads them: one entry per line
//! with the line break removed, tab-separated fields, the last duplicate winning in the
//! orthographic-context table. That last table, by far the largest, is embedded front-coded for
//! the web app (its keys decoded once into a map) and laid out flat for native builds, which
//! read it in place (see [`ortho_codec`]). Everything else borrows from the embedded text, so
//! parsing allocates only the hash tables.

#[cfg(any(test, target_arch = "wasm32"))]
use std::collections::HashMap;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::ortho_codec;

/// A small multiplicative hasher (the "Fx" scheme) for the fixed, trusted model keys: lookups
/// run for every candidate sentence end, and SipHash's DoS resistance buys nothing here.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type FxBuild = BuildHasherDefault<FxHasher>;

const ABBREV_TYPES: &str = include_str!("../../../data/punkt/english/abbrev_types.txt");
const COLLOCATIONS: &str = include_str!("../../../data/punkt/english/collocations.tab");
const SENT_STARTERS: &str = include_str!("../../../data/punkt/english/sent_starters.txt");
/// `ortho_context.tab`, reduced to what the tokenizer reads and front-coded by the build script
/// ([`ortho_codec`]): the web app's form, a third of the size of the flat one.
#[cfg(any(test, target_arch = "wasm32"))]
const ORTHO_CONTEXT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ortho_context.bin"));
/// The same entries laid out by the build script to be read in place ([`ortho_codec::flat`]):
/// the native form, which needs no building on first use.
#[cfg(not(target_arch = "wasm32"))]
const ORTHO_FLAT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ortho_context.flat"));

/// `PunktParameters` of the English model.
pub(super) struct Params {
    /// Known abbreviation types (lower case, without the final period).
    pub(super) abbrev_types: HashSet<&'static str, FxBuild>,
    /// Known collocations `(type without period, next type)`.
    pub(super) collocations: HashSet<(&'static str, &'static str), FxBuild>,
    /// Frequent sentence starters.
    pub(super) sent_starters: HashSet<&'static str, FxBuild>,
    /// Orthographic context flags per type, [`ortho_codec::canonical`]; a missing type has no
    /// flags. Natively read in place from [`ORTHO_FLAT`].
    #[cfg(target_arch = "wasm32")]
    pub(super) ortho_context: HashMap<&'static str, u32, FxBuild>,
}

impl Params {
    /// Whether `(typ, next_typ)` is a known collocation.
    pub(super) fn is_collocation(&self, typ: &str, next_typ: &str) -> bool {
        // `HashSet` is covariant in its element type, so the `'static` set can be queried
        // with a shorter-lived key.
        let set: &HashSet<(&str, &str), FxBuild> = &self.collocations;
        set.contains(&(typ, next_typ))
    }

    /// The orthographic context flags of `typ` (0 when unseen, like the `defaultdict`), as
    /// [`ortho_codec::canonical`] leaves them: read them only through the questions that
    /// [`ortho_codec`] answers.
    pub(super) fn ortho(&self, typ: &str) -> u32 {
        #[cfg(target_arch = "wasm32")]
        return self.ortho_context.get(typ).copied().unwrap_or(0);
        #[cfg(not(target_arch = "wasm32"))]
        return ortho_codec::flat_get(ORTHO_FLAT, typ);
    }
}

/// The English parameters, parsed on first use.
pub(super) static PARAMS: LazyLock<Params> = LazyLock::new(|| Params {
    abbrev_types: lines(ABBREV_TYPES).collect(),
    collocations: lines(COLLOCATIONS)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let pair = (fields.next()?, fields.next()?);
            // A row with more than two fields would be a longer tuple that never matches.
            fields.next().is_none().then_some(pair)
        })
        .collect(),
    sent_starters: lines(SENT_STARTERS).collect(),
    #[cfg(target_arch = "wasm32")]
    ortho_context: ortho_context(),
});

/// The orthographic-context table from its compact form. The keys are decoded once into one
/// string that lives as long as the program (the table is a `static` anyway), so the map can
/// borrow them as the other tables borrow the embedded text.
#[cfg(any(test, target_arch = "wasm32"))]
fn ortho_context() -> HashMap<&'static str, u32, FxBuild> {
    // The bytes were written at build time by the same codec; `None` would be a build bug, and
    // Punkt then works without orthographic evidence rather than panicking.
    let Some((keys, entries)) = ortho_codec::decode(ORTHO_CONTEXT) else {
        debug_assert!(false, "the embedded ortho-context table does not decode");
        return HashMap::default();
    };
    let keys: &'static str = Box::leak(keys.into_boxed_str());
    let mut map = HashMap::with_capacity_and_hasher(entries.len(), FxBuild::default());
    let mut start = 0;
    for (end, flags) in entries {
        if let Some(typ) = keys.get(start..end) {
            map.insert(typ, flags);
        }
        start = end;
    }
    map
}

/// The lines of a model file as Python's file iteration plus `rm_nl` yields them.
fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.split_terminator('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_sizes_and_samples() {
        let p = &*PARAMS;
        assert_eq!(p.abbrev_types.len(), 156);
        assert_eq!(p.sent_starters.len(), 39);
        assert_eq!(p.collocations.len(), 37);
        assert_eq!(ortho_context().len(), 14_702);
        assert!(p.abbrev_types.contains("dr"));
        assert!(p.abbrev_types.contains("u.s.a"));
        assert!(!p.abbrev_types.contains("e.g"));
        assert!(p.sent_starters.contains("however"));
        assert!(p.is_collocation("##number##", "review"));
        // Every context bit in the tab file (126); the same answers as MID_UC | MID_LC.
        assert_eq!(p.ortho("a"), ortho_codec::ORTHO_MID_UC | ortho_codec::ORTHO_MID_LC);
        assert_eq!(p.ortho("no-such-type-here"), 0);
    }

    #[test]
    fn compact_ortho_context_is_the_tab_file() {
        let tab = include_str!("../../../data/punkt/english/ortho_context.tab");
        let full = ortho_codec::parse_tab(tab);
        let expected = ortho_codec::reduce(&full);
        // Both forms hold exactly the reduced entries: the web app's map, decoded from the
        // front-coded bytes, and the flat table that `ortho` reads natively.
        let map = ortho_context();
        assert_eq!(map.len(), expected.len());
        for (typ, flags) in &expected {
            assert_eq!(map.get(typ), Some(flags), "{typ}");
            assert_eq!(PARAMS.ortho(typ), *flags, "{typ}");
        }
        for unseen in ["", "no-such-type-here", "A", "the.", "\u{e9}t\u{e9}"] {
            assert_eq!(PARAMS.ortho(unseen), map.get(unseen).copied().unwrap_or(0), "{unseen:?}");
        }
        let bytes = ortho_codec::encode(&expected).unwrap();
        assert_eq!(bytes, ORTHO_CONTEXT);
        assert!(bytes.len() < tab.len(), "{} bytes for {} of text", bytes.len(), tab.len());
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(ortho_codec::flat(&expected).unwrap(), ORTHO_FLAT);
    }

    #[test]
    fn flat_lookups_in_bad_bytes_find_nothing() {
        let good = ortho_codec::flat(&[("dr", 34), ("mr", 34)].into_iter().collect()).unwrap();
        assert_eq!(ortho_codec::flat_get(&good, "dr"), 34);
        assert_eq!(ortho_codec::flat_get(&good, "ms"), 0);
        for cut in 0..good.len() {
            let _ = ortho_codec::flat_get(good.get(..cut).unwrap(), "dr");
        }
        for bits in [30, 60, 63, 64, 200, 255] {
            assert_eq!(ortho_codec::flat_get(&[bits, 1, 2], "dr"), 0);
        }
        assert_eq!(ortho_codec::flat_get(&[1, 0, 0, 0, 0, 255, 255, 1, 0], "dr"), 0);
    }

    /// The reduced table answers the tokenizer's three questions exactly as the full table does,
    /// for every type in the tab file (and for unseen types, which both leave at 0).
    #[test]
    fn reduced_ortho_context_answers_as_the_full_table() {
        let tab = include_str!("../../../data/punkt/english/ortho_context.tab");
        let full = ortho_codec::parse_tab(tab);
        let answers = |flags: u32| {
            (
                ortho_codec::upper_starts_sentence(flags),
                ortho_codec::lower_continues_sentence(flags),
                ortho_codec::never_lower(flags),
            )
        };
        for (typ, &flags) in &full {
            assert_eq!(answers(PARAMS.ortho(typ)), answers(flags), "{typ} ({flags})");
        }
        // The same over every flag value, so the reduction holds for any model, not only this one.
        for flags in 0..128 {
            let reduced = ortho_codec::canonical(flags).unwrap_or(0);
            assert_eq!(answers(reduced), answers(flags), "{flags}");
        }
        // Something was left out, or the reduction would not be worth its code.
        assert!(ortho_context().len() < full.len());
    }

    #[test]
    fn damaged_compact_tables_do_not_decode() {
        assert!(ortho_codec::decode(&ORTHO_CONTEXT[..ORTHO_CONTEXT.len() - 1]).is_none());
        assert!(ortho_codec::decode(&ORTHO_CONTEXT[1..]).is_none());
        // One entry: a prefix longer than the (empty) previous key; then a key that is not UTF-8.
        assert!(ortho_codec::decode(&[1, 0, 0, 0, 3, b'a', b'\n', 0]).is_none());
        assert!(ortho_codec::decode(&[1, 0, 0, 0, 0, 0xff, b'\n', 0]).is_none());
        assert!(ortho_codec::decode(&[1, 0, 0, 0, 0, b'a', b'\n', b'b', b'\n', 0]).is_none());
        assert!(ortho_codec::decode(&[]).is_none());
        let one = ortho_codec::decode(&[1, 0, 0, 0, 0, b'a', b'\n', 7]);
        assert_eq!(one, Some(("a".to_owned(), vec![(1, 7)])));
    }
}
