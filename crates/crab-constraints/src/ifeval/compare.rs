//! Two evaluations of the same prompts, compared: the four headline metrics, each family and id,
//! and the prompts whose verdict flipped.
//!
//! Why in the library: `crab eval --compare` prints and writes this, and the browser's batch
//! view is to show it; both must agree on every number, so both call [`compare`] and nothing
//! else. It is a pure function of the two runs' results ([`PromptResults`]), which the caller
//! reads from wherever they are (a run in progress, Google's result files).
//!
//! Two runs are comparable when they scored the same prompts with the same instruction ids, in
//! the same order; the responses differ, which is the point. Rows are matched by position, not by
//! prompt: an IFEval file may hold a prompt twice, and Google's result files carry no key. So a
//! run that skipped a row (a bad line, a missing response) is not comparable with one that did
//! not, and [`compare`] says where the two first differ ([`Mismatch`]) instead of comparing
//! different things.
//!
//! A prompt *flips* in a mode when it is followed (all of its instructions) in one run and not in
//! the other. Every instruction that changed in a flipped prompt changed the same way: a prompt
//! that is now followed had all of its instructions followed, and one that no longer is had them
//! all followed before.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use serde_json::{json, Map, Value};

use super::report::{Scores, Tally};
use super::rows::ResultRow;

/// One prompt's results in both modes: what a run decided for one input row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptResults {
    /// The input row's key, when the caller knows it (Google's result files do not carry it).
    pub key: Option<Value>,
    /// The prompt.
    pub prompt: String,
    /// The instruction ids, in order.
    pub instruction_id_list: Vec<String>,
    /// Strict following, per instruction.
    pub strict: Vec<bool>,
    /// Loose following, per instruction.
    pub loose: Vec<bool>,
}

impl PromptResults {
    /// One prompt's results from the same line of the strict and the loose result file (the
    /// responses are dropped). `row` (0-based) is only for the error, which says that the two
    /// lines are not about the same prompt and instructions.
    pub fn from_result_rows(
        row: usize,
        strict: ResultRow,
        loose: ResultRow,
    ) -> Result<PromptResults, Mismatch> {
        if strict.prompt != loose.prompt {
            return Err(Mismatch::at(row, "the strict and loose results are of different prompts"));
        }
        if strict.instruction_id_list != loose.instruction_id_list {
            return Err(Mismatch::at(
                row,
                "the strict and loose results list different instruction ids",
            ));
        }
        Ok(PromptResults {
            key: None,
            prompt: strict.prompt,
            instruction_id_list: strict.instruction_id_list,
            strict: strict.follow_instruction_list,
            loose: loose.follow_instruction_list,
        })
    }
}

/// Why two runs cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    row: Option<usize>,
    message: String,
}

impl Mismatch {
    fn at(row: usize, message: &str) -> Mismatch {
        Mismatch { row: Some(row), message: message.to_owned() }
    }

    /// The first row (0-based, the line of the result files less one) where the runs differ, if
    /// the difference is in a row rather than in the number of rows.
    pub fn row(&self) -> Option<usize> {
        self.row
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "line {} of the results: {}", row + 1, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Mismatch {}

/// One accuracy in both runs: instructions (or prompts) followed out of the same total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// How many were scored (the same in both runs).
    pub total: usize,
    /// How many were followed in the earlier run.
    pub before: usize,
    /// How many are followed in this run.
    pub after: usize,
}

impl Change {
    fn new(before: Tally, after: Tally) -> Change {
        Change {
            total: after.total.max(before.total),
            before: before.followed,
            after: after.followed,
        }
    }

    /// The earlier run's accuracy (`NaN` for a total of 0).
    pub fn before_accuracy(&self) -> f64 {
        Tally { total: self.total, followed: self.before }.accuracy()
    }

    /// This run's accuracy (`NaN` for a total of 0).
    pub fn after_accuracy(&self) -> f64 {
        Tally { total: self.total, followed: self.after }.accuracy()
    }

    /// This run's accuracy less the earlier run's.
    pub fn delta(&self) -> f64 {
        self.after_accuracy() - self.before_accuracy()
    }

    fn to_json(self) -> Value {
        json!({
            "before": self.before_accuracy(),
            "after": self.after_accuracy(),
            "delta": self.delta(),
            "followed_before": self.before,
            "followed_after": self.after,
            "total": self.total,
        })
    }
}

/// A prompt followed in one run and not in the other, in one mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flip {
    /// Its row (0-based): line `row + 1` of both runs' result files.
    pub row: usize,
    /// Its key, if either run knows it.
    pub key: Option<Value>,
    /// The prompt.
    pub prompt: String,
    /// Whether it is followed in this run (and so was not in the earlier one).
    pub followed: bool,
    /// The instructions whose verdict changed (all in the same direction as the prompt's):
    /// their index in the instruction list and their id.
    pub instructions: Vec<(usize, String)>,
}

