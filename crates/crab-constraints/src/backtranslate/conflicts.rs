//! Which constraints must never be combined in one instruction, and why.
//!
//! Two sources, checked in this order so that the most specific reason is reported:
//! 1. **Contradictions between parameters**, found from the constraints' values:
//!    - numeric: two bounds on the same measure with no count in common (words — IFEval's
//!      `number_words` and CRAB's `crab:word_count` are read as the same measure, as a reader
//!      would —, sentences, occurrences of one keyword or one letter, all-caps words, which an
//!      all-lowercase response has none of), and "at least S sentences" with fewer than S words;
//!    - case: all capitals with all lowercase, English with another language, and a text the
//!      response must contain case-sensitively (a CRAB key phrase, a section marker, `My answer
//!      is`) in the wrong case;
//!    - wording and punctuation: a text the response must contain (keywords, key phrases, the
//!      end phrase, the prompt to repeat, a paragraph's first word, the postscript marker, …)
//!      that a restriction rules out — a forbidden word in it, a forbidden mark, a word longer
//!      than the longest allowed, more of a letter than allowed. These are decided by running
//!      the restricting check itself on the required text.
//! 2. **IFEval's conflict table** (`INSTRUCTION_CONFLICTS`, generated into
//!    [`super::conflicts_table`] with `conflict_make`'s symmetry), which also refuses most pairs
//!    of the same id (two `keywords:existence`, a check with itself). CRAB's checks are not in
//!    it: they take the table's row of their IFEval counterpart against the checks that shape
//!    the whole response (JSON, two responses, a fixed answer, a repeated prompt), and two
//!    bounds on the same CRAB measure are not combined.
//!
//! Pairs are decided both ways round, so `conflict(a, b)` and `conflict(b, a)` agree on whether
//! there is a conflict.

use std::borrow::Cow;

use super::conflicts_table::{IFEVAL_CONFLICTS, IFEVAL_IDS};
use super::render::{language_name, quote};
use crate::checks::crab::word_count::WordBound;
use crate::checks::detectable_format::constrained_response::OPTIONS;
use crate::checks::{Constraint, Relation};
use crate::text::{pystr, Analysis};

/// Why `a` and `b` must not be combined in one instruction, or `None` if they may be.
///
/// ```
/// use crab_constraints::backtranslate::conflict;
/// use crab_constraints::checks::Constraint;
/// use serde_json::json;
///
/// let at_least = json!({"relation": "at least", "num_words": 300});
/// let less_than = json!({"relation": "less than", "num_words": 200});
/// let a = Constraint::from_ifeval("length_constraints:number_words", &at_least).unwrap();
/// let b = Constraint::from_ifeval("crab:word_count", &json!({"relation": "at most", "num_words": 250})).unwrap();
/// assert!(conflict(&a, &b).is_some());
/// let title = Constraint::from_ifeval("detectable_format:title", &json!({})).unwrap();
/// assert_eq!(conflict(&a, &title), None);
/// let c = Constraint::from_ifeval("length_constraints:number_words", &less_than).unwrap();
/// assert!(conflict(&a, &c).is_some());
/// ```
pub fn conflict(a: &Constraint, b: &Constraint) -> Option<String> {
    numeric(a, b)
        .or_else(|| case(a, b))
        .or_else(|| case(b, a))
        .or_else(|| wording(a, b))
        .or_else(|| wording(b, a))
        .or_else(|| ifeval_table(a, b))
        .or_else(|| crab_rules(a, b))
        .or_else(|| (a == b).then(|| format!("the same {} constraint twice", a.id())))
}

/// What a numeric bound counts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Measure {
    Words,
    Sentences,
    /// Occurrences of a keyword (lowercased literal source).
    Keyword(String),
    /// Occurrences of a letter (lowercase).
    Letter(char),
    CapitalWords,
}

impl Measure {
    fn describe(&self) -> String {
        match self {
            Measure::Words => "words".to_owned(),
            Measure::Sentences => "sentences".to_owned(),
            Measure::Keyword(k) => format!("occurrences of {}", quote(k)),
            Measure::Letter(c) => format!("occurrences of the letter {}", quote(&c.to_string())),
            Measure::CapitalWords => "all-caps words".to_owned(),
        }
    }
}

