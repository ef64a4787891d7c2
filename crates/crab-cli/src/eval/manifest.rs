//! `eval_shard.json`: what a `--shard K/N` run was, for `--merge` to check and reassemble.
//!
//! Google's result files say nothing about which rows they hold or what was skipped, so a shard
//! writes this next to them: which shard of how many, which rows of which input (by size and
//! FNV-1a fingerprint, since the shards may have run on different machines with the files at
//! different paths), with which responses and options, what it scored, the keys of the rows it
//! wrote (for `--compare` after a merge), and the messages it printed about bad rows. With that,
//! a merge refuses shards that do not belong together, and prints the same messages, report and
//! exit status as one run of the whole input.

use std::ops::Range;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};

use crab_constraints::ifeval::report::RESULT_FILES;

use crate::shard::{Fingerprint, Shard};

/// The file's name in a shard's output directory.
pub(super) const FILE: &str = "eval_shard.json";

/// The files a shard may write and list under `outputs`.
const OUTPUT_NAMES: [&str; 3] = [RESULT_FILES[0], RESULT_FILES[1], super::csv::FILE];

/// The version of the format, written as `crab_eval_shard`.
const VERSION: u64 = 1;

/// A file the shard read: its name as given, its size and fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Source {
    pub(super) name: String,
    pub(super) fingerprint: Fingerprint,
}

/// One shard's run.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Manifest {
    pub(super) shard: Shard,
    pub(super) input: Source,
    /// The input's rows (non-blank lines), all shards together.
    pub(super) input_rows: usize,
    pub(super) responses: Source,
    pub(super) strip_think: bool,
    /// The rows of the input this shard covered.
    pub(super) rows: Range<usize>,
    /// The rows it scored and wrote.
    pub(super) scored: usize,
    /// The keys of those rows, in order.
    pub(super) keys: Vec<Value>,
    /// Its messages about bad input rows, in order, without the `crab eval: ` prefix.
    pub(super) input_problems: Vec<String>,
    /// Its messages about bad response rows (every shard reads all the responses).
    pub(super) response_problems: Vec<String>,
    /// The files it wrote (Google's two, and the CSV if asked), with their fingerprints: a merge
    /// reads only those very files.
    pub(super) outputs: Vec<(&'static str, Fingerprint)>,
}

impl Manifest {
    pub(super) fn to_json(&self) -> Value {
        let source = |s: &Source| json!({"name": s.name, "bytes": s.fingerprint.bytes, "fnv1a64": s.fingerprint.hex()});
        json!({
            "crab_eval_shard": VERSION,
            "shard": self.shard.k(),
            "shards": self.shard.n(),
            "input": source(&self.input),
            "input_rows": self.input_rows,
            "responses": source(&self.responses),
            "strip_think": self.strip_think,
            "rows": {"start": self.rows.start, "end": self.rows.end},
            "scored": self.scored,
            "keys": self.keys,
            "input_problems": self.input_problems,
            "response_problems": self.response_problems,
            "outputs": self.outputs.iter().map(|(name, fingerprint)| {
                (name.to_string(), json!({"bytes": fingerprint.bytes, "fnv1a64": fingerprint.hex()}))
            }).collect::<serde_json::Map<String, Value>>(),
        })
    }

