//! IFEval's metrics and Google's printed report.
//!
//! - **prompt-level** accuracy: the share of prompts whose instructions are *all* followed;
//! - **instruction-level** accuracy: followed instructions over all instructions, pooled over
//!   the prompts (micro average, not a mean of per-prompt rates);
//! - accuracy per family (the part of the id before the first `:`) and per full id, each pooled
//!   the same way. Ids beyond IFEval (`crab:*`, IFBench's) are simply further families.
//!
//! The report text is `evaluation_lib.print_report`'s, byte for byte: Python float `repr`, keys
//! sorted by code point (which is byte order in UTF-8, so a `BTreeMap<String, _>` sorts them
//! the same way), and the blank lines in the same places.
//!
//! [`Scores`] holds one mode; [`Metrics`] both, for one run, as `crab eval` prints them and a
//! batch view shows them. They are sums over rows, so a run scored in pieces (shards) and added
//! up in input order gives the same numbers and the same report as one run; comparing two runs
//! is [`super::compare`].

use std::collections::BTreeMap;
use std::fmt::Write;

use super::pyjson::float_repr;

/// Followed instructions out of a total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many were scored.
    pub total: usize,
    /// How many were followed.
    pub followed: usize,
}

impl Tally {
    fn add(&mut self, followed: bool) {
        self.total += 1;
        self.followed += usize::from(followed);
    }

    /// `followed / total` as Python's true division computes it (`NaN` for `0 / 0`, where
    /// Python would raise `ZeroDivisionError`).
    pub fn accuracy(&self) -> f64 {
        // Exact for any count below 2^53, so the quotient is correctly rounded, as in Python.
        self.followed as f64 / self.total as f64
    }
}

/// The metrics of one mode (strict or loose) over a set of results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    /// Prompts, and prompts with every instruction followed.
    pub prompts: Tally,
    /// Instructions, pooled over all prompts.
    pub instructions: Tally,
    /// Per family (the id up to its first `:`), sorted.
    pub families: BTreeMap<String, Tally>,
    /// Per full instruction id, sorted.
    pub ids: BTreeMap<String, Tally>,
}

impl Scores {
    /// Adds one prompt's results: `followed[i]` says whether instruction `ids[i]` was followed.
    /// Repeated ids count once per occurrence. Extra entries of the longer slice are ignored
    /// (Python's `zip`), but they still count for the prompt-level `all()`.
    pub fn add<S: AsRef<str>>(&mut self, ids: &[S], followed: &[bool]) {
        self.prompts.add(followed.iter().all(|&b| b));
        self.instructions.total += ids.len();
        self.instructions.followed += followed.iter().filter(|&&b| b).count();
        for (id, &ok) in ids.iter().zip(followed) {
            let id = id.as_ref();
            let family = id.split_once(':').map_or(id, |(family, _)| family);
            count(&mut self.families, family, ok);
            count(&mut self.ids, id, ok);
        }
    }

    /// Appends Google's report for these scores, headed by the `=` rule and
    /// `"{results_path} Accuracy Scores:"`, as `evaluation_main` prints it after writing each
    /// results file.
    pub fn push_report(&self, out: &mut String, results_path: &str) {
        out.push_str(&"=".repeat(64));
        out.push('\n');
        let _ = writeln!(out, "{results_path} Accuracy Scores:");
        let _ = writeln!(out, "prompt-level: {}", float_repr(self.prompts.accuracy()));
        let _ = writeln!(out, "instruction-level: {}", float_repr(self.instructions.accuracy()));
        for group in [&self.families, &self.ids] {
            out.push('\n');
            for (name, t) in group {
                let _ = writeln!(out, "{name} {}", float_repr(t.accuracy()));
            }
        }
    }
}

/// The names of Google's two result files, strict then loose, as `evaluation_main` writes them
/// into its output directory.
pub const RESULT_FILES: [&str; 2] = ["eval_results_strict.jsonl", "eval_results_loose.jsonl"];

/// Both modes' metrics of one run: what Google's report prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// Strict following.
    pub strict: Scores,
    /// Loose following.
    pub loose: Scores,
}

impl Metrics {
    /// Adds one prompt's results in both modes ([`Scores::add`] for each).
    pub fn add<S: AsRef<str>>(&mut self, ids: &[S], strict: &[bool], loose: &[bool]) {
        self.strict.add(ids, strict);
        self.loose.add(ids, loose);
    }