/// A count range, both ends inclusive; `hi: None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    lo: i64,
    hi: Option<i64>,
}

impl Range {
    fn of(relation: Relation, n: i64) -> Range {
        match relation {
            Relation::AtLeast => Range { lo: n.max(0), hi: None },
            Relation::LessThan => Range { lo: 0, hi: Some(n.saturating_sub(1)) },
        }
    }

    fn is_empty(self) -> bool {
        self.hi.is_some_and(|hi| hi < self.lo)
    }

    fn disjoint(self, other: Range) -> bool {
        self.is_empty()
            || other.is_empty()
            || self.hi.is_some_and(|hi| hi < other.lo)
            || other.hi.is_some_and(|hi| hi < self.lo)
    }

    fn describe(self) -> String {
        match self.hi {
            None => format!("at least {}", self.lo),
            Some(hi) if hi < self.lo => "an impossible count".to_owned(),
            Some(0) => "no".to_owned(),
            Some(hi) if self.lo == 0 => format!("at most {hi}"),
            Some(hi) if self.lo == hi => format!("exactly {hi}"),
            Some(hi) => format!("between {} and {hi}", self.lo),
        }
    }
}

/// The numeric bounds `c` puts on the response.
fn measures(c: &Constraint) -> Vec<(Measure, Range)> {
    match c {
        Constraint::NumberWords(w) => vec![(Measure::Words, Range::of(w.relation, w.num_words))],
        Constraint::WordCount(w) => {
            let range = match w.bound {
                WordBound::AtLeast(n) => Range { lo: n, hi: None },
                WordBound::AtMost(n) => Range { lo: 0, hi: Some(n) },
                WordBound::Between(lo, hi) => Range { lo, hi: Some(hi) },
                WordBound::Around(n) => {
                    Range { lo: n - n / 10, hi: Some(n.saturating_add(n / 10)) }
                }
            };
            vec![(Measure::Words, range)]
        }
        Constraint::NumberSentences(s) => {
            vec![(Measure::Sentences, Range::of(s.relation, s.num_sentences))]
        }
        Constraint::Frequency(f) if is_literal(f.keyword.source()) => vec![(
            Measure::Keyword(pystr::lower(f.keyword.source())),
            Range::of(f.relation, f.frequency),
        )],
        Constraint::Existence(e) => e
            .keywords
            .iter()
            .filter(|k| is_literal(k.source()))
            .map(|k| (Measure::Keyword(pystr::lower(k.source())), Range { lo: 1, hi: None }))
            .collect(),
        Constraint::LetterFrequency(l) => {
            let letter = l.letter.to_lowercase().next().unwrap_or(l.letter);
            vec![(Measure::Letter(letter), Range::of(l.let_relation, l.let_frequency))]
        }
        Constraint::CapitalWordFrequency(c) => {
            vec![(Measure::CapitalWords, Range::of(c.capital_relation, c.capital_frequency))]
        }
        Constraint::EnglishLowercase(_) => {
            vec![(Measure::CapitalWords, Range { lo: 0, hi: Some(0) })]
        }
        _ => Vec::new(),
    }
}

fn numeric(a: &Constraint, b: &Constraint) -> Option<String> {
    let (ma, mb) = (measures(a), measures(b));
    for (measure, ra) in &ma {
        for (other, rb) in &mb {
            if measure == other && ra.disjoint(*rb) {
                return Some(format!(
                    "{} asks for {} {} and {} for {}: no count satisfies both",
                    a.id(),
                    ra.describe(),
                    measure.describe(),
                    b.id(),
                    rb.describe()
                ));
            }
        }
    }
    // Every sentence has a word: at least S sentences need at least S words.
    let sentences_vs_words = |x: &[(Measure, Range)], y: &[(Measure, Range)]| {
        x.iter().filter(|(m, _)| *m == Measure::Sentences).find_map(|(_, s)| {
            y.iter()
                .filter(|(m, _)| *m == Measure::Words)
                .find(|(_, w)| w.hi.is_some_and(|hi| hi < s.lo))
                .map(|(_, w)| (s.lo, w.describe()))
        })
    };
    if let Some((s, w)) = sentences_vs_words(&ma, &mb).or_else(|| sentences_vs_words(&mb, &ma)) {
        return Some(format!(
            "{} and {} ask for at least {s} sentences in {w} words: every sentence needs a word",
            a.id(),
            b.id()
        ));
    }
    None
}

