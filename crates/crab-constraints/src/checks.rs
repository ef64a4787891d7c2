//! The registry of checks: every verifiable constraint the playground knows.
//!
//! Each check lives in its own file whose path is its id (`checks/punctuation/no_comma.rs` ↔
//! `punctuation:no_comma`), holding its parameter struct, its metadata ([`CheckInfo`]), its
//! verifier and its tests, so that one grep finds all of them. The list below is the only place
//! that names every check: it generates the [`Constraint`] enum (an exhaustive `match` forces every
//! new check to be handled everywhere) and the [`CHECKS`] table the app's catalog and the docs are
//! built from. An explicit list, not linker tricks: greppable, deterministic order, works on wasm.
//!
//! Verifying never fails: a constraint that does not hold, or cannot be decided, is a
//! [`Verdict`]. Only building a constraint from untrusted parameters can fail ([`SpecError`]).

use std::fmt;

use serde_json::{Map, Value};

use crate::rng::Rng;
use crate::text::{pystr, Analysis, Resource, Span};

pub mod change_case;
pub mod combination;
pub mod count;
pub mod crab;
pub mod custom;
pub mod detectable_content;
pub mod detectable_format;
pub mod docs;
pub mod format;
pub mod keywords;
pub mod kwargs;
pub mod language;
pub mod length_constraints;
pub mod pattern;
pub mod punctuation;
pub mod ratio;
pub mod repeat;
pub mod sentence;
pub mod startend;
pub mod words;

pub use kwargs::{Kwargs, SpecError};

/// Declares every check once. Keep sorted by id.
macro_rules! registry {
    ($($variant:ident => $ty:ty,)*) => {
        /// A typed constraint: one variant per registered check, holding its parameters.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Constraint {
            $(
                #[doc = concat!("See [`", stringify!($ty), "`].")]
                $variant($ty),
            )*
        }

        /// Every registered check's metadata, sorted by id.
        pub static CHECKS: &[&CheckInfo] = &[$(&<$ty as Check>::INFO,)*];

        impl Constraint {
            /// The check's metadata (id, family, docs, parameters).
            pub fn info(&self) -> &'static CheckInfo {
                match self {
                    $(Constraint::$variant(_) => &<$ty as Check>::INFO,)*
                }
            }

            /// Verifies `text` against this constraint, as the check itself decides it (without
            /// IFEval's empty-response rule; see [`crate::ifeval`]).
            pub fn verify(&self, text: &Analysis<'_>) -> Verdict {
                match self {
                    $(Constraint::$variant(c) => c.verify(text),)*
                }
            }

            /// The parameters as IFEval kwargs (Google's names and types).
            pub fn kwargs(&self) -> Map<String, Value> {
                match self {
                    $(Constraint::$variant(c) => c.kwargs(),)*
                }
            }

            /// Back-translation over every registered check: the constraints `text` already
            /// satisfies (see [`Check::derive`]), in registry order.
            pub fn derive_all(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<Constraint> {
                Constraint::derive_where(text, cx, |_| true)
            }

            /// [`Constraint::derive_all`] over the checks for which `include` is true. Each
            /// check draws from its own stream of the context's seed ([`DeriveContext::start`]),
            /// so leaving a check out (or adding one to the registry) never changes what the
            /// others derive.
            pub fn derive_where(
                text: &Analysis<'_>,
                cx: &mut DeriveContext<'_>,
                include: impl Fn(&'static CheckInfo) -> bool,
            ) -> Vec<Constraint> {
                let mut all = Vec::new();
                $(
                    if include(&<$ty as Check>::INFO) {
                        cx.start(&<$ty as Check>::INFO);
                        all.extend(<$ty as Check>::derive(text, cx).into_iter().map(Constraint::$variant));
                    }
                )*
                all
            }

            /// Builds a constraint from an IFEval `(instruction_id, kwargs)` pair.
            ///
            /// `kwargs` is a JSON object (or `null` for none); keys whose value is `null` are
            /// ignored, as in the Hugging Face copy of IFEval. Unknown ids, missing or ill-typed
            /// parameters and unexpected keys are errors naming the id and the field.
            pub fn from_ifeval(id: &str, kwargs: &Value) -> Result<Constraint, SpecError> {
                $(
                    if id == <$ty as Check>::INFO.id {
                        let info = &<$ty as Check>::INFO;
                        let kw = Kwargs::new(info, kwargs)?;
                        let c = <$ty as Check>::from_kwargs(&kw)?;
                        kw.finish()?;
                        return Ok(Constraint::$variant(c));
                    }
                )*
                Err(SpecError::unknown_id(id))
            }
        }
    };
}

