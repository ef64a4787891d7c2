//! The editors: the instruction, the response with the selected constraint's evidence
//! highlighted in place, and the stats strip.
//!
//! Highlighting uses the backdrop technique: the response textarea has a transparent background
//! and sits over a div with the same font, padding, border, wrapping and scroll position that
//! renders the same text with `<mark>`s (built in [`highlight`]). The person keeps typing in a
//! real textarea while seeing the evidence under the text. The backdrop is one `innerHTML`
//! write per change, so a 10,000-word response with thousands of marks stays cheap.
//!
//! Every number in the stats strip comes from `crab_constraints::stats`, counted exactly as the
//! checks count. On a long response the two counts that need tokenizing wait for a pause in
//! typing; the rest stay live.

use std::time::Duration;

use crab_constraints::backtranslate::language_name;
use crab_constraints::stats::{Stats, Tokenized};
use crab_constraints::text::lang::Detection;
use crab_constraints::text::{Analysis, Span};
use leptos::html;
use leptos::leptos_dom::helpers::request_animation_frame;
use leptos::prelude::*;

use crate::debounce::Debounced;
use crate::lang::LangState;
use crate::llm::generate::GenerateBar;
use crate::llm::LlmState;
use crate::state::{AppState, Outcome, Verification};

pub(crate) mod highlight;

/// What the response editor highlights: a label for the person and the spans.
fn evidence(state: AppState, verification: Verification) -> Option<(String, Vec<Span>)> {
    if let Some(spans) = state.highlight.get() {
        return Some(("the chosen constraint".to_owned(), spans));
    }
    let index = state.selected.get()?;
    let id = state.constraints.with(|c| c.get(index).map(|s| s.id.clone()))?;
    verification.outcomes.with(|outcomes| match outcomes.get(index) {
        Some(Outcome::Checked(d)) => Some((id, d.strict.evidence.clone())),
        Some(Outcome::Invalid(_) | Outcome::Text(_)) => Some((id, Vec::new())),
        None => None,
    })
}

/// The instruction and response editors with the stats strip.
#[component]
pub fn Editors() -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let verification = Verification::get();
    let backdrop = NodeRef::<html::Div>::new();
    let area = NodeRef::<html::Textarea>::new();

    let marks = Memo::new(move |_| {
        evidence(state, verification).map(|(label, spans)| {
            let spans = state.response.with(|t| highlight::usable(t, &spans));
            (label, spans)
        })
    });
    // Without marks the backdrop stays empty: no second copy of a long text to lay out.
    let backdrop_html = move || {
        marks.with(|m| match m {
            Some((_, spans)) if !spans.is_empty() => {
                state.response.with(|t| highlight::render(t, spans))
            }
            _ => String::new(),
        })
    };
    // `try_`: a frame requested below may come after the editor is gone.
    let sync_scroll = move || {
        if let (Some(Some(b)), Some(Some(a))) =
            (backdrop.try_get_untracked(), area.try_get_untracked())
        {
            b.set_scroll_top(a.scroll_top());
            b.set_scroll_left(a.scroll_left());
        }
    };
    // After each re-render of the marks, keep the backdrop where the textarea is scrolled to: in
    // the next animation frame, where reading the textarea's scroll position costs no layout of
    // its own (the frame lays the new text out anyway; read at once, it forced a second layout
    // of the whole text on every keystroke). One frame request at a time.
    let scroll_queued = StoredValue::new(false);
    Effect::new(move |_| {
        marks.track();
        state.response.track();
        if !scroll_queued.get_value() {
            scroll_queued.set_value(true);
            request_animation_frame(move || {
                let _ = scroll_queued.try_set_value(false);
                sync_scroll();
            });
        }
    });
    // The textarea shows the response: written when something else changes it (a loaded
    // session, a generated response), not when typing did, since the element already holds
    // what was typed (writing it back copied the whole text into the page on every keystroke).
    // `shown` is what the element holds as far as the app knows: nothing until this effect first
    // runs. (With a static `prop:value` for the first value as well, the component tests saw
    // text typed before that first run replaced by the initial value.)
    let shown = StoredValue::new(String::new());
    Effect::new(move |_| {
        let Some(el) = area.get() else { return };
        state.response.with(|r| {
            if shown.with_value(|s| s != r) {
                el.set_value(r);
                shown.set_value(r.clone());
            }
        });
    });
    let on_type = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        shown.set_value(value.clone());
        state.response.set(value);
    };
    let clear = move |_| {
        state.selected.set(None);
        state.highlight.set(None);
    };

    view! {
        <label for="instruction">"Instruction"</label>
        <textarea
            id="instruction"
            data-testid="instruction"
            rows="4"
            placeholder="The prompt the response answers…"
            prop:value=move || state.instruction.get()
            on:input=move |ev| state.instruction.set(event_target_value(&ev))
        ></textarea>
        <GenerateBar />
        <div class="response-head">
            <label for="response">"Response"</label>
            <div class="mark-info" data-testid="mark-info" aria-live="polite">
                {move || {
                    marks
                        .get()
                        .map(|(label, spans)| {
                            let n = spans.len();
                            let text = match n {
                                1 => "1 mark".to_owned(),
                                n => format!("{n} marks"),
                            };
                            view! {
                                <span class="mark-swatch" aria-hidden="true"></span>
                                <span>
                                    <span data-testid="mark-count">{text}</span>
                                    " · evidence of "
                                    <code>{label}</code>
                                </span>
                                <button
                                    type="button"
                                    class="link-button"
                                    data-testid="clear-highlight"
                                    on:click=clear
                                >
                                    "Clear highlight"
                                </button>
                            }
                        })
                }}
            </div>
        </div>
        <div class="hl-editor">
            <div
                class="hl-backdrop"
                data-testid="response-backdrop"
                aria-hidden="true"
                node_ref=backdrop
                inner_html=backdrop_html
            ></div>
            <textarea
                id="response"
                class="hl-input"
                data-testid="response"
                rows="14"
                spellcheck="false"
                placeholder="Paste or type a model response…"
                node_ref=area
                readonly=move || llm.running()
                aria-busy=move || llm.running().to_string()
                on:input=on_type
                on:scroll=move |_| sync_scroll()
            ></textarea>
        </div>
        <StatsStrip />
    }
}