/// What changed in one mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModeComparison {
    /// Prompt-level accuracy.
    pub prompts: Change,
    /// Instruction-level accuracy.
    pub instructions: Change,
    /// Per family, sorted.
    pub families: BTreeMap<String, Change>,
    /// Per instruction id, sorted.
    pub ids: BTreeMap<String, Change>,
    /// The prompts that flipped, in row order.
    pub flips: Vec<Flip>,
}

impl ModeComparison {
    fn new(before: &Scores, after: &Scores) -> ModeComparison {
        let changes = |b: &BTreeMap<String, Tally>, a: &BTreeMap<String, Tally>| {
            let mut all: BTreeMap<String, Change> = BTreeMap::new();
            for name in b.keys().chain(a.keys()) {
                let tally = |m: &BTreeMap<String, Tally>| m.get(name).copied().unwrap_or_default();
                all.insert(name.clone(), Change::new(tally(b), tally(a)));
            }
            all
        };
        ModeComparison {
            prompts: Change::new(before.prompts, after.prompts),
            instructions: Change::new(before.instructions, after.instructions),
            families: changes(&before.families, &after.families),
            ids: changes(&before.ids, &after.ids),
            flips: Vec::new(),
        }
    }

    /// The prompts that flipped to followed, and those that flipped away from it.
    pub fn flip_counts(&self) -> (usize, usize) {
        let now = self.flips.iter().filter(|f| f.followed).count();
        (now, self.flips.len() - now)
    }

    fn to_json(&self) -> Value {
        let changes = |m: &BTreeMap<String, Change>| -> Map<String, Value> {
            m.iter().map(|(name, c)| (name.clone(), c.to_json())).collect()
        };
        let flips: Vec<Value> = self
            .flips
            .iter()
            .map(|f| {
                let instructions: Vec<Value> = f
                    .instructions
                    .iter()
                    .map(|(index, id)| json!({"index": index, "id": id}))
                    .collect();
                json!({
                    "line": f.row + 1,
                    "key": f.key,
                    "prompt": f.prompt,
                    "followed": f.followed,
                    "instructions": instructions,
                })
            })
            .collect();
        json!({
            "prompt_level": self.prompts.to_json(),
            "instruction_level": self.instructions.to_json(),
            "families": changes(&self.families),
            "ids": changes(&self.ids),
            "flips": flips,
        })
    }
}

/// Two runs of the same prompts, compared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// How many prompts both runs scored.
    pub rows: usize,
    /// Strict following.
    pub strict: ModeComparison,
    /// Loose following.
    pub loose: ModeComparison,
}

/// Compares this run (`after`) with an earlier run (`before`) of the same prompts. Fails, naming
/// the first difference, unless both hold the same prompts with the same instruction ids in the
/// same order.
pub fn compare(before: &[PromptResults], after: &[PromptResults]) -> Result<Comparison, Mismatch> {
    if before.len() != after.len() {
        return Err(Mismatch {
            row: None,
            message: format!(
                "the earlier run has {} rows and this run {}",
                before.len(),
                after.len()
            ),
        });
    }
    let (mut scores_before, mut scores_after) =
        ([Scores::default(), Scores::default()], [Scores::default(), Scores::default()]);
    let mut flips: [Vec<Flip>; 2] = [Vec::new(), Vec::new()];
    for (row, (b, a)) in before.iter().zip(after).enumerate() {
        if b.prompt != a.prompt {
            return Err(Mismatch::at(row, "the prompts differ"));
        }
        if b.instruction_id_list != a.instruction_id_list {
            return Err(Mismatch::at(row, "the same prompt has different instruction ids"));
        }
        let modes = [(&b.strict, &a.strict), (&b.loose, &a.loose)];
        for (((was, now), (sb, sa)), flips) in
            modes.into_iter().zip(scores_before.iter_mut().zip(&mut scores_after)).zip(&mut flips)
        {
            sb.add(&b.instruction_id_list, was);
            sa.add(&a.instruction_id_list, now);
            let followed = now.iter().all(|&x| x);
            if was.iter().all(|&x| x) == followed {
                continue;
            }
            let instructions = a
                .instruction_id_list
                .iter()
                .zip(was.iter().zip(now.iter()))
                .enumerate()
                .filter(|(_, (_, (x, y)))| x != y)
                .map(|(i, (id, _))| (i, id.clone()))
                .collect();
            flips.push(Flip {
                row,
                key: a.key.clone().or_else(|| b.key.clone()),
                prompt: a.prompt.clone(),
                followed,
                instructions,
            });
        }
    }
    let [strict_before, loose_before] = &scores_before;
    let [strict_after, loose_after] = &scores_after;
    let [strict_flips, loose_flips] = flips;
    let mut strict = ModeComparison::new(strict_before, strict_after);
    strict.flips = strict_flips;
    let mut loose = ModeComparison::new(loose_before, loose_after);
    loose.flips = loose_flips;
    Ok(Comparison { rows: after.len(), strict, loose })
}

