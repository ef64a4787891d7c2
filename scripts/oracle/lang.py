"""Reference oracle for crates/crab-constraints/src/text/lang.rs (langdetect 1.0.9).

Reads JSON lines ``{"text": ...}`` on stdin and writes one JSON line per input:

``{"detect": LANG | null, "langs": [[LANG, BITS], ...] | null,
   "sorted_langs": [[LANG, BITS], ...] | null}``

- ``detect``: ``langdetect.detect(text)`` with ``DetectorFactory.seed = 0`` set just before the
  call, as IFEval's seeded usage does; ``null`` when it raises ``LangDetectException``.
- ``langs``: ``langdetect.detect_langs(text)`` the same way (``null`` on the exception).
- ``sorted_langs``: ``detect_langs`` with a factory that loaded the profiles in file-name order.
  Stock langdetect loads them in ``os.listdir`` order, which depends on the file system; the
  Rust detector uses file-name order, so this column is where probabilities must agree bit
  for bit, while ``langs`` may differ from it in the last bits.

A request ``{"profiles": true}`` instead answers ``{"profiles": [{"name", "n_words", "freq"}, ...]}``:
the profile files langdetect loads, in file-name order, as the integer counts ``LangProfile``
holds (the compact asset of ``text/lang/compact.rs`` must encode exactly these).

Probabilities are written as the hex of their IEEE-754 bits (``struct``), so that no decimal
round trip can blur a comparison.

Needs Python 3.11 (``sum()`` of 3.12+ rounds differently) and langdetect 1.0.9.
"""

import os
import sys

# This directory holds an oracle named json.py; keep it from shadowing the standard library.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
import struct  # noqa: E402

import langdetect  # noqa: E402
from langdetect import DetectorFactory  # noqa: E402
from langdetect.detector_factory import PROFILES_DIRECTORY  # noqa: E402
from langdetect.lang_detect_exception import LangDetectException  # noqa: E402


def bits(p):
    return struct.unpack("<Q", struct.pack("<d", p))[0].to_bytes(8, "big").hex()


def sorted_factory():
    real = os.listdir

    def listdir_sorted(path):
        return sorted(real(path))

    factory = DetectorFactory()
    os.listdir = listdir_sorted
    try:
        factory.load_profile(PROFILES_DIRECTORY)
    finally:
        os.listdir = real
    return factory


def profiles():
    result = []
    for name in sorted(os.listdir(PROFILES_DIRECTORY)):
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as f:
            profile = json.load(f)
        result.append(
            {"name": profile["name"], "n_words": profile["n_words"], "freq": profile["freq"]}
        )
    return result


def langs_of(call):
    try:
        return [[l.lang, bits(l.prob)] for l in call()]
    except LangDetectException:
        return None


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("the langdetect oracle must run on Python 3.11, not " + sys.version)
    ordered = sorted_factory()
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("profiles"):
            out.write(json.dumps({"profiles": profiles()}) + "\n")
            continue
        text = request["text"]
        DetectorFactory.seed = 0
        try:
            detected = langdetect.detect(text)
        except LangDetectException:
            detected = None
        DetectorFactory.seed = 0
        langs = langs_of(lambda: langdetect.detect_langs(text))

        def sorted_call():
            d = ordered.create()
            d.append(text)
            return d.get_probabilities()

        out.write(
            json.dumps({"detect": detected, "langs": langs, "sorted_langs": langs_of(sorted_call)})
            + "\n"
        )
    out.flush()


if __name__ == "__main__":
    main()
