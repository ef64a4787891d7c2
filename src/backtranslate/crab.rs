//! Importing CRAB's stage-6 records (pasted, or picked as a file) and showing which of their
//! constraints really hold on their own responses, as `crab_import::check_record` decides:
//! holds, does not hold (with the reason, e.g. CRAB's inverted `Word` rule), or a sentence an
//! LLM wrote, which no code can check. A record can be loaded into the session.
//!
//! A document that cannot be read gives the library's message (record and field named); the
//! pasted text stays in its box and the records shown before stay shown.

use crab_constraints::checks::Status;
use crab_constraints::crab_import::{
    check_record, parse_records, Checked, CrabRecord, Imported, RecordSummary,
};
use crab_constraints::text::lang::LanguageDetector;
use leptos::prelude::*;

use crate::badge;
use crate::session_menu::files;
use crate::state::{AppState, ConstraintSpec};

/// What one entry of a record came to, for display.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemLine {
    /// CRAB's key (`Digit`, `Keyword`, `Desired_Writing_Style`, …).
    pub key: String,
    /// CRAB's sentence.
    pub text: String,
    /// What was checked (a check id, "Word as written …"), for checked entries.
    pub checked: Option<String>,
    /// The verdict's status, for checked entries.
    pub status: Option<Status>,
    /// The verdict's detail, or why the entry cannot be checked.
    pub note: String,
}

/// One imported record with its verdicts.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordView {
    /// The record.
    pub record: CrabRecord,
    /// One line per verdict (an inverted rule gives two) and per uncheckable entry, in the
    /// record's order.
    pub lines: Vec<ItemLine>,
    /// The tallies.
    pub summary: RecordSummary,
}

/// Checks every record of `doc`; the library's message when the document cannot be read.
pub fn check_document(
    doc: &str,
    detector: Option<&LanguageDetector>,
) -> Result<Vec<RecordView>, String> {
    let records = parse_records(doc).map_err(|e| e.to_string())?;
    Ok(records
        .into_iter()
        .map(|record| {
            let checks = check_record(&record, detector);
            let summary = RecordSummary::of(&record, &checks);
            let mut lines = Vec::new();
            for item in &record.items {
                let base =
                    |checked: Option<String>, status: Option<Status>, note: String| ItemLine {
                        key: item.key.clone(),
                        text: item.text.clone(),
                        checked,
                        status,
                        note,
                    };
                match &item.kind {
                    Imported::Text => lines.push(base(
                        None,
                        None,
                        "Written by the LLM: a text constraint no code can check.".to_owned(),
                    )),
                    Imported::Unparsed { reason } => lines.push(base(
                        None,
                        None,
                        format!("Could not be read as a rule: {reason}"),
                    )),
                    Imported::Typed(_) | Imported::Inverted { .. } => {
                        for (checked, verdict) in
                            checks.iter().filter(|(c, _)| std::ptr::eq(c.item(), item))
                        {
                            let note = match (checked, &item.kind) {
                                (Checked::AsWritten { .. }, Imported::Inverted { reason, .. }) => {
                                    format!("{reason} ({})", verdict.detail)
                                }
                                _ => verdict.detail.clone(),
                            };
                            lines.push(base(Some(checked.label()), Some(verdict.status), note));
                        }
                    }
                }
            }
            RecordView { record, lines, summary }
        })
        .collect())
}

