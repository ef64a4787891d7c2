//! The verify panel: the session's constraints with live strict and loose verdicts.
//! (Placeholder being replaced by the full panel.)

use leptos::prelude::*;

use crate::catalog::Catalog;
use crate::state::{AppState, Outcome, Verification};

/// The constraint list and the catalog.
#[component]
pub fn VerifyPanel() -> impl IntoView {
    let state = AppState::get();
    let verification = Verification::get();
    view! {
        <h2>"Constraints"</h2>
        <ul class="constraint-list" data-testid="constraint-list">
            {move || {
                let specs = state.constraints.get();
                let outcomes = verification.outcomes.get();
                specs
                    .into_iter()
                    .zip(outcomes)
                    .map(|(spec, outcome)| {
                        let text = match outcome {
                            Outcome::Invalid(e) => format!("invalid: {e}"),
                            Outcome::Checked(d) => format!("{:?}: {}", d.strict.status, d.strict.detail),
                        };
                        view! { <li>{spec.id}" — "{text}</li> }
                    })
                    .collect_view()
            }}
        </ul>
        <Catalog on_add=Callback::new(move |spec| state.add_constraint(spec)) />
    }
}
