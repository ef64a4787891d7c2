//! Importing CRAB's back-translated seed records (the stage-6 format of Qi et al. 2024, e.g.
//! `constraint_back_translation_sample.json`) and checking which of their constraints really
//! hold on their own responses.
//!
//! A stage-6 record carries its constraints only as sentences (`Aug_instruction` →
//! `Additional_Instruction`, a map from an open-vocabulary key to one sentence). Six keys were
//! filled by CRAB's Python rules from templates with numbers and phrases in them (`Digit`,
//! `Sentence`, `Paragraph`, `Word`, `Keyword`, `Punctuation`); the rest were written by an LLM.
//! This module turns the rule sentences back into typed `crab:*` constraints so that they can be
//! verified, and keeps the LLM sentences as text, which no code can check.
//!
//! Why it is shaped this way:
//! - The sentences are **read, not matched against CRAB's template list**: the numbers are
//!   taken from the sentence and the direction of the bound from its wording (at least / at most
//!   / around, comparatives with their negation: "no fewer than", "should not exceed", "fall
//!   below"). So every one of CRAB's 80+ templates reads correctly, and so do paraphrases of them
//!   (records edited by people or re-generated), while a sentence whose meaning is not clear
//!   (no number, two bounds that contradict each other, a unit other than the one the key is
//!   about) is reported as [`Imported::Unparsed`] with the reason, never guessed.
//! - CRAB's `Word` rule is inverted (it measures the longest word but asks for **at least** that
//!   many characters per word), so its sentences are false for their own responses. They are
//!   imported as [`Imported::Inverted`]: the number and the reason, the rule as written checked
//!   honestly (it fails), and the corrected `crab:chars_per_word` ("at most") offered alongside.
//! - Parsing is separate from checking and does no IO: [`parse_records`] reads a document given
//!   as a string (one JSON array of records, or records one after another as JSONL) and refuses
//!   malformed records with the record's index and the field's JSON path; [`check_record`]
//!   verifies the typed constraints on the record's response, strictly (IFEval's protocol).
//!
//! Counting is CRAB's throughout: `crab:word_count` and `crab:words_per_sentence` with NLTK
//! tokens (`counting: "nltk"`), `crab:sentences_per_paragraph` with CRAB's paragraphs (non-empty
//! lines, `paragraph: "line"`).

use std::fmt;

use serde_json::{json, Map, Value};

use crate::checks::kwargs::kind;
use crate::checks::{plural, Constraint, Verdict};
use crate::ifeval;
use crate::text::{pystr, Analysis, Resources, Span};

mod summary;

pub use summary::RecordSummary;

/// One back-translated seed record: the original pair, the refined instruction and the
/// constraints, each imported from its sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct CrabRecord {
    /// The record's `id`, as text (CRAB's ids are numbers in stage 6 and strings later).
    pub id: String,
    /// The first user message.
    pub instruction: String,
    /// The first assistant message: the response every constraint was derived from.
    pub response: String,
    /// The data source (`alpaca`, `oasst2`, `wizardLM`, `orca_chat`, …), if given.
    pub source: Option<String>,
    /// `Aug_instruction.Refined_Instruction`, if given.
    pub refined_instruction: Option<String>,
    /// The entries of `Aug_instruction.Additional_Instruction`, in document order (the JSON map
    /// keeps it: `serde_json`'s `preserve_order` is on in this crate, through `langdetect`). Entries whose value is `null` or `"NULL"` are left out,
    /// as CRAB's own pipeline drops them.
    pub items: Vec<ImportedConstraint>,
}

/// One entry of a record's `Additional_Instruction`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedConstraint {
    /// CRAB's key, as written (`"Digit"`, `"Keyword"`, `"Desired_Writing_Style"`, …).
    pub key: String,
    /// CRAB's sentence (for a value that is not a string, the value as JSON).
    pub text: String,
    /// What the sentence became.
    pub kind: Imported,
}

/// What an imported sentence became.
#[derive(Clone, Debug, PartialEq)]
pub enum Imported {
    /// A rule sentence read into a typed `crab:*` constraint.
    Typed(Constraint),
    /// CRAB's inverted `Word` rule ("each word must have at least N characters"), false for
    /// the response it was computed from.
    Inverted {
        /// N: the least number of characters per word the sentence asks for.
        min_chars: i64,
        /// Why the sentence is false, for people.
        reason: String,
        /// The rule CRAB meant, "at most N characters per word" (`crab:chars_per_word` with
        /// NLTK tokens), when it can be built.
        corrected: Option<Constraint>,
    },
    /// A sentence written by the LLM: kept as text, not machine-checkable.
    Text,
    /// A rule sentence that could not be read into a constraint.
    Unparsed {
        /// Why, for people.
        reason: String,
    },
}

impl Imported {
    /// `"typed"`, `"inverted"`, `"text"` or `"unparsed"`, for tables and summaries.
    pub fn label(&self) -> &'static str {
        match self {
            Imported::Typed(_) => "typed",
            Imported::Inverted { .. } => "inverted",
            Imported::Text => "text",
            Imported::Unparsed { .. } => "unparsed",
        }
    }

    /// The constraint that can be verified: the typed one, or the corrected reading of an
    /// inverted rule.
    pub fn constraint(&self) -> Option<&Constraint> {
        match self {
            Imported::Typed(c) => Some(c),
            Imported::Inverted { corrected, .. } => corrected.as_ref(),
            Imported::Text | Imported::Unparsed { .. } => None,
        }
    }
}

