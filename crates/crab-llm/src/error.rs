//! What went wrong, from any server, in one sentence a person can act on.
//!
//! OpenAI-compatible servers do not agree on the shape of an error (`peers-and-apis.md` §4):
//! OpenAI and llama.cpp wrap it (`{"error": {"message", "type", "code"}}`), vLLM before 0.10.1
//! put it at the top level (`{"object": "error", "message", "code"}`), LM Studio sends both an
//! `error` object and a top-level `message`, FastAPI servers (llama-cpp-python) answer
//! `{"detail": …}`, some answer 400 with no body at all, and a proxy in front of any of them
//! answers an HTML page. [`ApiError::from_response`] reads all of these; [`ApiError::describe`]
//! names the status and the server's own message (cut to [`MESSAGE_LIMIT`] characters), and says
//! what to do when that is clear. Errors that happen outside the HTTP exchange (the network, a
//! timeout, a stream that stops) are built by their constructors, so that every failure reaches
//! the person the same way.

use serde_json::Value;

/// Server messages are cut to this many characters in [`ApiError::describe`].
pub const MESSAGE_LIMIT: usize = 300;

/// The kind of failure, for choosing what to say and whether to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: no or a wrong API key.
    Unauthorized,
    /// 403: the key may not do this (or the origin is refused, as Ollama does).
    Forbidden,
    /// The model does not exist on this server.
    ModelNotFound,
    /// 404 for something else (usually a base URL without `/v1`).
    NotFound,
    /// The prompt and answer do not fit the model's context.
    ContextLength,
    /// 429: too many requests or no quota.
    RateLimited,
    /// Another 4xx: the request was refused.
    BadRequest,
    /// 5xx: the server failed.
    Server,
    /// A 2xx answer that is not what a chat endpoint sends (HTML, text, unparseable JSON).
    NotAnAnswer,
    /// An `error` event in the middle of a stream.
    MidStream,
    /// The stream ended without an answer (no content and no `[DONE]`).
    EmptyStream,
    /// The request never got an HTTP answer (server down, DNS, CORS, mixed content).
    Network,
    /// No first byte within the time allowed.
    FirstByteTimeout,
    /// The stream went quiet for longer than allowed.
    IdleTimeout,
}

/// A failure, with the server's own words when it gave any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, when there was an HTTP answer.
    pub status: Option<u16>,
    /// The server's message (or the page title, or the body's text), as sent.
    pub message: String,
    /// The server's error `type`, if any.
    pub error_type: Option<String>,
    /// The server's error `code` (a string or a number, as text), if any.
    pub code: Option<String>,
}

impl ApiError {
    fn new(kind: ErrorKind, status: Option<u16>, message: impl Into<String>) -> ApiError {
        ApiError { kind, status, message: message.into(), error_type: None, code: None }
    }

    /// The error of a non-2xx answer with `body` (`content_type` as sent, if any).
    pub fn from_response(status: u16, content_type: Option<&str>, body: &[u8]) -> ApiError {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        let (message, error_type, code) = match serde_json::from_str::<Value>(text) {
            Ok(json) => fields(&json),
            Err(_) if looks_like_html(content_type, text) => (html_title(text), None, None),
            Err(_) => (text.to_owned(), None, None),
        };
        let kind = kind_of(status, &message, code.as_deref());
        ApiError { kind, status: Some(status), message, error_type, code }
    }

    /// The error carried by a mid-stream event (its JSON `data`), if it is one: an object with an
    /// `error` key (OpenAI, llama.cpp, vLLM, LM Studio), or any data of an `event: error`.
    pub fn from_event(event: Option<&str>, json: &Value) -> Option<ApiError> {
        let has_error = json.get("error").is_some_and(|e| !e.is_null());
        if !has_error && event != Some("error") {
            return None;
        }
        let (message, error_type, code) = fields(json);
        let message = if message.is_empty() { json.to_string() } else { message };
        Some(ApiError { kind: ErrorKind::MidStream, status: None, message, error_type, code })
    }

