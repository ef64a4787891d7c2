"""Oracle for tests/json_reference.rs: what CPython 3.11's `json.loads` does with each text.

Reads JSON lines {"text": s} on stdin; writes one JSON line per request:
{"ok": bool, "kind": "decode" | "value" | "recursion" | null, "msg": str | null,
 "pos": int | null, "str": str | null}
where "decode" is json.JSONDecodeError (msg/pos are its .msg/.pos), "value" any other
ValueError (e.g. the integer string conversion limit) and "recursion" a RecursionError.
"""

import os
import sys

# Keep this folder off the module path, so that no oracle script can shadow a module that the
# standard library or NLTK imports.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import json  # noqa: E402

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"


def check(text):
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        return {"ok": False, "kind": "decode", "msg": e.msg, "pos": e.pos, "str": str(e)}
    except RecursionError as e:
        return {"ok": False, "kind": "recursion", "msg": str(e), "pos": None, "str": str(e)}
    except ValueError as e:
        return {"ok": False, "kind": "value", "msg": str(e), "pos": None, "str": str(e)}
    return {"ok": True, "kind": None, "msg": None, "pos": None, "str": None}


def main():
    for line in sys.stdin:
        sys.stdout.write(json.dumps(check(json.loads(line)["text"])) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
