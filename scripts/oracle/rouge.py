"""Oracle for tests/rouge_reference.rs: PyPI `rouge` 1.0.1's ROUGE-L F as CRAB calls it, and
CRAB's de-duplication loop (THU-KEG/Crab, scripts/seed_data_generator/6_mix_filter.py, `filter`,
second stage), reimplemented literally.

Reads JSON lines on stdin and writes one JSON line per request on stdout:
- {"pair": [reference, hypothesis]} ->
  {"bits": u64 | null, "error": str | null, "crab_bits": u64}
  where "bits" are the IEEE-754 bits of `Rouge().get_scores(hypothesis, reference)[0]["rouge-l"]
  ["f"]` (null if it raised; "error" is then the exception's class name) and "crab_bits" those of
  CRAB's `calculate_rouge_l(reference, hypothesis)` (1.0 where the call raises). Bits, not floats,
  so that no JSON float parsing can blur a difference.
- {"dedup": [text, ...]} -> {"deleted": [[index, duplicate_of], ...]} in deletion order.

The package's LCS walk is recursive, so long sentence pairs raise RecursionError depending on how
deep the stack already is. CRAB calls `calculate_rouge_l` from `filter`, called from the module:
the requests below are handled at exactly that depth (the loop runs at module level, not in a
`main()`), and `calculate_rouge_l` checks it.
"""

import os
import struct
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports (here: this script is itself named `rouge`).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

from rouge import Rouge  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"
assert sys.getrecursionlimit() == 1000

THRESHOLD = 0.6
# CRAB's stack when it scores: <module>, filter, calculate_rouge_l.
CRAB_DEPTH = 3


def stack_depth():
    """Frames on the stack of the caller (the caller's own frame included)."""
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def rouge_l(reference, hypothesis):
    """CRAB's `calculate_rouge_l`, reporting what it raised instead of scoring it 1.0."""
    assert stack_depth() == CRAB_DEPTH, stack_depth()
    try:
        return Rouge().get_scores(hypothesis, reference)[0]["rouge-l"]["f"], None
    except Exception as e:  # noqa: BLE001 (CRAB's wrapper catches everything)
        return None, type(e).__name__


def calculate_rouge_l(reference, hypothesis):
    """CRAB's wrapper, as written."""
    assert stack_depth() == CRAB_DEPTH, stack_depth()
    rouge = Rouge()
    try:
        scores = rouge.get_scores(hypothesis, reference)
        return scores[0]["rouge-l"]["f"]
    except:  # noqa: E722 (CRAB's bare except)
        return 1.0


def pair(req):
    reference, hypothesis = req["pair"]
    f, error = rouge_l(reference, hypothesis)
    crab = calculate_rouge_l(reference, hypothesis)
    return {"bits": None if f is None else bits(f), "error": error, "crab_bits": bits(crab)}


def crab_filter(texts):
    """The second stage of CRAB's `filter` for one record whose constraints are `texts`, in
    order: CRAB's loop, with `del` replaced by recording (index, first remaining conflict)."""
    keys = list(range(len(texts)))
    Ban = {}
    for j in range(len(keys)):
        for k in range(j + 1, len(keys)):
            score = calculate_rouge_l(texts[keys[j]], texts[keys[k]])
            if score > THRESHOLD:
                if k not in Ban:
                    Ban[k] = []
                if j not in Ban:
                    Ban[j] = []
                Ban[k].append(j)
                Ban[j].append(k)
    sorted_Ban = dict(sorted(Ban.items(), key=lambda item: len(item[1]), reverse=True))
    deleted = []
    for key, value in sorted_Ban.items():
        if len(sorted_Ban[key]) == 0:
            continue
        deleted.append([key, value[0]])
        for item in value:
            sorted_Ban[item].remove(key)
    return {"deleted": deleted}


for line in sys.stdin:
    req = json.loads(line)
    answer = crab_filter(req["dedup"]) if "dedup" in req else pair(req)
    sys.stdout.write(json.dumps(answer) + "\n")
sys.stdout.flush()
