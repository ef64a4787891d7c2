//! `startend:end_checker` — the response ends with a given phrase.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, lowered_run_len, Check, CheckInfo, DeriveContext, Example, Kwargs, Param,
    ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response ends with the phrase, ignoring case: IFEval's
/// `response.strip().strip('"').lower().endswith(end_phrase.strip().lower())`. Surrounding
/// whitespace is ignored, and so are double quotes around the whole response (`"… Any other
/// questions?"` passes); anything else after the phrase — even a final period — fails.
///
/// # Parameters
/// `end_phrase`: stored stripped, as IFEval stores it. An empty phrase is allowed (and always
/// matches, as in IFEval).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"end_phrase": "Any other questions?"});
/// let c = Constraint::from_ifeval("startend:end_checker", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Done. any other questions?\n")).passed());
/// assert!(!c.verify(&Analysis::new("Any other questions? Thanks.")).passed());
/// ```
///
/// # Derivation
/// The response's own ending, as a short phrase on its last line: its last sentence (Punkt),
/// the last clause of that sentence (after the last `, `, `; ` or `: `), or its last 3–6 words;
/// the rng picks among the candidates that have 2 to 12 words, at most 100 characters and
/// balanced double quotes (the check ignores a closing `"` of the whole response, so a cut
/// could leave a lone opening one). Nothing when the ending offers no such phrase (a long last
/// sentence with no clause, a last line of one word).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndChecker {
    /// The phrase, stripped.
    pub end_phrase: String,
    /// `end_phrase.lower()`, what the response's end is compared with.
    lowered: String,
}

