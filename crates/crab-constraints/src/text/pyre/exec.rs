//! The parsed tree compiled into a small instruction list, and the backtracking machine that
//! runs it the way `_sre` does: alternatives and repetitions tried in Python's priority order,
//! an explicit backtrack stack (no recursion), a step budget and a stack cap.

use super::case::FoldedChar;
use super::parse::{At, BackrefFold, CharTest, Class, Greed, Node};
use super::Error;
use crate::text::pystr;

/// The most instructions a compiled pattern may have (counted repeats are unrolled).
const MAX_INSTS: usize = 100_000;

/// The most steps one call may take before giving up (Python would keep going, possibly for
/// hours; the library must answer). A step is one instruction, one character a repeat or a
/// backreference reads, or one test of the start-character filter; testing a character against
/// a class costs one step per [`CLASS_MEMBERS_PER_STEP`] members, so that a huge class or
/// alternation cannot make each step arbitrarily slow. On a release build 10 million steps take
/// about 60 ms (`cargo bench -p crab-constraints --bench bounds`).
pub(crate) const STEP_BUDGET: u64 = 10_000_000;

/// How many members of a class one step pays for (see [`STEP_BUDGET`]).
const CLASS_MEMBERS_PER_STEP: usize = 8;

/// The most backtrack entries at once (bounded memory).
const MAX_FRAMES: usize = 1 << 20;

/// The steps testing a character against `class` costs (see [`STEP_BUDGET`]).
fn class_cost(class: &Class) -> u64 {
    1 + (class.members() / CLASS_MEMBERS_PER_STEP) as u64
}

/// A single-character test (`_sre`'s unit codes).
#[derive(Clone, Debug, PartialEq)]
enum Unit {
    Char(CharTest),
    NotChar(CharTest),
    Any,
    AnyAll,
    Class(Box<Class>),
}

impl Unit {
    fn of(node: &Node) -> Option<Unit> {
        Some(match node {
            Node::Char(_, t) => Unit::Char(*t),
            Node::NotChar(t) => Unit::NotChar(*t),
            Node::Any { dotall: false } => Unit::Any,
            Node::Any { dotall: true } => Unit::AnyAll,
            Node::Class(c) => Unit::Class(c.clone()),
            _ => return None,
        })
    }

    /// The steps one test costs: one, or one per [`CLASS_MEMBERS_PER_STEP`] members of a class
    /// (rounded down, plus one).
    fn cost(&self) -> u64 {
        match self {
            Unit::Class(class) => class_cost(class),
            _ => 1,
        }
    }

