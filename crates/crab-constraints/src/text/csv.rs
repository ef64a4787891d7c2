//! Python 3.11's `csv.reader` over `io.StringIO(text)`, for IFBench's CSV checks.
//!
//! IFBench reads CSV answers with `list(csv.reader(io.StringIO(value)))` (Excel dialect, or with
//! `delimiter='\t'`). What that yields depends on details no CSV crate reproduces: `StringIO`
//! hands the reader lines ending at `\n` only, a `\r` ends a record and anything but a line end
//! after it is an error, an empty line is an empty row, a quote closing a quoted field may be
//! followed by more characters (non-strict mode keeps them), an unclosed quote at the end of the
//! text still yields its field, and a field longer than `csv.field_size_limit()` (131,072
//! characters) is an error. So this is a port of `_csv.c`'s state machine with those settings:
//! quote character `"`, doubled quotes, no escape character, no initial-space skipping, not
//! strict.
//!
//! Where Python raises `csv.Error` (and IFBench's evaluation would stop), [`read`] returns the
//! error's message.

use crate::text::Span;

/// `csv.field_size_limit()`'s default: the longest field, in characters.
const FIELD_LIMIT: usize = 131_072;

/// Where the parser is, as `_csv.c` names its states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuotedField,
    QuoteInQuotedField,
    EatCrnl,
}

/// One parsed field: its value and the span of the text it was read from (quotes included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field's value, as Python's reader returns it.
    pub value: String,
    /// The bytes of the text the field covers.
    pub span: Span,
}

/// One row: its fields and the span of the text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The fields (none for an empty line).
    pub fields: Vec<Field>,
    /// The bytes of the text the row covers, line end excluded.
    pub span: Span,
}

/// The parser's working state.
struct Parser {
    delimiter: char,
    state: State,
    field: String,
    field_chars: usize,
    field_start: usize,
    fields: Vec<Field>,
}

impl Parser {
    fn save_field(&mut self, end: usize) {
        let value = std::mem::take(&mut self.field);
        self.field_chars = 0;
        self.fields
            .push(Field { value, span: Span::new(self.field_start, end.max(self.field_start)) });
    }

    fn add_char(&mut self, c: char) -> Result<(), String> {
        if self.field_chars >= FIELD_LIMIT {
            return Err(format!("field larger than field limit ({FIELD_LIMIT})"));
        }
        self.field.push(c);
        self.field_chars += 1;
        Ok(())
    }

    /// `parse_process_char`: `c` is `None` for the end of a line.
    fn process(&mut self, c: Option<char>, at: usize) -> Result<(), String> {
        let line_end = |c: Option<char>| matches!(c, None | Some('\n' | '\r'));
        let next_after_end =
            |c: Option<char>| if c.is_none() { State::StartRecord } else { State::EatCrnl };
        match self.state {
            State::StartRecord => match c {
                None => return Ok(()),
                Some('\n' | '\r') => {
                    self.state = State::EatCrnl;
                    return Ok(());
                }
                Some(_) => {
                    self.state = State::StartField;
                    self.field_start = at;
                    return self.process(c, at);
                }
            },
            State::StartField => {
                self.field_start = at;
                if line_end(c) {
                    self.save_field(at);
                    self.state = next_after_end(c);
                } else if c == Some('"') {
                    self.state = State::InQuotedField;
                } else if c == Some(self.delimiter) {
                    self.save_field(at);
                    self.field_start = at + self.delimiter.len_utf8();
                } else if let Some(c) = c {
                    self.add_char(c)?;
                    self.state = State::InField;
                }
            }
            State::InField => {
                if line_end(c) {
                    self.save_field(at);
                    self.state = next_after_end(c);
                } else if c == Some(self.delimiter) {
                    self.save_field(at);
                    self.state = State::StartField;
                } else if let Some(c) = c {
                    self.add_char(c)?;
                }
            }
            State::InQuotedField => match c {
                None => {}
                Some('"') => self.state = State::QuoteInQuotedField,
                Some(c) => self.add_char(c)?,
            },
            State::QuoteInQuotedField => {
                if c == Some('"') {
                    self.add_char('"')?;
                    self.state = State::InQuotedField;
                } else if c == Some(self.delimiter) {
                    self.save_field(at);
                    self.state = State::StartField;
                } else if line_end(c) {
                    self.save_field(at);
                    self.state = next_after_end(c);
                } else if let Some(c) = c {
                    self.add_char(c)?;
                    self.state = State::InField;
                }
            }
            State::EatCrnl => match c {
                Some('\n' | '\r') => {}
                None => self.state = State::StartRecord,
                Some(_) => {
                    return Err("new-line character seen in unquoted field - do you need to \
                                open the file in universal-newline mode?"
                        .to_owned())
                }
            },
        }
        Ok(())
    }
}

