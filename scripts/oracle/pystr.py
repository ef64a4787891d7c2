"""Oracle for tests/pystr_reference.rs: Python 3.11 `str` / `re` results for generated texts.

Reads JSON lines on stdin and writes one JSON line per request on stdout:
- {"text": s, "patterns": [p, ...]} -> IFEval's count_words (NLTK's RegexpTokenizer), the
  `regex`-module and `re` word spans, str.split() spans, strip/lstrip/rstrip,
  isupper/islower/istitle, lower/upper, `\\b` positions and the `re.finditer` and
  `regex.finditer` spans for each pattern.
  All offsets are UTF-8 byte offsets, to compare with the Rust `Span`s.
- {"codepoints": true} -> per code point property bits and case mappings, for every `char`,
  and for each engine (`re`, `regex`) the non-ASCII code points that `(?i)x` matches for an
  ASCII letter x, with that letter.
"""

import os
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402

import regex  # noqa: E402
from nltk.tokenize import RegexpTokenizer  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"
assert unicodedata.unidata_version == "14.0.0"


def byte_offsets(text):
    """Map from char index to UTF-8 byte offset (length len(text) + 1)."""
    out = [0]
    for ch in text:
        out.append(out[-1] + len(ch.encode("utf-8", "surrogatepass")))
    return out


def spans(matches, offs):
    return [[offs[m.start()], offs[m.end()]] for m in matches]


WORD = re.compile(r"\w+")
REGEX_WORD = regex.compile(r"\w+")
NLTK_WORDS = RegexpTokenizer(r"\w+")
NONSPACE = re.compile(r"\S+")
BOUNDARY = re.compile(r"\b")


def text_case(req):
    text = req["text"]
    offs = byte_offsets(text)
    split = text.split()
    nonspace = spans(NONSPACE.finditer(text), offs)
    assert [text[offs.index(a):offs.index(b)] for a, b in nonspace] == split
    stripped = text.strip()
    return {
        "count_words": len(NLTK_WORDS.tokenize(text)),
        "nltk_word_spans": spans(REGEX_WORD.finditer(text), offs),
        "word_spans": spans(WORD.finditer(text), offs),
        "split": nonspace,
        "strip": stripped,
        "lstrip": text.lstrip(),
        "rstrip": text.rstrip(),
        "isupper": text.isupper(),
        "islower": text.islower(),
        "istitle": text.istitle(),
        "lower": text.lower(),
        "upper": text.upper(),
        "boundaries": [offs[m.start()] for m in BOUNDARY.finditer(text)],
        "patterns": [spans(re.finditer(p, text), offs) for p in req.get("patterns", [])],
        "regex_patterns": [spans(regex.finditer(p, text), offs) for p in req.get("patterns", [])],
    }


def codepoints():
    re_w, re_d = re.compile(r"\w"), re.compile(r"\d")
    regex_w, regex_s, regex_d = regex.compile(r"\w"), regex.compile(r"\s"), regex.compile(r"\d")
    regex_w_not_d = regex.compile(r"[^\W\d]")
    # `(?i)` on one ASCII letter: group k matches iff the letter is letters[k - 1].
    letters = "abcdefghijklmnopqrstuvwxyz"
    alternation = "(?i)" + "|".join(f"({x})" for x in letters)
    engines = {"re": re.compile(alternation), "regex": regex.compile(alternation)}
    folds = {"re": {}, "regex": {}}
    bits = []
    lower = {}
    upper = {}
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        flags = [
            bool(re_w.fullmatch(c)),
            c.isspace(),
            bool(re_d.fullmatch(c)),
            c.isdigit(),
            c.isnumeric(),
            c.isalpha(),
            c.isalnum(),
            c.isupper(),
            c.islower(),
            c.istitle(),
        ]
        flags += [
            bool(regex_w.fullmatch(c)),
            bool(regex_s.fullmatch(c)),
            bool(regex_d.fullmatch(c)),
            bool(regex_w_not_d.fullmatch(c)),
        ]
        bits.append(sum(1 << i for i, f in enumerate(flags) if f))
        for name, compiled in engines.items():
            m = compiled.fullmatch(c)
            if m:
                folds[name][cp] = letters[m.lastindex - 1]
        if c.lower() != c:
            lower[cp] = c.lower()
        if c.upper() != c:
            upper[cp] = c.upper()
    return {"bits": bits, "lower": lower, "upper": upper, "ignorecase": folds}


def main():
    for line in sys.stdin:
        req = json.loads(line)
        res = codepoints() if req.get("codepoints") else text_case(req)
        sys.stdout.write(json.dumps(res) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
