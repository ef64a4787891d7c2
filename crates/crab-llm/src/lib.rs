//! # crab-llm
//!
//! The protocol half of "bring your own model": everything about talking to an OpenAI-compatible
//! chat endpoint (Ollama, llama.cpp, vLLM, LM Studio, OpenAI, OpenRouter…) that is not IO.
//!
//! Why a separate, pure crate: the browser (through `fetch`) and the `crab` command line (through
//! a native HTTP client) must build the same requests, read the same streams and errors the same
//! way, retry on the same schedule and write the same prompts, so that a model's answer means the
//! same thing in both. Here the bytes of a response come in and values come out; the callers own
//! the sockets, clocks and timers. Like `crab-constraints`, this crate never panics on any input:
//! a server that misbehaves is a value ([`ApiError`]), not a crash.
//!
//! - [`request`]: the chat request body and the endpoint settings it is built from;
//! - [`sse`]: an incremental Server-Sent Events parser (any chunking of the byte stream);
//! - [`stream`]: SSE events to answer deltas (`[DONE]`, usage chunks, mid-stream errors),
//!   accumulated into an [`Answer`], and the non-streaming body;
//! - [`reasoning`]: `<think>…</think>` separated from the answer, incrementally;
//! - [`error`]: error bodies of every server shape, and one sentence for people;
//! - [`models`]: the `/models` list;
//! - [`retry`]: when to retry, as a pure function of attempt and status;
//! - [`prompt`]: the generation and "fix it" conversations;
//! - [`usage`]: tokens and latency bookkeeping (estimated when the server sends no usage);
//! - [`diagnose`]: what "Test connection" concludes from its probes, with the fix per server;
//! - [`presets`]: known servers and their default base URLs;
//! - [`crab`]: CRAB's LLM back-translation as steps (requests out, answers in, decisions kept);
//! - [`judge`]: the LLM judge of constraints no rule can check.

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

pub mod crab;
pub mod diagnose;
pub mod error;
pub mod judge;
pub mod models;
pub mod presets;
pub mod prompt;
pub mod reasoning;
pub mod request;
pub mod retry;
pub mod sse;
pub mod stream;
pub mod usage;

pub use error::{ApiError, ErrorKind};
pub use stream::{Answer, StreamDecoder, StreamEvent};
