//! The back-translate panel: the constraints the response already satisfies, and the complex
//! instruction composed from them. (Placeholder being replaced by the full panel.)

use leptos::prelude::*;

/// Derivation, composition and export.
#[component]
pub fn BacktranslatePanel() -> impl IntoView {
    view! { <h2>"Back-translate"</h2> }
}
