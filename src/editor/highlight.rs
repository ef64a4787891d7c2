//! The evidence highlighting behind the response editor: the response as HTML with `<mark>`s.
//!
//! The spans come from the library as UTF-8 byte offsets. They are used only where they are
//! safe: inside the text and on `char` boundaries; overlapping spans are merged into the earlier
//! one, empty ones are skipped. The text is escaped, so any response renders as text.

use crab_constraints::text::Span;

/// The usable spans of `spans` for `text`, in order and without overlaps.
pub(crate) fn usable(text: &str, spans: &[Span]) -> Vec<Span> {
    let mut ok: Vec<Span> = spans
        .iter()
        .copied()
        .filter(|s| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .collect();
    ok.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(ok.len());
    for s in ok {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Appends `text` with `&`, `<` and `>` escaped: the stretches between them are copied whole
/// (this runs over the whole response on every keystroke while marks are shown).
fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.bytes().position(|b| matches!(b, b'&' | b'<' | b'>')) {
        // `i` is an ASCII byte, so both slices are on character boundaries.
        out.push_str(rest.get(..i).unwrap_or(""));
        out.push_str(match rest.as_bytes().get(i) {
            Some(b'&') => "&amp;",
            Some(b'<') => "&lt;",
            _ => "&gt;",
        });
        rest = rest.get(i + 1..).unwrap_or("");
    }
    out.push_str(rest);
}

/// `text` as HTML with each of `spans` (already [`usable`]) in a `<mark>`. A final newline gets a
/// trailing space so that the backdrop has the same number of lines as the textarea.
pub(crate) fn render(text: &str, spans: &[Span]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 13 + 1);
    let mut at = 0;
    for s in spans {
        escape_into(&mut out, text.get(at..s.start).unwrap_or(""));
        out.push_str("<mark>");
        escape_into(&mut out, text.get(s.start..s.end).unwrap_or(""));
        out.push_str("</mark>");
        at = s.end;
    }
    escape_into(&mut out, text.get(at..).unwrap_or(""));
    if text.is_empty() || text.ends_with('\n') {
        out.push(' ');
    }
    out
}
