//! `crab backtranslate --base-url`: CRAB's LLM back-translation (`crab-method.md` §1.2–§1.6) of
//! every row, composed with the rule-derived constraints, resumable.
//!
//! The steps and every decision are `crab_llm::crab::Run`'s, driven exactly as the browser's
//! panel drives it (`src/llm/backtranslate.rs`): the three first calls accepted in the order
//! refine, global, local; then, with `--check`, one check per surviving constraint accepted in
//! index order; then `finish`; and the result joins the composition through [`Run::extra`] and
//! the library's `Derivation::compose_with`. The only differences are in IO: the CLI sends a
//! row's requests at once (the browser one after another) and many rows at a time, bounded by
//! `--concurrency` requests in flight ([`Pool`]); the answers are still accepted in the
//! browser's order, so the same answers give the same decisions, whatever the concurrency.
//!
//! Resuming. The output is written in place, in input order, one row per `write` (all its
//! lines), flushed: a run that is killed leaves whole rows, and at worst one cut line. A rerun
//! of the same command reads the output, drops a cut last line (or a CRAB `_forward` item whose
//! `_reverse` item is missing) and says so, skips every key already there, and appends the rest.
//! The options that shape the rows are kept next to the output in `OUT.resume.json`; a rerun
//! with other options is refused (exit 2), naming them, rather than mixing two runs in one
//! file. A row whose model calls finally fail (after `crab-llm`'s retries) is reported with its
//! line and key and not written, so the next run retries it (it is then written after the rows
//! already there).

use std::collections::{HashSet, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::backtranslate::{derive, key_text, row_seed};
use crab_constraints::text::lang::LanguageDetector;
use crab_llm::crab::{self, Run};
use crab_llm::prompt::Message;
use crab_llm::request::{self, Secrets, Settings};
use serde_json::{json, Map, Value};

use super::{parse_pair, Args, Format, Pair, Summary};
use crate::http::{redact, Client};
use crate::jsonl::Lines;
use crate::progress::Progress;
use crate::shard::{self, Tap};

/// The LLM flags as given.
#[derive(Debug, Default)]
pub(super) struct LlmFlags {
    base_url: Option<String>,
    model: Option<String>,
    api_key_env: Option<String>,
    concurrency: Option<usize>,
    check: bool,
    temperature: Option<f64>,
    top_p: Option<f64>,
    retries: Option<u32>,
    timeout: Option<f64>,
    /// The first LLM flag seen, for "needs --base-url".
    seen: Option<&'static str>,
}

/// The LLM step's settings, checked.
#[derive(Debug)]
pub(crate) struct LlmArgs {
    /// The endpoint with CRAB's sampling ([`crab::call_settings`]).
    settings: Settings,
    secrets: Secrets,
    /// Check and repair each constraint with the model.
    check: bool,
    /// Requests in flight at most.
    concurrency: usize,
}

impl LlmFlags {
    /// Takes the LLM flag `--name` (and its value); false if it is not one.
    pub(super) fn parse(&mut self, name: &str, parser: &mut lexopt::Parser) -> Result<bool> {
        use lexopt::ValueExt;
        let flag: &'static str = match name {
            "base-url" => {
                self.base_url = Some(parser.value()?.string()?);
                return Ok(true);
            }
            "model" => {
                self.model = Some(parser.value()?.string()?);
                "--model"
            }
            "api-key-env" => {
                self.api_key_env = Some(parser.value()?.string()?);
                "--api-key-env"
            }
            "concurrency" => {
                let n: usize = parser.value()?.parse()?;
                if n == 0 {
                    bail!("--concurrency must be at least 1");
                }
                self.concurrency = Some(n);
                "--concurrency"
            }
            "check" => {
                self.check = true;
                "--check"
            }
            "temperature" => {
                self.temperature = Some(parser.value()?.parse()?);
                "--temperature"
            }
            "top-p" => {
                self.top_p = Some(parser.value()?.parse()?);
                "--top-p"
            }
            "retries" => {
                self.retries = Some(parser.value()?.parse()?);
                "--retries"
            }
            "timeout" => {
                let secs: f64 = parser.value()?.parse()?;
                if !(secs.is_finite() && secs >= 0.0) {
                    bail!("--timeout must be a number of seconds >= 0");
                }
                self.timeout = Some(secs);
                "--timeout"
            }
            _ => return Ok(false),
        };
        self.seen.get_or_insert(flag);
        Ok(true)
    }

    /// The checked settings, or `None` without `--base-url`.
    pub(super) fn finish(self) -> Result<Option<LlmArgs>> {
        let Some(base_url) = self.base_url else {
            if let Some(flag) = self.seen {
                bail!("{flag} needs --base-url (the model's endpoint)");
            }
            return Ok(None);
        };
        let model = self.model.ok_or_else(|| anyhow!("--base-url needs --model NAME"))?;
        let api_key = match &self.api_key_env {
            None => String::new(),
            Some(var) => match std::env::var(var) {
                Ok(key) if !key.trim().is_empty() => key.trim().to_owned(),
                Ok(_) => bail!("--api-key-env {var}: the variable is empty"),
                Err(std::env::VarError::NotPresent) => {
                    bail!("--api-key-env {var}: the variable is not set")
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    bail!("--api-key-env {var}: the variable is not valid UTF-8")
                }
            },
        };
        let mut endpoint = Settings { base_url, model, ..Settings::default() };
        if let Some(r) = self.retries {
            endpoint.retries = r;
        }
        if let Some(secs) = self.timeout {
            endpoint.first_byte_timeout_ms = (secs * 1000.0).round() as u64;
        }
        let settings = crab::call_settings(
            &endpoint,
            self.temperature.unwrap_or(crab::TEMPERATURE),
            self.top_p.unwrap_or(crab::TOP_P),
        );
        let problems = request::problems(&settings);
        if !problems.is_empty() {
            bail!("cannot ask the model: {}", problems.join(" "));
        }
        Ok(Some(LlmArgs {
            settings,
            secrets: Secrets { api_key, headers: Vec::new() },
            check: self.check,
            concurrency: self.concurrency.unwrap_or(4),
        }))
    }
}

