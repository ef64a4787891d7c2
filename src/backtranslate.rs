//! The back-translate panel: every constraint the response already satisfies (derived by the
//! library, all passing by construction), which of them to keep, the complex instruction
//! composed from the kept ones, its exports, and the import of CRAB's stage-6 records.
//!
//! Everything shown is computed by `crab-constraints` (derivation, rendering, verdicts,
//! conflicts, composition, the exported records); this module only wires the session's signals
//! to it. Derivation and composition are memos over the session, so the list and the prompt
//! follow the response as it is edited, and a seed reproduces both (the seed is part of the
//! session, so a share link reproduces the composition too). Derivation uses the language data
//! once it has arrived: the panel asks for it when it opens and re-derives when it is ready. A
//! long response is re-derived when typing pauses ([`DERIVE_IMMEDIATE_BYTES`]), so that typing
//! in it stays smooth while this panel is open.
//!
//! Key phrases (`crab:key_phrases`, YAKE) are not in this bundle: the Batch bundle's worker
//! derives them ([`WORKER_CHECKS`], `keyphrases_worker.js`, started when this panel first needs
//! it) and the library merges its part into the panel's derivation
//! ([`Derivation::merge`]), so the result is the CLI's without `--exclude`. Until the worker has
//! answered for the current response, the list and the prompt are marked pending; if the worker
//! cannot load or stops, the panel says so and derives without key phrases.
//!
//! Split by concern: [`derived`] lists the derived constraints, [`options`] holds the compose
//! settings form, [`crab`] imports CRAB records.

pub mod crab;
pub mod derived;
pub mod options;

use crab_constraints::backtranslate::{
    self as bt, Backtranslation, ComposeOptions, Connector, Derivation, Extra, Item, Template,
    MAX_SEED,
};
use leptos::prelude::*;
use serde_json::{json, Value};

use crate::llm::backtranslate::BtOptions;
use crate::llm::LlmState;
use crate::session_menu::{self, files};
use crate::state::{random_seed, settled_response, AppState, ComposeSettings, ConstraintSpec, Tab};

/// The checks the worker derives: their derivation needs YAKE, which is not in this bundle. It
/// reads only the response (not the instruction or the seed: the library's test
/// `worker_checks_read_only_the_response` holds it to that), so the worker is asked again only
/// when the response changes, and a new seed does not make the list pending.
pub const WORKER_CHECKS: &[&str] = &["crab:key_phrases"];

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/keyphrases_worker.js")]
extern "C" {
    /// The worker's derivation of [`WORKER_CHECKS`] for a pair and seed, as JSON text
    /// ([`Derivation::to_json`]); `null` when a newer request replaced this one; rejected with
    /// the reason (a string) when the worker did not load or stopped.
    #[wasm_bindgen(js_name = deriveKeyPhrases)]
    fn derive_key_phrases(instruction: &str, response: &str, seed: f64) -> js_sys::Promise;
}

/// The worker's part of the derivation, for the response it was asked about.
#[derive(Clone, Debug, PartialEq)]
enum WorkerPart {
    /// Nothing asked yet.
    Waiting,
    /// The worker's derivation for this response.
    Ready(String, Derivation),
    /// The worker could not answer for this response (it did not load, or it stopped): the
    /// list goes on without its checks. The next response asks again (a worker that stopped is
    /// started again; one that could not load is not fetched again).
    Failed(String, String),
}

impl WorkerPart {
    /// Whether this answers for `response` (a derivation or a failure).
    fn answers(&self, response: &str) -> bool {
        match self {
            WorkerPart::Waiting => false,
            WorkerPart::Ready(r, _) | WorkerPart::Failed(r, _) => r == response,
        }
    }
}

