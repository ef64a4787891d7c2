//! Running the Python reference oracles in `scripts/oracle/` (shared by the integration tests),
//! and comparing IFBench checks with the IFBench oracles (`scripts/oracle/ifbench_*.py`), which
//! all answer a request with `{"ok": bool | null, "error": str | null}`.
//!
//! The interpreter is `CRAB_PYTHON` (default `<workspace>/.venv/bin/python`) and NLTK's data is
//! `NLTK_DATA` (default `<workspace>/../shared/data/nltk_data`). A missing interpreter fails the
//! test with a message saying so; it never skips.

// Each integration test is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crab_constraints::checks::{Constraint, Status, Verdict};
use crab_constraints::text::Analysis;
use serde_json::{json, Value};

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

/// IFBench checks verified here and queued for an IFBench oracle, case by case: our verdicts and
/// the oracle's requests, in the same order.
#[derive(Default)]
pub(crate) struct Checks {
    ours: Vec<(&'static str, Verdict)>,
    requests: Vec<Value>,
}

impl Checks {
    /// Verifies each case, the check `id` built from `kwargs`, on `analysis`'s text, and queues
    /// its request `{"id", "kwargs", "text"}`.
    pub(crate) fn verify(
        &mut self,
        cases: impl IntoIterator<Item = (&'static str, Value)>,
        analysis: &Analysis<'_>,
    ) {
        for (id, kwargs) in cases {
            let c = Constraint::from_ifeval(id, &kwargs).expect("valid kwargs");
            let request = json!({"id": id, "kwargs": kwargs, "text": analysis.text()});
            self.push(id, c.verify(analysis), request);
        }
    }

    /// Queues `request`, whose answer is compared with our `verdict` on the check `id`.
    pub(crate) fn push(&mut self, id: &'static str, verdict: Verdict, request: Value) {
        self.ours.push((id, verdict));
        self.requests.push(request);
    }

    /// Runs `scripts/oracle/<script>` on the queued requests and compares each answer with our
    /// verdict: they agree when `agree(answer, verdict)` (usually [`same_pass`]).
    pub(crate) fn compare(self, script: &str, agree: fn(&Value, &Verdict) -> bool) -> Comparison {
        let answers = run_jsonl(script, &[], &self.requests);
        let mut comparison = Comparison::default();
        for ((id, verdict), (request, answer)) in
            self.ours.iter().zip(self.requests.iter().zip(&answers))
        {
            let tally = comparison.per_id.entry(id).or_default();
            tally.checked += 1;
            match verdict.status {
                Status::Pass => tally.passed += 1,
                Status::Invalid => tally.invalid += 1,
                _ => {}
            }
            if let Some(error) = answer["error"].as_str() {
                let kind = error.split(':').next().unwrap_or(error).to_owned();
                *comparison.raised.entry((id, kind)).or_default() += 1;
            }
            if !agree(answer, verdict) {
                tally.differing += 1;
                comparison.failures.push(format!("{request}: ours {verdict:?}, IFBench {answer}"));
            }
        }
        comparison
    }
}

/// The oracle's `ok` is our verdict's `passed()` (an answer that raised agrees with no verdict).
pub(crate) fn same_pass(answer: &Value, verdict: &Verdict) -> bool {
    answer["ok"].as_bool() == Some(verdict.passed())
}

/// What one check's comparison counted.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    /// Texts checked.
    pub(crate) checked: usize,
    /// Our verdicts that pass.
    pub(crate) passed: usize,
    /// Our verdicts that are invalid.
    pub(crate) invalid: usize,
    /// Answers that do not agree with our verdict.
    pub(crate) differing: usize,
}

/// Our verdicts compared with an IFBench oracle's answers.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    /// The counts per check id.
    pub(crate) per_id: BTreeMap<&'static str, Tally>,
    /// How often the oracle raised, per check id and exception type (`IndexError`, …).
    pub(crate) raised: BTreeMap<(&'static str, String), usize>,
    /// The requests whose answer does not agree, with both sides.
    pub(crate) failures: Vec<String>,
}

impl Comparison {
    /// Prints a line per check id: texts checked, our passes, differences.
    pub(crate) fn print(&self) {
        let width = self.per_id.keys().map(|id| id.len()).max().unwrap_or(0) + 2;
        for (id, t) in &self.per_id {
            let Tally { checked, passed, differing, .. } = t;
            println!("{id:<width$} {checked:>6} checked, {passed:>6} pass, {differing} differ");
        }
    }

    /// Fails the test unless each check passes on some texts and fails on others, so that the
    /// comparison is not vacuous.
    pub(crate) fn assert_both_verdicts(&self) {
        for (id, t) in &self.per_id {
            assert!(
                0 < t.passed && t.passed < t.checked,
                "{id}: {} of {} pass; the texts must reach both verdicts",
                t.passed,
                t.checked
            );
        }
    }

    /// Prints the first ten differences, and fails the test if there is any.
    pub(crate) fn assert_agreement(&self) {
        for f in self.failures.iter().take(10) {
            eprintln!("  {f}");
        }
        assert!(self.failures.is_empty(), "{} verdicts differ from IFBench", self.failures.len());
    }
}