/// Above this many bytes, the counts that need tokenizing (NLTK tokens, Punkt sentences) wait
/// until typing pauses, so that a long response stays responsive; the cheap counts stay live.
const DEFER_TOKENIZING_ABOVE: usize = 20_000;

/// How long typing must pause before a long response is tokenized for the stats.
const TOKENIZE_AFTER_MS: u64 = 250;

/// Words (IFEval and NLTK counting), sentences, paragraphs, characters and language.
#[component]
fn StatsStrip() -> impl IntoView {
    let state = AppState::get();
    let quick = Memo::new(move |_| state.response.with(|t| Stats::quick(t)));
    let tokenized = RwSignal::new(None::<Tokenized>);
    let counter = Debounced::new(
        move || state.response.with(String::len),
        DEFER_TOKENIZING_ABOVE,
        Duration::from_millis(TOKENIZE_AFTER_MS),
        move || {
            let counts = state.response.with_untracked(|t| Tokenized::of(&Analysis::new(t)));
            tokenized.set(Some(counts));
        },
    );
    let stale = move || counter.pending();
    let quick_stat = move |label: &'static str,
                           title: &'static str,
                           testid: &'static str,
                           f: fn(&Stats) -> usize| {
        view! {
            <div title=title>
                <dt>{label}</dt>
                <dd data-testid=testid>{move || quick.with(f)}</dd>
            </div>
        }
    };
    let slow_stat = move |label: &'static str,
                          title: &'static str,
                          testid: &'static str,
                          f: fn(&Tokenized) -> usize| {
        view! {
            <div title=title>
                <dt>{label}</dt>
                <dd data-testid=testid class:stale=stale aria-busy=move || stale().to_string()>
                    {move || tokenized.get().map_or_else(|| "…".to_owned(), |t| f(&t).to_string())}
                </dd>
            </div>
        }
    };
    view! {
        <dl class="stats" data-testid="stats">
            {quick_stat("Words", "IFEval's count: runs of word characters", "word-count", |s| s.words)}
            {slow_stat(
                "NLTK tokens",
                "CRAB's count: NLTK word_tokenize tokens, punctuation included",
                "token-count",
                |t| t.tokens,
            )}
            {slow_stat("Sentences", "Punkt sentences", "sentence-count", |t| t.sentences)}
            {quick_stat(
                "Paragraphs",
                "Blocks separated by a blank line",
                "paragraph-count",
                |s| s.blank_line_paragraphs,
            )}
            {quick_stat(
                "*** parts",
                "Paragraphs separated by *** dividers (IFEval's number_paragraphs)",
                "divider-paragraph-count",
                |s| s.divider_paragraphs,
            )}
            {quick_stat("Characters", "Unicode characters", "char-count", |s| s.characters)}
            <div>
                <dt>"Language"</dt>
                <dd data-testid="language">
                    <LanguageStat />
                </dd>
            </div>
        </dl>
    }
}

/// The detected language, or what stands between the person and it. Detection reads the whole
/// text (a millisecond on a 10,000-word response), so on a long response it waits for a pause in
/// typing like the tokenized counts, and shows the last result as stale meanwhile.
#[component]
fn LanguageStat() -> impl IntoView {
    let state = AppState::get();
    let detected = RwSignal::new(None::<Detection>);
    let detector = Debounced::new(
        move || {
            // Detect again when the language data arrives, too (tracked).
            let _ = state.lang.detector();
            state.response.with(String::len)
        },
        DEFER_TOKENIZING_ABOVE,
        Duration::from_millis(TOKENIZE_AFTER_MS),
        move || {
            let detection = untrack(|| state.lang.detector())
                .map(|d| state.response.with_untracked(|t| d.detect(t)));
            detected.set(detection);
        },
    );
    let stale = move || detector.pending();
    move || match state.lang.state() {
        LangState::Idle => view! {
            "—"
            <button
                type="button"
                class="link-button detect"
                data-testid="detect-language"
                on:click=move |_| state.lang.request()
            >
                "Detect"
            </button>
        }
        .into_any(),
        LangState::Loading => view! { <span>"Loading language data…"</span> }.into_any(),
        LangState::Failed(msg) => view! { <span class="lang-failed">{msg}</span> }.into_any(),
        LangState::Ready => {
            let text = move || match detected.get() {
                Some(Detection::Language(code)) => match language_name(&code) {
                    Some(name) => format!("{name} ({code})"),
                    None => code,
                },
                Some(Detection::NoFeatures) => "none (no letters)".to_owned(),
                None => "…".to_owned(),
            };
            view! {
                <span class:stale=stale aria-busy=move || stale().to_string()>
                    {text}
                </span>
            }
            .into_any()
        }
    }
}
