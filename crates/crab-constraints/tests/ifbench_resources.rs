//! IFBench's resources against their Python references, and the four checks that use them:
//!
//! - NLTK's English stop words: the compiled-in list is the file in `shared/data/nltk_data`;
//! - the tagger: the committed asset `public/pos-tagger.bin` is NLTK's JSON model converted,
//!   and its tags equal `nltk.pos_tag`'s token for token (`scripts/oracle/pos_tag.py`) on the
//!   GPT-4 and IFBench responses, generated texts and tricky tokens;
//! - syllables: `syllables::count` equals `syllapy.count` (`scripts/oracle/syllapy_count.py`) on
//!   every listed word, every word of the responses and generated words; the compiled-in table
//!   is what `scripts/gen_syllables_table.py` writes;
//! - emoji: `is_emoji` equals `emoji.is_emoji` (`scripts/oracle/emoji_is.py`) on every code point
//!   and every sequence of the package's data (and variants of them); the table is what
//!   `scripts/gen_emoji_table.py` writes;
//! - `ratio:stop_words`, `words:start_verb`, `words:odd_even_syllables` and `format:emoji`
//!   equal IFBench HEAD's checkers (`scripts/oracle/ifbench_resource_checks.py`) on the same
//!   texts.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use crab_constraints::text::pos::{compact, PosTagger};
use crab_constraints::text::{emoji, pystr, stopwords, syllables, word_tokenize, Analysis};
use crab_constraints::text::{Resources, Span};
use rng::Rng;
use serde_json::{json, Value};

/// The shared NLTK data.
const NLTK_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/nltk_data");
/// The committed tagger asset.
const ASSET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/pos-tagger.bin");

fn asset() -> Vec<u8> {
    std::fs::read(ASSET).expect("public/pos-tagger.bin")
}

/// The tagger as the web app loads it: from the committed asset.
fn tagger() -> &'static PosTagger {
    static T: LazyLock<PosTagger> =
        LazyLock::new(|| PosTagger::from_compact_bytes(&asset()).expect("the asset loads"));
    &T
}

/// The GPT-4 responses and IFBench's sample responses.
fn responses() -> Vec<String> {
    data::Texts::responses().all
}

fn generated_script(script: &str) -> Vec<u8> {
    let script = oracle::workspace_root().join("scripts").join(script);
    oracle::run_python(&oracle::python(), &[&script, Path::new("--stdout")], String::new())
}

// ---------------------------------------------------------------------------------------------
// Stop words.

#[test]
fn stop_words_are_nltks_list() {
    let file = std::fs::read_to_string(format!("{NLTK_DATA}/corpora/stopwords/english"))
        .expect("corpora/stopwords/english");
    // `stopwords.words("english")`: the file's non-blank lines.
    let words: Vec<&str> = file.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(words, stopwords::ENGLISH);
    assert_eq!(words.len(), 179);
    eprintln!("stop words: {} words, {} bytes in NLTK's file", words.len(), file.len());
}

// ---------------------------------------------------------------------------------------------
// The tagger.

fn nltk_model() -> compact::Model {
    let read = |suffix: &str| {
        std::fs::read_to_string(format!(
            "{NLTK_DATA}/taggers/averaged_perceptron_tagger_eng/averaged_perceptron_tagger_eng.\
             {suffix}.json"
        ))
        .expect("NLTK's tagger model")
    };
    compact::from_nltk_json(&read("weights"), &read("tagdict"), &read("classes"))
        .expect("NLTK's model converts")
}

#[test]
fn the_tagger_asset_is_nltks_model() {
    let model = nltk_model();
    let bytes = compact::encode(&model).expect("encodes");
    let committed = asset();
    assert!(
        bytes == committed,
        "public/pos-tagger.bin is stale ({} bytes; the model encodes to {}): regenerate it with \
         `cargo run -p crab-cli -- pos-tagger --nltk-data ../shared/data/nltk_data \
         public/pos-tagger.bin`",
        committed.len(),
        bytes.len()
    );
    // What the asset holds is the model, weight for weight (bit for bit).
    assert_eq!(compact::model(tagger()), model);
    // Loading time (printed, not asserted: the machine is shared), min of 5.
    let load_ms = (0..5)
        .map(|_| {
            let start = std::time::Instant::now();
            let t = PosTagger::from_compact_bytes(&committed).expect("loads");
            let ms = start.elapsed().as_secs_f64() * 1e3;
            assert_eq!(&t, tagger());
            ms
        })
        .fold(f64::INFINITY, f64::min);
    eprintln!("tagger asset: from_compact_bytes {load_ms:.1} ms (min of 5)");
    let weights: usize = model.weights.iter().map(|(_, w)| w.len()).sum();
    eprintln!(
        "tagger asset: {} bytes; {} classes, {} dictionary words, {} features, {weights} weights",
        bytes.len(),
        model.classes.len(),
        model.tagdict.len(),
        model.weights.len()
    );
}

