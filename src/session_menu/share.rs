//! Share links: the session in the URL fragment, as `#s=` followed by the session's JSON,
//! deflated (raw DEFLATE, miniz_oxide) and base64url-encoded without padding.
//!
//! The fragment is never sent to a server, so a shared session stays between the people who
//! have the link. It holds exactly the [`Session`]: the texts, constraints, compose settings,
//! theme and open tab. **It never contains a key or secret**, because the session holds none:
//! anything secret (an LLM key, say) must be kept outside [`Session`] so that persistence,
//! export and share links cannot leak it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::state::Session;

/// The fragment's prefix: `#s=<payload>`.
pub const PREFIX: &str = "#s=";

/// Deflated sessions larger than this when inflated are refused (a link is typed by people,
/// but a crafted one could otherwise inflate without bound).
pub const MAX_INFLATED_BYTES: usize = 16 << 20;

/// The payload of a share link for `session` (without [`PREFIX`]).
pub fn encode(session: &Session) -> Result<String, String> {
    let json = serde_json::to_string(session)
        .map_err(|e| format!("the session could not be serialised: {e}"))?;
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    Ok(URL_SAFE_NO_PAD.encode(deflated))
}

/// The session in a share link's payload (without [`PREFIX`]); a message for people when the
/// link is damaged (cut short, edited, from another app).
pub fn decode(payload: &str) -> Result<Session, String> {
    let payload = payload.trim().trim_end_matches('=');
    if payload.is_empty() {
        return Err("the link holds no session (nothing after #s=)".to_owned());
    }
    let deflated = URL_SAFE_NO_PAD.decode(payload).map_err(|_| {
        "the link is damaged (it is not base64url text); was it cut short?".to_owned()
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED_BYTES)
        .map_err(|_| {
            "the link is damaged (its data does not decompress); was it cut short?".to_owned()
        })?;
    let text = String::from_utf8(json)
        .map_err(|_| "the link is damaged (its data is not text)".to_owned())?;
    super::parse_import(&text)
}

/// The session of a URL fragment (`location.hash`), if it is a share link: `None` when the
/// fragment is not `#s=…`.
pub fn from_fragment(hash: &str) -> Option<Result<Session, String>> {
    hash.strip_prefix(PREFIX).map(decode)
}
