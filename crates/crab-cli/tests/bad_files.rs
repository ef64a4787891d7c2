//! `crab eval` and `crab backtranslate` on malformed files: one table per command, a row per
//! malformed input, each run as the real binary and checked for its exit status, every line of
//! standard error, and what is written.
//!
//! The rules (`crab --help`), the same for every command:
//! - a usage error, or an input that cannot be read or used at all, leaves no output file and
//!   exits with 2;
//! - a bad row is skipped with one message naming file, line and field, the other rows are
//!   written, and the exit status is 1;
//! - outputs appear whole (no temporary file is left behind), made of whole rows.
//!
//! The 50 MB line is generated here at run time (never committed); it is a long string, which is
//! cheap to parse, so that the debug binary `cargo test` runs handles it in seconds.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::Value;

/// A fresh, empty directory for one case.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-bad-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What an input path holds.
enum File {
    Bytes(Vec<u8>),
    Directory,
    Missing,
}

impl File {
    fn put(&self, path: &Path) {
        match self {
            File::Bytes(bytes) => std::fs::write(path, bytes).unwrap(),
            File::Directory => std::fs::create_dir_all(path).unwrap(),
            File::Missing => {}
        }
    }
}

/// JSONL: each line followed by `\n`.
fn jsonl(lines: &[&[u8]]) -> File {
    File::Bytes(lines.iter().flat_map(|l| [*l, b"\n"].concat()).collect())
}

/// Lines joined by `ending`, which also ends the last line.
fn ended(lines: &[&str], ending: &str) -> File {
    File::Bytes(lines.iter().map(|l| format!("{l}{ending}")).collect::<String>().into_bytes())
}

fn bom(file: File) -> File {
    match file {
        File::Bytes(bytes) => File::Bytes([b"\xEF\xBB\xBF".as_slice(), &bytes].concat()),
        other => other,
    }
}

fn utf16le(lines: &[&str]) -> File {
    let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    File::Bytes(bytes)
}

/// One malformed input and what the command must do with it.
struct Case {
    name: &'static str,
    /// `crab eval`: input rows and response rows; `crab backtranslate`: the input (and an
    /// unused second file).
    files: [File; 2],
    exit: i32,
    /// Standard error, line by line: line i contains fragment i, and there are no other lines.
    stderr: Vec<String>,
    /// What is written: `None` for no output file at all; else one entry per row (see
    /// `eval_rows` and `backtranslate_rows`).
    written: Option<Vec<String>>,
}

fn case(
    name: &'static str,
    files: [File; 2],
    exit: i32,
    stderr: &[&str],
    written: Option<&[&str]>,
) -> Case {
    Case {
        name,
        files,
        exit,
        stderr: stderr.iter().map(|s| (*s).to_owned()).collect(),
        written: written.map(|w| w.iter().map(|s| (*s).to_owned()).collect()),
    }
}

/// A response or other long text, as the table shows it.
fn shown(text: &str) -> String {
    if text.len() > 60 {
        format!("<{} bytes>", text.len())
    } else {
        text.to_owned()
    }
}

/// Reads an output file: every line must be a whole JSON object ending in `\n`.
fn whole_rows(path: &Path, problems: &mut Vec<String>, name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    if !text.is_empty() && !text.ends_with('\n') {
        problems.push(format!("{name}: {} does not end with a newline", path.display()));
    }
    text.lines()
        .filter_map(|line| match serde_json::from_str::<Value>(line) {
            Ok(v) if v.is_object() => Some(v),
            _ => {
                problems.push(format!("{name}: a torn line in {}", path.display()));
                None
            }
        })
        .collect()
}

