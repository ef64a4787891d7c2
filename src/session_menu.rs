//! Keeping and sharing: share links (the session in the URL fragment), and session export and
//! import as JSON. (Placeholder being replaced by the full menu.)

use leptos::prelude::*;

use crate::state::Session;

/// The session carried by the page's share link, if the URL has one.
pub fn session_from_location() -> Option<Result<Session, String>> {
    None
}

/// Share, export and import buttons for the top bar.
#[component]
pub fn SessionMenu() -> impl IntoView {
    view! { <div class="session-menu"></div> }
}