impl Check for EndChecker {
    const INFO: CheckInfo = CheckInfo {
        id: "startend:end_checker",
        title: "End with a phrase",
        description: "The response ends with the exact phrase, ignoring case. Surrounding \
                      whitespace and double quotes around the whole response are ignored; \
                      nothing else may follow the phrase.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "end_phrase",
            doc: "the phrase the response must end with",
            kind: ParamKind::Text { default: "Any other questions?" },
        }],
        example: Example {
            kwargs: r#"{"end_phrase": "Is there anything else I can help with?"}"#,
            pass: "Here is the plan. Is there anything else I can help with?",
            fail: "Is there anything else I can help with? Bye.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<EndChecker, SpecError> {
        let end_phrase = pystr::strip(kw.string("end_phrase")?).to_owned();
        let lowered = pystr::lower(&end_phrase);
        Ok(EndChecker { end_phrase, lowered })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("end_phrase", self.end_phrase.as_str().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let full = text.text();
        let unspaced = pystr::strip(full);
        let stripped = unspaced.trim_matches('"');
        // Byte offset of `stripped` in the text (both strips only remove a prefix and a suffix).
        let base = (full.len() - pystr::lstrip(full).len())
            + (unspaced.len() - unspaced.trim_start_matches('"').len());
        if lowered_ends_with(stripped, &self.lowered) {
            let len = tail_len(stripped, self.lowered.chars().count());
            let end = base + stripped.len();
            return Verdict::pass(format!("ends with \"{}\"", self.end_phrase))
                .with_evidence(vec![Span::new(end - len, end)]);
        }
        // Show the last line of the response, where the phrase was expected.
        let line_start = stripped.rfind('\n').map_or(0, |i| i + 1);
        let last = stripped.get(line_start..).unwrap_or("");
        let shown: String = {
            let n = last.chars().count();
            let tail: String = last.chars().skip(n.saturating_sub(40)).collect();
            if n > 40 {
                format!("…{tail}")
            } else {
                tail
            }
        };
        let verdict =
            Verdict::fail(format!("ends with \"{shown}\"; needs \"{}\"", self.end_phrase));
        if last.is_empty() {
            verdict
        } else {
            verdict.with_evidence(vec![Span::new(base + line_start, base + stripped.len())])
        }
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<EndChecker> {
        let full = text.text();
        let unspaced = pystr::strip(full);
        let body = unspaced.trim_matches('"');
        if body.is_empty() {
            return Vec::new();
        }
        // Where `body` lies in the text, as in `verify`.
        let base = (full.len() - pystr::lstrip(full).len())
            + (unspaced.len() - unspaced.trim_start_matches('"').len());
        let end = base + body.len();
        let line_start = base + body.rfind('\n').map_or(0, |i| i + 1);
        let mut starts = Vec::with_capacity(3);
        if let Some(sentence) = text.sentences().iter().rev().find(|s| s.start < end) {
            let from = sentence.start.max(line_start);
            if sentence.start >= line_start {
                starts.push(from);
            }
            let clause = full.get(from..end).and_then(|s| {
                [", ", "; ", ": "].iter().filter_map(|sep| s.rfind(sep).map(|i| i + 2)).max()
            });
            if let Some(i) = clause {
                starts.push(from + i);
            }
        }
        let words: Vec<_> =
            text.words().iter().filter(|w| w.start >= line_start && w.end <= end).collect();
        let k = usize::try_from(cx.rng.range(3, 6)).unwrap_or(3);
        if let Some(w) = words.len().checked_sub(k).and_then(|i| words.get(i)) {
            starts.push(w.start);
        }
        let phrases: Vec<&str> = starts
            .into_iter()
            .filter_map(|start| full.get(start..end).map(pystr::strip))
            .filter(|p| {
                (2..=12).contains(&pystr::count_words(p))
                    && p.chars().count() <= 100
                    && !p.contains('\n')
                    && p.matches('"').count() % 2 == 0
            })
            .collect();
        let Some(phrase) = cx.rng.pick(&phrases) else {
            return Vec::new();
        };
        let derived =
            EndChecker { end_phrase: (*phrase).to_owned(), lowered: pystr::lower(phrase) };
        if derived.verify(text).passed() {
            vec![derived]
        } else {
            Vec::new()
        }
    }
}

/// `pystr::lower(s).ends_with(lowered)`, lowering only as much of the end of `s` as needed, so
/// that the check costs the phrase's length, not the response's (it runs on each of the 8 loose
/// candidates of a long response).
///
/// Why a suffix suffices: `str.lower()` maps each character to one or more characters, and only
/// `Σ` depends on its neighbours (final sigma). So for `t`, the last `k` characters of `s` where
/// `k` is the number of characters of `lowered`, `lower(s)` is `lower(prefix) + lower(t)` as long
/// as `t` has no `Σ`, and `lower(t)` holds at least the last `k` characters of `lower(s)` (or is
/// all of it, when `s` is shorter): the two `ends_with` agree. With a `Σ` in `t` the whole text is
/// lowered, as before.
fn lowered_ends_with(s: &str, lowered: &str) -> bool {
    let start = match lowered.chars().count().checked_sub(1) {
        None => s.len(),
        Some(k) => s.char_indices().rev().nth(k).map_or(0, |(i, _)| i),
    };
    let tail = s.get(start..).unwrap_or(s);
    if tail.contains('Σ') {
        pystr::lower(s).ends_with(lowered)
    } else {
        pystr::lower(tail).ends_with(lowered)
    }
}

/// The byte length of the shortest suffix of `s` whose lowercase has at least `chars` characters
/// (every character lowercases to one, except `İ` to two).
fn tail_len(s: &str, chars: usize) -> usize {
    lowered_run_len(s.chars().rev(), chars)
}

#[cfg(test)]
mod tests {
    use super::EndChecker;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::{Check, DeriveContext};

    const ID: &str = "startend:end_checker";

    #[test]
    fn only_the_needed_end_is_lowered_with_the_same_result() {
        use super::lowered_ends_with;
        use crate::text::pystr;
        let texts =
            ["", "a", "ΑΣ", "ΑΣ.", "xΣ", "Σ", "aİ", "İ", "ß", "Any Other QUESTIONS?", "ΣΑΣ ΣΑΣ"];
        let phrases = ["", "ς", "σ", "σ.", "i\u{307}", "\u{307}", "ß", "questions?", "ας", "ασ"];
        for t in texts {
            for p in phrases {
                assert_eq!(
                    lowered_ends_with(t, p),
                    pystr::lower(t).ends_with(p),
                    "{t:?} ends with {p:?}"
                );
            }
        }
        // Final sigma needs the letters before the tail.
        assert!(lowered_ends_with("ΑΣ", "ς"));
        assert!(!lowered_ends_with("ΑΣ", "σ"));
    }
    const ANY: &str = r#"{"end_phrase": "Any other questions?"}"#;

    #[test]
    fn ends_with_phrase_ignoring_case_and_whitespace() {
        assert_pass(ID, ANY, "Text.\nAny other questions?");
        assert_pass(ID, ANY, "Text. ANY OTHER QUESTIONS?  \n\n");
        assert_fail(ID, ANY, "Any other questions?.");
        assert_fail(ID, ANY, "Any other questions");
        let text = "Hi. Any other questions?\n";
        let v = verify(ID, ANY, text);
        assert_eq!(v.detail, "ends with \"Any other questions?\"");
        assert_eq!(evidence(&v, text), ["Any other questions?"]);
    }

    #[test]
    fn surrounding_double_quotes_are_ignored() {
        assert_pass(ID, ANY, "\"Hi. Any other questions?\"");
        assert_pass(ID, ANY, " \"\"Any other questions?\"\" ");
        // Whitespace inside the quotes is not stripped again.
        assert_fail(ID, ANY, "\"Any other questions? \"");
        assert_fail(ID, ANY, "Any other questions?'");
    }

    #[test]
    fn failure_points_at_the_last_line() {
        let text = "Any other questions?\nBye.";
        let v = verify(ID, ANY, text);
        assert_eq!(v.detail, "ends with \"Bye.\"; needs \"Any other questions?\"");
        assert_eq!(evidence(&v, text), ["Bye."]);
    }

    #[test]
    fn phrase_is_stored_stripped_and_may_be_empty() {
        let c = constraint(ID, r#"{"end_phrase": "  Bye.\n"}"#);
        assert_eq!(c.kwargs()["end_phrase"], "Bye.");
        assert_pass(ID, r#"{"end_phrase": " "}"#, "anything");
    }

    #[test]
    fn lowercasing_is_full() {
        // `İ` lowercases to two characters on both sides.
        let text = "x İstanbul";
        let v = verify(ID, r#"{"end_phrase": "İSTANBUL"}"#, text);
        assert!(v.passed());
        assert_eq!(evidence(&v, text), ["İstanbul"]);
    }

    fn derive(text: &str, seed: u64) -> Vec<String> {
        let derived = EndChecker::derive(&analysis(text), &mut DeriveContext::new("", seed));
        for c in &derived {
            assert!(c.verify(&analysis(text)).passed(), "{c:?}");
        }
        derived.into_iter().map(|c| c.end_phrase).collect()
    }

    #[test]
    fn derive_a_final_sentence_clause_or_words() {
        let text = "Here is the plan.\nWe start early, then we rest. Is there anything else I can help with?\n";
        let mut seen = Vec::new();
        for seed in 0..64 {
            let derived = derive(text, seed);
            let [phrase] = derived.as_slice() else { panic!("one phrase, got {derived:?}") };
            assert!(text.trim_end().ends_with(phrase.as_str()), "{phrase:?}");
            if !seen.contains(phrase) {
                seen.push(phrase.clone());
            }
        }
        assert!(seen.contains(&"Is there anything else I can help with?".to_owned()), "{seen:?}");
        assert!(seen.contains(&"else I can help with?".to_owned()), "{seen:?}");
        assert_eq!(derive(text, 9), derive(text, 9));
    }

    #[test]
    fn derive_the_last_clause_of_a_long_sentence() {
        let text = "This sentence goes on and on about many different things for a long while, \
                    and finally it ends here.";
        for seed in 0..16 {
            let derived = derive(text, seed);
            assert!(derived.iter().all(|p| p.split(' ').count() <= 12), "{derived:?}");
            assert!(!derived.is_empty());
        }
        assert!((0..16).any(|seed| derive(text, seed) == ["and finally it ends here."]));
    }

    #[test]
    fn derive_inside_surrounding_quotes() {
        let text = "\"Quoted answer here. Thanks a lot!\"";
        for seed in 0..16 {
            let derived = derive(text, seed);
            assert!(derived.iter().all(|p| !p.ends_with('"')), "{derived:?}");
        }
        // The check strips the final `"`, so no phrase may keep its opening one.
        let text = "He said the commands \"fetch\" and \"drop it.\"";
        for seed in 0..16 {
            let derived = derive(text, seed);
            assert!(derived.iter().all(|p| p.matches('"').count() % 2 == 0), "{derived:?}");
        }
    }

    #[test]
    fn derive_nothing_from_a_one_word_ending() {
        assert!(derive("A long first line of text.\nBye.", 1).is_empty());
        assert!(derive("", 1).is_empty());
        assert!(derive("\"\"", 1).is_empty());
    }
}
