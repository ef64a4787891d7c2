//! The IO half of calling a model: `fetch` (through `gloo-net`), the streamed body read from the
//! response's `ReadableStream`, cancellation with an `AbortController`, the time-to-first-byte
//! and idle timers, retries on the library's schedule, and the probes of "Test connection".
//!
//! Everything that decides (the request body, the SSE parsing, what an error body means, when to
//! retry, what the probes mean) is `crab-llm`'s; this module only moves bytes and time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use crab_llm::diagnose::{self, Diagnosis, Probe, Probes};
use crab_llm::prompt::Message;
use crab_llm::request::{self, Secrets, Settings};
use crab_llm::retry::Failure;
use crab_llm::stream::{parse_completion, Answer, StreamDecoder};
use crab_llm::ApiError;
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestMode, ResponseType};

/// Why the current request was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Abort {
    None,
    /// The person pressed Stop.
    User,
    /// No first byte in time.
    FirstByte,
    /// The stream went quiet.
    Idle,
}

/// A running request that can be stopped. Cheap to clone (shared state).
#[derive(Clone)]
pub struct Handle {
    controller: Rc<RefCell<AbortController>>,
    reason: Rc<Cell<Abort>>,
}

impl Handle {
    /// A handle for a new request.
    pub fn new() -> Result<Handle, String> {
        let controller =
            AbortController::new().map_err(|_| "this browser cannot cancel requests".to_owned())?;
        Ok(Handle {
            controller: Rc::new(RefCell::new(controller)),
            reason: Rc::new(Cell::new(Abort::None)),
        })
    }

    /// Stops the request; what arrived is kept.
    pub fn stop(&self) {
        self.abort(Abort::User);
    }

    fn abort(&self, reason: Abort) {
        if self.reason.get() == Abort::None {
            self.reason.set(reason);
        }
        self.controller.borrow().abort();
    }

    fn stopped(&self) -> bool {
        self.reason.get() == Abort::User
    }

    /// A fresh controller for the next attempt (an aborted one cannot be reused).
    fn renew(&self) {
        if let Ok(c) = AbortController::new() {
            *self.controller.borrow_mut() = c;
        }
        if self.reason.get() != Abort::User {
            self.reason.set(Abort::None);
        }
    }

    fn signal(&self) -> web_sys::AbortSignal {
        self.controller.borrow().signal()
    }

    /// A timer that aborts with `reason` after `ms` (none for 0).
    fn timer(&self, ms: u64, reason: Abort) -> Option<TimeoutHandle> {
        if ms == 0 {
            return None;
        }
        let this = self.clone();
        set_timeout_with_handle(move || this.abort(reason), Duration::from_millis(ms)).ok()
    }
}

/// How a chat request ended. The answer is what arrived, in every case.
pub enum Outcome {
    /// The answer is complete (or as complete as the server made it: see its warnings).
    Done(Answer),
    /// The person stopped it.
    Stopped(Answer),
    /// It failed; the error is for the person.
    Failed(ApiError, Answer),
}

/// Progress callbacks: each new piece of the answer, and a retry about to wait.
pub struct Progress<'a> {
    /// The answer so far, after each chunk that changed it.
    pub answer: &'a dyn Fn(&Answer),
    /// "retrying in N ms after …".
    pub retrying: &'a dyn Fn(u64, &str),
}

fn with_headers(mut builder: RequestBuilder, secrets: &Secrets) -> RequestBuilder {
    for (name, value) in request::headers(secrets) {
        builder = builder.header(&name, &value);
    }
    builder
}

fn js_message(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}

/// Waits `ms` milliseconds.
async fn wait(ms: u64) {
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
        let _ = set_timeout_with_handle(
            move || {
                let _ = resolve.call0(&JsValue::NULL);
            },
            Duration::from_millis(ms),
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds, or less if the handle is stopped meanwhile.
async fn sleep(ms: u64, handle: &Handle) {
    let mut left = ms;
    while left > 0 && !handle.stopped() {
        let step = left.min(100);
        wait(step).await;
        left -= step;
    }
}

/// Sends `messages` and streams the answer, calling `progress` as it arrives. Retries failures
/// before the stream starts on the settings' schedule; asks again without streaming when the
/// server refuses the streaming options or does not answer with an event stream.
pub async fn chat(
    settings: &Settings,
    secrets: &Secrets,
    messages: &[Message],
    handle: &Handle,
    progress: &Progress<'_>,
) -> Outcome {
    let url = request::chat_url(&settings.base_url);
    let policy = settings.retry_policy();
    let mut stream = true;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        handle.renew();
        if handle.stopped() {
            return Outcome::Stopped(Answer::default());
        }
        let body = request::chat_body(settings, messages, stream).to_string();
        let builder = with_headers(Request::post(&url), secrets)
            .header("Content-Type", "application/json")
            .abort_signal(Some(&handle.signal()));
        let first_byte = handle.timer(settings.first_byte_timeout_ms, Abort::FirstByte);
        let sent = match builder.body(body) {
            Ok(req) => req.send().await,
            Err(e) => return Outcome::Failed(ApiError::network(js_message(&e)), Answer::default()),
        };
        if let Some(t) = first_byte {
            t.clear();
        }
        let failure = match sent {
            Err(e) => match handle.reason.get() {
                Abort::User => return Outcome::Stopped(Answer::default()),
                Abort::FirstByte => {
                    (ApiError::first_byte_timeout(settings.first_byte_timeout_ms), Failure::Timeout)
                }
                _ => (ApiError::network(js_message(&e)), Failure::Network),
            },
            Ok(response) if !response.ok() => {
                let status = response.status();
                let content_type = response.headers().get("content-type");
                let body = response.binary().await.unwrap_or_default();
                let error = ApiError::from_response(status, content_type.as_deref(), &body);
                if stream && error.refuses_streaming() {
                    stream = false;
                    continue;
                }
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|s| s.trim().parse::<f64>().ok());
                (error, Failure::Status { status, retry_after })
            }
            Ok(response) => return read_answer(response, stream, settings, handle, progress).await,
        };
        match policy.delay(attempt, failure.1) {
            Some(ms) => {
                (progress.retrying)(ms, &failure.0.describe());
                sleep(ms, handle).await;
            }
            None => return Outcome::Failed(failure.0, Answer::default()),
        }
    }
}

