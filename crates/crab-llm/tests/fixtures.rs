//! `crab-llm` on the stream and error fixtures: the formats transcribed from the documentation
//! (`tests/fixtures/documented/`, sources in its README) and the answers captured from a real
//! llama-cpp-python 0.3.36 server (`tests/fixtures/llama-cpp-python/`). Every stream is decoded
//! whole, split in two at every byte offset (inside multi-byte characters and `\r\n` included) and
//! one byte at a time, and must give the same answer each way.

use std::path::PathBuf;

use crab_llm::models::parse_models;
use crab_llm::stream::{parse_completion, Answer, StreamDecoder};
use crab_llm::{ApiError, ErrorKind};

fn fixture(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn decode(pieces: &[&[u8]]) -> Result<Answer, ApiError> {
    let mut d = StreamDecoder::new(200);
    for p in pieces {
        d.push(p);
    }
    d.finish()
}

/// The stream in `path`, decoded whole, and checked to decode the same in every chunking.
fn stream(path: &str) -> Result<Answer, ApiError> {
    let bytes = fixture(path);
    let whole = decode(&[&bytes]);
    for at in 0..=bytes.len() {
        let (a, b) = bytes.split_at(at);
        assert_eq!(decode(&[a, b]), whole, "{path} split at {at}");
    }
    let singles: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode(&singles), whole, "{path} byte by byte");
    whole
}

#[test]
fn documented_streams() {
    for path in [
        "documented/openai_stream.sse",
        "documented/crlf.sse",
        "documented/keepalive_comments.sse",
        "documented/event_lines.sse",
        "documented/multiline_data.sse",
    ] {
        let a = stream(path).unwrap();
        assert_eq!(a.text(), "Crabs walk sideways.", "{path}");
        assert_eq!(a.finish_reason.as_deref(), Some("stop"), "{path}");
        assert!(a.done && a.warnings.is_empty() && a.usage.is_none(), "{path}: {a:?}");
    }
    for path in ["documented/openai_stream_usage.sse", "documented/vllm_usage_choices_null.sse"] {
        let a = stream(path).unwrap();
        assert_eq!(a.text(), "Crabs walk sideways.", "{path}");
        assert_eq!(a.usage.and_then(|u| u.total_tokens), Some(17), "{path}");
    }
    let a = stream("documented/reasoning_content.sse").unwrap();
    assert_eq!(
        (a.text(), a.reasoning().as_str()),
        ("Crabs walk sideways.", "The user asks about crabs.")
    );
    let a = stream("documented/think_tags.sse").unwrap();
    assert_eq!(
        (a.text(), a.reasoning().as_str()),
        ("Crabs walk sideways.", "\nThe user asks about crabs.\n")
    );
}

#[test]
fn documented_mid_stream_errors() {
    for (path, message) in [
        (
            "documented/mid_stream_error.sse",
            "The server had an error while processing your request.",
        ),
        ("documented/lmstudio_stream_error.sse", "Model unloaded."),
        ("documented/llamacpp_event_error.sse", "context shift is disabled"),
    ] {
        let e = stream(path).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::MidStream, message), "{path}");
    }
}

#[test]
fn documented_error_bodies() {
    let err = |status, path: &str| {
        ApiError::from_response(status, Some("application/json"), &fixture(path))
    };
    let e = err(401, "documented/openai_error.json");
    assert_eq!(
        (e.kind, e.message.as_str(), e.code.as_deref()),
        (ErrorKind::Unauthorized, "Incorrect API key provided.", Some("invalid_api_key"))
    );
    let e = err(404, "documented/vllm_old_error.json");
    assert_eq!(
        (e.kind, e.message.as_str(), e.code.as_deref()),
        (ErrorKind::ModelNotFound, "The model `gpt-4` does not exist.", Some("404"))
    );
    let e = err(400, "documented/vllm_new_error.json");
    assert_eq!(e.kind, ErrorKind::ContextLength);
    assert!(e.describe().contains("maximum context length is 4096 tokens"));
    let e = err(400, "documented/llamacpp_error.json");
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::BadRequest,
            "Either \"json_schema\" or \"grammar\" can be specified, but not both"
        )
    );
    let e = err(400, "documented/lmstudio_error.json");
    assert_eq!(e.message, "Model unloaded.");
}

#[test]
fn llama_cpp_python_captures() {
    // Streams, as fetch gives them (the chunked framing removed): text in \uXXXX escapes,
    // `finish_reason: "length"` after `max_tokens: 8`, and no usage chunk even when asked for.
    for path in ["llama-cpp-python/stream.body", "llama-cpp-python/stream_usage.body"] {
        let a = stream(path).unwrap();
        assert!(a.done && !a.text().is_empty(), "{path}");
        assert_eq!(a.finish_reason.as_deref(), Some("length"), "{path}");
        assert_eq!(a.usage, None, "{path}: include_usage is ignored");
        assert_eq!(a.model.as_deref(), Some("crab-tiny"));
    }
    // The same request without streaming: the same text, with usage.
    let streamed = stream("llama-cpp-python/stream.body").unwrap();
    let whole = parse_completion(200, &fixture("llama-cpp-python/completion.body")).unwrap();
    assert_eq!(whole.text(), streamed.text());
    assert_eq!(whole.usage.and_then(|u| u.completion_tokens), Some(8));
    let other = parse_completion(200, &fixture("llama-cpp-python/unknown_model.body")).unwrap();
    assert_eq!(other.model.as_deref(), Some("no-such-model"));
    // A streamed prompt over the context window: 200 and an empty body, which is an error.
    let e = stream("llama-cpp-python/stream_over_context.body").unwrap_err();
    assert_eq!(e.kind, ErrorKind::EmptyStream);
    assert!(e.describe().contains("context window"));
    // Without streaming it is a proper 400.
    let e = ApiError::from_response(
        400,
        Some("application/json"),
        &fixture("llama-cpp-python/over_context.body"),
    );
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::ContextLength, Some("context_length_exceeded"))
    );
    // Malformed JSON: a plain-text 500.
    let e = ApiError::from_response(
        500,
        Some("text/plain"),
        &fixture("llama-cpp-python/malformed_json.body"),
    );
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Server, "Internal Server Error"));
    // A missing key: FastAPI's `detail`.
    let e = ApiError::from_response(
        401,
        Some("application/json"),
        &fixture("llama-cpp-python/unauthorized.body"),
    );
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Unauthorized, "Invalid API key"));
    assert_eq!(parse_models(200, &fixture("llama-cpp-python/models.body")).unwrap(), ["crab-tiny"]);
}
