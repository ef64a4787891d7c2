//! Differential test of `length_constraints:number_paragraphs`,
//! `length_constraints:nth_paragraph_first_word` and `change_case:capital_word_frequency` against
//! the Python classes (if-verifiable's copy of Google's IFEval), through
//! `scripts/oracle/ifeval_length.py`, on generated boundary cases: dividers with every kind of
//! Python whitespace around them, runs of stars, blank chunks, quoted and punctuated first words,
//! case-mapping oddities, contractions and all-caps tokens, mixed with fragments of real GPT-4
//! responses. Parameters Google would replace by random values must be refused here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/fragments.rs"]
mod fragments;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use std::collections::BTreeMap;

use crab_constraints::checks::Constraint;
use crab_constraints::text::Analysis;
use fragments::Fragments;
use rng::Rng;
use serde_json::{json, Value};

const PARAGRAPHS: &str = "length_constraints:number_paragraphs";
const FIRST_WORD: &str = "length_constraints:nth_paragraph_first_word";
const CAPITALS: &str = "change_case:capital_word_frequency";

/// Cases generated per id.
const PER_ID: usize = 500;

/// Python whitespace that Rust's `char::is_whitespace` may not agree on, and look-alikes that
/// are not whitespace at all.
#[rustfmt::skip]
const SPACES: &[&str] = &[
    " ", "\n", "\t", "\r", "\u{b}", "\u{c}", "\u{1c}", "\u{1d}", "\u{1e}", "\u{1f}", "\u{85}",
    "\u{a0}", "\u{2028}", "\u{2029}", "\u{3000}", "\u{200b}", "\u{feff}", "\u{180e}",
];

/// Words and marks for paragraph bodies.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "hello", "World", "the", "A", "I", "is", "x", "_id", "snake_case", "3.14", "42", "...", "…",
    "\"quoted\"", "'single'", "“smart”", "(paren)", "[1]", "{b}", "<<T>>", "—", "-", "--", "*",
    "**", "**bold**", "*it*", "#", "ß", "İ", "Σ", "ΟΔΟΣ", "हिन्दी", "日本語", "e\u{301}",
    "a\u{308}", "ǅ", "ﬁ", "Ⅻ", "١٢", "\u{1c}", "\u{200d}", ".", ",", "?", "!", ":", ";",
];

/// Paragraph openings: punctuation, quotes and case mapping around the first word.
#[rustfmt::skip]
const STARTS: &[&str] = &[
    "Hello", "hello,", "\"Hello\"", "'Hi", "\"'Hi", "'\"Hi", "''Hi", "\"\"Hi", "**Word**",
    "*Word*", "ΟΔΟΣ", "Οδός", "İSTANBUL", "Istanbul", "Don't", "DON'T", "Title:", "(Yes)",
    "well-known?", "...", ".Hello", "ß", "SS", "ǅemal", "हिन्दी", "e\u{301}clair", "日本語。",
    "Word.", "Word!", "Word?", "WORD", "word", "A", "I", "1.", "#", "- item", "* item", "—Well",
    "«Hola»", "“Hi”", "'", "\"", "Ⅻ", "ﬁne", "Straße",
];

/// `first_word` parameters: spellings of the openings above, lowercased or not.
#[rustfmt::skip]
const FIRST_WORDS: &[&str] = &[
    "hello", "Hello", "hi", "", "**word**", "*word*", "ΟΔΟΣ", "οδοσ", "οδος", "οδός",
    "i\u{307}stanbul", "İstanbul", "istanbul", "don", "title:", "(yes)", "well-known", "ß", "ss",
    "ǆemal", "हिन्दी", "e\u{301}clair", "日本語。", "word", "a", "i", "1", "#", "-", "*", "—well",
    "«hola»", "“hi”", "ⅻ", "ﬁne", "straße",
];

/// Paragraph separators for `nth_paragraph_first_word`.
#[rustfmt::skip]
const CHUNK_SEPS: &[&str] = &[
    "\n\n", "\n\n", "\n\n", "\n\n\n", "\n\n\n\n", "\n\n\n\n\n", "\n \n", "\n\n \n\n", "\r\n\r\n",
    "\n", " \n\n ", "\u{2028}\u{2028}", "\n\u{1f}\n", "\n\n\u{1f}\n\n", "\n\n***\n\n",
];

