#!/usr/bin/env python3
"""Oracle for crates/crab-constraints/src/text/pos.rs: `nltk.pos_tag` (nltk 3.10.4, English).

Reads JSON lines from stdin and writes one JSON line per input:
- a list of strings (tokens): the list of tags `nltk.pos_tag(tokens)` gives them;
- a string (a text): `{"tokens": [...], "tags": [...]}`, from `nltk.word_tokenize(text)` and
  `nltk.pos_tag` of those tokens (what IFBench's `words:start_verb` computes).

The model is `taggers/averaged_perceptron_tagger_eng` under NLTK_DATA.
"""

import os
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

import nltk  # noqa: E402
from nltk.tag.perceptron import PerceptronTagger  # noqa: E402

assert nltk.__version__ == "3.10.4", f"need nltk 3.10.4, got {nltk.__version__}"


def main():
    # `nltk.pos_tag` builds a new PerceptronTagger (loading the JSON model) on every call; one
    # tagger, used the way `_pos_tag` uses it, gives the same tags.
    tagger = PerceptronTagger()
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if isinstance(request, list):
            answer = [tag for _, tag in tagger.tag(request)]
        else:
            tokens = nltk.word_tokenize(request)
            answer = {"tokens": tokens, "tags": [tag for _, tag in tagger.tag(tokens)]}
        out.write(json.dumps(answer, ensure_ascii=True))
        out.write("\n")
    out.flush()


if __name__ == "__main__":
    main()
