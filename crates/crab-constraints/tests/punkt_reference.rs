//! Punkt against NLTK 3.10.4: the 541 GPT-4 responses against the recorded IFEval text stats,
//! and a differential test against `scripts/oracle/punkt.py` on generated hard cases.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::text::punkt::{count_sentences, sentence_spans, sentences};
use data::{gpt4_responses, text_stats};
use rng::Rng;
use serde_json::{json, Value};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/punkt/english");

#[test]
fn gpt4_responses_match_recorded_punkt_sentences() {
    let stats = text_stats();
    let responses = gpt4_responses();
    let mut agree = 0;
    let mut failures = Vec::new();
    for (key, response) in &responses {
        let expected = &stats[key];
        let want: Vec<&str> = expected["punkt_sentences"]
            .as_array()
            .expect("punkt_sentences")
            .iter()
            .map(|s| s.as_str().expect("str"))
            .collect();
        let want_count = expected["count_sentences_punkt"].as_u64().expect("count") as usize;
        let got = sentences(response);
        if got == want && count_sentences(response) == want_count && want.len() == want_count {
            agree += 1;
        } else {
            failures.push(*key);
        }
    }
    println!(
        "punkt GPT-4 responses: {agree}/{} equal (sentences and count_sentences_punkt)",
        responses.len()
    );
    assert!(failures.is_empty(), "keys that differ: {failures:?}");
}

// ---------------------------------------------------------------------------------------------
// Differential test against the Python oracle.

const ABBREVS: &[&str] = &[
    "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "e.g.", "i.e.", "etc.", "U.S.", "U.S.A.", "Jan.", "Feb.",
    "Sept.", "Inc.", "Ltd.", "Corp.", "Co.", "Jr.", "Sr.", "St.", "vs.", "a.m.", "p.m.", "Ph.D.",
    "No.", "Fig.", "Gen.", "Sen.", "Calif.", "U.K.", "U.N.", "Mt.", "Ave.", "approx.", "anti-Dr.",
    "ex-Gen.", "co.", "Messrs.",
];

const WORDS: &[&str] = &[
    "the", "cat", "sat", "He", "She", "It", "They", "said", "was", "went", "home", "Smith",
    "Jones", "Tolkien", "Paris", "London", "apple", "world", "data", "model", "However",
    "Moreover", "In", "When", "I", "a", "an", "and", "of", "to", "is", "new", "York", "Bach",
    "Walter", "review", "Who", "Business", "then", "later", "see", "above", "Then", "item",
    "price", "million", "percent", "Chapter", "section", "Section", "one", "Two", "THE", "END",
];

const PUNCT_TAILS: &[&str] = &[
    ".",
    ".",
    ".",
    "?",
    "!",
    "?!",
    "!!!",
    "...",
    ". . .",
    "\u{2026}",
    "..",
    ".\"",
    ".'",
    ".)",
    ".]",
    ".\u{201d}",
    ".\u{2019}",
    ".\u{bb}",
    "?\"",
    "!)",
    ".\")",
    ",",
    ";",
    ":",
    "",
    "",
    ".--",
    ". --",
    ".*",
    ".**",
    "\u{964}",
    ".\u{a0}",
    ".\u{2028}",
    ".\u{1c}",
    ".\u{200b}",
    ".-",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", " ", "  ", "\n", "\n\n", "\t", " \n ", "\r\n", "\u{a0}", "\u{2028}", "\u{3000}",
    "\u{1c}", "\u{1f}", "\u{200b}", "\u{85}", "\x0b", "\x0c", "",
];

