//! Runs kept in the browser (IndexedDB, not localStorage: a run of 50,000 rows is tens of
//! megabytes, far over localStorage's few megabytes, and its exports are `Blob`s, which
//! IndexedDB stores as they are).
//!
//! Two object stores in one database: `summaries` (name, date, row count, prompt-level strict
//! accuracy: what the list shows, small) and `runs` (the rows as the worker's JSON batches, kept
//! as they arrived so that keeping a run serialises nothing on the main thread, and the three
//! export `Blob`s: what reopening needs), written and deleted together in one transaction. A full store
//! is a message for the person, never a lost run on the page.

use js_sys::{Array, Object, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

const DB: &str = "crab-batch";
const VERSION: u32 = 1;
const SUMMARIES: &str = "summaries";
const RUNS: &str = "runs";

/// What the list of kept runs shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The run's id (when it was kept, in milliseconds since the epoch).
    pub id: f64,
    /// Its name (the response file, else the input file).
    pub name: String,
    /// When it was kept, for people.
    pub when: String,
    /// Rows scored.
    pub rows: usize,
    /// Prompt-level strict accuracy.
    pub prompt_strict: f64,
}

/// A kept run, whole.
pub struct Kept {
    /// The rows as the worker posted them: an array of JSON texts, each a batch of rows.
    pub batches: Array,
    /// Google's strict file, loose file and the CSV, as `Blob`s.
    pub exports: [JsValue; 3],
    /// "IFEval" or "IFBench".
    pub benchmark: String,
}

fn message(e: JsValue) -> String {
    if let Some(e) = e.dyn_ref::<web_sys::DomException>() {
        if e.name() == "QuotaExceededError" {
            return "The browser's storage is full, so this run was not kept (it is still on the \
                    page). Delete kept runs to make room."
                .to_owned();
        }
        return format!("The browser's storage failed: {}", e.message());
    }
    format!("The browser's storage failed: {e:?}")
}

/// A promise of `request`'s result.
fn done(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let ok = request.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    })
}

/// A promise that `transaction` completed (or of its error).
fn committed(transaction: &web_sys::IdbTransaction) -> Promise {
    let transaction = transaction.clone();
    Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = transaction.clone();
        let reject_with = reject.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = failed.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject_with.call1(&JsValue::NULL, &error);
        });
        let aborted = transaction.clone();
        let on_abort = Closure::once_into_js(move |_: web_sys::Event| {
            let error = aborted.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onerror(Some(on_error.unchecked_ref()));
        transaction.set_onabort(Some(on_abort.unchecked_ref()));
    })
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("This browser keeps no IndexedDB storage here (a private window?).")?;
    let request = factory.open_with_u32(DB, VERSION).map_err(message)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(db) = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        let params = IdbObjectStoreParameters::new();
        params.set_key_path(&"id".into());
        for store in [SUMMARIES, RUNS] {
            if !db.object_store_names().contains(store) {
                let _ = db.create_object_store_with_optional_parameters(store, &params);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = JsFuture::from(done(&request)).await.map_err(message)?;
    drop(upgrade);
    db.dyn_into::<IdbDatabase>().map_err(message)
}

fn stores() -> Array {
    Array::of2(&SUMMARIES.into(), &RUNS.into())
}

/// Keeps a run; returns its summary.
pub async fn keep(
    name: String,
    rows: usize,
    prompt_strict: f64,
    run: Kept,
) -> Result<Summary, String> {
    let db = open().await?;
    let id = js_sys::Date::now();
    let when =
        String::from(js_sys::Date::new(&id.into()).to_locale_string("en-GB", &JsValue::UNDEFINED));
    let summary = Summary { id, name, when, rows, prompt_strict };
    let transaction = db
        .transaction_with_str_sequence_and_mode(&stores(), IdbTransactionMode::Readwrite)
        .map_err(message)?;
    let record = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&record, &name.into(), value);
    };
    set("id", &id.into());
    set("rows", &run.batches);
    set("strict", &run.exports[0]);
    set("loose", &run.exports[1]);
    set("csv", &run.exports[2]);
    set("benchmark", &run.benchmark.into());
    let summary_json = serde_json::to_string(&summary).map_err(|e| e.to_string())?;
    let summary_value = js_sys::JSON::parse(&summary_json).map_err(message)?;
    let put = |store: &str, value: &JsValue| -> Result<(), String> {
        transaction.object_store(store).map_err(message)?.put(value).map_err(message)?;
        Ok(())
    };
    put(RUNS, &record)?;
    put(SUMMARIES, &summary_value)?;
    JsFuture::from(committed(&transaction)).await.map_err(message)?;
    db.close();
    Ok(summary)
}

/// The kept runs, oldest first.
pub async fn list() -> Result<Vec<Summary>, String> {
    let db = open().await?;
    let transaction = db.transaction_with_str(SUMMARIES).map_err(message)?;
    let request =
        transaction.object_store(SUMMARIES).map_err(message)?.get_all().map_err(message)?;
    let all = JsFuture::from(done(&request)).await.map_err(message)?;
    db.close();
    let json = js_sys::JSON::stringify(&all).map_err(message)?;
    serde_json::from_str(&String::from(json)).map_err(|e| e.to_string())
}

/// A kept run, whole.
pub async fn load(id: f64) -> Result<Kept, String> {
    let db = open().await?;
    let transaction = db.transaction_with_str(RUNS).map_err(message)?;
    let request =
        transaction.object_store(RUNS).map_err(message)?.get(&id.into()).map_err(message)?;
    let record = JsFuture::from(done(&request)).await.map_err(message)?;
    db.close();
    if record.is_undefined() {
        return Err("This run is no longer kept.".to_owned());
    }
    let get = |name: &str| Reflect::get(&record, &name.into()).unwrap_or(JsValue::UNDEFINED);
    Ok(Kept {
        batches: get("rows").dyn_into::<Array>().unwrap_or_default(),
        exports: [get("strict"), get("loose"), get("csv")],
        benchmark: get("benchmark").as_string().unwrap_or_default(),
    })
}

/// Deletes a kept run.
pub async fn delete(id: f64) -> Result<(), String> {
    let db = open().await?;
    let transaction = db
        .transaction_with_str_sequence_and_mode(&stores(), IdbTransactionMode::Readwrite)
        .map_err(message)?;
    for store in [SUMMARIES, RUNS] {
        transaction.object_store(store).map_err(message)?.delete(&id.into()).map_err(message)?;
    }
    JsFuture::from(committed(&transaction)).await.map_err(message)?;
    db.close();
    Ok(())
}
