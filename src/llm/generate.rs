//! Generate and verify: the instruction goes to the model, the answer streams into the response
//! editor (read-only meanwhile) while every verdict updates, Stop keeps what arrived, the
//! previous response can be restored, and "Fix it" sends back only what broke. Each generation is
//! kept as an attempt of the session.
//!
//! Updates to the editor are batched to animation frames: a fast local model sends hundreds of
//! chunks a second, and one verification per frame is all a person can see.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crab_constraints::backtranslate::render;
use crab_constraints::checks::Constraint;
use crab_constraints::ifeval;
use crab_constraints::rng::Rng;
use crab_constraints::text::Analysis;
use crab_llm::prompt::{self, Violation};
use crab_llm::request::{self, Settings};
use crab_llm::stream::Answer;
use crab_llm::usage::{self, Timing};
use leptos::prelude::*;

use super::client::{self, Outcome, Progress};
use super::{new_id, Attempt, Kind, LlmState, Phase, Run, Summary};
use crate::state::{AppState, Outcome as Verdicts, Verification};

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// The session's constraints that can be built.
fn constraints(state: AppState) -> Vec<Constraint> {
    state.constraints.with_untracked(|specs| specs.iter().filter_map(|s| s.build().ok()).collect())
}

/// The verdicts of `text` against the session's constraints, strict and loose.
fn summarize(state: AppState, text: &str) -> Summary {
    let built = constraints(state);
    let verdicts = ifeval::verify_live(&built, text, true, state.resources());
    Summary {
        total: built.len(),
        strict: verdicts.iter().filter(|d| d.strict.passed()).count(),
        loose: verdicts.iter().filter(|d| d.loose).count(),
        broken: built
            .iter()
            .zip(&verdicts)
            .filter(|(_, d)| !d.strict.passed())
            .map(|(c, _)| c.id().to_owned())
            .collect(),
    }
}

/// The constraints the response does not meet (strict), as "fix it" quotes them: the library's
/// rendering of each, and its verdict's detail.
fn violations(state: AppState) -> Vec<Violation> {
    let built = constraints(state);
    state.response.with_untracked(|text| {
        let analysis = Analysis::with_resources(text, state.resources());
        built
            .iter()
            .filter_map(|c| {
                let v = ifeval::verify_strict(c, &analysis);
                (!v.passed())
                    .then(|| Violation { text: render(c, &mut Rng::new(0)), detail: v.detail })
            })
            .collect()
    })
}

