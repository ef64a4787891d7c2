//! # crab-fuzz
//!
//! The fuzz targets of `crab-constraints`: one function per target, taking the fuzzer's bytes.
//!
//! Why a library: the same functions run in two places. `cargo fuzz` (nightly, libFuzzer)
//! calls them from the thin binaries in `fuzz_targets/` to search for inputs that panic, hang
//! or break a contract; `tests/replay.rs` calls them on stable, under plain `cargo test`, with
//! every input kept in `corpus/<target>/` and `regressions/<target>/`, so that what a fuzzer
//! once found stays fixed without nightly. [`TARGETS`] lists them; `scripts/fuzz/run.sh` runs
//! the fuzzers and `scripts/fuzz/seed_corpora.py` seeds the corpora from `../shared/data`.
//!
//! A target does more than call the library and wait for a panic: it asserts the library's
//! contracts that hold for *every* input (evidence spans are slices of the text, derived
//! constraints pass strict verification on their source, a composed row scores as followed on
//! its own response, loose mode equals its plain definition, kwargs round-trip), so that the
//! fuzzer also finds wrong answers.
//!
//! Inputs with several parts (a check selector, kwargs and a text) separate them with NUL bytes
//! ([`fields`]), which keeps the seed files readable and lets the fuzzer move the boundaries.

use serde_json::{json, Value};

use crab_constraints::backtranslate::{
    self, conflict, render, ComposeOptions, Connector, Requirement, Template, MAX_SEED,
};
use crab_constraints::checks::{CheckInfo, Constraint, DeriveContext, Status, Verdict, CHECKS};
use crab_constraints::crab_import::{self, Imported, RecordSummary};
use crab_constraints::ifeval::{self, InputRow, ResponseRow, Scores};
use crab_constraints::rng::Rng;
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::pyre::{self, Flags, Regex};
use crab_constraints::text::Resources;
use crab_constraints::text::{json as pyjson, punkt, word_tokenize, Analysis, Span};

/// A fuzz target: the function `fuzz_targets/<name>.rs` calls with the fuzzer's bytes.
pub type Target = fn(&[u8]);

/// Every target by name (the binary's, and the directory's under `corpus/` and
/// `regressions/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("checks", checks),
    ("pyre", pyre),
    ("punkt", punkt),
    ("word_tokenize", word_tokenize),
    ("json", json),
    ("lang", lang),
    ("backtranslate", backtranslate),
    ("crab_import", crab_import),
    ("ifeval_rows", ifeval_rows),
];

/// Splits `data` into `N` text fields at its first `N - 1` NUL bytes: missing fields are empty
/// and the last one keeps any further NULs. Invalid UTF-8 becomes U+FFFD, as a browser's text
/// area or a lossy file reader would give it.
pub fn fields<const N: usize>(data: &[u8]) -> [String; N] {
    let mut rest = Some(data);
    std::array::from_fn(|i| {
        let Some(bytes) = rest else { return String::new() };
        let (field, tail) = match bytes.iter().position(|&b| b == 0) {
            Some(at) if i + 1 < N => (bytes.get(..at).unwrap_or_default(), bytes.get(at + 1..)),
            _ => (bytes, None),
        };
        rest = tail;
        String::from_utf8_lossy(field).into_owned()
    })
}

/// FNV-1a of `bytes`: a seed that follows the input.
fn hash(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// langdetect's built-in profiles, built once per process.
fn detector() -> &'static LanguageDetector {
    LanguageDetector::builtin()
}

/// Every resource a check may need (the built-in language profiles and tagger), as the CLI
/// supplies them.
fn resources() -> Resources<'static> {
    Resources { language: Some(detector()), tagger: Some(PosTagger::builtin()) }
}

/// Asserts that every span is a slice of `text` (in bounds, on character boundaries).
#[track_caller]
fn assert_slices(text: &str, spans: impl IntoIterator<Item = Span>, what: &str) {
    for s in spans {
        assert!(
            s.start <= s.end && text.get(s.start..s.end).is_some(),
            "{what}: {s:?} is not a slice of the {}-byte text",
            text.len()
        );
    }
}

