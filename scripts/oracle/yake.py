"""Reference oracle for crates/crab-constraints/src/text/keyphrases.rs (PyPI yake 0.7.3).

Used as a black box only: the Rust side uses the MIT-licensed `yake-rust` crate, and nothing
of PyPI yake is shipped or translated.

Reads JSON lines ``{"text": ...}`` on stdin and writes one JSON line per input:

``{"top": [[PHRASE, SCORE], ...]}``

the best three key phrases as CRAB's ``Keyword`` rule asks for them,
``yake.KeywordExtractor(lan="en", n=3, top=3, features=None).extract_keywords(text)`` (the
defaults: deduplication limit 0.9 with the ``seqm`` similarity, window 1), best first, with no
score threshold. CRAB's threshold (score < 0.07) and its ``k = min(len(text) // 10, 3)`` are
applied by the test, since YAKE's top k is a prefix of its top 3. A text that makes yake raise
gives ``{"error": MESSAGE}``.
"""

import os
import sys

# This script is itself named yake.py, and the directory holds an oracle named json.py: keep
# the directory off the import path so that the real packages are imported.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

import yake  # noqa: E402


def main():
    extractor = yake.KeywordExtractor(lan="en", n=3, top=3, features=None)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)["text"]
        try:
            top = [[kw, float(score)] for kw, score in extractor.extract_keywords(text)]
            answer = {"top": top}
        except Exception as e:  # noqa: BLE001 - report any failure of the oracle per input
            answer = {"error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(answer) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
