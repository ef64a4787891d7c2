//! The session: everything a person has typed and chosen, as one serialisable value, and the
//! reactive state the components share.
//!
//! [`Session`] is the unit of persistence, export/import and share links, so it is plain data with
//! a schema version ([`SCHEMA_VERSION`]); [`crate::storage`] migrates older versions. [`AppState`]
//! holds one signal per part of the session (so that typing in the response does not re-render
//! the compose settings) and is provided in context by the shell. [`Verification`] is the one
//! place the app asks the library for verdicts: a memo over the response, the constraints and the
//! language data, shared by every component that shows a verdict.

use std::collections::BTreeMap;

use crab_constraints::backtranslate::{Requirement, Source, TextConstraint};
use crab_constraints::checks::Status;
use crab_constraints::checks::{Constraint, SpecError};
use crab_constraints::ifeval::{self, Detailed};
use crab_constraints::text::word_tokenize::SentenceMemo;
use crab_constraints::text::{Resource, Resources};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::assets::AssetState;
use crate::debounce::Debounced;
use crate::lang::Lang;
use crate::tagger::Tagger;

/// The version of [`Session`]'s JSON shape. Bump it when the shape changes, and teach
/// [`crate::storage::migrate`] the step from the previous one.
pub const SCHEMA_VERSION: u32 = 2;

/// One constraint as the user configured it: an id and IFEval kwargs. Kept as given (not as a
/// typed [`Constraint`]) so that a half-edited, invalid parameter is never lost: it shows as an
/// error until it is fixed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConstraintSpec {
    /// The check id, e.g. `punctuation:no_comma`.
    pub id: String,
    /// IFEval kwargs (Google's names and types).
    #[serde(default)]
    pub kwargs: Map<String, Value>,
}

impl ConstraintSpec {
    /// The spec of a typed constraint.
    pub fn from_constraint(c: &Constraint) -> ConstraintSpec {
        ConstraintSpec { id: c.id().to_owned(), kwargs: c.kwargs() }
    }

    /// The spec of a composed requirement (a text constraint's kwargs are `{"text": …}`).
    pub fn from_requirement(r: &Requirement) -> ConstraintSpec {
        ConstraintSpec { id: r.id(), kwargs: r.kwargs() }
    }

    /// The text constraint this spec is (`llm:<type>` with a `text`), if it is one.
    pub fn text(&self) -> Option<TextConstraint> {
        let kind = self.id.strip_prefix("llm:")?;
        let text = self.kwargs.get("text").and_then(Value::as_str).unwrap_or("");
        Some(TextConstraint::new(kind, text, Source::Person))
    }

    /// The typed constraint, or the library's message about what is wrong with the parameters.
    pub fn build(&self) -> Result<Constraint, SpecError> {
        Constraint::from_ifeval(&self.id, &Value::Object(self.kwargs.clone()))
    }
}

/// How the back-translate panel composes (CRAB's combination step); see
/// `crab_constraints::backtranslate::ComposeOptions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComposeSettings {
    /// The seed of derivation and composition; "re-roll" changes it.
    pub seed: u64,
    /// At least this many constraints.
    pub min: Option<usize>,
    /// At most this many constraints.
    pub max: Option<usize>,
    /// A fixed connector (`Connector::as_str`), or random.
    pub connector: Option<String>,
    /// A fixed template (`Template::as_str`), or random.
    pub template: Option<String>,
    /// Only IFEval's own checks.
    pub ifeval_only: bool,
    /// Priority weights by check id or family.
    pub weights: BTreeMap<String, f64>,
    /// Derived constraints the user unticked, by their
    /// `crab_constraints::backtranslate::constraint_key`.
    pub excluded: Vec<String>,
    /// The key of the exported records: empty for the seed, else a number or text (see
    /// `crate::backtranslate::export_key`).
    pub key: String,
}

impl Default for ComposeSettings {
    fn default() -> Self {
        ComposeSettings {
            seed: 1,
            min: None,
            max: None,
            connector: None,
            template: None,
            ifeval_only: false,
            weights: BTreeMap::new(),
            excluded: Vec::new(),
            key: String::new(),
        }
    }
}

/// A new session id.
pub fn new_session_id() -> String {
    format!("s-{:x}", random_seed())
}

