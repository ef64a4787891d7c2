//! "Test connection": what the probes of an endpoint say, in plain words, with the fix.
//!
//! A browser cannot see why a cross-origin request failed: a server that is down and a server
//! that answers without CORS headers both give `TypeError: Failed to fetch`. So the app probes
//! in steps (`peers-and-apis.md` §4) and this module concludes:
//!
//! 1. `GET {base}/models` with no custom header (no preflight). An HTTP answer: the server is
//!    reachable and allows this origin.
//! 2. If that failed: the same request with `mode: "no-cors"`. An opaque answer means something
//!    answered but CORS hid it (blocked by CORS); another failure means nothing answers
//!    (unreachable).
//! 3. If a key or extra headers are set: the request with them. A failure here, after step 1
//!    worked, is the preflight the headers cause being refused.
//!
//! Then the status (401/403 say the key), the model list and whether the chosen model is in it.

use crate::error::ApiError;
use crate::models::parse_models;
use crate::presets::{cors_fix, guess};

/// The outcome of one probe, as the caller saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// Not run.
    Skipped,
    /// An HTTP answer: status and body.
    Answered {
        /// The status.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// A `no-cors` request got an (opaque) answer.
    Opaque,
    /// No answer; what the platform said.
    Failed(String),
}

/// What the probes found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing answers at the base URL.
    Unreachable,
    /// The server answers, but the browser blocks this page from reading it.
    BlockedByCors,
    /// The server answers without the key's headers, but refuses the preflight they need.
    HeadersBlockedByCors,
    /// The key is missing or refused.
    Unauthorized,
    /// Another HTTP error.
    Failed,
    /// Connected, but the chosen model is not in the list.
    UnknownModel,
    /// Connected.
    Connected,
}

/// A diagnosis: the verdict, one or two sentences for people, and the models found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// What was found.
    pub verdict: Verdict,
    /// What it means and what to do.
    pub message: String,
    /// The models the server listed (empty when it did not answer).
    pub models: Vec<String>,
}

/// The inputs of [`diagnose`].
#[derive(Clone, Debug)]
pub struct Probes<'a> {
    /// The base URL probed.
    pub base_url: &'a str,
    /// The page's origin (`http://127.0.0.1:8421`), for the CORS fix.
    pub origin: &'a str,
    /// The model chosen, if any.
    pub model: &'a str,
    /// Step 1: without custom headers.
    pub plain: Probe,
    /// Step 2: `no-cors`, when step 1 failed.
    pub no_cors: Probe,
    /// Step 3: with the key and extra headers, when there are any.
    pub with_headers: Probe,
    /// Milliseconds the first answering probe took.
    pub latency_ms: Option<f64>,
}

fn verdict(verdict: Verdict, message: String, models: Vec<String>) -> Diagnosis {
    Diagnosis { verdict, message, models }
}