const SPECIALS: &[&str] = &[
    "J. R. R. Tolkien",
    "J.R.R. Tolkien",
    "\"Stop.\" He said.",
    "(see above.) Then",
    "(see above.)Then",
    "3.14",
    "1.",
    "2.5 million",
    "No. 5",
    "No. 5.",
    "1st.",
    "2nd.",
    "21st",
    "100,000.",
    "-3.5.",
    ".5",
    "1. item\n2. item\n3. item",
    "- bullet one.\n- bullet two.",
    "* star item.\n* another",
    "**Bold.**",
    "*x*",
    "# Heading\n",
    "## Title.\n\n",
    "```\ncode.\n```",
    "Hindi: \u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}\u{964} \u{915}\u{948}\u{938}\u{947}\u{964}",
    "stra\u{df}e.",
    "\u{130}stanbul.",
    "\u{130}. \u{130}",
    "\u{3a3}\u{391}\u{3a3}. \u{3a3}",
    "\u{4e2d}\u{6587}\u{3002}\u{6587}.",
    "caf\u{e9}\u{301}. E\u{301}t\u{e9}",
    "e\u{301}. Next",
    "x\u{b2}. Y",
    "\u{1d400}. B",
    "A.\u{a0}B.",
    "U.S.A.\u{2028}Next",
    "word\u{1c}. Next",
    "[1] Ref.",
    "{brace.} Next",
    "'single.' quote",
    "\u{ab}Guillemet.\u{bb} Next",
    "\u{201c}Curly.\u{201d} Next",
    "\u{2018}Curly.\u{2019} Next",
    "Wait... what?",
    "a. . . . b",
    "a. . . .b",
    ". . . . x",
    "x . . . . . Y",
    "a. . .. b",
    "Wait. . . What?",
    "Wait .. . What",
    "Really?! Yes!",
    "Hmm?? ok!!",
    "e.g. The",
    "i.e. the",
    "etc. The",
    "etc. In",
    "Dr. However",
    "U.S. However",
    "a. However",
    "b. Smith",
    "j. Walter",
    "5. Review",
    "5. review",
    "1. Who",
    "Mr.Smith",
    "end.Next",
    "end .Next",
    "end . Next",
    "x.--y",
    "x. --y",
    "\"Yes.\"--he said",
    "end.\"\n\"Start",
    "end.)\n(Start",
    "(a.) (b.) (c.)",
    "a.\"\" b",
    "##NUMBER##. Review",
    "##number##. who",
    "email@example.com. Next",
    "http://example.com/a.b. Next",
    "$5.00. Cost",
    "50%. Next",
    "A&M. Next",
    "#hashtag. Next",
    "@user. Next",
    "`code.` Next",
    ":colon. Next",
    "-dash. Next",
    ",comma. Next",
    "a.,b",
    "a., b",
    "word,\"x",
    "a,--b",
    "a,. . .b",
    "ends with abbreviation Dr.",
    "ends with e.g.",
    "   ",
    "\u{feff}BOM. Next",
    "tab.\tNext",
    "\u{fb01}. Fi",
    "\u{1c4}. \u{1c5}. \u{1c6}.",
];

struct Gen<'a> {
    rng: Rng,
    model_abbrevs: Vec<&'a str>,
    starters: Vec<&'a str>,
    ortho_types: Vec<&'a str>,
    gpt4_sentences: Vec<&'a str>,
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Gen<'_> {
    fn word(&mut self) -> String {
        let r = self.rng.below(100);
        let w = if r < 35 {
            self.rng.pick(WORDS).to_owned()
        } else if r < 65 {
            self.rng.pick(&self.ortho_types).to_owned()
        } else if r < 80 {
            self.rng.pick(&self.starters).to_owned()
        } else if r < 90 {
            format!("{}.", self.rng.pick(&self.model_abbrevs))
        } else {
            self.rng.pick(ABBREVS).to_owned()
        };
        match self.rng.below(4) {
            0 => capitalize(&w),
            1 if self.rng.chance(20) => w.to_uppercase(),
            _ => w,
        }
    }

    fn piece(&mut self) -> String {
        let r = self.rng.below(100);
        if r < 4 {
            self.unicode_word()
        } else if r < 8 {
            self.soup()
        } else if r < 15 {
            self.rng.pick(SPECIALS).to_owned()
        } else if r < 30 && !self.gpt4_sentences.is_empty() {
            self.rng.pick(&self.gpt4_sentences).to_owned()
        } else if r < 40 {
            self.rng.pick(ABBREVS).to_owned()
        } else if r < 50 {
            format!("{}.", capitalize(self.rng.pick(&self.model_abbrevs)))
        } else if r < 55 {
            let n = self.rng.below(2000);
            match self.rng.below(4) {
                0 => format!("{n}."),
                1 => format!("{n}.{}", self.rng.below(100)),
                2 => format!("{n},{:03}", self.rng.below(1000)),
                _ => format!("{n}"),
            }
        } else if r < 60 {
            // Initials.
            let c = char::from(b'A' + self.rng.below(26) as u8);
            if self.rng.chance(30) {
                format!("{}.", c.to_ascii_lowercase())
            } else {
                format!("{c}.")
            }
        } else {
            let mut s = self.word();
            if self.rng.chance(40) {
                s.push_str(self.rng.pick(PUNCT_TAILS));
            }
            s
        }
    }

    /// A short run of the characters Punkt's patterns care about.
    fn soup(&mut self) -> String {
        const ALPHABET: &[&str] = &[
            ".", ".", ".", " ", " ", " ", "?", "!", "\"", "'", ")", "(", "-", ",", ":", ";", "\n",
            "A", "a", "I", "1", "\u{2026}", "\u{201d}", "\u{a0}", "\u{1c}", "*", "]", "}", "`",
            "&", "#", "@", "\t", "e", "g", "x", "Dr", "The",
        ];
        let n = 1 + self.rng.below(16);
        (0..n).map(|_| self.rng.pick(ALPHABET)).collect()
    }

    /// A word of random code points from scripts and classes that differ between engines.
    fn unicode_word(&mut self) -> String {
        const RANGES: &[(u32, u32)] = &[
            (0x1c, 0x1f),
            (0xa0, 0x24f),
            (0x300, 0x36f),
            (0x370, 0x3ff),
            (0x400, 0x4ff),
            (0x900, 0x97f),
            (0x1e00, 0x1fff),
            (0x2000, 0x206f),
            (0x2150, 0x218f),
            (0x3000, 0x303f),
            (0x4e00, 0x4e3f),
            (0xff00, 0xffef),
            (0x10400, 0x1044f),
            (0x1d400, 0x1d4ff),
            (0x1f600, 0x1f64f),
        ];
        let n = 1 + self.rng.below(6);
        let mut out = String::new();
        for _ in 0..n {
            let (lo, hi) = RANGES[self.rng.below(RANGES.len())];
            let cp = lo + self.rng.below((hi - lo + 1) as usize) as u32;
            out.extend(char::from_u32(cp));
            if self.rng.chance(20) {
                out.push_str(self.rng.pick(&[".", ". ", " ", "-"]));
            }
        }
        out
    }

    fn text(&mut self) -> String {
        let mut out = String::new();
        if self.rng.chance(10) {
            out.push_str(self.rng.pick(SEPARATORS));
        }
        let n = 1 + self.rng.below(14);
        for i in 0..n {
            if i > 0 {
                out.push_str(self.rng.pick(SEPARATORS));
            }
            out.push_str(&self.piece());
        }
        if self.rng.chance(15) {
            out.push_str(self.rng.pick(SEPARATORS));
        }
        out
    }
}

