//! Keyword patterns as IFEval runs them: Python `re` patterns, searched case-insensitively.
//!
//! IFEval splices its keyword parameters into regexes unescaped — `re.search(keyword, text,
//! re.IGNORECASE)`, `re.findall(...)`, `re.search(r"\b" + word + r"\b", ...)` — so a keyword is a
//! Python regular expression, and a port must match it the way CPython 3.11's `re` does. Two parts
//! of that cannot be had from the `regex` crate: Python's `\b` (built on Python's `\w`, which
//! excludes combining marks) and Python's case-insensitive matching (`_sre` compares simple
//! lowercase mappings from Unicode 14, plus a fixed table of extra equivalences such as `s`/`ſ`,
//! where the `regex` crate uses simple case folding from a newer Unicode).
//!
//! So a pattern is compiled one of two ways ([`PyPattern::new`]), both exact:
//!
//! - **Fixed-width patterns** — literal characters, escaped punctuation (`c\+\+`), `.`, and the
//!   zero-width `\b`, `\B`, `^`, `$`, `\A`, `\Z` — are matched by a small matcher here that
//!   follows `_sre` exactly: it tries every start position, compares characters as `_sre` does
//!   under `IGNORECASE` (a cased character matches any character whose `_sre` lowercase is in its
//!   set), and evaluates `\b` with [`pystr::is_word_boundary`]. Every keyword in IFEval's
//!   data is of this kind. It exists because keyword checks run per keystroke on long texts: it
//!   reads the text's bytes directly (no per-character table) and jumps with `memchr` to the
//!   bytes that can begin the first character, then tests the byte after it against the second
//!   character, so most of a text is never decoded. It counts its steps like the backtracking
//!   matcher (one per position tried and per byte compared) against the same budget: a long
//!   keyword that matches in part almost everywhere would make it quadratic.
//! - **Anything else** (classes, repetition, alternation, groups, lookaround, backreferences…)
//!   runs on [`crate::text::pyre`], the backtracking matcher with `_sre`'s semantics, on the same
//!   folded characters. Python syntax errors make the pattern unusable (checks report
//!   [`crate::checks::Status::Invalid`]), as does the rare pattern that exceeds the matcher's step
//!   budget on a text (Python would backtrack for a very long time there).
//!
//! Which way a pattern went is visible through [`PyPattern::is_fixed`].

use std::borrow::Cow;
use std::fmt;

use crate::text::pyre::{extra_cases, sre_iscased, sre_lower, Budget, Flags, Regex, STEP_BUDGET};
use crate::text::{pystr, FoldedText, Span};

/// One element of a fixed-width pattern.
#[derive(Clone, Debug)]
enum Item {
    /// An uncased character: matches only itself.
    Exact(char),
    /// A cased character: matches any character whose `_sre` lowercase is in the set.
    Fold([char; 3], u8),
    /// `.`: any character but `\n`.
    Any,
    /// `\b`.
    Boundary,
    /// `\B`.
    NonBoundary,
    /// `^` or `\A`.
    Start,
    /// `\Z`.
    End,
    /// `$` (no MULTILINE): the end, or just before a final `\n`.
    Dollar,
}

impl Item {
    /// Whether the item is an assertion that consumes no character.
    fn is_zero_width(&self) -> bool {
        !matches!(self, Item::Exact(_) | Item::Fold(..) | Item::Any)
    }

    /// Whether the character-consuming item matches `t` (`_sre` under `IGNORECASE`: an uncased
    /// character only itself, a cased one any character whose lowercase is in its set).
    fn matches(&self, t: char) -> bool {
        match self {
            Item::Exact(c) => t == *c,
            Item::Fold(set, len) => {
                let l = sre_lower(t);
                set.iter().take(usize::from(*len)).any(|&s| s == l)
            }
            Item::Any => t != '\n',
            _ => false,
        }
    }

