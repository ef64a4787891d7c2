//! A check's parameters as form controls, shared by the catalog (a new constraint) and the verify
//! panel (editing a listed one).
//!
//! The form never validates: every change goes straight into the kwargs as the person typed it
//! (a number that does not parse stays a string, an emptied field is removed), and the library
//! decides whether the result makes a constraint. So a half-typed value is never lost, and the
//! message the person sees is the library's, naming the field.

use crab_constraints::checks::{CheckInfo, Param, ParamKind};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::state::ConstraintSpec;

/// The kwargs a new constraint of `info` starts with: every parameter's default, minus those the
/// check refuses next to the others (e.g. `num_words` when the default relation is `between`);
/// the worked example's kwargs if the defaults do not make a constraint.
pub(crate) fn initial_kwargs(info: &'static CheckInfo) -> Map<String, Value> {
    let mut kwargs: Map<String, Value> =
        info.params.iter().map(|p| (p.name.to_owned(), default_value(&p.kind))).collect();
    for _ in 0..info.params.len() {
        let spec = ConstraintSpec { id: info.id.to_owned(), kwargs: kwargs.clone() };
        match spec.build() {
            Ok(_) => return kwargs,
            Err(e) => match e.field_name() {
                Some(field) if e.to_string().contains("unexpected") => {
                    kwargs.remove(field);
                }
                _ => break,
            },
        }
    }
    match serde_json::from_str::<Value>(info.example.kwargs) {
        Ok(Value::Object(map)) => map,
        _ => kwargs,
    }
}

fn default_value(kind: &ParamKind) -> Value {
    match kind {
        ParamKind::Count { default, .. } => Value::from(*default),
        ParamKind::Relation => Value::from("at least"),
        ParamKind::Text { default } => Value::from(*default),
        ParamKind::TextList { default } => {
            Value::Array(default.iter().map(|s| Value::from(*s)).collect())
        }
        ParamKind::Choice { default, .. } => Value::from(*default),
    }
}

/// How a kwargs value is shown in a text control (lists one item per line).
pub(crate) fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(other) => other.to_string(),
    }
}

/// The kwargs value for what the person typed into the control of `kind` (`None`: remove the key).
fn parse_value(kind: &ParamKind, raw: &str) -> Option<Value> {
    match kind {
        ParamKind::Count { .. } => {
            let t = raw.trim();
            if t.is_empty() {
                None
            } else {
                Some(t.parse::<i64>().map_or_else(|_| Value::from(t), Value::from))
            }
        }
        ParamKind::TextList { .. } => Some(Value::Array(
            raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(Value::from).collect(),
        )),
        ParamKind::Text { .. } if raw.is_empty() => None,
        ParamKind::Relation | ParamKind::Text { .. } | ParamKind::Choice { .. } => {
            Some(Value::from(raw))
        }
    }
}

/// Writes one control's value into `kwargs`.
pub(crate) fn set_param(kwargs: &mut Map<String, Value>, param: &Param, raw: &str) {
    match parse_value(&param.kind, raw) {
        Some(v) => {
            kwargs.insert(param.name.to_owned(), v);
        }
        None => {
            kwargs.remove(param.name);
        }
    }
}

/// `relation: at least · num_words: 300`: a spec's parameters in one line.
pub(crate) fn summary(kwargs: &Map<String, Value>) -> String {
    kwargs
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let shown = match v {
                Value::Array(_) => value_text(Some(v)).replace('\n', ", "),
                _ => value_text(Some(v)),
            };
            format!("{k}: {shown}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The form controls of `info`'s parameters. Each edit calls `on_change` with the parameter and
/// the raw text of its control; the controls are uncontrolled after the first render, so typing
/// is never interrupted by a re-render.
#[component]
pub fn ParamForm(
    /// The check whose parameters are shown.
    info: &'static CheckInfo,
    /// The values the controls start with.
    initial: Map<String, Value>,
    /// Receives each edit: the parameter and the control's text.
    #[prop(into)]
    on_change: Callback<(&'static Param, String)>,
    /// A prefix that makes the controls' ids unique on the page.
    id_prefix: String,
) -> impl IntoView {
    if info.params.is_empty() {
        return view! { <p class="params-none">"No parameters."</p> }.into_any();
    }
    let controls = info
        .params
        .iter()
        .map(|param| {
            let id = format!("{id_prefix}-{}", param.name);
            let current = value_text(initial.get(param.name));
            let testid = format!("param-{}", param.name);
            let control = match &param.kind {
                ParamKind::Count { min, max, .. } => view! {
                    <input
                        type="number"
                        id=id.clone()
                        data-testid=testid
                        min=min.to_string()
                        max=max.to_string()
                        step="1"
                        value=current
                        on:input=move |ev| on_change.run((param, event_target_value(&ev)))
                    />
                }
                .into_any(),
                ParamKind::Text { .. } => view! {
                    <input
                        type="text"
                        id=id.clone()
                        data-testid=testid
                        value=current
                        on:input=move |ev| on_change.run((param, event_target_value(&ev)))
                    />
                }
                .into_any(),
                ParamKind::TextList { .. } => view! {
                    <textarea
                        id=id.clone()
                        data-testid=testid
                        rows="3"
                        prop:value=current
                        on:input=move |ev| on_change.run((param, event_target_value(&ev)))
                    ></textarea>
                }
                .into_any(),
                ParamKind::Relation => choice(
                    id.clone(),
                    testid,
                    &["less than", "at least"],
                    current,
                    param,
                    on_change,
                ),
                ParamKind::Choice { options, .. } => {
                    choice(id.clone(), testid, options, current, param, on_change)
                }
            };
            let range = match &param.kind {
                ParamKind::TextList { .. } => " (one per line)".to_owned(),
                ParamKind::Count { min, max, .. } => format!(" ({min}–{max})"),
                _ => String::new(),
            };
            view! {
                <div class="param">
                    <label for=id>{param.name}</label>
                    {control}
                    <span class="param-doc">{super::inline_code(param.doc)} {range}</span>
                </div>
            }
        })
        .collect_view();
    view! { <div class="param-form">{controls}</div> }.into_any()
}

fn choice(
    id: String,
    testid: String,
    options: &'static [&'static str],
    current: String,
    param: &'static Param,
    on_change: Callback<(&'static Param, String)>,
) -> AnyView {
    let known = options.contains(&current.as_str());
    view! {
        <select
            id=id
            data-testid=testid
            on:change=move |ev| on_change.run((param, event_target_value(&ev)))
        >
            {(!known)
                .then(|| {
                    view! {
                        <option value=current.clone() selected=true>
                            {format!("{current:?} (not accepted)")}
                        </option>
                    }
                })}
            {options
                .iter()
                .map(|o| {
                    view! {
                        <option value=*o selected=*o == current>
                            {*o}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
    .into_any()
}
