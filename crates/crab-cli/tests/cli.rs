//! End-to-end tests of the `crab` binary: real process, real files.

use std::io::Write;
use std::process::{Command, Stdio};

fn crab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crab"))
}

#[test]
fn words_counts_standard_input() {
    let mut child =
        crab().arg("words").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all("The quick brown fox — jumps!".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "5\n");
}

#[test]
fn words_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("crab-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.txt");
    std::fs::write(&path, "one two\nthree").unwrap();
    let out = crab().arg("words").arg(&path).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "3\n");
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = crab().args(["words", "/nonexistent/crab.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("crab: cannot read /nonexistent/crab.txt"), "{err}");
}

#[test]
fn unknown_command_is_rejected() {
    let out = crab().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("unknown command 'frobnicate'"));
}
