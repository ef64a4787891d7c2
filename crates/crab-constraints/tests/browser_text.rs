//! The text layer compiled to WebAssembly, in headless Chromium: it must give exactly the
//! reference results there too (the app verifies in the browser), and this measures its speed.
//!
//! `cargo test --target wasm32-unknown-unknown -p crab-constraints --test browser_text`
//! (add `--release` for representative timings).

#![cfg(target_arch = "wasm32")]

#[path = "support/clock.rs"]
mod clock;

use clock::now_ms;
use crab_constraints::text::lang::{compact, Detection, LanguageDetector, PYTHON_MINOR};
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

    // The app fetches the profiles as an asset; here they come from the crate, converted to the
    // same compact format and loaded through the same `from_compact_bytes` path. For comparison,
    // the `langdetect` crate's own serialisation (f64 probabilities, 4× larger) is loaded too.
    let mut factory = DetectorFactory::new(Compat::python(PYTHON_MINOR));
    factory.load_builtin(&DetectorFactory::builtin_files()).expect("built-in profiles");
    let compact_bytes = compact::from_factory(&factory).expect("convertible profiles");
    let ldf_bytes = factory.to_bytes();
    drop(factory);
    let median = |f: &dyn Fn()| {
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let t = now_ms();
                f();
                now_ms() - t
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[2]
    };
    let t_load = median(&|| {
        drop(std::hint::black_box(LanguageDetector::from_compact_bytes(&compact_bytes)));
    });
    let t_load_ldf =
        median(&|| drop(std::hint::black_box(DetectorFactory::from_bytes(&ldf_bytes))));
    let detector = LanguageDetector::from_compact_bytes(&compact_bytes).expect("profiles");

    // Each operation is timed over all responses at once: the browser's clock is too coarse
    // (0.1 ms) for one response.
    let time = |f: &dyn Fn(&str)| {
        let t = now_ms();
        for response in &responses {
            f(response);
        }
        now_ms() - t
    };
    let t_words = time(&|r| {
        std::hint::black_box(pystr::count_words(r));
    });
    let t_sentences = time(&|r| drop(std::hint::black_box(punkt::sentence_spans(r))));
    let t_tokens = time(&|r| drop(std::hint::black_box(word_tokenize::word_tokenize(r))));
    let t_lang = time(&|r| drop(std::hint::black_box(detector.detect(r))));

    for (response, stat) in responses.iter().zip(&stats) {
        let key = &stat["key"];
        let words = pystr::count_words(response);
        let sentences = punkt::sentences(response);
        let tokens = word_tokenize::word_tokenize(response);
        let detection = detector.detect(response);

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
         word_tokenize {:.1} µs, langdetect (first call per text, uncached) {:.1} µs; loading the \
         profiles (median of 5): compact {t_load:.0} ms ({} bytes), langdetect's to_bytes format \
         {t_load_ldf:.0} ms ({} bytes)",
        t_words / n * 1000.0,
        t_sentences / n * 1000.0,
        t_tokens / n * 1000.0,
        t_lang / n * 1000.0,
        compact_bytes.len(),
        ldf_bytes.len()
    );
}