/// The language a constraint asks for (either `response_language` check).
fn language_of(c: &Constraint) -> Option<&str> {
    match c {
        Constraint::ResponseLanguage(l) => Some(&l.language),
        Constraint::CrabResponseLanguage(l) => Some(&l.language),
        _ => None,
    }
}

/// Case and language contradictions, `a` against `b` (the caller tries both orders).
fn case(a: &Constraint, b: &Constraint) -> Option<String> {
    match (a, b) {
        (Constraint::EnglishCapital(_), Constraint::EnglishLowercase(_)) => {
            Some("a response cannot be all capitals and all lowercase at once".to_owned())
        }
        (Constraint::EnglishCapital(_), Constraint::CapitalWordFrequency(c))
            if c.capital_relation == Relation::LessThan =>
        {
            Some(format!(
                "in an all-capitals response every word is an all-caps word, but \
                 capital_word_frequency allows fewer than {}",
                c.capital_frequency
            ))
        }
        (Constraint::EnglishCapital(_) | Constraint::EnglishLowercase(_), _)
            if language_of(b).is_some_and(|l| l != "en") =>
        {
            let l = language_of(b).unwrap_or_default();
            Some(format!(
                "{} asks for English, {} for {}",
                a.id(),
                b.id(),
                language_name(l).unwrap_or(l)
            ))
        }
        _ if matches!((language_of(a), language_of(b)), (Some(x), Some(y)) if x != y) => {
            let (x, y) = (language_of(a).unwrap_or_default(), language_of(b).unwrap_or_default());
            Some(format!(
                "the response cannot be in both {} and {}",
                language_name(x).unwrap_or(x),
                language_name(y).unwrap_or(y)
            ))
        }
        (Constraint::EnglishLowercase(_), _) => required_texts(b)
            .into_iter()
            .find(|r| r.case_sensitive && r.text.chars().any(is_capital))
            .map(|r| {
                format!(
                    "{} requires {} verbatim, with capitals that {} forbids",
                    b.id(),
                    quote(&r.text),
                    a.id()
                )
            }),
        (Constraint::EnglishCapital(_), _) => required_texts(b)
            .into_iter()
            .find(|r| r.case_sensitive && r.text.chars().any(pystr::is_lower_char))
            .map(|r| {
                format!(
                    "{} requires {} verbatim, with lowercase letters that {} forbids",
                    b.id(),
                    quote(&r.text),
                    a.id()
                )
            }),
        _ => None,
    }
}

fn is_capital(c: char) -> bool {
    pystr::is_upper_char(c) || pystr::is_title_char(c)
}

/// A text that every response satisfying a constraint contains.
struct Required<'c> {
    text: Cow<'c, str>,
    /// Whether it must appear in exactly this case.
    case_sensitive: bool,
}

/// Whether a Python pattern is plain text (no regular-expression syntax).
fn is_literal(pattern: &str) -> bool {
    !pattern.is_empty()
        && !pattern
            .contains(['\\', '.', '^', '$', '*', '+', '?', '{', '}', '[', ']', '|', '(', ')'])
}

