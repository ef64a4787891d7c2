//! Python-compatible output: `json.dumps` (default arguments) for the values IFEval's result
//! rows hold, and `repr(float)`.
//!
//! Google's `evaluation_lib.write_outputs` writes each result with `json.dumps(...)`, and its
//! report prints floats with `repr`. Byte-for-byte equal files and reports need both exactly:
//! `ensure_ascii=True` (every non-ASCII char and DEL as `\uXXXX` in lower-case hex, surrogate
//! pairs beyond the BMP), the short escapes `\" \\ \n \r \t \b \f`, `", "` and `": "`
//! separators, and the shortest round-trip float digits with Python's switch to exponent form.
//! serde_json formats differently on all of these, hence this small writer.

use std::fmt::Write;

/// The bytes of the eight packed in `w` (first byte lowest) that are not copied as is: below
/// 0x20, 0x7f or above (non-ASCII), `"` or `\`, flagged by their top bit. Each test is the
/// exact "some byte is below n" (or "is 0") bit trick; a borrow or carry only crosses from a
/// byte that is itself flagged, so the lowest flag is always a byte to escape (the ones above it
/// need not be) and 0 means none is.
fn escape_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    let del_or_high = (w | w.wrapping_add(ONES)) & HIGH;
    control | quote | backslash | del_or_high
}

/// Appends `s` as a Python `json.dumps(s)` string literal (with `ensure_ascii=True`).
pub fn push_str_literal(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // `\uXXXX` made in place and added at once (whole responses in other scripts are all
    // such escapes).
    let push_u = |out: &mut String, unit: u16| {
        let mut escape = *b"\\u0000";
        for (at, shift) in escape.iter_mut().skip(2).zip([12, 8, 4, 0]) {
            *at = HEX.get(usize::from((unit >> shift) & 0xf)).copied().unwrap_or(b'0');
        }
        out.push_str(std::str::from_utf8(&escape).unwrap_or_default());
    };
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // Printable ASCII other than `"` and `\` is copied in runs; everything else is escaped.
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Eight bytes at a time while none needs escaping (responses are mostly such runs), and
        // straight to the first one that does.
        if let Some(word) = bytes.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            let mask = escape_mask(u64::from_le_bytes(word));
            if mask == 0 {
                i += 8;
                continue;
            }
            i += (mask.trailing_zeros() / 8) as usize;
        } else if (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(s.get(start..i).unwrap_or_default());
        let c = s.get(i..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}');
        i += c.len_utf8();
        start = i;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_u(out, *unit);
                }
            }
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Appends Python's `json.dumps` of a list of booleans: `[true, false]`, `[]`.
pub fn push_bool_list(out: &mut String, items: &[bool]) {
    out.push('[');
    for (i, &b) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(if b { "true" } else { "false" });
    }
    out.push(']');
}

/// Appends Python's `json.dumps` of a list of strings: `["a", "b"]`, `[]`.
pub fn push_str_list<S: AsRef<str>>(out: &mut String, items: &[S]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str_literal(out, s.as_ref());
    }
    out.push(']');
}

/// Appends one line of Google's `eval_results_{strict,loose}.jsonl`, newline included: the
/// result object with its keys in Google's (sorted) order — `follow_all_instructions`,
/// `follow_instruction_list`, `instruction_id_list`, `prompt`, `response`.
pub fn push_result_line<S: AsRef<str>>(
    out: &mut String,
    instruction_ids: &[S],
    prompt: &str,
    response: &str,
    followed: &[bool],
) {
    push_result_head(out, followed);
    push_result_tail(out, instruction_ids, prompt, response);
}

/// The start of a result line ([`push_result_line`]): the two keys that differ between the
/// strict and the loose line.
pub fn push_result_head(out: &mut String, followed: &[bool]) {
    out.push_str("{\"follow_all_instructions\": ");
    out.push_str(if followed.iter().all(|&b| b) { "true" } else { "false" });
    out.push_str(", \"follow_instruction_list\": ");
    push_bool_list(out, followed);
}

/// The rest of a result line ([`push_result_line`]), newline included: the same in the strict
/// and the loose line, so a row's two lines escape its prompt and response once.
pub fn push_result_tail<S: AsRef<str>>(
    out: &mut String,
    instruction_ids: &[S],
    prompt: &str,
    response: &str,
) {
    out.push_str(", \"instruction_id_list\": ");
    push_str_list(out, instruction_ids);
    out.push_str(", \"prompt\": ");
    push_str_literal(out, prompt);
    out.push_str(", \"response\": ");
    push_str_literal(out, response);
    out.push_str("}\n");
}

