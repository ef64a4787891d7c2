//! The constraint catalog: every registered check, grouped by family and searchable, with its
//! parameters as form controls. (Placeholder being replaced by the full catalog.)

use crab_constraints::checks::CHECKS;
use leptos::prelude::*;

use crate::state::ConstraintSpec;

/// Lets the person pick a check and its parameters; `on_add` receives the configured spec.
#[component]
pub fn Catalog(
    /// Receives each constraint the person adds.
    #[prop(into)]
    on_add: Callback<ConstraintSpec>,
) -> impl IntoView {
    let (id, set_id) = signal(CHECKS.first().map(|c| c.id).unwrap_or_default().to_owned());
    view! {
        <div class="catalog" data-testid="catalog">
            <label for="catalog-id">"Check"</label>
            <select id="catalog-id" on:change=move |ev| set_id.set(event_target_value(&ev))>
                {CHECKS.iter().map(|c| view! { <option value=c.id>{c.id}</option> }).collect_view()}
            </select>
            <button
                type="button"
                on:click=move |_| {
                    on_add.run(ConstraintSpec { id: id.get_untracked(), kwargs: Default::default() })
                }
            >
                "Add"
            </button>
        </div>
    }
}