/// The options that shape the rows, as kept in `OUT.resume.json` (not the concurrency, the
/// threads, the retries or the timeout, which change how fast rows come, not what they are;
/// never the key).
fn run_options(args: &Args, llm: &LlmArgs) -> Value {
    let opts = &args.opts;
    let weights: Map<String, Value> =
        opts.weights.iter().map(|(k, w)| (k.clone(), json!(w))).collect();
    json!({
        "base_url": llm.settings.base_url.trim(),
        "model": llm.settings.model.trim(),
        "check": llm.check,
        "temperature": llm.settings.temperature,
        "top_p": llm.settings.top_p,
        "seed": args.seed,
        "min": opts.min,
        "max": opts.max,
        "ifeval_only": opts.ifeval_only,
        "exclude": args.exclude,
        "connector": opts.connector.map(|c| c.as_str()),
        "template": opts.template.map(|t| t.as_str()),
        "weights": weights,
        "format": match args.format { Format::Rows => "rows", Format::Crab => "crab" },
        "shard": args.shard.map(|s| s.to_string()),
    })
}

/// `OUT.resume.json`.
fn resume_path(output: &Path) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!("{name}.resume.json"))
}

/// What an existing output holds.
#[derive(Debug, Default, PartialEq)]
struct Scan {
    /// Bytes of whole rows from the start.
    valid: usize,
    /// The keys (as text) of the rows there.
    keys: Vec<String>,
    /// What was dropped from the end, if anything.
    dropped: Option<String>,
}

/// Reads an output this command wrote: its whole rows, and what follows them.
fn scan(bytes: &[u8], format: Format) -> Result<Scan, String> {
    let mut scan = Scan::default();
    // A CRAB `_forward` item whose `_reverse` item must follow: (key, where the row starts).
    let mut pending: Option<(String, usize)> = None;
    let mut at = 0;
    let mut line_no = 0;
    while at < bytes.len() {
        let rest = bytes.get(at..).unwrap_or(&[]);
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            scan.dropped = Some(format!("its last line (line {}) was cut", line_no + 1));
            break;
        };
        line_no += 1;
        let line = rest.get(..end).unwrap_or(&[]);
        let next = at + end + 1;
        let value: Value = serde_json::from_slice(line)
            .map_err(|_| format!("line {line_no} is not a row this command wrote (not JSON)"))?;
        match format {
            Format::Rows => {
                let key =
                    value.get("key").filter(|_| value.get("llm").is_some()).ok_or_else(|| {
                        format!("line {line_no} is not a row of `--format rows` with --base-url")
                    })?;
                scan.keys.push(key_text(key));
                scan.valid = next;
            }
            Format::Crab => {
                let id = value.get("id").and_then(Value::as_str).unwrap_or_default();
                if let Some(key) = id.strip_suffix("_forward").filter(|_| pending.is_none()) {
                    if value.get("Num_Cons").and_then(Value::as_u64).unwrap_or(0) > 0 {
                        pending = Some((key.to_owned(), at));
                    } else {
                        scan.keys.push(key.to_owned());
                        scan.valid = next;
                    }
                } else if let Some(key) = id.strip_suffix("_reverse") {
                    match pending.take() {
                        Some((k, _)) if k == key => {
                            scan.keys.push(k);
                            scan.valid = next;
                        }
                        _ => {
                            return Err(format!(
                                "line {line_no} is a `_reverse` item without its `_forward` item"
                            ))
                        }
                    }
                } else {
                    return Err(format!(
                        "line {line_no} is not an item of `--format crab` (id `{id}`)"
                    ));
                }
            }
        }
        at = next;
    }
    if let Some((key, start)) = pending {
        scan.valid = start;
        scan.dropped = Some(format!(
            "the row of key {key} had its `_forward` item but not its `_reverse` item"
        ));
    }
    Ok(scan)
}

