//! The evaluation, in a Web Worker: everything `crab eval` does with two files, through the same
//! library calls, off the main thread so that the page keeps answering while 50,000 rows are
//! scored.
//!
//! The protocol (every message is a plain object with a `type`):
//!
//! - view → worker: `start {inputs, inputName, responses?, responsesName, base}`: the files
//!   (`Blob`s, which pass as handles: the worker reads their bytes; no `responses` when the input rows carry their own `response`, as
//!   `crab backtranslate` writes them) and the page's base URI (for the language and tagger data);
//! - app → worker: `keyphrases {id, instruction, response, seed}`: the back-translate panel's
//!   key phrases (YAKE is not in the app's bundle); the worker answers `keyphrases {id, json}`
//!   (see [`key_phrases`]). The app starts its own worker for this, on first need;
//! - worker → view: `ready` (the module is running; the view then posts `start`);
//!   `progress {done, total}`; `rows {json}` (a batch of scored rows, JSON text, in input
//!   order); `error {file, line, message}` (a bad row, skipped as `crab eval` skips it, with
//!   its message); `fatal {message}` (nothing can be scored); `done {strict, loose, csv,
//!   benchmark, ms, scoringMs}`: Google's two files and the CSV, exactly as `crab eval` writes
//!   them, as `Blob`s (made here, so that tens of megabytes are not copied through the main
//!   thread), the whole run's time and the time of the scoring loop alone.
//!
//! Cancel is `Worker.terminate()`: the loop below never yields, so it needs no cancel flag.
//! Rows are posted in batches so that the view's main-thread work per message stays small.

use std::sync::OnceLock;

use crab_constraints::backtranslate;
use crab_constraints::checks::Constraint;
use crab_constraints::ifeval::files::{self, Benchmark, ByPrompt};
use crab_constraints::ifeval::{self, csv, ifbench};
use crab_constraints::jsonl;
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::Resources;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Rows per `rows` message.
const ROWS_PER_MESSAGE: usize = 200;

/// The language detector and the tagger, once fetched.
static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
static TAGGER: OnceLock<PosTagger> = OnceLock::new();

/// One scored row, as the view shows it.
#[derive(Serialize)]
struct ScoredRow<'a> {
    line: usize,
    key: String,
    prompt: &'a str,
    response: &'a str,
    /// The input line as it is in the file (what "open in Verify" loads).
    input: &'a str,
    ids: &'a [String],
    strict: &'a [bool],
    loose: &'a [bool],
}

/// What the view posted.
struct Start {
    /// When the `start` message arrived (`performance.now()`): the run's time includes reading
    /// the files.
    received: f64,
    inputs: Vec<u8>,
    input_name: String,
    responses: Option<Vec<u8>>,
    responses_name: String,
    base: String,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `{type, ...fields}`.
fn post(kind: &str, fields: &[(&str, JsValue)]) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*name).into(), value);
    }
    let _ = scope().post_message(&message);
}