    fn literal(c: char) -> Item {
        if !sre_iscased(c) {
            return Item::Exact(c);
        }
        let lo = sre_lower(c);
        let mut set = [lo; 3];
        let mut n = 1u8;
        for &extra in extra_cases(lo) {
            if let Some(slot) = set.get_mut(usize::from(n)) {
                *slot = extra;
                n += 1;
            }
        }
        Item::Fold(set, n)
    }
}

/// How a pattern was compiled.
#[derive(Clone, Debug)]
enum Compiled {
    /// Fixed-width, matched here exactly as `_sre` does.
    Fixed(Fixed),
    /// Everything else, on the backtracking matcher.
    Engine(Box<Regex>),
}

/// A Python `re` pattern run with `re.IGNORECASE`, compiled once.
///
/// Equality compares the pattern source.
#[derive(Clone, Debug)]
pub struct PyPattern {
    source: String,
    compiled: Result<Compiled, String>,
}

impl PartialEq for PyPattern {
    fn eq(&self, other: &PyPattern) -> bool {
        self.source == other.source
    }
}

impl Eq for PyPattern {}

impl fmt::Display for PyPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Parses a fixed-width pattern, or `None` if `pattern` uses anything else.
fn parse_fixed(pattern: &str) -> Option<Vec<Item>> {
    let mut items = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let item = match c {
            '.' => Item::Any,
            '^' => Item::Start,
            '$' => Item::Dollar,
            '{' => {
                if repeat_follows(chars.as_str()) {
                    return None;
                }
                Item::literal('{')
            }
            '*' | '+' | '?' | '[' | '|' | '(' | ')' => return None,
            '\\' => match chars.next()? {
                'b' => Item::Boundary,
                'B' => Item::NonBoundary,
                'A' => Item::Start,
                'Z' => Item::End,
                'a' => Item::literal('\u{7}'),
                'f' => Item::literal('\u{c}'),
                'n' => Item::literal('\n'),
                'r' => Item::literal('\r'),
                't' => Item::literal('\t'),
                'v' => Item::literal('\u{b}'),
                e if e.is_ascii_alphanumeric() => return None,
                e => Item::literal(e),
            },
            c => Item::literal(c),
        };
        items.push(item);
    }
    Some(items)
}

