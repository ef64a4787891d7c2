//! The compose settings form: connector, template, bounds on the number of constraints,
//! IFEval-only, and a priority weight per family. Every control writes the session's
//! `compose` settings, which the composition memo reads; nothing here composes.

use std::collections::BTreeSet;

use crab_constraints::backtranslate::{Connector, Template};
use leptos::prelude::*;

use crate::state::AppState;
use crab_constraints::backtranslate::Item;

/// A connector's label.
fn connector_label(c: Connector) -> &'static str {
    match c {
        Connector::Plain => "Sentences",
        Connector::Dash => "- items",
        Connector::Hash => "# items",
        Connector::Star => "* items",
        Connector::Numbered => "1. items",
    }
}

/// A template's label.
fn template_label(t: Template) -> &'static str {
    match t {
        Template::Appended => "Instruction, then constraints",
        Template::AlsoEnsure => "“Make sure the following constraints are also met”",
        Template::Labelled => "“Instruction:” / “Constraints:”",
        Template::Requirements => "“Your response must also satisfy”",
        Template::Casual => "“Here's the task” / “A few rules”",
        Template::ConstraintsFirst => "Constraints, then instruction",
        Template::ConstraintsThenQuery => "Constraints, then “Query:”",
        Template::RulesThenTask => "“Follow these constraints” / “Task:”",
    }
}

/// A bound from a number field: empty is none; anything else must be a whole number.
fn parse_bound(text: &str) -> Result<Option<usize>, ()> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse::<usize>().map(Some).map_err(|_| ())
    }
}

/// The compose settings.
#[component]
pub fn ComposeOptionsForm(
    /// The derived constraints (their families get a weight field each).
    items: Memo<Vec<Item>>,
) -> impl IntoView {
    let state = AppState::get();
    let families = Memo::new(move |_| {
        items.with(|d| d.iter().map(|x| x.requirement.family().to_owned()).collect::<BTreeSet<_>>())
    });
    let bounds_note = Memo::new(move |_| {
        state.compose.with(|c| match (c.min, c.max) {
            (Some(min), Some(max)) if min > max => {
                Some(format!("At least {min} is more than at most {max}: at most wins."))
            }
            (_, Some(0)) => {
                Some("At most 0 combines nothing: the prompt is the instruction alone.".to_owned())
            }
            _ => None,
        })
    });
    let bound_field = move |label: &'static str, testid: &'static str, is_min: bool| {
        let current = move || {
            state
                .compose
                .with(|c| if is_min { c.min } else { c.max })
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        view! {
            <label class="bt-inline">
                <span>{label}</span>
                <input
                    type="number"
                    min="0"
                    step="1"
                    class="bt-number"
                    data-testid=testid
                    prop:value=current
                    on:change=move |ev| {
                        if let Ok(bound) = parse_bound(&event_target_value(&ev)) {
                            state.compose.update(|c| if is_min { c.min = bound } else { c.max = bound });
                        }
                    }
                />
            </label>
        }
    };

    view! {
        <fieldset class="bt-options">
            <legend>"Composition"</legend>
            <div class="bt-options-grid">
                <label class="bt-inline">
                    <span>"Connector"</span>
                    <select
                        data-testid="connector"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            state.compose.update(|c| c.connector = (!v.is_empty()).then_some(v));
                        }
                    >
                        <option value="" selected=move || state.compose.with(|c| c.connector.is_none())>
                            "Random"
                        </option>
                        {Connector::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option
                                        value=k.as_str()
                                        selected=move || {
                                            state.compose.with(|c| c.connector.as_deref() == Some(k.as_str()))
                                        }
                                    >
                                        {connector_label(k)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="bt-inline">
                    <span>"Template"</span>
                    <select
                        data-testid="template"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            state.compose.update(|c| c.template = (!v.is_empty()).then_some(v));
                        }
                    >
                        <option value="" selected=move || state.compose.with(|c| c.template.is_none())>
                            "Random (by instruction length)"
                        </option>
                        {Template::ALL
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <option
                                        value=t.as_str()
                                        selected=move || {
                                            state.compose.with(|c| c.template.as_deref() == Some(t.as_str()))
                                        }
                                    >
                                        {template_label(t)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                {bound_field("At least", "min", true)}
                {bound_field("At most", "max", false)}
                <label class="bt-inline bt-check">
                    <input
                        type="checkbox"
                        data-testid="ifeval-only"
                        prop:checked=move || state.compose.with(|c| c.ifeval_only)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            state.compose.update(|c| c.ifeval_only = on);
                        }
                    />
                    <span>"IFEval checks only"</span>
                </label>
            </div>
            <p class="bt-field-error" role="alert">{move || bounds_note.get()}</p>
            <details class="bt-weights">
                <summary>"Priority weights by family"</summary>
                <p class="bt-muted">
                    "A family with weight 2 is drawn about twice as often as one with weight 1; 0 leaves it out."
                </p>
                <div class="bt-weights-grid">
                    {move || {
                        families
                            .get()
                            .into_iter()
                            .map(|family| {
                                let read = family.clone();
                                let write = family.clone();
                                let value = move || {
                                    state.compose.with(|c| c.weights.get(&read).copied().unwrap_or(1.0)).to_string()
                                };
                                view! {
                                    <label class="bt-inline">
                                        <span>{family.clone()}</span>
                                        <input
                                            type="number"
                                            min="0"
                                            step="0.5"
                                            class="bt-number"
                                            data-testid=format!("weight-{family}")
                                            prop:value=value
                                            on:change=move |ev| {
                                                let parsed = event_target_value(&ev).trim().parse::<f64>();
                                                if let Ok(w) = parsed {
                                                    if w.is_finite() && w >= 0.0 {
                                                        state.compose.update(|c| {
                                                            if w == 1.0 {
                                                                c.weights.remove(&write);
                                                            } else {
                                                                c.weights.insert(write.clone(), w);
                                                            }
                                                        });
                                                    }
                                                }
                                            }
                                        />
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </details>
        </fieldset>
    }
}