/// Opens the output for appending, after checking it was written by the same command: the keys
/// already done, and how many.
fn open_output(args: &Args, options: &Value) -> Result<(File, HashSet<String>)> {
    let output = &args.output;
    let shown = output.display();
    let sidecar = resume_path(output);
    let existing = match std::fs::read(output) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    };
    let mut done = HashSet::new();
    if existing.is_empty() {
        let text = serde_json::to_string_pretty(
            &json!({"command": "crab backtranslate --base-url", "options": options}),
        )?;
        std::fs::write(&sidecar, format!("{text}\n"))
            .with_context(|| format!("cannot write {}", sidecar.display()))?;
    } else {
        let kept: Value = match std::fs::read(&sidecar) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("{} is damaged", sidecar.display()))?,
            Err(_) => bail!(
                "{shown} exists but is not the output of a `--base-url` run (there is no {}): \
                 remove it, or choose another --output",
                sidecar.display()
            ),
        };
        let before = kept.get("options").cloned().unwrap_or(Value::Null);
        if before != *options {
            let differ: Vec<String> = options
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, v)| before.get(k.as_str()) != Some(v))
                .map(|(k, v)| {
                    let was = before.get(k.as_str()).map_or("(none)".to_owned(), Value::to_string);
                    format!("{k}: {was} in that run, {v} now")
                })
                .collect();
            bail!(
                "{shown} was written with other options ({}); rerun with the same options to \
                 resume it, or choose another --output",
                differ.join("; ")
            );
        }
        let scan =
            scan(&existing, args.format).map_err(|e| anyhow!("cannot resume {shown}: {e}"))?;
        if let Some(dropped) = &scan.dropped {
            writeln!(
                io::stderr(),
                "crab backtranslate: {shown}: {dropped} (the run was interrupted); that row is done again"
            )?;
        }
        done.extend(scan.keys);
        if scan.valid < existing.len() {
            let file = OpenOptions::new().write(true).open(output)?;
            file.set_len(scan.valid as u64).with_context(|| format!("cannot write {shown}"))?;
        }
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(output)
        .with_context(|| format!("cannot write {shown}"))?;
    Ok((file, done))
}

/// A request and where its answer goes.
type Job = (Vec<Message>, mpsc::Sender<Result<String, String>>);