    /// Reads `dir`'s manifest.
    pub(super) fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(FILE);
        let shown = path.display();
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!("cannot read {shown} (--merge takes the output directories of crab eval --shard runs)")
        })?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| anyhow!("{shown}: not valid JSON: {e}"))?;
        Manifest::from_json(&value).map_err(|e| anyhow!("{shown}: {e}"))
    }

    fn from_json(v: &Value) -> Result<Manifest> {
        let number = |v: &Value, field: &str| -> Result<usize> {
            v.get(field)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| anyhow!("field `{field}` must be a whole number"))
        };
        let strings = |field: &str| -> Result<Vec<String>> {
            let list = v.get(field).and_then(Value::as_array);
            let list = list.ok_or_else(|| anyhow!("field `{field}` must be a list"))?;
            list.iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| anyhow!("field `{field}` must hold strings"))
        };
        let fingerprint = |s: &Value| -> Option<Fingerprint> {
            let hash = s.get("fnv1a64").and_then(Value::as_str)?;
            let hash = u64::from_str_radix(hash, 16).ok()?;
            Some(Fingerprint { bytes: s.get("bytes").and_then(Value::as_u64)?, hash })
        };
        let source = |field: &str| -> Result<Source> {
            let s = v.get(field).ok_or_else(|| anyhow!("field `{field}` is missing"))?;
            match (s.get("name").and_then(Value::as_str), fingerprint(s)) {
                (Some(name), Some(fingerprint)) => {
                    Ok(Source { name: name.to_owned(), fingerprint })
                }
                _ => bail!("field `{field}` must hold `name`, `bytes` and `fnv1a64`"),
            }
        };
        let mut outputs = Vec::new();
        let written = v.get("outputs").and_then(Value::as_object);
        for (name, file) in written.ok_or_else(|| anyhow!("field `outputs` must be an object"))? {
            let known = OUTPUT_NAMES.iter().find(|n| **n == name.as_str());
            match (known, fingerprint(file)) {
                (Some(name), Some(fingerprint)) => outputs.push((*name, fingerprint)),
                _ => bail!("field `outputs.{name}`: not a file crab eval writes, with `bytes` and `fnv1a64`"),
            }
        }
        if v.get("crab_eval_shard").and_then(Value::as_u64) != Some(VERSION) {
            bail!("not a crab eval shard file of version {VERSION}");
        }
        let shard = Shard::parse(&format!("{}/{}", number(v, "shard")?, number(v, "shards")?))?;
        let rows = v.get("rows").unwrap_or(&Value::Null);
        let keys = v.get("keys").and_then(Value::as_array).cloned();
        Ok(Manifest {
            shard,
            input: source("input")?,
            input_rows: number(v, "input_rows")?,
            responses: source("responses")?,
            strip_think: v
                .get("strip_think")
                .and_then(Value::as_bool)
                .ok_or_else(|| anyhow!("field `strip_think` must be a boolean"))?,
            rows: number(rows, "start")?..number(rows, "end")?,
            scored: number(v, "scored")?,
            keys: keys.ok_or_else(|| anyhow!("field `keys` must be a list"))?,
            input_problems: strings("input_problems")?,
            response_problems: strings("response_problems")?,
            outputs,
        })
    }

    /// The fingerprint of the file `name` as the shard wrote it, if it wrote one.
    pub(super) fn output(&self, name: &str) -> Option<Fingerprint> {
        self.outputs.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = Manifest {
            shard: Shard::parse("2/3").unwrap(),
            input: Source {
                name: "in.jsonl".into(),
                fingerprint: Fingerprint { bytes: 10, hash: u64::MAX },
            },
            input_rows: 7,
            responses: Source {
                name: "<stdin>".into(),
                fingerprint: Fingerprint { bytes: 0, hash: 1 },
            },
            strip_think: true,
            rows: 2..4,
            scored: 1,
            keys: vec![json!(1003)],
            input_problems: vec!["in.jsonl:4: not valid JSON".into()],
            response_problems: Vec::new(),
            outputs: vec![(RESULT_FILES[0], Fingerprint { bytes: 3, hash: 9 })],
        };
        let v = m.to_json();
        assert_eq!(v["input"]["fnv1a64"], "ffffffffffffffff");
        assert_eq!(Manifest::from_json(&v).unwrap(), m);
        let mut bad = v.clone();
        bad["shard"] = json!(4);
        assert!(Manifest::from_json(&bad).unwrap_err().to_string().contains("--shard takes K/N"));
        let mut bad = v;
        bad["crab_eval_shard"] = json!(2);
        assert!(Manifest::from_json(&bad).is_err());
    }
}
