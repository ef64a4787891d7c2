//! `crab backtranslate`: CRAB's forward (and reverse) data from (instruction, response) pairs,
//! with constraints that are correct by construction.
//!
//! For each input row the library's pipeline ([`backtranslate`]) derives every constraint the
//! response already satisfies, composes some of them with the instruction into one complex
//! prompt, and writes the records; this module only reads rows and writes lines: an IFEval row
//! that `crab eval` (or Google's evaluation) scores directly, or CRAB's `_forward`/`_reverse`
//! chat items. The browser's back-translate panel calls the same pipeline, so a row's `seed`
//! (with the same pair and options) reproduces it there byte for byte.
//!
//! The file is processed as a stream: lines are read (with [`crate::jsonl`], as every command
//! reads them) in batches, each batch is processed on `--jobs` threads and written in input
//! order, whole rows at a time, so memory stays bounded however large the input is. A bad line
//! is reported with its number and skipped; the run goes on, and the exit status (1) says that
//! some line failed. The output goes to a temporary file next to it and is renamed into place at
//! the end ([`crate::output`]), so a reader never sees a half-written file; an input that cannot
//! be read, or an output that cannot be written, is fatal (exit status 2, no output). Every row's
//! randomness comes from one seed computed from `--seed` and the row's key, so a row's output
//! does not depend on the other rows, the batch size or the number of threads; that is also why
//! `--shard K/N` ([`crate::shard`]) can split a run across machines and the shards' outputs, put
//! end to end, are the unsharded output.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::backtranslate::{
    backtranslate, check_exclusions, row_seed, ComposeOptions, Connector, Template,
};
use crab_constraints::text::lang::LanguageDetector;
use serde_json::{json, Value};

use crate::jsonl::{self, Lines};
use crate::output::{RowWriter, Staged};
use crate::parallel::par_map;
use crate::progress::Progress;
use crate::shard::{self, Shard, Tap};

mod llm;

