//! IFEval's evaluation protocol: strict and loose following, as Google's `evaluation_lib` does it.
//!
//! - **Strict**: a constraint is followed iff the response is not blank (`response.strip()`) and
//!   the check passes on the response as is. So an empty response fails *every* constraint, even
//!   `punctuation:no_comma`.
//! - **Loose**: followed iff the check passes on any of 8 variants of the response, tried in
//!   Google's order ([`loose_variants`]), skipping blank variants.
//!
//! Identical variants give identical results (every check is deterministic, language detection
//! included because it is seeded), so each distinct variant is analysed and checked once. The
//! variants are ranges of the response (or of it without `*`), and for some checks a span of the
//! response proves that every variant containing it fails: [`loose`] uses both to decide loose
//! mode with less work and the same results.
//!
//! The rest of Google's `evaluation_main` lives in submodules, as pure functions so that the
//! `crab eval` command only does IO: reading rows ([`rows`]), writing result lines exactly as
//! Python's `json.dumps` does ([`pyjson`]), the metrics and printed report ([`report`]), and two
//! runs compared ([`compare`]).
//! [`evaluate_row`] ties them together for one row; [`warm_up`] lets a caller pay the checks'
//! one-time set-up costs on a spare core.

use crate::checks::{Constraint, Verdict};
use crate::text::word_tokenize::SentenceMemo;
use crate::text::{pystr, Analysis, Resources};

pub mod compare;
pub mod csv;
pub mod files;
pub mod ifbench;
mod loose;
pub mod pyjson;
pub mod report;
pub mod rows;

pub use compare::{compare, Comparison, PromptResults};
pub use report::{Metrics, Scores};
pub use rows::{strip_think, InputRow, ResponseRow, ResultRow, RowError};

/// The 8 loose-mode candidates of `response`, in Google's order: the response; the response
/// without `*`; without its first line; without its last line; without both; and those three
/// again without `*`. Candidates 3–5 are stripped before their `*` are removed; candidate 1 is
/// not stripped at all.
pub fn loose_variants(response: &str) -> [String; 8] {
    let lines: Vec<&str> = response.split('\n').collect();
    let n = lines.len();
    // An empty join (fewer lines than the cut needs) is empty.
    let join = |from: usize, to: usize| -> String {
        pystr::strip(&lines.get(from..to).unwrap_or_default().join("\n")).to_owned()
    };
    let remove_first = join(1, n);
    let remove_last = join(0, n.saturating_sub(1));
    let remove_both = join(1, n.saturating_sub(1));
    let no_stars = |s: &str| s.replace('*', "");
    [
        response.to_owned(),
        no_stars(response),
        remove_first.clone(),
        remove_last.clone(),
        remove_both.clone(),
        no_stars(&remove_first),
        no_stars(&remove_last),
        no_stars(&remove_both),
    ]
}

/// The strict verdict of one constraint: the check's own verdict, except that a blank response
/// fails with a detail saying so.
pub fn verify_strict(constraint: &Constraint, response: &Analysis<'_>) -> Verdict {
    if pystr::strip(response.text()).is_empty() {
        return Verdict::fail("the response is empty (IFEval fails every constraint then)");
    }
    constraint.verify(response)
}

/// Strict and loose results of each constraint on one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followed {
    /// Strict following, per constraint.
    pub strict: Vec<bool>,
    /// Loose following, per constraint.
    pub loose: Vec<bool>,
}

/// Evaluates `constraints` on `response` in both modes, sharing each distinct candidate's
/// analysis between all constraints. Loose mode stops at the first candidate that passes, as
/// Google's `any(...)` does. Checks that need a resource ([`Constraint::needs`]: the language
/// detector, the tagger) get it from `resources` (a [`Resources`], or just an
/// `Option<&LanguageDetector>`); without it they are pending, which counts as not followed.
pub fn evaluate<'r>(
    constraints: &[Constraint],
    response: &str,
    resources: impl Into<Resources<'r>>,
) -> Followed {
    let mut followed = Followed { strict: Vec::new(), loose: Vec::new() };
    if constraints.is_empty() {
        return followed;
    }
    let variants = loose::Variants::new(response);
    let candidates = loose::Candidates::new(&variants, resources.into());
    for c in constraints {
        let strict = verify_strict(c, candidates.analysis(0));
        let loose = strict.passed() || candidates.loose_rest(c, &strict);
        followed.strict.push(strict.passed());
        followed.loose.push(loose);
    }
    followed
}

/// One constraint's outcome in both modes, with the strict verdict in full (detail and evidence)
/// for people to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detailed {
    /// The strict verdict, as [`verify_strict`] gives it.
    pub strict: Verdict,
    /// Whether the constraint is followed in loose mode.
    pub loose: bool,
}

