//! Python 3.11 `str` semantics, and the character classes of the two regex engines the
//! reference code runs on.
//!
//! IFEval counts words, strips with `str.strip()`, compares case with `str.isupper()` /
//! `str.lower()`. Python 3.11 answers these from Unicode 14.0, while Rust's `char` methods follow
//! a newer Unicode and use different definitions (Rust's alphanumerics include combining marks,
//! its whitespace excludes U+001C..U+001F). So nothing here uses Rust's `char` classification:
//! every property comes from the generated `tables` submodule, which
//! `scripts/gen_unicode_tables.py` generates from CPython 3.11 and the pinned `regex` package
//! (checking each definition against the engines for every code point).
//! `tests/pystr_reference.rs` keeps the tables current and compares every function with Python
//! on generated texts. This module is the crate's only copy of these tables: [`punkt`] and
//! [`word_tokenize`] call the functions below.
//!
//! # Two regex engines, two sets of classes
//!
//! `\w`, `\s`, `\d` and `(?i)` mean different things on the two engines involved:
//!
//! - **`re`, the standard library** (Python's `str` predicates, Unicode 14.0): `\w` is
//!   `isalnum()` or `_` (no combining marks), `\s` is `isspace()` (includes U+001C..U+001F),
//!   `\d` is `isdecimal()`. IFEval's own checks call `re` directly, and so do NLTK's MacIntyre
//!   contraction rules in `word_tokenize`. Here: [`is_word_char`], [`is_space`], [`is_decimal`],
//!   [`re_ignorecase_eq`], [`word_spans`], [`count_re_words`], [`is_word_boundary`],
//!   [`translate_python_classes`].
//! - **the third-party `regex` package** (2026.11.19, with a much newer Unicode): NLTK 3.10.4
//!   compiles every other pattern with it (`nltk/redos.py`). Its `\w` is Unicode's word class
//!   (letters, **marks**, Nd, Pc, Join_Control), its `\s` is `White_Space` (excludes
//!   U+001C..U+001F), its `(?i)` does not fold `ı` to `i`. This decides IFEval's `count_words`
//!   (NLTK's `RegexpTokenizer(r"\w+")`), Punkt's patterns and most of the `word_tokenize`
//!   cascade. Here: the `is_regex_*` functions, [`regex_ignorecase_eq`], [`nltk_word_spans`],
//!   [`count_words`], [`translate_regex_module_classes`].
//!
//! The two differ on Indic scripts (`"हिन्दी"` is one NLTK word but three `re` words), variation
//! selectors, U+001C..U+001F and characters newer than Unicode 14. Plain `str` methods
//! (`split`, `strip`, `lower`, `isupper`, …) are engine-independent and follow Unicode 14.0.
//!
//! Shape: characters below U+0080 take a cheap branch (most text is ASCII); everything else is a
//! binary search in a sorted range table. Positions are byte offsets ([`Span`]).
//!
//! The `regex` crate's `\w`, `\s`, `\d` are neither engine's: [`translate_python_classes`] and
//! [`translate_regex_module_classes`] rewrite them into explicit classes built from the same
//! tables. Python's `\b` cannot be expressed that way; use [`is_word_boundary`].
//!
//! [`punkt`]: super::punkt
//! [`word_tokenize`]: super::word_tokenize

mod nfkd_ascii;
mod tables;

use std::borrow::Cow;
use std::sync::LazyLock;

use super::Span;

/// Whether `c` lies in one of the sorted, non-overlapping inclusive `ranges`.
fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges
        .binary_search_by(|&(start, end)| {
            if end < c {
                std::cmp::Ordering::Less
            } else if start > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

// ---------------------------------------------------------------------------------------------
// The standard library's `re` on `str` (and the `str` predicates its classes are made of).

/// `re`'s `\w` on `str`: `c.isalnum() or c == "_"` (no combining marks).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(tables::WORD, c)
    }
}

/// `str.isspace()` for one character; also `re`'s `\s` on `str` (they agree on every code
/// point). Includes U+001C..U+001F, U+0085, U+00A0 and U+2028/U+2029, but not U+200B.
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\t'..='\r' | '\x1c'..='\x20')
    } else {
        in_ranges(tables::SPACE, c)
    }
}

/// What a pattern's `\s?` takes at byte `at` of `s`: the length of the whitespace character
/// there ([`is_space`]), or 0.
pub fn space_len_at(s: &str, at: usize) -> usize {
    let c = s.get(at..).and_then(|rest| rest.chars().next());
    c.filter(|&c| is_space(c)).map_or(0, char::len_utf8)
}

/// `re`'s `\d` on `str`, which is `str.isdecimal()`: general category Nd.
pub fn is_decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::DECIMAL, c)
    }
}

/// Case-insensitive matching of `re`: whether `(?i)x`, for the ASCII letter `x` = `letter`,
/// matches `c`. Besides both ASCII cases this admits `İ` and `ı` for `i`, `ſ` for `s` and the
/// Kelvin sign for `k`. For any other `letter` this is plain equality, which is what `(?i)`
/// does for ASCII non-letters in both engines (non-ASCII letters are not supported).
pub fn re_ignorecase_eq(c: char, letter: char) -> bool {
    ignorecase_eq(tables::RE_IGNORECASE_NON_ASCII, c, letter)
}

