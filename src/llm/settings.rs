//! The endpoint settings dialog: named profiles, presets, the connection fields, the model
//! picker filled from `/models`, sampling and format options, and "Test connection".
//!
//! Every field applies when it changes (a field that does not parse shows why and changes
//! nothing), so closing the dialog never loses an edit. The API key and extra headers are
//! secrets: kept in memory, and stored only when "Remember on this device" is ticked.
//!
//! Most fields are rows of one table ([`FIELDS`]) shown by one generic view: each field written
//! out with its own closures would compile its own copy of the same code, and the first load of
//! the app has a size budget.

use crab_llm::diagnose::{Diagnosis, Verdict};
use crab_llm::presets::PRESETS;
use crab_llm::request::{ResponseFormat, Secrets};
use leptos::html;
use leptos::prelude::*;

use super::{client, LlmState, Profile};
use crate::state::AppState;

/// Parses an optional number field: empty is `None`.
fn optional<T: std::str::FromStr>(text: &str, what: &str) -> Result<Option<T>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<T>().map(Some).map_err(|_| format!("{what} must be a number (or empty): “{t}”."))
}

/// `Name: value` lines to headers; a line without `:` is an error.
fn parse_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_once(':') {
            Some((n, v)) if !n.trim().is_empty() => Ok((n.trim().to_owned(), v.trim().to_owned())),
            _ => Err(format!(
                "Extra headers are “Name: value” lines; this one is not: “{}”.",
                l.trim()
            )),
        })
        .collect()
}

/// The handles every field needs. Cheap to copy.
#[derive(Clone, Copy)]
struct Form {
    state: AppState,
    llm: LlmState,
    error: RwSignal<Option<String>>,
    profile: Memo<Option<Profile>>,
    secrets: Memo<Secrets>,
}

impl Form {
    /// Applies `f` to the active profile and its secrets and stores them; an error is shown
    /// and nothing changes.
    fn edit(&self, f: impl FnOnce(&mut Profile, &mut Secrets) -> Result<(), String>) {
        let Some(mut p) = self.profile.get_untracked() else { return };
        let mut s = self.secrets.get_untracked();
        match f(&mut p, &mut s) {
            Ok(()) => {
                self.error.set(None);
                self.llm.save_profile(self.state, p, s);
            }
            Err(e) => self.error.set(Some(e)),
        }
    }

    /// A value of the active profile (tracked).
    fn read(&self, get: fn(&Profile, &Secrets) -> String) -> String {
        self.profile
            .with(|p| p.as_ref().map(|p| self.secrets.with(|s| get(p, s))).unwrap_or_default())
    }
}

/// One plain field: its label, its control, and how to read and write its value.
struct FieldSpec {
    label: &'static str,
    testid: &'static str,
    /// `Some(rows)` for a text area, else an input of `input_type`.
    rows: Option<u32>,
    input_type: &'static str,
    placeholder: &'static str,
    step: &'static str,
    wide: bool,
    get: fn(&Profile, &Secrets) -> String,
    set: fn(&mut Profile, &mut Secrets, &str) -> Result<(), String>,
}

/// A field with nothing special about it.
const fn field(
    label: &'static str,
    testid: &'static str,
    get: fn(&Profile, &Secrets) -> String,
    set: fn(&mut Profile, &mut Secrets, &str) -> Result<(), String>,
) -> FieldSpec {
    FieldSpec {
        label,
        testid,
        rows: None,
        input_type: "text",
        placeholder: "",
        step: "",
        wide: false,
        get,
        set,
    }
}

/// A number field.
const fn number(
    label: &'static str,
    testid: &'static str,
    step: &'static str,
    get: fn(&Profile, &Secrets) -> String,
    set: fn(&mut Profile, &mut Secrets, &str) -> Result<(), String>,
) -> FieldSpec {
    FieldSpec { input_type: "number", step, ..field(label, testid, get, set) }
}

/// A text area across the dialog.
const fn area(
    label: &'static str,
    testid: &'static str,
    get: fn(&Profile, &Secrets) -> String,
    set: fn(&mut Profile, &mut Secrets, &str) -> Result<(), String>,
) -> FieldSpec {
    FieldSpec { rows: Some(2), wide: true, ..field(label, testid, get, set) }
}

