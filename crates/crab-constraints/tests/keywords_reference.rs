//! Differential test of the keyword, start/end and combination checks against IFEval's own Python
//! classes (`scripts/oracle/ifeval_keywords.py`, if-verifiable 0.1.2 = Google 2025, with Google's
//! 2026 letter rule applied; run with `CRAB_PYTHON`, default `<workspace>/.venv/bin/python`; a
//! missing interpreter fails the test).
//!
//! Cases are generated with a seeded PRNG from keywords that stress Python `re` semantics (case
//! equivalences such as `İ`/`i`, `ſ`/`s`, Kelvin `K`; `\b` next to combining marks; escapes and
//! anchors) and texts mixing GPT-4 response fragments, the keywords themselves in changed case,
//! separators, quotes, Python-only whitespace and random Unicode.

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

const CASES_PER_ID: usize = 400;

/// Keywords: plain words, Unicode case traps, escapes, anchors and `\b`.
const KEYWORDS: &[&str] = &[
    "cat",
    "war",
    "rock",
    "Mom",
    "mother",
    "peace",
    "story",
    "a",
    "s",
    "i",
    "k",
    "ss",
    "ß",
    "ẞ",
    "straße",
    "İstanbul",
    "ı",
    "ſ",
    "σ",
    "ς",
    "ΟΔΟΣ",
    "µ",
    "ﬆ",
    "हिन्दी",
    "ह",
    "é",
    "e\u{301}",
    "日本",
    "don't",
    "two words",
    "#",
    "!",
    "x\u{200b}y",
    "c\\+\\+",
    "a.c",
    "\\.",
    "\\bcat",
    "cat\\b",
    "\\Bat",
    "^the",
    "end$",
    "\\Aend",
    "end\\Z",
    "a\\tb",
    "q\\?",
    "3.14",
    "}",
    "]",
];

/// Keywords the `regex` crate runs (documented approximation), restricted to characters whose
/// case folding agrees with Python's.
const REGEX_KEYWORDS: &[&str] = &["colou?r", "(war|peace)", "[0-9]+", "wo+rd", "m[ou]m"];

/// Keywords Python cannot compile: both sides must refuse.
const BAD_KEYWORDS: &[&str] = &["(", "*cat", "a{2", "\\"];

const LETTERS: &[&str] = &[
    "a", "A", "e", "t", "#", "!", "k", "\u{212a}", "i", "ı", "ß", "σ", "Σ", "ς", "\u{307}", "é",
    "ह", "*", "\"", "日", "1", "_", "q",
];

const PHRASES: &[&str] = &[
    "Any other questions?",
    "Is there anything else I can help with?",
    "Peace!",
    "ΟΔΟΣ",
    "İstanbul",
    "straße",
    "\"quoted\"",
    "ends here.",
    "",
    "  spaced  ",
];

const SPECIALS: &[&str] = &[
    " ",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    "\u{a0}",
    "\u{2028}",
    "\u{85}",
    "\u{1c}",
    "\u{1f}",
    "\u{200b}",
    "\u{301}",
    "\u{307}",
    "\"",
    "'",
    "“",
    "”",
    "*",
    "******",
    "***",
    ".",
    ",",
    "!",
    "?",
    "#",
    "(",
    ")",
    "[",
    "]",
    "-",
    "_",
    "...",
    "…",
    "İ",
    "Σ",
    "ß",
    "ẞ",
    "ſ",
    "\u{212a}",
    "ﬅ",
    "हि",
    "न्दी",
    "中文",
    "😀",
    "١٢",
    "3.14",
    "K",
    "S",
];

fn gpt4_fragments() -> Vec<String> {
    let mut out = Vec::new();
    for response in data::response_texts().iter().take(200) {
        let response: Vec<char> = response.chars().collect();
        for chunk in response.chunks(60).take(3) {
            out.push(chunk.iter().collect());
        }
    }
    out
}