registry! {
    CapitalWordFrequency => change_case::capital_word_frequency::CapitalWordFrequency,
    EnglishCapital => change_case::english_capital::EnglishCapital,
    EnglishLowercase => change_case::english_lowercase::EnglishLowercase,
    RepeatPrompt => combination::repeat_prompt::RepeatPrompt,
    TwoResponses => combination::two_responses::TwoResponses,
    Conjunctions => count::conjunctions::Conjunctions,
    KeywordsMultiple => count::keywords_multiple::KeywordsMultiple,
    Numbers => count::numbers::Numbers,
    PersonNames => count::person_names::PersonNames,
    Pronouns => count::pronouns::Pronouns,
    Punctuation => count::punctuation::Punctuation,
    UniqueWordCount => count::unique_word_count::UniqueWordCount,
    WordCountRange => count::word_count_range::WordCountRange,
    WordsJapanese => count::words_japanese::WordsJapanese,
    CharsPerWord => crab::chars_per_word::CharsPerWord,
    KeyPhrases => crab::key_phrases::KeyPhrases,
    NoPunctuation => crab::no_punctuation::NoPunctuation,
    CrabResponseLanguage => crab::response_language::CrabResponseLanguage,
    SentencesPerParagraph => crab::sentences_per_paragraph::SentencesPerParagraph,
    WordCount => crab::word_count::WordCount,
    WordsPerSentence => crab::words_per_sentence::WordsPerSentence,
    CharacterReverse => custom::character_reverse::CharacterReverse,
    CsvCity => custom::csv_city::CsvCity,
    CsvQuotes => custom::csv_quotes::CsvQuotes,
    CsvSpecialCharacter => custom::csv_special_character::CsvSpecialCharacter,
    DateFormatList => custom::date_format_list::DateFormatList,
    EuropeanCapitalsSort => custom::european_capitals_sort::EuropeanCapitalsSort,
    McqCountLength => custom::mcq_count_length::McqCountLength,
    Multiples => custom::multiples::Multiples,
    ReverseNewline => custom::reverse_newline::ReverseNewline,
    SentenceAlphabet => custom::sentence_alphabet::SentenceAlphabet,
    WordReverse => custom::word_reverse::WordReverse,
    NumberPlaceholders => detectable_content::number_placeholders::NumberPlaceholders,
    Postscript => detectable_content::postscript::Postscript,
    ConstrainedResponse => detectable_format::constrained_response::ConstrainedResponse,
    JsonFormat => detectable_format::json_format::JsonFormat,
    MultipleSections => detectable_format::multiple_sections::MultipleSections,
    NumberBulletLists => detectable_format::number_bullet_lists::NumberBulletLists,
    NumberHighlightedSections => detectable_format::number_highlighted_sections::NumberHighlightedSections,
    Title => detectable_format::title::Title,
    Emoji => format::emoji::Emoji,
    LineIndent => format::line_indent::LineIndent,
    List => format::list::List,
    Newline => format::newline::Newline,
    NoBulletsBullets => format::no_bullets_bullets::NoBulletsBullets,
    NoWhitespace => format::no_whitespace::NoWhitespace,
    Options => format::options::Options,
    OutputTemplate => format::output_template::OutputTemplate,
    Parentheses => format::parentheses::Parentheses,
    QuoteUnquote => format::quote_unquote::QuoteUnquote,
    Quotes => format::quotes::Quotes,
    SubBullets => format::sub_bullets::SubBullets,
    Thesis => format::thesis::Thesis,
    TitleCase => format::title_case::TitleCase,
    Existence => keywords::existence::Existence,
    ForbiddenWords => keywords::forbidden_words::ForbiddenWords,
    Frequency => keywords::frequency::Frequency,
    LetterFrequency => keywords::letter_frequency::LetterFrequency,
    ResponseLanguage => language::response_language::ResponseLanguage,
    NthParagraphFirstWord => length_constraints::nth_paragraph_first_word::NthParagraphFirstWord,
    NumberParagraphs => length_constraints::number_paragraphs::NumberParagraphs,
    NumberSentences => length_constraints::number_sentences::NumberSentences,
    NumberWords => length_constraints::number_words::NumberWords,
    NoComma => punctuation::no_comma::NoComma,
    Overlap => ratio::overlap::Overlap,
    SentenceBalance => ratio::sentence_balance::SentenceBalance,
    SentenceType => ratio::sentence_type::SentenceType,
    SentenceWords => ratio::sentence_words::SentenceWords,
    StopWords => ratio::stop_words::StopWords,
    RepeatChange => repeat::repeat_change::RepeatChange,
    RepeatSimple => repeat::repeat_simple::RepeatSimple,
    RepeatSpan => repeat::repeat_span::RepeatSpan,
    AlliterationIncrement => sentence::alliteration_increment::AlliterationIncrement,
    Increment => sentence::increment::Increment,
    Keyword => sentence::keyword::Keyword,
    EndChecker => startend::end_checker::EndChecker,
    Quotation => startend::quotation::Quotation,
    Alphabet => words::alphabet::Alphabet,
    Consonants => words::consonants::Consonants,
    KeywordsSpecificPosition => words::keywords_specific_position::KeywordsSpecificPosition,
    LastFirst => words::last_first::LastFirst,
    NoConsecutive => words::no_consecutive::NoConsecutive,
    OddEvenSyllables => words::odd_even_syllables::OddEvenSyllables,
    Palindrome => words::palindrome::Palindrome,
    ParagraphLastFirst => words::paragraph_last_first::ParagraphLastFirst,
    PrimeLengths => words::prime_lengths::PrimeLengths,
    Repeats => words::repeats::Repeats,
    StartVerb => words::start_verb::StartVerb,
    Vowel => words::vowel::Vowel,
    WordsPosition => words::words_position::WordsPosition,
}