#[test]
fn the_asset_refuses_damage() {
    let good = asset();
    for cut in [0, 1, 5, 100, good.len() / 2, good.len() - 1] {
        assert!(PosTagger::from_compact_bytes(&good[..cut]).is_err(), "cut at {cut}");
    }
    let mut longer = good.clone();
    longer.push(0);
    assert!(PosTagger::from_compact_bytes(&longer).is_err(), "trailing byte");
    let mut rng = Rng(7);
    for _ in 0..200 {
        let mut bad = good.clone();
        let i = rng.below(bad.len());
        bad[i] ^= 1 << rng.below(8);
        // Whatever still decodes must tag without panicking.
        if let Ok(t) = PosTagger::from_compact_bytes(&bad) {
            let _ = t.tag(&["The", "dog", "runs", "1999", "well-known", "."]);
        }
    }
}

/// Tokens that exercise every branch of the tagger's features: hyphens, years, digits of other
/// scripts, case, dictionary words, the context markers themselves, one- and two-character
/// tokens, empty strings.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "the", "The", "THE", "a", "dog", "Dog", "runs", "run", "running", "ran", "is", "was", "be",
    "Write", "write", "Go", "go", "Take", "Please", "Make", "Let", "Imagine", "Consider",
    "well-known", "-", "--", "-5", "-x", "x-", "3rd-party", "a-b-c", "1999", "2024", "१९९९",
    "１９９９", "²³⁴⁵", "12", "12345", "3.14", "1,000", "5th", "٣", "!YEAR", "!DIGITS", "!HYPHEN",
    "-START-", "-START2-", "-END-", "-END2-", "NN", "VB", ",", ".", ":", ";", "''", "``", "(",
    ")", "$", "#", "'s", "n't", "'re", "'ll", "I", "you", "He", "she", "It", "They", "We",
    "quickly", "happy", "happier", "happiest", "cats", "Cats", "New", "York", "IBM", "iPhone",
    "naïve", "café", "Éclair", "ÉCOLE", "İstanbul", "Σίσυφος", "ΣΑΣ", "日本語", "中文", "😀",
    "e\u{301}", "x", "X", "I.", "U.S.", "Mr.", "", " ", "ſ", "K", "ﬁ", "ǅ", "…", "—", "“", "”",
];

#[test]
fn tags_equal_nltk_token_for_token() {
    let tagger = tagger();
    let mut requests: Vec<Value> = Vec::new();
    let mut ours: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    // Whole texts: word_tokenize, then pos_tag (what `words:start_verb` computes).
    let mut texts = responses();
    let mut rng = Rng(0x7A66);
    texts.extend((0..1500).map(|_| generated_text(&mut rng)));
    let n_texts = texts.len();
    for text in &texts {
        let tokens: Vec<String> =
            word_tokenize::word_tokenize(text).into_iter().map(|t| t.text).collect();
        let tags = tagger.tag(&tokens).into_iter().map(str::to_owned).collect();
        requests.push(json!(text));
        ours.push((tokens, tags));
    }
    // Token lists: pos_tag alone, on tricky tokens.
    for _ in 0..1500 {
        let n = rng.below(12);
        let tokens: Vec<String> = (0..n).map(|_| rng.pick(TOKENS).to_owned()).collect();
        let tags = tagger.tag(&tokens).into_iter().map(str::to_owned).collect();
        requests.push(json!(tokens));
        ours.push((tokens, tags));
    }
    let answers = oracle::run_jsonl("pos_tag.py", &[], &requests);
    let (mut tokens_tagged, mut sentences, mut failures) = (0, 0, Vec::new());
    for (i, ((tokens, tags), answer)) in ours.iter().zip(&answers).enumerate() {
        let (want_tokens, want_tags): (Vec<String>, Vec<String>) = match answer {
            Value::Array(tags) => (tokens.clone(), data::strings(&Value::Array(tags.clone()))),
            _ => (data::strings(&answer["tokens"]), data::strings(&answer["tags"])),
        };
        if i < n_texts {
            sentences += crab_constraints::text::punkt::sentence_spans(&texts[i]).len();
        }
        if (tokens, tags) != (&want_tokens, &want_tags) {
            failures.push(format!("{:?}: {tokens:?} {tags:?} vs {want_tags:?}", requests[i]));
        } else {
            tokens_tagged += tokens.len();
        }
    }
    eprintln!(
        "pos_tag: {} requests ({n_texts} texts, {sentences} Punkt sentences; {} token lists), \
         {tokens_tagged} tokens tagged identically, {} differing",
        requests.len(),
        requests.len() - n_texts,
        failures.len()
    );
    for f in failures.iter().take(10) {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty(), "{} requests tagged differently", failures.len());
}

