//! Language detection against Python langdetect 1.0.9 (CPython 3.11, `DetectorFactory.seed = 0`):
//! the 541 GPT-4 responses against the recorded IFEval text stats, and a differential test
//! against `scripts/oracle/lang.py` on generated multilingual and degenerate texts.
//!
//! The detector is built from compact profile bytes made straight from the `langdetect` crate,
//! the same bytes `crab lang-profiles` writes, so these tests run whether or not the
//! `builtin-profiles` feature is on (and exercise `from_compact_bytes`, the path the web app
//! uses). The last section proves the compact asset faithful: its counts are Python's, its
//! detections bit-identical to the crate's own tables, and bad bytes are errors.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/lang.rs"]
mod lang;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use std::sync::LazyLock;

use crab_constraints::text::lang::{compact, Detection, LangError, LanguageDetector};
use data::gpt4_responses;
use langdetect::DetectorFactory;
use rng::Rng;
use serde_json::Value;

/// One detector for the tests that do not time it, so its cache is shared as in the app.
fn detector() -> &'static LanguageDetector {
    static DETECTOR: LazyLock<LanguageDetector> = LazyLock::new(lang::detector);
    &DETECTOR
}

#[cfg(feature = "builtin-profiles")]
#[test]
fn builtin_detector_holds_the_same_profiles() {
    assert_eq!(
        LanguageDetector::builtin_compact_bytes(),
        lang::profile_bytes(),
        "LanguageDetector::builtin() embeds the same profiles"
    );
}

#[test]
fn gpt4_responses_match_recorded_langdetect() {
    let stats = data::text_stats();
    let responses = gpt4_responses();
    let d = detector();
    let (mut agree, mut no_features) = (0, 0);
    let mut failures = Vec::new();
    for (key, response) in &responses {
        // Either `[[lang, prob], ...]` or the exception message "No features in text.".
        let recorded = &stats[key]["langdetect_seed0"];
        let want: Option<Vec<(String, f64)>> = recorded.as_array().map(|langs| {
            langs
                .iter()
                .map(|p| (p[0].as_str().expect("lang").to_owned(), p[1].as_f64().expect("prob")))
                .collect()
        });
        if want.is_none() {
            assert_eq!(recorded.as_str(), Some("No features in text."), "key {key}");
            no_features += 1;
        }
        let got = d.detect_langs(response).ok();
        let detected = d.detect(response);
        let same_langs = match (&got, &want) {
            (Some(g), Some(w)) => {
                g.len() == w.len()
                    && g.iter().zip(w).all(|(a, b)| a.0 == b.0 && (a.1 - b.1).abs() <= 1e-9)
            }
            (None, None) => true,
            _ => false,
        };
        let want_detect = match &want {
            Some(w) => Detection::Language(w.first().map_or("unknown", |l| l.0.as_str()).into()),
            None => Detection::NoFeatures,
        };
        if same_langs && detected == want_detect {
            agree += 1;
        } else {
            failures.push(*key);
            eprintln!("MISMATCH key {key}: rust {got:?} / {detected:?}, python {want:?}");
        }
    }
    println!(
        "langdetect GPT-4 responses: {agree}/{} equal (detect_langs within 1e-9 and detect; \
         {no_features} without features)",
        responses.len()
    );
    assert!(failures.is_empty(), "keys that differ: {failures:?}");
}

#[test]
fn no_features_is_python_lang_detect_exception() {
    let d = detector();
    assert_eq!(d.detect("12345 !!!"), Detection::NoFeatures);
    assert_eq!(d.detect("******"), Detection::NoFeatures);
    assert_eq!(d.detect_langs(""), Err(LangError::NoFeatures));
}

// ---------------------------------------------------------------------------------------------
// Differential test against the Python oracle.