/// Checks one finished run against its case; returns the differences.
fn check(
    case: &Case,
    out: &Output,
    dir: &Path,
    prefix: &str,
    written: impl Fn(&mut Vec<String>) -> Option<Vec<String>>,
) -> Vec<String> {
    let name = case.name;
    let mut problems = Vec::new();
    if out.status.code() != Some(case.exit) {
        problems.push(format!(
            "{name}: exit status {:?}, expected {}",
            out.status.code(),
            case.exit
        ));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let fits = lines.len() == case.stderr.len()
        && lines
            .iter()
            .zip(&case.stderr)
            .all(|(line, want)| line.starts_with(prefix) && line.contains(want.as_str()));
    if !fits {
        problems
            .push(format!("{name}: standard error\n{stderr}expected lines with {:?}", case.stderr));
    }
    let got = written(&mut problems);
    if got != case.written {
        problems.push(format!("{name}: written {got:?}, expected {:?}", case.written));
    }
    let temporary: Vec<String> = walk(dir).into_iter().filter(|n| n.ends_with(".tmp")).collect();
    if !temporary.is_empty() {
        problems.push(format!("{name}: temporary files left behind: {temporary:?}"));
    }
    problems
}

/// Every file name under `dir`.
fn walk(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        names.push(entry.file_name().to_string_lossy().into_owned());
        if path.is_dir() {
            names.extend(walk(&path));
        }
    }
    names
}

const IN1: &str = r#"{"key": 1, "prompt": "P1", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}"#;
const IN2: &str = r#"{"key": 2, "prompt": "P2", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"relation": "at least", "num_words": 3}]}"#;
const IN3: &str = r#"{"key": 3, "prompt": "P3", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}"#;
const R1: &str = r#"{"prompt": "P1", "response": "No commas"}"#;
const R2: &str = r#"{"prompt": "P2", "response": "one two three"}"#;
const BOTH: &[&str] = &["P1|No commas|true", "P2|one two three|true"];

/// IN2 with `num_words` written as `n`.
fn in2_words(n: &str) -> String {
    IN2.replace("\"num_words\": 3", &format!("\"num_words\": {n}"))
}

fn skipped(n: usize, of: usize, total: usize) -> String {
    format!("{n} bad row(s) skipped; the results and the report cover {of} of {total} input rows")
}

