//! Python's `re` for `str` patterns: a small backtracking matcher with CPython 3.11 semantics.
//!
//! IFEval splices user-supplied text into regular expressions (keywords searched with
//! `re.IGNORECASE`, section splitters for `re.split`, postscript markers searched with
//! `re.MULTILINE`), so a port must run Python `re` patterns exactly as `_sre` does. Translating
//! them to another engine cannot: Python's `\b`/`\w`/`\d`/`\s` use its own Unicode 14 tables,
//! `IGNORECASE` compares `_sre`'s lowercase mappings plus `_casefix` equivalences, `$` also
//! matches before a final `\n`, alternation and repetition are leftmost-first with backtracking
//! priorities, and `findall`/`split` have their own empty-match rules. Owning the engine also
//! keeps a large dependency out of the web app.
//!
//! The module is shaped like `_sre`: `parse` reads Python's syntax into a tree, resolving
//! flags as it goes (every `re.error` is an [`Error::Syntax`]); `exec` compiles the tree into a
//! short instruction list and runs it on a backtracking machine with an **explicit stack** (no
//! recursion proportional to the input or the pattern), a **step budget** of ten million steps
//! per call and a cap on the stack. Python has no budget and may run for hours on a
//! catastrophic pattern (`(a*)*b` on a long run of `a`); here such a call returns
//! [`Error::TooExpensive`] instead. A step costs about the same whatever the pattern (a test
//! against a class of thousands of members counts as many steps), and the keyword checks give
//! all the patterns of one verdict one shared [`Budget`], so that one verdict takes at most
//! about 60 ms natively whatever its text and parameters. `case` holds `_sre`'s case folding, shared with the keyword
//! checks' fixed-width matcher ([`crate::checks::pattern`]).
//!
//! Supported: literals and every escape Python accepts (`\x`, `\u`, `\U`, octal), `.`,
//! classes (ranges, negation, `\d \s \w \D \S \W` inside), `^ $ \A \Z \b \B`, capturing,
//! non-capturing and named groups, alternation, greedy / lazy / possessive quantifiers, atomic
//! groups, lookahead and fixed-width lookbehind, backreferences `\1` and `(?P=name)`,
//! conditionals `(?(1)yes|no)`, inline flags (`(?aimsux)`, scoped `(?i:…)`, `(?-i:…)`) and
//! comments; `findall`/`finditer`/`split` follow Python 3.7+'s empty-match rules (`_sre`'s
//! `must_advance`). Refused with [`Error::Unsupported`]: `\N{…}` named characters, the
//! deprecated `(?t)` flag, surrogate code points, patterns whose counted repeats unroll past
//! 100,000 instructions, and groups nested more than 100 deep (the parser and compiler recurse
//! once per level).
//!
//! CPython's quirks are reproduced where known: an alternation of single characters (`a|𐐀`)
//! is a character set (whose `IGNORECASE` folding differs for non-BMP uppercase members), and
//! the search prefilter compiles a leading class's `\w`/`\d`/`\s` with the global flags even
//! inside a scoped `(?a:…)`. Not reproduced: `_sre` does not always reset a group's captured
//! value when an alternative that set it fails (its "lastmark" bookkeeping), so after such a
//! failure Python may report, or backreference, a stale group value where this matcher reports
//! the restored one. The differential test (`tests/pyre_reference.rs`) found this only for group
//! values inside possessive repeats, never for a match span with its default seed.

mod case;
mod exec;
mod parse;

use std::fmt;

pub(crate) use exec::STEP_BUDGET;
pub use parse::Flags;

pub(crate) use case::{extra_cases, fold_chars, sre_iscased, sre_lower, FoldedChar};

use super::Span;

/// Why a pattern cannot be compiled or run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// Python raises `re.error` (or `OverflowError`) for this pattern.
    Syntax(String),
    /// Valid Python, but not run here (see the module docs).
    Unsupported(String),
    /// The match took more steps or memory than allowed (Python would keep running).
    TooExpensive(String),
}

impl Error {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Error::Syntax(m) | Error::Unsupported(m) | Error::TooExpensive(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// The matching steps a caller may still spend, shared by the calls it is passed to.
///
/// One call of the public API gets a fresh budget of [`STEP_BUDGET`] steps. The keyword checks
/// give all the patterns of one verification a single budget, so that a list of patterns, each
/// just under the limit, costs no more than one pattern at the limit: the work of one verdict
/// is bounded whatever its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Budget {
    left: u64,
}

impl Budget {
    /// A fresh budget of [`STEP_BUDGET`] steps.
    pub(crate) fn new() -> Budget {
        Budget { left: STEP_BUDGET }
    }

    /// The steps left.
    pub(crate) fn left(&self) -> u64 {
        self.left
    }

    /// Spends `steps`; `false` (and nothing left) if there were not that many.
    pub(crate) fn spend(&mut self, steps: u64) -> bool {
        match self.left.checked_sub(steps) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.left = 0;
                false
            }
        }
    }

    /// The error for `pattern` when this budget ran out while it ran: the pattern alone was
    /// too expensive (`alone` says why) if it had the whole budget, else together with the
    /// calls before it.
    pub(crate) fn exceeded(&self, pattern: &str, started_with: u64, alone: &str) -> Error {
        let why = if started_with >= STEP_BUDGET {
            alone.to_owned()
        } else {
            format!(
                "with the patterns before it, it takes more than the {STEP_BUDGET} matching \
                 steps one verdict may take"
            )
        };
        Error::TooExpensive(format!("the pattern `{pattern}` is too expensive to run here ({why})"))
    }
}

