//! `startend:*` — how the response ends, or what wraps it.

pub mod end_checker;
pub mod quotation;