/// The connection fields, before "Test connection".
const CONNECTION: &[FieldSpec] = &[
    FieldSpec {
        input_type: "url",
        placeholder: "http://localhost:11434/v1",
        wide: true,
        ..field(
            "Base URL",
            "llm-base-url",
            |p, _| p.settings.base_url.clone(),
            |p, _, t| {
                p.settings.base_url = t.trim().to_owned();
                Ok(())
            },
        )
    },
    FieldSpec {
        input_type: "password",
        placeholder: "not needed for most local servers",
        wide: true,
        ..field(
            "API key",
            "llm-api-key",
            |_, s| s.api_key.clone(),
            |_, s, t| {
                s.api_key = t.trim().to_owned();
                Ok(())
            },
        )
    },
];

/// The fields after "Test connection".
const FIELDS: &[FieldSpec] = &[
    number(
        "Temperature",
        "llm-temperature",
        "0.1",
        |p, _| p.settings.temperature.map(|v| v.to_string()).unwrap_or_default(),
        |p, _, t| {
            p.settings.temperature = optional(t, "Temperature")?;
            Ok(())
        },
    ),
    number(
        "top_p",
        "llm-top-p",
        "0.05",
        |p, _| p.settings.top_p.map(|v| v.to_string()).unwrap_or_default(),
        |p, _, t| {
            p.settings.top_p = optional(t, "top_p")?;
            Ok(())
        },
    ),
    number(
        "Max tokens",
        "llm-max-tokens",
        "1",
        |p, _| p.settings.max_tokens.map(|v| v.to_string()).unwrap_or_default(),
        |p, _, t| {
            p.settings.max_tokens = optional(t, "Max tokens")?;
            Ok(())
        },
    ),
    number(
        "Seed",
        "llm-seed",
        "1",
        |p, _| p.settings.seed.map(|v| v.to_string()).unwrap_or_default(),
        |p, _, t| {
            p.settings.seed = optional(t, "Seed")?;
            Ok(())
        },
    ),
    area(
        "Stop sequences (one per line)",
        "llm-stop",
        |p, _| p.settings.stop.join("\n"),
        |p, _, t| {
            p.settings.stop = t.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect();
            Ok(())
        },
    ),
    area(
        "Extra headers (“Name: value” per line; kept like the key)",
        "llm-headers",
        |_, s| s.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join("\n"),
        |_, s, t| {
            s.headers = parse_headers(t)?;
            Ok(())
        },
    ),
    area(
        "System prompt",
        "llm-system",
        |p, _| p.settings.system_prompt.clone(),
        |p, _, t| {
            p.settings.system_prompt = t.to_owned();
            Ok(())
        },
    ),
    number(
        "First byte within (ms)",
        "llm-first-byte",
        "1000",
        |p, _| p.settings.first_byte_timeout_ms.to_string(),
        |p, _, t| {
            p.settings.first_byte_timeout_ms = optional(t, "First byte within")?.unwrap_or(0);
            Ok(())
        },
    ),
    number(
        "Idle limit (ms)",
        "llm-idle",
        "1000",
        |p, _| p.settings.idle_timeout_ms.to_string(),
        |p, _, t| {
            p.settings.idle_timeout_ms = optional(t, "Idle limit")?.unwrap_or(0);
            Ok(())
        },
    ),
    number(
        "Retries",
        "llm-retries",
        "1",
        |p, _| p.settings.retries.to_string(),
        |p, _, t| {
            p.settings.retries = optional(t, "Retries")?.unwrap_or(0);
            Ok(())
        },
    ),
];

/// Shows a [`FieldSpec`].
fn field_view(form: Form, spec: &'static FieldSpec) -> impl IntoView {
    let value = move || form.read(spec.get);
    let apply = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        form.edit(|p, s| (spec.set)(p, s, &text));
    };
    let control = match spec.rows {
        Some(rows) => view! {
            <textarea rows=rows data-testid=spec.testid prop:value=value on:change=apply></textarea>
        }
        .into_any(),
        None => view! {
            <input
                type=spec.input_type
                step=spec.step
                placeholder=spec.placeholder
                autocomplete="off"
                data-testid=spec.testid
                prop:value=value
                on:change=apply
            />
        }
        .into_any(),
    };
    view! {
        <label class="llm-field" class:wide=spec.wide>
            <span>{spec.label}</span>
            {control}
        </label>
    }
}