/// A random seed below 2^53, so that it survives any JSON reader (re-roll, a new quiz round).
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// The colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the operating system (`prefers-color-scheme`).
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// The value of `data-theme` on the document element.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The tool panel beside the editors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    /// Constraints and their live verdicts.
    #[default]
    Verify,
    /// Derived constraints and the composed instruction.
    Backtranslate,
    /// The examples gallery.
    Examples,
    /// The quiz.
    Quiz,
    /// Whole files evaluated (the `crab-batch` bundle, loaded on first show).
    Batch,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 5] =
        [Tab::Verify, Tab::Backtranslate, Tab::Examples, Tab::Quiz, Tab::Batch];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Verify => "Verify",
            Tab::Backtranslate => "Back-translate",
            Tab::Examples => "Examples",
            Tab::Quiz => "Quiz",
            Tab::Batch => "Batch",
        }
    }

    /// A stable slug for ids and test ids.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Verify => "verify",
            Tab::Backtranslate => "backtranslate",
            Tab::Examples => "examples",
            Tab::Quiz => "quiz",
            Tab::Batch => "batch",
        }
    }
}

/// Everything persisted, exported, imported and shared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    /// [`SCHEMA_VERSION`] when written by this version of the app.
    pub version: u32,
    /// A random id, which the model attempts of this session (kept on the device, never in the
    /// session itself) refer to.
    pub id: String,
    /// The instruction (prompt) the response answers.
    pub instruction: String,
    /// The response being verified.
    pub response: String,
    /// The constraints being verified, in order.
    pub constraints: Vec<ConstraintSpec>,
    /// Back-translation settings.
    pub compose: ComposeSettings,
    /// The colour theme.
    pub theme: Theme,
    /// The open tool panel.
    pub tab: Tab,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            version: SCHEMA_VERSION,
            id: new_session_id(),
            instruction: String::new(),
            response: String::new(),
            constraints: Vec::new(),
            compose: ComposeSettings::default(),
            theme: Theme::default(),
            tab: Tab::default(),
        }
    }
}

impl Session {
    /// The bytes of text it holds (instruction and response): what makes saving it slow.
    pub fn text_len(&self) -> usize {
        self.instruction.len() + self.response.len()
    }
}

/// A message for the person, shown in the status area until dismissed or replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Warnings are things that went wrong; infos confirm an action.
    pub warning: bool,
    /// The text.
    pub text: String,
}

/// The reactive session and the app-wide services, provided in context by the shell. Cheap to
/// copy: every field is a signal handle.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The session's id.
    pub session_id: RwSignal<String>,
    /// The instruction text.
    pub instruction: RwSignal<String>,
    /// The response text.
    pub response: RwSignal<String>,
    /// The constraints being verified.
    pub constraints: RwSignal<Vec<ConstraintSpec>>,
    /// Back-translation settings.
    pub compose: RwSignal<ComposeSettings>,
    /// The colour theme.
    pub theme: RwSignal<Theme>,
    /// The open tool panel.
    pub tab: RwSignal<Tab>,
    /// The constraint whose evidence is highlighted in the response (index into `constraints`).
    pub selected: RwSignal<Option<usize>>,
    /// Evidence to highlight that does not come from a listed constraint (a derived constraint,
    /// an imported CRAB record): byte spans into the response. Wins over `selected` when set.
    pub highlight: RwSignal<Option<Vec<crab_constraints::text::Span>>>,
    /// The current status message.
    pub notice: RwSignal<Option<Notice>>,
    /// The language-detection data, fetched on first need.
    pub lang: Lang,
    /// The part-of-speech tagger's model, fetched on first need.
    pub tagger: Tagger,
}

impl AppState {
    /// Signals holding `session`.
    pub fn new(session: Session, lang: Lang) -> AppState {
        AppState {
            session_id: RwSignal::new(session.id),
            instruction: RwSignal::new(session.instruction),
            response: RwSignal::new(session.response),
            constraints: RwSignal::new(session.constraints),
            compose: RwSignal::new(session.compose),
            theme: RwSignal::new(session.theme),
            tab: RwSignal::new(session.tab),
            selected: RwSignal::new(None),
            highlight: RwSignal::new(None),
            notice: RwSignal::new(None),
            lang,
            tagger: Tagger::new(),
        }
    }

