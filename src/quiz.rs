//! The quiz: read a response, guess constraints it satisfies, and get each guess graded — holds
//! or not, with the evidence marked in the response, and a tightness score that rewards bounds
//! the response barely meets over vacuous ones.
//!
//! Grading is entirely the library's (`crab_constraints::quiz::grade`: the strict verdict, the
//! tightness found by probing the check, the points); this module keeps the quiz's progress and
//! shows it. The responses come from the examples gallery, in an order shuffled by a seed that is
//! kept with the progress, so a reload (or switching tabs, which re-creates this panel) resumes
//! the same response with the same guesses. Progress lives under its own storage key, apart from
//! the session: the quiz never touches the editors.
//!
//! A guess can also be a sentence in the learner's own words (an `llm:guess` text constraint).
//! No rule checks those: the model set up in Model settings judges them (the verify panel's
//! judge, same cache), and they are shown as judged, apart from the library's points.

use crab_constraints::backtranslate::render;
use crab_constraints::checks::{Constraint, DeriveContext, Status};
use crab_constraints::quiz::{self, Grade, Loosens, Tightness};
use crab_constraints::rng::Rng;
use crab_constraints::text::{Analysis, Span};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::badge;
use crate::catalog::Catalog;
use crate::editor::highlight;
use crate::gallery::{self, Example};
use crate::llm::judge::{self, Judged};
use crate::llm::LlmState;
use crate::state::{random_seed, AppState, ConstraintSpec};
use crate::storage;

/// Where the quiz's progress is saved.
pub const PROGRESS_KEY: &str = "crab-playground/quiz";

/// One guess: a constraint spec with an identity that survives edits and removals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    /// Unique within the progress.
    pub uid: u64,
    /// The guessed constraint.
    pub spec: ConstraintSpec,
}

/// The quiz's saved state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Seeds the order of the responses.
    pub seed: u64,
    /// How far through that order the learner is.
    pub position: usize,
    /// The guesses for the current response.
    pub guesses: Vec<Guess>,
    /// The next guess's uid.
    pub next_uid: u64,
    /// Whether the derived constraints are shown.
    pub revealed: bool,
}

impl Default for Progress {
    fn default() -> Self {
        Progress { seed: 1, position: 0, guesses: Vec::new(), next_uid: 1, revealed: false }
    }
}

impl Progress {
    /// A fresh quiz with a random order.
    fn fresh() -> Progress {
        Progress { seed: random_seed(), ..Progress::default() }
    }

    /// The index into the pool of the current response, for a pool of `len` responses.
    pub fn item(&self, len: usize) -> Option<usize> {
        let mut order: Vec<usize> = (0..len).collect();
        Rng::new(self.seed).shuffle(&mut order);
        order.get(self.position % len.max(1)).copied()
    }

    /// Moves to the next response (a new order after the last one), clearing the guesses.
    fn advance(&mut self, len: usize) {
        self.position += 1;
        if self.position >= len {
            self.position = 0;
            self.seed = random_seed();
        }
        self.guesses.clear();
        self.revealed = false;
    }
}

/// The id of a guess written in the learner's own words.
const FREE_GUESS: &str = "llm:guess";

/// The saved progress, or a fresh quiz (with a message when the saved one cannot be read).
fn load_progress(state: AppState) -> Progress {
    match storage::load(PROGRESS_KEY) {
        None => Progress::fresh(),
        Some(text) => serde_json::from_str(&text).unwrap_or_else(|_| {
            state.warn("The saved quiz could not be read, so a new one has started.");
            Progress::fresh()
        }),
    }
}

/// The parts of `text` in order, each marked or not, for `spans` (merged and checked as the
/// response editor's highlighting does them: [`crate::editor::highlight::usable`]).
pub fn marked_segments(text: &str, spans: &[Span]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for s in highlight::usable(text, spans) {
        if let (Some(before), Some(inside)) = (text.get(at..s.start), text.get(s.start..s.end)) {
            if !before.is_empty() {
                out.push((before.to_owned(), false));
            }
            out.push((inside.to_owned(), true));
            at = s.end;
        }
    }
    if let Some(rest) = text.get(at..) {
        if !rest.is_empty() {
            out.push((rest.to_owned(), false));
        }
    }
    out
}

