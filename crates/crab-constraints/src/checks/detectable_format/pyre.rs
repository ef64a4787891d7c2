//! Python `re` patterns that IFEval builds by splicing a parameter into a template, compiled for
//! the `regex` crate with Python's meaning.
//!
//! `detectable_format:multiple_sections` searches `\s?` + `section_spliter` + `\s?\d+\s?` and
//! `detectable_content:postscript` searches `\s*` + marker + `.*$`; the parameter is spliced in
//! unescaped, so `.` in `P.S` is a wildcard and a `|` splits the whole pattern. A playground user
//! can type anything there, so the whole spliced pattern is parsed here the way CPython 3.11's
//! `re/_parser.py` parses it, and rewritten into `regex`-crate syntax whose matches are the same:
//!
//! - literals become `\x{…}` escapes (so `[`, `&&`, `--`, `\<` … can never take on the `regex`
//!   crate's extra meanings), `\d \s \w` and their negations become explicit classes built from
//!   Python 3.11's tables ([`pystr::translate_python_classes`]);
//! - character classes are rebuilt item by item (Python has no nested classes or set operations);
//! - `{m,n}` is only a quantifier where Python's parser says so (`a{`, `{x}` and `{}` are literal);
//! - `^`/`$` follow the `MULTILINE` flag (the `regex` crate's `(?m:^)`/`(?m:$)` and `.` treat
//!   `\r` and U+2028 exactly as Python does: only `\n` separates lines);
//! - Python syntax errors ("nothing to repeat", "multiple repeat", unbalanced parentheses, bad
//!   escapes, …) are reported as errors, because Google's checker raises there.
//!
//! What the `regex` crate cannot do — lookaround, backreferences, conditionals, atomic groups,
//! possessive quantifiers, inline flags, Python's `\b`/`\B` (its own `\w`), `\N{…}`, and `$`
//! without `MULTILINE` (which also matches before a final newline) — is refused with a message
//! rather than approximated. For everything accepted, leftmost-first matching gives the same
//! spans as Python's backtracking matcher.

use std::fmt::Write as _;

use regex::Regex;

use crate::text::pystr;

/// Compiles the Python `re` pattern `pattern` (with `re.MULTILINE` iff `multiline`) into a
/// `regex`-crate [`Regex`] that finds the same matches, or explains why it cannot.
pub(crate) fn compile(pattern: &str, multiline: bool) -> Result<Regex, String> {
    let translated = translate(pattern, multiline)?;
    Regex::new(&translated).map_err(|e| {
        let first = e.to_string();
        let line = first.lines().last().unwrap_or("").trim().to_owned();
        format!("the pattern `{pattern}` cannot be compiled here ({line})")
    })
}

/// The matches Python's `re.finditer` / `re.split` visit, in order, as byte ranges — as long as
/// none of them is empty. Python continues after an empty match with a lower-priority
/// alternative that the `regex` crate cannot enumerate, so a pattern that matches the empty string
/// is refused (`Err`) at the first empty match instead of giving a possibly different count.
pub(crate) fn find_all_nonempty(
    regex: &Regex,
    text: &str,
) -> Result<Vec<std::ops::Range<usize>>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= text.len() {
        let Some(m) = regex.find_at(text, pos) else { break };
        if m.is_empty() {
            return Err("the pattern can match an empty string, which is not supported".to_owned());
        }
        pos = m.end();
        out.push(m.range());
    }
    Ok(out)
}

/// What the last parsed item was, for Python's "nothing to repeat" / "multiple repeat" errors.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of a branch: nothing to repeat.
    Nothing,
    /// An anchor (`^`, `$`, `\A`, `\Z`): Python refuses to repeat it.
    Anchor,
    /// A repeatable item (literal, class, group).
    Item,
    /// A quantified item: another quantifier is "multiple repeat".
    Repeat,
}

