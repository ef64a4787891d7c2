//! NLTK's `word_tokenize`: Punkt sentences, then the improved Treebank word tokenizer.
//!
//! PLACEHOLDER: splits on whitespace until the port lands.

use super::{pystr, Span};

/// One token of `word_tokenize`: its text (which may differ from the source, e.g. `"` becomes
/// ` `` `) and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The token as NLTK returns it.
    pub text: String,
    /// The bytes of the original text it was made from.
    pub span: Span,
}

/// `nltk.word_tokenize(text)` (language "english", `preserve_line=False`).
pub fn word_tokenize(text: &str) -> Vec<Token> {
    pystr::split_whitespace(text)
        .map(|span| Token { text: span.slice(text).to_owned(), span })
        .collect()
}
