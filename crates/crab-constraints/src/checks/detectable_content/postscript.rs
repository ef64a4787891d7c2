//! `detectable_content:postscript` — the response contains a postscript starting with a marker
//! such as `P.S.`.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError,
    Verdict,
};
use crate::text::pyre::{Flags, Regex};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The lowercased response contains the marker, searched line by line (Python `re.MULTILINE`).
/// IFEval uses one pattern per marker:
/// - `P.P.S` → `\s*p\.\s?p\.\s?s.*$`: `p.p.s`, `P. P. S`, `p.p.s.` …;
/// - `P.S.` → `\s*p\.\s?s\..*$`: `p.s.`, `P. S.` …;
/// - any other marker → `\s*` + the lowercased marker + `.*$`, the marker read as a Python
///   regular expression (unescaped).
///
/// The match is **not anchored**: the marker may appear anywhere, at the start of a line or not,
/// at the end of the response or not. `PPS` does not match `P.P.S`.
///
/// # Parameters
/// `postscript_marker` (e.g. `P.S.` or `P.P.S`; surrounding whitespace is stripped).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"postscript_marker": "P.S."});
/// let c = Constraint::from_ifeval("detectable_content:postscript", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Bye!\n\nP.S. Crabs molt.")).passed());
/// assert!(!c.verify(&Analysis::new("Bye!\n\nPS Crabs molt.")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical for `P.S.`, `P.P.S` and plain-word markers. Other markers are Python regular
/// expressions as in IFEval, run with Python's `re` semantics ([`crate::text::pyre`]); Python
/// syntax errors, where IFEval itself raises, give an invalid verdict.
///
/// # Derivation
/// Derived when a line of the response starts (after spaces and markdown `*`, `_`, `#`, `>`)
/// with a postscript marker, in any case and with at most one space after each period: `P.P.S`
/// gives the marker `P.P.S`, `P.S.` gives `P.S.`; a response with both gives both. A `P.S.` in
/// the middle of a line is not taken as a postscript.
#[derive(Clone, Debug)]
pub struct Postscript {
    /// The marker, stripped.
    pub postscript_marker: String,
    /// IFEval's pattern for the marker, compiled once, or why it cannot be.
    regex: Result<Regex, String>,
}

impl PartialEq for Postscript {
    fn eq(&self, other: &Postscript) -> bool {
        self.postscript_marker == other.postscript_marker
    }
}

impl Postscript {
    /// Builds the constraint; the marker is stripped as IFEval does.
    pub fn new(postscript_marker: &str) -> Postscript {
        let postscript_marker = pystr::strip(postscript_marker).to_owned();
        let flags = Flags { multiline: true, ..Flags::default() };
        let regex =
            Regex::new(&Postscript::pattern(&postscript_marker), flags).map_err(|e| e.to_string());
        Postscript { postscript_marker, regex }
    }

    /// IFEval's Python pattern for a (stripped) marker.
    pub fn pattern(marker: &str) -> String {
        match marker {
            "P.P.S" => r"\s*p\.\s?p\.\s?s.*$".to_owned(),
            "P.S." => r"\s*p\.\s?s\..*$".to_owned(),
            other => format!(r"\s*{}.*$", pystr::lower(other)),
        }
    }
}

/// The matches of IFEval's pattern for `P.S.` (`\s*p\.\s?s\..*$`) or, with `pps`, for `P.P.S`
/// (`\s*p\.\s?p\.\s?s.*$`), `re.MULTILINE`, in the lowered text: what `Regex::find_iter`
/// gives for them, found by hand.
///
/// Why: these two markers are all IFEval uses, and a response that fails is tried again on its
/// seven loose candidates, each searched whole by the regex engine, start by start; here the
/// search jumps from one `p` to the next. The patterns leave the engine no choice to undo: after
/// `\s*` (greedy) a `p` must follow, which no `\s` is, so a match starts where the run of
/// whitespace before a `p` starts (not before the end of the previous match), the marker's
/// `\s?` take a whitespace character exactly when there is one, and `.*$` ends at the end of the
/// line. A test compares this with the engine on many texts.
fn standard_matches(lowered: &str, pps: bool) -> Vec<Span> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(p) = lowered.get(from..).and_then(|rest| rest.find('p')).map(|i| from + i) {
        let Some(marker_end) = marker_end(lowered, p, pps) else {
            from = p + 1;
            continue;
        };
        let mut start = p;
        while let Some(c) = lowered.get(from..start).and_then(|before| before.chars().next_back()) {
            if !pystr::is_space(c) {
                break;
            }
            start -= c.len_utf8();
        }
        let end = lowered.get(marker_end..).and_then(|rest| rest.find('\n'));
        let end = end.map_or(lowered.len(), |i| marker_end + i);
        found.push(Span::new(start, end));
        from = end;
    }
    found
}

