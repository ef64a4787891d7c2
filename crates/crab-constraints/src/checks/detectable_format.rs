//! `detectable_format:*` — the response's markdown-ish shape: bullets, highlights, sections, a
//! title, JSON, or a fixed answer.
//!
//! IFEval decides these with a handful of Python regular expressions whose corner cases (a `[^\*]`
//! that swallows a newline, highlights counted twice, a splitter spliced into a pattern
//! unescaped) are part of the benchmark's results. Fixed patterns are hand-written scanners that
//! follow Python's `re` step by step; the one parameterised pattern runs on
//! [`crate::text::pyre`], which parses and matches it as Python would.

pub mod constrained_response;
pub mod json_format;
pub mod multiple_sections;
pub mod number_bullet_lists;
pub mod number_highlighted_sections;
pub mod title;
