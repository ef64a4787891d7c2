//! The rows of a run as a sortable, filterable table; each row opens in the app's Verify view.
//!
//! A 50,000-row run is filtered and sorted in memory, and only the first [`SHOWN`] matches are
//! put in the page, so that the table stays quick.

use std::cmp::Ordering;

use leptos::prelude::*;

use crate::view::{open_in_verify, BatchRow};

/// Rows shown at most.
const SHOWN: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Line,
    Key,
    Strict,
    Loose,
}

fn compare(a: &BatchRow, b: &BatchRow, by: SortBy) -> Ordering {
    match by {
        SortBy::Line => a.line.cmp(&b.line),
        SortBy::Key => a.key.cmp(&b.key).then(a.line.cmp(&b.line)),
        SortBy::Strict => a.strict_all().cmp(&b.strict_all()).then(a.line.cmp(&b.line)),
        SortBy::Loose => a.loose_all().cmp(&b.loose_all()).then(a.line.cmp(&b.line)),
    }
}

/// The table of `rows`.
#[component]
pub fn RowTable(
    /// The rows of the run, in input order.
    rows: ReadSignal<Vec<BatchRow>>,
    /// Every instruction id of the run, sorted (the metrics have them already).
    ids: Signal<Vec<String>>,
) -> impl IntoView {
    let failed_only = RwSignal::new(false);
    let id = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Line, true));
    // Indices of the matching rows, sorted.
    let matching = Memo::new(move |_| {
        let (failed_only, id, needle) = (failed_only.get(), id.get(), search.get().to_lowercase());
        let (by, ascending) = sort.get();
        rows.with(|rows| {
            let mut found: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| !failed_only || !r.strict_all())
                .filter(|(_, r)| id.is_empty() || r.ids.contains(&id))
                .filter(|(_, r)| {
                    needle.is_empty()
                        || r.prompt.to_lowercase().contains(&needle)
                        || r.response.to_lowercase().contains(&needle)
                        || r.key.to_lowercase().contains(&needle)
                })
                .map(|(i, _)| i)
                .collect();
            found.sort_by(|&a, &b| {
                let o = compare(&rows[a], &rows[b], by);
                if ascending {
                    o
                } else {
                    o.reverse()
                }
            });
            found
        })
    });
    let header = move |label: &'static str, by: SortBy| {
        let state = move || match sort.get() {
            (b, true) if b == by => "ascending",
            (b, false) if b == by => "descending",
            _ => "none",
        };
        view! {
            <th aria-sort=state>
                <button
                    type="button"
                    class="sort"
                    data-testid=format!("sort-{}", label.to_lowercase())
                    on:click=move |_| sort.update(|(b, asc)| {
                        if *b == by { *asc = !*asc } else { *b = by; *asc = true }
                    })
                >
                    {label}
                </button>
            </th>
        }
    };
    view! {
        <div class="batch-table">
            <h3>"Rows"</h3>
            <div class="table-filters">
                <label>
                    <input
                        type="checkbox"
                        data-testid="filter-failed"
                        prop:checked=failed_only
                        on:change=move |ev| failed_only.set(event_target_checked(&ev))
                    />
                    " Failed only (strict)"
                </label>
                <label for="filter-id">"Instruction id"</label>
                <select id="filter-id" data-testid="filter-id" on:change=move |ev| id.set(event_target_value(&ev))>
                    <option value="">"All ids"</option>
                    {move || ids.get().into_iter().map(|i| view! { <option value=i.clone()>{i.clone()}</option> }).collect_view()}
                </select>
                <label for="filter-search">"Search"</label>
                <input
                    type="search"
                    id="filter-search"
                    data-testid="filter-search"
                    placeholder="prompt, response or key"
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <p class="hint" data-testid="table-count">
                {move || {
                    let n = matching.with(Vec::len);
                    let total = rows.with(Vec::len);
                    if n > SHOWN {
                        format!("{n} of {total} rows match; the first {SHOWN} are shown.")
                    } else {
                        format!("{n} of {total} rows match.")
                    }
                }}
            </p>
            <table data-testid="batch-rows">
                <thead>
                    <tr>
                        {header("Line", SortBy::Line)}
                        {header("Key", SortBy::Key)}
                        <th>"Instructions"</th>
                        {header("Strict", SortBy::Strict)}
                        {header("Loose", SortBy::Loose)}
                        <th>"Prompt"</th>
                        <th><span class="visually-hidden">"Open"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let shown: Vec<usize> = matching.with(|m| m.iter().take(SHOWN).copied().collect());
                        rows.with(|all| {
                            shown
                                .into_iter()
                                .filter_map(|i| all.get(i).map(|row| (i, row)))
                                .map(|(i, row)| {
                                    let verdict = |all: bool| if all { "followed" } else { "not followed" };
                                    let prompt: String = row.prompt.chars().take(140).collect();
                                    let instructions = row
                                        .ids
                                        .iter()
                                        .zip(&row.strict)
                                        .map(|(id, ok)| format!("{} {id}", if *ok { "✓" } else { "✗" }))
                                        .collect::<Vec<_>>()
                                        .join("\n");
                                    let (strict, loose) = (row.strict_all(), row.loose_all());
                                    let line = row.line;
                                    let key = row.key.clone();
                                    view! {
                                        <tr data-testid="batch-row" data-line=line data-strict=strict.to_string()>
                                            <td>{line}</td>
                                            <td>{key}</td>
                                            <td class="ids">{instructions}</td>
                                            <td class:pass=strict class:fail=!strict>{verdict(strict)}</td>
                                            <td class:pass=loose class:fail=!loose>{verdict(loose)}</td>
                                            <td class="prompt">{prompt}</td>
                                            <td>
                                                <button
                                                    type="button"
                                                    data-testid="open-row"
                                                    on:click=move |_| {
                                                        rows.with_untracked(|all| {
                                                            if let Some(row) = all.get(i) {
                                                                open_in_verify(row);
                                                            }
                                                        });
                                                    }
                                                >
                                                    "Open in Verify"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </tbody>
            </table>
        </div>
    }
}
