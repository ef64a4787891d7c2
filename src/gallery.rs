//! The examples gallery: (instruction, response) pairs written for the project, together
//! covering every check family, each with constraints and their expected strict verdicts.
//!
//! The examples are data (`src/gallery/examples.json`), not code, so that the same file feeds
//! the gallery, the quiz's pool of responses and the tests that check every expected verdict
//! against the library (`tests/browser_learn.rs` in the browser,
//! `crates/crab-constraints/tests/gallery_examples.rs` natively). The page fetches it
//! (`examples.json` next to the page, an [`Asset`] like the language data) when the Examples or
//! Quiz tab is first shown: compiled in, it cost 4.1 KB gzip of the first load, which the
//! default Verify experience never uses. A malformed file is caught by those tests; at run time
//! it, or a failed fetch, shows a message instead of the cards.
//!
//! Opening an example replaces the session's instruction, response and constraints; over a
//! session with text or constraints in it the card first asks, inline, for confirmation.

use std::sync::OnceLock;

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::assets::{Asset, AssetState, Kind};
use crate::state::{AppState, ConstraintSpec, Tab};

/// The examples file's name next to the page (Trunk copies `src/gallery/examples.json` there).
pub const EXAMPLES_FILE: &str = "examples.json";

/// The examples, once some handle has loaded them.
static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();

/// The examples file as an [`Asset`].
static KIND: Kind<Vec<Example>> = Kind {
    file: EXAMPLES_FILE,
    what: "the examples",
    parse: |bytes| parse_examples(&String::from_utf8_lossy(bytes)),
    cell: &EXAMPLES,
};

/// The examples' handle: fetched on first [`Asset::request`], then kept for the page.
pub type Examples = Asset<Vec<Example>>;

/// One gallery example.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// A stable slug, for test ids.
    pub id: String,
    /// The card's title.
    pub title: String,
    /// One line saying what the example shows.
    pub teaser: String,
    /// The instruction (prompt).
    pub instruction: String,
    /// The response.
    pub response: String,
    /// The constraints, with their expected verdicts.
    pub constraints: Vec<ExampleConstraint>,
}

/// A constraint of an example, with its expected strict verdict and why.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleConstraint {
    /// The check id.
    pub id: String,
    /// IFEval kwargs.
    #[serde(default)]
    pub kwargs: Map<String, Value>,
    /// The strict verdict the library gives on the example's response.
    pub expected: Expected,
    /// One line for learners: why it holds or not.
    pub why: String,
}

/// An expected strict verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expected {
    /// The constraint holds.
    Pass,
    /// It does not.
    Fail,
}

impl Expected {
    /// "holds" or "fails".
    pub fn label(self) -> &'static str {
        match self {
            Expected::Pass => "holds",
            Expected::Fail => "fails",
        }
    }
}

impl ExampleConstraint {
    /// The constraint as the session stores it.
    pub fn spec(&self) -> ConstraintSpec {
        ConstraintSpec { id: self.id.clone(), kwargs: self.kwargs.clone() }
    }
}

impl Example {
    /// The check families its constraints cover, sorted, without duplicates (from the
    /// library's registry; constraints that do not build are left out).
    pub fn families(&self) -> Vec<&'static str> {
        let mut families: Vec<&'static str> = self
            .constraints
            .iter()
            .filter_map(|c| c.spec().build().ok())
            .map(|c| c.info().family())
            .collect();
        families.sort_unstable();
        families.dedup();
        families
    }

    /// Its constraints as the session stores them.
    pub fn specs(&self) -> Vec<ConstraintSpec> {
        self.constraints.iter().map(ExampleConstraint::spec).collect()
    }
}

/// Parses an examples file (a JSON list of examples).
pub fn parse_examples(text: &str) -> Result<Vec<Example>, String> {
    serde_json::from_str(text).map_err(|e| format!("the examples file is malformed: {e}"))
}

/// A handle on the examples, already [`AssetState::Ready`] if this page has loaded them.
pub fn examples() -> Examples {
    Asset::of(&KIND)
}

/// Parses an examples file's bytes and keeps the examples for the rest of the page, as the fetch
/// does (for tests, which have no server to fetch from); the error is for the user.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    KIND.install(bytes)
}

/// Requests the examples and shows `ready` with them once they are here; meanwhile a line that
/// they are loading, or why they could not be loaded. `heading` titles the panel throughout.
pub fn with_examples<V: IntoView + 'static>(
    heading: &'static str,
    ready: impl Fn(&'static [Example]) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let examples = examples();
    examples.request();
    move || match examples.state() {
        AssetState::Ready => match examples.get() {
            Some(list) if !list.is_empty() => ready(list).into_any(),
            _ => view! {
                <h2>{heading}</h2>
                <p class="warning">"The examples file lists no examples."</p>
            }
            .into_any(),
        },
        AssetState::Failed(why) => view! {
            <h2>{heading}</h2>
            <p class="warning" data-testid="gallery-error">{why}</p>
        }
        .into_any(),
        AssetState::Idle | AssetState::Loading => view! {
            <h2>{heading}</h2>
            <p class="learn-intro" role="status" data-testid="gallery-loading">
                "Loading the examples…"
            </p>
        }
        .into_any(),
    }
}