/// [`evaluate`] with the strict verdicts kept whole: what an interactive tool shows per
/// constraint. Each distinct loose candidate is analysed once and shared by every constraint; a
/// constraint that passes strict is not re-checked on the other candidates.
pub fn evaluate_detailed<'r>(
    constraints: &[Constraint],
    response: &str,
    resources: impl Into<Resources<'r>>,
) -> Vec<Detailed> {
    if constraints.is_empty() {
        return Vec::new();
    }
    let variants = loose::Variants::new(response);
    let candidates = loose::Candidates::new(&variants, resources.into());
    constraints
        .iter()
        .map(|c| {
            let strict = verify_strict(c, candidates.analysis(0));
            let loose = strict.passed() || candidates.loose_rest(c, &strict);
            Detailed { strict, loose }
        })
        .collect()
}

/// What the playground's verify panel computes after each keystroke, and what the session
/// benchmark (`benches/session.rs`) and the browser timing test (`tests/browser_timing.rs`)
/// measure: every constraint's strict verdict, computed once on one analysis, and, with
/// `loose`, its loose result decided from that verdict ([`evaluate_detailed`]). Without
/// `loose` (a long response while it is being typed) each loose result is provisional: the
/// strict one.
pub fn verify_live<'r>(
    constraints: &[Constraint],
    response: &str,
    loose: bool,
    resources: impl Into<Resources<'r>>,
) -> Vec<Detailed> {
    verify_live_memo(constraints, response, loose, resources, &SentenceMemo::default())
}

/// [`verify_live`] for one version of a text being edited: `memo`, kept from one version to the
/// next, holds the NLTK tokens of the sentences they share, so that a keystroke re-tokenizes only
/// the sentences it changed. The verdicts are the same as [`verify_live`]'s.
pub fn verify_live_memo<'r>(
    constraints: &[Constraint],
    response: &str,
    loose: bool,
    resources: impl Into<Resources<'r>>,
    memo: &SentenceMemo,
) -> Vec<Detailed> {
    let resources = resources.into();
    if loose {
        return evaluate_detailed(constraints, response, resources);
    }
    memo.next_text();
    let analysis = Analysis::with_resources(response, resources).with_sentence_memo(memo);
    constraints
        .iter()
        .map(|c| {
            let strict = verify_strict(c, &analysis);
            Detailed { loose: strict.passed(), strict }
        })
        .collect()
}

/// The result of each constraint on each of the 8 loose candidates (a blank candidate is
/// `false`): what [`evaluate`] decides from, all computed, for diagnostics and parity tests.
pub fn evaluate_candidates<'r>(
    constraints: &[Constraint],
    response: &str,
    resources: impl Into<Resources<'r>>,
) -> Vec<[bool; 8]> {
    let variants = loose::Variants::new(response);
    let candidates = loose::Candidates::new(&variants, resources.into());
    constraints.iter().map(|c| candidates.all(c)).collect()
}

/// One input row scored in both modes, with its two result lines already formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowResult {
    /// Strict following, per instruction.
    pub strict: Vec<bool>,
    /// Loose following, per instruction.
    pub loose: Vec<bool>,
    /// The row's line of `eval_results_strict.jsonl` (newline included).
    pub strict_line: String,
    /// The row's line of `eval_results_loose.jsonl` (newline included).
    pub loose_line: String,
}

/// Scores `response` against `row`'s `constraints` (built with [`InputRow::constraints`]) and
/// formats both result lines as Google's `write_outputs` does; the lines carry `response` as
/// given (after any [`strip_think`]).
pub fn evaluate_row<'r>(
    row: &InputRow,
    constraints: &[Constraint],
    response: &str,
    resources: impl Into<Resources<'r>>,
) -> RowResult {
    let followed = evaluate(constraints, response, resources);
    // The lines differ only in their first two keys: the rest (the escaped prompt and
    // response, most of the bytes) is made once.
    let mut tail =
        String::with_capacity(100 + row.prompt.len() + response.len() + 40 * constraints.len());
    pyjson::push_result_tail(&mut tail, &row.instruction_id_list, &row.prompt, response);
    let line = |list: &[bool]| {
        let mut line = String::with_capacity(60 + 7 * list.len() + tail.len());
        pyjson::push_result_head(&mut line, list);
        line.push_str(&tail);
        line
    };
    RowResult {
        strict_line: line(&followed.strict),
        loose_line: line(&followed.loose),
        strict: followed.strict,
        loose: followed.loose,
    }
}

