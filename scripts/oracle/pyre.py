"""Oracle for tests/pyre_reference.rs: CPython 3.11's `re` on generated patterns and texts.

Reads JSON lines {"pattern": str, "text": str, "flags": str} on stdin, where flags is any of
"i", "m", "s" (re.IGNORECASE, re.MULTILINE, re.DOTALL), and writes one JSON line per request:
{"error": bool, "search": [start, end] | null, "groups": [[s, e] | null, ...] | null,
 "spans": [[s, e], ...] | null, "split": int | null}, with positions as UTF-8 byte offsets.

- "error": `re.compile` raised (re.error, OverflowError, ...);
- "search": `re.search` span; "groups": the spans of its groups 1.. (null if no match);
- "spans": the `re.finditer` spans; "split": `len(re.split(pattern, text, flags=flags))`.
"""

import json
import re
import signal
import sys
import time
import warnings

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"

FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
TIMEOUT = 2.0
SLOW = 0.05


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def run(request):
    pattern, text = request["pattern"], request["text"]
    flags = 0
    for f in request.get("flags", ""):
        flags |= FLAGS[f]
    try:
        compiled = re.compile(pattern, flags)
    except Exception:  # noqa: BLE001 - any exception means "Python refuses the pattern"
        return {"error": True, "search": None, "groups": None, "spans": None, "split": None}
    # Character index -> UTF-8 byte offset.
    offsets = [0]
    for c in text:
        offsets.append(offsets[-1] + len(c.encode("utf-8")))

    def span(s, e):
        return [offsets[s], offsets[e]]

    m = compiled.search(text)
    groups = None
    if m is not None:
        groups = [
            None if m.span(g)[0] < 0 else span(*m.span(g)) for g in range(1, compiled.groups + 1)
        ]
    return {
        "error": False,
        "search": None if m is None else span(*m.span()),
        "groups": groups,
        "spans": [span(*x.span()) for x in compiled.finditer(text)],
        "split": len(compiled.split(text)),
    }


def main():
    # "Possible nested set" and similar FutureWarnings do not change what re does.
    warnings.simplefilter("ignore")
    signal.signal(signal.SIGALRM, on_alarm)
    for line in sys.stdin:
        request = json.loads(line)
        signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
        try:
            started = time.perf_counter()
            answer = run(request)
            answer["slow"] = time.perf_counter() - started > SLOW
        except Timeout:
            answer = {"timeout": True}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
