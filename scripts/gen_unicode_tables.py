#!/usr/bin/env python3
"""Generate crates/crab-constraints/src/text/pystr/tables.rs from CPython 3.11's Unicode 14.0 data.

Usage (with the project's reference interpreter, which has the pinned `regex` module):
    .venv/bin/python scripts/gen_unicode_tables.py             # rewrite the committed tables.rs
    .venv/bin/python scripts/gen_unicode_tables.py --stdout    # print the file instead

Every table is derived from the interpreter's own `str` methods and `re` classes, and each
definition is checked against them for every code point before anything is written, so the Rust
port reproduces exactly what Python 3.11 does (Rust's `char` methods follow a newer Unicode).

More tables come from the third-party `regex` module, because NLTK 3.10.4 compiles every
pattern with it (`nltk/redos.py`), so IFEval's `count_words` (NLTK's `RegexpTokenizer(r"\w+")`),
Punkt and `word_tokenize` use `regex`'s `\w`, `\s` and `\d` (`\w` is Unicode's word class:
letters, marks, Nd, Pc, Join_Control; from the much newer Unicode that `regex` bundles). These are
the only copies of those classes in the crate. The version is pinned: it is the one in the
reference venv, and other versions give different tables.

The case-insensitive tables list the non-ASCII characters that `(?i)` matching equates with an
ASCII letter, for `re` and for `regex` (they differ: `re` also lets `ı` match `i`).

The test `tests/pystr_reference.rs` reruns this script and compares its output byte for byte.
"""

import os
import re
import sys
import unicodedata

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"
assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version

import regex  # noqa: E402

REGEX_VERSION = "2026.11.19"
assert regex.__version__ == REGEX_VERSION, f"need regex {REGEX_VERSION}, got {regex.__version__}"

MAX = 0x110000
SURROGATES = range(0xD800, 0xE000)

RE_W = re.compile(r"\w")
RE_S = re.compile(r"\s")
RE_D = re.compile(r"\d")
REGEX_W = regex.compile(r"\w")
REGEX_S = regex.compile(r"\s")
REGEX_D = regex.compile(r"\d")
REGEX_W_NOT_D = regex.compile(r"[^\W\d]")

# `(?i)` matching of one ASCII letter: group k matched iff the letter is LETTERS[k - 1].
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ALTERNATION = "(?i)" + "|".join(f"({x})" for x in LETTERS)
RE_CI = re.compile(ALTERNATION)
REGEX_CI = regex.compile(ALTERNATION)


def final_sigma(before, after=""):
    """Whether a capital sigma between `before` and `after` lowercases to the final form."""
    return (before + "\u03a3" + after).lower()[len(before.lower())] == "\u03c2"


def case_ignorable(c):
    # "A" c "Σ" gets the final form iff c is skipped (case-ignorable) or is cased;
    # c "Σ" gets it iff c is not skipped and is cased. So the difference is exactly
    # Case_Ignorable as CPython's Final_Sigma rule sees it.
    return final_sigma("A" + c) and not final_sigma(c)


def cased(c):
    return c.isupper() or c.islower() or unicodedata.category(c) == "Lt"


PROPS = [
    # (Rust name, doc, predicate)
    ("WORD", "`re` `\\w` on `str`: `c.isalnum() or c == \"_\"`.", lambda c: c.isalnum() or c == "_"),
    ("SPACE", "`str.isspace()` (also `re` `\\s` on `str`).", str.isspace),
    ("DECIMAL", "`str.isdecimal()` (also `re` `\\d` on `str`).", str.isdecimal),
    ("DIGIT", "`str.isdigit()`.", str.isdigit),
    ("NUMERIC", "`str.isnumeric()`.", str.isnumeric),
    ("ALPHA", "`str.isalpha()`.", str.isalpha),
    ("UPPER", "CPython's per-character upper flag (Unicode `Uppercase`): `c.isupper()`.", str.isupper),
    ("LOWER", "CPython's per-character lower flag (Unicode `Lowercase`): `c.islower()`.", str.islower),
    ("TITLE", "CPython's per-character title flag: general category `Lt`.",
     lambda c: unicodedata.category(c) == "Lt"),
    ("CASED", "Unicode `Cased` (upper, lower or title flag), used by the Final_Sigma rule.", cased),
    ("CASE_IGNORABLE", "Unicode `Case_Ignorable` as CPython's Final_Sigma rule sees it.", case_ignorable),
    ("REGEX_WORD", f"`\\w` of the `regex` module {REGEX_VERSION} (what NLTK 3.10.4 uses).",
     lambda c: bool(REGEX_W.fullmatch(c))),
    ("REGEX_SPACE", f"`\\s` of the `regex` module {REGEX_VERSION}.", lambda c: bool(REGEX_S.fullmatch(c))),
    ("REGEX_DIGIT", f"`\\d` of the `regex` module {REGEX_VERSION}.", lambda c: bool(REGEX_D.fullmatch(c))),
]


