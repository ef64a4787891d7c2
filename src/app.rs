//! The root component.
//!
//! For now: a response editor and its word count, computed by `crab-constraints`. The constraint
//! catalog, verdicts and back-translation build on this page.

use leptos::prelude::*;

use crate::storage;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let (response, set_response) = signal(storage::load(storage::RESPONSE_KEY).unwrap_or_default());
    let (storage_error, set_storage_error) = signal(None::<String>);
    let words = Memo::new(move |_| response.with(|text| crab_constraints::text::count_words(text)));

    // Persisting is an effect on the outside world, so it belongs in an Effect.
    Effect::new(move |_| {
        let result = response.with(|text| storage::save(storage::RESPONSE_KEY, text));
        set_storage_error.set(result.err());
    });

    view! {
        <header class="topbar">
            <h1>"CRAB Playground"</h1>
            <p class="tagline">"See which constraints a response satisfies — verified in your browser, offline."</p>
        </header>
        <main class="workspace">
            <section class="panel" aria-labelledby="response-label">
                <label id="response-label" for="response">"Response"</label>
                <textarea
                    id="response"
                    data-testid="response"
                    rows="14"
                    spellcheck="false"
                    placeholder="Paste or type a model response…"
                    prop:value=response
                    on:input=move |ev| set_response.set(event_target_value(&ev))
                ></textarea>
                <dl class="stats" aria-live="polite">
                    <dt>"Words"</dt>
                    <dd data-testid="word-count">{words}</dd>
                </dl>
                {move || storage_error.get().map(|msg| view! { <p class="warning" role="status">{msg}</p> })}
            </section>
        </main>
    }
}
