//! Differential tests of `text::pystr` against Python 3.11 (`scripts/oracle/pystr.py`), plus a
//! check that the generated Unicode tables are current (`scripts/gen_unicode_tables.py`).
//!
//! Interpreters: `CRAB_PYTHON` (default `<workspace>/.venv/bin/python`) runs the oracle (it needs
//! NLTK 3.10.4 and the `regex` module); `CRAB_PYTHON3_11` (default: the same interpreter) runs the
//! table generator, which needs Python 3.11 and the pinned `regex` version. A missing
//! interpreter fails the test.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use std::path::{Path, PathBuf};

use crab_constraints::text::pystr;
use crab_constraints::text::Span;
use rng::Rng;
use serde_json::{json, Value};

#[test]
fn generated_tables_are_current() {
    let python =
        std::env::var_os("CRAB_PYTHON3_11").map(PathBuf::from).unwrap_or_else(oracle::python);
    let script = oracle::workspace_root().join("scripts/gen_unicode_tables.py");
    // It needs Python 3.11 and the pinned `regex` (set CRAB_PYTHON3_11); it asserts both.
    let generated = oracle::run_python(&python, &[&script, Path::new("--stdout")], String::new());
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text/pystr/tables.rs"))
            .expect("tables.rs");
    assert!(
        generated == committed,
        "src/text/pystr/tables.rs is stale: run python3 scripts/gen_unicode_tables.py"
    );
    eprintln!("tables.rs: {} bytes, equal to the generator's output", committed.len());
}

#[test]
fn nfkd_ascii_table_is_current() {
    let python =
        std::env::var_os("CRAB_PYTHON3_11").map(PathBuf::from).unwrap_or_else(oracle::python);
    let script = oracle::workspace_root().join("scripts/gen_nfkd_ascii.py");
    let generated = oracle::run_python(&python, &[&script, Path::new("--stdout")], String::new());
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text/pystr/nfkd_ascii.rs"))
            .expect("nfkd_ascii.rs");
    assert!(
        generated == committed,
        "src/text/pystr/nfkd_ascii.rs is stale: run .venv/bin/python scripts/gen_nfkd_ascii.py"
    );
}