/// Texts made of pieces that start with verbs, nouns, numbers, quotes and hyphenated words.
fn generated_text(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "Write the code now.", "Go home.", "Take a deep breath.", "Please rest.", "Running is fun.",
        "Is this right?", "\"Quoted\" words here.", "1999 was a year.", "Well-known facts help.",
        "3rd-party tools fail.", "Imagine that!", "Let me explain:", "- a bullet", "* star item",
        "# Heading", "Dr. Smith said so.", "It's 5 p.m. already.", "Don't stop.", "U.S.A. today",
        "Consider these options: a, b, c.", "naïve café", "日本語のテキスト。", "😀 Smile!", "(see above)",
        "Make sure you rest.", "They're here.", "Cats, dogs and birds.", "Think about it.",
    ];
    let n = 1 + rng.below(6);
    (0..n).map(|_| rng.pick(PIECES)).collect::<Vec<_>>().join(rng.pick(&[" ", "\n", "\n\n", "  "]))
}

// ---------------------------------------------------------------------------------------------
// Syllables.

#[test]
fn generated_syllable_table_is_current() {
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text/syllables/table.rs"))
            .expect("table.rs");
    assert!(
        generated_script("gen_syllables_table.py") == committed,
        "src/text/syllables/table.rs is stale: run scripts/gen_syllables_table.py"
    );
}

#[test]
fn syllables_equal_syllapy() {
    let listed = oracle::run_python(
        &oracle::python(),
        &[&oracle::workspace_root().join("scripts/oracle/syllapy_count.py"), Path::new("--listed")],
        String::new(),
    );
    let listed: Vec<String> = serde_json::from_slice(&listed).expect("the listed words");
    let mut words: BTreeSet<String> = listed.iter().cloned().collect();
    let n_listed = words.len();
    // Every word of the responses, as written and as `words:odd_even_syllables` passes it.
    for text in responses() {
        for span in pystr::split_whitespace(&text) {
            let raw = span.slice(&text);
            words.insert(raw.to_owned());
            let kept: String = raw.chars().filter(|c| !c.is_ascii_punctuation()).collect();
            words.insert(pystr::lower(&kept));
        }
    }
    let n_corpus = words.len() - n_listed;
    // Generated words: listed words and pieces glued with hyphens, punctuation, digits,
    // whitespace and newlines; capitals and non-ASCII letters.
    #[rustfmt::skip]
    const PARTS: &[&str] = &[
        "-", "-", "--", "'", ".", "!", "?", "\"", "(", ")", " ", "\n", "\t", "\u{a0}", "1", "٣", "²",
        "e", "le", "ble", "y", "Y", "A", "É", "é", "İ", "Σ", "ς", "ß", "ﬁ", "ō", "aeiouy", "rhythm",
        "psst", "queue", "the", "self", "care", "well", "known", "and\\/or", "etc", "dr", "",
    ];
    let mut rng = Rng(0x5711);
    for _ in 0..20_000 {
        let mut w = String::new();
        for _ in 0..1 + rng.below(5) {
            if rng.chance(50) {
                w.push_str(&listed[rng.below(listed.len())]);
            } else {
                w.push_str(rng.pick(PARTS));
            }
        }
        if rng.chance(20) {
            w = w.to_uppercase();
        }
        words.insert(w);
    }
    let words: Vec<String> = words.into_iter().collect();
    let requests: Vec<Value> = words.iter().map(|w| json!(w)).collect();
    let answers = oracle::run_jsonl("syllapy_count.py", &[], &requests);
    let failures: Vec<String> = words
        .iter()
        .zip(&answers)
        .filter(|(w, a)| Some(syllables::count(w) as u64) != a.as_u64())
        .map(|(w, a)| format!("{w:?}: {} vs syllapy {a}", syllables::count(w)))
        .collect();
    eprintln!(
        "syllapy.count: {} words ({n_listed} listed, {n_corpus} more from the responses, the rest \
         generated), {} differing",
        words.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
}

// ---------------------------------------------------------------------------------------------
// Emoji.

#[test]
fn generated_emoji_table_is_current() {
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text/emoji/table.rs"))
            .expect("table.rs");
    assert!(
        generated_script("gen_emoji_table.py") == committed,
        "src/text/emoji/table.rs is stale: run scripts/gen_emoji_table.py"
    );
}

fn run_emoji_oracle(flag: &str) -> Value {
    let script = oracle::workspace_root().join("scripts/oracle/emoji_is.py");
    let out = oracle::run_python(&oracle::python(), &[&script, Path::new(flag)], String::new());
    serde_json::from_slice(&out).expect("JSON")
}

#[test]
fn is_emoji_equals_the_package_on_every_code_point() {
    let want: BTreeSet<u32> = run_emoji_oracle("--code-points")
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c.as_u64().expect("a code point") as u32)
        .collect();
    let got: BTreeSet<u32> = (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| emoji::is_emoji_char(c) && emoji::is_emoji(&c.to_string()))
        .map(u32::from)
        .collect();
    let checked = (0..=0x10FFFF).filter_map(char::from_u32).count();
    eprintln!("emoji.is_emoji: {checked} code points checked, {} are emoji", want.len());
    assert_eq!(got, want);
}

