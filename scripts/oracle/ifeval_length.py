#!/usr/bin/env python3
"""Oracle for the paragraph and capital-word IFEval checks in crates/crab-constraints:
length_constraints:number_paragraphs, length_constraints:nth_paragraph_first_word and
change_case:capital_word_frequency (if-verifiable 0.1.2's copy of Google's classes; Google 2026
does not differ for these three).

Reads JSON lines ``{"id": ..., "kwargs": {...}, "text": ...}`` on stdin and writes one JSON line
per input: ``{"randomised": true}`` when ``build_description`` replaced a given parameter by a
random value (the Rust side refuses those parameters), else ``{"result": bool}``, the value of
``check_following(text)``.

Run with NLTK_DATA pointing at shared/data/nltk_data.
"""

import os
import sys

# Sibling oracle scripts (e.g. `json.py`) must not shadow standard modules.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

from if_verifiable.ifeval import instructions  # noqa: E402

CLASSES = {
    "length_constraints:number_paragraphs": instructions.ParagraphChecker,
    "length_constraints:nth_paragraph_first_word": instructions.ParagraphFirstWordCheck,
    "change_case:capital_word_frequency": instructions.CapitalWordFrequencyChecker,
}


class Randomised(Exception):
    """Raised when build_description reaches for a random value."""


class _NoRandom:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise Randomised(name)

        return refuse


# Any random draw means Google's code replaced (or invented) a parameter.
instructions.random = _NoRandom()
instructions.instructions_util.generate_keywords = _NoRandom().generate_keywords


def run(case):
    checker = CLASSES[case["id"]](case["id"])
    try:
        checker.build_description(**case["kwargs"])
    except Randomised:
        return {"randomised": True}
    return {"result": bool(checker.check_following(case["text"]))}


def main():
    out = sys.stdout
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(run(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
