//! `crab eval`: IFEval evaluation of JSONL files, writing exactly what Google's
//! `evaluation_main` writes (`eval_results_strict.jsonl`, `eval_results_loose.jsonl` and the
//! printed report), only much faster.
//!
//! Everything about scoring, formatting and metrics is in `crab_constraints::ifeval`; this module
//! reads the files (with [`crate::jsonl`], as every command does), matches responses to prompts,
//! runs the rows on every core, and writes the results. Google's code stops at the first bad row
//! (or the first prompt without a response) with a traceback; here a bad row is skipped with one
//! message naming its file, line and field, the other rows are scored, written and reported, and
//! the exit status is 1. An input that cannot be read or used at all (no row left to score) is
//! fatal: nothing is written, exit status 2.
//!
//! The input is streamed: the responses are read first (into a map by prompt, as Google's code
//! builds one: memory proportional to the response file), then the input rows are read, scored on
//! `--jobs` threads and written in bounded batches, so memory does not grow with the input. The
//! outputs are written under temporary names as the rows are scored and renamed into place at the
//! end ([`crate::output`]), so a reader never sees a partial file and a fatal error leaves none.
//!
//! The batch options sit in submodules: `--format csv` ([`csv`]), `--compare` ([`compare`]),
//! `--shard` (the rows of one block, [`crate::shard`], and a [`manifest`] for the merge) and
//! `--merge` ([`merge`]).

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::checks::Constraint;
use crab_constraints::ifeval::files::{self, Benchmark, ByPrompt, Input};
use crab_constraints::ifeval::report::{join_path, RESULT_FILES};
use crab_constraints::ifeval::{
    self, csv, ifbench, Comparison, InputRow, Metrics, PromptResults, RowResult,
};
use crab_constraints::text::lang::LanguageDetector;
use crab_constraints::text::pos::PosTagger;
use crab_constraints::text::{Resource, Resources};
use serde_json::Value;

use crate::jsonl::{self, Lines};
use crate::output::{self, RowWriter, Staged};
use crate::parallel::par_stream;
use crate::progress::Progress;
use crate::shard::{self, Fingerprint, Fnv, Shard, Tap};

mod compare;
mod manifest;
mod merge;

const USAGE: &str = "\
crab eval — IFEval (or IFBench) evaluation, byte-for-byte like Google's evaluation_main (or
allenai/IFBench's run_eval)

USAGE:
    crab eval --input-data FILE --responses FILE --output-dir DIR [--benchmark ifeval|ifbench]
              [--strip-think] [--jobs N] [--format jsonl|csv] [--compare OTHER_DIR] [--shard K/N]
    crab eval --merge DIR... --output-dir DIR [--format jsonl|csv] [--compare OTHER_DIR]

