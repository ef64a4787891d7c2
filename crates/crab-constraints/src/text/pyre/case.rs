//! Case-insensitive matching as `_sre` does it for `str` patterns: simple lowercase mappings of
//! Unicode 14 (Python's tables in [`pystr`]) plus `re/_casefix.py`'s extra equivalences.
//!
//! The same folding serves the keyword checks' fast fixed-width matcher
//! ([`crate::checks::pattern`]) and the backtracking engine, so it lives here once.

use std::sync::LazyLock;

use crate::text::pystr;

/// `_sre`'s extra case-insensitive equivalences (CPython 3.11 `re/_casefix.py`): characters whose
/// simple lowercase mappings differ but that still match each other under `re.IGNORECASE`.
/// Keyed by the lowercase form, as `_sre` looks them up; sorted by key.
pub(crate) static EXTRA_CASES: &[(char, &[char])] = &[
    ('\u{69}', &['\u{131}']),
    ('\u{73}', &['\u{17f}']),
    ('\u{b5}', &['\u{3bc}']),
    ('\u{131}', &['\u{69}']),
    ('\u{17f}', &['\u{73}']),
    ('\u{345}', &['\u{3b9}', '\u{1fbe}']),
    ('\u{390}', &['\u{1fd3}']),
    ('\u{3b0}', &['\u{1fe3}']),
    ('\u{3b2}', &['\u{3d0}']),
    ('\u{3b5}', &['\u{3f5}']),
    ('\u{3b8}', &['\u{3d1}']),
    ('\u{3b9}', &['\u{345}', '\u{1fbe}']),
    ('\u{3ba}', &['\u{3f0}']),
    ('\u{3bc}', &['\u{b5}']),
    ('\u{3c0}', &['\u{3d6}']),
    ('\u{3c1}', &['\u{3f1}']),
    ('\u{3c2}', &['\u{3c3}']),
    ('\u{3c3}', &['\u{3c2}']),
    ('\u{3c6}', &['\u{3d5}']),
    ('\u{3d0}', &['\u{3b2}']),
    ('\u{3d1}', &['\u{3b8}']),
    ('\u{3d5}', &['\u{3c6}']),
    ('\u{3d6}', &['\u{3c0}']),
    ('\u{3f0}', &['\u{3ba}']),
    ('\u{3f1}', &['\u{3c1}']),
    ('\u{3f5}', &['\u{3b5}']),
    ('\u{432}', &['\u{1c80}']),
    ('\u{434}', &['\u{1c81}']),
    ('\u{43e}', &['\u{1c82}']),
    ('\u{441}', &['\u{1c83}']),
    ('\u{442}', &['\u{1c84}', '\u{1c85}']),
    ('\u{44a}', &['\u{1c86}']),
    ('\u{463}', &['\u{1c87}']),
    ('\u{1c80}', &['\u{432}']),
    ('\u{1c81}', &['\u{434}']),
    ('\u{1c82}', &['\u{43e}']),
    ('\u{1c83}', &['\u{441}']),
    ('\u{1c84}', &['\u{442}', '\u{1c85}']),
    ('\u{1c85}', &['\u{442}', '\u{1c84}']),
    ('\u{1c86}', &['\u{44a}']),
    ('\u{1c87}', &['\u{463}']),
    ('\u{1c88}', &['\u{a64b}']),
    ('\u{1e61}', &['\u{1e9b}']),
    ('\u{1e9b}', &['\u{1e61}']),
    ('\u{1fbe}', &['\u{345}', '\u{3b9}']),
    ('\u{1fd3}', &['\u{390}']),
    ('\u{1fe3}', &['\u{3b0}']),
    ('\u{a64b}', &['\u{1c88}']),
    ('\u{fb05}', &['\u{fb06}']),
    ('\u{fb06}', &['\u{fb05}']),
];

