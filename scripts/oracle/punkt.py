"""Reference oracle for crates/crab-constraints/src/text/punkt.rs.

Default mode: reads JSON lines ``{"text": ...}`` on stdin and writes one JSON line per input,
``{"spans": [[start, end], ...]}``, the sentence spans of
``PunktTokenizer("english").span_tokenize(text)`` converted from Python character offsets to
UTF-8 byte offsets (the Rust side works in bytes).

Run with NLTK_DATA pointing at shared/data/nltk_data.
"""

import os
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402


def byte_offsets(text):
    """Map each char offset 0..=len(text) to its UTF-8 byte offset."""
    out = [0] * (len(text) + 1)
    acc = 0
    for i, ch in enumerate(text):
        out[i] = acc
        acc += len(ch.encode("utf-8"))
    out[len(text)] = acc
    return out


def spans_mode():
    from nltk.tokenize.punkt import PunktTokenizer

    tok = PunktTokenizer("english")
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)["text"]
        offs = byte_offsets(text)
        spans = [[offs[s], offs[e]] for s, e in tok.span_tokenize(text)]
        sys.stdout.write(json.dumps({"spans": spans}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    spans_mode()