/// Whether the text after a `{` makes it a repetition (`{m}`, `{m,}`, `{,n}`, `{m,n}`, `{,}`) in
/// Python's parser; otherwise (`{}`, `{x`, `{2`) the `{` is a literal character.
fn repeat_follows(rest: &str) -> bool {
    if rest.starts_with('}') {
        return false;
    }
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = match rest.strip_prefix(',') {
        Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    rest.starts_with('}')
}

impl PyPattern {
    /// Compiles `pattern` (see the module docs for the two ways). Never fails: a pattern that
    /// cannot be used keeps its error, which [`PyPattern::search`] and [`PyPattern::find_all`]
    /// return.
    pub fn new(pattern: &str) -> PyPattern {
        let compiled = match parse_fixed(pattern) {
            Some(items) => Ok(Compiled::Fixed(Fixed::new(items))),
            None => Regex::new(pattern, Flags { ignorecase: true, ..Flags::default() })
                .map(|re| Compiled::Engine(Box::new(re)))
                .map_err(|e| e.to_string()),
        };
        PyPattern { source: pattern.to_owned(), compiled }
    }

    /// The pattern as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the pattern is fixed-width and runs on the fast matcher here rather than on the
    /// backtracking matcher (both follow CPython's `re` exactly).
    pub fn is_fixed(&self) -> bool {
        matches!(self.compiled, Ok(Compiled::Fixed(_)))
    }

    /// The reason the pattern cannot be used, if it cannot.
    pub fn error(&self) -> Option<&str> {
        self.compiled.as_ref().err().map(String::as_str)
    }

    /// `re.search(pattern, text, re.IGNORECASE)`: the first match. `Err` if the pattern is
    /// invalid, or if it exceeds the matchers' step budget on this text.
    pub fn search(&self, text: &FoldedText<'_>) -> Result<Option<Span>, Cow<'_, str>> {
        self.search_within(text, &mut Budget::new())
    }

    /// [`PyPattern::search`] within `budget`, which the caller shares between the patterns of
    /// one verdict.
    pub(crate) fn search_within(
        &self,
        text: &FoldedText<'_>,
        budget: &mut Budget,
    ) -> Result<Option<Span>, Cow<'_, str>> {
        match &self.compiled {
            Err(e) => Err(Cow::Borrowed(e)),
            Ok(Compiled::Fixed(fixed)) => {
                let start = budget.left();
                let mut matches = fixed.find_iter(text.text(), start);
                let first = matches.next();
                if matches.charge(budget) {
                    Ok(first)
                } else {
                    Err(Cow::Owned(self.fixed_exceeded(budget, start)))
                }
            }
            Ok(Compiled::Engine(re)) => re
                .search_chars(text.text(), text.chars(), budget)
                .map_err(|e| Cow::Owned(e.to_string())),
        }
    }

    /// `re.findall(pattern, text, re.IGNORECASE)`: the non-overlapping matches, left to right
    /// (Python 3.7+ rules: an empty match may follow a non-empty one directly). `Err` as for
    /// [`PyPattern::search`].
    pub fn find_all(&self, text: &FoldedText<'_>) -> Result<Vec<Span>, Cow<'_, str>> {
        self.find_all_within(text, &mut Budget::new())
    }

    /// [`PyPattern::find_all`] within `budget` (see [`PyPattern::search_within`]).
    pub(crate) fn find_all_within(
        &self,
        text: &FoldedText<'_>,
        budget: &mut Budget,
    ) -> Result<Vec<Span>, Cow<'_, str>> {
        match &self.compiled {
            Err(e) => Err(Cow::Borrowed(e)),
            Ok(Compiled::Fixed(fixed)) => {
                let start = budget.left();
                let mut matches = fixed.find_iter(text.text(), start);
                let all: Vec<Span> = matches.by_ref().collect();
                if matches.charge(budget) {
                    Ok(all)
                } else {
                    Err(Cow::Owned(self.fixed_exceeded(budget, start)))
                }
            }
            Ok(Compiled::Engine(re)) => re
                .find_iter_chars(text.text(), text.chars(), budget)
                .map_err(|e| Cow::Owned(e.to_string())),
        }
    }

    /// The message for a fixed-width pattern that ran out of `budget` (which held `start`).
    fn fixed_exceeded(&self, budget: &Budget, start: u64) -> String {
        let alone = "it matches in part at too many places";
        budget.exceeded(&self.source, start, alone).to_string()
    }

    /// Whether this is an exact pattern ([`PyPattern::is_fixed`]) that matches `text` at exactly
    /// `span` (`re.match` at `span.start` ending at `span.end`; a fixed-width pattern has one
    /// match at a position). Lets a caller confirm a span it was told is a match.
    pub(crate) fn exact_match_is(&self, text: &FoldedText<'_>, span: Span) -> bool {
        let Ok(Compiled::Fixed(fixed)) = &self.compiled else { return false };
        text.text().is_char_boundary(span.start)
            && match_at(&fixed.items, text.text(), span.start) == Ok(span.end)
    }

    /// [`PyPattern::find_all`]'s matches one at a time, for an exact pattern
    /// ([`PyPattern::is_fixed`]); `None` for any other. Lets a caller stop at the first match
    /// that tells it what it needs (the loose candidates of [`crate::ifeval`]). The matches
    /// stop where a fresh step budget runs out: every one given is a match, but there may be
    /// more (which suits a caller that only needs some).
    pub(crate) fn exact_find_iter<'s>(
        &'s self,
        text: &'s FoldedText<'_>,
    ) -> Option<impl Iterator<Item = Span> + 's> {
        match &self.compiled {
            Ok(Compiled::Fixed(fixed)) => Some(fixed.find_iter(text.text(), STEP_BUDGET)),
            _ => None,
        }
    }
}

