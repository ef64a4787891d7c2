//! CRAB's LLM back-translation in the back-translate panel: the three calls (refined instruction,
//! global and local constraints), the optional check-and-repair of each constraint, the
//! de-duplication, and the step list that shows every decision. The steps and decisions are
//! `crab_llm::crab::Run`'s; this module sends its requests and keeps its result, whose text
//! constraints and refined instruction then join the composition.

use crab_llm::crab::{self, Run};
use crab_llm::prompt::Message;
use crab_llm::request::{Secrets, Settings};
use leptos::prelude::*;

use super::client::{self, Outcome, Progress};
use super::LlmState;
use crate::state::AppState;

/// The settings of the back-translation calls (CRAB's defaults, editable in the panel).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BtOptions {
    /// Check and repair each constraint with the model.
    pub check: bool,
    /// Sampling temperature (CRAB: 0.4).
    pub temperature: f64,
    /// Nucleus sampling (CRAB: 0.3).
    pub top_p: f64,
}

impl Default for BtOptions {
    fn default() -> BtOptions {
        BtOptions { check: true, temperature: crab::TEMPERATURE, top_p: crab::TOP_P }
    }
}

/// A finished (or running) LLM back-translation.
#[derive(Clone, Debug, PartialEq)]
pub struct BtRun {
    /// The run: constraints, decisions, log.
    pub run: Run,
    /// The instruction and response it was made from.
    pub pair: (String, String),
    /// Whether it is still running.
    pub running: bool,
    /// What it is doing, or how it ended.
    pub status: String,
}

async fn ask(
    settings: &Settings,
    secrets: &Secrets,
    messages: &[Message],
) -> Result<String, String> {
    let handle = client::Handle::new()?;
    let progress = Progress { answer: &|_| {}, retrying: &|_, _| {} };
    match client::chat(settings, secrets, messages, &handle, &progress).await {
        Outcome::Done(answer) => Ok(answer.text().to_owned()),
        Outcome::Stopped(_) => Err("stopped".to_owned()),
        Outcome::Failed(e, _) => Err(e.describe()),
    }
}

/// Runs CRAB's LLM back-translation of the current pair with the active profile.
pub fn run(llm: LlmState, state: AppState) {
    if llm.bt_run.with_untracked(|r| r.as_ref().is_some_and(|r| r.running)) {
        return;
    }
    let Some(profile) = untrack(|| llm.profile()) else { return };
    let problems = crab_llm::request::problems(&profile.settings);
    let instruction = state.instruction.get_untracked();
    let response = state.response.get_untracked();
    let mut initial = BtRun {
        run: Run::new(&instruction, &response),
        pair: (instruction.clone(), response.clone()),
        running: false,
        status: String::new(),
    };
    if !problems.is_empty() {
        initial.status = format!("Cannot ask the model: {} (Model settings)", problems.join(" "));
        llm.bt_run.set(Some(initial));
        return;
    }
    if response.trim().is_empty() {
        initial.status = "Write or paste a response first.".to_owned();
        llm.bt_run.set(Some(initial));
        return;
    }
    let options = llm.bt_options.get_untracked();
    let settings = crab::call_settings(&profile.settings, options.temperature, options.top_p);
    let secrets = untrack(|| llm.active_secrets());
    initial.running = true;
    initial.status = "Asking for the refined instruction and the constraints (3 calls)…".to_owned();
    llm.bt_run.set(Some(initial.clone()));
    leptos::task::spawn_local(async move {
        let mut run = initial.run;
        let update = |run: &Run, status: String, running: bool| {
            let _ = llm.bt_run.try_set(Some(BtRun {
                run: run.clone(),
                pair: initial.pair.clone(),
                running,
                status,
            }));
        };
        for (call, messages) in run.first_requests() {
            let answer = ask(&settings, &secrets, &messages).await;
            run.accept(call, answer);
            update(&run, format!("Asked for the {} constraints…", call.as_str()), true);
        }
        if options.check {
            let checks = run.check_requests();
            let n = checks.len();
            for (k, (index, messages)) in checks.into_iter().enumerate() {
                update(&run, format!("Checking constraint {} of {n}…", k + 1), true);
                let answer = ask(&settings, &secrets, &messages).await;
                run.accept_check(index, answer);
            }
        }
        run.finish();
        let kept = run.constraints().len();
        let status = if run.problems.is_empty() {
            format!("{kept} constraint(s) from the model, {} proposed.", run.candidates.len())
        } else {
            format!(
                "{kept} constraint(s) from the model, {} proposed; {} answer(s) could not be used (see the steps).",
                run.candidates.len(),
                run.problems.len()
            )
        };
        update(&run, status, false);
    });
}
