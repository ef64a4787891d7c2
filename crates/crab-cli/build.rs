//! Links `crab` as a position-dependent executable on Linux.
//!
//! A position-independent executable (the default) is relocated by the dynamic loader at every
//! start: about 20,000 relocations and a copy of every page of tables of pointers, 0.2–0.25 ms
//! of a `crab eval` run that takes 15–20 ms (BENCHMARKS.md, "`crab eval` vs the Python
//! reference").
//! `crab` is a command-line tool run once per file, so its start matters more than the address
//! randomisation of its own code (libraries, heap and stacks are still randomised).
//! `scripts/build-cli.sh` goes further on Linux with glibc: a static executable, with no dynamic
//! loader at all (it needs the target spelled out, so it cannot be set here).

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bin=crab=-no-pie");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
