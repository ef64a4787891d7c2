//! IFBench's files (allenai/IFBench, `evaluation_lib.py` at HEAD): the same strict and loose
//! evaluation and the same result lines as IFEval, with three differences in how rows meet
//! responses, which this module holds so that `crab eval --benchmark ifbench` only does IO:
//!
//! - responses are matched by prompt, and else by `prompt.strip()`: a response row is filed
//!   under its prompt and, when that differs, under its stripped prompt too ([`Responses`]);
//! - a prompt without a response is not an error but an all-false row whose response is empty
//!   ([`missing_response`]);
//! - the input rows have string keys, float numbers (`12.0`) and every kwargs key of the whole
//!   file present with `null`: [`InputRow::from_json`] keeps any key, and building a constraint
//!   drops `null`-valued keys and accepts whole floats, as IFBench does before
//!   `build_description`.
//!
//! IFBench's registry also holds IFEval's 25 ids, which keep their meaning. An IFBench id this
//! library does not implement yet is refused with an error that names it as such
//! ([`constraints`]), never a crash and never a silent `false`.

use std::collections::HashMap;

use super::pyjson;
use super::rows::{InputRow, RowError};
use super::RowResult;
use crate::checks::{Constraint, CHECKS};
use crate::text::pystr;

/// IFBench's 58 instruction ids, in the order of its registry (`instructions_registry.py`).
pub const IDS: [&str; 58] = [
    "count:word_count_range",
    "count:unique_word_count",
    "ratio:stop_words",
    "ratio:sentence_type",
    "ratio:sentence_balance",
    "count:conjunctions",
    "count:person_names",
    "ratio:overlap",
    "count:numbers",
    "words:alphabet",
    "words:vowel",
    "words:consonants",
    "sentence:alliteration_increment",
    "words:palindrome",
    "count:punctuation",
    "format:parentheses",
    "format:quotes",
    "words:prime_lengths",
    "format:options",
    "format:newline",
    "format:emoji",
    "ratio:sentence_words",
    "count:words_japanese",
    "words:start_verb",
    "words:repeats",
    "sentence:keyword",
    "count:pronouns",
    "words:odd_even_syllables",
    "words:last_first",
    "words:paragraph_last_first",
    "sentence:increment",
    "words:no_consecutive",
    "format:line_indent",
    "format:quote_unquote",
    "format:list",
    "format:thesis",
    "format:sub-bullets",
    "format:no_bullets_bullets",
    "custom:multiples",
    "custom:mcq_count_length",
    "custom:reverse_newline",
    "custom:word_reverse",
    "custom:character_reverse",
    "custom:sentence_alphabet",
    "custom:european_capitals_sort",
    "custom:csv_city",
    "custom:csv_special_character",
    "custom:csv_quotes",
    "custom:date_format_list",
    "count:keywords_multiple",
    "words:keywords_specific_position",
    "words:words_position",
    "repeat:repeat_change",
    "repeat:repeat_simple",
    "repeat:repeat_span",
    "format:title_case",
    "format:output_template",
    "format:no_whitespace",
];

/// Whether `id` is one of IFBench's own 58 ids.
pub fn is_ifbench_id(id: &str) -> bool {
    IDS.contains(&id)
}

/// Whether this library verifies `id` (it is registered in [`CHECKS`]).
pub fn is_implemented(id: &str) -> bool {
    CHECKS.iter().any(|info| info.id == id)
}

/// The IFBench ids this library verifies, in IFBench's order.
pub fn implemented_ids() -> impl Iterator<Item = &'static str> {
    IDS.into_iter().filter(|id| is_implemented(id))
}

/// Builds an IFBench row's constraints, as [`InputRow::constraints`] does, except that an
/// IFBench id that is not implemented yet is refused by name ("an IFBench instruction crab does
/// not verify yet") rather than as an unknown id.
pub fn constraints(row: &InputRow) -> Result<Vec<Constraint>, RowError> {
    if let Some(id) =
        row.instruction_id_list.iter().find(|id| is_ifbench_id(id) && !is_implemented(id))
    {
        return Err(RowError::new(format!(
            "key {}: `{id}` is an IFBench instruction that crab does not verify yet",
            row.key
        )));
    }
    row.constraints()
}

/// Responses by prompt, as IFBench's `read_prompt_to_response_dict` files them and
/// `get_response_for_prompt` finds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Responses {
    by_prompt: HashMap<String, String>,
}

impl Responses {
    /// No responses.
    pub fn new() -> Responses {
        Responses::default()
    }

    /// Files `response` under `prompt` and, when it differs, under `prompt.strip()` (Python's
    /// whitespace). A later row replaces an earlier one under each of its keys, as in the
    /// Python dict.
    pub fn insert(&mut self, prompt: String, response: String) {
        let stripped = pystr::strip(&prompt);
        if stripped.len() != prompt.len() {
            self.by_prompt.insert(stripped.to_owned(), response.clone());
        }
        self.by_prompt.insert(prompt, response);
    }