/// A compiled Python `re` pattern (`re.compile(pattern, flags)`).
#[derive(Clone, Debug)]
pub struct Regex {
    source: String,
    prog: exec::Prog,
    groups: usize,
    folds: bool,
}

/// One match with its capturing groups: `groups[0]` is the whole match, `groups[n]` group `n`
/// (`None` when it did not take part).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captures {
    /// Per group, from group 0 (the whole match).
    pub groups: Vec<Option<Span>>,
}

impl Regex {
    /// Compiles `pattern` with `flags`, or gives the reason Python would raise (or this engine
    /// refuses).
    pub fn new(pattern: &str, flags: Flags) -> Result<Regex, Error> {
        let parsed = parse::parse(pattern, flags)?;
        let prog = exec::compile(&parsed.node, parsed.groups, parsed.quirk, pattern)?;
        Ok(Regex { source: pattern.to_owned(), prog, groups: parsed.groups, folds: parsed.folds })
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The number of capturing groups (`Pattern.groups`).
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The text's characters as the matcher reads them (lowercased only if the pattern
    /// compares lowercase forms).
    fn chars(&self, text: &str) -> Vec<FoldedChar> {
        if self.folds {
            fold_chars(text)
        } else {
            case::plain_chars(text)
        }
    }

    /// Runs `f` on a machine over `chars` limited to what `budget` has left, and charges the
    /// budget for the steps taken.
    fn run<'t, T>(
        &self,
        chars: &'t [FoldedChar],
        budget: &mut Budget,
        f: impl FnOnce(&mut exec::Vm<'_, 't>) -> Result<T, exec::Abort>,
    ) -> Result<(T, exec::Vm<'_, 't>), Error> {
        let start = budget.left();
        let mut vm = exec::Vm::new(&self.prog, chars, start);
        let result = f(&mut vm);
        match result {
            Ok(value) if budget.spend(vm.steps) => Ok((value, vm)),
            _ => {
                budget.spend(u64::MAX);
                Err(budget.exceeded(&self.source, start, "it backtracks too much"))
            }
        }
    }

    /// `re.search`: the first match.
    pub fn search(&self, text: &str) -> Result<Option<Span>, Error> {
        self.search_chars(text, &self.chars(text), &mut Budget::new())
    }

    /// `re.search` with the capturing groups of the match.
    pub fn captures(&self, text: &str) -> Result<Option<Captures>, Error> {
        let chars = self.chars(text);
        let (found, vm) = self.run(&chars, &mut Budget::new(), |vm| vm.search(0, false))?;
        Ok(found.map(|_| {
            let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _, _)| o);
            let groups = (0..=self.groups)
                .map(|g| {
                    let s = vm.caps.get(2 * g).copied().unwrap_or(usize::MAX);
                    let e = vm.caps.get(2 * g + 1).copied().unwrap_or(usize::MAX);
                    (s != usize::MAX && e != usize::MAX && s <= e)
                        .then(|| Span::new(offset(s), offset(e)))
                })
                .collect();
            Captures { groups }
        }))
    }

    /// `re.search` on a text whose characters the caller already prepared with
    /// [`fold_chars`] (which suits every pattern), within `budget`.
    pub(crate) fn search_chars(
        &self,
        text: &str,
        chars: &[FoldedChar],
        budget: &mut Budget,
    ) -> Result<Option<Span>, Error> {
        let (found, _) = self.run(chars, budget, |vm| vm.search(0, false))?;
        let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _, _)| o);
        Ok(found.map(|(s, e)| Span::new(offset(s), offset(e))))
    }

    /// `re.finditer`: the spans of the successive non-overlapping matches (Python 3.7+ rules:
    /// an empty match may directly follow a non-empty one, and after an empty match the next
    /// one must not be empty at the same position).
    pub fn find_iter(&self, text: &str) -> Result<Vec<Span>, Error> {
        self.find_iter_chars(text, &self.chars(text), &mut Budget::new())
    }

    /// [`Regex::find_iter`] on characters prepared with [`fold_chars`], within `budget`.
    pub(crate) fn find_iter_chars(
        &self,
        text: &str,
        chars: &[FoldedChar],
        budget: &mut Budget,
    ) -> Result<Vec<Span>, Error> {
        let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _, _)| o);
        let (out, _) = self.run(chars, budget, |vm| {
            let mut out = Vec::new();
            let mut pos = 0;
            let mut must_advance = false;
            while pos <= chars.len() {
                match vm.search(pos, must_advance)? {
                    None => break,
                    Some((s, e)) => {
                        out.push(Span::new(offset(s), offset(e)));
                        must_advance = s == e;
                        pos = e;
                    }
                }
            }
            Ok(out)
        })?;
        Ok(out)
    }

    /// `len(re.split(pattern, text))`: one part more than there are matches, plus one entry
    /// per capturing group per match.
    pub fn split_len(&self, text: &str) -> Result<usize, Error> {
        let matches = self.find_iter(text)?.len();
        Ok(1 + matches.saturating_mul(1 + self.groups))
    }
}

#[cfg(test)]
mod tests;