OPTIONS:
    --input-data FILE    input rows {key, prompt, instruction_id_list, kwargs} (JSONL)
                         (alias: --input_data)
    --responses FILE     response rows {prompt, response}, matched by exact prompt (JSONL);
                         the last response for a prompt wins, responses to other prompts are
                         ignored (as in Google's code); `-` reads them from standard input
                         (messages then name <stdin>:LINE)
                         (aliases: --input_response_data, --input-response-data)
    --output-dir DIR     where eval_results_strict.jsonl and eval_results_loose.jsonl go
                         (created if missing; alias: --output_dir)
    --benchmark ifeval   (default) Google's IFEval rules: a prompt without a response is a
                         bad row
    --benchmark ifbench  allenai/IFBench's rules (HEAD): a response is found by the prompt,
                         else by the prompt stripped of surrounding whitespace; a prompt
                         without a response is scored as an all-false row with an empty
                         response; IFBench's 58 ids and IFEval's 25 are known (an IFBench id
                         crab does not verify yet is a bad row, named as such)
    --strip-think        remove a leading <think>…</think> block from each response
    --jobs N             worker threads (default: the number of cores)
    --format jsonl       (default) Google's two files only
    --format csv         also eval_results.csv: one record per instruction (key,
                         instruction_id, kwargs as JSON, strict, loose; a header line, RFC 4180
                         quoting, CRLF). Google's files are still written: the report names
                         them, and --compare and --merge read them
    --compare OTHER_DIR  compare with an earlier run on the same input rows (OTHER_DIR holds
                         its eval_results_strict.jsonl and eval_results_loose.jsonl): after the
                         report, print the four headline accuracies of both runs and their
                         deltas, every family and id, and the prompts that flipped (followed in
                         one run and not in the other, strict and loose), and write all of it
                         to DIR/eval_compare.json. Runs of different prompts (or of the same
                         prompts in another order, or with a row skipped in one of them) are
                         refused (exit status 2)
    --shard K/N          score only block K of N (K from 1) of the input rows: the rows cut
                         into N contiguous blocks of nearly equal size. Also writes
                         DIR/eval_shard.json, which --merge reads. Run each K once, on any
                         machines, with the same files and options
    --merge DIR...       put the output directories of the N shard runs back together: the
                         same result files, report, messages and exit status as one run of the
                         whole input (with --format csv, every shard must have written its CSV)
    -h, --help           print this help

Prints Google's report (prompt- and instruction-level accuracy, per family, per id) to
standard output. On a terminal, progress is shown on standard error (one line, rewritten);
otherwise nothing but the messages below is written there.

A bad row (not JSON, a missing or ill-typed field, an unknown id, bad kwargs, NaN in kwargs,
no response for its prompt) is skipped with one message on standard error naming FILE:LINE
and the field; the other rows are scored, written and reported, and the exit status is 1.
Exit status 0: every row was scored; 2: bad usage, or an input that cannot be read or has no
row left to score (nothing is written). How lines are read (blank lines, CRLF, byte-order
mark, NaN): see crab --help.
";

/// Input rows read, scored and written per thread per batch: enough to keep the threads busy,
/// few enough that a batch's responses and result lines take little memory.
const ROWS_PER_JOB: usize = 256;

/// How the response rows are read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// The name in messages.
    fn name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// A run over input and response files (possibly one shard of it).
struct RunArgs {
    input: PathBuf,
    responses: Source,
    benchmark: Benchmark,
    strip_think: bool,
    jobs: usize,
    shard: Option<Shard>,
}

enum Job {
    Run(RunArgs),
    /// The output directories of the shards.
    Merge(Vec<PathBuf>),
}

struct Args {
    job: Job,
    output_dir: PathBuf,
    csv: bool,
    compare: Option<PathBuf>,
}

/// Runs `crab eval` with the arguments left in `parser`. Usage errors are returned (exit 2);
/// fatal input errors (exit 2) and bad rows (exit 1) are reported here.
pub(crate) fn run(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    let Some(args) = parse_args(parser)? else {
        io::stdout().write_all(USAGE.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let done = match &args.job {
        Job::Run(run) => evaluate(&args, run),
        Job::Merge(dirs) => merge::merge(&args, dirs),
    };
    let done = match done {
        Ok(done) => done,
        Err(err) => {
            let _ = writeln!(io::stderr(), "crab eval: {err:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let dir = args.output_dir.to_string_lossy();
    let mut text = String::new();
    if done.instructions > 0 {
        done.metrics.push_report(&mut text, &dir);
    }
    if let (Some(comparison), Some(other)) = (&done.comparison, &args.compare) {
        let other = other.to_string_lossy();
        comparison.push_text(&mut text, &other, &dir, compare::MAX_FLIPS_SHOWN);
        text.push_str(&format!("(all of it in {})\n", join_path(&dir, compare::FILE)));
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    let mut stderr = io::stderr().lock();
    if done.instructions == 0 {
        // Only a shard gets here: a whole run with nothing to score is fatal.
        writeln!(
            stderr,
            "crab eval: {} scored no instruction, so there is no report; crab eval --merge \
             adds its files to the other shards'",
            done.covered
        )?;
    }
    if done.skipped == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        stderr,
        "crab eval: {} bad row(s) skipped; the results and the report cover {} of {} input rows{}",
        done.skipped,
        done.scored,
        done.input_rows,
        if done.covered.is_empty() { String::new() } else { format!(" of {}", done.covered) }
    )?;
    Ok(ExitCode::from(1))
}

fn parse_args(parser: &mut lexopt::Parser) -> Result<Option<Args>> {
    use lexopt::prelude::*;

    let (mut input, mut responses, mut output_dir) = (None, None, None);
    let mut strip_think = false;
    let mut benchmark = None;
    let mut jobs = None;
    let mut csv = false;
    let mut compare = None;
    let mut shard = None;
    let mut merge: Option<Vec<PathBuf>> = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("input-data" | "input_data") => input = Some(parser.value()?),
            Long("responses" | "input-response-data" | "input_response_data") => {
                responses = Some(parser.value()?)
            }
            Long("output-dir" | "output_dir") => output_dir = Some(parser.value()?),
            Long("strip-think" | "strip_think") => strip_think = true,
            Long("benchmark") => {
                let value = parser.value()?;
                benchmark = Some(match value.to_str() {
                    Some("ifeval") => Benchmark::IfEval,
                    Some("ifbench") => Benchmark::IfBench,
                    _ => bail!(
                        "--benchmark must be `ifeval` or `ifbench`, not '{}'",
                        value.to_string_lossy()
                    ),
                });
            }
            Short('j') | Long("jobs") => {
                let n: usize = parser.value()?.parse()?;
                if n == 0 {
                    bail!("--jobs must be at least 1");
                }
                jobs = Some(n);
            }
            Long("format") => {
                let value = parser.value()?;
                csv = match value.to_str() {
                    Some("jsonl") => false,
                    Some("csv") => true,
                    _ => bail!(
                        "--format must be `jsonl` or `csv`, not '{}'",
                        value.to_string_lossy()
                    ),
                };
            }
            Long("compare") => compare = Some(PathBuf::from(parser.value()?)),
            Long("shard") => shard = Some(Shard::parse(&parser.value()?.string()?)?),
            Long("merge") => {
                let dirs: Vec<PathBuf> = parser.values()?.map(PathBuf::from).collect();
                merge.get_or_insert_with(Vec::new).extend(dirs);
            }
            Short('h') | Long("help") => return Ok(None),
            other => return Err(other.unexpected().into()),
        }
    }
    let output_dir = output_dir
        .map(PathBuf::from)
        .ok_or_else(|| anyhow!("eval needs --output-dir DIR (see crab eval --help)"))?;
    let job = match merge {
        Some(dirs) => {
            let given = [
                (input.is_some(), "--input-data"),
                (responses.is_some(), "--responses"),
                (strip_think, "--strip-think"),
                (benchmark.is_some(), "--benchmark"),
                (shard.is_some(), "--shard"),
            ];
            if let Some((_, flag)) = given.iter().find(|(given, _)| *given) {
                bail!(
                    "--merge takes the shards' output directories only; {flag} belongs to the \
                     shard runs (see crab eval --help)"
                );
            }
            Job::Merge(dirs)
        }
        None => {
            let required = |v: Option<OsString>, flag: &str| {
                v.ok_or_else(|| anyhow!("eval needs {flag} (see crab eval --help)"))
            };
            let input = required(input, "--input-data FILE")?;
            let responses = required(responses, "--responses FILE")?;
            if input == "-" {
                bail!(
                    "--input-data cannot be standard input (only --responses can: `--responses -`)"
                );
            }
            Job::Run(RunArgs {
                input: PathBuf::from(input),
                responses: if responses == "-" {
                    Source::Stdin
                } else {
                    Source::File(PathBuf::from(responses))
                },
                benchmark: benchmark.unwrap_or(Benchmark::IfEval),
                strip_think,
                jobs: jobs
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
                shard,
            })
        }
    };
    Ok(Some(Args { job, output_dir, csv, compare }))
}

/// What a successful run (or merge) scored.
struct Done {
    metrics: Metrics,
    /// Instructions scored (0 only in a shard).
    instructions: usize,
    comparison: Option<Comparison>,
    /// Bad rows skipped, in both files.
    skipped: usize,
    /// Input rows scored and written.
    scored: usize,
    /// Input rows the run covered.
    input_rows: usize,
    /// `shard K/N` for a shard, empty otherwise.
    covered: String,
}

/// The response file, read: responses by prompt, and the messages about its bad rows.
struct Responses {
    name: String,
    by_prompt: ByPrompt,
    problems: Vec<String>,
    fingerprint: Option<Fingerprint>,
}

/// Reads the whole response file (fingerprinted for a shard's manifest).
fn read_responses(source: &Source, benchmark: Benchmark, fingerprint: bool) -> Result<Responses> {
    let name = source.name();
    let reader: Box<dyn Read + Send> = match source {
        Source::File(path) => {
            Box::new(File::open(path).with_context(|| format!("cannot read {name}"))?)
        }
        Source::Stdin => Box::new(io::stdin()),
    };
    let mut lines = Lines::new(BufReader::with_capacity(1 << 16, Tap::new(reader, fingerprint)));
    // As Google's dict: the last response for a prompt wins; responses to prompts that are not
    // in the input are never looked up.
    let mut by_prompt = ByPrompt::new(benchmark);
    let mut problems = Vec::new();
    while let Some((n, line)) = lines.next_line().with_context(|| format!("cannot read {name}"))? {
        match files::response_line(line) {
            Ok(row) => {
                by_prompt.insert(row.prompt, row.response);
            }
            Err(e) => problems.push(format!("{name}:{n}: {e}")),
        }
    }
    let fingerprint = lines.reader().get_ref().fingerprint();
    Ok(Responses { name, by_prompt, problems, fingerprint })
}

/// The input rows of a run, read in batches: only those in `range` (by 0-based row index).
struct InputRows<R> {
    lines: Lines<R>,
    benchmark: Benchmark,
    /// The index of the next row.
    next: usize,
    range: Range<usize>,
    /// Rows read in the range.
    seen: usize,
}

impl<R: BufRead> InputRows<R> {
    /// Up to `max` rows of the range, each with its line number, read or with the reason it
    /// cannot be used; empty at the end of the range.
    fn batch(&mut self, max: usize, name: &str) -> Result<Vec<(usize, Result<Input, String>)>> {
        let mut batch = Vec::with_capacity(max);
        while batch.len() < max && self.next < self.range.end {
            let Some((n, line)) =
                self.lines.next_line().with_context(|| format!("cannot read {name}"))?
            else {
                break;
            };
            let index = self.next;
            self.next += 1;
            if index >= self.range.start {
                self.seen += 1;
                batch.push((
                    n,
                    jsonl::parse(line).and_then(|row| files::input_row(row, self.benchmark)),
                ));
            }
        }
        Ok(batch)
    }
}

/// The files a run writes, under temporary names until [`Outputs::commit`].
struct Outputs {
    strict: Staged,
    loose: Staged,
    csv: Option<Staged>,
    /// Further whole files (the comparison, a shard's manifest), written at the end.
    extra: Vec<Staged>,
    /// Declared last, so dropped after the staged files (which remove themselves).
    dir: DirGuard,
}

/// Removes the output directory on a failed run if the run created it (and left it empty).
struct DirGuard {
    path: PathBuf,
    created: bool,
}

impl Drop for DirGuard {
    fn drop(&mut self) {
        if self.created {
            let _ = std::fs::remove_dir(&self.path);
        }
    }
}

impl Outputs {
    fn create(dir: &Path, csv: bool) -> Result<Outputs> {
        let existed = dir.is_dir();
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
        let dir_guard = DirGuard { path: dir.to_owned(), created: !existed };
        let [strict, loose] = RESULT_FILES.map(|name| Staged::create(&dir.join(name)));
        let csv = if csv { Some(Staged::create(&dir.join(csv::FILE))?) } else { None };
        Ok(Outputs { strict: strict?, loose: loose?, csv, extra: Vec::new(), dir: dir_guard })
    }

    /// Writes a whole file (`text`) into the output directory at the end.
    fn add_file(&mut self, name: &str, text: &str) -> Result<()> {
        let mut staged = Staged::create(&self.dir.path.join(name))?;
        let tmp = staged.tmp_path().display().to_string();
        staged.file().write_all(text.as_bytes()).with_context(|| format!("cannot write {tmp}"))?;
        self.extra.push(staged);
        Ok(())
    }

    /// Renames every file into place (none stays if one cannot be).
    fn commit(mut self) -> Result<()> {
        let mut files = vec![self.strict, self.loose];
        files.extend(self.csv);
        files.append(&mut self.extra);
        output::commit_all(files)?;
        self.dir.created = false;
        Ok(())
    }
}

/// The writers of a run's streamed files: strict, loose and (with `--format csv`) the CSV.
struct Writers<'a> {
    files: Vec<Writer<'a>>,
}

struct Writer<'a> {
    name: &'static str,
    rows: RowWriter<&'a mut File>,
    tmp: String,
    /// What was written, for a shard's manifest.
    fnv: Option<Fnv>,
}

impl<'a> Writers<'a> {
    /// Writers for `outputs`' streamed files, fingerprinting what they write if asked.
    fn new(outputs: &'a mut Outputs, fingerprint: bool) -> Result<Writers<'a>> {
        let [strict, loose] = RESULT_FILES;
        let mut staged = vec![(strict, &mut outputs.strict), (loose, &mut outputs.loose)];
        staged.extend(outputs.csv.as_mut().map(|csv| (csv::FILE, csv)));
        let files = staged
            .into_iter()
            .map(|(name, staged)| Writer {
                name,
                tmp: staged.tmp_path().display().to_string(),
                rows: RowWriter::new(staged.file()),
                fnv: fingerprint.then(Fnv::default),
            })
            .collect();
        let mut writers = Writers { files };
        if let Some(csv) = writers.files.get_mut(2) {
            csv.write(csv::HEADER)?;
        }
        Ok(writers)
    }

    /// Writes one row's text to each file (`csv` only goes to the CSV file, if there is one).
    fn write(&mut self, strict: &str, loose: &str, csv: &str) -> Result<()> {
        for (writer, text) in self.files.iter_mut().zip([strict, loose, csv]) {
            writer.write(text)?;
        }
        Ok(())
    }

    /// Writes out what is buffered; returns each file's name and fingerprint (if asked for).
    fn finish(self) -> Result<Vec<(&'static str, Fingerprint)>> {
        let mut fingerprints = Vec::new();
        for mut writer in self.files {
            writer.rows.flush().with_context(|| format!("cannot write {}", writer.tmp))?;
            fingerprints.extend(writer.fnv.map(|fnv| (writer.name, fnv.fingerprint())));
        }
        Ok(fingerprints)
    }
}

impl Writer<'_> {
    fn write(&mut self, text: &str) -> Result<()> {
        if let Some(fnv) = &mut self.fnv {
            fnv.update(text.as_bytes());
        }
        self.rows.write_whole(text.as_bytes()).with_context(|| format!("cannot write {}", self.tmp))
    }
}

/// What the rows scored so far add up to.
#[derive(Default)]
struct Totals {
    metrics: Metrics,
    scored: usize,
    instructions: usize,
    /// Messages about bad input rows (kept for a shard's manifest).
    input_problems: Vec<String>,
    skipped_input: usize,
    /// Each row's results, for `--compare`.
    results: Option<Vec<PromptResults>>,
    /// Each row's key, for a shard's manifest.
    keys: Option<Vec<Value>>,
}

/// A row to score: the input row, its constraints and its response (`None`: an IFBench prompt
/// without one, scored as an all-false row).
type RowJob<'a> = (InputRow, Vec<Constraint>, Option<&'a str>);

/// Reads, checks, scores and writes; reports bad rows on standard error as it goes.
fn evaluate(args: &Args, run: &RunArgs) -> Result<Done> {
    let input_name = run.input.display().to_string();
    let input_file = File::open(&run.input).with_context(|| format!("cannot read {input_name}"))?;
    let input_size = input_file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    std::thread::scope(|s| {
        // The responses are read on a second thread while this one reads the first input rows,
        // builds their constraints and warms those checks' lazily built data.
        let responses =
            s.spawn(|| read_responses(&run.responses, run.benchmark, run.shard.is_some()));
        let previous = args.compare.as_deref().map(compare::read_run).transpose();
        let counted = run.shard.map(|_| shard::count_rows(&run.input)).transpose();
        let range = match &counted {
            Ok(Some((rows, _))) => run.shard.map_or(0..usize::MAX, |sh| sh.range(*rows)),
            _ => 0..usize::MAX,
        };
        let mut rows = InputRows {
            lines: Lines::new(BufReader::new(Tap::new(input_file, false))),
            benchmark: run.benchmark,
            next: 0,
            range: range.clone(),
            seen: 0,
        };
        let batch_size = ROWS_PER_JOB * run.jobs.max(1);
        let first = match &counted {
            Ok(_) => rows.batch(batch_size, &input_name),
            Err(_) => Ok(Vec::new()),
        };
        let mut started: Vec<Resource> = Vec::new();
        if let Ok(first) = &first {
            let usable: Vec<Constraint> = first
                .iter()
                .filter_map(|(_, row)| row.as_ref().ok())
                .flat_map(|(_, constraints)| constraints.iter().cloned())
                .collect();
            // Load what some constraint needs, now: the language table here, the tagger on a
            // thread of its own (see `start_loading`).
            for resource in needed(&usable) {
                if !started.contains(&resource) {
                    start_loading(s, resource);
                    started.push(resource);
                }
            }
            ifeval::warm_up(&usable, None);
        }
        let counted = counted?;
        let mut batch = first?;
        let responses = responses.join().map_err(|_| anyhow!("the reader thread panicked"))??;
        let previous = previous?;
        if let Some((0, _)) = counted {
            bail!("{input_name}: no input rows");
        }

        let mut outputs = Outputs::create(&args.output_dir, args.csv)?;
        let mut writers = Writers::new(&mut outputs, run.shard.is_some())?;
        let mut tally = Totals {
            results: previous.is_some().then(Vec::new),
            keys: run.shard.is_some().then(Vec::new),
            ..Totals::default()
        };
        let mut progress = Progress::new("crab eval", "scored");
        while !batch.is_empty() {
            // A job without a response is an IFBench prompt that has none: an all-false row.
            let mut jobs: Vec<RowJob<'_>> = Vec::with_capacity(batch.len());
            for (line, read) in batch {
                let problem = match read {
                    Err(e) => e,
                    Ok((row, constraints)) => match responses.by_prompt.get(&row.prompt) {
                        Some(response) => {
                            let response = if run.strip_think {
                                ifeval::strip_think(response)
                            } else {
                                response
                            };
                            jobs.push((row, constraints, Some(response)));
                            continue;
                        }
                        None if run.benchmark == Benchmark::IfBench => {
                            jobs.push((row, constraints, None));
                            continue;
                        }
                        None => files::no_response(&row.key, &responses.name),
                    },
                };
                let message = format!("{input_name}:{line}: {problem}");
                progress.clear();
                let _ = writeln!(io::stderr(), "crab eval: {message}");
                tally.skipped_input += 1;
                if run.shard.is_some() {
                    tally.input_problems.push(message);
                }
            }
            for (_, constraints, _) in &jobs {
                for resource in needed(constraints) {
                    if !started.contains(&resource) {
                        start_loading(s, resource);
                        started.push(resource);
                    }
                }
            }
            // Scored on every core and written in order as they are scored (see
            // `parallel::par_stream`): writing overlaps scoring.
            let mut csv_text = String::new();
            let score = |(row, constraints, response): &RowJob<'_>| match response {
                Some(response) => {
                    ifeval::evaluate_row(row, constraints, response, resources(constraints))
                }
                None => ifbench::missing_response(row),
            };
            par_stream(&jobs, run.jobs, score, |i, result: RowResult| {
                let Some((row, constraints, _)) = jobs.get(i) else { return Ok(()) };
                if args.csv {
                    csv_text.clear();
                    csv::push_records(&mut csv_text, row, &result.strict, &result.loose);
                }
                writers.write(&result.strict_line, &result.loose_line, &csv_text)?;
                tally.metrics.add(&row.instruction_id_list, &result.strict, &result.loose);
                tally.scored += 1;
                tally.instructions += constraints.len();
                if let Some(keys) = &mut tally.keys {
                    keys.push(row.key.clone());
                }
                if let Some(results) = &mut tally.results {
                    results.push(PromptResults {
                        key: Some(row.key.clone()),
                        prompt: row.prompt.clone(),
                        instruction_id_list: row.instruction_id_list.clone(),
                        strict: result.strict,
                        loose: result.loose,
                    });
                }
                Ok::<(), anyhow::Error>(())
            })?;
            let done = match &counted {
                Some(_) => rows.seen as f64 / range.len().max(1) as f64,
                None => input_size.map_or(f64::NAN, |size| {
                    rows.lines.reader().get_ref().bytes_read() as f64 / size.max(1) as f64
                }),
            };
            progress.tick(tally.scored, tally.skipped_input, Some(done));
            batch = rows.batch(batch_size, &input_name)?;
        }
        progress.clear();
        let written = writers.finish()?;

        if rows.seen == 0 && counted.is_none() {
            bail!("{input_name}: no input rows");
        }
        let mut stderr = io::stderr().lock();
        for problem in &responses.problems {
            let _ = writeln!(stderr, "crab eval: {problem}");
        }
        drop(stderr);
        if run.shard.is_none() {
            if tally.scored == 0 {
                bail!("no row of {input_name} can be scored");
            }
            if tally.instructions == 0 {
                bail!("{input_name}: no instructions to score");
            }
        }
        let comparison = compare_with(args, previous.as_deref(), tally.results.as_deref())?;
        if let Some(comparison) = &comparison {
            let json = comparison_json(args, comparison);
            outputs.add_file(compare::FILE, &json)?;
        }
        if let (Some(shard), Some((input_rows, input_fingerprint))) = (run.shard, counted) {
            let manifest = manifest::Manifest {
                shard,
                input: manifest::Source {
                    name: input_name.clone(),
                    fingerprint: input_fingerprint,
                },
                input_rows,
                responses: manifest::Source {
                    name: responses.name.clone(),
                    fingerprint: responses
                        .fingerprint
                        .ok_or_else(|| anyhow!("the responses were not fingerprinted"))?,
                },
                strip_think: run.strip_think,
                rows: range.clone(),
                scored: tally.scored,
                keys: tally.keys.take().unwrap_or_default(),
                input_problems: std::mem::take(&mut tally.input_problems),
                response_problems: responses.problems.clone(),
                outputs: written,
            };
            outputs.add_file(manifest::FILE, &format!("{}\n", manifest.to_json()))?;
        }
        outputs.commit()?;
        Ok(Done {
            metrics: tally.metrics,
            instructions: tally.instructions,
            comparison,
            skipped: tally.skipped_input + responses.problems.len(),
            scored: tally.scored,
            input_rows: rows.seen,
            covered: match run.shard {
                Some(sh) if range.is_empty() => format!("shard {sh} (no rows)"),
                Some(sh) => format!("shard {sh} (rows {}–{})", range.start + 1, range.end),
                None => String::new(),
            },
        })
    })
}

