//! Persistence of the user's text in `localStorage`, so that nothing typed is lost on reload.
//!
//! Storage can be missing (private windows, disabled cookies) or full; both are reported as a
//! message for the page, never a panic, and the in-memory text stays authoritative.

/// The `localStorage` key of the response text. Versioned so that a later schema can migrate it.
pub(crate) const RESPONSE_KEY: &str = "crab-playground/v1/response";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a saved value, if storage is available and holds one.
pub(crate) fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Saves a value; on failure returns a message to show the user.
pub(crate) fn save(key: &str, value: &str) -> Result<(), String> {
    let storage = local_storage().ok_or_else(|| {
        "Browser storage is unavailable: text will not survive a reload.".to_owned()
    })?;
    storage.set_item(key, value).map_err(|_| {
        "Browser storage is full or blocked: your latest text is kept in this tab only.".to_owned()
    })
}