/// The texts `c` makes the response contain.
fn required_texts(c: &Constraint) -> Vec<Required<'_>> {
    let plain = |s: &str| Required { text: Cow::Owned(s.to_owned()), case_sensitive: false };
    match c {
        Constraint::Existence(e) => {
            e.keywords.iter().map(|k| k.source()).filter(|k| is_literal(k)).map(plain).collect()
        }
        Constraint::Frequency(f)
            if f.relation == Relation::AtLeast
                && f.frequency >= 1
                && is_literal(f.keyword.source()) =>
        {
            vec![plain(f.keyword.source())]
        }
        Constraint::KeyPhrases(k) => k
            .phrases
            .iter()
            .map(|p| Required { text: Cow::Borrowed(p.as_str()), case_sensitive: true })
            .collect(),
        Constraint::EndChecker(e) => vec![plain(pystr::strip(&e.end_phrase))],
        Constraint::RepeatPrompt(r) => vec![plain(pystr::strip(&r.prompt_to_repeat))],
        Constraint::NthParagraphFirstWord(n) => vec![plain(&n.first_word)],
        Constraint::Postscript(p) => vec![plain(&p.postscript_marker)],
        Constraint::MultipleSections(m) if is_literal(&m.section_spliter) => {
            vec![Required { text: Cow::Borrowed(m.section_spliter.as_str()), case_sensitive: true }]
        }
        Constraint::ConstrainedResponse(_) => {
            // The three options share their opening words.
            let common = OPTIONS[0].rsplit_once(' ').map_or(OPTIONS[0], |(head, _)| head);
            vec![Required { text: Cow::Borrowed(common), case_sensitive: true }]
        }
        _ => Vec::new(),
    }
}

/// A required text of `a` that a restriction `b` rules out: `b`'s own check fails on it.
fn wording(a: &Constraint, b: &Constraint) -> Option<String> {
    let restricts = match b {
        Constraint::ForbiddenWords(_)
        | Constraint::NoComma(_)
        | Constraint::NoPunctuation(_)
        | Constraint::CharsPerWord(_) => true,
        Constraint::LetterFrequency(l) => l.let_relation == Relation::LessThan,
        Constraint::Frequency(f) => f.relation == Relation::LessThan,
        _ => false,
    };
    if !restricts {
        return None;
    }
    required_texts(a).into_iter().find_map(|r| {
        let verdict = b.verify(&Analysis::new(&r.text));
        (verdict.status == crate::checks::Status::Fail).then(|| {
            format!(
                "{} requires {}, which {} rules out ({})",
                a.id(),
                quote(&r.text),
                b.id(),
                verdict.detail
            )
        })
    })
}

/// Whether IFEval's table has the pair `(a, b)`.
fn in_table(a: &str, b: &str) -> bool {
    IFEVAL_CONFLICTS.binary_search(&(a, b)).is_ok()
}

/// The id under which a constraint is looked up in IFEval's table: its own, except that
/// `crab:response_language` is IFEval's language check for other languages and takes its row.
fn table_id(c: &Constraint) -> &'static str {
    match c {
        Constraint::CrabResponseLanguage(_) => "language:response_language",
        _ => c.id(),
    }
}

fn ifeval_table(a: &Constraint, b: &Constraint) -> Option<String> {
    let (x, y) = (table_id(a), table_id(b));
    in_table(x, y).then(|| {
        if x == y {
            format!("IFEval's conflict table never combines two {x} constraints")
        } else {
            format!("IFEval's conflict table does not combine {x} with {y}")
        }
    })
}

/// The IFEval check a CRAB check stands in for, in the table's rows of the checks that shape
/// the whole response.
fn ifeval_counterpart(c: &Constraint) -> Option<&'static str> {
    Some(match c {
        Constraint::WordCount(_) | Constraint::CharsPerWord(_) => "length_constraints:number_words",
        Constraint::WordsPerSentence(_) | Constraint::SentencesPerParagraph(_) => {
            "length_constraints:number_sentences"
        }
        Constraint::KeyPhrases(_) => "keywords:existence",
        Constraint::NoPunctuation(_) => "punctuation:no_comma",
        _ => return None,
    })
}

/// IFEval checks that decide the shape of the whole response.
const WHOLE_RESPONSE: &[&str] = &[
    "combination:repeat_prompt",
    "combination:two_responses",
    "detectable_format:constrained_response",
    "detectable_format:json_format",
];

