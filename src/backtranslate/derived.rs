//! The list of derived constraints: one row per constraint with its tick box, family, id,
//! rendered text and strict verdict; a family filter; "tick all / none"; and evidence
//! highlighting of the selected row in the response editor.
//!
//! Ticks are stored inverted, as the keys of the unticked constraints in the session's
//! `compose.excluded`, so that a newly derived constraint starts ticked and a re-derivation
//! (an edit, a new seed) keeps what the person chose for the constraints that are still there.

use leptos::prelude::*;

use crab_constraints::backtranslate::Item;

use crate::badge;
use crate::state::AppState;

/// The derived constraints with their tick boxes.
#[component]
pub fn DerivedList(
    /// The derived constraints, in derivation order, with their texts and whether each is in
    /// the composed prompt.
    items: Memo<Vec<Item>>,
) -> impl IntoView {
    let state = AppState::get();
    // "" is every family.
    let family = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<String>);
    let families = Memo::new(move |_| {
        items.with(|d| {
            let mut out: Vec<(String, usize)> = Vec::new();
            for x in d {
                let f = x.requirement.family().to_owned();
                match out.iter_mut().find(|(name, _)| *name == f) {
                    Some((_, n)) => *n += 1,
                    None => out.push((f, 1)),
                }
            }
            out
        })
    });
    let shown = Memo::new(move |_| {
        let family = family.get();
        items.with(|d| {
            d.iter()
                .enumerate()
                .filter(|(_, x)| family.is_empty() || x.requirement.family() == family)
                .map(|(i, x)| (i, x.clone()))
                .collect::<Vec<_>>()
        })
    });
    let ticked_count = Memo::new(move |_| items.with(|d| d.iter().filter(|x| x.kept).count()));
    // Tick (or untick) every shown constraint.
    let tick_shown = move |tick: bool| {
        let keys: Vec<String> =
            shown.with_untracked(|s| s.iter().map(|(_, x)| x.key.clone()).collect());
        state.compose.update(|c| {
            c.excluded.retain(|k| !keys.contains(k));
            if !tick {
                c.excluded.extend(keys);
            }
        });
    };
    // The selected row's evidence goes to the editor; a re-derivation updates it.
    Effect::new(move |_| {
        if let Some(key) = selected.get() {
            let spans = items.with(|d| {
                d.iter()
                    .find(|x| x.key == key)
                    .map(|x| x.verdict.as_ref().map(|v| v.evidence.clone()).unwrap_or_default())
            });
            match spans {
                Some(spans) => {
                    state.selected.set(None);
                    state.highlight.set(Some(spans));
                }
                None => {
                    selected.set(None);
                    state.highlight.set(None);
                }
            }
        }
    });

    view! {
        <section class="bt-derived" aria-labelledby="bt-derived-title">
            <div class="bt-derived-head">
                <h3 id="bt-derived-title">
                    "Derived constraints "
                    <span class="bt-muted" data-testid="derived-summary">
                        {move || {
                            format!("({} of {} kept)", ticked_count.get(), items.with(Vec::len))
                        }}
                    </span>
                </h3>
                <label class="bt-inline">
                    <span>"Family"</span>
                    <select
                        data-testid="family-filter"
                        on:change=move |ev| family.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || family.get().is_empty()>
                            "All families"
                        </option>
                        {move || {
                            families
                                .get()
                                .into_iter()
                                .map(|(f, n)| {
                                    view! {
                                        <option value=f.clone() selected={ let f = f.clone(); move || family.get() == f }>
                                            {format!("{f} ({n})")}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <div class="bt-tick-all" role="group" aria-label="Tick the listed constraints">
                    <button type="button" data-testid="tick-all" on:click=move |_| tick_shown(true)>
                        "Tick all"
                    </button>
                    <button type="button" data-testid="tick-none" on:click=move |_| tick_shown(false)>
                        "Tick none"
                    </button>
                </div>
            </div>
            <Show
                when=move || !items.with(Vec::is_empty)
                fallback=|| {
                    view! {
                        <p class="bt-muted" data-testid="derived-none">
                            "No constraint could be derived from this response yet: add some text."
                        </p>
                    }
                }
            >
                <ul class="bt-derived-list" data-testid="derived-list">
                    <For
                        each=move || shown.get()
                        key=|(i, x)| (*i, x.key.clone(), x.text.clone(), x.combined)
                        children=move |(i, x)| {
                            let key = x.key.clone();
                            let key_for_tick = key.clone();
                            let key_for_change = key.clone();
                            let key_for_select = key.clone();
                            let key_for_evidence = key.clone();
                            let key_for_pressed = key;
                            let id = format!("bt-derived-{i}");
                            let check_id = x.requirement.id();
                            let data_id = check_id.clone();
                            let family = x.requirement.family().to_owned();
                            // A text constraint has no rule verdict: a judge decides it (Verify).
                            let status = x.verdict.as_ref().map(|v| v.status);
                            let detail = x.verdict.as_ref().map_or_else(
                                || "a sentence no rule checks; judge it in Verify".to_owned(),
                                |v| v.detail.clone(),
                            );
                            let in_prompt = x.combined;
                            let checked = move || {
                                state.compose.with(|c| !c.excluded.contains(&key_for_tick))
                            };
                            view! {
                                <li
                                    class="bt-derived-row"
                                    class:selected=move || {
                                        selected.get().as_deref() == Some(key_for_pressed.as_str())
                                    }
                                    data-testid="derived-row"
                                    data-id=data_id
                                    data-combined=in_prompt.to_string()
                                >
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        data-testid="derived-tick"
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let tick = event_target_checked(&ev);
                                            let key = key_for_change.clone();
                                            state
                                                .compose
                                                .update(|c| {
                                                    c.excluded.retain(|k| *k != key);
                                                    if !tick {
                                                        c.excluded.push(key);
                                                    }
                                                });
                                        }
                                    />
                                    <label for=id class="bt-derived-text" data-testid="derived-text">
                                        {x.text.clone()}
                                    </label>
                                    <span class="bt-derived-meta">
                                        <span class="bt-family">{family}</span>
                                        <code class="bt-id">{check_id}</code>
                                    </span>
                                    <span
                                        class=status.map_or("badge bt-text-badge", badge::class)
                                        data-testid="derived-badge"
                                        title=detail.clone()
                                    >
                                        {status.map_or("text", badge::word)}
                                    </span>
                                    <button
                                        type="button"
                                        class="bt-evidence"
                                        data-testid="derived-evidence"
                                        aria-pressed=move || {
                                            (selected.get().as_deref() == Some(key_for_select.as_str()))
                                                .to_string()
                                        }
                                        aria-label=format!("Highlight the evidence of: {}", x.text)
                                        on:click={
                                            let key = key_for_evidence;
                                            move |_| {
                                                if selected.get_untracked().as_deref() == Some(key.as_str()) {
                                                    selected.set(None);
                                                    state.highlight.set(None);
                                                } else {
                                                    selected.set(Some(key.clone()));
                                                }
                                            }
                                        }
                                    >
                                        "Evidence"
                                    </button>
                                    <span class="bt-detail">
                                        {detail}
                                        <span class="bt-in-prompt" data-testid="in-prompt">
                                            {if in_prompt { " · in the prompt" } else { "" }}
                                        </span>
                                    </span>
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}
