//! Python 3.11 `re` syntax (`re/_parser.py`) for `str` patterns, parsed into the tree the matcher
//! runs. Flags are resolved while parsing (a literal under `IGNORECASE` becomes a folded test,
//! `$` under `MULTILINE` the line-end assertion…), so the tree needs no flag context later.
//!
//! Python raises `re.error` for a malformed pattern; every such case is an [`Error::Syntax`]
//! here. The few constructs that are valid Python but not run here (`\N{…}`, the deprecated
//! `(?t)` flag, surrogate code points) are [`Error::Unsupported`].

use super::case::{extra_cases, range_has_cased, sre_iscased, sre_lower};
use super::Error;
use crate::text::pystr;

/// Python's `MAXREPEAT` (2**32 − 1): repeat counts must stay below it.
const MAXREPEAT: u64 = u32::MAX as u64;

/// The deepest nesting of groups accepted (Python's own limit is its recursion limit).
const MAX_DEPTH: usize = 100;

/// The flags in force at a point of the pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `re.IGNORECASE` / `(?i)`.
    pub ignorecase: bool,
    /// `re.MULTILINE` / `(?m)`: `^` and `$` also match at line breaks (`\n`).
    pub multiline: bool,
    /// `re.DOTALL` / `(?s)`: `.` also matches `\n`.
    pub dotall: bool,
    /// `re.VERBOSE` / `(?x)`: whitespace and `#` comments outside classes are ignored.
    pub verbose: bool,
    /// `re.ASCII` / `(?a)`: `\w \d \s \b` and case-insensitivity are ASCII-only.
    pub ascii: bool,
}

/// How one character is compared with a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CharTest {
    /// Exactly this character.
    Exact(char),
    /// `_sre`'s Unicode `IGNORECASE`: the text character's lowercase is `lo` or one of `extra`.
    Fold(char, &'static [char]),
    /// ASCII `IGNORECASE`: the text character's ASCII lowercase is this.
    AsciiFold(char),
}

impl CharTest {
    /// The test for a literal `c` under `flags` (`_compiler.py`'s literal rules).
    fn literal(c: char, flags: Flags) -> CharTest {
        if !flags.ignorecase {
            CharTest::Exact(c)
        } else if flags.ascii {
            if c.is_ascii_alphabetic() {
                CharTest::AsciiFold(c.to_ascii_lowercase())
            } else {
                CharTest::Exact(c)
            }
        } else if !sre_iscased(c) {
            CharTest::Exact(c)
        } else {
            let lo = sre_lower(c);
            CharTest::Fold(lo, extra_cases(lo))
        }
    }

    /// Whether the text character `c` (with `_sre` lowercase `lower`) matches.
    #[inline]
    pub(crate) fn test(self, c: char, lower: char) -> bool {
        match self {
            CharTest::Exact(e) => c == e,
            CharTest::Fold(lo, extra) => lower == lo || extra.contains(&lower),
            CharTest::AsciiFold(lo) => c.to_ascii_lowercase() == lo,
        }
    }
}

/// `\d`, `\w`, `\s` (and negations), Unicode or ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Category {
    kind: CatKind,
    negate: bool,
    ascii: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CatKind {
    Digit,
    Word,
    Space,
}

impl Category {
    fn test(self, c: char) -> bool {
        let hit = match (self.kind, self.ascii) {
            (CatKind::Digit, false) => pystr::is_decimal(c),
            (CatKind::Word, false) => pystr::is_word_char(c),
            (CatKind::Space, false) => pystr::is_space(c),
            (CatKind::Digit, true) => c.is_ascii_digit(),
            (CatKind::Word, true) => c.is_ascii_alphanumeric() || c == '_',
            (CatKind::Space, true) => matches!(c, ' ' | '\t'..='\r'),
        };
        hit != self.negate
    }
}

/// One member of a character class.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Cat(Category),
    /// A member of a Unicode `IGNORECASE` class, folded once: its lowercase and the extra
    /// equivalents of that.
    Lower(char, &'static [char]),
}

/// How a class compares characters (`_optimize_charset`'s `fixup`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClassFold {
    /// The character itself (no `IGNORECASE`, or no cased member).
    Plain,
    /// The `_sre` lowercase of the character, against lowercased members and their extra
    /// equivalents.
    Unicode,
    /// The ASCII lowercase of the character, against ASCII-lowercased members.
    Ascii,
}

/// A character class `[…]` with the flags in force where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Class {
    negate: bool,
    items: Vec<ClassItem>,
    fold: ClassFold,
}

impl Class {
    /// How many members the class has ([`Class::test`] tries them one by one).
    pub(crate) fn members(&self) -> usize {
        self.items.len()
    }