/// The extra equivalents of the lowercase character `lo` (empty for most characters).
pub(crate) fn extra_cases(lo: char) -> &'static [char] {
    EXTRA_CASES
        .binary_search_by_key(&lo, |&(k, _)| k)
        .ok()
        .and_then(|i| EXTRA_CASES.get(i))
        .map_or(&[], |&(_, e)| e)
}

/// `_sre.unicode_tolower` for one character: Python's `c.lower()` when that is one character,
/// else its first character (only `İ` lowercases to two, `i` + U+0307).
pub(crate) fn sre_lower(c: char) -> char {
    pystr::lower_first(c)
}

/// `_sre`'s uppercase of one character: Python's `c.upper()` when that is one character, else
/// the character itself (the simple mapping, for the characters where it matters here).
pub(crate) fn sre_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut buf = [0u8; 4];
    let up = pystr::upper(c.encode_utf8(&mut buf));
    let mut chars = up.chars();
    match (chars.next(), chars.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `_sre.unicode_iscased`: whether `c` has a lowercase or uppercase mapping other than itself.
pub(crate) fn sre_iscased(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    pystr::lower(s) != s || pystr::upper(s) != s
}

/// `(byte offset, char, _sre lowercase)` of one character of a text.
pub(crate) type FoldedChar = (usize, char, char);

/// Every character of `text` with its byte offset and its `_sre` lowercase.
pub(crate) fn fold_chars(text: &str) -> Vec<FoldedChar> {
    // Python's full lowercase maps each character on its own (only `Σ` looks at its context,
    // and `_sre` lowercases it to `σ` whatever the context), so one character at a time, with
    // no lowered copy of the text, gives the same folding.
    let mut chars = Vec::with_capacity(text.len());
    chars.extend(text.char_indices().map(|(i, c)| (i, c, sre_lower(c))));
    chars
}

/// Every character of `text` with its byte offset, for patterns that never compare lowercase
/// forms (the third field is the character itself).
pub(crate) fn plain_chars(text: &str) -> Vec<FoldedChar> {
    text.char_indices().map(|(i, c)| (i, c, c)).collect()
}

/// `(lowercase, character)` for every BMP character whose `_sre` lowercase is another
/// character, sorted: which characters lowercase to a given one (for ranges in classes under
/// `IGNORECASE`, which `_compiler.py` folds character by character).
static LOWERED_FROM: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
    let mut out: Vec<(char, char)> = ('\u{0}'..='\u{ffff}')
        .filter(|&c| !c.is_ascii() || c.is_ascii_uppercase())
        .filter_map(|c| {
            let lo = sre_lower(c);
            (lo != c).then_some((lo, c))
        })
        .collect();
    out.sort_unstable();
    out
});

/// The BMP characters whose `_sre` lowercase is another character, sorted.
static HAS_LOWER: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut out: Vec<char> = LOWERED_FROM.iter().map(|&(_, c)| c).collect();
    out.sort_unstable();
    out
});

/// Whether some character `c` in `lo..=hi` (BMP part only) has `_sre` lowercase `x`.
pub(crate) fn range_lowers_to(lo: char, hi: char, x: char) -> bool {
    let hi = hi.min('\u{ffff}');
    if lo > hi {
        return false;
    }
    if (lo..=hi).contains(&x) && HAS_LOWER.binary_search(&x).is_err() {
        return true;
    }
    let table = &*LOWERED_FROM;
    let start = table.partition_point(|&(l, _)| l < x);
    table
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .take_while(|&&(l, _)| l == x)
        .any(|&(_, c)| (lo..=hi).contains(&c))
}

/// Whether `lo..=hi` contains a cased character (`_compiler.py`'s `any(map(iscased, r))`).
pub(crate) fn range_has_cased(lo: char, hi: char) -> bool {
    // Ranges of uncased characters are short in practice; long ones reach a letter quickly.
    (lo..=hi).any(sre_iscased)
}
