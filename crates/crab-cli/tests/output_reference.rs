//! Differential test of the Python-compatible formatters behind `crab eval`'s files and report
//! (`crab_constraints::ifeval::pyjson`): `json.dumps(str)` and `repr(float)` against CPython
//! itself (`scripts/oracle/ifeval_output.py`, run with `CRAB_PYTHON`, default
//! `<workspace>/.venv/bin/python`; a missing interpreter fails the test), on seeded random
//! strings full of escapes and non-BMP chars, and on floats around every formatting boundary.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crab_constraints::ifeval::pyjson;
use serde_json::{json, Value};

fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Runs the oracle on `requests` (one JSON object each) and returns its `out` strings.
fn oracle(requests: &[Value]) -> Vec<String> {
    let python = std::env::var_os("CRAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/bin/python"));
    assert!(
        python.exists() || python.components().count() == 1,
        "Python interpreter {} not found: set CRAB_PYTHON to a Python 3.11",
        python.display()
    );
    let script = workspace_root().join("scripts/oracle/ifeval_output.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let input: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "oracle failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let outs: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["out"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(outs.len(), requests.len(), "oracle answered {} of {}", outs.len(), requests.len());
    outs
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_string(rng: &mut Rng) -> String {
    const POOL: &[char] = &[
        'a',
        'Z',
        ' ',
        '~',
        '/',
        '\'',
        '"',
        '\\',
        '\n',
        '\r',
        '\t',
        '\u{8}',
        '\u{c}',
        '\u{0}',
        '\u{1}',
        '\u{b}',
        '\u{1b}',
        '\u{1c}',
        '\u{1f}',
        '\u{7f}',
        '\u{80}',
        '\u{a0}',
        'é',
        'ß',
        'İ',
        'Σ',
        'ह',
        'ि',
        '中',
        '\u{200b}',
        '\u{2028}',
        '\u{2029}',
        '\u{feff}',
        '\u{d7ff}',
        '\u{e000}',
        '\u{fffd}',
        '\u{ffff}',
        '😀',
        '𝔸',
        '\u{10000}',
        '\u{10ffff}',
        '\u{1f1fa}',
    ];
    let len = rng.below(24);
    (0..len)
        .map(|_| {
            if rng.below(3) == 0 {
                char::from(b' ' + rng.below(95) as u8)
            } else {
                POOL[rng.below(POOL.len())]
            }
        })
        .collect()
}

fn floats(rng: &mut Rng) -> Vec<f64> {
    let mut xs = vec![0.0, -0.0, 1.0, 0.5, f64::MIN_POSITIVE, 5e-324, f64::MAX, f64::NAN];
    // Every accuracy a report can print for up to 120 items, and some small rates.
    for b in 1..=120u32 {
        for a in 0..=b {
            xs.push(f64::from(a) / f64::from(b));
        }
    }
    for b in [1_000u32, 10_000, 30_000, 100_000, 999_983] {
        xs.extend([1.0, 3.0, 7.0].map(|a| a / f64::from(b)));
    }
    // Around the switches to exponent form (1e-4, 1e16) and powers of ten generally.
    for e in -30..=30 {
        let p = 10f64.powi(e);
        xs.extend([p, p * 1.5, f64::from_bits(p.to_bits() + 1), f64::from_bits(p.to_bits() - 1)]);
    }
    // Random bit patterns.
    for _ in 0..2000 {
        xs.push(f64::from_bits(rng.next()));
    }
    xs
}

#[test]
fn json_dumps_and_float_repr_equal_cpython() {
    let mut rng = Rng(0x1fe7a1);
    let strings: Vec<String> = (0..3000).map(|_| random_string(&mut rng)).collect();
    let floats = floats(&mut rng);
    let mut requests: Vec<Value> = strings.iter().map(|s| json!({ "s": s })).collect();
    requests.extend(floats.iter().map(|x| json!({ "bits": format!("{:016x}", x.to_bits()) })));
    let want = oracle(&requests);

    let mut failures = Vec::new();
    for (s, want) in strings.iter().zip(&want) {
        let mut got = String::new();
        pyjson::push_str_literal(&mut got, s);
        if &got != want {
            failures.push(format!("json.dumps({s:?}): want {want}, got {got}"));
        }
    }
    for (x, want) in floats.iter().zip(&want[strings.len()..]) {
        let got = pyjson::float_repr(*x);
        if &got != want {
            failures.push(format!("repr({:016x}): want {want}, got {got}", x.to_bits()));
        }
    }
    println!(
        "{} strings and {} floats compared with CPython; {} differ",
        strings.len(),
        floats.len(),
        failures.len()
    );
    for f in failures.iter().take(20) {
        eprintln!("{f}");
    }
    assert!(failures.is_empty());
}