/// Dividers and near-dividers for `number_paragraphs`.
#[rustfmt::skip]
const DIVIDERS: &[&str] = &[
    "***", "***", " *** ", "\n***\n", "\n\n***\n\n", "******", "*** ***", "***\n***", "****",
    "*****", "*******", "\u{1f}***\u{1f}", "\u{a0}***", "***\u{2028}", "\t***\t\t", "  ***  ",
    "**", "*", "\n\n", "* * *", "---", "***bold***", "\u{85}***\u{85}", "\u{200b}***\u{200b}",
];

/// Tokens with interesting `str.isupper()` and `word_tokenize` behaviour.
#[rustfmt::skip]
const CAPS: &[&str] = &[
    "NASA", "I", "A", "I'M", "DON'T", "CAN'T", "U.S.A.", "Dr.", "OK.", "OK", "BIG-TIME", "BIG-time",
    "A-OK", "McDONALD", "3D", "R2-D2", "123", "ΑΘΗΝΑ", "İSTANBUL", "ß", "SS", "ǅ", "Ǆ", "ǆ",
    "Ⅻ", "ⅻ", "ﬁ", "ᾼ", "«ABC»", "(ABC)", "\"ABC\"", "'ABC'", "ABC's", "ABC'S", "GONNA", "CANNOT",
    "e.g.", "E.G.", "NO.", "USA!", "Mr.", "MR.", "HELLO...", "X", "x", "_ABC_", "ABC_def",
    "日本", "हिन्दी", "ΣΑΣ", "Straße", "STRASSE", "#TAG", "@USER", "U+00C9", "É", "é", "É",
];

fn body(rng: &mut Rng, frags: &Fragments, pool: &[&str]) -> String {
    let mut s = String::new();
    if rng.chance(15) {
        s.push_str(frags.slice(rng, 200));
        return s;
    }
    for i in 0..rng.below(6) {
        if i > 0 || rng.chance(10) {
            s.push_str(if rng.chance(80) { " " } else { rng.pick(SPACES) });
        }
        s.push_str(rng.pick(pool));
    }
    s
}

fn paragraphs_case(rng: &mut Rng, frags: &Fragments) -> (Value, String) {
    let mut paragraphs = 1;
    let text = if rng.chance(10) {
        frags.whole(rng).to_owned()
    } else {
        let mut t = String::new();
        if rng.chance(25) {
            t.push_str(rng.pick(DIVIDERS));
        }
        let n = rng.below(6);
        paragraphs = n as i64;
        for i in 0..n {
            if i > 0 {
                t.push_str(rng.pick(DIVIDERS));
            }
            if rng.chance(10) {
                t.push_str(rng.pick(SPACES));
            } else if !rng.chance(5) {
                t.push_str(&body(rng, frags, WORDS));
            }
        }
        if rng.chance(25) {
            t.push_str(rng.pick(DIVIDERS));
        }
        t
    };
    let n = match rng.below(30) {
        0 => -1,
        1..=12 => paragraphs,
        _ => rng.range(0, 6),
    };
    (json!({ "num_paragraphs": n }), text)
}

fn first_word_case(rng: &mut Rng, frags: &Fragments) -> (Value, String) {
    let mut text = String::new();
    if rng.chance(15) {
        text.push_str(rng.pick(&["\n\n", "\n\n\n\n", " \n\n", "\n", " "]));
    }
    let chunks = rng.below(6) + 1;
    let mut starts = Vec::new();
    for i in 0..chunks {
        if i > 0 {
            text.push_str(if rng.chance(75) { "\n\n" } else { rng.pick(CHUNK_SEPS) });
        }
        if rng.chance(5) {
            continue;
        }
        if rng.chance(12) {
            text.push_str(frags.slice(rng, 150));
            continue;
        }
        if rng.chance(10) {
            text.push_str(rng.pick(SPACES));
        }
        let start = rng.pick(STARTS);
        starts.push(start);
        text.push_str(start);
        if rng.chance(70) {
            text.push(' ');
            text.push_str(&body(rng, frags, WORDS));
        }
    }
    if rng.chance(15) {
        text.push_str(rng.pick(&["\n\n", "\n", "\n\n\n", " "]));
    }
    let num = match rng.below(30) {
        0 => -1,
        1..=18 => chunks as i64,
        _ => rng.range(0, 7),
    };
    let nth = match rng.below(20) {
        0 => 0,
        1 => num + 1,
        _ => rng.range(1, num.max(1)),
    };
    let word = match (rng.below(3), usize::try_from(nth - 1).ok().and_then(|i| starts.get(i))) {
        // The raw opening of (roughly) paragraph nth: Python lowercases it as a whole.
        (0 | 1, Some(start)) => start,
        _ => rng.pick(FIRST_WORDS),
    };
    (json!({"num_paragraphs": num, "nth_paragraph": nth, "first_word": word}), text)
}

