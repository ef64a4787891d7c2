//! `emoji.is_emoji` (emoji 2.16.0), for IFBench's `format:emoji`.
//!
//! The package answers from its data: a string is an emoji iff it is one of the 5,244 keys of
//! `EMOJI_DATA` (fully-qualified, minimally-qualified and unqualified emoji and components
//! alike). `scripts/gen_emoji_table.py` writes them from the pinned package into
//! `emoji/table.rs`: the 1,409 single code points as 146 ranges (about 1 KB, compiled into the
//! app: `format:emoji` asks about single characters only), and the 3,835 longer sequences,
//! which only [`is_emoji`] on a longer string reads, so that the linker leaves them out of the
//! web app. `tests/ifbench_resources.rs` compares both functions with the package on every code
//! point and every sequence.

mod table;

use std::sync::LazyLock;

/// The longer sequences, parsed on first use, sorted.
static SEQUENCES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut all: Vec<String> = table::SEQUENCES
        .lines()
        .filter_map(|line| {
            line.split(' ')
                .map(|hex| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
                .collect()
        })
        .collect();
    all.sort_unstable();
    all
});

/// `emoji.is_emoji(c)` for a one-character string.
pub fn is_emoji_char(c: char) -> bool {
    let c = u32::from(c);
    table::SINGLE
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

/// `emoji.is_emoji(s)`: whether `s` is exactly one emoji of the package's data.
pub fn is_emoji(s: &str) -> bool {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => is_emoji_char(c),
        _ => SEQUENCES.binary_search_by(|e| e.as_str().cmp(s)).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_characters() {
        for c in ['😀', '©', '❤', '🏻'] {
            assert!(is_emoji_char(c), "{c:?}");
        }
        // A lone regional indicator, keycap bases, joiners and selectors are not emoji.
        for c in ['🇦', '#', '0', '*', '\u{fe0f}', '\u{200d}'] {
            assert!(!is_emoji_char(c), "{c:?}");
        }
        assert!(is_emoji("😀") && !is_emoji("") && !is_emoji("a"));
    }

    #[test]
    fn sequences() {
        assert_eq!(SEQUENCES.len(), 3835);
        assert!(SEQUENCES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_emoji("❤\u{fe0f}"), "fully qualified");
        assert!(is_emoji("👍🏽"), "skin tone");
        assert!(is_emoji("👨\u{200d}👩\u{200d}👧"), "ZWJ family");
        assert!(is_emoji("🇫🇷"), "flag");
        assert!(is_emoji("#\u{fe0f}\u{20e3}") && is_emoji("#\u{20e3}"), "keycaps");
        assert!(!is_emoji("😀😀") && !is_emoji("😀\u{fe0f}") && !is_emoji("🇫"));
    }
}