/// Where `p\.\s?s\.` (or, with `pps`, `p\.\s?p\.\s?s`) matching at `at` ends, if it does.
fn marker_end(s: &str, at: usize, pps: bool) -> Option<usize> {
    // `None` is a `\s?`.
    let ps = [Some('p'), Some('.'), None, Some('s'), Some('.')];
    let pps_tail = [Some('p'), Some('.'), None, Some('p'), Some('.'), None, Some('s')];
    let tail: &[Option<char>] = if pps { &pps_tail } else { &ps };
    let mut i = at;
    for want in tail {
        match want {
            None => i += pystr::space_len_at(s, i),
            Some(c) if s.get(i..)?.starts_with(*c) => i += c.len_utf8(),
            Some(_) => return None,
        }
    }
    Some(i)
}

/// The IFEval marker a line starting with a postscript uses (`P.P.S` or `P.S.`), if any.
fn line_marker(line: &str) -> Option<&'static str> {
    let rest = line.trim_start_matches(|c| pystr::is_space(c) || "*_#>".contains(c));
    let mut chars = rest.chars().peekable();
    let mut expect = |want: char| chars.next_if(|c| c.eq_ignore_ascii_case(&want)).is_some();
    if !(expect('p') && expect('.')) {
        return None;
    }
    expect(' ');
    if expect('s') {
        return expect('.').then_some("P.S.");
    }
    if !(expect('p') && expect('.')) {
        return None;
    }
    expect(' ');
    expect('s').then_some("P.P.S")
}

/// The byte length of `c` after Python's `str.lower()` (the same for `σ` and `ς`).
fn lowered_len(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        let mut buf = [0u8; 4];
        pystr::lower(c.encode_utf8(&mut buf)).len()
    }
}

/// Maps a non-empty span of `pystr::lower(text)` back to the smallest span of `text` whose
/// characters lowercase to cover it.
fn original_span(text: &str, lowered: Span) -> Span {
    if text.is_ascii() {
        return lowered;
    }
    let (mut start, mut low) = (None, 0);
    for (i, c) in text.char_indices() {
        let next = low + lowered_len(c);
        if start.is_none() && lowered.start < next {
            start = Some(i);
        }
        if lowered.end <= next {
            return Span::new(start.unwrap_or(i), i + c.len_utf8());
        }
        low = next;
    }
    Span::new(start.unwrap_or(text.len()), text.len())
}