struct Parser<'p> {
    src: &'p str,
    chars: Vec<char>,
    pos: usize,
    out: String,
    multiline: bool,
    open: usize,
    names: Vec<String>,
}

fn python_error(pattern: &str, message: &str) -> String {
    format!("`{pattern}` is not a valid Python regular expression: {message}")
}

fn unsupported(pattern: &str, what: &str) -> String {
    format!("`{pattern}` uses {what}, which is not supported here")
}

/// Translates a whole Python pattern into `regex`-crate syntax (see the module docs).
pub(crate) fn translate(pattern: &str, multiline: bool) -> Result<String, String> {
    let mut p = Parser {
        src: pattern,
        chars: pattern.chars().collect(),
        pos: 0,
        out: String::with_capacity(pattern.len() * 4),
        multiline,
        open: 0,
        names: Vec::new(),
    };
    p.run()?;
    Ok(p.out)
}

impl Parser<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn err(&self, message: &str) -> String {
        python_error(self.src, message)
    }

    fn unsupported(&self, what: &str) -> String {
        unsupported(self.src, what)
    }

    fn literal(&mut self, c: char) {
        push_literal(&mut self.out, c);
    }

    fn run(&mut self) -> Result<(), String> {
        let mut last = Last::Nothing;
        while let Some(c) = self.next() {
            match c {
                '\\' => last = self.escape()?,
                '[' => {
                    self.class()?;
                    last = Last::Item;
                }
                '*' | '+' | '?' => {
                    let (min, max) = match c {
                        '*' => (0, None),
                        '+' => (1, None),
                        _ => (0, Some(1)),
                    };
                    self.repeat(last, min, max)?;
                    last = Last::Repeat;
                }
                '{' => match self.braces()? {
                    Some((min, max)) => {
                        self.repeat(last, min, max)?;
                        last = Last::Repeat;
                    }
                    None => {
                        self.literal('{');
                        last = Last::Item;
                    }
                },
                '.' => {
                    self.out.push('.');
                    last = Last::Item;
                }
                '(' => {
                    if self.group_open()? {
                        last = Last::Nothing;
                    }
                }
                ')' => {
                    if self.open == 0 {
                        return Err(self.err("unbalanced parenthesis"));
                    }
                    self.open -= 1;
                    self.out.push(')');
                    last = Last::Item;
                }
                '|' => {
                    self.out.push('|');
                    last = Last::Nothing;
                }
                '^' => {
                    self.out.push_str(if self.multiline { "(?m:^)" } else { r"\A" });
                    last = Last::Anchor;
                }
                '$' => {
                    if !self.multiline {
                        return Err(self.unsupported("`$` without MULTILINE"));
                    }
                    self.out.push_str("(?m:$)");
                    last = Last::Anchor;
                }
                _ => {
                    self.literal(c);
                    last = Last::Item;
                }
            }
        }
        if self.open > 0 {
            return Err(self.err("missing ), unterminated subpattern"));
        }
        Ok(())
    }

    /// A quantifier after `last`, with Python's checks; also reads a lazy `?` or possessive `+`.
    fn repeat(&mut self, last: Last, min: u64, max: Option<u64>) -> Result<(), String> {
        match last {
            Last::Nothing | Last::Anchor => return Err(self.err("nothing to repeat")),
            Last::Repeat => return Err(self.err("multiple repeat")),
            Last::Item => {}
        }
        // Writing into a String cannot fail.
        let _ = match max {
            Some(max) => write!(self.out, "{{{min},{max}}}"),
            None => write!(self.out, "{{{min},}}"),
        };
        if self.eat('?') {
            self.out.push('?');
        } else if self.peek() == Some('+') {
            return Err(self.unsupported("a possessive quantifier"));
        }
        Ok(())
    }

    /// After `{`: `Some((min, max))` if Python reads a repeat here, `None` (nothing consumed)
    /// if the `{` is a literal.
    fn braces(&mut self) -> Result<Option<(u64, Option<u64>)>, String> {
        let here = self.pos;
        if self.peek() == Some('}') {
            return Ok(None);
        }
        let digits = |p: &mut Parser<'_>| {
            let mut s = String::new();
            while let Some(d) = p.peek().filter(char::is_ascii_digit) {
                s.push(d);
                p.pos += 1;
            }
            s
        };
        let lo = digits(self);
        let hi = if self.eat(',') { Some(digits(self)) } else { None };
        if !self.eat('}') {
            self.pos = here;
            return Ok(None);
        }
        // Python's MAXREPEAT is 2**32 - 1 here; larger counts raise OverflowError.
        let number = |s: &str| -> Result<Option<u64>, String> {
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<u64>() {
                Ok(n) if n < u64::from(u32::MAX) => Ok(Some(n)),
                _ => Err(python_error(self.src, "the repetition number is too large")),
            }
        };
        let min = number(&lo)?.unwrap_or(0);
        let max = match &hi {
            None => Some(min),
            Some(hi) => number(hi)?,
        };
        if max.is_some_and(|max| max < min) {
            return Err(self.err("min repeat greater than max repeat"));
        }
        Ok(Some((min, max)))
    }

    /// After `(`: opens a group (returns true) or skips a comment (returns false).
    fn group_open(&mut self) -> Result<bool, String> {
        if !self.eat('?') {
            self.open += 1;
            self.out.push('(');
            return Ok(true);
        }
        let Some(kind) = self.next() else {
            return Err(self.err("unexpected end of pattern"));
        };
        match kind {
            ':' => {
                self.open += 1;
                self.out.push_str("(?:");
                Ok(true)
            }
            'P' => {
                if self.eat('<') {
                    let mut name = String::new();
                    loop {
                        match self.next() {
                            None => return Err(self.err("missing >, unterminated name")),
                            Some('>') => break,
                            Some(c) => name.push(c),
                        }
                    }
                    if !is_identifier(&name) {
                        return Err(self.err(&format!("bad character in group name '{name}'")));
                    }
                    if self.names.contains(&name) {
                        return Err(self.err(&format!("redefinition of group name '{name}'")));
                    }
                    self.names.push(name);
                    self.open += 1;
                    // Names do not matter for matching; a plain group captures the same.
                    self.out.push('(');
                    Ok(true)
                } else if self.peek() == Some('=') {
                    Err(self.unsupported("a backreference"))
                } else {
                    Err(self.err("unknown extension ?P"))
                }
            }
            '#' => loop {
                match self.next() {
                    None => return Err(self.err("missing ), unterminated comment")),
                    Some(')') => return Ok(false),
                    Some(_) => {}
                }
            },
            '=' | '!' | '<' => Err(self.unsupported("a lookaround assertion")),
            '>' => Err(self.unsupported("an atomic group")),
            '(' => Err(self.unsupported("a conditional group")),
            'a' | 'i' | 'L' | 'm' | 's' | 'u' | 'x' | '-' => Err(self.unsupported("inline flags")),
            other => Err(self.err(&format!("unknown extension ?{other}"))),
        }
    }

    /// After `\` outside a class.
    fn escape(&mut self) -> Result<Last, String> {
        let Some(e) = self.next() else {
            return Err(self.err("bad escape (end of pattern)"));
        };
        match e {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.out.push_str(&pystr::translate_python_classes(&format!("\\{e}")));
                Ok(Last::Item)
            }
            'A' => {
                self.out.push_str(r"\A");
                Ok(Last::Anchor)
            }
            'Z' => {
                self.out.push_str(r"\z");
                Ok(Last::Anchor)
            }
            'b' | 'B' => Err(self.unsupported("Python's word boundary `\\b`/`\\B`")),
            'N' => Err(self.unsupported("a named character escape `\\N{…}`")),
            '1'..='9' => {
                // An octal escape only with three octal digits; otherwise a backreference.
                let d1 = self.peek();
                let d2 = self.chars.get(self.pos + 1).copied();
                match (d1, d2) {
                    (Some(a), Some(b)) if is_octal(e) && is_octal(a) && is_octal(b) => {
                        self.pos += 2;
                        let value = octal(&[e, a, b]);
                        if value > 0o377 {
                            return Err(self.err("octal escape value outside of range 0-0o377"));
                        }
                        self.literal_code(value)?;
                        Ok(Last::Item)
                    }
                    _ => Err(self.unsupported("a backreference")),
                }
            }
            _ => {
                let c = self.common_escape(e)?;
                self.literal(c);
                Ok(Last::Item)
            }
        }
    }

    /// Escapes that mean one character, the same inside and outside a class: `\n`, `\x41`,
    /// `\u0041`, `\0`, `\.` …
    fn common_escape(&mut self, e: char) -> Result<char, String> {
        let simple = match e {
            'a' => Some('\x07'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(c) = simple {
            return Ok(c);
        }
        match e {
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut value = 0u32;
                for _ in 0..n {
                    match self.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            self.pos += 1;
                            value = value.saturating_mul(16).saturating_add(d);
                        }
                        None => return Err(self.err(&format!("incomplete escape \\{e}"))),
                    }
                }
                self.code_char(value)
            }
            '0' => {
                let mut digits = vec!['0'];
                for _ in 0..2 {
                    match self.peek().filter(|&c| is_octal(c)) {
                        Some(c) => {
                            self.pos += 1;
                            digits.push(c);
                        }
                        None => break,
                    }
                }
                self.code_char(octal(&digits))
            }
            c if c.is_ascii_alphanumeric() => Err(self.err(&format!("bad escape \\{c}"))),
            c => Ok(c),
        }
    }

    fn code_char(&self, value: u32) -> Result<char, String> {
        char::from_u32(value).ok_or_else(|| {
            if value > 0x10_FFFF {
                self.err("bad escape (code point out of range)")
            } else {
                self.unsupported("a surrogate code point")
            }
        })
    }

    fn literal_code(&mut self, value: u32) -> Result<(), String> {
        let c = self.code_char(value)?;
        self.literal(c);
        Ok(())
    }

    /// After `[`: one Python character set, rebuilt item by item.
    fn class(&mut self) -> Result<(), String> {
        let negate = self.eat('^');
        let mut body = String::new();
        let mut items = 0usize;
        loop {
            let Some(c) = self.next() else {
                return Err(self.err("unterminated character set"));
            };
            if c == ']' && items > 0 {
                break;
            }
            // The first item: a literal char, or a class like `\d` (`Err(class)`).
            let first: Result<char, String> = if c == '\\' { self.class_escape()? } else { Ok(c) };
            items += 1;
            if self.eat('-') {
                let Some(that) = self.next() else {
                    return Err(self.err("unterminated character set"));
                };
                if that == ']' {
                    match first {
                        Ok(ch) => push_literal(&mut body, ch),
                        Err(class) => body.push_str(&class),
                    }
                    push_literal(&mut body, '-');
                    break;
                }
                let second = if that == '\\' { self.class_escape()? } else { Ok(that) };
                match (first, second) {
                    (Ok(lo), Ok(hi)) if lo <= hi => {
                        let _ =
                            write!(body, "\\x{{{:X}}}-\\x{{{:X}}}", u32::from(lo), u32::from(hi));
                    }
                    _ => return Err(self.err("bad character range")),
                }
            } else {
                match first {
                    Ok(ch) => push_literal(&mut body, ch),
                    Err(class) => body.push_str(&class),
                }
            }
        }
        self.out.push('[');
        if negate {
            self.out.push('^');
        }
        self.out.push_str(&body);
        self.out.push(']');
        Ok(())
    }

    /// After `\` inside a class: `Ok(char)` for a literal, `Err(class)` (in `regex` syntax) for
    /// `\d \s \w` and their negations.
    fn class_escape(&mut self) -> Result<Result<char, String>, String> {
        let Some(e) = self.next() else {
            return Err(self.err("unterminated character set"));
        };
        match e {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                Ok(Err(pystr::translate_python_classes(&format!("\\{e}"))))
            }
            'b' => Ok(Ok('\x08')),
            'N' => Err(self.unsupported("a named character escape `\\N{…}`")),
            '1'..='7' => {
                let mut digits = vec![e];
                for _ in 0..2 {
                    match self.peek().filter(|&c| is_octal(c)) {
                        Some(c) => {
                            self.pos += 1;
                            digits.push(c);
                        }
                        None => break,
                    }
                }
                let value = octal(&digits);
                if value > 0o377 {
                    return Err(self.err("octal escape value outside of range 0-0o377"));
                }
                self.code_char(value).map(Ok)
            }
            _ => self.common_escape(e).map(Ok),
        }
    }
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        // Writing into a String cannot fail.
        let _ = write!(out, "\\x{{{:X}}}", u32::from(c));
    }
}

