//! The LLM judge in the verify panel: verdicts for the constraints no rule checks (`llm:*`, and
//! any constraint typed as a sentence), and, when asked, a second opinion on rule-checked ones.
//!
//! Where a rule exists the rule decides; the judge's verdict is shown beside it and a
//! disagreement is flagged, never hidden. Verdicts are cached per (constraint, response, judge
//! model): a changed response is simply not judged yet. The prompts and the parsing are
//! `crab_llm::judge`'s.

use std::collections::BTreeMap;

use crab_constraints::backtranslate::render;
use crab_constraints::rng::Rng;
use crab_llm::judge as protocol;
use crab_llm::request::ResponseFormat;
use leptos::prelude::*;

use super::client::{self, Outcome, Progress};
use super::LlmState;
use crate::state::AppState;

/// A cached verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judged {
    /// The judge's verdict and reason.
    Verdict {
        /// Whether the constraint holds.
        holds: bool,
        /// Why.
        reason: String,
    },
    /// No readable verdict (after the retries), or the request failed: why.
    Failed(String),
}

/// How to judge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JudgeOptions {
    /// All constraints in one call instead of one call each.
    pub batch: bool,
    /// Rule-checked constraints too (their rendered sentence), for a second opinion.
    pub rules_too: bool,
}

