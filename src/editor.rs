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
//! checks count.

use crab_constraints::backtranslate::language_name;
use crab_constraints::stats::Stats;
use crab_constraints::text::lang::Detection;
use crab_constraints::text::{Analysis, Span};
use leptos::html;
use leptos::prelude::*;

use crate::lang::LangState;
use crate::state::{AppState, Outcome, Verification};

mod highlight;

/// What the response editor highlights: a label for the person and the spans.
fn evidence(state: AppState, verification: Verification) -> Option<(String, Vec<Span>)> {
    if let Some(spans) = state.highlight.get() {
        return Some(("the chosen constraint".to_owned(), spans));
    }
    let index = state.selected.get()?;
    let id = state.constraints.with(|c| c.get(index).map(|s| s.id.clone()))?;
    verification.outcomes.with(|outcomes| match outcomes.get(index) {
        Some(Outcome::Checked(d)) => Some((id, d.strict.evidence.clone())),
        Some(Outcome::Invalid(_)) => Some((id, Vec::new())),
        None => None,
    })
}

/// The instruction and response editors with the stats strip.
#[component]
pub fn Editors() -> impl IntoView {
    let state = AppState::get();
    let verification = Verification::get();
    let backdrop = NodeRef::<html::Div>::new();
    let area = NodeRef::<html::Textarea>::new();

    let marks = Memo::new(move |_| {
        evidence(state, verification).map(|(label, spans)| {
            let spans = state.response.with(|t| highlight::usable(t, &spans));
            (label, spans)
        })
    });
    let backdrop_html = move || {
        marks.with(|m| {
            let spans = m.as_ref().map_or(&[][..], |(_, s)| s.as_slice());
            state.response.with(|t| highlight::render(t, spans))
        })
    };
    let sync_scroll = move || {
        if let (Some(b), Some(a)) = (backdrop.get_untracked(), area.get_untracked()) {
            b.set_scroll_top(a.scroll_top());
            b.set_scroll_left(a.scroll_left());
        }
    };
    // After each re-render of the marks, keep the backdrop where the textarea is scrolled to.
    Effect::new(move |_| {
        marks.track();
        state.response.track();
        sync_scroll();
    });
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
                prop:value=move || state.response.get()
                on:input=move |ev| state.response.set(event_target_value(&ev))
                on:scroll=move |_| sync_scroll()
            ></textarea>
        </div>
        <StatsStrip />
    }
}

/// Words (IFEval and NLTK counting), sentences, paragraphs, characters and language.
#[component]
fn StatsStrip() -> impl IntoView {
    let state = AppState::get();
    let stats = Memo::new(move |_| state.response.with(|t| Stats::of(&Analysis::new(t))));
    let stat = move |label: &'static str,
                     title: &'static str,
                     testid: &'static str,
                     f: fn(&Stats) -> usize| {
        view! {
            <div title=title>
                <dt>{label}</dt>
                <dd data-testid=testid>{move || stats.with(f)}</dd>
            </div>
        }
    };
    view! {
        <dl class="stats" data-testid="stats">
            {stat(
                "Words",
                "IFEval's count: runs of word characters",
                "word-count",
                |s| s.words,
            )}
            {stat(
                "NLTK tokens",
                "CRAB's count: NLTK word_tokenize tokens, punctuation included",
                "token-count",
                |s| s.tokens,
            )}
            {stat("Sentences", "Punkt sentences", "sentence-count", |s| s.sentences)}
            {stat(
                "Paragraphs",
                "Blocks separated by a blank line",
                "paragraph-count",
                |s| s.blank_line_paragraphs,
            )}
            {stat(
                "*** parts",
                "Paragraphs separated by *** dividers (IFEval's number_paragraphs)",
                "divider-paragraph-count",
                |s| s.divider_paragraphs,
            )}
            {stat("Characters", "Unicode characters", "char-count", |s| s.characters)}
            <div>
                <dt>"Language"</dt>
                <dd data-testid="language">
                    <LanguageStat />
                </dd>
            </div>
        </dl>
    }
}

/// The detected language, or what stands between the person and it.
#[component]
fn LanguageStat() -> impl IntoView {
    let state = AppState::get();
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
            let detected = state.response.with(|t| state.lang.detector().map(|d| d.detect(t)));
            let text = match detected {
                Some(Detection::Language(code)) => match language_name(&code) {
                    Some(name) => format!("{name} ({code})"),
                    None => code,
                },
                Some(Detection::NoFeatures) => "none (no letters)".to_owned(),
                None => "—".to_owned(),
            };
            view! { <span>{text}</span> }.into_any()
        }
    }
}
