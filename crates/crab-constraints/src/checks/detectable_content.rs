//! `detectable_content:*` — content that must be present: placeholders in square brackets and a
//! postscript.

pub mod number_placeholders;
pub mod postscript;