/// Asserts that `spans` are slices of `text`, in order and not overlapping.
#[track_caller]
fn assert_ordered_slices(text: &str, spans: &[Span], what: &str) {
    assert_slices(text, spans.iter().copied(), what);
    for pair in spans.windows(2) {
        if let [a, b] = pair {
            assert!(a.end <= b.start, "{what}: {a:?} and {b:?} overlap or are out of order");
        }
    }
}

/// Asserts the parts of a verdict every check promises: its evidence lies in the text.
#[track_caller]
fn assert_verdict(text: &str, c: &Constraint, v: &Verdict) {
    assert_slices(text, v.evidence.iter().copied(), c.id());
}

/// The check `selector` names: the one with that id, else one chosen by the selector's bytes
/// (so every byte string selects some check, and new checks are reached without new targets).
fn select(selector: &str) -> Option<&'static CheckInfo> {
    let by_id = CHECKS.iter().copied().find(|info| info.id == selector);
    let sum = selector.bytes().map(usize::from).sum::<usize>();
    by_id.or_else(|| CHECKS.get(sum % CHECKS.len().max(1)).copied())
}

/// Every registered check on arbitrary text with arbitrary kwargs.
///
/// Input: `selector NUL kwargs NUL instruction NUL response`. The selector picks the check
/// (see [`select`]); kwargs that are not JSON fall back to the check's documented example, so
/// that mutated kwargs still reach `verify`. Builds the constraint with
/// [`Constraint::from_ifeval`] and runs `verify`, strict, loose (checked against every
/// candidate computed the plain way), rendering and the conflict test; then derives that
/// check's constraints from the response and verifies each strictly on it.
///
/// Contracts: evidence spans are slices of the response; building from a constraint's own
/// kwargs gives it back; a check that does not need language detection never waits for it;
/// loose mode equals "strict, or some other candidate passes"; every derived constraint passes
/// strict verification on its source (the library's back-translation contract).
pub fn checks(data: &[u8]) {
    let [selector, kwargs, instruction, response] = fields(data);
    let Some(info) = select(&selector) else { return };
    let kwargs: Value = serde_json::from_str(&kwargs)
        .or_else(|_| serde_json::from_str(info.example.kwargs))
        .unwrap_or(Value::Null);
    let analysis = Analysis::with_resources(&response, resources());

    if let Ok(c) = Constraint::from_ifeval(info.id, &kwargs) {
        let again = Constraint::from_ifeval(info.id, &Value::Object(c.kwargs()));
        assert_eq!(again.as_ref(), Ok(&c), "{}: kwargs do not round-trip", info.id);

        let verdict = c.verify(&analysis);
        assert_verdict(&response, &c, &verdict);
        if c.needs().is_empty() {
            let alone = c.verify(&Analysis::new(&response));
            assert_ne!(alone.status, Status::Pending, "{} waits for a resource", info.id);
        }
        let strict = ifeval::verify_strict(&c, &analysis);
        assert_verdict(&response, &c, &strict);

        let one = std::slice::from_ref(&c);
        let followed = ifeval::evaluate(one, &response, resources());
        let all = ifeval::evaluate_candidates(one, &response, resources());
        if let ([strict_ok], [loose_ok], [candidates]) =
            (followed.strict.as_slice(), followed.loose.as_slice(), all.as_slice())
        {
            assert_eq!(*strict_ok, strict.passed(), "{}: evaluate's strict", info.id);
            assert_eq!(*strict_ok, candidates[0], "{}: candidate 0 is strict", info.id);
            let any = candidates.iter().any(|&ok| ok);
            assert_eq!(*loose_ok, any, "{}: loose differs from its definition", info.id);
        } else {
            panic!("{}: evaluate gave no result for one constraint", info.id);
        }

        let text = render(&c, &mut Rng::new(hash(data)));
        assert!(!text.is_empty(), "{}: rendered as nothing", info.id);
        let _ = conflict(&c, &c);
    }

    let mut cx = DeriveContext::new(&instruction, hash(data));
    for derived in Constraint::derive_where(&analysis, &mut cx, |i| i.id == info.id) {
        let verdict = ifeval::verify_strict(&derived, &analysis);
        assert!(
            verdict.passed(),
            "derived {} {} fails on its own response: {}",
            derived.id(),
            Value::Object(derived.kwargs()),
            verdict.detail
        );
        let again = Constraint::from_ifeval(derived.id(), &Value::Object(derived.kwargs()));
        assert_eq!(again.as_ref(), Ok(&derived), "derived {}: kwargs do not round-trip", info.id);
    }
}

