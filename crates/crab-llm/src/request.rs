//! The chat request: endpoint settings (everything but secrets), the body sent to
//! `POST {base}/chat/completions`, the headers, and the client-side check of a JSON answer.
//!
//! Settings are plain data the app keeps in its profile store and the CLI reads from flags;
//! secrets (the API key, extra header values) travel separately as [`Secrets`] so that a
//! settings value can be shown, stored with an attempt or exported without leaking them.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::prompt::Message;

/// How the answer must be formatted, as sent in `response_format`. (Stored in serde's default,
/// externally tagged form: an internally tagged enum would need serde's buffering deserializer,
/// which costs the web app's first load more than the prettier JSON is worth.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseFormat {
    /// No `response_format`.
    #[default]
    None,
    /// `{"type": "json_object"}`.
    JsonObject,
    /// `{"type": "json_schema", …}` with the schema as typed (JSON text).
    JsonSchema {
        /// The JSON Schema, as text.
        schema: String,
    },
}

/// An endpoint and how to ask it, without secrets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The OpenAI-compatible base URL, e.g. `http://localhost:11434/v1`.
    pub base_url: String,
    /// The model name.
    pub model: String,
    /// Sampling temperature, if set.
    pub temperature: Option<f64>,
    /// Nucleus sampling, if set.
    pub top_p: Option<f64>,
    /// The answer's token limit, if set.
    pub max_tokens: Option<u32>,
    /// The sampling seed, if set.
    pub seed: Option<i64>,
    /// Stop sequences.
    pub stop: Vec<String>,
    /// The answer's format.
    pub response_format: ResponseFormat,
    /// A system message before the conversation, if not empty.
    pub system_prompt: String,
    /// How long to wait for the first byte of the answer, in milliseconds.
    pub first_byte_timeout_ms: u64,
    /// How long the stream may go quiet, in milliseconds.
    pub idle_timeout_ms: u64,
    /// How many times a failed request is tried again ([`crate::retry`]); 0 never.
    pub retries: u32,
}

impl Settings {
    /// The retry schedule these settings ask for.
    pub fn retry_policy(&self) -> crate::retry::RetryPolicy {
        crate::retry::RetryPolicy {
            max_attempts: self.retries.saturating_add(1),
            ..crate::retry::RetryPolicy::default()
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            base_url: String::new(),
            model: String::new(),
            temperature: None,
            top_p: None,
            max_tokens: None,
            seed: None,
            stop: Vec::new(),
            response_format: ResponseFormat::None,
            system_prompt: String::new(),
            first_byte_timeout_ms: 60_000,
            idle_timeout_ms: 30_000,
            retries: 2,
        }
    }
}

/// What must not be stored with settings, shared or shown: the API key and the extra headers.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Secrets {
    /// The API key, sent as `Authorization: Bearer …` when not empty.
    pub api_key: String,
    /// Extra headers, `(name, value)`.
    pub headers: Vec<(String, String)>,
}

impl std::fmt::Debug for Secrets {
    /// Never prints the values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Secrets")
            .field("api_key", &if self.api_key.is_empty() { "(none)" } else { "(set)" })
            .field("headers", &names)
            .finish()
    }
}

/// `{base}/{path}` with exactly one `/` between them.
fn endpoint(base: &str, path: &str) -> String {
    format!("{}/{path}", base.trim().trim_end_matches('/'))
}

/// `{base}/chat/completions`.
pub fn chat_url(base: &str) -> String {
    endpoint(base, "chat/completions")
}

/// `{base}/models`.
pub fn models_url(base: &str) -> String {
    endpoint(base, "models")
}

