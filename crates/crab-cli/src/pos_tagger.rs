//! `crab pos-tagger [--nltk-data DIR] OUT`: NLTK's part-of-speech tagger model in the compact
//! format, as the web app fetches it and the CLI links it (`public/pos-tagger.bin`).
//!
//! The source is NLTK's own data (`taggers/averaged_perceptron_tagger_eng/*.json` under the
//! NLTK data directory: `--nltk-data`, else `$NLTK_DATA`), converted by the library
//! (`text::pos::compact`); a test runs this command on the shared NLTK data and fails if the
//! committed asset differs from what it writes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use crab_constraints::text::pos::compact;

use crate::output;

/// The model's files, relative to the NLTK data directory, without their suffixes.
const MODEL: &str = "taggers/averaged_perceptron_tagger_eng/averaged_perceptron_tagger_eng";

pub(crate) fn run(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    use lexopt::prelude::*;

    let (mut out, mut data) = (None, None);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("nltk-data") => data = Some(PathBuf::from(parser.value()?)),
            Value(v) if out.is_none() => out = Some(PathBuf::from(v)),
            other => return Err(other.unexpected().into()),
        }
    }
    let Some(out) = out else {
        bail!("missing output file (usage: crab pos-tagger [--nltk-data DIR] OUT)");
    };
    let Some(data) = data.or_else(|| std::env::var_os("NLTK_DATA").map(PathBuf::from)) else {
        bail!("no NLTK data directory: pass --nltk-data DIR or set NLTK_DATA");
    };
    let read = |suffix: &str| {
        let path = data.join(format!("{MODEL}.{suffix}.json"));
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let model = compact::from_nltk_json(&read("weights")?, &read("tagdict")?, &read("classes")?)
        .with_context(|| format!("NLTK's tagger model in {}", data.display()))?;
    let bytes = compact::encode(&model)?;
    let mut staged = output::Staged::create(Path::new(&out))?;
    staged.file().write_all(&bytes).with_context(|| format!("cannot write {}", out.display()))?;
    staged.commit()?;
    writeln!(std::io::stdout(), "wrote {} bytes to {}", bytes.len(), out.display())?;
    Ok(ExitCode::SUCCESS)
}