    /// Whether the text character `c` (with `_sre` lowercase `lower`) is in the class.
    pub(crate) fn test(&self, c: char, lower: char) -> bool {
        let hit = match self.fold {
            ClassFold::Plain => self.items.iter().any(|item| match *item {
                ClassItem::Char(m) => c == m,
                ClassItem::Range(a, b) => (a..=b).contains(&c),
                ClassItem::Cat(cat) => cat.test(c),
                ClassItem::Lower(lo, _) => c == lo,
            }),
            ClassFold::Unicode => self.items.iter().any(|item| match *item {
                // Left unfolded by `make_class`: its lowercase is outside the BMP.
                ClassItem::Char(m) => lower == m,
                ClassItem::Range(a, b) => {
                    super::case::range_lowers_to(a, b, lower)
                        || extra_cases(lower).iter().any(|&y| super::case::range_lowers_to(a, b, y))
                        || (u32::from(b) > 0xffff
                            && ((a..=b).contains(&lower)
                                || (a..=b).contains(&super::case::sre_upper(lower))))
                }
                ClassItem::Cat(cat) => cat.test(lower),
                ClassItem::Lower(lo, extra) => lower == lo || extra.contains(&lower),
            }),
            ClassFold::Ascii => {
                let x = c.to_ascii_lowercase();
                self.items.iter().any(|item| match *item {
                    ClassItem::Char(m) => x == m.to_ascii_lowercase(),
                    ClassItem::Range(a, b) => {
                        (a..=b).contains(&x)
                            || (x.is_ascii_lowercase() && (a..=b).contains(&x.to_ascii_uppercase()))
                            || (u32::from(b) > 0xffff
                                && (a..=b).contains(&super::case::sre_upper(x)))
                    }
                    ClassItem::Cat(cat) => cat.test(x),
                    ClassItem::Lower(lo, _) => x == lo,
                })
            }
        };
        hit != self.negate
    }
}

/// A zero-width assertion (`AT` codes), resolved for the flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum At {
    /// `^` without MULTILINE, `\A`.
    Start,
    /// `^` with MULTILINE.
    LineStart,
    /// `$` without MULTILINE: the end, or before a final `\n`.
    End,
    /// `$` with MULTILINE.
    LineEnd,
    /// `\Z`.
    StringEnd,
    /// `\b`.
    Boundary { ascii: bool },
    /// `\B`.
    NonBoundary { ascii: bool },
}

/// Repetition priorities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Greed {
    Greedy,
    Lazy,
    Possessive,
}

/// The parsed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Empty,
    /// A literal character (as written) and its test under the flags.
    Char(char, CharTest),
    NotChar(CharTest),
    Any {
        dotall: bool,
    },
    Class(Box<Class>),
    At(At),
    /// A group; `Some(n)` captures as group `n` (from 1); `None` is a plain `(?:…)`.
    Group(Option<usize>, Box<Node>),
    /// A group with scoped flags `(?i:…)` (its nodes already carry the flags).
    Flagged(Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greed: Greed,
    },
    Atomic(Box<Node>),
    Look {
        behind: bool,
        negate: bool,
        node: Box<Node>,
        width: usize,
    },
    Backref {
        group: usize,
        fold: BackrefFold,
    },
    Cond {
        group: usize,
        yes: Box<Node>,
        no: Box<Node>,
    },
}

/// How a backreference compares characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BackrefFold {
    Exact,
    Unicode,
    Ascii,
}

/// The result of parsing: the tree, the number of capturing groups, and whether any test
/// compares lowercase forms (then the text must be folded).
pub(crate) struct Parsed {
    pub(crate) node: Node,
    pub(crate) groups: usize,
    pub(crate) folds: bool,
    /// CPython's search prefilter where it disagrees with the pattern (see [`prefix_quirk`]).
    pub(crate) quirk: Option<Class>,
}

struct Parser<'p> {
    src: &'p str,
    chars: Vec<char>,
    pos: usize,
    /// Global flags (`(?i)` at the start, or given by the caller).
    global: Flags,
    /// `groupwidths`: per group (index from 1 = slot 0 here), its width once closed.
    widths: Vec<Option<(u64, u64)>>,
    names: Vec<(String, usize)>,
    lookbehind_groups: Option<usize>,
    /// Groups used by conditionals, to check after parsing that they exist.
    cond_refs: Vec<usize>,
    folds: bool,
    depth: usize,
    /// A global `(?u)` was given (incompatible with ASCII).
    unicode_flag: bool,
}

/// Parses `pattern` with the caller's `flags` (`re.compile(pattern, flags)`).
pub(crate) fn parse(pattern: &str, flags: Flags) -> Result<Parsed, Error> {
    let mut p = Parser {
        src: pattern,
        chars: pattern.chars().collect(),
        pos: 0,
        global: flags,
        widths: Vec::new(),
        names: Vec::new(),
        lookbehind_groups: None,
        cond_refs: Vec::new(),
        folds: false,
        depth: 0,
        unicode_flag: false,
    };
    let node = p.alternation(flags, true)?;
    if p.pos < p.chars.len() {
        return Err(p.err("unbalanced parenthesis"));
    }
    if let Some(&g) = p.cond_refs.iter().find(|&&g| g > p.widths.len()) {
        return Err(p.err(&format!("invalid group reference {g}")));
    }
    let quirk = if p.width(&node).0 > 0 { prefix_quirk(&node, p.global.ascii) } else { None };
    Ok(Parsed { node, groups: p.widths.len(), folds: p.folds, quirk })
}