/// `(?i)` equality of `c` with an ASCII `letter`, given the non-ASCII characters that the
/// engine folds to ASCII letters.
fn ignorecase_eq(non_ascii: &[(u32, u8)], c: char, letter: char) -> bool {
    if !letter.is_ascii_alphabetic() {
        return c == letter;
    }
    if c.is_ascii() {
        return c.eq_ignore_ascii_case(&letter);
    }
    let lower = letter.to_ascii_lowercase();
    non_ascii
        .binary_search_by_key(&u32::from(c), |&(cp, _)| cp)
        .ok()
        .and_then(|i| non_ascii.get(i))
        .is_some_and(|&(_, l)| char::from(l) == lower)
}

// ---------------------------------------------------------------------------------------------
// The third-party `regex` package, as NLTK 3.10.4 compiles its patterns (see the module docs).

/// `\w` of the `regex` package (2026.11.19): Unicode's word class, which includes combining
/// marks (`"हिन्दी"` is one word).
pub fn is_regex_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(tables::REGEX_WORD, c)
    }
}

/// `\s` of the `regex` package (Unicode `White_Space`; unlike `re` and `str.isspace`, it
/// excludes U+001C..U+001F).
pub fn is_regex_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\t'..='\r' | ' ')
    } else {
        in_ranges(tables::REGEX_SPACE, c)
    }
}

/// `\d` of the `regex` package (general category Nd, newer Unicode than Python 3.11).
pub fn is_regex_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::REGEX_DIGIT, c)
    }
}

/// `[^\W\d]` of the `regex` package: a word character that is not a digit (letters, marks,
/// connector punctuation such as `_`). Punkt uses it for initials and "alphabetic" tokens.
pub fn is_regex_word_non_digit(c: char) -> bool {
    is_regex_word_char(c) && !is_regex_digit(c)
}

/// Case-insensitive matching of the `regex` package: like [`re_ignorecase_eq`], but `ı` does
/// not match `i` (`İ`, `ſ` and the Kelvin sign still fold to `i`, `s`, `k`).
pub fn regex_ignorecase_eq(c: char, letter: char) -> bool {
    ignorecase_eq(tables::REGEX_IGNORECASE_NON_ASCII, c, letter)
}

// ---------------------------------------------------------------------------------------------
// `str` predicates and methods (the same whichever regex engine is involved).

/// `str.isdigit()` for one character (Numeric_Type Digit or Decimal, e.g. `²`).
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::DIGIT, c)
    }
}

/// `str.isnumeric()` for one character (any Numeric_Type, e.g. `½`, `Ⅻ`, `三`).
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::NUMERIC, c)
    }
}

/// `str.isalpha()` for one character (general category L*).
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_ranges(tables::ALPHA, c)
    }
}

/// `str.isalnum()` for one character: alphabetic or numeric.
pub fn is_alnum(c: char) -> bool {
    // `\w` is exactly isalnum plus the ASCII underscore.
    c != '_' && is_word_char(c)
}

/// CPython's per-character uppercase flag (Unicode `Uppercase`); `c.isupper()` for one `char`.
pub fn is_upper_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        in_ranges(tables::UPPER, c)
    }
}

/// CPython's per-character lowercase flag (Unicode `Lowercase`); `c.islower()` for one `char`.
pub fn is_lower_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_lowercase()
    } else {
        in_ranges(tables::LOWER, c)
    }
}

/// CPython's per-character titlecase flag: general category Lt (e.g. `ǅ`).
///
/// Note that `c.istitle()` on a one-character string is `is_title_char(c) || is_upper_char(c)`,
/// which is what [`istitle`] returns for it.
pub fn is_title_char(c: char) -> bool {
    !c.is_ascii() && in_ranges(tables::TITLE, c)
}

/// Unicode `Cased`, as used by the Final_Sigma rule of [`lower`].
fn is_cased(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_ranges(tables::CASED, c)
    }
}

/// Unicode `Case_Ignorable`, as used by the Final_Sigma rule of [`lower`].
fn is_case_ignorable(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '\'' | '.' | ':' | '^' | '`')
    } else {
        in_ranges(tables::CASE_IGNORABLE, c)
    }
}

/// `str.isupper()`: at least one uppercase character and no lowercase or titlecase character.
///
/// Uncased characters (digits, punctuation, CJK) are ignored: `"ABC 123"` is upper, `"123"` is
/// not.
pub fn isupper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if is_lower_char(c) || is_title_char(c) {
            return false;
        }
        cased = cased || is_upper_char(c);
    }
    cased
}

/// `str.islower()`: at least one lowercase character and no uppercase or titlecase character.
pub fn islower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if is_upper_char(c) || is_title_char(c) {
            return false;
        }
        cased = cased || is_lower_char(c);
    }
    cased
}

