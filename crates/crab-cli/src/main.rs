//! `crab`: the command-line front end of CRAB Playground.
//!
//! This is the only crate that touches files. It parses arguments, reads input, calls
//! `crab-constraints`, and writes results; every decision about text lives in the library.
//! Every command follows the same rules for input files ([`jsonl`]), output files ([`output`])
//! and exit status (0 all rows used, 1 some rows skipped, 2 usage error or fatal input, nothing
//! written), stated in [`USAGE`].

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

mod backtranslate;
mod eval;
mod http;
mod jsonl;
mod output;
mod parallel;
mod pos_tagger;
mod progress;
mod shard;

const USAGE: &str = "\
crab — verify and back-translate complex-instruction constraints

USAGE:
    crab words [FILE]     print the IFEval word count of FILE (or standard input)
    crab lang-profiles OUT
                          write the language-detection profiles to OUT (the web app's
                          public/lang-profiles.bin: langdetect 1.0.9's 55 profiles, compact)
    crab pos-tagger [--nltk-data DIR] OUT
                          write NLTK's part-of-speech tagger model, read from DIR (default
                          $NLTK_DATA), to OUT (the web app's public/pos-tagger.bin, compact)
    crab eval --input-data FILE --responses FILE|- --output-dir DIR [--strip-think]
              [--format jsonl|csv] [--compare OTHER_DIR] [--shard K/N]
    crab eval --merge DIR... --output-dir DIR [--format jsonl|csv] [--compare OTHER_DIR]
                          IFEval evaluation, as Google's evaluation_main (see crab eval --help);
                          a CSV of verdicts, a comparison with an earlier run, large runs split
                          into shards (on several machines) and merged
    crab backtranslate --input FILE --output FILE [--seed N] [--min N --max N]
                       [--ifeval-only] [--format rows|crab] [--shard K/N]
                       [--base-url URL --model M [--concurrency N] [--check]]
                          complex instructions from (instruction, response) pairs, with
                          constraints the response satisfies, and with --base-url CRAB's
                          LLM step from a model (see crab backtranslate --help)
    crab --help           print this help
    crab --version        print the version

INPUT FILES (eval, backtranslate):
    JSONL, UTF-8, one JSON object per line. Lines end at \\n, \\r\\n or \\r, and are numbered
    from 1. Blank lines are skipped. A UTF-8 byte-order mark at the start of a file is skipped;
    a UTF-16 file is refused. If an object has a key twice, the last value counts (as in
    Python). NaN, Infinity and numbers too large for a double (which Python's json.loads
    reads) refuse the row, naming the field, if they are in a field the command uses (in
    kwargs, Google's checks would silently compare counts against them); in a field it
    ignores, they are ignored. Whole numbers in kwargs must lie within -2^63..2^63-1.
    Details: docs/cli.md.

EXIT STATUS (every command):
    0   success: every row was used
    1   some rows were bad: each was skipped with one message on standard error naming
        FILE:LINE and the field; the other rows were written
    2   bad usage, or an input that cannot be read or used at all, or an output that cannot
        be written: no output file is written

    Outputs are written under a temporary name next to them and renamed into place at the
    end, so they appear whole or not at all, made of whole rows (never a torn line).

STANDARD ERROR:
    Only the messages above, one line each, unless standard error is a terminal: then a long
    run also shows its progress there, on one line that is rewritten and erased at the end.

LARGE RUNS:
    eval and backtranslate read their input as a stream (eval keeps the responses in memory,
    by prompt, as Google's code does). --shard K/N splits a run into N pieces, for several
    processes or machines; crab eval --merge puts eval's shards back together, and
    backtranslate's shard outputs put end to end are the whole output. docs/cli.md shows how
    to run the shards with GNU parallel over ssh, or as a Ray or Spark map.
";

/// mimalloc rather than glibc's allocator: a `crab eval` run allocates and frees a great many
/// small strings on two threads, and glibc grows the second thread's arena a few pages at a
/// time (278 `mprotect` calls in a run on IFEval's 541 GPT-4 rows). With mimalloc the run takes
/// 21 ms of CPU instead of 25. Its transparent huge pages are off (`no_thp`): right after a large
/// process (as the Python reference in the benchmark) the kernel's 2 MB pages cost more than
/// they save. (BENCHMARKS.md, "`crab eval` vs the Python reference".)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`crab … | head`) is not an error worth reporting.
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "crab: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_env();
    let Some(arg) = parser.next()? else {
        io::stderr().write_all(USAGE.as_bytes())?;
        return Ok(ExitCode::from(2));
    };
    match arg {
        Short('h') | Long("help") => {
            io::stdout().write_all(USAGE.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Short('V') | Long("version") => {
            writeln!(io::stdout(), "crab {}", env!("CARGO_PKG_VERSION"))?;
            Ok(ExitCode::SUCCESS)
        }
        Value(cmd) if cmd == "words" => {
            let mut path = None;
            while let Some(arg) = parser.next()? {
                match arg {
                    Value(v) if path.is_none() => path = Some(v),
                    other => return Err(other.unexpected().into()),
                }
            }
            let text = match path {
                Some(p) if p != "-" => std::fs::read_to_string(&p)
                    .with_context(|| format!("cannot read {}", p.to_string_lossy()))?,
                _ => {
                    let mut s = String::new();
                    io::stdin().read_to_string(&mut s).context("cannot read standard input")?;
                    s
                }
            };
            writeln!(io::stdout(), "{}", crab_constraints::text::count_words(&text))?;
            Ok(ExitCode::SUCCESS)
        }
        Value(cmd) if cmd == "lang-profiles" => {
            let mut out = None;
            while let Some(arg) = parser.next()? {
                match arg {
                    Value(v) if out.is_none() => out = Some(v),
                    other => return Err(other.unexpected().into()),
                }
            }
            let Some(out) = out else {
                bail!("missing output file (usage: crab lang-profiles OUT)");
            };
            let bytes = crab_constraints::text::lang::LanguageDetector::builtin_compact_bytes();
            let mut staged = output::Staged::create(Path::new(&out))?;
            staged
                .file()
                .write_all(bytes)
                .with_context(|| format!("cannot write {}", out.to_string_lossy()))?;
            staged.commit()?;
            writeln!(io::stdout(), "wrote {} bytes to {}", bytes.len(), out.to_string_lossy())?;
            Ok(ExitCode::SUCCESS)
        }
        Value(cmd) if cmd == "pos-tagger" => pos_tagger::run(&mut parser),
        Value(cmd) if cmd == "eval" => eval::run(&mut parser),
        Value(cmd) if cmd == "backtranslate" => backtranslate::run(&mut parser),
        Value(cmd) => bail!("unknown command '{}' (see crab --help)", cmd.to_string_lossy()),
        other => Err(other.unexpected().into()),
    }
}