/// `text::pyre`: compile and match a Python `re` pattern, and the keyword matcher against it.
///
/// Input: `flags NUL pattern NUL text`; the flags field turns on `re.IGNORECASE`,
/// `MULTILINE`, `DOTALL`, `VERBOSE` and `ASCII` by the letters `i m s x a` in it. Runs
/// `search`, `captures`, `find_iter` and `split_len`; then `keywords:existence` with the
/// pattern as its keyword, whose verdict must be exactly `re.search(pattern, text,
/// re.IGNORECASE)` (the check has its own fast matcher for fixed-width patterns).
///
/// Contracts: every span is a slice of the text; `search` is the first of `find_iter`'s
/// matches and `captures`' group 0; the matches are in order and do not overlap.
pub fn pyre(data: &[u8]) {
    let [flags, pattern, text] = fields(data);
    let flags = Flags {
        ignorecase: flags.contains('i'),
        multiline: flags.contains('m'),
        dotall: flags.contains('s'),
        verbose: flags.contains('x'),
        ascii: flags.contains('a'),
    };
    if let Ok(re) = Regex::new(&pattern, flags) {
        let first = re.search(&text);
        if let Ok(Some(span)) = first {
            assert_slices(&text, [span], "search");
        }
        if let Ok(Some(caps)) = re.captures(&text) {
            assert_slices(&text, caps.groups.iter().flatten().copied(), "captures");
            assert_eq!(caps.groups.len(), re.groups() + 1, "one entry per group");
            if let Ok(first) = first {
                assert_eq!(caps.groups.first().copied().flatten(), first, "captures vs search");
            }
        }
        if let Ok(all) = re.find_iter(&text) {
            assert_ordered_slices(&text, &all, "find_iter");
            if let Ok(first) = first {
                assert_eq!(all.first().copied(), first, "find_iter vs search");
            }
        }
        let _ = re.split_len(&text);
    }

    // The keyword checks' matcher against the engine, on the folded text they share.
    let existence = Constraint::from_ifeval("keywords:existence", &json!({"keywords": [pattern]}));
    let reference = Regex::new(&pattern, Flags { ignorecase: true, ..Flags::default() })
        .and_then(|re| re.search(&text));
    if let Ok(c) = existence {
        let verdict = c.verify(&Analysis::new(&text));
        // The two matchers count steps differently; when either gives up, the other may answer.
        let gave_up = verdict.status == Status::Invalid && verdict.detail.contains("too expensive");
        match reference {
            _ if gave_up => {}
            Ok(found) => {
                assert_eq!(verdict.passed(), found.is_some(), "existence of {pattern:?}");
                assert_eq!(verdict.evidence, found.into_iter().collect::<Vec<_>>());
            }
            Err(pyre::Error::Syntax(_) | pyre::Error::Unsupported(_)) => {
                assert_eq!(verdict.status, Status::Invalid, "existence of {pattern:?}");
            }
            // The fast matcher is linear and may answer where the engine gives up.
            Err(pyre::Error::TooExpensive(_)) => {}
        }
    }
}

/// Punkt sentence splitting on arbitrary text.
///
/// Contracts: the sentences are slices of the text, in order, not overlapping; the count and
/// the memoised splitter (which loose mode shares between candidates) agree with them.
pub fn punkt(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let spans = punkt::sentence_spans(&text);
    assert_ordered_slices(&text, &spans, "sentence_spans");
    assert_eq!(punkt::count_sentences(&text), spans.len());
    let memo = punkt::ContextMemo::default();
    assert_eq!(punkt::sentence_spans_memo(&text, &memo), spans, "memoised splitter differs");
    assert_eq!(punkt::sentence_spans_memo(&text, &memo), spans, "memo reuse differs");
}

/// NLTK's `word_tokenize` on arbitrary text.
///
/// Contracts: every token is non-empty and its span is a slice of the text, in order.
pub fn word_tokenize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let tokens = word_tokenize::word_tokenize(&text);
    for t in &tokens {
        assert!(!t.text.is_empty(), "empty token at {:?}", t.span);
    }
    let spans: Vec<Span> = tokens.iter().map(|t| t.span).collect();
    assert_ordered_slices(&text, &spans, "word_tokenize");
    let _ = word_tokenize::tokenize_sentence(&text, 0);
}