/// Reads a 2xx answer: an event stream chunk by chunk, or a whole JSON completion.
async fn read_answer(
    response: Response,
    stream: bool,
    settings: &Settings,
    handle: &Handle,
    progress: &Progress<'_>,
) -> Outcome {
    let status = response.status();
    let event_stream =
        response.headers().get("content-type").is_some_and(|t| t.contains("text/event-stream"));
    if !stream || !event_stream {
        let idle = handle.timer(settings.idle_timeout_ms, Abort::Idle);
        let body = response.binary().await;
        if let Some(t) = idle {
            t.clear();
        }
        return match body {
            Err(e) => ended_early(handle, settings, Answer::default(), &js_message(&e)),
            Ok(body) => match parse_completion(status, &body) {
                Ok(answer) => {
                    (progress.answer)(&answer);
                    Outcome::Done(answer)
                }
                Err(e) => Outcome::Failed(e, Answer::default()),
            },
        };
    }
    let Some(body) = response.body() else {
        return match StreamDecoder::new(status).finish() {
            Ok(answer) => Outcome::Done(answer),
            Err(e) => Outcome::Failed(e, Answer::default()),
        };
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut decoder = StreamDecoder::new(status);
    loop {
        let idle = handle.timer(settings.idle_timeout_ms, Abort::Idle);
        let read = JsFuture::from(reader.read()).await;
        if let Some(t) = idle {
            t.clear();
        }
        let chunk = match read {
            Err(e) => {
                let why = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                return ended_early(handle, settings, decoder.answer().clone(), &why);
            }
            Ok(chunk) => chunk,
        };
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) else { break };
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        let event = decoder.push(&bytes);
        if event.changed {
            (progress.answer)(decoder.answer());
        }
        if let Some(error) = event.error {
            let _ = reader.cancel();
            return Outcome::Failed(error, decoder.answer().clone());
        }
    }
    match decoder.finish() {
        Ok(answer) => {
            (progress.answer)(&answer);
            Outcome::Done(answer)
        }
        Err(e) => Outcome::Failed(e, Answer::default()),
    }
}

/// The stream stopped before its end: because of Stop, the idle timer, or the network.
fn ended_early(handle: &Handle, settings: &Settings, mut answer: Answer, why: &str) -> Outcome {
    match handle.reason.get() {
        Abort::User => Outcome::Stopped(answer),
        Abort::Idle => Outcome::Failed(ApiError::idle_timeout(settings.idle_timeout_ms), answer),
        _ if !answer.text().is_empty() => {
            answer
                .warnings
                .push(format!("the connection broke before the answer was complete ({why})"));
            Outcome::Done(answer)
        }
        _ => Outcome::Failed(ApiError::network(why), answer),
    }
}

/// One probe of `GET {base}/models`.
async fn probe(url: &str, secrets: Option<&Secrets>, no_cors: bool) -> Probe {
    let mut builder = Request::get(url);
    if let Some(secrets) = secrets {
        builder = with_headers(builder, secrets);
    }
    if no_cors {
        builder = builder.mode(RequestMode::NoCors);
    }
    match builder.send().await {
        Err(e) => Probe::Failed(js_message(&e)),
        Ok(r) if no_cors || r.type_() == ResponseType::Opaque => Probe::Opaque,
        Ok(r) => Probe::Answered { status: r.status(), body: r.binary().await.unwrap_or_default() },
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// "Test connection": the probes of [`crab_llm::diagnose`], run in order, and what they mean.
pub async fn test_connection(settings: &Settings, secrets: &Secrets) -> Diagnosis {
    let url = request::models_url(&settings.base_url);
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let started = now_ms();
    let plain = probe(&url, None, false).await;
    let mut latency_ms = matches!(plain, Probe::Answered { .. }).then(|| now_ms() - started);
    let no_cors = if matches!(plain, Probe::Failed(_)) {
        probe(&url, None, true).await
    } else {
        Probe::Skipped
    };
    let has_secrets = !request::headers(secrets).is_empty();
    let with_headers = if has_secrets && matches!(plain, Probe::Answered { .. }) {
        let started = now_ms();
        let p = probe(&url, Some(secrets), false).await;
        if matches!(p, Probe::Answered { .. }) {
            latency_ms = Some(now_ms() - started);
        }
        p
    } else {
        Probe::Skipped
    };
    diagnose::diagnose(&Probes {
        base_url: &settings.base_url,
        origin: &origin,
        model: &settings.model,
        plain,
        no_cors,
        with_headers,
        latency_ms,
    })
}