impl Check for Postscript {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_content:postscript",
        title: "Postscript",
        description: "The response contains a postscript starting with the marker, such as \
                      `P.S.` or `P.P.S`, case-insensitively. As in IFEval, the marker may be \
                      anywhere in the response, and `P. S.` with spaces also counts.",
        divergence: Some(
            "Markers other than `P.S.` and `P.P.S` are Python regular expressions, as in IFEval. \
             A marker that makes the pattern backtrack for millions of steps is reported as \
             invalid (Python would take very long there).",
        ),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "postscript_marker",
            doc: "the marker that starts the postscript, e.g. P.S. or P.P.S",
            kind: ParamKind::Text { default: "P.S." },
        }],
        example: Example {
            kwargs: r#"{"postscript_marker": "P.P.S"}"#,
            pass: "See you soon.\n\nP.P.S. Bring a bucket.",
            fail: "See you soon.\n\nP.S. Bring a bucket.",
        },
    };

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<Postscript> {
        let mut markers: Vec<&str> = text.text().split('\n').filter_map(line_marker).collect();
        markers.sort_unstable();
        markers.dedup();
        markers.into_iter().map(Postscript::new).filter(|p| p.verify(text).passed()).collect()
    }

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Postscript, SpecError> {
        Ok(Postscript::new(kw.string("postscript_marker")?))
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("postscript_marker", self.postscript_marker.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let regex = match &self.regex {
            Ok(regex) => regex,
            Err(e) => return Verdict::invalid(format!("postscript_marker: {e}")),
        };
        let text = text.text();
        let lowered = pystr::lower(text);
        // Native builds only: the web app keeps its download small (it verifies one response at
        // a time, and the engine gives the same matches).
        let standard = match self.postscript_marker.as_str() {
            "P.S." if cfg!(not(target_arch = "wasm32")) => Some(false),
            "P.P.S" if cfg!(not(target_arch = "wasm32")) => Some(true),
            _ => None,
        };
        let found = match standard {
            Some(pps) => standard_matches(&lowered, pps),
            None => match regex.find_iter(&lowered) {
                Ok(found) => found,
                Err(e) => return Verdict::invalid(format!("postscript_marker: {e}")),
            },
        };
        if found.is_empty() {
            return Verdict::fail(format!(
                "no postscript starting with \"{}\"",
                self.postscript_marker
            ));
        }
        // The postscripts, without the whitespace `\s*` takes in before the marker.
        let evidence: Vec<Span> = found
            .into_iter()
            .filter_map(|m| {
                let s = m.slice(&lowered);
                let start = m.start + (s.len() - pystr::lstrip(s).len());
                (start < m.end).then(|| original_span(text, Span::new(start, m.end)))
            })
            .collect();
        let detail = match evidence.first() {
            Some(first) => {
                let shown: String = first.slice(text).chars().take(40).collect();
                let more = if shown.len() < first.len() { "…" } else { "" };
                format!("postscript \"{shown}{more}\"")
            }
            None => "postscript found".to_owned(),
        };
        Verdict::pass(detail).with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::{line_marker, original_span, standard_matches, Postscript};
    use crate::checks::tests::{
        analysis, assert_fail, assert_pass, evidence, random_texts, verify,
    };
    use crate::checks::{Check, DeriveContext, Status};
    use crate::text::{pystr, Span};

    const ID: &str = "detectable_content:postscript";
    const PS: &str = r#"{"postscript_marker": "P.S."}"#;
    const PPS: &str = r#"{"postscript_marker": "P.P.S"}"#;

    #[test]
    fn finds_the_postscript_and_shows_it() {
        let text = "Hello.\n\nP.S. Bye.";
        let v = verify(ID, PS, text);
        assert_eq!(v.detail, "postscript \"P.S. Bye.\"");
        assert_eq!(evidence(&v, text), ["P.S. Bye."]);
        assert_fail(ID, PS, "Hello.");
    }

    #[test]
    fn pps_pattern_accepts_spaces_and_case() {
        assert_pass(ID, PPS, "p.p.s hi");
        assert_pass(ID, PPS, "P. P. S hi");
        assert_pass(ID, PPS, "P.P.S.");
        assert_fail(ID, PPS, "PPS hi");
        assert_fail(ID, PPS, "P.S. hi");
        assert_fail(ID, PPS, "P.  P.S");
    }

    #[test]
    fn ps_pattern_needs_the_final_period() {
        assert_pass(ID, PS, "P. S. hi");
        assert_fail(ID, PS, "P.S hi");
        // P.P.S. contains p.s.
        assert_pass(ID, PS, "P.P.S. hi");
    }

    #[test]
    fn marker_is_not_anchored() {
        assert_pass(ID, PS, "I forgot (p.s. this) in the middle.\nThe end.");
        assert_pass(ID, PPS, "map.p.s example");
    }

    #[test]
    fn other_markers_are_lowercased_unescaped_regexes() {
        assert_pass(ID, r#"{"postscript_marker": "Note:"}"#, "NOTE: x");
        // `.` is a wildcard in other markers.
        assert_pass(ID, r#"{"postscript_marker": "P.S"}"#, "pxs");
        // The marker is lowercased before it is parsed: `\S` becomes `\s`.
        assert_pass(ID, r#"{"postscript_marker": "A\\S"}"#, "a b");
        assert_fail(ID, r#"{"postscript_marker": "A\\S"}"#, "ab");
        let v = verify(ID, r#"{"postscript_marker": "("}"#, "x");
        assert_eq!(v.status, Status::Invalid);
        // Python-only syntax runs as in Python.
        assert_pass(ID, r#"{"postscript_marker": "(?=x)"}"#, "x");
        assert_pass(ID, r#"{"postscript_marker": "\\bps"}"#, "a ps");
        assert_fail(ID, r#"{"postscript_marker": "\\bps"}"#, "aps");
        assert_pass(ID, r#"{"postscript_marker": "(?i:x)"}"#, "X");
        // A global flag in the middle of IFEval's pattern is a Python error.
        let v = verify(ID, r#"{"postscript_marker": "(?i)x"}"#, "x");
        assert_eq!(v.status, Status::Invalid);
        assert_eq!(Postscript::pattern("İ"), "\\s*i\u{307}.*$");
    }

    /// The hand-made search gives exactly the regex engine's matches for both standard
    /// patterns, on crafted texts and on 20,000 random ones made of the pieces that matter
    /// (Unicode and ASCII whitespace, line ends, `p`, `s`, `.`, markers).
    #[test]
    fn standard_markers_match_as_the_regex_engine() {
        let crafted = [
            "",
            "p.s.",
            "P.S. hi",
            "a\n \t p. s. x\ny p.s.\n\np.p.s z",
            "help. yes. p.s",
            "pp.s. p.\u{a0}s. p.\u{2028}s.\r\n  p.p.s.",
            "p.  s. p. p.s p.p. s\u{85}",
            "\u{a0}\u{a0}p.s.\u{a0}\n\u{a0}p.s.",
            "ı p.s. İ p.p.s ſ",
        ];
        let pieces = [
            " ", "\t", "\n", "\r", "\u{a0}", "\u{2028}", "\u{85}", "p", "s", ".", "x", "é", "p.",
            "s.", "p.s.", "p. s.", "p.p.s", "P.S. ",
        ];
        let random = random_texts(&pieces, 20_000, 24);
        for pps in [false, true] {
            let check = Postscript::new(if pps { "P.P.S" } else { "P.S." });
            let regex = check.regex.as_ref().unwrap();
            let mut matched = 0;
            for text in crafted.iter().copied().chain(random.iter().map(String::as_str)) {
                let lowered = pystr::lower(text);
                let want = regex.find_iter(&lowered).unwrap();
                assert_eq!(standard_matches(&lowered, pps), want, "{text:?}");
                matched += usize::from(!want.is_empty());
            }
            assert!(matched > 500, "{matched} texts with a match");
        }
    }

    #[test]
    fn empty_marker_matches_everything() {
        assert_pass(ID, r#"{"postscript_marker": "  "}"#, "x");
        assert_pass(ID, r#"{"postscript_marker": ""}"#, "\n");
    }

    #[test]
    fn evidence_maps_back_through_lowercasing() {
        let text = "İİ P.S. ΣΑΣ";
        let lowered = pystr::lower(text);
        let start = lowered.find("p.s.").unwrap();
        assert_eq!(original_span(text, Span::new(start, lowered.len())).slice(text), "P.S. ΣΑΣ");
        let v = verify(ID, PS, text);
        assert_eq!(evidence(&v, text), ["P.S. ΣΑΣ"]);
    }

    fn derive(text: &str) -> Vec<Postscript> {
        Postscript::derive(&analysis(text), &mut DeriveContext::new("", 4))
    }

    #[test]
    fn derives_the_markers_used_at_line_starts() {
        let text = "Dear crab,\nBye.\n\nP.S. Molt soon.\n**P.P.S.** Or not.";
        let derived = derive(text);
        assert_eq!(derived, [Postscript::new("P.P.S"), Postscript::new("P.S.")]);
        assert!(derived.iter().all(|p| p.verify(&analysis(text)).passed()));
        assert_eq!(derive("Bye.\n  p. s. lowercase"), [Postscript::new("P.S.")]);
    }

    #[test]
    fn nothing_derived_without_a_postscript_line() {
        assert!(derive("See the p.s. in the middle.").is_empty());
        assert!(derive("PS no periods\nP.S no final period").is_empty());
        assert!(derive("").is_empty());
        assert_eq!(line_marker("P.P.S"), Some("P.P.S"));
        assert_eq!(line_marker("P.  S."), None);
    }
}
