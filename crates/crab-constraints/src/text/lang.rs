//! Language detection (langdetect), seeded, with a detector supplied by the caller.
//!
//! PLACEHOLDER: not implemented yet.
