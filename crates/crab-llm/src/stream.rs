//! A streamed chat completion, from bytes to an [`Answer`].
//!
//! [`StreamDecoder::push`] takes the body as it arrives and updates the answer: content deltas
//! (with inline `<think>` separated, [`crate::reasoning`]), reasoning deltas in their own fields
//! (`reasoning_content` from vLLM, llama.cpp and DeepSeek, `reasoning` from OpenRouter and
//! Ollama), the finish reason, the usage chunk that `stream_options.include_usage` adds (whose
//! `choices` is `[]`, or `null` on vLLM), `[DONE]`, and an error sent in the middle of the stream
//! (an object with an `error` key, or llama.cpp's older `event: error`), which is checked for
//! before anything is read as a chunk. [`StreamDecoder::finish`] decides how the stream ended: a
//! stream that stops without `[DONE]` and without any answer is an error, not an empty success;
//! one that stops after some content keeps it and says it may be cut. [`parse_completion`] reads a
//! non-streamed answer into the same [`Answer`].

use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::reasoning::ThinkSplit;
use crate::sse::SseParser;
use crate::usage::Usage;

/// An answer, complete or as far as it has arrived.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    content: ThinkSplit,
    /// Reasoning sent in its own delta field.
    reasoning_field: String,
    /// Why the model stopped (`stop`, `length`, …), when it said.
    pub finish_reason: Option<String>,
    /// Token counts, when the server sent them.
    pub usage: Option<Usage>,
    /// The model that answered, as the server named it.
    pub model: Option<String>,
    /// Whether `[DONE]` (or, without streaming, the whole body) arrived.
    pub done: bool,
    /// How many chunks carried something.
    pub chunks: usize,
    /// Things worth saying that are not errors (an event that was not JSON, a cut stream).
    pub warnings: Vec<String>,
}

impl Answer {
    /// The answer without its thinking: what is verified.
    pub fn text(&self) -> &str {
        self.content.answer()
    }

    /// The content as received, `<think>` tags included.
    pub fn raw(&self) -> &str {
        self.content.raw()
    }

    /// All the reasoning (the separate field, then any inline `<think>`), shown apart and never
    /// verified.
    pub fn reasoning(&self) -> String {
        let inline = self.content.reasoning();
        match (self.reasoning_field.is_empty(), inline.is_empty()) {
            (_, true) => self.reasoning_field.clone(),
            (true, false) => inline.to_owned(),
            (false, false) => format!("{}\n\n{inline}", self.reasoning_field),
        }
    }

    /// Whether the model is still thinking (reasoning arrived, no answer yet).
    pub fn thinking(&self) -> bool {
        self.content.thinking() || (!self.reasoning_field.is_empty() && self.text().is_empty())
    }

    /// Whether anything at all (content or reasoning) arrived.
    pub fn is_empty(&self) -> bool {
        self.content.raw().is_empty() && self.reasoning_field.is_empty()
    }

    fn add_choice(&mut self, choice: &Choice) {
        let part = choice.delta.as_ref().or(choice.message.as_ref());
        if let Some(part) = part {
            if let Some(text) = part.content.as_deref() {
                self.content.push(text);
            }
            for r in [&part.reasoning_content, &part.reasoning].into_iter().flatten() {
                self.reasoning_field.push_str(r);
            }
        }
        if let Some(reason) = &choice.finish_reason {
            self.finish_reason = Some(reason.clone());
        }
    }

    fn add_chunk(&mut self, chunk: &Chunk) {
        if let Some(choice) = chunk.choices.iter().flatten().find(|c| c.index.unwrap_or(0) == 0) {
            self.add_choice(choice);
        }
        if let Some(usage) = &chunk.usage {
            self.usage = Some(usage.clone());
        }
        if self.model.is_none() {
            self.model.clone_from(&chunk.model);
        }
        self.chunks += 1;
    }
}

/// The parts of a chunk (or of a whole completion) that matter here. Unknown fields are ignored
/// and every field may be missing or `null`.
#[derive(Debug, Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Option<Vec<Choice>>,
    #[serde(default)]
    usage: Option<Usage>,
    #[serde(default)]
    model: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    #[serde(default)]
    index: Option<u64>,
    #[serde(default)]
    delta: Option<Part>,
    #[serde(default)]
    message: Option<Part>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Part {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    reasoning: Option<String>,
}

/// What one [`StreamDecoder::push`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamEvent {
    /// Whether the answer (content, reasoning, finish reason or usage) changed.
    pub changed: bool,
    /// The error the server sent mid-stream, if it did (the stream is then over).
    pub error: Option<ApiError>,
}