/// The six keys CRAB's Python rules fill (`3_llama3_unified_constraints.py`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleKey {
    /// Length in words (`crab:word_count`).
    Digit,
    /// Words per sentence (`crab:words_per_sentence`).
    Sentence,
    /// Sentences per paragraph (`crab:sentences_per_paragraph`).
    Paragraph,
    /// Characters per word: CRAB's inverted rule (`crab:chars_per_word`, corrected).
    Word,
    /// Key phrases (`crab:key_phrases`).
    Keyword,
    /// A banned punctuation mark (`crab:no_punctuation`).
    Punctuation,
}

impl RuleKey {
    /// The rule a record key names: one of the six, compared case-insensitively after trimming
    /// (`Symbol`, the name of CRAB's punctuation function, is accepted for `Punctuation`).
    /// Every other key is an LLM-written constraint.
    pub fn from_key(key: &str) -> Option<RuleKey> {
        let key = key.trim();
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if is("Digit") {
            Some(RuleKey::Digit)
        } else if is("Sentence") {
            Some(RuleKey::Sentence)
        } else if is("Paragraph") {
            Some(RuleKey::Paragraph)
        } else if is("Word") {
            Some(RuleKey::Word)
        } else if is("Keyword") {
            Some(RuleKey::Keyword)
        } else if is("Punctuation") || is("Symbol") {
            Some(RuleKey::Punctuation)
        } else {
            None
        }
    }
}

/// Why a document could not be imported: which record, which field, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The index of the record (from 0, in document order), when the error is in one record.
    pub record: Option<usize>,
    /// The JSON path of the offending value (`$[3].messages[1].content`), or `$` for the
    /// document.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ImportError {
    fn at(record: usize, path: String, message: impl Into<String>) -> ImportError {
        ImportError { record: Some(record), path, message: message.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(i) => write!(f, "record {i} (`{}`): {}", self.path, self.message),
            None => write!(f, "`{}`: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads a stage-6 document: either one JSON array of records, or records one after another
/// (JSONL, or any whitespace between them). A leading byte-order mark is ignored; an empty
/// document or array has no records.
///
/// Each record must be an object with `id` (number or string), `messages` (a list of
/// `{role, content}` objects with a `user` and an `assistant` message; the first of each is
/// used) and `Aug_instruction` (an object with an `Additional_Instruction` object, and
/// optionally `Refined_Instruction`); `source` is optional. Other fields are ignored. The first
/// problem is returned, naming the record and the field.
pub fn parse_records(doc: &str) -> Result<Vec<CrabRecord>, ImportError> {
    let doc = doc.strip_prefix('\u{feff}').unwrap_or(doc);
    let is_array_doc = doc.trim_start().starts_with('[');
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(doc).into_iter::<Value>() {
        match value {
            Ok(v) => values.push(v),
            Err(e) => {
                let record = (!is_array_doc).then_some(values.len());
                let path = match record {
                    Some(i) => format!("$[{i}]"),
                    None => "$".to_owned(),
                };
                return Err(ImportError { record, path, message: format!("invalid JSON: {e}") });
            }
        }
    }
    let records = match values.as_slice() {
        [Value::Array(_)] => match values.pop() {
            Some(Value::Array(records)) => records,
            _ => Vec::new(),
        },
        _ => {
            if values.iter().any(Value::is_array) {
                return Err(ImportError {
                    record: None,
                    path: "$".to_owned(),
                    message: "a document is either one JSON array of records or records one \
                              after another (JSONL), not lists among records"
                        .to_owned(),
                });
            }
            values
        }
    };
    records.into_iter().enumerate().map(|(i, v)| record_from_json(i, v)).collect()
}

/// Reads one record (number `index` in the document).
fn record_from_json(index: usize, value: Value) -> Result<CrabRecord, ImportError> {
    let base = format!("$[{index}]");
    let err =
        |field: &str, message: String| ImportError::at(index, format!("{base}{field}"), message);
    let Value::Object(mut map) = value else {
        return Err(err("", format!("a record must be a JSON object, got {}", kind(&value))));
    };
    let id = match map.remove("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(err(".id", format!("must be a number or a string, got {}", kind(&other))))
        }
        None => return Err(err("", "missing field `id`".to_owned())),
    };
    let (instruction, response) = messages(&mut map, &err)?;
    let source = optional_string(&mut map, "source", &err, ".source")?;
    let mut aug = match map.remove("Aug_instruction") {
        Some(Value::Object(aug)) => aug,
        Some(other) => {
            return Err(err(".Aug_instruction", format!("must be an object, got {}", kind(&other))))
        }
        None => return Err(err("", "missing field `Aug_instruction`".to_owned())),
    };
    let refined_instruction = optional_string(
        &mut aug,
        "Refined_Instruction",
        &err,
        ".Aug_instruction.Refined_Instruction",
    )?;
    let additional = match aug.remove("Additional_Instruction") {
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(err(
                ".Aug_instruction.Additional_Instruction",
                format!("must be an object, got {}", kind(&other)),
            ))
        }
        None => {
            return Err(err(
                ".Aug_instruction",
                "missing field `Additional_Instruction`".to_owned(),
            ))
        }
    };
    let items =
        additional.into_iter().filter_map(|(key, value)| import_value(key, value)).collect();
    Ok(CrabRecord { id, instruction, response, source, refined_instruction, items })
}

/// The first user and the first assistant message of a record.
fn messages(
    map: &mut Map<String, Value>,
    err: &dyn Fn(&str, String) -> ImportError,
) -> Result<(String, String), ImportError> {
    let list = match map.remove("messages") {
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(err(".messages", format!("must be a list, got {}", kind(&other))))
        }
        None => return Err(err("", "missing field `messages`".to_owned())),
    };
    let mut user = None;
    let mut assistant = None;
    for (j, message) in list.into_iter().enumerate() {
        let Value::Object(mut m) = message else {
            return Err(err(
                &format!(".messages[{j}]"),
                format!("a message must be an object, got {}", kind(&message)),
            ));
        };
        let mut field = |name: &str| match m.remove(name) {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(err(
                &format!(".messages[{j}].{name}"),
                format!("must be a string, got {}", kind(&other)),
            )),
            None => Err(err(&format!(".messages[{j}]"), format!("missing field `{name}`"))),
        };
        let role = field("role")?;
        let content = field("content")?;
        let slot = match role.as_str() {
            "user" => &mut user,
            "assistant" => &mut assistant,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(content);
        }
    }
    match (user, assistant) {
        (Some(u), Some(a)) => Ok((u, a)),
        (None, _) => Err(err(".messages", "has no message with role `user`".to_owned())),
        (_, None) => Err(err(".messages", "has no message with role `assistant`".to_owned())),
    }
}

