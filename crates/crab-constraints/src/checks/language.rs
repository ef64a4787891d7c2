//! `language:*` — the language the response is written in.

pub mod response_language;
