//! The model list of `GET {base}/models`, for the model picker.
//!
//! OpenAI, vLLM, LM Studio and Ollama's `/v1` answer `{"object": "list", "data": [{"id": …}]}`;
//! llama.cpp adds a `models` list; Ollama's native `/api/tags` has `models: [{"name": …}]`.
//! All of them are read, in order, without duplicates.

use serde_json::Value;

use crate::error::ApiError;

/// The model ids of a `/models` body (HTTP `status` 2xx).
pub fn parse_models(status: u16, body: &[u8]) -> Result<Vec<String>, ApiError> {
    let text = String::from_utf8_lossy(body);
    let json: Value = serde_json::from_str(text.trim())
        .map_err(|_| ApiError::not_an_answer(status, "a model list that is not JSON"))?;
    let lists = ["data", "models"].map(|k| json.get(k).and_then(Value::as_array));
    if lists.iter().all(Option::is_none) {
        return Err(ApiError::not_an_answer(status, "JSON without a `data` or `models` list"));
    }
    let mut ids: Vec<String> = Vec::new();
    for item in lists.into_iter().flatten().flatten() {
        let id = match item {
            Value::String(s) => Some(s.as_str()),
            _ => ["id", "name", "model"].iter().find_map(|k| item.get(k).and_then(Value::as_str)),
        };
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            if !ids.iter().any(|known| known == id) {
                ids.push(id.to_owned());
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape() {
        let openai =
            br#"{"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"gpt-4o-mini"}]}"#;
        assert_eq!(parse_models(200, openai).unwrap(), ["gpt-4o", "gpt-4o-mini"]);
        let llama = br#"{"models":[{"name":"m.gguf","model":"m.gguf"}],"object":"list","data":[{"id":"m.gguf"}]}"#;
        assert_eq!(parse_models(200, llama).unwrap(), ["m.gguf"]);
        let tags = br#"{"models":[{"name":"llama3.2:latest"},{"name":"qwen3:8b"}]}"#;
        assert_eq!(parse_models(200, tags).unwrap(), ["llama3.2:latest", "qwen3:8b"]);
        assert_eq!(parse_models(200, br#"{"data": []}"#).unwrap(), Vec::<String>::new());
        assert!(parse_models(200, b"<html>").is_err());
        assert!(parse_models(200, br#"{"object": "list"}"#).is_err());
    }
}
