//! Bring your own model: endpoint profiles, generation into the response editor with live
//! verification, "fix it", and the attempts kept for each session.
//!
//! The protocol (request bodies, SSE, errors, prompts, retries, diagnosis) is `crab-llm`'s and
//! verification is `crab-constraints`'; this module holds the state and does the IO:
//!
//! - [`LlmState`], provided in context by the shell: the profiles (from IndexedDB), the active
//!   one's secrets (in memory only, unless the person ticks "remember on this device"), the run
//!   in progress and the session's attempts.
//! - [`client`]: `fetch`, streaming, cancellation, timers, "Test connection".
//! - [`idb`]: the IndexedDB store of profiles and attempts.
//! - [`settings`]: the endpoint settings dialog; [`generate`]: the Generate bar and attempts;
//!   [`judge`]: the LLM judge of the verify panel; [`backtranslate`]: CRAB's LLM back-translation.
//!
//! **Secrets** (the API key, extra header values) never enter the session, share links,
//! exports, `localStorage`, the URL, console output or error messages: they live in
//! [`LlmState::secrets`] and, only when asked, in the profile's IndexedDB record.

pub mod backtranslate;
pub mod client;
pub mod generate;
pub mod idb;
pub mod judge;
pub mod settings;

use std::collections::BTreeMap;

use crab_llm::request::{Secrets, Settings};
use crab_llm::usage::Stats;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use idb::Db;

/// The `localStorage` key of the active profile's id (not a secret).
const ACTIVE_KEY: &str = "crab-playground/llm-active-profile";

/// A named endpoint configuration, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// A stable id.
    pub id: String,
    /// The name shown.
    pub name: String,
    /// Everything but the secrets.
    pub settings: Settings,
    /// Whether the secrets are kept on this device (in this record).
    #[serde(default)]
    pub remember: bool,
    /// The secrets, only when `remember` is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Secrets>,
}

impl Profile {
    /// A new profile named `name`.
    pub fn new(name: &str) -> Profile {
        Profile {
            id: new_id("profile"),
            name: name.to_owned(),
            settings: Settings::default(),
            remember: false,
            secrets: None,
        }
    }
}

/// A short random id with a prefix.
pub fn new_id(prefix: &str) -> String {
    let n = (js_sys::Math::random() * 1e15) as u64;
    format!("{prefix}-{n:x}")
}

/// Where the current run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing running.
    Idle,
    /// Sent; waiting for the first byte.
    Waiting,
    /// Waiting before a retry; the message says why.
    Retrying(String),
    /// The answer is arriving.
    Streaming,
    /// Finished.
    Done,
    /// Stopped by the person; what arrived is kept.
    Stopped,
    /// Failed; the message is for the person.
    Failed(String),
}

impl Phase {
    /// Whether a request is in flight.
    pub fn running(&self) -> bool {
        matches!(self, Phase::Waiting | Phase::Retrying(_) | Phase::Streaming)
    }
}

/// What a run is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Answering the instruction.
    Generate,
    /// Repairing the violated constraints.
    Fix,
}

/// The verdicts of an answer when it was complete.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Constraints that could be checked.
    pub total: usize,
    /// How many hold strictly.
    pub strict: usize,
    /// How many hold loosely.
    pub loose: usize,
    /// The ids of those that do not hold (strict).
    pub broken: Vec<String>,
}

impl Summary {
    /// "3 of 5 constraints hold (strict), 4 of 5 loose; not held: a, b".
    pub fn describe(&self) -> String {
        if self.total == 0 {
            return "No constraints to verify: add some in Verify.".to_owned();
        }
        let mut s = format!(
            "{} of {} constraints hold (strict), {} of {} loose",
            self.strict, self.total, self.loose, self.total
        );
        if !self.broken.is_empty() {
            s.push_str(&format!("; not held: {}", self.broken.join(", ")));
        }
        s
    }
}

/// One generation, kept per session in IndexedDB (never in share links).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// A stable id.
    pub id: String,
    /// The session it belongs to.
    pub session: String,
    /// Generate or fix.
    pub kind: Kind,
    /// When it started (`Date.now()`, ms).
    pub time: f64,
    /// The profile's name.
    pub profile: String,
    /// The settings used (never the secrets).
    pub settings: Settings,
    /// The instruction sent.
    pub instruction: String,
    /// The answer (without reasoning).
    pub response: String,
    /// The reasoning shown apart.
    #[serde(default)]
    pub reasoning: String,
    /// How it ended: done, stopped, or the error.
    pub outcome: String,
    /// Its verdicts.
    pub summary: Summary,
    /// Time and tokens.
    pub stats: Option<Stats>,
}