/// The oracle's sentence spans (byte offsets) for each text.
fn run_oracle(texts: &[String]) -> Vec<Vec<(usize, usize)>> {
    let requests: Vec<Value> = texts.iter().map(|t| json!({ "text": t })).collect();
    oracle::run_jsonl("punkt.py", &[], &requests)
        .iter()
        .map(|v| {
            v["spans"]
                .as_array()
                .expect("spans")
                .iter()
                .map(|p| {
                    let offset = |i: usize| p[i].as_u64().expect("offset") as usize;
                    (offset(0), offset(1))
                })
                .collect()
        })
        .collect()
}

/// An optional numeric override from the environment (to fuzz longer by hand).
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn differential_against_nltk() {
    let read = |name: &str| {
        std::fs::read_to_string(format!("{MODEL}/{name}"))
            .unwrap_or_else(|e| panic!("reading {name}: {e}"))
    };
    let abbrev_text = read("abbrev_types.txt");
    let starters_text = read("sent_starters.txt");
    let ortho_text = read("ortho_context.tab");
    let responses = gpt4_responses();
    let gpt4_sentences: Vec<&str> = responses
        .iter()
        .flat_map(|(_, r)| sentence_spans(r).into_iter().map(move |s| s.slice(r)))
        .collect();
    let mut generator = Gen {
        rng: Rng(env_number("CRAB_DIFF_SEED", 0x05EE_D0F9_A4C7)),
        model_abbrevs: abbrev_text.lines().collect(),
        starters: starters_text.lines().collect(),
        ortho_types: ortho_text.lines().filter_map(|l| l.split('\t').next()).collect(),
        gpt4_sentences,
    };

    let mut texts: Vec<String> = vec![
        String::new(),
        " ".into(),
        "\n\n".into(),
        ".".into(),
        "...".into(),
        "?!".into(),
        "\u{1c}".into(),
        "a".into(),
    ];
    texts.extend(SPECIALS.iter().map(|s| (*s).to_owned()));
    texts.extend(responses.iter().map(|(_, r)| r.clone()));
    for _ in 0..env_number("CRAB_DIFF_CASES", 3000) {
        texts.push(generator.text());
    }
    // Recombined GPT-4 responses: halves of two responses glued together.
    for _ in 0..200 {
        let a = &responses[generator.rng.below(responses.len())].1;
        let b = &responses[generator.rng.below(responses.len())].1;
        let cut_a = a.char_indices().nth(a.chars().count() / 2).map_or(0, |(i, _)| i);
        let cut_b = b.char_indices().nth(b.chars().count() / 3).map_or(0, |(i, _)| i);
        texts.push(format!("{}{}", &a[..cut_a], &b[cut_b..]));
    }

    let expected = run_oracle(&texts);
    let mut agree = 0;
    let mut shown = 0;
    for (text, want) in texts.iter().zip(&expected) {
        let got: Vec<(usize, usize)> =
            sentence_spans(text).into_iter().map(|s| (s.start, s.end)).collect();
        if &got == want {
            agree += 1;
        } else if shown < 10 {
            shown += 1;
            eprintln!("MISMATCH {text:?}\n  rust:   {got:?}\n  python: {want:?}");
        }
    }
    println!("punkt differential: {agree}/{} cases equal", texts.len());
    assert_eq!(agree, texts.len());
}
