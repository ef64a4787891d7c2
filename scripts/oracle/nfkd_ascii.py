#!/usr/bin/env python3
"""Oracle for `text::pystr::nfkd_ascii`: prints one JSON object mapping each non-ASCII code
point (decimal, as a string) whose `unicodedata.normalize('NFKD', c).encode('ASCII', 'ignore')`
is not empty to that ASCII text. Every other non-ASCII code point maps to the empty string.
Python 3.11 (Unicode 14.0.0), as IFBench's custom checks run it."""

import json
import sys
import unicodedata

assert sys.version_info[:2] == (3, 11), f"need Python 3.11, got {sys.version}"
assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version

out = {}
for cp in range(0x80, 0x110000):
    if 0xD800 <= cp < 0xE000:
        continue
    a = unicodedata.normalize("NFKD", chr(cp)).encode("ascii", "ignore").decode("ascii")
    if a:
        out[str(cp)] = a
# And a few strings, as IFBench's checks normalize whole texts.
texts = ["São Tomé", "Ｒｅｙｋｊａｖíｋ", "ﬁnal ½ Ⅻ", "Ångström—Kraków", "e\u0301\u0327x", ""]
json.dump({"chars": out, "texts": {t: unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii") for t in texts}}, sys.stdout)
sys.stdout.write("\n")
