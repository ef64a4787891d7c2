//! The editors: the instruction, the response (with the selected constraint's evidence
//! highlighted), and a stats strip. (Placeholder being replaced by the full editor.)

use leptos::prelude::*;

use crate::state::AppState;

/// The instruction and response editors with the stats strip.
#[component]
pub fn Editors() -> impl IntoView {
    let state = AppState::get();
    let words = Memo::new(move |_| state.response.with(|t| crab_constraints::text::count_words(t)));
    view! {
        <label for="instruction">"Instruction"</label>
        <textarea
            id="instruction"
            data-testid="instruction"
            rows="4"
            prop:value=move || state.instruction.get()
            on:input=move |ev| state.instruction.set(event_target_value(&ev))
        ></textarea>
        <label for="response">"Response"</label>
        <textarea
            id="response"
            data-testid="response"
            rows="14"
            spellcheck="false"
            placeholder="Paste or type a model response…"
            prop:value=move || state.response.get()
            on:input=move |ev| state.response.set(event_target_value(&ev))
        ></textarea>
        <dl class="stats">
            <dt>"Words"</dt>
            <dd data-testid="word-count">{words}</dd>
        </dl>
    }
}