/// An optional string field (`null` counts as absent).
fn optional_string(
    map: &mut Map<String, Value>,
    name: &str,
    err: &dyn Fn(&str, String) -> ImportError,
    path: &str,
) -> Result<Option<String>, ImportError> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(err(path, format!("must be a string, got {}", kind(&other)))),
    }
}

/// One `Additional_Instruction` entry, or `None` for CRAB's empty markers (`null`, `"NULL"`).
fn import_value(key: String, value: Value) -> Option<ImportedConstraint> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().eq_ignore_ascii_case("NULL") => None,
        Value::String(text) => {
            let kind = import_sentence(&key, &text);
            Some(ImportedConstraint { key, text, kind })
        }
        other => {
            let reason = format!("the value is {}, not a sentence", kind(&other));
            Some(ImportedConstraint {
                key,
                text: other.to_string(),
                kind: Imported::Unparsed { reason },
            })
        }
    }
}

/// Imports one constraint sentence under its CRAB key: a rule key's sentence is read into a
/// typed constraint ([`RuleKey`] says which), any other key's sentence is LLM-written
/// [`Imported::Text`].
///
/// ```
/// use crab_constraints::crab_import::{import_sentence, Imported};
///
/// let Imported::Typed(c) = import_sentence("Digit", "Answer with at least 310 words.") else {
///     panic!("not typed")
/// };
/// assert_eq!(c.id(), "crab:word_count");
/// assert_eq!(c.kwargs()["relation"], "at least");
/// assert_eq!(c.kwargs()["num_words"], 310);
/// assert_eq!(import_sentence("Desired_Writing_Style", "Formal."), Imported::Text);
/// ```
pub fn import_sentence(key: &str, sentence: &str) -> Imported {
    let Some(rule) = RuleKey::from_key(key) else { return Imported::Text };
    match rule {
        RuleKey::Digit => word_count(sentence),
        RuleKey::Sentence => upper_bound(
            sentence,
            &[SENTENCE, WORD],
            "crab:words_per_sentence",
            "max_words",
            json!({"counting": "nltk"}),
        ),
        RuleKey::Paragraph => upper_bound(
            sentence,
            &[PARAGRAPH, SENTENCE],
            "crab:sentences_per_paragraph",
            "max_sentences",
            json!({"paragraph": "line"}),
        ),
        RuleKey::Word => chars_per_word(sentence),
        RuleKey::Keyword => key_phrases(sentence),
        RuleKey::Punctuation => no_punctuation(sentence),
    }
}

/// Builds a constraint, or says why its parameters are refused.
fn typed(id: &str, kwargs: &Value) -> Imported {
    match Constraint::from_ifeval(id, kwargs) {
        Ok(c) => Imported::Typed(c),
        Err(e) => Imported::Unparsed { reason: format!("{id}: {e}") },
    }
}

fn unparsed(reason: impl Into<String>) -> Imported {
    Imported::Unparsed { reason: reason.into() }
}

// ---------------------------------------------------------------------------------------------
// Reading sentences
// ---------------------------------------------------------------------------------------------

/// A unit a sentence must talk about, as the word forms that name it.
type Unit = (&'static str, &'static [&'static str]);

const WORD: Unit = ("words", &["word", "words"]);
const SENTENCE: Unit = ("sentences", &["sentence", "sentences"]);
const PARAGRAPH: Unit = ("paragraphs", &["paragraph", "paragraphs"]);
const CHARACTER: Unit = ("characters", &["character", "characters", "chars", "letter", "letters"]);

/// The direction of a bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    AtLeast,
    AtMost,
    Around,
}

impl Dir {
    fn name(self) -> &'static str {
        match self {
            Dir::AtLeast => "at least",
            Dir::AtMost => "at most",
            Dir::Around => "around",
        }
    }
}

