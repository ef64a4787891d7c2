//! The fast loose path of `ifeval` (candidates as ranges of the response, failure witnesses,
//! candidates settled without analysis) against the plain definition: each of the 8 candidates of
//! `loose_variants` analysed from scratch and checked, loose = `any`.
//!
//! Texts are generated with a seeded PRNG to hit what the fast path reasons about: lines with only
//! `*`, one-line texts, blank and whitespace-only first and last lines, `\r\n`, Unicode whitespace
//! (NBSP, U+2028, U+3000, U+001C) around lines, `*` inside and around words, commas and forbidden
//! words only on the first or last line, lines of real GPT-4 responses. Every registered check is
//! run, with its documented example kwargs and, for the checks the fast path treats specially,
//! several more. `evaluate`, `evaluate_detailed` (one constraint and all at once) and
//! `evaluate_candidates` must all agree with the plain definition on every case.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/fragments.rs"]
mod fragments;
#[path = "support/lang.rs"]
mod lang;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::checks::{Constraint, CHECKS};
use crab_constraints::ifeval;
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::{pystr, Analysis};
use fragments::Fragments;
use rng::Rng;
use serde_json::{json, Value};

/// Extra kwargs for the checks the fast path has shortcuts for, or whose results depend on the
/// first and last lines.
fn extra_kwargs() -> Vec<(&'static str, Value)> {
    let mut out = vec![
        ("punctuation:no_comma", json!({})),
        (
            "length_constraints:number_sentences",
            json!({"relation": "less than", "num_sentences": 2}),
        ),
        (
            "length_constraints:number_sentences",
            json!({"relation": "at least", "num_sentences": 3}),
        ),
        (
            "length_constraints:number_sentences",
            json!({"relation": "less than", "num_sentences": 5}),
        ),
        ("length_constraints:number_words", json!({"relation": "less than", "num_words": 8})),
        ("length_constraints:number_words", json!({"relation": "at least", "num_words": 12})),
        ("length_constraints:number_paragraphs", json!({"num_paragraphs": 1})),
        ("length_constraints:number_paragraphs", json!({"num_paragraphs": 2})),
        ("detectable_format:number_bullet_lists", json!({"num_bullets": 0})),
        ("detectable_format:number_bullet_lists", json!({"num_bullets": 1})),
        ("detectable_format:number_bullet_lists", json!({"num_bullets": 3})),
        ("startend:end_checker", json!({"end_phrase": "Any other questions?"})),
        ("startend:end_checker", json!({"end_phrase": "ς"})),
        ("startend:end_checker", json!({"end_phrase": "*end*"})),
        ("keywords:existence", json!({"keywords": ["delve", "rock"]})),
        (
            "keywords:letter_frequency",
            json!({"letter": "z", "let_frequency": 2, "let_relation": "less than"}),
        ),
        ("keywords:frequency", json!({"keyword": "rock", "frequency": 2, "relation": "less than"})),
        ("language:response_language", json!({"language": "en"})),
    ];
    for words in [
        json!(["delve", "tapestry"]),
        json!(["rock"]),
        json!(["a"]),
        json!(["^rock"]),
        json!(["rock$"]),
        json!(["\\Arock"]),
        json!(["rock\\Z"]),
        json!(["r.ck"]),
        json!(["c\\+\\+"]),
        json!(["\\*"]),
        json!(["de\\*lve"]),
        json!(["\\Bel"]),
        json!(["ς"]),
        json!(["rock|roll"]),
        json!(["ro+ck"]),
        json!([","]),
        json!([" "]),
        json!(["\\n"]),
        json!(["."]),
    ] {
        out.push(("keywords:forbidden_words", json!({ "forbidden_words": words })));
    }
    out
}

/// Every registered check with its example kwargs, and the extras.
fn constraints() -> Vec<Constraint> {
    let mut out = Vec::new();
    for info in CHECKS {
        let kwargs: Value = serde_json::from_str(info.example.kwargs).expect("example kwargs");
        out.push(Constraint::from_ifeval(info.id, &kwargs).expect("example builds"));
    }
    for (id, kwargs) in extra_kwargs() {
        out.push(Constraint::from_ifeval(id, &kwargs).expect("extra kwargs build"));
    }
    out
}