/// `str.istitle()`: uppercase and titlecase characters only follow uncased ones, lowercase
/// characters only follow cased ones, and there is at least one cased character.
pub fn istitle(s: &str) -> bool {
    let mut cased = false;
    let mut previous_is_cased = false;
    for c in s.chars() {
        if is_upper_char(c) || is_title_char(c) {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else if is_lower_char(c) {
            if !previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else {
            previous_is_cased = false;
        }
    }
    cased
}

/// Looks `c` up in a generated case mapping; `None` if it maps to itself.
fn map_case(
    runs: &[(u32, u32, i32, u8)],
    multi: &'static [(u32, &'static str)],
    c: char,
) -> Option<CaseMapped> {
    let cp = u32::from(c);
    let i = runs.partition_point(|&(start, _, _, _)| start <= cp);
    if let Some(&(start, end, delta, stride)) = i.checked_sub(1).and_then(|i| runs.get(i)) {
        if cp <= end && (cp - start) % u32::from(stride.max(1)) == 0 {
            return cp.checked_add_signed(delta).and_then(char::from_u32).map(CaseMapped::One);
        }
    }
    multi
        .binary_search_by_key(&cp, |&(k, _)| k)
        .ok()
        .and_then(|i| multi.get(i))
        .map(|&(_, s)| CaseMapped::Many(s))
}

enum CaseMapped {
    One(char),
    Many(&'static str),
}

fn push_mapped(out: &mut String, c: char, mapped: Option<CaseMapped>) {
    match mapped {
        None => out.push(c),
        Some(CaseMapped::One(m)) => out.push(m),
        Some(CaseMapped::Many(m)) => out.push_str(m),
    }
}

/// Python's Final_Sigma context for the capital sigma at byte `i` of `s`: a cased letter
/// before it and none after it, skipping case-ignorable characters on both sides.
fn is_final_sigma(s: &str, i: usize) -> bool {
    let before = s.get(..i).unwrap_or("");
    let after = s.get(i + 'Σ'.len_utf8()..).unwrap_or("");
    let preceded = before.chars().rev().find(|&c| !is_case_ignorable(c)).is_some_and(is_cased);
    preceded && !after.chars().find(|&c| !is_case_ignorable(c)).is_some_and(is_cased)
}

/// The first character of Python's `c.lower()` for `c` alone (`İ` gives `i`, `Σ` gives `σ`):
/// `_sre`'s lowercase for case-insensitive matching, without building a string.
pub(crate) fn lower_first(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == 'Σ' {
        // Alone, a capital sigma has no cased letter before it: never the final form.
        return 'σ';
    }
    match map_case(tables::LOWER_RUNS, tables::LOWER_MULTI, c) {
        None => c,
        Some(CaseMapped::One(m)) => m,
        Some(CaseMapped::Many(m)) => m.chars().next().unwrap_or(c),
    }
}

/// Whether some non-ASCII character has `letter` in its Python lowercase: true for every
/// non-ASCII `letter`, and for `i` (`İ` lowers to `i` + U+0307) and `k` (the Kelvin sign); for
/// every other ASCII letter only ASCII characters count (a test checks all code points).
pub(crate) fn lowers_from_non_ascii(letter: char) -> bool {
    !letter.is_ascii() || matches!(letter, 'i' | 'k')
}

/// `str.lower()`: Python's full lowercase mapping (`"İ"` becomes `"i̇"`, two code points), with
/// `Σ` becoming `ς` at the end of a word (CPython's Final_Sigma rule) and `σ` elsewhere.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'Σ' {
            out.push(if is_final_sigma(s, i) { 'ς' } else { 'σ' });
        } else {
            push_mapped(&mut out, c, map_case(tables::LOWER_RUNS, tables::LOWER_MULTI, c));
        }
    }
    out
}

/// `str.upper()`: Python's full uppercase mapping (`"ß"` becomes `"SS"`).
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_uppercase());
        } else {
            push_mapped(&mut out, c, map_case(tables::UPPER_RUNS, tables::UPPER_MULTI, c));
        }
    }
    out
}

/// `str.strip()` with no argument (Python whitespace, see [`is_space`]).
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `str.lstrip()` with no argument.
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// `str.rstrip()` with no argument.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Whether `c` is in Python's `string.punctuation`: the 32 ASCII punctuation characters
/// `` !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ `` (Rust's `is_ascii_punctuation` is the same set).
/// IFBench deletes or strips them in most of its checks.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// `s.translate(str.maketrans('', '', string.punctuation))`: `s` without its ASCII punctuation
/// (borrowed when there is none).
pub fn delete_punctuation(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_punctuation()) {
        Cow::Owned(s.chars().filter(|&c| !is_punctuation(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `s.strip(string.punctuation + ' ')` strips `c`: ASCII punctuation and the plain space
/// (no other whitespace).
fn is_punctuation_or_space(c: char) -> bool {
    c == ' ' || is_punctuation(c)
}

/// `s.strip(string.punctuation + ' ')`.
pub fn strip_punctuation(s: &str) -> &str {
    s.trim_matches(is_punctuation_or_space)
}

/// `s.lstrip(string.punctuation + ' ')`.
pub fn lstrip_punctuation(s: &str) -> &str {
    s.trim_start_matches(is_punctuation_or_space)
}

/// `s.rstrip(string.punctuation + ' ')`.
pub fn rstrip_punctuation(s: &str) -> &str {
    s.trim_end_matches(is_punctuation_or_space)
}

/// The value of a decimal digit ([`is_decimal`], Unicode Nd), as Python's `int()` reads it: every
/// Nd character belongs to a run of ten consecutive code points from 0 to 9, and the table's
/// ranges are whole such runs.
pub fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let cp = u32::from(c);
    tables::DECIMAL
        .iter()
        .find(|&&(start, end)| start <= cp && cp <= end)
        .map(|&(start, _)| (cp - start) % 10)
}

/// `int(s)` for a string of decimal digits ([`is_decimal`]) as Python reads it, saturating at
/// `u64::MAX`; `None` for an empty string or any other character.
pub fn decimal_int(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.chars().try_fold(0u64, |n, c| {
        decimal_value(c).map(|d| n.saturating_mul(10).saturating_add(u64::from(d)))
    })
}

/// `unicodedata.normalize('NFKD', s).encode('ASCII', 'ignore').decode('ASCII')` with Python
/// 3.11's Unicode 14.0: letters lose their diacritics (`São Tomé` → `Sao Tome`), compatibility
/// characters become their ASCII spelling (`ﬁ` → `fi`, `Ⅻ` → `XII`), and every other non-ASCII
/// character disappears. (ASCII characters of an NFKD form are starters, which canonical
/// reordering never moves, so each character can be decomposed on its own.)
pub fn nfkd_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_nfkd_ascii(&mut out, c);
        }
    }
    out
}