/// The run in progress (or the last one).
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Generate or fix.
    pub kind: Kind,
    /// Where it stands.
    pub phase: Phase,
    /// The reasoning so far.
    pub reasoning: String,
    /// Whether the model is thinking (reasoning arrived, no answer yet).
    pub thinking: bool,
    /// Time and tokens, when known.
    pub stats: Option<Stats>,
    /// Verdicts at the end.
    pub summary: Option<Summary>,
    /// The JSON format check, when a format was asked for.
    pub format_check: Option<Result<(), String>>,
    /// Notes (a cut stream, ignored events).
    pub warnings: Vec<String>,
}

impl Default for Run {
    fn default() -> Run {
        Run {
            kind: Kind::Generate,
            phase: Phase::Idle,
            reasoning: String::new(),
            thinking: false,
            stats: None,
            summary: None,
            format_check: None,
            warnings: Vec::new(),
        }
    }
}

/// The model side of the app, provided in context by the shell. Cheap to copy.
#[derive(Clone, Copy)]
pub struct LlmState {
    /// The profiles, in creation order.
    pub profiles: RwSignal<Vec<Profile>>,
    /// The active profile's id.
    pub active: RwSignal<String>,
    /// Secrets by profile id, in memory.
    pub secrets: RwSignal<BTreeMap<String, Secrets>>,
    /// Whether the profiles have been read from storage.
    pub loaded: RwSignal<bool>,
    /// The run in progress, or the last one.
    pub run: RwSignal<Run>,
    /// The response before the last generation replaced it (one step of undo).
    pub previous: RwSignal<Option<String>>,
    /// The attempts of every session on this device (the bar lists the current session's).
    pub attempts: RwSignal<Vec<Attempt>>,
    /// Whether the settings dialog is open.
    pub settings_open: RwSignal<bool>,
    /// The judge's cached verdicts, by `judge::key` (constraint, response, model).
    pub judgements: RwSignal<BTreeMap<String, judge::Judged>>,
    /// What the judge is doing, while it runs.
    pub judging: RwSignal<Option<String>>,
    /// The judge's last message.
    pub judge_status: RwSignal<String>,
    /// How to judge.
    pub judge_options: RwSignal<judge::JudgeOptions>,
    /// The last LLM back-translation (CRAB's LLM step) of the back-translate panel.
    pub bt_run: RwSignal<Option<backtranslate::BtRun>>,
    /// Its settings.
    pub bt_options: RwSignal<backtranslate::BtOptions>,
    handle: StoredValue<Option<client::Handle>, LocalStorage>,
    db: StoredValue<Option<Db>, LocalStorage>,
}

impl LlmState {
    /// The state, with profiles and attempts being loaded from IndexedDB.
    pub fn new(state: AppState) -> LlmState {
        let this = LlmState {
            profiles: RwSignal::new(Vec::new()),
            active: RwSignal::new(crate::storage::load(ACTIVE_KEY).unwrap_or_default()),
            secrets: RwSignal::new(BTreeMap::new()),
            loaded: RwSignal::new(false),
            run: RwSignal::new(Run::default()),
            previous: RwSignal::new(None),
            attempts: RwSignal::new(Vec::new()),
            settings_open: RwSignal::new(false),
            judgements: RwSignal::new(BTreeMap::new()),
            judging: RwSignal::new(None),
            judge_status: RwSignal::new(String::new()),
            judge_options: RwSignal::new(judge::JudgeOptions::default()),
            bt_run: RwSignal::new(None),
            bt_options: RwSignal::new(backtranslate::BtOptions::default()),
            handle: StoredValue::new_local(None),
            db: StoredValue::new_local(None),
        };
        leptos::task::spawn_local(async move {
            let (profiles, attempts) = match Db::open().await {
                Ok(db) => {
                    let profiles = db.all::<Profile>(idb::PROFILES).await;
                    let attempts = db.all::<Attempt>(idb::ATTEMPTS).await;
                    this.db.set_value(Some(db));
                    (profiles, attempts)
                }
                Err(e) => (Err(e.clone()), Err(e)),
            };
            let mut profiles = profiles.unwrap_or_else(|e| {
                state.warn(format!(
                    "Endpoint profiles could not be read ({e}): they will not be kept."
                ));
                Vec::new()
            });
            let mut attempts = attempts.unwrap_or_default();
            attempts.sort_by(|a, b| a.time.total_cmp(&b.time));
            if profiles.is_empty() {
                profiles.push(Profile::new("Default"));
            }
            let mut secrets = BTreeMap::new();
            for p in &profiles {
                if let Some(s) = &p.secrets {
                    secrets.insert(p.id.clone(), s.clone());
                }
            }
            let active = this.active.get_untracked();
            if !profiles.iter().any(|p| p.id == active) {
                this.active.set(profiles.first().map(|p| p.id.clone()).unwrap_or_default());
            }
            this.secrets.set(secrets);
            this.profiles.set(profiles);
            this.attempts.set(attempts);
            this.loaded.set(true);
        });
        this
    }