/// The value of the response-format select for `f`.
fn format_name(f: &ResponseFormat) -> &'static str {
    match f {
        ResponseFormat::None => "none",
        ResponseFormat::JsonObject => "json_object",
        ResponseFormat::JsonSchema { .. } => "json_schema",
    }
}

/// The settings dialog (a modal `<dialog>`), opened with [`LlmState::settings_open`].
#[component]
pub fn SettingsDialog() -> impl IntoView {
    let state = AppState::get();
    let llm = LlmState::get();
    let dialog: NodeRef<html::Dialog> = NodeRef::new();
    Effect::new(move |_| {
        let open = llm.settings_open.get();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });
    let form = Form {
        state,
        llm,
        error: RwSignal::new(None),
        profile: Memo::new(move |_| llm.profile()),
        secrets: Memo::new(move |_| llm.active_secrets()),
    };
    let diagnosis = RwSignal::new(None::<Diagnosis>);
    let testing = RwSignal::new(false);
    let models = RwSignal::new(Vec::<String>::new());
    let format = Memo::new(move |_| {
        form.profile
            .with(|p| p.as_ref().map(|p| p.settings.response_format.clone()).unwrap_or_default())
    });

    let test = move |_| {
        let (Some(p), s) = (form.profile.get_untracked(), form.secrets.get_untracked()) else {
            return;
        };
        testing.set(true);
        diagnosis.set(None);
        leptos::task::spawn_local(async move {
            let d = client::test_connection(&p.settings, &s).await;
            if !d.models.is_empty() {
                let _ = models.try_set(d.models.clone());
            }
            let _ = testing.try_set(false);
            let _ = diagnosis.try_set(Some(d));
        });
    };
    let new_profile = move |_| {
        let n = llm.profiles.with_untracked(Vec::len) + 1;
        let p = Profile::new(&format!("Profile {n}"));
        let id = p.id.clone();
        llm.save_profile(state, p, Secrets::default());
        llm.activate(&id);
        diagnosis.set(None);
        models.set(Vec::new());
    };

    view! {
        <dialog
            class="llm-settings"
            node_ref=dialog
            aria-labelledby="llm-settings-title"
            data-testid="llm-settings"
            on:close=move |_| llm.settings_open.set(false)
        >
            <div class="llm-settings-head">
                <h2 id="llm-settings-title">"Model settings"</h2>
                <button type="button" data-testid="llm-settings-close" on:click=move |_| llm.settings_open.set(false)>
                    "Done"
                </button>
            </div>
            <p class="muted">
                "Any OpenAI-compatible endpoint: a local server (Ollama, llama.cpp, vLLM, LM Studio) or a hosted one. Requests go straight from this page to the server."
            </p>
            <div class="llm-row">
                <label class="llm-field">
                    <span>"Profile"</span>
                    <select
                        data-testid="llm-profile"
                        on:change=move |ev| {
                            llm.activate(&event_target_value(&ev));
                            diagnosis.set(None);
                        }
                    >
                        {move || {
                            let active = llm.active.get();
                            llm.profiles
                                .get()
                                .into_iter()
                                .map(|p| view! { <option value=p.id.clone() selected=p.id == active>{p.name}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                {field_view(form, &PROFILE_NAME)}
                <button type="button" data-testid="llm-profile-new" on:click=new_profile>
                    "New profile"
                </button>
                <button
                    type="button"
                    data-testid="llm-profile-delete"
                    prop:disabled=move || llm.profiles.with(|p| p.len() <= 1)
                    on:click=move |_| llm.delete_profile(state, &llm.active.get_untracked())
                >
                    "Delete profile"
                </button>
            </div>
            <div class="llm-presets" role="group" aria-label="Presets">
                <span>"Presets:"</span>
                {PRESETS
                    .iter()
                    .map(|preset| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-testid=format!("preset-{}", preset.id)
                                on:click=move |_| form.edit(|p, _| {
                                    p.settings.base_url = preset.base_url.to_owned();
                                    Ok(())
                                })
                            >
                                {preset.name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="llm-grid">
                {CONNECTION.iter().map(|spec| field_view(form, spec)).collect_view()}
                <label class="llm-check wide">
                    <input
                        type="checkbox"
                        data-testid="llm-remember"
                        prop:checked=move || form.profile.with(|p| p.as_ref().is_some_and(|p| p.remember))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.edit(|p, _| {
                                p.remember = on;
                                Ok(())
                            });
                        }
                    />
                    <span>
                        "Remember the key and extra headers on this device (otherwise they are kept only until the tab closes)"
                    </span>
                </label>
                <label class="llm-field wide">
                    <span>"Model"</span>
                    <input
                        type="text"
                        list="llm-models"
                        autocomplete="off"
                        data-testid="llm-model"
                        placeholder="pick from the list after Test connection, or type a name"
                        prop:value=move || form.read(|p, _| p.settings.model.clone())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.edit(|p, _| {
                                p.settings.model = v.trim().to_owned();
                                Ok(())
                            });
                        }
                    />
                    <datalist id="llm-models">
                        {move || models.get().into_iter().map(|m| view! { <option value=m></option> }).collect_view()}
                    </datalist>
                </label>
                <div class="llm-test wide">
                    <button type="button" data-testid="llm-test" prop:disabled=move || testing.get() on:click=test>
                        "Test connection"
                    </button>
                    <p
                        class="llm-test-result"
                        role="status"
                        data-testid="llm-test-result"
                        data-verdict=move || diagnosis.with(|d| d.as_ref().map(|d| format!("{:?}", d.verdict)).unwrap_or_default())
                        class:ok=move || diagnosis.with(|d| d.as_ref().is_some_and(|d| d.verdict == Verdict::Connected))
                    >
                        {move || {
                            if testing.get() {
                                "Testing…".to_owned()
                            } else {
                                diagnosis.with(|d| d.as_ref().map(|d| d.message.clone()).unwrap_or_default())
                            }
                        }}
                    </p>
                    <ul class="llm-models" data-testid="llm-models">
                        {move || {
                            models
                                .get()
                                .into_iter()
                                .map(|m| {
                                    let pick = m.clone();
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="link-button"
                                                data-testid="llm-model-option"
                                                on:click=move |_| {
                                                    let v = pick.clone();
                                                    form.edit(|p, _| {
                                                        p.settings.model = v;
                                                        Ok(())
                                                    });
                                                }
                                            >
                                                {m}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
                <label class="llm-field">
                    <span>"Response format"</span>
                    <select
                        data-testid="llm-format"
                        prop:value=move || format.with(format_name)
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.edit(|p, _| {
                                p.settings.response_format = match v.as_str() {
                                    "json_object" => ResponseFormat::JsonObject,
                                    "json_schema" => ResponseFormat::JsonSchema {
                                        schema: "{\n  \"type\": \"object\",\n  \"required\": []\n}".to_owned(),
                                    },
                                    _ => ResponseFormat::None,
                                };
                                Ok(())
                            });
                        }
                    >
                        <option value="none">"None"</option>
                        <option value="json_object">"JSON object"</option>
                        <option value="json_schema">"JSON schema"</option>
                    </select>
                </label>
                <Show when=move || format.with(|f| matches!(f, ResponseFormat::JsonSchema { .. }))>
                    {field_view(form, &SCHEMA)}
                </Show>
                {FIELDS.iter().map(|spec| field_view(form, spec)).collect_view()}
            </div>
            <p class="bt-field-error" role="alert" data-testid="llm-field-error">
                {move || form.error.get()}
            </p>
        </dialog>
    }
}

/// The profile's name.
const PROFILE_NAME: FieldSpec = field(
    "Profile name",
    "llm-profile-name",
    |p, _| p.name.clone(),
    |p, _, t| {
        if t.trim().is_empty() {
            return Err("A profile needs a name.".to_owned());
        }
        p.name = t.trim().to_owned();
        Ok(())
    },
);

/// The JSON schema of the `json_schema` response format.
const SCHEMA: FieldSpec = FieldSpec {
    rows: Some(4),
    ..area(
        "JSON schema (the answer is checked for valid JSON and its required top-level keys)",
        "llm-schema",
        |p, _| match &p.settings.response_format {
            ResponseFormat::JsonSchema { schema } => schema.clone(),
            _ => String::new(),
        },
        |p, _, t| {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(t) {
                return Err(format!("The JSON schema is not valid JSON: {e}."));
            }
            p.settings.response_format = ResponseFormat::JsonSchema { schema: t.to_owned() };
            Ok(())
        },
    )
};
