//! `crab eval`: IFEval evaluation of JSONL files, writing exactly what Google's
//! `evaluation_main` writes (`eval_results_strict.jsonl`, `eval_results_loose.jsonl` and the
//! printed report), only much faster.
//!
//! Everything about scoring and formatting is in `crab_constraints::ifeval`; this module reads
//! the files (errors carry `FILE:LINE`), matches responses to prompts, runs the rows on every
//! core, and writes the results. Nothing is written unless every row could be read, matched and
//! turned into constraints: each output file is written to a temporary name in the output
//! directory first and renamed into place, so a reader never sees a partial file.

use crab_constraints::text::lang::LanguageDetector;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::checks::Constraint;
use crab_constraints::ifeval::{self, report, InputRow, ResponseRow, RowError, RowResult, Scores};
use serde_json::Value;

const USAGE: &str = "\
crab eval — IFEval evaluation, byte-for-byte like Google's evaluation_main

USAGE:
    crab eval --input-data FILE --responses FILE --output-dir DIR [--strip-think] [--jobs N]

OPTIONS:
    --input-data FILE    input rows {key, prompt, instruction_id_list, kwargs} (JSONL)
                         (alias: --input_data)
    --responses FILE     response rows {prompt, response}, matched by exact prompt (JSONL)
                         (aliases: --input_response_data, --input-response-data)
    --output-dir DIR     where eval_results_strict.jsonl and eval_results_loose.jsonl go
                         (created if missing; alias: --output_dir)
    --strip-think        remove a leading <think>…</think> block from each response
    --jobs N             worker threads (default: the number of cores)
    -h, --help           print this help

Prints Google's report (prompt- and instruction-level accuracy, per family, per id) to
standard output. Exit status: 0 on success, 1 for bad input data (nothing is written), 2 for
bad usage.
";

/// The output files, in the order Google writes and reports them.
const OUTPUTS: [&str; 2] = ["eval_results_strict.jsonl", "eval_results_loose.jsonl"];

struct Args {
    input: PathBuf,
    responses: PathBuf,
    output_dir: PathBuf,
    strip_think: bool,
    jobs: usize,
}