/// Lines that the fast path has to get right.
const SPECIAL_LINES: &[&str] = &[
    "",
    "*",
    "**",
    "***",
    " * ",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}*\u{3000}",
    "\u{1c}",
    "* delve, rock",
    "Any other questions?",
    "any other questions?*",
    "- item one",
    "* item two",
    "*item three",
    "ΑΣ",
    "de*lve",
    "*delve*",
    "delve*",
    "*delve",
    "r*ock",
    "rock*roll",
    "c++ and C++",
    "rock,roll",
    "roll.",
    "x",
    "zz z",
    "P.S. the end",
    "Section 1",
    "\"quoted\"",
    "{\"a\": 1}",
    "My answer is yes.",
    "<<Title>>",
    "*highlight* and **bold**",
    "Mr. Smith went. He left! Did he?",
    "Rock on. rocket rock",
    "tapestry",
    "İstanbul Straße ǅ",
    "...",
    "1. first",
    "a *** b",
    "*** ",
    "end*",
];

fn line(rng: &mut Rng, frags: &Fragments) -> String {
    let mut l = if rng.chance(45) {
        rng.pick(SPECIAL_LINES).to_owned()
    } else {
        frags.line(rng).to_owned()
    };
    if rng.chance(10) {
        // A `*` somewhere inside.
        let at = fragments::floor_boundary(&l, rng.below(l.len() + 1));
        l.insert(at, '*');
    }
    for _ in 0..2 {
        if rng.chance(12) {
            let ws = rng.pick(&[" ", "\t", "\u{a0}", "\u{2028}", "\u{3000}", "\u{1c}", "\r"]);
            if rng.chance(50) {
                l.insert_str(0, ws);
            } else {
                l.push_str(ws);
            }
        }
    }
    l
}

fn text(rng: &mut Rng, frags: &Fragments) -> String {
    let lines = match rng.below(10) {
        0 => 1,
        1 => 2,
        2 => 3,
        _ => 1 + rng.below(12),
    };
    let sep = if rng.chance(15) { "\r\n" } else { "\n" };
    let mut out: Vec<String> = (0..lines).map(|_| line(rng, frags)).collect();
    if rng.chance(10) {
        // A real response, with first and last lines added around it.
        out.insert(out.len() / 2, frags.whole(rng).to_owned());
    }
    out.join(sep)
}

/// The plain definition: each candidate analysed from scratch; a blank one fails.
fn plain(c: &Constraint, analyses: &[(bool, Analysis<'_>)]) -> [bool; 8] {
    std::array::from_fn(|i| {
        let (blank, a) = &analyses[i];
        !blank && c.verify(a).passed()
    })
}

#[test]
fn fast_loose_equals_the_plain_definition() {
    let detector: LanguageDetector = lang::detector();
    let frags = Fragments::load();
    let constraints = constraints();
    let mut rng = Rng(0x1005e);
    let texts: Vec<String> = (0..600).map(|_| text(&mut rng, &frags)).collect();

    let (mut cases, mut agree, mut loose_differs) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for t in &texts {
        let variants = ifeval::loose_variants(t);
        let analyses: Vec<(bool, Analysis<'_>)> = variants
            .iter()
            .map(|v| (pystr::strip(v).is_empty(), Analysis::with_detector(v, Some(&detector))))
            .collect();
        let all = ifeval::evaluate(&constraints, t, Some(&detector));
        let all_detailed = ifeval::evaluate_detailed(&constraints, t, Some(&detector));
        let all_candidates = ifeval::evaluate_candidates(&constraints, t, Some(&detector));
        for (k, c) in constraints.iter().enumerate() {
            cases += 1;
            let want = plain(c, &analyses);
            let want_strict = want[0];
            let want_loose = want.iter().any(|&b| b);
            loose_differs += usize::from(want_strict != want_loose);
            let one = ifeval::evaluate(std::slice::from_ref(c), t, Some(&detector));
            let detailed = ifeval::evaluate_detailed(std::slice::from_ref(c), t, Some(&detector));
            let got = [
                (one.strict[0], one.loose[0]),
                (all.strict[k], all.loose[k]),
                (detailed[0].strict.passed(), detailed[0].loose),
                (all_detailed[k].strict.passed(), all_detailed[k].loose),
            ];
            if got.iter().all(|&g| g == (want_strict, want_loose)) && all_candidates[k] == want {
                agree += 1;
            } else if failures.len() < 20 {
                failures.push(format!(
                    "{} {:?} on {t:?}: want strict {want_strict} loose {want_loose} ({want:?}), \
                     got {got:?}, candidates {:?}",
                    c.id(),
                    c.kwargs(),
                    all_candidates[k]
                ));
            }
        }
    }
    println!(
        "{} texts x {} constraints: {agree}/{cases} agree with the plain definition \
         ({loose_differs} cases where loose differs from strict)",
        texts.len(),
        constraints.len()
    );
    for f in &failures {
        eprintln!("{f}");
    }
    assert_eq!(agree, cases);
    assert!(loose_differs > 1000, "the texts exercise loose mode");
}
