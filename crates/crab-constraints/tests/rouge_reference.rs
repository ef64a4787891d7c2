//! Differential test of `text::rouge` against PyPI `rouge` 1.0.1 as CRAB calls it, and of
//! `crab_duplicates` against CRAB's de-duplication loop reimplemented literally in Python
//! (`scripts/oracle/rouge.py`, run with `CRAB_PYTHON`, default `<workspace>/.venv/bin/python`; a
//! missing interpreter fails the test).
//!
//! Scores are compared bit for bit (`f64::to_bits`), and a call that raises in Python must be
//! `None` here. The pairs: every ordered pair of constraints within each of CRAB's 20 sample
//! records (and each constraint against the record's refined instruction), seeded CRAB-like
//! sentences and near-copies of them (scores around the 0.6 threshold), adversarial texts (dots,
//! whitespace runs, Unicode whitespace, repeated words, attached punctuation, empty pieces), and
//! long sentences on both sides of Python's recursion limit.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::text::rouge::{crab_duplicates, crab_score, rouge_l_f, DUPLICATE_THRESHOLD};
use rng::Rng;
use serde_json::{json, Value};

/// CRAB's 20 sample records (stage 6: the output of `6_mix_filter.py`).
fn sample() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/crab/constraint_back_translation_sample.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).expect("the sample is JSON")
}

/// Each sample record's refined instruction (if any) and `Additional_Instruction` values, in
/// document order.
fn crab_records() -> Vec<(Option<String>, Vec<String>)> {
    sample()
        .iter()
        .map(|r| {
            let aug = &r["Aug_instruction"];
            let refined = aug["Refined_Instruction"].as_str().map(str::to_owned);
            let constraints = aug["Additional_Instruction"]
                .as_object()
                .expect("Additional_Instruction is an object")
                .values()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            (refined, constraints)
        })
        .collect()
}

const OPENERS: &[&str] = &[
    "The response should",
    "Ensure that the answer should",
    "Make sure to",
    "Your response must",
    "Please",
    "The answer is expected to",
    "Each paragraph must",
    "It is required to",
];

const MIDDLES: &[&str] = &[
    "be written in Spanish",
    "contain at least 3 paragraphs",
    "use a formal and informative tone",
    "include the keywords \"memoria\" and \"tarjeta gráfica\"",
    "not exceed 300 words",
    "use a numbered list to present the graphics cards",
    "end with a question to the reader",
    "mention the importance of considering individual needs and budget",
    "avoid overly promotional language",
    "be roughly 470 words",
    "use bullet points (*) for each item",
    "highlight at least 2 sections with markdown",
    "separate paragraphs with the markdown divider ***",
    "be intended for individuals with a basic understanding of hardware",
    "prioritize the list by performance, with the most powerful at the top",
    "use a colon (:) to separate the model from its description",
];

const TAILS: &[&str] = &[
    "",
    ".",
    ", with each item on a new line.",
    " for beginners.",
    " and keep a friendly voice.",
    "; separate sections with ***.",
    ". Each sentence is to contain no more than 30 words.",
    " (e.g. GDDR6X, ancho de banda).",
];

const SWAPS: &[&str] = &[
    "the",
    "response",
    "answer",
    "should",
    "must",
    "use",
    "list",
    "words",
    "formal",
    "a",
    "of",
    "Spanish",
    "keywords",
    "paragraphs",
    "at",
    "least",
    "most",
    "each",
    "item",
];

fn crab_like(rng: &mut Rng) -> String {
    let mut s = format!("{} {}", rng.pick(OPENERS), rng.pick(MIDDLES));
    if rng.chance(30) {
        s.push_str(" and ");
        s.push_str(rng.pick(MIDDLES));
    }
    s.push_str(rng.pick(TAILS));
    s
}

/// A near-copy of `s`: a few word-level edits (drop, repeat, swap, replace, re-case, attach
/// punctuation, insert a dot or a clause).
fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut words: Vec<String> = s.split(' ').map(str::to_owned).collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(words.len());
        match rng.below(8) {
            0 if words.len() > 1 => {
                words.remove(at);
            }
            1 => {
                let w = words[at].clone();
                words.insert(at, w);
            }
            2 if at + 1 < words.len() => words.swap(at, at + 1),
            3 => words[at] = rng.pick(SWAPS).to_owned(),
            4 => words[at] = words[at].to_uppercase(),
            5 => words[at].push(rng.pick(&[',', ';', ':', '!', '.'])),
            6 => words.insert(at, rng.pick(SWAPS).to_owned()),
            _ => words.push(rng.pick(MIDDLES).to_owned()),
        }
    }
    words.join(" ")
}