/// Starts a generation (or a fix) with the active profile.
pub fn start(llm: LlmState, state: AppState, kind: Kind) {
    if llm.run.with_untracked(|r| r.phase.running()) {
        return;
    }
    let fail = |message: String| {
        llm.run.set(Run { kind, phase: Phase::Failed(message), ..Run::default() })
    };
    let Some(profile) = untrack(|| llm.profile()) else {
        return fail("No endpoint is set up yet: open Model settings.".to_owned());
    };
    let settings = profile.settings.clone();
    let problems = request::problems(&settings);
    if !problems.is_empty() {
        return fail(format!("{} (Model settings)", problems.join(" ")));
    }
    let secrets = untrack(|| llm.active_secrets());
    let instruction = state.instruction.get_untracked();
    if instruction.trim().is_empty() {
        return fail("Write an instruction first: it is what the model is asked.".to_owned());
    }
    let messages = match kind {
        Kind::Generate => prompt::generation(&settings.system_prompt, &instruction),
        Kind::Fix => {
            let broken = violations(state);
            if broken.is_empty() {
                state.info("Nothing to fix: every constraint holds.");
                return;
            }
            let answer = state.response.get_untracked();
            prompt::fix(&settings.system_prompt, &instruction, &answer, &broken)
        }
    };
    let handle = match client::Handle::new() {
        Ok(h) => h,
        Err(e) => return fail(e),
    };
    llm.handle.set_value(Some(handle.clone()));
    llm.previous.set(Some(state.response.get_untracked()));
    state.selected.set(None);
    state.highlight.set(None);
    state.response.set(String::new());
    llm.run.set(Run { kind, phase: Phase::Waiting, ..Run::default() });

    let sent_text: String =
        messages.iter().map(|m| m.content.as_str()).collect::<Vec<_>>().join("\n");
    let started_at = js_sys::Date::now();
    let mut timing = Timing { sent: now_ms(), ..Timing::default() };
    let first_token = Rc::new(Cell::new(None::<f64>));
    // The newest answer, waiting for the next animation frame.
    let latest: Rc<RefCell<Option<(String, String, bool)>>> = Rc::new(RefCell::new(None));
    let scheduled = Rc::new(Cell::new(false));
    let flush = {
        let latest = latest.clone();
        move || {
            if let Some((text, reasoning, thinking)) = latest.borrow_mut().take() {
                let _ = state.response.try_set(text);
                let _ = llm.run.try_update(|r| {
                    r.phase = Phase::Streaming;
                    r.reasoning = reasoning;
                    r.thinking = thinking;
                });
            }
        }
    };

    leptos::task::spawn_local(async move {
        let on_answer = |answer: &Answer| {
            if first_token.get().is_none() && !answer.is_empty() {
                first_token.set(Some(now_ms()));
            }
            *latest.borrow_mut() =
                Some((answer.text().to_owned(), answer.reasoning(), answer.thinking()));
            if !scheduled.replace(true) {
                let flush = flush.clone();
                let scheduled = scheduled.clone();
                request_animation_frame(move || {
                    scheduled.set(false);
                    flush();
                });
            }
        };
        let on_retry = |ms: u64, why: &str| {
            let secs = (ms as f64 / 1000.0).ceil();
            let _ = llm.run.try_update(|r| {
                r.phase = Phase::Retrying(format!("{why} Trying again in {secs} s…"))
            });
        };
        let progress = Progress { answer: &on_answer, retrying: &on_retry };
        let outcome = client::chat(&settings, &secrets, &messages, &handle, &progress).await;
        flush();
        timing.first_token = first_token.get();
        timing.finished = Some(now_ms());
        let (answer, phase, outcome_text) = match outcome {
            Outcome::Done(a) => (a, Phase::Done, "done".to_owned()),
            Outcome::Stopped(a) => (a, Phase::Stopped, "stopped".to_owned()),
            Outcome::Failed(e, a) => {
                let d = e.describe();
                (a, Phase::Failed(d.clone()), d)
            }
        };
        finish(
            llm,
            state,
            FinishedRun {
                kind,
                settings,
                profile_name: profile.name,
                instruction,
                sent_text,
                started_at,
                timing,
                answer,
                phase,
                outcome_text,
            },
        );
    });
}

/// Everything known when a run ends.
struct FinishedRun {
    kind: Kind,
    settings: Settings,
    profile_name: String,
    instruction: String,
    sent_text: String,
    started_at: f64,
    timing: Timing,
    answer: Answer,
    phase: Phase,
    outcome_text: String,
}