/// Short texts in many scripts and languages, including the 22 response languages of the
/// IFEval data and pairs that langdetect confuses (es/ca/pt, no/da/sv, ru/bg/uk/mk, hi/mr/ne).
const SNIPPETS: &[&str] = &[
    "यह एक हिंदी वाक्य है और यह काफी लंबा है।",
    "नमस्ते",
    "मला मराठी भाषा आवडते.",
    "म नेपाली बोल्छु।",
    "مرحبا بكم في هذا العالم الجميل",
    "این یک جمله فارسی است",
    "یہ اردو کا ایک جملہ ہے",
    "这是一个中文句子。",
    "這是一個繁體中文句子。",
    "日本語の文章です。ひらがなとカタカナ。",
    "한국어 문장입니다.",
    "Привет, как дела? Это русский текст.",
    "Здравейте, това е български текст.",
    "Привіт, це український текст.",
    "Ова е македонски текст.",
    "Γεια σου κόσμε, αυτό είναι ελληνικά.",
    "สวัสดีครับ นี่คือภาษาไทย",
    "שלום עולם, זה טקסט בעברית",
    "இது ஒரு தமிழ் வாக்கியம்",
    "ఇది ఒక తెలుగు వాక్యం",
    "ಇದು ಕನ್ನಡ ವಾಕ್ಯ",
    "এটি একটি বাংলা বাক্য",
    "આ એક ગુજરાતી વાક્ય છે",
    "ਇਹ ਇੱਕ ਪੰਜਾਬੀ ਵਾਕ ਹੈ",
    "ഇത് ഒരു മലയാളം വാക്യമാണ്",
    "Đây là một câu tiếng Việt.",
    "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t co\u{301} da\u{302}\u{301}u",
    "Habari yako? Ninafurahi kukuona.",
    "Hyvää huomenta, mitä kuuluu?",
    "Ein, zwei, drei, vier. Guten Morgen!",
    "Ceci est une phrase en français.",
    "Esto es una frase en español.",
    "Això és una frase en català.",
    "Isto é uma frase em português.",
    "Questa è una frase in italiano.",
    "Dit is een Nederlandse zin.",
    "Dette er en norsk setning.",
    "Dette er en dansk sætning.",
    "Det här är en svensk mening.",
    "To je hrvatska rečenica.",
    "To je slovenski stavek.",
    "Toto je slovenská veta.",
    "To je česká věta.",
    "To jest polskie zdanie.",
    "Ez egy magyar mondat.",
    "Aceasta este o propoziție românească.",
    "Bu bir Türkçe cümledir.",
    "Ini adalah kalimat bahasa Indonesia.",
    "Ito ay isang pangungusap sa Tagalog.",
    "Kani waa jumlad Soomaali ah.",
    "Kjo është një fjali shqipe.",
    "Tas ir latviešu teikums.",
    "Tai lietuviškas sakinys.",
    "See on eestikeelne lause.",
    "Dyma frawddeg Gymraeg.",
    "Dit is 'n Afrikaanse sin.",
    "Straße, Größe, Maß",
    "İstanbul ıığğ",
    "ΣΊΣΥΦΟΣ ς",
    "Hello world",
    "ok",
    "I",
    "a",
    "Yes!",
    "THE END",
];

const NO_LETTERS: &[&str] = &[
    "",
    " ",
    "\n\n",
    "\t \u{a0}\u{2028}\u{3000}",
    "12345 !!!",
    "******",
    "---",
    "3.14159",
    "1. 2. 3.",
    "$$$ %%% ###",
    "😀🎉👍",
    "https://example.com/path?q=1",
    "http://a.b/c http://d.e/f",
    "someone@example.com",
    "()[]{}<>",
    "\u{200b}\u{feff}",
    "№ 42",
    "٣٤٥",
    "〜！？",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "\n", "\n\n", ", ", ". ", " - ", "\t", "\u{a0}", ""];

struct Gen<'a> {
    rng: Rng,
    responses: &'a [(i64, String)],
}

