//! Running the Python reference oracles in `scripts/oracle/` (shared by the integration tests).
//!
//! The interpreter is `CRAB_PYTHON` (default `<workspace>/.venv/bin/python`) and NLTK's data is
//! `NLTK_DATA` (default `<workspace>/../shared/data/nltk_data`). A missing interpreter fails the
//! test with a message saying so; it never skips.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The workspace root (two levels above this crate).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The oracle interpreter: `CRAB_PYTHON`, or the workspace's `.venv/bin/python`.
pub(crate) fn python() -> PathBuf {
    let python = std::env::var_os("CRAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/bin/python"));
    // A bare name such as `python3` is looked up on PATH when it is run.
    assert!(
        python.exists() || python.components().count() == 1,
        "Python interpreter {} not found: set CRAB_PYTHON to a Python 3.11 with \
         scripts/oracle/requirements.txt installed",
        python.display()
    );
    python
}

/// NLTK's data directory: `NLTK_DATA`, or the shared data next to the workspace.
fn nltk_data() -> PathBuf {
    std::env::var_os("NLTK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/data/nltk_data"))
}

/// Runs `python args…` with `input` on stdin (written from another thread, so large inputs
/// cannot deadlock) and returns its stdout; fails the test if it cannot start or exits non-zero.
pub(crate) fn run_python(python: &Path, args: &[&Path], input: String) -> Vec<u8> {
    let mut child = Command::new(python)
        .args(args)
        .env("NLTK_DATA", nltk_data())
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run the Python oracle {} ({e}); set CRAB_PYTHON", python.display())
        });
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("oracle output");
    writer.join().expect("writer thread").expect("writing to the oracle");
    assert!(out.status.success(), "{} {args:?} failed: {}", python.display(), out.status);
    out.stdout
}

/// Sends each request as one JSON line to `scripts/oracle/<script>` (with `args`) and returns
/// its JSON answer lines, one per request.
pub(crate) fn run_jsonl(script: &str, args: &[&str], requests: &[Value]) -> Vec<Value> {
    let script = workspace_root().join("scripts/oracle").join(script);
    let mut argv: Vec<&Path> = vec![&script];
    argv.extend(args.iter().map(Path::new));
    let input: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let out = run_python(&python(), &argv, input);
    let answers: Vec<Value> = String::from_utf8(out)
        .expect("oracle output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("oracle answers JSON lines"))
        .collect();
    assert_eq!(answers.len(), requests.len(), "one oracle answer per request");
    answers
}