/// A fixed-width pattern with the bytes at which a match can start.
#[derive(Clone, Debug)]
struct Fixed {
    items: Vec<Item>,
    /// Which bytes can begin a match: those that can begin a character matching the pattern's
    /// first character-consuming item, when only zero-width assertions come before it (they test
    /// the same position) and it is a character test, not `.`. A cheap necessary condition that
    /// skips most positions without decoding or boundary tests.
    starts: Option<ByteSet>,
    /// The bytes in `starts` when there are at most three (`memchr` finds them fast).
    few: Option<Vec<u8>>,
    /// When the first item matches only ASCII characters: which bytes can begin a character
    /// matching the second character-consuming item (so they are tested at the next byte).
    second: Option<ByteSet>,
}

/// A set of byte values.
type ByteSet = Box<[bool; 256]>;

/// Whether `b` is in `set` (a `u8` always indexes it: the check compiles away).
fn has(set: &[bool; 256], b: u8) -> bool {
    set.get(usize::from(b)).copied().unwrap_or(false)
}

/// The bytes that can begin a character that `item` matches; `None` for `.` and zero-width
/// assertions.
fn lead_bytes(item: &Item) -> Option<ByteSet> {
    let mut set = Box::new([false; 256]);
    match item {
        Item::Exact(c) => {
            let b = c.encode_utf8(&mut [0; 4]).as_bytes().first().copied()?;
            *set.get_mut(usize::from(b))? = true;
        }
        Item::Fold(lows, len) => {
            let lows = lows.get(..usize::from(*len)).unwrap_or_default();
            for (b, s) in (0..0x80u8).zip(set.iter_mut()) {
                *s = lows.contains(&sre_lower(char::from(b)));
            }
            // A non-ASCII character lowers to an ASCII one only for `i` and `k`
            // (`pystr::lowers_from_non_ascii`); any other member may come from any non-ASCII
            // character, so every lead byte is a candidate then.
            if lows.iter().any(|&l| pystr::lowers_from_non_ascii(l)) {
                set.iter_mut().skip(0xC0).for_each(|s| *s = true);
            }
        }
        _ => return None,
    }
    Some(set)
}

impl Fixed {
    fn new(items: Vec<Item>) -> Fixed {
        let mut consuming = items.iter().filter(|item| !item.is_zero_width());
        let starts = consuming.next().and_then(lead_bytes);
        let few = starts.as_ref().and_then(|set| {
            let marked: Vec<u8> = (0..=255u8).filter(|&b| has(set, b)).collect();
            (marked.len() <= 3).then_some(marked)
        });
        let ascii_first = starts.as_ref().is_some_and(|set| set.iter().skip(0x80).all(|&s| !s));
        let second = consuming.next().filter(|_| ascii_first).and_then(lead_bytes);
        Fixed { items, starts, few, second }
    }

    /// The first byte at or after `i` that can start a match (never a UTF-8 continuation
    /// byte, so it is a character boundary).
    fn next_start(&self, text: &str, mut i: usize) -> Option<usize> {
        let Some(starts) = &self.starts else { return Some(i) };
        let bytes = text.as_bytes();
        loop {
            let rest = bytes.get(i..)?;
            let found = match self.few.as_deref() {
                Some(&[a]) => memchr::memchr(a, rest),
                Some(&[a, b]) => memchr::memchr2(a, b, rest),
                Some(&[a, b, c]) => memchr::memchr3(a, b, c, rest),
                _ => rest.iter().position(|&b| has(starts, b)),
            };
            i += found?;
            // The first character is one ASCII byte: the second one starts right after it.
            match (&self.second, bytes.get(i + 1)) {
                (Some(second), Some(&b)) if !has(second, b) => i += 1,
                (Some(_), None) => return None,
                _ => return Some(i),
            }
        }
    }

    /// `re.finditer`: the non-overlapping matches in `text`, left to right, for at most
    /// `limit` steps.
    fn find_iter<'s>(&'s self, text: &'s str, limit: u64) -> Matches<'s> {
        Matches { fixed: self, text, i: 0, steps: 0, limit, exhausted: false }
    }
}