/// CPython's `_compile_info` prefilter, where it differs from the pattern itself.
///
/// When a pattern cannot match empty and starts (through groups) with a class, `_sre` first
/// scans for a character in that class, but `_compiler.py` compiles that copy of the class
/// with the pattern's *global* flags: in `(?a:\W)`, the scan uses Unicode `\W`, so `ẞ` is
/// never a match start though `(?a:\W)` matches it. Returned only in that case (a class with a
/// `\d \w \s` category whose ASCII-ness differs from the global one), as the class the scan
/// really uses.
fn prefix_quirk(node: &Node, global_ascii: bool) -> Option<Class> {
    let mut n = node;
    loop {
        let first = match n {
            Node::Concat(items) => items.first()?,
            other => other,
        };
        match first {
            Node::Group(_, inner) | Node::Flagged(inner) => n = inner,
            Node::Class(c) if c.fold == ClassFold::Plain => {
                let differs = c
                    .items
                    .iter()
                    .any(|item| matches!(item, ClassItem::Cat(cat) if cat.ascii != global_ascii));
                if !differs {
                    return None;
                }
                let items = c
                    .items
                    .iter()
                    .map(|item| match *item {
                        ClassItem::Cat(cat) => {
                            ClassItem::Cat(Category { ascii: global_ascii, ..cat })
                        }
                        ref other => other.clone(),
                    })
                    .collect();
                return Some(Class { negate: c.negate, items, fold: ClassFold::Plain });
            }
            _ => return None,
        }
    }
}

fn concat(mut items: Vec<Node>) -> Node {
    match items.len() {
        0 => Node::Empty,
        1 => items.pop().unwrap_or(Node::Empty),
        _ => Node::Concat(items),
    }
}