/// Appends the ASCII part of the NFKD form of the non-ASCII character `c`.
fn push_nfkd_ascii(out: &mut String, c: char) {
    let cp = u32::from(c);
    let key = |packed: &u32| packed >> 11;
    // The last run starting at or before `cp`.
    let run = nfkd_ascii::RUNS.partition_point(|p| key(p) <= cp).checked_sub(1);
    if let Some(i) = run {
        if let (Some(&packed), Some(&first)) =
            (nfkd_ascii::RUNS.get(i), nfkd_ascii::RUN_ASCII.get(i))
        {
            let offset = cp - key(&packed);
            let len = ((packed >> 1) & 0x3ff) + 1;
            if offset < len {
                let step = if packed & 1 == 1 { offset } else { 0 };
                if let Some(a) = u8::try_from(u32::from(first) + step).ok().map(char::from) {
                    out.push(a);
                }
                return;
            }
        }
    }
    if let Ok(i) = nfkd_ascii::MULTI.binary_search_by(|p| key(p).cmp(&cp)) {
        let start = nfkd_ascii::MULTI.get(i).map_or(0, |p| (p & 0x7ff) as usize);
        let end = nfkd_ascii::MULTI
            .get(i + 1)
            .map_or(nfkd_ascii::MULTI_TEXT.len(), |p| (p & 0x7ff) as usize);
        out.push_str(nfkd_ascii::MULTI_TEXT.get(start..end).unwrap_or(""));
    }
}

/// A text lowered with [`lower`], remembering where each lowered character came from, so that
/// spans found in the lowered text can be shown on the original.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// `str.lower()` of the original.
    pub text: String,
    /// `(lowered offset, original offset)` at the start of each original character.
    starts: Vec<(usize, usize)>,
    /// The original's length in bytes.
    original_len: usize,
}

impl Lowered {
    /// Lowers `s` ([`lower`]: the same text, Final_Sigma included).
    pub fn new(s: &str) -> Lowered {
        let text = lower(s);
        let mut starts = Vec::with_capacity(s.len());
        let mut at = 0;
        for (i, c) in s.char_indices() {
            starts.push((at, i));
            // Every character lowers on its own except `Σ`, whose two forms have one length.
            at += if c == 'Σ' { 'σ'.len_utf8() } else { lower_len(c) };
        }
        Lowered { text, starts, original_len: s.len() }
    }

    /// The original byte offset of the character whose lowering covers lowered offset `at`
    /// (the original's end for the lowered text's end).
    fn origin(&self, at: usize) -> usize {
        match self.starts.binary_search_by(|&(l, _)| l.cmp(&at)) {
            Ok(i) => self.starts.get(i).map_or(self.original_len, |&(_, o)| o),
            Err(0) => 0,
            Err(i) => self.starts.get(i - 1).map_or(self.original_len, |&(_, o)| o),
        }
    }

    /// The span of the original that `span` of the lowered text came from (whole characters).
    pub fn original_span(&self, span: Span) -> Span {
        let start = self.origin(span.start);
        let end = if span.end >= self.text.len() {
            self.original_len
        } else {
            match self.starts.binary_search_by(|&(l, _)| l.cmp(&span.end)) {
                Ok(i) => self.starts.get(i).map_or(self.original_len, |&(_, o)| o),
                // Inside the lowering of one character: up to that character's end.
                Err(i) => self.starts.get(i).map_or(self.original_len, |&(_, o)| o),
            }
        };
        Span::new(start, end.max(start))
    }
}

/// The byte length of `c.lower()` for `c` alone (not `Σ`, which depends on its neighbours).
fn lower_len(c: char) -> usize {
    if c.is_ascii() {
        return 1;
    }
    match map_case(tables::LOWER_RUNS, tables::LOWER_MULTI, c) {
        None => c.len_utf8(),
        Some(CaseMapped::One(m)) => m.len_utf8(),
        Some(CaseMapped::Many(m)) => m.len(),
    }
}

/// `str.split()` with no argument, as spans into `s`.
pub fn split_whitespace(s: &str) -> impl Iterator<Item = Span> + '_ {
    runs(s, &ASCII_NOT_SPACE, |c| !is_space(c))
}