/// What is wrong with `settings`, one sentence per problem (empty when they can be used).
pub fn problems(settings: &Settings) -> Vec<String> {
    let mut out = Vec::new();
    let base = settings.base_url.trim();
    if base.is_empty() {
        out.push("Base URL is empty: choose a preset or type the server's address.".to_owned());
    } else if !(base.starts_with("http://") || base.starts_with("https://")) {
        out.push(format!("Base URL must start with http:// or https:// (got “{base}”)."));
    }
    if settings.model.trim().is_empty() {
        out.push(
            "Model is empty: pick one from the list (Test connection fills it) or type its name."
                .to_owned(),
        );
    }
    if let Some(t) = settings.temperature {
        if !(0.0..=2.0).contains(&t) {
            out.push(format!("Temperature must be between 0 and 2 (got {t})."));
        }
    }
    if let Some(p) = settings.top_p {
        if !(0.0..=1.0).contains(&p) {
            out.push(format!("top_p must be between 0 and 1 (got {p})."));
        }
    }
    if settings.max_tokens == Some(0) {
        out.push("Max tokens must be at least 1 (or empty for the server's default).".to_owned());
    }
    if let ResponseFormat::JsonSchema { schema } = &settings.response_format {
        if let Err(e) = parse_schema(schema) {
            out.push(e);
        }
    }
    out
}

fn parse_schema(schema: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(schema) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err("The JSON schema must be a JSON object.".to_owned()),
        Err(e) => Err(format!("The JSON schema is not valid JSON: {e}.")),
    }
}

/// The body of a chat request for `messages`. With `stream`, the answer streams and the usage
/// chunk is asked for (`stream_options.include_usage`); without, one JSON answer comes back
/// (the fallback for servers that refuse streaming options).
pub fn chat_body(settings: &Settings, messages: &[Message], stream: bool) -> Value {
    let mut body = Map::new();
    body.insert("model".to_owned(), json!(settings.model.trim()));
    body.insert("messages".to_owned(), json!(messages));
    if let Some(t) = settings.temperature {
        body.insert("temperature".to_owned(), json!(t));
    }
    if let Some(p) = settings.top_p {
        body.insert("top_p".to_owned(), json!(p));
    }
    if let Some(n) = settings.max_tokens {
        body.insert("max_tokens".to_owned(), json!(n));
    }
    if let Some(s) = settings.seed {
        body.insert("seed".to_owned(), json!(s));
    }
    let stop: Vec<&String> = settings.stop.iter().filter(|s| !s.is_empty()).collect();
    if !stop.is_empty() {
        body.insert("stop".to_owned(), json!(stop));
    }
    match &settings.response_format {
        ResponseFormat::None => {}
        ResponseFormat::JsonObject => {
            body.insert("response_format".to_owned(), json!({"type": "json_object"}));
        }
        ResponseFormat::JsonSchema { schema } => {
            if let Ok(schema) = parse_schema(schema) {
                body.insert(
                    "response_format".to_owned(),
                    json!({"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": true}}),
                );
            }
        }
    }
    body.insert("stream".to_owned(), json!(stream));
    if stream {
        body.insert("stream_options".to_owned(), json!({"include_usage": true}));
    }
    Value::Object(body)
}

/// The request headers besides `Content-Type`: `Authorization: Bearer <key>` when a key is
/// set, then the extra headers with a name (a custom header makes the browser send a CORS
/// preflight, which some servers refuse: `Test connection` probes without them first).
pub fn headers(secrets: &Secrets) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let key = secrets.api_key.trim();
    if !key.is_empty() {
        out.push(("Authorization".to_owned(), format!("Bearer {key}")));
    }
    for (name, value) in &secrets.headers {
        if !name.trim().is_empty() {
            out.push((name.trim().to_owned(), value.clone()));
        }
    }
    out
}

