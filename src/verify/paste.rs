//! "Load an IFEval or IFBench row": paste one row of either benchmark's input file and take its
//! prompt and constraints.
//!
//! Reading and building go through the library (`InputRow::from_json`, `ifbench::constraints`),
//! whose messages name the key, the id and the field; JSON syntax errors give serde's line and
//! column. IFBench rows (string keys, whole floats, every key present with `null`) read like
//! IFEval's, and an IFBench id that is not verified yet is named as such rather than as unknown.
//! Nothing changes unless the whole row is good, and the pasted text always stays.

use crab_constraints::ifeval::{ifbench, InputRow};
use leptos::prelude::*;
use serde_json::Value;

use crate::state::{AppState, ConstraintSpec};

/// The row's prompt and constraint specs, or a message for the person.
pub(crate) fn read_row(text: &str) -> Result<(String, Vec<ConstraintSpec>), String> {
    let value: Value =
        serde_json::from_str(text.trim()).map_err(|e| format!("This is not valid JSON: {e}."))?;
    let row = InputRow::from_json(value)
        .map_err(|e| format!("This is not an IFEval or IFBench input row: {e}."))?;
    let constraints = ifbench::constraints(&row)
        .map_err(|e| format!("The row's constraints are not valid: {e}."))?;
    Ok((row.prompt, constraints.iter().map(ConstraintSpec::from_constraint).collect()))
}

/// The disclosure with the paste box.
#[component]
pub fn RowPaste() -> impl IntoView {
    let state = AppState::get();
    let text = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<String>);
    let load = move |_| match read_row(&text.get_untracked()) {
        Ok((prompt, specs)) => {
            let n = specs.len();
            set_error.set(None);
            state.selected.set(None);
            state.highlight.set(None);
            state.instruction.set(prompt);
            state.constraints.set(specs);
            state.info(match n {
                1 => "Loaded the row: its prompt and 1 constraint.".to_owned(),
                n => format!("Loaded the row: its prompt and {n} constraints."),
            });
        }
        Err(msg) => set_error.set(Some(msg)),
    };
    view! {
        <details class="row-paste" data-testid="row-paste">
            <summary>"Load an IFEval or IFBench row"</summary>
            <p class="hint">
                "Paste one line of IFEval's or IFBench's input file ("
                <code>"key"</code>", "<code>"prompt"</code>", "<code>"instruction_id_list"</code>", "
                <code>"kwargs"</code>
                "). The prompt becomes the instruction and its constraints replace the list; the response stays."
            </p>
            <label for="row-json">"IFEval or IFBench input row (JSON)"</label>
            <textarea
                id="row-json"
                data-testid="row-json"
                rows="5"
                spellcheck="false"
                prop:value=text
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <div class="row-paste-actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="load-row"
                    disabled=move || text.with(|t| t.trim().is_empty())
                    on:click=load
                >
                    "Load"
                </button>
            </div>
            <p class="paste-error" role="alert" data-testid="row-error">{move || error.get()}</p>
        </details>
    }
}