/// The maximal runs of Python `re` `\w` characters (`re.finditer(r"\w+", s)`), as spans.
pub fn word_spans(s: &str) -> impl Iterator<Item = Span> + '_ {
    runs(s, &ASCII_WORD, is_word_char)
}

/// `len(re.findall(r"\w+", s))` with the standard library's `re`.
pub fn count_re_words(s: &str) -> usize {
    word_spans(s).count()
}

/// The tokens of NLTK 3.10.4's `RegexpTokenizer(r"\w+")`: maximal runs of the `regex` module's
/// `\w` ([`is_regex_word_char`]), as spans.
pub fn nltk_word_spans(s: &str) -> impl Iterator<Item = Span> + '_ {
    runs(s, &ASCII_WORD, is_regex_word_char)
}

/// [`nltk_word_spans`], collected: the same spans, found faster on long texts (see
/// [`for_each_edge`]).
pub fn nltk_word_span_vec(s: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open = None;
    for_each_edge(s, &ASCII_WORD, is_regex_word_char, |e| match open.take() {
        None => open = Some(e),
        Some(start) => out.push(Span::new(start, e)),
    });
    if let Some(start) = open {
        out.push(Span::new(start, s.len()));
    }
    out
}

/// IFEval's `count_words`: `len(nltk.tokenize.RegexpTokenizer(r"\w+").tokenize(text))`, which
/// with NLTK 3.10.4 runs on the `regex` module (see the module docs); [`count_re_words`] is the
/// `re` count.
pub fn count_words(s: &str) -> usize {
    // Every other edge starts a word.
    let mut edges = 0usize;
    for_each_edge(s, &ASCII_WORD, is_regex_word_char, |_| edges += 1);
    edges.div_ceil(2)
}

/// Python's `\b` (on `str`, with Python's `\w`) at byte offset `byte_pos` of `text`: whether
/// exactly one of the characters before and after the position is a word character.
///
/// Like Python, an empty `text` has no boundary. A position that is not a `char` boundary of
/// `text` (or lies past its end) is never a word boundary.
pub fn is_word_boundary(text: &str, byte_pos: usize) -> bool {
    if !text.is_char_boundary(byte_pos) {
        return false;
    }
    let before = match byte_pos.checked_sub(1).and_then(|i| text.as_bytes().get(i)) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text.get(..byte_pos).and_then(|t| t.chars().next_back()),
        None => None,
    };
    before.is_some_and(is_word_char) != char_at(text, byte_pos).is_some_and(is_word_char)
}

/// The character at byte `i` of `s` (`None` at the end or off a character boundary), without
/// decoding when it is ASCII.
pub(crate) fn char_at(s: &str, i: usize) -> Option<char> {
    match s.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => s.get(i..)?.chars().next(),
        None => None,
    }
}

/// Renders a range table as a `regex`-crate class body (without the brackets).
fn class_body(ranges: &[(u32, u32)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for &(start, end) in ranges {
        // Writing into a String cannot fail.
        let _ = if start == end {
            write!(out, "\\x{{{start:X}}}")
        } else {
            write!(out, "\\x{{{start:X}}}-\\x{{{end:X}}}")
        };
    }
    out
}

/// A `regex`-crate class matching exactly Python's `\w` on `str`, e.g. `[\x{30}-\x{39}…]`.
pub static WORD_CLASS: LazyLock<String> =
    LazyLock::new(|| format!("[{}]", class_body(tables::WORD)));

/// A `regex`-crate class matching exactly Python's `\s` on `str`.
pub static SPACE_CLASS: LazyLock<String> =
    LazyLock::new(|| format!("[{}]", class_body(tables::SPACE)));

/// A `regex`-crate class matching exactly Python's `\d` on `str`.
pub static DIGIT_CLASS: LazyLock<String> =
    LazyLock::new(|| format!("[{}]", class_body(tables::DECIMAL)));

/// A `regex`-crate class matching exactly the `regex` module's `\w` (as NLTK 3.10.4 uses it).
pub static REGEX_MODULE_WORD_CLASS: LazyLock<String> =
    LazyLock::new(|| format!("[{}]", class_body(tables::REGEX_WORD)));

/// A `regex`-crate class matching exactly the `regex` module's `\s`.
pub static REGEX_MODULE_SPACE_CLASS: LazyLock<String> =
    LazyLock::new(|| format!("[{}]", class_body(tables::REGEX_SPACE)));

/// A `regex`-crate class matching exactly the `regex` module's `\d`.
pub static REGEX_MODULE_DIGIT_CLASS: LazyLock<String> =
    LazyLock::new(|| format!("[{}]", class_body(tables::REGEX_DIGIT)));

/// Rewrites Python's `\w \W \s \S \d \D` in a `re` pattern into explicit `regex`-crate classes
/// built from the Python 3.11 tables, so the `regex` crate matches them as Python does on `str`.
///
/// The rewrite works the same outside and inside `[...]` (the `regex` crate accepts nested
/// classes, so `[a\W]` becomes `[a[^…]]`). Every other escape, including an escaped backslash
/// (`\\w` stays `\\w`), is copied unchanged.
///
/// Not translated: `\b` and `\B`. The `regex` crate's word boundary uses its own `\w` and cannot
/// be redefined; callers that need Python's `\b` must check positions with
/// [`is_word_boundary`]. Python's `(?a)` ASCII flag is not supported.
pub fn translate_python_classes(pattern: &str) -> String {
    translate_classes(pattern, [&WORD_CLASS, &SPACE_CLASS, &DIGIT_CLASS])
}

/// Like [`translate_python_classes`], but for patterns that run on the third-party `regex`
/// module (as every NLTK 3.10.4 pattern does): uses [`REGEX_MODULE_WORD_CLASS`] and friends.
/// Word boundaries are not translated either.
pub fn translate_regex_module_classes(pattern: &str) -> String {
    translate_classes(
        pattern,
        [&REGEX_MODULE_WORD_CLASS, &REGEX_MODULE_SPACE_CLASS, &REGEX_MODULE_DIGIT_CLASS],
    )
}

/// Rewrites `\w \W \s \S \d \D` with the given `[word, space, digit]` classes.
fn translate_classes(pattern: &str, [word, space, digit]: [&str; 3]) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push(c);
            break;
        };
        let (class, negated): (&str, bool) = match next {
            'w' => (word, false),
            'W' => (word, true),
            's' => (space, false),
            'S' => (space, true),
            'd' => (digit, false),
            'D' => (digit, true),
            _ => {
                out.push(c);
                out.push(next);
                continue;
            }
        };
        if negated {
            out.push_str("[^");
            out.push_str(class.get(1..).unwrap_or(""));
        } else {
            out.push_str(class);
        }
    }
    out
}

