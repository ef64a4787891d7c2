//! The IO half of calling a model from the command line: one blocking HTTP request at a time per
//! thread (through `ureq`), the streamed body read as it arrives, the time-to-first-byte and idle
//! timeouts, and retries on `crab-llm`'s schedule.
//!
//! It mirrors the browser's client (`src/llm/client.rs`) step for step: the same body
//! ([`request::chat_body`]), streaming first and a plain completion when the server refuses the
//! streaming options, the same error reading ([`ApiError`]), the same retry decision
//! ([`crab_llm::retry::RetryPolicy::delay`]), and the same handling of a stream that breaks
//! after part of the answer (kept, as the browser keeps it). Everything that decides is
//! `crab-llm`'s; this module only moves bytes and waits.
//!
//! Why `ureq` (blocking) and not an async client: the CLI's concurrency is a handful of requests
//! in flight, which a small pool of threads serves as well as an event loop would, and `ureq`
//! brings no runtime (no tokio, no hyper): a few crates (rustls with ring, webpki's roots
//! compiled in, no system OpenSSL, nothing downloaded at build time), which keeps the cold build
//! of the CLI short.
//!
//! The API key travels only in the `Authorization` header: it is never part of a URL, a message
//! or an error, and [`redact`] removes it from any text that might quote it back (a proxy's
//! error page, say).

use std::io::Read;
use std::time::Duration;

use crab_llm::request::{self, Secrets, Settings};
use crab_llm::retry::Failure;
use crab_llm::stream::{parse_completion, Answer, StreamDecoder};
use crab_llm::ApiError;

/// A chat endpoint with its settings and secrets, shared by the request threads.
pub(crate) struct Client {
    agent: ureq::Agent,
    settings: Settings,
    secrets: Secrets,
    url: String,
}

/// `Some(ms)` as a duration, `None` for 0 (no limit).
fn millis(ms: u64) -> Option<Duration> {
    (ms > 0).then(|| Duration::from_millis(ms))
}

impl Client {
    /// A client for `settings` (its first-byte and idle timeouts, its retries).
    pub(crate) fn new(settings: Settings, secrets: Secrets) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(millis(settings.first_byte_timeout_ms))
            .timeout_recv_response(millis(settings.first_byte_timeout_ms))
            .timeout_per_read(millis(settings.idle_timeout_ms))
            .max_idle_connections(64)
            .max_idle_connections_per_host(64)
            .build();
        let url = request::chat_url(&settings.base_url);
        Client { agent: config.new_agent(), settings, secrets, url }
    }

    /// Sends `messages` and returns the answer's text, or the reason it failed (one sentence,
    /// the key removed): what the browser's back-translation gets from its client.
    pub(crate) fn ask(&self, messages: &[crab_llm::prompt::Message]) -> Result<String, String> {
        match self.chat(messages) {
            Ok(answer) => Ok(answer.text().to_owned()),
            Err(e) => Err(redact(&e.describe(), &self.secrets)),
        }
    }

    /// One chat request, retried on the settings' schedule.
    fn chat(&self, messages: &[crab_llm::prompt::Message]) -> Result<Answer, ApiError> {
        let policy = self.settings.retry_policy();
        let mut stream = true;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let body = request::chat_body(&self.settings, messages, stream).to_string();
            let mut builder = self.agent.post(&self.url);
            for (name, value) in request::headers(&self.secrets) {
                builder = builder.header(name, value);
            }
            let sent = builder.header("Content-Type", "application/json").send(body);
            let failure = match sent {
                Err(ureq::Error::Timeout(_)) => (
                    ApiError::first_byte_timeout(self.settings.first_byte_timeout_ms),
                    Failure::Timeout,
                ),
                Err(e) => (ApiError::network(e.to_string()), Failure::Network),
                Ok(response) if !response.status().is_success() => {
                    let status = response.status().as_u16();
                    let header = |name: &str| {
                        response
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned)
                    };
                    let content_type = header("content-type");
                    let retry_after = header("retry-after").and_then(|s| s.trim().parse().ok());
                    let mut bytes = Vec::new();
                    let _ = response.into_body().into_reader().read_to_end(&mut bytes);
                    let error = ApiError::from_response(status, content_type.as_deref(), &bytes);
                    if stream && error.refuses_streaming() {
                        stream = false;
                        continue;
                    }
                    (error, Failure::Status { status, retry_after })
                }
                Ok(response) => return self.read_answer(response, stream),
            };
            match policy.delay(attempt, failure.1) {
                Some(ms) => std::thread::sleep(Duration::from_millis(ms)),
                None => return Err(failure.0),
            }
        }
    }

    /// Reads a 2xx answer: an event stream as it arrives, or a whole JSON completion.
    fn read_answer(
        &self,
        response: ureq::http::Response<ureq::Body>,
        stream: bool,
    ) -> Result<Answer, ApiError> {
        let status = response.status().as_u16();
        let event_stream = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.contains("text/event-stream"));
        let mut reader = response.into_body().into_reader();
        if !stream || !event_stream {
            let mut body = Vec::new();
            return match reader.read_to_end(&mut body) {
                Err(e) => self.ended_early(Answer::default(), &e),
                Ok(_) => parse_completion(status, &body),
            };
        }
        let mut decoder = StreamDecoder::new(status);
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return self.ended_early(decoder.answer().clone(), &e),
            };
            let event = decoder.push(buf.get(..n).unwrap_or(&[]));
            if let Some(error) = event.error {
                return Err(error);
            }
        }
        decoder.finish()
    }

    /// The body stopped before its end: the idle timeout, or the network. What arrived is kept
    /// (with a warning) when there is any, as the browser keeps it.
    fn ended_early(&self, mut answer: Answer, e: &std::io::Error) -> Result<Answer, ApiError> {
        let timed_out = matches!(e.kind(), std::io::ErrorKind::TimedOut)
            || e.get_ref()
                .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)));
        if timed_out {
            return Err(ApiError::idle_timeout(self.settings.idle_timeout_ms));
        }
        if answer.text().is_empty() {
            return Err(ApiError::network(e.to_string()));
        }
        answer.warnings.push(format!("the connection broke before the answer was complete ({e})"));
        Ok(answer)
    }
}

/// `text` with the API key (and every extra header's value) replaced by `[redacted]`.
pub(crate) fn redact(text: &str, secrets: &Secrets) -> String {
    let mut out = text.to_owned();
    let values = std::iter::once(secrets.api_key.as_str())
        .chain(secrets.headers.iter().map(|(_, v)| v.as_str()));
    for value in values {
        if !value.trim().is_empty() {
            out = out.replace(value, "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let secrets =
            Secrets { api_key: "sk-123".into(), headers: vec![("X-Token".into(), "tok".into())] };
        assert_eq!(
            redact("bad key sk-123 and tok, again sk-123", &secrets),
            "bad key [redacted] and [redacted], again [redacted]"
        );
        assert_eq!(redact("nothing", &Secrets::default()), "nothing");
    }
}