impl Constraint {
    /// The check's id, e.g. `punctuation:no_comma`.
    pub fn id(&self) -> &'static str {
        self.info().id
    }

    /// The resources verifying needs ([`CheckInfo::needs`]): callers that load them lazily use
    /// this to load each only when needed, and early.
    pub fn needs(&self) -> &'static [Resource] {
        self.info().needs
    }

    /// Whether verifying needs language detection (and so the language profiles).
    pub fn needs_language(&self) -> bool {
        self.info().needs_language()
    }

    /// Whether verifying needs part-of-speech tags (and so the tagger's model).
    pub fn needs_tagger(&self) -> bool {
        self.info().needs.contains(&Resource::Tagger)
    }
}

/// What a check needs to provide: metadata, parsing from IFEval kwargs, and the verifier.
pub trait Check: Sized {
    /// The check's id, docs and parameters.
    const INFO: CheckInfo;

    /// Builds the check from IFEval kwargs, reading every parameter it needs through `kwargs`
    /// (which remembers which keys were read, so that unexpected ones are reported).
    fn from_kwargs(kwargs: &Kwargs<'_>) -> Result<Self, SpecError>;

    /// The parameters as IFEval kwargs.
    fn kwargs(&self) -> Map<String, Value>;

    /// Decides whether `text` satisfies the constraint, with a one-line detail and evidence.
    fn verify(&self, text: &Analysis<'_>) -> Verdict;

    /// Back-translation: constraints of this kind that `text` already satisfies, loosened the
    /// way CRAB does (counts rounded to tens; at least / less than / between / around), with the
    /// random choices drawn from `cx.rng` so that a seed reproduces them.
    ///
    /// **Contract** (tested on every GPT-4 response and on generated texts): every returned
    /// constraint passes strict verification on `text`; derivation never panics. Return nothing
    /// when the text gives no meaningful constraint of this kind (e.g. no comma-free text, no
    /// all-caps text). The default derives nothing.
    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<Self> {
        let _ = (text, cx);
        Vec::new()
    }
}

/// What derivation may use besides the response: the instruction it answers, and the seeded
/// random source.
#[derive(Debug)]
pub struct DeriveContext<'a> {
    /// The instruction the response answers (for `combination:repeat_prompt`); may be empty.
    pub instruction: &'a str,
    /// Seeded randomness: the same seed gives the same derivations.
    pub rng: Rng,
    seed: u64,
    notes: Vec<String>,
}

impl<'a> DeriveContext<'a> {
    /// A context for a response to `instruction`, seeded with `seed`.
    pub fn new(instruction: &'a str, seed: u64) -> DeriveContext<'a> {
        DeriveContext { instruction, rng: Rng::new(seed), seed, notes: Vec::new() }
    }

    /// Records why the check `info` derives nothing from a text it might otherwise have given
    /// a constraint for: one of the library's bounds was hit (a text too long for key
    /// phrases). A bound never changes a derivation silently.
    pub fn note(&mut self, info: &CheckInfo, why: impl fmt::Display) {
        self.notes.push(format!("{}: {why}", info.id));
    }

    /// The notes recorded so far ([`DeriveContext::note`]), in derivation order.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Gives `rng` the stream of the seed that belongs to the check `info` (the seed mixed with
    /// a hash of its id), before that check derives: [`Constraint::derive_where`] calls it.
    pub fn start(&mut self, info: &CheckInfo) {
        let id_hash = info.id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        self.rng = Rng::new(Rng::new(self.seed ^ id_hash).next_u64());
    }
}

/// A check's metadata, for the catalog, the docs and the registry tests.
#[derive(Debug)]
pub struct CheckInfo {
    /// Stable id (IFEval's or IFBench's own where it exists), `family:name`.
    pub id: &'static str,
    /// Short human title, e.g. "No commas".
    pub title: &'static str,
    /// What the check verifies, exactly, in a few sentences (Markdown).
    pub description: &'static str,
    /// Where and why the check deliberately differs from the reference, if anywhere (Markdown).
    pub divergence: Option<&'static str>,
    /// The resources verifying needs, which the caller supplies in the analysis's
    /// [`Resources`](crate::text::Resources) (language profiles, tagger weights: too large to
    /// compile into the web app); without them the verdict is pending. Empty for most checks.
    pub needs: &'static [Resource],
    /// Whether the check has a back-translation ([`Check::derive`]). A check without one says
    /// why in its docs (a fixed task such as listing Africa's countries, a shape that real
    /// answers almost never have) and derives nothing; one with it must derive something on the
    /// GPT-4 responses (`tests/derive_invariants.rs` holds both to this flag).
    pub derives: bool,
    /// The parameters, in IFEval's kwargs names.
    pub params: &'static [Param],
    /// A worked example: kwargs, a response that passes and one that fails.
    pub example: Example,
}

impl CheckInfo {
    /// The family: the part of the id before `:` (`punctuation`).
    pub fn family(&self) -> &'static str {
        self.id.split_once(':').map_or(self.id, |(family, _)| family)
    }

