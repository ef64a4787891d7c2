//! Reading JSONL files the same way in every front end: the `crab` CLI (which streams files)
//! and the browser's batch view (which reads a whole file the person picked).
//!
//! Both must agree on what a line is, which lines count, and what a bad line does, so that a file
//! one of them reads the other reads too, with the same line numbers in messages. The rules follow
//! Python's reader (`for line in open(path): json.loads(line)`, as Google's code reads its files)
//! wherever it is sound, and are lenient where it would crash on something harmless:
//!
//! - lines end at `\n`, `\r\n` or a lone `\r` (Python's text mode) and are numbered from 1;
//! - a UTF-8 byte-order mark at the start of the file is skipped (Windows editors write one;
//!   Python's `open()` keeps it and `json.loads` then fails on the first line); a file that starts
//!   with a UTF-16 mark is refused as a whole, since every line of it would be bad;
//! - blank lines (nothing but spaces and tabs) are skipped, and still counted;
//! - each other line is one JSON value; a line that is not UTF-8 or not JSON is a bad row;
//! - `NaN`, `Infinity`, `-Infinity` and numbers too large for a double, which Python's
//!   `json.loads` reads and serde_json refuses, are read as `null` and remembered with their path
//!   ([`Row::refuse_python_numbers`]): a row with one in a field the command uses is refused with
//!   the field named, one elsewhere (a field the command ignores, as Google's code ignores it)
//!   does no harm. Duplicate keys in an object keep the last value, as in Python.
//!
//! The library does no IO: [`Splitter`] finds the lines in the bytes a caller has read (a whole
//! file, or a streaming reader's chunks that each end at `\n`), and [`parse`] reads one line.

use std::fmt;
use std::ops::Range;

use serde_json::Value;

/// The UTF-8 encoding of U+FEFF, the byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a file that starts with a UTF-16 byte-order mark is refused.
pub const UTF16_MESSAGE: &str = "it starts with a UTF-16 byte-order mark, and crab reads UTF-8 \
                                 (convert it first, e.g. with `iconv -f UTF-16 -t UTF-8`)";

/// Finds a file's lines, numbered, as Python's text mode splits them; blank lines skipped but
/// counted. Feed it the file in chunks that each end at a `\n` (or the file's end): a line never
/// spans two chunks, since `\r\n` ends at the `\n` and a lone `\r` splits within a chunk.
#[derive(Clone, Debug, Default)]
pub struct Splitter {
    /// The number of the last line returned or skipped.
    number: usize,
    started: bool,
}

impl Splitter {
    /// A splitter at the start of a file.
    pub fn new() -> Splitter {
        Splitter::default()
    }

    /// Where to start reading a new `chunk`: past the byte-order mark at the very start of the
    /// file, else 0. A file that starts with a UTF-16 mark is an error ([`UTF16_MESSAGE`]).
    pub fn start(&mut self, chunk: &[u8]) -> Result<usize, &'static str> {
        if self.started {
            return Ok(0);
        }
        self.started = true;
        if chunk.starts_with(b"\xFF\xFE") || chunk.starts_with(b"\xFE\xFF") {
            return Err(UTF16_MESSAGE);
        }
        Ok(if chunk.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 })
    }

    /// The next non-blank line of `chunk` at or after `*pos` (its number and its range in
    /// `chunk`, without the line ending), moving `*pos` past it; `None` when the chunk is used up.
    pub fn next_in(&mut self, chunk: &[u8], pos: &mut usize) -> Option<(usize, Range<usize>)> {
        while *pos < chunk.len() {
            let start = *pos;
            let rest = chunk.get(start..).unwrap_or_default();
            let len = line_end(rest);
            let ending = match rest.get(len..len + 2) {
                Some(b"\r\n") => 2,
                _ if len < rest.len() => 1,
                _ => 0,
            };
            *pos = start + len + ending;
            self.number += 1;
            let line = start..start + len;
            let blank = |line: &[u8]| line.iter().all(|&b| b == b' ' || b == b'\t');
            if !blank(chunk.get(line.clone()).unwrap_or_default()) {
                return Some((self.number, line));
            }
        }
        None
    }
}