/// Python's `repr(x)` of a float: the shortest digits that round-trip, `1.0` rather than `1`,
/// and exponent form (`5e-05`, `1e+16`) when the decimal exponent is below -4 or above 15.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as Python's repr.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if x < 0.0 {
        out.push('-');
    }
    // The value is 0.DIGITS × 10^decpt.
    let decpt = exp + 1;
    let n = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if !(-4 < decpt && decpt <= 16) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exp.unsigned_abs());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in decpt..0 {
            out.push('0');
        }
        out.push_str(&digits);
    } else if decpt >= n {
        out.push_str(&digits);
        for _ in n..decpt {
            out.push('0');
        }
        out.push_str(".0");
    } else {
        let (int, frac) = digits.split_at(usize::try_from(decpt).unwrap_or(0));
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> String {
        let mut out = String::new();
        push_str_literal(&mut out, s);
        out
    }

    // Expected strings below are Python 3.11's `json.dumps(...)` / `repr(...)` output.

    /// Python's dicts keep insertion order, and so must every object the library reads and
    /// writes (serde_json's `preserve_order`, declared in this crate's manifest): a row's
    /// kwargs come back out in the order they were written, not sorted.
    #[test]
    fn objects_keep_their_key_order() {
        let text = r#"{"max_words":90,"min_words":50,"N":null,"counting":"nltk"}"#;
        let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(value.to_string(), text);
    }

    #[test]
    fn strings_are_escaped_like_ensure_ascii() {
        assert_eq!(lit("plain text ~!"), r#""plain text ~!""#);
        assert_eq!(lit("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(lit("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(lit("\u{0}\u{1f}\u{7f}"), r#""\u0000\u001f\u007f""#);
        assert_eq!(lit("é—中\u{a0}\u{2028}"), r#""\u00e9\u2014\u4e2d\u00a0\u2028""#);
        assert_eq!(lit("😀𝔸"), r#""\ud83d\ude00\ud835\udd38""#);
        assert_eq!(lit("\u{ffff}\u{10000}"), r#""\uffff\ud800\udc00""#);
        assert_eq!(lit(""), r#""""#);
    }

    /// Against the rule applied one character at a time, on random mixes of runs to copy and
    /// characters to escape at every offset.
    #[test]
    fn strings_escape_as_one_character_at_a_time() {
        // Each character on its own: fewer than eight bytes, so never the eight-byte test.
        let one_by_one = |s: &str| {
            let escaped = |c: char| {
                let quoted = lit(c.encode_utf8(&mut [0; 4]));
                quoted[1..quoted.len() - 1].to_owned()
            };
            format!("\"{}\"", s.chars().map(escaped).collect::<String>())
        };
        let pieces =
            ["a", "plain text", "\"", "\\", "\n", "\u{7f}", "é", "中", "😀", "\u{1}", " ~"];
        for s in crate::checks::tests::random_texts(&pieces, 20_000, 12) {
            assert_eq!(lit(&s), one_by_one(&s), "{s:?}");
        }
    }

    #[test]
    fn eight_byte_test_finds_the_first_escaped_byte() {
        let escaped = |b: u8| !(b' '..=b'~').contains(&b) || b == b'"' || b == b'\\';
        // Every pair of byte values side by side (borrows and carries run between neighbours),
        // at every position, among bytes that are copied as is.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for at in 0..7 {
                    let mut word = *b"plain ok";
                    word[at] = a;
                    word[at + 1] = b;
                    let want = word.iter().position(|&c| escaped(c));
                    let mask = escape_mask(u64::from_le_bytes(word));
                    let first = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
                    assert_eq!(first, want, "{a:#x} {b:#x} at {at}");
                }
            }
        }
        assert_eq!(lit("0123456789abcdef\"01234567"), r#""0123456789abcdef\"01234567""#);
        assert_eq!(lit("0123456\u{e9}89"), r#""0123456\u00e989""#);
    }

    #[test]
    fn result_lines_use_googles_key_order_and_separators() {
        let mut out = String::new();
        push_result_line(&mut out, &["a:b", "c:d"], "P\u{e9}", "R", &[true, false]);
        assert_eq!(
            out,
            "{\"follow_all_instructions\": false, \"follow_instruction_list\": [true, false], \
             \"instruction_id_list\": [\"a:b\", \"c:d\"], \"prompt\": \"P\\u00e9\", \
             \"response\": \"R\"}\n"
        );
        let mut out = String::new();
        push_result_line::<&str>(&mut out, &[], "", "", &[]);
        assert_eq!(
            out,
            "{\"follow_all_instructions\": true, \"follow_instruction_list\": [], \
             \"instruction_id_list\": [], \"prompt\": \"\", \"response\": \"\"}\n"
        );
    }

    #[test]
    fn floats_print_like_python_repr() {
        let cases: &[(f64, &str)] = &[
            (417.0 / 541.0, "0.7707948243992606"),
            (698.0 / 834.0, "0.8369304556354916"),
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (0.5, "0.5"),
            (2.0 / 3.0, "0.6666666666666666"),
            (0.1 + 0.2, "0.30000000000000004"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (0.00001, "1e-05"),
            (0.000015, "1.5e-05"),
            (1.0 / 30000.0, "3.3333333333333335e-05"),
            (5e-324, "5e-324"),
            (123.0, "123.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1.5e300, "1.5e+300"),
            (-2.5, "-2.5"),
            (f64::NAN, "nan"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for &(x, want) in cases {
            assert_eq!(float_repr(x), want, "repr of {x:e}");
        }
    }
}