/// `nfkd_ascii` against `unicodedata.normalize('NFKD', …).encode('ASCII', 'ignore')` on every
/// code point (scripts/oracle/nfkd_ascii.py) and on a few whole strings.
#[test]
fn nfkd_ascii_matches_python_on_every_code_point() {
    let answer = oracle::run_jsonl("nfkd_ascii.py", &[], &[json!({})]).remove(0);
    let chars = answer["chars"].as_object().expect("chars");
    let mut checked = 0;
    let mut differing = Vec::new();
    for c in (0x80..0x11_0000u32).filter_map(char::from_u32) {
        let expected = chars.get(&u32::from(c).to_string()).and_then(Value::as_str).unwrap_or("");
        let ours = pystr::nfkd_ascii(&c.to_string());
        if ours != expected {
            differing.push(format!("U+{:04X}: ours {ours:?}, Python {expected:?}", u32::from(c)));
        }
        checked += 1;
    }
    for (text, expected) in answer["texts"].as_object().expect("texts") {
        assert_eq!(pystr::nfkd_ascii(text), expected.as_str().expect("text"), "{text:?}");
    }
    eprintln!(
        "nfkd_ascii: {checked} code points, {} with ASCII, {} differ",
        chars.len(),
        differing.len()
    );
    assert!(
        differing.is_empty(),
        "{}",
        differing.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_code_point_matches_python() {
    let answer = oracle::run_jsonl("pystr.py", &[], &[json!({"codepoints": true})]).remove(0);
    let bits = answer["bits"].as_array().expect("bits");
    let chars: Vec<char> = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
    assert_eq!(bits.len(), chars.len());
    let mut mismatches = Vec::new();
    for (&c, bits) in chars.iter().zip(bits) {
        let bits = bits.as_u64().expect("int");
        let s = c.to_string();
        // (Python bit, our answer): bits are \w, isspace, \d, isdigit, isnumeric, isalpha,
        // isalnum, isupper, islower, istitle of the one-character string, then the `regex`
        // module's \w, \s, \d, [^\W\d].
        let ours = [
            (0, pystr::is_word_char(c)),
            (1, pystr::is_space(c)),
            (2, pystr::is_decimal(c)),
            (3, pystr::is_digit(c)),
            (4, pystr::is_numeric(c)),
            (5, pystr::is_alpha(c)),
            (6, pystr::is_alnum(c)),
            (7, pystr::is_upper_char(c)),
            (7, pystr::isupper(&s)),
            (8, pystr::is_lower_char(c)),
            (8, pystr::islower(&s)),
            (9, pystr::is_title_char(c) || pystr::is_upper_char(c)),
            (9, pystr::istitle(&s)),
            (10, pystr::is_regex_word_char(c)),
            (11, pystr::is_regex_space(c)),
            (12, pystr::is_regex_digit(c)),
            (13, pystr::is_regex_word_non_digit(c)),
        ];
        for (bit, flag) in ours {
            if flag != (bits & (1 << bit) != 0) {
                mismatches.push(format!("U+{:04X} property {bit}", u32::from(c)));
            }
        }
        let key = u32::from(c).to_string();
        let lower = answer["lower"][&key].as_str().unwrap_or(&s);
        let upper = answer["upper"][&key].as_str().unwrap_or(&s);
        if pystr::lower(&s) != lower {
            mismatches.push(format!("U+{:04X} lower", u32::from(c)));
        }
        if pystr::upper(&s) != upper {
            mismatches.push(format!("U+{:04X} upper", u32::from(c)));
        }
        // `(?i)x` for every ASCII letter x, given in either case, on both engines.
        type CaseInsensitiveEq = fn(char, char) -> bool;
        let engines: [(&str, CaseInsensitiveEq); 2] =
            [("re", pystr::re_ignorecase_eq), ("regex", pystr::regex_ignorecase_eq)];
        for (engine, eq) in engines {
            let folds_to = answer["ignorecase"][engine][&key].as_str();
            for letter in 'a'..='z' {
                let want = folds_to == Some(letter.encode_utf8(&mut [0; 4]));
                if eq(c, letter) != want || eq(c, letter.to_ascii_uppercase()) != want {
                    mismatches.push(format!("U+{:04X} (?i){letter} {engine}", u32::from(c)));
                }
            }
        }
    }
    eprintln!(
        "{} code points x (19 checks + 2 x 52 case-insensitive letters) compared, {} mismatches",
        chars.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{:?}", &mismatches[..mismatches.len().min(20)]);
}

fn gpt4_responses() -> Vec<String> {
    data::gpt4_responses().into_iter().map(|(_, response)| response).collect()
}

const WHITESPACE: &[&str] = &[
    " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{1c}", "\u{1d}", "\u{1e}", "\u{1f}", "\u{85}",
    "\u{a0}", "\u{1680}", "\u{2000}", "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}",
    "\u{3000}", "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{180e}", "  \n\n",
];

const SPECIAL: &[&str] = &[
    // combining marks and Indic text
    "\u{301}",
    "\u{308}",
    "\u{345}",
    "\u{93f}",
    "\u{94d}",
    "\u{e31}",
    "हिन्दी",
    "नमस्ते",
    "ক্ষ",
    // digits and numbers of all kinds
    "0",
    "42",
    "3.14",
    "²",
    "³",
    "¹",
    "½",
    "¼",
    "Ⅻ",
    "ⅻ",
    "٣",
    "०",
    "৪",
    "三",
    "〇",
    "①",
    "⑩",
    "𝟘",
    "𝟙",
    "\u{1d7ce}",
    "፩",
    "\u{2070}",
    "\u{1f100}",
    "𐄇",
    // cased, titlecase, special mappings
    "ß",
    "ẞ",
    "İ",
    "ı",
    "i̇",
    "ǅ",
    "ǈ",
    "ǋ",
    "ǲ",
    "ᾈ",
    "ᾀ",
    "ῼ",
    "ﬁ",
    "ﬀ",
    "ﬃ",
    "ŉ",
    "ǰ",
    "ΐ",
    "ͅ",
    "ꭰ",
    "Ꭰ",
    "ᏸ",
    "𐐀",
    "𐐨",
    "ⓐ",
    "Ⓐ",
    "ʰ",
    "ª",
    "º",
    "ℌ",
    "ℹ",
    "Ⅰ",
    // Greek sigma contexts
    "Σ",
    "σ",
    "ς",
    "ΣΑΣ",
    "ὈΔΥΣΣΕΎΣ",
    "Σ.",
    "AΣ'",
    "Σ'Σ",
    "ΑΣ'Α",
    "Α\u{301}Σ",
    "Σ\u{301}",
    "ΣΣ",
    "A.Σ.b",
    "ΜΆΪΟΣ",
    // Turkish, German, CJK, emoji
    "İstanbul",
    "STRASSE",
    "Straße",
    "中文字",
    "日本語",
    "한국어",
    "😀",
    "👍🏽",
    "🇺🇸",
    // punctuation
    "'",
    ".",
    ":",
    "^",
    "`",
    "_",
    "-",
    "—",
    "…",
    "\"",
    "“",
    "”",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "!",
    "?",
    ",",
    ";",
    "*",
    "#",
    "\\",
    "/",
    "__init__",
    "don't",
    "e-mail",
];

const WORDS: &[&str] = &[
    "the", "The", "THE", "quick", "Brown", "FOX", "jumps", "over", "a", "lazy", "dog", "IFEval",
    "JSON", "Title", "Case", "hello", "World", "ABC", "x", "I", "OK", "U.S.A.", "e.g.",
];

fn gen_text(rng: &mut Rng, responses: &[String]) -> String {
    let mut text = String::new();
    let pieces = rng.below(14);
    for _ in 0..pieces {
        match rng.below(10) {
            0 | 1 => {
                let r = &responses[rng.below(responses.len())];
                let mut a = rng.below(r.len() + 1);
                let mut b = (a + rng.below(200)).min(r.len());
                while !r.is_char_boundary(a) {
                    a -= 1;
                }
                while !r.is_char_boundary(b) {
                    b -= 1;
                }
                text.push_str(&r[a..b]);
            }
            2 | 3 => text.push_str(rng.pick(WHITESPACE)),
            4 | 5 => text.push_str(rng.pick(SPECIAL)),
            6 | 7 => {
                text.push_str(rng.pick(WORDS));
                text.push(' ');
            }
            8 => {
                // any code point, from all planes (unassigned ones too)
                let cp = match rng.below(3) {
                    0 => rng.below(0x110000) as u32,
                    1 => rng.below(0x10000) as u32,
                    _ => rng.below(0x3000) as u32,
                };
                text.extend(char::from_u32(cp));
            }
            _ => text.extend(char::from_u32(0x80 + rng.below(0x2D0) as u32)),
        }
    }
    match rng.below(10) {
        0 => pystr::upper(&text),
        1 => pystr::lower(&text),
        _ => text,
    }
}

/// Patterns whose `re.finditer` spans must equal the `regex` crate's on the translation.
const PATTERNS: &[&str] = &[
    r"\w+",
    r"\W+",
    r"\s+",
    r"\S+",
    r"\d+",
    r"\D+",
    r"[\w\s]+",
    r"[^\w]+",
    r"[\W\d]+",
    r"[a\S]",
    r"\w+\s\d",
    r"[^\s\d]+",
    r"\\w",
    r"[-\w.]+@\w+",
    r"[\D_]+",
    r"\d\s*\w",
];

fn spans_json(spans: impl Iterator<Item = Span>) -> Value {
    Value::from(spans.map(|s| json!([s.start, s.end])).collect::<Vec<_>>())
}

#[test]
fn generated_texts_match_python() {
    let responses = gpt4_responses();
    let mut rng = Rng(0x5EED_0FC0_FFEE);
    let texts: Vec<String> = (0..4000).map(|_| gen_text(&mut rng, &responses)).collect();
    let requests: Vec<Value> =
        texts.iter().map(|t| json!({"text": t, "patterns": PATTERNS})).collect();
    let answers = oracle::run_jsonl("pystr.py", &[], &requests);
    let compile = |p: String| regex::Regex::new(&p).expect("translated pattern");
    let regexes: Vec<regex::Regex> =
        PATTERNS.iter().map(|p| compile(pystr::translate_python_classes(p))).collect();
    let module_regexes: Vec<regex::Regex> =
        PATTERNS.iter().map(|p| compile(pystr::translate_regex_module_classes(p))).collect();

    let mut failures = Vec::new();
    let mut compared = 0usize;
    for (text, want) in texts.iter().zip(&answers) {
        let t = text.as_str();
        let boundaries: Vec<usize> =
            (0..=t.len()).filter(|&i| pystr::is_word_boundary(t, i)).collect();
        let find_all = |res: &[regex::Regex]| -> Vec<Value> {
            res.iter()
                .map(|re| spans_json(re.find_iter(t).map(|m| Span::new(m.start(), m.end()))))
                .collect()
        };
        let got = [
            ("count_words", json!(pystr::count_words(t))),
            ("nltk_word_spans", spans_json(pystr::nltk_word_spans(t))),
            ("word_spans", spans_json(pystr::word_spans(t))),
            ("split", spans_json(pystr::split_whitespace(t))),
            ("strip", json!(pystr::strip(t))),
            ("lstrip", json!(pystr::lstrip(t))),
            ("rstrip", json!(pystr::rstrip(t))),
            ("isupper", json!(pystr::isupper(t))),
            ("islower", json!(pystr::islower(t))),
            ("istitle", json!(pystr::istitle(t))),
            ("lower", json!(pystr::lower(t))),
            ("upper", json!(pystr::upper(t))),
            ("boundaries", json!(boundaries)),
            ("patterns", json!(find_all(&regexes))),
            ("regex_patterns", json!(find_all(&module_regexes))),
        ];
        for (name, value) in got {
            compared += 1;
            if want[name] != value {
                failures.push(format!("{name} on {t:?}: python {} ours {value}", want[name]));
            }
        }
    }
    let uppers = answers.iter().filter(|a| a["isupper"] == true).count();
    let lowers = answers.iter().filter(|a| a["islower"] == true).count();
    eprintln!(
        "{} texts ({uppers} isupper, {lowers} islower), {compared} comparisons, {} failures",
        texts.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{:#?}", &failures[..failures.len().min(10)]);
}

#[test]
fn gpt4_responses_match_text_stats() {
    let stats = data::text_stats();
    let responses = data::gpt4_responses();
    let mut equal = 0;
    for (key, response) in &responses {
        let want = &stats[key];
        assert_eq!(
            pystr::count_words(response),
            want["count_words"].as_u64().unwrap() as usize,
            "key {key}"
        );
        assert_eq!(pystr::isupper(response), want["isupper"].as_bool().unwrap(), "key {key}");
        assert_eq!(pystr::islower(response), want["islower"].as_bool().unwrap(), "key {key}");
        equal += 1;
    }
    eprintln!("{equal}/{} GPT-4 responses: count_words, isupper, islower equal", stats.len());
    assert_eq!(equal, 541);
}
