//! Keeping and sharing: share links (the session in the URL fragment, [`share`]), and session
//! export and import as JSON files.
//!
//! The session is the unit of all three ([`Session`]), so what is shared, exported and
//! imported is exactly what is persisted, and an export imported again gives the identical
//! session. Imports go through [`storage::migrate`], the same migration as storage: an
//! older export still loads, and a file that is not a session leaves the current one untouched
//! ([`parse_import`] also refuses JSON that does not say it is a session).

pub mod files;
pub mod share;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Session};
use crate::storage;

/// The session carried by the page's share link, if the URL has one. The fragment is removed
/// from the address (with `history.replaceState`) as soon as it is read, whether or not it could
/// be decoded, so that a reload does not re-apply it over later edits.
pub fn session_from_location() -> Option<Result<Session, String>> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let result = share::from_fragment(&hash)?;
    if let (Ok(history), Ok(path), Ok(search)) =
        (window.history(), location.pathname(), location.search())
    {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
    Some(result)
}

/// A session from an imported file or a share link. Stricter than storage: the document must
/// say it is a session (a `version` number), except a schema-1 export, which held only
/// `response`. Otherwise any JSON object would import as an empty session (migration drops
/// the fields schema 1 did not have) and silently replace the person's work.
pub fn parse_import(text: &str) -> Result<Session, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("it is not valid JSON: {e}"))?;
    match &doc {
        serde_json::Value::Object(map) => {
            let legacy = map.len() == 1 && map.contains_key("response");
            if !legacy && !map.get("version").is_some_and(serde_json::Value::is_u64) {
                return Err(
                    "it is not a CRAB Playground session (it has no \"version\" number)".to_owned()
                );
            }
        }
        _ => return Err("a session is a JSON object".to_owned()),
    }
    storage::migrate(doc)
}

/// The page's address without its fragment, with `#s=<payload>`.
fn share_url(payload: &str) -> Result<String, String> {
    let location = web_sys::window().ok_or("no window")?.location();
    let href = location.href().map_err(|_| "the page address cannot be read")?;
    let base = href.split_once('#').map_or(href.as_str(), |(base, _)| base);
    Ok(format!("{base}{}{payload}", share::PREFIX))
}

/// A file name for exports: `crab-session-<yyyy-mm-dd>.json`.
pub fn dated_name(stem: &str, ext: &str) -> String {
    let iso = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    match iso.get(..10) {
        Some(day) => format!("{stem}-{day}.{ext}"),
        None => format!("{stem}.{ext}"),
    }
}

/// The current session as pretty-printed JSON (what "Export session" downloads).
pub fn session_json(state: &AppState) -> Result<String, String> {
    let session = untrack(|| state.snapshot());
    serde_json::to_string_pretty(&session)
        .map_err(|e| format!("The session could not be serialised: {e}"))
}

/// Downloads the current session as a `.json` file; reports the outcome in the status area.
pub fn export_session(state: AppState) {
    match session_json(&state).and_then(|json| {
        files::download(&dated_name("crab-session", "json"), "application/json", &json)
    }) {
        Ok(()) => state.info("Exported the session as a JSON file."),
        Err(e) => state.warn(e),
    }
}

/// Share, export and import buttons for the top bar.
#[component]
pub fn SessionMenu() -> impl IntoView {
    let state = AppState::get();
    // The last share link made, and whether it reached the clipboard (`None` while copying).
    let link = RwSignal::new(None::<(String, Option<Result<(), String>>)>);
    let url_field = NodeRef::<leptos::html::Input>::new();
    let file_input = NodeRef::<leptos::html::Input>::new();

    let share = move |_| {
        let session = untrack(|| state.snapshot());
        let url = match share::encode(&session).and_then(|payload| share_url(&payload)) {
            Ok(url) => url,
            Err(e) => {
                state.warn(format!("The share link could not be made: {e}"));
                return;
            }
        };
        link.set(Some((url.clone(), None)));
        leptos::task::spawn_local(async move {
            let copied = files::copy(&url).await;
            link.update(|l| {
                if let Some((current, status)) = l {
                    if *current == url {
                        *status = Some(copied);
                    }
                }
            });
            // Focus the link so that it can be copied by hand, or the panel closed with Escape.
            if let Some(field) = url_field.get_untracked() {
                let _ = field.focus();
            }
        });
    };

    let on_import = move |ev: leptos::ev::Event| {
        files::on_picked(&ev, move |picked| match picked {
            Ok(None) => {}
            Ok(Some((name, text))) => match parse_import(&text) {
                Ok(session) => {
                    state.apply(session);
                    state.info(format!("Imported the session from \"{name}\"."));
                }
                Err(e) => state.warn(format!(
                    "\"{name}\" could not be imported ({e}); the current session is unchanged."
                )),
            },
            Err(e) => state.warn(format!("{e} The current session is unchanged.")),
        });
    };

    view! {
        <div class="session-menu-wrap">
        <div class="session-menu" role="group" aria-label="Session">
            <button type="button" data-testid="share" on:click=share>
                "Share link"
            </button>
            <button type="button" data-testid="export-session" on:click=move |_| export_session(state)>
                "Export session"
            </button>
            <button
                type="button"
                data-testid="import-session"
                on:click=move |_| {
                    if let Some(input) = file_input.get() {
                        input.click();
                    }
                }
            >
                "Import session"
            </button>
            <input
                type="file"
                accept=".json,application/json"
                class="visually-hidden"
                tabindex="-1"
                aria-label="Session file to import"
                data-testid="import-session-file"
                node_ref=file_input
                on:change=on_import
            />
        </div>
        {move || {
            link.get()
                .map(|(url, copied)| {
                    let status = match copied {
                        None => "Copying…".to_owned(),
                        Some(Ok(())) => {
                            "Copied to the clipboard. Anyone with the link sees this session (it holds no keys or secrets)."
                                .to_owned()
                        }
                        Some(Err(e)) => e,
                    };
                    view! {
                        <div
                            class="share-panel"
                            data-testid="share-panel"
                            on:keydown=move |ev: web_sys::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    link.set(None);
                                }
                            }
                        >
                            <label class="share-field">
                                <span>"Share link"</span>
                                <input
                                    type="text"
                                    readonly=true
                                    data-testid="share-url"
                                    node_ref=url_field
                                    prop:value=url
                                    on:focus=move |ev| {
                                        if let Some(input) = ev
                                            .target()
                                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                        {
                                            input.select();
                                        }
                                    }
                                />
                            </label>
                            <p class="share-status" data-testid="share-status">{status}</p>
                            <button type="button" class="link-button" on:click=move |_| link.set(None)>
                                "Close"
                            </button>
                        </div>
                    }
                })
        }}
        </div>
    }
}
