"""Reference oracle for the `crab:*` checks (crates/crab-constraints/src/checks/crab/).

Reads JSON lines ``{"text": ...}`` on stdin and writes one JSON line per input with the numbers
CRAB's Python rules compute from a response (THU-KEG/Crab, scripts/seed_data_generator/
3_llama3_unified_constraints.py: ``refined_Length``, ``refined_number``, ``refined_symbol``)
and the same measures under the playground's other counting modes:

- ``tokens``: ``len(word_tokenize(text))`` (CRAB's length T);
- ``words``: IFEval's ``count_words`` (``RegexpTokenizer(r"\\w+")``);
- ``crab_max_w``, ``crab_max_s``, ``crab_min_s``, ``crab_max_c``: CRAB's traversal (lines split
  at ``\\n``, empty ones skipped, ``sent_tokenize`` per line, ``word_tokenize`` per sentence):
  the most tokens in a sentence, the most and fewest sentences in a line, the longest token;
- ``max_w_ifeval``: the same traversal counting ``\\w+`` runs per sentence;
- ``max_s_blocks``: the most sentences in a stripped, non-blank chunk of ``text.split("\\n\\n")``;
- ``max_c_tokens`` / ``max_c_ifeval``: the longest whole-text token / ``\\w+`` run;
- ``symbol``: the first of ``, : ? !`` not in the text (``null`` if all occur).

Run with NLTK_DATA pointing at shared/data/nltk_data.
"""

import os
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

from nltk.tokenize import RegexpTokenizer, sent_tokenize, word_tokenize  # noqa: E402

WORDS = RegexpTokenizer(r"\w+")


def crab_traversal(text):
    min_s, max_s, max_w, max_w_ifeval, max_c = 1000000, 0, 0, 0, 0
    for item in text.split("\n"):
        if item == "":
            continue
        sentences = sent_tokenize(item)
        min_s = min(len(sentences), min_s)
        max_s = max(len(sentences), max_s)
        for s in sentences:
            words = word_tokenize(s)
            max_w = max(max_w, len(words))
            max_w_ifeval = max(max_w_ifeval, len(WORDS.tokenize(s)))
            for w in words:
                max_c = max(max_c, len(w))
    return {
        "crab_min_s": min_s if min_s != 1000000 else None,
        "crab_max_s": max_s,
        "crab_max_w": max_w,
        "crab_max_c": max_c,
        "max_w_ifeval": max_w_ifeval,
    }


def answer(text):
    out = crab_traversal(text)
    tokens = word_tokenize(text)
    words = WORDS.tokenize(text)
    out["tokens"] = len(tokens)
    out["words"] = len(words)
    out["max_c_tokens"] = max((len(t) for t in tokens), default=0)
    out["max_c_ifeval"] = max((len(w) for w in words), default=0)
    blocks = [c.strip() for c in text.split("\n\n")]
    out["max_s_blocks"] = max((len(sent_tokenize(b)) for b in blocks if b), default=0)
    out["symbol"] = next((s for s in [",", ":", "?", "!"] if s not in text), None)
    return out


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)["text"]
        sys.stdout.write(json.dumps(answer(text)) + "\n")


if __name__ == "__main__":
    main()