impl Gen<'_> {
    /// A slice of a GPT-4 response of about `max_chars` characters, cut at char boundaries.
    fn fragment(&mut self, max_chars: usize) -> String {
        let r = &self.responses[self.rng.below(self.responses.len())].1;
        let chars: Vec<char> = r.chars().collect();
        if chars.is_empty() {
            return String::new();
        }
        let len = 1 + self.rng.below(max_chars.min(chars.len()));
        let start = self.rng.below(chars.len() - len + 1);
        chars[start..start + len].iter().collect()
    }

    fn unicode_soup(&mut self) -> String {
        const RANGES: &[(u32, u32)] = &[
            (0x20, 0x7e),
            (0xa0, 0x24f),
            (0x300, 0x36f),
            (0x370, 0x3ff),
            (0x400, 0x4ff),
            (0x590, 0x6ff),
            (0x900, 0x97f),
            (0xe00, 0xe7f),
            (0x1e00, 0x1fff),
            (0x2000, 0x206f),
            (0x3040, 0x30ff),
            (0x3100, 0x312f),
            (0x4e00, 0x4fff),
            (0xac00, 0xad00),
            (0xff00, 0xffef),
            (0x1d400, 0x1d4ff),
            (0x1f600, 0x1f64f),
        ];
        let n = 1 + self.rng.below(24);
        let mut out = String::new();
        for _ in 0..n {
            let (lo, hi) = RANGES[self.rng.below(RANGES.len())];
            let cp = lo + self.rng.below((hi - lo + 1) as usize) as u32;
            out.extend(char::from_u32(cp));
            if self.rng.chance(15) {
                out.push(' ');
            }
        }
        out
    }

    fn piece(&mut self) -> String {
        match self.rng.below(100) {
            0..=24 => self.rng.pick(SNIPPETS).to_owned(),
            25..=44 => self.fragment(40),
            45..=54 => self.fragment(400),
            55..=62 => self.fragment(200).to_uppercase(),
            63..=70 => self.fragment(200).to_lowercase(),
            71..=78 => self.rng.pick(NO_LETTERS).to_owned(),
            79..=86 => self.unicode_soup(),
            87..=92 => {
                let n = self.rng.next() % 1_000_000;
                format!("{n}")
            }
            _ => {
                let w = self.rng.pick(SNIPPETS).to_uppercase();
                format!("https://example.org/{} {w}", self.rng.below(1000))
            }
        }
    }

    fn text(&mut self) -> String {
        let most = if self.rng.chance(20) { 12 } else { 3 };
        let n = 1 + self.rng.below(most);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push_str(self.rng.pick(SEPARATORS));
            }
            out.push_str(&self.piece());
        }
        out
    }
}

/// One oracle answer: `detect` (None for LangDetectException), `detect_langs` of stock
/// langdetect, and `detect_langs` with profiles in file-name order; probabilities as bits.
struct Oracle {
    detect: Option<String>,
    langs: Option<Vec<(String, u64)>>,
    sorted_langs: Option<Vec<(String, u64)>>,
}

fn parse_langs(v: &Value) -> Option<Vec<(String, u64)>> {
    v.as_array().map(|langs| {
        langs
            .iter()
            .map(|p| {
                let bits = u64::from_str_radix(p[1].as_str().expect("hex bits"), 16).expect("hex");
                (p[0].as_str().expect("lang").to_owned(), bits)
            })
            .collect()
    })
}

fn run_oracle(texts: &[String]) -> Vec<Oracle> {
    let requests: Vec<Value> = texts.iter().map(|t| serde_json::json!({ "text": t })).collect();
    oracle::run_jsonl("lang.py", &[], &requests)
        .iter()
        .map(|v| Oracle {
            detect: v["detect"].as_str().map(str::to_owned),
            langs: parse_langs(&v["langs"]),
            sorted_langs: parse_langs(&v["sorted_langs"]),
        })
        .collect()
}

/// An optional numeric override from the environment (to fuzz longer by hand).
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn differential_against_python_langdetect() {
    let responses = gpt4_responses();
    let mut generator =
        Gen { rng: Rng(env_number("CRAB_DIFF_SEED", 0x1A6D_E7EC_7000)), responses: &responses };
    let mut texts: Vec<String> = NO_LETTERS.iter().map(|s| (*s).to_owned()).collect();
    texts.extend(SNIPPETS.iter().map(|s| (*s).to_owned()));
    texts.extend(SNIPPETS.iter().map(|s| s.to_uppercase()));
    // Whole responses as IFEval's english_capital / english_lowercase would see them.
    for (_, r) in responses.iter().step_by(4) {
        texts.push(r.to_uppercase());
        texts.push(r.to_lowercase());
    }
    for _ in 0..env_number("CRAB_DIFF_CASES", 1500) {
        texts.push(generator.text());
    }

    let expected = run_oracle(&texts);
    let d = detector();
    let (mut agree, mut no_features, mut bits_sorted, mut bits_stock) = (0, 0, 0, 0);
    let mut shown = 0;
    for (text, want) in texts.iter().zip(&expected) {
        let detected = d.detect(text);
        let langs: Option<Vec<(String, u64)>> = d
            .detect_langs(text)
            .ok()
            .map(|l| l.into_iter().map(|(lang, p)| (lang, p.to_bits())).collect());
        let want_detect = want.detect.clone().map_or(Detection::NoFeatures, Detection::Language);
        no_features += usize::from(want_detect == Detection::NoFeatures);
        let stock_close = match (&langs, &want.langs) {
            (Some(g), Some(w)) => {
                g.len() == w.len()
                    && g.iter().zip(w).all(|(a, b)| {
                        a.0 == b.0 && (f64::from_bits(a.1) - f64::from_bits(b.1)).abs() <= 1e-9
                    })
            }
            (None, None) => true,
            _ => false,
        };
        bits_sorted += usize::from(langs == want.sorted_langs);
        bits_stock += usize::from(langs == want.langs);
        if detected == want_detect && stock_close && langs == want.sorted_langs {
            agree += 1;
        } else if shown < 10 {
            shown += 1;
            eprintln!(
                "MISMATCH {text:?}\n  rust:   {detected:?} {langs:?}\n  python: {want_detect:?} \
                 {:?}\n  python, profiles in file-name order: {:?}",
                want.langs, want.sorted_langs
            );
        }
    }
    println!(
        "langdetect differential: {agree}/{} cases equal (detect, NoFeatures exactly when Python \
         raises, detect_langs within 1e-9); {no_features} without features; probabilities \
         bit-identical: {bits_sorted}/{n} vs Python with profiles in file-name order, \
         {bits_stock}/{n} vs stock Python (os.listdir order)",
        texts.len(),
        n = texts.len()
    );
    assert_eq!(agree, texts.len());
}

