//! NLTK's `word_tokenize`: Punkt sentences, then the improved Treebank word tokenizer
//! (`NLTKWordTokenizer` in nltk 3.10's `tokenize/destructive.py`), with the source span of every
//! token.
//!
//! # Why it is shaped this way
//!
//! NLTK's tokenizer is a cascade of about thirty `re.sub` calls over the whole sentence; each one
//! sees the output of the previous one, so the order effects (a comma consumed as the context of
//! the previous match, a period padded twice, a quote turned into ` `` ` before the contraction
//! rules run) are part of the behaviour. Several patterns use look-around, a possessive
//! quantifier, case-insensitive matching and Python's character classes, none of which the
//! `regex` crate reproduces, so every rule here is a small hand-written scanner that follows the
//! `re.sub` semantics of its pattern exactly: leftmost match first, non-overlapping, and
//! look-around evaluated on that rule's input.
//!
//! The rules run over a buffer of [`Ch`]: a character together with the byte offset of the source
//! character it came from (padding spaces have none). Because the cascade only inserts spaces,
//! collapses whitespace and rewrites quote characters in place, every token is a contiguous run of
//! source characters, and the spans fall out of the final split for free; a converted quote
//! (`"` → ` `` ` or `''`) points at the `"` (or the two `'`) it replaced.
//!
//! Two regex engines are involved in NLTK: the patterns compiled through `nltk.redos` run on the
//! third-party `regex` package, whose `\w`, `\d` and `\s` differ from the standard library's
//! (combining marks are `\w`, its Unicode is newer, U+001C..U+001F are not `\s`, `(?i)` does not
//! fold `ı`): those rules use the `regex` classes of [`pystr`] (`is_regex_*`,
//! [`pystr::regex_ignorecase_eq`]). The MacIntyre contraction rules are compiled with the
//! standard `re` and the final `str.split()` is Python's, so those use the `re` classes
//! ([`pystr::is_word_char`], [`pystr::is_space`], [`pystr::re_ignorecase_eq`]).
//!
//! Rules that cannot match leave the buffer untouched (no copy), and a rule whose characters do
//! not occur in the sentence is not even scanned (`Triggers`), so a typical sentence costs a few
//! linear scans plus the handful of rewrites that actually fire.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{punkt, pystr, Span};
use pystr::{
    is_regex_digit, is_regex_space, is_regex_word_char, re_ignorecase_eq, regex_ignorecase_eq,
};

/// One token of `word_tokenize`: its text (which may differ from the source, e.g. `"` becomes
/// ` `` `) and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The token as NLTK returns it.
    pub text: String,
    /// The bytes of the original text it was made from.
    pub span: Span,
}

/// The token's text, so that tokens can be tagged ([`crate::text::pos::PosTagger::tag`]).
impl AsRef<str> for Token {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// `nltk.word_tokenize(text)` (language "english", `preserve_line=False`): the Punkt sentences of
/// `text`, each tokenized by [`tokenize_sentence`], with spans into `text`.
pub fn word_tokenize(text: &str) -> Vec<Token> {
    word_tokenize_sentences(text, &punkt::sentence_spans(text))
}

/// [`word_tokenize`] of `text` given its Punkt sentences (`punkt::sentence_spans(text)`), for a
/// caller that has them already ([`crate::text::Analysis`]): splitting a long text into sentences
/// is a good part of tokenizing it.
pub fn word_tokenize_sentences(text: &str, sentences: &[Span]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut cascade = Cascade::default();
    for span in sentences {
        cascade.run(span.slice(text), span.start, &mut tokens);
    }
    tokens
}

/// `NLTKWordTokenizer().tokenize(sentence)` (no parenthesis conversion), with each token's span
/// into `sentence` shifted by `base` (the sentence's offset in a larger text).
pub fn tokenize_sentence(sentence: &str, base: usize) -> Vec<Token> {
    let mut tokens = Vec::new();
    Cascade::default().run(sentence, base, &mut tokens);
    tokens
}

/// The tokens of sentences by their text, shared by the analyses of successive versions of a
/// text (a response being typed, see `ifeval::verify_live_memo`): a sentence that the previous
/// version had too is not tokenized again. A sentence's tokens depend on nothing but its text,
/// so they are the same as without the memo. It holds the sentences of the last two texts only
/// ([`SentenceMemo::next_text`] starts a new one), so it stays about as large as the text.
#[derive(Debug, Default)]
pub struct SentenceMemo {
    current: RefCell<HashMap<Box<str>, Rc<[Token]>>>,
    previous: RefCell<HashMap<Box<str>, Rc<[Token]>>>,
}

impl SentenceMemo {
    /// Starts the next text: sentences not seen in this one or the last are forgotten.
    pub fn next_text(&self) {
        let current = self.current.take();
        self.previous.replace(current);
    }