/// The maximal runs of characters for which `keep` holds, as spans. `ascii` is `keep` on the
/// ASCII characters, by byte (a test checks the tables), so ASCII text is scanned without
/// decoding or calls.
fn runs<'s, F: Fn(char) -> bool>(
    s: &'s str,
    ascii: &'static [bool; 128],
    keep: F,
) -> impl Iterator<Item = Span> + use<'s, F> {
    let mut i = 0;
    // Moves `i` past the characters whose class is `want`; `None` at the end of `s`.
    let skip = move |i: &mut usize, want: bool| -> Option<()> {
        loop {
            let c = char_at(s, *i)?;
            if classify(ascii, &keep, c) != want {
                return Some(());
            }
            *i += c.len_utf8();
        }
    };
    std::iter::from_fn(move || {
        skip(&mut i, false)?;
        let start = i;
        let _ = skip(&mut i, true);
        Some(Span::new(start, i))
    })
}

/// `keep(c)`, read from the `ascii` table when `c` is ASCII.
fn classify(ascii: &[bool; 128], keep: impl Fn(char) -> bool, c: char) -> bool {
    match usize::try_from(u32::from(c)).ok().and_then(|i| ascii.get(i)) {
        Some(&k) => k,
        None => keep(c),
    }
}

/// Calls `edge` with every byte offset of `s` where `keep` changes, in order, starting outside
/// a run (so the first edge starts one). `ascii` is `keep` on ASCII, as for [`runs`].
///
/// The per-character branch of a plain scan mispredicts at most word boundaries, and that is
/// most of its time on prose. Here ASCII text is read in blocks whose inner loop has no
/// data-dependent branch: it writes every offset and advances the write index only at an edge.
/// Blocks with a non-ASCII byte go character by character.
fn for_each_edge(
    s: &str,
    ascii: &[bool; 128],
    keep: impl Fn(char) -> bool,
    mut edge: impl FnMut(usize),
) {
    const BLOCK: usize = 64;
    let bytes = s.as_bytes();
    let mut inside = false;
    let mut found = [0usize; BLOCK];
    let mut i = 0;
    while let Some(block) = bytes.get(i..(i + BLOCK).min(bytes.len())).filter(|b| !b.is_empty()) {
        if block.is_ascii() {
            let mut n = 0;
            for (k, &b) in block.iter().enumerate() {
                let w = ascii.get(usize::from(b & 0x7f)).copied().unwrap_or(false);
                // `n` < BLOCK here: it grows at most once per byte, after the write.
                if let Some(slot) = found.get_mut(n) {
                    *slot = i + k;
                }
                n += usize::from(w != inside);
                inside = w;
            }
            found.iter().take(n).for_each(|&e| edge(e));
            i += block.len();
        } else {
            // One character at a time to the end of the block (the last may cross it).
            let end = i + block.len();
            while let Some(c) = char_at(s, i).filter(|_| i < end) {
                let w = classify(ascii, &keep, c);
                if w != inside {
                    edge(i);
                    inside = w;
                }
                i += c.len_utf8();
            }
        }
    }
}

/// `[A-Za-z0-9_]`: Python's `\w` (and the `regex` module's) on ASCII.
#[allow(clippy::indexing_slicing, reason = "const evaluation: a bad index fails the build")]
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == 0x5f;
        b += 1;
    }
    table
};