    /// Whether verifying calls language detection ([`Resource::Language`] is needed).
    pub fn needs_language(&self) -> bool {
        self.needs.contains(&Resource::Language)
    }
}

/// One parameter of a check.
#[derive(Debug)]
pub struct Param {
    /// The IFEval kwargs key.
    pub name: &'static str,
    /// What it means, for the catalog's form.
    pub doc: &'static str,
    /// Its type, valid range and default.
    pub kind: ParamKind,
}

/// A parameter's type, range and default value (for the catalog's form controls).
#[derive(Debug)]
pub enum ParamKind {
    /// A whole number in `min..=max`.
    Count {
        /// Smallest accepted value.
        min: i64,
        /// Largest value the form offers (larger ones are still accepted from files).
        max: i64,
        /// Default for a new constraint.
        default: i64,
    },
    /// `"less than"` or `"at least"`.
    Relation,
    /// Free text (a keyword, a phrase, a marker).
    Text {
        /// Default for a new constraint.
        default: &'static str,
    },
    /// A list of strings.
    TextList {
        /// Default for a new constraint.
        default: &'static [&'static str],
    },
    /// One of a fixed set of strings.
    Choice {
        /// The accepted values.
        options: &'static [&'static str],
        /// Default for a new constraint.
        default: &'static str,
    },
}

