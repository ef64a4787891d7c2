//! Every kept fuzz input, replayed on stable through the function its fuzzer calls: the seeds
//! and the coverage corpus (`corpus/<target>/`), and every input a fuzzer ever failed on
//! (`regressions/<target>/`, kept after the fix). A plain `cargo test` thus re-checks all of
//! them without nightly or libFuzzer.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use crab_fuzz::TARGETS;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files of `dir`, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.expect("readable directory entry").path()).collect(),
        Err(_) => Vec::new(),
    };
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// Runs `target` on every file of `dirs`; returns the files it panicked on, and how many ran.
fn replay(target: fn(&[u8]), dirs: &[PathBuf]) -> (Vec<String>, usize) {
    let mut failed = Vec::new();
    let mut ran = 0;
    for file in dirs.iter().flat_map(|d| files(d)) {
        let data = std::fs::read(&file).expect("readable input");
        if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
            failed.push(file.display().to_string());
        }
        ran += 1;
    }
    (failed, ran)
}

#[test]
fn every_kept_input_passes_its_target() {
    // One thread per target: the corpora are independent, and the machine has cores to spare.
    let results: Vec<(&str, Vec<String>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = TARGETS
            .iter()
            .map(|&(name, target)| {
                let dirs =
                    [root().join("corpus").join(name), root().join("regressions").join(name)];
                s.spawn(move || {
                    let (failed, ran) = replay(target, &dirs);
                    (name, failed, ran)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("replay thread")).collect()
    });
    for (name, failed, ran) in &results {
        let corpus = files(&root().join("corpus").join(name)).len();
        assert!(corpus > 0, "fuzz/corpus/{name} is empty: run scripts/fuzz/seed_corpora.py");
        assert!(failed.is_empty(), "{name}: {} of {ran} inputs fail: {failed:#?}", failed.len());
    }
}

#[test]
fn every_input_directory_belongs_to_a_target() {
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root().join(kind)) else { continue };
        for entry in entries {
            let path = entry.expect("readable directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            assert!(
                path.is_dir() && TARGETS.iter().any(|&(t, _)| t == name),
                "fuzz/{kind}/{name} is not a target's directory"
            );
        }
    }
}
