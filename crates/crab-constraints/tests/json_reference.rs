//! Differential test of `text::json` against CPython 3.11's `json.loads`
//! (`scripts/oracle/json_loads.py`, run with `CRAB_PYTHON`, default
//! `<workspace>/.venv/bin/python`; a missing interpreter fails the test).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::text::json::{python_json_loads, JsonErrorKind, MAX_DEPTH};
use rng::Rng;
use serde_json::{json, Value};

/// What `json.loads` does with each text, via `scripts/oracle/json_loads.py`.
fn python_answers(texts: &[String]) -> Vec<Value> {
    let requests: Vec<Value> = texts.iter().map(|t| json!({ "text": t })).collect();
    oracle::run_jsonl("json_loads.py", &[], &requests)
}

const WS: &[&str] = &["", "", " ", "\n", "\t", "\r\n", "  "];

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "42",
    "-17",
    "3.14",
    "-0.5",
    "1e10",
    "1E-7",
    "2.5e+3",
    "1e400",
    "-1e400",
    "0.0",
    "123456789012345678901234567890",
    "01",
    "1.",
    ".5",
    "-",
    "1e",
    "+1",
    "1e+",
    "1.e5",
    "-01",
    "١٢",
    "٣",
    "１",
    "0x1F",
    "1_000",
    "NaN",
    "Infinity",
    "-Infinity",
    "nan",
    "inf",
    "-inf",
    "Inf",
    "NAN",
    "infinity",
    "-NaN",
    "+Infinity",
    "--1",
    "0e0",
    "0E+0",
    "1.5E",
    "00",
];

const STRINGS: &[&str] = &[
    r#""""#,
    r#""hello""#,
    r#""a\"b""#,
    r#""\\""#,
    r#""\/\b\f\n\r\t""#,
    r#""\u0041\u00e9""#,
    r#""\ud83d\ude00""#,
    r#""\ud800""#,
    r#""\udc00x""#,
    r#""\uD834\uDD1E""#,
    r#""\u12""#,
    r#""\uZZZZ""#,
    r#""\x41""#,
    r#""\a""#,
    r#""\'""#,
    r#""\U0001F600""#,
    "\"tab\there\"",
    "\"nl\nhere\"",
    "\"nul\u{0}\"",
    "\"del\u{7f}\"",
    "\"é中文😀\"",
    "\"\u{1f}\"",
    "\"\u{2028}\u{a0}\"",
    "'single'",
    "\"unterminated",
    "\"ends with backslash\\",
];

fn gen_value(rng: &mut Rng, depth: usize) -> String {
    let ws = |rng: &mut Rng| rng.pick(WS).to_owned();
    match rng.below(if depth > 4 { 5 } else { 8 }) {
        0 => rng.pick(&["null", "true", "false", "NaN", "Infinity", "-Infinity"]).to_owned(),
        1 | 2 => rng.pick(NUMBERS).to_owned(),
        3 | 4 => rng.pick(STRINGS).to_owned(),
        5 => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n)
                .map(|_| format!("{}{}{}", ws(rng), gen_value(rng, depth + 1), ws(rng)))
                .collect();
            format!("[{}{}]", items.join(","), ws(rng))
        }
        _ => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n)
                .map(|_| {
                    let key = if rng.below(8) == 0 {
                        rng.pick(&["\"dup\"", "1", "null", "'k'", "k"]).to_owned()
                    } else {
                        rng.pick(&["\"a\"", "\"b\"", "\"key\"", "\"dup\"", "\"é\""]).to_owned()
                    };
                    let colon = if rng.below(25) == 0 { " " } else { ":" };
                    format!(
                        "{}{key}{}{colon}{}{}{}",
                        ws(rng),
                        ws(rng),
                        ws(rng),
                        gen_value(rng, depth + 1),
                        ws(rng)
                    )
                })
                .collect();
            format!("{{{}{}}}", items.join(","), ws(rng))
        }
    }
}

const INSERTS: &[&str] = &[
    "\u{0}",
    "\u{1}",
    "\u{1f}",
    "\u{b}",
    "\u{c}",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "\u{3000}",
    "١",
    "+",
    "-",
    ".",
    "e",
    "E",
    ",",
    ":",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "\\",
    "\\u",
    "NaN",
    "nan",
    "inf",
    "Infinity",
    "-Infinity",
    "x",
    "0",
    "00",
    " ",
    "\n",
    "\t",
    "\r",
    "é",
    "😀",
    "/",
    "'",
];

