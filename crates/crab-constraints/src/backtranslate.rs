//! Back-translation's forward and reverse steps: rendering derived constraints as instruction
//! text, refusing contradictory combinations, composing a complex instruction from an
//! instruction and the constraints its response already satisfies, and the reverse
//! ("back-translate the constraints") training item.
//!
//! This is CRAB's combination stage (see `shared/docs/crab-method.md` §1.6–§1.7) made exact:
//! the constraints come typed from [`crate::checks::Constraint::derive_all`], so the composed
//! prompt is an IFEval row whose every constraint the source response passes — correct by
//! construction, and scorable by any IFEval tool. The module is pure (no IO); all randomness
//! comes from the caller's seeded [`Rng`](crate::rng::Rng), so a seed reproduces a composition
//! in the CLI, the browser and the tests. It is split by concern:
//! - [`render`] (`backtranslate/render.rs`): one table of paraphrase templates per check;
//! - [`conflict`] (`backtranslate/conflicts.rs`): IFEval's conflict table (generated from the
//!   reference package into `backtranslate/conflicts_table.rs`) plus numeric, case, wording and
//!   punctuation contradictions between parameters;
//! - [`compose`] and [`ifeval_row`] (`backtranslate/compose.rs`): CRAB's forward combination;
//! - [`reverse_item`] (`backtranslate/reverse.rs`): CRAB's reverse (back-translation) item;
//! - [`derive`] and [`Derivation::compose`] (`backtranslate/pipeline.rs`): the whole pipeline
//!   for one pair — derive, verify, render, conflicts, compose, the exported records — which the
//!   CLI and the browser both call, so that one seed gives the same bytes in both.

mod compose;
mod conflicts;
mod conflicts_table;
mod pipeline;
mod render;
mod reverse;
mod text;

pub use compose::{
    compose, compose_requirements, ifeval_row, ComposeOptions, Composition, Connector, Requirement,
    Template, LONG_INSTRUCTION_WORDS,
};
pub use conflicts::{conflict, is_ifeval_id};
pub use pipeline::{
    backtranslate, check_exclusions, constraint_key, derive, derive_only, key_text, row_seed,
    text_key, Backtranslation, ConflictPair, Derivation, DerivedConstraint, Extra, Item, Stream,
    MAX_SEED,
};
pub use render::{language_name, render, templates};
pub use reverse::reverse_item;
pub use text::{is_text_id, normalize_type, Judgement, Source, TextConstraint};