const ODD: &[&str] = &[
    "a", "b", "c", "the", "cat", "cat,", "(cat)", "Cat", "CAT", "a.", "..", ".", " ", "  ", "\t",
    "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\u{85}", "\u{a0}", "\u{1680}",
    "\u{2000}", "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{200b}",
    "\u{feff}", "\u{180e}", "é", "e\u{301}", "日本", "😀", ",", ";", "word", "word",
];

/// Texts made of odd pieces glued together, some with separating spaces.
fn adversarial(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(14) {
        s.push_str(rng.pick(ODD));
        if rng.chance(40) {
            s.push(' ');
        }
    }
    s
}

fn repeat(word: &str, k: usize) -> String {
    vec![word; k].join(" ")
}

/// Sentence pairs whose LCS walk is near Python's recursion limit (990 steps at CRAB's depth).
fn long_pairs(rng: &mut Rng) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for k in 988..=992 {
        // No match: the walk goes left k times (and only once the other way round).
        pairs.push(("a".to_owned(), repeat("b", k)));
        pairs.push((repeat("b", k), "a".to_owned()));
        // "b x … x" against "b c": left once, up k - 1 times, then "b": k + 1 steps.
        pairs.push((format!("b {}", repeat("x", k - 1)), "b c".to_owned()));
    }
    for k in [990, 991] {
        // All diagonal.
        pairs.push((repeat("a", k), repeat("a", k)));
    }
    // Both sides longer than the bound.
    pairs.push((repeat("a", 1000), repeat("b", 995)));
    // The bound is per sentence pair: two sentences of 600 words each.
    pairs.push((format!("{}. {}", repeat("b", 600), repeat("c", 600)), "a c".to_owned()));
    pairs.push(("a c".to_owned(), format!("{}. {}", repeat("b", 600), repeat("c", 600))));
    // Long reference sentences with a run of a word the hypothesis lacks at the end (the walk
    // climbs it), against short hypotheses: the table is far larger than the walk.
    let vocabulary = ["a", "b", "c", "d", "e"];
    for case in 0..40 {
        let len = 1000 + rng.below(2500);
        let run = 960 + rng.below(60);
        let mut words: Vec<&str> = (0..len - run).map(|_| rng.pick(&vocabulary)).collect();
        words.extend(std::iter::repeat_n("z", run));
        let short: Vec<&str> = (0..1 + rng.below(30)).map(|_| rng.pick(&vocabulary)).collect();
        let (long, short) = (words.join(" "), short.join(" "));
        if case % 2 == 0 {
            pairs.push((long, short));
        } else {
            pairs.push((short, long));
        }
    }
    pairs
}

fn all_pairs() -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (refined, constraints) in crab_records() {
        for (j, a) in constraints.iter().enumerate() {
            for (k, b) in constraints.iter().enumerate() {
                if j != k {
                    pairs.push((a.clone(), b.clone()));
                }
            }
            if let Some(refined) = &refined {
                pairs.push((refined.clone(), a.clone()));
            }
        }
    }
    let mut rng = Rng(0x52_4f55_4745);
    for _ in 0..1500 {
        let s = crab_like(&mut rng);
        let t = mutate(&mut rng, &s);
        pairs.push(if rng.chance(50) { (s, t) } else { (t, s) });
    }
    for _ in 0..500 {
        pairs.push((crab_like(&mut rng), crab_like(&mut rng)));
    }
    for _ in 0..1500 {
        let (a, b) = (adversarial(&mut rng), adversarial(&mut rng));
        // Half of them share most of their pieces.
        let b = if rng.chance(50) { format!("{a}{b}") } else { b };
        pairs.push((a, b));
    }
    for fixed in ["", ".", "...", " ", " . ", "\u{85}", "\x1c.\x1f", "a..b", ". a ."] {
        pairs.push((fixed.to_owned(), "a b".to_owned()));
        pairs.push(("a b".to_owned(), fixed.to_owned()));
        pairs.push((fixed.to_owned(), fixed.to_owned()));
    }
    pairs.extend(long_pairs(&mut rng));
    pairs
}

