//! The library's worst cases on 64 KB inputs: every path that could be super-linear (user
//! regular expressions, YAKE, deep JSON, long tokens, language detection, loose mode, the whole
//! back-translation pipeline, record import, IFEval rows), measured on a release build. The
//! budget (issue 11 §3) is 1 s for any input of 64 KB; where a bound cuts work short, the
//! result must say so, and the outcome column shows what it says.
//!
//! `cargo bench -p crab-constraints --bench bounds` prints, per path, its slowest case (time,
//! input, outcome), then every case over [`REPORT_MS`], and how many cases exceed 1 s. It
//! reports and does not fail: timing is a measurement, not a test (the bounds themselves are
//! tested functionally next to their code). Without `--bench` (as under `cargo test --benches`)
//! it runs a few cases only, as a smoke test. A further argument runs only the paths that
//! contain it (`-- --bench pyre`); `--all` lists every case, not only those over 100 ms.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/data.rs"]
mod data;
#[path = "../tests/support/lang.rs"]
mod lang;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crab_constraints::backtranslate::{self, ComposeOptions};
use crab_constraints::checks::{Constraint, DeriveContext, CHECKS};
use crab_constraints::crab_import;
use crab_constraints::ifeval::{self, InputRow};
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::pyre::{Flags, Regex};
use crab_constraints::text::{json as pyjson, keyphrases, punkt, word_tokenize, Analysis};

/// The input size the budget is about.
const SIZE: usize = 64 * 1024;

/// The budget.
const BUDGET: Duration = Duration::from_secs(1);

/// Cases slower than this are listed one by one.
const REPORT_MS: f64 = 100.0;

/// `unit` repeated to at most `size` bytes (whole repetitions).
fn fill(unit: &str, size: usize) -> String {
    unit.repeat(size / unit.len().max(1))
}

/// The pathological texts: (name, text), each 64 KB or just under.
fn texts() -> Vec<(String, String)> {
    let mut prose = String::new();
    for r in data::response_texts() {
        if prose.len() + r.len() + 2 > SIZE {
            break;
        }
        prose.push_str(&r);
        prose.push_str("\n\n");
    }
    let half = SIZE / 2;
    let units = [
        "a",
        "a ",
        "aaaaaaab ",
        "A. ",
        "Mr. Smith went. ",
        ".",
        "*",
        "-",
        "'",
        "\"",
        "<",
        "<<a>>",
        "\n",
        "*** ",
        "can't ",
        "é",
        "İ",
        "1",
        "P.S. ",
        "SECTION 1\n",
        "\t ",
        "a@",
        "http://a/",
        "x",
        ",",
        "**a** ",
        "* a\n",
        "(",
        "«",
        "``",
        "''",
        "n't ",
        "a\n\n",
        "ǅ",
        "\u{0301}",
    ];
    let mut texts: Vec<(String, String)> =
        units.iter().map(|u| (format!("{u:?} x {}", SIZE / u.len()), fill(u, SIZE))).collect();
    texts.push(("GPT-4 responses".to_owned(), prose));
    texts.push(("a single token".to_owned(), format!("{}b", "a".repeat(SIZE - 1))));
    texts.push(("[ x 32K ] x 32K".to_owned(), format!("{}{}", "[".repeat(half), "]".repeat(half))));
    texts.push((
        "{\"a\": x 10K".to_owned(),
        format!("{}1{}", "{\"a\":".repeat(SIZE / 6), "}".repeat(SIZE / 6)),
    ));
    texts.push((
        "\"\\u1234\" x 8K in a string".to_owned(),
        format!("\"{}\"", fill("\\u1234", SIZE)),
    ));
    texts
}

/// Catastrophic patterns for the checks that take a user's regular expression.
const PATTERNS: &[&str] = &[
    "(a*)*b",
    "(a|aa)*c",
    "(a+)+$",
    "(.*)\\1x",
    "(\\w+\\s?)*$",
    "((a+)+)+b",
    "(x+x+)+y",
    "(.*a){12}",
    "(a?){25}a{25}",
    "(?:.*){20}z",
    "(?=(a*))\\1b",
    "(?i)(a|A|[a-z])*!",
];

