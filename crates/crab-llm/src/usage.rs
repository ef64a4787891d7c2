//! Tokens and time: what an answer cost, as the server counted it or, when it did not, as
//! estimated here (and labelled as an estimate).
//!
//! The clock belongs to the caller (the browser's `performance.now()`, the CLI's `Instant`):
//! [`Timing`] holds the moments it measured, in milliseconds from any origin, and [`Stats`] turns
//! them into the numbers shown next to an answer.

use serde::{Deserialize, Serialize};

/// The `usage` object of a completion (or of the `include_usage` chunk).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens in the prompt.
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    /// Tokens in the answer (reasoning included, for reasoning models).
    #[serde(default)]
    pub completion_tokens: Option<u64>,
    /// Their sum, as the server reported it.
    #[serde(default)]
    pub total_tokens: Option<u64>,
}

/// Moments of one request, in milliseconds on the caller's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timing {
    /// When the request was sent.
    pub sent: f64,
    /// When the first content or reasoning arrived.
    pub first_token: Option<f64>,
    /// When the answer was complete (or stopped).
    pub finished: Option<f64>,
}

/// What is shown next to an answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Time to the first token, in milliseconds.
    pub first_token_ms: Option<f64>,
    /// Time to the end, in milliseconds.
    pub total_ms: Option<f64>,
    /// Prompt tokens.
    pub tokens_in: u64,
    /// Answer tokens.
    pub tokens_out: u64,
    /// Whether the token counts are estimates (the server sent no usage).
    pub estimated: bool,
}

impl Stats {
    /// One line: "first token 120 ms · 2.3 s · 45 → 310 tokens (estimated)".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(ms) = self.first_token_ms {
            parts.push(format!("first token {}", duration(ms)));
        }
        if let Some(ms) = self.total_ms {
            parts.push(format!("total {}", duration(ms)));
        }
        let tokens = format!("{} → {} tokens", self.tokens_in, self.tokens_out);
        parts.push(if self.estimated { format!("{tokens} (estimated)") } else { tokens });
        parts.join(" · ")
    }
}

fn duration(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// A rough token count for text the server did not count: one token per 4 bytes of text,
/// rounded up (the usual rule of thumb for English with BPE tokenizers), at least one per word.
pub fn estimate_tokens(text: &str) -> u64 {
    let by_bytes = text.len().div_ceil(4);
    let words = text.split_whitespace().count();
    u64::try_from(by_bytes.max(words)).unwrap_or(u64::MAX)
}

/// The stats of one answer: the server's usage when it sent both counts, else estimates from
/// `prompt` (everything sent) and `answer` (everything received, reasoning included).
pub fn stats(timing: &Timing, usage: Option<&Usage>, prompt: &str, answer: &str) -> Stats {
    let counted = usage.and_then(|u| Some((u.prompt_tokens?, u.completion_tokens?)));
    let (tokens_in, tokens_out, estimated) = match counted {
        Some((i, o)) => (i, o, false),
        None => (estimate_tokens(prompt), estimate_tokens(answer), true),
    };
    Stats {
        first_token_ms: timing.first_token.map(|t| (t - timing.sent).max(0.0)),
        total_ms: timing.finished.map(|t| (t - timing.sent).max(0.0)),
        tokens_in,
        tokens_out,
        estimated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_or_estimated() {
        let t = Timing { sent: 100.0, first_token: Some(220.0), finished: Some(2400.0) };
        let u = Usage {
            prompt_tokens: Some(45),
            completion_tokens: Some(310),
            total_tokens: Some(355),
        };
        let s = stats(&t, Some(&u), "ignored", "ignored");
        assert_eq!((s.tokens_in, s.tokens_out, s.estimated), (45, 310, false));
        assert_eq!(s.describe(), "first token 120 ms · total 2.3 s · 45 → 310 tokens");
        let s = stats(&Timing { sent: 0.0, ..Timing::default() }, None, "abcdefgh", "a b c d e");
        assert_eq!((s.tokens_in, s.tokens_out, s.estimated), (2, 5, true));
        assert_eq!(s.describe(), "2 → 5 tokens (estimated)");
        // A usage without both counts is no count.
        let partial = Usage { total_tokens: Some(9), ..Usage::default() };
        assert!(stats(&t, Some(&partial), "x", "y").estimated);
        assert_eq!(estimate_tokens(""), 0);
    }
}