/// Runs `crab eval` with the arguments left in `parser`. Usage errors are returned (exit 2);
/// data errors are reported here (exit 1).
pub(crate) fn run(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    let Some(args) = parse_args(parser)? else {
        io::stdout().write_all(USAGE.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let (strict, loose) = match evaluate(&args) {
        Ok(scores) => scores,
        Err(err) => {
            let _ = writeln!(io::stderr(), "crab eval: {err:#}");
            return Ok(ExitCode::from(1));
        }
    };
    let dir = args.output_dir.to_string_lossy();
    let mut text = String::new();
    strict.push_report(&mut text, &report::join_path(&dir, OUTPUTS[0]));
    loose.push_report(&mut text, &report::join_path(&dir, OUTPUTS[1]));
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn parse_args(parser: &mut lexopt::Parser) -> Result<Option<Args>> {
    use lexopt::prelude::*;

    let (mut input, mut responses, mut output_dir) = (None, None, None);
    let mut strip_think = false;
    let mut jobs = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("input-data" | "input_data") => input = Some(parser.value()?),
            Long("responses" | "input-response-data" | "input_response_data") => {
                responses = Some(parser.value()?)
            }
            Long("output-dir" | "output_dir") => output_dir = Some(parser.value()?),
            Long("strip-think" | "strip_think") => strip_think = true,
            Short('j') | Long("jobs") => {
                let n: usize = parser.value()?.parse()?;
                if n == 0 {
                    bail!("--jobs must be at least 1");
                }
                jobs = Some(n);
            }
            Short('h') | Long("help") => return Ok(None),
            other => return Err(other.unexpected().into()),
        }
    }
    let required = |v: Option<OsString>, flag: &str| {
        v.map(PathBuf::from).ok_or_else(|| anyhow!("eval needs {flag} (see crab eval --help)"))
    };
    Ok(Some(Args {
        input: required(input, "--input-data FILE")?,
        responses: required(responses, "--responses FILE")?,
        output_dir: required(output_dir, "--output-dir DIR")?,
        strip_think,
        jobs: jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    }))
}

/// Reads, checks, scores and writes; returns the strict and loose scores.
fn evaluate(args: &Args) -> Result<(Scores, Scores)> {
    // The responses (the bigger file) are read on a second thread while this one reads the
    // input rows, builds their constraints and warms those checks' lazily built data.
    let (inputs, constraints, responses) = std::thread::scope(|s| {
        let responses = s.spawn(|| read_jsonl(&args.responses, ResponseRow::from_json));
        let inputs = read_jsonl(&args.input, InputRow::from_json);
        let constraints: Vec<Result<Vec<Constraint>, RowError>> = match &inputs {
            Ok(inputs) => inputs.iter().map(|(_, row)| row.constraints()).collect(),
            Err(_) => Vec::new(),
        };
        let usable: Vec<Constraint> =
            constraints.iter().filter_map(|c| c.as_ref().ok()).flatten().cloned().collect();
        // The language profiles take the longest to load: start at once, on their own thread,
        // and only if some constraint needs them.
        if usable.iter().any(Constraint::needs_language) {
            s.spawn(LanguageDetector::builtin);
        }
        ifeval::warm_up(&usable, None);
        (inputs, constraints, responses.join())
    });
    let inputs = inputs?;
    let responses = responses.map_err(|_| anyhow!("the reader thread panicked"))??;
    if inputs.is_empty() {
        bail!("{}: no input rows", args.input.display());
    }

    // As Google's dict: the last response for a prompt wins.
    let by_prompt: HashMap<&str, &str> =
        responses.iter().map(|(_, r)| (r.prompt.as_str(), r.response.as_str())).collect();
    let mut matched = Vec::with_capacity(inputs.len());
    let mut missing = Vec::new();
    for (_, row) in &inputs {
        match by_prompt.get(row.prompt.as_str()) {
            Some(&response) => matched.push(if args.strip_think {
                ifeval::strip_think(response)
            } else {
                response
            }),
            None => missing.push(row.key.to_string()),
        }
    }
    if !missing.is_empty() {
        bail!(
            "{} has no response for {} prompt(s) of {}; their keys: {}",
            args.responses.display(),
            missing.len(),
            args.input.display(),
            missing.join(", ")
        );
    }

    let errors: Vec<String> = inputs
        .iter()
        .zip(&constraints)
        .filter_map(|((line, _), c)| {
            c.as_ref().err().map(|e| format!("{}:{line}: {e}", args.input.display()))
        })
        .collect();
    if !errors.is_empty() {
        const SHOWN: usize = 20;
        let mut message = format!("{} row(s) cannot be scored:", errors.len());
        for e in errors.iter().take(SHOWN) {
            message.push_str("\n  ");
            message.push_str(e);
        }
        if errors.len() > SHOWN {
            message.push_str(&format!("\n  … and {} more", errors.len() - SHOWN));
        }
        bail!(message);
    }
    let constraints: Vec<Vec<Constraint>> = constraints.into_iter().flatten().collect();
    let total_instructions: usize = constraints.iter().map(Vec::len).sum();
    if total_instructions == 0 {
        bail!("{}: no instructions to score", args.input.display());
    }

    // Rows that need language detection go last, so that the other rows are scored while the
    // profiles finish loading.
    let needs_language = |i: usize| constraints[i].iter().any(Constraint::needs_language);
    let mut jobs: Vec<(usize, &str)> = matched.iter().copied().enumerate().collect();
    jobs.sort_by_key(|&(i, _)| needs_language(i));
    let mut results: Vec<(usize, RowResult)> = par_map(&jobs, args.jobs, |&(i, response)| {
        let detector = needs_language(i).then(LanguageDetector::builtin);
        (i, ifeval::evaluate_row(&inputs[i].1, &constraints[i], response, detector))
    });
    results.sort_unstable_by_key(|&(i, _)| i);
    let results: Vec<RowResult> = results.into_iter().map(|(_, r)| r).collect();

    let mut strict = Scores::default();
    let mut loose = Scores::default();
    let size = |f: fn(&RowResult) -> &String| results.iter().map(|r| f(r).len()).sum();
    let mut strict_text = String::with_capacity(size(|r| &r.strict_line));
    let mut loose_text = String::with_capacity(size(|r| &r.loose_line));
    for ((_, row), r) in inputs.iter().zip(&results) {
        strict.add(&row.instruction_id_list, &r.strict);
        loose.add(&row.instruction_id_list, &r.loose);
        strict_text.push_str(&r.strict_line);
        loose_text.push_str(&r.loose_line);
    }
    write_outputs(&args.output_dir, [&strict_text, &loose_text])?;
    Ok((strict, loose))
}

/// Reads a JSONL file into rows with their (1-based) line numbers. Lines are split as Python's
/// text mode splits them (`\n`, `\r\n` or `\r`); blank lines are skipped. Errors name the file
/// and line.
fn read_jsonl<T>(path: &Path, parse: fn(Value) -> Result<T, RowError>) -> Result<Vec<(usize, T)>> {
    let shown = path.display();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let ended = before.last().is_none_or(|&b| b == b'\n' || b == b'\r');
            let line = lines(before).count() + usize::from(ended);
            bail!("{shown}:{line}: not valid UTF-8");
        }
    };
    let mut rows = Vec::new();
    for (n, line) in lines(text.as_bytes()).enumerate() {
        let line = std::str::from_utf8(line).unwrap_or_default();
        if line.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
            continue;
        }
        let n = n + 1;
        let value: Value =
            serde_json::from_str(line).map_err(|e| anyhow!("{shown}:{n}: not valid JSON: {e}"))?;
        let row = parse(value).map_err(|e| anyhow!("{shown}:{n}: {e}"))?;
        rows.push((n, row));
    }
    Ok(rows)
}

