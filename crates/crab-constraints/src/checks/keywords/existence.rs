//! `keywords:existence` — every keyword appears somewhere in the response.
//!
//! Also the vocabulary that the keyword checks' derivations share: which words of a text are
//! content words (and which are stopwords, or instruction boilerplate such as `paragraph`), and
//! the everyday words a derived constraint can rely on to fail on other responses. It lives here
//! because finding a text's topical words is what deriving keyword existence is about.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::checks::keywords::{list_kwargs, sorted_list};
use crate::checks::kwargs::quoted_list;
use crate::checks::pattern::PyPattern;
use crate::checks::{
    Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::pyre::Budget;
use crate::text::{pystr, Analysis, Span};

/// Words that say nothing about what a response is about: NLTK's English stopwords (without the
/// contractions) plus frequent function words and fillers (`also`, `would`, `thing`, …). Sorted.
#[rustfmt::skip]
pub(crate) static STOPWORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "ain", "all", "along", "also",
    "although", "am", "among", "an", "and", "another", "any", "anything", "are", "aren", "around",
    "as", "at", "be", "because", "been", "before", "being", "below", "best", "better", "between",
    "both", "but", "by", "can", "could", "couldn", "d", "did", "didn", "do", "does", "doesn",
    "doing", "don", "down", "during", "each", "either", "etc", "even", "every", "everything",
    "example", "examples", "few", "first", "five", "for", "four", "from", "further", "get", "gets",
    "good", "got", "great", "had", "hadn", "has", "hasn", "have", "haven", "having", "he", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in",
    "include", "includes", "including", "into", "is", "isn", "it", "its", "itself", "just", "keep",
    "know", "let", "lets", "like", "ll", "lot", "lots", "m", "ma", "made", "make", "many", "may",
    "maybe", "me", "might", "mightn", "more", "most", "much", "must", "mustn", "my", "myself",
    "need", "needn", "needs", "neither", "new", "no", "nor", "not", "nothing", "now", "o", "of",
    "off", "often", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves", "out",
    "over", "overall", "own", "per", "perhaps", "quite", "rather", "re", "really", "s", "same",
    "second", "shall", "shan", "she", "should", "shouldn", "since", "so", "some", "something",
    "still", "such", "sure", "t", "take", "takes", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "therefore", "these", "they", "thing", "things", "third", "this",
    "those", "though", "three", "through", "thus", "to", "too", "two", "under", "unless", "until",
    "up", "upon", "us", "use", "used", "using", "ve", "very", "via", "want", "wants", "was", "wasn",
    "way", "ways", "we", "well", "were", "weren", "what", "when", "where", "whether", "which",
    "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "won", "would",
    "wouldn", "y", "yet", "you", "your", "yours", "yourself", "yourselves",
];

/// Whether `word` (lowercase) is in [`STOPWORDS`].
pub(crate) fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

/// Words that instructions use to talk about the response itself (`write`, `paragraph`,
/// `bullet`, `lowercase`, …) rather than about its topic. Sorted.
#[rustfmt::skip]
pub(crate) static PROMPT_WORDS: &[&str] = &[
    "answer", "answers", "asterisk", "asterisks", "brackets", "bullet", "bullets", "capital",
    "capitalized", "capitals", "character", "characters", "comma", "commas", "contain",
    "containing", "contains", "count", "create", "describe", "double", "ending", "english",
    "entire", "exact", "exactly", "explain", "finish", "follow", "followed", "following", "format",
    "formatted", "generate", "give", "highlight", "highlighted", "highlights", "include",
    "including", "instruction", "instructions", "json", "keyword", "keywords", "language", "least",
    "less", "letter", "letters", "list", "lowercase", "make", "markdown", "marks", "mention",
    "mentioned", "must", "number", "output", "paragraph", "paragraphs", "phrase", "placeholder",
    "placeholders", "please", "point", "points", "postscript", "provide", "question", "questions",
    "quotation", "quotes", "repeat", "reply", "request", "respond", "response", "responses",
    "rewrite", "section", "sections", "sentence", "sentences", "separate", "separated", "square",
    "start", "starting", "sure", "symbol", "symbols", "tell", "times", "title", "titles", "total",
    "uppercase", "user", "using", "without", "word", "words", "wrap", "wrapped", "write", "writing",
    "written",
];

