//! The text layer compiled to WebAssembly, in headless Chromium: it must give exactly the
//! reference results there too (the app verifies in the browser), and this measures its speed.
//!
//! `cargo test --target wasm32-unknown-unknown -p crab-constraints --test browser_text`
//! (add `--release` for representative timings).

#![cfg(target_arch = "wasm32")]

use crab_constraints::text::lang::{Detection, LanguageDetector, PYTHON_MINOR};
use crab_constraints::text::{punkt, pystr, word_tokenize};
use langdetect::{Compat, DetectorFactory};
use serde_json::Value;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RESPONSES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ifeval/input_response_data_gpt4_20231107_145030.jsonl"
));
const STATS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ifeval/expected/ifeval_gpt4_text_stats.jsonl"
));

fn now_ms() -> f64 {
    web_sys::window().expect("window").performance().expect("performance").now()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().expect("list").iter().map(|s| s.as_str().expect("string")).collect()
}

#[wasm_bindgen_test]
fn gpt4_words_sentences_and_tokens_match_nltk_in_the_browser() {
    let responses: Vec<String> = RESPONSES
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["response"].as_str().unwrap().to_owned())
        .collect();
    let stats: Vec<Value> = STATS.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(responses.len(), 541);
    assert_eq!(stats.len(), 541);

    // The app fetches the profiles as an asset; here they come from the crate, through the
    // same `from_profile_bytes` path.
    let t = now_ms();
    let mut factory = DetectorFactory::new(Compat::python(PYTHON_MINOR));
    factory.load_builtin(&DetectorFactory::builtin_files()).expect("built-in profiles");
    let detector = LanguageDetector::from_profile_bytes(&factory.to_bytes()).expect("profiles");
    let t_load = now_ms() - t;

    let (mut t_words, mut t_sentences, mut t_tokens, mut t_lang) = (0.0, 0.0, 0.0, 0.0);
    for (response, stat) in responses.iter().zip(&stats) {
        let key = &stat["key"];
        let t0 = now_ms();
        let words = pystr::count_words(response);
        let t1 = now_ms();
        let sentences = punkt::sentences(response);
        let t2 = now_ms();
        let tokens = word_tokenize::word_tokenize(response);
        let t3 = now_ms();
        let detection = detector.detect(response);
        let t4 = now_ms();
        t_words += t1 - t0;
        t_sentences += t2 - t1;
        t_tokens += t3 - t2;
        t_lang += t4 - t3;

        let expected_lang = stat["langdetect_seed0"].as_array().and_then(|l| l.first());
        match (&detection, expected_lang) {
            (Detection::Language(lang), Some(first)) => {
                assert_eq!(lang, first[0].as_str().unwrap(), "language, key {key}")
            }
            (Detection::NoFeatures, None) => {}
            (got, want) => panic!("language, key {key}: got {got:?}, want {want:?}"),
        }

        assert_eq!(words as u64, stat["count_words"].as_u64().unwrap(), "count_words, key {key}");
        assert_eq!(sentences, strings(&stat["punkt_sentences"]), "Punkt sentences, key {key}");
        let token_texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(token_texts, strings(&stat["word_tokenize"]), "word_tokenize, key {key}");
        assert_eq!(
            pystr::isupper(response),
            stat["isupper"].as_bool().unwrap(),
            "isupper, key {key}"
        );
        assert_eq!(
            pystr::islower(response),
            stat["islower"].as_bool().unwrap(),
            "islower, key {key}"
        );
    }
    let n = responses.len() as f64;
    console_log!(
        "541/541 equal. Per response (mean 1.2 KB): count_words {:.1} µs, Punkt {:.1} µs, \
         word_tokenize {:.1} µs, langdetect {:.1} µs; loading the profiles {:.0} ms",
        t_words / n * 1000.0,
        t_sentences / n * 1000.0,
        t_tokens / n * 1000.0,
        t_lang / n * 1000.0,
        t_load
    );
}