def check_definitions():
    """Check every definition against Python itself, for every code point."""
    for cp in range(MAX):
        c = chr(cp)
        assert bool(RE_W.fullmatch(c)) == (c.isalnum() or c == "_"), hex(cp)
        assert bool(RE_S.fullmatch(c)) == c.isspace(), hex(cp)
        assert bool(RE_D.fullmatch(c)) == c.isdecimal(), hex(cp)
        # `[^\W\d]` (Punkt's "letter") is derived from the `regex` \w and \d tables.
        regex_w, regex_d = bool(REGEX_W.fullmatch(c)), bool(REGEX_D.fullmatch(c))
        assert bool(REGEX_W_NOT_D.fullmatch(c)) == (regex_w and not regex_d), hex(cp)
        # Case-insensitive ASCII letters: in ASCII, only the letter itself in either case.
        if cp < 0x80:
            for compiled in (RE_CI, REGEX_CI):
                m = compiled.fullmatch(c)
                want = LETTERS.index(c.lower()) + 1 if c.isalpha() else None
                assert (m.lastindex if m else None) == want, hex(cp)
        # isalnum is the union the Rust side relies on; decimal ⊂ digit ⊂ numeric.
        assert c.isalnum() == (c.isalpha() or c.isnumeric()), hex(cp)
        assert not c.isdecimal() or c.isdigit(), hex(cp)
        assert not c.isdigit() or c.isnumeric(), hex(cp)
        # Single-character istitle is "title or upper"; no character is both upper and lower.
        assert c.istitle() == (c.isupper() or unicodedata.category(c) == "Lt"), hex(cp)
        assert not (c.isupper() and c.islower()), hex(cp)
        # For a character the Final_Sigma scan stops at, CASED is what decides.
        if not case_ignorable(c):
            assert final_sigma(c) == cased(c), hex(cp)
            assert final_sigma("A", c) == (not cased(c)), hex(cp)
        else:
            assert final_sigma("A", c), hex(cp)


def ignorecase_letters(engine, compiled):
    """The non-ASCII code points that `(?i)x` matches for an ASCII letter x, with that letter."""
    single = {x: engine.compile("(?i)" + x) for x in LETTERS}
    out = []
    for cp in range(0x80, MAX):
        if cp in SURROGATES:
            continue
        m = compiled.fullmatch(chr(cp))
        if m:
            letter = LETTERS[m.lastindex - 1]
            # The Rust side stores one letter per code point.
            assert [x for x in LETTERS if single[x].fullmatch(chr(cp))] == [letter], hex(cp)
            out.append((cp, letter))
    return out


IGNORECASE = [
    # (Rust name, doc, engine, compiled alternation)
    ("RE_IGNORECASE_NON_ASCII", "`re`", re, RE_CI),
    ("REGEX_IGNORECASE_NON_ASCII", f"the `regex` module {REGEX_VERSION}", regex, REGEX_CI),
]


def ranges(pred):
    out = []
    for cp in range(MAX):
        if cp in SURROGATES or not pred(chr(cp)):
            continue
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        elif out and out[-1][1] == 0xD7FF and cp == 0xE000:
            out[-1][1] = cp  # no `char` lies in between
        else:
            out.append([cp, cp])
    return out