/// Decodes a streamed chat completion.
#[derive(Debug)]
pub struct StreamDecoder {
    sse: SseParser,
    answer: Answer,
    error: Option<ApiError>,
    status: u16,
}

impl StreamDecoder {
    /// A decoder for a stream that came with HTTP `status` (2xx).
    pub fn new(status: u16) -> StreamDecoder {
        StreamDecoder { sse: SseParser::new(), answer: Answer::default(), error: None, status }
    }

    /// The answer so far.
    pub fn answer(&self) -> &Answer {
        &self.answer
    }

    /// Feeds the next piece of the body.
    pub fn push(&mut self, bytes: &[u8]) -> StreamEvent {
        let events = self.sse.push(bytes);
        let mut out = StreamEvent::default();
        for event in events {
            self.event(event.event.as_deref(), &event.data, &mut out);
        }
        out
    }

    fn event(&mut self, name: Option<&str>, data: &str, out: &mut StreamEvent) {
        if self.error.is_some() || self.answer.done {
            return;
        }
        let data = data.trim();
        if data == "[DONE]" {
            self.answer.done = true;
            out.changed = true;
            return;
        }
        let json: Value = match serde_json::from_str(data) {
            Ok(json) => json,
            Err(_) => {
                if name == Some("error") {
                    let e = ApiError::from_event(name, &Value::String(data.to_owned()));
                    self.fail(e, out);
                } else {
                    let shown: String = data.chars().take(80).collect();
                    self.answer
                        .warnings
                        .push(format!("ignored an event that is not JSON: {shown}"));
                }
                return;
            }
        };
        if let Some(e) = ApiError::from_event(name, &json) {
            self.fail(Some(e), out);
            return;
        }
        match serde_json::from_value::<Chunk>(json) {
            Ok(chunk) => {
                self.answer.add_chunk(&chunk);
                out.changed = true;
            }
            Err(e) => {
                self.answer.warnings.push(format!("ignored a chunk of an unknown shape ({e})"))
            }
        }
    }

    fn fail(&mut self, error: Option<ApiError>, out: &mut StreamEvent) {
        if let Some(e) = error {
            out.error = Some(e.clone());
            self.error = Some(e);
        }
    }

    /// The end of the body: the answer, or why there is none.
    ///
    /// - an error event → that error;
    /// - `[DONE]`, or content without it (kept, with a warning that it may be cut) → the answer;
    /// - nothing at all → [`crate::ErrorKind::EmptyStream`].
    pub fn finish(mut self) -> Result<Answer, ApiError> {
        let end = self.sse.finish();
        if let Some(event) = end.pending {
            let mut ignored = StreamEvent::default();
            self.event(event.event.as_deref(), &event.data, &mut ignored);
        }
        if let Some(e) = self.error {
            return Err(e);
        }
        if !self.answer.done {
            if self.answer.is_empty() {
                return Err(ApiError::empty_stream(self.status));
            }
            self.answer.warnings.push(
                "the stream ended before the server said it was done: the answer may be cut"
                    .to_owned(),
            );
        }
        Ok(self.answer)
    }
}

