//! The examples gallery: (instruction, response) pairs written for the project, together
//! covering every check family. (Placeholder being replaced by the full gallery.)

use leptos::prelude::*;

/// The gallery panel.
#[component]
pub fn GalleryPanel() -> impl IntoView {
    view! { <h2>"Examples"</h2> }
}
