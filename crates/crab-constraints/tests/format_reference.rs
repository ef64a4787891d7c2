//! Differential test of the `detectable_format:*` and `detectable_content:*` checks against the
//! Python reference classes (if-verifiable 0.1.2 = Google's IFEval code), through
//! `scripts/oracle/ifeval_format.py` run with `CRAB_PYTHON` (default
//! `<workspace>/.venv/bin/python`; a missing interpreter fails the test).
//!
//! For every generated `(id, kwargs, text)` the verdict must equal Python's `check_following`, a
//! Python exception must be an invalid verdict, and the evidence must be the matches Python's
//! regexes find. The only tolerated difference is a parameter using regex syntax the checks
//! document as unsupported (it must then be invalid).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use std::collections::BTreeMap;

use crab_constraints::checks::{Constraint, Status};
use crab_constraints::text::Analysis;
use rng::Rng;
use serde_json::{json, Value};

/// Pieces every generated text is made of: markdown syntax, Python-vs-Rust whitespace and line
/// breaks, brackets, markers, digits, and Unicode that changes length when lowercased.
const COMMON: &[&str] = &[
    " ",
    " ",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "\u{1c}",
    "\u{1f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{200b}",
    "\u{3000}",
    "*",
    "*",
    "**",
    "***",
    "-",
    "---",
    "+",
    "1.",
    "a",
    "word",
    "Crab",
    "_",
    "e\u{301}",
    "हिन्दी",
    "中文",
    "ß",
    "İ",
    "Σ",
    "ΑΣ",
    "ǅ",
    "Ⱥ",
    "😀",
    ".",
    ",",
    ":",
    "!",
    "?",
    "\"",
    "'",
    "(",
    ")",
    "0",
    "7",
    "42",
    "٣",
    "１",
];

const PLACEHOLDER: &[&str] = &["[", "]", "[x]", "[]", "[[", "]]", "[name]", "](url)", "[a\nb]"];
const BULLET: &[&str] = &["* ", "*", "- ", "  * item", "\n* ", "\n- ", "\n\n*", "*\n", "**b**"];
const HIGHLIGHT: &[&str] = &["*", "**", "***", "*x*", "**bold**", "* *", "***x***", "\\*"];
const TITLE: &[&str] = &["<<", ">>", "<", ">", "<<T>>", "<< >>", "<<>>", "<<<", ">>>", "<<a\nb>>"];
const SECTION: &[&str] = &[
    "SECTION",
    "Section",
    "SECTION 1",
    "Section 2",
    "SECTION12",
    "PARAGRAPH 3",
    "Day 1",
    "1",
    "22",
    "\u{663}",
    "X",
    "IV",
    "PART 1",
    "A B1",
    "S 1",
    "SS 1",
    "Σ 1",
    "é 2",
];
const POSTSCRIPT: &[&str] = &[
    "P.S.", "p.s.", "P.S", "P. S.", "P.P.S", "P.P.S.", "p. p. s", "PPS", "P.  P.S", "PS", "Note:",
    "NOTE", "nb", "x", "İ", "i\u{307}", "a b", "ab",
];
const CONSTRAINED: &[&str] = &[
    "My answer is yes.",
    "My answer is no.",
    "My answer is maybe.",
    "my answer is yes.",
    "My answer is yes",
    "My answer is: no.",
    "My  answer is maybe.",
];

/// Section splitters: plain words, Python regex syntax we support, Python syntax errors, and
/// (last) syntax the check documents as unsupported.
const SPLITERS: &[&str] = &[
    "SECTION",
    "Section",
    "PARAGRAPH",
    "Day",
    "Audience",
    " SECTION \n",
    "P.RT",
    "A|B",
    "(S)ECTION",
    "(?P<n>S)ECTION",
    "(?:S)ECTION",
    "S{2}",
    "[A-Z]+",
    "\\w+",
    "a{",
    "x{}",
    "[[]",
    "\\.",
    "?S",
    "S?",
    "[^a]",
    "\\S",
    "Σ",
    "é",
    "\\x53",
    "\\u0053ECTION",
    "[\\d]",
    "(?#c)S",
    "S{1,2}",
    "S{,2}",
    // Python syntax errors.
    "*",
    "(",
    "[",
    "\\",
    "x)",
    "\\q",
    "S**",
    "S{2,1}",
    "(?P<1>S)",
    // Python-only syntax, run as in Python: empty matches, lookaround, \b, flags,
    // backreferences, `$` before a final newline.
    "|S",
    "(?=S)S",
    "\\bS",
    "(?i:s)",
    "(S)\\1",
    "S$",
];
/// Splitters documented as unsupported (none since `text::pyre` runs Python's `re` semantics).
const UNSUPPORTED_SPLITERS: &[&str] = &[];

