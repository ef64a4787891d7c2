//! Language detection against Python langdetect 1.0.9 (CPython 3.11, `DetectorFactory.seed = 0`):
//! the 541 GPT-4 responses against the recorded IFEval text stats, and a differential test
//! against `scripts/oracle/lang.py` on generated multilingual and degenerate texts.
//!
//! The detector is built from profile bytes made straight from the `langdetect` crate, the same
//! bytes `crab lang-profiles` writes, so these tests run whether or not the `builtin-profiles`
//! feature is on (and exercise `from_profile_bytes`, the path the web app uses).
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
use std::time::Instant;

use crab_constraints::text::lang::{Detection, LangError, LanguageDetector};
use data::gpt4_responses;
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
        LanguageDetector::builtin().to_profile_bytes(),
        lang::profile_bytes(),
        "LanguageDetector::builtin() holds the same profiles"
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
fn timing_per_gpt4_response() {
    let responses = gpt4_responses();
    // A detector of its own, so that other tests cannot have warmed its cache.
    let d = lang::detector();
    let _ = d.detect("warm up the normalisation tables");
    let repeats = 8;
    let (mut cold, mut cached) = (0.0, 0.0);
    let mut english = 0;
    for (_, r) in &responses {
        let start = Instant::now();
        english += usize::from(d.detect(r).language() == Some("en"));
        cold += start.elapsed().as_secs_f64();
        // As loose mode and per-keystroke re-verification ask again for the same text.
        let start = Instant::now();
        for _ in 0..repeats {
            english += usize::from(d.detect(r).language() == Some("en"));
        }
        cached += start.elapsed().as_secs_f64();
    }
    let n = responses.len() as f64;
    println!(
        "langdetect timing: {:.1} µs per GPT-4 response cold, {:.2} µs cached ({} responses; \
         {english} English detections)",
        cold * 1e6 / n,
        cached * 1e6 / (n * f64::from(repeats)),
        responses.len()
    );
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
