//! `--compare OTHER_DIR`: reads an earlier run's result files, and writes the comparison.
//!
//! The comparison itself is the library's ([`crab_constraints::ifeval::compare`]); this module
//! reads `OTHER_DIR/eval_results_{strict,loose}.jsonl` (written by `crab eval` or by Google's
//! `evaluation_main`) with the same line reader as every input, and names the file and line of
//! anything it cannot use. The earlier run must be whole: a bad line there is fatal (exit 2),
//! since a comparison with part of a run would compare different prompts.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use crab_constraints::ifeval::report::RESULT_FILES;
use crab_constraints::ifeval::{PromptResults, ResultRow};

use crate::jsonl::{self, Lines};

/// The name of the JSON file the comparison is written to, in the output directory.
pub(super) const FILE: &str = "eval_compare.json";

/// Prompts listed per mode in the printed comparison (the JSON file lists all).
pub(super) const MAX_FLIPS_SHOWN: usize = 50;

/// The earlier run's results, row by row.
pub(super) fn read_run(dir: &Path) -> Result<Vec<PromptResults>> {
    let [strict_path, loose_path] = RESULT_FILES.map(|name| dir.join(name));
    let open = |path: &Path| -> Result<Lines<BufReader<File>>> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Lines::new(BufReader::new(file)))
    };
    let (mut strict, mut loose) = (open(&strict_path)?, open(&loose_path)?);
    let read = |lines: &mut Lines<BufReader<File>>, path: &Path| -> Result<Option<ResultRow>> {
        let shown = path.display();
        let Some((n, line)) = lines.next_line().with_context(|| format!("cannot read {shown}"))?
        else {
            return Ok(None);
        };
        let row = jsonl::parse(line)
            .and_then(|row| ResultRow::from_json(row.value).map_err(|e| e.to_string()))
            .map_err(|e| anyhow!("{shown}:{n}: {e}"))?;
        Ok(Some(row))
    };
    let mut rows = Vec::new();
    loop {
        match (read(&mut strict, &strict_path)?, read(&mut loose, &loose_path)?) {
            (Some(s), Some(l)) => rows.push(
                PromptResults::from_result_rows(rows.len(), s, l)
                    .map_err(|e| anyhow!("--compare {}: {e}", dir.display()))?,
            ),
            (None, None) => return Ok(rows),
            _ => bail!(
                "--compare {}: {} and {} hold different numbers of rows",
                dir.display(),
                strict_path.display(),
                loose_path.display()
            ),
        }
    }
}