/// `list(csv.reader(io.StringIO(text), delimiter=delimiter))`, with each row's and field's
/// span, or the message of the `csv.Error` Python raises.
pub fn read(text: &str, delimiter: char) -> Result<Vec<Row>, String> {
    let mut p = Parser {
        delimiter,
        state: State::StartRecord,
        field: String::new(),
        field_chars: 0,
        field_start: 0,
        fields: Vec::new(),
    };
    let mut rows = Vec::new();
    let mut row_start = 0;
    let mut pos = 0;
    // `StringIO` yields lines ending at `\n` (kept); the reader sees each line's characters,
    // then an end-of-line marker, and returns a row once it is back at the start of a record.
    while pos < text.len() {
        let rest = text.get(pos..).unwrap_or("");
        let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest.get(..line_len).unwrap_or("");
        if p.state == State::StartRecord {
            row_start = pos;
        }
        for (i, c) in line.char_indices() {
            p.process(Some(c), pos + i)?;
        }
        let line_end = pos + line.trim_end_matches(['\n', '\r']).len();
        p.process(None, line_end)?;
        pos += line_len;
        if p.state == State::StartRecord {
            rows.push(Row {
                fields: std::mem::take(&mut p.fields),
                span: Span::new(row_start, line_end),
            });
        }
    }
    // End of input inside a quoted field: non-strict mode saves what it has.
    if p.state != State::StartRecord && (p.field_chars != 0 || p.state == State::InQuotedField) {
        p.save_field(text.len());
        rows.push(Row {
            fields: std::mem::take(&mut p.fields),
            span: Span::new(row_start, text.len()),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::read;

    fn values(text: &str, delimiter: char) -> Result<Vec<Vec<String>>, String> {
        read(text, delimiter).map(|rows| {
            rows.into_iter().map(|r| r.fields.into_iter().map(|f| f.value).collect()).collect()
        })
    }

    fn ok(text: &str) -> Vec<Vec<String>> {
        values(text, ',').unwrap()
    }

    #[test]
    fn rows_as_python_reads_them() {
        // Each expectation was printed by Python 3.11's `csv.reader(io.StringIO(text))`.
        assert_eq!(ok("a\0b,c"), [["a\0b", "c"]]);
        assert_eq!(ok("a,\"b\nc\",d\ne"), vec![vec!["a", "b\nc", "d"], vec!["e"]]);
        assert_eq!(ok("\"abc"), [["abc"]]);
        assert_eq!(ok("x\n\n\ny"), vec![vec!["x"], vec![], vec![], vec!["y"]]);
        assert_eq!(ok("\"a\"b,c"), [["ab", "c"]]);
        assert_eq!(ok("a\r\n\r\nb"), vec![vec!["a"], vec![], vec!["b"]]);
        assert_eq!(ok("\r"), vec![Vec::<String>::new()]);
        assert_eq!(ok("\"a\"\"b\""), [["a\"b"]]);
        assert_eq!(ok(" \"a\""), [[" \"a\""]]);
        assert_eq!(ok(""), Vec::<Vec<String>>::new());
        assert_eq!(ok("a,"), [["a", ""]]);
        assert_eq!(ok(",\n"), [["", ""]]);
        assert_eq!(values("a\tb,c", '\t').unwrap(), [["a", "b,c"]]);
    }

    #[test]
    fn errors_as_python_raises_them() {
        assert!(values("a\rb", ',').unwrap_err().starts_with("new-line character seen"));
        let long = "x".repeat(131_072);
        assert_eq!(ok(&long)[0][0].len(), 131_072);
        let longer = "x".repeat(131_073);
        assert_eq!(values(&longer, ',').unwrap_err(), "field larger than field limit (131072)");
    }

    #[test]
    fn spans_cover_fields_and_rows() {
        let text = "id,\"a,b\"\n1,2";
        let rows = read(text, ',').unwrap();
        let spans: Vec<Vec<&str>> =
            rows.iter().map(|r| r.fields.iter().map(|f| f.span.slice(text)).collect()).collect();
        assert_eq!(spans, vec![vec!["id", "\"a,b\""], vec!["1", "2"]]);
        assert_eq!(rows[1].span.slice(text), "1,2");
    }
}