/// A guess's constraint in words (the library's rendering, with a fixed seed).
fn describe(c: &Constraint) -> String {
    render(c, &mut Rng::new(0))
}

/// "tightest: at least 312" style hints for each bounded parameter.
fn tightness_hint(t: &Tightness) -> String {
    t.params
        .iter()
        .map(|p| match p.loosens {
            Loosens::Pinned => format!("{} {} is pinned by the check", p.name, p.value),
            Loosens::Down | Loosens::Up if p.tightest == p.value => {
                format!("{} {} is the tightest that holds", p.name, p.value)
            }
            Loosens::Down | Loosens::Up => {
                format!("{} {} holds; the tightest is {}", p.name, p.value, p.tightest)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The quiz panel.
#[component]
pub fn QuizPanel() -> impl IntoView {
    gallery::with_examples("Quiz", |pool| view! { <Quiz pool /> })
}

/// The quiz over `pool` (the gallery's responses), once they are here.
#[component]
fn Quiz(
    /// The responses to quiz on (not empty).
    pool: &'static [Example],
) -> impl IntoView {
    let state = AppState::get();
    let progress = RwSignal::new(load_progress(state));
    Effect::new(move |_| {
        let saved = progress.with(|p| serde_json::to_string(p).unwrap_or_default());
        if let Err(msg) = storage::save(PROGRESS_KEY, &saved) {
            state.warn(msg);
        }
    });
    let item = Memo::new(move |_| {
        let index = progress.with(|p| p.item(pool.len())).unwrap_or(0);
        (index, pool.get(index).unwrap_or(&pool[0]))
    });
    let selected = RwSignal::new(None::<u64>);

    let built = Memo::new(move |_| {
        progress.with(|p| {
            p.guesses
                .iter()
                .map(|g| g.spec.build().map_err(|e| e.to_string()))
                .collect::<Vec<Result<Constraint, String>>>()
        })
    });
    Effect::new(move |_| built.with(|b| state.request_resources(b.iter().flatten())));
    let grades = Memo::new(move |_| {
        let resources = state.resources();
        let (_, example) = item.get();
        let text = Analysis::with_resources(&example.response, resources);
        built.with(|built| {
            built
                .iter()
                .map(|b| b.as_ref().map(|c| quiz::grade(c, &text)).map_err(Clone::clone))
                .collect::<Vec<Result<Grade, String>>>()
        })
    });
    let grade_of = move |uid: u64| {
        let index = progress.with(|p| p.guesses.iter().position(|g| g.uid == uid))?;
        grades.with(|g| g.get(index).cloned())
    };
    let total = Memo::new(move |_| grades.with(|g| quiz::total(g.iter().flatten())));
    let stats = Memo::new(move |_| {
        let (_, example) = item.get();
        let text = Analysis::new(&example.response);
        (
            text.words().len(),
            text.tokens().len(),
            text.sentences().len(),
            example.response.chars().count(),
        )
    });

    let add_guess = move |spec: ConstraintSpec| {
        let mut uid = 0;
        progress.update(|p| {
            uid = p.next_uid;
            p.next_uid += 1;
            p.guesses.push(Guess { uid, spec });
        });
        selected.set(Some(uid));
    };
    let llm = LlmState::get();
    let free_text = RwSignal::new(String::new());
    let judge_status = RwSignal::new(String::new());
    let add_free = move || {
        let text = free_text.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        let mut kwargs = serde_json::Map::new();
        kwargs.insert("text".to_owned(), Value::String(text));
        add_guess(ConstraintSpec { id: FREE_GUESS.to_owned(), kwargs });
        free_text.set(String::new());
    };
    let free_guesses = move || {
        progress.with(|p| {
            p.guesses.iter().filter_map(|g| g.spec.text()).map(|t| t.text).collect::<Vec<_>>()
        })
    };
    let judge_free = move |_| {
        let (_, example) = item.get_untracked();
        let nothing = "No free-text guess to judge: write one above.";
        judge::judge(llm, &example.response, free_guesses(), false, nothing, move |msg| {
            let _ = judge_status.try_set(msg);
        });
    };
    let next = move |_| {
        selected.set(None);
        judge_status.set(String::new());
        progress.update(|p| p.advance(pool.len()));
    };

    let evidence = Memo::new(move |_| {
        selected
            .get()
            .and_then(grade_of)
            .and_then(|g| g.ok())
            .map(|g| g.verdict.evidence)
            .unwrap_or_default()
    });
    let segments = move || {
        let (_, example) = item.get();
        evidence.with(|spans| marked_segments(&example.response, spans))
    };

    view! {
        <div class="quiz" data-testid="quiz">
            <div class="quiz-head">
                <h2>"Quiz"</h2>
                <p class="quiz-position" data-testid="quiz-position">
                    {move || format!("Response {} of {}", progress.with(|p| p.position) + 1, pool.len())}
                </p>
                <button type="button" data-testid="quiz-next" on:click=next>"Next response"</button>
            </div>
            <p class="learn-intro">
                "Read the response, then add constraints you believe it satisfies. Each guess is
                graded by the library: does it hold, and how tight is its bound? “At least 1 word”
                holds on almost anything and scores about 0; the tightest bound that still holds
                scores 1."
            </p>
            <h3 id="quiz-response-label">"The response"</h3>
            <div
                class="quiz-response"
                data-testid="quiz-response"
                role="region"
                aria-labelledby="quiz-response-label"
                tabindex="0"
            >
                {move || {
                    segments()
                        .into_iter()
                        .map(|(text, marked)| {
                            if marked { view! { <mark>{text}</mark> }.into_any() } else { text.into_any() }
                        })
                        .collect_view()
                }}
            </div>
            <dl class="stats quiz-stats" aria-label="Response statistics">
                <div><dt>"Words"</dt><dd data-testid="quiz-words">{move || stats.get().0}</dd></div>
                <div><dt>"NLTK tokens"</dt><dd data-testid="quiz-tokens">{move || stats.get().1}</dd></div>
                <div><dt>"Sentences"</dt><dd data-testid="quiz-sentences">{move || stats.get().2}</dd></div>
                <div><dt>"Characters"</dt><dd>{move || stats.get().3}</dd></div>
            </dl>

            <h3>"Your guesses"</h3>
            <p class="quiz-total" data-testid="quiz-total" aria-live="polite">
                {move || {
                    let n = progress.with(|p| p.guesses.len());
                    format!("Score: {:.2} from {} {}", total.get(), n, if n == 1 { "guess" } else { "guesses" })
                }}
            </p>
            <ul class="quiz-guesses" data-testid="quiz-guesses">
                <For
                    each=move || progress.with(|p| p.guesses.iter().map(|g| g.uid).collect::<Vec<_>>())
                    key=|uid| *uid
                    let:uid
                >
                    <GuessRow
                        uid
                        progress
                        grade=Signal::derive(move || grade_of(uid))
                        judged=Signal::derive(move || {
                            let (_, example) = item.get();
                            let text = progress.with(|p| {
                                p.guesses.iter().find(|g| g.uid == uid).and_then(|g| g.spec.text())
                            })?;
                            Some(llm.judgement_on(&example.response, &text.text))
                        })
                        selected
                    />
                </For>
            </ul>
            <Show when=move || progress.with(|p| p.guesses.is_empty())>
                <p class="muted" data-testid="quiz-empty">"No guesses yet: add one from the catalog below."</p>
            </Show>

            <h3>"Add a guess"</h3>
            <Catalog on_add=Callback::new(add_guess) />
            <div class="quiz-free text-constraint-form">
                <label for="quiz-free-text">"Or in your own words"</label>
                <input
                    type="text"
                    id="quiz-free-text"
                    data-testid="quiz-free-text"
                    placeholder="e.g. Every item mentions a colour."
                    prop:value=free_text
                    on:input=move |ev| free_text.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            add_free();
                        }
                    }
                />
                <button
                    type="button"
                    data-testid="quiz-add-free"
                    disabled=move || free_text.with(|t| t.trim().is_empty())
                    on:click=move |_| add_free()
                >
                    "Add guess"
                </button>
            </div>
            <div class="judge-bar">
                <button
                    type="button"
                    data-testid="quiz-judge"
                    disabled=move || llm.judging.with(Option::is_some) || free_guesses().is_empty()
                    on:click=judge_free
                >
                    "Judge my own-words guesses"
                </button>
                <p class="judge-status" role="status" data-testid="quiz-judge-status">
                    {move || {
                        let status = judge_status.get();
                        if !status.is_empty() {
                            status
                        } else if llm.profile().is_none() {
                            "Guesses in your own words are judged by your model: set one up in Model settings.".to_owned()
                        } else {
                            String::new()
                        }
                    }}
                </p>
            </div>

            <div class="quiz-reveal">
                <button
                    type="button"
                    data-testid="quiz-reveal"
                    aria-expanded=move || progress.with(|p| p.revealed).to_string()
                    on:click=move |_| progress.update(|p| p.revealed = !p.revealed)
                >
                    {move || if progress.with(|p| p.revealed) { "Hide the derived constraints" } else { "Reveal the derived constraints" }}
                </button>
                <Show when=move || progress.with(|p| p.revealed)>
                    <Derived item=Signal::derive(move || item.get().1) />
                </Show>
            </div>
        </div>
    }
}

/// One guess with its grade, its parameters (editable as JSON) and its actions.
#[component]
fn GuessRow(
    /// The guess's uid.
    uid: u64,
    /// The quiz's progress (holds the guess).
    progress: RwSignal<Progress>,
    /// The guess's grade, or the reason its parameters do not make a constraint.
    #[prop(into)]
    grade: Signal<Option<Result<Grade, String>>>,
    /// For a guess in the learner's own words, the judge's cached verdict on it (`Some(None)`:
    /// not judged yet); `None` for a catalog guess.
    #[prop(into)]
    judged: Signal<Option<Option<Judged>>>,
    /// The guess whose evidence is marked in the response.
    selected: RwSignal<Option<u64>>,
) -> impl IntoView {
    let spec =
        move || progress.with(|p| p.guesses.iter().find(|g| g.uid == uid).map(|g| g.spec.clone()));
    let initial = spec().map(|s| Value::Object(s.kwargs).to_string()).unwrap_or_default();
    let params_error = RwSignal::new(None::<String>);
    let input_id = format!("guess-params-{uid}");
    let apply_params = move |text: String| match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(kwargs)) => {
            params_error.set(None);
            progress.update(|p| {
                if let Some(g) = p.guesses.iter_mut().find(|g| g.uid == uid) {
                    g.spec.kwargs = kwargs;
                }
            });
        }
        Ok(_) => params_error
            .set(Some("Parameters are a JSON object, e.g. {\"num_words\": 300}.".to_owned())),
        Err(e) => params_error.set(Some(format!("Not valid JSON: {e}"))),
    };
    let is_selected = move || selected.get() == Some(uid);
    let free = spec().is_some_and(|s| s.text().is_some());
    let verdict_view = move || {
        match (judged.get(), grade.get()) {
        (Some(None), _) => view! {
            <span class="badge" data-testid="quiz-verdict">"not judged"</span>
            <span class="guess-detail">"No rule checks a sentence: the model judges it, without points."</span>
        }
        .into_any(),
        (Some(Some(Judged::Verdict { holds, reason })), _) => view! {
            <span
                class=badge::class(if holds { Status::Pass } else { Status::Fail })
                data-testid="quiz-verdict"
            >
                {if holds { "judged: holds" } else { "judged: does not hold" }}
            </span>
            <span class="guess-detail" data-testid="quiz-detail">{reason}</span>
        }
        .into_any(),
        (Some(Some(Judged::Failed(why))), _) => view! {
            <span class=badge::class(Status::Invalid) data-testid="quiz-verdict">"not judged"</span>
            <span class="guess-detail" data-testid="quiz-detail">{why}</span>
        }
        .into_any(),
        (None, None) => ().into_any(),
        (None, Some(Err(e))) => view! {
            <span class=badge::class(Status::Invalid) data-testid="quiz-verdict">
                {badge::holds(Status::Invalid)}
            </span>
            <span class="guess-detail">{e}</span>
        }
        .into_any(),
        (None, Some(Ok(g))) => {
            let (class, label) = (badge::class(g.verdict.status), badge::holds(g.verdict.status));
            let tight = g.tightness.as_ref().map(|t| {
                let hint = tightness_hint(t);
                view! {
                    <span class="guess-tightness">
                        "Tightness "
                        <strong data-testid="quiz-tightness">{format!("{:.2}", t.score)}</strong>
                        <span class="muted">" — "{hint}</span>
                    </span>
                }
            });
            view! {
                <span class=class data-testid="quiz-verdict">{label}</span>
                <span class="guess-detail" data-testid="quiz-detail">{g.verdict.detail}</span>
                {tight}
                <span class="guess-points" data-testid="quiz-points">{format!("{:.2} pts", g.points)}</span>
            }
            .into_any()
        }
    }
    };
    view! {
        <li
            class="quiz-guess"
            class:selected=is_selected
            data-testid="quiz-guess"
        >
            <div class="guess-title">
                <code>{move || spec().map(|s| s.id).unwrap_or_default()}</code>
                <span class="guess-text">
                    {move || {
                        let spec = spec()?;
                        match spec.text() {
                            Some(t) => Some(t.text),
                            None => spec.build().ok().map(|c| describe(&c)),
                        }
                    }}
                </span>
            </div>
            <div class="guess-grade">{verdict_view}</div>
            <div class="guess-params" hidden=move || free>
                <label for=input_id.clone()>"Parameters (JSON)"</label>
                <input
                    type="text"
                    id=input_id
                    data-testid="quiz-guess-params"
                    spellcheck="false"
                    value=initial
                    on:change=move |ev| apply_params(event_target_value(&ev))
                />
                <Show when=move || params_error.get().is_some()>
                    <p class="warning" role="alert">{move || params_error.get().unwrap_or_default()}</p>
                </Show>
            </div>
            <div class="guess-actions">
                <button
                    type="button"
                    data-testid="quiz-guess-select"
                    hidden=free
                    aria-pressed=move || is_selected().to_string()
                    on:click=move |_| selected.set(if is_selected() { None } else { Some(uid) })
                >
                    {move || if is_selected() { "Hide evidence" } else { "Show evidence" }}
                </button>
                <button
                    type="button"
                    data-testid="quiz-guess-remove"
                    on:click=move |_| {
                        if is_selected() {
                            selected.set(None);
                        }
                        progress.update(|p| p.guesses.retain(|g| g.uid != uid));
                    }
                >
                    "Remove"
                </button>
            </div>
        </li>
    }
}

/// The constraints the library derives from the response (back-translation), for comparison.
#[component]
fn Derived(
    /// The example whose response is quizzed.
    #[prop(into)]
    item: Signal<&'static Example>,
) -> impl IntoView {
    let state = AppState::get();
    // Language-dependent derivations (the response's language, its case) need the profiles.
    state.lang.request();
    let derived = Memo::new(move |_| {
        let _ = state.lang.state();
        let example = item.get();
        let text = Analysis::with_detector(&example.response, state.lang.detector());
        let mut cx = DeriveContext::new(&example.instruction, 1);
        Constraint::derive_all(&text, &mut cx)
            .iter()
            .map(|c| (c.id(), describe(c), Value::Object(c.kwargs()).to_string()))
            .collect::<Vec<_>>()
    });
    view! {
        <p class="muted">
            "What back-translation finds this response satisfies (loosened the way CRAB does, so
            not always the tightest):"
        </p>
        <ul class="quiz-derived" data-testid="quiz-derived">
            {move || {
                derived
                    .get()
                    .into_iter()
                    .map(|(id, text, kwargs)| {
                        view! {
                            <li>
                                <span class="guess-text">{text}</span>
                                " "
                                <code>{id}</code>
                                <code class="muted">{kwargs}</code>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
