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
//!   under `IGNORECASE` (see [`FoldedText`]), and evaluates `\b` with
//!   [`pystr::is_word_boundary`]'s rule. Every keyword in IFEval's data is of this kind; this
//!   path is kept because keyword checks run per keystroke on long texts and it needs no
//!   backtracking machinery.
//! - **Anything else** (classes, repetition, alternation, groups, lookaround, backreferences…)
//!   runs on [`crate::text::pyre`], the backtracking matcher with `_sre`'s semantics, on the same
//!   folded characters. Python syntax errors make the pattern unusable (checks report
//!   [`crate::checks::Status::Invalid`]), as does the rare pattern that exceeds the matcher's step
//!   budget on a text (Python would backtrack for a very long time there).
//!
//! Which way a pattern went is visible through [`PyPattern::is_fixed`].

use std::borrow::Cow;
use std::fmt;

use crate::text::pyre::{extra_cases, sre_iscased, sre_lower, Flags, Regex};
pub(crate) use crate::text::pyre::{fold_chars, FoldedChar};
use crate::text::{pystr, Span};

/// A text prepared for case-insensitive matching: every character with its byte offset and its
/// `_sre` lowercase. Build it once per text and reuse it for every pattern.
#[derive(Debug)]
pub struct FoldedText<'t> {
    text: &'t str,
    /// `(byte offset, char, _sre lowercase)` per character.
    chars: Cow<'t, [FoldedChar]>,
}

impl<'t> FoldedText<'t> {
    /// Prepares `text`.
    pub fn new(text: &'t str) -> FoldedText<'t> {
        FoldedText { text, chars: Cow::Owned(fold_chars(text)) }
    }

    /// A view of `text` with its characters already folded by [`fold_chars`] (an
    /// [`crate::text::Analysis`] keeps them, so that every keyword check shares one folding).
    pub(crate) fn borrowed(text: &'t str, chars: &'t [FoldedChar]) -> FoldedText<'t> {
        FoldedText { text, chars: Cow::Borrowed(chars) }
    }

    /// The text itself.
    pub fn text(&self) -> &'t str {
        self.text
    }
}

impl FoldedText<'_> {
    /// Byte offset of character index `i` (the text's length for `i` = the number of chars).
    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(o, _, _)| o)
    }

    /// Python's `\b` before character index `i`.
    fn is_boundary(&self, i: usize) -> bool {
        if self.chars.is_empty() {
            return false;
        }
        let before = i.checked_sub(1).and_then(|j| self.chars.get(j));
        let before = before.is_some_and(|&(_, c, _)| pystr::is_word_char(c));
        let after = self.chars.get(i).is_some_and(|&(_, c, _)| pystr::is_word_char(c));
        before != after
    }
}

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
    Fixed(Vec<Item>),
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
            Some(items) => Ok(Compiled::Fixed(items)),
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
    /// invalid, or if it exceeds the matcher's step budget on this text.
    pub fn search(&self, text: &FoldedText<'_>) -> Result<Option<Span>, Cow<'_, str>> {
        match &self.compiled {
            Err(e) => Err(Cow::Borrowed(e)),
            Ok(Compiled::Fixed(items)) => {
                let first = FirstItem::of(items);
                Ok((0..=text.chars.len())
                    .filter(|&i| first.may_start(text, i))
                    .find_map(|i| match_at(items, text, i).map(|j| (i, j)))
                    .map(|(i, j)| Span::new(text.offset(i), text.offset(j))))
            }
            Ok(Compiled::Engine(re)) => {
                re.search_chars(text.text, &text.chars).map_err(|e| Cow::Owned(e.to_string()))
            }
        }
    }

    /// `re.findall(pattern, text, re.IGNORECASE)`: the non-overlapping matches, left to right
    /// (Python 3.7+ rules: an empty match may follow a non-empty one directly). `Err` as for
    /// [`PyPattern::search`].
    pub fn find_all(&self, text: &FoldedText<'_>) -> Result<Vec<Span>, Cow<'_, str>> {
        match &self.compiled {
            Err(e) => Err(Cow::Borrowed(e)),
            Ok(Compiled::Fixed(items)) => Ok(fixed_find_iter(items, text).collect()),
            Ok(Compiled::Engine(re)) => {
                re.find_iter_chars(text.text, &text.chars).map_err(|e| Cow::Owned(e.to_string()))
            }
        }
    }

    /// Whether this is an exact pattern ([`PyPattern::is_fixed`]) that matches `text` at exactly
    /// `span` (`re.match` at `span.start` ending at `span.end`; a fixed-width pattern has one
    /// match at a position). Lets a caller confirm a span it was told is a match.
    pub(crate) fn exact_match_is(&self, text: &FoldedText<'_>, span: Span) -> bool {
        let Ok(Compiled::Fixed(items)) = &self.compiled else { return false };
        let Ok(i) = text.chars.binary_search_by_key(&span.start, |&(o, _, _)| o) else {
            return false;
        };
        match_at(items, text, i).is_some_and(|j| text.offset(j) == span.end)
    }

    /// [`PyPattern::find_all`]'s matches one at a time, for an exact pattern
    /// ([`PyPattern::is_fixed`]); `None` for any other. Lets a caller stop at the first match
    /// that tells it what it needs (the loose candidates of [`crate::ifeval`]).
    pub(crate) fn exact_find_iter<'s>(
        &'s self,
        text: &'s FoldedText<'_>,
    ) -> Option<impl Iterator<Item = Span> + 's> {
        match &self.compiled {
            Ok(Compiled::Fixed(items)) => Some(fixed_find_iter(items, text)),
            _ => None,
        }
    }
}

