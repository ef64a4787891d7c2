//! The benchmarks' one measurement: a plain `std::time` loop (no benchmarking framework, no
//! dependency), one median and one minimum per line of output.

use std::time::{Duration, Instant};

/// Median and minimum of `f`'s run time over `rounds` runs (after one warm-up run).
pub(crate) fn measure(rounds: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    (times[times.len() / 2], times[0])
}