/// The `=` rule Google's report puts above each part; the comparison follows the report.
const RULE_WIDTH: usize = 64;

/// Characters of a prompt shown in the text listing of flips.
const EXCERPT_CHARS: usize = 60;

impl Comparison {
    /// Appends the comparison as text: the four headline accuracies of both runs with their
    /// deltas, every family and id (strict and loose), and the prompts that flipped in each mode
    /// (at most `max_flips` listed per mode, then how many more). `before` and `after` name the
    /// runs (their directories).
    pub fn push_text(&self, out: &mut String, before: &str, after: &str, max_flips: usize) {
        out.push_str(&"=".repeat(RULE_WIDTH));
        out.push('\n');
        let _ = writeln!(
            out,
            "Comparison of {after} (after) with {before} (before): {} prompts",
            self.rows
        );
        let headline = [
            ("prompt-level strict", self.strict.prompts),
            ("instruction-level strict", self.strict.instructions),
            ("prompt-level loose", self.loose.prompts),
            ("instruction-level loose", self.loose.instructions),
        ];
        let _ = writeln!(out, "{:<24}  before   after    delta", "");
        for (name, c) in headline {
            let _ = writeln!(out, "{name:<24}  {}", numbers(c));
        }
        let width = self.strict.ids.keys().chain(self.strict.families.keys()).map(String::len);
        let width = width.max().unwrap_or(0).max(6);
        let _ = writeln!(
            out,
            "\n{:<width$}  {:<23}  loose\n{:<width$}  before   after    delta   before   after    delta",
            "", "strict", ""
        );
        let groups =
            [(&self.strict.families, &self.loose.families), (&self.strict.ids, &self.loose.ids)];
        for (strict_group, loose_group) in groups {
            for (name, strict) in strict_group {
                let loose = loose_group.get(name).copied().unwrap_or_default();
                let _ = writeln!(out, "{name:<width$}  {}  {}", numbers(*strict), numbers(loose));
            }
            out.push('\n');
        }
        for (mode, m) in [("strict", &self.strict), ("loose", &self.loose)] {
            let (now, no_longer) = m.flip_counts();
            if m.flips.is_empty() {
                let _ = writeln!(out, "Flipped prompts, {mode}: none");
                continue;
            }
            let _ = writeln!(
                out,
                "Flipped prompts, {mode}: {} ({now} now followed, {no_longer} no longer)",
                m.flips.len()
            );
            for f in m.flips.iter().take(max_flips) {
                let sign = if f.followed { '+' } else { '-' };
                let key = f.key.as_ref().map(|k| format!(" (key {k})")).unwrap_or_default();
                let ids: Vec<&str> = f.instructions.iter().map(|(_, id)| id.as_str()).collect();
                let _ = writeln!(
                    out,
                    "  {sign} line {}{key}: {} {:?}",
                    f.row + 1,
                    ids.join(", "),
                    excerpt(&f.prompt)
                );
            }
            if m.flips.len() > max_flips {
                let _ = writeln!(out, "  … and {} more", m.flips.len() - max_flips);
            }
        }
    }

    /// The comparison as one JSON object: the runs' names, the number of prompts, and per mode
    /// (`strict`, `loose`) the `prompt_level` and `instruction_level` changes, every family and
    /// id, and every flipped prompt (its 1-based `line` in the result files, `key` or `null`,
    /// `prompt`, whether it is `followed` now, and the `instructions` that changed). Each change
    /// has the accuracy `before` and `after`, the `delta`, and the counts behind them.
    pub fn to_json(&self, before: &str, after: &str) -> Value {
        json!({
            "before": before,
            "after": after,
            "prompts": self.rows,
            "strict": self.strict.to_json(),
            "loose": self.loose.to_json(),
        })
    }
}

/// `0.7708   0.7782  +0.0074`: both accuracies and the delta, in fixed columns.
fn numbers(c: Change) -> String {
    format!("{:.4}  {:.4}  {:+.4}", c.before_accuracy(), c.after_accuracy(), c.delta())
}