/// The length of the first line of `bytes`: the index of the first `\n` or `\r`, or the
/// length of `bytes` when there is none.
///
/// Eight bytes at a time (lines of JSON are long: a response row is a kilobyte or more, and a
/// byte-by-byte scan took as long as parsing its JSON).
fn line_end(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Whether some byte of `x` is zero: exact (no false positives), as the borrow of
    // `x - ONES` only reaches a byte above a zero byte, which this tests anyway.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        if has_zero(x ^ (ONES * u64::from(b'\n'))) || has_zero(x ^ (ONES * u64::from(b'\r'))) {
            break;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len())
}

/// The non-blank lines of a whole file, each with its 1-based number.
pub fn lines(file: &[u8]) -> Result<Vec<(usize, &[u8])>, &'static str> {
    let mut splitter = Splitter::new();
    let mut pos = splitter.start(file)?;
    let mut out = Vec::new();
    while let Some((n, range)) = splitter.next_in(file, &mut pos) {
        out.push((n, file.get(range).unwrap_or_default()));
    }
    Ok(out)
}

/// One line, parsed.
#[derive(Debug)]
pub struct Row {
    /// The JSON value, with every number only Python reads replaced by `null`.
    pub value: Value,
    /// Those numbers: where they were and how they were written.
    python_numbers: Vec<(Path, String)>,
}

/// Where a value sits in a JSON document: object keys and list indices from the top.
#[derive(Clone, Debug, Default, PartialEq)]
struct Path(Vec<Step>);

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