/// `re.finditer` for a fixed-width pattern: the non-overlapping matches, left to right.
fn fixed_find_iter<'s>(
    items: &'s [Item],
    text: &'s FoldedText<'_>,
) -> impl Iterator<Item = Span> + 's {
    let first = FirstItem::of(items);
    let mut i = 0;
    std::iter::from_fn(move || {
        while i <= text.chars.len() {
            if !first.may_start(text, i) {
                i += 1;
                continue;
            }
            match match_at(items, text, i) {
                Some(j) => {
                    let span = Span::new(text.offset(i), text.offset(j));
                    // A fixed-width match at `i` is the only one there: after an empty match,
                    // move on.
                    i = if j == i { i + 1 } else { j };
                    return Some(span);
                }
                None => i += 1,
            }
        }
        None
    })
}

/// A cheap necessary condition for [`match_at`]: the pattern's first character-consuming item,
/// when only zero-width assertions come before it (they test the same position). Testing it
/// first skips the boundary tests at the many positions where the first letter already differs.
struct FirstItem<'p>(Option<&'p Item>);

impl<'p> FirstItem<'p> {
    fn of(items: &'p [Item]) -> FirstItem<'p> {
        let first = items.iter().find(|item| !item.is_zero_width());
        FirstItem(first.filter(|item| matches!(item, Item::Exact(_) | Item::Fold(..))))
    }

    /// Whether a match may start at character index `i`.
    fn may_start(&self, text: &FoldedText<'_>, i: usize) -> bool {
        match self.0 {
            None => true,
            Some(Item::Exact(c)) => text.chars.get(i).is_some_and(|&(_, t, _)| t == *c),
            Some(Item::Fold(set, len)) => text
                .chars
                .get(i)
                .is_some_and(|&(_, _, l)| set.iter().take(usize::from(*len)).any(|&s| s == l)),
            Some(_) => true,
        }
    }
}

/// Matches the fixed-width `items` at character index `i`; returns the end index.
fn match_at(items: &[Item], text: &FoldedText<'_>, i: usize) -> Option<usize> {
    let n = text.chars.len();
    let mut j = i;
    for item in items {
        let ok = match item {
            Item::Exact(c) => text.chars.get(j).is_some_and(|&(_, t, _)| t == *c),
            Item::Fold(set, len) => text
                .chars
                .get(j)
                .is_some_and(|&(_, _, l)| set.iter().take(usize::from(*len)).any(|&s| s == l)),
            Item::Any => text.chars.get(j).is_some_and(|&(_, t, _)| t != '\n'),
            Item::Boundary => {
                if !text.is_boundary(j) {
                    return None;
                }
                continue;
            }
            Item::NonBoundary => {
                if n == 0 || text.is_boundary(j) {
                    return None;
                }
                continue;
            }
            Item::Start => {
                if j != 0 {
                    return None;
                }
                continue;
            }
            Item::End => {
                if j != n {
                    return None;
                }
                continue;
            }
            Item::Dollar => {
                let before_final_newline =
                    j + 1 == n && text.chars.get(j).is_some_and(|&(_, t, _)| t == '\n');
                if j != n && !before_final_newline {
                    return None;
                }
                continue;
            }
        };
        if !ok {
            return None;
        }
        j += 1;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

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