    /// A request that got no HTTP answer; `detail` is what the platform said.
    pub fn network(detail: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::Network, None, detail)
    }

    /// No first byte within `ms` milliseconds.
    pub fn first_byte_timeout(ms: u64) -> ApiError {
        ApiError::new(ErrorKind::FirstByteTimeout, None, format!("{ms} ms"))
    }

    /// No new data for `ms` milliseconds while streaming.
    pub fn idle_timeout(ms: u64) -> ApiError {
        ApiError::new(ErrorKind::IdleTimeout, None, format!("{ms} ms"))
    }

    /// A 2xx answer that is not a chat answer; `what` says what it was.
    pub fn not_an_answer(status: u16, what: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::NotAnAnswer, Some(status), what)
    }

    /// A stream that ended with nothing in it.
    pub fn empty_stream(status: u16) -> ApiError {
        ApiError::new(ErrorKind::EmptyStream, Some(status), "")
    }

    /// Whether the server refused the streaming options themselves (a 400 whose message names
    /// `stream` or `stream_options`): the caller should ask again without streaming.
    pub fn refuses_streaming(&self) -> bool {
        let m = self.message.to_lowercase();
        matches!(self.status, Some(400 | 422))
            && (m.contains("stream_options") || m.contains("stream"))
    }

    /// One sentence for people: what happened, the status, the server's own words, and what to do
    /// when that is clear. Never includes the request (and so never a key).
    pub fn describe(&self) -> String {
        let said = quoted(&self.message);
        let status = self.status.map(status_text).unwrap_or_default();
        let with = |what: &str| match (status.is_empty(), said.is_empty()) {
            (true, true) => format!("{what}."),
            (true, false) => format!("{what}: {said}."),
            (false, true) => format!("{what} ({status})."),
            (false, false) => format!("{what} ({status}): {said}."),
        };
        match self.kind {
            ErrorKind::Unauthorized => {
                with("The server refused the API key; check the key in the endpoint settings")
            }
            ErrorKind::Forbidden => with(
                "The server forbids this request; check the key's permissions, or whether the \
                 server allows this page's origin",
            ),
            ErrorKind::ModelNotFound => {
                with("The server does not know this model; pick one from the model list")
            }
            ErrorKind::NotFound => with(
                "The server has no chat endpoint at this address; OpenAI-compatible base URLs \
                 usually end in /v1",
            ),
            ErrorKind::ContextLength => with(
                "The prompt and the answer do not fit the model's context window; shorten the \
                 instruction or lower Max tokens",
            ),
            ErrorKind::RateLimited => with("The server is rate-limiting requests; try again later"),
            ErrorKind::BadRequest => with("The server refused the request"),
            ErrorKind::Server => with("The server failed while answering"),
            ErrorKind::NotAnAnswer => {
                with("The server answered, but not with a chat completion")
            }
            ErrorKind::MidStream => with("The server reported an error in the middle of its answer"),
            ErrorKind::EmptyStream => with(
                "The server closed the stream without sending any answer (llama.cpp does this when \
                 the prompt does not fit its context window)",
            ),
            ErrorKind::Network => with(
                "The request got no answer: the server is not reachable, or the browser blocked \
                 it (try Test connection)",
            ),
            ErrorKind::FirstByteTimeout => format!(
                "The server did not start answering within {} (the time-to-first-byte limit in \
                 the settings); a large model may need longer to load.",
                self.message
            ),
            ErrorKind::IdleTimeout => format!(
                "The answer stopped arriving for {} (the idle limit in the settings); what \
                 arrived is kept.",
                self.message
            ),
        }
    }
}

/// `message`, `type` and `code` of an error body, whatever its shape.
fn fields(json: &Value) -> (String, Option<String>, Option<String>) {
    let text = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let inner = json.get("error");
    let from = |key: &str| text(inner.and_then(|e| e.get(key))).or_else(|| text(json.get(key)));
    let message = match inner {
        Some(Value::String(s)) => Some(s.clone()),
        _ => from("message"),
    }
    .or_else(|| detail(json.get("detail")))
    .unwrap_or_default();
    let error_type = from("type").filter(|t| t != "error");
    (message, error_type, from("code"))
}