// ---------------------------------------------------------------------------------------------
// The compact profile asset (`text::lang::compact`), the file the web app fetches.

/// `detect_langs` of the `langdetect` crate's own factory (its built-in profiles loaded by
/// `load_builtin`, as Python's `add_profile` does), probabilities as bits.
fn reference_langs(factory: &DetectorFactory, text: &str) -> Option<Vec<(String, u64)>> {
    factory
        .detect_langs(text)
        .ok()
        .map(|l| l.into_iter().map(|l| (l.lang, l.prob.to_bits())).collect())
}

fn langs_bits(d: &LanguageDetector, text: &str) -> Option<Vec<(String, u64)>> {
    d.detect_langs(text).ok().map(|l| l.into_iter().map(|(lang, p)| (lang, p.to_bits())).collect())
}

#[test]
fn compact_profiles_detect_bit_identically() {
    let responses = gpt4_responses();
    let reference = lang::reference_factory();
    let d = LanguageDetector::from_compact_bytes(&lang::profile_bytes()).expect("compact asset");
    assert_eq!(d.languages(), reference.langlist());
    let mut texts: Vec<String> = responses.iter().map(|(_, r)| r.clone()).collect();
    let whole = texts.len();
    texts.extend(responses.iter().flat_map(|(_, r)| [r.to_uppercase(), r.to_lowercase()]));
    texts.extend(SNIPPETS.iter().chain(NO_LETTERS).map(|s| (*s).to_owned()));
    let mut generator =
        Gen { rng: Rng(env_number("CRAB_DIFF_SEED", 0xC0_3A_C7)), responses: &responses };
    for _ in 0..env_number("CRAB_COMPACT_CASES", 1500) {
        texts.push(generator.text());
    }
    // `detect` on a detector of its own, so that it never reads `detect_langs`' cached answer:
    // its walk stops once the answer is decided, and must still give the reference's answer.
    let first_only =
        LanguageDetector::from_compact_bytes(&lang::profile_bytes()).expect("compact asset");
    let (mut equal, mut gpt4_equal, mut no_features) = (0, 0, 0);
    for (i, text) in texts.iter().enumerate() {
        let want = reference_langs(&reference, text);
        let want_detect = match &want {
            None => Detection::NoFeatures,
            Some(langs) => Detection::Language(
                langs.first().map_or_else(|| "unknown".to_owned(), |(lang, _)| lang.clone()),
            ),
        };
        assert_eq!(first_only.detect(text), want_detect, "detect, {text:?}");
        let got = langs_bits(&d, text);
        no_features += usize::from(want.is_none());
        #[cfg(feature = "builtin-profiles")]
        assert_eq!(langs_bits(LanguageDetector::builtin(), text), want, "builtin(), {text:?}");
        if got == want {
            equal += 1;
            gpt4_equal += usize::from(i < whole);
        } else {
            eprintln!("MISMATCH {text:?}\n  compact:   {got:?}\n  reference: {want:?}");
        }
    }
    println!(
        "compact profiles vs the langdetect crate's own: {equal}/{} texts with bit-identical \
         detect_langs ({gpt4_equal}/{whole} GPT-4 responses; {no_features} without features)",
        texts.len()
    );
    assert_eq!(equal, texts.len());
}

