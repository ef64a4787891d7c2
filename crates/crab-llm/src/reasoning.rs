//! Reasoning in the content: `<think>…</think>` separated from the answer as it streams.
//!
//! Reasoning models either send their thinking in a separate delta field (`reasoning_content`,
//! `reasoning`; see [`crate::stream`]) or inline in the content, between `<think>` and
//! `</think>` — or with only the closing tag, when the chat template wrote the opening one
//! (DeepSeek-R1). Thinking is shown apart and never verified, and the answer left must be exactly
//! what `crab eval --strip-think` scores ([`crab_constraints::ifeval::strip_think`]), so
//! [`ThinkSplit`] applies the same rules to the content received so far, incrementally: the
//! first occurrences of the tags are found once (each new chunk is searched only from just
//! before its start), so a long stream costs linear time. The answer is always
//! `strip_think(content so far)`, whatever the chunking.

use crab_constraints::text::pystr;

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

/// The content of one answer so far, with its thinking located.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThinkSplit {
    raw: String,
    /// Offset of the first non-whitespace character, once there is one.
    body: Option<usize>,
    /// Offsets of the first `<think>` and `</think>`, once seen.
    open: Option<usize>,
    close: Option<usize>,
    /// How far the tag searches have looked (tags that start before this are found).
    scanned: usize,
}

impl ThinkSplit {
    /// An empty answer.
    pub fn new() -> ThinkSplit {
        ThinkSplit::default()
    }

    /// Appends a content delta.
    pub fn push(&mut self, delta: &str) {
        if delta.is_empty() {
            return;
        }
        let from = self.raw.len();
        self.raw.push_str(delta);
        if self.body.is_none() {
            let rest = self.raw.get(from..).unwrap_or("");
            let stripped = pystr::lstrip(rest);
            if !stripped.is_empty() {
                self.body = Some(self.raw.len() - stripped.len());
            }
        }
        // A tag may straddle the previous chunk's end: look again from just before it.
        let start = floor_boundary(&self.raw, self.scanned.saturating_sub(CLOSE.len() - 1));
        let window = self.raw.get(start..).unwrap_or("");
        if self.open.is_none() {
            self.open = window.find(OPEN).map(|i| start + i);
        }
        if self.close.is_none() {
            self.close = window.find(CLOSE).map(|i| start + i);
        }
        self.scanned = self.raw.len();
    }

    /// Everything received, tags included.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Whether the content starts (after whitespace) with `<think>`: `None` while that is not
    /// decided yet (nothing but whitespace, or a prefix of the tag, so far).
    fn starts_thinking(&self) -> Option<bool> {
        let body = self.raw.get(self.body?..)?;
        if body.starts_with(OPEN) {
            Some(true)
        } else if OPEN.starts_with(body) {
            None
        } else {
            Some(false)
        }
    }

    /// The thinking found so far (without the tags); empty if there is none.
    pub fn reasoning(&self) -> &str {
        match self.starts_thinking() {
            Some(true) => {
                let from = self.body.unwrap_or(0) + OPEN.len();
                let to = self.close.filter(|&c| c >= from).unwrap_or(self.raw.len());
                self.raw.get(from..to).unwrap_or("")
            }
            Some(false) => match self.close {
                Some(close) if self.open.is_none_or(|open| close < open) => {
                    self.raw.get(..close).unwrap_or("")
                }
                _ => "",
            },
            None => "",
        }
    }

    /// The answer so far: the content without its thinking (see the module docs). Empty while
    /// the model is still thinking, and when it never finished.
    pub fn answer(&self) -> &str {
        let after_close =
            |close: usize| pystr::lstrip(self.raw.get(close + CLOSE.len()..).unwrap_or(""));
        match self.starts_thinking() {
            Some(true) => match self.close {
                Some(close) if close >= self.body.unwrap_or(0) + OPEN.len() => after_close(close),
                _ => "",
            },
            Some(false) => match self.close {
                Some(close) if self.open.is_none_or(|open| close < open) => after_close(close),
                _ => &self.raw,
            },
            // Only whitespace, or whitespace and a part of `<think>`, so far: as it is (which is
            // also the answer if the stream ends here).
            None => &self.raw,
        }
    }

    /// Whether the model is still inside `<think>` (an opening tag and no closing one yet).
    pub fn thinking(&self) -> bool {
        self.starts_thinking() == Some(true) && self.answer().is_empty() && self.close.is_none()
    }
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crab_constraints::ifeval::strip_think;

    fn whole(text: &str) -> ThinkSplit {
        let mut s = ThinkSplit::new();
        s.push(text);
        s
    }

    #[test]
    fn separates_thinking_like_strip_think() {
        let s = whole("  <think>plan it</think>\n\n The answer.");
        assert_eq!((s.reasoning(), s.answer()), ("plan it", "The answer."));
        let s = whole("plan it</think>The answer.");
        assert_eq!((s.reasoning(), s.answer()), ("plan it", "The answer."));
        let s = whole("<think>never done");
        assert_eq!((s.reasoning(), s.answer()), ("never done", ""));
        assert!(s.thinking());
        let s = whole("No thinking at all.");
        assert_eq!((s.reasoning(), s.answer()), ("", "No thinking at all."));
        let s = whole("Text <think>x</think> y");
        assert_eq!((s.reasoning(), s.answer()), ("", "Text <think>x</think> y"));
        let s = whole("a</think>b<think>c</think>d");
        assert_eq!((s.reasoning(), s.answer()), ("a", "b<think>c</think>d"));
        // Undecided prefixes are the answer until decided.
        let mut s = whole("  <thi");
        assert_eq!((s.answer(), s.reasoning()), ("  <thi", ""));
        s.push("nk>x");
        assert_eq!((s.answer(), s.reasoning()), ("", "x"));
        assert_eq!(whole("  <thx").answer(), "  <thx");
    }

    /// Every two-way split (and single characters) of each text gives strip_think's answer, at
    /// the split and at the end.
    #[test]
    fn any_chunking_ends_with_strip_thinks_answer() {
        let texts = [
            "<think>é plan 🌊 </think>\n\nHello, world.",
            "\u{2028} <think>\n\nx\n</think>\u{a0}\tAnswer </think> kept",
            "reason first</think>answer",
            "<think>open only",
            "<thinking> is not the tag</think>tail",
            "a <think> b </think> c",
            "",
            "   ",
            "</think>",
            "<think></think>",
            "x</think></think>y",
        ];
        for text in texts {
            let want = strip_think(text);
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            for &(at, _) in chars.iter().chain(std::iter::once(&(text.len(), ' '))) {
                let mut s = ThinkSplit::new();
                s.push(&text[..at]);
                assert_eq!(s.answer(), strip_think(&text[..at]), "{text:?} up to {at}");
                s.push(&text[at..]);
                assert_eq!(s.answer(), want, "{text:?} split at {at}");
                assert_eq!(s.raw(), text);
            }
            let mut s = ThinkSplit::new();
            for (_, c) in &chars {
                s.push(&c.to_string());
            }
            assert_eq!(s.answer(), want, "{text:?} by characters");
        }
    }
}