impl Parser<'_> {
    fn err(&self, message: &str) -> Error {
        Error::Syntax(format!("`{}` is not a valid Python regular expression: {message}", self.src))
    }

    /// Python's error for `c` where an inline flag or `missing` was expected.
    fn flag_err(&self, c: char, missing: &str) -> Error {
        self.err(if c.is_alphabetic() { "unknown flag" } else { missing })
    }

    fn unsupported(&self, what: &str) -> Error {
        Error::Unsupported(format!("`{}` uses {what}, which is not supported here", self.src))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// `_parse_sub`: branches separated by `|`, up to `)` or the end. Like Python, a prefix
    /// common to all branches is moved out, and branches that are single characters or
    /// classes become one class (which matters under `IGNORECASE`, where classes fold
    /// differently from literals for a few characters).
    fn alternation(&mut self, mut flags: Flags, top: bool) -> Result<Node, Error> {
        self.depth += 1;
        // The whole pattern is level 1; each group (or lookaround) adds one.
        if self.depth > MAX_DEPTH + 1 {
            return Err(self.unsupported("groups nested too deeply"));
        }
        let mut branches: Vec<Vec<Node>> = Vec::new();
        loop {
            let first = top && branches.is_empty();
            branches.push(self.sequence_items(&mut flags, first)?);
            if !self.eat('|') {
                break;
            }
            if top {
                // Global flags found in the first branch apply to the rest of the pattern.
                flags = self.global;
            }
        }
        self.depth -= 1;
        if branches.len() == 1 {
            return Ok(concat(branches.pop().unwrap_or_default()));
        }
        let mut prefix = Vec::new();
        while let Some(head) = branches.first().and_then(|b| b.first()).cloned() {
            if !branches.iter().all(|b| b.first() == Some(&head)) {
                break;
            }
            for b in &mut branches {
                b.remove(0);
            }
            prefix.push(head);
        }
        let single = |b: &Vec<Node>| match b.as_slice() {
            [Node::Char(..)] => true,
            [Node::Class(c)] => !c.negate,
            _ => false,
        };
        let node = if branches.iter().all(single) {
            let mut items: Vec<ClassItem> = Vec::new();
            for b in &branches {
                match b.first() {
                    Some(Node::Char(c, _)) => items.push(ClassItem::Char(*c)),
                    Some(Node::Class(c)) => items.extend(c.items.iter().cloned()),
                    _ => {}
                }
            }
            self.make_class(false, items, flags)
        } else {
            Node::Alt(branches.into_iter().map(concat).collect())
        };
        prefix.push(node);
        Ok(concat(prefix))
    }

    fn sequence(&mut self, flags: &mut Flags, first: bool) -> Result<Node, Error> {
        Ok(concat(self.sequence_items(flags, first)?))
    }

    /// `_parse`: one branch, as its items (plain `(?:…)` groups unpacked, as Python does
    /// once the branch is read).
    fn sequence_items(&mut self, flags: &mut Flags, first: bool) -> Result<Vec<Node>, Error> {
        let mut items: Vec<Node> = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.pos += 1;
            if flags.verbose {
                if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}') {
                    continue;
                }
                if c == '#' {
                    while let Some(k) = self.next() {
                        if k == '\n' {
                            break;
                        }
                    }
                    continue;
                }
            }
            match c {
                '\\' => {
                    let node = self.escape(*flags)?;
                    items.push(node);
                }
                '[' => {
                    let node = self.class(*flags)?;
                    items.push(node);
                }
                '*' | '+' | '?' => self.repeat(&mut items, c, 0)?,
                '{' => {
                    let here = self.pos;
                    if self.peek() == Some('}') {
                        items.push(self.lit('{', *flags));
                        continue;
                    }
                    self.repeat(&mut items, '{', here)?;
                }
                '.' => items.push(Node::Any { dotall: flags.dotall }),
                '^' => {
                    items.push(Node::At(if flags.multiline { At::LineStart } else { At::Start }))
                }
                '$' => items.push(Node::At(if flags.multiline { At::LineEnd } else { At::End })),
                '(' => {
                    if let Some(node) = self.group(flags, first && items.is_empty())? {
                        items.push(node);
                    }
                }
                c => items.push(self.lit(c, *flags)),
            }
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Node::Group(None, inner) => match *inner {
                    Node::Empty => {}
                    Node::Concat(parts) => out.extend(parts),
                    other => out.push(other),
                },
                other => out.push(other),
            }
        }
        Ok(out)
    }

    fn lit(&mut self, c: char, flags: Flags) -> Node {
        let t = CharTest::literal(c, flags);
        self.folds |= matches!(t, CharTest::Fold(..));
        Node::Char(c, t)
    }

    /// A quantifier (`c` = `*`, `+`, `?` or `{` with the brace's contents after `here`).
    fn repeat(&mut self, items: &mut Vec<Node>, c: char, here: usize) -> Result<(), Error> {
        let (min, max): (u64, Option<u64>) = match c {
            '*' => (0, None),
            '+' => (1, None),
            '?' => (0, Some(1)),
            _ => {
                let digits = |p: &mut Parser<'_>| {
                    let mut s = String::new();
                    while let Some(d) = p.peek().filter(char::is_ascii_digit) {
                        s.push(d);
                        p.pos += 1;
                    }
                    s
                };
                let lo = digits(self);
                let hi = if self.eat(',') { Some(digits(self)) } else { None };
                if !self.eat('}') {
                    self.pos = here;
                    // Not a repeat: a literal `{` (uncased, so no flags matter).
                    items.push(Node::Char('{', CharTest::Exact('{')));
                    return Ok(());
                }
                let number = |s: &str| -> Result<Option<u64>, Error> {
                    if s.is_empty() {
                        return Ok(None);
                    }
                    match s.parse::<u64>() {
                        Ok(n) if n < MAXREPEAT => Ok(Some(n)),
                        _ => Err(self.err("the repetition number is too large")),
                    }
                };
                let min = number(&lo)?.unwrap_or(0);
                let max = match &hi {
                    None => Some(min),
                    Some(hi) => number(hi)?,
                };
                if max.is_some_and(|max| max < min) {
                    return Err(self.err("min repeat greater than max repeat"));
                }
                (min, max)
            }
        };
        let Some(last) = items.pop() else {
            return Err(self.err("nothing to repeat"));
        };
        match last {
            Node::At(_) => return Err(self.err("nothing to repeat")),
            Node::Repeat { .. } => return Err(self.err("multiple repeat")),
            _ => {}
        }
        let greed = if self.eat('?') {
            Greed::Lazy
        } else if self.eat('+') {
            Greed::Possessive
        } else {
            Greed::Greedy
        };
        // Counts below MAXREPEAT fit in u32.
        let min = u32::try_from(min).unwrap_or(u32::MAX);
        let max = max.map(|m| u32::try_from(m).unwrap_or(u32::MAX));
        items.push(Node::Repeat { node: Box::new(last), min, max, greed });
        Ok(())
    }

    /// After `(`: a group, or `None` for a comment or global flags.
    fn group(&mut self, flags: &mut Flags, at_start: bool) -> Result<Option<Node>, Error> {
        let mut inner = *flags;
        let mut name = None;
        let mut capture = true;
        let mut atomic = false;
        let mut flagged = false;
        if self.eat('?') {
            let Some(kind) = self.next() else {
                return Err(self.err("unexpected end of pattern"));
            };
            match kind {
                'P' => {
                    if self.eat('<') {
                        let n = self.until('>', "group name")?;
                        self.check_name(&n)?;
                        name = Some(n);
                    } else if self.eat('=') {
                        let n = self.until(')', "group name")?;
                        self.check_name(&n)?;
                        let Some(&(_, gid)) = self.names.iter().find(|(k, _)| *k == n) else {
                            return Err(self.err(&format!("unknown group name '{n}'")));
                        };
                        self.check_ref(gid)?;
                        return Ok(Some(self.backref(gid, *flags)));
                    } else {
                        return Err(match self.next() {
                            None => self.err("unexpected end of pattern"),
                            Some(c) => self.err(&format!("unknown extension ?P{c}")),
                        });
                    }
                }
                ':' => capture = false,
                '#' => loop {
                    match self.next() {
                        None => return Err(self.err("missing ), unterminated comment")),
                        Some(')') => return Ok(None),
                        Some(_) => {}
                    }
                },
                '=' | '!' | '<' => {
                    let (behind, negate) = match kind {
                        '<' => match self.next() {
                            None => return Err(self.err("unexpected end of pattern")),
                            Some('=') => (true, false),
                            Some('!') => (true, true),
                            Some(c) => return Err(self.err(&format!("unknown extension ?<{c}"))),
                        },
                        k => (false, k == '!'),
                    };
                    let outer = self.lookbehind_groups;
                    if behind && outer.is_none() {
                        self.lookbehind_groups = Some(self.widths.len() + 1);
                    }
                    let node = self.alternation(*flags, false)?;
                    if behind {
                        self.lookbehind_groups = outer;
                    }
                    if !self.eat(')') {
                        return Err(self.err("missing ), unterminated subpattern"));
                    }
                    let mut width = 0;
                    if behind {
                        let (lo, hi) = self.width(&node);
                        if lo != hi {
                            return Err(self.err("look-behind requires fixed-width pattern"));
                        }
                        width = usize::try_from(lo).unwrap_or(usize::MAX);
                    }
                    return Ok(Some(Node::Look { behind, negate, node: Box::new(node), width }));
                }
                '(' => return self.conditional(*flags).map(Some),
                '>' => {
                    capture = false;
                    atomic = true;
                }
                'a' | 'i' | 'L' | 'm' | 's' | 'x' | 't' | 'u' | '-' => match self.flags(kind)? {
                    None => {
                        if !at_start {
                            return Err(self.err("global flags not at the start of the expression"));
                        }
                        *flags = self.global;
                        return Ok(None);
                    }
                    Some((add, del)) => {
                        capture = false;
                        flagged = true;
                        inner = combine(*flags, add, del);
                    }
                },
                c => return Err(self.err(&format!("unknown extension ?{c}"))),
            }
        }
        let gid = if capture {
            if let Some(n) = &name {
                if self.names.iter().any(|(k, _)| k == n) {
                    return Err(self.err(&format!("redefinition of group name '{n}'")));
                }
            }
            self.widths.push(None);
            let gid = self.widths.len();
            if let Some(n) = name {
                self.names.push((n, gid));
            }
            Some(gid)
        } else {
            None
        };
        let node = self.alternation(inner, false)?;
        if !self.eat(')') {
            return Err(self.err("missing ), unterminated subpattern"));
        }
        if let Some(gid) = gid {
            let w = self.width(&node);
            if let Some(slot) = self.widths.get_mut(gid - 1) {
                *slot = Some(w);
            }
        }
        Ok(Some(if atomic {
            Node::Atomic(Box::new(node))
        } else if gid.is_none() && flagged {
            Node::Flagged(Box::new(node))
        } else {
            Node::Group(gid, Box::new(node))
        }))
    }

    /// `(?(group)yes|no)`, after `(?(`.
    fn conditional(&mut self, flags: Flags) -> Result<Node, Error> {
        let name = self.until(')', "group name")?;
        let group = if is_identifier(&name) {
            match self.names.iter().find(|(k, _)| *k == name) {
                Some(&(_, gid)) => gid,
                None => return Err(self.err(&format!("unknown group name '{name}'"))),
            }
        } else {
            // `int(name)`: ASCII or other Unicode decimal digits, optional sign and spaces.
            let trimmed = pystr::strip(&name);
            let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
            let value: Option<u64> = if !digits.is_empty()
                && digits.chars().all(pystr::is_decimal)
                && !digits.starts_with('_')
            {
                digits.chars().try_fold(0u64, |acc, d| {
                    let v = u64::from(decimal_value(d)?);
                    acc.checked_mul(10)?.checked_add(v)
                })
            } else {
                None
            };
            match value {
                None => return Err(self.err(&format!("bad character in group name '{name}'"))),
                Some(0) => return Err(self.err("bad group number")),
                Some(g) if g >= 0x3FFF_FFFF => {
                    return Err(self.err(&format!("invalid group reference {g}")))
                }
                Some(g) => usize::try_from(g).unwrap_or(usize::MAX),
            }
        };
        self.cond_refs.push(group);
        self.check_lookbehind(group)?;
        // Its branches are read directly (not through `alternation`): count the level here.
        self.depth += 1;
        if self.depth > MAX_DEPTH + 1 {
            return Err(self.unsupported("groups nested too deeply"));
        }
        let mut f = flags;
        let yes = self.sequence(&mut f, false)?;
        let no = if self.eat('|') {
            let no = self.sequence(&mut f, false)?;
            if self.peek() == Some('|') {
                return Err(self.err("conditional backref with more than two branches"));
            }
            no
        } else {
            Node::Empty
        };
        if !self.eat(')') {
            return Err(self.err("missing ), unterminated subpattern"));
        }
        self.depth -= 1;
        Ok(Node::Cond { group, yes: Box::new(yes), no: Box::new(no) })
    }

    /// `_parse_flags` after `(?` and its first flag character: `None` for global flags
    /// (`(?i)`, applied to [`Parser::global`]), else the scoped `(add, del)`.
    fn flags(&mut self, first: char) -> Result<Option<(Flags, Flags)>, Error> {
        let mut add = Flags::default();
        let mut del = Flags::default();
        let mut c = first;
        let mut type_flags = 0;
        if c != '-' {
            loop {
                match c {
                    'L' => {
                        return Err(
                            self.err("bad inline flags: cannot use 'L' flag with a str pattern")
                        )
                    }
                    't' => return Err(self.unsupported("the TEMPLATE flag `(?t)`")),
                    'a' | 'u' => {
                        type_flags |= if c == 'a' { 1 } else { 2 };
                        if type_flags == 3 {
                            return Err(self
                                .err("bad inline flags: flags 'a', 'u' and 'L' are incompatible"));
                        }
                        add.ascii = c == 'a';
                    }
                    _ => set_flag(&mut add, c),
                }
                c = match self.next() {
                    None => return Err(self.err("missing -, : or )")),
                    Some(c) => c,
                };
                if matches!(c, ')' | '-' | ':') {
                    break;
                }
                if !is_flag(c) {
                    return Err(self.flag_err(c, "missing -, : or )"));
                }
            }
        }
        if c == ')' {
            if (type_flags == 2 && self.global.ascii) || (type_flags == 1 && self.unicode_flag) {
                return Err(self.err("ASCII and UNICODE flags are incompatible"));
            }
            let g = &mut self.global;
            g.ignorecase |= add.ignorecase;
            g.multiline |= add.multiline;
            g.dotall |= add.dotall;
            g.verbose |= add.verbose;
            if type_flags == 1 {
                g.ascii = true;
            }
            self.unicode_flag |= type_flags == 2;
            return Ok(None);
        }
        if c == '-' {
            c = match self.next() {
                None => return Err(self.err("missing flag")),
                Some(c) => c,
            };
            if !is_flag(c) {
                return Err(self.flag_err(c, "missing flag"));
            }
            loop {
                match c {
                    'a' | 'u' | 'L' => {
                        return Err(
                            self.err("bad inline flags: cannot turn off flags 'a', 'u' and 'L'")
                        )
                    }
                    't' => return Err(self.err("bad inline flags: cannot turn off global flag")),
                    _ => set_flag(&mut del, c),
                }
                c = match self.next() {
                    None => return Err(self.err("missing :")),
                    Some(c) => c,
                };
                if c == ':' {
                    break;
                }
                if !is_flag(c) {
                    return Err(self.flag_err(c, "missing :"));
                }
            }
        }
        if (add.ignorecase && del.ignorecase)
            || (add.multiline && del.multiline)
            || (add.dotall && del.dotall)
            || (add.verbose && del.verbose)
        {
            return Err(self.err("bad inline flags: flag turned on and off"));
        }
        // `type_flags` 2 (`u`) scoped: back to Unicode.
        if type_flags == 2 {
            add.ascii = false;
            del.ascii = true;
        } else if type_flags == 1 {
            add.ascii = true;
        }
        Ok(Some((add, del)))
    }

    /// Reads up to `end` (consumed), for a group name.
    fn until(&mut self, end: char, what: &str) -> Result<String, Error> {
        let mut s = String::new();
        loop {
            match self.next() {
                None => return Err(self.err(&format!("missing {end}, unterminated name"))),
                Some(c) if c == end => break,
                Some(c) => s.push(c),
            }
        }
        if s.is_empty() {
            return Err(self.err(&format!("missing {what}")));
        }
        Ok(s)
    }

    fn check_name(&self, name: &str) -> Result<(), Error> {
        if is_identifier(name) {
            Ok(())
        } else {
            Err(self.err(&format!("bad character in group name '{name}'")))
        }
    }

    /// `checkgroup` + `checklookbehindgroup` for a reference to group `gid`.
    fn check_ref(&self, gid: usize) -> Result<(), Error> {
        if !matches!(self.widths.get(gid.wrapping_sub(1)), Some(Some(_))) {
            return Err(self.err("cannot refer to an open group"));
        }
        self.check_lookbehind(gid)
    }

    fn check_lookbehind(&self, gid: usize) -> Result<(), Error> {
        if let Some(lb) = self.lookbehind_groups {
            if !matches!(self.widths.get(gid.wrapping_sub(1)), Some(Some(_))) {
                return Err(self.err("cannot refer to an open group"));
            }
            if gid >= lb {
                return Err(
                    self.err("cannot refer to group defined in the same lookbehind subpattern")
                );
            }
        }
        Ok(())
    }

    fn backref(&mut self, group: usize, flags: Flags) -> Node {
        let fold = if !flags.ignorecase {
            BackrefFold::Exact
        } else if flags.ascii {
            BackrefFold::Ascii
        } else {
            self.folds = true;
            BackrefFold::Unicode
        };
        Node::Backref { group, fold }
    }

    /// `getwidth`: the (min, max) number of characters `node` matches, capped as Python caps.
    fn width(&self, node: &Node) -> (u64, u64) {
        let cap = |(lo, hi): (u64, u64)| (lo.min(MAXREPEAT - 1), hi.min(MAXREPEAT));
        cap(match node {
            Node::Empty | Node::At(_) | Node::Look { .. } => (0, 0),
            Node::Char(..) | Node::NotChar(_) | Node::Any { .. } | Node::Class(_) => (1, 1),
            Node::Group(_, n) | Node::Flagged(n) | Node::Atomic(n) => self.width(n),
            Node::Concat(items) => items.iter().fold((0, 0), |(lo, hi), n| {
                let (l, h) = self.width(n);
                (lo.saturating_add(l), hi.saturating_add(h))
            }),
            Node::Alt(branches) => {
                let mut lo = MAXREPEAT - 1;
                let mut hi = 0;
                for b in branches {
                    let (l, h) = self.width(b);
                    lo = lo.min(l);
                    hi = hi.max(h);
                }
                (lo, hi)
            }
            Node::Repeat { node, min, max, .. } => {
                let (l, h) = self.width(node);
                let max = max.map_or(MAXREPEAT, u64::from);
                (l.saturating_mul(u64::from(*min)), h.saturating_mul(max))
            }
            Node::Backref { group, .. } => {
                self.widths.get(group.wrapping_sub(1)).copied().flatten().unwrap_or((0, 0))
            }
            Node::Cond { yes, no, .. } => {
                let (l, h) = self.width(yes);
                let (nl, nh) = self.width(no);
                (l.min(nl), h.max(nh))
            }
        })
    }

    /// After `\` outside a class.
    fn escape(&mut self, flags: Flags) -> Result<Node, Error> {
        let Some(e) = self.next() else {
            return Err(self.err("bad escape (end of pattern)"));
        };
        let cat = |kind, negate| {
            Node::Class(Box::new(Class {
                negate: false,
                items: vec![ClassItem::Cat(Category { kind, negate, ascii: flags.ascii })],
                fold: ClassFold::Plain,
            }))
        };
        Ok(match e {
            'd' => cat(CatKind::Digit, false),
            'D' => cat(CatKind::Digit, true),
            'w' => cat(CatKind::Word, false),
            'W' => cat(CatKind::Word, true),
            's' => cat(CatKind::Space, false),
            'S' => cat(CatKind::Space, true),
            'A' => Node::At(At::Start),
            'Z' => Node::At(At::StringEnd),
            'b' => Node::At(At::Boundary { ascii: flags.ascii }),
            'B' => Node::At(At::NonBoundary { ascii: flags.ascii }),
            '0'..='9' => {
                if e == '0' {
                    let c = self.octal_tail(e, 2)?;
                    return Ok(self.lit(c, flags));
                }
                let mut digits = String::from(e);
                if let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.pos += 1;
                    digits.push(d);
                    if is_octal(e) && is_octal(d) && self.peek().is_some_and(is_octal) {
                        let d3 = self.next().unwrap_or('0');
                        digits.push(d3);
                        let value = u32::from_str_radix(&digits, 8).unwrap_or(u32::MAX);
                        if value > 0o377 {
                            return Err(self.err(&format!(
                                "octal escape value \\{digits} outside of range 0-0o377"
                            )));
                        }
                        let c = self.code_char(value)?;
                        return Ok(self.lit(c, flags));
                    }
                }
                let group: usize = digits.parse().unwrap_or(usize::MAX);
                if group <= self.widths.len() {
                    self.check_ref(group)?;
                    return Ok(self.backref(group, flags));
                }
                return Err(self.err(&format!("invalid group reference {group}")));
            }
            _ => {
                let c = self.common_escape(e)?;
                self.lit(c, flags)
            }
        })
    }

    /// Up to `more` further octal digits after the first digit `first`, as a character.
    fn octal_tail(&mut self, first: char, more: usize) -> Result<char, Error> {
        let mut value = first.to_digit(8).unwrap_or(0);
        for _ in 0..more {
            match self.peek().and_then(|c| c.to_digit(8)) {
                Some(d) => {
                    self.pos += 1;
                    value = value * 8 + d;
                }
                None => break,
            }
        }
        if value > 0o377 {
            return Err(self.err("octal escape value outside of range 0-0o377"));
        }
        self.code_char(value)
    }

    /// Escapes meaning one character, the same inside and outside a class.
    fn common_escape(&mut self, e: char) -> Result<char, Error> {
        match e {
            'a' => Ok('\x07'),
            'f' => Ok('\x0c'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            'v' => Ok('\x0b'),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut value = 0u32;
                for _ in 0..n {
                    match self.peek().filter(char::is_ascii_hexdigit).and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            self.pos += 1;
                            value = value.saturating_mul(16).saturating_add(d);
                        }
                        None => return Err(self.err(&format!("incomplete escape \\{e}"))),
                    }
                }
                self.code_char(value)
            }
            'N' => Err(self.unsupported("a named character escape `\\N{…}`")),
            c if c.is_ascii_alphanumeric() => Err(self.err(&format!("bad escape \\{c}"))),
            c => Ok(c),
        }
    }

    fn code_char(&self, value: u32) -> Result<char, Error> {
        char::from_u32(value).ok_or_else(|| {
            if value > 0x10_FFFF {
                self.err("bad escape (code point out of range)")
            } else {
                self.unsupported("a surrogate code point")
            }
        })
    }

    /// After `[`: one character set.
    fn class(&mut self, flags: Flags) -> Result<Node, Error> {
        let negate = self.eat('^');
        let mut items: Vec<ClassItem> = Vec::new();
        loop {
            let Some(c) = self.next() else {
                return Err(self.err("unterminated character set"));
            };
            if c == ']' && !items.is_empty() {
                break;
            }
            let first = if c == '\\' { self.class_escape(flags)? } else { ClassItem::Char(c) };
            if self.eat('-') {
                let Some(that) = self.next() else {
                    return Err(self.err("unterminated character set"));
                };
                if that == ']' {
                    items.push(first);
                    items.push(ClassItem::Char('-'));
                    break;
                }
                let second =
                    if that == '\\' { self.class_escape(flags)? } else { ClassItem::Char(that) };
                match (first, second) {
                    (ClassItem::Char(lo), ClassItem::Char(hi)) if lo <= hi => {
                        items.push(ClassItem::Range(lo, hi));
                    }
                    _ => return Err(self.err("bad character range")),
                }
            } else {
                items.push(first);
            }
        }
        // `_uniq`, then a single literal is a literal (or NOT_LITERAL).
        let mut uniq: Vec<ClassItem> = Vec::with_capacity(items.len());
        for item in items {
            if !uniq.contains(&item) {
                uniq.push(item);
            }
        }
        if let [ClassItem::Char(c)] = uniq.as_slice() {
            let c = *c;
            let t = CharTest::literal(c, flags);
            self.folds |= matches!(t, CharTest::Fold(..));
            return Ok(if negate { Node::NotChar(t) } else { Node::Char(c, t) });
        }
        Ok(self.make_class(negate, uniq, flags))
    }

    /// A class of `items` (`_optimize_charset`'s choice of folding for the flags).
    fn make_class(&mut self, negate: bool, items: Vec<ClassItem>, flags: Flags) -> Node {
        let mut uniq: Vec<ClassItem> = Vec::with_capacity(items.len());
        for item in items {
            if !uniq.contains(&item) {
                uniq.push(item);
            }
        }
        let fold = if !flags.ignorecase {
            ClassFold::Plain
        } else if flags.ascii {
            let cased = uniq.iter().any(|item| match *item {
                ClassItem::Char(c) => c.is_ascii_alphabetic() || u32::from(c) > 0xffff,
                ClassItem::Range(a, b) => {
                    u32::from(b) > 0xffff || (a..=b).any(|c| c.is_ascii_alphabetic())
                }
                ClassItem::Cat(_) => false,
                ClassItem::Lower(..) => true,
            });
            if cased {
                ClassFold::Ascii
            } else {
                ClassFold::Plain
            }
        } else {
            let cased = uniq.iter().any(|item| match *item {
                ClassItem::Char(c) => sre_iscased(c) || u32::from(sre_lower(c)) > 0xffff,
                ClassItem::Range(a, b) => u32::from(b) > 0xffff || range_has_cased(a, b),
                ClassItem::Cat(_) => false,
                ClassItem::Lower(..) => true,
            });
            if cased {
                self.folds = true;
                // Fold the single members once (a member whose lowercase is outside the BMP
                // stays as written: `_compiler.py` keeps it unfolded).
                for item in &mut uniq {
                    if let ClassItem::Char(c) = *item {
                        let lo = sre_lower(c);
                        if u32::from(lo) <= 0xffff {
                            *item = ClassItem::Lower(lo, extra_cases(lo));
                        }
                    }
                }
                ClassFold::Unicode
            } else {
                ClassFold::Plain
            }
        };
        Node::Class(Box::new(Class { negate, items: uniq, fold }))
    }

    /// After `\` inside a class.
    fn class_escape(&mut self, flags: Flags) -> Result<ClassItem, Error> {
        let Some(e) = self.next() else {
            return Err(self.err("bad escape (end of pattern)"));
        };
        let cat = |kind, negate| ClassItem::Cat(Category { kind, negate, ascii: flags.ascii });
        Ok(match e {
            'd' => cat(CatKind::Digit, false),
            'D' => cat(CatKind::Digit, true),
            'w' => cat(CatKind::Word, false),
            'W' => cat(CatKind::Word, true),
            's' => cat(CatKind::Space, false),
            'S' => cat(CatKind::Space, true),
            'b' => ClassItem::Char('\x08'),
            '0'..='7' => ClassItem::Char(self.octal_tail(e, 2)?),
            '8' | '9' => return Err(self.err(&format!("bad escape \\{e}"))),
            _ => ClassItem::Char(self.common_escape(e)?),
        })
    }
}

