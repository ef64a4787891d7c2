//! A small IndexedDB store for what does not belong in the session: endpoint profiles (with
//! their secrets only when the person asked to remember them on this device) and generation
//! attempts. The batch view will keep its runs here too.
//!
//! Why IndexedDB and not `localStorage`: attempts hold whole responses (a session's worth each),
//! which would soon fill `localStorage`'s few megabytes and slow every synchronous write; and a
//! key kept here is at least not in the store every page script reads first. Records are JSON
//! values (serialised by serde, stored as structured clones of the parsed JSON), keyed by their
//! `id` field. Every failure is a message (a full store says so), never a panic.

use js_sys::{Array, Function, Promise};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

/// The database's name.
pub const DB_NAME: &str = "crab-playground";
/// Its schema version: bump it (and create the new stores in `upgrade`) to add a store.
const DB_VERSION: u32 = 1;
/// Endpoint profiles.
pub const PROFILES: &str = "profiles";
/// Generation attempts.
pub const ATTEMPTS: &str = "attempts";

/// An open database.
#[derive(Clone)]
pub struct Db(IdbDatabase);

/// A JS error or DOM exception as one sentence.
fn describe(e: &JsValue) -> String {
    if let Some(dom) = e.dyn_ref::<web_sys::DomException>() {
        if dom.name() == "QuotaExceededError" {
            return "the browser's storage for this site is full".to_owned();
        }
        return format!("{}: {}", dom.name(), dom.message());
    }
    e.as_string().unwrap_or_else(|| "an unknown storage error".to_owned())
}

/// Resolves when `request` succeeds (with its result) or fails.
async fn settle(request: &IdbRequest) -> Result<JsValue, String> {
    let req = request.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = req.clone();
        let on_success = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = req.clone();
        let on_error = wasm_bindgen::closure::Closure::once_into_js(move || {
            let e = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(on_success.dyn_ref::<Function>());
        req.set_onerror(on_error.dyn_ref::<Function>());
    });
    JsFuture::from(promise).await.map_err(|e| describe(&e))
}

/// Resolves when `tx` has committed, or fails with why it aborted.
async fn committed(tx: &web_sys::IdbTransaction) -> Result<(), String> {
    let t = tx.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_complete = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = t.clone();
        let reject_too = reject.clone();
        let on_abort = wasm_bindgen::closure::Closure::once_into_js(move || {
            let e = failed.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject_too.call1(&JsValue::NULL, &e);
        });
        t.set_oncomplete(on_complete.dyn_ref::<Function>());
        t.set_onabort(on_abort.dyn_ref::<Function>());
        let on_error = wasm_bindgen::closure::Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        t.set_onerror(on_error.dyn_ref::<Function>());
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| describe(&e))
}

impl Db {
    /// Opens (and creates or upgrades) the database.
    pub async fn open() -> Result<Db, String> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or_else(|| "this browser offers no IndexedDB (a private window?)".to_owned())?;
        let request = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| describe(&e))?;
        let upgrading = request.clone();
        let upgrade = wasm_bindgen::closure::Closure::once_into_js(move || {
            let Ok(db) = upgrading.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                return;
            };
            let names = db.object_store_names();
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("id"));
            for store in [PROFILES, ATTEMPTS] {
                if !names.contains(store) {
                    let _ = db.create_object_store_with_optional_parameters(store, &params);
                }
            }
        });
        request.set_onupgradeneeded(upgrade.dyn_ref::<Function>());
        let db = settle(&request).await?;
        db.dyn_into::<IdbDatabase>().map(Db).map_err(|_| "IndexedDB did not open".to_owned())
    }

    fn store(
        &self,
        name: &str,
        mode: IdbTransactionMode,
    ) -> Result<(web_sys::IdbTransaction, web_sys::IdbObjectStore), String> {
        let tx = self.0.transaction_with_str_and_mode(name, mode).map_err(|e| describe(&e))?;
        let store = tx.object_store(name).map_err(|e| describe(&e))?;
        Ok((tx, store))
    }

    /// Every record of `store` that reads as `T` (others are skipped: a record of a newer
    /// version of the app is not an error here).
    pub async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, String> {
        let (_tx, s) = self.store(store, IdbTransactionMode::Readonly)?;
        let request = s.get_all().map_err(|e| describe(&e))?;
        let values = settle(&request).await?;
        let array: Array = values.dyn_into().map_err(|_| "not a list".to_owned())?;
        Ok(array
            .iter()
            .filter_map(|v| js_sys::JSON::stringify(&v).ok()?.as_string())
            .filter_map(|json| serde_json::from_str(&json).ok())
            .collect())
    }

    /// Writes `value` (whose JSON has an `id`), replacing the record with that id.
    pub async fn put<T: Serialize>(&self, store: &str, value: &T) -> Result<(), String> {
        let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
        let js = js_sys::JSON::parse(&json).map_err(|e| describe(&e))?;
        let (tx, s) = self.store(store, IdbTransactionMode::Readwrite)?;
        s.put(&js).map_err(|e| describe(&e))?;
        committed(&tx).await
    }

    /// Deletes the record with `id`.
    pub async fn delete(&self, store: &str, id: &str) -> Result<(), String> {
        let (tx, s) = self.store(store, IdbTransactionMode::Readwrite)?;
        s.delete(&JsValue::from_str(id)).map_err(|e| describe(&e))?;
        committed(&tx).await
    }
}