const MARKERS: &[&str] = &[
    "P.S.", "P.P.S", " P.S. ", "p.s.", "P.S", "PS", "Note:", "NB", "İ", "a\\S", "a|b", "[p]",
    "p\\.s", "", "x{", "\\d", // Python syntax errors.
    "(", "[", "*", "\\", // Python-only syntax (`(?i)x` is a Python error mid-pattern).
    "(?=x)", "\\bps", "(?i)x", "(?i:x)", "(?<=a)x",
];
/// Markers documented as unsupported (none since `text::pyre` runs Python's `re` semantics).
const UNSUPPORTED_MARKERS: &[&str] = &[];

const JSON_VALUES: &[&str] = &[
    "{}",
    "{\"a\": 1}",
    "[1, 2]",
    "42",
    "\"s\"",
    "NaN",
    "{\"a\": NaN}",
    "null",
    "{'a': 1}",
    "{\"a\": 1,}",
    "[1, 2",
    "",
    "{\"a\":\"\u{1f}\"}",
    "{\"é\": \"中\"}",
    "1e400",
    "-Infinity",
];
const JSON_PREFIXES: &[&str] =
    &["", "```json", "```Json", "```JSON", "```", "```js", "```json```", "Sure: ", "\u{feff}"];
const JSON_SUFFIXES: &[&str] = &["", "```", "``````", "\n```", " done", "```\n"];

fn text_from(rng: &mut Rng, special: &[&str], fragments: &[String]) -> String {
    let mut out = String::new();
    for _ in 0..1 + rng.below(14) {
        match rng.below(10) {
            0..=4 => out.push_str(rng.pick(special)),
            5..=7 => out.push_str(rng.pick(COMMON)),
            _ => {
                if let Some(f) = fragments.get(rng.below(fragments.len())) {
                    out.push_str(f);
                }
            }
        }
    }
    out
}

/// Short pieces of real GPT-4 responses (whole lines and line starts).
fn fragments() -> Vec<String> {
    let mut out = Vec::new();
    for (i, response) in data::response_texts().iter().enumerate() {
        for (j, l) in response.split('\n').enumerate() {
            if (i + j) % 7 == 0 {
                let cut: String = l.chars().take(60).collect();
                out.push(format!("{cut}\n"));
            }
        }
    }
    out
}

fn case(rng: &mut Rng, id: &str, fragments: &[String]) -> (Value, String) {
    let n = rng.below(5);
    match id {
        "detectable_content:number_placeholders" => {
            (json!({"num_placeholders": n}), text_from(rng, PLACEHOLDER, fragments))
        }
        "detectable_content:postscript" => {
            let marker = rng.pick(MARKERS);
            let mut special: Vec<&str> = POSTSCRIPT.to_vec();
            special.push(marker);
            (json!({"postscript_marker": marker}), text_from(rng, &special, fragments))
        }
        "detectable_format:constrained_response" => {
            (json!({}), text_from(rng, CONSTRAINED, fragments))
        }
        "detectable_format:json_format" => {
            let ws = [" ", "\n", "", "\t", "\u{a0}", "\u{1c}"];
            let text = format!(
                "{}{}{}{}{}{}{}",
                rng.pick(&ws),
                rng.pick(JSON_PREFIXES),
                rng.pick(&ws),
                rng.pick(JSON_VALUES),
                rng.pick(&ws),
                rng.pick(JSON_SUFFIXES),
                rng.pick(&ws)
            );
            (json!({}), text)
        }
        "detectable_format:multiple_sections" => {
            let spliter = rng.pick(SPLITERS);
            let mut special: Vec<&str> = SECTION.to_vec();
            special.push(spliter);
            (
                json!({"section_spliter": spliter, "num_sections": n}),
                text_from(rng, &special, fragments),
            )
        }
        "detectable_format:number_bullet_lists" => {
            (json!({"num_bullets": n}), text_from(rng, BULLET, fragments))
        }
        "detectable_format:number_highlighted_sections" => {
            (json!({"num_highlights": n}), text_from(rng, HIGHLIGHT, fragments))
        }
        "detectable_format:title" => (json!({}), text_from(rng, TITLE, fragments)),
        _ => unreachable!("unknown id {id}"),
    }
}