/// Sends requests through a bounded set of threads (the `--concurrency` requests in flight).
struct Pool {
    /// `None` once closed (the request threads then end).
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

impl Pool {
    /// Sends every request at once and returns their answers in the order given.
    fn ask_all(&self, requests: Vec<Vec<Message>>) -> Vec<Result<String, String>> {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let replies: Vec<_> = requests
            .into_iter()
            .map(|messages| {
                let (tx, rx) = mpsc::channel();
                if let Some(jobs) = &jobs {
                    let _ = jobs.send((messages, tx));
                }
                rx
            })
            .collect();
        replies
            .into_iter()
            .map(|rx| rx.recv().unwrap_or_else(|_| Err("the request was not sent".to_owned())))
            .collect()
    }
}

/// At most `n` holders at once (the `--jobs` threads of the rule part).
struct Semaphore {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Semaphore {
    fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        drop(free);
        let out = f();
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.freed.notify_one();
        out
    }
}

/// One pair's LLM step, driven as the browser drives it.
fn drive(pair: &Pair, check: bool, pool: &Pool) -> Run {
    let mut run = Run::new(&pair.instruction, &pair.response);
    let first = run.first_requests();
    let (calls, requests): (Vec<_>, Vec<_>) = first.into_iter().unzip();
    for (call, answer) in calls.into_iter().zip(pool.ask_all(requests)) {
        run.accept(call, answer);
    }
    if check {
        let (indices, requests): (Vec<_>, Vec<_>) = run.check_requests().into_iter().unzip();
        for (index, answer) in indices.into_iter().zip(pool.ask_all(requests)) {
            run.accept_check(index, answer);
        }
    }
    run.finish();
    run
}

/// One row's output.
struct LlmRow {
    lines: Vec<String>,
    derived: usize,
    combined: usize,
    from_model: usize,
}

/// The LLM step of one pair, then the library's derivation composed with it.
fn process(
    pair: &Pair,
    args: &Args,
    llm: &LlmArgs,
    pool: &Pool,
    cpu: &Semaphore,
) -> Result<LlmRow, String> {
    if pair.response.trim().is_empty() {
        return Err(
            "the response is empty: there is nothing for the model to back-translate".to_owned()
        );
    }
    let run = drive(pair, llm.check, pool);
    let failed: Vec<String> = run
        .log
        .iter()
        .filter_map(|e| e.answer.as_ref().err().map(|err| format!("{}: {err}", e.step)))
        .collect();
    if let Some(first) = failed.first() {
        return Err(format!(
            "key {}: {} of the model's answers did not arrive, so the row was not written (a rerun \
             retries it); {first}",
            key_text(&pair.key),
            failed.len()
        ));
    }
    let compose = || {
        let seed = row_seed(args.seed, &pair.key);
        let detector = LanguageDetector::builtin();
        let derivation =
            derive(&pair.instruction, &pair.response, seed, Some(detector), &args.exclude);
        let bt = derivation.compose_with(&pair.instruction, &args.opts, &[], &run.extra());
        let mut export = run.to_json();
        if let Value::Object(map) = &mut export {
            map.remove("instruction");
            map.remove("response");
        }
        let provenance = json!({
            "model": llm.settings.model.trim(),
            "check": llm.check,
            "temperature": llm.settings.temperature,
            "top_p": llm.settings.top_p,
            "refined_used": bt.refined_used,
            "run": export,
        });
        let mut items = match args.format {
            Format::Rows => vec![bt.rows_item(pair.key.clone(), &pair.response)],
            Format::Crab => bt.crab_items(&pair.key, &pair.instruction, &pair.response),
        };
        if let Some(Value::Object(first)) = items.first_mut() {
            first.insert("llm".to_owned(), provenance);
        }
        LlmRow {
            lines: items.iter().map(Value::to_string).collect(),
            derived: bt.items.len(),
            combined: bt.composition.requirements.len(),
            from_model: run.constraints().len(),
        }
    };
    cpu.run(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(compose))
            .map_err(|_| "internal error (a bug in crab): processing this row panicked".to_owned())
    })
}