fn finish(llm: LlmState, state: AppState, run: FinishedRun) {
    let text = run.answer.text().to_owned();
    let reasoning = run.answer.reasoning();
    // A failure before anything arrived restores the previous response: nothing typed is lost.
    let nothing = run.answer.is_empty();
    if nothing && matches!(run.phase, Phase::Failed(_) | Phase::Stopped) {
        if let Some(previous) = llm.previous.get_untracked() {
            let _ = state.response.try_set(previous);
        }
    } else {
        let _ = state.response.try_set(text.clone());
    }
    let received = format!("{reasoning}{}", run.answer.raw());
    let stats = usage::stats(&run.timing, run.answer.usage.as_ref(), &run.sent_text, &received);
    let summary = (!nothing).then(|| summarize(state, &text));
    let format_check = (run.phase == Phase::Done)
        .then(|| request::check_format(&run.settings.response_format, &text))
        .flatten();
    let _ = llm.run.try_set(Run {
        kind: run.kind,
        phase: run.phase,
        reasoning: reasoning.clone(),
        thinking: false,
        stats: Some(stats.clone()),
        summary: summary.clone(),
        format_check,
        warnings: run.answer.warnings.clone(),
    });
    llm.handle.set_value(None);
    if nothing {
        return;
    }
    let attempt = Attempt {
        id: new_id("attempt"),
        session: state.session_id.get_untracked(),
        kind: run.kind,
        time: run.started_at,
        profile: run.profile_name,
        settings: run.settings,
        instruction: run.instruction,
        response: text,
        reasoning,
        outcome: run.outcome_text,
        summary: summary.unwrap_or_default(),
        stats: Some(stats),
    };
    llm.keep_attempt(state, attempt);
}

/// What the status line says.
fn status_line(run: &Run) -> String {
    let what = match run.kind {
        Kind::Generate => "Generating",
        Kind::Fix => "Fixing",
    };
    let stats = run.stats.as_ref().map(|s| format!(" · {}", s.describe())).unwrap_or_default();
    match &run.phase {
        Phase::Idle => String::new(),
        Phase::Waiting => format!("{what}: waiting for the model…"),
        Phase::Retrying(why) => why.clone(),
        Phase::Streaming if run.thinking => format!("{what}: the model is thinking…"),
        Phase::Streaming => format!("{what}: the answer is arriving; verdicts update as it does."),
        Phase::Done => format!("Done{stats}."),
        Phase::Stopped => format!("Stopped; what arrived is kept{stats}."),
        Phase::Failed(_) => String::new(),
    }
}

