//! `keywords:*` — words or letters that must, or must not, appear (a given number of times).
//!
//! IFEval's keyword parameters are Python regular expressions searched case-insensitively; they
//! are compiled once per constraint into a [`crate::checks::pattern::PyPattern`].

pub mod existence;
pub mod forbidden_words;
pub mod frequency;
pub mod letter_frequency;

use serde_json::{Map, Value};

use crate::checks::{Kwargs, SpecError};

/// The string list `name`, sorted, refused when empty (Google's code would pick random words);
/// `what` names one item in the message.
fn sorted_list(kw: &Kwargs<'_>, name: &'static str, what: &str) -> Result<Vec<String>, SpecError> {
    let mut list = kw.string_list(name)?;
    if list.is_empty() {
        return Err(kw.invalid(name, format!("must hold at least one {what}")));
    }
    list.sort();
    Ok(list)
}

/// The kwargs `{name: [items…]}`.
fn list_kwargs<'a>(name: &str, items: impl Iterator<Item = &'a str>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(name.to_owned(), Value::Array(items.map(Value::from).collect()));
    m
}