/// The resources `constraints` need, each once.
fn needed(constraints: &[Constraint]) -> Vec<Resource> {
    let mut needed: Vec<Resource> = Vec::new();
    for &resource in constraints.iter().flat_map(Constraint::needs) {
        if !needed.contains(&resource) {
            needed.push(resource);
        }
    }
    needed
}

/// Starts loading `resource`: the language table is read in place (tens of microseconds), so
/// here and now, before a row can wait for it; the tagger decodes its model (milliseconds), so
/// on a thread of its own while rows that do not need it are scored.
fn start_loading<'scope>(s: &'scope std::thread::Scope<'scope, '_>, resource: Resource) {
    match resource {
        Resource::Language => load(resource),
        Resource::Tagger => {
            s.spawn(move || load(resource));
        }
    }
}

/// Loads a linked-in resource (each is built once, on first use).
fn load(resource: Resource) {
    match resource {
        Resource::Language => {
            LanguageDetector::builtin();
        }
        Resource::Tagger => {
            PosTagger::builtin();
        }
    }
}

/// The linked-in resources `constraints` need (the others are left out, so a row that needs
/// none never waits for one to load).
fn resources(constraints: &[Constraint]) -> Resources<'static> {
    let needed = needed(constraints);
    Resources {
        language: needed.contains(&Resource::Language).then(LanguageDetector::builtin),
        tagger: needed.contains(&Resource::Tagger).then(PosTagger::builtin),
    }
}

/// Compares this run's `results` with the `previous` run's, if asked; runs of different input
/// rows are an error.
fn compare_with(
    args: &Args,
    previous: Option<&[PromptResults]>,
    results: Option<&[PromptResults]>,
) -> Result<Option<Comparison>> {
    let (Some(previous), Some(results), Some(other)) = (previous, results, &args.compare) else {
        return Ok(None);
    };
    let comparison = ifeval::compare(previous, results).map_err(|e| {
        anyhow!(
            "--compare {}: {e}; the two runs must have scored the same input rows (the same \
             prompts and instructions, in the same order, none skipped in one run only)",
            other.display()
        )
    })?;
    Ok(Some(comparison))
}

/// The comparison as the text of `eval_compare.json`.
fn comparison_json(args: &Args, comparison: &Comparison) -> String {
    let before = args.compare.as_deref().map(|p| p.to_string_lossy()).unwrap_or_default();
    let value = comparison.to_json(&before, &args.output_dir.to_string_lossy());
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
