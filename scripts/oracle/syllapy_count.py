#!/usr/bin/env python3
"""Oracle for crates/crab-constraints/src/text/syllables.rs: `syllapy.count` (syllapy 0.8.0).

Reads JSON lines from stdin, each a JSON string (a word), and writes one JSON line per input:
the integer `syllapy.count(word)`. With `--listed`, reads nothing and writes one JSON line: the
words of syllapy's own list (`syllapy.WORD_DICT`), in the list's order.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
from importlib.metadata import version  # noqa: E402

import syllapy  # noqa: E402

assert version("syllapy") == "0.8.0", f"need syllapy 0.8.0, got {version('syllapy')}"


def main():
    out = sys.stdout
    if "--listed" in sys.argv:
        out.write(json.dumps(list(syllapy.WORD_DICT), ensure_ascii=True) + "\n")
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        out.write(json.dumps(syllapy.count(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
