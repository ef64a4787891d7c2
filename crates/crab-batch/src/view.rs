//! The Batch view: two files in, the worker started, its messages turned into progress, metrics,
//! charts, a table and downloads.
//!
//! Everything the person loaded stays: the picked files stay picked after a bad file, a failed
//! or cancelled run keeps the rows scored so far, and a malformed row is a message naming its
//! file and line while the other rows are scored. Model output is shown as text (Leptos text
//! nodes), never parsed as HTML.

use crab_constraints::ifeval::pyjson::float_repr;
use crab_constraints::ifeval::report::{Scores, Tally};
use crab_constraints::ifeval::{Metrics, PromptResults};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::chart::BarChart;
use crate::compare::{self, CompareView};
use crate::runs::{self, Kept, Summary};
use crate::table::RowTable;

/// The worker script, next to the page (`crates/crab-batch/crab-batch-worker.js`, copied by Trunk).
const WORKER_FILE: &str = "crab-batch-worker.js";
/// The view's stylesheet, next to the page (`style/batch.css`, copied by Trunk).
const STYLESHEET: &str = "batch.css";

/// One scored row, as the worker posts it.
#[derive(Clone, Debug, Deserialize)]
pub struct BatchRow {
    /// The line of the input file.
    pub line: usize,
    /// The row's key (a string as it is, any other key as JSON).
    pub key: String,
    /// The prompt.
    pub prompt: String,
    /// The response scored.
    pub response: String,
    /// The input line, as it is in the file.
    pub input: String,
    /// The instruction ids.
    pub ids: Vec<String>,
    /// Strict following, per instruction.
    pub strict: Vec<bool>,
    /// Loose following, per instruction.
    pub loose: Vec<bool>,
}

impl BatchRow {
    /// Whether every instruction is followed (strict).
    pub fn strict_all(&self) -> bool {
        self.strict.iter().all(|&b| b)
    }

    /// Whether every instruction is followed (loose).
    pub fn loose_all(&self) -> bool {
        self.loose.iter().all(|&b| b)
    }
}

/// A file the person picked: its name and the file itself (a handle: the worker reads the
/// bytes, so the main thread never copies tens of megabytes).
#[derive(Clone)]
struct Picked {
    name: String,
    file: web_sys::Blob,
}

/// Where the run stands.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Running,
    Done,
    Cancelled,
    Failed(String),
}

/// Google's two files and the CSV, as the worker wrote them (`Blob`s).
#[derive(Clone)]
struct Exports {
    strict: JsValue,
    loose: JsValue,
    csv: JsValue,
}