    /// The state from context.
    pub fn get() -> LlmState {
        expect_context::<LlmState>()
    }

    /// The active profile (tracked).
    pub fn profile(&self) -> Option<Profile> {
        let active = self.active.get();
        self.profiles.with(|ps| ps.iter().find(|p| p.id == active).cloned())
    }

    /// The active profile's secrets (tracked).
    pub fn active_secrets(&self) -> Secrets {
        let active = self.active.get();
        self.secrets.with(|s| s.get(&active).cloned().unwrap_or_default())
    }

    /// Whether a request is in flight (tracked).
    pub fn running(&self) -> bool {
        self.run.with(|r| r.phase.running())
    }

    /// Makes `id` the active profile.
    pub fn activate(&self, id: &str) {
        self.active.set(id.to_owned());
        let _ = crate::storage::save(ACTIVE_KEY, id);
    }

    /// Replaces (or adds) `profile` and stores it; `secrets` are kept in memory, and in the
    /// stored record only when the profile says `remember`. Storage failures are reported to
    /// `state`; the in-memory profile stays.
    pub fn save_profile(&self, state: AppState, mut profile: Profile, secrets: Secrets) {
        self.secrets.update(|s| {
            s.insert(profile.id.clone(), secrets.clone());
        });
        profile.secrets = profile.remember.then_some(secrets);
        self.profiles.update(|ps| match ps.iter_mut().find(|p| p.id == profile.id) {
            Some(p) => *p = profile.clone(),
            None => ps.push(profile.clone()),
        });
        self.store(state, move |db| async move { db.put(idb::PROFILES, &profile).await });
    }

    /// Deletes the profile `id` (the last one left is kept).
    pub fn delete_profile(&self, state: AppState, id: &str) {
        if self.profiles.with_untracked(Vec::len) <= 1 {
            return;
        }
        self.profiles.update(|ps| ps.retain(|p| p.id != id));
        self.secrets.update(|s| {
            s.remove(id);
        });
        if self.active.get_untracked() == id {
            if let Some(first) = self.profiles.with_untracked(|ps| ps.first().map(|p| p.id.clone()))
            {
                self.activate(&first);
            }
        }
        let id = id.to_owned();
        self.store(state, move |db| async move { db.delete(idb::PROFILES, &id).await });
    }

    /// Keeps `attempt` (in memory at once, then in IndexedDB).
    fn keep_attempt(&self, state: AppState, attempt: Attempt) {
        self.attempts.update(|a| a.push(attempt.clone()));
        self.store(state, move |db| async move {
            db.put(idb::ATTEMPTS, &attempt)
                .await
                .map_err(|e| format!("{e}; the attempt stays in this tab until it is closed"))
        });
    }

    /// Deletes an attempt.
    pub fn delete_attempt(&self, state: AppState, id: &str) {
        self.attempts.update(|a| a.retain(|x| x.id != id));
        let id = id.to_owned();
        self.store(state, move |db| async move { db.delete(idb::ATTEMPTS, &id).await });
    }

    /// Runs a storage write; a failure is a warning for the person.
    fn store<F, Fut>(&self, state: AppState, write: F)
    where
        F: FnOnce(Db) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<(), String>> + 'static,
    {
        let Some(db) = self.db.get_value() else {
            state.warn("Browser storage (IndexedDB) is not available: profiles and attempts are kept in this tab only.");
            return;
        };
        leptos::task::spawn_local(async move {
            if let Err(e) = write(db).await {
                state.warn(format!("Could not save to browser storage: {e}."));
            }
        });
    }

    /// Stops the request in flight, keeping what arrived.
    pub fn stop(&self) {
        if let Some(h) = self.handle.get_value() {
            h.stop();
        }
    }
}