/// Runs the whole file: the rows not yet in the output, `--concurrency` requests in flight,
/// written in input order as they complete.
pub(super) fn run_file(args: &Args, llm: &LlmArgs) -> Result<Summary> {
    let shown = args.input.display();
    let rows = match args.shard {
        Some(shard) => shard.range(shard::count_rows(&args.input)?.0),
        None => 0..usize::MAX,
    };
    let input = File::open(&args.input).with_context(|| format!("cannot read {shown}"))?;
    let size = input.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    let mut lines = Lines::new(BufReader::new(Tap::new(input, false)));
    let (mut out, done) = open_output(args, &run_options(args, llm))?;
    let out_shown = args.output.display();

    let client = Client::new(llm.settings.clone(), llm.secrets.clone());
    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
    let jobs_rx = Mutex::new(jobs_rx);
    let pool = Pool { jobs: Mutex::new(Some(jobs_tx)) };
    let cpu = Semaphore { free: Mutex::new(args.jobs.max(1)), freed: Condvar::new() };
    let window = llm.concurrency * 2 + 2;
    let mut summary = Summary { from_model: Some(0), ..Summary::default() };
    let mut progress = Progress::new("crab backtranslate", "written");

    std::thread::scope(|s| -> Result<()> {
        for _ in 0..llm.concurrency {
            let (client, jobs_rx) = (&client, &jobs_rx);
            s.spawn(move || loop {
                let job = jobs_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((messages, reply)) = job else { break };
                let _ = reply.send(client.ask(&messages));
            });
        }
        let (pool, cpu) = (&pool, &cpu);
        // However the loop below ends, the request threads must end too.
        struct Close<'p>(&'p Pool);
        impl Drop for Close<'_> {
            fn drop(&mut self) {
                self.0.jobs.lock().unwrap_or_else(|e| e.into_inner()).take();
            }
        }
        let _close = Close(pool);
        let mut in_flight: VecDeque<(usize, std::thread::ScopedJoinHandle<'_, _>)> =
            VecDeque::new();
        let mut write_front = |in_flight: &mut VecDeque<(
            usize,
            std::thread::ScopedJoinHandle<'_, Result<LlmRow, String>>,
        )>,
                               summary: &mut Summary,
                               progress: &mut Progress|
         -> Result<()> {
            let Some((n, handle)) = in_flight.pop_front() else { return Ok(()) };
            let result = handle.join().unwrap_or_else(|_| {
                Err("internal error (a bug in crab): this row's thread panicked".to_owned())
            });
            match result {
                Ok(row) => {
                    let mut bytes = Vec::new();
                    for line in &row.lines {
                        bytes.extend_from_slice(line.as_bytes());
                        bytes.push(b'\n');
                    }
                    out.write_all(&bytes)
                        .and_then(|()| out.flush())
                        .with_context(|| format!("cannot write {out_shown}"))?;
                    summary.rows += 1;
                    summary.derived += row.derived;
                    summary.combined += row.combined;
                    summary.lines_written += row.lines.len();
                    summary.from_model = Some(summary.from_model.unwrap_or(0) + row.from_model);
                }
                Err(e) => {
                    summary.failed += 1;
                    progress.clear();
                    writeln!(
                        io::stderr(),
                        "crab backtranslate: {shown}:{n}: {}",
                        redact(&e, &llm.secrets)
                    )?;
                }
            }
            Ok(())
        };
        let mut next = 0;
        loop {
            let line = match next < rows.end {
                true => lines.next_line().with_context(|| format!("cannot read {shown}"))?,
                false => None,
            };
            let Some((n, line)) = line else { break };
            next += 1;
            if next <= rows.start {
                continue;
            }
            let pair = match parse_pair(n, line) {
                Ok(pair) => pair,
                Err(e) => {
                    summary.failed += 1;
                    progress.clear();
                    writeln!(io::stderr(), "crab backtranslate: {shown}:{n}: {e}")?;
                    continue;
                }
            };
            if done.contains(&key_text(&pair.key)) {
                summary.resumed += 1;
                continue;
            }
            in_flight.push_back((n, s.spawn(move || process(&pair, args, llm, pool, cpu))));
            while in_flight.len() >= window {
                write_front(&mut in_flight, &mut summary, &mut progress)?;
                let fraction = size.map_or(f64::NAN, |size| {
                    lines.reader().get_ref().bytes_read() as f64 / size.max(1) as f64
                });
                progress.tick(summary.rows, summary.failed, Some(fraction));
            }
        }
        while !in_flight.is_empty() {
            write_front(&mut in_flight, &mut summary, &mut progress)?;
            progress.tick(summary.rows, summary.failed, None);
        }
        Ok(())
    })?;
    progress.clear();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanning_rows_and_cut_lines() {
        let rows = b"{\"key\":1,\"llm\":{}}\n{\"key\":\"b\",\"llm\":{}}\n{\"key\":3,\"ll";
        let s = scan(rows, Format::Rows).unwrap();
        assert_eq!(s.keys, ["1", "b"]);
        assert_eq!(s.valid, rows.len() - "{\"key\":3,\"ll".len());
        assert!(s.dropped.unwrap().contains("line 3"));
        assert!(scan(b"{\"key\":1}\n", Format::Rows).is_err(), "a row without the LLM step");
        assert!(scan(b"nope\n", Format::Rows).is_err());
        assert_eq!(scan(b"", Format::Rows).unwrap(), Scan::default());
    }

    #[test]
    fn scanning_crab_items() {
        let items = "{\"id\":\"a_forward\",\"Num_Cons\":2}\n{\"id\":\"a_reverse\"}\n\
                     {\"id\":\"b_forward\",\"Num_Cons\":0}\n{\"id\":\"c_forward\",\"Num_Cons\":1}\n";
        let s = scan(items.as_bytes(), Format::Crab).unwrap();
        assert_eq!(s.keys, ["a", "b"]);
        assert_eq!(&items[s.valid..], "{\"id\":\"c_forward\",\"Num_Cons\":1}\n");
        assert!(s.dropped.unwrap().contains("key c"));
        assert!(scan(b"{\"id\":\"a_reverse\"}\n", Format::Crab).is_err());
    }
}