fn mutate(rng: &mut Rng, mut text: String) -> String {
    let boundary = |text: &str, rng: &mut Rng| {
        let mut i = rng.below(text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match rng.below(12) {
        0 => {
            let i = boundary(&text, rng);
            text.truncate(i);
        }
        1 => text.push_str(rng.pick(&[" x", "}", "]", " 1", "\n```", ",", " ", "\n\n", "\u{a0}"])),
        2 | 3 => {
            let i = boundary(&text, rng);
            text.insert_str(i, rng.pick(INSERTS));
        }
        4 => {
            let i = boundary(&text, rng);
            if let Some(c) = text[i..].chars().next() {
                text.replace_range(i..i + c.len_utf8(), "");
            }
        }
        5 => text = format!("```json\n{text}\n```"),
        6 => text = format!("\u{feff}{text}"),
        7 => text = format!("{}{text}{}", rng.pick(WS), rng.pick(&["\u{b}", "\u{c}", " \r\n", ""])),
        _ => {}
    }
    text
}

fn deep(rng: &mut Rng) -> String {
    // Depths near CPython's limit (whose exact value depends on the caller's stack) are avoided.
    let depth =
        *[1usize, 2, 10, 50, 200, 500, 900, 1100, 2000, 20000].get(rng.below(10)).unwrap_or(&1);
    let (open, close) = match rng.below(3) {
        0 => ("[".to_owned(), "]".to_owned()),
        1 => ("{\"a\":".to_owned(), "}".to_owned()),
        _ => ("[{\"k\": [".to_owned(), "]}]".to_owned()),
    };
    let inner = if rng.below(2) == 0 { "1" } else { "" };
    let closing = if rng.below(4) == 0 { 0 } else { depth };
    format!("{}{inner}{}", open.repeat(depth), close.repeat(closing))
}

fn big_int(rng: &mut Rng) -> String {
    let digits = *[4299usize, 4300, 4301, 5000].get(rng.below(4)).unwrap_or(&4300);
    let mut s = "7".repeat(digits);
    match rng.below(5) {
        0 => s.insert(0, '-'),
        1 => s.push_str(".0"),
        2 => s.push_str("e0"),
        3 => s = format!("[{s}, 1]"),
        _ => {}
    }
    s
}

fn random_chars(rng: &mut Rng) -> String {
    const ALPHABET: &[char] = &[
        '[', ']', '{', '}', '"', ':', ',', '1', '0', '-', '.', 'e', ' ', '\\', 'u', 'n', 't', 'N',
        'I', 'a', '\n',
    ];
    (0..rng.below(10)).map(|_| rng.pick(ALPHABET)).collect()
}

#[test]
fn generated_json_matches_python() {
    let mut rng = Rng(0x00C0_FFEE_150A);
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..4000 {
        let text = match rng.below(10) {
            0 => deep(&mut rng),
            1 => random_chars(&mut rng),
            2 if rng.below(4) == 0 => big_int(&mut rng),
            _ => {
                let v = format!("{}{}{}", rng.pick(WS), gen_value(&mut rng, 0), rng.pick(WS));
                mutate(&mut rng, v)
            }
        };
        texts.push(text);
    }
    let answers = python_answers(&texts);

    let (mut valid, mut messages_equal, mut recursion) = (0, 0, 0);
    let mut failures = Vec::new();
    for (text, want) in texts.iter().zip(&answers) {
        let got = python_json_loads(text);
        let python_ok = want["ok"] == true;
        valid += usize::from(python_ok);
        let short: String = text.chars().take(80).collect();
        if got.is_ok() != python_ok {
            failures.push(format!("validity of {short:?}: python {want} ours {got:?}"));
            continue;
        }
        let Err(err) = got else {
            messages_equal += 1;
            continue;
        };
        let same = match want["kind"].as_str() {
            Some("decode") => {
                err.kind == JsonErrorKind::Decode
                    && want["str"] == err.to_string().as_str()
                    && want["pos"] == err.pos
            }
            Some("value") => {
                err.kind == JsonErrorKind::IntTooLong && want["str"] == err.to_string().as_str()
            }
            Some("recursion") => {
                recursion += 1;
                err.kind == JsonErrorKind::RecursionLimit
            }
            _ => false,
        };
        if same {
            messages_equal += 1;
        } else {
            failures.push(format!("error for {short:?}: python {want} ours {err:?}"));
        }
    }
    eprintln!(
        "{} cases ({valid} valid, {recursion} RecursionError): validity equal for {}, \
         exception and message equal for {messages_equal}; MAX_DEPTH {MAX_DEPTH}",
        texts.len(),
        texts.len() - failures.iter().filter(|f| f.starts_with("validity")).count(),
    );
    assert!(
        failures.is_empty(),
        "{} failures: {:#?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
}