/// The kwargs that put `pattern` into each pattern-taking check.
fn pattern_kwargs(pattern: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("keywords:existence", json!({ "keywords": [pattern] })),
        ("keywords:forbidden_words", json!({ "forbidden_words": [pattern] })),
        ("keywords:frequency", json!({"keyword": pattern, "frequency": 2, "relation": "at least"})),
        (
            "detectable_format:multiple_sections",
            json!({"section_spliter": pattern, "num_sections": 2}),
        ),
        ("detectable_content:postscript", json!({ "postscript_marker": pattern })),
    ]
}

/// One measured case.
struct Case {
    path: String,
    input: String,
    time: Duration,
    outcome: String,
}

struct Bench {
    /// Only paths containing this are run (the first argument that is not an option).
    filter: Option<String>,
    cases: Vec<Case>,
}

impl Bench {
    /// Times one run of `f` (a worst case: noise only adds) and records its outcome.
    fn case(&mut self, path: &str, input: &str, f: impl FnOnce() -> String) {
        if self.filter.as_ref().is_some_and(|filter| !path.contains(filter.as_str())) {
            return;
        }
        let t = Instant::now();
        let outcome = black_box(f());
        let time = t.elapsed();
        let outcome: String = outcome.chars().take(110).collect();
        self.cases.push(Case { path: path.to_owned(), input: input.to_owned(), time, outcome });
    }
}