/// The topical words of an instruction: its content words (see [`content_words`]) that are not
/// [`PROMPT_WORDS`], most frequent first.
pub(crate) fn instruction_words(instruction: &str) -> Vec<String> {
    content_words(instruction, pystr::nltk_word_spans(instruction))
        .into_iter()
        .map(|w| w.word)
        .filter(|w| PROMPT_WORDS.binary_search(&w.as_str()).is_err())
        .collect()
}

/// Everyday words that many responses use, whatever their topic: derived forbidden words come
/// from here (and from the instruction), so that the constraint can fail on other responses.
/// Lowercase, plain letters.
#[rustfmt::skip]
pub(crate) static EVERYDAY_WORDS: &[&str] = &[
    "also", "amazing", "different", "experience", "good", "great", "help", "important", "just",
    "life", "like", "love", "many", "people", "really", "time", "very", "well", "work", "world",
];

/// A content word of a text (see [`content_words`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ContentWord {
    /// The word, lowercased (Python's `str.lower()`).
    pub(crate) word: String,
    /// How many times it occurs as a word (any case).
    pub(crate) count: usize,
    /// Byte offset of its first occurrence.
    pub(crate) first: usize,
}

/// Combining marks that may follow a letter of the scripts [`content_words`] accepts.
fn is_combining(c: char) -> bool {
    matches!(u32::from(c), 0x300..=0x36F | 0x483..=0x489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Whether `c` may be part of a derived keyword: a letter of the Latin, Greek or Cyrillic
/// scripts (keywords are regular expressions, so no punctuation; and in scripts written with
/// combining marks Python's word boundaries fall inside words).
fn is_keyword_letter(c: char) -> bool {
    c.is_alphabetic() && u32::from(c) < 0x530 && !is_combining(c)
}

/// The content words among `words` (spans of `\w+` runs in `text`): 4 to 20 keyword letters
/// (see [`is_keyword_letter`]), not followed by a combining mark, not a stopword, lowercased.
/// Most frequent first; ties in order of first occurrence.
pub(crate) fn content_words(text: &str, words: impl Iterator<Item = Span>) -> Vec<ContentWord> {
    let mut found: HashMap<String, (usize, usize)> = HashMap::new();
    for span in words {
        let word = span.slice(text);
        let len = word.chars().count();
        if !(4..=20).contains(&len) || !word.chars().all(is_keyword_letter) {
            continue;
        }
        if text.get(span.end..).and_then(|r| r.chars().next()).is_some_and(is_combining) {
            continue;
        }
        let lowered = pystr::lower(word);
        let plain = lowered.chars().count() == len && lowered.chars().all(is_keyword_letter);
        if !plain || is_stopword(&lowered) {
            continue;
        }
        found.entry(lowered).or_insert((0, span.start)).0 += 1;
    }
    let mut out: Vec<ContentWord> = found
        .into_iter()
        .map(|(word, (count, first))| ContentWord { word, count, first })
        .collect();
    out.sort_unstable_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    out
}

/// The response's topical words: its content words ranked by frequency, a word of the
/// instruction counting double; at most `limit`, best first (ties in order of first occurrence).
pub(crate) fn topical_words(
    text: &Analysis<'_>,
    instruction: &str,
    limit: usize,
) -> Vec<ContentWord> {
    let asked = instruction_words(instruction);
    let mut words = content_words(text.text(), text.words().iter().copied());
    let score = |w: &ContentWord| w.count * if asked.contains(&w.word) { 2 } else { 1 };
    words.sort_by(|a, b| score(b).cmp(&score(a)).then(a.first.cmp(&b.first)));
    words.truncate(limit);
    words
}

/// # What it checks
/// Every keyword occurs in the response: `re.search(keyword, response, re.IGNORECASE)` finds it.
/// This is a case-insensitive **substring** search, not a whole-word one: `cat` is found in
/// `concatenate`. Keywords are Python regular expressions, as in IFEval (see
/// [`crate::checks::pattern`]).
///
/// # Parameters
/// `keywords`: a non-empty list of strings. IFEval keeps them sorted, and so does
/// [`Check::kwargs`].
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"keywords": ["mom", "mother"]});
/// let c = Constraint::from_ifeval("keywords:existence", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("My Mother is a mom.")).passed());
/// assert!(!c.verify(&Analysis::new("My mom.")).passed());
/// ```
///
/// # IFEval equivalence
/// Exact for every keyword made of plain characters (all of IFEval's). An empty list is refused
/// (Google's code would pick random keywords).
///
/// # Derivation
/// One to three keywords (drawn from the rng) among the response's eight most topical words:
/// content words of 4–20 letters that are not stopwords, ranked by how often they occur, a word
/// that the instruction also uses counting double. Keywords are lowercase plain words, so as
/// patterns they are literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existence {
    /// The keyword patterns, sorted.
    pub keywords: Vec<PyPattern>,
}