    /// The response for `prompt`: filed under it, else under `prompt.strip()`.
    pub fn get(&self, prompt: &str) -> Option<&str> {
        self.by_prompt
            .get(prompt)
            .or_else(|| self.by_prompt.get(pystr::strip(prompt)))
            .map(String::as_str)
    }

    /// How many keys are filed (a stripped prompt counts apart from its prompt).
    pub fn len(&self) -> usize {
        self.by_prompt.len()
    }

    /// Whether no response is filed.
    pub fn is_empty(&self) -> bool {
        self.by_prompt.is_empty()
    }
}

/// IFBench's `empty_output`: the row of a prompt without a response, in both modes: every
/// instruction not followed, and an empty response.
pub fn missing_response(row: &InputRow) -> RowResult {
    let none = vec![false; row.instruction_id_list.len()];
    let mut line = String::with_capacity(200 + row.prompt.len());
    pyjson::push_result_line(&mut line, &row.instruction_id_list, &row.prompt, "", &none);
    RowResult { strict: none.clone(), loose: none, strict_line: line.clone(), loose_line: line }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_58_distinct_and_include_the_first_four() {
        let mut sorted = IDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 58);
        for id in ["ratio:stop_words", "words:start_verb", "format:emoji"] {
            assert!(is_ifbench_id(id) && is_implemented(id), "{id}");
        }
        assert!(!is_ifbench_id("punctuation:no_comma"));
        assert!(implemented_ids().all(is_implemented));
    }

    #[test]
    fn responses_fall_back_to_the_stripped_prompt() {
        let mut r = Responses::new();
        r.insert("  Tell me a story. \n".into(), "Once".into());
        r.insert("Exact".into(), "e".into());
        assert_eq!(r.get("  Tell me a story. \n"), Some("Once"));
        assert_eq!(r.get("Tell me a story."), Some("Once"));
        // The input's prompt is stripped too before the second look-up.
        assert_eq!(r.get("Tell me a story.\u{a0}"), Some("Once"));
        assert_eq!(r.get(" Exact "), Some("e"));
        assert_eq!(r.get("Other"), None);
        assert_eq!(r.len(), 3);
        // A later row replaces an earlier one under the keys it shares with it.
        r.insert("Tell me a story.".into(), "Twice".into());
        assert_eq!(r.get("Tell me a story."), Some("Twice"));
        assert_eq!(r.get("  Tell me a story. \n"), Some("Once"));
    }

    #[test]
    fn ifbench_rows_with_nulls_and_floats_build() {
        let row = InputRow::from_json(json!({
            "key": "7", "prompt": "p",
            "instruction_id_list": ["ratio:stop_words", "punctuation:no_comma"],
            "kwargs": [{"percentage": 30.0, "N": null, "keyword": null}, {"N": null}]
        }))
        .unwrap();
        assert_eq!(constraints(&row).unwrap().len(), 2);
    }

    #[test]
    fn unimplemented_ids_are_named() {
        let missing = IDS.iter().find(|id| !is_implemented(id));
        if let Some(id) = missing {
            let row = InputRow::from_json(json!({
                "key": "3", "prompt": "p", "instruction_id_list": [id], "kwargs": [{}]
            }))
            .unwrap();
            assert_eq!(
                constraints(&row).unwrap_err().to_string(),
                format!(
                    "key \"3\": `{id}` is an IFBench instruction that crab does not verify yet"
                )
            );
        }
        let row = InputRow::from_json(json!({
            "key": "3", "prompt": "p", "instruction_id_list": ["count:nothing"], "kwargs": [{}]
        }))
        .unwrap();
        assert_eq!(
            constraints(&row).unwrap_err().to_string(),
            "key \"3\": unknown instruction id `count:nothing`"
        );
    }

    #[test]
    fn a_missing_response_is_an_all_false_row() {
        let row = InputRow::from_json(json!({
            "key": "1", "prompt": "Q?",
            "instruction_id_list": ["ratio:stop_words", "format:emoji"], "kwargs": [{}, {}]
        }))
        .unwrap();
        let r = missing_response(&row);
        assert_eq!((r.strict, r.loose), (vec![false, false], vec![false, false]));
        assert_eq!(
            r.strict_line,
            "{\"follow_all_instructions\": false, \"follow_instruction_list\": [false, false], \
             \"instruction_id_list\": [\"ratio:stop_words\", \"format:emoji\"], \"prompt\": \
             \"Q?\", \"response\": \"\"}\n"
        );
        assert_eq!(r.loose_line, r.strict_line);
    }
}