/// `json.loads` validity on arbitrary text, and the `json_format` check.
///
/// Contracts: an error's byte position is a character boundary of the text; a document that
/// `serde_json` (stricter than Python: RFC 8259, 128 levels) reads is valid for Python too,
/// unless it holds an integer over Python's 4300-digit limit.
pub fn json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let result = pyjson::python_json_loads(&text);
    if let Err(e) = &result {
        assert!(text.is_char_boundary(e.byte_pos), "error position {} inside a char", e.byte_pos);
    }
    let long_digits =
        text.split(|c: char| !c.is_ascii_digit()).any(|run| run.len() > pyjson::INT_MAX_STR_DIGITS);
    if !long_digits && serde_json::from_str::<Value>(&text).is_ok() {
        assert!(result.is_ok(), "valid JSON refused: {result:?}");
    }
    let c = Constraint::from_ifeval("detectable_format:json_format", &json!({}));
    if let Ok(c) = c {
        let verdict = c.verify(&Analysis::new(&text));
        assert_verdict(&text, &c, &verdict);
    }
}

/// Language detection on arbitrary text.
///
/// Contracts: probabilities are in [0, 1], best first; the detected language is the best one
/// when any has features.
pub fn lang(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let d = detector();
    let detection = d.detect(&text);
    if let Ok(langs) = d.detect_langs(&text) {
        for (code, p) in &langs {
            assert!((0.0..=1.0).contains(p), "{code}: probability {p}");
        }
        for pair in langs.windows(2) {
            if let [(_, a), (_, b)] = pair {
                assert!(a >= b, "probabilities out of order");
            }
        }
        assert!(detection.language().is_some(), "languages but no detection");
    }
    assert_eq!(d.detect(&text), detection, "detection is deterministic (and cached)");
}

/// The whole back-translation pipeline: derive, verify, render, conflicts, compose, records.
///
/// Input: `options NUL instruction NUL response`. The options field gives the seed (its hash)
/// and, by letters, compose options: `i` IFEval checks only, `c`/`t` a fixed connector /
/// template chosen by the field's length, `k` excludes the `keywords` family, `n`/`x` bound the
/// count.
///
/// Contracts: every derived constraint passes strict on the response; every combined
/// constraint is one of them, and no two combined ones conflict; the `--format rows` record
/// reads back as an IFEval input row whose constraints are the combined ones and are all
/// followed (strict) by the response; unticking the combined constraints keeps them out.
pub fn backtranslate(data: &[u8]) {
    let [options, instruction, response] = fields(data);
    let seed = hash(options.as_bytes()) & MAX_SEED;
    let pick = options.len();
    let opts = ComposeOptions {
        min: options.contains('n').then_some(pick % 5),
        max: options.contains('x').then_some(pick % 9),
        weights: Default::default(),
        ifeval_only: options.contains('i'),
        connector: options
            .contains('c')
            .then(|| Connector::ALL.get(pick % Connector::ALL.len()).copied())
            .flatten(),
        template: options
            .contains('t')
            .then(|| Template::ALL.get(pick % Template::ALL.len()).copied())
            .flatten(),
    };
    let exclude = if options.contains('k') { vec!["keywords".to_owned()] } else { Vec::new() };
    let d = Some(detector());

    let derivation = backtranslate::derive(&instruction, &response, seed, d, &exclude);
    for item in &derivation.items {
        assert!(
            item.verdict.passed(),
            "derived {} fails on its own response: {}",
            item.key,
            item.verdict.detail
        );
        assert_verdict(&response, &item.constraint, &item.verdict);
    }
    let bt = derivation.compose(&instruction, &opts, &[]);
    let comp = &bt.composition;
    assert_eq!(comp.requirements.len(), comp.texts.len());
    let combined: Vec<&Requirement> =
        bt.items.iter().filter(|i| i.combined).map(|i| &i.requirement).collect();
    assert_eq!(combined.len(), comp.requirements.len(), "combined items vs the prompt");
    for (n, a) in comp.requirements.iter().enumerate() {
        for b in comp.requirements.iter().skip(n + 1) {
            assert_eq!(a.conflict(b), None, "{} and {} were combined", a.id(), b.id());
        }
    }

    let key = json!(seed);
    let row = bt.rows_item(key.clone(), &response);
    let input = InputRow::from_json(row).unwrap_or_else(|e| panic!("rows record unreadable: {e}"));
    let constraints = input.constraints().unwrap_or_else(|e| panic!("rows record: {e}"));
    assert_eq!(constraints, comp.constraints(), "the record's constraints are the combined ones");
    let followed = ifeval::evaluate(&constraints, &response, d);
    assert!(followed.strict.iter().all(|&ok| ok), "the composed row fails its own response");
    let _ = bt.crab_items(&key, &instruction, &response);

    let unticked: Vec<String> =
        bt.items.iter().filter(|i| i.combined).map(|i| i.key.clone()).collect();
    let again = derivation.compose(&instruction, &opts, &unticked);
    assert!(again.items.iter().all(|i| i.kept || !i.combined), "an unticked one was combined");
}