/// The CRAB import section.
#[component]
pub fn CrabImport() -> impl IntoView {
    let state = AppState::get();
    let pasted = RwSignal::new(String::new());
    let records = RwSignal::new(None::<(String, Vec<RecordView>)>);
    let error = RwSignal::new(None::<String>);

    let import =
        move |origin: String, text: &str| match check_document(text, state.lang.detector()) {
            Ok(views) => {
                error.set(None);
                records.set(Some((origin, views)));
            }
            Err(e) => error
                .set(Some(format!("{origin} could not be imported: {e}. Nothing was changed."))),
        };
    let on_file = move |ev: leptos::ev::Event| {
        files::on_picked(&ev, move |picked| match picked {
            Ok(None) => {}
            Ok(Some((name, text))) => import(format!("\"{name}\""), &text),
            Err(e) => error.set(Some(e)),
        });
    };

    view! {
        <section class="bt-crab" aria-labelledby="bt-crab-title" data-testid="crab-import">
            <h3 id="bt-crab-title">"Import CRAB records"</h3>
            <p class="bt-muted">
                "Paste or pick CRAB's back-translated seed records (stage 6: a JSON array, or JSONL) to see which of their constraints really hold on their own responses."
            </p>
            <label for="bt-crab-paste" class="bt-label">
                "CRAB records (JSON)"
            </label>
            <textarea
                id="bt-crab-paste"
                rows="4"
                data-testid="crab-paste"
                prop:value=move || pasted.get()
                on:input=move |ev| pasted.set(event_target_value(&ev))
            ></textarea>
            <div class="bt-actions">
                <button
                    type="button"
                    data-testid="crab-check"
                    on:click=move |_| import("The pasted text".to_owned(), &pasted.get_untracked())
                >
                    "Check pasted records"
                </button>
                <label class="bt-file">
                    <span>"Or pick a file"</span>
                    <input
                        type="file"
                        accept=".json,.jsonl,application/json"
                        data-testid="crab-file"
                        on:change=on_file
                    />
                </label>
            </div>
            <p class="bt-field-error" role="alert" data-testid="crab-error">
                {move || error.get()}
            </p>
            {move || {
                records
                    .get()
                    .map(|(origin, views)| {
                        let total: RecordSummary = views.iter().fold(RecordSummary::default(), |a, v| RecordSummary {
                            holds: a.holds + v.summary.holds,
                            fails: a.fails + v.summary.fails,
                            pending: a.pending + v.summary.pending,
                            text: a.text + v.summary.text,
                            unparsed: a.unparsed + v.summary.unparsed,
                        });
                        view! {
                            <p class="bt-crab-total" data-testid="crab-total">
                                {format!(
                                    "{} from {origin}: {} checks hold, {} do not hold, {} LLM-written constraints cannot be checked",
                                    plural(views.len(), "record"),
                                    total.holds,
                                    total.fails,
                                    total.text,
                                )}
                                {(total.unparsed > 0).then(|| format!(", {} could not be read", total.unparsed))}
                                "."
                            </p>
                            <ol class="bt-crab-records">
                                {views
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, v)| view! { <RecordItem view=v open=i == 0 /> })
                                    .collect_view()}
                            </ol>
                        }
                    })
            }}
        </section>
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One imported record.
#[component]
fn RecordItem(
    /// The record and its verdicts.
    view: RecordView,
    /// Whether it starts unfolded.
    open: bool,
) -> impl IntoView {
    let state = AppState::get();
    let RecordView { record, lines, summary } = view;
    let checkable: Vec<ConstraintSpec> = record
        .items
        .iter()
        .filter_map(|item| item.kind.constraint())
        .map(ConstraintSpec::from_constraint)
        .collect();
    let n_checkable = checkable.len();
    let load = {
        let record = record.clone();
        move |_| {
            state.selected.set(None);
            state.highlight.set(None);
            state.instruction.set(record.instruction.clone());
            state.response.set(record.response.clone());
            state.constraints.set(checkable.clone());
            state.info(format!(
                "Loaded CRAB record {} into the editors, with its {} checkable constraint{} in the Verify list.",
                record.id,
                n_checkable,
                if n_checkable == 1 { "" } else { "s" }
            ));
        }
    };
    let source = record.source.clone().map(|s| format!(" · {s}")).unwrap_or_default();
    view! {
        <li class="bt-crab-record" data-testid="crab-record" data-id=record.id.clone()>
            <details open=open>
                <summary>
                    <span class="bt-crab-id">{format!("Record {}{source}", record.id)}</span>
                    <span class="bt-crab-counts">
                        <span class="badge pass">
                            <span data-testid="crab-holds">{summary.holds}</span>
                            " hold"
                        </span>
                        <span class="badge fail">
                            <span data-testid="crab-fails">{summary.fails + summary.pending}</span>
                            " do not hold"
                        </span>
                        <span class="bt-crab-text-count">
                            <span data-testid="crab-text">{summary.text}</span>
                            " text"
                        </span>
                        <span class="visually-hidden" data-testid="crab-unparsed">
                            {summary.unparsed}
                        </span>
                    </span>
                </summary>
                <p class="bt-crab-instruction" data-testid="crab-instruction">
                    {record.instruction.clone()}
                </p>
                <ul class="bt-crab-items">
                    {lines
                        .into_iter()
                        .map(|line| {
                            let (class, word) = match line.status {
                                // A record's constraint that cannot be used does not hold.
                                Some(Status::Invalid) => {
                                    (badge::class(Status::Invalid), badge::holds(Status::Fail))
                                }
                                Some(status) => (badge::class(status), badge::holds(status)),
                                None => ("badge bt-text-badge", "not checkable"),
                            };
                            view! {
                                <li class="bt-crab-item" data-testid="crab-item">
                                    <span class=class data-testid="crab-item-status">{word}</span>
                                    <span class="bt-crab-key">{line.key}</span>
                                    <span class="bt-crab-sentence">{line.text}</span>
                                    {line.checked.map(|c| view! { <code class="bt-id">{c}</code> })}
                                    <span class="bt-detail">{line.note}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <button type="button" data-testid="crab-load" on:click=load>
                    {format!("Load record {} into the session", record.id)}
                </button>
            </details>
        </li>
    }
}
