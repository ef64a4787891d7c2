"""Times the whole `crab eval` process against the whole Python reference process.

Each round runs both, alternating (crab first in even rounds, Python first in odd ones), on the
same files: `crab eval` and `scripts/bench/reference_eval.py` (if-verifiable's instruction
classes in Google's evaluation loop, strict + loose, interpreter start and imports included).
Both write their result files; after every round the two sets of outputs (files and printed
report) must be byte-identical, so the timing never compares unequal work. Prints the median
wall time of each, their ratio, and the median CPU time (user + system) of each.

    NLTK_DATA=../shared/data/nltk_data .venv/bin/python scripts/bench/eval_vs_reference.py --runs 11

`crab` is the release build users get, from `scripts/build-cli.sh` (run first, so the binary is
the current code's; static on Linux), unless `--crab` names another binary.

`--only-ids a,b,c` keeps only the input rows whose ids all lie in the list (for timing while
some checks are still missing from the registry).
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "ifeval")


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd, cwd, env):
    cpu0, t0 = child_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall, cpu = time.perf_counter() - t0, child_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    return wall, cpu, proc.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--runs", type=int, default=11)
    p.add_argument("--crab", default=None, help="the crab binary (default: scripts/build-cli.sh's)")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--input-data", default=os.path.join(DATA, "input_data_gpt4_20231107_145030.jsonl"))
    p.add_argument("--responses", default=os.path.join(DATA, "input_response_data_gpt4_20231107_145030.jsonl"))
    p.add_argument("--only-ids", default=None)
    p.add_argument("--crab-args", default="", help="extra arguments for crab eval, e.g. '--jobs 1'")
    args = p.parse_args()
    if args.crab is None:
        built = subprocess.run(["bash", os.path.join(ROOT, "scripts", "build-cli.sh")], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True, check=True)
        args.crab = os.path.join(ROOT, built.stdout.strip())

    env = dict(os.environ)
    env.setdefault("NLTK_DATA", os.path.join(ROOT, "..", "shared", "data", "nltk_data"))
    work = tempfile.mkdtemp(prefix="crab-bench-")
    try:
        input_data = os.path.abspath(args.input_data)
        if args.only_ids:
            keep = set(args.only_ids.split(","))
            with open(input_data) as f:
                rows = [l for l in f if set(json.loads(l)["instruction_id_list"]) <= keep]
            input_data = os.path.join(work, "input.jsonl")
            with open(input_data, "w") as f:
                f.writelines(rows)
        with open(input_data) as f:
            n_rows = sum(1 for l in f if l.strip())
        responses = os.path.abspath(args.responses)
        dirs = {name: os.path.join(work, name) for name in ("crab", "python")}
        for d in dirs.values():
            os.makedirs(d)
        cmds = {
            "crab": [args.crab, "eval", "--input-data", input_data, "--responses", responses,
                     "--output-dir", "out", *args.crab_args.split()],
            "python": [args.python, os.path.join(ROOT, "scripts", "bench", "reference_eval.py"),
                       f"--input_data={input_data}", f"--input_response_data={responses}",
                       "--output_dir=out"],
        }
        for d in dirs.values():
            os.makedirs(os.path.join(d, "out"))
        wall = {"crab": [], "python": []}
        cpu = {"crab": [], "python": []}
        for i in range(args.runs):
            order = ["crab", "python"] if i % 2 == 0 else ["python", "crab"]
            reports = {}
            for name in order:
                w, c, out = timed(cmds[name], dirs[name], env)
                wall[name].append(w)
                cpu[name].append(c)
                reports[name] = out
            if reports["crab"] != reports["python"]:
                sys.exit("the printed reports differ")
            for f in ("eval_results_strict.jsonl", "eval_results_loose.jsonl"):
                a, b = (open(os.path.join(dirs[n], "out", f), "rb").read() for n in ("crab", "python"))
                if a != b:
                    sys.exit(f"{f} differs between crab and Python")
            print(f"round {i + 1}/{args.runs}: crab {wall['crab'][-1] * 1e3:.1f} ms, "
                  f"python {wall['python'][-1] * 1e3:.0f} ms", file=sys.stderr)
        mc, mp = statistics.median(wall["crab"]), statistics.median(wall["python"])
        print(f"rows: {n_rows}; runs: {args.runs} of each, alternating; outputs byte-identical")
        print(f"crab eval   median wall {mc * 1e3:9.1f} ms   median CPU {statistics.median(cpu['crab']) * 1e3:9.1f} ms")
        print(f"python ref  median wall {mp * 1e3:9.1f} ms   median CPU {statistics.median(cpu['python']) * 1e3:9.1f} ms")
        print(f"ratio (python / crab, wall): {mp / mc:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
