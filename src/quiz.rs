//! The quiz: guess constraints a response satisfies, graded with evidence and a tightness
//! score. (Placeholder being replaced by the full quiz.)

use leptos::prelude::*;

/// The quiz panel.
#[component]
pub fn QuizPanel() -> impl IntoView {
    view! { <h2>"Quiz"</h2> }
}