const USAGE: &str = "\
crab backtranslate — complex instructions from (instruction, response) pairs, correct by
construction (CRAB's constraint back-translation, with rule-derived constraints)

USAGE:
    crab backtranslate --input FILE --output FILE [--seed N] [--min N] [--max N]
                       [--ifeval-only] [--exclude ID,...] [--connector NAME]
                       [--template NAME] [--weight ID=W ...] [--format rows|crab] [--jobs N]
                       [--shard K/N]
                       [--base-url URL --model M [--api-key-env VAR] [--concurrency N]
                        [--check] [--temperature T] [--top-p P] [--retries N] [--timeout S]]

OPTIONS:
    --input FILE       JSONL rows: {instruction | prompt, response} or {messages: [...]}
                       (role/content with user/assistant, or ShareGPT from/value with
                       human/gpt: the first user turn is the instruction, the first
                       assistant turn the response); optional `key` (else `id`, else the
                       1-based line number)
    --output FILE      where the JSONL result goes (replaced when the run ends)
    --seed N           base seed (default 0); each row's seed (written with it, below 2^53)
                       combines it with the row's key; the playground's back-translate panel
                       given the same pair, options and that seed gives the same row
    --min N, --max N   bounds on the number of constraints combined per prompt
    --ifeval-only      combine only IFEval's own checks (any IFEval tool can score the rows)
    --exclude LIST     leave these checks out of derivation: comma-separated check ids or
                       families (`crab:key_phrases`, `keywords`); repeatable. The playground
                       derives no key phrases, so it matches `--exclude crab:key_phrases`
    --connector NAME   join the constraints as plain, dash, hash, star or numbered
                       (default: random per row)
    --template NAME    appended, also_ensure, labelled, requirements, casual,
                       constraints_first, constraints_then_query or rules_then_task
                       (default: random, by the instruction's length)
    --weight ID=W      priority weight of a check id or family (default 1; 0 leaves it out
                       of combination); repeatable
    --format rows      (default) IFEval rows {key, prompt, instruction_id_list, kwargs} plus
                       `response`, `constraints` (every derived constraint: id, kwargs, text,
                       combined) and `seed`: `crab eval --input-data OUT --responses OUT`
                       scores the file directly
    --format crab      CRAB's training items: `<key>_forward` (composed prompt, response) and
                       `<key>_reverse` (the back-translate-the-constraints task, its answer)
    --jobs N           worker threads (default: the number of cores)
    --shard K/N        process only block K of N (K from 1) of the input rows: the rows cut
                       into N contiguous blocks of nearly equal size. A row's output depends
                       only on the row, its key and the options, so the N outputs put end to
                       end in shard order (`cat out.1 out.2 …`) are the unsharded output,
                       byte for byte. Line numbers (in messages, and as keys) are the file's
    -h, --help         print this help

CRAB'S LLM STEP (with --base-url; without it nothing is sent anywhere):
    --base-url URL     an OpenAI-compatible endpoint (http://localhost:11434/v1, …): each row's
                       pair is also back-translated by the model as CRAB does (a refined
                       instruction, global and local constraints, symbol filter, ROUGE-L
                       de-duplication), as the playground's panel does, decision for decision;
                       the surviving constraints (source `llm`) and the refined instruction are
                       composed with the rule-derived ones, and the row gets `llm` (model,
                       sampling, the run: every constraint's decision, problems, the requests
                       and raw answers)
    --model M          the model name (required with --base-url)
    --api-key-env VAR  read the API key from the environment variable VAR (never from the
                       command line; never printed)
    --concurrency N    requests in flight at most (default 4); --jobs stays the threads of the
                       rule part. The output does not depend on it
    --check            check each constraint with the model, and repair or drop it (CRAB's
                       check-and-repair; one more request per constraint)
    --temperature T, --top-p P
                       sampling (CRAB's defaults: 0.4 and 0.3)
    --retries N        retries of a failed request (default 2; crab-llm's schedule: 1 s, 2 s,
                       … on 429, 5xx, timeouts and no answer; never on other 4xx)
    --timeout S        seconds to wait for an answer's first byte (default 60); a stream
                       silent for 30 s fails
    Resuming: rows are written in input order, whole and flushed, straight into --output, and
    the options that shape them are kept in OUTPUT.resume.json. Rerunning the same command
    after an interruption skips the keys already in OUTPUT (a cut last line is dropped, said
    on standard error, and done again); a rerun with other options is refused (exit 2). A row
    whose requests finally fail is reported (FILE:LINE, key, why) and not written, so the next
    run retries it (after the rows already there); the exit status is then 1. A row with an
    empty response is reported and skipped.

Fields other than those above are ignored. A line that cannot be used (not JSON, no
instruction or response, a field of the wrong type, NaN in a field it reads, …) is skipped
with one message on standard error naming FILE:LINE and the field; the other rows are
written, and the exit status is 1. Exit status 0: every line was used; 2: bad usage, or an
input that cannot be read or an output that cannot be written (nothing is written). How lines
are read (blank lines, CRLF, byte-order mark, NaN): see crab --help. On a terminal, progress is
shown on standard error (one line, rewritten); otherwise only the messages above are.
";

/// The fields of an input row that are read (`key` else `id`, the instruction, the response).
const FIELDS: [&str; 6] = ["key", "id", "instruction", "prompt", "response", "messages"];

/// Rows processed per thread per batch: enough to keep the threads busy, few enough to keep
/// memory small.
const ROWS_PER_JOB: usize = 64;

/// What to write for each row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// IFEval rows with the response, every derived constraint and the seed.
    Rows,
    /// CRAB's `_forward` and `_reverse` chat items.
    Crab,
}

struct Args {
    /// CRAB's LLM step, with `--base-url`.
    llm: Option<llm::LlmArgs>,
    input: PathBuf,
    output: PathBuf,
    seed: u64,
    opts: ComposeOptions,
    exclude: Vec<String>,
    format: Format,
    jobs: usize,
    shard: Option<Shard>,
}

/// Runs `crab backtranslate` with the arguments left in `parser`. Usage errors are returned
/// (exit 2); everything else is reported here (exit 1 if a line failed, 2 if the run did).
pub(crate) fn run(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    let Some(args) = parse_args(parser)? else {
        io::stdout().write_all(USAGE.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let result = match &args.llm {
        Some(llm) => llm::run_file(&args, llm),
        None => run_file(&args),
    };
    match result {
        Ok(summary) => {
            let mut stdout = io::stdout().lock();
            writeln!(stdout, "{}", summary.describe(&args.output, args.shard))?;
            stdout.flush()?;
            Ok(ExitCode::from(u8::from(summary.failed > 0)))
        }
        Err(err) => {
            let _ = writeln!(io::stderr(), "crab backtranslate: {err:#}");
            Ok(ExitCode::from(2))
        }
    }
}

fn parse_args(parser: &mut lexopt::Parser) -> Result<Option<Args>> {
    use lexopt::prelude::*;

    let (mut input, mut output) = (None, None);
    let mut seed = 0u64;
    let mut opts = ComposeOptions::default();
    let mut format = Format::Rows;
    let mut exclude = Vec::new();
    let mut jobs = None;
    let mut shard = None;
    let mut llm = llm::LlmFlags::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Long(
                name @ ("base-url" | "model" | "api-key-env" | "concurrency" | "check"
                | "temperature" | "top-p" | "retries" | "timeout"),
            ) => {
                let name = name.to_owned();
                llm.parse(&name, parser)?;
            }
            Short('i') | Long("input") => input = Some(parser.value()?),
            Short('o') | Long("output") => output = Some(parser.value()?),
            Long("seed") => seed = parser.value()?.parse()?,
            Long("min") => opts.min = Some(parser.value()?.parse()?),
            Long("max") => opts.max = Some(parser.value()?.parse()?),
            Long("ifeval-only" | "ifeval_only") => opts.ifeval_only = true,
            Long("exclude") => {
                let value = parser.value()?.string()?;
                exclude.extend(
                    value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
                );
            }
            Long("connector") => {
                let value = parser.value()?.string()?;
                opts.connector = Some(Connector::parse(&value).ok_or_else(|| {
                    anyhow!(
                        "--connector must be one of {}, not '{value}'",
                        names(Connector::ALL.map(Connector::as_str))
                    )
                })?);
            }
            Long("template") => {
                let value = parser.value()?.string()?;
                opts.template = Some(Template::parse(&value).ok_or_else(|| {
                    anyhow!(
                        "--template must be one of {}, not '{value}'",
                        names(Template::ALL.map(Template::as_str))
                    )
                })?);
            }
            Long("weight") => {
                let value = parser.value()?.string()?;
                let (name, weight) = value
                    .split_once('=')
                    .ok_or_else(|| anyhow!("--weight takes ID=W, not '{value}'"))?;
                let weight: f64 = weight
                    .trim()
                    .parse()
                    .ok()
                    .filter(|w: &f64| w.is_finite() && *w >= 0.0)
                    .ok_or_else(|| {
                        anyhow!("--weight {name}: the weight must be a number >= 0, not '{weight}'")
                    })?;
                let name = name.trim().to_owned();
                check_exclusions(std::slice::from_ref(&name))
                    .map_err(|e| anyhow!("--weight: {e}"))?;
                opts.weights.insert(name, weight);
            }
            Long("format") => {
                let value = parser.value()?;
                format = match value.to_str() {
                    Some("rows") => Format::Rows,
                    Some("crab") => Format::Crab,
                    _ => bail!(
                        "--format must be `rows` or `crab`, not '{}'",
                        value.to_string_lossy()
                    ),
                };
            }
            Short('j') | Long("jobs") => {
                let n: usize = parser.value()?.parse()?;
                if n == 0 {
                    bail!("--jobs must be at least 1");
                }
                jobs = Some(n);
            }
            Long("shard") => shard = Some(Shard::parse(&parser.value()?.string()?)?),
            Short('h') | Long("help") => return Ok(None),
            other => return Err(other.unexpected().into()),
        }
    }
    if let (Some(min), Some(max)) = (opts.min, opts.max) {
        if min > max {
            bail!("--min ({min}) is greater than --max ({max})");
        }
    }
    if opts.max == Some(0) {
        bail!("--max must be at least 1");
    }
    check_exclusions(&exclude).map_err(|e| anyhow!("--exclude: {e}"))?;
    let required = |v: Option<OsString>, flag: &str| {
        v.map(PathBuf::from)
            .ok_or_else(|| anyhow!("backtranslate needs {flag} (see crab backtranslate --help)"))
    };
    Ok(Some(Args {
        llm: llm.finish()?,
        input: required(input, "--input FILE")?,
        output: required(output, "--output FILE")?,
        seed,
        opts,
        exclude,
        format,
        jobs: jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        shard,
    }))
}

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Summary {
    rows: usize,
    failed: usize,
    derived: usize,
    combined: usize,
    lines_written: usize,
    /// Rows found done in the output file and not processed again (`--base-url` runs).
    resumed: usize,
    /// Constraints the model's answers added (`--base-url` runs).
    from_model: Option<usize>,
}

impl Summary {
    fn describe(&self, output: &Path, shard: Option<Shard>) -> String {
        let per_row = |n: usize| if self.rows == 0 { 0.0 } else { n as f64 / self.rows as f64 };
        let shard = shard.map(|s| format!("shard {s}: ")).unwrap_or_default();
        let mut s = format!(
            "crab backtranslate: {shard}{} row(s) → {} line(s) in {}; {} constraints derived \
             ({:.2} per row), {} combined ({:.2} per row)",
            self.rows,
            self.lines_written,
            output.display(),
            self.derived,
            per_row(self.derived),
            self.combined,
            per_row(self.combined),
        );
        if let Some(n) = self.from_model {
            s.push_str(&format!("; {n} from the model"));
        }
        if self.resumed > 0 {
            s.push_str(&format!("; {} row(s) already in the output were kept", self.resumed));
        }
        if self.failed > 0 {
            s.push_str(&format!("; {} line(s) failed", self.failed));
        }
        s
    }
}

/// One row's output: the lines to write and the counts.
struct RowOutput {
    lines: Vec<String>,
    derived: usize,
    combined: usize,
}

/// Streams the input (or the block of it that `--shard` selects) through derivation and
/// composition into the output file.
fn run_file(args: &Args) -> Result<Summary> {
    let shown = args.input.display();
    let rows = match args.shard {
        Some(shard) => shard.range(shard::count_rows(&args.input)?.0),
        None => 0..usize::MAX,
    };
    let file = File::open(&args.input).with_context(|| format!("cannot read {shown}"))?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    let mut lines = Lines::new(BufReader::new(Tap::new(file, false)));

    let mut staged = Staged::create(&args.output)?;
    let tmp = staged.tmp_path().display().to_string();
    let mut writer = RowWriter::new(staged.file());
    let summary = stream(args, &mut lines, rows, size, &mut writer)?;
    writer.flush().with_context(|| format!("cannot write {tmp}"))?;
    staged.commit()?;
    Ok(summary)
}

fn stream<R: Read>(
    args: &Args,
    lines: &mut Lines<BufReader<Tap<R>>>,
    rows: Range<usize>,
    size: Option<u64>,
    writer: &mut RowWriter<impl Write>,
) -> Result<Summary> {
    let shown = args.input.display();
    let batch_size = ROWS_PER_JOB * args.jobs.max(1);
    let mut summary = Summary::default();
    let mut progress = Progress::new("crab backtranslate", "written");
    // The index of the next row (non-blank line) of the file.
    let mut next = 0;
    loop {
        // Read one batch of non-blank lines of the block with their numbers.
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(batch_size);
        let mut eof = false;
        while batch.len() < batch_size {
            let line = match next < rows.end {
                true => lines.next_line().with_context(|| format!("cannot read {shown}"))?,
                false => None,
            };
            let Some((n, line)) = line else {
                eof = true;
                break;
            };
            if next >= rows.start {
                batch.push((n, line.to_vec()));
            }
            next += 1;
        }

        let results = par_map(&batch, args.jobs, |(n, line)| process_line(*n, line, args));
        for ((n, _), result) in batch.iter().zip(results) {
            match result {
                Ok(row) => {
                    summary.rows += 1;
                    summary.derived += row.derived;
                    summary.combined += row.combined;
                    summary.lines_written += row.lines.len();
                    writer
                        .write_row(&row.lines)
                        .with_context(|| format!("cannot write {}", args.output.display()))?;
                }
                Err(e) => {
                    summary.failed += 1;
                    progress.clear();
                    writeln!(io::stderr(), "crab backtranslate: {shown}:{n}: {e}")?;
                }
            }
        }
        let done = match args.shard {
            Some(_) => next.saturating_sub(rows.start) as f64 / rows.len().max(1) as f64,
            None => size.map_or(f64::NAN, |size| {
                lines.reader().get_ref().bytes_read() as f64 / size.max(1) as f64
            }),
        };
        progress.tick(summary.rows, summary.failed, Some(done));
        if eof {
            break;
        }
    }
    progress.clear();
    Ok(summary)
}

/// One input row, read.
#[derive(Debug, PartialEq)]
struct Pair {
    key: Value,
    instruction: String,
    response: String,
}

/// Reads one line into a pair; `line_no` is the key when the row has none.
fn parse_pair(line_no: usize, line: &[u8]) -> Result<Pair, String> {
    let row = jsonl::parse(line)?;
    row.refuse_python_numbers(&FIELDS)?;
    let Value::Object(map) = row.value else {
        return Err(format!("expected a JSON object, got {}", kind(&row.value)));
    };
    let key = match map.get("key").or_else(|| map.get("id")) {
        None | Some(Value::Null) => json!(line_no),
        Some(k @ (Value::Number(_) | Value::String(_))) => k.clone(),
        Some(other) => {
            return Err(format!("`key` must be a number or a string, got {}", kind(other)))
        }
    };
    let string = |field: &str| -> Result<Option<String>, String> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("field `{field}` must be a string, got {}", kind(other))),
        }
    };
    if let Some(messages) = map.get("messages") {
        let Value::Array(messages) = messages else {
            return Err(format!("field `messages` must be a list, got {}", kind(messages)));
        };
        let (instruction, response) = from_messages(messages)?;
        return Ok(Pair { key, instruction, response });
    }
    let instruction = match string("instruction")? {
        Some(s) => s,
        None => string("prompt")?.ok_or_else(|| {
            "no instruction: expected `instruction`, `prompt` or `messages`".to_owned()
        })?,
    };
    let response = string("response")?.ok_or_else(|| "no `response` field".to_owned())?;
    Ok(Pair { key, instruction, response })
}

