//! Two runs on the same inputs, side by side: the four headline metrics before and after with
//! their deltas, every id whose accuracy changed, and the prompts that flipped.
//!
//! The comparison is the library's (`ifeval::compare`, what `crab eval --compare` prints): the
//! view only lays it out. A run kept as the baseline is compared with every later run; runs of
//! different rows are refused with the library's message, never compared wrongly.

use crab_constraints::ifeval::compare::{Change, ModeComparison};
use crab_constraints::ifeval::{Comparison, PromptResults};
use leptos::prelude::*;
use serde_json::Value;

use crate::view::BatchRow;

/// Flipped prompts listed per mode and direction at most.
const FLIPS_SHOWN: usize = 50;

/// A run's results as the library compares them.
pub fn results(rows: &[BatchRow]) -> Vec<PromptResults> {
    rows.iter()
        .map(|r| PromptResults {
            key: Some(Value::String(r.key.clone())),
            prompt: r.prompt.clone(),
            instruction_id_list: r.ids.clone(),
            strict: r.strict.clone(),
            loose: r.loose.clone(),
        })
        .collect()
}

fn percent(x: f64) -> String {
    if x.is_nan() {
        "–".to_owned()
    } else {
        format!("{:.1}%", 100.0 * x)
    }
}

fn delta(change: &Change) -> String {
    let d = change.delta();
    if d.is_nan() {
        "–".to_owned()
    } else {
        format!("{:+.1} pt", 100.0 * d)
    }
}

fn change_row(name: String, change: Change, testid: Option<String>) -> impl IntoView {
    let class = match change.after.cmp(&change.before) {
        std::cmp::Ordering::Greater => "up",
        std::cmp::Ordering::Less => "down",
        std::cmp::Ordering::Equal => "same",
    };
    view! {
        <tr class=class data-testid=testid>
            <th scope="row">{name}</th>
            <td>{percent(change.before_accuracy())}</td>
            <td>{percent(change.after_accuracy())}</td>
            <td class="delta">{delta(&change)}</td>
        </tr>
    }
}

fn flips(mode: &'static str, comparison: &ModeComparison) -> impl IntoView {
    let (now, no_longer) = comparison.flip_counts();
    let list = move |followed: bool| {
        comparison
            .flips
            .iter()
            .filter(|f| f.followed == followed)
            .take(FLIPS_SHOWN)
            .map(|f| {
                let key = f.key.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned();
                let prompt: String = f.prompt.chars().take(100).collect();
                let ids =
                    f.instructions.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>().join(", ");
                view! {
                    <li>
                        <strong>{format!("line {} (key {key})", f.row + 1)}</strong>
                        " "
                        {prompt}
                        <span class="hint">{format!(" — {ids}")}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="flips" data-testid=format!("flips-{mode}")>
            <h4>{format!("Prompts that flipped ({mode})")}</h4>
            <div class="side-by-side">
                <div>
                    <p data-testid=format!("flips-{mode}-now")>{format!("{now} now followed")}</p>
                    <ul>{list(true)}</ul>
                </div>
                <div>
                    <p data-testid=format!("flips-{mode}-no-longer")>
                        {format!("{no_longer} no longer followed")}
                    </p>
                    <ul>{list(false)}</ul>
                </div>
            </div>
        </div>
    }
}

/// The comparison of the baseline run (`before`, named) with the current run (`after`).
#[component]
pub fn CompareView(
    /// The baseline's name (its response file).
    before: String,
    /// The current run's name.
    after: String,
    /// The comparison, or why the runs cannot be compared.
    comparison: Result<Comparison, String>,
) -> impl IntoView {
    let body = match comparison {
        Err(message) => view! {
            <p class="batch-status" data-testid="compare-error" role="alert">
                {format!("These runs cannot be compared: {message}.")}
            </p>
        }
        .into_any(),
        Ok(c) => {
            let headline = [
                ("Prompt-level strict", "prompt-strict", c.strict.prompts),
                ("Instruction-level strict", "instruction-strict", c.strict.instructions),
                ("Prompt-level loose", "prompt-loose", c.loose.prompts),
                ("Instruction-level loose", "instruction-loose", c.loose.instructions),
            ]
            .into_iter()
            .map(|(name, id, change)| {
                change_row(name.to_owned(), change, Some(format!("compare-{id}")))
            })
            .collect_view();
            let ids = c
                .strict
                .ids
                .iter()
                .filter(|(name, change)| {
                    change.before != change.after
                        || c.loose.ids.get(*name).is_some_and(|l| l.before != l.after)
                })
                .map(|(name, change)| change_row(format!("{name} (strict)"), *change, None))
                .collect_view();
            view! {
                <table class="compare-table" data-testid="compare-headline">
                    <thead>
                        <tr><th scope="col">"Metric"</th><th scope="col">"Baseline"</th><th scope="col">"This run"</th><th scope="col">"Change"</th></tr>
                    </thead>
                    <tbody>{headline}</tbody>
                </table>
                <details>
                    <summary>"Instruction ids whose accuracy changed"</summary>
                    <table class="compare-table" data-testid="compare-ids">
                        <thead>
                            <tr><th scope="col">"Id"</th><th scope="col">"Baseline"</th><th scope="col">"This run"</th><th scope="col">"Change"</th></tr>
                        </thead>
                        <tbody>{ids}</tbody>
                    </table>
                </details>
                {flips("strict", &c.strict)}
                {flips("loose", &c.loose)}
            }
            .into_any()
        }
    };
    view! {
        <section class="batch-compare" data-testid="batch-compare">
            <h3>"Compared with the baseline"</h3>
            <p class="hint">{format!("Baseline: {before}. This run: {after}.")}</p>
            {body}
        </section>
    }
}
