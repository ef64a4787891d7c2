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

/// The web app's language asset, committed at `public/lang-profiles.bin`, is exactly what
/// `crab lang-profiles` writes from the `langdetect` crate's profiles today, so it can never go
/// stale. If this fails after a change to the profiles or the format, regenerate it:
/// `cargo run -p crab-cli -- lang-profiles public/lang-profiles.bin`.
#[test]
fn lang_profiles_writes_the_committed_asset() {
    let dir = std::env::temp_dir().join(format!("crab-cli-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("lang-profiles.bin");
    let out = crab().arg("lang-profiles").arg(&out_path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read(&out_path).unwrap();
    let committed_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/lang-profiles.bin");
    let committed = std::fs::read(&committed_path).unwrap();
    assert!(
        written == committed,
        "public/lang-profiles.bin is stale ({} bytes; crab lang-profiles writes {} bytes): \
         regenerate it with `cargo run -p crab-cli -- lang-profiles public/lang-profiles.bin`",
        committed.len(),
        written.len()
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with(&format!("wrote {} bytes to ", written.len())), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lang_profiles_needs_an_output_file() {
    let out = crab().arg("lang-profiles").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("missing output file"));
}

/// The shared NLTK data (`../shared/data/nltk_data`, next to the workspace).
fn nltk_data() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/nltk_data")
}

/// The web app's tagger asset, committed at `public/pos-tagger.bin`, is exactly what
/// `crab pos-tagger` writes from NLTK's model in the shared NLTK data, and the CLI links the same
/// bytes (`builtin-tagger`). If this fails after a change to the format, regenerate it:
/// `cargo run -p crab-cli -- pos-tagger --nltk-data ../shared/data/nltk_data public/pos-tagger.bin`.
#[test]
fn pos_tagger_writes_the_committed_asset() {
    let dir = std::env::temp_dir().join(format!("crab-cli-pos-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let committed_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/pos-tagger.bin");
    let committed = std::fs::read(&committed_path).unwrap();
    // From --nltk-data, and from $NLTK_DATA.
    for (i, from_env) in [false, true].into_iter().enumerate() {
        let out_path = dir.join(format!("pos-tagger-{i}.bin"));
        let mut cmd = crab();
        cmd.arg("pos-tagger");
        if from_env {
            cmd.env("NLTK_DATA", nltk_data());
        } else {
            cmd.env_remove("NLTK_DATA").arg("--nltk-data").arg(nltk_data());
        }
        let out = cmd.arg(&out_path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let written = std::fs::read(&out_path).unwrap();
        assert!(
            written == committed,
            "public/pos-tagger.bin is stale ({} bytes; crab pos-tagger writes {} bytes): \
             regenerate it with `cargo run -p crab-cli -- pos-tagger --nltk-data \
             ../shared/data/nltk_data public/pos-tagger.bin`",
            committed.len(),
            written.len()
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.starts_with(&format!("wrote {} bytes to ", written.len())), "{stdout}");
    }
    assert!(
        crab_constraints::text::pos::PosTagger::builtin_compact_bytes() == committed.as_slice(),
        "the CLI links the committed asset"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pos_tagger_needs_an_output_file_and_the_nltk_data() {
    let out = crab().arg("pos-tagger").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("missing output file"));
    let out = crab().arg("pos-tagger").arg("x.bin").env_remove("NLTK_DATA").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("pass --nltk-data DIR or set NLTK_DATA"), "{err}");
    let out = crab().args(["pos-tagger", "--nltk-data", "/nonexistent", "x.bin"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("crab: cannot read /nonexistent/taggers/"), "{err}");
}