/// What the probes mean.
pub fn diagnose(p: &Probes<'_>) -> Diagnosis {
    let preset = guess(p.base_url);
    let base = p.base_url.trim();
    let mixed = p.origin.starts_with("https:") && base.starts_with("http:");
    let answered = match (&p.plain, &p.with_headers) {
        (Probe::Answered { .. }, Probe::Failed(why)) => {
            let fix = cors_fix(preset, p.origin);
            return verdict(
                Verdict::HeadersBlockedByCors,
                format!(
                    "{base} answers, but not when the API key or extra headers are sent: the \
                     browser's preflight for them is refused ({why}). {fix}"
                ),
                Vec::new(),
            );
        }
        (_, Probe::Answered { status, body }) => Some((*status, body)),
        (Probe::Answered { status, body }, _) => Some((*status, body)),
        _ => None,
    };
    let Some((status, body)) = answered else {
        return match &p.no_cors {
            Probe::Opaque => verdict(
                Verdict::BlockedByCors,
                format!(
                    "Something answers at {base}, but the browser blocks this page from reading \
                     it (CORS): the server must allow the origin {}. {}",
                    p.origin,
                    cors_fix(preset, p.origin)
                ),
                Vec::new(),
            ),
            _ => {
                let why = match &p.plain {
                    Probe::Failed(why) => format!(" ({why})"),
                    _ => String::new(),
                };
                let hint = if mixed {
                    " This page is served over https and the server over http: browsers block \
                     that for addresses other than localhost; serve the playground locally \
                     (make serve) or put the server behind https."
                } else {
                    " Is the server running, on this port, and is the base URL right (it usually \
                     ends in /v1)?"
                };
                verdict(
                    Verdict::Unreachable,
                    format!("Nothing answers at {base}{why}.{hint}"),
                    Vec::new(),
                )
            }
        };
    };
    if !(200..300).contains(&status) {
        let e = ApiError::from_response(status, None, body);
        let v = if matches!(status, 401 | 403) { Verdict::Unauthorized } else { Verdict::Failed };
        return verdict(v, e.describe(), Vec::new());
    }
    let models = match parse_models(status, body) {
        Ok(models) => models,
        Err(e) => return verdict(Verdict::Failed, e.describe(), Vec::new()),
    };
    let latency = p.latency_ms.map(|ms| format!(" in {ms:.0} ms")).unwrap_or_default();
    let n = models.len();
    let listed = format!("{n} model{}", if n == 1 { "" } else { "s" });
    let model = p.model.trim();
    if !model.is_empty() && !models.iter().any(|m| m == model) {
        let message = format!(
            "Connected to {base}{latency}: {listed}, but not “{model}”; pick one from the list \
             (some servers, like llama.cpp, answer with their one model whatever the name)."
        );
        return verdict(Verdict::UnknownModel, message, models);
    }
    let message = format!("Connected to {base}{latency}: {listed}.");
    verdict(Verdict::Connected, message, models)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probes(plain: Probe) -> Probes<'static> {
        Probes {
            base_url: "http://localhost:11434/v1",
            origin: "http://127.0.0.1:8421",
            model: "",
            plain,
            no_cors: Probe::Skipped,
            with_headers: Probe::Skipped,
            latency_ms: Some(12.4),
        }
    }

    fn ok(body: &str) -> Probe {
        Probe::Answered { status: 200, body: body.as_bytes().to_vec() }
    }

    #[test]
    fn each_verdict() {
        let list = r#"{"data":[{"id":"llama3.2"},{"id":"qwen3"}]}"#;
        let d = diagnose(&probes(ok(list)));
        assert_eq!(d.verdict, Verdict::Connected);
        assert_eq!(d.message, "Connected to http://localhost:11434/v1 in 12 ms: 2 models.");
        assert_eq!(d.models, ["llama3.2", "qwen3"]);
        let d = diagnose(&Probes { model: "llama3", ..probes(ok(list)) });
        assert_eq!(d.verdict, Verdict::UnknownModel);
        let d = diagnose(&Probes {
            no_cors: Probe::Failed("refused".into()),
            ..probes(Probe::Failed("Failed to fetch".into()))
        });
        assert_eq!(d.verdict, Verdict::Unreachable);
        assert!(d
            .message
            .contains("Nothing answers at http://localhost:11434/v1 (Failed to fetch)"));
        let d = diagnose(&Probes {
            no_cors: Probe::Opaque,
            ..probes(Probe::Failed("Failed to fetch".into()))
        });
        assert_eq!(d.verdict, Verdict::BlockedByCors);
        assert!(d.message.contains("OLLAMA_ORIGINS=http://127.0.0.1:8421"), "{}", d.message);
        let d = diagnose(&Probes {
            with_headers: Probe::Failed("Failed to fetch".into()),
            ..probes(ok(list))
        });
        assert_eq!(d.verdict, Verdict::HeadersBlockedByCors);
        let unauthorized = Probe::Answered {
            status: 401,
            body: br#"{"error":{"message":"Invalid API key"}}"#.to_vec(),
        };
        let d = diagnose(&Probes { with_headers: unauthorized, ..probes(ok(list)) });
        assert_eq!(d.verdict, Verdict::Unauthorized);
        assert!(d.message.contains("401 Unauthorized") && d.message.contains("Invalid API key"));
        let d = diagnose(&probes(Probe::Answered {
            status: 404,
            body: b"404 page not found".to_vec(),
        }));
        assert_eq!(d.verdict, Verdict::Failed);
        let d = diagnose(&probes(ok("<html>")));
        assert_eq!(d.verdict, Verdict::Failed);
        let https = Probes {
            origin: "https://crab.example",
            no_cors: Probe::Failed("x".into()),
            ..probes(Probe::Failed("x".into()))
        };
        assert!(diagnose(&https).message.contains("https"));
    }
}