/// A [`Fixed`] pattern's matches in a text, left to right, counting the steps they take: one
/// per start position tried and one per byte compared there. A long keyword that matches in part
/// almost everywhere (`aaa…ab` in `aaa…a`) would make that quadratic, so the iterator stops when
/// the steps pass `limit`, and says so ([`Matches::exhausted`]); positions `memchr` skips cost
/// nothing.
struct Matches<'s> {
    fixed: &'s Fixed,
    text: &'s str,
    /// Where the next search starts.
    i: usize,
    steps: u64,
    limit: u64,
    exhausted: bool,
}

impl Iterator for Matches<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        while self.i <= self.text.len() {
            if self.steps > self.limit {
                self.exhausted = true;
                return None;
            }
            let i = self.fixed.next_start(self.text, self.i)?;
            let reached = match_at(&self.fixed.items, self.text, i);
            let (Ok(end) | Err(end)) = reached;
            self.steps += 1 + (end - i) as u64;
            match reached {
                Ok(j) => {
                    // A fixed-width match at `i` is the only one there: after an empty match,
                    // move on by one character.
                    self.i = if j == i { next_boundary(self.text, i) } else { j };
                    return Some(Span::new(i, j));
                }
                Err(_) => self.i = next_boundary(self.text, i),
            }
        }
        None
    }
}

impl Matches<'_> {
    /// Charges `budget` for the steps taken; `false` if the search stopped at its limit or
    /// the budget did not cover it.
    fn charge(&self, budget: &mut Budget) -> bool {
        let ok = !self.exhausted && budget.spend(self.steps);
        if !ok {
            budget.spend(u64::MAX);
        }
        ok
    }
}

/// The byte after the character at `i` (past the end when `i` is the end).
fn next_boundary(text: &str, i: usize) -> usize {
    i + pystr::char_at(text, i).map_or(1, char::len_utf8)
}