/// Asks the worker for its part whenever the response changes.
fn request_worker_part(
    state: AppState,
    settled: Memo<String>,
    seed: Memo<u64>,
    part: RwSignal<WorkerPart>,
) {
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let response = settled.get();
        if response.trim().is_empty() || part.with_untracked(|p| p.answers(&response)) {
            return;
        }
        generation.update_value(|g| *g += 1);
        let asked = generation.get_value();
        let instruction = state.instruction.get_untracked();
        let promise = derive_key_phrases(&instruction, &response, seed.get_untracked() as f64);
        leptos::task::spawn_local(async move {
            let answer = wasm_bindgen_futures::JsFuture::from(promise).await;
            // A newer request was made, or the panel has closed since (its signals are gone).
            if generation.try_get_value() != Some(asked) {
                return;
            }
            // The worker's JSON text, or why it could not answer (a string from the snippet).
            let read = match answer.map(|json| json.as_string()) {
                Ok(None) => return,
                Ok(Some(json)) => serde_json::from_str::<Value>(&json)
                    .map_err(|e| e.to_string())
                    .and_then(|v| Derivation::from_json(&v, &response, None)),
                Err(e) => Err(e.as_string().unwrap_or_default()),
            };
            part.try_set(match read {
                Ok(d) => WorkerPart::Ready(response, d),
                Err(why) => WorkerPart::Failed(
                    response,
                    format!(
                        "Key phrases could not be derived ({why}); the list goes on without them."
                    ),
                ),
            });
        });
    });
}

/// Responses up to this many bytes (about 1,300 words, some 10 ms of derivation in the browser)
/// are re-derived on every keystroke; longer ones once typing pauses for [`DERIVE_DELAY_MS`].
pub const DERIVE_IMMEDIATE_BYTES: usize = 8_000;
/// The typing pause after which a long response is re-derived.
pub const DERIVE_DELAY_MS: u64 = 250;

/// The library's compose options for the session's settings. Unknown connector or template
/// names (from an edited file) mean "random".
pub fn compose_options(s: &ComposeSettings) -> ComposeOptions {
    ComposeOptions {
        min: s.min,
        max: s.max,
        weights: s.weights.clone(),
        ifeval_only: s.ifeval_only,
        connector: s.connector.as_deref().and_then(Connector::parse),
        template: s.template.as_deref().and_then(Template::parse),
    }
}

/// The key the exported records carry, from the Key field: empty is the seed (a number); a
/// whole number is a number; a JSON string (`"7"`) is that string; anything else is the text
/// itself. So a row of `crab backtranslate` is reproduced with its own key, number or string.
pub fn export_key(text: &str, seed: u64) -> Value {
    let text = text.trim();
    if text.is_empty() {
        return json!(seed);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Number(_) | Value::String(_))) => v,
        _ => Value::String(text.to_owned()),
    }
}

/// A seed typed in the Seed field: a whole number from 0 to [`MAX_SEED`] (every seed the CLI
/// writes is one; larger ones would not survive a JSON reader in the browser).
pub fn parse_seed(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(seed) if seed <= MAX_SEED => Ok(seed),
        _ => Err(format!(
            "A seed is a whole number from 0 to {MAX_SEED} (2^53 − 1); the previous seed is still used."
        )),
    }
}

/// A random seed for "re-roll", different from `current`.
fn new_seed(current: u64) -> u64 {
    let mut seed = current;
    while seed == current {
        seed = random_seed();
    }
    seed
}

