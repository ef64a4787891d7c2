#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the reference data in ../shared/data.

Each seed is a file named by the SHA-1 of its bytes (libFuzzer's own naming), so running this
again adds nothing twice, and seeds sit beside what the fuzzers find. Multi-part inputs separate
their parts with NUL bytes, as crab_fuzz::fields reads them (see fuzz/src/lib.rs for each
target's format). Texts are cut to a few KB: the fuzzers mutate small inputs much faster, and
long inputs are the business of `cargo bench -p crab-constraints --bench bounds`.

Usage: python3 scripts/fuzz/seed_corpora.py [SHARED_DATA_DIR]   (default ../shared/data)
Afterwards `cargo fuzz cmin` (scripts/fuzz/run.sh --cmin) keeps only the inputs that add coverage.
"""

import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
CORPUS = ROOT / "fuzz" / "corpus"

MAX_TEXT = 4096  # bytes of a response or prompt kept in a seed
PER_ID = 6  # IFEval rows seeded per check id


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, at a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def join(*parts: str) -> bytes:
    return b"\0".join(p.encode("utf-8") for p in parts)


written = defaultdict(int)


def seed(target: str, data: bytes) -> None:
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / hashlib.sha1(data).hexdigest()
    if not path.exists():
        path.write_bytes(data)
        written[target] += 1


def read_jsonl(path: Path):
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ifeval = DATA / "ifeval"
rows = read_jsonl(ifeval / "input_data.jsonl")
responses = {
    r["prompt"]: r["response"]
    for r in read_jsonl(ifeval / "input_response_data_gpt4_20231107_145030.jsonl")
}
pairs = [(row, responses[row["prompt"]]) for row in rows if row["prompt"] in responses]
crab_records = json.loads((DATA / "crab" / "constraint_back_translation_sample.json").read_text())


def first_message(record, role):
    return next((m["content"] for m in record["messages"] if m["role"] == role), "")


crab_pairs = [(first_message(r, "user"), first_message(r, "assistant")) for r in crab_records]

# Every registered check id, from the generated catalog (docs/checks.md).
catalog = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
check_ids = re.findall(r"^### `([a-z_]+:[a-z_]+)`", catalog, flags=re.M)

# checks: `id NUL kwargs NUL instruction NUL response`. IFEval's own rows where the id has
# some; otherwise kwargs `-` (not JSON: the target then uses the check's documented example).
seeded = defaultdict(int)
for row, response in pairs:
    for cid, kwargs in zip(row["instruction_id_list"], row["kwargs"]):
        if seeded[cid] < PER_ID:
            seeded[cid] += 1
            kwargs = {k: v for k, v in (kwargs or {}).items() if v is not None}
            seed("checks", join(cid, json.dumps(kwargs), cut(row["prompt"], 1024), cut(response)))
texts = [cut(r) for _, r in pairs[:PER_ID]] + [cut(r) for _, r in crab_pairs[:PER_ID]]
for cid in check_ids:
    if seeded[cid] == 0:
        for i, text in enumerate(texts):
            seed("checks", join(cid, "-", "Write about this.", text))

# pyre: `flags NUL pattern NUL text`: IFEval's user-supplied patterns (searched with
# IGNORECASE), then patterns for the engine's corners.
patterns = set()
for row, response in pairs:
    for kwargs in row["kwargs"]:
        for key in ("keywords", "forbidden_words"):
            patterns.update((kwargs or {}).get(key) or [])
        for key in ("keyword", "section_spliter", "postscript_marker", "end_phrase"):
            if (kwargs or {}).get(key):
                patterns.add(kwargs[key])
engine_patterns = [
    ("", r"(a*)*b"), ("i", r"\bthe\b"), ("m", r"^\s*\*[^\*].*$"), ("", r"(?P<w>\w+) (?P=w)"),
    ("", r"[^\W\d_]+"), ("", r"(?<=a)b"), ("s", r"\d{2,}?."), ("", r"(a)?(?(1)b|c)"),
    ("x", r"a # comment"), ("a", r"\w+"), ("i", r"(?i:straße)|ǅ"), ("", r"a{2,3}+b"),
    ("", r"(?>a+)b"), ("i", r"\s*p\.\s?s\..*$"), ("", r"\u00e9\x41\101"), ("", r"[\d-z]"),
]
sample = [cut(r, 1024) for _, r in pairs[:40]]
for i, pattern in enumerate(sorted(patterns)):
    seed("pyre", join("i", pattern, sample[i % len(sample)]))
for i, (flags, pattern) in enumerate(engine_patterns):
    seed("pyre", join(flags, pattern, sample[i % len(sample)]))

# punkt, word_tokenize: responses and prompts of all kinds (lists, abbreviations, quotes).
for _, response in pairs[:60]:
    seed("punkt", cut(response).encode("utf-8"))
    seed("word_tokenize", cut(response).encode("utf-8"))
for row, _ in pairs[60:90]:
    seed("punkt", cut(row["prompt"]).encode("utf-8"))
    seed("word_tokenize", cut(row["prompt"]).encode("utf-8"))

# lang: the responses that IFEval checks for a language, and some English ones.
lang_rows = [r for r in pairs if "language:response_language" in r[0]["instruction_id_list"]]
for _, response in lang_rows + pairs[:10]:
    seed("lang", cut(response, 2048).encode("utf-8"))
for instruction, response in crab_pairs:
    seed("lang", cut(response, 2048).encode("utf-8"))

# json: the responses asked to be JSON, IFEval's rows themselves, and Python's corners.
json_rows = [r for r in pairs if "detectable_format:json_format" in r[0]["instruction_id_list"]]
for _, response in json_rows:
    seed("json", cut(response).encode("utf-8"))
for row in rows[:20]:
    seed("json", json.dumps(row).encode("utf-8"))
for text in ['{"a": NaN, "b": -Infinity}', "1e400", " [1, 2.5e-3, true, null] ", '"\\ud800"',
             "[" * 50 + "]" * 50, '{"a": 1,}', "\ufeff{}", "0123", '"\\x"', "[1] [2]"]:
    seed("json", text.encode("utf-8"))

# backtranslate: `options NUL instruction NUL response`, with some option letters.
options = ["", "i", "ct", "k", "nx", "ickt"]
for i, (row, response) in enumerate(pairs[:40]):
    seed("backtranslate", join(options[i % len(options)], cut(row["prompt"], 1024), cut(response)))
for i, (instruction, response) in enumerate(crab_pairs):
    seed("backtranslate", join(options[i % len(options)], cut(instruction, 1024), cut(response)))

# crab_import: each record alone (as an array, and as a JSONL line), and each rule sentence as
# `key NUL sentence`.
sentences = set()
for record in crab_records:
    seed("crab_import", json.dumps([record], ensure_ascii=False).encode("utf-8"))
    seed("crab_import", (json.dumps(record) + "\n").encode("utf-8"))
    for key, sentence in (record["Aug_instruction"].get("Additional_Instruction") or {}).items():
        if isinstance(sentence, str):
            sentences.add((key, sentence))
for key, sentence in sorted(sentences):
    seed("crab_import", join(key, sentence))

# ifeval_rows: an input row and its response row, as `crab eval` reads two JSONL files; a
# reasoning response; IFBench rows (ids that are not registered: refused rows).
for row, response in pairs[:40]:
    lines = [json.dumps(row), json.dumps({"prompt": row["prompt"], "response": cut(response)})]
    seed("ifeval_rows", ("\n".join(lines) + "\n").encode("utf-8"))
row, response = pairs[0]
thinking = "<think>\nLet me see.\n</think>\n" + cut(response, 1024)
lines = [json.dumps(row), json.dumps({"prompt": row["prompt"], "response": thinking})]
seed("ifeval_rows", ("\n".join(lines) + "\n").encode("utf-8"))
for row in read_jsonl(DATA / "ifbench" / "IFBench_test.jsonl")[:5]:
    seed("ifeval_rows", (json.dumps(row) + "\n").encode("utf-8"))

for target in sorted(written):
    print(f"{target}: {written[target]} new seeds")
