//! The shell: loads the session (share link, else storage), provides the shared state, persists
//! every change, and lays out the editors beside the tool panels.
//!
//! The layout is fixed here so that the panels can be built independently: the editors
//! (instruction, response with evidence highlighting, stats) stay on the left on wide screens
//! and on top on narrow ones; the tool panels (verify, back-translate, examples, quiz) share the
//! other column behind a tab list. The Batch panel's host stays in the page once shown (the view
//! in it is a separate bundle, [`crate::batch`]).

use std::time::Duration;

use leptos::prelude::*;

use crate::backtranslate::BacktranslatePanel;
use crate::batch::BatchHost;
use crate::debounce::Debounced;
use crate::editor::Editors;
use crate::gallery::GalleryPanel;
use crate::lang::Lang;
use crate::llm::settings::SettingsDialog;
use crate::llm::LlmState;
use crate::quiz::QuizPanel;
use crate::session_menu::{self, SessionMenu};
use crate::state::{AppState, Session, Tab, Theme, Verification};
use crate::storage;
use crate::verify::VerifyPanel;

/// Sessions up to this many bytes of text are saved on every change; longer ones after a pause.
const SAVE_IMMEDIATE_BYTES: usize = 16_000;
/// The typing pause after which a long session is saved.
const SAVE_DELAY_MS: u64 = 400;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let (mut session, mut message) = storage::load_session();
    if let Some(shared) = session_menu::session_from_location() {
        match shared {
            Ok(s) => {
                session = s;
                message = Some("Loaded the shared session from the link.".to_owned());
            }
            Err(e) => message = Some(format!("The share link could not be read: {e}")),
        }
    }
    let state = AppState::new(session, Lang::new());
    provide_context(state);
    provide_context(Verification::new(state));
    let llm = LlmState::new(state);
    provide_context(llm);
    if let Some(msg) = message {
        if msg.starts_with("Loaded") {
            state.info(msg);
        } else {
            state.warn(msg);
        }
    }

    // Persisting is an effect on the outside world, so it belongs in an Effect. A failure keeps
    // the in-memory session and says so; the message clears once saving works again. Short
    // sessions are saved on every change; long ones (serialising and storing a 10,000-word
    // response takes milliseconds) once typing pauses, and always when the page is hidden or
    // closed, so that no edit is lost.
    let storage_failed = RwSignal::new(false);
    let persist = move |session: &Session| match storage::save_session(session) {
        Ok(()) => {
            if storage_failed.get_untracked() {
                storage_failed.set(false);
                state.notice.set(None);
            }
        }
        Err(msg) => {
            storage_failed.set(true);
            state.warn(msg);
        }
    };
    let saver = Debounced::new(
        move || state.snapshot().text_len(),
        SAVE_IMMEDIATE_BYTES,
        Duration::from_millis(SAVE_DELAY_MS),
        move || persist(&state.snapshot_untracked()),
    );
    let flush = move || saver.flush();
    let on_hide = window_event_listener(leptos::ev::pagehide, move |_| flush());
    let on_visibility = window_event_listener(leptos::ev::visibilitychange, move |_| flush());
    on_cleanup(move || {
        on_hide.remove();
        on_visibility.remove();
    });

    // The theme is an attribute of the document element, so that the page background follows.
    Effect::new(move |_| {
        let theme = state.theme.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme.as_str());
        }
    });

    view! {
        <a class="skip-link" href="#tools">"Skip to the tools"</a>
        <header class="topbar">
            <div class="brand">
                <h1>"CRAB Playground"</h1>
                <p class="tagline">
                    "Verify, back-translate and compose instruction constraints — in your browser, offline."
                </p>
            </div>
            <div class="topbar-actions">
                <button
                    type="button"
                    class="model-button"
                    data-testid="open-model-settings"
                    on:click=move |_| llm.settings_open.set(true)
                >
                    "Model"
                </button>
                <SessionMenu />
                <ThemePicker />
            </div>
        </header>
        <StatusBar />
        <SettingsDialog />
        // The Batch view works on files, not on the editors: it gets the whole width.
        <main class="workspace" class:batch-wide=move || state.tab.get() == Tab::Batch>
            <section class="editors" aria-label="Instruction and response">
                <Editors />
            </section>
            <section class="tools" id="tools" aria-label="Tools">
                <TabList />
                <div
                    class="tab-panel"
                    role="tabpanel"
                    id=move || format!("panel-{}", state.tab.get().slug())
                    aria-labelledby=move || format!("tab-{}", state.tab.get().slug())
                >
                    {move || match state.tab.get() {
                        Tab::Verify => view! { <VerifyPanel /> }.into_any(),
                        Tab::Backtranslate => view! { <BacktranslatePanel /> }.into_any(),
                        Tab::Examples => view! { <GalleryPanel /> }.into_any(),
                        Tab::Quiz => view! { <QuizPanel /> }.into_any(),
                        // Outside this match (below), so that a run survives a tab switch.
                        Tab::Batch => ().into_any(),
                    }}
                    <BatchHost />
                </div>
            </section>
        </main>
        <footer class="footer">
            <p>
                "Checks reproduce Google's IFEval and CRAB's rule families exactly; everything runs locally. "
                <a href="https://arxiv.org/abs/2410.24175">"About CRAB"</a>
            </p>
        </footer>
    }
}

/// The tool tabs: a WAI-ARIA tab list (arrow keys move between tabs).
#[component]
fn TabList() -> impl IntoView {
    let state = AppState::get();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let current = Tab::ALL.iter().position(|t| *t == state.tab.get_untracked()).unwrap_or(0);
        let n = Tab::ALL.len();
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % n,
            "ArrowLeft" => (current + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        state.tab.set(Tab::ALL[next]);
        if let Some(el) = document().get_element_by_id(&format!("tab-{}", Tab::ALL[next].slug())) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Tool panels" on:keydown=on_key>
            {Tab::ALL
                .into_iter()
                .map(|tab| {
                    let selected = move || state.tab.get() == tab;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="tab"
                            id=format!("tab-{}", tab.slug())
                            data-testid=format!("tab-{}", tab.slug())
                            aria-controls=format!("panel-{}", tab.slug())
                            aria-selected=move || selected().to_string()
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| state.tab.set(tab)
                        >
                            {tab.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Light, dark, or follow the system.
#[component]
fn ThemePicker() -> impl IntoView {
    let state = AppState::get();
    let options = [(Theme::System, "System"), (Theme::Light, "Light"), (Theme::Dark, "Dark")];
    view! {
        <label class="theme-picker">
            <span>"Theme"</span>
            <select
                data-testid="theme"
                on:change=move |ev| {
                    let theme = match event_target_value(&ev).as_str() {
                        "light" => Theme::Light,
                        "dark" => Theme::Dark,
                        _ => Theme::System,
                    };
                    state.theme.set(theme);
                }
            >
                {options
                    .into_iter()
                    .map(|(theme, label)| {
                        view! {
                            <option
                                value=theme.as_str()
                                selected=move || state.theme.get() == theme
                            >
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The status message, if any (storage trouble, import results, …), with a dismiss button.
#[component]
fn StatusBar() -> impl IntoView {
    let state = AppState::get();
    view! {
        <div class="status-area" role="status" aria-live="polite" data-testid="status">
            {move || {
                state
                    .notice
                    .get()
                    .map(|notice| {
                        let class = if notice.warning { "notice warning" } else { "notice info" };
                        view! {
                            <div class=class>
                                <p>{notice.text}</p>
                                <button
                                    type="button"
                                    class="link-button"
                                    on:click=move |_| state.notice.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