    #[inline]
    fn test(&self, &(_, c, lower): &FoldedChar) -> bool {
        match self {
            Unit::Char(t) => t.test(c, lower),
            Unit::NotChar(t) => !t.test(c, lower),
            Unit::Any => c != '\n',
            Unit::AnyAll => true,
            Unit::Class(class) => class.test(c, lower),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LookKind {
    Positive,
    Negative,
    Atomic,
}

#[derive(Clone, Debug)]
enum Inst {
    Unit(Unit),
    /// A repeated single-character test (`REPEAT_ONE` / `MIN_REPEAT_ONE`); `max` `u32::MAX` is
    /// unbounded.
    RepeatOne {
        unit: Unit,
        min: u32,
        max: u32,
        greed: Greed,
    },
    At(At),
    Save(usize),
    /// Try `.0` first, then `.1`.
    Split(usize, usize),
    Jmp(usize),
    /// Remember where an iteration of a repeat that can match empty starts.
    RepStart(usize),
    /// After such an iteration: if it matched empty, go on at `.1` instead of iterating again.
    RepCheck(usize, usize),
    Backref(usize, BackrefFold),
    /// Go to `.1` unless group `.0` has matched.
    CondJmp(usize, usize),
    /// Start of a lookaround (`back` characters behind for a lookbehind) or atomic group; the
    /// instruction after its end is `resume`.
    LookStart {
        kind: LookKind,
        back: usize,
        resume: usize,
    },
    /// End of a positive lookaround or atomic group: keep the match, drop its alternatives.
    Cut,
    /// End of a negative lookaround: its pattern matched, so the assertion fails.
    NegEnd,
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Prog {
    insts: Vec<Inst>,
    regs: usize,
    slots: usize,
    /// Tests one of which the first character of a match passes (`None`: no such restriction
    /// known, e.g. the pattern can match empty).
    first: Option<Vec<Unit>>,
    /// CPython's own start-character scan where it is stricter than the pattern.
    quirk: Option<Class>,
}

/// Compiles `node` with `groups` capturing groups.
pub(crate) fn compile(
    node: &Node,
    groups: usize,
    quirk: Option<Class>,
    source: &str,
) -> Result<Prog, Error> {
    let mut c = Compiler { insts: Vec::new(), regs: 0, source };
    c.emit(node)?;
    c.push(Inst::Match)?;
    let f = firsts(node);
    // Each distinct test once: the branches of a long alternation often begin alike.
    let mut tests: Vec<Unit> = Vec::with_capacity(f.tests.len());
    for t in f.tests {
        if !tests.contains(&t) {
            tests.push(t);
        }
    }
    let first = (!f.nullable && !f.any && !tests.is_empty()).then_some(tests);
    Ok(Prog { insts: c.insts, regs: c.regs, slots: 2 * (groups + 1), first, quirk })
}

struct Compiler<'s> {
    insts: Vec<Inst>,
    regs: usize,
    source: &'s str,
}

impl Compiler<'_> {
    fn push(&mut self, inst: Inst) -> Result<usize, Error> {
        if self.insts.len() >= MAX_INSTS {
            return Err(Error::Unsupported(format!(
                "`{}` is too large to run here (its repeat counts unroll too far)",
                self.source
            )));
        }
        self.insts.push(inst);
        Ok(self.insts.len() - 1)
    }

    fn patch(&mut self, at: usize, inst: Inst) {
        if let Some(slot) = self.insts.get_mut(at) {
            *slot = inst;
        }
    }

    fn emit(&mut self, node: &Node) -> Result<(), Error> {
        match node {
            Node::Empty => {}
            Node::Char(..) | Node::NotChar(_) | Node::Any { .. } | Node::Class(_) => {
                if let Some(unit) = Unit::of(node) {
                    self.push(Inst::Unit(unit))?;
                }
            }
            Node::At(at) => {
                self.push(Inst::At(*at))?;
            }
            Node::Group(Some(g), inner) => {
                self.push(Inst::Save(2 * g))?;
                self.emit(inner)?;
                self.push(Inst::Save(2 * g + 1))?;
            }
            Node::Group(None, inner) | Node::Flagged(inner) => self.emit(inner)?,
            Node::Concat(items) => {
                for item in items {
                    self.emit(item)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                let last = branches.len().saturating_sub(1);
                for (i, b) in branches.iter().enumerate() {
                    if i == last {
                        self.emit(b)?;
                    } else {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(b)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.insts.len();
                        self.patch(split, Inst::Split(split + 1, next));
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.patch(j, Inst::Jmp(end));
                }
            }
            Node::Repeat { node: inner, min, max, greed } => {
                self.repeat(inner, *min, *max, *greed)?;
            }
            Node::Atomic(inner) => self.atomic(|c| c.emit(inner))?,
            Node::Look { behind, negate, node: inner, width } => {
                let kind = if *negate { LookKind::Negative } else { LookKind::Positive };
                let back = if *behind { *width } else { 0 };
                let start = self.push(Inst::LookStart { kind, back, resume: 0 })?;
                self.emit(inner)?;
                self.push(if *negate { Inst::NegEnd } else { Inst::Cut })?;
                let resume = self.insts.len();
                self.patch(start, Inst::LookStart { kind, back, resume });
            }
            Node::Backref { group, fold } => {
                self.push(Inst::Backref(*group, *fold))?;
            }
            Node::Cond { group, yes, no } => {
                let cond = self.push(Inst::CondJmp(*group, 0))?;
                self.emit(yes)?;
                let jmp = self.push(Inst::Jmp(0))?;
                let no_at = self.insts.len();
                self.emit(no)?;
                let end = self.insts.len();
                self.patch(cond, Inst::CondJmp(*group, no_at));
                self.patch(jmp, Inst::Jmp(end));
            }
        }
        Ok(())
    }

    fn atomic(&mut self, body: impl FnOnce(&mut Self) -> Result<(), Error>) -> Result<(), Error> {
        let start = self.push(Inst::LookStart { kind: LookKind::Atomic, back: 0, resume: 0 })?;
        body(self)?;
        self.push(Inst::Cut)?;
        let resume = self.insts.len();
        self.patch(start, Inst::LookStart { kind: LookKind::Atomic, back: 0, resume });
        Ok(())
    }

    fn repeat(
        &mut self,
        inner: &Node,
        min: u32,
        max: Option<u32>,
        greed: Greed,
    ) -> Result<(), Error> {
        if let Some(unit) = Unit::of(inner) {
            self.push(Inst::RepeatOne { unit, min, max: max.unwrap_or(u32::MAX), greed })?;
            return Ok(());
        }
        if greed == Greed::Possessive {
            return self.atomic(|c| c.repeat(inner, min, max, Greed::Greedy));
        }
        let lazy = greed == Greed::Lazy;
        for _ in 0..min {
            let before = self.insts.len();
            self.emit(inner)?;
            if self.insts.len() == before {
                // Repeating nothing is nothing (and must not loop billions of times).
                break;
            }
        }
        let nullable = firsts(inner).nullable;
        match max {
            None => {
                // L: split(body, exit); body; [empty check]; jmp L; exit:
                let split = self.push(Inst::Split(0, 0))?;
                let reg = self.regs;
                if nullable {
                    self.regs += 1;
                    self.push(Inst::RepStart(reg))?;
                }
                self.emit(inner)?;
                let check = if nullable { Some(self.push(Inst::RepCheck(reg, 0))?) } else { None };
                self.push(Inst::Jmp(split))?;
                let exit = self.insts.len();
                let body = split + 1;
                self.patch(
                    split,
                    if lazy { Inst::Split(exit, body) } else { Inst::Split(body, exit) },
                );
                if let Some(check) = check {
                    self.patch(check, Inst::RepCheck(reg, exit));
                }
            }
            Some(max) => {
                let mut splits = Vec::new();
                let mut checks = Vec::new();
                for _ in min..max {
                    splits.push(self.push(Inst::Split(0, 0))?);
                    let reg = self.regs;
                    if nullable {
                        self.regs += 1;
                        self.push(Inst::RepStart(reg))?;
                    }
                    self.emit(inner)?;
                    if nullable {
                        checks.push((self.push(Inst::RepCheck(reg, 0))?, reg));
                    }
                }
                let exit = self.insts.len();
                for s in splits {
                    let body = s + 1;
                    self.patch(
                        s,
                        if lazy { Inst::Split(exit, body) } else { Inst::Split(body, exit) },
                    );
                }
                for (c, reg) in checks {
                    self.patch(c, Inst::RepCheck(reg, exit));
                }
            }
        }
        Ok(())
    }
}

/// What a match of a node can start with.
struct Firsts {
    tests: Vec<Unit>,
    /// Some other character may start it.
    any: bool,
    /// It may match the empty string (or starts with something not analysed).
    nullable: bool,
}

fn firsts(node: &Node) -> Firsts {
    let none = |nullable| Firsts { tests: Vec::new(), any: false, nullable };
    match node {
        Node::Empty | Node::At(_) | Node::Look { .. } => none(true),
        Node::Any { .. } => Firsts { tests: Vec::new(), any: true, nullable: false },
        Node::Char(..) | Node::NotChar(_) | Node::Class(_) => {
            Firsts { tests: Unit::of(node).into_iter().collect(), any: false, nullable: false }
        }
        Node::Group(_, inner) | Node::Flagged(inner) | Node::Atomic(inner) => firsts(inner),
        Node::Concat(items) => {
            let mut acc = none(true);
            for item in items {
                let f = firsts(item);
                acc.tests.extend(f.tests);
                acc.any |= f.any;
                if !f.nullable {
                    acc.nullable = false;
                    break;
                }
            }
            acc
        }
        Node::Alt(branches) => {
            let mut acc = none(false);
            for b in branches {
                let f = firsts(b);
                acc.tests.extend(f.tests);
                acc.any |= f.any;
                acc.nullable |= f.nullable;
            }
            acc
        }
        Node::Repeat { node: inner, min, .. } => {
            let mut f = firsts(inner);
            f.nullable |= *min == 0;
            f
        }
        Node::Backref { .. } | Node::Cond { .. } => {
            Firsts { tests: Vec::new(), any: true, nullable: true }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Frame {
    Alt { pc: usize, pos: usize },
    Cap { slot: usize, old: usize },
    Reg { reg: usize, old: usize },
    Look { kind: LookKind, pos: usize, resume: usize },
    GreedyOne { pc: usize, min_pos: usize, pos: usize },
    LazyOne { pc: usize, pos: usize, count: u32 },
}

/// Not set (for capture slots and registers).
const UNSET: usize = usize::MAX;

/// The matching machine for one text; reused across start positions.
pub(crate) struct Vm<'p, 't> {
    prog: &'p Prog,
    chars: &'t [FoldedChar],
    stack: Vec<Frame>,
    /// Capture slots of the last match (2 per group, group 0 included).
    pub(crate) caps: Vec<usize>,
    regs: Vec<usize>,
    /// Steps taken so far.
    pub(crate) steps: u64,
    /// The most steps this machine may take.
    limit: u64,
}

/// Why a run stopped without an answer.
pub(crate) enum Abort {
    Steps,
    Memory,
}

impl<'p, 't> Vm<'p, 't> {
    /// A machine that may take up to `limit` steps (at most [`STEP_BUDGET`] for one call; less
    /// when several calls share a budget).
    pub(crate) fn new(prog: &'p Prog, chars: &'t [FoldedChar], limit: u64) -> Vm<'p, 't> {
        Vm {
            limit,
            prog,
            chars,
            stack: Vec::new(),
            caps: vec![UNSET; prog.slots],
            regs: vec![UNSET; prog.regs],
            steps: 0,
        }
    }

    /// `_sre`'s search from character index `from`: the first start position with a match,
    /// and the match's end. With `must_advance`, an empty match at `from` does not count.
    pub(crate) fn search(
        &mut self,
        from: usize,
        must_advance: bool,
    ) -> Result<Option<(usize, usize)>, Abort> {
        let n = self.chars.len();
        let mut start = from;
        while start <= n {
            // The filter's tests cost what they cost beyond the one step a position costs.
            let mut cost = 0;
            let fc = self.chars.get(start);
            let may_start = match &self.prog.first {
                None => true,
                Some(tests) => fc.is_some_and(|fc| {
                    tests.iter().any(|t| {
                        cost += t.cost();
                        t.test(fc)
                    })
                }),
            } && match &self.prog.quirk {
                None => true,
                Some(class) => fc.is_some_and(|&(_, c, l)| {
                    cost += class_cost(class);
                    class.test(c, l)
                }),
            };
            self.steps += cost.saturating_sub(1);
            if may_start {
                if let Some(end) = self.run_at(start, must_advance && start == from)? {
                    return Ok(Some((start, end)));
                }
            } else {
                self.steps += 1;
            }
            if self.steps > self.limit {
                return Err(Abort::Steps);
            }
            start += 1;
        }
        Ok(None)
    }

    fn boundary(&self, pos: usize, ascii: bool) -> bool {
        if self.chars.is_empty() {
            return false;
        }
        let word = |c: char| {
            if ascii {
                c.is_ascii_alphanumeric() || c == '_'
            } else {
                pystr::is_word_char(c)
            }
        };
        let before =
            pos.checked_sub(1).and_then(|j| self.chars.get(j)).is_some_and(|&(_, c, _)| word(c));
        let after = self.chars.get(pos).is_some_and(|&(_, c, _)| word(c));
        before != after
    }

    fn at(&self, at: At, pos: usize) -> bool {
        let n = self.chars.len();
        let char_at = |i: usize| self.chars.get(i).map(|&(_, c, _)| c);
        match at {
            At::Start => pos == 0,
            At::LineStart => pos == 0 || pos.checked_sub(1).and_then(char_at) == Some('\n'),
            At::End => pos == n || (pos + 1 == n && char_at(pos) == Some('\n')),
            At::LineEnd => pos == n || char_at(pos) == Some('\n'),
            At::StringEnd => pos == n,
            At::Boundary { ascii } => self.boundary(pos, ascii),
            At::NonBoundary { ascii } => !self.chars.is_empty() && !self.boundary(pos, ascii),
        }
    }

    fn push(&mut self, frame: Frame) -> Result<(), Abort> {
        if self.stack.len() >= MAX_FRAMES {
            return Err(Abort::Memory);
        }
        self.stack.push(frame);
        Ok(())
    }

    fn set_cap(&mut self, slot: usize, pos: usize) -> Result<(), Abort> {
        let old = self.caps.get(slot).copied().unwrap_or(UNSET);
        self.push(Frame::Cap { slot, old })?;
        if let Some(s) = self.caps.get_mut(slot) {
            *s = pos;
        }
        Ok(())
    }

    fn group(&self, g: usize) -> Option<(usize, usize)> {
        let s = self.caps.get(2 * g).copied().unwrap_or(UNSET);
        let e = self.caps.get(2 * g + 1).copied().unwrap_or(UNSET);
        (s != UNSET && e != UNSET && s <= e).then_some((s, e))
    }

    /// The index of the innermost open lookaround / atomic frame.
    fn innermost_look(&self) -> Option<usize> {
        self.stack.iter().rposition(|f| matches!(f, Frame::Look { .. }))
    }

    /// Tries a match starting exactly at `start`; returns its end.
    fn run_at(&mut self, start: usize, must_advance: bool) -> Result<Option<usize>, Abort> {
        let insts = &self.prog.insts;
        let n = self.chars.len();
        self.stack.clear();
        self.caps.iter_mut().for_each(|c| *c = UNSET);
        self.regs.iter_mut().for_each(|r| *r = UNSET);
        let mut pc = 0usize;
        let mut pos = start;
        loop {
            self.steps += 1;
            if self.steps > self.limit {
                return Err(Abort::Steps);
            }
            let Some(inst) = insts.get(pc) else {
                return Ok(None);
            };
            let ok = match inst {
                Inst::Unit(unit) => {
                    self.steps += unit.cost() - 1;
                    if self.chars.get(pos).is_some_and(|fc| unit.test(fc)) {
                        pos += 1;
                        pc += 1;
                        true
                    } else {
                        false
                    }
                }
                Inst::RepeatOne { unit, min, max, greed } => {
                    let (min, max) = (*min as usize, *max as usize);
                    // Reads no further than the steps left pay for (one more is over the limit).
                    let cost = unit.cost();
                    let affordable = usize::try_from(self.limit.saturating_sub(self.steps) / cost)
                        .unwrap_or(usize::MAX)
                        .saturating_add(1);
                    let limit = n.min(pos.saturating_add(max)).min(pos.saturating_add(affordable));
                    match greed {
                        Greed::Greedy | Greed::Possessive => {
                            let mut end = pos;
                            while end < limit && self.chars.get(end).is_some_and(|fc| unit.test(fc))
                            {
                                end += 1;
                            }
                            self.steps += (end - pos) as u64 * cost;
                            if end - pos < min {
                                false
                            } else {
                                let min_pos = pos + min;
                                if end > min_pos && *greed == Greed::Greedy {
                                    self.push(Frame::GreedyOne { pc: pc + 1, min_pos, pos: end })?;
                                }
                                pos = end;
                                pc += 1;
                                true
                            }
                        }
                        Greed::Lazy => {
                            let mut end = pos;
                            while end - pos < min
                                && end < limit
                                && self.chars.get(end).is_some_and(|fc| unit.test(fc))
                            {
                                end += 1;
                            }
                            self.steps += (end - pos) as u64 * cost;
                            if end - pos < min {
                                false
                            } else {
                                if min < max {
                                    let count = u32::try_from(min).unwrap_or(u32::MAX);
                                    self.push(Frame::LazyOne { pc, pos: end, count })?;
                                }
                                pos = end;
                                pc += 1;
                                true
                            }
                        }
                    }
                }
                Inst::At(at) => {
                    let ok = self.at(*at, pos);
                    pc += 1;
                    ok
                }
                Inst::Save(slot) => {
                    self.set_cap(*slot, pos)?;
                    pc += 1;
                    true
                }
                Inst::Split(a, b) => {
                    self.push(Frame::Alt { pc: *b, pos })?;
                    pc = *a;
                    true
                }
                Inst::Jmp(t) => {
                    pc = *t;
                    true
                }
                Inst::RepStart(reg) => {
                    let old = self.regs.get(*reg).copied().unwrap_or(UNSET);
                    self.push(Frame::Reg { reg: *reg, old })?;
                    if let Some(r) = self.regs.get_mut(*reg) {
                        *r = pos;
                    }
                    pc += 1;
                    true
                }
                Inst::RepCheck(reg, exit) => {
                    pc = if self.regs.get(*reg) == Some(&pos) { *exit } else { pc + 1 };
                    true
                }
                Inst::Backref(g, fold) => match self.group(*g) {
                    None => false,
                    Some((s, e)) => {
                        let len = e - s;
                        let same = pos + len <= n
                            && (0..len).all(|k| {
                                match (self.chars.get(s + k), self.chars.get(pos + k)) {
                                    (Some(&(_, a, la)), Some(&(_, b, lb))) => match fold {
                                        BackrefFold::Exact => a == b,
                                        BackrefFold::Unicode => la == lb,
                                        BackrefFold::Ascii => a.eq_ignore_ascii_case(&b),
                                    },
                                    _ => false,
                                }
                            });
                        self.steps += len as u64;
                        if same {
                            pos += len;
                            pc += 1;
                        }
                        same
                    }
                },
                Inst::CondJmp(g, no) => {
                    pc = if self.group(*g).is_some() { pc + 1 } else { *no };
                    true
                }
                Inst::LookStart { kind, back, resume } => match pos.checked_sub(*back) {
                    None => {
                        // Not enough text behind: a negative lookbehind holds, a positive one
                        // fails.
                        pc = *resume;
                        *kind == LookKind::Negative
                    }
                    Some(from) => {
                        self.push(Frame::Look { kind: *kind, pos, resume: *resume })?;
                        pos = from;
                        pc += 1;
                        true
                    }
                },
                Inst::Cut => {
                    if let Some(k) = self.innermost_look() {
                        if let Some(&Frame::Look { kind, pos: saved, .. }) = self.stack.get(k) {
                            if kind == LookKind::Positive {
                                pos = saved;
                            }
                        }
                        // Keep only the capture and register restorations above the barrier.
                        let mut w = k;
                        for r in k + 1..self.stack.len() {
                            if let Some(&f) = self.stack.get(r) {
                                if matches!(f, Frame::Cap { .. } | Frame::Reg { .. }) {
                                    if let Some(slot) = self.stack.get_mut(w) {
                                        *slot = f;
                                    }
                                    w += 1;
                                }
                            }
                        }
                        self.stack.truncate(w);
                    }
                    pc += 1;
                    true
                }
                Inst::NegEnd => {
                    // Undo everything down to the barrier, then fail past it.
                    while let Some(f) = self.stack.pop() {
                        match f {
                            Frame::Cap { slot, old } => {
                                if let Some(s) = self.caps.get_mut(slot) {
                                    *s = old;
                                }
                            }
                            Frame::Reg { reg, old } => {
                                if let Some(r) = self.regs.get_mut(reg) {
                                    *r = old;
                                }
                            }
                            Frame::Look { .. } => break,
                            _ => {}
                        }
                    }
                    false
                }
                Inst::Match => {
                    if must_advance && pos == start {
                        false
                    } else {
                        if let Some(s) = self.caps.get_mut(0) {
                            *s = start;
                        }
                        if let Some(s) = self.caps.get_mut(1) {
                            *s = pos;
                        }
                        return Ok(Some(pos));
                    }
                }
            };
            if ok {
                continue;
            }
            // Backtrack.
            loop {
                let Some(frame) = self.stack.pop() else {
                    return Ok(None);
                };
                match frame {
                    Frame::Alt { pc: p, pos: q } => {
                        pc = p;
                        pos = q;
                        break;
                    }
                    Frame::Cap { slot, old } => {
                        if let Some(s) = self.caps.get_mut(slot) {
                            *s = old;
                        }
                    }
                    Frame::Reg { reg, old } => {
                        if let Some(r) = self.regs.get_mut(reg) {
                            *r = old;
                        }
                    }
                    Frame::Look { kind, pos: saved, resume } => {
                        if kind == LookKind::Negative {
                            pos = saved;
                            pc = resume;
                            break;
                        }
                    }
                    Frame::GreedyOne { pc: p, min_pos, pos: q } => {
                        let q = q - 1;
                        if q > min_pos {
                            self.push(Frame::GreedyOne { pc: p, min_pos, pos: q })?;
                        }
                        pc = p;
                        pos = q;
                        break;
                    }
                    Frame::LazyOne { pc: p, pos: q, count } => {
                        let Some(Inst::RepeatOne { unit, max, .. }) = insts.get(p) else {
                            continue;
                        };
                        self.steps += unit.cost();
                        if count < *max && self.chars.get(q).is_some_and(|fc| unit.test(fc)) {
                            if count + 1 < *max {
                                self.push(Frame::LazyOne { pc: p, pos: q + 1, count: count + 1 })?;
                            }
                            pc = p + 1;
                            pos = q + 1;
                            break;
                        }
                    }
                }
            }
        }
    }
}