/// What a cue phrase says about the bound next to it.
#[derive(Clone, Copy, Debug)]
enum Cue {
    /// A direction, with an offset to add to the number (−1 for "fewer than N" = at most N−1).
    Bound(Dir, i64),
    /// A word of limiting without a direction of its own ("limit", "cap", "confine"): an upper
    /// bound, used only when no other cue gives the direction.
    Limit,
    /// A comparative, strict when plain ("more than N" = at least N+1) and turned round by a
    /// negation before it ("no more than N" = at most N).
    Comparative { plain: (Dir, i64), negated: (Dir, i64) },
    /// A direction only when a number follows: "about 100 words" but not "write about", "within
    /// 100 words" but not "each word within the answer".
    BeforeNumber(Dir),
}

const GREATER: Cue = Cue::Comparative { plain: (Dir::AtLeast, 1), negated: (Dir::AtMost, 0) };
const SMALLER: Cue = Cue::Comparative { plain: (Dir::AtMost, -1), negated: (Dir::AtLeast, 0) };

/// The cue phrases, as lowercase word sequences. At each position the longest match wins, so
/// "lower limit" is not read as "limit".
const CUES: &[(&[&str], Cue)] = &[
    (&["at", "least"], Cue::Bound(Dir::AtLeast, 0)),
    (&["lower", "limit"], Cue::Bound(Dir::AtLeast, 0)),
    (&["minimum"], Cue::Bound(Dir::AtLeast, 0)),
    (&["min"], Cue::Bound(Dir::AtLeast, 0)),
    (&["or", "more"], Cue::Bound(Dir::AtLeast, 0)),
    (&["or", "longer"], Cue::Bound(Dir::AtLeast, 0)),
    (&["at", "most"], Cue::Bound(Dir::AtMost, 0)),
    (&["upper", "limit"], Cue::Bound(Dir::AtMost, 0)),
    (&["maximum"], Cue::Bound(Dir::AtMost, 0)),
    (&["max"], Cue::Bound(Dir::AtMost, 0)),
    (&["or", "fewer"], Cue::Bound(Dir::AtMost, 0)),
    (&["or", "less"], Cue::Bound(Dir::AtMost, 0)),
    (&["or", "shorter"], Cue::Bound(Dir::AtMost, 0)),
    (&["up", "to"], Cue::Bound(Dir::AtMost, 0)),
    (&["within"], Cue::BeforeNumber(Dir::AtMost)),
    // CRAB's "Keep each sentence under {N} words" means at most N: N is the longest
    // sentence's length rounded up, so it may equal it.
    (&["under"], Cue::Bound(Dir::AtMost, 0)),
    (&["around"], Cue::Bound(Dir::Around, 0)),
    (&["approximately"], Cue::Bound(Dir::Around, 0)),
    (&["approx"], Cue::Bound(Dir::Around, 0)),
    (&["roughly"], Cue::Bound(Dir::Around, 0)),
    (&["circa"], Cue::Bound(Dir::Around, 0)),
    (&["close", "to"], Cue::Bound(Dir::Around, 0)),
    (&["about"], Cue::BeforeNumber(Dir::Around)),
    (&["limit"], Cue::Limit),
    (&["limits"], Cue::Limit),
    (&["limited"], Cue::Limit),
    (&["cap"], Cue::Limit),
    (&["capped"], Cue::Limit),
    (&["confine"], Cue::Limit),
    (&["confined"], Cue::Limit),
    (&["restrict"], Cue::Limit),
    (&["restricted"], Cue::Limit),
    (&["more", "than"], GREATER),
    (&["longer", "than"], GREATER),
    (&["greater", "than"], GREATER),
    (&["exceed"], GREATER),
    (&["exceeds"], GREATER),
    (&["exceeding"], GREATER),
    (&["surpass"], GREATER),
    (&["surpasses"], GREATER),
    (&["fewer", "than"], SMALLER),
    (&["less", "than"], SMALLER),
    (&["shorter", "than"], SMALLER),
    (&["fall", "below"], SMALLER),
    (&["below"], SMALLER),
    (&["≤"], Cue::Bound(Dir::AtMost, 0)),
    (&["<", "="], Cue::Bound(Dir::AtMost, 0)),
    (&["<"], Cue::Bound(Dir::AtMost, -1)),
    (&["≥"], Cue::Bound(Dir::AtLeast, 0)),
    (&[">", "="], Cue::Bound(Dir::AtLeast, 0)),
    (&[">"], Cue::Bound(Dir::AtLeast, 1)),
    (&["~"], Cue::Bound(Dir::Around, 0)),
    (&["≈"], Cue::Bound(Dir::Around, 0)),
];

/// Whether a word negates the comparative after it.
fn is_negation(word: &str) -> bool {
    matches!(word, "no" | "not" | "never" | "cannot" | "nor" | "none") || word.ends_with("n't")
}

/// Comparison symbols kept as words of their own (`≤ 20 words`, `<= 20`, `~300`).
const SYMBOLS: &[char] = &['≤', '≥', '<', '>', '=', '~', '≈'];

