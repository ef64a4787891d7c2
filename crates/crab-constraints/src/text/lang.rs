//! Language detection exactly as IFEval runs it: Python langdetect 1.0.9 on CPython 3.11 with
//! `DetectorFactory.seed = 0`.
//!
//! Three IFEval checks (`language:response_language`, `change_case:english_capital`,
//! `change_case:english_lowercase`) call `langdetect.detect`. langdetect is a seeded random walk
//! over character n-grams, so only a bit-exact port gives the same answers. The `langdetect`
//! crate is one (same Mersenne Twister, same floating-point operations in the same order), and
//! the tests compare every result with its detector bit for bit. Every step is ours, though:
//! the text is prepared ([`prepare`]), cleaned and normalised ([`normalize`], with a compact
//! CJK map that travels with the profiles), and walked ([`walk`]) over an n-gram table laid out for reading in place
//! ([`flat`]). The crate's `DetectorFactory` allocates every one of its 87,598 rows when it is
//! built, which cost more than all the detections of a `crab eval` run, and its tables cost the
//! web app's first load; the crate is only linked with the `langdetect-factory` feature (the
//! conversion [`compact::from_factory`]), which the app leaves off. Two settings are fixed, as IFEval's
//! results depend on them:
//!
//! - **Seed 0 for every call.** Python reseeds the detector's `random.Random` with
//!   `DetectorFactory.seed` at each detection, so every `detect` starts the walk from
//!   `random.Random(0)`'s state.
//! - **CPython 3.11 arithmetic**: `sum()` adds left to right (3.12 compensates), and
//!   `str.isupper` uses Unicode 14.0.
//!
//! Why the detector is *given* rather than global: the 55 built-in profiles are too big for the
//! web app's first load, so the library never touches them unless the `builtin-profiles` cargo
//! feature is on (the CLI turns it on). Profiles travel in the [`compact`] format (0.9 MB,
//! 0.45 MB gzipped; written by `crab lang-profiles OUT`), which the app fetches on first need
//! and loads with [`LanguageDetector::from_compact_bytes`]; `builtin()` embeds the same
//! profiles as the table itself, written by the build script.
//!
//! Profiles are in file-name order (`af`, `ar`, …, `zh-tw`). Python loads them in
//! `os.listdir` order, which depends on the file system; the order only moves the last bits of
//! some probabilities, never (on every text tested) the detected language.
//!
//! Loose-mode IFEval re-checks up to eight variants of each response and the app re-verifies on
//! every keystroke, so results are cached per distinct text (detection is deterministic).

mod cache;
pub mod compact;
mod flat;
mod normalize;
mod prepare;
mod walk;

use std::borrow::Cow;
use std::sync::Mutex;

#[cfg(feature = "langdetect-factory")]
use langdetect::{Compat, DetectorFactory};

use self::cache::{Cache, Outcome};
use self::flat::Table;
use self::normalize::CjkMap;
use self::walk::Goal;

/// The CPython minor version (3.x) whose langdetect results are reproduced.
pub const PYTHON_MINOR: u32 = 11;

/// The outcome of [`LanguageDetector::detect`], the analogue of Python's `langdetect.detect`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Detection {
    /// The most probable language: an ISO 639-1 code (`"en"`, `"hi"`, …) or `"zh-cn"` /
    /// `"zh-tw"`. As in Python, `"unknown"` when no language has a probability above 0.1.
    Language(String),
    /// The text has no n-gram features (no letters, e.g. `"12345 !!!"`, `"******"`, `""`):
    /// Python raises `LangDetectException`, which IFEval's checks count as a pass.
    NoFeatures,
}

impl Detection {
    /// The detected language code, or `None` for [`Detection::NoFeatures`].
    pub fn language(&self) -> Option<&str> {
        match self {
            Detection::Language(lang) => Some(lang),
            Detection::NoFeatures => None,
        }
    }
}