/// `_combine_flags` for a scoped `(?flags-flags:…)`.
fn combine(flags: Flags, add: Flags, del: Flags) -> Flags {
    Flags {
        ignorecase: (flags.ignorecase || add.ignorecase) && !del.ignorecase,
        multiline: (flags.multiline || add.multiline) && !del.multiline,
        dotall: (flags.dotall || add.dotall) && !del.dotall,
        verbose: (flags.verbose || add.verbose) && !del.verbose,
        ascii: if del.ascii { false } else { flags.ascii || add.ascii },
    }
}

fn set_flag(f: &mut Flags, c: char) {
    match c {
        'i' => f.ignorecase = true,
        'm' => f.multiline = true,
        's' => f.dotall = true,
        'x' => f.verbose = true,
        _ => {}
    }
}

fn is_flag(c: char) -> bool {
    matches!(c, 'a' | 'i' | 'L' | 'm' | 's' | 'x' | 't' | 'u')
}

fn is_octal(c: char) -> bool {
    matches!(c, '0'..='7')
}

/// The value of a Unicode decimal digit (`int()` accepts any Nd digit): Nd digits come in
/// runs of ten from a zero, so it is the distance from the run's start modulo ten.
fn decimal_value(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    let cp = u32::from(c);
    let mut k = 0;
    while k < 100 && cp.checked_sub(k + 1).and_then(char::from_u32).is_some_and(pystr::is_decimal) {
        k += 1;
    }
    Some(k % 10)
}

/// Python's `str.isidentifier()`, approximated by Python's `\w` with no leading digit.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| pystr::is_word_char(c) && !pystr::is_decimal(c))
        && chars.all(pystr::is_word_char)
}
