//! Servers people run, with their default base URLs and what to change when the browser is
//! blocked from them (`peers-and-apis.md` §4, "CORS and permissions by server").

/// A known server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// A stable id (`ollama`, `llama_cpp`, …).
    pub id: &'static str,
    /// The name shown.
    pub name: &'static str,
    /// Its default OpenAI-compatible base URL.
    pub base_url: &'static str,
    /// Whether it needs an API key.
    pub needs_key: bool,
}

/// The presets, in the order the settings show them.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "ollama",
        name: "Ollama",
        base_url: "http://localhost:11434/v1",
        needs_key: false,
    },
    Preset {
        id: "llama_cpp",
        name: "llama.cpp server",
        base_url: "http://localhost:8080/v1",
        needs_key: false,
    },
    Preset { id: "vllm", name: "vLLM", base_url: "http://localhost:8000/v1", needs_key: false },
    Preset {
        id: "lm_studio",
        name: "LM Studio",
        base_url: "http://localhost:1234/v1",
        needs_key: false,
    },
    Preset { id: "openai", name: "OpenAI", base_url: "https://api.openai.com/v1", needs_key: true },
    Preset {
        id: "openrouter",
        name: "OpenRouter",
        base_url: "https://openrouter.ai/api/v1",
        needs_key: true,
    },
];

/// The preset whose base URL (or port, for local servers) `base` matches, if any.
pub fn guess(base: &str) -> Option<&'static Preset> {
    let base = base.trim().trim_end_matches('/');
    PRESETS.iter().find(|p| p.base_url == base).or_else(|| {
        let port = base.rsplit_once(':').and_then(|(_, rest)| rest.split('/').next())?;
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        PRESETS.iter().find(|p| p.base_url.contains(&format!(":{port}/")))
    })
}

/// How to let a page at `origin` call the server of `preset` (or any server), as sentences.
pub fn cors_fix(preset: Option<&Preset>, origin: &str) -> String {
    let ollama = format!(
        "Ollama: set OLLAMA_ORIGINS={origin} in the server's environment (launchctl setenv on macOS, \
         Environment= in the systemd unit on Linux, a user variable on Windows) and restart it."
    );
    let lm_studio = "LM Studio: turn on CORS in the Developer tab, or start the server with \
                     `lms server start --cors`."
        .to_owned();
    let vllm = format!("vLLM: start it with --allowed-origins '[\"{origin}\"]'.");
    let llama = "llama.cpp's llama-server allows any origin; check that nothing in front of it \
                 (a proxy) strips its CORS headers."
        .to_owned();
    match preset.map(|p| p.id) {
        Some("ollama") => ollama,
        Some("lm_studio") => lm_studio,
        Some("vllm") => vllm,
        Some("llama_cpp") => llama,
        _ => format!(
            "Allow the origin {origin} in the server's CORS settings. {ollama} {lm_studio} {vllm}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_guesses() {
        assert_eq!(guess("http://localhost:11434/v1/").map(|p| p.id), Some("ollama"));
        assert_eq!(guess("http://127.0.0.1:1234/v1").map(|p| p.id), Some("lm_studio"));
        assert_eq!(guess("https://example.org/v1"), None);
        assert!(cors_fix(guess("http://localhost:11434/v1"), "http://127.0.0.1:8421")
            .contains("OLLAMA_ORIGINS=http://127.0.0.1:8421"));
        let any = cors_fix(None, "https://x.example");
        assert!(
            any.contains("https://x.example")
                && any.contains("--cors")
                && any.contains("--allowed-origins")
        );
        let mut ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), PRESETS.len());
    }
}
