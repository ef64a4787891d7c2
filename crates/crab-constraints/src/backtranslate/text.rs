//! Text constraints: the ones no rule can check (a tone, a theme, an audience), written as a
//! sentence, with where they came from and, once a judge has looked, its verdict.
//!
//! CRAB's central step asks a strong model which style, semantic and format constraints a
//! response satisfies; the model answers with open-vocabulary types (`Desired_Writing_Style`,
//! `Target_Audience`, `" Hierarchical_Instructions"` with a stray space…). They join the checkable
//! constraints in composition, conflicts (two near-identical sentences are duplicates, by CRAB's
//! ROUGE-L rule), rendering (the sentence is its own rendering) and the CRAB exports; IFEval rows
//! keep only checkable ids, since no IFEval tool can score a sentence. Their id is `llm:<type>`,
//! the type normalised once by [`normalize_type`]. This module holds the values only: asking a
//! model, and judging, happen in the front ends through `crab-llm`.

use serde_json::{json, Value};

/// Where a text constraint came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A model's answer (LLM back-translation).
    Llm,
    /// A CRAB stage-6 record.
    CrabImport,
    /// Typed by a person.
    Person,
}

impl Source {
    /// `llm`, `crab_import`, `person`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Llm => "llm",
            Source::CrabImport => "crab_import",
            Source::Person => "person",
        }
    }

    /// Parses [`Source::as_str`]'s names.
    pub fn parse(s: &str) -> Option<Source> {
        [Source::Llm, Source::CrabImport, Source::Person].into_iter().find(|x| x.as_str() == s)
    }
}

/// A judge's verdict on a text constraint for one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// Whether the constraint holds.
    pub holds: bool,
    /// The judge's one-line reason.
    pub reason: String,
    /// The model that judged.
    pub model: String,
}

/// A constraint given as a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextConstraint {
    /// The normalised type ([`normalize_type`]), e.g. `Desired_Writing_Style`.
    pub kind: String,
    /// The constraint as an instruction sentence.
    pub text: String,
    /// Where it came from.
    pub source: Source,
    /// The judge's verdict on the response it was derived from, when known.
    pub judgement: Option<Judgement>,
}

impl TextConstraint {
    /// A text constraint of `kind` (normalised here) saying `text`.
    pub fn new(kind: &str, text: &str, source: Source) -> TextConstraint {
        TextConstraint {
            kind: normalize_type(kind),
            text: text.trim().to_owned(),
            source,
            judgement: None,
        }
    }

    /// `llm:<type>`.
    pub fn id(&self) -> String {
        format!("llm:{}", self.kind)
    }

    /// The IFEval-style kwargs this constraint is written with in files: `{"text": …}`.
    pub fn kwargs(&self) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("text".to_owned(), json!(self.text));
        m
    }
}

/// A type name as the model wrote it, made an id: trimmed, each run of inner whitespace made one
/// `_`, the case kept (`" Hierarchical Instructions "` → `Hierarchical_Instructions`). An empty
/// name is `Other`.
///
/// ```
/// use crab_constraints::backtranslate::normalize_type;
///
/// assert_eq!(normalize_type(" Hierarchical_Instructions"), "Hierarchical_Instructions");
/// assert_eq!(normalize_type("Target  audience"), "Target_audience");
/// assert_eq!(normalize_type("  "), "Other");
/// ```
pub fn normalize_type(raw: &str) -> String {
    let joined = raw.split_whitespace().collect::<Vec<_>>().join("_");
    if joined.is_empty() {
        "Other".to_owned()
    } else {
        joined
    }
}

/// Whether `id` names a text constraint (`llm:…`).
pub fn is_text_id(id: &str) -> bool {
    id.starts_with("llm:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_kwargs_and_sources() {
        let c = TextConstraint::new(" Desired Writing_Style ", "  Write formally.  ", Source::Llm);
        assert_eq!(c.id(), "llm:Desired_Writing_Style");
        assert_eq!(c.text, "Write formally.");
        assert_eq!(Value::Object(c.kwargs()), json!({"text": "Write formally."}));
        assert!(is_text_id(&c.id()) && !is_text_id("punctuation:no_comma"));
        for s in [Source::Llm, Source::CrabImport, Source::Person] {
            assert_eq!(Source::parse(s.as_str()), Some(s));
        }
        assert_eq!(normalize_type("a\u{3000}b"), "a_b");
    }
}
