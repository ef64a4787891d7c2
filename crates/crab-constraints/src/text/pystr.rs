//! Python `str` and `re` semantics for single characters and whole strings.
//!
//! PLACEHOLDER IMPLEMENTATION: the signatures are the contract other modules build on; the bodies
//! approximate Python with Rust's `char` methods until the generated Unicode 14.0 tables land.

use super::Span;

/// `re`'s `\w` on `str`: `c.isalnum() or c == "_"` (no combining marks).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `str.isspace()` for one character; also `re`'s `\s` on `str`.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `re`'s `\d` on `str`: general category Nd.
pub fn is_decimal(c: char) -> bool {
    c.is_numeric()
}

/// `str.isdigit()` for one character (Numeric_Type Digit or Decimal).
pub fn is_digit(c: char) -> bool {
    c.is_numeric()
}

/// `str.isalpha()` for one character (general category L*).
pub fn is_alpha(c: char) -> bool {
    c.is_alphabetic()
}

/// `str.isalnum()` for one character.
pub fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether Python counts `c` as an uppercase character (`"X".isupper()` for a single cased char).
pub fn is_upper_char(c: char) -> bool {
    c.is_uppercase()
}

/// Whether Python counts `c` as a lowercase character.
pub fn is_lower_char(c: char) -> bool {
    c.is_lowercase()
}

/// `str.isupper()`: at least one cased character and no lowercase or titlecase character.
pub fn isupper(s: &str) -> bool {
    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
}

/// `str.islower()`: at least one cased character and no uppercase or titlecase character.
pub fn islower(s: &str) -> bool {
    s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase)
}

/// `str.lower()` with Python's full case mapping.
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// `str.strip()` with no argument.
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

/// `str.split()` with no argument, as spans into `s`.
pub fn split_whitespace(s: &str) -> impl Iterator<Item = Span> + '_ {
    runs(s, |c| !is_space(c))
}

/// The maximal runs of `\w` characters (`re.finditer(r"\w+", s)`), as spans.
pub fn word_spans(s: &str) -> impl Iterator<Item = Span> + '_ {
    runs(s, is_word_char)
}

/// IFEval's `count_words`: `len(re.findall(r"\w+", text))`.
pub fn count_words(s: &str) -> usize {
    word_spans(s).count()
}

fn runs<F: Fn(char) -> bool>(s: &str, keep: F) -> impl Iterator<Item = Span> + use<'_, F> {
    let mut start = None;
    let mut chars = s.char_indices().chain(std::iter::once((s.len(), '\0')));
    std::iter::from_fn(move || {
        for (i, c) in chars.by_ref() {
            let inside = i < s.len() && keep(c);
            match (start, inside) {
                (None, true) => start = Some(i),
                (Some(b), false) => {
                    start = None;
                    return Some(Span::new(b, i));
                }
                _ => {}
            }
        }
        None
    })
}