#[test]
fn rouge_l_f_is_bit_identical_to_the_package() {
    let pairs = all_pairs();
    let requests: Vec<Value> = pairs.iter().map(|(r, h)| json!({ "pair": [r, h] })).collect();
    let answers = oracle::run_jsonl("rouge.py", &[], &requests);

    let (mut raising, mut recursion, mut near, mut above, mut asymmetric) = (0, 0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for ((reference, hypothesis), answer) in pairs.iter().zip(&answers) {
        let python = answer["bits"].as_u64();
        let ours = rouge_l_f(reference, hypothesis);
        if ours.map(f64::to_bits) != python {
            mismatches.push(format!(
                "{reference:?} / {hypothesis:?}: ours {ours:?}, Python {python:?} ({})",
                answer["error"]
            ));
        }
        let crab = answer["crab_bits"].as_u64().expect("crab_bits");
        assert_eq!(
            crab_score(reference, hypothesis).to_bits(),
            crab,
            "{reference:?} / {hypothesis:?}"
        );
        match (python, answer["error"].as_str()) {
            (None, Some(error)) => {
                raising += 1;
                if error == "RecursionError" {
                    recursion += 1;
                }
            }
            (Some(bits), None) => {
                let f = f64::from_bits(bits);
                near += usize::from((f - DUPLICATE_THRESHOLD).abs() < 0.05);
                above += usize::from(f > DUPLICATE_THRESHOLD);
            }
            other => panic!("unexpected oracle answer {other:?}"),
        }
        if rouge_l_f(reference, hypothesis) != rouge_l_f(hypothesis, reference) {
            asymmetric += 1;
        }
    }
    println!(
        "{} pairs: {raising} raise ({recursion} RecursionError), {above} above {DUPLICATE_THRESHOLD}, \
         {near} within 0.05 of it, {asymmetric} asymmetric; {} mismatches",
        pairs.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
    // The cases this test is for must all occur.
    assert!(pairs.len() > 4000 && raising > 20 && recursion > 10 && near > 100 && above > 300);
    assert!(asymmetric > 10);
}

/// Lists of constraints with clusters of near-copies, so that conflict graphs of every shape
/// occur (chains, stars, cliques, ties in degree), sometimes with an empty text (which raises,
/// so CRAB scores it a duplicate of everything).
fn dedup_lists() -> Vec<Vec<String>> {
    let mut lists: Vec<Vec<String>> = crab_records().into_iter().map(|(_, c)| c).collect();
    let mut rng = Rng(0x44_4544_5550);
    for _ in 0..400 {
        let bases: Vec<String> = (0..1 + rng.below(4)).map(|_| crab_like(&mut rng)).collect();
        let list = (0..2 + rng.below(12))
            .map(|_| match rng.below(20) {
                0 => String::new(),
                1..=3 => crab_like(&mut rng),
                4..=6 => bases[rng.below(bases.len())].clone(),
                _ => {
                    let base = bases[rng.below(bases.len())].clone();
                    mutate(&mut rng, &base)
                }
            })
            .collect();
        lists.push(list);
    }
    lists
}

#[test]
fn crab_duplicates_follows_crabs_loop() {
    let lists = dedup_lists();
    let requests: Vec<Value> = lists.iter().map(|l| json!({ "dedup": l })).collect();
    let answers = oracle::run_jsonl("rouge.py", &[], &requests);
    let (mut with_deletions, mut several, mut deleted) = (0, 0, 0);
    for (list, answer) in lists.iter().zip(&answers) {
        let texts: Vec<&str> = list.iter().map(String::as_str).collect();
        let python: Vec<(usize, usize)> = answer["deleted"]
            .as_array()
            .expect("deleted")
            .iter()
            .map(|p| {
                (p[0].as_u64().expect("index") as usize, p[1].as_u64().expect("index") as usize)
            })
            .collect();
        assert_eq!(crab_duplicates(&texts), python, "{texts:?}");
        with_deletions += usize::from(!python.is_empty());
        several += usize::from(python.len() >= 3);
        deleted += python.len();
    }
    println!(
        "{} lists ({} texts): {with_deletions} with deletions, {several} with 3 or more, \
         {deleted} deleted",
        lists.len(),
        lists.iter().map(Vec::len).sum::<usize>()
    );
    assert!(with_deletions > 150 && several > 50);
}

/// The sample is the filter's own output, so it must look filtered to us: no two constraints of
/// a record conflict any more, and each record's `overlap` (the first stage's count of
/// constraints scoring above 0.6 against the refined instruction; empty ones are skipped) is the
/// count over its constraints.
#[test]
fn crab_sample_looks_filtered() {
    let records = sample();
    let mut overlapping = 0;
    for (record, (refined, constraints)) in records.iter().zip(crab_records()) {
        let texts: Vec<&str> = constraints.iter().map(String::as_str).collect();
        assert_eq!(crab_duplicates(&texts), vec![], "record {}", record["id"]);
        let refined = refined.unwrap_or_default();
        let overlap = if refined.is_empty() {
            0
        } else {
            texts
                .iter()
                .filter(|t| !t.is_empty() && crab_score(&refined, t) > DUPLICATE_THRESHOLD)
                .count()
        };
        assert_eq!(Some(overlap as u64), record["overlap"].as_u64(), "record {}", record["id"]);
        overlapping += usize::from(overlap > 0);
    }
    assert_eq!(records.len(), 20);
    assert!(overlapping > 0, "some record overlaps its refined instruction");
}