/// A worked example for a check's docs, checked by the registry tests.
#[derive(Debug)]
pub struct Example {
    /// IFEval kwargs as a JSON object.
    pub kwargs: &'static str,
    /// A response that satisfies the constraint.
    pub pass: &'static str,
    /// A response that does not.
    pub fail: &'static str,
}

/// IFEval's comparison of a count with a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// `"less than"`: `count < n`.
    LessThan,
    /// `"at least"`: `count >= n`.
    AtLeast,
}

impl Relation {
    /// The IFEval spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::LessThan => "less than",
            Relation::AtLeast => "at least",
        }
    }

    /// Parses IFEval's spelling (exactly `"less than"` or `"at least"`).
    pub fn parse(s: &str) -> Option<Relation> {
        match s {
            "less than" => Some(Relation::LessThan),
            "at least" => Some(Relation::AtLeast),
            _ => None,
        }
    }

    /// Whether `count` satisfies the relation with threshold `n`.
    pub fn holds(self, count: usize, n: i64) -> bool {
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        match self {
            Relation::LessThan => count < n,
            Relation::AtLeast => count >= n,
        }
    }

    /// Pass if `count` satisfies the relation with threshold `n`, else fail, with the detail
    /// "`counted`; needs <relation> `n`" (e.g. "312 words; needs at least 300").
    pub(crate) fn verdict(self, count: usize, n: i64, counted: &str) -> Verdict {
        Verdict::from_bool(self.holds(count, n), format!("{counted}; needs {self} {n}"))
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a verification came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// The constraint holds.
    Pass,
    /// The constraint does not hold.
    Fail,
    /// The constraint's parameters cannot be used (e.g. a keyword pattern that is not a valid
    /// regular expression here). Scored as not followed.
    Invalid,
    /// The verdict needs data that is not loaded yet (the language profiles or the tagger's
    /// model in the browser: see [`CheckInfo::needs`]).
    /// Scored as not followed until it is decided.
    Pending,
}

/// The outcome of verifying one constraint on one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Pass, fail, or undecidable.
    pub status: Status,
    /// One line for people: "312 words; needs at least 300", "3 commas".
    pub detail: String,
    /// Where in the text the verdict comes from (the commas, the counted sentences, …), as byte
    /// ranges into the verified text, in order.
    pub evidence: Vec<Span>,
}

impl Verdict {
    /// A passing verdict.
    pub fn pass(detail: impl Into<String>) -> Verdict {
        Verdict { status: Status::Pass, detail: detail.into(), evidence: Vec::new() }
    }

    /// A failing verdict.
    pub fn fail(detail: impl Into<String>) -> Verdict {
        Verdict { status: Status::Fail, detail: detail.into(), evidence: Vec::new() }
    }

    /// Pass if `ok`, else fail, with the same detail.
    pub fn from_bool(ok: bool, detail: impl Into<String>) -> Verdict {
        if ok {
            Verdict::pass(detail)
        } else {
            Verdict::fail(detail)
        }
    }

    /// A verdict for parameters that cannot be used.
    pub fn invalid(detail: impl Into<String>) -> Verdict {
        Verdict { status: Status::Invalid, detail: detail.into(), evidence: Vec::new() }
    }