/// A non-streamed chat completion (`{"choices": [{"message": …}], "usage": …}`), as an
/// [`Answer`]; a body that is not one is an error saying what it was.
pub fn parse_completion(status: u16, body: &[u8]) -> Result<Answer, ApiError> {
    let text = String::from_utf8_lossy(body);
    let json: Value = serde_json::from_str(text.trim()).map_err(|_| {
        let shown: String = text.trim().chars().take(120).collect();
        if shown.is_empty() {
            ApiError::not_an_answer(status, "an empty body")
        } else if shown.starts_with('<') {
            ApiError::not_an_answer(status, "an HTML page")
        } else {
            ApiError::not_an_answer(status, format!("text that is not JSON: {shown}"))
        }
    })?;
    if let Some(e) = ApiError::from_event(None, &json) {
        return Err(e);
    }
    let chunk: Chunk = serde_json::from_value(json)
        .map_err(|e| ApiError::not_an_answer(status, format!("JSON of an unknown shape ({e})")))?;
    if chunk.choices.as_ref().is_none_or(Vec::is_empty) {
        return Err(ApiError::not_an_answer(status, "JSON without any choice"));
    }
    let mut answer = Answer::default();
    answer.add_chunk(&chunk);
    answer.done = true;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn chunk(content: &str) -> String {
        format!(
            "data: {}\n\n",
            serde_json::json!({"object": "chat.completion.chunk", "model": "m", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]})
        )
    }

    const OPENAI_TAIL: &str = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\ndata: [DONE]\n\n";

    fn decode(pieces: &[&[u8]]) -> Result<Answer, ApiError> {
        let mut d = StreamDecoder::new(200);
        for p in pieces {
            d.push(p);
        }
        d.finish()
    }

    #[test]
    fn content_finish_usage_done() {
        let stream = format!("{}{}{OPENAI_TAIL}", chunk("Hello, "), chunk("wörld 🌊"));
        let a = decode(&[stream.as_bytes()]).unwrap();
        assert_eq!(a.text(), "Hello, wörld 🌊");
        assert_eq!(a.finish_reason.as_deref(), Some("stop"));
        assert_eq!(a.usage.as_ref().map(|u| u.total_tokens), Some(Some(12)));
        assert!(a.done && a.warnings.is_empty());
        assert_eq!(a.model.as_deref(), Some("m"));
        // Every two-way split gives the same answer, and so do single bytes.
        let bytes = stream.as_bytes();
        for at in 0..=bytes.len() {
            let (x, y) = bytes.split_at(at);
            assert_eq!(decode(&[x, y]).unwrap(), a, "split at {at}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(decode(&singles).unwrap(), a);
    }

    #[test]
    fn null_and_empty_choices_reasoning_fields_and_think_tags() {
        // vLLM's usage chunk has `choices: null`.
        let s = format!("{}data: {{\"choices\":null,\"usage\":{{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}}}\n\ndata: [DONE]\n\n", chunk("x"));
        assert_eq!(decode(&[s.as_bytes()]).unwrap().text(), "x");
        let s = "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"think \"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"reasoning\":\"more\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Answer\"}}]}\n\ndata: [DONE]\n\n";
        let a = decode(&[s.as_bytes()]).unwrap();
        assert_eq!((a.reasoning().as_str(), a.text()), ("think more", "Answer"));
        let s = format!(
            "{}{}{}data: [DONE]\n\n",
            chunk("<think>plan"),
            chunk("</think>\n\n"),
            chunk("Done.")
        );
        let a = decode(&[s.as_bytes()]).unwrap();
        assert_eq!(
            (a.reasoning().as_str(), a.text(), a.raw()),
            ("plan", "Done.", "<think>plan</think>\n\nDone.")
        );
        let mut d = StreamDecoder::new(200);
        d.push(chunk("<think>still").as_bytes());
        assert!(d.answer().thinking());
    }

    #[test]
    fn errors_in_the_stream_and_at_its_end() {
        let s = format!(
            "{}data: {{\"error\":{{\"message\":\"overloaded\",\"type\":\"server_error\"}}}}\n\n",
            chunk("partial")
        );
        let e = decode(&[s.as_bytes()]).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::MidStream, "overloaded"));
        // llama.cpp's old `event: error`.
        let e =
            decode(&[b"event: error\ndata: {\"content\":\"slot unavailable\"}\n\n"]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::MidStream);
        // Nothing at all, or only keep-alives: an error.
        assert_eq!(decode(&[b""]).unwrap_err().kind, ErrorKind::EmptyStream);
        assert_eq!(decode(&[b": ping\n\n"]).unwrap_err().kind, ErrorKind::EmptyStream);
        // Cut after some content: kept, with a warning.
        let a = decode(&[chunk("half an ans").as_bytes()]).unwrap();
        assert!(!a.done && a.text() == "half an ans" && a.warnings.len() == 1);
        // A final `[DONE]` without its blank line still counts.
        let s = format!("{}data: [DONE]", chunk("ok"));
        assert!(decode(&[s.as_bytes()]).unwrap().warnings.is_empty());
        // Garbage events are ignored with a warning.
        let s = format!("data: not json\n\n{}data: [DONE]\n\n", chunk("fine"));
        let a = decode(&[s.as_bytes()]).unwrap();
        assert_eq!((a.text(), a.warnings.len()), ("fine", 1));
    }

    #[test]
    fn non_streamed_answers() {
        let body = br#"{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"<think>hm</think>Hi","reasoning_content":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}"#;
        let a = parse_completion(200, body).unwrap();
        assert_eq!((a.text(), a.reasoning().as_str(), a.done), ("Hi", "hm", true));
        assert_eq!(parse_completion(200, b"").unwrap_err().kind, ErrorKind::NotAnAnswer);
        assert!(parse_completion(200, b"plain text")
            .unwrap_err()
            .describe()
            .contains("plain text"));
        assert!(parse_completion(200, b"<html></html>").unwrap_err().describe().contains("HTML"));
        assert_eq!(
            parse_completion(200, br#"{"choices": []}"#).unwrap_err().kind,
            ErrorKind::NotAnAnswer
        );
        assert_eq!(
            parse_completion(200, br#"{"error": {"message": "no"}}"#).unwrap_err().kind,
            ErrorKind::MidStream
        );
    }
}
