//! `--merge DIR...`: the output directories of the N shards of a run, put back together into
//! what one run of the whole input writes, prints and exits with.
//!
//! The shards' blocks are contiguous ([`crate::shard`]), so the merged result files are the
//! shards' files end to end, in shard order, whatever order the directories are given in. Before
//! anything is written, the manifests ([`super::manifest`]) must show N shards of one run: each
//! K from 1 to N once, the same input and responses (by size and fingerprint) and options, and
//! files that are the very ones each shard wrote (by fingerprint). The report is computed from
//! the merged rows (Google's metrics are sums over rows, so it is the one run's report); the
//! messages about bad rows are the shards' own, printed again in input order, then the
//! response file's once; and a merge in which nothing could be scored is fatal as one run would
//! be.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::ifeval::report::RESULT_FILES;
use crab_constraints::ifeval::{Metrics, PromptResults, ResultRow};

use super::manifest::Manifest;
use super::{compare, compare_with, comparison_json, csv, Args, Done, Outputs, Writers};
use crate::jsonl::{self, Lines};
use crate::shard::{Fingerprint, Fnv, Tap};

/// Checks and merges the shards in `dirs` into `args.output_dir`.
pub(super) fn merge(args: &Args, dirs: &[PathBuf]) -> Result<Done> {
    let mut shards: Vec<(&PathBuf, Manifest)> =
        dirs.iter().map(|dir| Ok((dir, Manifest::read(dir)?))).collect::<Result<_>>()?;
    shards.sort_by_key(|(_, m)| m.shard.k());
    check_shards(&shards)?;
    let Some((_, first)) = shards.first() else {
        bail!("--merge needs the output directories of the shards (see crab eval --help)");
    };
    check_output_dir(&args.output_dir, dirs)?;
    if args.csv {
        if let Some((dir, m)) = shards.iter().find(|(_, m)| m.output(csv::FILE).is_none()) {
            bail!(
                "{}: shard {} wrote no {} (run the shards with --format csv to merge one)",
                dir.display(),
                m.shard,
                csv::FILE
            );
        }
    }
    let previous = args.compare.as_deref().map(compare::read_run).transpose()?;

    let mut outputs = Outputs::create(&args.output_dir, args.csv)?;
    let mut writers = Writers::new(&mut outputs, false)?;
    let mut metrics = Metrics::default();
    let (mut scored, mut instructions) = (0, 0);
    let mut results = previous.is_some().then(Vec::new);
    for (dir, m) in &shards {
        let mut keys = m.keys.iter();
        let mut copy = |strict: &str, loose: &str, row: PromptResults| -> Result<()> {
            writers.write(&format!("{strict}\n"), &format!("{loose}\n"), "")?;
            metrics.add(&row.instruction_id_list, &row.strict, &row.loose);
            scored += 1;
            instructions += row.instruction_id_list.len();
            if let Some(results) = &mut results {
                results.push(PromptResults { key: keys.next().cloned(), ..row });
            }
            Ok(())
        };
        let rows = copy_results(dir, m, &mut copy)?;
        if rows != m.scored {
            bail!(
                "{}: the result files hold {rows} rows, but shard {} scored {}",
                dir.display(),
                m.shard,
                m.scored
            );
        }
        if args.csv {
            let body = csv_body(dir, m)?;
            writers.write("", "", &body)?;
        }
    }
    writers.finish()?;

    // The messages of one run: the input's, in line order, then the response file's.
    let mut stderr = io::stderr().lock();
    let problems = shards.iter().flat_map(|(_, m)| &m.input_problems);
    for problem in problems.chain(&first.response_problems) {
        let _ = writeln!(stderr, "crab eval: {problem}");
    }
    drop(stderr);
    let input = &first.input.name;
    if scored == 0 {
        bail!("no row of {input} can be scored");
    }
    if instructions == 0 {
        bail!("{input}: no instructions to score");
    }
    let comparison = compare_with(args, previous.as_deref(), results.as_deref())?;
    if let Some(comparison) = &comparison {
        outputs.add_file(compare::FILE, &comparison_json(args, comparison))?;
    }
    outputs.commit()?;
    let skipped: usize = shards.iter().map(|(_, m)| m.input_problems.len()).sum();
    Ok(Done {
        metrics,
        instructions,
        comparison,
        skipped: skipped + first.response_problems.len(),
        scored,
        input_rows: first.input_rows,
        covered: String::new(),
    })
}

