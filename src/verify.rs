//! The verify panel: the session's constraints with live strict and loose verdicts, their
//! conflicts, the IFEval row loader and the catalog.
//!
//! Verdicts come from the shared [`Verification`] memo and conflicts from
//! `crab_constraints::backtranslate::conflict`; the panel only lays them out. Rows are keyed by
//! position and read their own spec and outcome, so typing in the response updates the badges
//! without re-creating the rows (an open parameter form keeps its focus).

use crab_constraints::backtranslate::conflict;
use crab_constraints::checks::{Constraint, Status};
use leptos::prelude::*;

use crate::catalog::Catalog;
use crate::llm::judge::{self, Judged};
use crate::llm::LlmState;
use crate::state::{AppState, ConstraintSpec, Outcome, Verification};

pub mod paste;
pub mod row;

use paste::RowPaste;
use row::ConstraintRow;

/// One conflicting pair of listed constraints (indices into the list) and the library's reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The earlier constraint.
    pub a: usize,
    /// The later constraint.
    pub b: usize,
    /// Why they must not be combined.
    pub reason: String,
}

/// Every conflicting pair among the listed constraints that build.
fn conflicts(state: AppState) -> Memo<Vec<Conflict>> {
    Memo::new(move |_| {
        let built: Vec<Option<Constraint>> =
            state.constraints.with(|specs| specs.iter().map(|s| s.build().ok()).collect());
        let mut out = Vec::new();
        for (a, ca) in built.iter().enumerate() {
            let Some(ca) = ca else { continue };
            for (b, cb) in built.iter().enumerate().skip(a + 1) {
                let Some(cb) = cb else { continue };
                if let Some(reason) = conflict(ca, cb) {
                    out.push(Conflict { a, b, reason });
                }
            }
        }
        out
    })
}

/// The constraint list, the IFEval row loader and the catalog.
#[component]
pub fn VerifyPanel() -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let verification = Verification::get();
    let conflicts = conflicts(state);
    let editing = RwSignal::new(None::<usize>);
    let count = Memo::new(move |_| state.constraints.with(Vec::len));

    // Judged text constraints count like rule ones, marked as judged.
    let judged_holds = Memo::new(move |_| {
        verification.outcomes.with(|outcomes| {
            outcomes
                .iter()
                .filter_map(|o| match o {
                    Outcome::Text(t) => Some(llm.judgement(state, &t.text)),
                    _ => None,
                })
                .fold((0, 0), |(judged, holds), j| match j {
                    Some(Judged::Verdict { holds: true, .. }) => (judged + 1, holds + 1),
                    Some(Judged::Verdict { .. }) => (judged + 1, holds),
                    _ => (judged, holds),
                })
        })
    });
    let summary = move || {
        verification.outcomes.with(|outcomes| {
            let n = outcomes.len();
            let (judged, holds) = judged_holds.get();
            let strict = outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Checked(d) if d.strict.status == Status::Pass))
                .count()
                + holds;
            let loose =
                outcomes.iter().filter(|o| matches!(o, Outcome::Checked(d) if d.loose)).count()
                    + holds;
            let marked = if judged == 0 {
                String::new()
            } else {
                format!(" ({judged} judged by the model)")
            };
            format!("{strict} of {n} pass strict · {loose} of {n} loose{marked}")
        })
    };
    let text_draft = RwSignal::new(String::new());
    let add_text = move |_| {
        let text = text_draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let mut kwargs = serde_json::Map::new();
        kwargs.insert("text".to_owned(), serde_json::Value::String(text.trim().to_owned()));
        state.add_constraint(ConstraintSpec { id: "llm:Custom".to_owned(), kwargs });
        text_draft.set(String::new());
    };
    let clear_all = move |_| {
        editing.set(None);
        state.selected.set(None);
        state.constraints.set(Vec::new());
    };

    view! {
        <div class="verify-panel">
            <div class="verify-head">
                <h2>"Constraints"</h2>
                <p class="verify-summary" data-testid="verify-summary" aria-live="polite">
                    {move || if count.get() == 0 { String::new() } else { summary() }}
                </p>
                <button
                    type="button"
                    data-testid="clear-constraints"
                    disabled=move || count.get() == 0
                    on:click=clear_all
                >
                    "Clear all"
                </button>
            </div>
            {move || {
                let list = conflicts.get();
                (!list.is_empty())
                    .then(|| {
                        let n = list.len();
                        let title = if n == 1 {
                            "1 conflict: these constraints cannot all hold in one instruction".to_owned()
                        } else {
                            format!("{n} conflicts: these constraints cannot all hold in one instruction")
                        };
                        view! {
                            <div class="warning conflict-summary" data-testid="conflict-summary">
                                <p>
                                    <strong>{title}</strong>
                                </p>
                                <ul>
                                    {list
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <li>
                                                    {format!("#{} and #{}: {}", c.a + 1, c.b + 1, c.reason)}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}
            <p class="verify-empty" hidden=move || count.get() != 0>
                "No constraints yet: add one from the catalog below, or load an IFEval row."
            </p>
            <ul class="constraint-list" data-testid="constraint-list">
                <For each=move || 0..count.get() key=|i| *i let:index>
                    <ConstraintRow index conflicts editing />
                </For>
            </ul>
            <div class="judge-bar" data-testid="judge-bar">
                <button
                    type="button"
                    data-testid="judge"
                    prop:disabled=move || llm.judging.with(Option::is_some) || count.get() == 0
                    on:click=move |_| judge::run(llm, state)
                >
                    "Judge with the model"
                </button>
                <label class="bt-inline bt-check">
                    <input
                        type="checkbox"
                        data-testid="judge-batch"
                        prop:checked=move || llm.judge_options.with(|o| o.batch)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            llm.judge_options.update(|o| o.batch = on);
                        }
                    />
                    <span>"one call for all"</span>
                </label>
                <label class="bt-inline bt-check">
                    <input
                        type="checkbox"
                        data-testid="judge-rules"
                        prop:checked=move || llm.judge_options.with(|o| o.rules_too)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            llm.judge_options.update(|o| o.rules_too = on);
                        }
                    />
                    <span>"rule-checked ones too"</span>
                </label>
                <p class="judge-status" role="status" data-testid="judge-status">
                    {move || llm.judging.get().unwrap_or_else(|| llm.judge_status.get())}
                </p>
            </div>
            <form
                class="text-constraint-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add_text(());
                }
            >
                <label class="bt-inline">
                    <span>"Add a constraint as text"</span>
                    <input
                        type="text"
                        data-testid="text-constraint"
                        placeholder="e.g. Write in a warm, encouraging tone."
                        prop:value=move || text_draft.get()
                        on:input=move |ev| text_draft.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" data-testid="add-text-constraint">"Add"</button>
            </form>
            <RowPaste />
            <Catalog on_add=Callback::new(move |spec| state.add_constraint(spec)) />
        </div>
    }
}