/// Changes the case of some characters of `s` (including to and from Unicode forms).
fn recase(rng: &mut Rng, s: &str) -> String {
    match rng.below(4) {
        0 => s.to_owned(),
        1 => s.to_uppercase(),
        2 => s.to_lowercase(),
        _ => s
            .chars()
            .map(|c| if rng.chance(50) { c.to_uppercase().next().unwrap_or(c) } else { c })
            .collect(),
    }
}

/// A keyword, phrase or Python-level-unescaped form of a keyword, as it could appear in text.
fn literal_form(k: &str) -> String {
    k.replace("\\+", "+")
        .replace("\\.", ".")
        .replace("\\?", "?")
        .replace("\\t", "\t")
        .replace("\\b", "")
        .replace("\\B", "")
        .replace("\\A", "")
        .replace("\\Z", "")
        .replace(['^', '$'], "")
}

fn gen_text(rng: &mut Rng, fragments: &[String], seeds: &[String]) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(9) {
        match rng.below(10) {
            0..=2 => s.push_str(rng.pick(SPECIALS)),
            3 | 4 => {
                let f = &fragments[rng.below(fragments.len())];
                s.push_str(f);
            }
            5..=7 if !seeds.is_empty() => {
                let seed = seeds[rng.below(seeds.len())].clone();
                s.push_str(&recase(rng, &literal_form(&seed)));
            }
            _ => {
                for _ in 0..1 + rng.below(4) {
                    let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('x');
                    s.push(c);
                }
            }
        }
    }
    s
}

fn pick_keywords(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| match rng.below(20) {
            0..=1 => rng.pick(REGEX_KEYWORDS).to_owned(),
            2 => rng.pick(BAD_KEYWORDS).to_owned(),
            _ => rng.pick(KEYWORDS).to_owned(),
        })
        .collect()
}

/// One generated case: id, kwargs and text.
fn gen_case(rng: &mut Rng, id: &str, fragments: &[String]) -> (Value, String) {
    match id {
        "keywords:existence" => {
            let n = 1 + rng.below(3);
            let keywords = pick_keywords(rng, n);
            let text = gen_text(rng, fragments, &keywords);
            (json!({ "keywords": keywords }), text)
        }
        "keywords:forbidden_words" => {
            let n = 1 + rng.below(3);
            let words = pick_keywords(rng, n);
            let text = gen_text(rng, fragments, &words);
            (json!({ "forbidden_words": words }), text)
        }
        "keywords:frequency" => {
            let mut keyword = pick_keywords(rng, 1).remove(0);
            if rng.chance(10) {
                keyword = format!(" {keyword}\n");
            }
            let text = gen_text(rng, fragments, &[keyword.trim().to_owned()]);
            let relation = rng.pick(&["less than", "at least"]);
            (json!({"keyword": keyword, "frequency": rng.below(5), "relation": relation}), text)
        }
        "keywords:letter_frequency" => {
            let letter = rng.pick(LETTERS);
            let text = gen_text(rng, fragments, &[letter.to_owned()]);
            let relation = rng.pick(&["less than", "at least"]);
            (
                json!({"letter": letter, "let_frequency": rng.below(6), "let_relation": relation}),
                text,
            )
        }
        "startend:end_checker" => {
            let phrase = rng.pick(PHRASES);
            let mut text = gen_text(rng, fragments, &[]);
            if rng.chance(70) {
                text.push_str(&recase(rng, phrase.trim()));
            }
            for _ in 0..rng.below(3) {
                text.push_str(rng.pick(&["\"", " ", "\n", ".", "'", "\u{1f}", "\u{a0}", "”"]));
            }
            if rng.chance(20) {
                text.insert(0, '"');
            }
            (json!({ "end_phrase": phrase }), text)
        }
        "startend:quotation" => {
            let mut text = gen_text(rng, fragments, &[]);
            if rng.chance(60) {
                const OUTER: &[&str] =
                    &["", "", " ", "\n", "\u{1f}", "\u{a0}", "\u{2028}", "\u{85}", "x", "”", "\""];
                text = format!("{}\"{text}\"{}", rng.pick(OUTER), rng.pick(OUTER));
            }
            (json!({}), text)
        }
        "combination:repeat_prompt" => {
            let base = gen_text(rng, fragments, &[]);
            let prompt = if base.trim().is_empty() || rng.chance(20) {
                format!("Write a story about ΟΔΟΣ in İstanbul{}", rng.pick(SPECIALS))
            } else {
                base.clone()
            };
            let text = match rng.below(4) {
                0 => gen_text(rng, fragments, std::slice::from_ref(&prompt)),
                1 => format!("{}{}{}", rng.pick(SPECIALS), prompt.to_uppercase(), base),
                2 => {
                    let cut: String = prompt.chars().take(rng.below(20)).collect();
                    format!("{}{cut}", rng.pick(SPECIALS))
                }
                _ => format!("{}{}", recase(rng, &prompt), gen_text(rng, fragments, &[])),
            };
            (json!({ "prompt_to_repeat": prompt }), text)
        }
        "combination:two_responses" => {
            let mut text = String::new();
            for _ in 0..rng.below(5) {
                let part = if rng.chance(20) {
                    rng.pick(&["", " ", "\n", "\u{1f}"]).to_owned()
                } else if rng.chance(20) {
                    "Same answer.".to_owned()
                } else {
                    gen_text(rng, fragments, &[])
                };
                text.push_str(&part);
                text.push_str(rng.pick(&["******", "\n******\n", "*******", "*****", "***"]));
            }
            text.push_str(&gen_text(rng, fragments, &[]));
            (json!({}), text)
        }
        _ => unreachable!("unknown id {id}"),
    }
}