def case_runs(method):
    """Single-code-point mappings as non-overlapping (start, end, delta, stride) runs."""
    single = {}
    multi = []
    for cp in range(MAX):
        if cp in SURROGATES:
            continue
        m = method(chr(cp))
        if m == chr(cp):
            continue
        if len(m) == 1:
            single[cp] = ord(m) - cp
        else:
            multi.append((cp, m))
    runs = []
    for cp in sorted(single):
        d = single[cp]
        if runs:
            start, end, delta, stride = runs[-1]
            if delta == d:
                if stride == 1 and cp == end + 1:
                    runs[-1][1] = cp
                    continue
                if cp == end + 2 and (end + 1) not in single and (stride == 2 or start == end):
                    runs[-1][1] = cp
                    runs[-1][3] = 2
                    continue
        runs.append([cp, cp, d, 1])
    # Check the encoding reproduces the mapping.
    decoded = {}
    for i, (start, end, delta, stride) in enumerate(runs):
        assert i == 0 or runs[i - 1][1] < start
        for cp in range(start, end + 1, stride):
            decoded[cp] = delta
    assert decoded == single
    return runs, multi


def rust_str(s):
    return '"' + "".join(f"\\u{{{ord(ch):x}}}" if ord(ch) > 0x7E or ord(ch) < 0x20 else ch for ch in s) + '"'


def chunked(items, per_line):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("    " + " ".join(items[i:i + per_line]))
    return "\n".join(lines)


def main():
    check_definitions()
    out = []
    out.append("// @generated by scripts/gen_unicode_tables.py from CPython 3.11 (Unicode 14.0.0)")
    out.append(f"// and the regex module {REGEX_VERSION}. Do not edit by hand. Regenerate with:")
    out.append("//     .venv/bin/python scripts/gen_unicode_tables.py")
    out.append("// (tests/pystr_reference.rs checks that this file is current).")
    out.append("")
    out.append("//! Python 3.11 character properties as sorted, inclusive code point ranges.")
    out.append("//!")
    out.append("//! Each range table is searched with a binary search; ranges never overlap and never touch.")
    out.append("//! The case tables hold `(start, end, delta, stride)` runs: every `stride`-th code point from")
    out.append("//! `start` to `end` maps to itself plus `delta`.")
    out.append("")
    for name, doc, pred in PROPS:
        rs = ranges(pred)
        out.append(f"/// {doc} ({len(rs)} ranges)")
        out.append("#[rustfmt::skip]")
        out.append(f"pub(crate) static {name}: &[(u32, u32)] = &[")
        out.append(chunked([f"(0x{a:04X}, 0x{b:04X})," for a, b in rs], 5))
        out.append("];")
        out.append("")
    for name, doc, engine, compiled in IGNORECASE:
        pairs = ignorecase_letters(engine, compiled)
        out.append(f"/// `(?i)` of {doc}: the non-ASCII code points it matches against an ASCII")
        out.append(f"/// letter, with that letter in lowercase ({len(pairs)} entries).")
        out.append("#[rustfmt::skip]")
        out.append(f"pub(crate) static {name}: &[(u32, u8)] = &[")
        out.append(chunked([f"(0x{cp:04X}, b'{x}')," for cp, x in pairs], 5))
        out.append("];")
        out.append("")
    for name, method, doc in [
        ("LOWER", str.lower, "`c.lower()`"),
        ("UPPER", str.upper, "`c.upper()`"),
    ]:
        runs, multi = case_runs(method)
        out.append(f"/// {doc} where it is one code point other than `c`, as runs ({len(runs)} runs).")
        out.append("#[rustfmt::skip]")
        out.append(f"pub(crate) static {name}_RUNS: &[(u32, u32, i32, u8)] = &[")
        out.append(chunked([f"(0x{a:04X}, 0x{b:04X}, {d}, {s})," for a, b, d, s in runs], 4))
        out.append("];")
        out.append("")
        out.append(f"/// {doc} where it is several code points ({len(multi)} entries).")
        out.append("#[rustfmt::skip]")
        out.append(f"pub(crate) static {name}_MULTI: &[(u32, &str)] = &[")
        out.append(chunked([f"(0x{cp:04X}, {rust_str(m)})," for cp, m in multi], 3))
        out.append("];")
        out.append("")
    text = "\n".join(out)
    if "--stdout" in sys.argv[1:]:
        sys.stdout.write(text)
    else:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        path = os.path.join(root, "crates/crab-constraints/src/text/pystr/tables.rs")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
