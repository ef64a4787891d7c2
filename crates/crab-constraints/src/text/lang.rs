//! Language detection exactly as IFEval runs it: Python langdetect 1.0.9 on CPython 3.11 with
//! `DetectorFactory.seed = 0`.
//!
//! Three IFEval checks (`language:response_language`, `change_case:english_capital`,
//! `change_case:english_lowercase`) call `langdetect.detect`. langdetect is a seeded random walk
//! over character n-grams, so only a bit-exact port gives the same answers; the `langdetect`
//! crate is one (same Mersenne Twister, same floating-point operations in the same order). This
//! module wraps it in a [`LanguageDetector`] that fixes the two settings IFEval's results depend
//! on:
//!
//! - **Seed 0 for every call.** Python reseeds the detector's `random.Random` with
//!   `DetectorFactory.seed` at each detection, so every `detect` starts the walk from the same
//!   state. The wrapped factory holds [`langdetect::Seed::Int`]`(0)`, which the crate turns into a
//!   fresh generator per detection in the same way.
//! - **CPython 3.11 arithmetic** ([`langdetect::Compat::python`]`(11)`): `sum()` adds left to
//!   right (3.12 compensates), and `str.isupper` uses Unicode 14.0.
//!
//! Why the detector is *given* rather than global: the 55 built-in profiles weigh 1.35 MB
//! (845 KB gzipped), more than the web app's whole first-load budget. The library therefore
//! never touches them unless the `builtin-profiles` cargo feature is on (the CLI turns it on);
//! the app fetches the serialised profiles ([`LanguageDetector::to_profile_bytes`], written by
//! `crab lang-profiles OUT`) on first use and builds the detector with
//! [`LanguageDetector::from_profile_bytes`].
//!
//! Profiles are in file-name order (`af`, `ar`, …, `zh-tw`). Python loads them in
//! `os.listdir` order, which depends on the file system; the order only moves the last bits of
//! some probabilities, never (on every text tested) the detected language.
//!
//! Loose-mode IFEval re-checks up to eight variants of each response and the app re-verifies on
//! every keystroke, so results are cached per distinct text (detection is deterministic).

mod asset;
mod cache;

use std::sync::Mutex;

use langdetect::{Compat, DetectorFactory, ErrorCode, Seed};

use self::cache::Cache;

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
    /// The profile bytes given to [`LanguageDetector::from_profile_bytes`] are not a usable
    /// serialised factory; the message says why.
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
/// Build it once and share it: construction parses the profiles (about 1.35 MB), detection
/// takes `&self`. It is `Send + Sync`.
#[derive(Debug)]
pub struct LanguageDetector {
    factory: DetectorFactory,
    cache: Mutex<Cache>,
}

impl LanguageDetector {
    /// A detector from profiles serialised by [`LanguageDetector::to_profile_bytes`] (the
    /// `langdetect` crate's `DetectorFactory::to_bytes` format).
    ///
    /// The bytes must have been written with Python 3.11 settings (as `crab lang-profiles`
    /// does), hold at least one language, and have well-formed n-gram rows; anything else is a
    /// [`LangError::InvalidProfiles`], never a panic.
    pub fn from_profile_bytes(bytes: &[u8]) -> Result<Self, LangError> {
        let factory = DetectorFactory::from_bytes(bytes)
            .map_err(|e| LangError::InvalidProfiles(e.to_string()))?;
        let wanted = Compat::python(PYTHON_MINOR);
        if factory.compat() != wanted {
            return Err(LangError::InvalidProfiles(format!(
                "profiles were saved for {:?}, expected Python 3.{PYTHON_MINOR} ({wanted:?})",
                factory.compat()
            )));
        }
        asset::validate(bytes, factory.langlist().len()).map_err(LangError::InvalidProfiles)?;
        Ok(Self::with_factory(factory))
    }

