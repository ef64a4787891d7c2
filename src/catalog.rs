//! The constraint catalog: every registered check, grouped by family and searchable, each with
//! its description, its parameters as form controls, a worked example and an "Add" button.
//!
//! The catalog does not know where a constraint goes: it hands the configured spec to `on_add`,
//! so the verify panel adds it to the session and the quiz grades it. Every check's form is
//! rendered once and only hidden by the search, so a half-configured check keeps its values
//! while the person searches for another.

use crab_constraints::checks::{CheckInfo, CHECKS};
use crab_constraints::text::Resource;
use leptos::prelude::*;

use crate::state::ConstraintSpec;

pub mod params;

pub use params::ParamForm;
pub(crate) use params::{set_param, summary};

/// Text from the registry's Markdown with `` `code` `` spans rendered as code (the only markup the
/// check docs use inline).
pub(crate) fn inline_code(text: &'static str) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(
            |(i, part)| {
                if i % 2 == 1 {
                    view! { <code>{part}</code> }.into_any()
                } else {
                    part.into_any()
                }
            },
        )
        .collect_view()
}

/// Whether `info` matches every word of the search `query` (id, title, description; any case).
fn matches(info: &CheckInfo, query: &str) -> bool {
    let hay = format!("{} {} {}", info.id, info.title, info.description).to_lowercase();
    query.to_lowercase().split_whitespace().all(|w| hay.contains(w))
}

/// Lets the person pick a check and its parameters; `on_add` receives the configured spec.
#[component]
pub fn Catalog(
    /// Receives each constraint the person adds.
    #[prop(into)]
    on_add: Callback<ConstraintSpec>,
) -> impl IntoView {
    let (query, set_query) = signal(String::new());
    let shown = move || query.with(|q| CHECKS.iter().filter(|c| matches(c, q)).count());
    let mut families: Vec<&'static str> = Vec::new();
    for c in CHECKS {
        if !families.contains(&c.family()) {
            families.push(c.family());
        }
    }
    let groups = families
        .into_iter()
        .map(|family| {
            let checks: Vec<&'static CheckInfo> =
                CHECKS.iter().copied().filter(|c| c.family() == family).collect();
            let any_shown = {
                let checks = checks.clone();
                move || query.with(|q| checks.iter().any(|c| matches(c, q)))
            };
            let heading = format!("catalog-family-{family}");
            let labelled_by = heading.clone();
            view! {
                <section
                    class="catalog-family"
                    aria-labelledby=labelled_by
                    hidden=move || !any_shown()
                >
                    <h4 id=heading>{family}</h4>
                    <ul class="catalog-checks">
                        {checks
                            .into_iter()
                            .map(|info| {
                                view! {
                                    <li hidden=move || !query.with(|q| matches(info, q))>
                                        <CheckEntry info on_add />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="catalog" data-testid="catalog" aria-labelledby="catalog-heading">
            <h3 id="catalog-heading">"Catalog"</h3>
            <div class="catalog-search">
                <label for="catalog-search">"Search checks"</label>
                <input
                    type="search"
                    id="catalog-search"
                    data-testid="catalog-search"
                    placeholder="id, title or description"
                    prop:value=query
                    on:input=move |ev| set_query.set(event_target_value(&ev))
                />
                <span class="catalog-count" data-testid="catalog-count" aria-live="polite">
                    {move || match shown() {
                        1 => "1 check".to_owned(),
                        n => format!("{n} checks"),
                    }}
                </span>
            </div>
            <div class="catalog-list">{groups}</div>
        </section>
    }
}

/// One check: a collapsed row (title, id) that opens to its docs, form, example and Add button.
#[component]
fn CheckEntry(
    /// The check.
    info: &'static CheckInfo,
    /// Receives the configured spec.
    on_add: Callback<ConstraintSpec>,
) -> impl IntoView {
    let kwargs = RwSignal::new(params::initial_kwargs(info));
    let (error, set_error) = signal(None::<String>);
    let slug = info.id.replace(':', "-");
    let on_change = Callback::new(move |(param, raw): (_, String)| {
        kwargs.update(|k| set_param(k, param, &raw));
        set_error.set(None);
    });
    let add = move |_| {
        let spec = ConstraintSpec { id: info.id.to_owned(), kwargs: kwargs.get_untracked() };
        match spec.build() {
            Ok(_) => {
                set_error.set(None);
                on_add.run(spec);
            }
            Err(e) => set_error.set(Some(e.to_string())),
        }
    };
    let example_kwargs = info.example.kwargs;
    let no_params = example_kwargs.trim() == "{}";
    view! {
        <details class="check" data-testid=format!("check-{}", info.id)>
            <summary>
                <span class="check-title">{info.title}</span>
                " "
                <code class="check-id">{info.id}</code>
            </summary>
            <div class="check-body">
                <p class="check-description">{inline_code(info.description)}</p>
                {info
                    .divergence
                    .map(|d| view! { <p class="check-divergence">"Note: " {inline_code(d)}</p> })}
                {info
                    .needs_language()
                    .then(|| {
                        view! {
                            <p class="check-divergence" data-testid="needs-language">
                                "Detects the language with langdetect: the language data (about 450 KB) loads when this check is first used."
                            </p>
                        }
                    })}
                {info
                    .needs
                    .contains(&Resource::Tagger)
                    .then(|| {
                        view! {
                            <p class="check-divergence" data-testid="needs-tagger">
                                "Tags words with NLTK's part-of-speech tagger: its model (about 590 KB) loads when this check is first used."
                            </p>
                        }
                    })}
                <ParamForm
                    info
                    initial=kwargs.get_untracked()
                    on_change
                    id_prefix=format!("catalog-{slug}")
                />
                <p class="check-error" role="alert" data-testid="check-error">
                    {move || error.get()}
                </p>
                <div class="check-actions">
                    <button type="button" class="primary" data-testid="add-check" on:click=add>
                        "Add"
                        <span class="visually-hidden">" " {info.title}</span>
                    </button>
                </div>
                <div class="check-example">
                    <p>
                        <strong>"Example"</strong>
                        {(!no_params).then(|| view! { " with " <code>{example_kwargs}</code> })}
                    </p>
                    <p class="example-pass">"Passes: " <q>{info.example.pass}</q></p>
                    <p class="example-fail">"Fails: " <q>{info.example.fail}</q></p>
                </div>
            </div>
        </details>
    }
}
