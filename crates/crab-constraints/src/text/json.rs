//! JSON validity as CPython 3.11's `json.loads(text)` decides it on a `str`.
//!
//! IFEval's `detectable_format:json_format` passes iff `json.loads` does not raise `ValueError`.
//! Python's decoder (the C scanner in `_json.c`) is more permissive than RFC 8259 and than
//! `serde_json`, so this module is a small hand-written validating scanner that follows the C
//! scanner step by step. It builds no values, allocates nothing on success except the small
//! container stack, and reports the same error message and position Python would.
//!
//! What Python accepts and rejects:
//! - any value at the top level (`42`, `"s"`, `null`), surrounded only by ` \t\n\r`;
//! - `NaN`, `Infinity`, `-Infinity` (exact spelling), duplicate keys, huge exponents (`1e400`);
//! - integers only up to 4300 digits: longer ones hit Python's integer string conversion limit
//!   (`sys.get_int_max_str_digits()`, default 4300), a plain `ValueError`. Floats have no limit;
//! - numbers use ASCII digits only; `01`, `1.`, `.5`, `+1`, `1e` are rejected;
//! - strings reject raw control characters below U+0020 (`strict=True`) and unknown escapes;
//!   `\uXXXX` takes exactly four ASCII hex digits, and lone surrogates are accepted;
//! - a leading U+FEFF is rejected ("Unexpected UTF-8 BOM").
//!
//! Deep nesting: the C scanner recurses once per array/object and raises `RecursionError` (not
//! `ValueError`) when the interpreter's recursion limit (1000) is hit. The exact depth depends on
//! how deep the caller's Python stack already is: a call at a script's top level (four frames)
//! accepts 995 levels and fails at 996; inside a harness it fails a few levels earlier. IFEval's
//! checker only catches `ValueError`, so there the reference itself crashes. We choose the
//! top-level behaviour: up to [`MAX_DEPTH`] levels are accepted, deeper input is invalid with
//! [`JsonErrorKind::RecursionLimit`]. The scanner is iterative, so no input can overflow our
//! stack.

use std::fmt;

/// The deepest nesting of arrays/objects accepted, as a direct top-level `json.loads` call in
/// CPython 3.11 with the default recursion limit accepts (see the module docs).
pub const MAX_DEPTH: usize = 995;

/// Python's default `sys.get_int_max_str_digits()`: the longest integer `json.loads` converts.
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// Which Python exception `json.loads` would raise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// `json.JSONDecodeError` (a `ValueError`) with a message and position.
    Decode,
    /// A plain `ValueError` from the integer string conversion limit (more than
    /// [`INT_MAX_STR_DIGITS`] digits).
    IntTooLong,
    /// `RecursionError`: nesting deeper than [`MAX_DEPTH`]. Not a `ValueError` in Python.
    RecursionLimit,
}

/// Why `json.loads` would fail, with Python's message and position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The kind of exception Python raises.
    pub kind: JsonErrorKind,
    /// Python's message without the position suffix (`JSONDecodeError.msg`, e.g.
    /// `"Expecting value"`); for the other kinds the whole exception text.
    pub msg: String,
    /// Position in characters (code points), like Python's `JSONDecodeError.pos`.
    pub pos: usize,
    /// The same position as a byte offset into the text.
    pub byte_pos: usize,
    /// 1-based line of `pos` (`JSONDecodeError.lineno`).
    pub lineno: usize,
    /// 1-based column of `pos` in characters (`JSONDecodeError.colno`).
    pub colno: usize,
}

impl fmt::Display for JsonError {
    /// Python's `str(exception)`, e.g. `Expecting value: line 1 column 1 (char 0)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            JsonErrorKind::Decode => write!(
                f,
                "{}: line {} column {} (char {})",
                self.msg, self.lineno, self.colno, self.pos
            ),
            JsonErrorKind::IntTooLong | JsonErrorKind::RecursionLimit => f.write_str(&self.msg),
        }
    }
}

impl std::error::Error for JsonError {}

/// Whether Python's `json.loads(text)` would succeed.
pub fn is_valid_python_json(text: &str) -> bool {
    python_json_loads(text).is_ok()
}

/// Runs CPython 3.11's `json.loads(text)` without building the value: `Ok(())` if it would
/// succeed, otherwise the exception it would raise.
pub fn python_json_loads(text: &str) -> Result<(), JsonError> {
    if text.starts_with('\u{feff}') {
        return Err(decode_error(text, "Unexpected UTF-8 BOM (decode using utf-8-sig)", 0));
    }
    Scanner { text, b: text.as_bytes(), stack: Vec::new() }.run()
}

fn decode_error(text: &str, msg: &str, byte_pos: usize) -> JsonError {
    error(text, JsonErrorKind::Decode, msg.to_owned(), byte_pos)
}