/// The client's check of an answer against the requested format (servers treat
/// `response_format` as a hint, or ignore it): `None` without a format; else whether the answer
/// is JSON (an object, for `json_object`) with the schema's required top-level keys. Full JSON
/// Schema validation is out of scope.
pub fn check_format(format: &ResponseFormat, answer: &str) -> Option<Result<(), String>> {
    let required: Vec<String> = match format {
        ResponseFormat::None => return None,
        ResponseFormat::JsonObject => Vec::new(),
        ResponseFormat::JsonSchema { schema } => parse_schema(schema)
            .ok()
            .and_then(|s| s.get("required").and_then(Value::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect(),
    };
    let value: Value = match serde_json::from_str(answer.trim()) {
        Ok(v) => v,
        Err(e) => return Some(Err(format!("the answer is not valid JSON ({e})"))),
    };
    let Value::Object(map) = value else {
        return Some(Err("the answer is JSON but not an object".to_owned()));
    };
    let missing: Vec<&str> =
        required.iter().map(String::as_str).filter(|k| !map.contains_key(*k)).collect();
    Some(if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("the answer lacks the required key(s) {}", missing.join(", ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompt::generation;

    #[test]
    fn urls_bodies_and_headers() {
        assert_eq!(
            chat_url("http://localhost:11434/v1/"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(models_url(" http://h:8080/v1 "), "http://h:8080/v1/models");
        let settings = Settings {
            base_url: "http://h/v1".into(),
            model: " m ".into(),
            temperature: Some(0.4),
            max_tokens: Some(64),
            seed: Some(7),
            stop: vec!["END".into(), String::new()],
            response_format: ResponseFormat::JsonSchema {
                schema: r#"{"type":"object","required":["a"]}"#.into(),
            },
            ..Settings::default()
        };
        let body = chat_body(&settings, &generation("", "Hi"), true);
        assert_eq!(body["model"], "m");
        assert_eq!(body["stream_options"]["include_usage"], true);
        assert_eq!(body["stop"], json!(["END"]));
        assert_eq!(body["response_format"]["json_schema"]["schema"]["required"], json!(["a"]));
        assert!(body.get("top_p").is_none());
        let plain = chat_body(&Settings::default(), &generation("", "Hi"), false);
        assert_eq!((plain["stream"].clone(), plain.get("stream_options")), (json!(false), None));
        let secrets = Secrets {
            api_key: " sk-1 ".into(),
            headers: vec![("X-Org".into(), "o".into()), (" ".into(), "x".into())],
        };
        assert_eq!(
            headers(&secrets),
            [
                ("Authorization".to_owned(), "Bearer sk-1".to_owned()),
                ("X-Org".to_owned(), "o".to_owned())
            ]
        );
        assert!(headers(&Secrets::default()).is_empty());
        let shown = format!("{secrets:?}");
        assert!(!shown.contains("sk-1") && !shown.contains("\"o\""), "{shown}");
    }

    #[test]
    fn problems_are_sentences() {
        let p = problems(&Settings::default());
        assert_eq!(p.len(), 2);
        let bad = Settings {
            base_url: "localhost:1234".into(),
            model: "m".into(),
            temperature: Some(3.0),
            top_p: Some(-1.0),
            max_tokens: Some(0),
            response_format: ResponseFormat::JsonSchema { schema: "{".into() },
            ..Settings::default()
        };
        let p = problems(&bad);
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p.iter().all(|s| s.ends_with('.')));
        let good =
            Settings { base_url: "http://x/v1".into(), model: "m".into(), ..Settings::default() };
        assert!(problems(&good).is_empty());
    }

    #[test]
    fn json_answers_are_checked_on_the_client() {
        assert_eq!(check_format(&ResponseFormat::None, "x"), None);
        assert_eq!(check_format(&ResponseFormat::JsonObject, r#" {"a": 1} "#), Some(Ok(())));
        assert!(check_format(&ResponseFormat::JsonObject, "[1]").unwrap().is_err());
        assert!(check_format(&ResponseFormat::JsonObject, "{")
            .unwrap()
            .unwrap_err()
            .contains("not valid JSON"));
        let schema =
            ResponseFormat::JsonSchema { schema: r#"{"required": ["name", "age"]}"#.into() };
        assert_eq!(
            check_format(&schema, r#"{"name": "x"}"#),
            Some(Err("the answer lacks the required key(s) age".to_owned()))
        );
        assert_eq!(check_format(&schema, r#"{"name": "x", "age": 3}"#), Some(Ok(())));
    }
}