fn capitals_case(rng: &mut Rng, frags: &Fragments) -> (Value, String) {
    let text = match rng.below(10) {
        0 => frags.whole(rng).to_owned(),
        1 | 2 => frags.slice(rng, 400).to_owned(),
        _ => {
            let mut t = String::new();
            for i in 0..rng.below(14) {
                if i > 0 {
                    t.push_str(if rng.chance(75) { " " } else { rng.pick(SPACES) });
                }
                t.push_str(if rng.chance(65) { rng.pick(CAPS) } else { rng.pick(WORDS) });
                if rng.chance(10) {
                    t.push_str(rng.pick(&[".", ",", "!", "?", "...", ":", "'", "\""]));
                }
            }
            t
        }
    };
    let relation = if rng.chance(50) { "less than" } else { "at least" };
    let n = if rng.chance(3) { -1 } else { rng.range(0, 12) };
    (json!({"capital_frequency": n, "capital_relation": relation}), text)
}

/// The oracle's answer for each case: `Some(result)`, or `None` when Google's code randomised a
/// parameter.
fn oracle(cases: &[(&str, Value, String)]) -> Vec<Option<bool>> {
    let requests: Vec<Value> = cases
        .iter()
        .map(|(id, kwargs, text)| json!({"id": id, "kwargs": kwargs, "text": text}))
        .collect();
    oracle::run_jsonl("ifeval_length.py", &[], &requests)
        .iter()
        .map(|v| {
            if v.get("randomised").is_some() {
                None
            } else {
                Some(v["result"].as_bool().expect("result"))
            }
        })
        .collect()
}

#[test]
fn generated_cases_agree_with_python() {
    let frags = Fragments::load();
    let mut rng = Rng(0x1FEA_5EED);
    let mut cases: Vec<(&str, Value, String)> = Vec::new();
    for _ in 0..PER_ID {
        let (kw, text) = paragraphs_case(&mut rng, &frags);
        cases.push((PARAGRAPHS, kw, text));
        let (kw, text) = first_word_case(&mut rng, &frags);
        cases.push((FIRST_WORD, kw, text));
        let (kw, text) = capitals_case(&mut rng, &frags);
        cases.push((CAPITALS, kw, text));
    }
    let want = oracle(&cases);
    // id -> (cases, agreeing, passes, fails, refused)
    let mut per_id: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    let mut failures = Vec::new();
    for ((id, kwargs, text), want) in cases.iter().zip(&want) {
        let verdict =
            Constraint::from_ifeval(id, kwargs).ok().map(|c| c.verify(&Analysis::new(text)));
        if let Some(v) = &verdict {
            let mut prev = 0;
            for span in &v.evidence {
                assert!(
                    prev <= span.start
                        && span.start <= span.end
                        && text.is_char_boundary(span.start)
                        && text.is_char_boundary(span.end),
                    "{id}: evidence {span:?} out of order or off char boundaries in {text:?}"
                );
                prev = span.end;
            }
        }
        let got = verdict.map(|v| v.passed());
        let row = per_id.entry(id).or_default();
        row[0] += 1;
        match want {
            Some(true) => row[2] += 1,
            Some(false) => row[3] += 1,
            None => row[4] += 1,
        }
        if got == *want {
            row[1] += 1;
        } else {
            failures.push(format!("{id} {kwargs} on {text:?}: python {want:?}, rust {got:?}"));
        }
    }
    println!(
        "{:<46} {:>5} {:>6} {:>6} {:>6} {:>8}",
        "id", "cases", "agree", "pass", "fail", "refused"
    );
    for (id, [n, ok, pass, fail, refused]) in &per_id {
        println!("{id:<46} {n:>5} {ok:>6} {pass:>6} {fail:>6} {refused:>8}");
    }
    for f in failures.iter().take(30) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{} of {} cases disagree", failures.len(), cases.len());
    // The generators must reach both verdicts, and the refusals where Google randomises.
    for (id, [_, _, pass, fail, refused]) in &per_id {
        assert!(*pass >= 40 && *fail >= 40, "{id}: too few passes or fails");
        assert_eq!(*refused > 0, *id != CAPITALS, "{id}: refusals");
    }
}