fn is_octal(c: char) -> bool {
    matches!(c, '0'..='7')
}

fn octal(digits: &[char]) -> u32 {
    digits.iter().fold(0, |acc, &d| acc * 8 + d.to_digit(8).unwrap_or(0))
}

/// Python's `str.isidentifier()`, approximated by Python's `\w` (letters, digits, `_`) with no
/// leading digit.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| pystr::is_word_char(c) && !c.is_ascii_digit())
        && chars.all(pystr::is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(pattern: &str, multiline: bool, text: &str) -> Vec<(usize, usize)> {
        let re = compile(pattern, multiline).unwrap();
        re.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    #[test]
    fn literals_never_take_regex_crate_meanings() {
        assert_eq!(spans(r"[[a]", false, "[a"), [(0, 1), (1, 2)]);
        assert_eq!(spans(r"[a&&b]", false, "&"), [(0, 1)]);
        assert_eq!(spans(r"\<", false, "a<b"), [(1, 2)]);
        assert_eq!(spans(r"a{", false, "a{"), [(0, 2)]);
        assert_eq!(spans(r"a{,2}", false, "aaa"), [(0, 2), (2, 3)]);
        assert_eq!(spans(r"x{}", false, "x{}"), [(0, 3)]);
        assert_eq!(spans(r"[]a]", false, "]"), [(0, 1)]);
        assert_eq!(spans(r"[a-]", false, "-"), [(0, 1)]);
    }

    #[test]
    fn python_classes_and_anchors() {
        assert_eq!(spans(r"\s", false, "\u{1c}"), [(0, 1)]);
        assert_eq!(spans(r"[^\s]", false, "\u{1c}x"), [(1, 2)]);
        assert_eq!(spans(r"^a", true, "a\na"), [(0, 1), (2, 3)]);
        assert_eq!(spans(r"a.*$", true, "ab\r\nac"), [(0, 3), (4, 6)]);
    }

    #[test]
    fn python_syntax_errors_and_unsupported_syntax_are_refused() {
        for bad in [r"\s?*a", r"a**", r"(a", r"a)", r"[a", r"\q", r"^*", r"a{3,2}", r"[z-a]"] {
            assert!(compile(bad, false).unwrap_err().contains("not a valid Python"), "{bad}");
        }
        for unsupported in [r"a(?=b)", r"\bfoo", r"(a)\1", r"a*+", r"(?i)a", "a$"] {
            assert!(
                compile(unsupported, false).unwrap_err().contains("not supported"),
                "{unsupported}"
            );
        }
        assert!(compile(r"a$", true).is_ok());
    }

    #[test]
    fn empty_matches_are_refused() {
        let re = compile(r"\s?|x", false).unwrap();
        assert!(find_all_nonempty(&re, "ab").is_err());
        let re = compile(r"\s?x", false).unwrap();
        assert_eq!(find_all_nonempty(&re, "x x").unwrap(), [0..1, 1..3]);
    }
}