const IDS: &[&str] = &[
    "detectable_content:number_placeholders",
    "detectable_content:postscript",
    "detectable_format:constrained_response",
    "detectable_format:json_format",
    "detectable_format:multiple_sections",
    "detectable_format:number_bullet_lists",
    "detectable_format:number_highlighted_sections",
    "detectable_format:title",
];

const CASES_PER_ID: usize = 400;

#[test]
fn format_and_content_checks_match_the_python_reference() {
    let fragments = fragments();
    let mut rng = Rng(0x1FE7_A1F0_2026);
    let mut requests = Vec::new();
    for id in IDS {
        for _ in 0..CASES_PER_ID {
            let (kwargs, text) = case(&mut rng, id, &fragments);
            requests.push(json!({"id": id, "kwargs": kwargs, "text": text}));
        }
    }
    let answers = oracle::run_jsonl("ifeval_format.py", &[], &requests);

    // id -> (cases, agreeing, python errors matched as invalid, documented unsupported)
    let mut per_id: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    let mut failures = Vec::new();
    for (req, want) in requests.iter().zip(&answers) {
        let id = req["id"].as_str().expect("id");
        let text = req["text"].as_str().expect("text");
        let row = per_id.entry(id).or_default();
        row[0] += 1;
        let constraint = Constraint::from_ifeval(id, &req["kwargs"]).expect("kwargs build");
        let got = constraint.verify(&Analysis::new(text));
        let param = req["kwargs"]
            .get("section_spliter")
            .or_else(|| req["kwargs"].get("postscript_marker"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let unsupported =
            UNSUPPORTED_SPLITERS.contains(&param) || UNSUPPORTED_MARKERS.contains(&param);
        let agrees = match (&want["ok"], got.status) {
            (Value::Bool(ok), Status::Pass | Status::Fail) => {
                let evidence_ok = match want["matches"].as_array() {
                    None => true,
                    Some(m) => {
                        let got_m: Vec<&str> = got.evidence.iter().map(|s| s.slice(text)).collect();
                        let want_m: Vec<&str> = m.iter().filter_map(Value::as_str).collect();
                        got_m == want_m
                    }
                };
                *ok == got.passed() && evidence_ok
            }
            (Value::Null, Status::Invalid) => {
                row[2] += 1;
                true
            }
            (Value::Bool(_), Status::Invalid) if unsupported => {
                row[3] += 1;
                true
            }
            _ => false,
        };
        if agrees {
            row[1] += 1;
        } else if failures.len() < 30 {
            failures.push(format!(
                "{id} {} on {text:?}: python {want}, rust {:?} {:?} evidence {:?}",
                req["kwargs"],
                got.status,
                got.detail,
                got.evidence.iter().map(|s| s.slice(text)).collect::<Vec<_>>()
            ));
        }
    }
    println!("{:<48} {:>5} {:>6} {:>8} {:>11}", "id", "cases", "agree", "py-error", "unsupported");
    for (id, [n, ok, err, unsup]) in &per_id {
        println!("{id:<48} {n:>5} {ok:>6} {err:>8} {unsup:>11}");
    }
    let total: usize = per_id.values().map(|r| r[0]).sum();
    let agree: usize = per_id.values().map(|r| r[1]).sum();
    println!("format/content differential: {agree}/{total} cases agree");
    for f in &failures {
        eprintln!("{f}");
    }
    assert_eq!(agree, total, "{} disagreements (first ones above)", total - agree);
}