    /// Appends Google's whole report for a run whose results files are in `output_dir`: the
    /// strict part, then the loose part, each headed by its file's path as `os.path.join` gives
    /// it ([`join_path`]).
    pub fn push_report(&self, out: &mut String, output_dir: &str) {
        let [strict, loose] = RESULT_FILES;
        self.strict.push_report(out, &join_path(output_dir, strict));
        self.loose.push_report(out, &join_path(output_dir, loose));
    }
}

fn count(map: &mut BTreeMap<String, Tally>, name: &str, followed: bool) {
    match map.get_mut(name) {
        Some(t) => t.add(followed),
        None => {
            let mut t = Tally::default();
            t.add(followed);
            map.insert(name.to_owned(), t);
        }
    }
}

/// Python's `os.path.join(dir, name)` for a relative `name`: the path Google prints in the
/// report header (`expected/eval_results_strict.jsonl`).
pub fn join_path(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_pool_instructions_and_require_all_for_prompts() {
        let mut s = Scores::default();
        s.add(&["a:x", "a:x", "b:y"], &[true, false, true]);
        s.add(&["b:y"], &[true]);
        s.add::<&str>(&[], &[]);
        assert_eq!(s.prompts, Tally { total: 3, followed: 2 });
        assert_eq!(s.instructions, Tally { total: 4, followed: 3 });
        assert_eq!(s.families["a"], Tally { total: 2, followed: 1 });
        assert_eq!(s.ids["b:y"], Tally { total: 2, followed: 2 });
    }

    #[test]
    fn ids_without_a_colon_are_their_own_family() {
        let mut s = Scores::default();
        s.add(&["plain"], &[false]);
        assert_eq!(s.families["plain"], Tally { total: 1, followed: 0 });
    }

    #[test]
    fn report_matches_googles_layout() {
        let mut s = Scores::default();
        s.add(&["punctuation:no_comma", "length_constraints:number_words"], &[true, false]);
        s.add(&["punctuation:no_comma"], &[true]);
        s.add(&["punctuation:no_comma"], &[false]);
        let mut out = String::new();
        s.push_report(&mut out, "out/eval_results_strict.jsonl");
        let rule = "=".repeat(64);
        assert_eq!(
            out,
            format!(
                "{rule}\nout/eval_results_strict.jsonl Accuracy Scores:\n\
                 prompt-level: 0.3333333333333333\ninstruction-level: 0.5\n\n\
                 length_constraints 0.0\npunctuation 0.6666666666666666\n\n\
                 length_constraints:number_words 0.0\npunctuation:no_comma 0.6666666666666666\n"
            )
        );
    }

    #[test]
    fn metrics_add_both_modes_and_report_strict_then_loose() {
        let mut m = Metrics::default();
        m.add(&["a:x", "b:y"], &[true, false], &[true, true]);
        m.add(&["a:x"], &[false], &[true]);
        // Strict: 0 of 2 prompts, 1 of 3 instructions; loose: 2 of 2, 3 of 3.
        assert_eq!(m.strict.prompts, Tally { total: 2, followed: 0 });
        assert_eq!(m.strict.instructions, Tally { total: 3, followed: 1 });
        assert_eq!(m.loose.prompts, Tally { total: 2, followed: 2 });
        assert_eq!(m.loose.ids["a:x"], Tally { total: 2, followed: 2 });
        let mut out = String::new();
        m.push_report(&mut out, "out");
        let mut want = String::new();
        m.strict.push_report(&mut want, "out/eval_results_strict.jsonl");
        m.loose.push_report(&mut want, "out/eval_results_loose.jsonl");
        assert_eq!(out, want);
        assert!(out.contains("\nprompt-level: 0.0\ninstruction-level: 0.3333333333333333\n"));
        assert!(out.contains("\nprompt-level: 1.0\ninstruction-level: 1.0\n"));
    }

    #[test]
    fn join_path_follows_os_path_join() {
        assert_eq!(join_path("expected", "r.jsonl"), "expected/r.jsonl");
        assert_eq!(join_path("out/", "r.jsonl"), "out/r.jsonl");
        assert_eq!(join_path("", "r.jsonl"), "r.jsonl");
    }
}
