//! JSON validity as Python's `json.loads` decides it.
//!
//! PLACEHOLDER: not implemented yet.

/// Whether Python's `json.loads(text)` would succeed.
pub fn is_valid_python_json(text: &str) -> bool {
    let _ = text;
    false
}