/// Matches the fixed-width `items` at byte `i` of `text` (a character boundary); returns the
/// end of the match, or where the match failed.
fn match_at(items: &[Item], text: &str, i: usize) -> Result<usize, usize> {
    let n = text.len();
    let mut j = i;
    for item in items {
        let ok = match item {
            Item::Exact(_) | Item::Fold(..) | Item::Any => match pystr::char_at(text, j) {
                Some(t) if item.matches(t) => {
                    j += t.len_utf8();
                    true
                }
                _ => false,
            },
            Item::Boundary => pystr::is_word_boundary(text, j),
            Item::NonBoundary => n != 0 && !pystr::is_word_boundary(text, j),
            Item::Start => j == 0,
            Item::End => j == n,
            Item::Dollar => j == n || (j + 1 == n && text.as_bytes().get(j) == Some(&b'\n')),
        };
        if !ok {
            return Err(j);
        }
    }
    Ok(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_keyword_matching_in_part_everywhere_is_too_expensive() {
        // 3,000 `a`s then `b`, in 5,000 `a`s: every position matches 3,000 characters before
        // failing (quadratic); the matcher stops at its step budget and says so.
        let keyword = format!("{}b", "a".repeat(3_000));
        let pattern = PyPattern::new(&keyword);
        assert!(pattern.is_fixed());
        let text = "a".repeat(5_000);
        let err = pattern.search(&FoldedText::new(&text)).unwrap_err();
        assert!(err.ends_with("(it matches in part at too many places)"), "{err}");
        assert!(pattern.find_all(&FoldedText::new(&text)).is_err());
        // Shorter texts are answered.
        assert_eq!(pattern.search(&FoldedText::new(&text[..3_500])), Ok(None));
    }

    fn all(p: &str, t: &str) -> Vec<String> {
        let f = FoldedText::new(t);
        PyPattern::new(p).find_all(&f).unwrap().iter().map(|s| s.slice(t).to_owned()).collect()
    }

    fn found(p: &str, t: &str) -> bool {
        PyPattern::new(p).search(&FoldedText::new(t)).unwrap().is_some()
    }

    #[test]
    fn literal_substrings_case_insensitive() {
        assert_eq!(all("cat", "Concatenate CAT cat"), ["cat", "CAT", "cat"]);
        assert!(PyPattern::new("cat").is_fixed());
        assert_eq!(all("aa", "aaaaa"), ["aa", "aa"]);
    }

    #[test]
    fn python_case_equivalences() {
        // `_sre` lowercases İ to i, and treats s/ſ, K/k (Kelvin sign) and σ/ς as equal.
        assert!(found("i", "İ"));
        assert!(found("İ", "i"));
        assert!(found("s", "ſ"));
        assert!(found("k", "\u{212a}"));
        assert!(found("σ", "ΟΔΟΣ"));
        assert!(found("ς", "σ"));
        assert!(!found("ß", "ss"));
        // ß is cased (upper is SS), ẞ lowercases to ß.
        assert!(found("ß", "ẞ"));
    }

    #[test]
    fn word_boundaries_use_python_word_chars() {
        // A combining mark is not a Python word character, so `\b` falls inside "हिन्दी".
        assert!(found(r"\bह\b", "हिन्दी"));
        assert!(!found(r"\bcat\b", "concatenate"));
        assert!(found(r"\bcat\b", "a cat."));
        assert!(!found(r"\b\b", ""));
        assert!(!found(r"\B", ""));
        assert_eq!(all(r"\b", "ab cd").len(), 4);
    }

    #[test]
    fn empty_pattern_matches_between_every_character() {
        assert_eq!(all("", "aé").len(), 3);
        assert!(found("", ""));
    }

    #[test]
    fn escapes_dot_and_anchors() {
        assert_eq!(all(r"c\+\+", "C++ and c++"), ["C++", "c++"]);
        assert!(PyPattern::new(r"c\+\+").is_fixed());
        assert_eq!(all("a.c", "abc a\nc"), ["abc"]);
        assert!(found("x$", "x\n"));
        assert!(!found(r"x\Z", "x\n"));
        assert!(found("^x", "xy"));
        assert!(!found("^y", "xy"));
    }

    #[test]
    fn other_patterns_run_on_the_backtracking_matcher_or_are_invalid() {
        let p = PyPattern::new("colou?r");
        assert!(!p.is_fixed());
        assert_eq!(all("colou?r", "Color colour"), ["Color", "colour"]);
        assert_eq!(all(r"\w+", "don't"), ["don", "t"]);
        assert_eq!(all("a*", "baaa"), ["", "aaa", ""]);
        // Python semantics the fixed path cannot express: lookbehind, backreferences, `$`
        // before a final newline, `\b` next to combining marks, `İ` matching `i` in a class.
        assert_eq!(all("(?<=a)b", "ab b"), ["b"]);
        assert_eq!(all(r"(\w)\1", "Aa bc"), ["Aa"]);
        assert_eq!(all(r"x+$", "xx\n"), ["xx"]);
        assert_eq!(all(r"\bह\w*", "हिन्दी"), ["ह"]);
        assert_eq!(all("[i]x|[a-z]y", "İx İY"), ["İx", "İY"]);
        assert!(PyPattern::new("(").error().is_some());
        assert!(PyPattern::new("(").search(&FoldedText::new("ab")).is_err());
        assert!(PyPattern::new("\\").error().is_some());
        assert!(PyPattern::new("*cat").error().is_some());
        assert!(PyPattern::new(r"\b*cat").error().is_some());
        assert!(PyPattern::new("(?:a)*").error().is_none());
        assert!(PyPattern::new("(?<=a+)b").error().is_some());
    }

    #[test]
    fn brace_is_literal_unless_it_makes_a_repetition() {
        // Python: `a{2` and `{}` are literal text; `a{2}` repeats.
        assert!(PyPattern::new("a{2").is_fixed());
        assert_eq!(all("a{2", "A{2 a{2"), ["A{2", "a{2"]);
        assert!(PyPattern::new("x{}").is_fixed());
        assert!(!PyPattern::new("a{2}").is_fixed());
        assert_eq!(all("a{2}", "aaa"), ["aa"]);
    }
}