const IDS: &[&str] = &[
    "combination:repeat_prompt",
    "combination:two_responses",
    "keywords:existence",
    "keywords:forbidden_words",
    "keywords:frequency",
    "keywords:letter_frequency",
    "startend:end_checker",
    "startend:quotation",
];

#[test]
fn checks_agree_with_ifevals_python_classes() {
    let fragments = gpt4_fragments();
    let mut rng = Rng(0x00C0_FFEE_2026);
    let mut requests = Vec::new();
    let mut ours = Vec::new();
    for id in IDS {
        for _ in 0..CASES_PER_ID {
            let (kwargs, text) = gen_case(&mut rng, id, &fragments);
            let constraint = Constraint::from_ifeval(id, &kwargs)
                .unwrap_or_else(|e| panic!("generated kwargs refused: {e}"));
            let verdict = constraint.verify(&Analysis::new(&text));
            for span in &verdict.evidence {
                assert!(
                    text.get(span.start..span.end).is_some(),
                    "{id}: evidence {span:?} off char boundaries in {text:?}"
                );
            }
            ours.push(verdict.status);
            requests.push(json!({"id": id, "kwargs": kwargs, "text": text}));
        }
    }
    let answers = oracle::run_jsonl("ifeval_keywords.py", &[], &requests);
    let mut per_id: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for ((request, status), answer) in requests.iter().zip(&ours).zip(&answers) {
        let id = request["id"].as_str().unwrap_or("");
        let entry = per_id.entry(id).or_default();
        entry.0 += 1;
        if answer.get("ok") == Some(&Value::Bool(true)) {
            entry.3 += 1;
        }
        let agree = match (answer.get("ok").and_then(Value::as_bool), status) {
            (Some(true), Status::Pass) | (Some(false), Status::Fail) => true,
            // Python raised (an invalid regex): we must call it unusable, never pass or fail.
            (None, Status::Invalid) => {
                entry.2 += 1;
                true
            }
            _ => false,
        };
        if agree {
            entry.1 += 1;
        } else if failures.len() < 20 {
            failures.push(format!("{request} -> python {answer}, rust {status:?}"));
        }
    }
    let mut total = (0, 0);
    for (id, (cases, agree, invalid, passed)) in &per_id {
        eprintln!(
            "{id:<28} {agree}/{cases} agree ({passed} pass in Python; {invalid} invalid patterns \
             on both sides)"
        );
        total.0 += cases;
        total.1 += agree;
    }
    eprintln!("total: {}/{} cases agree", total.1, total.0);
    assert!(failures.is_empty(), "disagreements:\n{}", failures.join("\n"));
}
