"""Oracle for tests/format_reference.rs: IFEval's detectable_format / detectable_content checkers.

Reads JSON lines {"id": str, "kwargs": dict, "text": str} on stdin and writes one JSON line per
request: {"ok": bool | null, "error": str | null, "matches": [str] | null}.

- "ok" is `check_following(text)` of the if-verifiable 0.1.2 class for the id (Google's 2025
  code; identical to Google 2026 for these ids), built with `build_description(**kwargs)`;
- "error" is set instead when building or checking raises (e.g. re.error for a bad splitter);
- "matches" are the texts the Rust check reports as evidence, computed with the same regexes as
  the checker, in order of position: placeholders, bullets (without the leading whitespace that
  `^\\s*` takes), counted highlights, titles, section-splitter matches (stripped); null for the
  ids without evidence parity (json_format, constrained_response, postscript).
"""

import os
import sys

# This directory holds json.py (another oracle): keep it off the path so that `import json`
# finds the standard library.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402
import re  # noqa: E402

from if_verifiable.ifeval import instructions_registry  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"


def spans(pattern, text, flags=0):
    return [(m.start(), m.end(), m.group()) for m in re.finditer(pattern, text, flags)]


def ordered(found):
    return [s for _, _, s in sorted(found, key=lambda t: (t[0], t[1]))]


def matches(iid, kwargs, text):
    if iid == "detectable_content:number_placeholders":
        return ordered(spans(r"\[.*?\]", text))
    if iid == "detectable_format:number_bullet_lists":
        found = spans(r"^\s*\*[^\*].*$", text, re.M) + spans(r"^\s*-.*$", text, re.M)
        return ordered((s + len(g) - len(g.lstrip()), e, g.lstrip()) for s, e, g in found)
    if iid == "detectable_format:number_highlighted_sections":
        single = [t for t in spans(r"\*[^\n\*]*\*", text) if t[2].strip("*").strip()]
        double = [
            t
            for t in spans(r"\*\*[^\n\*]*\*\*", text)
            if t[2].removeprefix("**").removesuffix("**").strip()
        ]
        return ordered(single + double)
    if iid == "detectable_format:title":
        return ordered(t for t in spans(r"<<[^\n]+>>", text) if t[2].lstrip("<").rstrip(">").strip())
    if iid == "detectable_format:multiple_sections":
        spliter = kwargs["section_spliter"].strip()
        found = spans(r"\s?" + spliter + r"\s?\d+\s?", text)
        return ordered((s, e, g.strip()) for s, e, g in found)
    return None


def run(request):
    iid, kwargs, text = request["id"], request["kwargs"], request["text"]
    try:
        inst = instructions_registry.INSTRUCTION_DICT[iid](iid)
        inst.build_description(**kwargs)
        ok = bool(inst.check_following(text))
    except Exception as e:  # noqa: BLE001 - any exception is an "error" answer
        return {"ok": None, "error": f"{type(e).__name__}: {e}", "matches": None}
    return {"ok": ok, "error": None, "matches": matches(iid, kwargs, text)}


def main():
    for line in sys.stdin:
        sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