/// The running worker and the closures it calls.
type Running = (Worker, Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

#[derive(Clone, Copy)]
struct Batch {
    input: RwSignal<Option<Picked>, LocalStorage>,
    responses: RwSignal<Option<Picked>, LocalStorage>,
    status: RwSignal<Status>,
    progress: RwSignal<(usize, usize)>,
    started: RwSignal<f64>,
    now: RwSignal<f64>,
    elapsed: RwSignal<Option<f64>>,
    scoring: RwSignal<Option<f64>>,
    benchmark: RwSignal<String>,
    /// Rows scored, shown once the run ends (during a run they gather in `pending`).
    rows: RwSignal<Vec<BatchRow>>,
    pending: StoredValue<Vec<BatchRow>>,
    /// The `rows` messages' JSON texts, as they came (what a kept run stores).
    raw: StoredValue<js_sys::Array, LocalStorage>,
    /// The runs kept in this browser, and the last message about them.
    kept: RwSignal<Vec<Summary>>,
    kept_message: RwSignal<Option<String>>,
    metrics: RwSignal<Metrics>,
    /// The run kept as the baseline (its name and results), compared with the later runs.
    baseline: RwSignal<Option<(String, Vec<PromptResults>)>>,
    /// The current run's name (its response file, else its input file).
    run_name: RwSignal<String>,
    problems: RwSignal<Vec<String>>,
    exports: RwSignal<Option<Exports>, LocalStorage>,
    worker: StoredValue<Option<Running>, LocalStorage>,
    /// The last worker's closures, kept until the next run: a run ends inside one of them, and a
    /// closure may not be dropped while it runs.
    retired: StoredValue<Option<Running>, LocalStorage>,
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn base_uri() -> String {
    document().base_uri().ok().flatten().unwrap_or_default()
}

/// Adds the view's stylesheet to the page once.
pub fn add_stylesheet() {
    let document = document();
    if document.get_element_by_id("crab-batch-css").is_some() {
        return;
    }
    let Ok(link) = document.create_element("link") else { return };
    let href = web_sys::Url::new_with_base(STYLESHEET, &base_uri()).map(|u| u.href());
    let _ = link.set_attribute("id", "crab-batch-css");
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &href.unwrap_or_default());
    if let Some(head) = document.head() {
        let _ = head.append_child(&link);
    }
}

impl Batch {
    fn new() -> Batch {
        Batch {
            input: RwSignal::new_local(None),
            responses: RwSignal::new_local(None),
            status: RwSignal::new(Status::Idle),
            progress: RwSignal::new((0, 0)),
            started: RwSignal::new(0.0),
            now: RwSignal::new(0.0),
            elapsed: RwSignal::new(None),
            scoring: RwSignal::new(None),
            benchmark: RwSignal::new(String::new()),
            rows: RwSignal::new(Vec::new()),
            pending: StoredValue::new(Vec::new()),
            raw: StoredValue::new_local(js_sys::Array::new()),
            kept: RwSignal::new(Vec::new()),
            kept_message: RwSignal::new(None),
            metrics: RwSignal::new(Metrics::default()),
            baseline: RwSignal::new(None),
            run_name: RwSignal::new(String::new()),
            problems: RwSignal::new(Vec::new()),
            exports: RwSignal::new_local(None),
            worker: StoredValue::new_local(None),
            retired: StoredValue::new_local(None),
        }
    }

    fn stop_worker(self) {
        if let Some(running) = self.worker.try_update_value(Option::take).flatten() {
            running.0.terminate();
            self.retired.set_value(Some(running));
        }
    }

    /// Ends the run: the worker goes, the rows scored so far are shown.
    fn finish(self, status: Status) {
        self.stop_worker();
        let rows = self.pending.try_update_value(std::mem::take).unwrap_or_default();
        self.rows.set(rows);
        self.status.set(status);
    }

    fn start(self) {
        let Some(input) = self.input.get_untracked() else { return };
        self.stop_worker();
        self.rows.set(Vec::new());
        self.pending.set_value(Vec::new());
        self.raw.set_value(js_sys::Array::new());
        self.metrics.set(Metrics::default());
        self.problems.set(Vec::new());
        self.exports.set(None);
        self.elapsed.set(None);
        self.progress.set((0, 0));
        self.started.set(now());
        self.now.set(now());
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let url = web_sys::Url::new_with_base(WORKER_FILE, &base_uri()).map(|u| u.href());
        let worker = match url.and_then(|url| Worker::new_with_options(&url, &options)) {
            Ok(worker) => worker,
            Err(e) => {
                self.status
                    .set(Status::Failed(format!("The evaluation worker could not start: {e:?}")));
                return;
            }
        };
        let responses = self.responses.get_untracked();
        self.run_name.set(responses.as_ref().unwrap_or(&input).name.clone());
        let target = worker.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            self.handle(&event.data(), &target, &input, responses.as_ref());
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            self.finish(Status::Failed(
                "The evaluation worker failed (see the browser console); the rows scored so far \
                 are kept."
                    .to_owned(),
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.worker.set_value(Some((worker, on_message, on_error)));
        self.status.set(Status::Running);
    }

    fn handle(self, data: &JsValue, worker: &Worker, input: &Picked, responses: Option<&Picked>) {
        let get = |name: &str| js_sys::Reflect::get(data, &name.into()).unwrap_or_default();
        let number = |name: &str| get(name).as_f64().unwrap_or(0.0) as usize;
        match get("type").as_string().as_deref() {
            Some("ready") => {
                let start = js_sys::Object::new();
                let set = |name: &str, value: &JsValue| {
                    let _ = js_sys::Reflect::set(&start, &name.into(), value);
                };
                // The files themselves: posting a `Blob` passes a handle, not its bytes (the
                // worker reads them), and the picked files stay here for the next run.
                set("type", &"start".into());
                set("inputs", &input.file);
                set("inputName", &input.name.as_str().into());
                if let Some(responses) = responses {
                    set("responses", &responses.file);
                    set("responsesName", &responses.name.as_str().into());
                }
                set("base", &base_uri().into());
                let _ = worker.post_message(&start);
            }
            Some("progress") => {
                self.progress.set((number("done"), number("total")));
                self.now.set(now());
            }
            Some("rows") => {
                let json = get("json");
                self.add_rows(&json.as_string().unwrap_or_default());
                self.raw.with_value(|raw| raw.push(&json));
            }
            Some("error") => {
                let message = get("message").as_string().unwrap_or_default();
                self.problems.update(|p| p.push(message));
            }
            Some("fatal") => {
                let message = get("message").as_string().unwrap_or_default();
                self.finish(Status::Failed(message));
            }
            Some("done") => {
                self.exports.set(Some(Exports {
                    strict: get("strict"),
                    loose: get("loose"),
                    csv: get("csv"),
                }));
                self.elapsed.set(get("ms").as_f64());
                self.scoring.set(get("scoringMs").as_f64());
                self.benchmark.set(get("benchmark").as_string().unwrap_or_default());
                self.finish(Status::Done);
            }
            _ => {}
        }
    }

    /// Adds a `rows` message's rows (JSON text) to the run.
    fn add_rows(self, json: &str) {
        let rows: Vec<BatchRow> = serde_json::from_str(json).unwrap_or_default();
        self.metrics.update(|m| {
            for row in &rows {
                m.add(&row.ids, &row.strict, &row.loose);
            }
        });
        self.pending.update_value(|pending| pending.extend(rows));
    }

    /// Keeps the finished run in IndexedDB.
    fn keep(self) {
        let Some(exports) = self.exports.get_untracked() else { return };
        let run = Kept {
            batches: self.raw.get_value(),
            exports: [exports.strict, exports.loose, exports.csv],
            benchmark: self.benchmark.get_untracked(),
        };
        let rows = self.rows.with_untracked(Vec::len);
        let prompt_strict = self.metrics.with_untracked(|m| m.strict.prompts.accuracy());
        let name = self.run_name.get_untracked();
        spawn_local(async move {
            match runs::keep(name.clone(), rows, prompt_strict, run).await {
                Ok(summary) => {
                    self.kept.update(|k| k.push(summary));
                    self.kept_message.set(Some(format!("Kept {name} in this browser.")));
                }
                Err(message) => self.kept_message.set(Some(message)),
            }
        });
    }

    /// Reopens a kept run.
    fn reopen(self, summary: Summary) {
        if self.status.get_untracked() == Status::Running {
            return;
        }
        spawn_local(async move {
            match runs::load(summary.id).await {
                Ok(kept) => {
                    self.stop_worker();
                    self.pending.set_value(Vec::new());
                    self.metrics.set(Metrics::default());
                    self.problems.set(Vec::new());
                    for json in kept.batches.iter() {
                        self.add_rows(&json.as_string().unwrap_or_default());
                    }
                    self.raw.set_value(kept.batches);
                    let [strict, loose, csv] = kept.exports;
                    self.exports.set(Some(Exports { strict, loose, csv }));
                    self.benchmark.set(kept.benchmark);
                    self.elapsed.set(None);
                    self.scoring.set(None);
                    self.progress.set((summary.rows, summary.rows));
                    self.run_name.set(summary.name.clone());
                    self.kept_message
                        .set(Some(format!("Reopened {} ({}).", summary.name, summary.when)));
                    self.finish(Status::Done);
                }
                Err(message) => self.kept_message.set(Some(message)),
            }
        });
    }

    /// Deletes a kept run.
    fn forget(self, id: f64) {
        spawn_local(async move {
            match runs::delete(id).await {
                Ok(()) => {
                    self.kept.update(|k| k.retain(|s| s.id != id));
                    self.kept_message.set(Some("Deleted the kept run.".to_owned()));
                }
                Err(message) => self.kept_message.set(Some(message)),
            }
        });
    }

    fn cancel(self) {
        if self.status.get_untracked() == Status::Running {
            self.finish(Status::Cancelled);
        }
    }
}

/// Keeps a picked or dropped file in `target`.
fn read_file(file: web_sys::File, target: RwSignal<Option<Picked>, LocalStorage>) {
    target.set(Some(Picked { name: file.name(), file: file.into() }));
}

/// A file picker that also takes a dropped file.
#[component]
fn FilePick(
    label: &'static str,
    hint: &'static str,
    id: &'static str,
    target: RwSignal<Option<Picked>, LocalStorage>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_change = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(file, target);
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            read_file(file, target);
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            data-testid=format!("{id}-zone")
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for=id>{label}</label>
            <input type="file" id=id data-testid=id accept=".jsonl,.json,.txt" on:change=on_change />
            <p class="hint">{hint}</p>
            <p class="picked" data-testid=format!("{id}-name")>
                {move || target.with(|p| p.as_ref().map(|p| format!("Loaded: {}", p.name)))}
            </p>
        </div>
    }
}

/// Offers `blob` as a file download.
fn download(name: &str, blob: &JsValue) {
    let Some(blob) = blob.dyn_ref::<web_sys::Blob>() else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Asks the app to open `row` in its Verify view (the app listens for `crab-open-row`).
pub fn open_in_verify(row: &BatchRow) {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"row".into(), &row.input.as_str().into());
    let _ = js_sys::Reflect::set(&detail, &"response".into(), &row.response.as_str().into());
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("crab-open-row", &init) {
        let _ = window().dispatch_event(&event);
    }
}

/// One of the four headline metrics.
#[component]
fn Metric(
    name: &'static str,
    id: &'static str,
    definition: &'static str,
    value: Signal<Tally>,
) -> impl IntoView {
    let percent = move || {
        let t = value.get();
        if t.total == 0 {
            "–".to_owned()
        } else {
            format!("{:.1}%", 100.0 * t.accuracy())
        }
    };
    view! {
        <div class="metric" data-testid=format!("metric-{id}")>
            <h4>{name}</h4>
            <p class="metric-value">{percent}</p>
            <p class="metric-exact">
                <code data-testid=format!("metric-{id}-exact")>
                    {move || {
                        let t = value.get();
                        if t.total == 0 { String::new() } else { float_repr(t.accuracy()) }
                    }}
                </code>
                {move || {
                    let t = value.get();
                    format!(" ({} of {})", t.followed, t.total)
                }}
            </p>
            <p class="hint">{definition}</p>
        </div>
    }
}

/// The runs kept in this browser: reopen or delete each.
#[component]
fn KeptRuns(batch: Batch) -> impl IntoView {
    view! {
        <section class="kept-runs" data-testid="kept-runs">
            <h3>"Runs kept in this browser"</h3>
            <p class="hint" role="status" data-testid="kept-message">{move || batch.kept_message.get()}</p>
            <p class="hint" hidden=move || batch.kept.with(|k| !k.is_empty())>"None yet."</p>
            <ul>
                {move || {
                    batch
                        .kept
                        .get()
                        .into_iter()
                        .map(|summary| {
                            let id = summary.id;
                            let text = format!(
                                "{} — {} rows, prompt-level strict {:.1}% (kept {})",
                                summary.name,
                                summary.rows,
                                100.0 * summary.prompt_strict,
                                summary.when
                            );
                            view! {
                                <li data-testid="kept-run">
                                    <span>{text}</span>
                                    " "
                                    <button type="button" data-testid="reopen-run" on:click=move |_| batch.reopen(summary.clone())>
                                        "Open"
                                    </button>
                                    <button type="button" data-testid="delete-run" on:click=move |_| batch.forget(id)>
                                        "Delete"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// Bars of a group (families or ids): strict and loose accuracy per name.
fn bars(
    metrics: &Metrics,
    group: fn(&Scores) -> &std::collections::BTreeMap<String, Tally>,
) -> Vec<(String, f64, f64)> {
    group(&metrics.strict)
        .iter()
        .map(|(name, strict)| {
            let loose = group(&metrics.loose).get(name).map_or(0.0, Tally::accuracy);
            (name.clone(), strict.accuracy(), loose)
        })
        .collect()
}

/// The whole Batch view.
#[component]
pub fn BatchView() -> impl IntoView {
    let batch = Batch::new();
    spawn_local(async move {
        match runs::list().await {
            Ok(kept) => batch.kept.set(kept),
            Err(message) => batch.kept_message.set(Some(message)),
        }
    });
    let running = move || batch.status.get() == Status::Running;
    let rate = move || {
        let (done, _) = batch.progress.get();
        let seconds = (batch.now.get() - batch.started.get()) / 1000.0;
        if seconds > 0.0 {
            format!("{:.0} rows/s", done as f64 / seconds)
        } else {
            String::new()
        }
    };
    let metric = move |f: fn(&Metrics) -> Tally| Signal::derive(move || batch.metrics.with(f));
    let finished = move || matches!(batch.status.get(), Status::Done | Status::Cancelled);
    let has_rows = move || finished() && batch.rows.with(|r| !r.is_empty());
    view! {
        <div class="batch" data-testid="batch-view">
            <h2>"Batch evaluation"</h2>
            <p class="hint">
                "Score a whole IFEval or IFBench run, as "<code>"crab eval"</code>" does: an input file ("
                <code>"key"</code>", "<code>"prompt"</code>", "<code>"instruction_id_list"</code>", "
                <code>"kwargs"</code>") and a response file ("<code>"prompt"</code>", "<code>"response"</code>
                "), or one file whose rows carry both. It runs in a background worker; nothing leaves your browser."
            </p>
            <div class="batch-files">
                <FilePick
                    label="Input file (JSONL)"
                    hint="Drop a file here or pick one."
                    id="batch-input"
                    target=batch.input
                />
                <FilePick
                    label="Response file (JSONL, optional)"
                    hint="Leave empty when the input rows carry their response."
                    id="batch-responses"
                    target=batch.responses
                />
            </div>
            <div class="batch-actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="batch-run"
                    disabled=move || running() || batch.input.with(Option::is_none)
                    on:click=move |_| batch.start()
                >
                    "Evaluate"
                </button>
                <button
                    type="button"
                    data-testid="batch-cancel"
                    disabled=move || !running()
                    on:click=move |_| batch.cancel()
                >
                    "Cancel"
                </button>
            </div>
            <div class="batch-progress" hidden=move || batch.status.get() == Status::Idle>
                <progress
                    data-testid="batch-progress"
                    max=move || batch.progress.get().1.max(1)
                    value=move || batch.progress.get().0
                ></progress>
                <p data-testid="batch-count" aria-live="polite">
                    {move || {
                        let (done, total) = batch.progress.get();
                        format!("{done} / {total} rows")
                    }}
                    " · "
                    {rate}
                    {move || match batch.status.get() {
                        Status::Done => format!(
                            " · done in {:.0} ms ({})",
                            batch.elapsed.get().unwrap_or(0.0),
                            batch.benchmark.get()
                        ),
                        Status::Cancelled => " · cancelled".to_owned(),
                        _ => String::new(),
                    }}
                </p>
                <p
                    class="batch-status"
                    data-testid="batch-status"
                    data-status=move || match batch.status.get() {
                        Status::Idle => "idle",
                        Status::Running => "running",
                        Status::Done => "done",
                        Status::Cancelled => "cancelled",
                        Status::Failed(_) => "failed",
                    }
                    data-elapsed-ms=move || batch.elapsed.get().map(|ms| format!("{ms:.1}"))
                    data-scoring-ms=move || batch.scoring.get().map(|ms| format!("{ms:.1}"))
                >
                    {move || match batch.status.get() {
                        Status::Failed(message) => message,
                        _ => String::new(),
                    }}
                </p>
            </div>
            <div
                class="batch-problems"
                role="alert"
                tabindex="0"
                data-testid="batch-problems"
                hidden=move || batch.problems.with(Vec::is_empty)
            >
                <p>
                    {move || {
                        let n = batch.problems.with(Vec::len);
                        format!("{n} row(s) could not be scored and were skipped; the others were:")
                    }}
                </p>
                <ul>
                    {move || {
                        batch.problems.with(|p| {
                            p.iter().take(50).map(|m| view! { <li>{m.clone()}</li> }).collect_view()
                        })
                    }}
                </ul>
            </div>
            <div class="batch-metrics" hidden=move || batch.metrics.with(|m| m.strict.prompts.total == 0)>
                <Metric
                    name="Prompt-level strict"
                    id="prompt-strict"
                    definition="Share of prompts whose every instruction the response follows as it is."
                    value=metric(|m| m.strict.prompts)
                />
                <Metric
                    name="Instruction-level strict"
                    id="instruction-strict"
                    definition="Share of all instructions, over all prompts, that the response follows as it is."
                    value=metric(|m| m.strict.instructions)
                />
                <Metric
                    name="Prompt-level loose"
                    id="prompt-loose"
                    definition="As prompt-level strict, but an instruction also counts if a variant of the response (no markdown *, first or last line dropped) follows it."
                    value=metric(|m| m.loose.prompts)
                />
                <Metric
                    name="Instruction-level loose"
                    id="instruction-loose"
                    definition="As instruction-level strict, with the same eight loose variants of each response."
                    value=metric(|m| m.loose.instructions)
                />
            </div>
            <div class="batch-exports" hidden=move || batch.exports.with(Option::is_none)>
                <h3>"Export"</h3>
                {[
                    ("eval_results_strict.jsonl", "export-strict"),
                    ("eval_results_loose.jsonl", "export-loose"),
                    ("eval_results.csv", "export-csv"),
                ]
                    .into_iter()
                    .map(|(name, id)| {
                        view! {
                            <button
                                type="button"
                                data-testid=id
                                on:click=move |_| {
                                    batch.exports.with_untracked(|e| {
                                        if let Some(e) = e {
                                            let text = match id {
                                                "export-strict" => &e.strict,
                                                "export-loose" => &e.loose,
                                                _ => &e.csv,
                                            };
                                            download(name, text);
                                        }
                                    });
                                }
                            >
                                {name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="batch-baseline" hidden=move || batch.status.get() != Status::Done>
                <button
                    type="button"
                    data-testid="keep-baseline"
                    on:click=move |_| {
                        let results = batch.rows.with_untracked(|r| compare::results(r));
                        batch.baseline.set(Some((batch.run_name.get_untracked(), results)));
                    }
                >
                    "Keep this run as the baseline"
                </button>
                <button type="button" data-testid="keep-run" on:click=move |_| batch.keep()>
                    "Keep in this browser"
                </button>
                <span class="hint" data-testid="baseline-name">
                    {move || batch.baseline.with(|b| match b {
                        Some((name, _)) => format!(" Baseline: {name}. Evaluate another response file to compare."),
                        None => " Keep a run, then evaluate another response file on the same inputs to compare them.".to_owned(),
                    })}
                </span>
            </div>
            <KeptRuns batch=batch />
            {move || {
                if batch.status.get() != Status::Done {
                    return None;
                }
                let (before, baseline) = batch.baseline.get()?;
                let after = batch.run_name.get();
                let current = batch.rows.with(|r| compare::results(r));
                let comparison = crab_constraints::ifeval::compare(&baseline, &current).map_err(|e| e.to_string());
                Some(view! { <CompareView before=before after=after comparison=comparison /> })
            }}
            <Show when=has_rows>
                // Scrolls sideways on narrow screens: focusable, so that keys can scroll it.
                <div class="batch-charts" tabindex="0" role="region" aria-label="Accuracy charts">
                    <BarChart
                        title="Accuracy per family"
                        id="chart-families"
                        bars=Signal::derive(move || batch.metrics.with(|m| bars(m, |s| &s.families)))
                    />
                    <BarChart
                        title="Accuracy per instruction id"
                        id="chart-ids"
                        bars=Signal::derive(move || batch.metrics.with(|m| bars(m, |s| &s.ids)))
                    />
                </div>
                <RowTable
                    rows=batch.rows.read_only()
                    ids=Signal::derive(move || batch.metrics.with(|m| m.strict.ids.keys().cloned().collect()))
                />
            </Show>
        </div>
    }
}
