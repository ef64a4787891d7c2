//! `format:*` — the response's layout and marks (IFBench).

pub mod emoji;