/// The longest prefix of `text` of at most `n` bytes.
fn prefix(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Strict and loose, as the app and `crab eval` run them, with the strict verdict's detail.
fn evaluate(c: &Constraint, text: &str, d: Option<&LanguageDetector>) -> String {
    match ifeval::evaluate_detailed(std::slice::from_ref(c), text, d).as_slice() {
        [r] => format!("loose {}; {:?}: {}", r.loose, r.strict.status, r.strict.detail),
        _ => "no result".to_owned(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let detector = lang::detector();
    let d: Option<&LanguageDetector> = Some(&detector);
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let mut b = Bench { filter, cases: Vec::new() };
    let mut texts = texts();
    if !full {
        texts.truncate(2);
    }
    // Lazy tables (Punkt, segtok's regexes, the detector's cache of nothing) before timing.
    black_box(ifeval::evaluate(&[], "warm up", d));
    let _ = black_box(keyphrases::key_phrases(
        "Warm up the key phrase extractor. It compiles regexes.",
    ));

    // Every registered check with its documented kwargs, and each pattern-taking check with
    // each catastrophic pattern: strict + loose (`evaluate`: up to 8 candidates), and its
    // derivation.
    let mut constraints: Vec<(String, Constraint)> = CHECKS
        .iter()
        .filter_map(|info| {
            let kwargs: Value = serde_json::from_str(info.example.kwargs).ok()?;
            Some((info.id.to_owned(), Constraint::from_ifeval(info.id, &kwargs).ok()?))
        })
        .collect();
    for p in PATTERNS.iter().take(if full { PATTERNS.len() } else { 1 }) {
        for (id, kwargs) in pattern_kwargs(p) {
            if let Ok(c) = Constraint::from_ifeval(id, &kwargs) {
                constraints.push((format!("{id} `{p}`"), c));
            }
        }
    }
    for (name, text) in &texts {
        for (label, c) in &constraints {
            b.case(&format!("evaluate {label}"), name, || evaluate(c, text, d));
        }
        for info in CHECKS {
            b.case(&format!("derive {}", info.id), name, || {
                let analysis = Analysis::with_detector(text, d);
                let mut cx = DeriveContext::new("Write something.", 1);
                let derived = Constraint::derive_where(&analysis, &mut cx, |i| i.id == info.id);
                let ok = derived.iter().all(|c| ifeval::verify_strict(c, &analysis).passed());
                format!("{} derived, all pass: {ok}", derived.len())
            });
        }
    }

    // Each catastrophic pattern on the engine itself (`re.finditer`).
    for (name, text) in &texts {
        for p in PATTERNS {
            let Ok(re) = Regex::new(p, Flags::default()) else { continue };
            b.case(&format!("pyre finditer `{p}`"), name, || match re.find_iter(text) {
                Ok(found) => format!("{} matches", found.len()),
                Err(e) => format!("error: {e}"),
            });
        }
    }

    // User patterns of adversarial shapes, through the keyword checks (the input is the
    // pattern and the text together, 64 KB).
    let half = SIZE / 2;
    let a_half = fill("a", half);
    let alternation: String =
        (0..half / 6).map(|i| format!("a{i:04}")).collect::<Vec<_>>().join("|");
    let members: String = ('\u{4e00}'..'\u{7610}').collect();
    let shapes: Vec<(&str, String, String)> = vec![
        ("a 32 KB literal keyword", format!("{}b", "a".repeat(half - 1)), a_half.clone()),
        ("a 32 KB uncased literal", format!("{}2", "1".repeat(half - 1)), fill("1", half)),
        ("a 32 KB literal, `.`", format!("{}b", ".".repeat(half - 1)), a_half.clone()),
        ("a class of 10,000 members", format!("[{members}a]*c"), a_half.clone()),
        ("an alternation of 5,000 branches", alternation.clone(), fill("z", half)),
        ("an alternation of 5,000 branches", alternation, a_half.clone()),
        ("1,500 uncased ranges", "[\\U00020000-\\U0002fffd]".repeat(1500), a_half.clone()),
        ("a 32 KB class range list", format!("[{}]", "a-b".repeat(half / 3)), a_half.clone()),
    ];
    for (shape, pattern, text) in &shapes {
        for (id, kwargs) in pattern_kwargs(pattern) {
            b.case(
                &format!("evaluate {id} with {shape}"),
                &format!("{} bytes", text.len()),
                || match Constraint::from_ifeval(id, &kwargs) {
                    Ok(c) => evaluate(&c, text, d),
                    Err(e) => format!("refused: {e}"),
                },
            );
        }
    }

    // Many patterns that each need nearly the whole step budget: `(a|aa)*c` on the longest run
    // of `a` it still finishes on (found by bisection), 100 times in one constraint.
    let slow = "(a|aa)*c";
    let re = Regex::new(slow, Flags { ignorecase: true, ..Flags::default() }).expect("valid");
    let (mut lo, mut hi) = (1usize, 4096usize);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if re.search(&"a".repeat(mid)).is_ok() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let run = "a".repeat(lo);
    let many = vec![slow; 100];
    for (id, kwargs) in [
        ("keywords:existence", json!({ "keywords": many })),
        ("keywords:forbidden_words", json!({ "forbidden_words": many })),
    ] {
        if let Ok(c) = Constraint::from_ifeval(id, &kwargs) {
            let label = format!("evaluate {id} with 100 patterns near the budget");
            b.case(&label, &format!("\"a\" x {lo}"), || evaluate(&c, &run, d));
        }
    }

    for (name, text) in &texts {
        b.case("keyphrases::key_phrases (YAKE)", name, || {
            format!("{:?}", keyphrases::key_phrases(text))
        });
        // The largest text YAKE still runs on.
        let cut = prefix(text, keyphrases::MAX_TEXT_BYTES);
        b.case("keyphrases::key_phrases (YAKE) at the length limit", name, || {
            format!("{:?}", keyphrases::key_phrases(cut))
        });
        b.case("text::json python_json_loads", name, || {
            format!("{:?}", pyjson::python_json_loads(text).map_err(|e| e.msg))
        });
        b.case("punkt sentence_spans", name, || {
            format!("{} sentences", punkt::sentence_spans(text).len())
        });
        b.case("word_tokenize", name, || {
            format!("{} tokens", word_tokenize::word_tokenize(text).len())
        });
        b.case("language detection", name, || format!("{:?}", detector.detect(text)));
        b.case("backtranslate pipeline", name, || {
            let bt = backtranslate::backtranslate(
                "Write something.",
                text,
                7,
                d,
                &ComposeOptions::default(),
                &[],
            );
            let row = bt.rows_item(json!(1), text);
            let items = bt.crab_items(&json!(1), "Write something.", text);
            format!("{} derived, {} combined, {} items", bt.items.len(), row["kwargs"], items.len())
        });
        b.case("crab_import parse + check", name, || {
            let record = json!({
                "id": 1,
                "messages": [{"role": "user", "content": "Write."}, {"role": "assistant", "content": text}],
                "Aug_instruction": {"Additional_Instruction": {
                    "Digit": "Answer with at least 300 words.",
                    "Sentence": "Each sentence has at most 20 words.",
                    "Word": "Each word has at least 3 characters.",
                    "Keyword": "Include the keywords \"a\", \"b\".",
                    "Paragraph": "Each paragraph has at most 5 sentences.",
                    "Punctuation": "Do not use commas."
                }}
            });
            let doc = Value::Array(vec![record]).to_string();
            match crab_import::parse_records(&doc) {
                Ok(records) => {
                    let checks: usize =
                        records.iter().map(|r| crab_import::check_record(r, d).len()).sum();
                    format!("{} records, {checks} verdicts", records.len())
                }
                Err(e) => format!("error: {e}"),
            }
        });
        b.case("crab_import import_sentence", name, || {
            ["Digit", "Sentence", "Word", "Keyword", "Paragraph", "Punctuation"]
                .map(|key| crab_import::import_sentence(key, text).label())
                .join(" ")
        });
        b.case("ifeval row (evaluate_row, 25 IFEval checks)", name, || {
            let ids: Vec<&str> =
                CHECKS.iter().map(|i| i.id).filter(|id| !id.starts_with("crab:")).collect();
            let kwargs: Vec<Value> = CHECKS
                .iter()
                .filter(|i| !i.id.starts_with("crab:"))
                .map(|i| serde_json::from_str(i.example.kwargs).unwrap_or(Value::Null))
                .collect();
            let row =
                json!({"key": 1, "prompt": "Write.", "instruction_id_list": ids, "kwargs": kwargs});
            match InputRow::from_json(row).and_then(|r| Ok((r.constraints()?, r))) {
                Ok((cs, row)) => {
                    let result = ifeval::evaluate_row(&row, &cs, text, d);
                    format!(
                        "{} of {} strict",
                        result.strict.iter().filter(|&&x| x).count(),
                        cs.len()
                    )
                }
                Err(e) => format!("error: {e}"),
            }
        });
    }

    // Report: the slowest case of each path, then every case over REPORT_MS.
    let mut worst: BTreeMap<&str, &Case> = BTreeMap::new();
    for c in &b.cases {
        let path = c.path.split(" `").next().unwrap_or(&c.path);
        let path = path.split(" with ").next().unwrap_or(path);
        if worst.get(path).is_none_or(|w| w.time < c.time) {
            worst.insert(path, c);
        }
    }
    println!("{} cases on inputs of up to {SIZE} bytes; the slowest of each path:", b.cases.len());
    println!("{:>10}  {:<58} {:<26} outcome", "ms", "path", "input");
    let mut rows: Vec<&&Case> = worst.values().collect();
    rows.sort_by_key(|c| std::cmp::Reverse(c.time));
    for c in rows {
        println!("{:>10.1}  {:<58} {:<26} {}", ms(c.time), c.path, c.input, c.outcome);
    }
    let report_ms = if std::env::args().any(|a| a == "--all") { 0.0 } else { REPORT_MS };
    let mut slow: Vec<&Case> = b.cases.iter().filter(|c| ms(c.time) > report_ms).collect();
    slow.sort_by_key(|c| std::cmp::Reverse(c.time));
    println!("\ncases over {report_ms} ms: {}", slow.len());
    for c in &slow {
        println!("{:>10.1}  {:<58} {:<26} {}", ms(c.time), c.path, c.input, c.outcome);
    }
    let over = b.cases.iter().filter(|c| c.time > BUDGET).count();
    println!("\ncases over {} s: {over}", BUDGET.as_secs());
}