/// FNV-1a of a text: responses are long, and the cache key only needs to tell them apart.
fn fingerprint(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The cache key of `constraint` judged on `response` by `model`.
pub fn key(model: &str, response: &str, constraint: &str) -> String {
    format!("{model}\u{1}{:016x}\u{1}{}\u{1}{constraint}", fingerprint(response), response.len())
}

/// The sentence a listed constraint is judged by: a text constraint's own, a rule constraint's
/// rendering (fixed seed, so it is stable).
pub fn sentence_of(spec: &crate::state::ConstraintSpec) -> Option<String> {
    if let Some(t) = spec.text() {
        return Some(t.text);
    }
    spec.build().ok().map(|c| render(&c, &mut Rng::new(0)))
}

impl LlmState {
    /// The cached verdict on `constraint` for the current response and judge model (tracked).
    pub fn judgement(&self, state: AppState, constraint: &str) -> Option<Judged> {
        // While nothing is judged, a memo calling this does not follow the response either.
        if self.judgements.with(BTreeMap::is_empty) {
            return None;
        }
        state.response.with(|r| self.judgement_on(r, constraint))
    }

    /// The cached verdict on `constraint` for `response` by the judge model (tracked).
    pub fn judgement_on(&self, response: &str, constraint: &str) -> Option<Judged> {
        // Nothing judged yet (the usual case, and every keystroke asks once per row): no need to
        // fingerprint the whole response. The read is tracked, so a first verdict is seen.
        if self.judgements.with(BTreeMap::is_empty) {
            return None;
        }
        let model = self.profile().map(|p| p.settings.model).unwrap_or_default();
        let k = key(&model, response, constraint);
        self.judgements.with(|j| j.get(&k).cloned())
    }
}

/// Judges the listed constraints on the current response (those not judged yet for it).
pub fn run(llm: LlmState, state: AppState) {
    let options = llm.judge_options.get_untracked();
    let response = state.response.get_untracked();
    let todo: Vec<String> = state.constraints.with_untracked(|specs| {
        specs
            .iter()
            .filter(|s| options.rules_too || s.text().is_some())
            .filter_map(sentence_of)
            .collect()
    });
    let status = llm.judge_status;
    let nothing = "No text constraint to judge: add one, or tick “rule-checked ones too”.";
    judge(llm, &response, todo, options.batch, nothing, move |msg| {
        let _ = status.try_set(msg);
    });
}

/// Judges `sentences` on `response` with the active profile's model (those not judged yet),
/// one call each or all in one (`batch`), and caches the verdicts in [`LlmState::judgements`].
/// Every outcome, including why nothing was sent (`nothing` when there is nothing to judge), is
/// one sentence given to `report`. The verify panel and the quiz's free-text guesses both judge
/// through here.
pub fn judge(
    llm: LlmState,
    response: &str,
    mut todo: Vec<String>,
    batch: bool,
    nothing: &str,
    report: impl Fn(String) + 'static,
) {
    if llm.judging.with_untracked(Option::is_some) {
        return;
    }
    let Some(profile) = untrack(|| llm.profile()) else {
        report("Cannot judge: no model is set up (Model settings).".to_owned());
        return;
    };
    let problems = crab_llm::request::problems(&profile.settings);
    if !problems.is_empty() {
        report(format!("Cannot judge: {} (Model settings)", problems.join(" ")));
        return;
    }
    if response.trim().is_empty() {
        report("Nothing to judge: the response is empty.".to_owned());
        return;
    }
    let response = response.to_owned();
    let model = profile.settings.model.clone();
    todo.dedup();
    let done = llm.judgements.with_untracked(|j| {
        todo.iter().filter(|t| j.contains_key(&key(&model, &response, t))).count()
    });
    todo.retain(|t| llm.judgements.with_untracked(|j| !j.contains_key(&key(&model, &response, t))));
    if todo.is_empty() {
        report(if done == 0 {
            nothing.to_owned()
        } else {
            "Every constraint is judged for this response already.".to_owned()
        });
        return;
    }
    let mut settings = profile.settings.clone();
    settings.temperature = Some(protocol::TEMPERATURE);
    settings.top_p = None;
    settings.response_format = ResponseFormat::None;
    let secrets = untrack(|| llm.active_secrets());
    let groups: Vec<Vec<String>> =
        if batch { vec![todo.clone()] } else { todo.iter().map(|t| vec![t.clone()]).collect() };
    llm.judging.set(Some(format!("Judging {} constraint(s)…", todo.len())));
    leptos::task::spawn_local(async move {
        let mut results: BTreeMap<String, Judged> = BTreeMap::new();
        for group in groups {
            let refs: Vec<&str> = group.iter().map(String::as_str).collect();
            let mut messages = protocol::messages(&response, &refs);
            let mut verdict: Result<Vec<protocol::Verdict>, String> = Err("not asked".to_owned());
            for _ in 0..=protocol::RETRIES {
                let handle = match client::Handle::new() {
                    Ok(h) => h,
                    Err(e) => {
                        verdict = Err(e);
                        break;
                    }
                };
                let progress = Progress { answer: &|_| {}, retrying: &|_, _| {} };
                match client::chat(&settings, &secrets, &messages, &handle, &progress).await {
                    Outcome::Done(answer) => {
                        let text = answer.text().to_owned();
                        verdict = protocol::parse(&text, group.len());
                        if verdict.is_ok() {
                            break;
                        }
                        messages = protocol::retry_messages(&messages, &text, group.len());
                    }
                    Outcome::Stopped(_) => {
                        verdict = Err("stopped".to_owned());
                        break;
                    }
                    Outcome::Failed(e, _) => {
                        verdict = Err(e.describe());
                        break;
                    }
                }
            }
            match verdict {
                Ok(list) => {
                    for (t, v) in group.iter().zip(list) {
                        results.insert(
                            key(&model, &response, t),
                            Judged::Verdict { holds: v.holds, reason: v.reason },
                        );
                    }
                }
                Err(e) => {
                    for t in &group {
                        results.insert(key(&model, &response, t), Judged::Failed(e.clone()));
                    }
                }
            }
        }
        let failed = results.values().filter(|j| matches!(j, Judged::Failed(_))).count();
        let n = results.len();
        let _ = llm.judgements.try_update(|j| j.extend(results));
        let _ = llm.judging.try_set(None);
        report(if failed == 0 {
            format!("Judged {n} constraint(s) with {model}.")
        } else {
            format!("Judged {n} constraint(s) with {model}; {failed} without a readable verdict.")
        });
    });
}