#[test]
fn is_emoji_equals_the_package_on_every_sequence() {
    let keys = data::strings(&run_emoji_oracle("--data"));
    let mut texts: BTreeSet<String> = keys.iter().cloned().collect();
    let n_keys = texts.len();
    for k in &keys {
        let chars: Vec<char> = k.chars().collect();
        // Every prefix and suffix, the key without / with variation selectors, doubled, padded.
        for i in 1..chars.len() {
            texts.insert(chars[..i].iter().collect());
            texts.insert(chars[i..].iter().collect());
        }
        texts.insert(k.replace('\u{fe0f}', ""));
        texts.insert(format!("{k}\u{fe0f}"));
        texts.insert(format!("{k}{k}"));
        texts.insert(format!(" {k}"));
    }
    texts.insert(String::new());
    let texts: Vec<String> = texts.into_iter().collect();
    let requests: Vec<Value> = texts.iter().map(|t| json!(t)).collect();
    let answers = oracle::run_jsonl("emoji_is.py", &[], &requests);
    let failures: Vec<&String> = texts
        .iter()
        .zip(&answers)
        .filter(|(t, a)| Some(emoji::is_emoji(t)) != a.as_bool())
        .map(|(t, _)| t)
        .collect();
    let accepted = answers.iter().filter(|a| a.as_bool() == Some(true)).count();
    eprintln!(
        "emoji.is_emoji: {} strings ({n_keys} keys of EMOJI_DATA, the rest variants), {accepted} \
         accepted, {} differing",
        texts.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
}

// ---------------------------------------------------------------------------------------------
// The four checks.

/// Texts for the checks: sentences ending in emoji (or not), alternating syllables (or not),
/// verbs first (or not), stop words.
fn generated_check_text(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "I love summer 🌞.", "The beach is calling 🏖️!", "Great news.", "🎉 We won 🏆", "Bye 😀 ok",
        "Love ❤\u{fe0f}", "Thumbs up 👍🏽.", "Flags 🇫🇷", "Keycap #\u{fe0f}\u{20e3}.", "...", "!!!",
        "Cats enjoy warm sunlight.", "Dogs bark loudly.", "self-care matters", "cat 42 dog",
        "Take a deep breath.", "Go home.", "Write the code now.", "Is it?", "Run.", "the of and",
        "it is what it is", "Quick brown foxes jump.", "Don't panic!", "Mr. Smith left 🚶.",
        "e.g. this", "(aside) 😀", "😀", "ok😀.", "Σ word", "Ünïcödé wörds 🙂", "", " ", "\n",
    ];
    let n = rng.below(7);
    (0..n).map(|_| rng.pick(PIECES)).collect::<Vec<_>>().join(rng.pick(&[" ", "\n", "", "\n\n"]))
}

#[test]
fn the_four_checks_equal_ifbench_head() {
    let mut texts = data::Texts::responses();
    let mut rng = Rng(0xE30);
    texts.all.extend((0..2000).map(|_| generated_check_text(&mut rng)));
    let resources = Resources { language: None, tagger: Some(tagger()) };
    let mut checks = oracle::Checks::default();
    for text in &texts.all {
        let analysis = Analysis::with_resources(text, resources);
        let words = analysis.words().len();
        let stop = analysis
            .words()
            .iter()
            .filter(|w: &&Span| stopwords::is_english_stopword(w.slice(text)))
            .count();
        // Percentages around the text's own share, and IFBench's.
        let share = (100 * stop).checked_div(words).unwrap_or(0);
        let mut percentages: Vec<i64> = vec![share as i64, share as i64 + 1, 27, 53];
        percentages.dedup();
        let mut cases: Vec<(&str, Value)> = vec![
            ("words:start_verb", json!({})),
            ("words:odd_even_syllables", json!({})),
            ("format:emoji", json!({})),
        ];
        cases.extend(
            percentages.into_iter().map(|p| ("ratio:stop_words", json!({"percentage": p}))),
        );
        checks.verify(cases, &analysis);
    }
    let comparison = checks.compare("ifbench_resource_checks.py", oracle::same_pass);
    println!("{}", texts.summary());
    comparison.print();
    comparison.assert_agreement();
}