impl Check for Existence {
    const INFO: CheckInfo = CheckInfo {
        id: "keywords:existence",
        title: "Include keywords",
        description: "Every keyword occurs in the response, ignoring case. A keyword may occur \
                      inside a longer word: `cat` is found in `concatenate`. Keywords are Python \
                      regular expressions, as in IFEval.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "keywords",
            doc: "the keywords that must all appear",
            kind: ParamKind::TextList { default: &["keyword"] },
        }],
        example: Example {
            kwargs: r#"{"keywords": ["mom", "mother"]}"#,
            pass: "A haiku for Mother: my mom knows best.",
            fail: "A haiku for my mom.",
        },
    };

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<Existence> {
        let mut candidates = topical_words(text, cx.instruction, 8);
        if candidates.is_empty() {
            return Vec::new();
        }
        let n = usize::try_from(cx.rng.range(1, 3)).unwrap_or(1);
        cx.rng.shuffle(&mut candidates);
        let mut keywords: Vec<String> = candidates.into_iter().take(n).map(|w| w.word).collect();
        keywords.sort();
        let derived = Existence { keywords: keywords.iter().map(|k| PyPattern::new(k)).collect() };
        if derived.verify(text).passed() {
            vec![derived]
        } else {
            Vec::new()
        }
    }

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Existence, SpecError> {
        let keywords = sorted_list(kw, "keywords", "keyword")?;
        Ok(Existence { keywords: keywords.iter().map(|k| PyPattern::new(k)).collect() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        list_kwargs("keywords", self.keywords.iter().map(PyPattern::source))
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let folded = text.folded();
        let mut evidence: Vec<Span> = Vec::new();
        let mut missing: Vec<&str> = Vec::new();
        // One step budget for all the keywords: the verdict's work is bounded however many
        // expensive patterns it is given.
        let mut budget = Budget::new();
        for keyword in &self.keywords {
            match keyword.search_within(&folded, &mut budget) {
                Err(e) => return Verdict::invalid(e),
                Ok(Some(span)) => evidence.push(span),
                Ok(None) => missing.push(keyword.source()),
            }
        }
        evidence.sort_unstable();
        let verdict = if missing.is_empty() {
            Verdict::pass(if self.keywords.len() == 1 {
                format!("found `{}`", self.keywords.first().map_or("", |k| k.source()))
            } else {
                format!("found all {} keywords", self.keywords.len())
            })
        } else {
            Verdict::fail(format!("missing {}", quoted_list(&missing)))
        };
        verdict.with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::{
        content_words, instruction_words, is_stopword, Existence, EVERYDAY_WORDS, PROMPT_WORDS,
        STOPWORDS,
    };
    use crate::checks::tests::{analysis, assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::{Check, DeriveContext, Status};
    use crate::text::pystr;

    const ID: &str = "keywords:existence";

    #[test]
    fn the_keywords_share_one_step_budget() {
        // `(a|aa)*c` on 24 `a`s takes most of the matcher's budget: once, the check answers;
        // three times, the budget runs out and the verdict says so.
        let text = "a".repeat(24);
        let one = verify(ID, r#"{"keywords": ["(a|aa)*c"]}"#, &text);
        assert_eq!(one.status, Status::Fail);
        let three = verify(ID, r#"{"keywords": ["(a|aa)*c", "(a|aa)*c", "(a|aa)*d"]}"#, &text);
        assert_eq!(three.status, Status::Invalid);
        assert!(three.detail.contains("with the patterns before it"), "{}", three.detail);
    }

    #[test]
    fn every_keyword_must_appear() {
        let kw = r#"{"keywords": ["mother", "mom"]}"#;
        assert_pass(ID, kw, "mom and MOTHER");
        assert_fail(ID, kw, "mom only");
        let v = verify(ID, kw, "mom only");
        assert_eq!(v.detail, "missing `mother`");
        let text = "Mother, then mom";
        assert_eq!(evidence(&verify(ID, kw, text), text), ["Mother", "mom"]);
    }

    #[test]
    fn cat_matches_concatenate() {
        assert_pass(ID, r#"{"keywords": ["cat"]}"#, "concatenate");
    }

    #[test]
    fn case_insensitive() {
        assert_pass(ID, r#"{"keywords": ["argentinian"]}"#, "ARGENTINIAN beef");
    }

    #[test]
    fn keywords_are_regexes() {
        // Unescaped, as in Google's code: `.` matches any character.
        assert_pass(ID, r#"{"keywords": ["a.c"]}"#, "abc");
        assert_pass(ID, r#"{"keywords": ["colou?r"]}"#, "Color");
        // Python-only syntax (lookbehind) runs as in Python; a Python syntax error is invalid.
        assert_pass(ID, r#"{"keywords": ["(?<=a)b"]}"#, "ab");
        let v = verify(ID, r#"{"keywords": ["(?<=a+)b"]}"#, "ab");
        assert_eq!(v.status, Status::Invalid);
    }

    #[test]
    fn keywords_are_stored_sorted_and_the_list_must_not_be_empty() {
        let c = constraint(ID, r#"{"keywords": ["b", "a"]}"#);
        assert_eq!(c.kwargs()["keywords"], serde_json::json!(["a", "b"]));
        let err = crate::checks::Constraint::from_ifeval(ID, &serde_json::json!({"keywords": []}));
        assert!(err.is_err());
    }

    fn words_of(text: &str) -> Vec<(String, usize)> {
        content_words(text, pystr::nltk_word_spans(text))
            .into_iter()
            .map(|w| (w.word, w.count))
            .collect()
    }

    #[test]
    fn word_lists_are_sorted_lowercase_letters() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(PROMPT_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            instruction_words("Write a limerick about crabs in lowercase letters. Crabs!"),
            ["crabs", "limerick"]
        );
        assert!(is_stopword("the") && is_stopword("would") && !is_stopword("crab"));
        for w in EVERYDAY_WORDS.iter().chain(STOPWORDS).chain(PROMPT_WORDS) {
            assert!(w.chars().all(|c| c.is_ascii_lowercase()), "{w}");
        }
    }

    #[test]
    fn content_words_skip_stopwords_short_words_and_other_scripts() {
        let text =
            "Crabs, crabs! The CRABS walk sideways; x2 crab_cake naïve Ελλάδα हिन्दी cafe\u{301}";
        assert_eq!(
            words_of(text),
            [
                ("crabs".to_owned(), 3),
                ("walk".to_owned(), 1),
                ("sideways".to_owned(), 1),
                ("naïve".to_owned(), 1),
                ("ελλάδα".to_owned(), 1),
            ]
        );
    }

    fn derive(text: &str, instruction: &str, seed: u64) -> Vec<Existence> {
        Existence::derive(&analysis(text), &mut DeriveContext::new(instruction, seed))
    }

    #[test]
    fn derived_keywords_are_topical_and_present() {
        let text =
            "Crabs molt. A crab sheds its shell; crabs grow. Shell after shell, the crab grows.";
        for seed in 0..30 {
            let derived = derive(text, "Write about crabs", seed);
            assert_eq!(derived, derive(text, "Write about crabs", seed), "deterministic per seed");
            let [c] = derived.as_slice() else { panic!("one constraint") };
            assert!((1..=3).contains(&c.keywords.len()));
            assert!(c.verify(&analysis(text)).passed());
            for k in &c.keywords {
                assert!(["crabs", "crab", "shell", "molt", "sheds", "grow", "grows"]
                    .contains(&k.source()));
            }
        }
    }

    #[test]
    fn nothing_derived_without_content_words() {
        assert!(derive("It is what it is.", "", 1).is_empty());
        assert!(derive("", "", 1).is_empty());
        assert!(derive("हिन्दी में लिखा", "", 1).is_empty());
    }
}
