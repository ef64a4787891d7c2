//! NLTK's English stop words (`nltk.corpus.stopwords.words("english")`), for IFBench's
//! `ratio:stop_words`.
//!
//! The list is NLTK data (`corpora/stopwords/english`, 179 words, 936 bytes), compiled in:
//! it is far too small to be worth fetching separately. `tests/ifbench_resources.rs` checks it
//! line by line against the file in `../shared/data/nltk_data`.

use std::sync::LazyLock;

use super::pystr;

/// The words of `corpora/stopwords/english`, in the file's order.
pub const ENGLISH: [&str; 179] = [
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "you're",
    "you've",
    "you'll",
    "you'd",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "she's",
    "her",
    "hers",
    "herself",
    "it",
    "it's",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "that'll",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "s",
    "t",
    "can",
    "will",
    "just",
    "don",
    "don't",
    "should",
    "should've",
    "now",
    "d",
    "ll",
    "m",
    "o",
    "re",
    "ve",
    "y",
    "ain",
    "aren",
    "aren't",
    "couldn",
    "couldn't",
    "didn",
    "didn't",
    "doesn",
    "doesn't",
    "hadn",
    "hadn't",
    "hasn",
    "hasn't",
    "haven",
    "haven't",
    "isn",
    "isn't",
    "ma",
    "mightn",
    "mightn't",
    "mustn",
    "mustn't",
    "needn",
    "needn't",
    "shan",
    "shan't",
    "shouldn",
    "shouldn't",
    "wasn",
    "wasn't",
    "weren",
    "weren't",
    "won",
    "won't",
    "wouldn",
    "wouldn't",
];

/// The longest stop word, in characters (`yourselves`).
const LONGEST: usize = 10;

/// [`ENGLISH`], sorted for binary search.
static SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words = ENGLISH.to_vec();
    words.sort_unstable();
    words
});

/// `token.lower() in stopwords.words("english")` (Python's full lowercase).
pub fn is_english_stopword(token: &str) -> bool {
    // Lowercasing never makes fewer characters, and a character is at most 4 bytes.
    if token.len() > 4 * LONGEST {
        return false;
    }
    let mut buf = [0u8; LONGEST];
    let lowered;
    let word = if token.is_ascii() {
        let Some(slot) = buf.get_mut(..token.len()) else { return false };
        slot.copy_from_slice(token.as_bytes());
        slot.make_ascii_lowercase();
        match std::str::from_utf8(slot) {
            Ok(w) => w,
            Err(_) => return false,
        }
    } else {
        lowered = pystr::lower(token);
        lowered.as_str()
    };
    SORTED.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_179_distinct_lowercase_words() {
        assert_eq!(SORTED.len(), 179);
        assert!(SORTED.windows(2).all(|w| w[0] < w[1]), "no duplicates");
        assert_eq!(ENGLISH.iter().map(|w| w.chars().count()).max(), Some(LONGEST));
        assert!(ENGLISH.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'')));
    }

    #[test]
    fn lookup_lowercases_like_python() {
        for w in ["the", "The", "THE", "yourselves", "YourSelves", "a", "I", "ain", "Y"] {
            assert!(is_english_stopword(w), "{w}");
        }
        for w in ["", "them2", "thee", "yourselvess", "you_re", "théy", "\u{130}t", "ｔｈｅ"] {
            assert!(!is_english_stopword(w), "{w}");
        }
        // Apostrophes are not word characters, so `count_stopwords` never meets these, but
        // the list holds them.
        assert!(is_english_stopword("Don't"));
    }
}
