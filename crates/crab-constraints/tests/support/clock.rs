//! Timing in the browser tests: the page's clock and the median of a run's times.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

/// `performance.now()`, in milliseconds.
pub(crate) fn now_ms() -> f64 {
    web_sys::window().expect("window").performance().expect("performance").now()
}

/// The median of `xs` (the upper one of an even count).
pub(crate) fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}
