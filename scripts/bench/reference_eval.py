"""A minimal Google-equivalent IFEval evaluation, for timing `crab eval` against Python.

It is Google's `evaluation_main` loop (strict, then loose with the 8 candidates in Google's
order; results written with `json.dumps` of the sorted attributes; `print_report`), run over
the instruction classes of the `if-verifiable` package (= Google's 2025 `instructions.py`) with
two changes that make it equal Google's 2026 code and deterministic:

- `LetterFrequencyChecker` keeps a one-character non a-z letter (`#`, `!`) instead of drawing a
  random one (Google's 2026 rule);
- langdetect is seeded (`DetectorFactory.seed = 0`), as the Rust port is.

Usage (flags as Google's):
    NLTK_DATA=../shared/data/nltk_data python scripts/bench/reference_eval.py \
        --input_data=IN.jsonl --input_response_data=RESP.jsonl --output_dir=DIR
"""

import argparse
import collections
import importlib.util
import json
import os
import sys
import types

import langdetect

# `import if_verifiable` would run its package `__init__`, which imports its dataset API
# (`datasets`, `pandas`, `pyarrow`: ~2.5 s here) that Google's code does not have. Register the
# package without running it, so that only what Google's evaluation imports gets imported
# (nltk, langdetect, immutabledict).
_spec = importlib.util.find_spec("if_verifiable")
_pkg = types.ModuleType("if_verifiable")
_pkg.__path__ = list(_spec.submodule_search_locations)
sys.modules["if_verifiable"] = _pkg

from if_verifiable.ifeval import instructions, instructions_registry  # noqa: E402

langdetect.DetectorFactory.seed = 0

_original_letter_build = instructions.LetterFrequencyChecker.build_description


def _letter_build_2026(self, *, letter=None, let_frequency=None, let_relation=None):
    description = _original_letter_build(
        self, letter=letter, let_frequency=let_frequency, let_relation=let_relation
    )
    if letter and len(letter) == 1:
        self._letter = letter.strip().lower()
    return description


instructions.LetterFrequencyChecker.build_description = _letter_build_2026


def read_jsonl(path):
    with open(path, "r") as f:
        return [json.loads(line) for line in f]


def build(instruction_id, kwargs, prompt):
    inst = instructions_registry.INSTRUCTION_DICT[instruction_id](instruction_id)
    inst.build_description(**{k: v for k, v in (kwargs or {}).items() if v is not None})
    args = inst.get_instruction_args()
    if args and "prompt" in args:
        inst.build_description(prompt=prompt)
    return inst


def loose_candidates(response):
    r = response.split("\n")
    remove_first = "\n".join(r[1:]).strip()
    remove_last = "\n".join(r[:-1]).strip()
    remove_both = "\n".join(r[1:-1]).strip()
    return [
        response,
        response.replace("*", ""),
        remove_first,
        remove_last,
        remove_both,
        remove_first.replace("*", ""),
        remove_last.replace("*", ""),
        remove_both.replace("*", ""),
    ]


def follow(row, response, loose):
    candidates = loose_candidates(response) if loose else [response]
    out = []
    for index, instruction_id in enumerate(row["instruction_id_list"]):
        inst = build(instruction_id, row["kwargs"][index], row["prompt"])
        out.append(any(c.strip() and inst.check_following(c) for c in candidates))
    return out


def print_report(outputs):
    prompt_correct = instruction_total = instruction_correct = 0
    tier0_total = collections.defaultdict(int)
    tier0_correct = collections.defaultdict(int)
    tier1_total = collections.defaultdict(int)
    tier1_correct = collections.defaultdict(int)
    for o in outputs:
        followed = o["follow_instruction_list"]
        ids = o["instruction_id_list"]
        prompt_correct += all(followed)
        instruction_total += len(ids)
        instruction_correct += sum(followed)
        for instruction_id, ok in zip(ids, followed):
            family = instruction_id.split(":")[0]
            tier0_total[family] += 1
            tier0_correct[family] += bool(ok)
            tier1_total[instruction_id] += 1
            tier1_correct[instruction_id] += bool(ok)
    print(f"prompt-level: {prompt_correct / len(outputs)}")
    print(f"instruction-level: {instruction_correct / instruction_total}")
    print()
    for k in sorted(tier0_total):
        print(f"{k} {tier0_correct[k] / tier0_total[k]}")
    print()
    for k in sorted(tier1_total):
        print(f"{k} {tier1_correct[k] / tier1_total[k]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input_data", required=True)
    parser.add_argument("--input_response_data", required=True)
    parser.add_argument("--output_dir", required=True)
    args = parser.parse_args()
    inputs = read_jsonl(args.input_data)
    prompt_to_response = {r["prompt"]: r["response"] for r in read_jsonl(args.input_response_data)}
    missing = [row["key"] for row in inputs if row["prompt"] not in prompt_to_response]
    if missing:
        raise ValueError(f"Missing responses for input task keys: {missing}")
    for name, loose in [("eval_results_strict", False), ("eval_results_loose", True)]:
        outputs = []
        for row in inputs:
            response = prompt_to_response[row["prompt"]]
            followed = follow(row, response, loose)
            outputs.append(
                {
                    "follow_all_instructions": all(followed),
                    "follow_instruction_list": followed,
                    "instruction_id_list": row["instruction_id_list"],
                    "prompt": row["prompt"],
                    "response": response,
                }
            )
        path = os.path.join(args.output_dir, name + ".jsonl")
        with open(path, "w") as f:
            for o in outputs:
                f.write(json.dumps(o))
                f.write("\n")
        print("=" * 64)
        print(f"{path} Accuracy Scores:")
        print_report(outputs)


if __name__ == "__main__":
    main()
