//! # crab-constraints
//!
//! The pure core of CRAB Playground: Python-compatible text primitives, verifiable constraints
//! (IFEval's checks and CRAB's rule families), back-translation and metrics.
//!
//! Why a separate crate: the same code must give the same verdicts in the browser (compiled to
//! WebAssembly), in the `crab` command-line tool and in tests. So this crate does no IO, knows
//! nothing about Leptos or HTTP, and never panics on any input: a constraint that does not hold
//! is a value, not an error.
//!
//! ```
//! use crab_constraints::text;
//!
//! assert_eq!(text::count_words("Hello, wide world!"), 3);
//! ```

#![deny(missing_docs)]
// "Never panics on any input" is enforced, not hoped for: outside tests the library may not
// unwrap, expect, panic or index (`x[i]` panics when out of range). Each exception is a local
// `#[allow]` with its reason.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod backtranslate;
pub mod checks;
pub mod crab_import;
pub mod ifeval;
pub mod jsonl;
pub mod quiz;
pub mod rng;
pub mod stats;
pub mod text;