/// FastAPI's `detail`: a string, or a list of validation errors with `msg` (and `loc`).
fn detail(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let msgs: Vec<String> = items
                .iter()
                .filter_map(|i| {
                    let msg = i.get("msg")?.as_str()?;
                    let loc: Vec<String> = i
                        .get("loc")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter().map(|p| p.to_string().trim_matches('"').to_owned()).collect()
                        })
                        .unwrap_or_default();
                    Some(if loc.is_empty() {
                        msg.to_owned()
                    } else {
                        format!("{} ({msg})", loc.join("."))
                    })
                })
                .collect();
            (!msgs.is_empty()).then(|| msgs.join("; "))
        }
        _ => None,
    }
}

fn looks_like_html(content_type: Option<&str>, text: &str) -> bool {
    content_type.is_some_and(|t| t.contains("html")) || text.starts_with('<')
}

/// An HTML page's title, else "an HTML page".
fn html_title(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let title = lower
        .find("<title>")
        .and_then(|start| {
            let from = start + "<title>".len();
            let end = lower.get(from..)?.find("</title>")? + from;
            html.get(from..end)
        })
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    match title {
        Some(t) => format!("an HTML page titled “{t}”, not an API answer"),
        None => "an HTML page, not an API answer".to_owned(),
    }
}

fn kind_of(status: u16, message: &str, code: Option<&str>) -> ErrorKind {
    let m = message.to_lowercase();
    let code = code.unwrap_or_default();
    let mentions_context = code == "context_length_exceeded"
        || m.contains("context length")
        || m.contains("context window")
        || m.contains("maximum context")
        || m.contains("exceeds the available context")
        || m.contains("too many tokens");
    match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 if code == "model_not_found" || m.contains("model") => ErrorKind::ModelNotFound,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        400..=499 if mentions_context => ErrorKind::ContextLength,
        400 if code == "model_not_found" || (m.contains("model") && m.contains("not found")) => {
            ErrorKind::ModelNotFound
        }
        400..=499 => ErrorKind::BadRequest,
        500..=599 if mentions_context => ErrorKind::ContextLength,
        _ => ErrorKind::Server,
    }
}

/// `“message”` cut to [`MESSAGE_LIMIT`] characters (with `…`), or empty.
fn quoted(message: &str) -> String {
    let m = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if m.is_empty() {
        return String::new();
    }
    let mut cut: String = m.chars().take(MESSAGE_LIMIT).collect();
    if cut.len() < m.len() {
        cut.push('…');
    }
    format!("“{cut}”")
}

