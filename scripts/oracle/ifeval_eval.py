#!/usr/bin/env python3
"""Oracle for tests/ifeval_differential.rs: Google's IFEval evaluation (strict and loose), for all
25 instruction ids, on if-verifiable 0.1.2's copies of Google's instruction classes.

This re-implements `evaluation_lib.test_instruction_following_{strict,loose}` for one instruction
at a time (doc §2.1) instead of going through if-verifiable's wrapper, which strips think-blocks
and skips unknown ids:

- a fresh instance per instruction and per mode: ``cls(id)``, then
  ``build_description(**kwargs)`` with ``None`` values dropped;
- strict: ``response.strip() and check_following(response)``;
- loose: the 8 candidates in Google's order, ``any(c.strip() and check_following(c))``. All 8
  are evaluated (on the loose-mode instance, in order) so that the test can compare each one.

Two patches make the reference deterministic and current:
- ``langdetect.DetectorFactory.seed = 0`` (Google's code leaves langdetect unseeded);
- LetterFrequencyChecker follows Google's 2026 rule: a one-character letter is kept as
  ``letter.strip().lower()`` even when it is not a-z (``#``, ``!``); 2025 code randomised it.

Reads JSON lines ``{"id", "kwargs", "response"}`` on stdin; writes one JSON line per request:
- ``{"randomised": name}`` when ``build_description`` would draw a random parameter (a missing
  or out-of-range value: the Rust side refuses those);
- ``{"error": str, "stage": "build"|"check"}`` when Python raised (e.g. a keyword that is not a
  valid Python regex, or an unknown relation);
- else ``{"strict": bool, "loose": bool, "variants": [8 bools]}``.

Run with NLTK_DATA pointing at shared/data/nltk_data.
"""

import os
import sys

# Sibling oracle scripts (e.g. `json.py`) must not shadow standard modules.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
import logging  # noqa: E402

import langdetect  # noqa: E402
from if_verifiable.ifeval import instructions, instructions_registry  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"

langdetect.DetectorFactory.seed = 0
# The checkers log every LangDetectException; the test only needs the results.
logging.disable(logging.CRITICAL)

INSTRUCTION_DICT = instructions_registry.INSTRUCTION_DICT


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

_letter_build = instructions.LetterFrequencyChecker.build_description


def _letter_build_2026(self, *, letter=None, let_frequency=None, let_relation=None):
    """Google 2026: only an empty or multi-character letter is randomised."""
    if not letter or len(letter) > 1:
        raise Randomised("letter")
    result = _letter_build(self, letter="a", let_frequency=let_frequency, let_relation=let_relation)
    self._letter = letter.strip().lower()
    return result


instructions.LetterFrequencyChecker.build_description = _letter_build_2026


def build(instruction_id, kwargs):
    inst = INSTRUCTION_DICT[instruction_id](instruction_id)
    inst.build_description(**{k: v for k, v in kwargs.items() if v is not None})
    return inst


def candidates(response):
    r = response.split("\n")
    first = "\n".join(r[1:]).strip()
    last = "\n".join(r[:-1]).strip()
    both = "\n".join(r[1:-1]).strip()
    return [
        response,
        response.replace("*", ""),
        first,
        last,
        both,
        first.replace("*", ""),
        last.replace("*", ""),
        both.replace("*", ""),
    ]


def evaluate(request):
    instruction_id = request["id"]
    kwargs = request["kwargs"] or {}
    response = request["response"]
    try:
        strict_inst = build(instruction_id, kwargs)
        loose_inst = build(instruction_id, kwargs)
    except Randomised as e:
        return {"randomised": str(e)}
    except Exception as e:  # noqa: BLE001 - any failure is an answer the test compares
        return {"error": f"{type(e).__name__}: {e}", "stage": "build"}
    try:
        strict = bool(response.strip() and strict_inst.check_following(response))
        variants = [bool(c.strip() and loose_inst.check_following(c)) for c in candidates(response)]
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}", "stage": "check"}
    return {"strict": strict, "loose": any(variants), "variants": variants}


def main():
    out = sys.stdout
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(evaluate(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
