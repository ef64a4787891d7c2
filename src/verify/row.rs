//! One listed constraint: title and id, strict and loose badges, the verdict's detail, the
//! parameters, conflicts; selectable (its evidence is highlighted), editable and removable.

use crab_constraints::checks::{CheckInfo, Status, CHECKS};
use leptos::prelude::*;

use super::Conflict;
use crate::badge;
use crate::catalog::{set_param, summary, ParamForm};
use crate::llm::judge::{sentence_of, Judged};
use crate::llm::LlmState;
use crate::state::{AppState, ConstraintSpec, Outcome, Verification};

fn info_of(id: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().copied().find(|c| c.id == id)
}

/// A badge's class and text for a status (none: the parameters make no constraint).
fn mode_badge(mode: &str, status: Option<Status>) -> (&'static str, String) {
    let status = status.unwrap_or(Status::Invalid);
    (badge::class(status), format!("{mode} {}", badge::word(status)))
}

/// The row of the constraint at `index` of the session's list.
#[component]
pub fn ConstraintRow(
    /// Position in `AppState::constraints`.
    index: usize,
    /// Every conflicting pair in the list.
    conflicts: Memo<Vec<Conflict>>,
    /// Which row's parameter form is open.
    editing: RwSignal<Option<usize>>,
) -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let verification = Verification::get();
    let spec = Memo::new(move |_| state.constraints.with(|c| c.get(index).cloned()));
    let outcome = Memo::new(move |_| verification.outcomes.with(|o| o.get(index).cloned()));
    let selected = move || state.selected.get() == Some(index) && state.highlight.get().is_none();
    let open = move || editing.get() == Some(index);

    let toggle_select = move || {
        if state.selected.get_untracked() == Some(index)
            && state.highlight.get_untracked().is_none()
        {
            state.selected.set(None);
        } else {
            state.highlight.set(None);
            state.selected.set(Some(index));
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            toggle_select();
        }
    };
    let remove = move |_| {
        editing.set(None);
        state.selected.update(|s| {
            *s = match *s {
                Some(i) if i == index => None,
                Some(i) if i > index => Some(i - 1),
                other => other,
            }
        });
        state.constraints.update(|c| {
            if index < c.len() {
                c.remove(index);
            }
        });
    };

    let id = move || spec.with(|s| s.as_ref().map(|s| s.id.clone()).unwrap_or_default());
    let title = move || {
        spec.with(|s| match s.as_ref() {
            Some(s) if s.text().is_some() => "Text constraint (judged by the model)".to_owned(),
            s => s
                .and_then(|s| info_of(&s.id))
                .map_or_else(|| "Unknown check".to_owned(), |i| i.title.to_owned()),
        })
    };
    // The judge's verdict on this constraint (its sentence) for the current response, if any.
    let judged = Memo::new(move |_| {
        let sentence = spec.with(|s| s.as_ref().and_then(sentence_of))?;
        llm.judgement(state, &sentence)
    });
    let is_text = move || outcome.with(|o| matches!(o, Some(Outcome::Text(_))));
    let judged_status = move || {
        judged.with(|j| match j {
            Some(Judged::Verdict { holds: true, .. }) => Status::Pass,
            Some(Judged::Verdict { holds: false, .. }) => Status::Fail,
            Some(Judged::Failed(_)) => Status::Invalid,
            None => Status::Pending,
        })
    };
    let strict_status = move || {
        outcome.with(|o| match o {
            Some(Outcome::Checked(d)) => Some(d.strict.status),
            Some(Outcome::Text(_)) => Some(judged_status()),
            _ => None,
        })
    };
    let provenance = move || {
        let rule = outcome.with(|o| matches!(o, Some(Outcome::Checked(_))));
        let by_llm = judged.with(|j| matches!(j, Some(Judged::Verdict { .. })));
        match (rule, by_llm) {
            (true, true) => "rule + LLM",
            (true, false) => "rule",
            (false, true) => "LLM",
            (false, false) => "LLM (not judged yet)",
        }
    };
    // Where a rule and the judge both spoke: the rule decides, a disagreement is flagged.
    let second_opinion = move || {
        let strict = outcome.with(|o| match o {
            Some(Outcome::Checked(d)) => Some(d.strict.passed()),
            _ => None,
        })?;
        judged.with(|j| match j {
            Some(Judged::Verdict { holds, reason }) => Some((
                strict != *holds,
                format!(
                    "LLM judge: {} — {reason}{}",
                    if *holds { "holds" } else { "does not hold" },
                    if strict != *holds {
                        " · the rule and the judge disagree; the rule decides"
                    } else {
                        ""
                    }
                ),
            )),
            _ => None,
        })
    };
    let loose_status = move || {
        outcome.with(|o| match o {
            Some(Outcome::Text(_)) => Some(judged_status()),
            Some(Outcome::Checked(d)) => Some(match d.strict.status {
                Status::Pending | Status::Invalid if !d.loose => d.strict.status,
                _ if d.loose => Status::Pass,
                _ => Status::Fail,
            }),
            _ => None,
        })
    };
    let detail = move || {
        outcome.with(|o| match o {
            Some(Outcome::Checked(d)) => d.strict.detail.clone(),
            Some(Outcome::Invalid(msg)) => format!("Invalid parameters: {msg}"),
            Some(Outcome::Text(t)) => judged.with(|j| match j {
                Some(Judged::Verdict { reason, .. }) => format!("judged: {reason}"),
                Some(Judged::Failed(why)) => format!("no readable verdict: {why}"),
                None => format!("“{}” — not judged for this response yet: press Judge.", t.text),
            }),
            None => String::new(),
        })
    };
    let invalid = move || outcome.with(|o| matches!(o, Some(Outcome::Invalid(_))));
    let params = move || spec.with(|s| s.as_ref().map(|s| summary(&s.kwargs)).unwrap_or_default());
    let my_conflicts = move || {
        conflicts.with(|list| {
            list.iter()
                .filter_map(|c| {
                    let other = if c.a == index {
                        c.b
                    } else if c.b == index {
                        c.a
                    } else {
                        return None;
                    };
                    let other_id = state
                        .constraints
                        .with(|l| l.get(other).map(|s| s.id.clone()))
                        .unwrap_or_default();
                    Some(format!("Conflicts with #{} ({other_id}): {}", other + 1, c.reason))
                })
                .collect::<Vec<_>>()
        })
    };

    let form = move || {
        open().then(|| {
            let current = spec.get_untracked()?;
            let info = info_of(&current.id)?;
            let on_change = Callback::new(move |(param, raw): (_, String)| {
                state.constraints.update(|c| {
                    if let Some(ConstraintSpec { kwargs, .. }) = c.get_mut(index) {
                        set_param(kwargs, param, &raw);
                    }
                });
            });
            Some(view! {
                <div class="row-form" data-testid="row-form">
                    <ParamForm
                        info
                        initial=current.kwargs
                        on_change
                        id_prefix=format!("row-{index}")
                    />
                </div>
            })
        })
    };

    view! {
        <li
            class="constraint-row"
            class:selected=selected
            class:invalid=invalid
            data-testid="constraint-row"
            data-id=id
        >
            <div
                class="row-main"
                role="button"
                tabindex="0"
                aria-pressed=move || selected().to_string()
                aria-label=move || format!("{} ({}): highlight its evidence", title(), id())
                on:click=move |_| toggle_select()
                on:keydown=on_key
            >
                <div class="row-line">
                    <span class="row-index" aria-hidden="true">
                        {format!("#{}", index + 1)}
                    </span>
                    <span class="row-title">{title}</span>
                    <code class="row-id">{id}</code>
                    <span class="row-badges">
                        {move || {
                            let (class, text) = if is_text() {
                                let st = judged_status();
                                (badge::class(st), match st {
                                    Status::Pass => "judged: holds".to_owned(),
                                    Status::Fail => "judged: does not hold".to_owned(),
                                    Status::Invalid => "judged: unreadable".to_owned(),
                                    Status::Pending => "not judged".to_owned(),
                                })
                            } else {
                                mode_badge("strict", strict_status())
                            };
                            view! {
                                <span class=class data-testid="strict-badge">
                                    {text}
                                </span>
                            }
                        }}
                        {move || {
                            if is_text() {
                                return None;
                            }
                            let (class, text) = mode_badge("loose", loose_status());
                            Some(view! {
                                <span class=class data-testid="loose-badge">
                                    {text}
                                </span>
                            })
                        }}
                    </span>
                </div>
                <p class="row-detail" data-testid="row-detail">{detail}</p>
                <p class="row-provenance" data-testid="provenance">{provenance}</p>
                {move || {
                    second_opinion()
                        .map(|(disagree, text)| {
                            view! {
                                <p class="row-judge" class:warning=disagree data-testid="row-judge" data-disagree=disagree.to_string()>
                                    {text}
                                </p>
                            }
                        })
                }}
                <p class="row-params" hidden=move || params().is_empty()>{params}</p>
                <ul class="row-conflicts">
                    {move || {
                        my_conflicts()
                            .into_iter()
                            .map(|text| {
                                view! {
                                    <li class="warning" data-testid="row-conflict">{text}</li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
            <div class="row-actions">
                <button
                    type="button"
                    data-testid="edit-constraint"
                    aria-expanded=move || open().to_string()
                    on:click=move |_| {
                        editing.update(|e| *e = if *e == Some(index) { None } else { Some(index) })
                    }
                >
                    {move || if open() { "Done" } else { "Edit" }}
                    <span class="visually-hidden">" #" {index + 1}</span>
                </button>
                <button type="button" data-testid="remove-constraint" on:click=remove>
                    "Remove"
                    <span class="visually-hidden">" #" {index + 1}</span>
                </button>
            </div>
            {form}
        </li>
    }
}