impl fmt::Display for Path {
    /// `kwargs[0].num_words`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Parses one line. Errors say what is wrong and where (the byte column), never quote the line.
pub fn parse(line: &[u8]) -> Result<Row, String> {
    let text = std::str::from_utf8(line)
        .map_err(|e| format!("not valid UTF-8 at column {}", e.valid_up_to() + 1))?;
    match serde_json::from_str(text) {
        Ok(value) => Ok(Row { value, python_numbers: Vec::new() }),
        Err(e) => with_python_numbers(text).ok_or_else(|| {
            let message = e.to_string();
            // serde_json ends its messages with " at line 1 column N"; the line is ours to name.
            let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
            format!("not valid JSON at column {}: {message}", e.column())
        }),
    }
}

/// The prefix of the strings that stand for Python-only numbers while the line is re-parsed. A
/// NUL cannot occur in a JSON string unescaped, and no real data starts a string with this.
const STAND_IN: &str = "\u{0}crab:python-number:";

/// Parses a line that serde_json refused, reading `NaN`, `Infinity`, `-Infinity` and numbers
/// that overflow a double as Python does (as `null` here, with their paths). `None` if the line
/// has none of them, or is not JSON even with them read.
fn with_python_numbers(text: &str) -> Option<Row> {
    let tokens = python_number_tokens(text);
    if tokens.is_empty() {
        return None;
    }
    let mut replaced = String::with_capacity(text.len() + 32 * tokens.len());
    let mut from = 0;
    for (i, &(start, end)) in tokens.iter().enumerate() {
        replaced.push_str(text.get(from..start)?);
        replaced.push_str(&format!("\"\\u0000{}{i}\"", STAND_IN.trim_start_matches('\0')));
        from = end;
    }
    replaced.push_str(text.get(from..)?);
    let mut value: Value = serde_json::from_str(&replaced).ok()?;
    let mut found = Vec::new();
    take_stand_ins(&mut value, &mut Path::default(), &mut found);
    // Each stand-in must come back once, as a value (a `NaN` used as an object key would not).
    found.sort_by_key(|&(i, _)| i);
    if found.len() != tokens.len() || found.iter().enumerate().any(|(n, &(i, _))| n != i) {
        return None;
    }
    let python_numbers = found
        .into_iter()
        .zip(&tokens)
        .map(|((_, path), &(start, end))| (path, text.get(start..end).unwrap_or("").to_owned()))
        .collect();
    Some(Row { value, python_numbers })
}

/// Replaces every stand-in string in `value` by `null`, collecting its index and path.
fn take_stand_ins(value: &mut Value, path: &mut Path, found: &mut Vec<(usize, Path)>) {
    match value {
        Value::String(s) => {
            if let Some(i) = s.strip_prefix(STAND_IN).and_then(|i| i.parse().ok()) {
                found.push((i, path.clone()));
                *value = Value::Null;
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.0.push(Step::Index(i));
                take_stand_ins(item, path, found);
                path.0.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                path.0.push(Step::Key(key.clone()));
                take_stand_ins(item, path, found);
                path.0.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The byte ranges, outside strings, of `NaN`, `Infinity`, `-Infinity` and of numbers whose
/// value overflows a double (`1e400`, a 400-digit integer): what Python's `json.loads` reads as
/// `nan`, `inf`, `-inf` (or a big integer) and serde_json refuses.
fn python_number_tokens(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let at = |i: usize, word: &[u8]| bytes.get(i..).is_some_and(|rest| rest.starts_with(word));
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
            }
            b'N' if at(i, b"NaN") => {
                tokens.push((i, i + 3));
                i += 3;
            }
            b'I' if at(i, b"Infinity") => {
                tokens.push((i, i + 8));
                i += 8;
            }
            b'-' if at(i, b"-Infinity") => {
                tokens.push((i, i + 9));
                i += 9;
            }
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                if text
                    .get(i..end)
                    .and_then(|n| n.parse::<f64>().ok())
                    .is_some_and(f64::is_infinite)
                {
                    tokens.push((i, end));
                }
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    tokens
}

/// The end of the JSON number that starts at `start`: `-? digits (. digits)? ([eE] [+-]? digits)?`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = start + usize::from(bytes.get(start) == Some(&b'-'));
    i = digits(i);
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(i);
    }
    i
}

impl Row {
    /// Fails if a number only Python reads (see the module docs) is in one of `fields`, the
    /// top-level fields the command uses; the message names the field (and for an IFEval
    /// `kwargs` item, its instruction id) and says why.
    pub fn refuse_python_numbers(&self, fields: &[&str]) -> Result<(), String> {
        let used = |path: &Path| matches!(path.0.first(), Some(Step::Key(k)) if fields.contains(&k.as_str()));
        let Some((path, token)) = self.python_numbers.iter().find(|(path, _)| used(path)) else {
            return Ok(());
        };
        let id = match path.0.as_slice() {
            [Step::Key(k), Step::Index(i), ..] if k == "kwargs" => self
                .value
                .get("instruction_id_list")
                .and_then(|ids| ids.get(i))
                .and_then(Value::as_str)
                .map(|id| format!(" (for `{id}`)")),
            _ => None,
        };
        let shown = match token.get(..20) {
            Some(start) if token.len() > 24 => format!("{start}…"),
            _ => token.clone(),
        };
        let what = match token.as_str() {
            "NaN" | "Infinity" | "-Infinity" => "not a JSON number",
            _ => "too large for a double (Python reads it as infinity or a big integer)",
        };
        Err(format!(
            "field `{path}`{} is {shown}: {what}; crab refuses NaN and infinite numbers in the \
             fields it uses",
            id.unwrap_or_default()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(bytes: &[u8]) -> Result<Vec<(usize, String)>, &'static str> {
        Ok(super::lines(bytes)?
            .into_iter()
            .map(|(n, line)| (n, String::from_utf8_lossy(line).into_owned()))
            .collect())
    }

    fn texts(bytes: &[u8]) -> Vec<String> {
        lines(bytes).unwrap().into_iter().map(|(_, l)| l).collect()
    }

    #[test]
    fn lines_split_like_python_text_mode_and_skip_blank_ones() {
        assert_eq!(texts(b"a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(texts(b"a\n"), ["a"]);
        assert_eq!(texts(b"a\r\n\r\n"), ["a"]);
        assert!(texts(b"").is_empty());
        let numbered = lines(b"a\n\n \t\r\nb\r\rc").unwrap();
        assert_eq!(numbered, [(1, "a".into()), (4, "b".into()), (6, "c".into())]);
    }

    #[test]
    fn a_leading_utf8_bom_is_skipped_and_utf16_is_refused() {
        assert_eq!(lines(b"\xEF\xBB\xBFa\nb").unwrap(), [(1, "a".into()), (2, "b".into())]);
        assert_eq!(lines(b"\xEF\xBB\xBF\na").unwrap(), [(2, "a".into())]);
        // Only at the start of the file.
        assert_eq!(texts(b"a\n\xEF\xBB\xBFb"), ["a", "\u{feff}b"]);
        let err = lines(b"\xFF\xFE{\0}\0\n\0").unwrap_err();
        assert!(err.contains("UTF-16"), "{err}");
        assert!(lines(b"\xFE\xFF\0{").is_err());
    }

    #[test]
    fn line_end_finds_the_first_line_break_at_every_position() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(b.len());
        // Every length up to 40 with a break (or a byte close to one) at every position, over
        // fillers that include bytes one above and below the breaks and high bytes.
        for len in 0..40 {
            for fill in [b'x', 0x0b, 0x0c, 0x0e, 0x09, 0x00, 0xff, 0x8a, 0x8d] {
                for at in 0..=len {
                    for mark in [b'\n', b'\r', 0x0b, 0x8a] {
                        let mut bytes = vec![fill; len];
                        if let Some(b) = bytes.get_mut(at) {
                            *b = mark;
                        }
                        assert_eq!(line_end(&bytes), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_long_line_is_one_line() {
        let long = "x".repeat(1 << 20);
        let text = format!("{long}\n{long}\r\n");
        assert_eq!(texts(text.as_bytes()), [long.clone(), long]);
    }

    #[test]
    fn errors_name_the_column_not_the_text() {
        assert_eq!(parse(b"{\"a\": \"\xff\"}").unwrap_err(), "not valid UTF-8 at column 8");
        assert_eq!(
            parse(b"{\"a\": 1").unwrap_err(),
            "not valid JSON at column 7: EOF while parsing an object"
        );
        assert_eq!(parse(b"{\"a\": }").unwrap_err(), "not valid JSON at column 7: expected value");
        let err = parse(br#"{"a": "\ud800"}"#).unwrap_err();
        assert!(err.starts_with("not valid JSON at column"), "{err}");
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_as_python_does() {
        let row = parse(br#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(row.value, json!({"a": 3, "b": 2}));
    }

    #[test]
    fn python_numbers_are_read_as_null_with_their_paths() {
        let row = parse(
            br#"{"kwargs": [{"n": 1}, {"n": NaN, "m": [Infinity, -Infinity]}], "s": "NaN", "x": 1e400, "y": -1e999}"#,
        )
        .unwrap();
        assert_eq!(
            row.value,
            json!({"kwargs": [{"n": 1}, {"n": null, "m": [null, null]}], "s": "NaN", "x": null, "y": null})
        );
        let found: Vec<(String, &str)> =
            row.python_numbers.iter().map(|(p, t)| (p.to_string(), t.as_str())).collect();
        assert_eq!(
            found,
            [
                ("kwargs[1].n".to_owned(), "NaN"),
                ("kwargs[1].m[0]".to_owned(), "Infinity"),
                ("kwargs[1].m[1]".to_owned(), "-Infinity"),
                ("x".to_owned(), "1e400"),
                ("y".to_owned(), "-1e999"),
            ]
        );
        // Big integers that fit a double are plain (inexact) JSON numbers for serde_json.
        assert_eq!(parse(b"[100000000000000000000000]").unwrap().value, json!([1e23]));
        let big = format!("[{}]", "9".repeat(400));
        assert_eq!(parse(big.as_bytes()).unwrap().python_numbers.len(), 1);
    }

    #[test]
    fn python_numbers_do_not_rescue_other_errors() {
        // The error named is serde_json's, at the first value it refused.
        assert_eq!(
            parse(br#"{"a": NaN"#).unwrap_err(),
            "not valid JSON at column 7: expected value"
        );
        assert!(parse(br#"{NaN: 1}"#).unwrap_err().contains("key must be a string"));
        // Strings that look like the stand-ins are data.
        let row = parse(b"{\"a\": \"\\u0000crab:python-number:0\", \"b\": NaN}");
        assert!(row.is_err());
    }

    #[test]
    fn python_numbers_in_used_fields_are_refused_naming_the_field() {
        let row = parse(
            br#"{"key": 3, "instruction_id_list": ["a:b", "length_constraints:number_words"], "kwargs": [{}, {"num_words": NaN}], "score": Infinity}"#,
        )
        .unwrap();
        assert!(row.refuse_python_numbers(&["key", "prompt"]).is_ok());
        assert_eq!(
            row.refuse_python_numbers(&["kwargs"]).unwrap_err(),
            "field `kwargs[1].num_words` (for `length_constraints:number_words`) is NaN: not a \
             JSON number; crab refuses NaN and infinite numbers in the fields it uses"
        );
        let row = parse(format!("{{\"response\": 1{}}}", "0".repeat(400)).as_bytes()).unwrap();
        assert_eq!(
            row.refuse_python_numbers(&["response"]).unwrap_err(),
            "field `response` is 10000000000000000000…: too large for a double (Python reads it \
             as infinity or a big integer); crab refuses NaN and infinite numbers in the fields \
             it uses"
        );
    }
}