#[test]
fn compact_counts_are_python_langdetect_profiles() {
    let answer = oracle::run_jsonl("lang.py", &[], &[serde_json::json!({ "profiles": true })]);
    let profiles: Vec<compact::Profile> = answer[0]["profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .map(|p| compact::Profile {
            name: p["name"].as_str().expect("name").to_owned(),
            n_words: [0, 1, 2].map(|i| p["n_words"][i].as_u64().expect("integer n_words")),
            freq: p["freq"]
                .as_object()
                .expect("freq")
                .iter()
                .map(|(gram, count)| (gram.clone(), count.as_u64().expect("integer count")))
                .collect(),
        })
        .collect();
    let counts: usize = profiles.iter().map(|p| p.freq.len()).sum();
    // Encoding is canonical, so equal bytes mean equal names, totals and counts.
    let from_python = compact::encode(&profiles).expect("Python's profiles encode");
    let from_crate = lang::profile_bytes();
    println!(
        "compact asset: {} bytes; Python langdetect's {} profiles ({counts} counts) encode to the \
         same bytes as the counts recovered from the langdetect crate: {}",
        from_crate.len(),
        profiles.len(),
        from_python == from_crate
    );
    assert_eq!(from_python, from_crate);
    let mut decoded = compact::decode(&from_crate).expect("decodes");
    let mut python = profiles;
    for p in decoded.iter_mut().chain(python.iter_mut()) {
        p.freq.sort();
    }
    assert_eq!(decoded, python);
}

#[test]
fn compact_asset_round_trips() {
    let bytes = lang::profile_bytes();
    let d = LanguageDetector::from_compact_bytes(&bytes).expect("compact asset");
    assert_eq!(d.to_compact_bytes().expect("re-encodes"), bytes);
    let profiles = compact::decode(&bytes).expect("decodes");
    assert_eq!(profiles.len(), 55);
    assert_eq!(compact::encode(&profiles).expect("encodes"), bytes);
}

#[test]
fn corrupt_compact_assets_are_errors_not_panics() {
    let good = lang::profile_bytes();
    let mut rng = Rng(0xBAD_A55E7);
    // Every cut in the header and key stream, then cuts spread over the rest: a shortened
    // asset always misses data (the streams' lengths are implied by their contents).
    let mut cuts: Vec<usize> = (0..1500).collect();
    cuts.extend((0..40).map(|_| rng.below(good.len())));
    cuts.push(good.len() - 1);
    for &cut in &cuts {
        let err = LanguageDetector::from_compact_bytes(&good[..cut]).map(|_| ()).unwrap_err();
        assert!(matches!(err, LangError::InvalidProfiles(_)), "cut at {cut}: {err:?}");
    }
    let mut extended = good.clone();
    extended.push(0);
    assert!(LanguageDetector::from_compact_bytes(&extended).is_err(), "trailing byte");
    const CHANGES: usize = 80;
    // Changed bytes: most are caught; a change in a count's low bits is a valid asset with
    // another count, which must still load and detect without panicking.
    let (mut rejected, mut accepted) = (0, 0);
    for i in 0..CHANGES {
        let mut bad = good.clone();
        // Half the changes in the first 10% (names, totals, keys, membership).
        let at = if i % 2 == 0 { rng.below(good.len() / 10) } else { rng.below(good.len()) };
        bad[at] ^= 1 + rng.below(255) as u8;
        match LanguageDetector::from_compact_bytes(&bad) {
            Err(LangError::InvalidProfiles(_)) => rejected += 1,
            Err(e) => panic!("unexpected error {e:?}"),
            Ok(d) => {
                accepted += 1;
                let _ = d.detect("Ceci est une phrase en français.");
                let _ = d.detect("This is an English sentence.");
            }
        }
    }
    for garbage in [&b""[..], b"CRLP", b"CRLP\x02", b"CRLP\x01\x00", &[0xff; 64], b"LDF1\x00\x01"] {
        assert!(LanguageDetector::from_compact_bytes(garbage).is_err(), "{garbage:?}");
    }
    println!(
        "corrupt compact assets: {} truncations rejected; {CHANGES} changed bytes: {rejected} \
         rejected, {accepted} still valid (loaded and detected without panicking)",
        cuts.len()
    );
}
