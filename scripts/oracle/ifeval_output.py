"""Oracle for crates/crab-cli/tests/output_reference.rs: CPython 3.11's `json.dumps` of strings
and `repr` of floats, the two formatters behind Google's IFEval result files and report.

Reads JSON lines {"s": str} or {"bits": "<16 hex digits, big-endian IEEE 754 double>"} on stdin;
writes one JSON line per request: {"out": json.dumps(s)} or {"out": repr(x)}.
"""

import os
import sys

# scripts/oracle/json.py sits next to this file: keep the directory off the path so that
# `import json` finds the standard library.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
import struct  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"

for line in sys.stdin:
    req = json.loads(line)
    if "s" in req:
        out = json.dumps(req["s"])
    else:
        out = repr(struct.unpack(">d", bytes.fromhex(req["bits"]))[0])
    sys.stdout.write(json.dumps({"out": out}) + "\n")