    /// A verdict waiting for data that is not loaded yet.
    pub fn pending(detail: impl Into<String>) -> Verdict {
        Verdict { status: Status::Pending, detail: detail.into(), evidence: Vec::new() }
    }

    /// The same verdict with `evidence` attached.
    pub fn with_evidence(mut self, evidence: Vec<Span>) -> Verdict {
        self.evidence = evidence;
        self
    }

    /// Whether the constraint counts as followed (only [`Status::Pass`] does).
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }
}

/// `span` of `text` without its leading and trailing Python whitespace (`str.strip()`).
pub(crate) fn strip_span(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let start = span.start + (s.len() - pystr::lstrip(s).len());
    Span::new(start, start + pystr::strip(s).len())
}

/// How many characters Python's `str.lower()` makes of `c`: one, except two for `İ` (`i` and
/// U+0307).
pub(crate) fn lowered_width(c: char) -> usize {
    if c == '\u{130}' {
        2
    } else {
        1
    }
}

/// The byte length of the shortest run of `chars` (a string's characters from its start, or
/// reversed from its end) whose Python lowercase has at least `lowered` characters.
pub(crate) fn lowered_run_len(chars: impl Iterator<Item = char>, lowered: usize) -> usize {
    let mut seen = 0;
    let mut len = 0;
    for c in chars {
        if seen >= lowered {
            break;
        }
        seen += lowered_width(c);
        len += c.len_utf8();
    }
    len
}

