//! An incremental Server-Sent Events parser, for a `fetch` body read chunk by chunk.
//!
//! Chat completions stream as SSE over a POST (so `EventSource`, which only GETs, cannot be
//! used), and the network hands the body over in arbitrary pieces: a chunk may end inside a line,
//! inside `\r\n`, or inside a multi-byte UTF-8 character. The parser keeps the unfinished line as
//! bytes and decodes only whole lines (line ends are ASCII, so a whole line is whole UTF-8), so
//! every chunking of the same bytes gives the same events.
//!
//! It follows the WHATWG "event stream interpretation": lines end with `\r\n`, `\n` or `\r`; a
//! leading BOM is dropped; `:` starts a comment (servers send `: keep-alive`); `data:` lines
//! are joined with `\n`; `event:` names the event; a blank line dispatches it; unknown fields are
//! ignored. One deliberate tolerance: at the end of the stream, data still waiting for its blank
//! line is dispatched too (the standard discards it), because some servers end with
//! `data: [DONE]` and no blank line; [`SseParser::finish`] says when that happened.

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, if the event had one (`None` is the default `message`).
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// The parser's state between chunks.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of the line not finished yet.
    line: Vec<u8>,
    /// The previous chunk ended with `\r`: a `\n` at the start of the next one belongs to it.
    after_cr: bool,
    /// Whether the start of the stream (where a BOM may be) is behind.
    started: bool,
    /// The first bytes, while they may still be a BOM.
    head: Vec<u8>,
    data: String,
    has_data: bool,
    event: Option<String>,
    comments: usize,
}

/// How the stream ended, from [`SseParser::finish`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEnd {
    /// The last event, if data was still waiting for its blank line.
    pub pending: Option<SseEvent>,
    /// Whether the stream ended in the middle of a line.
    pub cut_line: bool,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// How many comment lines (keep-alives) have been seen.
    pub fn comments(&self) -> usize {
        self.comments
    }

    /// Feeds the next chunk of the body; returns the events it completes, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        // A BOM counts only at the very start, and may itself arrive in pieces: hold the first
        // bytes until they are either the whole BOM or not a part of it.
        let start;
        let mut bytes = if self.started {
            bytes
        } else {
            self.head.extend_from_slice(bytes);
            if self.head.len() < BOM.len() && BOM.starts_with(&self.head) {
                return out;
            }
            self.started = true;
            start = std::mem::take(&mut self.head);
            start.strip_prefix(BOM).unwrap_or(&start)
        };
        if self.after_cr && !bytes.is_empty() {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        while let Some(at) = bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            let (head, tail) = bytes.split_at(at);
            self.line.extend_from_slice(head);
            let line = std::mem::take(&mut self.line);
            self.process_line(&line, &mut out);
            // `tail` starts with the line end.
            let ended_with_cr = tail.first() == Some(&b'\r');
            bytes = tail.get(1..).unwrap_or_default();
            if ended_with_cr {
                match bytes.first() {
                    Some(b'\n') => bytes = bytes.get(1..).unwrap_or_default(),
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.line.extend_from_slice(bytes);
        out
    }

    /// The end of the body: a line without its end is processed, and data waiting for its blank
    /// line is returned as the last event.
    pub fn finish(&mut self) -> SseEnd {
        let mut out = Vec::new();
        if !self.started {
            // Fewer bytes than a BOM, all of them a part of one: nothing.
            self.head.clear();
        }
        let cut_line = !self.line.is_empty();
        if cut_line {
            let line = std::mem::take(&mut self.line);
            self.process_line(&line, &mut out);
        }
        // A blank line after a cut line would have dispatched it; `out` is then empty.
        let pending = out.pop().or_else(|| self.dispatch());
        SseEnd { pending, cut_line }
    }

    fn process_line(&mut self, line: &[u8], out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if let Some(event) = self.dispatch() {
                out.push(event);
            }
            return;
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with(':') {
            self.comments += 1;
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            // `id` and `retry` matter only for reconnecting, which a POST never does.
            _ => {}
        }
    }

    /// The event collected so far, if it has data (an event without data is not dispatched).
    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if !self.has_data {
            return None;
        }
        self.has_data = false;
        Some(SseEvent { event, data: std::mem::take(&mut self.data) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(events: &[SseEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    /// All events of `bytes` fed in the given pieces, the pending one included.
    fn parse_in(pieces: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::new();
        let mut out = Vec::new();
        for piece in pieces {
            out.extend(p.push(piece));
        }
        out.extend(p.finish().pending);
        out
    }

    #[test]
    fn data_comments_events_and_line_ends() {
        let stream = b": keep-alive\r\ndata: one\r\n\r\nevent: error\ndata: {\"a\":\ndata: 1}\n\ndata:two\rid: 3\r\r";
        let events = parse_in(&[stream]);
        assert_eq!(data(&events), ["one", "{\"a\":\n1}", "two"]);
        assert_eq!(events[1].event.as_deref(), Some("error"));
        assert_eq!(events[0].event, None);
        let mut p = SseParser::new();
        p.push(b": ping\n\n: ping\n");
        assert_eq!(p.comments(), 2);
    }

    #[test]
    fn every_two_way_split_and_single_bytes_give_the_same_events() {
        let stream = "\u{feff}data: {\"content\": \"héllo 🌊\"}\r\n\r\n: ka\r\n\r\ndata: x\rdata: y\r\rdata: [DONE]\n\n";
        let bytes = stream.as_bytes();
        let whole = parse_in(&[bytes]);
        assert_eq!(data(&whole), ["{\"content\": \"héllo 🌊\"}", "x\ny", "[DONE]"]);
        for at in 0..=bytes.len() {
            let (a, b) = bytes.split_at(at);
            assert_eq!(parse_in(&[a, b]), whole, "split at {at}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(parse_in(&singles), whole);
        // Empty chunks anywhere change nothing (a `\r` waiting for its `\n` included).
        let with_empties: Vec<&[u8]> = bytes.chunks(1).flat_map(|c| [c, &b""[..]]).collect();
        assert_eq!(parse_in(&with_empties), whole);
    }

    #[test]
    fn the_end_of_the_stream() {
        let mut p = SseParser::new();
        assert!(p.push(b"data: [DONE]").is_empty());
        let end = p.finish();
        assert!(end.cut_line);
        assert_eq!(end.pending.map(|e| e.data), Some("[DONE]".to_owned()));
        let mut p = SseParser::new();
        assert!(p.push(b"data: a\n").is_empty());
        assert_eq!(
            p.finish(),
            SseEnd { pending: Some(SseEvent { event: None, data: "a".into() }), cut_line: false }
        );
        let mut p = SseParser::new();
        p.push(b"data: a\n\n");
        assert_eq!(p.finish(), SseEnd::default());
        // An event line without data is not an event.
        assert!(parse_in(&[b"event: ping\n\n"]).is_empty());
        // Invalid UTF-8 becomes U+FFFD, as a browser's decoder does.
        assert_eq!(data(&parse_in(&[b"data: \xff\n\n"])), ["\u{fffd}"]);
    }

    #[test]
    fn a_field_without_colon_and_a_value_without_space() {
        assert_eq!(data(&parse_in(&[b"data\n\n"])), [""]);
        assert_eq!(data(&parse_in(&[b"data:  two spaces\n\n"])), [" two spaces"]);
    }
}