    /// The tokens of `sentence` (spans from its start), remembered or from `compute`.
    fn tokens(&self, sentence: &str, compute: impl FnOnce() -> Vec<Token>) -> Rc<[Token]> {
        if let Some(known) = self.current.borrow().get(sentence) {
            return Rc::clone(known);
        }
        let tokens = match self.previous.borrow_mut().remove(sentence) {
            Some(known) => known,
            None => Rc::from(compute()),
        };
        self.current.borrow_mut().insert(sentence.into(), Rc::clone(&tokens));
        tokens
    }
}

/// [`word_tokenize_sentences`] with the sentences' tokens from `memo` where it has them.
pub fn word_tokenize_sentences_memo(
    text: &str,
    sentences: &[Span],
    memo: &SentenceMemo,
) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut cascade = Cascade::default();
    for span in sentences {
        let sentence = span.slice(text);
        let local = memo.tokens(sentence, || {
            let mut local = Vec::new();
            cascade.run(sentence, 0, &mut local);
            local
        });
        tokens.extend(local.iter().map(|t| Token {
            text: t.text.clone(),
            span: Span::new(t.span.start + span.start, t.span.end + span.start),
        }));
    }
    tokens
}

/// Marks a padding character that no source character produced.
const NO_SOURCE: usize = usize::MAX;

/// One character of the working buffer and the byte offset (in the sentence) of the source
/// character it came from, or [`NO_SOURCE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ch {
    c: char,
    src: usize,
}

impl Ch {
    const SPACE: Ch = Ch { c: ' ', src: NO_SOURCE };

    /// `c`, made from the source character at `src`.
    const fn from(c: char, src: usize) -> Ch {
        Ch { c, src }
    }
}

/// Which characters a rule looks for may occur in the buffer: a superset, so that a rule whose
/// pattern cannot match is skipped without scanning. The cascade only inserts spaces and the
/// quotes it converts, so the characters of the sentence (plus those quotes) are enough.
#[derive(Default)]
struct Triggers {
    /// Bit `b` is set if the ASCII character `b` may occur.
    ascii: u128,
    /// Whether the sentence has a character outside ASCII (`(?i)` letters may then match it).
    non_ascii: bool,
    /// `«`, `“`, `‘` or `„`.
    opening_quotes: bool,
    /// U+2012..U+2015.
    figure_dashes: bool,
    /// `»`, `”` or `’`.
    closing_quotes: bool,
}

impl Triggers {
    /// The bit set of the ASCII characters in `chars`.
    const fn set(mut chars: &[u8]) -> u128 {
        let mut bits = 0;
        while let [c, rest @ ..] = chars {
            bits |= 1 << (*c & 0x7f);
            chars = rest;
        }
        bits
    }

    fn add(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii |= 1 << u32::from(c);
            return;
        }
        self.non_ascii = true;
        match c {
            '«' | '“' | '‘' | '„' => self.opening_quotes = true,
            '\u{2012}'..='\u{2015}' => self.figure_dashes = true,
            '»' | '”' | '’' => self.closing_quotes = true,
            _ => {}
        }
    }

    /// Whether one of the ASCII `chars` may occur.
    fn any(&self, chars: &[u8]) -> bool {
        self.ascii & Triggers::set(chars) != 0
    }

    /// Whether every character of the ASCII `word` may occur, letters in either case or as a
    /// non-ASCII character that `(?i)` equates with them.
    fn all_ignorecase(&self, word: &[u8]) -> bool {
        self.non_ascii
            || word.iter().all(|&b| {
                let cases = [b, b.to_ascii_lowercase(), b.to_ascii_uppercase()];
                self.any(&cases)
            })
    }
}

/// The two buffers the cascade alternates between; reused across the sentences of one text.
#[derive(Default)]
struct Cascade {
    buf: Vec<Ch>,
    out: Vec<Ch>,
}

/// Builds a rule's output lazily: nothing is copied until the first match, so a rule that does
/// not fire costs only its scan.
struct Rewriter<'a> {
    input: &'a [Ch],
    out: &'a mut Vec<Ch>,
    /// Input position up to which the output has been written.
    done: usize,
    changed: bool,
}

impl<'a> Rewriter<'a> {
    fn new(input: &'a [Ch], out: &'a mut Vec<Ch>) -> Self {
        out.clear();
        Rewriter { input, out, done: 0, changed: false }
    }

    /// Replaces `input[at..at + len]` by `with` (`at` must not precede earlier replacements).
    fn replace(&mut self, at: usize, len: usize, with: &[Ch]) {
        self.replace_parts(at, len, &[with]);
    }

    /// Replaces `input[at..at + len]` by the concatenation of `parts`.
    fn replace_parts(&mut self, at: usize, len: usize, parts: &[&[Ch]]) {
        let end = (at + len).min(self.input.len());
        let at = at.clamp(self.done, end);
        self.out.extend_from_slice(range(self.input, self.done, at));
        for part in parts {
            self.out.extend_from_slice(part);
        }
        self.done = end;
        self.changed = true;
    }

