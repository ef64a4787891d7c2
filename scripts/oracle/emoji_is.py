#!/usr/bin/env python3
"""Oracle for crates/crab-constraints/src/text/emoji.rs: `emoji.is_emoji` (emoji 2.16.0).

Default mode: reads JSON lines from stdin, each a JSON string, and writes one JSON line per
input: `emoji.is_emoji(s)`.
With `--code-points`: reads nothing and writes one JSON line, the list of every code point `c`
(surrogates excluded) for which `emoji.is_emoji(chr(c))` is true, found by asking it for each.
With `--data`: reads nothing and writes one JSON line, every key of `EMOJI_DATA`.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
from importlib.metadata import version  # noqa: E402

import emoji  # noqa: E402
from emoji.unicode_codes import EMOJI_DATA  # noqa: E402

assert version("emoji") == "2.16.0", f"need emoji 2.16.0, got {version('emoji')}"


def main():
    out = sys.stdout
    if "--code-points" in sys.argv:
        points = [
            c for c in range(0x110000) if not 0xD800 <= c < 0xE000 and emoji.is_emoji(chr(c))
        ]
        out.write(json.dumps(points) + "\n")
        return
    if "--data" in sys.argv:
        out.write(json.dumps(list(EMOJI_DATA), ensure_ascii=True) + "\n")
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        out.write(json.dumps(emoji.is_emoji(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