fn crab_rules(a: &Constraint, b: &Constraint) -> Option<String> {
    let counterpart = |crab: &Constraint, other: &Constraint| {
        let twin = ifeval_counterpart(crab)?;
        let whole = other.id();
        (WHOLE_RESPONSE.contains(&whole) && in_table(whole, twin)).then(|| {
            format!(
                "IFEval's conflict table does not combine {whole} with {twin}, nor with its CRAB \
                 counterpart {}",
                crab.id()
            )
        })
    };
    if let Some(reason) = counterpart(a, b).or_else(|| counterpart(b, a)) {
        return Some(reason);
    }
    let same_measure = matches!(
        (a, b),
        (Constraint::WordCount(_), Constraint::WordCount(_))
            | (Constraint::WordsPerSentence(_), Constraint::WordsPerSentence(_))
            | (Constraint::CharsPerWord(_), Constraint::CharsPerWord(_))
            | (Constraint::SentencesPerParagraph(_), Constraint::SentencesPerParagraph(_))
    );
    if same_measure {
        return Some(format!("two bounds of the same kind ({})", a.id()));
    }
    let forbids_commas = |c: &Constraint| match c {
        Constraint::NoComma(_) => true,
        Constraint::NoPunctuation(p) => p.mark == ',',
        _ => false,
    };
    (a.id() != b.id() && forbids_commas(a) && forbids_commas(b))
        .then(|| format!("{} and {} both forbid commas", a.id(), b.id()))
}

