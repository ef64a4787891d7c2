//! The files back-translation writes: the IFEval row with everything derived (the `crab
//! backtranslate --format rows` line) and CRAB's `_forward`/`_reverse` chat items (`--format
//! crab`), as JSON values.
//!
//! These live in the library, not in the CLI, so that the command-line tool and the browser's
//! export buttons write exactly the same records from the same composition: a row exported from
//! the playground is scored by `crab eval` like one from a batch run. The functions only
//! assemble values (no IO, no randomness of their own beyond the caller's [`Rng`]); callers
//! serialise each value on one line.

use serde_json::{json, Map, Value};

use super::{ifeval_row, render, reverse_item, Composition};
use crate::checks::Constraint;
use crate::rng::Rng;

/// The IFEval row of `comp` (key, prompt, `instruction_id_list`, kwargs) plus `response`,
/// `constraints` (every `derived` constraint in derivation order, with its id, kwargs, text and
/// whether it is `combined` in the prompt) and `seed`.
///
/// A combined constraint carries the text used in the prompt; one left out gets a fresh
/// rendering drawn from `render_rng`. Equal constraints are matched to the prompt's at most
/// once each, so duplicates are reported faithfully.
///
/// ```
/// use crab_constraints::backtranslate::{compose, rows_item, ComposeOptions};
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::rng::Rng;
/// use serde_json::json;
///
/// let derived = vec![Constraint::from_ifeval("punctuation:no_comma", &json!({})).unwrap()];
/// let comp = compose("Write a haiku.", &derived, &ComposeOptions::default(), &mut Rng::new(1));
/// let row = rows_item(json!("k"), "Leaves fall", &derived, &comp, 1, &mut Rng::new(2));
/// assert_eq!(row["instruction_id_list"], json!(["punctuation:no_comma"]));
/// assert_eq!(row["constraints"][0]["combined"], json!(true));
/// assert_eq!(row["response"], json!("Leaves fall"));
/// ```
pub fn rows_item(
    key: Value,
    response: &str,
    derived: &[Constraint],
    comp: &Composition,
    seed: u64,
    render_rng: &mut Rng,
) -> Value {
    let mut used = vec![false; comp.constraints.len()];
    let constraints: Vec<Value> = derived
        .iter()
        .map(|c| {
            let at = comp.constraints.iter().enumerate().position(|(i, d)| !used[i] && d == c);
            let (text, combined) = match at {
                Some(i) => {
                    used[i] = true;
                    (comp.texts.get(i).cloned().unwrap_or_default(), true)
                }
                None => (render(c, render_rng), false),
            };
            json!({
                "id": c.id(),
                "kwargs": Value::Object(c.kwargs()),
                "text": text,
                "combined": combined,
            })
        })
        .collect();
    let mut row = match ifeval_row(key, comp) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    row.insert("response".to_owned(), Value::String(response.to_owned()));
    row.insert("constraints".to_owned(), Value::Array(constraints));
    row.insert("seed".to_owned(), json!(seed));
    Value::Object(row)
}

/// CRAB's training items for one pair: `<id>_forward` (the composed prompt and the response,
/// with `Num_Cons` and `seed`) and, when the composition has constraints, `<id>_reverse` (the
/// back-translate-the-constraints task from [`reverse_item`], drawn from `reverse_rng`, and its
/// answer). A reverse item with nothing to find is no training data, so it is left out.
///
/// ```
/// use crab_constraints::backtranslate::{compose, crab_items, ComposeOptions};
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::rng::Rng;
/// use serde_json::json;
///
/// let derived = vec![Constraint::from_ifeval("punctuation:no_comma", &json!({})).unwrap()];
/// let comp = compose("Write a haiku.", &derived, &ComposeOptions::default(), &mut Rng::new(1));
/// let items = crab_items("7", "Write a haiku.", "Leaves fall", &comp, 1, &mut Rng::new(3));
/// assert_eq!(items.len(), 2);
/// assert_eq!(items[0]["id"], json!("7_forward"));
/// assert_eq!(items[0]["messages"][1]["content"], json!("Leaves fall"));
/// assert_eq!(items[1]["id"], json!("7_reverse"));
/// ```
pub fn crab_items(
    id: &str,
    instruction: &str,
    response: &str,
    comp: &Composition,
    seed: u64,
    reverse_rng: &mut Rng,
) -> Vec<Value> {
    let chat = |user: &str, assistant: &str| {
        json!([
            {"role": "user", "content": user},
            {"role": "assistant", "content": assistant},
        ])
    };
    let forward = json!({
        "id": format!("{id}_forward"),
        "messages": chat(&comp.prompt, response),
        "Num_Cons": comp.constraints.len(),
        "seed": seed,
    });
    let mut items = vec![forward];
    if !comp.texts.is_empty() {
        let (prompt, target) = reverse_item(instruction, response, &comp.texts, reverse_rng);
        items.push(json!({
            "id": format!("{id}_reverse"),
            "messages": chat(&prompt, &target),
            "seed": seed,
        }));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backtranslate::{compose, ComposeOptions};
    use crate::checks::tests::constraint;

    fn derived() -> Vec<Constraint> {
        vec![
            constraint("punctuation:no_comma", "{}"),
            constraint("detectable_format:title", "{}"),
            constraint("punctuation:no_comma", "{}"),
        ]
    }

    #[test]
    fn rows_item_marks_each_combined_constraint_once() {
        let derived = derived();
        let opts = ComposeOptions { min: Some(3), ..ComposeOptions::default() };
        let comp = compose("Write.", &derived, &opts, &mut Rng::new(5));
        let row = rows_item(json!(1), "R", &derived, &comp, 9, &mut Rng::new(6));
        let all = row["constraints"].as_array().cloned().unwrap_or_default();
        assert_eq!(all.len(), 3);
        let combined = all.iter().filter(|c| c["combined"] == json!(true)).count();
        assert_eq!(combined, comp.constraints.len());
        assert_eq!(row["seed"], json!(9));
        assert_eq!(row["prompt"], json!(comp.prompt));
        let keys: Vec<&str> =
            row.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        assert_eq!(
            keys,
            ["key", "prompt", "instruction_id_list", "kwargs", "response", "constraints", "seed"]
        );
    }

    #[test]
    fn crab_items_leave_out_an_empty_reverse_item() {
        let comp = compose("Write.", &[], &ComposeOptions::default(), &mut Rng::new(1));
        let items = crab_items("x", "Write.", "R", &comp, 2, &mut Rng::new(3));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["Num_Cons"], json!(0));
        assert_eq!(items[0]["messages"][0]["content"], json!("Write."));
    }

    #[test]
    fn same_rng_same_items() {
        let derived = derived();
        let comp = compose("Write.", &derived, &ComposeOptions::default(), &mut Rng::new(5));
        let a = crab_items("x", "Write.", "R", &comp, 2, &mut Rng::new(3));
        let b = crab_items("x", "Write.", "R", &comp, 2, &mut Rng::new(3));
        assert_eq!(a, b);
    }
}
