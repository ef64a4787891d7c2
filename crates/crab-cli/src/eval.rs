//! `crab eval`: IFEval evaluation of JSONL files, writing exactly what Google's
//! `evaluation_main` writes (`eval_results_strict.jsonl`, `eval_results_loose.jsonl` and the
//! printed report), only much faster.
//!
//! Everything about scoring and formatting is in `crab_constraints::ifeval`; this module reads
//! the files (with [`crate::jsonl`], as every command does), matches responses to prompts, runs
//! the rows on every core, and writes the results. Google's code stops at the first bad row (or
//! the first prompt without a response) with a traceback; here a bad row is skipped with one
//! message naming its file, line and field, the other rows are scored, written and reported, and
//! the exit status is 1. An input that cannot be read or used at all (no row left to score) is
//! fatal: nothing is written, exit status 2. Both output files are written under temporary names
//! and renamed into place at the end ([`crate::output`]), so a reader never sees a partial file.

use crab_constraints::text::lang::LanguageDetector;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::checks::Constraint;
use crab_constraints::ifeval::{self, report, InputRow, ResponseRow, RowResult, Scores};

use crate::jsonl::{self, Lines, Row};
use crate::output::{self, Staged};

const USAGE: &str = "\
crab eval — IFEval evaluation, byte-for-byte like Google's evaluation_main

USAGE:
    crab eval --input-data FILE --responses FILE --output-dir DIR [--strip-think] [--jobs N]