    /// The fetched data the library's checks may need, as far as it has arrived (a tracked
    /// read: a memo that calls it runs again when more arrives).
    pub fn resources(&self) -> Resources<'static> {
        Resources { language: self.lang.detector(), tagger: self.tagger.tagger() }
    }

    /// Starts fetching whatever data `constraints` need and is not loaded yet.
    pub fn request_resources<'c>(&self, constraints: impl IntoIterator<Item = &'c Constraint>) {
        for c in constraints {
            for resource in c.needs() {
                match resource {
                    Resource::Language => self.lang.request(),
                    Resource::Tagger => self.tagger.request(),
                }
            }
        }
    }

    /// Why `resource` is missing when its fetch failed (the message for the user), else `None`.
    /// A tracked read.
    pub fn resource_failure(&self, resource: Resource) -> Option<String> {
        let state = match resource {
            Resource::Language => self.lang.state(),
            Resource::Tagger => self.tagger.state(),
        };
        match state {
            AssetState::Failed(message) => Some(message),
            _ => None,
        }
    }

    /// The state from context (the shell provides it; components are always under the shell).
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// The current session (tracked: an effect calling this re-runs on any change).
    pub fn snapshot(&self) -> Session {
        Session {
            version: SCHEMA_VERSION,
            id: self.session_id.get(),
            instruction: self.instruction.get(),
            response: self.response.get(),
            constraints: self.constraints.get(),
            compose: self.compose.get(),
            theme: self.theme.get(),
            tab: self.tab.get(),
        }
    }

    /// The current session, read without tracking (for event handlers and timers).
    pub fn snapshot_untracked(&self) -> Session {
        Session {
            version: SCHEMA_VERSION,
            id: self.session_id.get_untracked(),
            instruction: self.instruction.get_untracked(),
            response: self.response.get_untracked(),
            constraints: self.constraints.get_untracked(),
            compose: self.compose.get_untracked(),
            theme: self.theme.get_untracked(),
            tab: self.tab.get_untracked(),
        }
    }

    /// Replaces the whole session (import, share link, gallery).
    pub fn apply(&self, session: Session) {
        self.selected.set(None);
        self.highlight.set(None);
        self.session_id.set(session.id);
        self.instruction.set(session.instruction);
        self.response.set(session.response);
        self.constraints.set(session.constraints);
        self.compose.set(session.compose);
        self.theme.set(session.theme);
        self.tab.set(session.tab);
    }

    /// Shows an informational message.
    pub fn info(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { warning: false, text: text.into() }));
    }

    /// Shows a warning.
    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice { warning: true, text: text.into() }));
    }

    /// Adds a constraint to the verify list and selects it.
    pub fn add_constraint(&self, spec: ConstraintSpec) {
        let mut index = 0;
        self.constraints.update(|list| {
            list.push(spec);
            index = list.len() - 1;
        });
        self.selected.set(Some(index));
        self.highlight.set(None);
    }
}

/// One listed constraint's outcome on the current response.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The parameters do not make a constraint; the library's message.
    Invalid(String),
    /// The strict verdict (detail, evidence) and loose result.
    Checked(Detailed),
    /// A constraint no rule checks (`llm:<type>`): a judge decides it (see `crate::llm::judge`).
    Text(TextConstraint),
}

/// One listed constraint, built.
#[derive(Clone, Debug, PartialEq)]
enum Built {
    Check(Constraint),
    Text(TextConstraint),
    Invalid(String),
}

/// Responses up to this many bytes get their loose results on every keystroke; longer ones once
/// typing pauses for [`LOOSE_DELAY_MS`], so that the strict verdicts of a 10,000-word response
/// stay within a frame (loose mode re-analyses up to 7 more variants of the text).
pub const LOOSE_IMMEDIATE_BYTES: usize = 16_000;
/// The typing pause after which loose results of a long response are brought up to date.
pub const LOOSE_DELAY_MS: u64 = 250;

