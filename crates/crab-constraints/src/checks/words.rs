//! `words:*` — properties of the response's words (IFBench).

pub mod alphabet;
pub mod consonants;
pub mod keywords_specific_position;
pub mod last_first;
pub mod no_consecutive;
pub mod odd_even_syllables;
pub mod palindrome;
pub mod paragraph_last_first;
pub mod prime_lengths;
pub mod repeats;
pub mod start_verb;
pub mod vowel;
pub mod words_position;

use crate::text::{pystr, Span};

/// When IFBench lowercases the words it takes apart with
/// `….translate(str.maketrans('', '', string.punctuation)).split()`.
///
/// The order matters for one letter only: `Σ` lowers to `ς` at the end of a word, and whether it
/// is at the end depends on the punctuation after it (`ΑΣ-Β` has a final sigma, `ΑΣΒ` does not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// No lowercasing.
    Keep,
    /// `value.lower().translate(…)`: lowered with its punctuation.
    LowerFirst,
    /// `value.translate(…).lower()`: lowered without its punctuation.
    LowerAfter,
}

/// IFBench's words without punctuation: `value.translate(str.maketrans('', '', string.punctuation))
/// .split()` (lowered as `case` says), each with the span of the whitespace-separated chunk of
/// `s` it came from. Deleting punctuation neither adds nor removes whitespace, so the words are
/// the chunks of `s` that keep something once their ASCII punctuation is gone. (Lowering adds no
/// whitespace either, and whitespace stops Python's final-sigma rule, so lowering chunk by chunk
/// is lowering the whole text.)
pub(crate) fn bare_words(s: &str, case: Case) -> impl Iterator<Item = (Span, String)> + '_ {
    pystr::split_whitespace(s).filter_map(move |span| {
        let chunk = span.slice(s);
        let word = match case {
            Case::Keep => pystr::delete_punctuation(chunk).into_owned(),
            Case::LowerFirst => pystr::delete_punctuation(&pystr::lower(chunk)).into_owned(),
            Case::LowerAfter => pystr::lower(&pystr::delete_punctuation(chunk)),
        };
        (!word.is_empty()).then_some((span, word))
    })
}

#[cfg(test)]
mod tests {
    use super::{bare_words, Case};

    fn words(s: &str, case: Case) -> Vec<String> {
        bare_words(s, case).map(|(_, w)| w).collect()
    }

    #[test]
    fn punctuation_goes_and_empty_chunks_vanish() {
        assert_eq!(words("Hello, ... self-care!", Case::Keep), ["Hello", "selfcare"]);
        assert_eq!(words("Hello, ... World!", Case::LowerFirst), ["hello", "world"]);
        // Final sigma: before a hyphen `Σ` ends a word, once the hyphen is gone it does not.
        assert_eq!(words("ΑΣ-Β", Case::LowerFirst), ["ας\u{3b2}"]);
        assert_eq!(words("ΑΣ-Β", Case::LowerAfter), ["ασβ"]);
        let spans: Vec<_> = bare_words("a ,, b.", Case::Keep).map(|(s, _)| s).collect();
        assert_eq!(spans.iter().map(|s| s.slice("a ,, b.")).collect::<Vec<_>>(), ["a", "b."]);
    }
}