/// IFEval kwargs from `(key, value)` pairs, in the given order.
pub(crate) fn kwargs_map<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// `"1 word"`, `"3 words"`: a count with its noun, for verdict details.
pub(crate) fn plural(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Registry invariants, and the one-line helpers every check's tests use.

    use super::*;
    use crate::text::Resources;

    /// Builds a constraint from an id and kwargs given as JSON text.
    #[track_caller]
    pub(crate) fn constraint(id: &str, kwargs: &str) -> Constraint {
        let kwargs: Value = serde_json::from_str(kwargs).expect("test kwargs are JSON");
        Constraint::from_ifeval(id, &kwargs).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every resource the tests have: the test language detector and the committed tagger.
    pub(crate) fn resources() -> Resources<'static> {
        Resources {
            language: Some(crate::text::lang::tests::detector()),
            tagger: Some(crate::text::pos::tests::tagger()),
        }
    }

    /// An analysis of `text` with every resource.
    pub(crate) fn analysis(text: &str) -> Analysis<'_> {
        Analysis::with_resources(text, resources())
    }

    /// Verifies `response` (the check alone, no empty-response rule).
    #[track_caller]
    pub(crate) fn verify(id: &str, kwargs: &str, response: &str) -> Verdict {
        constraint(id, kwargs).verify(&analysis(response))
    }

    #[track_caller]
    pub(crate) fn assert_pass(id: &str, kwargs: &str, response: &str) {
        let v = verify(id, kwargs, response);
        assert_eq!(v.status, Status::Pass, "{id} {kwargs} on {response:?}: {}", v.detail);
    }

    #[track_caller]
    pub(crate) fn assert_fail(id: &str, kwargs: &str, response: &str) {
        let v = verify(id, kwargs, response);
        assert_eq!(v.status, Status::Fail, "{id} {kwargs} on {response:?}: {}", v.detail);
    }

    /// The texts the evidence spans cover.
    #[track_caller]
    pub(crate) fn evidence<'a>(v: &Verdict, text: &'a str) -> Vec<&'a str> {
        v.evidence.iter().map(|s| s.slice(text)).collect()
    }

    /// `n` texts of up to `max` pieces each, drawn from `pieces` by a fixed xorshift sequence
    /// (the same texts on every run), for tests that compare two ways of computing something.
    pub(crate) fn random_texts(pieces: &[&str], n: usize, max: usize) -> Vec<String> {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        (0..n).map(|_| (0..next(max + 1)).map(|_| pieces[next(pieces.len())]).collect()).collect()
    }

    #[test]
    fn ids_are_unique_sorted_and_well_formed() {
        let ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "registry must be sorted by id without duplicates");
        for id in ids {
            let (family, name) = id.split_once(':').expect("id has a family");
            // IFBench's `format:sub-bullets` has the one hyphen.
            let ok = |s: &str| {
                !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
            };
            assert!(ok(family) && ok(name), "malformed id {id}");
        }
    }

    #[test]
    fn every_check_is_documented_and_its_example_holds() {
        for info in CHECKS {
            assert!(
                !info.title.is_empty() && !info.description.is_empty(),
                "{} undocumented",
                info.id
            );
            let c = constraint(info.id, info.example.kwargs);
            let pass = c.verify(&analysis(info.example.pass));
            assert_eq!(
                pass.status,
                Status::Pass,
                "{}: example pass fails: {}",
                info.id,
                pass.detail
            );
            let fail = c.verify(&analysis(info.example.fail));
            assert_eq!(
                fail.status,
                Status::Fail,
                "{}: example fail passes: {}",
                info.id,
                fail.detail
            );
            // kwargs round-trip: building from the constraint's own kwargs gives it back.
            let again = Constraint::from_ifeval(info.id, &Value::Object(c.kwargs())).unwrap();
            assert_eq!(again, c, "{}: kwargs do not round-trip", info.id);
        }
    }

    #[test]
    fn needs_are_exactly_the_resources_a_check_waits_for() {
        // Without one of the resources it needs, a check is pending on its passing example (a
        // failing one may fail before asking, e.g. on lowercase letters for
        // `english_capital`); given all of those, it decides whatever else is missing.
        let all = resources();
        let without = |r: Resource| match r {
            Resource::Language => Resources { language: None, ..all },
            Resource::Tagger => Resources { tagger: None, ..all },
        };
        for info in CHECKS {
            let c = constraint(info.id, info.example.kwargs);
            assert_eq!(c.needs(), info.needs);
            assert_eq!(c.needs_language(), info.needs.contains(&Resource::Language));
            assert_eq!(c.needs_tagger(), info.needs.contains(&Resource::Tagger));
            let status = |text, r| c.verify(&Analysis::with_resources(text, r)).status;
            for r in [Resource::Language, Resource::Tagger] {
                let pending = status(info.example.pass, without(r)) == Status::Pending;
                assert_eq!(pending, info.needs.contains(&r), "{} without {r:?}", info.id);
                if !info.needs.contains(&r) {
                    assert_ne!(
                        status(info.example.fail, without(r)),
                        Status::Pending,
                        "{}",
                        info.id
                    );
                }
            }
            let only = Resources {
                language: info.needs.contains(&Resource::Language).then_some(()).and(all.language),
                tagger: info.needs.contains(&Resource::Tagger).then_some(()).and(all.tagger),
            };
            assert_eq!(status(info.example.pass, only), Status::Pass, "{}", info.id);
            assert_eq!(status(info.example.fail, only), Status::Fail, "{}", info.id);
            let none = status(info.example.pass, Resources::NONE) == Status::Pending;
            assert_eq!(none, !info.needs.is_empty(), "{}", info.id);
        }
    }

    #[test]
    fn unknown_ids_are_refused() {
        let err = Constraint::from_ifeval("punctuation:no_semicolon", &Value::Null).unwrap_err();
        assert_eq!(err.to_string(), "unknown instruction id `punctuation:no_semicolon`");
    }

    #[test]
    fn relations_follow_ifeval() {
        assert!(Relation::LessThan.holds(2, 3));
        assert!(!Relation::LessThan.holds(3, 3));
        assert!(Relation::AtLeast.holds(3, 3));
        assert!(!Relation::AtLeast.holds(2, 3));
        assert_eq!(Relation::parse("at least"), Some(Relation::AtLeast));
        assert_eq!(Relation::parse("more than"), None);
    }
}