    /// Pads `input[at..at + len]` with a space on both sides (`" \g<0> "`).
    fn pad(&mut self, at: usize, len: usize) {
        let end = (at + len).min(self.input.len());
        let at = at.clamp(self.done, end);
        self.out.extend_from_slice(range(self.input, self.done, at));
        self.out.push(Ch::SPACE);
        self.out.extend_from_slice(range(self.input, at, end));
        self.out.push(Ch::SPACE);
        self.done = end;
        self.changed = true;
    }

    /// Finishes the output; returns whether anything was replaced.
    fn finish(self) -> bool {
        if self.changed {
            self.out.extend_from_slice(self.input.get(self.done..).unwrap_or_default());
        }
        self.changed
    }
}

impl Cascade {
    /// Tokenizes `sentence`, appending tokens with spans shifted by `base` to `tokens`.
    fn run(&mut self, sentence: &str, base: usize, tokens: &mut Vec<Token>) {
        self.buf.clear();
        let mut has = Triggers::default();
        for (i, c) in sentence.char_indices() {
            has.add(c);
            self.buf.push(Ch::from(c, i));
        }
        // Converted quotes are the only characters the cascade inserts besides spaces.
        if has.any(b"\"'") {
            has.ascii |= Triggers::set(b"`'");
        }

        // Starting quotes. A rule runs only if a character it needs may be present.
        if has.opening_quotes || has.any(b"`") {
            self.apply(pad_opening_quotes);
        }
        if has.any(b"\"") {
            self.apply(leading_double_quote);
        }
        if has.any(b"`") {
            self.apply(pad_double_backticks);
        }
        if has.any(b"\"'") {
            self.apply(opening_double_quote);
        }
        if has.any(b"'") {
            self.apply(split_opening_single_quote);
        }
        // Punctuation.
        if has.any(b".") {
            self.apply(final_period_possessive);
        }
        if has.any(b":,") {
            self.apply(comma_colon_before_non_digit);
            self.apply(comma_colon_at_end);
        }
        if has.any(b".") {
            self.apply(pad_dot_runs);
        }
        if has.any(b";@#$%&") {
            self.apply(|s, rw| pad_each(s, rw, |c| matches!(c, ';' | '@' | '#' | '$' | '%' | '&')));
        }
        if has.figure_dashes {
            self.apply(|s, rw| pad_each(s, rw, |c| ('\u{2012}'..='\u{2015}').contains(&c)));
        }
        if has.any(b".") {
            self.apply(final_period);
        }
        if has.any(b"?!") {
            self.apply(|s, rw| pad_each(s, rw, |c| matches!(c, '?' | '!')));
        }
        if has.any(b"'") {
            self.apply(closing_single_quote);
        }
        if has.any(b"*") {
            self.apply(|s, rw| pad_each(s, rw, |c| c == '*'));
        }
        // Parentheses and brackets, then double dashes.
        if has.any(b"[](){}<>") {
            self.apply(|s, rw| {
                pad_each(s, rw, |c| matches!(c, ']' | '[' | '(' | ')' | '{' | '}' | '<' | '>'))
            });
        }
        if has.any(b"-") {
            self.apply(|s, rw| pad_pairs(s, rw, '-'));
        }
        // `" " + text + " "`.
        self.buf.insert(0, Ch::SPACE);
        self.buf.push(Ch::SPACE);
        // Ending quotes.
        if has.closing_quotes {
            self.apply(|s, rw| pad_each(s, rw, |c| matches!(c, '»' | '”' | '’')));
        }
        if has.any(b"'") {
            self.apply(|s, rw| pad_pairs(s, rw, '\''));
        }
        if has.any(b"\"") {
            self.apply(closing_double_quote);
        }
        self.apply(collapse_whitespace);
        if has.any(b"'") {
            self.apply(split_clitic_s_m_d);
            self.apply(split_clitic_ll_re_ve_nt);
        }
        // MacIntyre contractions (standard `re`).
        for (first, second, end) in CONTRACTIONS2 {
            if has.all_ignorecase(first) && has.all_ignorecase(second) {
                self.apply(|s, rw| split_contraction(s, rw, first, second, end));
            }
        }
        for rest in [&b"is"[..], b"was"] {
            if has.all_ignorecase(b"'t") && has.all_ignorecase(rest) {
                self.apply(|s, rw| split_t_contraction(s, rw, rest));
            }
        }
        self.split(sentence, base, tokens);
    }

