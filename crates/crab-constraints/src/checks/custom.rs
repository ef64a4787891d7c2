//! `custom:*` — IFBench's fixed tasks: each id is one instruction with its own answer (count in
//! multiples of 7, list Africa's countries backwards, write given CSV tables, …) and no
//! parameters. None has a derivation: a response to another request never is such an answer.
//!
//! The helpers below are shared by the three CSV checks, which read a header line the way
//! IFBench's regular expressions do and then the whole text with Python's `csv.reader`.

use crate::checks::Verdict;
use crate::text::csv::{self, Row};
use crate::text::{pystr, Span};

pub mod character_reverse;
pub mod csv_city;
pub mod csv_quotes;
pub mod csv_special_character;
pub mod date_format_list;
pub mod european_capitals_sort;
pub mod mcq_count_length;
pub mod multiples;
pub mod reverse_newline;
pub mod sentence_alphabet;
pub mod word_reverse;

/// `value.split('\n')[0].strip()`, as a span of `s`.
fn first_line_stripped(s: &str) -> Span {
    let line = s.split('\n').next().unwrap_or("");
    let stripped = pystr::strip(line);
    let start = stripped.as_ptr() as usize - s.as_ptr() as usize;
    Span::new(start, start + stripped.len())
}

/// Whether `header` matches `^(N1|"N1")SEP[PAD]*(N2|"N2")…$` for `names` (what IFBench's
/// header patterns are). `header` is stripped, so `$` cannot match before a final newline, and
/// the padding characters never start a name, so taking all of them is the only way to match.
fn header_matches(header: &str, names: &[&str], sep: char, pad: &[char]) -> bool {
    let mut rest = header;
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            let Some(after) = rest.strip_prefix(sep) else { return false };
            rest = after.trim_start_matches(pad);
        }
        let quoted = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(name))
            .and_then(|r| r.strip_prefix('"'));
        match quoted.or_else(|| rest.strip_prefix(name)) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// `list(csv.reader(io.StringIO(text), delimiter=delimiter))`, or the invalid verdict for the
/// `csv.Error` Python raises there (IFBench's evaluation stops on it, so no answer is scored).
fn read_csv(text: &str, delimiter: char) -> Result<Vec<Row>, Verdict> {
    csv::read(text, delimiter)
        .map_err(|e| Verdict::invalid(format!("Python's csv reader raises csv.Error: {e}")))
}

/// `s.replace('"', '"""')`, which IFBench applies before reading two of the CSV answers (so
/// that a quoted field keeps its quotes), with a way back to offsets of `s`.
struct Tripled<'s> {
    original: &'s str,
    text: String,
}

impl<'s> Tripled<'s> {
    fn new(original: &'s str) -> Tripled<'s> {
        Tripled { original, text: original.replace('"', "\"\"\"") }
    }

    /// The offset of `original` where the character covering offset `at` of the tripled text
    /// starts (the end for the end).
    fn back(&self, at: usize) -> usize {
        let mut tripled = 0;
        for (i, c) in self.original.char_indices() {
            if tripled >= at {
                return i;
            }
            tripled += if c == '"' { 3 } else { c.len_utf8() };
        }
        self.original.len()
    }

    /// `span` of the tripled text as a span of the original.
    fn span(&self, span: Span) -> Span {
        let start = self.back(span.start);
        Span::new(start, self.back(span.end).max(start))
    }
}

/// [`pystr::nfkd_ascii`] of a text (IFBench's accent removal), remembering which character of
/// the text each byte of the result comes from, to show evidence on the text as written.
struct Ascii {
    text: String,
    /// Per byte of `text`, the span of the original character it comes from.
    origin: Vec<Span>,
}

impl Ascii {
    fn new(s: &str) -> Ascii {
        let mut text = String::with_capacity(s.len());
        let mut origin = Vec::with_capacity(s.len());
        let mut buf = [0; 4];
        for (i, c) in s.char_indices() {
            let before = text.len();
            if c.is_ascii() {
                text.push(c);
            } else {
                text.push_str(&pystr::nfkd_ascii(c.encode_utf8(&mut buf)));
            }
            let span = Span::new(i, i + c.len_utf8());
            origin.extend(std::iter::repeat_n(span, text.len() - before));
        }
        Ascii { text, origin }
    }

    /// The span of the original that `span` of the ASCII text comes from (whole characters).
    fn original_span(&self, span: Span) -> Span {
        let start = self.origin.get(span.start).map_or(0, |o| o.start);
        let end =
            span.end.checked_sub(1).and_then(|last| self.origin.get(last)).map_or(start, |o| o.end);
        Span::new(start, end.max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_ifbench_patterns_match_them() {
        let names = ["A", "B", "C"];
        let comma = |h: &str| header_matches(h, &names, ',', &[' ', '\t']);
        assert!(comma("A,B,C"));
        assert!(comma("\"A\", \t\"B\",C"));
        assert!(!comma("A ,B,C"));
        assert!(!comma("A,B,C,"));
        assert!(!comma("A,B"));
        assert!(!comma("\"A,B,C"));
        assert!(!comma("a,B,C"));
        let tab = |h: &str| header_matches(h, &names, '\t', &[' ']);
        assert!(tab("A\t  B\t\"C\""));
        assert!(!tab("A\t\tB\tC"));
        assert!(!tab("A,B,C"));
    }

    #[test]
    fn tripled_offsets_map_back() {
        let t = Tripled::new("a\"b\"");
        assert_eq!(t.text, "a\"\"\"b\"\"\"");
        assert_eq!(t.span(Span::new(1, 5)), Span::new(1, 3));
        assert_eq!(t.span(Span::new(0, t.text.len())), Span::new(0, 4));
    }

    #[test]
    fn ascii_spans_map_back_to_whole_characters() {
        let s = "Chișinău, ﬁx";
        let a = Ascii::new(s);
        assert_eq!(a.text, "Chisinau, fix");
        assert_eq!(a.original_span(Span::new(0, 8)).slice(s), "Chișinău");
        assert_eq!(a.original_span(Span::new(10, 11)).slice(s), "ﬁ");
    }

    #[test]
    fn first_line_is_stripped() {
        let s = "  a b \r\nc";
        assert_eq!(first_line_stripped(s).slice(s), "a b");
        assert_eq!(first_line_stripped("").slice(""), "");
    }
}