/// Whether `id` is one of IFEval's 25 instruction ids (those of Google's registry, which its
/// conflict table covers), as opposed to the playground's own `crab:*` checks.
pub fn is_ifeval_id(id: &str) -> bool {
    IFEVAL_IDS.binary_search(&id).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::constraint;
    use crate::checks::CHECKS;

    fn c(id: &str, kwargs: &str) -> Constraint {
        constraint(id, kwargs)
    }

    #[track_caller]
    fn assert_conflict(a: &Constraint, b: &Constraint, needle: &str) {
        let reason = conflict(a, b).unwrap_or_else(|| panic!("{a:?} and {b:?} should conflict"));
        assert!(reason.contains(needle), "reason {reason:?} lacks {needle:?}");
        assert!(conflict(b, a).is_some(), "not symmetric");
    }

    #[track_caller]
    fn assert_compatible(a: &Constraint, b: &Constraint) {
        assert_eq!(conflict(a, b), None);
        assert_eq!(conflict(b, a), None);
    }

    fn words(rel: &str, n: i64) -> Constraint {
        c(
            "length_constraints:number_words",
            &format!(r#"{{"relation": "{rel}", "num_words": {n}}}"#),
        )
    }

    #[test]
    fn the_table_covers_registered_ids_and_is_symmetric() {
        for id in IFEVAL_IDS {
            assert!(CHECKS.iter().any(|c| c.id == *id), "{id} is not registered");
            assert!(in_table(id, id), "{id} does not conflict with itself");
        }
        for (a, b) in IFEVAL_CONFLICTS {
            assert!(in_table(b, a), "({a}, {b}) without ({b}, {a})");
        }
        // IFEval's families (the playground's `crab:*` checks and IFBench's are not in it).
        let families: Vec<&str> =
            IFEVAL_IDS.iter().filter_map(|id| id.split_once(':')).map(|(f, _)| f).collect();
        let registered: Vec<&str> =
            CHECKS.iter().filter(|c| families.contains(&c.family())).map(|c| c.id).collect();
        assert_eq!(registered, IFEVAL_IDS, "every IFEval check is in the table");
        assert!(is_ifeval_id("punctuation:no_comma") && !is_ifeval_id("crab:word_count"));
        let mut sorted = IFEVAL_CONFLICTS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, IFEVAL_CONFLICTS, "binary search needs a sorted table");
        // IFEval entries, as listed in instructions_registry.py.
        assert!(in_table("keywords:existence", "language:response_language"));
        assert!(in_table("startend:quotation", "detectable_format:title"));
        assert!(in_table("detectable_format:title", "startend:quotation"));
        assert!(in_table("detectable_format:constrained_response", "punctuation:no_comma"));
        assert!(!in_table("detectable_format:json_format", "keywords:existence"));
        assert!(!in_table("punctuation:no_comma", "detectable_format:title"));
    }

    #[test]
    fn same_ifeval_id_conflicts_as_in_the_table() {
        let a = c("keywords:existence", r#"{"keywords": ["cat"]}"#);
        let b = c("keywords:existence", r#"{"keywords": ["dog"]}"#);
        assert_conflict(&a, &b, "never combines two keywords:existence");
        assert_conflict(&a, &a, "keywords:existence");
        let nc = c("punctuation:no_comma", "{}");
        assert_conflict(&nc, &nc, "punctuation:no_comma");
    }

    #[test]
    fn numeric_word_contradictions() {
        assert_conflict(
            &words("at least", 300),
            &words("less than", 200),
            "no count satisfies both",
        );
        let crab_at_most = c("crab:word_count", r#"{"relation": "at most", "num_words": 250}"#);
        assert_conflict(&words("at least", 300), &crab_at_most, "at least 300 words");
        let crab_between =
            c("crab:word_count", r#"{"relation": "between", "min_words": 280, "max_words": 400}"#);
        assert_compatible(&words("at least", 300), &crab_between);
        let around = c("crab:word_count", r#"{"relation": "around", "num_words": 100}"#);
        assert_compatible(&words("less than", 91), &around);
        assert_conflict(&words("less than", 90), &around, "between 90 and 110");
    }

    #[test]
    fn numeric_sentence_and_keyword_contradictions() {
        let s = |rel: &str, n: i64| {
            c(
                "length_constraints:number_sentences",
                &format!(r#"{{"relation": "{rel}", "num_sentences": {n}}}"#),
            )
        };
        assert_conflict(&s("at least", 5), &s("less than", 5), "sentences");
        assert_conflict(&s("at least", 20), &words("less than", 10), "every sentence needs a word");
        assert_compatible(&s("at least", 5), &words("less than", 100));
        let freq = |rel: &str, n: i64| {
            c(
                "keywords:frequency",
                &format!(r#"{{"keyword": "Cat", "relation": "{rel}", "frequency": {n}}}"#),
            )
        };
        let exists = c("keywords:existence", r#"{"keywords": ["cat", "dog"]}"#);
        assert_conflict(&freq("less than", 1), &exists, "occurrences of \"cat\"");
        // IFEval's table refuses keywords:frequency with itself anyway; the reason is numeric.
        assert_conflict(&freq("at least", 3), &freq("less than", 2), "no count satisfies both");
        let letter = |rel: &str, n: i64| {
            c(
                "keywords:letter_frequency",
                &format!(r#"{{"letter": "e", "let_relation": "{rel}", "let_frequency": {n}}}"#),
            )
        };
        assert_conflict(&letter("at least", 10), &letter("less than", 10), "letter");
    }

    #[test]
    fn case_contradictions() {
        let upper = c("change_case:english_capital", "{}");
        let lower = c("change_case:english_lowercase", "{}");
        assert_conflict(&upper, &lower, "all capitals and all lowercase");
        let caps = c(
            "change_case:capital_word_frequency",
            r#"{"capital_relation": "at least", "capital_frequency": 2}"#,
        );
        assert_conflict(&lower, &caps, "all-caps words");
        let few_caps = c(
            "change_case:capital_word_frequency",
            r#"{"capital_relation": "less than", "capital_frequency": 4}"#,
        );
        assert_conflict(&upper, &few_caps, "every word is an all-caps word");
        let french = c("language:response_language", r#"{"language": "fr"}"#);
        assert_conflict(&lower, &french, "French");
        let phrase = c("crab:key_phrases", r#"{"phrases": ["NVIDIA GeForce"]}"#);
        assert_conflict(&lower, &phrase, "with capitals");
        assert_conflict(&upper, &phrase, "with lowercase letters");
        let section = c(
            "detectable_format:multiple_sections",
            r#"{"section_spliter": "SECTION", "num_sections": 2}"#,
        );
        assert_conflict(&lower, &section, "SECTION");
        // Case-insensitive requirements are compatible with a case rule.
        let end = c("startend:end_checker", r#"{"end_phrase": "Any other questions?"}"#);
        assert_compatible(&lower, &end);
    }

    #[test]
    fn wording_and_punctuation_contradictions() {
        let forbidden = c("keywords:forbidden_words", r#"{"forbidden_words": ["help", "really"]}"#);
        let end = c(
            "startend:end_checker",
            r#"{"end_phrase": "Is there anything else I can help with?"}"#,
        );
        assert_conflict(&end, &forbidden, "help");
        let no_q = c("crab:no_punctuation", r#"{"mark": "?"}"#);
        assert_conflict(&end, &no_q, "rules out");
        let repeat =
            c("combination:repeat_prompt", r#"{"prompt_to_repeat": "Write a poem, please"}"#);
        let no_comma = c("punctuation:no_comma", "{}");
        assert_conflict(&repeat, &no_comma, "comma");
        let short_words = c("crab:chars_per_word", r#"{"max_chars": 10}"#);
        let long_kw = c("keywords:existence", r#"{"keywords": ["internationalization"]}"#);
        assert_conflict(&long_kw, &short_words, "internationalization");
        let ok_kw = c("keywords:existence", r#"{"keywords": ["crab"]}"#);
        assert_compatible(&ok_kw, &short_words);
        assert_compatible(&ok_kw, &forbidden);
        let few_e = c(
            "keywords:letter_frequency",
            r#"{"letter": "e", "let_relation": "less than", "let_frequency": 2}"#,
        );
        let excellence = c("crab:key_phrases", r#"{"phrases": ["excellence"]}"#);
        assert_conflict(&excellence, &few_e, "excellence");
        let title = c("detectable_format:title", "{}");
        assert_compatible(&title, &forbidden);
    }

    #[test]
    fn crab_checks_against_whole_response_formats() {
        let json = c("detectable_format:json_format", "{}");
        let wc = c("crab:word_count", r#"{"relation": "at least", "num_words": 10}"#);
        assert_conflict(&json, &wc, "CRAB counterpart crab:word_count");
        let phrases = c("crab:key_phrases", r#"{"phrases": ["cat"]}"#);
        assert_compatible(&json, &phrases);
        let two = c("combination:two_responses", "{}");
        assert_conflict(
            &two,
            &c("crab:words_per_sentence", r#"{"max_words": 20}"#),
            "number_sentences",
        );
        // IFEval lets two responses go without commas, so CRAB's mark rule may too.
        assert_compatible(&two, &c("crab:no_punctuation", r#"{"mark": ":"}"#));
        let fixed = c("detectable_format:constrained_response", "{}");
        assert_conflict(&fixed, &c("crab:no_punctuation", r#"{"mark": "!"}"#), "no_punctuation");
        let wc2 = c("crab:word_count", r#"{"relation": "at least", "num_words": 5}"#);
        assert_conflict(&wc, &wc2, "same kind");
        let comma = c("crab:no_punctuation", r#"{"mark": ","}"#);
        let colon = c("crab:no_punctuation", r#"{"mark": ":"}"#);
        assert_compatible(&comma, &colon);
        assert_conflict(&comma, &comma, "twice");
        assert_conflict(&comma, &c("punctuation:no_comma", "{}"), "both forbid commas");
        assert_compatible(&colon, &c("punctuation:no_comma", "{}"));
        assert_compatible(&wc, &c("detectable_format:title", "{}"));
    }

    #[test]
    fn ranges() {
        let r = Range::of(Relation::LessThan, 0);
        assert!(r.is_empty());
        assert!(r.disjoint(Range { lo: 0, hi: None }));
        assert_eq!(Range { lo: 0, hi: Some(0) }.describe(), "no");
        assert_eq!(Range { lo: 3, hi: Some(3) }.describe(), "exactly 3");
        assert_eq!(Range::of(Relation::LessThan, 200).describe(), "at most 199");
        assert!(!Range { lo: 5, hi: Some(9) }.disjoint(Range { lo: 9, hi: None }));
    }
}