/// CRAB record import: stage-6 documents, and single rule sentences.
///
/// Input: the whole document for [`crab_import::parse_records`]; and, split as `key NUL
/// sentence`, one entry for [`crab_import::import_sentence`].
///
/// Contracts: every verdict's evidence is a slice of the record's response; a typed sentence's
/// constraint round-trips through its kwargs.
pub fn crab_import(data: &[u8]) {
    let doc = String::from_utf8_lossy(data);
    if let Ok(records) = crab_import::parse_records(&doc) {
        for rec in &records {
            let checked = crab_import::check_record(rec, Some(detector()));
            for (what, verdict) in &checked {
                assert_slices(&rec.response, verdict.evidence.iter().copied(), &what.label());
            }
            let _ = RecordSummary::of(rec, &checked);
        }
    }
    let [key, sentence] = fields(data);
    if let Imported::Typed(c) = crab_import::import_sentence(&key, &sentence) {
        let again = Constraint::from_ifeval(c.id(), &Value::Object(c.kwargs()));
        assert_eq!(again.as_ref(), Ok(&c), "imported {}: kwargs do not round-trip", c.id());
        let verdict = ifeval::verify_strict(&c, &Analysis::new(&sentence));
        assert_verdict(&sentence, &c, &verdict);
    }
}

/// IFEval rows on arbitrary JSONL, as `crab eval` reads and scores them.
///
/// Input: lines of JSON; each is read as an input row, else as a response row. Every input row
/// whose constraints build is scored on the response with the same prompt (or on its own
/// prompt, with reasoning stripped as `--strip-think` does), and the report is written.
///
/// Contracts: one result per instruction in each mode; a strict success is a loose one; each
/// result line is JSON holding the row's prompt and response.
pub fn ifeval_rows(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut inputs = Vec::new();
    let mut responses = Vec::new();
    for line in text.lines() {
        let Ok(value) = serde_json::from_str::<Value>(line) else { continue };
        match InputRow::from_json(value.clone()) {
            Ok(row) => inputs.push(row),
            Err(_) => {
                if let Ok(r) = ResponseRow::from_json(value) {
                    responses.push(r);
                }
            }
        }
    }
    let (mut strict, mut loose) = (Scores::default(), Scores::default());
    for row in &inputs {
        let Ok(constraints) = row.constraints() else { continue };
        let matched = responses.iter().find(|r| r.prompt == row.prompt);
        let response = ifeval::strip_think(matched.map_or(&row.prompt, |r| &r.response));
        let result = ifeval::evaluate_row(row, &constraints, response, resources());
        assert_eq!(result.strict.len(), constraints.len());
        assert_eq!(result.loose.len(), constraints.len());
        for (s, l) in result.strict.iter().zip(&result.loose) {
            assert!(!s || *l, "strict without loose");
        }
        for line in [&result.strict_line, &result.loose_line] {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("result line is not JSON ({e}): {line}"));
            assert_eq!(v["prompt"], json!(row.prompt));
            assert_eq!(v["response"], json!(response));
        }
        strict.add(&row.instruction_id_list, &result.strict);
        loose.add(&row.instruction_id_list, &result.loose);
    }
    let mut report = String::new();
    strict.push_report(&mut report, "eval_results_strict.jsonl");
    loose.push_report(&mut report, "eval_results_loose.jsonl");
}