    /// The detector over langdetect 1.0.9's 55 built-in profiles, built on first use.
    ///
    /// Only with the `builtin-profiles` feature, which links the 1.35 MB of profiles into the
    /// binary; the web app leaves it off and uses [`LanguageDetector::from_profile_bytes`].
    #[cfg(feature = "builtin-profiles")]
    pub fn builtin() -> &'static LanguageDetector {
        // Serialised from the `langdetect` crate's profiles by the build script.
        static PROFILES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/profiles.bin"));
        static DETECTOR: std::sync::LazyLock<LanguageDetector> = std::sync::LazyLock::new(|| {
            match LanguageDetector::from_profile_bytes(PROFILES) {
                Ok(detector) => detector,
                // The bytes were written by the same crate version at build time; a failure
                // here is a build bug, not bad input.
                Err(e) => panic!("built-in language profiles: {e}"),
            }
        });
        &DETECTOR
    }

    fn with_factory(mut factory: DetectorFactory) -> Self {
        factory.seed = Seed::Int(0);
        LanguageDetector { factory, cache: Mutex::new(Cache::default()) }
    }

    /// The profiles in the format [`LanguageDetector::from_profile_bytes`] reads (the asset the
    /// web app fetches).
    pub fn to_profile_bytes(&self) -> Vec<u8> {
        self.factory.to_bytes()
    }

    /// The language codes of the loaded profiles, in profile order.
    pub fn languages(&self) -> &[String] {
        self.factory.langlist()
    }

    /// `langdetect.detect(text)` after `DetectorFactory.seed = 0`.
    ///
    /// Never panics; any text (empty, whitespace, huge, any Unicode) gives a result.
    pub fn detect(&self, text: &str) -> Detection {
        match self.detect_langs(text) {
            Ok(langs) => Detection::Language(
                langs.into_iter().next().map_or_else(|| "unknown".to_owned(), |(lang, _)| lang),
            ),
            Err(_) => Detection::NoFeatures,
        }
    }

    /// `langdetect.detect_langs(text)` after `DetectorFactory.seed = 0`: the languages with
    /// probability above 0.1, most probable first, as `(code, probability)`.
    ///
    /// [`LangError::NoFeatures`] where Python raises `LangDetectException`.
    pub fn detect_langs(&self, text: &str) -> Result<Vec<(String, f64)>, LangError> {
        if let Some(hit) = self.lock_cache().get(text) {
            return hit.ok_or(LangError::NoFeatures);
        }
        let outcome = self.compute(text);
        self.lock_cache().insert(text, outcome.clone());
        outcome.ok_or(LangError::NoFeatures)
    }

    /// The uncached detection. `None` means no features.
    fn compute(&self, text: &str) -> Option<Vec<(String, f64)>> {
        match self.factory.detect_langs(text) {
            Ok(langs) => Some(langs.into_iter().map(|l| (l.lang, l.prob)).collect()),
            Err(e) => {
                // Validated profiles (at least one language, rows covering every language,
                // probabilities in 0..=1) leave "no features" as the only possible failure.
                debug_assert_eq!(e.code(), Some(ErrorCode::CantDetectError), "{e:?}");
                None
            }
        }
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while holding the lock cannot leave the cache inconsistent (every update is
        // a single map operation), so a poisoned lock is still usable.
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Profiles as `crab lang-profiles` writes them, built straight from the `langdetect` crate
    /// so that these tests run with or without the `builtin-profiles` feature.
    pub(crate) fn detector() -> &'static LanguageDetector {
        static D: std::sync::LazyLock<LanguageDetector> = std::sync::LazyLock::new(|| {
            let mut f = DetectorFactory::new(Compat::python(PYTHON_MINOR));
            f.load_builtin(&DetectorFactory::builtin_files()).expect("built-in profiles");
            LanguageDetector::from_profile_bytes(&f.to_bytes()).expect("valid profiles")
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
        let uncached = d.compute(text);
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
    fn cache_stays_bounded() {
        let d = detector();
        for i in 0..(cache::MAX_ENTRIES + 50) {
            let text = format!("word{i} and another word");
            assert_eq!(d.detect_langs(&text).ok(), d.compute(&text));
        }
        assert!(d.lock_cache().len() <= cache::MAX_ENTRIES);
    }

    #[test]
    fn garbage_profile_bytes_are_an_error() {
        let good = detector().to_profile_bytes();
        let cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"LDF1".to_vec(),
            b"not a profile at all".to_vec(),
            vec![0xff; 64],
            good[..good.len() / 2].to_vec(),
            [&good[..], b"x"].concat(),
        ];
        for bytes in cases {
            assert!(matches!(
                LanguageDetector::from_profile_bytes(&bytes),
                Err(LangError::InvalidProfiles(_))
            ));
        }
    }

    #[test]
    fn profiles_for_another_python_are_rejected() {
        let mut f = DetectorFactory::new(Compat::python(12));
        f.load_builtin(&["en", "fr"]).expect("two profiles");
        let err = LanguageDetector::from_profile_bytes(&f.to_bytes()).unwrap_err();
        assert!(matches!(err, LangError::InvalidProfiles(_)), "{err:?}");
    }

    /// A hand-written asset: Python 3.11 settings, `langs`, and one row for the unigram `a`
    /// with length `len` and one probability `p` in slot 0.
    fn tiny_asset(langs: &[&str], len: u32, p: f64) -> Vec<u8> {
        let mut out = b"LDF1".to_vec();
        out.extend_from_slice(&[0, 1]); // left-to-right sum, Unicode 14.0
        out.extend_from_slice(&(langs.len() as u32).to_le_bytes());
        for name in langs {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
        }
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&(u64::from('a') + 1).to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&p.to_bits().to_le_bytes());
        out
    }

    #[test]
    fn malformed_rows_and_empty_language_lists_are_rejected() {
        let ok = LanguageDetector::from_profile_bytes(&tiny_asset(&["xx", "yy"], 2, 0.5))
            .expect("a well-formed tiny asset");
        assert_eq!(ok.languages(), ["xx", "yy"]);
        assert_eq!(ok.detect("a"), Detection::Language("xx".to_owned()));
        assert_eq!(ok.detect("b"), Detection::NoFeatures);
        for bad in [
            tiny_asset(&[], 2, 0.5),            // no languages
            tiny_asset(&["xx", "yy"], 1, 0.5),  // row shorter than the language list
            tiny_asset(&["xx", "yy"], 2, 1.5),  // probability above 1
            tiny_asset(&["xx", "yy"], 2, -0.1), // negative probability
            tiny_asset(&["xx", "yy"], 2, f64::NAN),
        ] {
            let err = LanguageDetector::from_profile_bytes(&bad).map(|_| ()).unwrap_err();
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
    fn builtin_equals_the_serialised_profiles() {
        assert_eq!(LanguageDetector::builtin().to_profile_bytes(), detector().to_profile_bytes());
    }
}
