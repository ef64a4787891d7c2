//! Differential test of the `crab:*` checks against CRAB's own Python rules
//! (`scripts/oracle/crab_rules.py`, a copy of CRAB's `refined_Length` / `refined_number` /
//! `refined_symbol` computations plus the same measures in the other counting modes), on the 541
//! GPT-4 responses and on generated texts mixing fragments of them with lists, headings,
//! abbreviations, quotes, contractions, Unicode and odd whitespace.
//!
//! For every measure the oracle gives, the matching check must sit exactly on the boundary: a
//! bound equal to the measure passes and one below it fails. Derivations must reproduce CRAB's
//! numbers (its rounding, its first absent mark).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::checks::{Constraint, DeriveContext};
use crab_constraints::text::{pystr, Analysis};
use serde_json::{json, Value};

/// Generated texts (besides the GPT-4 responses).
const GENERATED: usize = 1000;

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "The quick brown fox jumps over the lazy dog.", "Dr. Smith arrived at 3.14 p.m. today.",
    "I don't know, do you?", "Wow!", "Note: this matters.", "e.g. this one", "U.S.A. is big.",
    "\"Quoted,\" she said.", "'Single' quotes…", "(in brackets)", "[1] ref", "state-of-the-art",
    "https://example.com/a/very/long/path?q=1", "1. First item", "- a bullet", "* star",
    "# Heading", "**Bold:**", "Mr. Brown vs. Mrs. Green.", "It is one. It is two. It is three.",
    "Ok. Fine. Sure.", "...", "—", "ß İ Σ", "Straße", "naïve café", "नमस्ते दुनिया।", "日本語の文。",
    "e\u{301}", "\u{200b}", "\u{a0}", "\u{2028}", "\u{1c}", "\u{1f}", "\t", "\r", "",
    "Incomprehensibilities", "antidisestablishmentarianism", "can't won't shouldn't",
];

#[rustfmt::skip]
const JOINS: &[&str] = &[" ", " ", " ", "\n", "\n", "\n\n", "\n\n\n", "\n \n", "\r\n", ""];

fn generated(r: &mut rng::Rng, fragments: &[String]) -> String {
    let n = 1 + r.below(14);
    let mut out = String::new();
    for _ in 0..n {
        out.push_str(r.pick(JOINS));
        if r.chance(30) {
            let f = &fragments[r.below(fragments.len())];
            // A slice of a real response, cut on char boundaries.
            let chars: Vec<char> = f.chars().collect();
            let a = r.below(chars.len() + 1);
            let b = (a + r.below(300)).min(chars.len());
            out.extend(&chars[a..b]);
        } else {
            out.push_str(r.pick(PIECES));
        }
    }
    out
}

fn int(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("oracle field {key} in {v}"))
}

/// The verdict of `id` with `kwargs` on `a`.
fn passes(a: &Analysis<'_>, id: &str, kwargs: Value) -> bool {
    Constraint::from_ifeval(id, &kwargs).unwrap_or_else(|e| panic!("{e}")).verify(a).passed()
}

/// `id` with the bound `key` = `value` passes, and with `value - 1` fails (when that is a valid
/// bound).
fn on_boundary(a: &Analysis<'_>, id: &str, key: &str, value: i64, rest: &Value, min: i64) -> bool {
    let with = |n: i64| {
        let mut kw = rest.clone();
        kw[key] = json!(n);
        passes(a, id, kw)
    };
    with(value.max(min)) && (value - 1 < min || !with(value - 1))
}

fn round5(n: i64) -> i64 {
    (n + 4) / 5 * 5
}