/// The shards, sorted by K, must be the N shards of one run.
fn check_shards(shards: &[(&PathBuf, Manifest)]) -> Result<()> {
    let Some((first_dir, first)) = shards.first() else { return Ok(()) };
    let n = first.shard.n();
    let first_dir = first_dir.display();
    for (dir, m) in shards {
        let dir = dir.display();
        if m.shard.n() != n {
            bail!(
                "{dir} is shard {}, but {first_dir} is shard {}: not the same run",
                m.shard,
                first.shard
            );
        }
        let differs = |what: &str, a: &super::manifest::Source, b: &super::manifest::Source| {
            anyhow!(
                "{dir} (shard {}) and {first_dir} (shard {}) read different {what}: {} ({}) and {} ({})",
                m.shard,
                first.shard,
                a.name,
                describe(a.fingerprint),
                b.name,
                describe(b.fingerprint)
            )
        };
        if m.input.fingerprint != first.input.fingerprint || m.input_rows != first.input_rows {
            return Err(differs("input files", &m.input, &first.input));
        }
        if m.responses.fingerprint != first.responses.fingerprint {
            return Err(differs("response files", &m.responses, &first.responses));
        }
        if m.strip_think != first.strip_think {
            bail!("{dir} and {first_dir} were run with and without --strip-think");
        }
        if m.rows != m.shard.range(m.input_rows) || m.keys.len() != m.scored {
            bail!("{dir}/{}: the rows it lists do not add up (edited?)", super::manifest::FILE);
        }
    }
    for pair in shards.windows(2) {
        if let [(a, ma), (b, mb)] = pair {
            if ma.shard.k() == mb.shard.k() {
                bail!("{} and {} are both shard {}", a.display(), b.display(), ma.shard);
            }
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| !shards.iter().any(|(_, m)| m.shard.k() == *k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard {} missing: --merge needs the output directories of all {n} shards",
            missing.join(", ")
        );
    }
    Ok(())
}

fn describe(f: Fingerprint) -> String {
    format!("{} bytes, FNV-1a {}", f.bytes, f.hex())
}

/// The merge must not write into a shard's directory (it would replace files it reads).
fn check_output_dir(output_dir: &Path, dirs: &[PathBuf]) -> Result<()> {
    let Ok(out) = output_dir.canonicalize() else { return Ok(()) };
    for dir in dirs {
        if dir.canonicalize().is_ok_and(|d| d == out) {
            bail!(
                "--output-dir {} is one of the shards' directories: merge into another",
                output_dir.display()
            );
        }
    }
    Ok(())
}

/// Reads a shard's two result files in step, checking each line and that the files are the
/// ones it wrote, and hands each row to `copy`; returns the number of rows.
fn copy_results(
    dir: &Path,
    m: &Manifest,
    copy: &mut impl FnMut(&str, &str, PromptResults) -> Result<()>,
) -> Result<usize> {
    let [strict_path, loose_path] = RESULT_FILES.map(|name| dir.join(name));
    let open = |path: &Path| -> Result<Lines<BufReader<Tap<File>>>> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Lines::new(BufReader::new(Tap::new(file, true))))
    };
    let (mut strict, mut loose) = (open(&strict_path)?, open(&loose_path)?);
    let mut rows = 0;
    loop {
        let s =
            strict.next_line().with_context(|| format!("cannot read {}", strict_path.display()))?;
        let l =
            loose.next_line().with_context(|| format!("cannot read {}", loose_path.display()))?;
        let ((ns, s), (nl, l)) = match (s, l) {
            (Some(s), Some(l)) => (s, l),
            (None, None) => break,
            _ => bail!(
                "{} and {} hold different numbers of rows",
                strict_path.display(),
                loose_path.display()
            ),
        };
        let read = |line: &[u8], n: usize, path: &Path| -> Result<(String, ResultRow)> {
            let text = std::str::from_utf8(line)
                .map_err(|_| anyhow!("{}:{n}: not valid UTF-8", path.display()))?;
            let row = jsonl::parse(line)
                .and_then(|row| ResultRow::from_json(row.value).map_err(|e| e.to_string()))
                .map_err(|e| anyhow!("{}:{n}: {e}", path.display()))?;
            Ok((text.to_owned(), row))
        };
        let (s_text, s_row) = read(s, ns, &strict_path)?;
        let (l_text, l_row) = read(l, nl, &loose_path)?;
        let row = PromptResults::from_result_rows(rows, s_row, l_row)
            .map_err(|e| anyhow!("{}: {e}", dir.display()))?;
        copy(&s_text, &l_text, row)?;
        rows += 1;
    }
    for (path, lines, name) in
        [(&strict_path, &strict, RESULT_FILES[0]), (&loose_path, &loose, RESULT_FILES[1])]
    {
        if lines.reader().get_ref().fingerprint() != m.output(name) {
            bail!(
                "{} is not the file shard {} wrote (its size or fingerprint differs from {}); run \
                 the shard again",
                path.display(),
                m.shard,
                super::manifest::FILE
            );
        }
    }
    Ok(rows)
}

/// A shard's CSV records, without the header, checked against its manifest.
fn csv_body(dir: &Path, m: &Manifest) -> Result<String> {
    let path = dir.join(csv::FILE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut fnv = Fnv::default();
    fnv.update(text.as_bytes());
    if Some(fnv.fingerprint()) != m.output(csv::FILE) {
        bail!(
            "{} is not the file shard {} wrote (its size or fingerprint differs from {}); run the \
             shard again",
            path.display(),
            m.shard,
            super::manifest::FILE
        );
    }
    Ok(text.strip_prefix(csv::HEADER).unwrap_or_default().to_owned())
}