fn error(text: &str, kind: JsonErrorKind, msg: String, byte_pos: usize) -> JsonError {
    let before = text.get(..byte_pos).unwrap_or(text);
    let pos = before.chars().count();
    let lineno = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let colno = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    JsonError { kind, msg, pos, byte_pos, lineno, colno }
}

/// Open containers, innermost last.
#[derive(Clone, Copy)]
enum Open {
    Array,
    Object,
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    stack: Vec<Open>,
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while matches!(self.at(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    fn err(&self, msg: &str, i: usize) -> JsonError {
        decode_error(self.text, msg, i)
    }

    fn run(mut self) -> Result<(), JsonError> {
        let mut i = self.skip_ws(0);
        'value: loop {
            // Scan one value starting at `i`; containers push and jump back here.
            match self.at(i) {
                Some(b'"') => i = self.string(i)?,
                Some(open @ (b'[' | b'{')) => {
                    let (container, what) = if open == b'[' {
                        (Open::Array, "array")
                    } else {
                        (Open::Object, "object")
                    };
                    if self.stack.len() >= MAX_DEPTH {
                        let msg = format!(
                            "maximum recursion depth exceeded while decoding a JSON {what} \
                             from a unicode string"
                        );
                        return Err(error(self.text, JsonErrorKind::RecursionLimit, msg, i));
                    }
                    i = self.skip_ws(i + 1);
                    match (container, self.at(i)) {
                        (Open::Array, Some(b']')) | (Open::Object, Some(b'}')) => i += 1,
                        (Open::Array, _) => {
                            self.stack.push(container);
                            continue 'value;
                        }
                        (Open::Object, _) => {
                            self.stack.push(container);
                            i = self.key(i)?;
                            continue 'value;
                        }
                    }
                }
                _ => i = self.literal_or_number(i)?,
            }
            // A value ended at `i`: close containers or move to the next element.
            loop {
                let Some(&top) = self.stack.last() else {
                    let end = self.skip_ws(i);
                    return if end == self.b.len() {
                        Ok(())
                    } else {
                        Err(self.err("Extra data", end))
                    };
                };
                i = self.skip_ws(i);
                match (top, self.at(i)) {
                    (Open::Array, Some(b']')) | (Open::Object, Some(b'}')) => {
                        self.stack.pop();
                        i += 1;
                    }
                    (Open::Array, Some(b',')) => {
                        i = self.skip_ws(i + 1);
                        continue 'value;
                    }
                    (Open::Object, Some(b',')) => {
                        i = self.skip_ws(i + 1);
                        i = self.key(i)?;
                        continue 'value;
                    }
                    _ => return Err(self.err("Expecting ',' delimiter", i)),
                }
            }
        }
    }

    /// An object key at `i`, the `:` after it, and the whitespace before the value.
    fn key(&self, i: usize) -> Result<usize, JsonError> {
        if self.at(i) != Some(b'"') {
            return Err(self.err("Expecting property name enclosed in double quotes", i));
        }
        let i = self.skip_ws(self.string(i)?);
        if self.at(i) != Some(b':') {
            return Err(self.err("Expecting ':' delimiter", i));
        }
        Ok(self.skip_ws(i + 1))
    }

    /// The string whose opening quote is at `begin`; returns the index after the closing quote.
    fn string(&self, begin: usize) -> Result<usize, JsonError> {
        let mut i = begin + 1;
        loop {
            match self.at(i) {
                None => return Err(self.err("Unterminated string starting at", begin)),
                Some(b'"') => return Ok(i + 1),
                Some(b'\\') => match self.at(i + 1) {
                    None => return Err(self.err("Unterminated string starting at", begin)),
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let hex = self.b.get(i + 2..i + 6).unwrap_or(&[]);
                        // Python also wants a character after the four digits.
                        if hex.len() == 4
                            && hex.iter().all(u8::is_ascii_hexdigit)
                            && i + 6 < self.b.len()
                        {
                            i += 6;
                        } else {
                            return Err(self.err("Invalid \\uXXXX escape", i + 1));
                        }
                    }
                    Some(_) => return Err(self.err("Invalid \\escape", i)),
                },
                Some(c) if c < 0x20 => return Err(self.err("Invalid control character at", i)),
                Some(_) => i += 1,
            }
        }
    }

    /// `null`, `true`, `false`, `NaN`, `Infinity`, `-Infinity` or a number at `i`.
    fn literal_or_number(&self, i: usize) -> Result<usize, JsonError> {
        let rest = self.b.get(i..).unwrap_or(&[]);
        for word in [&b"null"[..], b"true", b"false", b"NaN", b"Infinity", b"-Infinity"] {
            if rest.starts_with(word) {
                return Ok(i + word.len());
            }
        }
        self.number(i)
    }