/// Why a detector could not be built, or a text could not be scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LangError {
    /// The bytes given to [`LanguageDetector::from_compact_bytes`] (or profiles given to
    /// [`compact::encode`]) are not usable profiles; the message says why.
    InvalidProfiles(String),
    /// The text has no n-gram features (Python's `LangDetectException`, "No features in text").
    NoFeatures,
}

impl std::fmt::Display for LangError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LangError::InvalidProfiles(why) => write!(f, "invalid language profiles: {why}"),
            LangError::NoFeatures => f.write_str("no features in text"),
        }
    }
}

impl std::error::Error for LangError {}

/// A seeded langdetect detector (Python 3.11 semantics, seed 0) with a small result cache.
///
/// Build it once and share it: [`LanguageDetector::from_compact_bytes`] decodes the profiles
/// (a few milliseconds), [`LanguageDetector::builtin`] reads a table made at build time in
/// place; detection takes `&self`. It is `Send + Sync`.
#[derive(Debug)]
pub struct LanguageDetector {
    table: Table,
    cjk: CjkMap,
    cache: Mutex<Cache>,
}

impl LanguageDetector {
    /// The detector over langdetect 1.0.9's 55 built-in profiles, built on first use.
    ///
    /// Only with the `builtin-profiles` feature, which links the profiles into the binary (as
    /// [`LanguageDetector::builtin_compact_bytes`]); the web app leaves it off and uses
    /// [`LanguageDetector::from_compact_bytes`] on the fetched asset.
    #[cfg(feature = "builtin-profiles")]
    pub fn builtin() -> &'static LanguageDetector {
        static DETECTOR: std::sync::LazyLock<LanguageDetector> = std::sync::LazyLock::new(|| {
            // The same profiles as `builtin_compact_bytes`, laid out by the build script as the
            // table detection reads, so nothing is decoded at run time.
            let table = include_bytes!(concat!(env!("OUT_DIR"), "/profiles.table"));
            let cjk = CjkMap::decode(normalize::CJK_MAP);
            match Table::new(Cow::Borrowed(table)).and_then(|t| Ok((t, cjk?))) {
                Ok((table, cjk)) => LanguageDetector::with_table(table, cjk),
                // The bytes were written by the same crate version at build time; a failure
                // here is a build bug, not bad input.
                #[allow(
                    clippy::panic,
                    reason = "the profiles are this build's own constant bytes, not input"
                )]
                Err(e) => panic!("built-in language profiles: {e}"),
            }
        });
        &DETECTOR
    }

    /// langdetect 1.0.9's 55 built-in profiles in the [`compact`] format: the web app's asset
    /// (`crab lang-profiles OUT` writes these bytes).
    ///
    /// The build script makes them from the `langdetect` crate's profiles (recovering the
    /// integer counts behind its probabilities, see [`compact::from_factory`]).
    #[cfg(feature = "builtin-profiles")]
    pub fn builtin_compact_bytes() -> &'static [u8] {
        include_bytes!(concat!(env!("OUT_DIR"), "/profiles.bin"))
    }

    fn with_table(table: Table, cjk: CjkMap) -> Self {
        LanguageDetector { table, cjk, cache: Mutex::new(Cache::default()) }
    }

    /// A detector from the compact profile asset (see [`compact`]), as `crab lang-profiles`
    /// writes it and the web app fetches it.
    ///
    /// Each probability is recomputed from its integer count exactly as langdetect computes
    /// it, so detection is bit-identical to a detector over the same profiles loaded any other
    /// way. Malformed, truncated or inconsistent bytes are a [`LangError::InvalidProfiles`],
    /// never a panic.
    pub fn from_compact_bytes(bytes: &[u8]) -> Result<Self, LangError> {
        let (table, cjk) = compact::decode_to_table(bytes).map_err(LangError::InvalidProfiles)?;
        let table = Table::new(Cow::Owned(table)).map_err(LangError::InvalidProfiles)?;
        Ok(Self::with_table(table, cjk))
    }

    #[cfg(feature = "langdetect-factory")]
    /// The `langdetect` crate's factory over the same probabilities (Python 3.11 settings):
    /// what [`compact::from_factory`] reads, and the reference the tests compare with.
    fn to_factory(&self) -> Result<DetectorFactory, LangError> {
        let compat = compact::codec::compat_bytes(Compat::python(PYTHON_MINOR));
        let langs = self.table.langs();
        let mut ldf = b"LDF1".to_vec();
        ldf.extend_from_slice(&compat);
        ldf.extend_from_slice(&(langs.len() as u32).to_le_bytes());
        for lang in langs {
            ldf.extend_from_slice(&(lang.len() as u32).to_le_bytes());
            ldf.extend_from_slice(lang.as_bytes());
        }
        let slots: Vec<(u32, u64)> = self.table.slots().collect();
        ldf.extend_from_slice(&(slots.len() as u32).to_le_bytes());
        for (slot, key) in slots {
            let entries: Vec<(usize, f64)> = self.table.entries(slot).collect();
            ldf.extend_from_slice(&key.to_le_bytes());
            ldf.extend_from_slice(&(langs.len() as u32).to_le_bytes());
            ldf.extend_from_slice(&(entries.len() as u32).to_le_bytes());
            for (lang, p) in entries {
                ldf.extend_from_slice(&(lang as u32).to_le_bytes());
                ldf.extend_from_slice(&p.to_bits().to_le_bytes());
            }
        }
        DetectorFactory::from_bytes(&ldf).map_err(|e| LangError::InvalidProfiles(e.to_string()))
    }

    /// The profiles in the compact format [`LanguageDetector::from_compact_bytes`] reads,
    /// recovered from the loaded probabilities (see [`compact::from_factory`]; with the
    /// `langdetect-factory` feature).
    ///
    /// Loading the result gives the same probabilities bit for bit. The integers are the
    /// smallest that give them (per language and n-gram length); for langdetect's built-in
    /// profiles those are Python's own counts, so their bytes round-trip exactly.
    #[cfg(feature = "langdetect-factory")]
    pub fn to_compact_bytes(&self) -> Result<Vec<u8>, LangError> {
        compact::from_factory(&self.to_factory()?)
    }

    /// The language codes of the loaded profiles, in profile order.
    pub fn languages(&self) -> &[String] {
        self.table.langs()
    }

    /// `langdetect.detect(text)` after `DetectorFactory.seed = 0`.
    ///
    /// Never panics; any text (empty, whitespace, huge, any Unicode) gives a result.
    ///
    /// The walk stops as soon as the answer is decided (see [`walk`]): about half the work of
    /// [`LanguageDetector::detect_langs`] on a text in one language, with the same answer.
    pub fn detect(&self, text: &str) -> Detection {
        let cached = self.lock_cache().get(text);
        match cached {
            Some(Outcome::Top(detection)) => detection,
            Some(Outcome::Langs(langs)) => top(langs),
            None => {
                let detection = top(self.compute(text, Goal::TopLanguage));
                self.lock_cache().insert(text, Outcome::Top(detection.clone()));
                detection
            }
        }
    }

    /// `langdetect.detect_langs(text)` after `DetectorFactory.seed = 0`: the languages with
    /// probability above 0.1, most probable first, as `(code, probability)`.
    ///
    /// [`LangError::NoFeatures`] where Python raises `LangDetectException`.
    pub fn detect_langs(&self, text: &str) -> Result<Vec<(String, f64)>, LangError> {
        let cached = self.lock_cache().get(text);
        if let Some(Outcome::Langs(langs)) = cached {
            return langs.ok_or(LangError::NoFeatures);
        }
        let langs = self.compute(text, Goal::Probabilities);
        self.lock_cache().insert(text, Outcome::Langs(langs.clone()));
        langs.ok_or(LangError::NoFeatures)
    }

    /// The uncached detection. `None` means no features. With [`Goal::TopLanguage`], only the
    /// first language (or that there is none above 0.1) is sure to be Python's.
    fn compute(&self, text: &str, goal: Goal) -> Option<Vec<(String, f64)>> {
        // `Detector.append(text)` (the text prepared without the `regex` crate, see
        // [`prepare`]), then `Detector._detect_block` with the detector's defaults (alpha 0.5,
        // 7 trials, no prior, see [`walk`]), then `_sort_probability`: the languages above
        // 0.1, most probable first (a stable sort, as Python's).
        let prepared = prepare::prepare(text);
        let cleaned = normalize::clean(&prepared);
        let langprob = walk::detect_block(
            &self.table,
            &self.cjk,
            cleaned.as_deref().unwrap_or(&prepared),
            goal,
        )?;
        let mut langs: Vec<(String, f64)> = self
            .table
            .langs()
            .iter()
            .zip(langprob)
            .filter(|&(_, p)| p > 0.1)
            .map(|(lang, p)| (lang.clone(), p))
            .collect();
        langs.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        Some(langs)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while holding the lock cannot leave the cache inconsistent (every update is
        // a single map operation), so a poisoned lock is still usable.
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `detect`'s answer from `detect_langs`' list: its first language, or `"unknown"` when no
/// language is above 0.1.
fn top(langs: Option<Vec<(String, f64)>>) -> Detection {
    match langs {
        Some(langs) => Detection::Language(
            langs.into_iter().next().map_or_else(|| "unknown".to_owned(), |(lang, _)| lang),
        ),
        None => Detection::NoFeatures,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use langdetect::{Compat, DetectorFactory};

    use super::*;

    /// The `langdetect` crate's own factory over its built-in profiles (Python 3.11 settings).
    fn reference_factory() -> DetectorFactory {
        let mut f = DetectorFactory::new(Compat::python(PYTHON_MINOR));
        f.load_builtin(&DetectorFactory::builtin_files()).expect("built-in profiles");
        f
    }

    /// Profiles as `crab lang-profiles` writes them, built straight from the `langdetect` crate
    /// so that these tests run with or without the `builtin-profiles` feature.
    pub(crate) fn detector() -> &'static LanguageDetector {
        static D: std::sync::LazyLock<LanguageDetector> = std::sync::LazyLock::new(|| {
            let bytes = compact::from_factory(&reference_factory()).expect("convertible");
            LanguageDetector::from_compact_bytes(&bytes).expect("valid profiles")
        });
        &D
    }

    #[test]
    fn texts_without_letters_have_no_features() {
        let d = detector();
        for text in [
            "",
            " ",
            "\n\t ",
            "12345 !!!",
            "******",
            "3.14",
            "---",
            "\u{a0}\u{2028}",
            "😀🎉",
            "https://example.com/a",
            "a.b@example.com",
        ] {
            assert_eq!(d.detect(text), Detection::NoFeatures, "{text:?}");
            assert_eq!(d.detect_langs(text), Err(LangError::NoFeatures), "{text:?}");
        }
    }

    #[test]
    fn detects_common_languages() {
        let d = detector();
        for (text, lang) in [
            ("The quick brown fox jumps over the lazy dog.", "en"),
            ("Ein, zwei, drei, vier", "de"),
            ("Ceci est une phrase en français.", "fr"),
            ("Война и мир — роман Льва Толстого.", "ru"),
            ("यह एक हिंदी वाक्य है।", "hi"),
        ] {
            assert_eq!(d.detect(text), Detection::Language(lang.to_owned()), "{text:?}");
        }
    }

    #[test]
    fn cache_returns_identical_results() {
        let d = detector();
        let text = "Ceci n'est pas une pipe, mais une phrase assez courte.";
        let first = d.detect_langs(text);
        let uncached = d.compute(text, Goal::Probabilities);
        for _ in 0..3 {
            assert_eq!(d.detect_langs(text), first);
        }
        assert_eq!(first.clone().ok(), uncached);
        assert_eq!(
            d.detect(text).language(),
            first.ok().and_then(|l| l.first().map(|x| x.0.clone())).as_deref()
        );
    }

    #[test]
    fn detect_and_detect_langs_share_the_cache_either_way_round() {
        let text = "Dies ist ein kurzer deutscher Satz, und er bleibt auch einer.";
        let full = detector().compute(text, Goal::Probabilities);
        let fresh =
            || LanguageDetector::from_compact_bytes(&detector().to_compact_bytes().unwrap());
        // `detect` first keeps only its answer; `detect_langs` then still walks all the trials.
        let d = fresh().expect("profiles");
        assert_eq!(d.detect(text), top(full.clone()));
        assert_eq!(d.detect_langs(text).ok(), full);
        assert_eq!(d.detect(text), top(full.clone()));
        // `detect_langs` first: `detect` reads its list.
        let d = fresh().expect("profiles");
        assert_eq!(d.detect_langs(text).ok(), full);
        assert_eq!(d.detect(text), top(full));
        assert_eq!(d.lock_cache().len(), 1);
    }

    #[test]
    fn cache_stays_bounded() {
        let d = detector();
        for i in 0..(cache::MAX_ENTRIES + 50) {
            let text = format!("word{i} and another word");
            assert_eq!(d.detect_langs(&text).ok(), d.compute(&text, Goal::Probabilities));
        }
        assert!(d.lock_cache().len() <= cache::MAX_ENTRIES);
    }

    /// N-gram key → (row length, `(slot, probability bits)` sorted).
    type Rows = std::collections::BTreeMap<u64, (u32, Vec<(u32, u64)>)>;

    /// The `LDF1` rows of a factory as a map from n-gram key to (row length, slots sorted),
    /// probabilities as bits: what detection reads, independent of the row order.
    fn canonical_rows(factory: &DetectorFactory) -> (Vec<String>, Rows) {
        let bytes = factory.to_bytes();
        let mut pos = 6;
        let u32_at = |pos: &mut usize| {
            let v = u32::from_le_bytes(bytes[*pos..*pos + 4].try_into().unwrap());
            *pos += 4;
            v
        };
        let langs = u32_at(&mut pos);
        for _ in 0..langs {
            pos += u32_at(&mut pos) as usize;
        }
        let mut rows = std::collections::BTreeMap::new();
        for _ in 0..u32_at(&mut pos) {
            let key = u64::from_le_bytes(bytes[pos..pos + 8].try_into().unwrap());
            pos += 8;
            let len = u32_at(&mut pos);
            let mut slots = Vec::new();
            for _ in 0..u32_at(&mut pos) {
                let slot = u32_at(&mut pos);
                slots.push((slot, u64::from_le_bytes(bytes[pos..pos + 8].try_into().unwrap())));
                pos += 8;
            }
            slots.sort_unstable();
            assert!(rows.insert(key, (len, slots)).is_none(), "one row per key");
        }
        assert_eq!(pos, bytes.len());
        (factory.langlist().to_vec(), rows)
    }

    #[test]
    fn compact_profiles_hold_exactly_the_crate_tables() {
        // Same languages, and for every n-gram the same row length and the same probability
        // bits in the same slots: only the (irrelevant) order of the rows differs.
        let (ref_langs, ref_rows) = canonical_rows(&reference_factory());
        let factory = detector().to_factory().expect("converts");
        let (langs, rows) = canonical_rows(&factory);
        assert_eq!(langs, ref_langs);
        assert_eq!(rows.len(), ref_rows.len());
        assert!(rows == ref_rows, "the n-gram tables differ");
        assert_eq!(factory.compat(), Compat::python(PYTHON_MINOR));
    }

    #[test]
    fn garbage_profile_bytes_are_an_error() {
        let good = detector().to_compact_bytes().expect("re-encodes");
        let cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"CRLP".to_vec(),
            b"CRLP\x01".to_vec(),
            b"not a profile at all".to_vec(),
            vec![0xff; 64],
            good[..good.len() / 2].to_vec(),
            [&good[..], b"x"].concat(),
            detector().to_factory().expect("converts").to_bytes(),
        ];
        for bytes in cases {
            assert!(matches!(
                LanguageDetector::from_compact_bytes(&bytes),
                Err(LangError::InvalidProfiles(_))
            ));
        }
    }

    fn profile(name: &str, n_words: [u64; 3], freq: &[(&str, u64)]) -> compact::Profile {
        compact::Profile {
            name: name.to_owned(),
            n_words,
            freq: freq.iter().map(|&(g, c)| (g.to_owned(), c)).collect(),
        }
    }

    #[test]
    fn tiny_profiles_load_and_detect() {
        let bytes = compact::encode(&[
            // Coprime counts and totals: recovery finds these very integers again.
            profile("xx", [10, 7, 1], &[("a", 3), ("ab", 2), ("abc", 0)]),
            profile("yy", [4, 1, 1], &[("a", 1), ("b", 4), ("toolong", 3)]),
        ])
        .expect("valid profiles");
        let d = LanguageDetector::from_compact_bytes(&bytes).expect("loads");
        assert_eq!(d.languages(), ["xx", "yy"]);
        assert_eq!(d.detect("a"), Detection::Language("xx".to_owned()));
        assert_eq!(d.detect("b"), Detection::Language("yy".to_owned()));
        assert_eq!(d.detect("c"), Detection::NoFeatures);
        // The zero count still makes "abc" a feature, as in Python.
        assert_eq!(d.to_compact_bytes().expect("re-encodes"), bytes);
    }

    #[test]
    fn inconsistent_profiles_are_rejected() {
        for bad in [
            vec![],                                                             // no languages
            vec![profile("xx", [1, 1, 1], &[("a", 2)])], // count above its total
            vec![profile("xx", [0, 1, 1], &[("a", 0)])], // a total of zero
            vec![profile("xx", [1 << 53, 1, 1], &[("a", 1)])], // not exact in f64
            vec![profile("xx", [3, 1, 1], &[("a", 1), ("a", 2)])], // an n-gram twice
            vec![profile("", [3, 1, 1], &[("a", 1)])],   // empty code
            vec![profile("xx", [3, 1, 1], &[]), profile("xx", [3, 1, 1], &[])], // repeated code
        ] {
            let err = compact::encode(&bad).unwrap_err();
            assert!(matches!(err, LangError::InvalidProfiles(_)), "{err:?}");
        }
    }

    #[test]
    fn unusual_inputs_do_not_panic() {
        let d = detector();
        let huge = "Lorem ipsum dolor sit amet. ".repeat(20_000);
        let inputs = [
            huge.as_str(),
            "\u{0}\u{1c}\u{1f}\u{feff}\u{200b}",
            "a\u{301}\u{302}\u{303}",
            "ß İ Σ ς",
            "\u{10ffff}\u{e000}𝐀𝐁",
            "中文 日本語 한국어 ไทย العربية Ελληνικά",
            "HELLO WORLD THIS IS ALL CAPS",
            "http://x.org http://y.org mail@x.org",
        ];
        for text in inputs {
            let _ = d.detect(text);
            let _ = d.detect_langs(text);
        }
    }

    #[cfg(feature = "builtin-profiles")]
    #[test]
    fn builtin_equals_the_crate_profiles() {
        let built = LanguageDetector::builtin_compact_bytes();
        assert_eq!(built, detector().to_compact_bytes().expect("re-encodes"));
        assert_eq!(LanguageDetector::builtin().to_compact_bytes().expect("re-encodes"), built);
    }
}