/// The first user and the first assistant turn of a chat, in either the `role`/`content` form
/// or ShareGPT's `from`/`value` form.
fn from_messages(messages: &[Value]) -> Result<(String, String), String> {
    let (mut user, mut assistant) = (None, None);
    for (i, m) in messages.iter().enumerate() {
        let Value::Object(m) = m else {
            return Err(format!("`messages` item {i} must be an object, got {}", kind(m)));
        };
        let role = m.get("role").or_else(|| m.get("from")).and_then(Value::as_str);
        let content = m.get("content").or_else(|| m.get("value"));
        let slot = match role {
            Some("user" | "human") => &mut user,
            Some("assistant" | "gpt" | "chatgpt" | "bot" | "model") => &mut assistant,
            Some(_) => continue,
            None => return Err(format!("`messages` item {i} has no `role` (or `from`)")),
        };
        if slot.is_some() {
            continue;
        }
        match content {
            Some(Value::String(s)) => *slot = Some(s.clone()),
            _ => return Err(format!("`messages` item {i} has no string `content` (or `value`)")),
        }
    }
    match (user, assistant) {
        (Some(u), Some(a)) => Ok((u, a)),
        (None, _) => Err("`messages` has no user (or human) turn".to_owned()),
        (_, None) => Err("`messages` has no assistant (or gpt) turn".to_owned()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn process_line(line_no: usize, line: &[u8], args: &Args) -> Result<RowOutput, String> {
    let pair = parse_pair(line_no, line)?;
    // The library never panics on data; if it does anyway, that is a bug to report for this
    // line, not a reason to lose the rest of the file.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process_pair(&pair, args)))
        .map_err(|_| "internal error (a bug in crab): processing this row panicked".to_owned())
}

/// Back-translates one pair with the library's pipeline and formats its lines.
fn process_pair(pair: &Pair, args: &Args) -> RowOutput {
    let seed = row_seed(args.seed, &pair.key);
    let detector = LanguageDetector::builtin();
    let bt = backtranslate(
        &pair.instruction,
        &pair.response,
        seed,
        Some(detector),
        &args.opts,
        &args.exclude,
    );
    let lines = match args.format {
        Format::Rows => vec![bt.rows_item(pair.key.clone(), &pair.response).to_string()],
        Format::Crab => bt
            .crab_items(&pair.key, &pair.instruction, &pair.response)
            .iter()
            .map(Value::to_string)
            .collect(),
    };
    RowOutput { lines, derived: bt.items.len(), combined: bt.composition.requirements.len() }
}

/// `a`, `b` or `c` from a list of names.
fn names<const N: usize>(list: [&str; N]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(line: &str) -> Result<Pair, String> {
        parse_pair(9, line.as_bytes())
    }

    #[test]
    fn reads_every_input_shape() {
        let p = pair(r#"{"instruction": "I", "prompt": "P", "response": "R"}"#).unwrap();
        assert_eq!(p, Pair { key: json!(9), instruction: "I".into(), response: "R".into() });
        let p = pair(r#"{"key": "a", "prompt": "P", "response": "R"}"#).unwrap();
        assert_eq!((p.key, p.instruction.as_str()), (json!("a"), "P"));
        let p = pair(
            r#"{"id": 3, "messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}, {"role": "assistant", "content": "A"}, {"role": "user", "content": "U2"}]}"#,
        )
        .unwrap();
        assert_eq!(p, Pair { key: json!(3), instruction: "U".into(), response: "A".into() });
        let p = pair(
            r#"{"messages": [{"from": "human", "value": "H"}, {"from": "gpt", "value": "G"}]}"#,
        )
        .unwrap();
        assert_eq!(p, Pair { key: json!(9), instruction: "H".into(), response: "G".into() });
    }

    #[test]
    fn bad_rows_say_why() {
        let err = |line: &str| pair(line).unwrap_err();
        assert!(err("{").contains("not valid JSON"));
        assert!(err("[1]").contains("expected a JSON object, got a list"));
        assert!(err(r#"{"response": "R"}"#).contains("no instruction"));
        assert!(err(r#"{"prompt": "P"}"#).contains("no `response`"));
        assert!(err(r#"{"prompt": 1, "response": "R"}"#).contains("`prompt` must be a string"));
        assert!(err(r#"{"key": [], "prompt": "P", "response": "R"}"#).contains("`key`"));
        assert!(err(r#"{"messages": [{"role": "user", "content": "U"}]}"#).contains("assistant"));
        assert!(err(r#"{"messages": {}}"#).contains("must be a list"));
        assert!(parse_pair(1, b"{\"prompt\": \"\xff\"}").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn option_names_are_listed() {
        assert_eq!(names(["a"]), "`a`");
        assert_eq!(names(["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
