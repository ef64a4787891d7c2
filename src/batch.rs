//! The Batch tab's host: the element the Batch view is mounted into, and the way back from it.
//!
//! The view itself is a separate bundle (`crates/crab-batch`): with its evaluation worker it
//! would not fit in the first-load budget, and most visits never use it. So the app holds only
//! this host, which imports the bundle the first time the tab is shown (`batch_loader.js`), and
//! listens for the view's `crab-open-row` event: a row of a run (its IFEval or IFBench input line
//! and the response) opens here, through the same reading as a pasted row
//! ([`crate::verify::paste`]), in the Verify tab.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Tab};

#[wasm_bindgen(module = "/src/batch_loader.js")]
extern "C" {
    #[wasm_bindgen(js_name = mountBatch)]
    fn mount_batch(element: &web_sys::HtmlElement) -> js_sys::Promise;
}

/// Opens a row sent by the Batch view in the Verify tab.
fn open_row(state: AppState, event: &web_sys::Event) {
    let Some(event) = event.dyn_ref::<web_sys::CustomEvent>() else { return };
    let detail = event.detail();
    let get =
        |name: &str| js_sys::Reflect::get(&detail, &name.into()).ok().and_then(|v| v.as_string());
    let (Some(row), Some(response)) = (get("row"), get("response")) else { return };
    match crate::verify::paste::read_row(&row) {
        Ok((prompt, specs)) => {
            state.selected.set(None);
            state.highlight.set(None);
            state.instruction.set(prompt);
            state.constraints.set(specs);
            state.response.set(response);
            state.tab.set(Tab::Verify);
            state.info("Opened the row from the batch run: its prompt, constraints and response.");
        }
        Err(message) => state.warn(message),
    }
}

/// The Batch panel's host (shown only with the Batch tab; kept once loaded).
#[component]
pub fn BatchHost() -> impl IntoView {
    let state = AppState::get();
    let host = NodeRef::<Div>::new();
    let (status, set_status) = signal(None::<String>);
    let requested = StoredValue::new(false);
    Effect::new(move |_| {
        if state.tab.get() != Tab::Batch || requested.get_value() {
            return;
        }
        let Some(element) = host.get() else { return };
        requested.set_value(true);
        set_status.set(Some("Loading the Batch view…".to_owned()));
        let promise = mount_batch(&element);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => set_status.set(None),
                Err(e) => {
                    requested.set_value(false);
                    set_status.set(Some(format!(
                        "The Batch view could not be loaded ({}). Show the tab again to retry.",
                        e.as_string()
                            .or_else(|| js_sys::JSON::stringify(&e)
                                .ok()
                                .and_then(|s| s.as_string()))
                            .unwrap_or_default()
                    )));
                }
            }
        });
    });
    let listener = window_event_listener_untyped("crab-open-row", move |ev| open_row(state, &ev));
    on_cleanup(move || listener.remove());
    view! {
        <div class="batch-host" hidden=move || state.tab.get() != Tab::Batch>
            <p class="hint" role="status" data-testid="batch-loading">{move || status.get()}</p>
            <div node_ref=host data-testid="batch-host"></div>
        </div>
    }
}