fn get(data: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The bytes of a posted file (`None` when there is none or it cannot be read).
async fn bytes(value: JsValue) -> Option<Vec<u8>> {
    let blob = value.dyn_into::<web_sys::Blob>().ok()?;
    let buffer = JsFuture::from(blob.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The worker's entry point (called by `crab-batch-worker.js` once the module is initialised): listens for
/// `start` and says `ready`.
#[wasm_bindgen]
pub fn worker_main() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let data = event.data();
        match get(&data, "type").as_string().as_deref() {
            Some("start") => {}
            Some("keyphrases") => return key_phrases(&data),
            _ => return,
        }
        let received = scope().performance().map_or(0.0, |p| p.now());
        wasm_bindgen_futures::spawn_local(async move {
            let Some(inputs) = bytes(get(&data, "inputs")).await else {
                post("fatal", &[("message", "The input file could not be read.".into())]);
                return;
            };
            let responses = get(&data, "responses");
            let responses = if responses.is_undefined() {
                None
            } else {
                let Some(bytes) = bytes(responses).await else {
                    post("fatal", &[("message", "The response file could not be read.".into())]);
                    return;
                };
                Some(bytes)
            };
            let start = Start {
                received,
                inputs,
                input_name: get(&data, "inputName").as_string().unwrap_or_default(),
                responses,
                responses_name: get(&data, "responsesName").as_string().unwrap_or_default(),
                base: get(&data, "base").as_string().unwrap_or_default(),
            };
            if let Err(message) = run(start).await {
                post("fatal", &[("message", message.into())]);
            }
        });
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post("ready", &[]);
}

/// The checks this worker derives for the back-translate panel (YAKE is not in the app's bundle).
const DERIVED_HERE: &[&str] = &["crab:key_phrases"];

/// `keyphrases {id, instruction, response, seed}`: the part of the panel's derivation the app
/// cannot run, [`backtranslate::derive_only`] of [`DERIVED_HERE`], posted back as
/// `keyphrases {id, json}` (the library's [`Derivation::to_json`] as text), which the app
/// merges into its own derivation.
///
/// [`Derivation::to_json`]: crab_constraints::backtranslate::Derivation::to_json
fn key_phrases(data: &JsValue) {
    let text = |name: &str| get(data, name).as_string().unwrap_or_default();
    let seed = get(data, "seed").as_f64().unwrap_or_default();
    // Seeds are whole numbers up to 2^53 − 1 (`MAX_SEED`), exact in a double.
    let seed = if seed.is_finite() && seed >= 0.0 { seed as u64 } else { 0 };
    let only: Vec<String> = DERIVED_HERE.iter().map(|&id| id.to_owned()).collect();
    let derivation = backtranslate::derive_only(
        &text("instruction"),
        &text("response"),
        seed.min(backtranslate::MAX_SEED),
        None,
        &only,
    );
    post(
        "keyphrases",
        &[("id", get(data, "id")), ("json", derivation.to_json().to_string().into())],
    );
}

fn problem(file: &str, line: usize, message: &str) {
    post(
        "error",
        &[
            ("file", file.into()),
            ("line", (line as f64).into()),
            ("message", format!("{file}:{line}: {message}").into()),
        ],
    );
}

/// An input line, parsed (not yet built: the benchmark depends on the whole file).
struct Line<'a> {
    number: usize,
    text: &'a str,
    row: jsonl::Row,
}

async fn run(start: Start) -> Result<(), String> {
    let clock = scope().performance();
    let started = start.received;
    let input_name = &start.input_name;
    let lines = jsonl::lines(&start.inputs).map_err(|e| format!("{input_name}: {e}"))?;
    if lines.is_empty() {
        return Err(format!("{input_name}: no input rows"));
    }
    let total = lines.len();
    let mut parsed = Vec::with_capacity(total);
    for (number, bytes) in lines {
        match jsonl::parse(bytes) {
            Ok(row) => {
                let text = std::str::from_utf8(bytes).unwrap_or_default();
                parsed.push(Line { number, text, row });
            }
            Err(e) => problem(input_name, number, &e),
        }
    }
    let ids = parsed
        .iter()
        .filter_map(|l| l.row.value.get("instruction_id_list").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str);
    let benchmark = Benchmark::detect(ids);

    // Responses: from the response file, else from the input rows themselves.
    let mut by_prompt = ByPrompt::new(benchmark);
    let combined = start.responses.is_none();
    let responses_name = if combined { input_name.clone() } else { start.responses_name.clone() };
    if let Some(responses) = &start.responses {
        let lines = jsonl::lines(responses).map_err(|e| format!("{responses_name}: {e}"))?;
        for (number, bytes) in lines {
            match files::response_line(bytes) {
                Ok(row) => by_prompt.insert(row.prompt, row.response),
                Err(e) => problem(&responses_name, number, &e),
            }
        }
    }
    let mut rows = Vec::with_capacity(parsed.len());
    for line in parsed {
        let own = line.row.value.get("response").cloned();
        match files::input_row(line.row, benchmark) {
            Ok((row, constraints)) => {
                if combined {
                    match own {
                        Some(Value::String(response)) => {
                            by_prompt.insert(row.prompt.clone(), response)
                        }
                        _ => {
                            problem(
                                input_name,
                                line.number,
                                &format!(
                                    "key {}: no `response` field (pick a response file, or a \
                                     file whose rows carry their response)",
                                    row.key
                                ),
                            );
                            continue;
                        }
                    }
                }
                rows.push((line.number, line.text, row, constraints));
            }
            Err(e) => problem(input_name, line.number, &e),
        }
    }

    let all: Vec<Constraint> = rows.iter().flat_map(|r| r.3.iter().cloned()).collect();
    let needs_language = all.iter().any(Constraint::needs_language);
    let needs_tagger = all.iter().any(Constraint::needs_tagger);
    if needs_language && DETECTOR.get().is_none() {
        let data = fetch(&start.base, "lang-profiles.bin", "the language data").await?;
        let detector = LanguageDetector::from_compact_bytes(&data)
            .map_err(|e| format!("The language data is damaged ({e})."))?;
        let _ = DETECTOR.set(detector);
    }
    if needs_tagger && TAGGER.get().is_none() {
        let data = fetch(&start.base, "pos-tagger.bin", "the part-of-speech tagger data").await?;
        let tagger = PosTagger::from_compact_bytes(&data)
            .map_err(|e| format!("The part-of-speech tagger data is damaged ({e})."))?;
        let _ = TAGGER.set(tagger);
    }
    let resources = Resources { language: DETECTOR.get(), tagger: TAGGER.get() };

    let (mut strict, mut loose) = (String::new(), String::new());
    let mut csv_text = String::from(csv::HEADER);
    let mut batch = String::from("[");
    let mut in_batch = 0;
    let mut done = total - rows.len();
    post("progress", &[("done", (done as f64).into()), ("total", (total as f64).into())]);
    let scoring_started = clock.as_ref().map_or(0.0, |p| p.now());
    let mut last_post = scoring_started;
    for (number, text, row, constraints) in &rows {
        let response = by_prompt.get(&row.prompt);
        let result = match response {
            Some(response) => ifeval::evaluate_row(row, constraints, response, resources),
            None if benchmark == Benchmark::IfBench => ifbench::missing_response(row),
            None => {
                problem(input_name, *number, &files::no_response(&row.key, &responses_name));
                done += 1;
                continue;
            }
        };
        strict.push_str(&result.strict_line);
        loose.push_str(&result.loose_line);
        csv::push_records(&mut csv_text, row, &result.strict, &result.loose);
        let scored = ScoredRow {
            line: *number,
            key: match &row.key {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
            prompt: &row.prompt,
            response: response.unwrap_or_default(),
            input: text,
            ids: &row.instruction_id_list,
            strict: &result.strict,
            loose: &result.loose,
        };
        if in_batch > 0 {
            batch.push(',');
        }
        batch.push_str(&serde_json::to_string(&scored).unwrap_or_default());
        in_batch += 1;
        done += 1;
        let now = clock.as_ref().map_or(0.0, |p| p.now());
        if in_batch >= ROWS_PER_MESSAGE || now - last_post > 100.0 {
            flush(&mut batch, &mut in_batch, done, total);
            last_post = now;
        }
    }
    flush(&mut batch, &mut in_batch, done, total);
    let end = clock.as_ref().map_or(0.0, |p| p.now());
    let benchmark = match benchmark {
        Benchmark::IfEval => "IFEval",
        Benchmark::IfBench => "IFBench",
    };
    post(
        "done",
        &[
            ("strict", blob(&strict, "application/jsonl")?),
            ("loose", blob(&loose, "application/jsonl")?),
            ("csv", blob(&csv_text, "text/csv")?),
            ("benchmark", benchmark.into()),
            ("ms", (end - started).into()),
            ("scoringMs", (end - scoring_started).into()),
        ],
    );
    Ok(())
}

/// Posts the rows batched so far and the progress.
fn flush(batch: &mut String, in_batch: &mut usize, done: usize, total: usize) {
    if *in_batch > 0 {
        batch.push(']');
        post("rows", &[("json", batch.as_str().into())]);
        batch.clear();
        batch.push('[');
        *in_batch = 0;
    }
    post("progress", &[("done", (done as f64).into()), ("total", (total as f64).into())]);
}

/// `text` as a `Blob` of type `mime`.
fn blob(text: &str, mime: &str) -> Result<JsValue, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map(JsValue::from)
        .map_err(|e| format!("The results could not be stored ({e:?})."))
}

/// Fetches a data file next to the page.
async fn fetch(base: &str, file: &str, what: &str) -> Result<Vec<u8>, String> {
    let failed = |e: JsValue| format!("Could not load {what} ({file}): {e:?}");
    let url = web_sys::Url::new_with_base(file, base).map_err(failed)?.href();
    let response = JsFuture::from(scope().fetch_with_str(&url)).await.map_err(failed)?;
    let response: web_sys::Response = response.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(format!("Could not load {what} ({file}): HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