/// The Generate bar, between the instruction and the response.
#[component]
pub fn GenerateBar() -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let verification = Verification::get();
    let running = Memo::new(move |_| llm.running());
    let any_broken = Memo::new(move |_| {
        verification
            .outcomes
            .with(|o| o.iter().any(|x| matches!(x, Verdicts::Checked(d) if !d.strict.passed())))
    });
    let model_label = Memo::new(move |_| {
        llm.profile().map(|p| {
            let model = p.settings.model.trim().to_owned();
            let base = p.settings.base_url.trim().to_owned();
            match (model.is_empty(), base.is_empty()) {
                (_, true) => "no endpoint set".to_owned(),
                (true, false) => format!("no model · {base}"),
                (false, false) => format!("{model} · {base}"),
            }
        })
    });
    let session_attempts = Memo::new(move |_| {
        let session = state.session_id.get();
        llm.attempts
            .with(|a| a.iter().filter(|x| x.session == session).cloned().collect::<Vec<_>>())
    });
    let restore_previous = move |_| {
        if let Some(previous) = llm.previous.get_untracked() {
            let current = state.response.get_untracked();
            state.response.set(previous);
            llm.previous.set(Some(current));
            state.info("Restored the previous response (press again to swap back).");
        }
    };

    view! {
        <section class="gen" aria-label="Generate with a model" data-testid="gen-bar">
            <div class="gen-actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="generate"
                    prop:disabled=move || running.get()
                    on:click=move |_| start(llm, state, Kind::Generate)
                >
                    "Generate"
                </button>
                <button
                    type="button"
                    data-testid="stop"
                    prop:disabled=move || !running.get()
                    on:click=move |_| llm.stop()
                >
                    "Stop"
                </button>
                <button
                    type="button"
                    data-testid="fix-it"
                    title="Ask the model to repair only the constraints that do not hold"
                    prop:disabled=move || running.get() || !any_broken.get()
                    on:click=move |_| start(llm, state, Kind::Fix)
                >
                    "Fix it"
                </button>
                <button
                    type="button"
                    data-testid="restore-previous"
                    prop:disabled=move || running.get() || llm.previous.with(Option::is_none)
                    on:click=restore_previous
                >
                    "Restore previous response"
                </button>
                <span class="gen-model" data-testid="gen-model">{move || model_label.get()}</span>
                <button
                    type="button"
                    class="link-button"
                    data-testid="gen-settings"
                    on:click=move |_| llm.settings_open.set(true)
                >
                    "Model settings"
                </button>
            </div>
            <p class="gen-status" role="status" data-testid="gen-status">
                {move || llm.run.with(status_line)}
            </p>
            <p class="gen-error" role="alert" data-testid="gen-error">
                {move || llm.run.with(|r| match &r.phase {
                    Phase::Failed(m) => m.clone(),
                    _ => String::new(),
                })}
            </p>
            <p class="gen-summary" data-testid="gen-summary">
                {move || llm.run.with(|r| if r.phase.running() { String::new() } else { r.summary.as_ref().map(Summary::describe).unwrap_or_default() })}
            </p>
            <p class="gen-format" data-testid="gen-format">
                {move || llm.run.with(|r| match &r.format_check {
                    Some(Ok(())) => "Format: valid JSON with the required keys.".to_owned(),
                    Some(Err(e)) => format!("Format: {e}."),
                    None => String::new(),
                })}
            </p>
            <ul class="gen-warnings" data-testid="gen-warnings">
                {move || llm.run.with(|r| r.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view())}
            </ul>
            <Show when=move || llm.run.with(|r| !r.reasoning.is_empty())>
                <details class="gen-reasoning" data-testid="gen-reasoning">
                    <summary>
                        {move || llm.run.with(|r| format!("Reasoning ({} characters, shown apart and never verified)", r.reasoning.chars().count()))}
                    </summary>
                    <pre data-testid="gen-reasoning-text">{move || llm.run.with(|r| r.reasoning.clone())}</pre>
                </details>
            </Show>
            <details class="gen-attempts" data-testid="attempts">
                <summary>
                    {move || format!("Attempts in this session ({})", session_attempts.with(Vec::len))}
                </summary>
                <ol class="gen-attempt-list">
                    <For
                        each=move || session_attempts.get().into_iter().rev()
                        key=|a| a.id.clone()
                        children=move |a| view! { <AttemptRow attempt=a /> }
                    />
                </ol>
            </details>
        </section>
    }
}

/// One kept attempt, restorable.
#[component]
fn AttemptRow(attempt: Attempt) -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(attempt.time));
    let time =
        format!("{:02}:{:02}:{:02}", when.get_hours(), when.get_minutes(), when.get_seconds());
    let kind = match attempt.kind {
        Kind::Generate => "generated",
        Kind::Fix => "fixed",
    };
    let id = attempt.id.clone();
    let restore = {
        let attempt = attempt.clone();
        move |_| {
            llm.previous.set(Some(state.response.get_untracked()));
            state.response.set(attempt.response.clone());
            if state.instruction.get_untracked() != attempt.instruction {
                state.instruction.set(attempt.instruction.clone());
                state.info("Restored the attempt's response and the instruction it answered.");
            } else {
                state.info("Restored the attempt's response.");
            }
        }
    };
    view! {
        <li class="gen-attempt" data-testid="attempt">
            <span class="gen-attempt-head">
                {format!("{time} · {kind} by {} · {}", if attempt.settings.model.is_empty() { "?" } else { &attempt.settings.model }, attempt.outcome)}
            </span>
            <span class="gen-attempt-summary" data-testid="attempt-summary">{attempt.summary.describe()}</span>
            <span class="gen-attempt-actions">
                <button type="button" class="link-button" data-testid="attempt-restore" on:click=restore>
                    "Restore"
                </button>
                <button
                    type="button"
                    class="link-button"
                    data-testid="attempt-delete"
                    on:click=move |_| llm.delete_attempt(state, &id)
                >
                    "Delete"
                </button>
            </span>
        </li>
    }
}