/// The lowercase words of a sentence (runs of letters, digits and apostrophes, `’` read as
/// `'`), and the comparison [`SYMBOLS`] each as a word.
fn words(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in sentence.chars() {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if c.is_alphanumeric() || c == '\'' {
            cur.extend(c.to_lowercase());
            continue;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if SYMBOLS.contains(&c) {
            out.push(c.to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    for w in &mut out {
        let t = w.trim_matches('\'');
        if t.len() != w.len() {
            *w = t.to_owned();
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// The bounds a sentence's wording gives, in order: strong cues, and whether a limiting word
/// without direction was seen.
fn cues(words: &[String]) -> (Vec<(Dir, i64)>, bool) {
    let mut strong = Vec::new();
    let mut limit = false;
    let mut negated = false;
    let mut i = 0;
    while i < words.len() {
        let rest = words.get(i..).unwrap_or_default();
        let found = CUES
            .iter()
            .filter(|(phrase, _)| {
                phrase.len() <= rest.len() && phrase.iter().zip(rest).all(|(p, w)| p == w)
            })
            .max_by_key(|(phrase, _)| phrase.len());
        let Some((phrase, cue)) = found else {
            if rest.first().is_some_and(|w| is_negation(w)) {
                negated = true;
            }
            i += 1;
            continue;
        };
        match *cue {
            Cue::Bound(dir, offset) => strong.push((dir, offset)),
            Cue::Limit => limit = true,
            Cue::Comparative { plain, negated: turned } => {
                strong.push(if negated { turned } else { plain });
            }
            Cue::BeforeNumber(dir) => {
                let next = words.get(i + phrase.len());
                if next.is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit())) {
                    strong.push((dir, 0));
                }
            }
        }
        negated = false;
        i += phrase.len();
    }
    (strong, limit)
}

/// The one bound a single-number sentence states: its direction and the offset to add.
fn single_bound(words: &[String]) -> Result<(Dir, i64), String> {
    let (mut strong, limit) = cues(words);
    strong.dedup();
    let first = strong.first().copied();
    match first {
        Some(b) if strong.iter().all(|&s| s == b) => Ok(b),
        Some(_) => {
            let names: Vec<&str> = strong.iter().map(|(d, _)| d.name()).collect();
            Err(format!("the wording gives conflicting bounds ({})", names.join(", ")))
        }
        None if limit => Ok((Dir::AtMost, 0)),
        None => Err("no bound is stated (at least / at most / around …)".to_owned()),
    }
}

/// The whole numbers written in digits in a sentence (`1,200` is one number). A number glued to
/// letters (`3rd`, `H2O`) is not a count and is skipped. `Err` for a decimal or a number too
/// large for the checks.
fn numbers(sentence: &str) -> Result<Vec<i64>, String> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        loop {
            while let Some(&c) = chars.get(i).filter(|c| c.is_ascii_digit()) {
                digits.push(c);
                i += 1;
            }
            // a thousands separator: `,` followed by exactly three digits
            let group = chars.get(i + 1..i + 4).unwrap_or_default();
            let after = chars.get(i + 4);
            if chars.get(i) == Some(&',')
                && group.len() == 3
                && group.iter().all(char::is_ascii_digit)
                && !after.is_some_and(char::is_ascii_digit)
            {
                i += 1;
                continue;
            }
            break;
        }
        let before = start.checked_sub(1).and_then(|j| chars.get(j));
        if before.is_some_and(|c| c.is_alphabetic())
            || chars.get(i).is_some_and(|c| c.is_alphabetic())
        {
            continue;
        }
        if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            return Err(format!("`{digits}.…` is not a whole number"));
        }
        match digits.parse::<i64>() {
            Ok(n) => out.push(n),
            Err(_) => return Err(format!("the number {digits} is too large")),
        }
    }
    Ok(out)
}

/// Checks that the sentence talks about each unit; `Err` names the missing one.
fn require_units(words: &[String], units: &[Unit]) -> Result<(), String> {
    for (name, forms) in units {
        if !words.iter().any(|w| forms.contains(&w.as_str())) {
            return Err(format!("the sentence does not mention {name}"));
        }
    }
    Ok(())
}

/// The one number of a single-bound sentence.
fn one_number(sentence: &str) -> Result<i64, String> {
    match numbers(sentence)?.as_slice() {
        [n] => Ok(*n),
        [] => Err("no number in the sentence".to_owned()),
        more => Err(format!("{} numbers in the sentence; expected one", more.len())),
    }
}

/// A single bound: the number, direction and offset of a sentence about `units`.
fn bound(sentence: &str, units: &[Unit]) -> Result<(Dir, i64), String> {
    let words = words(sentence);
    require_units(&words, units)?;
    let n = one_number(sentence)?;
    let (dir, offset) = single_bound(&words)?;
    let n = n.checked_add(offset).ok_or_else(|| "the number is too large".to_owned())?;
    Ok((dir, n))
}

/// `Digit`: at least / at most / around N words, or between MIN and MAX words (two numbers),
/// counted as CRAB counts (NLTK tokens).
fn word_count(sentence: &str) -> Imported {
    let words = words(sentence);
    if let Err(e) = require_units(&words, &[WORD]) {
        return unparsed(e);
    }
    let numbers = match numbers(sentence) {
        Ok(n) => n,
        Err(e) => return unparsed(e),
    };
    let kwargs = match numbers.as_slice() {
        [a, b] => match range(&words, *a, *b) {
            Ok((lo, hi)) => {
                json!({"relation": "between", "min_words": lo, "max_words": hi, "counting": "nltk"})
            }
            Err(e) => return unparsed(e),
        },
        [n] => match single_bound(&words) {
            Ok((dir, offset)) => match n.checked_add(offset) {
                Some(n) => json!({"relation": dir.name(), "num_words": n, "counting": "nltk"}),
                None => return unparsed("the number is too large"),
            },
            Err(e) => return unparsed(e),
        },
        [] => return unparsed("no number in the sentence"),
        more => {
            return unparsed(format!("{} numbers in the sentence; expected 1 or 2", more.len()))
        }
    };
    typed("crab:word_count", &kwargs)
}

/// The range of a two-number sentence. When the wording bounds the first number from below and
/// the second from above ("no fewer than 90 and no more than 130") or the other way round, the
/// numbers are taken in that sense (strict comparatives adjusted); otherwise ("between 20 and
/// 50", "from 20 to 50") the smaller number is the minimum.
fn range(words: &[String], a: i64, b: i64) -> Result<(i64, i64), String> {
    let (mut strong, _) = cues(words);
    strong.retain(|(dir, _)| *dir != Dir::Around);
    let (lo, hi) = match strong.as_slice() {
        [(Dir::AtLeast, x), (Dir::AtMost, y)] => (a.checked_add(*x), b.checked_add(*y)),
        [(Dir::AtMost, y), (Dir::AtLeast, x)] => (b.checked_add(*x), a.checked_add(*y)),
        _ => (Some(a.min(b)), Some(a.max(b))),
    };
    let (Some(lo), Some(hi)) = (lo, hi) else { return Err("the number is too large".to_owned()) };
    if lo > hi {
        return Err(format!("the lower bound {lo} is above the upper bound {hi}"));
    }
    Ok((lo, hi))
}

/// `Sentence` and `Paragraph`: an upper bound on `units[1]` per `units[0]`, as `param`, merged
/// into `extra` kwargs.
fn upper_bound(sentence: &str, units: &[Unit], id: &str, param: &str, extra: Value) -> Imported {
    match bound(sentence, units) {
        Ok((Dir::AtMost, n)) => {
            let mut kwargs = extra;
            if let Some(map) = kwargs.as_object_mut() {
                map.insert(param.to_owned(), n.into());
            }
            typed(id, &kwargs)
        }
        Ok((dir, n)) => unparsed(format!(
            "the sentence asks for {} {n} {}; {id} only bounds from above",
            dir.name(),
            units.get(1).map_or("", |u| u.0),
        )),
        Err(e) => unparsed(e),
    }
}

/// `Word`: CRAB's inverted "at least N characters per word" (or, reworded the right way round,
/// a typed "at most N").
fn chars_per_word(sentence: &str) -> Imported {
    let corrected = |n: i64| {
        Constraint::from_ifeval("crab:chars_per_word", &json!({"max_chars": n, "counting": "nltk"}))
    };
    match bound(sentence, &[WORD, CHARACTER]) {
        Ok((Dir::AtLeast, n)) => Imported::Inverted {
            min_chars: n,
            reason: format!(
                "CRAB's `Word` rule is inverted: it takes the length of the response's longest \
                 word, rounded up to a multiple of 5, as N = {n}, but its sentence asks for AT \
                 LEAST {n} characters in every word, which the response's own short words \
                 break; the intended constraint is at most {n} characters per word"
            ),
            corrected: corrected(n).ok(),
        },
        Ok((Dir::AtMost, n)) => match corrected(n) {
            Ok(c) => Imported::Typed(c),
            Err(e) => unparsed(format!("crab:chars_per_word: {e}")),
        },
        Ok((Dir::Around, n)) => unparsed(format!(
            "the sentence asks for around {n} characters per word; only bounds are supported"
        )),
        Err(e) => unparsed(e),
    }
}

/// `Keyword`: the double-quoted phrases (`"…"` or `“…”`), comma-joined in CRAB's templates.
fn key_phrases(sentence: &str) -> Imported {
    let mut phrases: Vec<String> = Vec::new();
    let mut rest = sentence;
    while let Some((open, quote)) = rest.char_indices().find(|(_, c)| matches!(c, '"' | '\u{201c}'))
    {
        let after = rest.get(open + quote.len_utf8()..).unwrap_or_default();
        let Some((close, end)) = after.char_indices().find(|(_, c)| matches!(c, '"' | '\u{201d}'))
        else {
            return unparsed("a double quote is not closed");
        };
        let phrase = after.get(..close).unwrap_or_default().trim();
        if !phrase.is_empty() && !phrases.iter().any(|p| p == phrase) {
            phrases.push(phrase.to_owned());
        }
        rest = after.get(close + end.len_utf8()..).unwrap_or_default();
    }
    if phrases.is_empty() {
        return unparsed("no double-quoted key phrase in the sentence");
    }
    typed("crab:key_phrases", &json!({ "phrases": phrases }))
}

/// The punctuation marks CRAB bans, and marks a sentence may name that the check does not take.
const MARK_NAMES: &[(&[&str], char)] = &[
    (&["comma"], ','),
    (&["commas"], ','),
    (&["colon"], ':'),
    (&["colons"], ':'),
    (&["question", "mark"], '?'),
    (&["question", "marks"], '?'),
    (&["exclamation"], '!'),
    (&["exclamations"], '!'),
    (&["semicolon"], ';'),
    (&["semicolons"], ';'),
    (&["period"], '.'),
    (&["periods"], '.'),
    (&["full", "stop"], '.'),
    (&["full", "stops"], '.'),
    (&["dash"], '-'),
    (&["dashes"], '-'),
    (&["hyphen"], '-'),
    (&["hyphens"], '-'),
    (&["apostrophe"], '\''),
    (&["apostrophes"], '\''),
];

/// Words that make a sentence a prohibition.
fn is_prohibition(word: &str) -> bool {
    is_negation(word)
        || matches!(
            word,
            "without"
                | "avoid"
                | "avoiding"
                | "refrain"
                | "exclude"
                | "excluded"
                | "excluding"
                | "free"
                | "omit"
                | "omitting"
                | "out"
                | "ban"
                | "banned"
                | "forbid"
                | "forbidden"
                | "prohibit"
                | "prohibited"
        )
}

/// The marks a sentence names in words or shows quoted (`","`, `'!'`, `` `:` ``, `(?)`).
fn named_marks(sentence: &str, words: &[String]) -> Vec<char> {
    let mut marks = Vec::new();
    for i in 0..words.len() {
        let rest = words.get(i..).unwrap_or_default();
        for (phrase, mark) in MARK_NAMES {
            if phrase.len() <= rest.len() && phrase.iter().zip(rest).all(|(p, w)| p == w) {
                marks.push(*mark);
            }
        }
    }
    let chars: Vec<char> = sentence.chars().collect();
    for w in chars.windows(3) {
        if let [open, mark, close] = *w {
            let quoted =
                matches!((open, close), ('"', '"') | ('\'', '\'') | ('`', '`') | ('(', ')'))
                    || (open, close) == ('\u{201c}', '\u{201d}')
                    || (open, close) == ('\u{2018}', '\u{2019}');
            if quoted && matches!(mark, ',' | ':' | '?' | '!' | ';' | '.' | '-') {
                marks.push(mark);
            }
        }
    }
    marks.sort_unstable();
    marks.dedup();
    marks
}

/// `Punctuation`: one of `,` `:` `?` `!` must not appear.
fn no_punctuation(sentence: &str) -> Imported {
    let words = words(sentence);
    let marks = named_marks(sentence, &words);
    let mark = match marks.as_slice() {
        [m] => *m,
        [] => return unparsed("the sentence names no punctuation mark"),
        more => {
            let list: Vec<String> = more.iter().map(|m| format!("`{m}`")).collect();
            return unparsed(format!(
                "the sentence names several marks ({}); crab:no_punctuation bans one",
                list.join(", ")
            ));
        }
    };
    if !matches!(mark, ',' | ':' | '?' | '!') {
        return unparsed(format!(
            "the sentence is about `{mark}`; crab:no_punctuation takes `,` `:` `?` or `!`"
        ));
    }
    if !words.iter().any(|w| is_prohibition(w)) {
        return unparsed(format!("the sentence does not forbid `{mark}`"));
    }
    typed("crab:no_punctuation", &json!({ "mark": mark.to_string() }))
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

/// What one verdict of [`check_record`] is about.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Checked<'r> {
    /// A typed constraint, as imported.
    Typed {
        /// The record's entry.
        item: &'r ImportedConstraint,
        /// Its constraint.
        constraint: &'r Constraint,
    },
    /// CRAB's inverted `Word` rule as CRAB wrote it: every word has at least `min_chars`
    /// characters.
    AsWritten {
        /// The record's entry.
        item: &'r ImportedConstraint,
        /// N.
        min_chars: i64,
    },
    /// The corrected reading of an inverted rule (at most N characters per word).
    Corrected {
        /// The record's entry.
        item: &'r ImportedConstraint,
        /// The corrected constraint.
        constraint: &'r Constraint,
    },
}

impl<'r> Checked<'r> {
    /// The record's entry the verdict is about.
    pub fn item(&self) -> &'r ImportedConstraint {
        match *self {
            Checked::Typed { item, .. }
            | Checked::AsWritten { item, .. }
            | Checked::Corrected { item, .. } => item,
        }
    }

    /// A short name for what was checked: the check id, `Word as written (at least N
    /// characters per word)`, or the id with `(corrected)`.
    pub fn label(&self) -> String {
        match self {
            Checked::Typed { constraint, .. } => constraint.id().to_owned(),
            Checked::AsWritten { min_chars, .. } => {
                format!("Word as written (at least {min_chars} characters per word)")
            }
            Checked::Corrected { constraint, .. } => format!("{} (corrected)", constraint.id()),
        }
    }
}

/// Verifies every machine-checkable constraint of a record on its own response, strictly (a
/// blank response fails everything, as in IFEval): each typed constraint, and for each inverted
/// `Word` rule both the rule as CRAB wrote it (which fails wherever the response has a shorter
/// word) and its corrected reading. Text and unparsed entries give no verdict. `resources` are
/// for checks that need them (none of the `crab:*` checks does).
pub fn check_record<'r, 'd>(
    rec: &'r CrabRecord,
    resources: impl Into<Resources<'d>>,
) -> Vec<(Checked<'r>, Verdict)> {
    let text = Analysis::with_resources(&rec.response, resources.into());
    let mut out = Vec::new();
    for item in &rec.items {
        match &item.kind {
            Imported::Typed(constraint) => {
                out.push((
                    Checked::Typed { item, constraint },
                    ifeval::verify_strict(constraint, &text),
                ));
            }
            Imported::Inverted { min_chars, corrected, .. } => {
                let min_chars = *min_chars;
                out.push((
                    Checked::AsWritten { item, min_chars },
                    verify_as_written(min_chars, &text),
                ));
                if let Some(constraint) = corrected {
                    let verdict = ifeval::verify_strict(constraint, &text);
                    out.push((Checked::Corrected { item, constraint }, verdict));
                }
            }
            Imported::Text | Imported::Unparsed { .. } => {}
        }
    }
    out
}

/// CRAB's `Word` rule as written: every word (an NLTK token with a word character in it, so
/// punctuation is not judged) has at least `min_chars` characters (code points). Evidence: the
/// shorter words.
pub fn verify_as_written(min_chars: i64, text: &Analysis<'_>) -> Verdict {
    if pystr::strip(text.text()).is_empty() {
        return Verdict::fail("the response is empty (IFEval fails every constraint then)");
    }
    let min = usize::try_from(min_chars).unwrap_or(0);
    let words: Vec<(Span, usize)> = text
        .tokens()
        .iter()
        .filter(|t| t.text.chars().any(pystr::is_word_char))
        .map(|t| (t.span, t.text.chars().count()))
        .collect();
    let short: Vec<Span> = words.iter().filter(|(_, n)| *n < min).map(|(s, _)| *s).collect();
    if short.is_empty() {
        return Verdict::pass(format!(
            "{} of at least {min_chars} characters",
            plural(words.len(), "word", "words")
        ));
    }
    let shortest = words.iter().map(|(_, n)| *n).min().unwrap_or(0);
    Verdict::fail(format!(
        "{} of {} shorter than {min_chars} characters (shortest: {shortest}); CRAB's rule is \
         inverted",
        short.len(),
        plural(words.len(), "word", "words"),
    ))
    .with_evidence(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound_of(sentence: &str) -> Result<(Dir, i64), String> {
        single_bound(&words(sentence))
    }

    #[test]
    fn words_are_lowercased_and_split() {
        assert_eq!(
            words("Don’t EXCEED 1,200 words-per line ≤ 'x'."),
            ["don't", "exceed", "1", "200", "words", "per", "line", "≤", "x"]
        );
    }

    #[test]
    fn numbers_are_whole_counts() {
        assert_eq!(numbers("between 20 and 50 words"), Ok(vec![20, 50]));
        assert_eq!(numbers("at most 1,200 words, 3 times"), Ok(vec![1200, 3]));
        assert_eq!(numbers("1,20 and 1,2345"), Ok(vec![1, 20, 1, 2345]));
        assert_eq!(numbers("the 3rd H2O 4"), Ok(vec![4]));
        assert!(numbers("2.5 words").is_err());
        assert_eq!(numbers("Use 5."), Ok(vec![5]));
        assert!(numbers("99999999999999999999 words").unwrap_err().contains("too large"));
        assert_eq!(numbers("no digits"), Ok(vec![]));
    }

    #[test]
    fn negation_turns_comparatives_round() {
        assert_eq!(bound_of("more than 5"), Ok((Dir::AtLeast, 1)));
        assert_eq!(bound_of("no more than 5"), Ok((Dir::AtMost, 0)));
        assert_eq!(bound_of("fewer than 5"), Ok((Dir::AtMost, -1)));
        assert_eq!(bound_of("not fewer than 5"), Ok((Dir::AtLeast, 0)));
        assert_eq!(bound_of("should never fall below 5"), Ok((Dir::AtLeast, 0)));
        assert_eq!(bound_of("mustn't exceed 5"), Ok((Dir::AtMost, 0)));
        // a negation applies to the next cue only
        let err = bound_of("not a list: at most 5, more than 5").unwrap_err();
        assert_eq!(err, "the wording gives conflicting bounds (at most, at least)");
    }

    #[test]
    fn longest_cue_wins_and_limits_are_weak() {
        assert_eq!(bound_of("a lower limit of 5"), Ok((Dir::AtLeast, 0)));
        assert_eq!(bound_of("limit it to a maximum of 5"), Ok((Dir::AtMost, 0)));
        assert_eq!(bound_of("limit it to at least 5"), Ok((Dir::AtLeast, 0)));
        assert_eq!(bound_of("confine it to 5"), Ok((Dir::AtMost, 0)));
        assert_eq!(
            bound_of("write about dogs"),
            Err("no bound is stated (at least / at most / around …)".to_owned())
        );
        assert_eq!(bound_of("about 5"), Ok((Dir::Around, 0)));
        assert_eq!(bound_of("each word within the answer, at least 5"), Ok((Dir::AtLeast, 0)));
        assert_eq!(bound_of("within 5"), Ok((Dir::AtMost, 0)));
    }

    #[test]
    fn ranges_follow_the_wording() {
        let r = |s: &str, a, b| range(&words(s), a, b);
        assert_eq!(r("between 5 and 9", 5, 9), Ok((5, 9)));
        assert_eq!(r("from 9 down to 5", 9, 5), Ok((5, 9)));
        assert_eq!(r("at most 9 and at least 5", 9, 5), Ok((5, 9)));
        assert_eq!(r("more than 5 and less than 9", 5, 9), Ok((6, 8)));
        assert!(r("at least 9 and at most 5", 9, 5).is_err());
    }

    #[test]
    fn marks_by_name_or_quoted() {
        let m = |s: &str| named_marks(s, &words(s));
        assert_eq!(m("no commas"), [',']);
        assert_eq!(m("no semicolons, no colons"), [':', ';']);
        assert_eq!(m("free of any question marks?"), ['?']);
        assert_eq!(m("avoid \"!\" and (!)"), ['!']);
        assert_eq!(m("‘:’"), [':']);
        assert!(m("Keep it tidy.").is_empty());
    }

    #[test]
    fn as_written_passes_only_when_every_word_is_long_enough() {
        let text = Analysis::new("Extraordinarily, incomprehensibly!");
        assert!(verify_as_written(15, &text).passed());
        assert!(!verify_as_written(16, &text).passed());
        assert!(!verify_as_written(1, &Analysis::new(" ")).passed());
        assert!(verify_as_written(-3, &Analysis::new("a b")).passed());
    }
}