/// Not `str.isspace()` on ASCII: everything but `\t`..`\r`, U+001C..U+001F and the space.
#[allow(clippy::indexing_slicing, reason = "const evaluation: a bad index fails the build")]
const ASCII_NOT_SPACE: [bool; 128] = {
    let mut table = [true; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = !matches!(b, 0x09..=0x0d | 0x1c..=0x20);
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        word_spans(s).map(|sp| sp.slice(s)).collect()
    }

    #[test]
    fn ascii_fast_paths_agree_with_tables() {
        type Fast = fn(char) -> bool;
        let cases: [(Fast, &[(u32, u32)]); 14] = [
            (is_regex_word_char, tables::REGEX_WORD),
            (is_regex_space, tables::REGEX_SPACE),
            (is_regex_digit, tables::REGEX_DIGIT),
            (is_word_char, tables::WORD),
            (is_space, tables::SPACE),
            (is_decimal, tables::DECIMAL),
            (is_digit, tables::DIGIT),
            (is_numeric, tables::NUMERIC),
            (is_alpha, tables::ALPHA),
            (is_upper_char, tables::UPPER),
            (is_lower_char, tables::LOWER),
            (is_title_char, tables::TITLE),
            (is_cased, tables::CASED),
            (is_case_ignorable, tables::CASE_IGNORABLE),
        ];
        for c in (0u8..0x80).map(char::from) {
            let b = usize::from(c as u8);
            assert_eq!(ASCII_WORD[b], is_word_char(c), "{c:?}");
            assert_eq!(ASCII_WORD[b], is_regex_word_char(c), "{c:?}");
            assert_eq!(ASCII_NOT_SPACE[b], !is_space(c), "{c:?}");
        }
        for (i, (fast, table)) in cases.iter().enumerate() {
            for c in (0u8..0x80).map(char::from) {
                assert_eq!(fast(c), in_ranges(table, c), "property {i} at {c:?}");
            }
        }
        for c in (0u8..0x80).map(char::from) {
            assert_eq!(lower(&c.to_string()), c.to_ascii_lowercase().to_string());
            let mapped = map_case(tables::LOWER_RUNS, tables::LOWER_MULTI, c);
            assert_eq!(mapped.is_some(), c.is_ascii_uppercase());
            let mapped = map_case(tables::UPPER_RUNS, tables::UPPER_MULTI, c);
            assert_eq!(mapped.is_some(), c.is_ascii_lowercase());
        }
    }

    #[test]
    fn hindi_splits_at_combining_marks() {
        assert_eq!(words("हिन्दी"), ["ह", "न", "द"]);
        assert_eq!(count_re_words("हिन्दी"), 3);
        // NLTK's `regex` module keeps the marks inside the word.
        assert_eq!(count_words("हिन्दी"), 1);
        assert_eq!(count_words("a\u{fe0f}b_c d\u{200d}e \u{1c}"), 2);
        assert!(!is_regex_space('\u{1c}') && is_space('\u{1c}'));
        let text = "a \u{2028}b";
        let taken: Vec<usize> = (0..=text.len()).map(|i| space_len_at(text, i)).collect();
        assert_eq!(taken, [0, 1, 3, 0, 0, 0, 0]);
    }

    #[test]
    fn regex_package_classes() {
        assert!(is_regex_word_char('\u{301}') && !is_word_char('\u{301}'));
        assert!(is_regex_word_non_digit('_') && is_regex_word_non_digit('\u{301}'));
        assert!(!is_regex_word_non_digit('5') && !is_regex_word_non_digit('\u{966}'));
        assert!(is_regex_digit('\u{966}') && !is_regex_word_non_digit('\u{b2}'));
        assert!(is_regex_space('\u{a0}') && is_regex_space('\u{2028}'));
        assert!(!is_regex_space('\u{1c}') && !is_regex_space('\u{200b}'));
    }

    #[test]
    fn ignorecase() {
        for eq in [re_ignorecase_eq, regex_ignorecase_eq] {
            assert!(eq('i', 'i') && eq('I', 'i') && eq('i', 'I') && eq('İ', 'i'));
            assert!(eq('ſ', 's') && eq('ſ', 'S') && eq('\u{212a}', 'k'));
            assert!(!eq('j', 'i') && !eq('é', 'e') && !eq('ß', 's') && !eq('ſ', 'f'));
            assert!(eq('\'', '\'') && !eq('`', '\'') && !eq('@', '`'));
        }
        // Only `re` folds the dotless i.
        assert!(re_ignorecase_eq('ı', 'i') && !regex_ignorecase_eq('ı', 'i'));
    }

    #[test]
    fn word_chars() {
        assert!(is_word_char('_'));
        assert!(is_word_char('²'));
        assert!(is_word_char('Ⅻ'));
        assert!(is_word_char('½'));
        assert!(is_word_char('ß'));
        assert!(!is_word_char('\u{301}'));
        assert!(!is_word_char('-'));
        assert_eq!(words("don't 3.14"), ["don", "t", "3", "14"]);
        assert!(!is_decimal('²') && is_digit('²') && is_numeric('²'));
        assert!(!is_digit('½') && is_numeric('½'));
        assert!(!is_digit('Ⅻ') && is_numeric('Ⅻ') && !is_alpha('Ⅻ'));
        assert!(is_decimal('٣') && is_alnum('٣') && !is_alnum('_'));
    }

    #[test]
    fn whitespace() {
        for c in ['\u{1c}', '\u{1d}', '\u{1e}', '\u{1f}', '\u{a0}', '\u{2028}', '\u{85}', '\x0b'] {
            assert!(is_space(c), "{c:?}");
        }
        assert!(!is_space('\u{200b}'));
        assert!(!is_space('\u{feff}'));
        assert_eq!(strip("\u{1f} a b\u{a0}\u{2028}"), "a b");
        assert_eq!(lstrip("\u{1c}x "), "x ");
        assert_eq!(rstrip(" x\u{3000}"), " x");
        let s = "a\u{1e}b\u{200b}c  d";
        let parts: Vec<&str> = split_whitespace(s).map(|sp| sp.slice(s)).collect();
        assert_eq!(parts, ["a", "b\u{200b}c", "d"]);
    }

    #[test]
    fn case_predicates() {
        assert!(isupper("ABC 123"));
        assert!(!isupper("123"));
        assert!(!isupper("ß"));
        assert!(!isupper(""));
        assert!(islower("abc 123"));
        assert!(!islower("ǅ"));
        assert!(!isupper("ǅ"));
        assert!(is_title_char('ǅ') && !is_upper_char('ǅ') && !is_lower_char('ǅ'));
        assert!(istitle("ǅ"));
        assert!(istitle("Hello World"));
        assert!(!istitle("Hello world"));
        assert!(!istitle("123"));
    }

    #[test]
    fn case_mappings() {
        assert_eq!(lower("İ").chars().count(), 2);
        assert_eq!(lower("İ"), "i\u{307}");
        assert_eq!(lower("ΣΑΣ"), "σας");
        assert_eq!(lower("Σ"), "σ");
        assert_eq!(lower("ΑΣ'"), "ας'");
        assert_eq!(lower("ΑΣ'Α"), "ασ'α");
        assert_eq!(upper("ß"), "SS");
        assert_eq!(upper("ﬁ"), "FI");
        assert_eq!(lower("ǅ"), "ǆ");
        assert_eq!(upper("straße"), "STRASSE");
    }

    #[test]
    fn word_boundaries() {
        let s = "ab c";
        let b: Vec<usize> = (0..=s.len()).filter(|&i| is_word_boundary(s, i)).collect();
        assert_eq!(b, [0, 2, 3, 4]);
        assert!(!is_word_boundary("", 0));
        assert!(!is_word_boundary("é", 1));
        assert!(!is_word_boundary("a", 5));
    }

    #[test]
    fn translated_classes_compile_and_match() {
        let re = regex::Regex::new(&translate_python_classes(r"\w+")).unwrap();
        let found: Vec<&str> = re.find_iter("हिन्दी").map(|m| m.as_str()).collect();
        assert_eq!(found, ["ह", "न", "द"]);
        let re = regex::Regex::new(&translate_python_classes(r"[\W\d]+")).unwrap();
        assert_eq!(re.find("ab, 12x").map(|m| m.as_str()), Some(", 12"));
        assert_eq!(translate_python_classes(r"\\w\b"), r"\\w\b");
        let re = regex::Regex::new(&translate_python_classes(r"\s")).unwrap();
        assert!(re.is_match("\u{1f}") && !re.is_match("\u{200b}"));
    }

    #[test]
    fn lower_first_is_the_first_character_of_lower() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let full = lower(c.encode_utf8(&mut [0u8; 4]));
            assert_eq!(Some(lower_first(c)), full.chars().next(), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn only_i_and_k_come_from_lowering_non_ascii_characters() {
        let mut found = std::collections::BTreeSet::new();
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            for l in lower(&c.to_string()).chars().filter(char::is_ascii) {
                found.insert(l);
            }
        }
        assert_eq!(found.into_iter().collect::<String>(), "ik");
        for letter in ('a'..='z').chain(['é', 'ß', '1', ' ']) {
            let expected = !letter.is_ascii() || letter == 'i' || letter == 'k';
            assert_eq!(lowers_from_non_ascii(letter), expected, "{letter}");
        }
        // Σ lowers by context, to σ or ς: never to an ASCII letter either way.
        assert!(!lower("ΣaΣ Σ").chars().any(|c| c.is_ascii_alphabetic() && c != 'a'));
    }

    #[test]
    fn block_scan_finds_the_same_words_as_the_plain_scan() {
        // Texts of ASCII words, spaces, punctuation and non-ASCII word and non-word characters
        // (combining marks, CJK, curly quotes, non-breaking space), long enough to cross many
        // 64-byte blocks, with multi-byte characters straddling block ends.
        let pieces = [
            "word",
            " ",
            "a",
            "__",
            "x1",
            ",",
            ". ",
            "\n\n",
            "é",
            "e\u{301}",
            "日本",
            "“",
            "”",
            "\u{a0}",
            "ß",
            "\u{10400}",
            "-",
            "9",
            "ह",
            "ि",
            "'",
        ];
        let mut rng = crate::rng::Rng::new(7);
        for len in [0usize, 1, 2, 5, 63, 64, 65, 200, 1000] {
            for _ in 0..40 {
                let text: String = (0..len).map(|_| *rng.pick(&pieces).unwrap_or(&" ")).collect();
                let plain: Vec<Span> = nltk_word_spans(&text).collect();
                assert_eq!(nltk_word_span_vec(&text), plain, "{text:?}");
                assert_eq!(count_words(&text), plain.len(), "{text:?}");
            }
        }
    }
}
