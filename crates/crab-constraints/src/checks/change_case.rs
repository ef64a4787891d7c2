//! `change_case:*` — letter case of the response: how many all-caps words, or all of it in one
//! case.

use crate::checks::Verdict;
use crate::text::lang::Detection;
use crate::text::{Analysis, Span};

pub mod capital_word_frequency;
pub mod english_capital;
pub mod english_lowercase;

/// The shared rule of `english_capital` and `english_lowercase`, as Google writes it:
/// `value.isupper() and detect(value) == "en"` (or `islower`), where langdetect runs only when
/// the case test passed and a `LangDetectException` (no letters to detect) counts as a pass.
///
/// `case_ok` is the Python case test; `wrong_case` says whether a character breaks it, to point
/// at the offending characters; `case_name` is "capital" or "lowercase".
fn case_and_english(
    text: &Analysis<'_>,
    case_ok: fn(&str) -> bool,
    wrong_case: fn(char) -> bool,
    case_name: &str,
) -> Verdict {
    if !case_ok(text.text()) {
        let offending = char_runs(text.text(), wrong_case);
        let detail = if offending.is_empty() {
            format!("no cased letters, so not all {case_name}")
        } else {
            format!("not all {case_name} letters ({} stretches in the wrong case)", offending.len())
        };
        return Verdict::fail(detail).with_evidence(offending);
    }
    match text.language() {
        None => Verdict::pending(format!("all {case_name}; language data not loaded yet")),
        Some(Detection::NoFeatures) => Verdict::pass(format!(
            "all {case_name}; no language features (IFEval counts that as a pass)"
        )),
        Some(Detection::Language(lang)) if lang == "en" => {
            Verdict::pass(format!("all {case_name}, and detected as English"))
        }
        Some(Detection::Language(lang)) => {
            Verdict::fail(format!("all {case_name}, but detected as `{lang}`, not English"))
        }
    }
}

/// Maximal runs of characters satisfying `pred`, as spans.
fn char_runs(text: &str, pred: fn(char) -> bool) -> Vec<Span> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (start, pred(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                runs.push(Span::new(s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(Span::new(s, text.len()));
    }
    runs
}