/// A short English text with sentences, lists, punctuation and capitals, for [`warm_up`].
const WARM_UP_TEXT: &str = "Warm Up\n\n* This is a short sample response, written in English. \
                            It has two sentences!\n* And a list.\nP.S. THE END";

/// Verifies one constraint per distinct check of `constraints` on a short sample text, so that
/// the data those checks build lazily on first use (the Punkt parameters, compiled patterns,
/// language profiles, …) is ready. The `crab eval` command runs this on a spare core while it is
/// still reading the responses; the results are discarded.
pub fn warm_up<'r>(constraints: &[Constraint], resources: impl Into<Resources<'r>>) {
    let sample = Analysis::with_resources(WARM_UP_TEXT, resources.into());
    let mut seen: Vec<&'static str> = Vec::new();
    for c in constraints {
        if !seen.contains(&c.id()) {
            seen.push(c.id());
            std::hint::black_box(c.verify(&sample));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_live_memo_gives_verify_lives_verdicts_while_a_text_is_typed() {
        let constraints: Vec<Constraint> = [
            (
                "change_case:capital_word_frequency",
                r#"{"capital_relation": "less than", "capital_frequency": 3}"#,
            ),
            (
                "length_constraints:number_sentences",
                r#"{"relation": "at least", "num_sentences": 3}"#,
            ),
            ("punctuation:no_comma", "{}"),
        ]
        .iter()
        .filter_map(|(id, kwargs)| {
            Constraint::from_ifeval(id, &serde_json::from_str(kwargs).ok()?).ok()
        })
        .collect();
        assert_eq!(constraints.len(), 3);
        let memo = SentenceMemo::default();
        let mut text = String::new();
        for word in "THE fox RAN. It's \"late\", ISN'T it? Yes. NASA and the UN. Done".split(' ') {
            text.push_str(word);
            for loose in [false, true] {
                assert_eq!(
                    verify_live_memo(&constraints, &text, loose, Resources::NONE, &memo),
                    verify_live(&constraints, &text, loose, Resources::NONE),
                    "{text:?}"
                );
            }
            text.push(' ');
        }
    }

    #[test]
    fn loose_variants_follow_googles_order() {
        let v = loose_variants("Title\n*body* text\nend **");
        assert_eq!(
            v,
            [
                "Title\n*body* text\nend **",
                "Title\nbody text\nend ",
                "*body* text\nend **",
                "Title\n*body* text",
                "*body* text",
                // Stripped first, then the stars go: the trailing space stays.
                "body text\nend ",
                "Title\nbody text",
                "body text",
            ]
        );
    }

    #[test]
    fn one_line_responses_have_blank_line_variants() {
        let v = loose_variants(" a*b ");
        assert_eq!(&v[..2], [" a*b ", " ab "]);
        assert!(v[2..].iter().all(String::is_empty));
    }

    #[test]
    fn blank_responses_fail_every_constraint() {
        let c = Constraint::from_ifeval("punctuation:no_comma", &serde_json::Value::Null).unwrap();
        let f = evaluate(std::slice::from_ref(&c), " \n ", None);
        assert_eq!((f.strict[0], f.loose[0]), (false, false));
        assert!(!verify_strict(&c, &Analysis::new("\t")).passed());
        assert!(verify_strict(&c, &Analysis::new("x")).passed());
    }

    #[test]
    fn repeated_ids_are_scored_by_position() {
        let row = InputRow::from_json(serde_json::json!({
            "key": 19, "prompt": "Say it",
            "instruction_id_list": ["length_constraints:number_words", "length_constraints:number_words"],
            "kwargs": [{"relation": "at least", "num_words": 3}, {"relation": "less than", "num_words": 3}]
        }))
        .unwrap();
        let constraints = row.constraints().unwrap();
        let r = evaluate_row(&row, &constraints, "one two three", None);
        assert_eq!(r.strict, [true, false]);
        assert_eq!(r.loose, [true, false]);
        assert!(r.strict_line.starts_with(
            "{\"follow_all_instructions\": false, \"follow_instruction_list\": [true, false]"
        ));
        assert!(r.strict_line.ends_with("\"response\": \"one two three\"}\n"));
    }

    #[test]
    fn loose_lines_record_loose_results() {
        let row = InputRow::from_json(serde_json::json!({
            "key": 1, "prompt": "p",
            "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]
        }))
        .unwrap();
        // Only the first line has a comma: loose passes by dropping it.
        let r = evaluate_row(&row, &row.constraints().unwrap(), "Hi, you\nNo commas\nEnd", None);
        assert_eq!(
            (r.strict.as_slice(), r.loose.as_slice()),
            ([false].as_slice(), [true].as_slice())
        );
        assert!(r.loose_line.starts_with("{\"follow_all_instructions\": true"));
    }
}