OPTIONS:
    --input-data FILE    input rows {key, prompt, instruction_id_list, kwargs} (JSONL)
                         (alias: --input_data)
    --responses FILE     response rows {prompt, response}, matched by exact prompt (JSONL);
                         the last response for a prompt wins, responses to other prompts are
                         ignored (as in Google's code)
                         (aliases: --input_response_data, --input-response-data)
    --output-dir DIR     where eval_results_strict.jsonl and eval_results_loose.jsonl go
                         (created if missing; alias: --output_dir)
    --strip-think        remove a leading <think>…</think> block from each response
    --jobs N             worker threads (default: the number of cores)
    -h, --help           print this help

Prints Google's report (prompt- and instruction-level accuracy, per family, per id) to
standard output.

A bad row (not JSON, a missing or ill-typed field, an unknown id, bad kwargs, NaN in kwargs,
no response for its prompt) is skipped with one message on standard error naming FILE:LINE
and the field; the other rows are scored, written and reported, and the exit status is 1.
Exit status 0: every row was scored; 2: bad usage, or an input that cannot be read or has no
row left to score (nothing is written). How lines are read (blank lines, CRLF, byte-order
mark, NaN): see crab --help.
";

/// The output files, in the order Google writes and reports them.
const OUTPUTS: [&str; 2] = ["eval_results_strict.jsonl", "eval_results_loose.jsonl"];

/// The fields of an input row that the evaluation uses.
const INPUT_FIELDS: [&str; 4] = ["key", "prompt", "instruction_id_list", "kwargs"];

/// The fields of a response row that the evaluation uses.
const RESPONSE_FIELDS: [&str; 2] = ["prompt", "response"];

struct Args {
    input: PathBuf,
    responses: PathBuf,
    output_dir: PathBuf,
    strip_think: bool,
    jobs: usize,
}

/// Runs `crab eval` with the arguments left in `parser`. Usage errors are returned (exit 2);
/// fatal input errors (exit 2) and bad rows (exit 1) are reported here.
pub(crate) fn run(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    let Some(args) = parse_args(parser)? else {
        io::stdout().write_all(USAGE.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let done = match evaluate(&args) {
        Ok(done) => done,
        Err(err) => {
            let _ = writeln!(io::stderr(), "crab eval: {err:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let dir = args.output_dir.to_string_lossy();
    let mut text = String::new();
    done.strict.push_report(&mut text, &report::join_path(&dir, OUTPUTS[0]));
    done.loose.push_report(&mut text, &report::join_path(&dir, OUTPUTS[1]));
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    if done.skipped == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        io::stderr(),
        "crab eval: {} bad row(s) skipped; the results and the report cover {} of {} input rows",
        done.skipped,
        done.scored,
        done.input_rows
    )?;
    Ok(ExitCode::from(1))
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

/// What a successful run scored.
struct Done {
    strict: Scores,
    loose: Scores,
    /// Bad rows skipped, in both files.
    skipped: usize,
    /// Input rows scored and written.
    scored: usize,
    /// Non-blank lines of the input file.
    input_rows: usize,
}

/// An input row with its constraints.
type Input = (InputRow, Vec<Constraint>);

/// A file's rows: each with its line number, read or with the reason it cannot be used.
type Rows<T> = Vec<(usize, Result<T, String>)>;

/// Reads an input row and builds its constraints.
fn input_row(row: Row) -> Result<Input, String> {
    if let Err(e) = row.refuse_python_numbers(&INPUT_FIELDS) {
        return Err(match row.value.get("key") {
            Some(key) if !key.is_null() => format!("key {key}: {e}"),
            _ => e,
        });
    }
    let input = InputRow::from_json(row.value).map_err(|e| e.to_string())?;
    let constraints = input.constraints().map_err(|e| e.to_string())?;
    Ok((input, constraints))
}

fn response_row(row: Row) -> Result<ResponseRow, String> {
    row.refuse_python_numbers(&RESPONSE_FIELDS)?;
    ResponseRow::from_json(row.value).map_err(|e| e.to_string())
}

/// Reads, checks, scores and writes; reports bad rows on standard error as it goes.
fn evaluate(args: &Args) -> Result<Done> {
    // The responses (the bigger file) are read on a second thread while this one reads the
    // input rows, builds their constraints and warms those checks' lazily built data.
    let (inputs, responses) = std::thread::scope(|s| {
        let responses = s.spawn(|| read_rows(&args.responses, response_row));
        let inputs = read_rows(&args.input, input_row);
        if let Ok(inputs) = &inputs {
            let usable: Vec<Constraint> = inputs
                .iter()
                .filter_map(|(_, row)| row.as_ref().ok())
                .flat_map(|(_, constraints)| constraints.iter().cloned())
                .collect();
            // The language profiles take the longest to load: start at once, on their own
            // thread, and only if some constraint needs them.
            if usable.iter().any(Constraint::needs_language) {
                s.spawn(LanguageDetector::builtin);
            }
            ifeval::warm_up(&usable, None);
        }
        (inputs, responses.join())
    });
    let inputs = inputs?;
    let responses = responses.map_err(|_| anyhow!("the reader thread panicked"))??;
    if inputs.is_empty() {
        bail!("{}: no input rows", args.input.display());
    }

    // As Google's dict: the last response for a prompt wins; responses to prompts that are not
    // in the input are never looked up.
    let by_prompt: HashMap<&str, &str> = responses
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .map(|r| (r.prompt.as_str(), r.response.as_str()))
        .collect();
    let mut problems = Vec::new();
    let mut rows: Vec<(&InputRow, &[Constraint], &str)> = Vec::with_capacity(inputs.len());
    for (line, read) in &inputs {
        let shown = args.input.display();
        match read {
            Err(e) => problems.push(format!("{shown}:{line}: {e}")),
            Ok((row, constraints)) => match by_prompt.get(row.prompt.as_str()) {
                Some(&response) => rows.push((
                    row,
                    constraints,
                    if args.strip_think { ifeval::strip_think(response) } else { response },
                )),
                None => problems.push(format!(
                    "{shown}:{line}: key {}: no response in {} for this `prompt`",
                    row.key,
                    args.responses.display()
                )),
            },
        }
    }
    for (line, read) in &responses {
        if let Err(e) = read {
            problems.push(format!("{}:{line}: {e}", args.responses.display()));
        }
    }
    let mut stderr = io::stderr().lock();
    for problem in &problems {
        let _ = writeln!(stderr, "crab eval: {problem}");
    }
    drop(stderr);
    if rows.is_empty() {
        bail!("no row of {} can be scored", args.input.display());
    }
    let total_instructions: usize = rows.iter().map(|(_, c, _)| c.len()).sum();
    if total_instructions == 0 {
        bail!("{}: no instructions to score", args.input.display());
    }

    // Rows that need language detection go last, so that the other rows are scored while the
    // profiles finish loading.
    let needs_language = |i: usize| rows[i].1.iter().any(Constraint::needs_language);
    let mut jobs: Vec<usize> = (0..rows.len()).collect();
    jobs.sort_by_key(|&i| needs_language(i));
    let mut results: Vec<(usize, RowResult)> = par_map(&jobs, args.jobs, |&i| {
        let (row, constraints, response) = rows[i];
        let detector = needs_language(i).then(LanguageDetector::builtin);
        (i, ifeval::evaluate_row(row, constraints, response, detector))
    });
    results.sort_unstable_by_key(|&(i, _)| i);
    let results: Vec<RowResult> = results.into_iter().map(|(_, r)| r).collect();

    let mut strict = Scores::default();
    let mut loose = Scores::default();
    let size = |f: fn(&RowResult) -> &String| results.iter().map(|r| f(r).len()).sum();
    let mut strict_text = String::with_capacity(size(|r| &r.strict_line));
    let mut loose_text = String::with_capacity(size(|r| &r.loose_line));
    for ((row, _, _), r) in rows.iter().zip(&results) {
        strict.add(&row.instruction_id_list, &r.strict);
        loose.add(&row.instruction_id_list, &r.loose);
        strict_text.push_str(&r.strict_line);
        loose_text.push_str(&r.loose_line);
    }
    write_outputs(&args.output_dir, [&strict_text, &loose_text])?;
    Ok(Done {
        strict,
        loose,
        skipped: problems.len(),
        scored: rows.len(),
        input_rows: inputs.len(),
    })
}

/// Reads a JSONL file into rows with their (1-based) line numbers, each read by `read` or with
/// the reason it cannot be; blank lines are skipped. An unreadable file is an error.
fn read_rows<T>(path: &Path, read: fn(Row) -> Result<T, String>) -> Result<Rows<T>> {
    let shown = path.display();
    let file = File::open(path).with_context(|| format!("cannot read {shown}"))?;
    let mut lines = Lines::new(BufReader::new(file));
    let mut rows = Vec::new();
    while let Some((n, line)) = lines.next_line().with_context(|| format!("cannot read {shown}"))? {
        rows.push((n, jsonl::parse(line).and_then(read)));
    }
    Ok(rows)
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

/// Writes both result files: each to a temporary file in `dir`, then both renamed into place.
fn write_outputs(dir: &Path, contents: [&String; 2]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    let mut staged: Vec<Staged> =
        OUTPUTS.iter().map(|name| Staged::create(&dir.join(name))).collect::<Result<_>>()?;
    // The two files are written at the same time; both are complete before either is renamed.
    std::thread::scope(|s| {
        let writers: Vec<_> = staged
            .iter_mut()
            .zip(contents)
            .map(|(file, text)| {
                s.spawn(move || {
                    let tmp = file.tmp_path().display().to_string();
                    file.file()
                        .write_all(text.as_bytes())
                        .with_context(|| format!("cannot write {tmp}"))
                })
            })
            .collect();
        writers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })?;
    output::commit_all(staged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(par_map(&items, 3, |&i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(par_map(&[] as &[usize], 2, |&i| i).is_empty());
    }
}
