"""Oracle for tests/keywords_reference.rs: IFEval's own checker classes on generated cases.

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool} with `check_following(text)`, or {"error": str} when building the checker
or checking raised (e.g. a keyword that is not a valid Python regex).

The classes are if-verifiable 0.1.2's copy of Google's 2025 code. Google's 2026 code differs in
one place, LetterFrequencyChecker, which keeps a non a-z letter such as "#" instead of picking a
random one: that rule is applied here after building (`letter.strip().lower()`).
"""

import os
import sys

# This directory holds an oracle named json.py: keep it off the path so that `import json` (here
# and inside the libraries) finds the standard library.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

from if_verifiable.ifeval import instructions  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"

CLASSES = {
    "keywords:existence": instructions.KeywordChecker,
    "keywords:frequency": instructions.KeywordFrequencyChecker,
    "keywords:forbidden_words": instructions.ForbiddenWords,
    "keywords:letter_frequency": instructions.LetterFrequencyChecker,
    "startend:end_checker": instructions.EndChecker,
    "startend:quotation": instructions.QuotationChecker,
    "combination:repeat_prompt": instructions.RepeatPromptThenAnswer,
    "combination:two_responses": instructions.TwoResponsesChecker,
}


def build(instruction_id, kwargs):
    checker = CLASSES[instruction_id](instruction_id)
    checker.build_description(**kwargs)
    if instruction_id == "keywords:letter_frequency":
        letter = kwargs["letter"]
        if not letter or len(letter) > 1:
            raise ValueError("Google 2026 would pick a random letter")
        # Google 2026: no a-z restriction.
        checker._letter = letter.strip().lower()
    return checker


def answer(request):
    try:
        checker = build(request["id"], request["kwargs"])
        return {"ok": bool(checker.check_following(request["text"]))}
    except Exception as e:  # noqa: BLE001 - any failure is an answer the test compares
        return {"error": f"{type(e).__name__}: {e}"}


def main():
    for line in sys.stdin:
        sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