/// Whether the session holds anything that opening an example would lose (text or
/// constraints that differ from the example's).
fn would_lose_work(state: AppState, example: &Example) -> bool {
    let instruction = state.instruction.get_untracked();
    let response = state.response.get_untracked();
    let constraints = state.constraints.get_untracked();
    let empty =
        instruction.trim().is_empty() && response.trim().is_empty() && constraints.is_empty();
    let same = instruction == example.instruction
        && response == example.response
        && constraints == example.specs();
    !empty && !same
}

/// Loads `example` into the session and shows the Verify tab.
fn open(state: AppState, example: &Example) {
    state.selected.set(None);
    state.highlight.set(None);
    state.instruction.set(example.instruction.clone());
    state.response.set(example.response.clone());
    state.constraints.set(example.specs());
    state.tab.set(Tab::Verify);
    state.info(format!(
        "Opened the example “{}”: {} constraints to verify.",
        example.title,
        example.constraints.len()
    ));
}

/// Gives the keyboard focus back to a card's Open button (after the confirmation closes).
fn focus_open_button(id: &str) {
    use wasm_bindgen::JsCast;
    let button =
        document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}

/// The gallery panel: one card per example.
#[component]
pub fn GalleryPanel() -> impl IntoView {
    with_examples("Examples", |examples| view! { <Gallery examples /> })
}

/// The cards, once the examples are here.
#[component]
fn Gallery(
    /// The examples.
    examples: &'static [Example],
) -> impl IntoView {
    // The example waiting for confirmation before it replaces the session.
    let confirming = RwSignal::new(None::<usize>);
    view! {
        <h2>"Examples"</h2>
        <p class="learn-intro">
            "Instructions and responses written to show how each kind of check decides. Open one to
            load it into the editors with its constraints, then watch each verdict (and its
            evidence) in the Verify tab."
        </p>
        <ul class="example-grid" data-testid="gallery">
            {examples
                .iter()
                .enumerate()
                .map(|(i, example)| view! { <ExampleCard index=i example=example confirming /> })
                .collect_view()}
        </ul>
    }
}

/// One example's card.
#[component]
fn ExampleCard(
    /// The example's position in the gallery.
    index: usize,
    /// The example.
    example: &'static Example,
    /// Which card, if any, is asking for confirmation.
    confirming: RwSignal<Option<usize>>,
) -> impl IntoView {
    let state = AppState::get();
    let heading = format!("example-title-{}", example.id);
    let labelled_by = heading.clone();
    let passes = example.constraints.iter().filter(|c| c.expected == Expected::Pass).count();
    let fails = example.constraints.len() - passes;
    let on_open = move |_| {
        if would_lose_work(state, example) {
            confirming.set(Some(index));
        } else {
            open(state, example);
        }
    };
    let open_id_attr = format!("example-open-{}", example.id);
    let replace_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = replace_button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <li class="example-card" data-testid="example-card" data-example=example.id.clone()>
            <article aria-labelledby=labelled_by>
                <h3 id=heading>{example.title.clone()}</h3>
                <ul class="family-chips" aria-label="Check families">
                    {example
                        .families()
                        .into_iter()
                        .map(|f| view! { <li class="chip">{f}</li> })
                        .collect_view()}
                </ul>
                <p class="teaser">{example.teaser.clone()}</p>
                <p class="example-counts">
                    {format!(
                        "{} constraints: {passes} expected to hold, {fails} to fail",
                        example.constraints.len(),
                    )}
                </p>
                <details class="expected">
                    <summary>"Expected verdicts"</summary>
                    <ul>
                        {example
                            .constraints
                            .iter()
                            .map(|c| {
                                let class = match c.expected {
                                    Expected::Pass => "badge pass",
                                    Expected::Fail => "badge fail",
                                };
                                view! {
                                    <li>
                                        <span class=class>{c.expected.label()}</span>
                                        " "
                                        <code>{c.id.clone()}</code>
                                        <span class="why">{c.why.clone()}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </details>
                <div class="card-actions">
                    <Show
                        when=move || confirming.get() == Some(index)
                        fallback=move || {
                            view! {
                                <button
                                    type="button"
                                    class="primary"
                                    id=open_id_attr.clone()
                                    data-testid="example-open"
                                    aria-label=format!("Open the example “{}”", example.title)
                                    on:click=on_open
                                >
                                    "Open"
                                </button>
                            }
                        }
                    >
                        <div
                            class="confirm"
                            role="group"
                            aria-label="Replace the current session?"
                            data-testid="example-confirm"
                        >
                            <p>
                                "Opening this example replaces your instruction, response and
                                constraints."
                            </p>
                            <button
                                type="button"
                                class="primary"
                                data-testid="example-confirm-replace"
                                node_ref=replace_button
                                on:click=move |_| {
                                    confirming.set(None);
                                    open(state, example);
                                }
                            >
                                "Replace"
                            </button>
                            <button
                                type="button"
                                data-testid="example-confirm-cancel"
                                on:click=move |_| {
                                    confirming.set(None);
                                    // The button is back in the page after the next render.
                                    let id = format!("example-open-{}", example.id);
                                    request_animation_frame(move || focus_open_button(&id));
                                }
                            >
                                "Keep my work"
                            </button>
                        </div>
                    </Show>
                </div>
            </article>
        </li>
    }
}
