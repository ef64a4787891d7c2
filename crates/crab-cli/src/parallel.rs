//! Rows on every core: the two ways the commands spread rows over threads.
//!
//! Rows differ a lot in cost (a one-line answer next to a 2,000-word essay checked for its
//! language), so threads take the next row from a shared counter rather than fixed chunks.
//! [`par_map`] collects the results in order. [`par_stream`] hands each result, in order, to a
//! sink as soon as every earlier one has been handed over, on whichever thread finished the row
//! that completed the run of results: writing then overlaps scoring, where collecting first
//! leaves one core idle while the other writes, and the results do not pile up.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// `items.iter().map(f)` on `jobs` threads, in order.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let jobs = jobs.clamp(1, items.len().max(1));
    if jobs == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..jobs).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            // A panic in a worker is a bug; re-raise it here.
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    all.sort_unstable_by_key(|&(i, _)| i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Where results go, in order, and how far they have gone.
struct Sink<S, E> {
    /// The index of the next result to hand over.
    next: usize,
    sink: S,
    error: Option<E>,
}

impl<S, E> Sink<S, E> {
    /// Hands over every result that is ready, in order, from `self.next` on; on the first
    /// error, keeps it and raises `failed`.
    fn drain<R>(&mut self, results: &[Mutex<Option<R>>], failed: &AtomicBool)
    where
        S: FnMut(usize, R) -> Result<(), E>,
    {
        while self.error.is_none() {
            let Some(slot) = results.get(self.next) else { break };
            let Some(result) = slot.lock().unwrap_or_else(PoisonError::into_inner).take() else {
                break;
            };
            if let Err(e) = (self.sink)(self.next, result) {
                self.error = Some(e);
                failed.store(true, Ordering::Relaxed);
            }
            self.next += 1;
        }
    }
}

/// For each item in order, `sink(i, f(&items[i]))`, with `f` on `jobs` threads.
///
/// `sink` runs under a lock, on the thread that finished the result it is waiting for (or on
/// the calling thread at the end), and sees the indices 0, 1, 2, … in turn. The first error it
/// returns stops the run: no row is started after it, no result is handed over after it, and
/// it is returned.
pub(crate) fn par_stream<T: Sync, R: Send, E: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
    sink: impl FnMut(usize, R) -> Result<(), E> + Send,
) -> Result<(), E> {
    let jobs = jobs.clamp(1, items.len().max(1));
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let out = Mutex::new(Sink { next: 0, sink, error: None });
    let work = || {
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let (Some(item), Some(slot)) = (items.get(i), results.get(i)) else { break };
            let result = f(item);
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            // Another thread handing results over will reach this one, or the end will.
            if let Ok(mut out) = out.try_lock() {
                out.drain(&results, &failed);
            }
        }
    };
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..jobs).map(|_| s.spawn(work)).collect();
        work();
        for h in helpers {
            // A panic in a worker is a bug; re-raise it here.
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
    });
    let mut out = out.into_inner().unwrap_or_else(PoisonError::into_inner);
    out.drain(&results, &failed);
    out.error.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(par_map(&items, 3, |&i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(par_map(&[] as &[usize], 2, |&i| i).is_empty());
    }

    #[test]
    fn par_stream_hands_over_every_result_in_order() {
        // Uneven costs, so that rows finish out of order.
        let items: Vec<u64> = (0..2000).map(|i| (i * 7919) % 97).collect();
        let slow = |&n: &u64| (0..n * 50).fold(n, |a, b| a.wrapping_mul(31).wrapping_add(b));
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let done: Result<(), ()> = par_stream(&items, jobs, slow, |i, r| {
                seen.push((i, r));
                Ok(())
            });
            assert_eq!(done, Ok(()));
            let want: Vec<(usize, u64)> = items.iter().map(slow).enumerate().collect();
            assert_eq!(seen, want, "{jobs} jobs");
        }
        let none: Result<(), ()> = par_stream(&[] as &[u64], 2, slow, |_, _| Err(()));
        assert_eq!(none, Ok(()));
    }

    #[test]
    fn par_stream_stops_at_the_first_error() {
        let items: Vec<usize> = (0..200_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let done = par_stream(
            &items,
            2,
            |&i| {
                started.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i, r| {
                seen.push(r);
                if i == 100 {
                    Err(format!("row {i}"))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(done, Err("row 100".to_owned()));
        // Nothing is handed over after the error, and the rows stop soon after it.
        assert_eq!(seen, (0..=100).collect::<Vec<_>>());
        assert!(started.load(Ordering::Relaxed) < items.len());
    }
}