/// Derivation, composition and export.
#[component]
pub fn BacktranslatePanel() -> impl IntoView {
    let state = AppState::get();
    state.lang.request();
    // Derived evidence is highlighted only while this panel is open.
    on_cleanup(move || state.highlight.set(None));

    let seed = Memo::new(move |_| state.compose.with(|c| c.seed));
    // A long response is re-derived once typing pauses, not on every keystroke.
    let settled = settled_response(state.response, DERIVE_IMMEDIATE_BYTES, DERIVE_DELAY_MS);
    let pending = Memo::new(move |_| settled.with(|s| state.response.with(|r| r != s)));
    // The library's pipeline, in two memos: derivation (the costly part) follows the response,
    // the instruction, the seed and the language data; composition follows the ticks and the
    // settings too. Both are what `crab backtranslate` computes for a row.
    let own: Memo<Derivation> = Memo::new(move |_| {
        // Re-derive when the language data arrives (read tracked, then take the detector).
        let _ = state.lang.state();
        let detector = state.lang.detector();
        let seed = seed.get();
        let exclude: Vec<String> = WORKER_CHECKS.iter().map(|&id| id.to_owned()).collect();
        state.instruction.with(|instruction| {
            settled.with(|response| bt::derive(instruction, response, seed, detector, &exclude))
        })
    });
    // The worker's part (key phrases), merged in once it has answered for this response.
    let part = RwSignal::new(WorkerPart::Waiting);
    request_worker_part(state, settled, seed, part);
    // The worker's answer, when it is for the current response (else `None`).
    let fresh = move |p: &WorkerPart| match p {
        WorkerPart::Ready(r, d) if settled.with(|x| x == r) => Some(d.clone()),
        _ => None,
    };
    let phrases_pending =
        Memo::new(move |_| settled.with(|r| !r.trim().is_empty() && !part.with(|p| p.answers(r))));
    // The worker's items keep their own seed's derivation: they read only the response.
    let derivation: Memo<Derivation> = Memo::new(move |_| match part.with(fresh) {
        Some(d) => own.get().merge(d),
        None => own.get(),
    });
    let excluded = Memo::new(move |_| state.compose.with(|c| c.excluded.clone()));
    let options = Memo::new(move |_| state.compose.with(compose_options));
    // What the model added (CRAB's LLM step), when it has run: its text constraints and refined
    // instruction join the composition.
    let llm = LlmState::get();
    let extra = Memo::new(move |_| {
        llm.bt_run.with(|r| match r {
            Some(r) if !r.running => r.run.extra(),
            _ => Extra::default(),
        })
    });
    let result: Memo<Backtranslation> = Memo::new(move |_| {
        derivation.with(|d| {
            options.with(|opts| {
                extra.with(|extra| {
                    excluded.with(|unticked| {
                        state.instruction.with(|i| d.compose_with(i, opts, unticked, extra))
                    })
                })
            })
        })
    });
    let items = Memo::new(move |_| result.with(|r| r.items.clone()));
    let conflicts = Memo::new(move |_| {
        result.with(|r| {
            r.conflicts
                .iter()
                .filter_map(|c| {
                    let (a, b) = (r.items.get(c.a)?, r.items.get(c.b)?);
                    Some(ConflictPair {
                        a: (a.requirement.id(), a.text.clone()),
                        b: (b.requirement.id(), b.text.clone()),
                        reason: c.reason.clone(),
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let empty = Memo::new(move |_| state.response.with(|r| r.trim().is_empty()));

    view! {
        <div class="bt-panel" data-testid="bt-panel">
            <h2>"Back-translate"</h2>
            <p class="bt-intro">
                "Every constraint your response already satisfies, derived from the text. Keep the ones you want and they are composed with the instruction into one complex instruction, correct by construction."
            </p>
            <Show
                when=move || !empty.get()
                fallback=|| {
                    view! {
                        <div class="bt-empty" data-testid="bt-empty">
                            <p>
                                <strong>"Nothing to back-translate yet."</strong>
                            </p>
                            <p>
                                "Write or paste a response in the editor (and, if you like, the instruction it answers): the constraints it satisfies appear here as you type."
                            </p>
                        </div>
                    }
                }
            >
                <p class="bt-pending" role="status" data-testid="bt-pending">
                    {move || {
                        pending
                            .get()
                            .then_some(
                                "Long response: the list catches up when you pause typing.",
                            )
                    }}
                </p>
                <p class="bt-pending" role="status" data-testid="bt-keyphrases">
                    {move || {
                        part.with(|p| match p {
                            WorkerPart::Failed(r, why) if settled.with(|x| x == r) => {
                                Some(why.clone())
                            }
                            _ => phrases_pending.get().then(|| "key phrases…".to_owned()),
                        })
                    }}
                    {move || derivation.with(|d| d.notes.join(" "))}
                </p>
                <LlmSection />
                <div
                    class="bt-results"
                    data-testid="bt-results"
                    aria-busy=move || phrases_pending.get().to_string()
                    data-pending=move || phrases_pending.get().to_string()
                >
                    <derived::DerivedList items=items />
                    <ConflictList conflicts=conflicts />
                    <ComposeSection items=items result=result />
                </div>
            </Show>
            <crab::CrabImport />
        </div>
    }
}

/// CRAB's LLM step: ask the model, see every step's decision, export the run.
#[component]
fn LlmSection() -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let running = Memo::new(move |_| llm.bt_run.with(|r| r.as_ref().is_some_and(|r| r.running)));
    let stale = Memo::new(move |_| {
        llm.bt_run.with(|r| {
            r.as_ref().is_some_and(|r| {
                state
                    .instruction
                    .with(|i| state.response.with(|x| r.pair.0 != *i || r.pair.1 != *x))
            })
        })
    });
    let export = move |_| {
        let Some(json) = llm.bt_run.with_untracked(|r| r.as_ref().map(|r| r.run.to_json())) else {
            return;
        };
        let name = session_menu::dated_name("crab-llm-backtranslation", "json");
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        report(
            state,
            files::download(&name, "application/json", &text),
            "the LLM back-translation run",
        );
    };
    let number = move |label: &'static str,
                       testid: &'static str,
                       get: fn(&BtOptions) -> f64,
                       set: fn(&mut BtOptions, f64)| {
        view! {
            <label class="bt-inline">
                <span>{label}</span>
                <input
                    type="number"
                    step="0.1"
                    min="0"
                    class="bt-number"
                    data-testid=testid
                    prop:value=move || llm.bt_options.with(|o| get(o).to_string())
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                            if v.is_finite() && v >= 0.0 {
                                llm.bt_options.update(|o| set(o, v));
                            }
                        }
                    }
                />
            </label>
        }
    };
    view! {
        <section class="bt-llm" aria-labelledby="bt-llm-title" data-testid="llm-bt-section">
            <h3 id="bt-llm-title">"With your model (CRAB's LLM step)"</h3>
            <p class="bt-muted">
                "Ask the model which style, semantic and format constraints the response satisfies (and a refined instruction); each can be checked and repaired, and near-duplicates are merged. They join the list below, marked llm."
            </p>
            <div class="bt-options-grid">
                <button
                    type="button"
                    class="primary"
                    data-testid="llm-bt"
                    prop:disabled=move || running.get()
                    on:click=move |_| crate::llm::backtranslate::run(llm, state)
                >
                    "Back-translate with the model"
                </button>
                <label class="bt-inline bt-check">
                    <input
                        type="checkbox"
                        data-testid="llm-bt-check"
                        prop:checked=move || llm.bt_options.with(|o| o.check)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            llm.bt_options.update(|o| o.check = on);
                        }
                    />
                    <span>"check and repair each constraint"</span>
                </label>
                {number("Temperature", "llm-bt-temperature", |o| o.temperature, |o, v| o.temperature = v)}
                {number("top_p", "llm-bt-top-p", |o| o.top_p, |o, v| o.top_p = v)}
                <button
                    type="button"
                    data-testid="llm-bt-export"
                    prop:disabled=move || llm.bt_run.with(|r| r.as_ref().is_none_or(|r| r.running))
                    on:click=export
                >
                    "Export the run (.json)"
                </button>
                <button
                    type="button"
                    data-testid="llm-bt-clear"
                    prop:disabled=move || llm.bt_run.with(|r| r.as_ref().is_none_or(|r| r.running))
                    on:click=move |_| llm.bt_run.set(None)
                >
                    "Remove the model's constraints"
                </button>
            </div>
            <p class="bt-llm-status" role="status" data-testid="llm-bt-status">
                {move || llm.bt_run.with(|r| r.as_ref().map(|r| r.status.clone()).unwrap_or_default())}
                {move || stale.get().then_some(" (made from an earlier instruction or response)")}
            </p>
            {move || {
                llm.bt_run.with(|r| {
                    let r = r.as_ref()?;
                    let refined = r.run.refined.clone();
                    let problems = r.run.problems.clone();
                    let steps: Vec<(String, String, String, bool)> = r
                        .run
                        .candidates
                        .iter()
                        .map(|c| (c.kind.clone(), c.text.clone(), c.decision.describe(&r.run.candidates), c.decision.kept()))
                        .collect();
                    Some(view! {
                        <div class="bt-llm-steps" data-testid="llm-bt-steps">
                            {refined.map(|t| view! {
                                <p data-testid="llm-bt-refined">
                                    <strong>"Refined instruction: "</strong>
                                    {t}
                                </p>
                            })}
                            <ol>
                                {steps.into_iter().map(|(kind, text, decision, kept)| view! {
                                    <li data-testid="llm-bt-step" data-kept=kept.to_string()>
                                        <code class="bt-id">{kind}</code>
                                        " “" {text} "” — "
                                        <span data-testid="llm-bt-decision">{decision}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <ul class="gen-warnings">
                                {problems.into_iter().map(|p| view! { <li data-testid="llm-bt-problem">{p}</li> }).collect_view()}
                            </ul>
                        </div>
                    })
                })
            }}
        </section>
    }
}

/// One ticked pair that must not be combined, as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConflictPair {
    /// The first constraint's id and text.
    pub a: (String, String),
    /// The second constraint's id and text.
    pub b: (String, String),
    /// The library's reason.
    pub reason: String,
}

/// The ticked pairs that conflict, with the library's reasons.
#[component]
fn ConflictList(
    /// The conflicting pairs among the ticked constraints.
    conflicts: Memo<Vec<ConflictPair>>,
) -> impl IntoView {
    view! {
        <section class="bt-conflicts" aria-labelledby="bt-conflicts-title" data-testid="conflicts">
            <h3 id="bt-conflicts-title">"Conflicts and redundancies"</h3>
            {move || {
                let list = conflicts.get();
                if list.is_empty() {
                    view! {
                        <p class="bt-muted" data-testid="no-conflicts">
                            "No two kept constraints contradict each other."
                        </p>
                    }
                        .into_any()
                } else {
                    let n = list.len();
                    view! {
                        <p class="warning">
                            {if n == 1 {
                                "1 pair of kept constraints must not be combined".to_owned()
                            } else {
                                format!("{n} pairs of kept constraints must not be combined")
                            }}
                            ". Composition never puts both of a pair into one instruction: it skips the later one."
                        </p>
                        <ul class="bt-conflict-list">
                            {list
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <li data-testid="conflict">
                                            <span class="bt-pair">
                                                <code>{c.a.0}</code>
                                                " “"
                                                {c.a.1}
                                                "” × "
                                                <code>{c.b.0}</code>
                                                " “"
                                                {c.b.1}
                                                "”"
                                            </span>
                                            <span class="bt-reason" data-testid="conflict-reason">
                                                {c.reason}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The composed instruction, its settings, and what can be done with it.
#[component]
fn ComposeSection(
    /// Every derived constraint, after composition.
    items: Memo<Vec<Item>>,
    /// The whole back-translation (the composition and the records).
    result: Memo<Backtranslation>,
) -> impl IntoView {
    let state = AppState::get();
    let composition = Memo::new(move |_| result.with(|r| r.composition.clone()));
    let seed_text = RwSignal::new(untrack(|| state.compose.with(|c| c.seed.to_string())));
    let seed_error = RwSignal::new(None::<String>);
    // Keep the field in step when the seed changes elsewhere (re-roll, import).
    Effect::new(move |_| {
        let seed = state.compose.with(|c| c.seed);
        if parse_seed(&seed_text.get_untracked()).ok() != Some(seed) {
            seed_text.set(seed.to_string());
            seed_error.set(None);
        }
    });
    let copy_status = RwSignal::new(None::<Result<(), String>>);
    // The key of the exported records (see [`export_key`]).
    let key = move || state.compose.with_untracked(|c| export_key(&c.key, c.seed));

    let reroll = move |_| {
        state.compose.update(|c| c.seed = new_seed(c.seed));
        copy_status.set(None);
    };
    let copy = move |_| {
        let prompt = composition.with_untracked(|c| c.prompt.clone());
        leptos::task::spawn_local(async move {
            copy_status.set(Some(files::copy(&prompt).await));
        });
    };
    let export_rows = move |_| {
        let line =
            result.with_untracked(|r| state.response.with_untracked(|x| r.rows_item(key(), x)));
        let name = session_menu::dated_name("crab-ifeval-row", "jsonl");
        report(
            state,
            files::download(&name, "application/jsonl", &format!("{line}\n")),
            "the IFEval row",
        );
    };
    let export_crab = move |_| {
        let items = result.with_untracked(|r| {
            r.crab_items(
                &key(),
                &state.instruction.get_untracked(),
                &state.response.get_untracked(),
            )
        });
        let text: String = items.iter().map(|v: &Value| format!("{v}\n")).collect();
        let name = session_menu::dated_name("crab-items", "jsonl");
        report(state, files::download(&name, "application/jsonl", &text), "the CRAB items");
    };
    let verify_this = move |_| {
        let (prompt, specs) = composition.with_untracked(|c| {
            (
                c.prompt.clone(),
                c.requirements.iter().map(ConstraintSpec::from_requirement).collect::<Vec<_>>(),
            )
        });
        let n = specs.len();
        state.instruction.set(prompt);
        state.constraints.set(specs);
        state.selected.set(None);
        state.highlight.set(None);
        state.tab.set(Tab::Verify);
        state.info(format!(
            "Loaded the composed instruction and its {n} constraint{} into Verify.",
            if n == 1 { "" } else { "s" }
        ));
    };
    view! {
        <section class="bt-compose" aria-labelledby="bt-compose-title">
            <h3 id="bt-compose-title">"Combined instruction"</h3>
            <options::ComposeOptionsForm items=items />
            <div class="bt-seed-row">
                <label class="bt-inline">
                    <span>"Seed"</span>
                    <input
                        type="text"
                        inputmode="numeric"
                        data-testid="seed"
                        aria-describedby="bt-seed-help"
                        prop:value=move || seed_text.get()
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            seed_text.set(text.clone());
                            match parse_seed(&text) {
                                Ok(seed) => {
                                    seed_error.set(None);
                                    state.compose.update(|c| c.seed = seed);
                                }
                                Err(e) => seed_error.set(Some(e)),
                            }
                        }
                    />
                </label>
                <button type="button" data-testid="reroll" on:click=reroll>
                    "Re-roll"
                </button>
                <label class="bt-inline">
                    <span>"Key"</span>
                    <input
                        type="text"
                        class="bt-key"
                        data-testid="row-key"
                        placeholder="the seed"
                        aria-describedby="bt-seed-help"
                        prop:value=move || state.compose.with(|c| c.key.clone())
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            state.compose.update(|c| c.key = text);
                        }
                    />
                </label>
                <span id="bt-seed-help" class="bt-muted">
                    "The same seed gives the same derivation and composition, here and in crab backtranslate (a row's seed and key reproduce it). The key names the exported records."
                </span>
            </div>
            <p class="bt-field-error" role="alert" data-testid="seed-error">
                {move || seed_error.get()}
            </p>
            <label for="bt-prompt" class="bt-label">
                "Composed prompt"
            </label>
            <textarea
                id="bt-prompt"
                class="bt-prompt"
                readonly=true
                rows="9"
                data-testid="composed-prompt"
                prop:value=move || composition.with(|c| c.prompt.clone())
            ></textarea>
            <p class="bt-counts">
                <span data-testid="composed-count">
                    {move || composition.with(|c| c.requirements.len())}
                </span>
                " constraints combined · "
                <span data-testid="composed-avoided">{move || composition.with(|c| c.avoided)}</span>
                " candidates skipped because they conflict with one already chosen"
            </p>
            <div class="bt-actions">
                <button type="button" class="primary" data-testid="verify-this" on:click=verify_this>
                    "Verify this"
                </button>
                <button
                    type="button"
                    data-testid="send-to-model"
                    title="Load the composed instruction and its constraints into Verify, and generate an answer with your model"
                    on:click=move |ev| {
                        verify_this(ev);
                        crate::llm::generate::start(LlmState::get(), state, crate::llm::Kind::Generate);
                    }
                >
                    "Send to model"
                </button>
                <button type="button" data-testid="copy-prompt" on:click=copy>
                    "Copy"
                </button>
                <button type="button" data-testid="export-ifeval" on:click=export_rows>
                    "Export IFEval row (.jsonl)"
                </button>
                <button type="button" data-testid="export-crab" on:click=export_crab>
                    "Export CRAB items (.jsonl)"
                </button>
                <button
                    type="button"
                    data-testid="export-session-bt"
                    on:click=move |_| session_menu::export_session(state)
                >
                    "Export session (.json)"
                </button>
            </div>
            <p class="bt-copy-status" role="status" data-testid="copy-status">
                {move || match copy_status.get() {
                    None => String::new(),
                    Some(Ok(())) => "Copied the prompt to the clipboard.".to_owned(),
                    Some(Err(e)) => e,
                }}
            </p>
        </section>
    }
}

/// Reports a download's outcome in the status area.
fn report(state: AppState, result: Result<(), String>, what: &str) {
    match result {
        Ok(()) => state.info(format!("Exported {what}.")),
        Err(e) => state.warn(e),
    }
}
