//! Persistence of the session in `localStorage`, so that nothing typed is lost on reload, with a
//! schema version and migrations so that it survives upgrades too.
//!
//! Storage can be missing (private windows, disabled cookies), full, or hold data this version
//! cannot read. None of these may lose the person's text: failures become a message for the page
//! while the in-memory session stays authoritative, and an unreadable saved session is copied to
//! a backup key before anything overwrites it.

use serde_json::Value;

use crate::state::{Session, SCHEMA_VERSION};

/// The key of the current session (schema 2 and later).
pub const SESSION_KEY: &str = "crab-playground/session";
/// Schema 1 (the first release) saved only the response text, under this key.
pub const V1_RESPONSE_KEY: &str = "crab-playground/v1/response";
/// Where a saved session that cannot be read is kept, untouched, for the person to recover.
pub const BACKUP_KEY: &str = "crab-playground/unreadable-session-backup";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a saved value, if storage is available and holds one.
pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Saves a value; on failure returns a message to show the person.
pub fn save(key: &str, value: &str) -> Result<(), String> {
    let storage = local_storage().ok_or_else(|| {
        "Browser storage is unavailable: your work will not survive a reload. Export the session \
         to keep it."
            .to_owned()
    })?;
    storage.set_item(key, value).map_err(|_| {
        "Browser storage is full or blocked: your latest edits are kept in this tab only. Export \
         the session to keep them."
            .to_owned()
    })
}

/// Brings a session JSON document of any known schema version up to [`SCHEMA_VERSION`].
///
/// Schema 1 was a bare response string (stored under [`V1_RESPONSE_KEY`]); schema 2 is
/// [`Session`]. Fields a version does not know take their defaults, and unknown fields are
/// ignored, so a session written by a newer app still loads (with a message from the caller).
pub fn migrate(doc: Value) -> Result<Session, String> {
    let Value::Object(mut map) = doc else {
        return Err("a session is a JSON object".to_owned());
    };
    let version = map.get("version").and_then(Value::as_u64).unwrap_or(1);
    if version < 2 {
        // Schema 1 had no container; a v1 document carried over as an object has `response`.
        map.retain(|k, _| k == "response");
    }
    map.insert("version".to_owned(), Value::from(SCHEMA_VERSION));
    serde_json::from_value::<Session>(Value::Object(map))
        .map_err(|e| format!("the session does not have the expected shape: {e}"))
}

/// Parses a session document (an export, a share link, storage).
pub fn parse_session(text: &str) -> Result<Session, String> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| format!("the session is not valid JSON: {e}"))?;
    migrate(doc)
}

/// The saved session, migrated; or a fresh one. The second value is a message for the person
/// when something saved could not be used (it has been backed up, not lost).
pub fn load_session() -> (Session, Option<String>) {
    if let Some(text) = load(SESSION_KEY) {
        return match parse_session(&text) {
            Ok(session) => (session, None),
            Err(e) => {
                let kept = save(BACKUP_KEY, &text).is_ok();
                let msg = if kept {
                    format!(
                        "The saved session could not be read ({e}); it was kept under the storage \
                         key \"{BACKUP_KEY}\" and a fresh session started."
                    )
                } else {
                    format!("The saved session could not be read ({e}); a fresh session started.")
                };
                (Session::default(), Some(msg))
            }
        };
    }
    if let Some(response) = load(V1_RESPONSE_KEY) {
        return (Session { response, ..Session::default() }, None);
    }
    (Session::default(), None)
}

/// Saves the session; the schema-1 key is dropped once the session is safely stored.
pub fn save_session(session: &Session) -> Result<(), String> {
    let text = serde_json::to_string(session)
        .map_err(|e| format!("the session could not be serialised: {e}"))?;
    save(SESSION_KEY, &text)?;
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(V1_RESPONSE_KEY);
    }
    Ok(())
}
