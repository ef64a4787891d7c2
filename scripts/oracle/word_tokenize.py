#!/usr/bin/env python3
"""Oracle for crates/crab-constraints/src/text/word_tokenize.rs.

Default mode: reads JSON lines from stdin, each a JSON string (one sentence), and writes one JSON
line per input: the list `NLTKWordTokenizer().tokenize(sentence)` returns (nltk 3.10).
With `--full`, each input string is a whole text and the output is `nltk.word_tokenize(text)`.
With `--spans`, each output line is `{"tokens": [...], "spans": [[start, end], ...] or null}`, the
spans (code point offsets) from `NLTKWordTokenizer().span_tokenize`, null when that raises.
"""

import os
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402


def main():
    full = "--full" in sys.argv
    spans = "--spans" in sys.argv
    if spans:
        from nltk.tokenize import NLTKWordTokenizer

        tokenizer = NLTKWordTokenizer()

        def tok(text):
            try:
                found = [list(s) for s in tokenizer.span_tokenize(text)]
            except Exception:  # align_tokens raises when it cannot place a token
                found = None
            return {"tokens": tokenizer.tokenize(text), "spans": found}

    elif full:
        from nltk import word_tokenize as tok
    else:
        from nltk.tokenize import NLTKWordTokenizer

        tok = NLTKWordTokenizer().tokenize
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)
        out.write(json.dumps(tok(text), ensure_ascii=True))
        out.write("\n")
    out.flush()


if __name__ == "__main__":
    main()
