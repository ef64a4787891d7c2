//! Syllable counts exactly as `syllapy.count` (0.8.0) gives them, for IFBench's
//! `words:odd_even_syllables`.
//!
//! syllapy strips the word (Python whitespace), lowercases it and strips ASCII punctuation
//! (`string.punctuation`) from its ends; a word that is then empty, or holds a decimal digit
//! (`re`'s `\d`), has 0 syllables. Otherwise it looks the word up in its list of 6,392 words,
//! then splits a compound at its first hyphen (`re.match("([^-]+)-(.+)", word)`: the second
//! part runs to the first newline) and adds the parts' counts (0 if either is 0), and otherwise
//! counts vowel groups (`aeiouy`, per code point), minus a final `e`, plus a final consonant +
//! `le`, at least 1.
//!
//! The list is compiled in, reduced to the 838 words whose listed count differs from what the
//! rules give (`scripts/gen_syllables_table.py` derives them from the pinned package and checks
//! the reduction on every listed word): 9 KB of source instead of 61 KB, about 4 KB gzipped,
//! small enough not to be worth a separate download. `tests/ifbench_resources.rs` compares
//! [`count`] with syllapy on every listed word, every word of the GPT-4 responses and generated
//! words.

mod table;

use std::sync::LazyLock;

use super::pystr;

/// The exceptions of [`table::EXCEPTIONS`], parsed once, sorted by word.
static EXCEPTIONS: LazyLock<Vec<(&'static str, usize)>> = LazyLock::new(|| {
    table::EXCEPTIONS
        .lines()
        .filter_map(|line| {
            let (word, n) = line.rsplit_once(' ')?;
            Some((word, n.parse().ok()?))
        })
        .collect()
});

fn listed(word: &str) -> Option<usize> {
    let list = EXCEPTIONS.as_slice();
    list.binary_search_by(|&(w, _)| w.cmp(word)).ok().and_then(|i| list.get(i)).map(|&(_, n)| n)
}

/// `syllapy.count(word)`.
pub fn count(word: &str) -> usize {
    // syllapy recurses into the part after the first hyphen, normalising it again; here the
    // recursion is a loop over one lowercased copy, so that a long hyphenated run costs linear
    // time and no stack: the count of `a-b-c` is `count(a) + count(b-c)`, or 0 as soon as any
    // part counts 0. Lowercasing a part of a lowercased string changes nothing (Python's
    // `str.lower` is idempotent, checked for every code point below), and a part of a word
    // without digits has none.
    let lowered = pystr::lower(pystr::strip(word));
    let mut rest = lowered.as_str();
    let mut total = 0;
    let mut first = true;
    loop {
        let w = pystr::strip(rest).trim_matches(|c: char| c.is_ascii_punctuation());
        if w.is_empty() || (first && w.chars().any(pystr::is_decimal)) {
            return 0;
        }
        if let Some(n) = listed(w) {
            return finish(total, n);
        }
        match split_compound(w, first) {
            Some((head, tail)) => {
                // The first part has no hyphen: counting it does not recurse further.
                let n = count(head);
                if n == 0 {
                    return 0;
                }
                total += n;
                rest = tail;
                first = false;
            }
            None => return finish(total, rules(w)),
        }
    }
}

/// The total of a compound whose last part counts `last`.
fn finish(total: usize, last: usize) -> usize {
    if last == 0 {
        0
    } else {
        total + last
    }
}

/// `re.match("([^-]+)-(.+)", word)`: the part before the first hyphen (not empty) and the
/// part after it up to the first newline (not empty). Only a `first` part can hold a newline:
/// the second part stops before it.
fn split_compound(word: &str, first: bool) -> Option<(&str, &str)> {
    let (head, after) = word.split_once('-')?;
    let tail = if first { after.split('\n').next().unwrap_or("") } else { after };
    (!head.is_empty() && !tail.is_empty()).then_some((head, tail))
}

/// syllapy's `_syllables`: vowel groups, minus a final `e`, plus a final consonant + `le`.
fn rules(word: &str) -> usize {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut n: i64 = 0;
    let mut prev: Option<char> = None;
    for c in word.chars() {
        if vowel(c) && !prev.is_some_and(vowel) {
            n += 1;
        }
        prev = Some(c);
    }
    if word.ends_with('e') {
        n -= 1;
    }
    let third_last = word.chars().rev().nth(2);
    if word.ends_with("le") && third_last.is_some_and(|c| !vowel(c)) {
        n += 1;
    }
    usize::try_from(n).ok().filter(|&n| n > 0).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_complete() {
        assert_eq!(EXCEPTIONS.len(), table::EXCEPTIONS.lines().filter(|l| !l.is_empty()).count());
        assert!(EXCEPTIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(listed("absolutely"), Some(4));
        assert_eq!(listed("and\\/or"), Some(1));
    }

    #[test]
    fn rules_count_vowel_groups() {
        assert_eq!(count("cat"), 1);
        assert_eq!(count("table"), 2);
        assert_eq!(count("make"), 1);
        assert_eq!(count("queue"), 1);
        assert_eq!(count("rhythm"), 1, "y is a vowel");
        assert_eq!(count("psst"), 1, "at least one");
        assert_eq!(count("ale"), 1, "no consonant before le");
    }

    #[test]
    fn stripping_digits_and_compounds() {
        assert_eq!(count("  Hello!! "), 2);
        assert_eq!(count("..."), 0);
        assert_eq!(count(""), 0);
        assert_eq!(count("abc1"), 0);
        assert_eq!(count("a٣b"), 0, "any decimal digit");
        assert_eq!(count("self-care"), 2);
        assert_eq!(count("well-known"), 1, "listed before it is split");
        assert_eq!(count("-care"), 1, "a leading hyphen is punctuation");
        assert_eq!(count("care-"), 1);
        assert_eq!(count("x-y-z"), 3);
        assert_eq!(count("a-!"), 1, "punctuation is stripped from the ends first");
        assert_eq!(count("ab-!!\nx"), 0, "a part that strips to nothing");
        assert_eq!(count("a-\nb"), 1, "no second part before the newline: no split");
        assert_eq!(count("ab-cd\nef"), 2, "the second part ends at the newline");
    }

    #[test]
    fn long_compounds_do_not_recurse() {
        let long = vec!["ba"; 200_000].join("-");
        assert_eq!(count(&long), 200_000);
        let long = format!("x-{}", "-".repeat(100_000));
        assert_eq!(count(&long), 1);
    }

    #[test]
    fn lowercasing_is_idempotent() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let once = pystr::lower(&c.to_string());
            assert_eq!(pystr::lower(&once), once, "{c:?}");
        }
        for s in ["ΑΣ", "ΑΣ Β", "Σ", "ΑΣ.", "ὈΔΥΣΣΕΎΣ"] {
            assert_eq!(pystr::lower(&pystr::lower(s)), pystr::lower(s), "{s}");
        }
    }
}
