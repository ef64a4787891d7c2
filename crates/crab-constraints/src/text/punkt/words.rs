//! Punkt's word segmentation (`PunktLanguageVars.word_tokenize`) as a hand-written scanner.
//!
//! Its `\s` is the `regex` package's ([`is_regex_space`]), as NLTK compiles the pattern with it.
//!
//! The pattern is an alternation tried in order at each position:
//! 1. multi-character punctuation: `--+`, `..+`, or a spaced ellipsis `(?:\.\s){2,}\.`;
//! 2. a word: a character that may start a word, then the shortest run of non-space characters
//!    followed by a word end (whitespace, end of line, a non-word character, multi-character
//!    punctuation, or a comma that is itself followed by one of those);
//! 3. any single non-space character.
//!
//! Whitespace between tokens is skipped. The scanner works on byte offsets of one line.

use crate::text::pystr::{char_at, is_regex_space};

/// `_re_non_word_chars`: characters that cannot appear within words.
pub(super) fn is_non_word(c: char) -> bool {
    matches!(
        c,
        ')' | '"'
            | ';'
            | '}'
            | ']'
            | '*'
            | ':'
            | '@'
            | '\''
            | '('
            | '{'
            | '['
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{ab}'
            | '\u{bb}'
            | '!'
            | '?'
    )
}

/// Characters `_re_word_start` excludes from starting a word token.
fn cannot_start_word(c: char) -> bool {
    matches!(
        c,
        '(' | '"'
            | '`'
            | '{'
            | '['
            | ':'
            | ';'
            | '&'
            | '#'
            | '*'
            | '@'
            | ')'
            | '}'
            | ']'
            | '-'
            | ','
    )
}

/// End of `_re_multi_char_punct` matched at byte `p` of `s`, if it matches there.
pub(super) fn multi_char_punct_at(s: &str, p: usize) -> Option<usize> {
    let b = s.as_bytes();
    match b.get(p) {
        Some(b'-') if b.get(p + 1) == Some(&b'-') => {
            Some(p + b.iter().skip(p).take_while(|&&x| x == b'-').count())
        }
        Some(b'.') if b.get(p + 1) == Some(&b'.') => {
            Some(p + b.iter().skip(p).take_while(|&&x| x == b'.').count())
        }
        Some(b'.') => {
            // `(?:\.\s){2,}\.`: take as many ". " pairs as possible, then give one back if no
            // period follows the last pair.
            let mut q = p;
            let mut pairs = 0usize;
            let mut last_pair_start = p;
            while b.get(q) == Some(&b'.') {
                match char_at(s, q + 1) {
                    Some(c) if is_regex_space(c) => {
                        last_pair_start = q;
                        pairs += 1;
                        q += 1 + c.len_utf8();
                    }
                    _ => break,
                }
            }
            if pairs >= 2 && b.get(q) == Some(&b'.') {
                Some(q + 1)
            } else if pairs >= 3 {
                Some(last_pair_start + 1)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether a word token may end before byte `q` of `line` (the lookahead of alternative 2).
fn is_word_end(line: &str, q: usize) -> bool {
    let Some(c) = char_at(line, q) else {
        return true;
    };
    if is_regex_space(c) || is_non_word(c) || multi_char_punct_at(line, q).is_some() {
        return true;
    }
    if c == ',' {
        let r = q + 1;
        return match char_at(line, r) {
            None => true,
            Some(d) => {
                is_regex_space(d) || is_non_word(d) || multi_char_punct_at(line, r).is_some()
            }
        };
    }
    false
}

/// Appends the tokens of one line (no `\n` inside) as byte ranges offset by `base`.
pub(super) fn tokenize_line(line: &str, base: usize, out: &mut Vec<(usize, usize)>) {
    let mut p = 0;
    while let Some(c) = char_at(line, p) {
        let c_len = c.len_utf8();
        if is_regex_space(c) {
            p += c_len;
            continue;
        }
        let end = if let Some(e) = multi_char_punct_at(line, p) {
            e
        } else if !cannot_start_word(c) {
            let mut q = p + c_len;
            while !is_word_end(line, q) {
                // Not a word end, so a non-space character is there.
                q += char_at(line, q).map_or(1, char::len_utf8);
            }
            q
        } else {
            p + c_len
        };
        out.push((base + p, base + end));
        p = end;
    }
}

/// `PunktBaseClass._tokenize_words`: the tokens of every line that is not blank by
/// `str.strip`, as byte ranges into `text`. `out` is cleared first.
pub(super) fn tokenize_words(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut base = 0;
    for line in text.split('\n') {
        if !crate::text::pystr::strip(line).is_empty() {
            tokenize_line(line, base, out);
        }
        base += line.len() + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize_words(s, &mut out);
        out.iter().map(|&(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn word_tokenizer_matches_nltk_examples() {
        // Expectations from PunktLanguageVars().word_tokenize in nltk 3.10.4.
        assert_eq!(words("Hello. . . world"), ["Hello", ". . .", "world"]);
        assert_eq!(words("a. . . . b"), ["a", ". . . .", "b"]);
        assert_eq!(words("x,y, z,\""), ["x,y", ",", "z", ",", "\""]);
        assert_eq!(words("end.. ok"), ["end", "..", "ok"]);
        assert_eq!(
            words("-5 --x 3.14 e.g. (see"),
            ["-", "5", "--", "x", "3.14", "e.g.", "(", "see"]
        );
        assert_eq!(words("ab:cd"), ["ab", ":", "cd"]);
        assert_eq!(words("a\u{1c}b"), ["a\u{1c}b"]);
        assert_eq!(words("x. . y"), ["x.", ".", "y"]);
    }

    #[test]
    fn blank_lines_by_str_strip_are_skipped() {
        // U+001C is not `\s` for `regex`, but `str.strip` removes it, so the line is blank.
        assert!(words("\u{1c}\n \n").is_empty());
        assert_eq!(words("a\n\u{1c}\nb"), ["a", "b"]);
    }

    #[test]
    fn regex_package_whitespace_separates_tokens() {
        // U+00A0 and U+2028 are `\s` for `regex`; U+001C is not.
        assert_eq!(words("a\u{a0}b\u{2028}c"), ["a", "b", "c"]);
        assert_eq!(words("a\u{1c}b"), ["a\u{1c}b"]);
    }
}
