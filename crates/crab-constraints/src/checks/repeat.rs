//! `repeat:*` — repeat the request, a fixed sentence or a span of the request (IFBench).

pub mod repeat_change;
pub mod repeat_simple;
pub mod repeat_span;