fn eval_cases(big: &str) -> Vec<Case> {
    let ok = || jsonl(&[IN1.as_bytes(), IN2.as_bytes()]);
    let responses = || jsonl(&[R1.as_bytes(), R2.as_bytes()]);
    let one_of_two = skipped(1, 1, 2);
    let big_response = format!(r#"{{"prompt": "P1", "response": "{big}"}}"#);
    let big_shown = format!("P1|{}|true", shown(big));
    vec![
        case("well-formed", [ok(), responses()], 0, &[], Some(BOTH)),
        case(
            "invalid UTF-8 in an input row",
            [jsonl(&[IN1.as_bytes(), b"{\"key\": 3, \"prompt\": \"P\xff\"}", IN2.as_bytes()]), responses()],
            1,
            &["in.jsonl:2: not valid UTF-8 at column 24", &skipped(1, 2, 3)],
            Some(BOTH),
        ),
        case(
            "invalid UTF-8 in a response row",
            [ok(), jsonl(&[R1.as_bytes(), b"{\"prompt\": \"P9\", \"response\": \"\xc3\"}", R2.as_bytes()])],
            1,
            &["resp.jsonl:2: not valid UTF-8 at column 31", &skipped(1, 2, 2)],
            Some(BOTH),
        ),
        case("UTF-8 BOM (both files)", [bom(ok()), bom(responses())], 0, &[], Some(BOTH)),
        case(
            "UTF-16 input",
            [utf16le(&[IN1, IN2]), responses()],
            2,
            &["cannot read in.jsonl: it starts with a UTF-16 byte-order mark, and crab reads UTF-8"],
            None,
        ),
        case("CRLF", [ended(&[IN1, IN2], "\r\n"), ended(&[R1, R2], "\r\n")], 0, &[], Some(BOTH)),
        case("lone CR", [ended(&[IN1, IN2], "\r"), ended(&[R1, R2], "\r")], 0, &[], Some(BOTH)),
        case(
            "blank lines (counted, skipped)",
            [ended(&["", "  ", IN1, "\t", IN2, "", "{"], "\n"), responses()],
            1,
            &["in.jsonl:7: not valid JSON at column 1: EOF while parsing an object", &skipped(1, 2, 3)],
            Some(BOTH),
        ),
        case(
            "truncated JSON in the input",
            [File::Bytes(format!("{IN1}\n{}", &IN2[..60]).into_bytes()), responses()],
            1,
            &["in.jsonl:2: not valid JSON at column 60: EOF while parsing a string", &one_of_two],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "truncated JSON in the responses",
            [ok(), File::Bytes(format!("{R1}\n{}", &R2[..30]).into_bytes())],
            1,
            &[
                "in.jsonl:2: key 2: no response in resp.jsonl for this `prompt`",
                "resp.jsonl:2: not valid JSON at column 30: EOF while parsing a string",
                &skipped(2, 1, 2),
            ],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "a 50 MB line (the response)",
            [ok(), jsonl(&[big_response.as_bytes(), R2.as_bytes()])],
            0,
            &[],
            Some(&[&big_shown, "P2|one two three|true"]),
        ),
        case(
            "duplicate keys in an object (the last wins, as in Python)",
            [
                jsonl(&[IN1.replace("\"prompt\": \"P1\"", "\"prompt\": \"P9\", \"prompt\": \"P1\"").as_bytes(), IN2.as_bytes()]),
                jsonl(&[br#"{"prompt": "P1", "response": "a, b", "response": "No commas"}"#, R2.as_bytes()]),
            ],
            0,
            &[],
            Some(BOTH),
        ),
        case(
            "duplicate prompts in the responses (the last wins, as in Google's dict)",
            [ok(), jsonl(&[R1.as_bytes(), R2.as_bytes(), br#"{"prompt": "P1", "response": "Now, commas"}"#])],
            0,
            &[],
            Some(&["P1|Now, commas|false", "P2|one two three|true"]),
        ),
        case(
            "duplicate input rows (each scored, as in Google's code)",
            [jsonl(&[IN1.as_bytes(), IN1.as_bytes(), IN2.as_bytes()]), responses()],
            0,
            &[],
            Some(&["P1|No commas|true", "P1|No commas|true", "P2|one two three|true"]),
        ),
        case(
            "a missing response",
            [jsonl(&[IN1.as_bytes(), IN2.as_bytes(), IN3.as_bytes()]), responses()],
            1,
            &["in.jsonl:3: key 3: no response in resp.jsonl for this `prompt`", &skipped(1, 2, 3)],
            Some(BOTH),
        ),
        case(
            "a response for an unknown prompt (ignored, as in Google's code)",
            [ok(), jsonl(&[R1.as_bytes(), br#"{"prompt": "P9", "response": "r"}"#, R2.as_bytes()])],
            0,
            &[],
            Some(BOTH),
        ),
        case(
            "NaN in kwargs",
            [jsonl(&[IN1.as_bytes(), in2_words("NaN").as_bytes()]), responses()],
            1,
            &[
                "in.jsonl:2: key 2: field `kwargs[0].num_words` (for `length_constraints:number_words`) is NaN: not a JSON number; crab refuses NaN and infinite numbers in the fields it uses",
                &one_of_two,
            ],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "-Infinity in kwargs",
            [jsonl(&[IN1.as_bytes(), in2_words("-Infinity").as_bytes()]), responses()],
            1,
            &["in.jsonl:2: key 2: field `kwargs[0].num_words` (for `length_constraints:number_words`) is -Infinity: not a JSON number", &one_of_two],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "a number beyond a double in kwargs (1e400)",
            [jsonl(&[IN1.as_bytes(), in2_words("1e400").as_bytes()]), responses()],
            1,
            &["in.jsonl:2: key 2: field `kwargs[0].num_words` (for `length_constraints:number_words`) is 1e400: too large for a double (Python reads it as infinity or a big integer)", &one_of_two],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "a whole number beyond i64 in kwargs (10^23)",
            [jsonl(&[IN1.as_bytes(), in2_words("100000000000000000000000").as_bytes()]), responses()],
            1,
            &["in.jsonl:2: key 2: length_constraints:number_words: parameter `num_words` must lie within -2^63..2^63-1, got 1e+23", &one_of_two],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "the largest i64 in kwargs (scored exactly)",
            [jsonl(&[IN1.as_bytes(), in2_words("9223372036854775807").as_bytes()]), responses()],
            0,
            &[],
            Some(&["P1|No commas|true", "P2|one two three|false"]),
        ),
        case(
            "NaN in a field eval ignores (as Python would)",
            [ok(), jsonl(&[br#"{"prompt": "P1", "response": "No commas", "logprob": NaN}"#, R2.as_bytes()])],
            0,
            &[],
            Some(BOTH),
        ),
        case(
            "NaN as a response",
            [ok(), jsonl(&[br#"{"prompt": "P1", "response": NaN}"#, R2.as_bytes()])],
            1,
            &[
                "in.jsonl:1: key 1: no response in resp.jsonl for this `prompt`",
                "resp.jsonl:1: field `response` is NaN: not a JSON number",
                &skipped(2, 1, 2),
            ],
            Some(&["P2|one two three|true"]),
        ),
        case(
            "an unknown instruction id",
            [
                jsonl(&[IN1.as_bytes(), IN2.replace("length_constraints:number_words", "punctuation:no_semicolon").as_bytes()]),
                responses(),
            ],
            1,
            &["in.jsonl:2: key 2: unknown instruction id `punctuation:no_semicolon`", &one_of_two],
            Some(&["P1|No commas|true"]),
        ),
        case(
            "wrong types in input rows",
            [
                jsonl(&[
                    br#"{"key": 1, "prompt": 1, "instruction_id_list": [], "kwargs": []}"#,
                    br#"{"key": 2, "prompt": "P1", "instruction_id_list": "punctuation:no_comma", "kwargs": [{}]}"#,
                    br#"{"key": 3, "prompt": "P1", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [3]}"#,
                    br#"[1, 2]"#,
                    in2_words("\"3\"").replace("\"key\": 2", "\"key\": 5").as_bytes(),
                    IN2.as_bytes(),
                ]),
                responses(),
            ],
            1,
            &[
                "in.jsonl:1: key 1: field `prompt` must be a string, got a number",
                "in.jsonl:2: key 2: field `instruction_id_list` must be a list of strings, got a string",
                "in.jsonl:3: key 3: field `kwargs` item 0 (for `punctuation:no_comma`) must be an object, got a number",
                "in.jsonl:4: an input row must be a JSON object, got a list",
                "in.jsonl:5: key 5: length_constraints:number_words: parameter `num_words` must be a whole number, got \"3\"",
                &skipped(5, 1, 6),
            ],
            Some(&["P2|one two three|true"]),
        ),
        case(
            "wrong types in response rows",
            [ok(), jsonl(&[br#"{"prompt": "P1", "response": ["No commas"]}"#, R2.as_bytes()])],
            1,
            &[
                "in.jsonl:1: key 1: no response in resp.jsonl for this `prompt`",
                "resp.jsonl:1: field `response` must be a string, got a list",
                &skipped(2, 1, 2),
            ],
            Some(&["P2|one two three|true"]),
        ),
        case(
            "a lone surrogate escape (Python reads it; not text)",
            [ok(), jsonl(&[br#"{"prompt": "P1", "response": "\ud800"}"#, R2.as_bytes()])],
            1,
            &[
                "in.jsonl:1: key 1: no response in resp.jsonl for this `prompt`",
                "resp.jsonl:1: not valid JSON at column 37: unexpected end of hex escape",
                &skipped(2, 1, 2),
            ],
            Some(&["P2|one two three|true"]),
        ),
        case(
            "every row bad",
            [jsonl(&[b"{", b"not json"]), responses()],
            2,
            &[
                "in.jsonl:1: not valid JSON at column 1: EOF while parsing an object",
                "in.jsonl:2: not valid JSON at column 2: expected ident",
                "no row of in.jsonl can be scored",
            ],
            None,
        ),
        case("empty input", [File::Bytes(b"\n \n".to_vec()), responses()], 2, &["in.jsonl: no input rows"], None),
        case(
            "input is a directory",
            [File::Directory, responses()],
            2,
            &["cannot read in.jsonl: Is a directory"],
            None,
        ),
        case(
            "missing responses file",
            [ok(), File::Missing],
            2,
            &["cannot read resp.jsonl: No such file or directory"],
            None,
        ),
    ]
}

/// `crab eval`'s output as the table shows it: `prompt|response|follow_all_instructions` per
/// strict row (the loose file must hold the same rows).
fn eval_rows(dir: &Path, problems: &mut Vec<String>, name: &str) -> Option<Vec<String>> {
    let strict_path = dir.join("out/eval_results_strict.jsonl");
    let loose_path = dir.join("out/eval_results_loose.jsonl");
    match (strict_path.exists(), loose_path.exists()) {
        (false, false) => return None,
        (true, true) => {}
        _ => problems.push(format!("{name}: only one of the two result files was written")),
    }
    let strict = whole_rows(&strict_path, problems, name);
    let loose = whole_rows(&loose_path, problems, name);
    let prompts = |rows: &[Value]| rows.iter().map(|r| r["prompt"].clone()).collect::<Vec<_>>();
    if prompts(&strict) != prompts(&loose) {
        problems.push(format!("{name}: the strict and loose files hold different rows"));
    }
    Some(
        strict
            .iter()
            .map(|r| {
                let text = |f: &str| r[f].as_str().unwrap_or("?").to_owned();
                format!(
                    "{}|{}|{}",
                    text("prompt"),
                    shown(&text("response")),
                    r["follow_all_instructions"]
                )
            })
            .collect(),
    )
}

fn run_table(
    label: &str,
    cases: &[Case],
    run: impl Fn(&Path) -> Output,
    prefix: &str,
    written: impl Fn(&Path, &mut Vec<String>, &str) -> Option<Vec<String>>,
) {
    let mut problems = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = scratch(&format!("{label}-{i}"));
        case.files[0].put(&dir.join("in.jsonl"));
        case.files[1].put(&dir.join("resp.jsonl"));
        let start = Instant::now();
        let out = run(&dir);
        let elapsed = start.elapsed();
        if elapsed.as_secs_f64() > 1.0 {
            println!("{label}: {}: {:.1} s", case.name, elapsed.as_secs_f64());
        }
        problems.extend(check(case, &out, &dir, prefix, |p| written(&dir, p, case.name)));
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases differ:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n\n")
    );
}

/// A 50 MB string of one repeated word: long, but cheap to parse and to check.
fn fifty_mb() -> String {
    "a".repeat(50 << 20)
}

#[test]
fn eval_on_bad_files() {
    let big = fifty_mb();
    let cases = eval_cases(&big);
    drop(big);
    run_table(
        "eval",
        &cases,
        |dir| {
            Command::new(env!("CARGO_BIN_EXE_crab"))
                .current_dir(dir)
                .args(["eval", "--input-data", "in.jsonl", "--responses", "resp.jsonl"])
                .args(["--output-dir", "out"])
                .output()
                .unwrap()
        },
        "crab eval: ",
        eval_rows,
    );
}

const B1: &str = r#"{"prompt": "Say hi.", "response": "Hi there, friend."}"#;
const B2: &str = r#"{"key": "b", "instruction": "Name a fruit.", "response": "An apple."}"#;
const PAIRS: &[&str] = &["1|Hi there, friend.", "b|An apple."];

fn backtranslate_cases(big: &str) -> Vec<Case> {
    let none = || File::Missing;
    let ok = || jsonl(&[B1.as_bytes(), B2.as_bytes()]);
    let padded =
        format!(r#"{{"prompt": "Say hi.", "response": "Hi there, friend.", "padding": "{big}"}}"#);
    vec![
        case("well-formed", [ok(), none()], 0, &[], Some(PAIRS)),
        case(
            "invalid UTF-8",
            [jsonl(&[B1.as_bytes(), b"{\"prompt\": \"\xff\", \"response\": \"r\"}", B2.as_bytes()]), none()],
            1,
            &["in.jsonl:2: not valid UTF-8 at column 13"],
            Some(PAIRS),
        ),
        case("UTF-8 BOM", [bom(ok()), none()], 0, &[], Some(PAIRS)),
        case(
            "UTF-16",
            [utf16le(&[B1, B2]), none()],
            2,
            &["cannot read in.jsonl: it starts with a UTF-16 byte-order mark, and crab reads UTF-8"],
            None,
        ),
        case("CRLF", [ended(&[B1, B2], "\r\n"), none()], 0, &[], Some(PAIRS)),
        case("lone CR", [ended(&[B1, B2], "\r"), none()], 0, &[], Some(PAIRS)),
        case(
            "blank lines (counted: the key is the line number)",
            [ended(&["", "  ", B1, "\t", B2, ""], "\n"), none()],
            0,
            &[],
            Some(&["3|Hi there, friend.", "b|An apple."]),
        ),
        case(
            "truncated JSON",
            [File::Bytes(format!("{B1}\n{}", &B2[..40]).into_bytes()), none()],
            1,
            &["in.jsonl:2: not valid JSON at column 40: EOF while parsing a string"],
            Some(&["1|Hi there, friend."]),
        ),
        case("a 50 MB line (an extra field)", [jsonl(&[padded.as_bytes(), B2.as_bytes()]), none()], 0, &[], Some(PAIRS)),
        case(
            "duplicate keys in an object (the last wins, as in Python)",
            [jsonl(&[br#"{"prompt": "Say hi.", "response": "first", "response": "Hi there, friend."}"#, B2.as_bytes()]), none()],
            0,
            &[],
            Some(PAIRS),
        ),
        case(
            "duplicate row keys (each written, the same row)",
            [jsonl(&[B2.as_bytes(), B2.as_bytes()]), none()],
            0,
            &[],
            Some(&["b|An apple.", "b|An apple."]),
        ),
        case(
            "a missing response",
            [jsonl(&[B1.as_bytes(), br#"{"prompt": "Say hi."}"#, B2.as_bytes()]), none()],
            1,
            &["in.jsonl:2: no `response` field"],
            Some(PAIRS),
        ),
        case(
            "NaN in kwargs (backtranslate does not read kwargs)",
            [
                jsonl(&[
                    br#"{"prompt": "Say hi.", "response": "Hi there, friend.", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"num_words": NaN}]}"#,
                    B2.as_bytes(),
                ]),
                none(),
            ],
            0,
            &[],
            Some(PAIRS),
        ),
        case(
            "NaN as the key",
            [jsonl(&[br#"{"key": NaN, "prompt": "Say hi.", "response": "Hi there, friend."}"#, B2.as_bytes()]), none()],
            1,
            &["in.jsonl:1: field `key` is NaN: not a JSON number; crab refuses NaN and infinite numbers in the fields it uses"],
            Some(&["b|An apple."]),
        ),
        case(
            "a number beyond a double as the response",
            [jsonl(&[br#"{"prompt": "Say hi.", "response": 1e400}"#, B2.as_bytes()]), none()],
            1,
            &["in.jsonl:1: field `response` is 1e400: too large for a double"],
            Some(&["b|An apple."]),
        ),
        case(
            "unknown instruction ids (backtranslate derives its own)",
            [
                jsonl(&[
                    br#"{"key": 1, "prompt": "Say hi.", "response": "Hi there, friend.", "instruction_id_list": ["nope:nope"], "kwargs": [{}]}"#,
                    B2.as_bytes(),
                ]),
                none(),
            ],
            0,
            &[],
            Some(PAIRS),
        ),
        case(
            "wrong types",
            [
                jsonl(&[
                    br#"{"prompt": 1, "response": "r"}"#,
                    br#"{"key": [1], "prompt": "p", "response": "r"}"#,
                    br#"{"messages": "hi"}"#,
                    br#"[1]"#,
                    B2.as_bytes(),
                ]),
                none(),
            ],
            1,
            &[
                "in.jsonl:1: field `prompt` must be a string, got a number",
                "in.jsonl:2: `key` must be a number or a string, got a list",
                "in.jsonl:3: field `messages` must be a list, got a string",
                "in.jsonl:4: expected a JSON object, got a list",
            ],
            Some(&["b|An apple."]),
        ),
        case(
            "every row bad (an empty output)",
            [jsonl(&[b"{", b"not json"]), none()],
            1,
            &[
                "in.jsonl:1: not valid JSON at column 1: EOF while parsing an object",
                "in.jsonl:2: not valid JSON at column 2: expected ident",
            ],
            Some(&[]),
        ),
        case("empty input (an empty output)", [File::Bytes(b"\n\r\n".to_vec()), none()], 0, &[], Some(&[])),
        case("input is a directory", [File::Directory, none()], 2, &["cannot read in.jsonl: Is a directory"], None),
        case("missing input", [File::Missing, none()], 2, &["cannot read in.jsonl: No such file or directory"], None),
    ]
}

/// `crab backtranslate`'s output as the table shows it: `key|response` per row.
fn backtranslate_rows(dir: &Path, problems: &mut Vec<String>, name: &str) -> Option<Vec<String>> {
    let path = dir.join("out.jsonl");
    if !path.exists() {
        return None;
    }
    Some(
        whole_rows(&path, problems, name)
            .iter()
            .map(|r| {
                let key = match &r["key"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                format!("{key}|{}", shown(r["response"].as_str().unwrap_or("?")))
            })
            .collect(),
    )
}

#[test]
fn backtranslate_on_bad_files() {
    let big = fifty_mb();
    let cases = backtranslate_cases(&big);
    drop(big);
    run_table(
        "backtranslate",
        &cases,
        |dir| {
            Command::new(env!("CARGO_BIN_EXE_crab"))
                .current_dir(dir)
                .args(["backtranslate", "--input", "in.jsonl", "--output", "out.jsonl"])
                .output()
                .unwrap()
        },
        "crab backtranslate: ",
        backtranslate_rows,
    );
}

/// An output that cannot be put in place is fatal: `crab eval` leaves neither result file (nor a
/// temporary one) when the second cannot be renamed, and `crab backtranslate` leaves nothing when
/// its output path is a directory.
#[test]
fn an_output_that_cannot_be_written_leaves_nothing() {
    let dir = scratch("unwritable-eval");
    jsonl(&[IN1.as_bytes()]).put(&dir.join("in.jsonl"));
    jsonl(&[R1.as_bytes()]).put(&dir.join("resp.jsonl"));
    std::fs::create_dir_all(dir.join("out/eval_results_loose.jsonl/in-the-way")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(&dir)
        .args(["eval", "--input-data", "in.jsonl", "--responses", "resp.jsonl"])
        .args(["--output-dir", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("crab eval: cannot move out/eval_results_loose.jsonl into place"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let mut names = walk(&dir.join("out"));
    names.sort();
    assert_eq!(names, ["eval_results_loose.jsonl", "in-the-way"]);

    let dir = scratch("unwritable-bt");
    jsonl(&[B1.as_bytes()]).put(&dir.join("in.jsonl"));
    std::fs::create_dir_all(dir.join("out.jsonl/in-the-way")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(&dir)
        .args(["backtranslate", "--input", "in.jsonl", "--output", "out.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("crab backtranslate: cannot move out.jsonl into place"), "{err}");
    let mut names = walk(&dir);
    names.sort();
    assert_eq!(names, ["in-the-way", "in.jsonl", "out.jsonl"]);
}

/// The rules are in `crab --help` and in each command's `--help`.
#[test]
fn the_rules_are_in_the_help() {
    // Compared with runs of white space as one space, so that reflowing the text does not matter.
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_crab")).args(args).output().unwrap();
        assert!(out.status.success());
        flat(&String::from_utf8(out.stdout).unwrap())
    };
    let top = help(&["--help"]);
    for needle in [
        "EXIT STATUS (every command):",
        "1   some rows were bad: each was skipped with one message on standard error naming\n        FILE:LINE and the field",
        "2   bad usage, or an input that cannot be read or used at all",
        "A UTF-8 byte-order mark at the start of a file is skipped",
        "Blank lines are skipped",
        "NaN, Infinity and numbers too large for a double",
        "never a torn line",
    ] {
        assert!(top.contains(&flat(needle)), "crab --help lacks {needle:?}:\n{top}");
    }
    for cmd in ["eval", "backtranslate"] {
        let text = help(&[cmd, "--help"]);
        for needle in [
            "naming FILE:LINE and the field",
            "the exit status is 1",
            "Exit status 0",
            "see crab --help",
        ] {
            assert!(text.contains(needle), "crab {cmd} --help lacks {needle:?}:\n{text}");
        }
    }
}