/// `response` itself while it is at most `immediate_bytes` long; a longer text as of the last
/// pause of `delay_ms` in its changes. Work too slow for every keystroke on a long response
/// (loose verification, back-translation) follows this instead of the response, so that typing
/// stays smooth and the result catches up as soon as the person pauses.
pub fn settled_response(
    response: RwSignal<String>,
    immediate_bytes: usize,
    delay_ms: u64,
) -> Memo<String> {
    let paused = RwSignal::new(response.get_untracked());
    Debounced::new(
        move || response.with(String::len),
        immediate_bytes,
        std::time::Duration::from_millis(delay_ms),
        move || paused.set(response.get_untracked()),
    );
    Memo::new(move |_| {
        let text = response.get();
        if text.len() > immediate_bytes {
            paused.get()
        } else {
            text
        }
    })
}

/// A pending verdict waits for fetched data; when that fetch has failed, its detail says so
/// instead of "not loaded yet" (the verdict stays pending: nothing was decided).
fn explain_failed_loads(state: AppState, constraints: &[Constraint], checked: &mut [Detailed]) {
    for (c, d) in constraints.iter().zip(checked.iter_mut()) {
        if d.strict.status == Status::Pending {
            if let Some(why) = c.needs().iter().find_map(|&r| state.resource_failure(r)) {
                d.strict.detail = why;
            }
        }
    }
}

/// The verdicts of the session's constraints on its response, recomputed when either changes or
/// when fetched data (language profiles, tagger model) arrives. Provided in context by the shell.
#[derive(Clone, Copy)]
pub struct Verification {
    /// One outcome per entry of [`AppState::constraints`], in order. While
    /// [`Verification::loose_pending`] is true, each loose result is provisional (the strict one).
    pub outcomes: Memo<Vec<Outcome>>,
    /// Whether the loose results lag behind the text (a long response being typed).
    pub loose_pending: Memo<bool>,
}

impl Verification {
    /// Verification of `state`'s constraints. Asks for fetched data (language profiles, the
    /// tagger's model) as soon as a listed constraint needs it.
    pub fn new(state: AppState) -> Verification {
        let built = Memo::new(move |_| {
            state.constraints.with(|specs| {
                specs
                    .iter()
                    .map(|s| match (s.text(), s.build()) {
                        (Some(t), _) => Built::Text(t),
                        (None, Ok(c)) => Built::Check(c),
                        (None, Err(e)) => Built::Invalid(e.to_string()),
                    })
                    .collect::<Vec<_>>()
            })
        });
        let checks = |built: &[Built]| -> Vec<Constraint> {
            built
                .iter()
                .filter_map(|b| match b {
                    Built::Check(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        };
        Effect::new(move |_| built.with(|b| state.request_resources(&checks(b))));
        let valid = Memo::new(move |_| built.with(|b| checks(b)));

        // The text loose mode has caught up with: the response itself when short, else the
        // response as of the last typing pause.
        let settled = settled_response(state.response, LOOSE_IMMEDIATE_BYTES, LOOSE_DELAY_MS);
        let loose_pending = Memo::new(move |_| settled.with(|s| state.response.with(|r| r != s)));
        // The tokens of the sentences a keystroke did not touch, kept from one text to the next.
        let sentences = StoredValue::new_local(SentenceMemo::default());
        // One library call per change: each strict verdict is computed once, on one analysis,
        // and the loose results (when the text has settled) are decided from them.
        let outcomes = Memo::new(move |_| {
            // Re-verify when fetched data arrives (tracked reads).
            let resources = state.resources();
            let loose = !loose_pending.get();
            let mut checked = state.response.with(|text| {
                valid.with(|valid| {
                    let mut checked = sentences.with_value(|memo| {
                        ifeval::verify_live_memo(valid, text, loose, resources, memo)
                    });
                    explain_failed_loads(state, valid, &mut checked);
                    checked
                })
            });
            let mut checked = checked.drain(..);
            built.with(|built| {
                built
                    .iter()
                    .map(|b| match b {
                        Built::Check(_) => checked.next().map_or_else(
                            || Outcome::Invalid("not verified".to_owned()),
                            Outcome::Checked,
                        ),
                        Built::Text(t) => Outcome::Text(t.clone()),
                        Built::Invalid(e) => Outcome::Invalid(e.clone()),
                    })
                    .collect()
            })
        });
        Verification { outcomes, loose_pending }
    }

    /// The verification from context.
    pub fn get() -> Verification {
        expect_context::<Verification>()
    }
}