/// Python's universal-newline split: `\r\n`, `\r` and `\n` end a line; no empty last line
/// after a final line ending. (Splitting at ASCII bytes keeps UTF-8 intact.)
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = match rest.get(end..end + 2) {
            Some(b"\r\n") => 2,
            _ if end < rest.len() => 1,
            _ => 0,
        };
        rest = &rest[end + skip..];
        Some(line)
    })
}

/// `items.iter().map(f)` on `jobs` threads, in order. Rows differ a lot in cost, so threads
/// take the next row from a shared counter rather than fixed chunks.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let jobs = jobs.clamp(1, items.len().max(1));
    if jobs == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..jobs).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            // A panic in a worker is a bug; re-raise it here.
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    all.sort_unstable_by_key(|&(i, _)| i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Writes both result files: each to a temporary file in `dir`, then renamed into place.
fn write_outputs(dir: &Path, contents: [&String; 2]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    let pid = std::process::id();
    let temps: Vec<PathBuf> =
        OUTPUTS.iter().map(|name| dir.join(format!(".{name}.{pid}.tmp"))).collect();
    // The two files are written at the same time; both are complete before either is renamed.
    let written: Result<()> = std::thread::scope(|s| {
        let writers: Vec<_> = temps
            .iter()
            .zip(contents)
            .map(|(tmp, text)| {
                s.spawn(move || {
                    std::fs::write(tmp, text)
                        .with_context(|| format!("cannot write {}", tmp.display()))
                })
            })
            .collect();
        writers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    let renamed = written.and_then(|()| {
        temps.iter().zip(OUTPUTS).try_for_each(|(tmp, name)| {
            let path = dir.join(name);
            std::fs::rename(tmp, &path)
                .with_context(|| format!("cannot move {} into place", path.display()))
        })
    });
    if renamed.is_err() {
        for tmp in &temps {
            let _ = std::fs::remove_file(tmp);
        }
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_python_text_mode() {
        let split = |s: &str| -> Vec<String> {
            lines(s.as_bytes()).map(|l| String::from_utf8_lossy(l).into_owned()).collect()
        };
        assert_eq!(split("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(split("a\n"), ["a"]);
        assert_eq!(split("a\n\nb"), ["a", "", "b"]);
        assert_eq!(split("a\r\n\r\n"), ["a", ""]);
        assert!(split("").is_empty());
    }

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(par_map(&items, 3, |&i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(par_map(&[] as &[usize], 2, |&i| i).is_empty());
    }
}