    /// The C scanner's number matcher, including its backtracking on `1.` and `1e`.
    fn number(&self, start: usize) -> Result<usize, JsonError> {
        let digit = |j: usize| self.at(j).is_some_and(|c| c.is_ascii_digit());
        let mut i = start;
        if self.at(i) == Some(b'-') {
            i += 1;
        }
        let int_start = i;
        match self.at(i) {
            Some(b'1'..=b'9') => {
                while digit(i) {
                    i += 1;
                }
            }
            Some(b'0') => i += 1,
            _ => return Err(self.err("Expecting value", start)),
        }
        let int_digits = i - int_start;
        let mut is_float = false;
        if self.at(i) == Some(b'.') && digit(i + 1) {
            is_float = true;
            i += 2;
            while digit(i) {
                i += 1;
            }
        }
        if matches!(self.at(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if digit(j) {
                is_float = true;
                while digit(j) {
                    j += 1;
                }
                i = j;
            }
        }
        if !is_float && int_digits > INT_MAX_STR_DIGITS {
            let msg = format!(
                "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: \
                 value has {int_digits} digits; use sys.set_int_max_str_digits() to increase the \
                 limit"
            );
            return Err(error(self.text, JsonErrorKind::IntTooLong, msg, start));
        }
        Ok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(text: &str) -> String {
        python_json_loads(text).map_or_else(|e| e.to_string(), |()| "ok".to_owned())
    }

    #[test]
    fn python_extensions_are_accepted() {
        for ok in [
            "42",
            "\"s\"",
            "null",
            "NaN",
            "Infinity",
            "-Infinity",
            "[NaN, -Infinity]",
            "{\"a\": 1, \"a\": 2}",
            "1e400",
            "-0.5E-7",
            " \t\n\r[1]\r\n",
            "\"\\ud800\"",
            "\"\\uDFFF\\u0041\\/\"",
            "[]",
            "{}",
            "[[], {}, [{\"k\": [true, false, null]}]]",
        ] {
            assert!(is_valid_python_json(ok), "{ok:?}");
        }
    }

    #[test]
    fn python_messages() {
        assert_eq!(msg(""), "Expecting value: line 1 column 1 (char 0)");
        assert_eq!(
            msg("\u{feff}1"),
            "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"
        );
        assert_eq!(msg("1 2"), "Extra data: line 1 column 3 (char 2)");
        assert_eq!(msg("[1,]"), "Expecting value: line 1 column 4 (char 3)");
        assert_eq!(
            msg("{\"a\":1,}"),
            "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"
        );
        assert_eq!(msg("{\"a\" 1}"), "Expecting ':' delimiter: line 1 column 6 (char 5)");
        assert_eq!(msg("[1 2]"), "Expecting ',' delimiter: line 1 column 4 (char 3)");
        assert_eq!(msg("\"abc"), "Unterminated string starting at: line 1 column 1 (char 0)");
        assert_eq!(msg("\"a\\x\""), "Invalid \\escape: line 1 column 3 (char 2)");
        assert_eq!(msg("\"\\u12\""), "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
        assert_eq!(msg("\"a\u{1}\""), "Invalid control character at: line 1 column 3 (char 2)");
        assert_eq!(msg("[1,\n  x]"), "Expecting value: line 2 column 3 (char 6)");
        assert_eq!(msg("\"é\" x"), "Extra data: line 1 column 5 (char 4)");
    }

    #[test]
    fn numbers() {
        for bad in ["01", "1.", ".5", "-", "1e", "+1", "١", "-Inf", "nan", "inf", "1.e5", "1e+"] {
            assert!(!is_valid_python_json(bad), "{bad:?}");
        }
        assert_eq!(msg("1."), "Extra data: line 1 column 2 (char 1)");
        assert_eq!(msg("[-]"), "Expecting value: line 1 column 2 (char 1)");
        let ok = "7".repeat(INT_MAX_STR_DIGITS);
        assert!(is_valid_python_json(&ok));
        assert!(is_valid_python_json(&format!("-{ok}9.0")));
        assert!(is_valid_python_json(&format!("{ok}9e0")));
        let e = python_json_loads(&format!("[-{ok}9]")).unwrap_err();
        assert_eq!(e.kind, JsonErrorKind::IntTooLong);
        assert_eq!(
            e.to_string(),
            "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 \
             digits; use sys.set_int_max_str_digits() to increase the limit"
        );
    }

    #[test]
    fn whitespace_is_only_json_whitespace() {
        for bad in ["\u{b}1", "1\u{c}", "1\u{a0}", "\u{2028}1"] {
            assert!(!is_valid_python_json(bad), "{bad:?}");
        }
    }

    #[test]
    fn nesting_is_bounded_and_never_overflows() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(is_valid_python_json(&ok));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let e = python_json_loads(&deep).unwrap_err();
        assert_eq!(e.kind, JsonErrorKind::RecursionLimit);
        assert_eq!(e.pos, MAX_DEPTH);
        let huge = "{\"a\":[".repeat(1_000_000);
        assert!(!is_valid_python_json(&huge));
    }
}