/// The start of a prompt on one line: white space runs as one space, at most
/// [`EXCERPT_CHARS`] characters, `…` if cut.
fn excerpt(prompt: &str) -> String {
    let mut words = prompt.split_whitespace();
    let mut out = String::new();
    let mut cut = false;
    for (i, word) in words.by_ref().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > EXCERPT_CHARS {
            cut = true;
            break;
        }
    }
    if cut {
        out = out.chars().take(EXCERPT_CHARS).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(
        key: i64,
        prompt: &str,
        ids: &[&str],
        strict: &[bool],
        loose: &[bool],
    ) -> PromptResults {
        PromptResults {
            key: Some(json!(key)),
            prompt: prompt.to_owned(),
            instruction_id_list: ids.iter().map(|s| (*s).to_owned()).collect(),
            strict: strict.to_vec(),
            loose: loose.to_vec(),
        }
    }

    /// Three prompts, four instructions; computed by hand below.
    fn runs() -> (Vec<PromptResults>, Vec<PromptResults>) {
        let ids1 = ["punctuation:no_comma", "length_constraints:number_words"];
        let before = vec![
            results(1, "P1", &ids1, &[true, false], &[true, true]),
            results(2, "P2", &["punctuation:no_comma"], &[true], &[true]),
            results(3, "P3", &["keywords:existence"], &[false], &[false]),
        ];
        let after = vec![
            results(1, "P1", &ids1, &[true, true], &[true, true]),
            results(2, "P2", &["punctuation:no_comma"], &[false], &[true]),
            results(3, "P3", &["keywords:existence"], &[false], &[true]),
        ];
        (before, after)
    }

    #[test]
    fn headline_family_and_id_deltas_by_hand() {
        let (before, after) = runs();
        let c = compare(&before, &after).unwrap();
        assert_eq!(c.rows, 3);
        // Strict: prompts followed 1 of 3 (P2) before, 1 of 3 (P1) after; instructions 2 of 4
        // before, 2 of 4 after.
        assert_eq!(c.strict.prompts, Change { total: 3, before: 1, after: 1 });
        assert_eq!(c.strict.instructions, Change { total: 4, before: 2, after: 2 });
        assert_eq!(c.strict.prompts.delta(), 0.0);
        // Loose: prompts 2 of 3 before (P1, P2), 3 of 3 after; instructions 3 of 4, then 4 of 4.
        assert_eq!(c.loose.prompts, Change { total: 3, before: 2, after: 3 });
        assert_eq!(c.loose.instructions, Change { total: 4, before: 3, after: 4 });
        // The difference of the two accuracies as printed: 3/3 - 2/3 in floating point.
        assert_eq!(c.loose.prompts.delta(), 1.0 - 2.0 / 3.0);
        assert_eq!(c.loose.instructions.delta(), 0.25);
        // Per id, strict: no_comma 2 of 2 before, 1 of 2 after (-0.5); number_words 0 → 1 of 1.
        assert_eq!(c.strict.ids["punctuation:no_comma"], Change { total: 2, before: 2, after: 1 });
        assert_eq!(c.strict.ids["punctuation:no_comma"].delta(), -0.5);
        assert_eq!(
            c.strict.ids["length_constraints:number_words"],
            Change { total: 1, before: 0, after: 1 }
        );
        assert_eq!(c.loose.ids["keywords:existence"], Change { total: 1, before: 0, after: 1 });
        // Per family, pooled like the report.
        assert_eq!(c.strict.families["punctuation"], Change { total: 2, before: 2, after: 1 });
        assert_eq!(c.strict.families.len(), 3);
        assert_eq!(c.strict.ids.len(), 3);
    }

    #[test]
    fn flips_in_each_mode_with_the_instructions_that_changed() {
        let (before, after) = runs();
        let c = compare(&before, &after).unwrap();
        assert_eq!(
            c.strict.flips,
            [
                Flip {
                    row: 0,
                    key: Some(json!(1)),
                    prompt: "P1".into(),
                    followed: true,
                    instructions: vec![(1, "length_constraints:number_words".into())],
                },
                Flip {
                    row: 1,
                    key: Some(json!(2)),
                    prompt: "P2".into(),
                    followed: false,
                    instructions: vec![(0, "punctuation:no_comma".into())],
                },
            ]
        );
        assert_eq!(c.strict.flip_counts(), (1, 1));
        // Loose: only P3 flips (P1 and P2 were followed in both).
        assert_eq!(c.loose.flips.len(), 1);
        assert_eq!((c.loose.flips[0].row, c.loose.flips[0].followed), (2, true));
        // The same run against itself: nothing changes.
        let same = compare(&after, &after).unwrap();
        assert!(same.strict.flips.is_empty() && same.loose.flips.is_empty());
        assert!(same.strict.ids.values().all(|c| c.before == c.after));
    }

    #[test]
    fn different_inputs_are_a_mismatch_naming_the_row() {
        let (before, after) = runs();
        let err = compare(&before[..2], &after).unwrap_err();
        assert_eq!(err.to_string(), "the earlier run has 2 rows and this run 3");
        assert_eq!(err.row(), None);
        let mut other = before.clone();
        other[1].prompt = "P2 changed".into();
        let err = compare(&other, &after).unwrap_err();
        assert_eq!(err.to_string(), "line 2 of the results: the prompts differ");
        assert_eq!(err.row(), Some(1));
        let mut other = before.clone();
        other[2].instruction_id_list = vec!["keywords:frequency".into()];
        let err = compare(&other, &after).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3 of the results: the same prompt has different instruction ids"
        );
    }

    #[test]
    fn result_rows_pair_up_by_prompt_and_ids() {
        let row = |prompt: &str, ids: &[&str], followed: &[bool]| ResultRow {
            prompt: prompt.into(),
            instruction_id_list: ids.iter().map(|s| (*s).to_owned()).collect(),
            follow_instruction_list: followed.to_vec(),
            response: "r".into(),
        };
        let p = PromptResults::from_result_rows(
            0,
            row("P", &["a"], &[false]),
            row("P", &["a"], &[true]),
        )
        .unwrap();
        assert_eq!((p.key, p.strict, p.loose), (None, vec![false], vec![true]));
        let err = PromptResults::from_result_rows(
            4,
            row("P", &["a"], &[true]),
            row("Q", &["a"], &[true]),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 5 of the results: the strict and loose results are of different prompts"
        );
        assert!(PromptResults::from_result_rows(
            0,
            row("P", &["a"], &[true]),
            row("P", &["b"], &[true])
        )
        .is_err());
    }

    #[test]
    fn text_lists_deltas_and_flips() {
        let (before, after) = runs();
        let c = compare(&before, &after).unwrap();
        let mut out = String::new();
        c.push_text(&mut out, "base", "out", 1);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "=".repeat(64));
        assert_eq!(lines[1], "Comparison of out (after) with base (before): 3 prompts");
        assert_eq!(lines[2], "                          before   after    delta");
        assert_eq!(lines[3], "prompt-level strict       0.3333  0.3333  +0.0000");
        assert_eq!(lines[6], "instruction-level loose   0.7500  1.0000  +0.2500");
        assert_eq!(lines[8], format!("{:33}strict{:19}loose", "", ""));
        assert_eq!(
            lines[10],
            "keywords                         0.0000  0.0000  +0.0000  0.0000  1.0000  +1.0000"
        );
        assert_eq!(
            lines[16],
            "punctuation:no_comma             1.0000  0.5000  -0.5000  1.0000  1.0000  +0.0000"
        );
        assert!(out.contains(
            "\nFlipped prompts, strict: 2 (1 now followed, 1 no longer)\n  + line 1 (key 1): length_constraints:number_words \"P1\"\n  … and 1 more\n"
        ));
        assert!(out.ends_with(
            "Flipped prompts, loose: 1 (1 now followed, 0 no longer)\n  + line 3 (key 3): keywords:existence \"P3\"\n"
        ));
    }

    #[test]
    fn json_holds_every_number_and_flip() {
        let (before, after) = runs();
        let v = compare(&before, &after).unwrap().to_json("base", "out");
        assert_eq!(
            (v["before"].as_str(), v["after"].as_str(), v["prompts"].as_u64()),
            (Some("base"), Some("out"), Some(3))
        );
        assert_eq!(
            v["loose"]["instruction_level"],
            json!({"before": 0.75, "after": 1.0, "delta": 0.25, "followed_before": 3, "followed_after": 4, "total": 4})
        );
        assert_eq!(v["strict"]["ids"]["punctuation:no_comma"]["delta"], json!(-0.5));
        assert_eq!(v["strict"]["families"].as_object().map(Map::len), Some(3));
        assert_eq!(
            v["strict"]["flips"][1],
            json!({"line": 2, "key": 2, "prompt": "P2", "followed": false,
                   "instructions": [{"index": 0, "id": "punctuation:no_comma"}]})
        );
        assert_eq!(v["loose"]["flips"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn excerpts_are_one_line_and_cut() {
        assert_eq!(excerpt("a\n\n b\tc"), "a b c");
        let long = "word ".repeat(30);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(""), "");
    }
}