    /// Runs one rule; keeps its output if it changed anything.
    fn apply(&mut self, rule: impl FnOnce(&[Ch], &mut Rewriter<'_>)) {
        let mut rw = Rewriter::new(&self.buf, &mut self.out);
        rule(&self.buf, &mut rw);
        if rw.finish() {
            std::mem::swap(&mut self.buf, &mut self.out);
        }
    }

    /// `text.split()`: maximal runs of non-whitespace (Python `str.isspace`) become tokens.
    fn split(&self, sentence: &str, base: usize, tokens: &mut Vec<Token>) {
        let mut rest = self.buf.as_slice();
        let mut prev_end = 0;
        loop {
            let start = rest.iter().position(|ch| !pystr::is_space(ch.c));
            let Some(start) = start else { break };
            rest = rest.get(start..).unwrap_or_default();
            let len = rest.iter().position(|ch| pystr::is_space(ch.c)).unwrap_or(rest.len());
            let (word, tail) = rest.split_at(len);
            rest = tail;
            // Every non-space character has a source; the fallbacks only keep this total.
            let mut sourced = word.iter().filter(|ch| ch.src != NO_SOURCE);
            let first = sourced.next();
            let last = sourced.next_back().or(first);
            let start = first.map_or(prev_end, |ch| ch.src);
            let end = last.map_or(start, |ch| {
                let c = sentence.get(ch.src..).and_then(|s| s.chars().next());
                ch.src + c.map_or(0, char::len_utf8)
            });
            prev_end = end;
            // Only the two-character quote tokens can differ from their source text.
            let converted = word.len() == 2 && word.iter().all(|ch| matches!(ch.c, '`' | '\''));
            let text = match sentence.get(start..end) {
                Some(slice) if !converted => slice.to_owned(),
                _ => word.iter().map(|ch| ch.c).collect(),
            };
            tokens.push(Token { text, span: Span::new(base + start, base + end) });
        }
    }
}

/// The character at `i`, if any.
fn at(s: &[Ch], i: usize) -> Option<char> {
    s.get(i).map(|ch| ch.c)
}

/// `s[from..to]`, or nothing if that is out of bounds (which the rules' ranges never are).
fn range(s: &[Ch], from: usize, to: usize) -> &[Ch] {
    s.get(from..to).unwrap_or_default()
}

/// Whether `s[i..]` starts with the ASCII pattern `pat` under `(?i)`, with `eq` the engine's
/// case-insensitive comparison ([`re_ignorecase_eq`] or [`regex_ignorecase_eq`]).
fn starts_with_ci(s: &[Ch], i: usize, pat: &[u8], eq: fn(char, char) -> bool) -> bool {
    let Some(rest) = s.get(i..i + pat.len()) else { return false };
    rest.iter().zip(pat).all(|(ch, &p)| eq(ch.c, char::from(p)))
}

/// `\b` at position `i` for the word-character class `word`.
fn boundary(s: &[Ch], i: usize, word: fn(char) -> bool) -> bool {
    let before = i > 0 && at(s, i - 1).is_some_and(word);
    let after = at(s, i).is_some_and(word);
    before != after
}

/// Positions where `$` (no MULTILINE) matches: the end, and before a final `\n`.
fn is_dollar(s: &[Ch], i: usize) -> bool {
    i == s.len() || (i + 1 == s.len() && at(s, i) == Some('\n'))
}

/// `re.sub(r"[<class>]", r" \g<0> ", text)`: pads every `class` character.
fn pad_each(s: &[Ch], rw: &mut Rewriter<'_>, class: impl Fn(char) -> bool) {
    for (i, ch) in s.iter().enumerate() {
        if class(ch.c) {
            rw.pad(i, 1);
        }
    }
}

/// `\.{2,}` → ` \g<0> `: pads each maximal run of at least two periods.
fn pad_dot_runs(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while i < s.len() {
        let len = s.iter().skip(i).take_while(|ch| ch.c == '.').count();
        if len >= 2 {
            rw.pad(i, len);
        }
        i += len.max(1);
    }
}

/// `re.sub(r"cc", r" cc ", text)` for a doubled character: pads non-overlapping pairs from the
/// left (`---` becomes ` -- -`).
fn pad_pairs(s: &[Ch], rw: &mut Rewriter<'_>, c: char) {
    let mut i = 0;
    while i + 1 < s.len() {
        if at(s, i) == Some(c) && at(s, i + 1) == Some(c) {
            rw.pad(i, 2);
            i += 2;
        } else {
            i += 1;
        }
    }
}

/// `([«“‘„]|[`]+)` → ` \1 `.
fn pad_opening_quotes(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while let Some(c) = at(s, i) {
        match c {
            '«' | '“' | '‘' | '„' => {
                rw.pad(i, 1);
                i += 1;
            }
            '`' => {
                let len = s.iter().skip(i).take_while(|ch| ch.c == '`').count();
                rw.pad(i, len);
                i += len;
            }
            _ => i += 1,
        }
    }
}

/// `^\"` → ` `` ` (no padding yet).
fn leading_double_quote(s: &[Ch], rw: &mut Rewriter<'_>) {
    if let Some(first) = s.first().filter(|ch| ch.c == '"') {
        rw.replace(0, 1, &[Ch::from('`', first.src), Ch::from('`', first.src)]);
    }
}

/// `(``)` → ` \1 `.
fn pad_double_backticks(s: &[Ch], rw: &mut Rewriter<'_>) {
    pad_pairs(s, rw, '`');
}

/// `([ \(\[{<])(\"|\'{2})` → `\1 `` `.
fn opening_double_quote(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while let (Some(&open), Some(&q)) = (s.get(i), s.get(i + 1)) {
        if matches!(open.c, ' ' | '(' | '[' | '{' | '<') {
            let quote = match q.c {
                '"' => Some((1, q.src, q.src)),
                '\'' => s.get(i + 2).filter(|q2| q2.c == '\'').map(|q2| (2, q.src, q2.src)),
                _ => None,
            };
            if let Some((len, a, b)) = quote {
                let with = [open, Ch::SPACE, Ch::from('`', a), Ch::from('`', b), Ch::SPACE];
                rw.replace(i, 1 + len, &with);
                i += 1 + len;
                continue;
            }
        }
        i += 1;
    }
}

/// `(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)` → `\1 ` (`regex` classes).
fn split_opening_single_quote(s: &[Ch], rw: &mut Rewriter<'_>) {
    for (i, &ch) in s.iter().enumerate() {
        if ch.c != '\''
            || i.checked_sub(1).and_then(|j| at(s, j)).is_some_and(is_regex_word_char)
            || !at(s, i + 1).is_some_and(is_regex_word_char)
        {
            continue;
        }
        let clitic = [&b"re"[..], b"ve", b"ll", b"m", b"t", b"s", b"d", b"n"].iter().any(|alt| {
            starts_with_ci(s, i + 1, alt, regex_ignorecase_eq)
                && boundary(s, i + 1 + alt.len(), is_regex_word_char)
        });
        if !clitic {
            rw.replace(i, 1, &[ch, Ch::SPACE]);
        }
    }
}

/// Index of the first character of the trailing run of `regex` `\s`.
fn trailing_space_start(s: &[Ch]) -> usize {
    s.len() - s.iter().rev().take_while(|ch| is_regex_space(ch.c)).count()
}

/// Shared scanner of the two final-period rules `([^\.])(\.)([<closers>]*)\s*$`. The match
/// must run to the end: after the closer run only `\s` may remain (`$` before a final `\n` is
/// covered, `\n` being `\s`). Closers are never `\s` except the space of the possessive
/// variant, so the only candidate is the `.` right before the closers that precede the trailing
/// whitespace. Returns `(i, end of the maximal closer run from i + 2)` for the match at `i`.
fn find_final_period(s: &[Ch], closer: impl Fn(char) -> bool) -> Option<(usize, usize)> {
    let tail = trailing_space_start(s);
    let first_closer = tail - range(s, 0, tail).iter().rev().take_while(|ch| closer(ch.c)).count();
    let i = first_closer.checked_sub(2)?;
    if at(s, i)? == '.' || at(s, i + 1)? != '.' {
        return None;
    }
    let run = first_closer + s.iter().skip(first_closer).take_while(|ch| closer(ch.c)).count();
    Some((i, run))
}

/// `([^\.])(\.)([\]\)}>"\'»”’ ]*+)\s*$` → `\1 \2 \3 ` (possessive closer run; `regex` `\s`).
fn final_period_possessive(s: &[Ch], rw: &mut Rewriter<'_>) {
    let closer = |c| matches!(c, ']' | ')' | '}' | '>' | '"' | '\'' | '»' | '”' | '’' | ' ');
    if let Some((i, run)) = find_final_period(s, closer) {
        let sp: &[Ch] = &[Ch::SPACE];
        let parts = [range(s, i, i + 1), sp, range(s, i + 1, i + 2), sp, range(s, i + 2, run), sp];
        rw.replace_parts(i, s.len() - i, &parts);
    }
}

/// `([^\.])(\.)([\]\)}>"\']*)\s*$` → `\1 \2\3 `.
fn final_period(s: &[Ch], rw: &mut Rewriter<'_>) {
    let closer = |c| matches!(c, ']' | ')' | '}' | '>' | '"' | '\'');
    if let Some((i, run)) = find_final_period(s, closer) {
        let sp: &[Ch] = &[Ch::SPACE];
        rw.replace_parts(i, s.len() - i, &[range(s, i, i + 1), sp, range(s, i + 1, run), sp]);
    }
}

/// `([:,])([^\d])` → ` \1 \2` (`regex` `\d`); the second character is consumed.
fn comma_colon_before_non_digit(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while let (Some(&a), Some(&b)) = (s.get(i), s.get(i + 1)) {
        if matches!(a.c, ':' | ',') && !is_regex_digit(b.c) {
            rw.replace(i, 2, &[Ch::SPACE, a, Ch::SPACE, b]);
            i += 2;
        } else {
            i += 1;
        }
    }
}

/// `([:,])$` → ` \1 `.
fn comma_colon_at_end(s: &[Ch], rw: &mut Rewriter<'_>) {
    // `$` matches at the end and before a final `\n`; at most one of the two positions can
    // follow a `:` or `,`.
    let n = s.len();
    let hit = [n.checked_sub(1), n.checked_sub(2)]
        .into_iter()
        .flatten()
        .find(|&i| matches!(at(s, i), Some(':' | ',')) && is_dollar(s, i + 1));
    if let Some(i) = hit {
        rw.pad(i, 1);
    }
}

/// `([^'])' ` → `\1 ' `.
fn closing_single_quote(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while let Some(&[a, q, space]) = s.get(i..i + 3) {
        if a.c != '\'' && q.c == '\'' && space.c == ' ' {
            rw.replace(i, 3, &[a, Ch::SPACE, q, space]);
            i += 3;
        } else {
            i += 1;
        }
    }
}

/// `"` → ` '' ` (both quotes point at the source `"`).
fn closing_double_quote(s: &[Ch], rw: &mut Rewriter<'_>) {
    for (i, ch) in s.iter().enumerate() {
        if ch.c == '"' {
            let q = Ch::from('\'', ch.src);
            rw.replace(i, 1, &[Ch::SPACE, q, q, Ch::SPACE]);
        }
    }
}

/// `\s+` → ` ` (`regex` `\s`).
fn collapse_whitespace(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while let Some(c) = at(s, i) {
        if is_regex_space(c) {
            let len = s.iter().skip(i).take_while(|ch| is_regex_space(ch.c)).count();
            // A lone space is already the replacement (a space's source is never used).
            if len > 1 || c != ' ' {
                rw.replace(i, len, &[Ch::SPACE]);
            }
            i += len;
        } else {
            i += 1;
        }
    }
}

/// `([^' ])('[sS]|'[mM]|'[dD]|') ` → `\1 \2 `.
fn split_clitic_s_m_d(s: &[Ch], rw: &mut Rewriter<'_>) {
    let mut i = 0;
    while let Some(&[a, q, c]) = s.get(i..i + 3) {
        if !matches!(a.c, '\'' | ' ') && q.c == '\'' {
            let len =
                if matches!(c.c, 's' | 'S' | 'm' | 'M' | 'd' | 'D') && at(s, i + 3) == Some(' ') {
                    Some(2)
                } else if c.c == ' ' {
                    Some(1)
                } else {
                    None
                };
            if let Some(len) = len {
                let sp: &[Ch] = &[Ch::SPACE];
                rw.replace_parts(i, 2 + len, &[&[a], sp, range(s, i + 1, i + 1 + len), sp]);
                i += 2 + len;
                continue;
            }
        }
        i += 1;
    }
}

/// `([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ` → `\1 \2 `.
fn split_clitic_ll_re_ve_nt(s: &[Ch], rw: &mut Rewriter<'_>) {
    const CLITICS: [[char; 3]; 8] = [
        ['\'', 'l', 'l'],
        ['\'', 'L', 'L'],
        ['\'', 'r', 'e'],
        ['\'', 'R', 'E'],
        ['\'', 'v', 'e'],
        ['\'', 'V', 'E'],
        ['n', '\'', 't'],
        ['N', '\'', 'T'],
    ];
    let mut i = 0;
    while let Some(&[a, c1, c2, c3, space]) = s.get(i..i + 5) {
        if !matches!(a.c, '\'' | ' ') && space.c == ' ' && CLITICS.contains(&[c1.c, c2.c, c3.c]) {
            rw.replace(i, 5, &[a, Ch::SPACE, c1, c2, c3, Ch::SPACE]);
            i += 5;
        } else {
            i += 1;
        }
    }
}

/// What must follow a MacIntyre contraction: `\b`, or `(?=\s)` for `wanna`.
#[derive(Clone, Copy)]
enum After {
    Boundary,
    Space,
}

/// CONTRACTIONS2: `(?i)\b(first)(second)\b` (or `(?=\s)`) → ` \1 \2 `, in this order.
const CONTRACTIONS2: [(&[u8], &[u8], After); 8] = [
    (b"can", b"not", After::Boundary),
    (b"d", b"'ye", After::Boundary),
    (b"gim", b"me", After::Boundary),
    (b"gon", b"na", After::Boundary),
    (b"got", b"ta", After::Boundary),
    (b"lem", b"me", After::Boundary),
    (b"more", b"'n", After::Boundary),
    (b"wan", b"na", After::Space),
];

/// One CONTRACTIONS2 rule (standard `re` classes and case folding).
fn split_contraction(s: &[Ch], rw: &mut Rewriter<'_>, first: &[u8], second: &[u8], end: After) {
    let (n1, n2) = (first.len(), second.len());
    let lead = first.first().map_or(' ', |&b| char::from(b));
    let mut i = 0;
    while i + n1 + n2 <= s.len() {
        if !at(s, i).is_some_and(|c| re_ignorecase_eq(c, lead)) {
            i += 1;
            continue;
        }
        let j = i + n1 + n2;
        let hit = starts_with_ci(s, i, first, re_ignorecase_eq)
            && boundary(s, i, pystr::is_word_char)
            && starts_with_ci(s, i + n1, second, re_ignorecase_eq)
            && match end {
                After::Boundary => boundary(s, j, pystr::is_word_char),
                After::Space => at(s, j).is_some_and(pystr::is_space),
            };
        if hit {
            let sp: &[Ch] = &[Ch::SPACE];
            let parts = [sp, range(s, i, i + n1), sp, range(s, i + n1, j), sp];
            rw.replace_parts(i, n1 + n2, &parts);
            i = j;
        } else {
            i += 1;
        }
    }
}

/// CONTRACTIONS3: `(?i) ('t)(rest)\b` → ` \1 \2 ` (standard `re`).
fn split_t_contraction(s: &[Ch], rw: &mut Rewriter<'_>, rest: &[u8]) {
    let n = rest.len();
    let mut i = 0;
    while i + 3 + n <= s.len() {
        let j = i + 3 + n;
        let hit = at(s, i) == Some(' ')
            && starts_with_ci(s, i + 1, b"'t", re_ignorecase_eq)
            && starts_with_ci(s, i + 3, rest, re_ignorecase_eq)
            && boundary(s, j, pystr::is_word_char);
        if hit {
            let sp: &[Ch] = &[Ch::SPACE];
            rw.replace_parts(i, 3 + n, &[sp, range(s, i + 1, i + 3), sp, range(s, i + 3, j), sp]);
            i = j;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_memo_gives_the_tokens_of_word_tokenize_through_a_series_of_edits() {
        // Edits as typing makes them: in the middle, at the end, a sentence twice, one removed
        // and brought back after two texts (forgotten by then), quotes and non-ASCII.
        let texts = [
            "The fox ran. It's \"late\", isn't it? Yes.",
            "The fox ran. It's \"late\", isn't it? Yes. Again",
            "The fox ran. It's \"late\", isn't it? Yes. Again.",
            "The fox ran. The fox ran. Yes. Again.",
            "Café crème (and so on)... The fox ran. Yes.",
            "The fox ran. It's \"late\", isn't it? Yes. Again.",
            "",
            "The fox ran.",
        ];
        let memo = SentenceMemo::default();
        for text in texts {
            memo.next_text();
            let sentences = punkt::sentence_spans(text);
            assert_eq!(word_tokenize_sentences_memo(text, &sentences, &memo), word_tokenize(text));
            // A second analysis of the same text: every sentence from the memo.
            assert_eq!(word_tokenize_sentences_memo(text, &sentences, &memo), word_tokenize(text));
        }
    }

    /// Token texts of `tokenize_sentence(s)`; every expectation below was checked against
    /// `NLTKWordTokenizer().tokenize(s)` in nltk 3.10.4.
    fn toks(s: &str) -> Vec<String> {
        tokenize_sentence(s, 0).into_iter().map(|t| t.text).collect()
    }

    fn spans(s: &str) -> Vec<(usize, usize)> {
        tokenize_sentence(s, 0).into_iter().map(|t| (t.span.start, t.span.end)).collect()
    }

    #[test]
    fn ifeval_doc_example() {
        let s = "I'M OK. U.S.A. is BIG-TIME, A-OK!";
        assert_eq!(toks(s), ["I", "'M", "OK.", "U.S.A.", "is", "BIG-TIME", ",", "A-OK", "!"]);
        assert_eq!(
            spans(s),
            [(0, 1), (1, 3), (4, 7), (8, 14), (15, 17), (18, 26), (26, 27), (28, 32), (32, 33)]
        );
    }

    #[test]
    fn double_quotes_are_converted() {
        let s = "He said, \"I can't go.\"";
        assert_eq!(toks(s), ["He", "said", ",", "``", "I", "ca", "n't", "go", ".", "''"]);
        // NLTK's span_tokenize gives the same spans; the converted quotes cover the `"`.
        assert_eq!(
            spans(s),
            [
                (0, 2),
                (3, 7),
                (7, 8),
                (9, 10),
                (10, 11),
                (12, 14),
                (14, 17),
                (18, 20),
                (20, 21),
                (21, 22)
            ]
        );
        assert_eq!(toks("\"Hello,\" she said."), ["``", "Hello", ",", "''", "she", "said", "."]);
        assert_eq!(toks("She said.\""), ["She", "said", ".", "''"]);
    }

    #[test]
    fn doubled_single_quotes() {
        assert_eq!(toks("a ''b'' c"), ["a", "``", "b", "''", "c"]);
        assert_eq!(spans("a ''b'' c"), [(0, 1), (2, 4), (4, 5), (5, 7), (8, 9)]);
        assert_eq!(
            toks("``Quoted'' and ‘single’ «guillemets»"),
            ["``", "Quoted", "''", "and", "‘", "single", "’", "«", "guillemets", "»"]
        );
        assert_eq!(toks("'quoted' text'"), ["'", "quoted", "'", "text", "'"]);
        assert_eq!(toks("He said 'no.'"), ["He", "said", "'", "no", ".", "'"]);
    }

    #[test]
    fn clitics() {
        assert_eq!(
            toks("They'll, we're, I've; HE'D, SHE'S, WE'VE, DON'T, 'em 'rex"),
            [
                "They", "'ll", ",", "we", "'re", ",", "I", "'ve", ";", "HE", "'D", ",", "SHE",
                "'S", ",", "WE", "'VE", ",", "DO", "N'T", ",", "'", "em", "'", "rex"
            ]
        );
    }

    #[test]
    fn macintyre_contractions() {
        assert_eq!(
            toks("'Tis the season; 'twas fun, more'n I thought."),
            [
                "'", "Tis", "the", "season", ";", "'", "twas", "fun", ",", "more", "'n", "I",
                "thought", "."
            ]
        );
        assert_eq!(
            toks("Gimme that, lemme see, wanna go? D'ye gotta?"),
            [
                "Gim", "me", "that", ",", "lem", "me", "see", ",", "wan", "na", "go", "?", "D",
                "'ye", "got", "ta", "?"
            ]
        );
        // `(?=\s)` is Python's `\s`, which includes U+001C.
        assert_eq!(toks("CANNOT, Wanna\u{1c}go"), ["CAN", "NOT", ",", "Wan", "na", "go"]);
    }

    #[test]
    fn numbers_periods_and_dashes() {
        assert_eq!(
            toks("It's 3:30, and it costs $1,000.00."),
            ["It", "'s", "3:30", ",", "and", "it", "costs", "$", "1,000.00", "."]
        );
        assert_eq!(
            toks("Wait... what? . . . ok -- fine!"),
            ["Wait", "...", "what", "?", ".", ".", ".", "ok", "--", "fine", "!"]
        );
        assert_eq!(toks("e.g. etc. Mr. Smith..."), ["e.g.", "etc.", "Mr.", "Smith", "..."]);
        assert_eq!(toks("x\u{2014}y\u{2013}z"), ["x", "\u{2014}", "y", "\u{2013}", "z"]);
    }

    #[test]
    fn symbols_urls_and_brackets() {
        assert_eq!(
            toks("Email user@example.com, see https://x.org/a?b=c&d=e."),
            [
                "Email",
                "user",
                "@",
                "example.com",
                ",",
                "see",
                "https",
                ":",
                "//x.org/a",
                "?",
                "b=c",
                "&",
                "d=e",
                "."
            ]
        );
        assert_eq!(
            toks("**Bold** [1] (a) {x} <b>"),
            [
                "*", "*", "Bold", "*", "*", "[", "1", "]", "(", "a", ")", "{", "x", "}", "<", "b",
                ">"
            ]
        );
    }

    #[test]
    fn whitespace() {
        assert!(toks("").is_empty());
        assert!(toks(" \n\t").is_empty());
        assert_eq!(toks("Tab\there\nnewline"), ["Tab", "here", "newline"]);
        // U+001C is not `\s` for the cascade but `str.split()` splits on it.
        assert_eq!(toks("x\u{1c}y"), ["x", "y"]);
        assert_eq!(spans("x\u{1c}y"), [(0, 1), (2, 3)]);
    }

    #[test]
    fn spans_are_offset_and_on_char_boundaries() {
        let s = "«Grüße», sagte 日本. \"Ja\"";
        let tokens = tokenize_sentence(s, 100);
        let mut prev = 100;
        for t in &tokens {
            assert!(t.span.start >= prev && t.span.end > t.span.start);
            let local = Span::new(t.span.start - 100, t.span.end - 100);
            let slice = local.slice(s);
            assert!(s.is_char_boundary(local.start) && s.is_char_boundary(local.end));
            assert!(slice == t.text || (slice == "\"" && matches!(t.text.as_str(), "``" | "''")));
            prev = t.span.end;
        }
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["«", "Grüße", "»", ",", "sagte", "日本.", "``", "Ja", "''"]);
    }

    #[test]
    fn word_tokenize_uses_sentence_spans() {
        let text = "  Hello there, \"world\".  ";
        let tokens = word_tokenize(text);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Hello", "there", ",", "``", "world", "''", "."]);
        assert_eq!(tokens[0].span, Span::new(2, 7));
        assert_eq!(tokens[3].span.slice(text), "\"");
    }
}