#[test]
fn crab_checks_agree_with_crabs_python_rules() {
    let mut texts: Vec<String> = data::gpt4_responses().into_iter().map(|(_, r)| r).collect();
    let fragments = texts.clone();
    let mut r = rng::Rng(0xC4AB);
    texts.extend((0..GENERATED).map(|_| generated(&mut r, &fragments)));
    let requests: Vec<Value> = texts.iter().map(|t| json!({ "text": t })).collect();
    let answers = oracle::run_jsonl("crab_rules.py", &[], &requests);

    let nltk = json!({"counting": "nltk"});
    let ifeval = json!({"counting": "ifeval"});
    let mut checked = 0;
    let mut disagreements = Vec::new();
    let mut derive_checked = 0;
    for (text, want) in texts.iter().zip(&answers) {
        let a = Analysis::new(text);
        let cases: [(&str, bool); 9] = [
            ("word_count nltk", {
                let kw = json!({"relation": "at most", "counting": "nltk"});
                on_boundary(&a, "crab:word_count", "num_words", int(want, "tokens"), &kw, 0)
            }),
            ("word_count ifeval", {
                let kw = json!({"relation": "at most", "counting": "ifeval"});
                on_boundary(&a, "crab:word_count", "num_words", int(want, "words"), &kw, 0)
            }),
            ("words_per_sentence nltk", {
                let n = int(want, "crab_max_w");
                on_boundary(&a, "crab:words_per_sentence", "max_words", n, &nltk, 1)
            }),
            ("words_per_sentence ifeval", {
                let n = int(want, "max_w_ifeval");
                on_boundary(&a, "crab:words_per_sentence", "max_words", n, &ifeval, 1)
            }),
            ("sentences_per_paragraph line", {
                let kw = json!({"paragraph": "line"});
                let n = int(want, "crab_max_s");
                on_boundary(&a, "crab:sentences_per_paragraph", "max_sentences", n, &kw, 1)
            }),
            ("sentences_per_paragraph ifeval", {
                let kw = json!({"paragraph": "ifeval"});
                let n = int(want, "max_s_blocks");
                on_boundary(&a, "crab:sentences_per_paragraph", "max_sentences", n, &kw, 1)
            }),
            ("chars_per_word nltk", {
                let n = int(want, "max_c_tokens");
                on_boundary(&a, "crab:chars_per_word", "max_chars", n, &nltk, 1)
            }),
            ("chars_per_word ifeval", {
                let n = int(want, "max_c_ifeval");
                on_boundary(&a, "crab:chars_per_word", "max_chars", n, &ifeval, 1)
            }),
            ("no_punctuation", {
                [",", ":", "?", "!"].iter().all(|m| {
                    passes(&a, "crab:no_punctuation", json!({ "mark": m })) != text.contains(m)
                })
            }),
        ];
        for (name, ok) in cases {
            checked += 1;
            if !ok {
                disagreements.push(format!("{name} on {text:?}: oracle {want}"));
            }
        }

        // Derivations reproduce CRAB's numbers.
        let mut cx = DeriveContext::new("", 1);
        let derived = Constraint::derive_all(&a, &mut cx);
        let derived_kwargs =
            |id: &str| derived.iter().find(|c| c.id() == id).map(|c| Value::Object(c.kwargs()));
        let blank = pystr::strip(text).is_empty();
        let max_w = int(want, "crab_max_w");
        let want_w = (!blank && max_w > 5 && round5(max_w) <= 50).then(|| round5(max_w));
        let got_w = derived_kwargs("crab:words_per_sentence").map(|k| int(&k, "max_words"));
        let max_c = int(want, "crab_max_c");
        let want_c = (!blank && max_c > 3 && round5(max_c) <= 20).then(|| round5(max_c));
        let got_c = derived_kwargs("crab:chars_per_word").map(|k| int(&k, "max_chars"));
        let want_mark = want["symbol"].as_str().filter(|_| !blank).map(str::to_owned);
        let got_mark = derived_kwargs("crab:no_punctuation").map(|k| k["mark"].to_string());
        let got_mark = got_mark.map(|m| m.trim_matches('"').to_owned());
        for (name, ok) in [
            ("derived words_per_sentence", want_w == got_w),
            ("derived chars_per_word", want_c == got_c),
            ("derived no_punctuation", want_mark == got_mark),
        ] {
            derive_checked += 1;
            if !ok {
                disagreements.push(format!(
                    "{name} on {text:?}: oracle {want}, derived {:?}",
                    derived.iter().map(|c| (c.id(), c.kwargs())).collect::<Vec<_>>()
                ));
            }
        }
    }
    println!(
        "{} texts; {checked} boundary checks and {derive_checked} derivation checks; {} \
         disagreements",
        texts.len(),
        disagreements.len()
    );
    for d in disagreements.iter().take(20) {
        eprintln!("{d}");
    }
    assert!(disagreements.is_empty(), "{} disagreements with CRAB's rules", disagreements.len());
}