/// `401 Unauthorized`, `418`.
fn status_text(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    if reason.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("{status} {reason}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ApiError {
        ApiError::from_response(status, Some("application/json"), body.as_bytes())
    }

    #[test]
    fn every_server_shape() {
        // OpenAI (platform.openai.com/docs/guides/error-codes).
        let e = err(
            401,
            r#"{"error": {"message": "Incorrect API key provided: sk-…", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        assert_eq!(e.message, "Incorrect API key provided: sk-…");
        assert_eq!(e.code.as_deref(), Some("invalid_api_key"));
        assert_eq!(
            e.describe(),
            "The server refused the API key; check the key in the endpoint settings (401 \
             Unauthorized): “Incorrect API key provided: sk-…”."
        );
        // vLLM before 0.10.1: the error at the top level (vllm#12886).
        let e = err(
            400,
            r#"{"object": "error", "message": "This model's maximum context length is 2048 tokens.", "type": "BadRequestError", "param": null, "code": 400}"#,
        );
        assert_eq!((e.kind, e.code.as_deref()), (ErrorKind::ContextLength, Some("400")));
        // llama.cpp server (ggml-org/llama.cpp#11847): a numeric code inside `error`.
        let e = err(
            500,
            r#"{"error": {"code": 500, "message": "failed to load model", "type": "server_error"}}"#,
        );
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Server, "failed to load model"));
        // LM Studio's embedded variant (an `error` object and a top-level message).
        let e = err(
            400,
            r#"{"error": {"message": "Model is unloaded."}, "message": "Model is unloaded."}"#,
        );
        assert_eq!(e.message, "Model is unloaded.");
        // FastAPI (llama-cpp-python): `detail`, a string or validation errors.
        let e = err(404, r#"{"detail": "Not Found"}"#);
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::NotFound, "Not Found"));
        let e = err(
            422,
            r#"{"detail": [{"loc": ["body", "messages"], "msg": "field required", "type": "value_error.missing"}]}"#,
        );
        assert_eq!(e.message, "body.messages (field required)");
        // An error given as a plain string.
        assert_eq!(err(400, r#"{"error": "bad stop"}"#).message, "bad stop");
        // Model not found (OpenAI's code, Ollama's wording).
        assert_eq!(err(404, r#"{"error": {"message": "The model `x` does not exist", "code": "model_not_found"}}"#).kind, ErrorKind::ModelNotFound);
        assert_eq!(
            err(404, r#"{"error": {"message": "model \"x\" not found, try pulling it first"}}"#)
                .kind,
            ErrorKind::ModelNotFound
        );
        assert_eq!(err(429, "{}").kind, ErrorKind::RateLimited);
    }

    #[test]
    fn bodies_that_are_not_json() {
        let e = ApiError::from_response(400, None, b"");
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::BadRequest, ""));
        assert_eq!(e.describe(), "The server refused the request (400 Bad Request).");
        let page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let e = ApiError::from_response(502, Some("text/html"), page);
        assert_eq!(e.kind, ErrorKind::Server);
        assert_eq!(
            e.describe(),
            "The server failed while answering (502 Bad Gateway): “an HTML page titled “502 Bad \
             Gateway”, not an API answer”."
        );
        let e = ApiError::from_response(500, Some("text/plain"), b"Internal Server Error");
        assert_eq!(e.message, "Internal Server Error");
        let long = "x ".repeat(1000);
        let d = ApiError::from_response(500, None, long.as_bytes()).describe();
        assert!(d.chars().count() < MESSAGE_LIMIT + 100, "{d}");
        assert!(d.contains('…'));
        let e = ApiError::from_response(599, None, b"\xff\xfe");
        assert_eq!(e.kind, ErrorKind::Server);
        assert!(e.describe().contains("HTTP 599"));
    }

    #[test]
    fn mid_stream_events_and_streaming_refusals() {
        let json: Value =
            serde_json::from_str(r#"{"error": {"message": "overloaded", "type": "server_error"}}"#)
                .unwrap();
        let e = ApiError::from_event(None, &json).unwrap();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::MidStream, "overloaded"));
        let chunk: Value = serde_json::from_str(r#"{"choices": [], "error": null}"#).unwrap();
        assert_eq!(ApiError::from_event(None, &chunk), None);
        let e = ApiError::from_event(
            Some("error"),
            &serde_json::json!({"content": "slot unavailable"}),
        )
        .unwrap();
        assert!(e.message.contains("slot unavailable"));
        assert!(err(400, r#"{"error": {"message": "stream_options is not supported"}}"#)
            .refuses_streaming());
        assert!(!err(400, r#"{"error": {"message": "bad temperature"}}"#).refuses_streaming());
        assert!(!err(500, r#"{"error": {"message": "stream broke"}}"#).refuses_streaming());
        for e in [
            ApiError::network("Failed to fetch"),
            ApiError::first_byte_timeout(30_000),
            ApiError::idle_timeout(20_000),
            ApiError::empty_stream(200),
            ApiError::not_an_answer(200, "plain text"),
        ] {
            let d = e.describe();
            assert!(d.ends_with('.') && d.len() > 30, "{d}");
        }
    }
}
